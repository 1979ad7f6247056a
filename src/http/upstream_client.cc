#include "http/upstream_client.h"

#include <openssl/err.h>
#include <sys/socket.h>

#include <boost/asio/ssl.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>
#include <chrono>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "http/net.h"

namespace omni::http {
namespace {

namespace ssl = net::ssl;
using Clock = std::chrono::steady_clock;
using Ms = std::chrono::milliseconds;
// Per worker and host. Generous: an idle connection costs a socket, while a too-small pool
// makes every burst above it pay a fresh connect (and TIME_WAIT) per request.
constexpr size_t kMaxIdlePerHost = 256;
// A connection idle for less than this is reused without probing it (a peek costs a syscall per
// request); servers close keep-alive connections after seconds, not milliseconds.
constexpr auto kProbeAfterIdle = std::chrono::seconds(2);
constexpr auto kMaxIdleAge = std::chrono::seconds(50);  // below common server keep-alive limits
constexpr size_t kPieceSize = 16 << 10;

// The TLS client context is built on first use, not at start: loading the system CA bundle
// costs ~1 MiB and a few ms, which a gateway that only talks to local or plain-HTTP upstreams
// never needs. Built once (call_once), then shared read-only by every worker.
struct TlsState {
  std::string extra_ca_file;
  std::once_flag once;
  std::unique_ptr<ssl::context> ctx;
  std::string error;
};

TlsState& Tls() {
  static TlsState state;
  return state;
}

ssl::context* TlsContext() {
  TlsState& t = Tls();
  std::call_once(t.once, [&t] {
    auto ctx = std::make_unique<ssl::context>(ssl::context::tls_client);
    beast::error_code ec;
    ctx->set_verify_mode(ssl::verify_peer, ec);
    ctx->set_default_verify_paths(ec);
    if (ec) {
      t.error = "cannot load system CA certificates: " + ec.message();
      return;
    }
    if (!t.extra_ca_file.empty()) {
      ctx->load_verify_file(t.extra_ca_file, ec);
      if (ec) {
        t.error = "cannot load CA file \"" + t.extra_ca_file + "\": " + ec.message();
        return;
      }
    }
    t.ctx = std::move(ctx);
  });
  return t.ctx.get();
}

// One upstream connection (plain or TLS) with its read buffer. Owned by the pool while
// idle and by an UpstreamCall while busy.
struct Connection {
  std::string key;
  std::optional<beast::tcp_stream> tcp;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls;
  beast::flat_buffer buffer;
  std::array<char, kPieceSize> piece;
  Clock::time_point idle_since;

  beast::tcp_stream& lowest() { return tls ? beast::get_lowest_layer(*tls) : *tcp; }
  // True when the peer closed (or sent unexpected bytes) while the connection sat idle.
  bool Stale() {
    char b;
    ssize_t n = ::recv(lowest().socket().native_handle(), &b, 1, MSG_PEEK | MSG_DONTWAIT);
    return !(n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
  }
};

struct Pool {
  std::unordered_map<std::string, std::vector<std::unique_ptr<Connection>>> idle;
  uint64_t opened = 0;

