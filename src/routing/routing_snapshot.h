#pragma once
// RoutingSnapshot: an immutable, in-memory view of everything the request path needs to
// pick an upstream (catalog providers, custom provider nodes, enabled connections with
// their decrypted secrets). Built from the Store by the admin path and published through
// SnapshotHolder; the request path only ever reads a snapshot, never the database.
//
// Thread-safety: a snapshot is immutable once built and shared as shared_ptr<const>.

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/snapshot_holder.h"
#include "formats/ir.h"
#include "http/upstream_client.h"
#include "providers/catalog.h"
#include "store/store.h"

namespace omni::routing {

// An enabled connection, ready to use: its upstream URL is parsed and its auth header
// value precomputed so the request path allocates nothing for them.
struct RoutableConnection {
  store::ProviderConnection conn;
  http::UpstreamUrl url;
  std::string_view auth_header;  // "Authorization", "x-api-key" or "x-goog-api-key"
  std::string auth_value;        // "Bearer <secret>" or the bare secret, per wire format
};

// A provider as routable: catalog entry or custom node, with its enabled connections.
struct RoutableProvider {
  std::string id;     // provider id ("deepseek") or node prefix ("local")
  std::string alias;  // routing prefix ("ds")
  std::string name;
  std::string format;  // wire format of the upstream, as configured
  formats::Format wire = formats::Format::kOpenAIChat;  // parsed `format`
  std::string base_url;                                 // provider default base URL
  std::vector<std::string> models;                      // known models (catalog); empty for nodes
  std::vector<RoutableConnection> connections;          // enabled, valid URL, sorted by priority
  bool is_node = false;
  bool blocked = false;  // blocked by the user: never routed to
};

// Where one request goes.
struct ResolvedTarget {
  const RoutableProvider* provider = nullptr;
  std::string_view model;  // upstream model id (prefix removed); views the request's model
  const RoutableConnection* connection = nullptr;
};

class RoutingSnapshot {
 public:
  // `blocked` lists provider ids/aliases the user blocked (Settings → Security): they stay
  // listed but are never routed to.
  static std::shared_ptr<const RoutingSnapshot> Build(const providers::Catalog& catalog,
                                                      std::vector<store::ProviderConnection> conns,
                                                      const std::vector<store::ProviderNode>& nodes,
                                                      const std::vector<std::string>& blocked = {});

  // "prefix/model" -> provider, model and the first enabled connection by priority.
  // Errors: 400 missing model, 400 unknown provider, 404 unknown model (no prefix), 400 when
  // the provider has no enabled connection, 403 when the provider is blocked.
  Result<ResolvedTarget> Resolve(std::string_view model) const;

  const std::vector<RoutableProvider>& providers() const { return providers_; }
  const RoutableProvider* FindProvider(std::string_view id_or_alias) const;

 private:
  std::vector<RoutableProvider> providers_;
  std::map<std::string, size_t, std::less<>> by_prefix_;  // id and alias -> index
};

using SnapshotHolder = omni::SnapshotHolder<RoutingSnapshot>;

// Reads connections and nodes from the store and builds a snapshot.
Result<std::shared_ptr<const RoutingSnapshot>> LoadSnapshot(
    store::Store& store, const providers::Catalog& catalog,
    const std::vector<std::string>& blocked = {});

}  // namespace omni::routing
