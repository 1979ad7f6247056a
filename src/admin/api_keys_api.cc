// /api/keys: gateway API keys CRUD and revocation.
#include "admin/api_keys_api.h"

#include <boost/json.hpp>
#include <utility>

#include "admin/json_fields.h"
#include "auth/api_key.h"

namespace omni::admin {
namespace net = boost::asio;
namespace json = boost::json;
using http::Exchange;
using http::RouteParams;

namespace {

// Bounds that no honest client comes near; they keep one request from bloating every snapshot.
constexpr size_t kMaxNameLength = 200;
constexpr size_t kMaxIdLength = 200;
constexpr size_t kMaxPatterns = 1000;
constexpr size_t kMaxPatternLength = 256;

json::object KeyJson(const store::ApiKey& k) {
  json::array models;
  for (const auto& m : k.allowed_models) models.emplace_back(m);
  return {{"id", k.id},
          {"name", k.name},
          {"prefix", k.prefix},
          {"allowedModels", std::move(models)},
          {"expiresAt", k.expires_at},
          {"revoked", k.revoked},
          {"admin", k.admin},
          {"budgetId", k.budget_id},
          {"proxy", k.proxy},
          {"createdAt", k.created_at},
          {"updatedAt", k.updated_at},
          {"lastUsedAt", k.last_used_at}};
}

Error KeyNotFound(std::string_view id) {
  return Error::NotFound("no API key \"" + std::string(id) + "\"");
}

// nullopt when absent or null; an Error naming the field unless it is an array of non-empty
// strings within the bounds above.
Result<std::optional<std::vector<std::string>>> OptPatternList(const json::object& o,
                                                               std::string_view field) {
  const auto* v = o.if_contains(field);
  if (v == nullptr || v->is_null()) return std::optional<std::vector<std::string>>();
  if (!v->is_array()) return FieldError(field, "must be an array of model patterns");
  const json::array& list = v->get_array();
  if (list.size() > kMaxPatterns) {
    return FieldError(field, "must hold at most " + std::to_string(kMaxPatterns) + " patterns");
  }
  std::vector<std::string> out;
  out.reserve(list.size());
  for (const auto& item : list) {
    if (!item.is_string() || item.get_string().empty()) {
      return FieldError(field, "must contain only non-empty strings");
    }
    if (item.get_string().size() > kMaxPatternLength) {
      return FieldError(
          field, "patterns must be at most " + std::to_string(kMaxPatternLength) + " characters");
    }
    out.emplace_back(item.get_string());
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

// scheme://host... with a scheme an outbound proxy can speak.
bool IsProxyUrl(std::string_view url) {
  const auto sep = url.find("://");
  if (sep == std::string_view::npos) return false;
  std::string scheme(url.substr(0, sep));
  for (char& c : scheme) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (scheme != "http" && scheme != "https" && scheme != "socks5" && scheme != "socks5h") {
    return false;
  }
  const std::string_view rest = url.substr(sep + 3);
  if (rest.empty() || rest.front() == '/') return false;
  for (char c : rest)
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') return false;
  return true;
}

// Applies the fields present in `o` to `k`. `creating` makes name mandatory. `now` is the
// current unix ms (expiresAt must lie after it).
Status ApplyKeyFields(const json::object& o, store::ApiKey& k, bool creating, int64_t now) {
  auto name = OptString(o, "name");
  if (!name.ok()) return std::move(name).error();
  auto models = OptPatternList(o, "allowedModels");
  if (!models.ok()) return std::move(models).error();
  auto expires = OptInt(o, "expiresAt");
  if (!expires.ok()) return std::move(expires).error();
  auto admin = OptBool(o, "admin");
  if (!admin.ok()) return std::move(admin).error();
  auto budget = OptString(o, "budgetId");
  if (!budget.ok()) return std::move(budget).error();
  auto proxy = OptString(o, "proxy");
  if (!proxy.ok()) return std::move(proxy).error();

  if (*name) {
    if ((*name)->empty()) return FieldError("name", "must not be empty");
    if ((*name)->size() > kMaxNameLength) {
      return FieldError("name",
                        "must be at most " + std::to_string(kMaxNameLength) + " characters");
    }
    k.name = **name;
  } else if (creating) {
    return FieldError("name", "is required");
  }
  if (*models) k.allowed_models = std::move(**models);
  if (*expires) {
    // 0 clears the expiry. A value in seconds by mistake lands in 1970 and is refused here.
    if (**expires < 0) return FieldError("expiresAt", "must be unix milliseconds, or 0 for never");
    if (**expires != 0 && **expires <= now) {
      return FieldError("expiresAt", "must be in the future (unix milliseconds), or 0 for never");
    }
    k.expires_at = **expires;
  }
  if (*admin) k.admin = **admin;
  if (*budget) {
    if ((*budget)->size() > kMaxIdLength) {
      return FieldError("budgetId",
                        "must be at most " + std::to_string(kMaxIdLength) + " characters");
    }
    k.budget_id = **budget;
  }
  if (*proxy) {
    if (!(*proxy)->empty() && !IsProxyUrl(**proxy)) {
      return FieldError("proxy", "must be an http://, https://, socks5:// or socks5h:// URL");
    }
    k.proxy = **proxy;
  }
  return {};
}

// Fields a client might send that this API never takes from a body.
Status RejectFixedFields(const json::object& o, bool creating) {
  if (o.contains("key")) {
    return FieldError("key", creating ? "is generated by the server and cannot be supplied"
                                      : "cannot be changed; create a new key");
  }
  for (std::string_view field : {"keyHash", "prefix"}) {
    if (o.contains(field)) return FieldError(field, "cannot be set");
  }
  if (!creating && o.contains("revoked")) {
    return FieldError("revoked", "cannot be changed here; use POST /api/keys/{id}/revoke");
  }
  return {};
}

}  // namespace

ApiKeysApi::ApiKeysApi(store::Store& store, std::string api_key_secret,
                       std::function<Status()> publish, const Clock& clock)
    : store_(store),
      api_key_secret_(std::move(api_key_secret)),
      publish_(std::move(publish)),
      clock_(clock) {}

net::awaitable<void> ApiKeysApi::Send(Exchange& ex, Reply reply) {
  if (!reply.ok()) {
    co_await http::Router::SendError(ex, reply.error());
    co_return;
  }
  co_await ex.Respond(reply->status, "application/json", reply->body);
}

Status ApiKeysApi::Publish() { return publish_ ? publish_() : Status(); }

void ApiKeysApi::RegisterRoutes(http::Router& r) {
  r.Add("POST", "/api/keys",
        [this](Exchange& ex, const RouteParams&) { return Send(ex, Create(ex.Body())); });
  r.Add("GET", "/api/keys", [this](Exchange& ex, const RouteParams&) { return Send(ex, List()); });
  r.Add("GET", "/api/keys/{id}",
        [this](Exchange& ex, const RouteParams& p) { return Send(ex, Get(p.Get("id"))); });
  r.Add("PATCH", "/api/keys/{id}", [this](Exchange& ex, const RouteParams& p) {
    return Send(ex, Patch(p.Get("id"), ex.Body()));
  });
  r.Add("DELETE", "/api/keys/{id}",
        [this](Exchange& ex, const RouteParams& p) { return Send(ex, Delete(p.Get("id"))); });
  r.Add("POST", "/api/keys/{id}/revoke",
        [this](Exchange& ex, const RouteParams& p) { return Send(ex, Revoke(p.Get("id"))); });
}

ApiKeysApi::Reply ApiKeysApi::Create(std::string_view body_text) {
  auto body = ParseObject(body_text);
  if (!body.ok()) return body.error();
  if (auto st = RejectFixedFields(*body, true); !st.ok()) return st.error();
  store::ApiKey key;
  if (auto st = ApplyKeyFields(*body, key, true, clock_.NowUnixMs()); !st.ok()) return st.error();
  auth::GeneratedKey generated = auth::GenerateApiKey(api_key_secret_);
  key.prefix = generated.prefix;
  key.key_hash = generated.hash;
  auto stored = store_.InsertApiKey(std::move(key));
  if (!stored.ok()) return stored.error();
  if (auto st = Publish(); !st.ok()) return st.error();
  json::object out = KeyJson(*stored);
  out["key"] = generated.plaintext;
  return JsonReply{201, json::serialize(out)};
}

ApiKeysApi::Reply ApiKeysApi::List() {
  auto all = store_.ListApiKeys();
  if (!all.ok()) return all.error();
  json::array list;
  for (const auto& k : *all) list.push_back(KeyJson(k));
  return JsonReply{200, json::serialize(json::object{{"keys", std::move(list)}})};
}

ApiKeysApi::Reply ApiKeysApi::Get(std::string_view id) {
  auto k = store_.GetApiKey(std::string(id));
  if (!k.ok()) return k.error();
  if (!*k) return KeyNotFound(id);
  return JsonReply{200, json::serialize(KeyJson(**k))};
}

ApiKeysApi::Reply ApiKeysApi::Patch(std::string_view id, std::string_view body_text) {
  auto body = ParseObject(body_text);
  if (!body.ok()) return body.error();
  auto k = store_.GetApiKey(std::string(id));
  if (!k.ok()) return k.error();
  if (!*k) return KeyNotFound(id);
  if (auto st = RejectFixedFields(*body, false); !st.ok()) return st.error();
  store::ApiKey key = **k;
  if (auto st = ApplyKeyFields(*body, key, false, clock_.NowUnixMs()); !st.ok()) return st.error();
  auto stored = store_.UpdateApiKey(std::move(key));
  if (!stored.ok()) return stored.error();
  if (auto st = Publish(); !st.ok()) return st.error();
  return JsonReply{200, json::serialize(KeyJson(*stored))};
}

ApiKeysApi::Reply ApiKeysApi::Revoke(std::string_view id) {
  auto k = store_.GetApiKey(std::string(id));
  if (!k.ok()) return k.error();
  if (!*k) return KeyNotFound(id);
  store::ApiKey key = **k;
  key.revoked = true;
  auto stored = store_.UpdateApiKey(std::move(key));
  if (!stored.ok()) return stored.error();
  if (auto st = Publish(); !st.ok()) return st.error();
  return JsonReply{200, json::serialize(KeyJson(*stored))};
}

ApiKeysApi::Reply ApiKeysApi::Delete(std::string_view id) {
  auto deleted = store_.DeleteApiKey(std::string(id));
  if (!deleted.ok()) return deleted.error();
  if (!*deleted) return KeyNotFound(id);
  if (auto st = Publish(); !st.ok()) return st.error();
  return JsonReply{200, "{\"deleted\":true}"};
}

}  // namespace omni::admin
