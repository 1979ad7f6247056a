#pragma once
// Blocking HTTP/1.1 client for integration tests (Beast underneath, hidden behind a pimpl so test
// files do not pay Beast's compile time). Keep-alive by default, optional TLS with a CA file, a
// timeout on every blocking step (default 30 s) so a server bug fails a test instead of hanging
// it. Transport failures are values (HttpResponse::error), not exceptions, because tests assert
// on them: "the connection was dropped" is often the expected outcome.
//
// Includes raw_exchange.h (byte-level tests: malformed HTTP) and sse_parser.h (event streams),
// so test files need only this header.
//
// Ownership: an HttpClient owns its connection (opened lazily, reopened after the server closed
// it). Thread-safety: none; use one HttpClient per thread.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "raw_exchange.h"
#include "sse_parser.h"

namespace omni::testing {

// Request headers in sending order (repeats allowed).
using HeaderList = std::vector<std::pair<std::string, std::string>>;
// Response headers: lowercase names; repeated headers joined with ", ".
using HeaderMap = std::map<std::string, std::string>;

struct HttpResponse {
  int status = 0;  // 0 when no (complete) response arrived; see `error`
  HeaderMap headers;
  std::string body;
  std::string error;  // transport or parse failure; empty on success

  // Header value by case-insensitive name, "" when absent.
  std::string Header(std::string_view name) const;
};

struct StreamResult {
  int status = 0;
  HeaderMap headers;
  std::string body;       // every byte handed to on_data (de-chunked)
  bool complete = false;  // the message ended properly (last chunk / full Content-Length)
  bool stopped = false;   // on_data returned false and the client dropped the connection
  std::string error;      // transport failure (e.g. the server closed mid-stream)
};

struct HttpClientOptions {
  bool tls = false;
  std::string ca_file;   // PEM trust anchors for TLS; empty = the system store
  std::string tls_host;  // name sent as SNI and verified; default: the host argument
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};  // per connect/write/read step
  HeaderList
      default_headers;  // sent with every request (a request's own header of the same name wins)
};

class HttpClient {
 public:
  using OnHeaders = std::function<void(int status, const HeaderMap& headers)>;
  // Receives body pieces as they arrive; return false to disconnect abruptly.
  using OnData = std::function<bool(std::string_view piece)>;

  HttpClient(std::string host, uint16_t port, HttpClientOptions options = {});
  ~HttpClient();
  HttpClient(HttpClient&&) noexcept;
  HttpClient& operator=(HttpClient&&) noexcept;

  // One request/response exchange on the keep-alive connection. A non-empty body without a
  // Content-Type header is sent as application/json.
  HttpResponse Request(std::string_view method, std::string_view target, std::string_view body = "",
                       const HeaderList& headers = {});
  HttpResponse Get(std::string_view target, const HeaderList& headers = {}) {
    return Request("GET", target, "", headers);
  }
  HttpResponse Post(std::string_view target, std::string_view body,
                    const HeaderList& headers = {}) {
    return Request("POST", target, body, headers);
  }

  // Like Request, but hands the body to on_data piece by piece as it arrives (SSE, slow bodies).
  // Either callback may be empty.
  StreamResult StreamRequest(std::string_view method, std::string_view target,
                             std::string_view body, const HeaderList& headers,
                             const OnHeaders& on_headers, const OnData& on_data);

  // Writes raw bytes on a fresh connection (TLS if configured), then returns whatever comes back
  // until the server closes or `timeout` passes. The connection is closed afterwards.
  std::string SendRaw(std::string_view bytes, std::chrono::milliseconds timeout);

  // Drops the connection (the next request reconnects).
  void Close();
  // TCP connections opened so far (keep-alive tests).
  int connections_opened() const;
  void set_timeout(std::chrono::milliseconds timeout);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace omni::testing
