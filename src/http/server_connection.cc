#include "http/server_connection.h"

#include <boost/asio/ip/tcp.hpp>
#include <cstdio>

#include "core/json_text.h"

namespace omni::http {
namespace {

bool IsTimeout(const beast::error_code& ec) { return ec == beast::error::timeout; }

constexpr size_t kBufferSlack = 4096;  // room for a pipelined request's start after a header

void AppendHeaderLines(std::string& out, std::span<const HeaderPair> headers) {
  for (const auto& [name, value] : headers) {
    out.append(name);
    out.append(": ");
    out.append(value);
    out.append("\r\n");
  }
}

}  // namespace

ServerConnection::ServerConnection(WorkerContext& ctx, tcp::socket socket)
    : ctx_(ctx),
      stream_(std::move(socket)),
      // Beast enforces header_limit only while a header is incomplete: a whole oversized header
      // that arrives in one read would pass. Capping the read buffer makes the limit hold.
      buffer_(ctx.options->max_header_bytes + kBufferSlack) {
  beast::error_code ec;
  auto ep = stream_.socket().remote_endpoint(ec);
  if (!ec) {
    auto addr = ep.address();
    // Report IPv4-mapped IPv6 peers as plain IPv4 so access rules see one form.
    if (addr.is_v6() && addr.to_v6().is_v4_mapped())
      addr = net::ip::make_address_v4(net::ip::v4_mapped, addr.to_v6());
    remote_ = addr.to_string();
  }
  stream_.socket().set_option(tcp::no_delay(true), ec);
  head_.reserve(512);
}

void ServerConnection::Close() {
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
  stream_.socket().close(ec);
}

net::awaitable<void> ServerConnection::Run(std::shared_ptr<ServerConnection> self) {
  self->ctx_.on_open(self.get());
  co_await self->Serve();
  self->StopWatchingClient();
  beast::error_code ec;
  self->stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (self->linger_) co_await self->DrainUnreadRequest();
  self->stream_.socket().close(ec);
  self->ctx_.on_close(self.get());
}

// After an early error answer (413/431/400) the client may still be sending its request.
// Closing now would make the kernel reset the connection and the client would never read
// our answer, so read and discard for a bounded time first (nginx's "lingering close").
net::awaitable<void> ServerConnection::DrainUnreadRequest() {
  constexpr size_t kMaxDrain = 64u << 20;
  size_t drained = 0;
  stream_.expires_after(std::chrono::seconds(2));
  while (drained < kMaxDrain) {
    auto [ec, n] = co_await stream_.async_read_some(net::buffer(watch_buf_), kUseTuple);
    if (ec) break;
    drained += n;
  }
}

net::awaitable<void> ServerConnection::Serve() {
  for (;;) {
    const bool have_request = co_await ReadRequest();
    if (!have_request) co_return;
    co_await (*ctx_.handler)(*this);
    StopWatchingClient();
    if (gone_) co_return;
    if (!response_started_) {
      co_await SendError(500, "handler sent no response");
    } else if (stream_open_) {
      const bool ended = co_await EndStream();
      if (!ended) co_return;
    }
    if (!keep_alive_ || ctx_.stopping) co_return;
  }
}

// Reads the next request's header and body. On a protocol error answers with a JSON error
// and returns false (connection closes); on EOF / timeout returns false silently.
net::awaitable<bool> ServerConnection::ReadRequest() {
  const ServerOptions& opt = *ctx_.options;
  // Per-request state; reset before any early error answer can be sent.
  response_started_ = stream_open_ = gone_ = head_pending_ = false;
  default_headers_ = {};
  if (buffer_.size() == 0) {
    // Wait for the first byte of the next request: idle keep-alive time.
    idle_ = true;
    if (ctx_.stopping) co_return false;
    stream_.expires_after(std::chrono::milliseconds(opt.idle_timeout_ms));
    auto [ec, n] = co_await stream_.async_read_some(buffer_.prepare(4096), kUseTuple);
    idle_ = false;
    if (ec) co_return false;
    buffer_.commit(n);
  }
  idle_ = false;
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(opt.max_header_bytes));
  parser_->body_limit(opt.max_body_bytes);
  // Slow senders (slowloris) get a fixed budget for the whole header.
  stream_.expires_after(std::chrono::milliseconds(opt.header_timeout_ms));
  auto [hec, hn] = co_await bhttp::async_read_header(stream_, buffer_, *parser_, kUseTuple);
  if (hec) {
    keep_alive_ = false;
    if (hec == bhttp::error::header_limit || hec == bhttp::error::buffer_overflow) {
      const std::string msg =
          "request headers too large (limit " + std::to_string(opt.max_header_bytes) + " bytes)";
      co_await SendError(431, msg);
    } else if (hec == bhttp::error::body_limit) {
      const std::string msg =
          "request body too large (limit " + std::to_string(opt.max_body_bytes) + " bytes)";
      co_await SendError(413, msg);
    } else if (hec != bhttp::error::end_of_stream && hec != net::error::eof && !IsTimeout(hec) &&
               hec != net::error::operation_aborted && hec != net::error::connection_reset) {
      const std::string msg = "malformed HTTP request: " + hec.message();
      co_await SendError(400, msg);
    }
    co_return false;
  }
  auto& req = parser_->get();
  // Beast 1.81 checks header_limit only while the header is incomplete, so a header completed
  // by the read that crosses the limit slips through: measure it ourselves.
  size_t header_bytes = req.method_string().size() + req.target().size() + 12;
  for (const auto& f : req) header_bytes += f.name_string().size() + f.value().size() + 4;
  if (header_bytes > opt.max_header_bytes) {
    keep_alive_ = false;
    const std::string msg =
        "request headers too large (limit " + std::to_string(opt.max_header_bytes) + " bytes)";
    co_await SendError(431, msg);
    co_return false;
  }
  if (req[bhttp::field::expect] == "100-continue") {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    net::const_buffer b(kContinue.data(), kContinue.size());
    const bool sent = co_await WriteBuffers(&b, 1);
    if (!sent) co_return false;
  }
  if (!parser_->is_done()) {
    stream_.expires_after(std::chrono::milliseconds(opt.idle_timeout_ms));
    auto [bec, bn] = co_await bhttp::async_read(stream_, buffer_, *parser_, kUseTuple);
    if (bec) {
      keep_alive_ = false;
      if (bec == bhttp::error::body_limit) {
        const std::string msg =
            "request body too large (limit " + std::to_string(opt.max_body_bytes) + " bytes)";
        co_await SendError(413, msg);
      } else if (bec != net::error::eof && bec != bhttp::error::end_of_stream && !IsTimeout(bec) &&
                 bec != bhttp::error::partial_message) {
        const std::string msg = "malformed HTTP request body: " + bec.message();
        co_await SendError(400, msg);
      }
      co_return false;
    }
  }
  stream_.expires_never();
  keep_alive_ = req.keep_alive();
  chunked_ = req.version() >= 11;
  co_return true;
}

