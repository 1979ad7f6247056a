#pragma once
// Admin API (/api/*): JSON resources for scripts and the dashboard. Each resource lives in
// its own file (providers_api.cc, provider_nodes_api.cc, health_api.cc). Writes go to the
// Store in a transaction, then a fresh routing snapshot is published so the request path
// sees the change on its next request.
//
// Thread-safety: handlers may run on any worker; the Store serialises, and publishing a
// snapshot is an atomic swap.

#include <boost/asio/awaitable.hpp>

#include "admin/config_publisher.h"
#include "http/router.h"
#include "http/upstream_client.h"
#include "providers/catalog.h"
#include "routing/routing_snapshot.h"
#include "store/store.h"

namespace omni::admin {

class AdminApi {
 public:
  AdminApi(store::Store& store, ConfigPublisher& publisher,
           const routing::SnapshotHolder& snapshots, const providers::Catalog& catalog,
           http::UpstreamTimeouts timeouts)
      : store_(store),
        publisher_(publisher),
        snapshots_(snapshots),
        catalog_(catalog),
        timeouts_(timeouts) {}

  void RegisterRoutes(http::Router& router);

 private:
  struct JsonReply {
    int status;
    std::string body;
  };
  // Admin operations are synchronous (Store calls); a thin coroutine sends their reply.
  using Reply = Result<JsonReply>;
  // providers_api.cc
  Reply CreateConnection(std::string_view body);
  Reply ListConnections(std::string_view query);
  Reply GetConnection(std::string_view id, std::string_view body);
  Reply PatchConnection(std::string_view id, std::string_view body);
  Reply DeleteConnection(std::string_view id, std::string_view body);
  boost::asio::awaitable<void> TestConnection(http::Exchange& ex, std::string_view id);
  Result<routing::RoutableConnection> TestTarget(std::string_view id);
  // provider_nodes_api.cc
  Reply CreateNode(std::string_view body);
  Reply ListNodes(std::string_view body);
  Reply GetNode(std::string_view id, std::string_view body);
  Reply PatchNode(std::string_view id, std::string_view body);
  Reply DeleteNode(std::string_view id, std::string_view body);
  // translator_api.cc
  Reply Translate(std::string_view body);
  // settings_api.cc
  Reply GetSecuritySettings(std::string_view body);
  Reply PutSecuritySettings(std::string_view body);

  static boost::asio::awaitable<void> Send(http::Exchange& ex, Reply reply);

  // Canonical provider id for a catalog id/alias or node prefix; empty when unknown.
  std::string CanonicalProvider(std::string_view name);

  // Publishes after a write.
  Status Publish() { return publisher_.PublishRouting(); }

  store::Store& store_;
  ConfigPublisher& publisher_;
  const routing::SnapshotHolder& snapshots_;
  const providers::Catalog& catalog_;
  http::UpstreamTimeouts timeouts_;
};

}  // namespace omni::admin
