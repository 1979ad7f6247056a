#pragma once
// Shared Asio/Beast aliases for http/ implementation files. Only included by .cc files in
// http/ and tools/, never by headers above http/ (keeps Beast out of the rest).
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace omni::http {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = boost::asio::ip::tcp;
// Completion token: errors come back as values (no exceptions on the data path).
inline constexpr auto kUseTuple = net::as_tuple(net::use_awaitable);
}  // namespace omni::http