std::string_view ServerConnection::Method() const {
  auto m = request().method_string();
  return {m.data(), m.size()};
}

std::string_view ServerConnection::Target() const {
  auto t = request().target();
  return {t.data(), t.size()};
}

std::string_view ServerConnection::Header(std::string_view name) const {
  auto it = request().find(beast::string_view(name.data(), name.size()));
  if (it == request().end()) return {};
  auto v = it->value();
  return {v.data(), v.size()};
}

void ServerConnection::ForEachHeader(
    const std::function<void(std::string_view, std::string_view)>& fn) const {
  for (const auto& f : request()) {
    auto n = f.name_string();
    auto v = f.value();
    fn({n.data(), n.size()}, {v.data(), v.size()});
  }
}

void ServerConnection::AppendHead(int status, std::string_view content_type,
                                  std::span<const HeaderPair> extra) {
  head_.clear();
  head_.append("HTTP/1.1 ");
  head_.append(std::to_string(status));
  head_.push_back(' ');
  head_.append(ReasonPhrase(status));
  head_.append("\r\n");
  if (!content_type.empty()) {
    head_.append("Content-Type: ");
    head_.append(content_type);
    head_.append("\r\n");
  }
  AppendHeaderLines(head_, default_headers_);
  AppendHeaderLines(head_, extra);
  if (!keep_alive_ || ctx_.stopping) head_.append("Connection: close\r\n");
}

net::awaitable<bool> ServerConnection::WriteBuffers(const net::const_buffer* bufs, size_t n) {
  // A client that stops reading must not pin the connection forever.
  stream_.expires_after(std::chrono::milliseconds(ctx_.options->idle_timeout_ms));
  auto [ec, written] =
      co_await net::async_write(stream_, std::span<const net::const_buffer>(bufs, n), kUseTuple);
  stream_.expires_never();
  if (ec) {
    gone_ = true;
    co_return false;
  }
  co_return true;
}

net::awaitable<bool> ServerConnection::Respond(int status, std::string_view content_type,
                                               std::string_view body,
                                               std::span<const HeaderPair> extra) {
  if (response_started_ || gone_) co_return false;
  StopWatchingClient();
  response_started_ = true;
  if (ctx_.stopping) keep_alive_ = false;
  AppendHead(status, content_type, extra);
  head_.append("Content-Length: ");
  head_.append(std::to_string(body.size()));
  head_.append("\r\n\r\n");
  bool head_only = Method() == "HEAD";
  std::array<net::const_buffer, 2> bufs{net::buffer(head_),
                                        net::buffer(body.data(), head_only ? 0 : body.size())};
  co_return co_await WriteBuffers(bufs.data(), 2);
}

net::awaitable<bool> ServerConnection::BeginStream(int status, std::string_view content_type,
                                                   std::span<const HeaderPair> extra, bool defer) {
  if (response_started_ || gone_) co_return false;
  // The client watch (if any) stays armed: a stream may idle for minutes between events, and
  // a read can run alongside our writes.
  response_started_ = true;
  stream_open_ = true;
  if (!chunked_) keep_alive_ = false;  // HTTP/1.0: the end of the stream is the close
  AppendHead(status, content_type, extra);
  // Proxies (nginx) must not buffer a live stream.
  head_.append("Cache-Control: no-cache\r\nX-Accel-Buffering: no\r\n");
  if (chunked_) head_.append("Transfer-Encoding: chunked\r\n");
  head_.append("\r\n");
  head_pending_ = true;
  if (defer) co_return true;
  co_return co_await WriteStreamPiece({}, false);
}