  std::unique_ptr<Connection> Take(const std::string& key) {
    auto it = idle.find(key);
    if (it == idle.end()) return nullptr;
    auto& list = it->second;
    while (!list.empty()) {
      auto c = std::move(list.back());
      list.pop_back();
      const auto idle = Clock::now() - c->idle_since;
      if (idle < kMaxIdleAge && (idle < kProbeAfterIdle || !c->Stale())) return c;
    }
    return nullptr;
  }
  void Put(std::unique_ptr<Connection> c) {
    auto& list = idle[c->key];
    if (list.size() >= kMaxIdlePerHost) return;  // dropping closes it
    c->idle_since = Clock::now();
    list.push_back(std::move(c));
  }
};

Pool& ThreadPool() {
  thread_local Pool pool;
  return pool;
}

Error Unreachable(const UpstreamUrl& url, std::string_view what, const beast::error_code& ec) {
  if (ec == beast::error::timeout)
    return {504, "upstream_error", "upstream_timeout",
            "upstream " + url.host_header + " timed out (" + std::string(what) + ")"};
  if (ec == net::error::operation_aborted)
    return {499, "upstream_error", "client_closed", "request aborted: the client went away"};
  return {
      502, "upstream_error", "upstream_unreachable",
      "upstream " + url.host_header + " unreachable (" + std::string(what) + "): " + ec.message()};
}

std::string TlsFailure(const beast::error_code& ec) {
  std::string msg = ec.message();
  if (ec.category() == net::error::get_ssl_category()) {
    char buf[256];
    ERR_error_string_n(static_cast<unsigned long>(ec.value()), buf, sizeof buf);
    msg = buf;
  }
  return msg;
}

}  // namespace

Status ConfigureUpstreamTls(const std::string& extra_ca_file) {
  Tls().extra_ca_file = extra_ca_file;  // before any worker starts; read once by TlsContext()
  return {};
}

Result<UpstreamUrl> ParseUpstreamUrl(std::string_view text) {
  auto parsed = boost::urls::parse_absolute_uri(boost::core::string_view(text.data(), text.size()));
  if (!parsed)
    return Error::InvalidRequest("invalid URL \"" + std::string(text) + "\"", "invalid_url");
  UpstreamUrl url;
  // scheme_id() compares case-insensitively: "HTTPS://" is the same scheme (RFC 3986 3.1).
  const boost::urls::scheme scheme = parsed->scheme_id();
  if (scheme == boost::urls::scheme::https)
    url.tls = true;
  else if (scheme != boost::urls::scheme::http)
    return Error::InvalidRequest(
        "URL \"" + std::string(text) + "\" must start with http:// or https://", "invalid_url");
  url.host = std::string(parsed->host_address());
  if (url.host.empty())
    return Error::InvalidRequest("URL \"" + std::string(text) + "\" has no host", "invalid_url");
  url.port = parsed->has_port() ? parsed->port_number() : (url.tls ? 443 : 80);
  if (url.port == 0)
    return Error::InvalidRequest("URL \"" + std::string(text) + "\" has an invalid port",
                                 "invalid_url");
  url.base_path = std::string(parsed->encoded_path());
  while (!url.base_path.empty() && url.base_path.back() == '/') url.base_path.pop_back();
  std::string host_for_header = std::string(parsed->encoded_host_and_port());
  url.host_header = host_for_header;
  return url;
}

class UpstreamCall::Impl {
 public:
  const UpstreamUrl* url = nullptr;
  std::unique_ptr<Connection> conn;
  std::optional<bhttp::response_parser<bhttp::buffer_body>> parser;
  UpstreamTimeouts timeouts;
  Clock::time_point deadline;
  bool aborted = false;
  bool failed = false;

  ~Impl() {
    if (conn && !aborted && !failed && parser && parser->is_done() && parser->keep_alive())
      ThreadPool().Put(std::move(conn));
  }

  Ms Budget(int phase_ms) const {
    auto left = std::chrono::duration_cast<Ms>(deadline - Clock::now());
    return std::max(Ms(1), std::min(left, Ms(phase_ms)));
  }

