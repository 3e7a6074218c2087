#include "https_server.h"

#include <openssl/ssl.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include <fmt/format.h>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace screening::server {
namespace {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;
using error_code = boost::system::error_code;

// One JSON line per event on stderr: never a header's value, a body or a query string.
void Log(const std::string& line) {
  static std::mutex mu;
  std::lock_guard lock(mu);
  std::fputs(line.c_str(), stderr);
  std::fputc('\n', stderr);
  std::fflush(stderr);
}

std::string JsonEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\u{:04x}", static_cast<int>(c));
    } else {
      out += c;
    }
  }
  return out;
}

std::string PathOnly(std::string_view target) {
  const auto q = target.find_first_of("?#");
  return std::string(target.substr(0, q));
}

}  // namespace

class HttpsServer::Impl {
 public:
  Impl(ServerOptions options, Handler handler)
      : options_(std::move(options)),
        handler_(std::move(handler)),
        strand_(net::make_strand(ioc_)),
        ssl_(ssl::context::tls_server),
        acceptor_(strand_),
        workers_(std::max<std::size_t>(1, options_.worker_threads)) {}

  Result<std::string> Start() {
    ssl_.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                     ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                     ssl::context::single_dh_use);
    SSL_CTX_set_min_proto_version(ssl_.native_handle(), TLS1_2_VERSION);
    SSL_CTX_set_cipher_list(ssl_.native_handle(),
                            "ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL:!eNULL:!MD5:!RC4");
    error_code ec;
    ssl_.use_certificate_chain_file(options_.cert_file.string(), ec);
    if (ec) {
      return Status::InvalidArgument(
          fmt::format("--cert {}: not a PEM certificate chain that can be read ({})",
                      options_.cert_file.string(), ec.message()));
    }
    ssl_.use_private_key_file(options_.key_file.string(), ssl::context::pem, ec);
    if (ec) {
      return Status::InvalidArgument(
          fmt::format("--key {}: not a PEM private key that can be read, or not the "
                      "certificate's ({})",
                      options_.key_file.string(), ec.message()));
    }
    const auto address = net::ip::make_address(options_.host, ec);
    if (ec) {
      return Status::InvalidArgument(
          fmt::format("--listen: {} is not an IP address", options_.host));
    }
    const tcp::endpoint endpoint(address, options_.port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
      return Status::IoError(
          fmt::format("--listen {}:{}: {}", options_.host, options_.port, ec.message()));
    }
    const tcp::endpoint bound = acceptor_.local_endpoint();
    Accept();
    return fmt::format("{}:{}", bound.address().to_string(), bound.port());
  }

  void Run() {
    std::thread second([this] { ioc_.run(); });
    ioc_.run();
    second.join();
    workers_.join();
  }

  void Stop() {
    net::post(strand_, [this] {
      if (stopping_) return;
      stopping_ = true;
      error_code ec;
      acceptor_.close(ec);
      CloseIdle();
      drain_ = std::make_unique<net::steady_timer>(strand_, options_.drain_timeout);
      drain_->async_wait([this](error_code) { ioc_.stop(); });
      MaybeFinish();
    });
  }

  class Connection;

  const ServerOptions& options() const { return options_; }
  bool stopping() const { return stopping_; }
  net::thread_pool& workers() { return workers_; }
  const Handler& handler() const { return handler_; }

  void Ended(std::uint64_t id) {
    net::post(strand_, [this, id] {
      connections_.erase(id);
      MaybeFinish();
    });
  }

 private:
  void Accept() {
    acceptor_.async_accept(net::make_strand(ioc_), [this](error_code ec, tcp::socket socket) {
      if (ec) {
        if (!stopping_) Accept();
        return;
      }
      if (connections_.size() >= options_.max_connections) {
        if (!refusing_) {
          Log(fmt::format(R"({{"event":"connection_limit","limit":{}}})",
                          options_.max_connections));
        }
        refusing_ = true;
        error_code ignored;
        socket.close(ignored);
      } else {
        refusing_ = false;
        Open(std::move(socket));
      }
      Accept();
    });
  }

  void Open(tcp::socket socket);
  void CloseIdle();
  void MaybeFinish() {
    if (stopping_ && connections_.empty() && drain_) {
      drain_->cancel();
      ioc_.stop();
    }
  }

  ServerOptions options_;
  Handler handler_;
  net::io_context ioc_;
  // The acceptor, the connection table and the stop run on this strand.
  net::strand<net::io_context::executor_type> strand_;
  ssl::context ssl_;
  tcp::acceptor acceptor_;
  net::thread_pool workers_;
  // Touched only on strand_.
  std::map<std::uint64_t, std::weak_ptr<Connection>> connections_;
  std::uint64_t next_id_ = 1;
  bool refusing_ = false;
  std::atomic<bool> stopping_{false};
  std::unique_ptr<net::steady_timer> drain_;
};

