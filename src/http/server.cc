#include "http/server.h"

#include <spdlog/spdlog.h>

#include <thread>
#include <unordered_set>
#include <vector>

#include "http/net.h"
#include "http/server_connection.h"

namespace omni::http {
namespace {

using ReusePort = net::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

// One event loop + acceptor + its connections. Everything here runs on the worker thread
// except Stop(), which posts onto it.
class Worker {
 public:
  Worker(const ServerOptions& options, const Handler& handler)
      : ioc_(1), acceptor_(ioc_), drain_timer_(ioc_) {
    ctx_.options = &options;
    max_open_ =
        static_cast<size_t>(std::max(1, options.max_connections / std::max(1, options.workers)));
    ctx_.handler = &handler;
    ctx_.on_open = [this](ServerConnection* c) { connections_.insert(c); };
    ctx_.on_close = [this](ServerConnection* c) {
      connections_.erase(c);
      if (ctx_.stopping && connections_.empty()) drain_timer_.cancel();
    };
  }

  Status Bind(const tcp::endpoint& ep) {
    beast::error_code ec;
    acceptor_.open(ep.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.set_option(ReusePort(true), ec);
    if (!ec) acceptor_.bind(ep, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
      return Error::Internal("cannot listen on " + ep.address().to_string() + ":" +
                             std::to_string(ep.port()) + ": " + ec.message());
    }
    return {};
  }
  int BoundPort() const {
    beast::error_code ec;
    return acceptor_.local_endpoint(ec).port();
  }

  void Start() {
    net::co_spawn(ioc_, Accept(this), net::detached);
    thread_ = std::thread([this] { ioc_.run(); });
  }

  void Stop(int drain_timeout_ms) {
    net::post(ioc_, [this, drain_timeout_ms] {
      ctx_.stopping = true;
      beast::error_code ec;
      acceptor_.close(ec);
      // Idle keep-alive connections go now; busy ones finish their request first.
      std::vector<ServerConnection*> idle;
      for (auto* c : connections_)
        if (c->idle()) idle.push_back(c);
      for (auto* c : idle) c->Close();
      if (connections_.empty()) return;
      drain_timer_.expires_after(std::chrono::milliseconds(drain_timeout_ms));
      drain_timer_.async_wait([this](beast::error_code ec) {
        if (ec) return;  // cancelled: everything drained in time
        spdlog::warn("shutdown: closing {} connection(s) still busy after the drain timeout",
                     connections_.size());
        std::vector<ServerConnection*> all(connections_.begin(), connections_.end());
        for (auto* c : all) c->Close();
      });
    });
  }

  void Join() {
    if (thread_.joinable()) thread_.join();
  }
  size_t open_connections() const { return open_count_.load(std::memory_order_relaxed); }

 private:
  static net::awaitable<void> Accept(Worker* w) {
    for (;;) {
      auto [ec, socket] = co_await w->acceptor_.async_accept(kUseTuple);
      if (ec) {
        if (w->ctx_.stopping || ec == net::error::operation_aborted) co_return;
        // Out of file descriptors or similar: back off briefly instead of spinning.
        spdlog::warn("accept failed: {}", ec.message());
        net::steady_timer t(w->ioc_, std::chrono::milliseconds(50));
        co_await t.async_wait(kUseTuple);
        continue;
      }
      // Connection limit (per worker share): refuse at once rather than degrade everyone.
      if (w->open_count_.load(std::memory_order_relaxed) >= w->max_open_) {
        beast::error_code ignored;
        socket.close(ignored);
        if (!w->warned_full_) spdlog::warn("connection limit reached: refusing new connections");
        w->warned_full_ = true;
        continue;
      }
      w->warned_full_ = false;
      auto conn = std::make_shared<ServerConnection>(w->ctx_, std::move(socket));
      w->open_count_.fetch_add(1, std::memory_order_relaxed);
      net::co_spawn(w->ioc_, RunCounted(w, std::move(conn)), net::detached);
    }
  }
  static net::awaitable<void> RunCounted(Worker* w, std::shared_ptr<ServerConnection> conn) {
    co_await ServerConnection::Run(std::move(conn));
    w->open_count_.fetch_sub(1, std::memory_order_relaxed);
  }

  net::io_context ioc_;
  tcp::acceptor acceptor_;
  net::steady_timer drain_timer_;
  WorkerContext ctx_;
  std::unordered_set<ServerConnection*> connections_;
  std::atomic<size_t> open_count_{0};
  size_t max_open_ = 4096;
  bool warned_full_ = false;
  std::thread thread_;
};

}  // namespace

class Server::Impl {
 public:
  Impl(ServerOptions options, Handler handler)
      : options_(std::move(options)), handler_(std::move(handler)) {}

  Status Start() {
    beast::error_code ec;
    auto address = net::ip::make_address(options_.host, ec);
    if (ec) {
      // A host name: resolve it once (e.g. "localhost").
      net::io_context tmp;
      tcp::resolver resolver(tmp);
      auto results = resolver.resolve(options_.host, "", ec);
      if (ec || results.empty())
        return Error::Internal("cannot resolve host \"" + options_.host + "\": " + ec.message());
      address = results.begin()->endpoint().address();
    }
    tcp::endpoint ep(address, static_cast<unsigned short>(options_.port));
    for (int i = 0; i < std::max(1, options_.workers); ++i) {
      auto w = std::make_unique<Worker>(options_, handler_);
      if (auto st = w->Bind(ep); !st.ok()) return st;
      // Port 0: the first acceptor picks the port, the others join it via SO_REUSEPORT.
      if (ep.port() == 0) ep.port(static_cast<unsigned short>(w->BoundPort()));
      workers_.push_back(std::move(w));
    }
    port_ = ep.port();
    for (auto& w : workers_) w->Start();
    return {};
  }

  void Stop() {
    if (stopped_.exchange(true)) return;
    for (auto& w : workers_) w->Stop(options_.drain_timeout_ms);
  }
  void Wait() {
    for (auto& w : workers_) w->Join();
  }
  size_t OpenConnections() const {
    size_t n = 0;
    for (auto& w : workers_) n += w->open_connections();
    return n;
  }
  int port() const { return port_; }

 private:
  ServerOptions options_;
  Handler handler_;
  std::vector<std::unique_ptr<Worker>> workers_;
  int port_ = 0;
  std::atomic<bool> stopped_{false};
};

Server::Server(ServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}
Server::~Server() {
  impl_->Stop();
  impl_->Wait();
}
Status Server::Start() { return impl_->Start(); }
int Server::port() const { return impl_->port(); }
void Server::Stop() { impl_->Stop(); }
void Server::Wait() { impl_->Wait(); }
size_t Server::OpenConnections() const { return impl_->OpenConnections(); }

}  // namespace omni::http
