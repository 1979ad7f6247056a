#pragma once
// UpstreamClient: HTTP/1.1 client for provider APIs. Keep-alive connection pool per worker
// thread (thread_local, so no locking), TLS with certificate + host name verification, and
// per-phase timeouts (connect, first byte, idle between chunks, total). A call can be
// aborted from a callback (client gone): its socket is closed and the connection is never
// pooled again. Response bodies are read piece by piece as they arrive (streams are never
// buffered whole).
//
// Usage (inside a coroutine on a Server worker):
//   UpstreamCall call;                     // Abort() may be called from now on
//   auto st = co_await call.Start(request);
//   if (!st.ok()) ...;  // Error with 502/504 and a message naming the cause
//   while (auto piece = co_await call.Read(); piece.ok() && !piece->empty()) ...

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "http/exchange.h"

namespace omni::http {

struct UpstreamTimeouts {
  int connect_ms = 10'000;
  int first_byte_ms = 300'000;
  int idle_ms = 300'000;
  int total_ms = 1'800'000;
};

// A parsed base URL such as https://api.openai.com/v1.
struct UpstreamUrl {
  bool tls = false;
  std::string host;
  uint16_t port = 0;
  std::string base_path;    // without trailing slash, e.g. "/v1"
  std::string host_header;  // host[:port] as sent in Host
};
Result<UpstreamUrl> ParseUpstreamUrl(std::string_view url);

struct UpstreamRequest {
  std::string_view method = "POST";
  const UpstreamUrl* url = nullptr;
  std::string_view path;                   // appended to url->base_path, e.g. "/chat/completions"
  std::span<const HeaderPair> headers;     // no Host / Content-Length (added here)
  std::span<const std::string_view> body;  // written as a gather sequence, no copy
  UpstreamTimeouts timeouts;
};

// Process-wide TLS settings for upstream connections; call once before serving.
// `extra_ca_file` (PEM) is trusted in addition to the system CAs.
Status ConfigureUpstreamTls(const std::string& extra_ca_file);

class UpstreamCall {
 public:
  // Connects (or reuses a pooled connection), sends the request and reads the response
  // head. Errors: 502 (connect, DNS, TLS, protocol), 504 (timeout), 499 when aborted.
  boost::asio::awaitable<Status> Start(const UpstreamRequest& request);

  UpstreamCall();
  UpstreamCall(UpstreamCall&&) noexcept;
  UpstreamCall& operator=(UpstreamCall&&) noexcept;
  ~UpstreamCall();  // returns the connection to the pool when the response was read whole

  int status() const;
  std::string_view Header(std::string_view name) const;
  void ForEachHeader(const std::function<void(std::string_view, std::string_view)>& fn) const;
  // The next piece of the body (transfer-decoded), empty at the end. The view is valid until
  // the next Read().
  boost::asio::awaitable<Result<std::string_view>> Read();
  // The whole body, failing with 502 beyond `limit` bytes.
  boost::asio::awaitable<Result<std::string>> ReadAll(size_t limit);
  // Closes the connection now; pending and later reads fail with status 499.
  void Abort();
  // The body was read to its end (the last Read() returned its last piece).
  bool done() const;
  // Body bytes already arrived with the head (so the first Read() will not wait).
  bool HasBufferedBody() const;

  // Test/metrics hook: connections opened by this thread's pool so far.
  static uint64_t ConnectionsOpenedOnThisThread();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace omni::http
