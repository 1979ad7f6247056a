#pragma once
// Gateway: the /v1/* request pipeline (see ARCHITECTURE.md "Life of a request"):
// sniff the body → resolve provider/model from the routing snapshot → send upstream
// (splicing the client's bytes with only "model" rewritten when formats match) → relay the
// answer (SSE piece by piece as it arrives) → note usage.
//
// Thread-safety: one Gateway serves all workers; it holds only immutable options and the
// SnapshotHolder (atomic). Per-request state lives in the handler coroutine.

#include <boost/asio/awaitable.hpp>

#include "core/clock.h"
#include "gateway/client_access.h"
#include "http/exchange.h"
#include "http/router.h"
#include "http/upstream_client.h"
#include "routing/routing_snapshot.h"

namespace omni::gateway {

struct GatewayOptions {
  http::UpstreamTimeouts timeouts;
  AccessPolicy access;                     // REQUIRE_API_KEY
  bool request_logs = false;               // ENABLE_REQUEST_LOGS: one line per request
  size_t max_response_bytes = 64u << 20;   // non-stream answers larger than this fail (502)
};

class Gateway {
 public:
  Gateway(GatewayOptions options, const routing::SnapshotHolder& snapshots,
          const auth::AuthSnapshotHolder& auth, const Clock& clock)
      : options_(options), snapshots_(snapshots), auth_(auth), clock_(clock) {}

  void RegisterRoutes(http::Router& router);

  boost::asio::awaitable<void> ChatCompletions(http::Exchange& ex, std::string_view forced_provider);
  boost::asio::awaitable<void> ListModels(http::Exchange& ex);

 private:
  GatewayOptions options_;
  const routing::SnapshotHolder& snapshots_;
  const auth::AuthSnapshotHolder& auth_;
  const Clock& clock_;
};

}  // namespace omni::gateway