net::awaitable<bool> ServerConnection::WriteStreamPiece(std::string_view data, bool last) {
  std::array<net::const_buffer, 5> bufs;
  size_t n = 0;
  if (head_pending_) {
    bufs[n++] = net::buffer(head_);
    head_pending_ = false;
  }
  std::array<char, 20> size_line;
  if (!data.empty()) {
    if (chunked_) {
      int len = std::snprintf(size_line.data(), size_line.size(), "%zx\r\n", data.size());
      bufs[n++] = net::buffer(size_line.data(), static_cast<size_t>(len));
    }
    bufs[n++] = net::buffer(data.data(), data.size());
    if (chunked_) bufs[n++] = net::buffer("\r\n", 2);
  }
  if (last) {
    stream_open_ = false;
    if (chunked_) bufs[n++] = net::buffer("0\r\n\r\n", 5);
  }
  if (n == 0) co_return true;
  co_return co_await WriteBuffers(bufs.data(), n);
}

net::awaitable<bool> ServerConnection::WriteChunk(std::string_view data) {
  if (!stream_open_ || gone_) co_return false;
  if (data.empty()) co_return true;
  co_return co_await WriteStreamPiece(data, false);
}

net::awaitable<bool> ServerConnection::WriteLastChunk(std::string_view data) {
  if (!stream_open_ || gone_) co_return false;
  co_return co_await WriteStreamPiece(data, true);
}

net::awaitable<bool> ServerConnection::EndStream() {
  if (!stream_open_ || gone_) co_return false;
  co_return co_await WriteStreamPiece({}, true);
}

net::awaitable<void> ServerConnection::SendError(int status, std::string_view message) {
  const char* code = status == 413   ? "request_too_large"
                     : status == 431 ? "headers_too_large"
                     : status == 500 ? "internal_error"
                                     : "bad_request";
  const char* type = status == 500 ? "server_error" : "invalid_request_error";
  // The path is known once the request line parsed (413 on the body, 500); not for 400/431.
  std::string_view path;
  if (parser_ && parser_->is_header_done()) path = Path();
  std::string body;
  if (ctx_.options->error_renderer) {
    body = ctx_.options->error_renderer(path, status, type, code, message);
  } else {
    body = "{\"error\":{\"message\":";
    AppendJsonQuoted(body, message);
    body += std::string(",\"type\":\"") + type + "\",\"code\":\"" + code + "\"}}";
  }
  keep_alive_ = keep_alive_ && status < 500;
  // The request was not read to its end: see DrainUnreadRequest.
  if (status == 400 || status == 413 || status == 431) linger_ = true;
  co_await Respond(status, "application/json", body, {});
}

void ServerConnection::WatchClient(std::function<void()> on_gone) {
  if (watching_ || gone_) return;
  on_gone_ = std::move(on_gone);
  watching_ = true;
  stream_.expires_never();
  ArmWatch(shared_from_this());
}

void ServerConnection::ArmWatch(std::shared_ptr<ServerConnection> self) {
  ServerConnection* c = self.get();
  const uint64_t gen = c->watch_gen_;
  // Any bytes that arrive (a pipelined request) stay in buffer_ for the next ReadRequest.
  // Reads into a side buffer: the main buffer may be re-prepared before a late completion.
  c->stream_.socket().async_read_some(
      net::buffer(c->watch_buf_),
      [self = std::move(self), gen](beast::error_code ec, size_t n) mutable {
        ServerConnection* conn = self.get();
        // A client that sends more than a request's worth while we work is dropped from the
        // buffer (prepare() would throw past the cap); its next read then fails cleanly.
        const bool fits = !ec && conn->buffer_.size() + n <= conn->buffer_.max_size();
        if (fits) {
          auto dst = conn->buffer_.prepare(n);
          net::buffer_copy(dst, net::buffer(conn->watch_buf_.data(), n));
          conn->buffer_.commit(n);
        } else if (!ec) {
          conn->keep_alive_ = false;  // bytes were dropped: no next request on this connection
        }
        if (gen != conn->watch_gen_) return;  // a stopped watch completing late
        if (!ec) {
          if (conn->watching_ && fits)
            ArmWatch(std::move(self));
          else
            conn->watching_ = false;
          return;
        }
        bool was_watching = conn->watching_;
        conn->watching_ = false;
        if (ec == net::error::operation_aborted || !was_watching) return;
        conn->gone_ = true;
        if (conn->on_gone_) {
          auto cb = std::move(conn->on_gone_);
          cb();
        }
      });
}

void ServerConnection::StopWatchingClient() {
  if (!watching_) return;
  watching_ = false;
  ++watch_gen_;
  on_gone_ = nullptr;
  beast::error_code ec;
  stream_.socket().cancel(ec);
}

}  // namespace omni::http
