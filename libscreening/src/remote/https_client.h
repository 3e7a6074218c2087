// The library's HTTPS client for RemoteStore (Boost.Beast over OpenSSL): one kept-alive
// connection, verified against the server's CA and name, with a time-out on every step.
// Used by one thread at a time.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <screening/status.h>

namespace screening::internal {

struct HttpsClientOptions {
  std::string host;  // checked against the server certificate's names; sent as SNI
  std::string port;
  std::filesystem::path ca_file;  // empty: the system's trust store
  std::filesystem::path client_cert_file, client_key_file;
  std::chrono::milliseconds timeout{30000};  // each of connect, handshake, write and read
};

struct HttpResponse {
  int status = 0;
  std::string content_type;
  std::string body;
};

class HttpsClient {
 public:
  explicit HttpsClient(HttpsClientOptions options);
  ~HttpsClient();
  HttpsClient(const HttpsClient&) = delete;
  HttpsClient& operator=(const HttpsClient&) = delete;

  // kPermissionDenied when the server's certificate is not trusted (unknown CA, expired,
  // another name); kIoError when the server cannot be reached or the connection is lost (a
  // request that may have reached the server is never sent again).
  Result<HttpResponse> Post(std::string_view target, std::string_view content_type,
                            std::string body,
                            const std::vector<std::pair<std::string, std::string>>& headers);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace screening::internal
