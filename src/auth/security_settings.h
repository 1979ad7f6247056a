#pragma once
// SecuritySettings: the user-editable access rules (Dashboard → Settings → Security), stored
// as JSON in the settings table under kSecuritySettingsKey: IP allow/deny lists, proxies whose
// X-Forwarded-For is trusted, blocked providers, and whether /v1/models needs an API key.
// Plain value type.

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace omni::auth {

inline constexpr std::string_view kSecuritySettingsKey = "security";

struct SecuritySettings {
  std::vector<std::string> ip_allow_list;      // CIDRs; empty = everyone
  std::vector<std::string> ip_deny_list;       // CIDRs; deny wins
  std::vector<std::string> trusted_proxies;    // CIDRs whose X-Forwarded-For we believe
  std::vector<std::string> blocked_providers;  // provider ids/aliases never routed to
  bool require_auth_for_models = true;         // "API auth for /models"

  // Parses and validates (CIDRs must parse). Unknown fields are ignored; absent ones keep
  // their defaults. 400 naming the field on bad input.
  static Result<SecuritySettings> FromJson(std::string_view json);
  std::string ToJson() const;
};

}  // namespace omni::auth
