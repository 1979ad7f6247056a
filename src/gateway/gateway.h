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
#include "formats/ir.h"
#include "gateway/client_access.h"
#include "http/exchange.h"
#include "http/router.h"
#include "http/upstream_client.h"
#include "routing/routing_snapshot.h"

namespace omni::gateway {

struct GatewayOptions {
  http::UpstreamTimeouts timeouts;
  AccessPolicy access;                    // REQUIRE_API_KEY
  bool request_logs = false;              // ENABLE_REQUEST_LOGS: one line per request
  size_t max_response_bytes = 64u << 20;  // non-stream answers larger than this fail (502)
};

// What the ingress route tells the pipeline about a request.
struct Ingress {
  formats::Format format = formats::Format::kOpenAIChat;  // the client's API
  std::string url_model;  // Gemini: the model from the path, percent-decoded
  bool url_stream = false;                                // Gemini: streamGenerateContent
  std::string_view forced_provider;  // /v1/providers/{p}/...: the provider is implied
};

class Gateway {
 public:
  Gateway(GatewayOptions options, const routing::SnapshotHolder& snapshots,
          const auth::AuthSnapshotHolder& auth, const Clock& clock)
      : options_(options), snapshots_(snapshots), auth_(auth), clock_(clock) {}

  void RegisterRoutes(http::Router& router);

  // The proxy pipeline for every generation endpoint (proxy.cc).
  boost::asio::awaitable<void> Proxy(http::Exchange& ex, Ingress ingress);
  // POST /v1/messages/count_tokens (count_tokens.cc).
  boost::asio::awaitable<void> CountTokens(http::Exchange& ex);
  boost::asio::awaitable<void> ListModels(http::Exchange& ex);        // GET /v1/models
  boost::asio::awaitable<void> ListGeminiModels(http::Exchange& ex);  // GET /v1beta/models

 private:
  struct ListedModel {
    std::string id;     // "alias/model"
    std::string owner;  // provider id
  };
  // Models of providers with connections, filtered by the key's allow-list.
  boost::asio::awaitable<std::vector<ListedModel>> CollectModels(const ClientIdentity& who);

  GatewayOptions options_;
  const routing::SnapshotHolder& snapshots_;
  const auth::AuthSnapshotHolder& auth_;
  const Clock& clock_;
};

}  // namespace omni::gateway
