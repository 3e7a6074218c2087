// The screening server as a deployment runs it: the real executable on 127.0.0.1 and a
// free port, a real TLS handshake, and the library's RemoteStore as the clients use it.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include <screening/remote_store.h>
#include <screening/store.h>

#include <catch2/catch.hpp>

#include "../unit/store_fixture.h"
#include "test_pki.h"

namespace screening::test {
namespace {

// The server process: started with port 0, its first line read, stopped with SIGTERM.
class ServerProcess {
 public:
  ServerProcess(const fs::path& db, const fs::path& key, const TestPki& pki, const fs::path& cert,
                const fs::path& cert_key) {
    int out[2];
    REQUIRE(pipe(out) == 0);
    pid_ = fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      close(out[1]);
      const int null = open("/dev/null", O_WRONLY);
      dup2(null, STDERR_FILENO);  // the request log
      std::vector<std::string> args = {SCREENING_SERVER_BINARY,
                                       "--listen",
                                       "127.0.0.1:0",
                                       "--cert",
                                       cert.string(),
                                       "--key",
                                       cert_key.string(),
                                       "--db",
                                       db.string(),
                                       "--audit-key",
                                       key.string(),
                                       "--instruments",
                                       SCREENING_TEST_INSTRUMENTS_DIR};
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(out[1]);
    (void)pki;
    FILE* in = fdopen(out[0], "r");
    REQUIRE(in != nullptr);
    char line[256] = {};
    REQUIRE(std::fgets(line, sizeof line, in) != nullptr);
    std::fclose(in);
    const std::string text(line);
    REQUIRE(text.rfind("listening on 127.0.0.1:", 0) == 0);
    port_ = std::stoi(text.substr(std::string("listening on 127.0.0.1:").size()));
    REQUIRE(port_ > 0);
  }
  ~ServerProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  int port() const { return port_; }
  // SIGTERM, and the exit status.
  int Stop() {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

RemoteStoreOptions Remote(int port, const fs::path& ca) {
  RemoteStoreOptions o;
  o.url = "https://localhost:" + std::to_string(port);
  o.ca_file = ca;
  o.timeout = std::chrono::milliseconds(20000);
  return o;
}

}  // namespace

TEST_CASE("the server serves the store over TLS to RemoteStore, and stops on SIGTERM", "[server]") {
  StoreFixture f;  // a database with units and people (password cost 0)
  f.store.reset();
  const TestPki pki = MakeTestPki(f.tmp.path / "pki");
  ServerProcess server(f.db, f.key, pki, pki.server_cert, pki.server_key);

  auto registry = RequireOk(FetchServerInstruments(Remote(server.port(), pki.ca_cert),
                                                   f.tmp.path / "client-instruments"));
  REQUIRE(registry->Find("dash") != nullptr);
  CHECK(registry->Find("dash")->logic_sha256() == RealInstrument("dash")->logic_sha256());
  auto store = RequireOk(OpenRemoteStore(Remote(server.port(), pki.ca_cert), registry));

  const Actor kim = RequireOk(store->Login("kim", kPassword));
  CHECK(kim.role == Role::kCaseworker);
  CHECK(store->Login("kim", "wrong password").status().code() == StatusCode::kPermissionDenied);
  CHECK(store->LoginTrusted("kim").status().code() == StatusCode::kPermissionDenied);

  // A contact opens the case; a draft in it, saved, read back and listed.
  ContactInput contact;
  contact.unit = "ifo_vuxen";
  contact.case_ref = "S-1";
  contact.contact_date = "2025-03-14";
  contact.outcome = "not_asked";
  contact.not_asked_reason = "no_private_room";
  const auto contact_id = store->AddContact(kim, contact);
  INFO(contact_id.status().ToString());
  REQUIRE(contact_id.ok());
  AssessmentInput input;
  input.unit = "ifo_vuxen";
  input.case_ref = "S-1";
  Session session(registry->Find("dash"));
  const std::int64_t id = RequireOk(store->CreateDraft(kim, input, session));
  const AssessmentRecord record = RequireOk(store->Get(kim, id));
  CHECK(record.status == AssessmentStatus::kDraft);
  CHECK(record.case_ref == "S-1");
  CHECK(record.author == "kim");
  ListFilter drafts;
  drafts.status = AssessmentStatus::kDraft;
  const auto listed = RequireOk(store->List(kim, drafts));
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].id == id);

  // Refusals come back with the store's codes and words; another user's session is separate
  // (a coordinator sees no case content: the id answers as if it did not exist).
  const Actor olle = RequireOk(store->Login("olle", kPassword));
  CHECK(store->Get(olle, id).status().code() == StatusCode::kNotFound);
  IndicatorRequest year;
  year.period = RequireOk(YearPeriod("2025"));
  const IndicatorReport report = RequireOk(store->Indicators(olle, year));
  CHECK_FALSE(report.tables.empty());
  CHECK(store->Indicators(kim, year).status().code() == StatusCode::kPermissionDenied);
  CHECK(store->Get(kim, 999999).status().code() == StatusCode::kNotFound);

  // A wrong CA, a certificate for another name and an expired one are refused by the client.
  auto untrusted =
      RequireOk(OpenRemoteStore(Remote(server.port(), pki.untrusted_ca_cert), registry));
  const Status refused = untrusted->Login("kim", kPassword).status();
  CHECK(refused.code() == StatusCode::kPermissionDenied);
  CHECK_THAT(refused.message(), Catch::Contains("not trusted"));

  CHECK(server.Stop() == 0);
  // Gone: the client says so plainly.
  CHECK(store->Get(kim, id).status().code() == StatusCode::kIoError);
}

TEST_CASE("a certificate for another name or out of date is refused by the client", "[server]") {
  StoreFixture f(kMarch14, false);
  f.store.reset();
  const TestPki pki = MakeTestPki(f.tmp.path / "pki");
  for (const auto& [cert, key] : {std::pair{pki.expired_cert, pki.expired_key},
                                  std::pair{pki.wrong_name_cert, pki.wrong_name_key}}) {
    INFO(cert.string());
    ServerProcess server(f.db, f.key, pki, cert, key);
    auto store = RequireOk(OpenRemoteStore(Remote(server.port(), pki.ca_cert), RealInstruments()));
    const Status st = store->Login("ada", kPassword).status();
    CHECK(st.code() == StatusCode::kPermissionDenied);
    CHECK_THAT(st.message(), Catch::Contains("certificate"));
    CHECK(server.Stop() == 0);
  }
}

TEST_CASE("plain HTTP to the server gets no HTTP answer", "[server]") {
  StoreFixture f(kMarch14, false);
  f.store.reset();
  const TestPki pki = MakeTestPki(f.tmp.path / "pki");
  ServerProcess server(f.db, f.key, pki, pki.server_cert, pki.server_key);
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(server.port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  const std::string request = "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n";
  REQUIRE(write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size()));
  std::string answer;
  char buf[512];
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;)
    answer.append(buf, static_cast<std::size_t>(n));
  close(fd);
  CHECK(answer.find("HTTP/") == std::string::npos);
  CHECK(server.Stop() == 0);
}

}  // namespace screening::test
