#include "gateway/gateway.h"

#include <boost/json.hpp>
#include <set>

#include "core/version.h"

namespace omni::gateway {
namespace net = boost::asio;

void Gateway::RegisterRoutes(http::Router& router) {
  router.Add("POST", "/v1/chat/completions",
             [this](http::Exchange& ex, const http::RouteParams&) { return ChatCompletions(ex, {}); });
  router.Add("POST", "/v1/providers/{provider}/chat/completions",
             [this](http::Exchange& ex, const http::RouteParams& p) {
               return ChatCompletions(ex, p.Get("provider"));
             });
  router.Add("GET", "/v1/models",
             [this](http::Exchange& ex, const http::RouteParams&) { return ListModels(ex); });
}

namespace {

// Asks a custom node for its model list (GET {base}/models) with its first connection.
net::awaitable<std::vector<std::string>> FetchNodeModels(const routing::RoutableProvider& p,
                                                         http::UpstreamTimeouts timeouts) {
  std::vector<std::string> out;
  const auto& conn = p.connections.front();
  std::array<http::HeaderPair, 2> headers{{{"Authorization", conn.authorization}, {"Accept", "application/json"}}};
  http::UpstreamRequest req;
  req.method = "GET";
  req.url = &conn.url;
  req.path = "/models";
  req.headers = headers;
  timeouts.first_byte_ms = std::min(timeouts.first_byte_ms, 5000);
  timeouts.total_ms = std::min(timeouts.total_ms, 10000);
  req.timeouts = timeouts;
  http::UpstreamCall call;
  auto st = co_await call.Start(req);
  if (!st.ok() || call.status() != 200) co_return out;
  auto body = co_await call.ReadAll(4 << 20);
  if (!body.ok()) co_return out;
  boost::system::error_code ec;
  auto doc = boost::json::parse(*body, ec);
  if (ec || !doc.is_object()) co_return out;
  if (const auto* data = doc.as_object().if_contains("data"); data && data->is_array()) {
    for (const auto& m : data->as_array()) {
      if (!m.is_object()) continue;
      if (const auto* id = m.as_object().if_contains("id"); id && id->is_string())
        out.emplace_back(id->as_string());
    }
  }
  co_return out;
}

}  // namespace

net::awaitable<void> Gateway::ListModels(http::Exchange& ex) {
  auto auth = auth_.Get();
  auto who = CheckClientAccess(ex, *auth, options_.access, true, clock_.NowUnixMs());
  if (!who.ok()) {
    co_await http::Router::SendError(ex, who.error());
    co_return;
  }
  auto snapshot = snapshots_.Get();
  boost::json::array data;
  std::set<std::string> seen;
  auto add = [&](const routing::RoutableProvider& p, const std::string& model) {
    std::string id = p.alias + "/" + model;
    if (!CheckModelAllowed(*who, id).ok() || !seen.insert(id).second) return;
    data.push_back(boost::json::object{{"id", id}, {"object", "model"}, {"created", 0}, {"owned_by", p.id}});
  };
  for (const auto& p : snapshot->providers()) {
    if (p.connections.empty() || p.blocked) continue;
    if (p.is_node) {
      auto models = co_await FetchNodeModels(p, options_.timeouts);
      for (const auto& m : models) add(p, m);
    } else {
      for (const auto& m : p.models) add(p, m);
    }
  }
  boost::json::object out{{"object", "list"}, {"data", std::move(data)}};
  co_await ex.Respond(200, "application/json", boost::json::serialize(out));
}

}  // namespace omni::gateway
