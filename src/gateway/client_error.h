#pragma once
// Errors to clients in their own API's shape (OpenAI, Anthropic, Gemini, Responses), with the
// status that format uses. Every /v1* failure goes through here.
#include <boost/asio/awaitable.hpp>
#include <span>

#include "core/result.h"
#include "formats/ir.h"
#include "http/exchange.h"

namespace omni::gateway {

// `error` by value: callers may pass a temporary to this lazily started coroutine.
boost::asio::awaitable<void> SendClientError(http::Exchange& ex, formats::Format format,
                                             Error error,
                                             std::span<const http::HeaderPair> extra = {});

// The client format implied by a path (for errors raised before routing, e.g. 404/413).
formats::Format FormatForPath(std::string_view path);

}  // namespace omni::gateway
