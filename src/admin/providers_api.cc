// /api/providers: provider connections (accounts) CRUD and connection test.
#include <boost/json.hpp>
#include <chrono>

#include "admin/admin_api.h"
#include "admin/json_fields.h"
#include "providers/upstream_dialect.h"

namespace omni::admin {
namespace net = boost::asio;
namespace json = boost::json;
using http::Exchange;
using http::Router;

namespace {

json::object ConnectionJson(const store::ProviderConnection& c) {
  return {{"id", c.id},
          {"provider", c.provider},
          {"name", c.name},
          {"priority", c.priority},
          {"enabled", c.enabled},
          {"baseUrl", c.base_url},
          {"apiKey", MaskSecret(c.secret)},
          {"createdAt", c.created_at},
          {"updatedAt", c.updated_at}};
}

// Applies the fields present in `o` to `c`. `creating` makes provider/apiKey mandatory.
Status ApplyConnectionFields(const json::object& o, store::ProviderConnection& c, bool creating) {
  auto name = OptString(o, "name");
  if (!name.ok()) return std::move(name).error();
  auto key = OptString(o, "apiKey");
  if (!key.ok()) return std::move(key).error();
  auto base = OptString(o, "baseUrl");
  if (!base.ok()) return std::move(base).error();
  auto priority = OptInt(o, "priority");
  if (!priority.ok()) return std::move(priority).error();
  auto enabled = OptBool(o, "enabled");
  if (!enabled.ok()) return std::move(enabled).error();

  if (*key) {
    if ((*key)->empty()) return FieldError("apiKey", "must not be empty");
    c.secret = **key;
  } else if (creating) {
    return FieldError("apiKey", "is required");
  }
  if (*name) c.name = **name;
  if (creating && c.name.empty()) c.name = "default";
  if (*base) {
    if (!(*base)->empty()) {
      auto url = http::ParseUpstreamUrl(**base);
      if (!url.ok()) return FieldError("baseUrl", "must be an http:// or https:// URL");
    }
    c.base_url = **base;
  }
  if (*priority) {
    if (**priority < 0 || **priority > 1'000'000)
      return FieldError("priority", "must be from 0 to 1000000");
    c.priority = static_cast<int>(**priority);
  }
  if (*enabled) c.enabled = **enabled;
  return {};
}

}  // namespace

AdminApi::Reply AdminApi::CreateConnection(std::string_view body_text) {
  auto body = ParseObject(body_text);
  if (!body.ok()) return body.error();
  auto provider = OptString(*body, "provider");
  if (!provider.ok()) return provider.error();
  if (!*provider || (*provider)->empty()) return FieldError("provider", "is required");
  store::ProviderConnection conn;
  conn.provider = CanonicalProvider(**provider);
  if (conn.provider.empty())
    return FieldError("provider",
                      "names no known provider or provider node (\"" + **provider + "\")");
  if (auto st = ApplyConnectionFields(*body, conn, true); !st.ok()) return st.error();
  auto stored = store_.InsertConnection(std::move(conn));
  if (!stored.ok()) return stored.error();
  if (auto st = Publish(); !st.ok()) return st.error();
  return JsonReply{201, json::serialize(ConnectionJson(*stored))};
}

AdminApi::Reply AdminApi::ListConnections(std::string_view query) {
  auto all = store_.ListConnections();
  if (!all.ok()) return all.error();
  // ?provider= filters by id or alias.
  std::string filter;
  for (std::string_view q = query; !q.empty();) {
    auto amp = q.find('&');
    auto pair = q.substr(0, amp);
    if (pair.starts_with("provider=")) filter = CanonicalProvider(pair.substr(9));
    if (pair.starts_with("provider=") && filter.empty()) filter = std::string(pair.substr(9));
    q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
  }
  json::array list;
  for (const auto& c : *all)
    if (filter.empty() || c.provider == filter) list.push_back(ConnectionJson(c));
  return JsonReply{200, json::serialize(json::object{{"connections", std::move(list)}})};
}

AdminApi::Reply AdminApi::GetConnection(std::string_view id, std::string_view body_text) {
  auto c = Found(store_.GetConnection(std::string(id)), "provider connection", id);
  if (!c.ok()) return std::move(c).error();
  return JsonReply{200, json::serialize(ConnectionJson(*c))};
}

AdminApi::Reply AdminApi::PatchConnection(std::string_view id, std::string_view body_text) {
  auto body = ParseObject(body_text);
  if (!body.ok()) return body.error();
  auto c = Found(store_.GetConnection(std::string(id)), "provider connection", id);
  if (!c.ok()) return std::move(c).error();
  store::ProviderConnection conn = *c;
  if (body->contains("provider"))
    return FieldError("provider", "cannot be changed; create a new connection");
  if (auto st = ApplyConnectionFields(*body, conn, false); !st.ok()) return st.error();
  auto stored = store_.UpdateConnection(std::move(conn));
  if (!stored.ok()) return stored.error();
  if (auto st = Publish(); !st.ok()) return st.error();
  return JsonReply{200, json::serialize(ConnectionJson(*stored))};
}

AdminApi::Reply AdminApi::DeleteConnection(std::string_view id, std::string_view body_text) {
  auto deleted = store_.DeleteConnection(std::string(id));
  if (!deleted.ok()) return deleted.error();
  if (!*deleted) return Error::NotFound("no provider connection \"" + std::string(id) + "\"");
  if (auto st = Publish(); !st.ok()) return st.error();
  return JsonReply{200, "{\"deleted\":true}"};
}

// Checks the key against the provider: GET {base}/models must answer 2xx.
net::awaitable<void> AdminApi::TestConnection(Exchange& ex, std::string_view id) {
  auto target = TestTarget(id);
  if (!target.ok()) {
    co_await Router::SendError(ex, target.error());
    co_return;
  }
  std::array<http::HeaderPair, 3> headers{{{target->auth_header, target->auth_value},
                                           {"Accept", "application/json"},
                                           {"anthropic-version", providers::kAnthropicVersion}}};
  http::UpstreamRequest req;
  req.method = "GET";
  req.url = &target->url;
  req.path = "/models";
  req.headers = headers;
  req.timeouts = timeouts_;
  req.timeouts.first_byte_ms = std::min(req.timeouts.first_byte_ms, 15'000);
  req.timeouts.total_ms = std::min(req.timeouts.total_ms, 20'000);
  auto started = std::chrono::steady_clock::now();
  http::UpstreamCall call;
  auto st = co_await call.Start(req);
  json::object result;
  if (!st.ok()) {
    result = {{"ok", false}, {"error", st.error().message}};
  } else {
    int status = call.status();
    auto drained = co_await call.ReadAll(4 << 20);
    bool ok = drained.ok() && status >= 200 && status < 300;
    result = {{"ok", ok}, {"status", status}};
    if (!ok) result["error"] = "upstream answered HTTP " + std::to_string(status);
  }
  result["latencyMs"] = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - started)
                            .count();
  std::string text = json::serialize(result);
  co_await ex.Respond(200, "application/json", text);
}

Result<routing::RoutableConnection> AdminApi::TestTarget(std::string_view id) {
  auto c = Found(store_.GetConnection(std::string(id)), "provider connection", id);
  if (!c.ok()) return std::move(c).error();
  std::string base = c->base_url;
  if (base.empty()) {
    auto snap = snapshots_.Get();
    if (const auto* p = snap->FindProvider(c->provider)) base = p->base_url;
  }
  auto url = http::ParseUpstreamUrl(base);
  if (!url.ok()) return std::move(url).error();
  formats::Format wire = formats::Format::kOpenAIChat;
  if (const auto* p = snapshots_.Get()->FindProvider(c->provider)) wire = p->wire;
  std::string auth = providers::AuthHeaderValue(wire, c->secret);
  return routing::RoutableConnection{std::move(*c), std::move(url).value(),
                                     providers::AuthHeaderName(wire), std::move(auth)};
}

}  // namespace omni::admin
