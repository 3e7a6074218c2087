#include "remote/https_client.h"

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <optional>

#include <fmt/format.h>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace screening::internal {
namespace {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;
using error_code = boost::system::error_code;

constexpr std::size_t kMaxResponseBytes = 256u * 1024 * 1024;  // an export of a large unit

}  // namespace

class HttpsClient::Impl {
 public:
  explicit Impl(HttpsClientOptions options)
      : options_(std::move(options)), ssl_(ssl::context::tls_client) {}

  Result<HttpResponse> Post(std::string_view target, std::string_view content_type,
                            std::string body,
                            const std::vector<std::pair<std::string, std::string>>& headers) {
    http::request<http::string_body> req{http::verb::post, std::string(target), 11};
    req.set(http::field::host, options_.host);
    req.set(http::field::user_agent, "screening");
    req.set(http::field::content_type, std::string(content_type));
    for (const auto& [name, value] : headers) req.set(name, value);
    req.keep_alive(true);
    req.body() = std::move(body);
    req.prepare_payload();

    // A kept connection the server may have closed meanwhile: written to again only when
    // the write itself fails, before the server can have read the whole request.
    const bool reused = stream_ != nullptr;
    if (!reused) {
      if (Status st = Connect(); !st.ok()) return st;
    }
    error_code ec = Run([&](auto done) { http::async_write(*stream_, req, done); });
    if (ec && reused) {
      stream_.reset();
      if (Status st = Connect(); !st.ok()) return st;
      ec = Run([&](auto done) { http::async_write(*stream_, req, done); });
    }
    if (ec) return Lost("sending the request", ec);

    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxResponseBytes);
    ec = Run([&](auto done) { http::async_read(*stream_, buffer, parser, done); });
    if (ec) return Lost("reading the answer", ec);
    auto& res = parser.get();
    HttpResponse out;
    out.status = static_cast<int>(res.result_int());
    out.content_type = std::string(res[http::field::content_type]);
    out.body = std::move(res.body());
    if (!res.keep_alive()) stream_.reset();
    return out;
  }

 private:
  using Stream = beast::ssl_stream<beast::tcp_stream>;

  // Runs one asynchronous step on the private io_context with the time-out.
  template <typename Start>
  error_code Run(Start start) {
    error_code result = net::error::would_block;
    beast::get_lowest_layer(*stream_).expires_after(options_.timeout);
    start([&result](error_code ec, auto&&...) { result = ec; });
    ioc_.restart();
    ioc_.run();
    return result;
  }

  Status Lost(std::string_view step, const error_code& ec) {
    stream_.reset();
    return Status::IoError(fmt::format("the server {}:{} could not be reached ({}: {})",
                                       options_.host, options_.port, step, ec.message()));
  }

  Status Connect() {
    if (!configured_) {
      if (Status st = Configure(); !st.ok()) return st;
      configured_ = true;
    }
    tcp::resolver resolver(ioc_);
    error_code ec;
    const auto endpoints = resolver.resolve(options_.host, options_.port, ec);
    if (ec) return Lost("finding the server", ec);
    stream_ = std::make_unique<Stream>(ioc_, ssl_);
    // SSL_set_tlsext_host_name, without the macro's C cast.
    if (SSL_ctrl(stream_->native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                 const_cast<char*>(options_.host.c_str())) != 1) {
      return Status::Internal("the server name could not be set for TLS");
    }
    stream_->set_verify_callback(ssl::host_name_verification(options_.host));
    ec = Run([&](auto done) { beast::get_lowest_layer(*stream_).async_connect(endpoints, done); });
    if (ec) return Lost("connecting", ec);
    ec = Run([&](auto done) { stream_->async_handshake(ssl::stream_base::client, done); });
    if (ec) {
      const long verify = SSL_get_verify_result(stream_->native_handle());
      stream_.reset();
      if (verify != X509_V_OK) {
        return Status::PermissionDenied(fmt::format(
            "the server's certificate is not trusted ({}): check the server address and --ca",
            X509_verify_cert_error_string(verify)));
      }
      if (ec.category() == net::error::get_ssl_category()) {
        return Status::PermissionDenied(fmt::format(
            "the TLS handshake with {}:{} failed ({}): check the server address, --ca and "
            "the client certificate",
            options_.host, options_.port, ec.message()));
      }
      return Status::IoError(fmt::format("the server {}:{} could not be reached (TLS: {})",
                                         options_.host, options_.port, ec.message()));
    }
    return Status::Ok();
  }

  Status Configure() {
    ssl_.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                     ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    SSL_CTX_set_min_proto_version(ssl_.native_handle(), TLS1_2_VERSION);
    ssl_.set_verify_mode(ssl::verify_peer);
    error_code ec;
    if (options_.ca_file.empty()) {
      ssl_.set_default_verify_paths(ec);
    } else {
      ssl_.load_verify_file(options_.ca_file.string(), ec);
    }
    if (ec) {
      return Status::InvalidArgument(fmt::format("--ca {}: not a PEM certificate ({})",
                                                 options_.ca_file.string(), ec.message()));
    }
    if (!options_.client_cert_file.empty()) {
      ssl_.use_certificate_chain_file(options_.client_cert_file.string(), ec);
      if (!ec) {
        ssl_.use_private_key_file(options_.client_key_file.string(), ssl::context::pem, ec);
      }
      if (ec) {
        return Status::InvalidArgument(
            fmt::format("the client certificate {} or its key could not be read ({})",
                        options_.client_cert_file.string(), ec.message()));
      }
    }
    return Status::Ok();
  }

  HttpsClientOptions options_;
  net::io_context ioc_;
  ssl::context ssl_;
  bool configured_ = false;
  std::unique_ptr<Stream> stream_;
};

HttpsClient::HttpsClient(HttpsClientOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}
HttpsClient::~HttpsClient() = default;

Result<HttpResponse> HttpsClient::Post(
    std::string_view target, std::string_view content_type, std::string body,
    const std::vector<std::pair<std::string, std::string>>& headers) {
  return impl_->Post(target, content_type, std::move(body), headers);
}

}  // namespace screening::internal
