#include "http_client.h"

#include <sys/socket.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cctype>
#include <cerrno>
#include <optional>

namespace omni::testing {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = net::ssl;
using Tcp = net::ip::tcp;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

constexpr uint32_t kHeaderLimit = 64 * 1024;

std::string Lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

template <class Fields>
HeaderMap ToHeaderMap(const Fields& fields) {
  HeaderMap out;
  for (const auto& field : fields) {
    auto [it, inserted] = out.try_emplace(Lowercase(field.name_string()), field.value());
    if (!inserted) {
      it->second += ", ";
      it->second += field.value();
    }
  }
  return out;
}

}  // namespace

std::string HttpResponse::Header(std::string_view name) const {
  auto it = headers.find(Lowercase(name));
  return it == headers.end() ? "" : it->second;
}

struct HttpClient::Impl {
  std::string host;
  uint16_t port = 0;
  HttpClientOptions options;
  net::io_context io{1};
  std::unique_ptr<ssl::context> tls_context;
  std::unique_ptr<beast::tcp_stream> plain;  // exactly one of plain/tls while connected
  std::unique_ptr<TlsStream> tls;
  beast::flat_buffer buffer;
  int connections = 0;

  bool connected() const { return plain != nullptr || tls != nullptr; }
  beast::tcp_stream& lowest() { return tls ? beast::get_lowest_layer(*tls) : *plain; }

  // Runs one asynchronous operation to completion on the private io_context. The tcp_stream's
  // expiry bounds it: on timeout Beast closes the socket and the operation fails.
  template <class Start>
  beast::error_code Run(beast::tcp_stream& stream, std::chrono::milliseconds timeout,
                        Start&& start) {
    beast::error_code result = net::error::would_block;
    stream.expires_after(timeout);
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    io.restart();
    io.run();
    return result;
  }

  // Calls fn(stream) with the concrete stream type.
  template <class Fn>
  beast::error_code WithStream(Fn&& fn) {
    if (tls) return fn(*tls);
    return fn(*plain);
  }

  void Close() {
    if (connected()) {
      beast::error_code ec;
      lowest().socket().close(ec);  // no TLS close_notify: tests never need it and it can block
    }
    tls.reset();
    plain.reset();
    buffer.clear();
  }

  // True if the server closed the idle connection since the last exchange (EOF pending).
  bool Stale() {
    int fd = lowest().socket().native_handle();
    char c;
    ssize_t n = ::recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n == 0) return true;
    if (n < 0) return errno != EAGAIN && errno != EWOULDBLOCK;
    return false;  // pending bytes (e.g. TLS 1.3 session tickets) are not a reason to reconnect
  }

  std::string Connect() {
    Close();
    Tcp::resolver resolver(io);
    beast::error_code ec;
    auto endpoints = resolver.resolve(host, std::to_string(port), ec);
    if (ec) return "resolve " + host + ": " + ec.message();
    auto stream = std::make_unique<beast::tcp_stream>(io);
    ec = Run(*stream, options.timeout,
             [&](auto handler) { stream->async_connect(endpoints, std::move(handler)); });
    if (ec) return "connect: " + ec.message();
    ++connections;
    stream->socket().set_option(Tcp::no_delay(true), ec);
    if (!options.tls) {
      plain = std::move(stream);
      return "";
    }
    auto secure = std::make_unique<TlsStream>(std::move(*stream), *tls_context);
    const std::string& name = options.tls_host.empty() ? host : options.tls_host;
    SSL_set_tlsext_host_name(secure->native_handle(), name.c_str());
    secure->set_verify_mode(ssl::verify_peer);
    secure->set_verify_callback(ssl::host_name_verification(name));
    ec = Run(beast::get_lowest_layer(*secure), options.timeout, [&](auto handler) {
      secure->async_handshake(ssl::stream_base::client, std::move(handler));
    });
    if (ec) return "tls handshake: " + ec.message();
    tls = std::move(secure);
    return "";
  }

  std::string EnsureConnected() {
    if (connected() && Stale()) Close();
    return connected() ? "" : Connect();
  }

  http::request<http::string_body> Build(std::string_view method, std::string_view target,
                                         std::string_view body, const HeaderList& headers) {
    http::request<http::string_body> req;
    http::verb verb = http::string_to_verb(method);
    if (verb == http::verb::unknown) {
      req.method_string(method);
    } else {
      req.method(verb);
    }
    req.target(target);
    req.version(11);
    req.set(http::field::host, host + ":" + std::to_string(port));
    req.set(http::field::user_agent, "omni-test-client");
    if (!body.empty()) req.set(http::field::content_type, "application/json");
    req.body() = std::string(body);
    req.prepare_payload();
    for (const auto& [name, value] : options.default_headers) req.set(name, value);
    for (const auto& [name, value] : headers) {
      // The first occurrence replaces a default (Host, Content-Type); repeats add fields.
      bool seen = false;
      for (const auto& [prior, unused] : headers) {
        if (&prior == &name) break;
        if (Lowercase(prior) == Lowercase(name)) seen = true;
      }
      if (seen) {
        req.insert(name, value);
      } else {
        req.set(name, value);
      }
    }
    return req;
  }

  beast::error_code Write(http::request<http::string_body>& req) {
    return WithStream([&](auto& stream) {
      return Run(lowest(), options.timeout,
                 [&](auto handler) { http::async_write(stream, req, std::move(handler)); });
    });
  }
};

