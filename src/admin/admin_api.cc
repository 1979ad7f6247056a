#include "admin/admin_api.h"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "core/version.h"

namespace omni::admin {
namespace net = boost::asio;
using http::Exchange;
using http::RouteParams;

net::awaitable<void> AdminApi::Send(Exchange& ex, Reply reply) {
  if (!reply.ok()) {
    co_await http::Router::SendError(ex, reply.error());
    co_return;
  }
  co_await ex.Respond(reply->status, "application/json", reply->body);
}

std::string AdminApi::CanonicalProvider(std::string_view name) {
  if (const auto* spec = catalog_.Find(name)) return spec->id;
  auto nodes = store_.ListNodes();
  if (nodes.ok())
    for (const auto& n : *nodes)
      if (n.prefix == name) return n.prefix;
  return {};
}

void AdminApi::RegisterRoutes(http::Router& r) {
  r.Add("GET", "/api/health/live", [](Exchange& ex, const RouteParams&) {
    return Send(
        ex, JsonReply{200, std::string("{\"status\":\"ok\",\"version\":\"") + kVersion + "\"}"});
  });
  r.Add("POST", "/api/providers",
        [this](Exchange& ex, const RouteParams&) { return Send(ex, CreateConnection(ex.Body())); });
  r.Add("GET", "/api/providers",
        [this](Exchange& ex, const RouteParams&) { return Send(ex, ListConnections(ex.Query())); });
  r.Add("GET", "/api/providers/{id}", [this](Exchange& ex, const RouteParams& p) {
    return Send(ex, GetConnection(p.Get("id"), ex.Body()));
  });
  r.Add("PATCH", "/api/providers/{id}", [this](Exchange& ex, const RouteParams& p) {
    return Send(ex, PatchConnection(p.Get("id"), ex.Body()));
  });
  r.Add("DELETE", "/api/providers/{id}", [this](Exchange& ex, const RouteParams& p) {
    return Send(ex, DeleteConnection(p.Get("id"), ex.Body()));
  });
  r.Add("POST", "/api/providers/{id}/test",
        [this](Exchange& ex, const RouteParams& p) { return TestConnection(ex, p.Get("id")); });
  r.Add("POST", "/api/provider-nodes",
        [this](Exchange& ex, const RouteParams&) { return Send(ex, CreateNode(ex.Body())); });
  r.Add("GET", "/api/provider-nodes",
        [this](Exchange& ex, const RouteParams&) { return Send(ex, ListNodes(ex.Body())); });
  r.Add("GET", "/api/provider-nodes/{id}", [this](Exchange& ex, const RouteParams& p) {
    return Send(ex, GetNode(p.Get("id"), ex.Body()));
  });
  r.Add("PATCH", "/api/provider-nodes/{id}", [this](Exchange& ex, const RouteParams& p) {
    return Send(ex, PatchNode(p.Get("id"), ex.Body()));
  });
  r.Add("DELETE", "/api/provider-nodes/{id}", [this](Exchange& ex, const RouteParams& p) {
    return Send(ex, DeleteNode(p.Get("id"), ex.Body()));
  });
  r.Add("POST", "/api/translator/translate",
        [this](Exchange& ex, const RouteParams&) { return Send(ex, Translate(ex.Body())); });
  r.Add("GET", "/api/settings/security", [this](Exchange& ex, const RouteParams&) {
    return Send(ex, GetSecuritySettings(ex.Body()));
  });
  r.Add("PUT", "/api/settings/security", [this](Exchange& ex, const RouteParams&) {
    return Send(ex, PutSecuritySettings(ex.Body()));
  });
}

}  // namespace omni::admin
