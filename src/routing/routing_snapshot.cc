#include "routing/routing_snapshot.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "providers/upstream_dialect.h"

namespace omni::routing {
namespace {

// Unknown names cannot happen for the catalog (tested) and are rejected by the admin API for
// nodes; OpenAI Chat is the safe reading of anything else.
formats::Format WireOf(std::string_view name) {
  return providers::WireFormat(name).value_or(formats::Format::kOpenAIChat);
}

}  // namespace

std::shared_ptr<const RoutingSnapshot> RoutingSnapshot::Build(
    const providers::Catalog& catalog, std::vector<store::ProviderConnection> conns,
    const std::vector<store::ProviderNode>& nodes, const std::vector<std::string>& blocked) {
  auto snap = std::make_shared<RoutingSnapshot>();
  for (const auto& spec : catalog.providers()) {
    snap->providers_.push_back({spec.id,
                                spec.alias,
                                spec.name,
                                spec.format,
                                WireOf(spec.format),
                                spec.base_url,
                                spec.models,
                                {},
                                false,
                                false});
  }
  for (const auto& node : nodes) {
    // A node whose prefix shadows a catalog provider would be unreachable; nodes win so the
    // user's explicit configuration is what runs.
    snap->providers_.push_back({node.prefix,
                                node.prefix,
                                node.name,
                                node.format,
                                WireOf(node.format),
                                node.base_url,
                                {},
                                {},
                                true,
                                false});
  }
  for (size_t i = 0; i < snap->providers_.size(); ++i) {
    snap->by_prefix_[snap->providers_[i].id] = i;
    snap->by_prefix_[snap->providers_[i].alias] = i;
  }
  for (const auto& name : blocked) {
    if (auto it = snap->by_prefix_.find(name); it != snap->by_prefix_.end())
      snap->providers_[it->second].blocked = true;
  }
  std::stable_sort(conns.begin(), conns.end(),
                   [](const auto& a, const auto& b) { return a.priority < b.priority; });
  for (auto& conn : conns) {
    if (!conn.enabled) continue;
    auto it = snap->by_prefix_.find(conn.provider);
    if (it == snap->by_prefix_.end()) continue;
    RoutableProvider& provider = snap->providers_[it->second];
    auto url = http::ParseUpstreamUrl(conn.base_url.empty() ? provider.base_url : conn.base_url);
    if (!url.ok()) {
      spdlog::warn("connection {} of {} skipped: {}", conn.id, provider.id, url.error().message);
      continue;
    }
    std::string auth = providers::AuthHeaderValue(provider.wire, conn.secret);
    provider.connections.push_back({std::move(conn), std::move(url).value(),
                                    providers::AuthHeaderName(provider.wire), std::move(auth)});
  }
  return snap;
}

const RoutableProvider* RoutingSnapshot::FindProvider(std::string_view id_or_alias) const {
  auto it = by_prefix_.find(id_or_alias);
  return it == by_prefix_.end() ? nullptr : &providers_[it->second];
}

Result<ResolvedTarget> RoutingSnapshot::Resolve(std::string_view model) const {
  if (model.empty())
    return Error::InvalidRequest("missing \"model\": use provider/model, e.g. openai/gpt-4o",
                                 "model_required");
  auto slash = model.find('/');
  if (slash == std::string_view::npos) {
    return Error::NotFound(
        "model \"" + std::string(model) +
            "\" not found: use provider/model, e.g. openai/gpt-4o (see GET /v1/models)",
        "model_not_found");
  }
  std::string_view prefix = model.substr(0, slash);
  const RoutableProvider* provider = FindProvider(prefix);
  if (!provider) {
    return Error::InvalidRequest(
        "unknown provider \"" + std::string(prefix) + "\" in model \"" + std::string(model) + "\"",
        "unknown_provider");
  }
  if (provider->blocked) {
    return Error{
        403, "permission_error", "provider_blocked",
        "provider \"" + provider->id + "\" is blocked (Settings → Security → Provider Blocking)"};
  }
  ResolvedTarget target;
  target.provider = provider;
  target.model = model.substr(slash + 1);
  if (target.model.empty())
    return Error::InvalidRequest(
        "model \"" + std::string(model) + "\" names no model after the provider", "model_required");
  if (provider->connections.empty()) {
    return Error::InvalidRequest("no enabled connection for provider \"" + provider->id +
                                     "\": add one in the dashboard or with POST /api/providers",
                                 "no_credentials");
  }
  target.connection = &provider->connections.front();
  return target;
}

Result<std::shared_ptr<const RoutingSnapshot>> LoadSnapshot(
    store::Store& store, const providers::Catalog& catalog,
    const std::vector<std::string>& blocked) {
  auto conns = store.ListConnections();
  if (!conns.ok()) return std::move(conns).error();
  auto nodes = store.ListNodes();
  if (!nodes.ok()) return std::move(nodes).error();
  return RoutingSnapshot::Build(catalog, std::move(conns).value(), nodes.value(), blocked);
}

}  // namespace omni::routing
