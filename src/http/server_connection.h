#pragma once
// ServerConnection: one accepted client connection and the Exchange for its current
// request. Runs as a coroutine on its worker's io_context (single thread: no locking).
// Shared-owned (the session coroutine and any pending client-watch read hold it) so a
// cancelled read can never outlive it. Internal to http/.

#include <array>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/string_body.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "http/exchange.h"
#include "http/net.h"
#include "http/server.h"

namespace omni::http {

class ServerConnection;

// What a connection needs from its worker (owned by the worker, outlives connections).
struct WorkerContext {
  const ServerOptions* options = nullptr;
  const Handler* handler = nullptr;
  bool stopping = false;
  std::function<void(ServerConnection*)> on_open, on_close;
};

class ServerConnection final : public Exchange,
                               public std::enable_shared_from_this<ServerConnection> {
 public:
  ServerConnection(WorkerContext& ctx, tcp::socket socket);

  static net::awaitable<void> Run(std::shared_ptr<ServerConnection> self);
  // True while waiting for the next request (safe to close during shutdown).
  bool idle() const { return idle_; }
  // Closes the socket; the session coroutine then ends.
  void Close();

  // Exchange
  std::string_view Method() const override;
  std::string_view Target() const override;
  std::string_view Header(std::string_view name) const override;
  void ForEachHeader(
      const std::function<void(std::string_view, std::string_view)>& fn) const override;
  std::string& Body() override { return request().body(); }
  const std::string& RemoteAddress() const override { return remote_; }
  net::awaitable<bool> Respond(int status, std::string_view content_type, std::string_view body,
                               std::span<const HeaderPair> extra) override;
  net::awaitable<bool> BeginStream(int status, std::string_view content_type,
                                   std::span<const HeaderPair> extra, bool defer) override;
  net::awaitable<bool> WriteChunk(std::string_view data) override;
  net::awaitable<bool> WriteLastChunk(std::string_view data) override;
  net::awaitable<bool> EndStream() override;
  void WatchClient(std::function<void()> on_gone) override;
  void StopWatchingClient() override;
  bool ClientGone() const override { return gone_; }
  bool ResponseStarted() const override { return response_started_; }
  void SetResponseHeaders(std::span<const HeaderPair> headers) override {
    default_headers_ = headers;
  }

 private:
  using Request = bhttp::request<bhttp::string_body>;
  const Request& request() const { return parser_->get(); }
  Request& request() { return parser_->get(); }

  net::awaitable<void> Serve();
  net::awaitable<void> DrainUnreadRequest();
  net::awaitable<bool> ReadRequest();
  net::awaitable<void> SendError(int status, std::string_view message);
  void AppendHead(int status, std::string_view content_type, std::span<const HeaderPair> extra);
  net::awaitable<bool> WriteBuffers(const net::const_buffer* bufs, size_t n);
  // One gather write: the pending head (if any), then `data` as a chunk (if non-empty), then
  // the terminating chunk when `last`.
  net::awaitable<bool> WriteStreamPiece(std::string_view data, bool last);
  static void ArmWatch(std::shared_ptr<ServerConnection> self);

  WorkerContext& ctx_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::string remote_;
  std::string head_;  // response head, reused across requests
  bool idle_ = true;
  bool keep_alive_ = true;
  bool chunked_ = true;  // false for HTTP/1.0 clients: stream until close
  bool response_started_ = false;
  bool stream_open_ = false;
  bool head_pending_ = false;  // BeginStream(defer): head_ not written yet
  bool gone_ = false;
  bool watching_ = false;
  bool linger_ = false;
  uint64_t watch_gen_ = 0;
  std::array<char, 4096> watch_buf_;
  std::function<void()> on_gone_;
  std::span<const HeaderPair> default_headers_;
};

}  // namespace omni::http
