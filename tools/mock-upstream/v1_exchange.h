#pragma once
// Answers one /v1 or /v1beta request: records it, applies the first matching fault rule (delay,
// error status, garbage, dropped connection, chunk pacing, scripted answer shape) and otherwise
// plays a well-behaved provider in the format the endpoint implies (dialect.h): OpenAI chat,
// OpenAI Responses, Anthropic Messages or Gemini, non-stream or SSE.
//
// Ownership: borrows the stream, the request and the state for the duration of the call.
// Thread-safety: single-threaded, like the rest of the mock.

#include <boost/asio/awaitable.hpp>

#include "http_io.h"
#include "mock_state.h"

namespace omni::mock {

// Returns whether the connection can serve another request (false after an abrupt close, a
// write failure or a non-keep-alive exchange). Instantiated for Tcp::socket and TlsStream.
template <class Stream>
net::awaitable<bool> ServeV1(Stream& stream, const Request& request, MockState& state);

}  // namespace omni::mock
