#pragma once
// The mock upstream's HTTP/1.1 server: accepts plain or TLS connections on one io_context,
// serves keep-alive requests with one coroutine per connection, records /v1 traffic and applies
// the fault script (delays via steady_timer, so one thread serves any number of concurrent
// requests). Endpoints: /v1/* and /v1beta/* (OpenAI chat and Responses, Anthropic, Gemini; see
// dialect.h) and /__mock/{requests,faults,stats}.
//
// Ownership: MockServer owns the acceptor, the TLS context and the MockState; connection
// coroutines reference the server, so it must outlive io_context::run(). Destroy it after the
// io_context has stopped; connection frames never touch the server while being destroyed.
// Thread-safety: none; every method and coroutine runs on the io_context's single thread.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <cstdint>
#include <memory>
#include <string>

#include "mock_state.h"

namespace omni::mock {

struct MockServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;     // 0: the kernel picks a free port
  std::string tls_cert;  // PEM chain; with tls_key, serve HTTPS
  std::string tls_key;
  bool record = true;  // off for long benchmark runs, where the log would grow without bound
};

class MockServer {
 public:
  // Binds and listens; throws std::exception on a bad address, a busy port or unreadable TLS
  // files (a startup error, reported by main).
  MockServer(boost::asio::io_context& io, const MockServerOptions& options);
  MockServer(const MockServer&) = delete;
  MockServer& operator=(const MockServer&) = delete;

  uint16_t port() const { return port_; }

  // Starts accepting connections on the io_context.
  void Start();
  // Stops accepting; open connections end when the io_context stops.
  void Stop();

 private:
  boost::asio::awaitable<void> AcceptLoop();
  boost::asio::awaitable<void> RunPlain(boost::asio::ip::tcp::socket socket);
  boost::asio::awaitable<void> RunTls(boost::asio::ip::tcp::socket socket);
  template <class Stream>
  boost::asio::awaitable<void> Serve(Stream& stream);

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::unique_ptr<boost::asio::ssl::context> tls_;  // null: plain HTTP
  uint16_t port_ = 0;
  MockState state_;
};

}  // namespace omni::mock
