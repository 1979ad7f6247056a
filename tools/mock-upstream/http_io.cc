#include "http_io.h"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <cstdio>

namespace omni::mock {

net::awaitable<void> SleepMs(int64_t ms) {
  if (ms <= 0) co_return;
  net::steady_timer timer(co_await net::this_coro::executor);
  timer.expires_after(std::chrono::milliseconds(ms));
  auto [ec] = co_await timer.async_wait(kUseTuple);
  (void)ec;  // only cancellation at shutdown; nothing to do either way
}

std::string ChunkFrame(std::string_view data) {
  char size[24];
  int n = std::snprintf(size, sizeof(size), "%zx\r\n", data.size());
  std::string frame;
  frame.reserve(static_cast<size_t>(n) + data.size() + 2);
  frame.append(size, static_cast<size_t>(n));
  frame.append(data);
  frame.append("\r\n");
  return frame;
}

}  // namespace omni::mock
