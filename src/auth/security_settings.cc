#include "auth/security_settings.h"

#include <boost/json.hpp>

#include "auth/ip_access.h"

namespace omni::auth {
namespace json = boost::json;

namespace {

Result<std::vector<std::string>> StringList(const json::object& o, std::string_view field) {
  std::vector<std::string> out;
  const auto* v = o.if_contains(field);
  if (!v || v->is_null()) return out;
  if (!v->is_array())
    return Error::InvalidRequest("field \"" + std::string(field) + "\" must be an array of strings",
                                 "invalid_field");
  for (const auto& item : v->as_array()) {
    if (!item.is_string())
      return Error::InvalidRequest(
          "field \"" + std::string(field) + "\" must be an array of strings", "invalid_field");
    out.emplace_back(item.as_string());
  }
  return out;
}

json::array ToArray(const std::vector<std::string>& items) {
  json::array a;
  for (const auto& s : items) a.emplace_back(s);
  return a;
}

}  // namespace

Result<SecuritySettings> SecuritySettings::FromJson(std::string_view text) {
  boost::system::error_code ec;
  auto v = json::parse(json::string_view(text.data(), text.size()), ec);
  if (ec || !v.is_object())
    return Error::InvalidRequest("security settings must be a JSON object", "invalid_json");
  const auto& o = v.as_object();
  SecuritySettings s;
  struct Field {
    const char* name;
    std::vector<std::string>* out;
  } lists[] = {{"ipAllowList", &s.ip_allow_list},
               {"ipDenyList", &s.ip_deny_list},
               {"trustedProxies", &s.trusted_proxies},
               {"blockedProviders", &s.blocked_providers}};
  for (auto& f : lists) {
    auto list = StringList(o, f.name);
    if (!list.ok()) return std::move(list).error();
    *f.out = std::move(list).value();
  }
  if (const auto* b = o.if_contains("requireAuthForModels"); b && !b->is_null()) {
    if (!b->is_bool())
      return Error::InvalidRequest("field \"requireAuthForModels\" must be true or false",
                                   "invalid_field");
    s.require_auth_for_models = b->as_bool();
  }
  // Reject rules that would not parse at request time.
  if (auto acl = IpAccessList::Parse(s.ip_allow_list, s.ip_deny_list); !acl.ok())
    return std::move(acl).error();
  if (auto proxies = CidrSet::Parse(s.trusted_proxies, "trustedProxies"); !proxies.ok())
    return std::move(proxies).error();
  return s;
}

std::string SecuritySettings::ToJson() const {
  json::object o{{"ipAllowList", ToArray(ip_allow_list)},
                 {"ipDenyList", ToArray(ip_deny_list)},
                 {"trustedProxies", ToArray(trusted_proxies)},
                 {"blockedProviders", ToArray(blocked_providers)},
                 {"requireAuthForModels", require_auth_for_models}};
  return json::serialize(o);
}

}  // namespace omni::auth
