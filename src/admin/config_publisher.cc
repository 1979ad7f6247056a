#include "admin/config_publisher.h"

#include <boost/json.hpp>

namespace omni::admin {

Result<auth::SecuritySettings> ConfigPublisher::LoadSecuritySettings() {
  auto stored = store_.GetSetting(std::string(auth::kSecuritySettingsKey));
  if (!stored.ok()) return std::move(stored).error();
  if (!*stored) return auth::SecuritySettings{};
  return auth::SecuritySettings::FromJson(**stored);
}

Status ConfigPublisher::PublishAll() {
  std::lock_guard lock(mu_);
  auto security = LoadSecuritySettings();
  if (!security.ok()) return std::move(security).error();
  if (auto st = PublishRoutingLocked(*security); !st.ok()) return st;
  return PublishAuthLocked(*security);
}

Status ConfigPublisher::PublishRouting() {
  std::lock_guard lock(mu_);
  auto security = LoadSecuritySettings();
  if (!security.ok()) return std::move(security).error();
  return PublishRoutingLocked(*security);
}

Status ConfigPublisher::PublishAuth() {
  std::lock_guard lock(mu_);
  auto security = LoadSecuritySettings();
  if (!security.ok()) return std::move(security).error();
  return PublishAuthLocked(*security);
}

Status ConfigPublisher::PublishRoutingLocked(const auth::SecuritySettings& security) {
  auto snap = routing::LoadSnapshot(store_, catalog_, security.blocked_providers);
  if (!snap.ok()) return std::move(snap).error();
  routing_.Set(std::move(snap).value());
  return {};
}

Status ConfigPublisher::PublishAuthLocked(const auth::SecuritySettings& security) {
  auto keys = store_.ListApiKeys();
  if (!keys.ok()) return std::move(keys).error();
  std::vector<auth::ApiKeyRecord> records;
  records.reserve(keys->size());
  for (auto& k : *keys) {
    records.push_back({std::move(k.id), std::move(k.name), std::move(k.prefix),
                       std::move(k.key_hash), std::move(k.allowed_models), k.expires_at, k.revoked,
                       std::move(k.budget_id), std::move(k.proxy), k.admin});
  }
  int64_t epoch = 0;
  auto stored = store_.GetSetting(std::string(kAuthSettingsKey));
  if (!stored.ok()) return std::move(stored).error();
  if (*stored) {
    boost::system::error_code ec;
    auto v = boost::json::parse(**stored, ec);
    if (!ec && v.is_object())
      if (const auto* e = v.as_object().if_contains("epoch"); e && e->is_int64())
        epoch = e->as_int64();
  }
  auto revoked_text = store_.GetSetting(std::string(kRevokedSessionsKey));
  if (!revoked_text.ok()) return std::move(revoked_text).error();
  auto revoked = auth::RevokedSessions::Parse(revoked_text->value_or(""));
  if (!revoked.ok()) return std::move(revoked).error();
  auto snap = auth::BuildAuthSnapshot(api_key_secret_, std::move(records), security, epoch,
                                      std::move(revoked).value());
  if (!snap.ok()) return std::move(snap).error();
  auth_.Set(std::move(snap).value());
  return {};
}

}  // namespace omni::admin
