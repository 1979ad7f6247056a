#include "gateway/client_access.h"

#include "auth/client_credentials.h"

namespace omni::gateway {

namespace {

bool EqualsLowercase(std::string_view name, std::string_view lowercase) {
  if (name.size() != lowercase.size()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lowercase[i]) return false;
  }
  return true;
}

// Any proxy header at all, even an empty line: a proxy that adds its own line after the
// client's must not hide behind an empty first one.
bool HasProxyHeaders(const http::Exchange& ex) {
  bool found = false;
  ex.ForEachHeader([&found](std::string_view name, std::string_view) {
    if (EqualsLowercase(name, "x-forwarded-for") || EqualsLowercase(name, "forwarded") ||
        EqualsLowercase(name, "x-real-ip"))
      found = true;
  });
  return found;
}

}  // namespace

std::string ForwardedFor(const http::Exchange& ex) {
  std::string joined;
  ex.ForEachHeader([&joined](std::string_view name, std::string_view value) {
    if (value.empty() || !EqualsLowercase(name, "x-forwarded-for")) return;
    if (!joined.empty()) joined += ", ";
    joined.append(value);
  });
  return joined;
}

Result<ClientIdentity> CheckClientAccess(const http::Exchange& ex, const auth::AuthSnapshot& auth,
                                         const AccessPolicy& policy, bool models_route,
                                         int64_t now_unix_ms) {
  ClientIdentity who;
  who.ip = auth::ClientIp(ex.RemoteAddress(), ForwardedFor(ex), auth.trusted_proxies);
  if (!auth.ip_access.Allowed(who.ip))
    return Error{403, "permission_error", "ip_not_allowed",
                 "your address is not allowed to use this gateway"};

  auto presented =
      auth::ExtractApiKey([&ex](std::string_view name) { return ex.Header(name); }, ex.Query());
  if (presented) {
    const auth::ApiKeyRecord* record = auth.keys.Find(presented->key);
    if (!record) return Error{401, "authentication_error", "invalid_api_key", "invalid API key"};
    switch (auth::KeyState(*record, now_unix_ms)) {
      case auth::ApiKeyState::kRevoked:
        return Error{401, "authentication_error", "api_key_revoked", "this API key was revoked"};
      case auth::ApiKeyState::kExpired:
        return Error{401, "authentication_error", "api_key_expired", "this API key has expired"};
      case auth::ApiKeyState::kActive:
        break;
    }
    who.key = record;
    return who;
  }
  if (models_route && !auth.settings.require_auth_for_models) return who;
  if (policy.require_api_key)
    return Error{
        401, "authentication_error", "api_key_required",
        "an API key is required (Authorization: Bearer <key>); create one in the dashboard"};
  // A loopback peer that forwards for someone (a local reverse proxy we were not told to trust)
  // is not a local client: without this, nginx in front of the gateway would make every
  // internet client look local.
  const bool forwarded = HasProxyHeaders(ex);
  const bool local =
      auth::IsLoopback(who.ip) && (!forwarded || auth.trusted_proxies.Contains(ex.RemoteAddress()));
  if (!local)
    return Error{401, "authentication_error", "api_key_required",
                 "an API key is required for clients that are not on this machine"};
  return who;
}

Status CheckModelAllowed(const ClientIdentity& who, std::string_view model) {
  if (!who.key || auth::ModelAllowed(*who.key, model)) return {};
  return Error{403, "permission_error", "model_not_allowed",
               "this API key may not use model \"" + std::string(model) + "\""};
}

}  // namespace omni::gateway
