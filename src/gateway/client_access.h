#pragma once
// Who may call /v1/*: IP access lists, then the API key in any client style (Bearer,
// x-api-key, x-goog-api-key, ?key=). Rules (secure by default):
//   - a presented key must be valid, not revoked and not expired (401 otherwise);
//   - REQUIRE_API_KEY=true: a key is mandatory;
//   - REQUIRE_API_KEY=false: keyless calls are accepted only from loopback, so an exposed port
//     never hands out the user's pooled subscription accounts;
//   - /v1/models skips the key rules when "API auth for /models" is off.
// Stateless; thread-safe.

#include <string>

#include "auth/auth_snapshot.h"
#include "core/result.h"
#include "http/exchange.h"

namespace omni::gateway {

struct ClientIdentity {
  const auth::ApiKeyRecord* key = nullptr;  // points into the AuthSnapshot; null when keyless
  std::string ip;                           // client address after trusted-proxy resolution
};

struct AccessPolicy {
  bool require_api_key = false;
};

Result<ClientIdentity> CheckClientAccess(const http::Exchange& ex, const auth::AuthSnapshot& auth,
                                         const AccessPolicy& policy, bool models_route,
                                         int64_t now_unix_ms);

// Every X-Forwarded-For line of the request joined with ", " (RFC 9110 §5.3), for
// auth::ClientIp. A proxy may add its own line instead of appending to the client's: reading
// only the first line would let the client pick its address.
std::string ForwardedFor(const http::Exchange& ex);

// 403 when the key's allow-list does not cover the requested model.
Status CheckModelAllowed(const ClientIdentity& who, std::string_view model);

}  // namespace omni::gateway
