#pragma once
// Exchange: one HTTP request and its response, as seen by handlers (gateway, admin).
// Keeps Beast out of everything above http/: handlers read the request through string
// views and answer either with one Respond() or with a chunked stream
// (BeginStream / WriteChunk / EndStream). Owned by the connection; valid for the duration
// of the handler coroutine only. Not thread-safe: used on its connection's worker thread.

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace omni::http {

using HeaderPair = std::pair<std::string_view, std::string_view>;

class Exchange {
 public:
  virtual ~Exchange() = default;

  virtual std::string_view Method() const = 0;
  virtual std::string_view Target() const = 0;  // path + query, as received
  std::string_view Path() const {
    auto t = Target();
    return t.substr(0, t.find('?'));
  }
  std::string_view Query() const {
    auto t = Target();
    auto q = t.find('?');
    return q == std::string_view::npos ? std::string_view() : t.substr(q + 1);
  }
  // Case-insensitive header lookup; empty when absent.
  virtual std::string_view Header(std::string_view name) const = 0;
  // Calls fn(name, value) for every request header.
  virtual void ForEachHeader(
      const std::function<void(std::string_view, std::string_view)>& fn) const = 0;
  // The request body. Mutable so handlers can parse it in place.
  virtual std::string& Body() = 0;
  virtual const std::string& RemoteAddress() const = 0;

  // Sends a complete response. Returns false when the client is gone.
  virtual boost::asio::awaitable<bool> Respond(int status, std::string_view content_type,
                                               std::string_view body,
                                               std::span<const HeaderPair> extra = {}) = 0;
  // Starts a chunked response (SSE). Returns false when the client is gone. With `defer`, the
  // head is held back and sent in the same write as the first chunk (or the end): one syscall
  // instead of two when the first data is already at hand.
  virtual boost::asio::awaitable<bool> BeginStream(int status, std::string_view content_type,
                                                   std::span<const HeaderPair> extra = {},
                                                   bool defer = false) = 0;
  // Writes one chunk of a stream. Empty data is ignored. False when the client is gone.
  virtual boost::asio::awaitable<bool> WriteChunk(std::string_view data) = 0;
  // Writes the last chunk and ends the stream in one write.
  virtual boost::asio::awaitable<bool> WriteLastChunk(std::string_view data) = 0;
  virtual boost::asio::awaitable<bool> EndStream() = 0;

  // While the handler waits on something else (an upstream), watch the client socket and
  // call on_gone once if the client disconnects. Respond() stops the watch; a stream keeps it
  // until StopWatchingClient().
  virtual void WatchClient(std::function<void()> on_gone) = 0;
  virtual void StopWatchingClient() = 0;
  virtual bool ClientGone() const = 0;
  // True once a response (or stream start) was sent.
  virtual bool ResponseStarted() const = 0;
  // Headers added to this request's response, whoever sends it (e.g. security headers on
  // /api/*). The span must stay valid for the request: pass static storage.
  virtual void SetResponseHeaders(std::span<const HeaderPair> headers) = 0;
};

// Renders an error body for a request path (the API at that path decides the shape: OpenAI,
// Anthropic, Gemini). Used for errors raised below the handlers (404, 405, 413, ...).
using ErrorRenderer =
    std::function<std::string(std::string_view path, int status, std::string_view type,
                              std::string_view code, std::string_view message)>;

// The application entry point: one coroutine per request.
using Handler = std::function<boost::asio::awaitable<void>(Exchange&)>;

// Standard reason phrase for a status code ("OK", "Not Found", ...).
std::string_view ReasonPhrase(int status);

}  // namespace omni::http
