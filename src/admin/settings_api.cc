// /api/settings/security: IP access lists, trusted proxies, provider blocking, "API auth for
// /models" (Dashboard → Settings → Security).
#include "admin/admin_api.h"
#include "auth/security_settings.h"

namespace omni::admin {

AdminApi::Reply AdminApi::GetSecuritySettings(std::string_view) {
  auto settings = publisher_.LoadSecuritySettings();
  if (!settings.ok()) return std::move(settings).error();
  return JsonReply{200, settings->ToJson()};
}

AdminApi::Reply AdminApi::PutSecuritySettings(std::string_view body) {
  auto settings = auth::SecuritySettings::FromJson(body);
  if (!settings.ok()) return std::move(settings).error();
  for (const auto& p : settings->blocked_providers) {
    if (CanonicalProvider(p).empty())
      return Error::InvalidRequest(
          "field \"blockedProviders\" names unknown provider \"" + p + "\"", "invalid_field");
  }
  std::string json = settings->ToJson();
  if (auto st = store_.PutSetting(std::string(auth::kSecuritySettingsKey), json); !st.ok())
    return std::move(st).error();
  if (auto st = publisher_.PublishAll(); !st.ok()) return std::move(st).error();
  return JsonReply{200, std::move(json)};
}

}  // namespace omni::admin