class HttpsServer::Impl::Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Impl& server, std::uint64_t id, tcp::socket socket, ssl::context& ctx)
      : server_(server), id_(id), stream_(std::move(socket), ctx) {
    error_code ec;
    const auto remote = beast::get_lowest_layer(stream_).socket().remote_endpoint(ec);
    if (!ec) peer_ = remote.address().to_string();
  }
  ~Connection() { server_.Ended(id_); }

  void Start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      beast::get_lowest_layer(self->stream_)
          .expires_after(self->server_.options().handshake_timeout);
      // Anything but a TLS ClientHello (plain HTTP included) fails here and is closed
      // without an HTTP answer.
      self->stream_.async_handshake(ssl::stream_base::server, [self](error_code ec) {
        if (ec) return self->Close();
        self->ReadHeader(self->server_.options().header_timeout);
      });
    });
  }

  // At Stop: a connection waiting for a request is closed; one whose call is in flight
  // finishes it first (its answer says Connection: close).
  void CloseIfIdle() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->busy_) self->Close();
    });
  }

 private:
  void ReadHeader(std::chrono::milliseconds timeout) {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_.options().max_header_bytes));
    parser_->body_limit(server_.options().max_body_bytes);
    beast::get_lowest_layer(stream_).expires_after(timeout);
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](error_code ec, std::size_t) { self->OnHeader(ec); });
  }

  void OnHeader(error_code ec) {
    if (ec == http::error::header_limit) return Refuse(431, "header too large");
    if (ec) return Close();
    busy_ = true;
    started_ = std::chrono::steady_clock::now();
    beast::get_lowest_layer(stream_).expires_after(server_.options().body_timeout);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](error_code read_ec, std::size_t) { self->OnBody(read_ec); });
  }

  void OnBody(error_code ec) {
    if (ec == http::error::body_limit) return Refuse(413, "body too large");
    if (ec) return Close();
    beast::get_lowest_layer(stream_).expires_never();
    const auto& msg = parser_->get();
    Request request;
    request.method = std::string(msg.method_string());
    request.target = PathOnly(std::string_view(msg.target().data(), msg.target().size()));
    request.content_type = std::string(msg[http::field::content_type]);
    request.accept = std::string(msg[http::field::accept]);
    request.authorization = std::string(msg[http::field::authorization]);
    request.body = msg.body();
    request.peer = peer_;
    keep_alive_ = msg.keep_alive();
    bytes_in_ = request.body.size();
    if (server_.stopping()) return Refuse(503, "the server is stopping");
    // The handler may block: it runs on a worker, and the answer comes back to this
    // connection's strand.
    net::post(server_.workers(), [self = shared_from_this(), request = std::move(request)] {
      Response response;
      try {
        response = self->server_.handler()(request);
      } catch (const std::exception&) {
        response = {500, "text/plain", "internal error\n"};
      }
      net::post(
          self->stream_.get_executor(),
          [self, response = std::move(response), path = request.target,
           method = request.method]() mutable { self->Write(std::move(response), method, path); });
    });
  }

  void Write(Response response, const std::string& method, const std::string& path) {
    res_ = {};
    res_.version(11);
    res_.result(static_cast<http::status>(response.status));
    res_.set(http::field::server, "screening-server");
    if (!response.content_type.empty()) res_.set(http::field::content_type, response.content_type);
    res_.set(http::field::cache_control, "no-store");
    res_.keep_alive(keep_alive_ && !server_.stopping());
    res_.body() = std::move(response.body);
    res_.prepare_payload();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started_)
                        .count();
    Log(fmt::format(
        R"({{"event":"request","peer":"{}","method":"{}","path":"{}","status":{},"ms":{},"bytes_in":{},"bytes_out":{}}})",
        JsonEscape(peer_), JsonEscape(method), JsonEscape(path), response.status, ms, bytes_in_,
        res_.body().size()));
    beast::get_lowest_layer(stream_).expires_after(server_.options().body_timeout);
    http::async_write(stream_, res_, [self = shared_from_this()](error_code ec, std::size_t) {
      self->busy_ = false;
      if (ec) return self->Close();
      if (!self->res_.keep_alive()) return self->Shutdown();
      self->ReadHeader(self->server_.options().idle_timeout);
    });
  }

  // An answer that ends the connection (the request was not read to its end).
  void Refuse(int status, const char* why) {
    keep_alive_ = false;
    busy_ = true;
    Write({status, "text/plain", std::string(why) + "\n"}, "-", "-");
  }

  void Shutdown() {
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(2));
    stream_.async_shutdown([self = shared_from_this()](error_code) { self->Close(); });
  }

  void Close() {
    error_code ec;
    beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_both, ec);
    beast::get_lowest_layer(stream_).close();
  }

  Impl& server_;
  std::uint64_t id_;
  beast::ssl_stream<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> res_;
  std::string peer_;
  bool keep_alive_ = false;
  bool busy_ = false;
  std::size_t bytes_in_ = 0;
  std::chrono::steady_clock::time_point started_;
};

void HttpsServer::Impl::Open(tcp::socket socket) {
  const std::uint64_t id = next_id_++;
  auto connection = std::make_shared<Connection>(*this, id, std::move(socket), ssl_);
  connections_[id] = connection;
  connection->Start();
}

void HttpsServer::Impl::CloseIdle() {
  for (auto& [id, weak] : connections_) {
    if (auto c = weak.lock()) c->CloseIfIdle();
  }
}

HttpsServer::HttpsServer(ServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}
HttpsServer::~HttpsServer() = default;
Result<std::string> HttpsServer::Start() { return impl_->Start(); }
void HttpsServer::Run() { impl_->Run(); }
void HttpsServer::Stop() { impl_->Stop(); }

}  // namespace screening::server
