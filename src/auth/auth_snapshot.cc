#include "auth/auth_snapshot.h"

namespace omni::auth {

Result<std::shared_ptr<const AuthSnapshot>> BuildAuthSnapshot(std::string_view api_key_secret,
                                                              std::vector<ApiKeyRecord> keys,
                                                              SecuritySettings settings,
                                                              int64_t session_epoch,
                                                              RevokedSessions revoked) {
  auto acl = IpAccessList::Parse(settings.ip_allow_list, settings.ip_deny_list);
  if (!acl.ok()) return std::move(acl).error();
  auto proxies = CidrSet::Parse(settings.trusted_proxies, "trustedProxies");
  if (!proxies.ok()) return std::move(proxies).error();
  auto snap = std::make_shared<AuthSnapshot>();
  snap->keys = ApiKeyIndex(api_key_secret, std::move(keys));
  snap->ip_access = std::move(acl).value();
  snap->trusted_proxies = std::move(proxies).value();
  snap->settings = std::move(settings);
  snap->session_epoch = session_epoch;
  snap->revoked_sessions = std::move(revoked);
  return std::shared_ptr<const AuthSnapshot>(std::move(snap));
}

}  // namespace omni::auth
