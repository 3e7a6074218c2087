// `screening-server`: the library's Store over HTTPS for every workstation of a municipality
// (docs/deploy.md, docs/api.md). It holds the database, the audit key and the instruments;
// clients see none of them.
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <thread>

#include <screening/api_service.h>
#include <screening/process.h>
#include <screening/registry.h>
#include <screening/store.h>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "https_server.h"

namespace {

namespace fs = std::filesystem;

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

bool SplitListen(const std::string& listen, std::string* host, std::uint16_t* port) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  *host = listen.substr(0, colon);
  if (host->size() > 2 && host->front() == '[' && host->back() == ']') {
    *host = host->substr(1, host->size() - 2);
  }
  const std::string digits = listen.substr(colon + 1);
  if (digits.empty() || digits.size() > 5 ||
      digits.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  const unsigned long value = std::stoul(digits);
  if (value > 65535) return false;
  *port = static_cast<std::uint16_t>(value);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  screening::HardenProcess();
  std::string listen, cert, key, db, audit_key, instruments, backup_dir;
  std::size_t max_connections = 256;
  CLI::App app(
      "screening-server: ärendelagret över HTTPS för kommunens arbetsplatser / the case store "
      "over HTTPS for the municipality's workstations (docs/deploy.md, docs/api.md).\n"
      "Servern håller databasen, granskningsloggens nyckel och instrumenten; klienterna ser "
      "ingen av dem. / The server holds the database, the audit key and the instruments; "
      "clients see none of them.",
      "screening-server");
  app.add_option("--listen", listen,
                 "Adress och port att lyssna på / address and port to listen on (HOST:PORT; "
                 "port 0: a free port, printed as 'listening on HOST:PORT')")
      ->required();
  app.add_option("--cert", cert,
                 "Serverns certifikatkedja (PEM) / the server's certificate chain (PEM)")
      ->required()
      ->check(CLI::ExistingFile);
  app.add_option("--key", key, "Certifikatets privata nyckel (PEM) / its private key (PEM)")
      ->required()
      ->check(CLI::ExistingFile);
  app.add_option("--db", db, "Databasfilen (SQLite) / the database file (SQLite)")
      ->required()
      ->check(CLI::ExistingFile);
  app.add_option("--audit-key", audit_key,
                 "Granskningsloggens nyckelfil / the audit key file (default: "
                 "$SCREENING_AUDIT_KEY or ~/.config/screening/audit.key)");
  app.add_option("--instruments", instruments,
                 "Instrumentmappen / the instruments folder (default: $SCREENING_INSTRUMENTS "
                 "or the installed one)");
  app.add_option("--backup-dir", backup_dir,
                 "Mappen där säkerhetskopior skrivs / where backups are written (Backup is "
                 "refused without it)");
  app.add_option("--max-connections", max_connections,
                 "Högsta antal samtidiga anslutningar / the most connections at once (256)")
      ->check(CLI::Range(1, 100000));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }

  screening::server::ServerOptions options;
  if (!SplitListen(listen, &options.host, &options.port)) {
    std::cerr << "screening-server: --listen: expected HOST:PORT, e.g. 0.0.0.0:8443\n";
    return kExitUsage;
  }
  options.cert_file = cert;
  options.key_file = key;
  options.max_connections = max_connections;

  const fs::path instruments_dir =
      instruments.empty() ? screening::DefaultInstrumentsDirectory() : fs::path(instruments);
  screening::Diagnostics diagnostics;
  auto registry = screening::Registry::LoadDirectory(instruments_dir, &diagnostics);
  if (!registry.ok()) {
    std::cerr << "screening-server: instruments " << instruments_dir.string() << ": "
              << registry.status().message() << "\n";
    return kExitFailed;
  }
  screening::StoreOptions store_options;
  if (!audit_key.empty()) store_options.audit_key_file = audit_key;
  // The database is opened once here, so that a wrong path or key is said at start.
  {
    auto probe = screening::OpenSqliteStore(db, *registry, store_options);
    if (!probe.ok()) {
      std::cerr << "screening-server: --db " << db << ": " << probe.status().message() << "\n";
      return kExitFailed;
    }
  }
  screening::ApiServiceOptions api_options;
  if (!backup_dir.empty()) {
    std::error_code ec;
    fs::create_directories(backup_dir, ec);
    if (ec) {
      std::cerr << "screening-server: --backup-dir " << backup_dir << ": " << ec.message() << "\n";
      return kExitFailed;
    }
    api_options.backup_dir = backup_dir;
  }
  screening::ApiService api(
      [db, reg = *registry, store_options] {
        return screening::OpenSqliteStore(db, reg, store_options);
      },
      *registry, api_options);

  screening::server::HttpsServer server(options, [&api](const screening::server::Request& r) {
    if (r.method == "GET" && r.target == "/health") {
      return screening::server::Response{200, "application/json", "{\"status\":\"ok\"}\n"};
    }
    constexpr std::string_view kPrefix = "/v1/";
    if (r.method != "POST" || r.target.substr(0, kPrefix.size()) != kPrefix) {
      return screening::server::Response{404, "text/plain", "not found\n"};
    }
    screening::ApiRequest request;
    request.operation = r.target.substr(kPrefix.size());
    request.content_type = r.content_type;
    request.accept = r.accept;
    request.authorization = r.authorization;
    request.body = r.body;
    request.peer = r.peer;
    screening::ApiResponse response = api.Handle(request);
    return screening::server::Response{response.http_status, response.content_type,
                                       std::move(response.body)};
  });
  auto bound = server.Start();
  if (!bound.ok()) {
    std::cerr << "screening-server: " << bound.status().message() << "\n";
    return kExitFailed;
  }
  std::cout << "listening on " << *bound << std::endl;

  // SIGTERM and SIGINT stop it gracefully: calls in flight finish, new ones are refused.
  boost::asio::io_context signals_ioc;
  boost::asio::signal_set signals(signals_ioc, SIGTERM, SIGINT);
  signals.async_wait([&server](const boost::system::error_code& ec, int) {
    if (!ec) server.Stop();
  });
  std::thread signal_thread([&signals_ioc] { signals_ioc.run(); });
  server.Run();
  signals.cancel();
  signals_ioc.stop();
  signal_thread.join();
  std::fputs("{\"event\":\"stopped\"}\n", stderr);
  return kExitOk;
}
