#include "gateway/gateway.h"

#include <boost/json.hpp>
#include <set>

#include "auth/client_credentials.h"
#include "core/version.h"
#include "gateway/client_error.h"
#include "providers/upstream_dialect.h"

namespace omni::gateway {
namespace net = boost::asio;

void Gateway::RegisterRoutes(http::Router& router) {
  using formats::Format;
  using http::Exchange;
  using http::RouteParams;
  // Each client API at its usual paths. Claude Code configured with a base URL ending in /v1
  // calls /v1/v1/messages; Codex with a bare host calls /responses.
  for (const char* path :
       {"/v1/chat/completions", "/chat/completions", "/v1/v1/chat/completions"}) {
    router.Add("POST", path, [this](Exchange& ex, const RouteParams&) {
      return Proxy(ex, {Format::kOpenAIChat});
    });
  }
  for (const char* path : {"/v1/messages", "/v1/v1/messages"}) {
    router.Add("POST", path, [this](Exchange& ex, const RouteParams&) {
      return Proxy(ex, {Format::kAnthropic});
    });
  }
  for (const char* path : {"/v1/messages/count_tokens", "/v1/v1/messages/count_tokens"}) {
    router.Add("POST", path, [this](Exchange& ex, const RouteParams&) { return CountTokens(ex); });
  }
  for (const char* path : {"/v1/responses", "/responses", "/v1/v1/responses"}) {
    router.Add("POST", path, [this](Exchange& ex, const RouteParams&) {
      return Proxy(ex, {Format::kResponses});
    });
  }
  router.Add("POST", "/v1/providers/{provider}/chat/completions",
             [this](Exchange& ex, const RouteParams& p) {
               return Proxy(ex, {Format::kOpenAIChat, {}, false, p.Get("provider")});
             });
  router.Add("POST", "/v1/providers/{provider}/messages",
             [this](Exchange& ex, const RouteParams& p) {
               return Proxy(ex, {Format::kAnthropic, {}, false, p.Get("provider")});
             });
  router.Add("POST", "/v1/providers/{provider}/responses",
             [this](Exchange& ex, const RouteParams& p) {
               return Proxy(ex, {Format::kResponses, {}, false, p.Get("provider")});
             });
  // Gemini: /v1beta/models/{model}:generateContent | :streamGenerateContent. Our models
  // contain a slash (provider/model), so the rest of the path is parsed by hand.
  router.Add("POST", "/v1beta/models/*",
             [this](Exchange& ex, const RouteParams&) -> net::awaitable<void> {
               std::string_view rest = ex.Path().substr(std::string_view("/v1beta/models/").size());
               auto colon = rest.rfind(':');
               std::string_view method =
                   colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
               if (method != "generateContent" && method != "streamGenerateContent") {
                 return SendClientError(
                     ex, Format::kGemini,
                     Error::NotFound("unsupported Gemini method \"" + std::string(method) +
                                     "\" (use generateContent or streamGenerateContent)"));
               }
               // Clients that escape the provider slash send "openai%2Fgpt-4o".
               std::optional<std::string> model = auth::PercentDecode(rest.substr(0, colon));
               if (!model) {
                 return SendClientError(ex, Format::kGemini,
                                        Error::InvalidRequest("malformed model name in the URL",
                                                              "invalid_model"));
               }
               return Proxy(ex, Ingress{Format::kGemini, std::move(*model),
                                        method == "streamGenerateContent", {}});
             });
  router.Add("GET", "/v1/models",
             [this](Exchange& ex, const RouteParams&) { return ListModels(ex); });
  router.Add("GET", "/v1beta/models",
             [this](Exchange& ex, const RouteParams&) { return ListGeminiModels(ex); });
}

namespace {

// Asks a custom node for its model list (GET {base}/models) with its first connection. Reads
// OpenAI/Anthropic ({"data":[{"id"}]}) and Gemini ({"models":[{"name":"models/x"}]}) lists.
net::awaitable<std::vector<std::string>> FetchNodeModels(const routing::RoutableProvider& p,
                                                         http::UpstreamTimeouts timeouts) {
  std::vector<std::string> out;
  const auto& conn = p.connections.front();
  std::array<http::HeaderPair, 3> headers{{{conn.auth_header, conn.auth_value},
                                           {"Accept", "application/json"},
                                           {"anthropic-version", providers::kAnthropicVersion}}};
  http::UpstreamRequest req;
  req.method = "GET";
  req.url = &conn.url;
  req.path = "/models";
  req.headers = std::span<const http::HeaderPair>(headers.data(),
                                                  p.wire == formats::Format::kAnthropic ? 3 : 2);
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
  const auto& o = doc.as_object();
  auto collect = [&out](const boost::json::value* list, const char* key, std::string_view strip) {
    if (!list || !list->is_array()) return;
    for (const auto& m : list->as_array()) {
      if (!m.is_object()) continue;
      const auto* id = m.as_object().if_contains(key);
      if (!id || !id->is_string()) continue;
      std::string_view v = id->as_string();
      if (v.starts_with(strip)) v.remove_prefix(strip.size());
      out.emplace_back(v);
    }
  };
  collect(o.if_contains("data"), "id", "");
  collect(o.if_contains("models"), "name", "models/");
  co_return out;
}

}  // namespace

net::awaitable<std::vector<Gateway::ListedModel>> Gateway::CollectModels(
    const ClientIdentity& who) {
  auto snapshot = snapshots_.Get();
  std::vector<ListedModel> out;
  std::set<std::string> seen;
  for (const auto& p : snapshot->providers()) {
    if (p.connections.empty() || p.blocked) continue;
    std::vector<std::string> models = p.models;
    if (p.is_node) models = co_await FetchNodeModels(p, options_.timeouts);
    for (const auto& m : models) {
      std::string id = p.alias + "/" + m;
      if (CheckModelAllowed(who, id).ok() && seen.insert(id).second)
        out.push_back({std::move(id), p.id});
    }
  }
  co_return out;
}

net::awaitable<void> Gateway::ListModels(http::Exchange& ex) {
  auto auth = auth_.Get();
  auto who = CheckClientAccess(ex, *auth, options_.access, true, clock_.NowUnixMs());
  if (!who.ok()) {
    co_await SendClientError(ex, formats::Format::kOpenAIChat, who.error());
    co_return;
  }
  const std::vector<ListedModel> models = co_await CollectModels(*who);
  boost::json::array data;
  for (const auto& m : models)
    data.push_back(boost::json::object{
        {"id", m.id}, {"object", "model"}, {"created", 0}, {"owned_by", m.owner}});
  const std::string text =
      boost::json::serialize(boost::json::object{{"object", "list"}, {"data", std::move(data)}});
  co_await ex.Respond(200, "application/json", text);
}

net::awaitable<void> Gateway::ListGeminiModels(http::Exchange& ex) {
  auto auth = auth_.Get();
  auto who = CheckClientAccess(ex, *auth, options_.access, true, clock_.NowUnixMs());
  if (!who.ok()) {
    co_await SendClientError(ex, formats::Format::kGemini, who.error());
    co_return;
  }
  const std::vector<ListedModel> models = co_await CollectModels(*who);
  boost::json::array list;
  for (const auto& m : models) {
    list.push_back(
        boost::json::object{{"name", "models/" + m.id},
                            {"displayName", m.id},
                            {"supportedGenerationMethods",
                             boost::json::array{"generateContent", "streamGenerateContent"}}});
  }
  const std::string text = boost::json::serialize(boost::json::object{{"models", std::move(list)}});
  co_await ex.Respond(200, "application/json", text);
}

}  // namespace omni::gateway
