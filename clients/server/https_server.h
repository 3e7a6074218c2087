// The screening server's HTTPS transport (Boost.Beast over Asio with OpenSSL): TLS only,
// bounded in every dimension a client controls (connections, header and body size, the time
// a handshake, a header, a body and an idle connection may take), handlers on a worker pool
// so that a slow call never stalls another connection's I/O, and a graceful stop.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <screening/status.h>

namespace screening::server {

struct Request {
  std::string method;  // "GET", "POST"
  std::string target;  // the path; the API never carries data in it
  std::string content_type, accept, authorization, body;
  std::string peer;  // the remote address, without the port
};

struct Response {
  int status = 200;
  std::string content_type;
  std::string body;
};

// Runs on a worker thread; may block (the database, a password hash).
using Handler = std::function<Response(const Request&)>;

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0: a free port (Start says which)
  std::filesystem::path cert_file, key_file;
  std::size_t max_connections = 256;
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 8 * 1024 * 1024;
  std::chrono::milliseconds handshake_timeout{10000};
  std::chrono::milliseconds header_timeout{10000};
  std::chrono::milliseconds body_timeout{30000};
  std::chrono::milliseconds idle_timeout{60000};
  std::size_t worker_threads = 4;
  // How long Stop waits for calls in flight before it closes what is left.
  std::chrono::milliseconds drain_timeout{30000};
};

class HttpsServer {
 public:
  HttpsServer(ServerOptions options, Handler handler);
  ~HttpsServer();
  HttpsServer(const HttpsServer&) = delete;
  HttpsServer& operator=(const HttpsServer&) = delete;

  // Loads the certificate and key (an error names the file) and binds; returns "host:port"
  // as bound.
  Result<std::string> Start();
  // Serves until Stop; returns when every connection has ended.
  void Run();
  // Stops accepting, lets calls in flight finish (up to drain_timeout) and ends Run.
  // Thread safe.
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace screening::server