HttpClient::HttpClient(std::string host, uint16_t port, HttpClientOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->host = std::move(host);
  impl_->port = port;
  impl_->options = std::move(options);
  if (impl_->options.tls) {
    impl_->tls_context = std::make_unique<ssl::context>(ssl::context::tls_client);
    if (impl_->options.ca_file.empty()) {
      impl_->tls_context->set_default_verify_paths();
    } else {
      impl_->tls_context->load_verify_file(impl_->options.ca_file);
    }
  }
}

HttpClient::~HttpClient() {
  if (impl_) impl_->Close();
}
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

void HttpClient::Close() { impl_->Close(); }
int HttpClient::connections_opened() const { return impl_->connections; }
void HttpClient::set_timeout(std::chrono::milliseconds timeout) {
  impl_->options.timeout = timeout;
}

HttpResponse HttpClient::Request(std::string_view method, std::string_view target,
                                 std::string_view body, const HeaderList& headers) {
  HttpResponse out;
  out.error = impl_->EnsureConnected();
  if (!out.error.empty()) return out;
  http::request<http::string_body> req = impl_->Build(method, target, body, headers);
  if (beast::error_code ec = impl_->Write(req)) {
    impl_->Close();
    out.error = "write: " + ec.message();
    return out;
  }
  http::response_parser<http::string_body> parser;
  parser.header_limit(kHeaderLimit);
  parser.body_limit(boost::none);
  if (req.method() == http::verb::head) parser.skip(true);
  beast::error_code ec = impl_->WithStream([&](auto& stream) {
    return impl_->Run(impl_->lowest(), impl_->options.timeout, [&](auto handler) {
      http::async_read(stream, impl_->buffer, parser, std::move(handler));
    });
  });
  // Whatever arrived is reported even on failure: a truncated answer is a test observation.
  if (parser.is_header_done()) {
    out.status = static_cast<int>(parser.get().result_int());
    out.headers = ToHeaderMap(parser.get());
  }
  out.body = std::move(parser.get().body());
  if (ec) {
    impl_->Close();
    out.error = "read: " + ec.message();
    return out;
  }
  if (!parser.get().keep_alive()) impl_->Close();
  return out;
}

StreamResult HttpClient::StreamRequest(std::string_view method, std::string_view target,
                                       std::string_view body, const HeaderList& headers,
                                       const OnHeaders& on_headers, const OnData& on_data) {
  StreamResult out;
  out.error = impl_->EnsureConnected();
  if (!out.error.empty()) return out;
  http::request<http::string_body> req = impl_->Build(method, target, body, headers);
  if (beast::error_code ec = impl_->Write(req)) {
    impl_->Close();
    out.error = "write: " + ec.message();
    return out;
  }
  http::response_parser<http::buffer_body> parser;
  parser.header_limit(kHeaderLimit);
  parser.body_limit(boost::none);
  beast::error_code ec = impl_->WithStream([&](auto& stream) {
    return impl_->Run(impl_->lowest(), impl_->options.timeout, [&](auto handler) {
      http::async_read_header(stream, impl_->buffer, parser, std::move(handler));
    });
  });
  if (ec) {
    impl_->Close();
    out.error = "read header: " + ec.message();
    return out;
  }
  out.status = static_cast<int>(parser.get().result_int());
  out.headers = ToHeaderMap(parser.get());
  if (on_headers) on_headers(out.status, out.headers);
  char chunk[16384];
  while (!parser.is_done()) {
    parser.get().body().data = chunk;
    parser.get().body().size = sizeof(chunk);
    // read_some, not read: hand each piece over as soon as it arrives instead of filling the
    // buffer first (time-to-first-token tests depend on it).
    ec = impl_->WithStream([&](auto& stream) {
      return impl_->Run(impl_->lowest(), impl_->options.timeout, [&](auto handler) {
        http::async_read_some(stream, impl_->buffer, parser, std::move(handler));
      });
    });
    if (ec == http::error::need_buffer) ec = {};
    size_t n = sizeof(chunk) - parser.get().body().size;
    if (n > 0) {
      std::string_view piece(chunk, n);
      out.body.append(piece);
      if (on_data && !on_data(piece)) {
        out.stopped = true;
        impl_->Close();
        return out;
      }
    }
    if (ec) {
      impl_->Close();
      out.error = "read body: " + ec.message();
      return out;
    }
  }
  out.complete = true;
  if (!parser.get().keep_alive()) impl_->Close();
  return out;
}

std::string HttpClient::SendRaw(std::string_view bytes, std::chrono::milliseconds timeout) {
  std::string received;
  if (!impl_->Connect().empty()) return received;
  const std::string data(bytes);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  beast::error_code ec = impl_->WithStream([&](auto& stream) {
    return impl_->Run(impl_->lowest(), timeout, [&](auto handler) {
      net::async_write(stream, net::buffer(data), std::move(handler));
    });
  });
  char chunk[16384];
  while (!ec) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    size_t n = 0;
    ec = impl_->WithStream([&](auto& stream) {
      return impl_->Run(impl_->lowest(), left, [&](auto handler) {
        stream.async_read_some(net::buffer(chunk), [&n, handler = std::move(handler)](
                                                       beast::error_code e, size_t got) mutable {
          n = got;
          handler(e, got);
        });
      });
    });
    received.append(chunk, n);
  }
  impl_->Close();
  return received;
}

}  // namespace omni::testing
