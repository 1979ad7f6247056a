#pragma once
// ConfigPublisher: rebuilds the in-memory snapshots the request path reads (routing, auth)
// from the Store and swaps them in. Called at start and after every admin write, so the
// next request sees the change; the request path itself never touches the database.
// Thread-safe: publishes are serialised so the newest write always wins.

#include <mutex>
#include <string>

#include "auth/auth_snapshot.h"
#include "providers/catalog.h"
#include "routing/routing_snapshot.h"
#include "store/store.h"

namespace omni::admin {

inline constexpr std::string_view kAuthSettingsKey = "auth";  // {"passwordHash", "epoch"}
// Sessions ended by logout: {"<jti>": exp_s} (auth/revoked_sessions.h).
inline constexpr std::string_view kRevokedSessionsKey = "revoked_sessions";

class ConfigPublisher {
 public:
  ConfigPublisher(store::Store& store, const providers::Catalog& catalog,
                  routing::SnapshotHolder& routing, auth::AuthSnapshotHolder& auth,
                  std::string api_key_secret)
      : store_(store),
        catalog_(catalog),
        routing_(routing),
        auth_(auth),
        api_key_secret_(std::move(api_key_secret)) {}

  Status PublishAll();
  Status PublishRouting();
  Status PublishAuth();

  // Stored security settings (defaults when never saved).
  Result<auth::SecuritySettings> LoadSecuritySettings();

 private:
  Status PublishRoutingLocked(const auth::SecuritySettings& security);
  Status PublishAuthLocked(const auth::SecuritySettings& security);

  store::Store& store_;
  const providers::Catalog& catalog_;
  routing::SnapshotHolder& routing_;
  auth::AuthSnapshotHolder& auth_;
  std::string api_key_secret_;
  std::mutex mu_;
};

}  // namespace omni::admin
