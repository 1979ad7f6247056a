#pragma once
// Small Beast/Asio I/O helpers shared by the mock's connection loop and its /v1 handler. They
// work on a plain tcp::socket and on an ssl::stream over one (the two Stream types the mock
// instantiates). All helpers report failure as values: the mock never throws on the data path.
//
// Coroutine helpers take every argument by reference to a caller-owned named object; GCC 12
// mishandles temporaries with non-trivial destructors inside co_await expressions.
//
// Thread-safety: use from the connection's own coroutine only.

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace omni::mock {

namespace net = boost::asio;
namespace http = boost::beast::http;
using Tcp = net::ip::tcp;
using TlsStream = net::ssl::stream<Tcp::socket>;
using Request = http::request<http::string_body>;

inline constexpr auto kUseTuple = net::as_tuple(net::use_awaitable);

// A complete non-stream answer.
struct Reply {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::map<std::string, std::string> headers;  // set after content_type, so they can override
};

// Waits on a steady_timer (never blocks the thread). Returns at once for ms <= 0.
net::awaitable<void> SleepMs(int64_t ms);

// "<hex size>\r\n<data>\r\n": one HTTP/1.1 chunk.
std::string ChunkFrame(std::string_view data);

// Closes the TCP connection at once, without TLS close_notify or a final chunk, so the peer sees
// the stream end mid-message.
template <class Stream>
void Abort(Stream& stream) {
  boost::system::error_code ec;
  boost::beast::get_lowest_layer(stream).close(ec);
}

// Orderly end of a keep-alive connection: FIN after the last response.
template <class Stream>
void CloseGracefully(Stream& stream) {
  boost::system::error_code ec;
  auto& socket = boost::beast::get_lowest_layer(stream);
  socket.shutdown(Tcp::socket::shutdown_send, ec);
  socket.close(ec);
}

template <class Stream>
net::awaitable<boost::system::error_code> WriteAll(Stream& stream, const std::string& bytes) {
  auto [ec, written] = co_await net::async_write(stream, net::buffer(bytes), kUseTuple);
  (void)written;
  co_return ec;
}

// Writes `reply` as the answer to `request`. Returns whether the connection stays usable
// (written and keep-alive).
template <class Stream>
net::awaitable<bool> WriteReply(Stream& stream, const Request& request, const Reply& reply) {
  http::response<http::string_body> res;
  res.version(request.version());
  res.result(static_cast<unsigned>(reply.status));
  res.set(http::field::server, "omni-mock-upstream");
  res.set(http::field::content_type, reply.content_type);
  res.keep_alive(request.keep_alive());
  for (const auto& [name, value] : reply.headers) res.set(name, value);
  res.body() = reply.body;
  res.prepare_payload();
  auto [ec, written] = co_await http::async_write(stream, res, kUseTuple);
  (void)written;
  co_return !ec && res.keep_alive();
}

}  // namespace omni::mock
