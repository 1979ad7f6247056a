#include "mock_server.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <exception>
#include <iostream>

#include "http_io.h"
#include "v1_exchange.h"

namespace omni::mock {
namespace {

// Generous limits: the mock must accept whatever a gateway under test forwards (the gateway's
// own default body limit is 32 MB), and reject nothing a real provider would take.
constexpr uint32_t kHeaderLimit = 64 * 1024;
constexpr uint64_t kBodyLimit = 256ull * 1024 * 1024;
const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

// co_spawn completion: a connection coroutine should never throw, but if one does the mock
// keeps serving the others and says why on stderr.
void ReportFailure(std::exception_ptr error) {
  if (!error) return;
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    std::cerr << "mock-upstream: connection failed: " << e.what() << std::endl;
  }
}

Tcp::endpoint ResolveListenEndpoint(net::io_context& io, const MockServerOptions& options) {
  Tcp::resolver resolver(io);
  auto results = resolver.resolve(options.host, std::to_string(options.port),
                                  Tcp::resolver::passive | Tcp::resolver::numeric_service);
  return results.begin()->endpoint();  // resolve() throws rather than returning nothing
}

}  // namespace

MockServer::MockServer(net::io_context& io, const MockServerOptions& options)
    : io_(io), acceptor_(io), state_(options.record) {
  if (!options.tls_cert.empty() || !options.tls_key.empty()) {
    tls_ = std::make_unique<net::ssl::context>(net::ssl::context::tls_server);
    tls_->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                      net::ssl::context::no_sslv3);
    tls_->use_certificate_chain_file(options.tls_cert);
    tls_->use_private_key_file(options.tls_key, net::ssl::context::pem);
  }
  Tcp::endpoint endpoint = ResolveListenEndpoint(io, options);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(net::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(net::socket_base::max_listen_connections);
  port_ = acceptor_.local_endpoint().port();
}

void MockServer::Start() { net::co_spawn(io_, AcceptLoop(), ReportFailure); }

void MockServer::Stop() {
  boost::system::error_code ec;
  acceptor_.close(ec);
}

net::awaitable<void> MockServer::AcceptLoop() {
  for (;;) {
    Tcp::socket socket(io_);
    auto [ec] = co_await acceptor_.async_accept(socket, kUseTuple);
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) co_return;
    if (ec) {
      // Typically EMFILE under a connection storm: back off briefly instead of spinning.
      std::cerr << "mock-upstream: accept failed: " << ec.message() << std::endl;
      co_await SleepMs(10);
      continue;
    }
    state_.OnAccepted();
    boost::system::error_code opt_ec;
    // SSE events are small and must leave at once; Nagle would batch them.
    socket.set_option(Tcp::no_delay(true), opt_ec);
    if (tls_) {
      net::co_spawn(io_, RunTls(std::move(socket)), ReportFailure);
    } else {
      net::co_spawn(io_, RunPlain(std::move(socket)), ReportFailure);
    }
  }
}

net::awaitable<void> MockServer::RunPlain(Tcp::socket socket) { co_await Serve(socket); }

net::awaitable<void> MockServer::RunTls(Tcp::socket socket) {
  TlsStream stream(std::move(socket), *tls_);
  auto [ec] = co_await stream.async_handshake(net::ssl::stream_base::server, kUseTuple);
  if (ec) {
    // A client that rejects our certificate aborts the handshake; that is a test scenario,
    // not an error worth logging.
    Abort(stream);
    co_return;
  }
  co_await Serve(stream);
}

template <class Stream>
net::awaitable<void> MockServer::Serve(Stream& stream) {
  boost::beast::flat_buffer buffer;
  bool first_request = true;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(kHeaderLimit);
    parser.body_limit(kBodyLimit);
    // EOF, reset or an unparseable request: there is nobody to answer sensibly, so just close.
    auto [header_ec, header_bytes] =
        co_await http::async_read_header(stream, buffer, parser, kUseTuple);
    (void)header_bytes;
    if (header_ec) break;
    // curl and some SDKs send "Expect: 100-continue" for large bodies and stall a second
    // without the interim answer, which would distort latency measurements.
    if (boost::beast::iequals(parser.get()[http::field::expect], "100-continue")) {
      boost::system::error_code continue_ec = co_await WriteAll(stream, kContinue);
      if (continue_ec) break;
    }
    if (!parser.is_done()) {
      auto [body_ec, body_bytes] = co_await http::async_read(stream, buffer, parser, kUseTuple);
      (void)body_bytes;
      if (body_ec) break;
    }
    const Request request = parser.release();
    const std::string_view target = request.target();
    bool keep_alive = false;
    if (target.starts_with("/__mock/")) {
      if (first_request) state_.OnControlConnection();
      ControlResponse control =
          state_.HandleControl(request.method_string(), target, request.body());
      Reply reply;
      reply.status = control.status;
      reply.body = std::move(control.body);
      keep_alive = co_await WriteReply(stream, request, reply);
    } else if (target.starts_with("/v1/") || target == "/v1" || target.starts_with("/v1beta/")) {
      keep_alive = co_await ServeV1(stream, request, state_);
    } else {
      Reply reply;
      reply.status = 404;
      reply.body =
          "{\"error\":{\"message\":\"Not found\",\"type\":\"invalid_request_error\","
          "\"code\":\"not_found\"}}";
      keep_alive = co_await WriteReply(stream, request, reply);
    }
    first_request = false;
    if (!keep_alive) break;
  }
  CloseGracefully(stream);
}

}  // namespace omni::mock
