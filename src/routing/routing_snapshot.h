#pragma once
// RoutingSnapshot: an immutable, in-memory view of everything the request path needs to
// pick an upstream (catalog providers, custom provider nodes, enabled connections with
// their decrypted secrets). Built from the Store by the admin path and published through
// SnapshotHolder; the request path only ever reads a snapshot, never the database.
//
// Thread-safety: a snapshot is immutable once built and shared as shared_ptr<const>.

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "http/upstream_client.h"
#include "providers/catalog.h"
#include "store/store.h"

namespace omni::routing {

// An enabled connection, ready to use: its upstream URL is parsed and its auth header
// value precomputed so the request path allocates nothing for them.
struct RoutableConnection {
  store::ProviderConnection conn;
  http::UpstreamUrl url;
  std::string authorization;  // "Bearer <secret>"
};

// A provider as routable: catalog entry or custom node, with its enabled connections.
struct RoutableProvider {
  std::string id;        // provider id ("deepseek") or node prefix ("local")
  std::string alias;     // routing prefix ("ds")
  std::string name;
  std::string format;    // wire format of the upstream
  std::string base_url;  // provider default base URL
  std::vector<std::string> models;  // known models (catalog); empty for nodes
  std::vector<RoutableConnection> connections;  // enabled, valid URL, sorted by priority
  bool is_node = false;
};

// Where one request goes.
struct ResolvedTarget {
  const RoutableProvider* provider = nullptr;
  std::string_view model;  // upstream model id (prefix removed); views the request's model
  const RoutableConnection* connection = nullptr;
};

class RoutingSnapshot {
 public:
  static std::shared_ptr<const RoutingSnapshot> Build(const providers::Catalog& catalog,
                                                      std::vector<store::ProviderConnection> conns,
                                                      const std::vector<store::ProviderNode>& nodes);

  // "prefix/model" -> provider, model and the first enabled connection by priority.
  // Errors: 400 missing model, 400 unknown provider, 404 unknown model (no prefix), 400 when
  // the provider has no enabled connection.
  Result<ResolvedTarget> Resolve(std::string_view model) const;

  const std::vector<RoutableProvider>& providers() const { return providers_; }
  const RoutableProvider* FindProvider(std::string_view id_or_alias) const;

 private:
  std::vector<RoutableProvider> providers_;
  std::map<std::string, size_t, std::less<>> by_prefix_;  // id and alias -> index
};

// Holds the current snapshot; readers load it lock-free-ish, writers swap it atomically.
class SnapshotHolder {
 public:
  SnapshotHolder() : current_(std::make_shared<const RoutingSnapshot>()) {}
  std::shared_ptr<const RoutingSnapshot> Get() const { return current_.load(std::memory_order_acquire); }
  void Set(std::shared_ptr<const RoutingSnapshot> s) { current_.store(std::move(s), std::memory_order_release); }

 private:
  std::atomic<std::shared_ptr<const RoutingSnapshot>> current_;
};

// Reads connections and nodes from the store and builds a snapshot.
Result<std::shared_ptr<const RoutingSnapshot>> LoadSnapshot(store::Store& store,
                                                            const providers::Catalog& catalog);

}  // namespace omni::routing