  net::awaitable<Result<void>> Connect() {
    auto ex = co_await net::this_coro::executor;
    conn = std::make_unique<Connection>();
    // Beast sizes each read by the buffer's free capacity (at least 512 bytes): an empty buffer
    // would read a 1 KB answer in 512-byte pieces, each relayed as its own write.
    conn->buffer.reserve(kPieceSize);
    conn->key = (url->tls ? "https://" : "http://") + url->host + ":" + std::to_string(url->port);
    tcp::resolver resolver(ex);
    auto [rec, results] =
        co_await resolver.async_resolve(url->host, std::to_string(url->port), kUseTuple);
    if (rec) co_return Unreachable(*url, "DNS lookup", rec);
    if (aborted) co_return Unreachable(*url, "", net::error::operation_aborted);
    if (url->tls) {
      ssl::context* tls = TlsContext();
      if (!tls)
        co_return Error{502, "upstream_error", "upstream_tls_error",
                        "TLS unavailable: " + Tls().error};
      conn->tls.emplace(ex, *tls);
    } else {
      conn->tcp.emplace(ex);
    }
    auto& low = conn->lowest();
    low.expires_after(Budget(timeouts.connect_ms));
    auto [cec, ep] = co_await low.async_connect(results, kUseTuple);
    if (cec) co_return Unreachable(*url, "connect", cec);
    beast::error_code ignored;
    low.socket().set_option(tcp::no_delay(true), ignored);
    ++ThreadPool().opened;
    if (url->tls) {
      if (!SSL_set_tlsext_host_name(conn->tls->native_handle(), url->host.c_str()))
        co_return Error{502, "upstream_error", "upstream_tls_error", "TLS setup failed (SNI)"};
      conn->tls->set_verify_callback(ssl::host_name_verification(url->host));
      low.expires_after(Budget(timeouts.connect_ms));
      auto [hec] = co_await conn->tls->async_handshake(ssl::stream_base::client, kUseTuple);
      if (hec) {
        if (hec == beast::error::timeout) co_return Unreachable(*url, "TLS handshake", hec);
        co_return Error{502, "upstream_error", "upstream_tls_error",
                        "TLS handshake with " + url->host_header + " failed: " + TlsFailure(hec)};
      }
    }
    co_return Result<void>();
  }

  template <class Stream>
  net::awaitable<Result<void>> Exchange(Stream& s, const std::string& head,
                                        std::span<const std::string_view> body) {
    std::vector<net::const_buffer> bufs;
    bufs.reserve(body.size() + 1);
    bufs.emplace_back(net::buffer(head));
    for (auto part : body) bufs.emplace_back(part.data(), part.size());
    auto& low = conn->lowest();
    low.expires_after(Budget(timeouts.idle_ms));
    auto [wec, n] = co_await net::async_write(s, bufs, kUseTuple);
    if (wec) co_return Unreachable(*url, "sending request", wec);
    parser.emplace();
    parser->header_limit(64 << 10);
    parser->body_limit(boost::none);
    low.expires_after(Budget(timeouts.first_byte_ms));
    auto [hec, hn] = co_await bhttp::async_read_header(s, conn->buffer, *parser, kUseTuple);
    if (hec) co_return Unreachable(*url, "waiting for response", hec);
    low.expires_never();
    co_return Result<void>();
  }

  net::awaitable<Result<void>> Send(const std::string& head,
                                    std::span<const std::string_view> body) {
    if (conn->tls) co_return co_await Exchange(*conn->tls, head, body);
    co_return co_await Exchange(*conn->tcp, head, body);
  }

