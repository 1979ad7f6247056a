#pragma once
// AuthSnapshot: what the request path needs to decide who may call it — the API key index,
// IP access lists, trusted proxies, the security settings, the current session epoch and the
// sessions ended by logout.
// Immutable; published through SnapshotHolder<AuthSnapshot> after every change.

#include <memory>

#include "auth/api_key.h"
#include "auth/ip_access.h"
#include "auth/revoked_sessions.h"
#include "auth/security_settings.h"
#include "core/snapshot_holder.h"

namespace omni::auth {

struct AuthSnapshot {
  ApiKeyIndex keys{"", {}};
  IpAccessList ip_access;
  CidrSet trusted_proxies;
  SecuritySettings settings;
  int64_t session_epoch = 0;
  RevokedSessions revoked_sessions;  // logged-out sessions that have not expired yet
};

using AuthSnapshotHolder = omni::SnapshotHolder<AuthSnapshot>;

// Builds a snapshot; fails only when stored settings no longer parse (they are validated on
// write, so that means a hand-edited database).
Result<std::shared_ptr<const AuthSnapshot>> BuildAuthSnapshot(std::string_view api_key_secret,
                                                              std::vector<ApiKeyRecord> keys,
                                                              SecuritySettings settings,
                                                              int64_t session_epoch,
                                                              RevokedSessions revoked = {});

}  // namespace omni::auth
