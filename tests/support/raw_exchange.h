#pragma once
// Byte-level exchange over a plain TCP socket, for tests that must send what no HTTP client
// would (malformed requests, oversized headers, half-closed connections).
//
// Thread-safety: a free function with no shared state.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace omni::testing {

// Connects to host:port over plain TCP, sends `bytes` and returns everything received until
// the server closes the connection or `timeout` passes. With shutdown_write the client half-
// closes after sending (some servers answer only then). Throws std::runtime_error if it cannot
// connect.
std::string RawExchange(uint16_t port, std::string_view bytes,
                        std::chrono::milliseconds timeout = std::chrono::seconds(5),
                        bool shutdown_write = false, const std::string& host = "127.0.0.1");

}  // namespace omni::testing