  template <class Stream>
  net::awaitable<Result<std::string_view>> ReadPiece(Stream& s) {
    auto& low = conn->lowest();
    for (;;) {
      if (parser->is_done()) co_return std::string_view();
      auto& body = parser->get().body();
      body.data = conn->piece.data();
      body.size = conn->piece.size();
      low.expires_after(Budget(timeouts.idle_ms));
      auto [ec, n] = co_await bhttp::async_read_some(s, conn->buffer, *parser, kUseTuple);
      if (ec == bhttp::error::need_buffer) ec = {};
      if (aborted) ec = net::error::operation_aborted;
      if (ec) {
        failed = true;
        if (ec == net::error::operation_aborted) co_return Unreachable(*url, "", ec);
        if (ec == beast::error::timeout) co_return Unreachable(*url, "between stream chunks", ec);
        co_return Error{
            502, "upstream_error", "upstream_connection_lost",
            "connection to upstream " + url->host_header + " lost mid-response: " + ec.message()};
      }
      size_t got = conn->piece.size() - body.size;
      if (got > 0) {
        low.expires_never();
        co_return std::string_view(conn->piece.data(), got);
      }
    }
  }
};

UpstreamCall::UpstreamCall() : impl_(std::make_unique<Impl>()) {}
UpstreamCall::UpstreamCall(UpstreamCall&&) noexcept = default;
UpstreamCall& UpstreamCall::operator=(UpstreamCall&&) noexcept = default;
UpstreamCall::~UpstreamCall() = default;

net::awaitable<Status> UpstreamCall::Start(const UpstreamRequest& req) {
  Impl* impl = impl_.get();
  impl->url = req.url;
  impl->timeouts = req.timeouts;
  impl->deadline = Clock::now() + Ms(req.timeouts.total_ms);

  size_t body_size = 0;
  for (auto part : req.body) body_size += part.size();
  std::string head;
  head.reserve(256);
  head.append(req.method).append(" ").append(req.url->base_path).append(req.path);
  head.append(" HTTP/1.1\r\nHost: ").append(req.url->host_header).append("\r\n");
  for (const auto& [name, value] : req.headers)
    head.append(name).append(": ").append(value).append("\r\n");
  if (body_size > 0 || req.method == "POST" || req.method == "PUT" || req.method == "PATCH")
    head.append("Content-Length: ").append(std::to_string(body_size)).append("\r\n");
  head.append("\r\n");

  std::string key =
      (req.url->tls ? "https://" : "http://") + req.url->host + ":" + std::to_string(req.url->port);
  // A pooled connection may have been closed by the server just now; if it fails before any
  // response byte, retry once on a fresh connection (the request was not processed).
  for (int attempt = 0; attempt < 2; ++attempt) {
    impl->conn = attempt == 0 ? ThreadPool().Take(key) : nullptr;
    bool reused = impl->conn != nullptr;
    if (!reused) {
      auto connected = co_await impl->Connect();
      if (impl->aborted) connected = Unreachable(*req.url, "", net::error::operation_aborted);
      if (!connected.ok()) {
        impl->failed = true;
        co_return std::move(connected).error();
      }
    }
    auto sent = co_await impl->Send(head, req.body);
    if (impl->aborted) sent = Unreachable(*req.url, "", net::error::operation_aborted);
    if (sent.ok()) co_return Status();
    if (!reused || sent.error().status != 502) {
      impl->failed = true;
      co_return std::move(sent).error();
    }
    impl->conn.reset();
  }
  co_return Error::Internal("unreachable");
}

int UpstreamCall::status() const { return static_cast<int>(impl_->parser->get().result_int()); }

std::string_view UpstreamCall::Header(std::string_view name) const {
  const auto& msg = impl_->parser->get();
  auto it = msg.find(beast::string_view(name.data(), name.size()));
  if (it == msg.end()) return {};
  return {it->value().data(), it->value().size()};
}

void UpstreamCall::ForEachHeader(
    const std::function<void(std::string_view, std::string_view)>& fn) const {
  for (const auto& f : impl_->parser->get()) {
    auto n = f.name_string();
    fn({n.data(), n.size()}, {f.value().data(), f.value().size()});
  }
}

net::awaitable<Result<std::string_view>> UpstreamCall::Read() {
  if (impl_->aborted) co_return Unreachable(*impl_->url, "", net::error::operation_aborted);
  if (impl_->conn->tls) co_return co_await impl_->ReadPiece(*impl_->conn->tls);
  co_return co_await impl_->ReadPiece(*impl_->conn->tcp);
}

net::awaitable<Result<std::string>> UpstreamCall::ReadAll(size_t limit) {
  std::string out;
  if (auto len = impl_->parser->content_length(); len && *len <= limit) out.reserve(*len);
  for (;;) {
    auto piece = co_await Read();
    if (!piece.ok()) co_return std::move(piece).error();
    if (piece->empty()) co_return out;
    if (out.size() + piece->size() > limit) {
      impl_->failed = true;
      co_return Error{502, "upstream_error", "upstream_response_too_large",
                      "upstream response larger than " + std::to_string(limit) + " bytes"};
    }
    out.append(*piece);
  }
}

bool UpstreamCall::done() const { return impl_->parser && impl_->parser->is_done(); }

bool UpstreamCall::HasBufferedBody() const {
  return impl_->conn &&
         (impl_->conn->buffer.size() > 0 || (impl_->parser && impl_->parser->is_done()));
}

void UpstreamCall::Abort() {
  if (!impl_ || impl_->aborted) return;
  impl_->aborted = true;
  if (impl_->conn && (impl_->conn->tcp || impl_->conn->tls)) {
    beast::error_code ec;
    impl_->conn->lowest().socket().close(ec);
  }
}

uint64_t UpstreamCall::ConnectionsOpenedOnThisThread() { return ThreadPool().opened; }

}  // namespace omni::http
