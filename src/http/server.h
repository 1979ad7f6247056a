#pragma once
// Server: the HTTP/1.1 listener. N worker threads, each with its own io_context and
// SO_REUSEPORT acceptor on the same port, so connections spread across cores with no shared
// queue. Each connection is a coroutine that parses requests (Beast) with header/body size
// limits and timeouts and hands each one to the Handler as an Exchange.
//
// Lifecycle: Start() binds and spawns workers; Stop() stops accepting, closes idle
// connections and lets in-flight requests finish until the drain timeout, then closes the
// rest; Wait() joins the workers. Start/Stop/Wait are called from one control thread.

#include <atomic>
#include <memory>
#include <string>

#include "core/result.h"
#include "http/exchange.h"

namespace omni::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0 = pick a free port (see Server::port())
  int workers = 1;
  size_t max_header_bytes = 16 << 10;
  size_t max_body_bytes = 32u << 20;
  int header_timeout_ms = 10'000;
  int idle_timeout_ms = 120'000;
  int drain_timeout_ms = 30'000;
  int max_connections = 4096;    // across all workers; beyond it new connections are closed
  ErrorRenderer error_renderer;  // optional: shapes 400/413/431/500 bodies by path
};

class Server {
 public:
  Server(ServerOptions options, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds every worker's acceptor and starts the worker threads.
  Status Start();
  // The bound port (after Start).
  int port() const;
  // Begins graceful shutdown; returns immediately. Safe to call from a signal-waiting thread.
  void Stop();
  // Blocks until every worker has finished.
  void Wait();
  // Connections currently open (all workers).
  size_t OpenConnections() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace omni::http
