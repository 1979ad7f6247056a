#pragma once
// SessionManager: dashboard sessions as HS256 JWTs in an HttpOnly cookie. A session carries
// the password "epoch": changing the password bumps the epoch, which ends every other
// session at once; logging out puts the session's id on the revoked list (JWTs are otherwise
// stateless). Immutable after construction; thread-safe.

#include <cstdint>
#include <string>
#include <string_view>

#include "auth/revoked_sessions.h"
#include "core/clock.h"
#include "core/result.h"

namespace omni::auth {

struct SessionOptions {
  std::string jwt_secret;
  int64_t ttl_s = 7 * 24 * 3600;  // SESSION_TTL_HOURS
  bool cookie_secure = false;     // AUTH_COOKIE_SECURE: behind an HTTPS reverse proxy
};

class SessionManager {
 public:
  static constexpr std::string_view kCookieName = "omniroute_session";

  SessionManager(SessionOptions options, const Clock& clock)
      : options_(std::move(options)), clock_(clock) {}

  // A verified session: its token id (JWT "jti") and expiry.
  struct Session {
    std::string id;
    int64_t expires_s = 0;
  };

  std::string Issue(int64_t epoch) const;
  // Valid signature, not expired, issued for the current password epoch and not logged out.
  Result<Session> Verify(std::string_view token, int64_t epoch,
                         const RevokedSessions& revoked) const;
  // Set-Cookie header values to start / end a session.
  std::string SetCookie(const std::string& token) const;
  std::string ClearCookie() const;
  // The session token inside a Cookie header ("" when absent).
  static std::string_view TokenFromCookieHeader(std::string_view cookie_header);

 private:
  SessionOptions options_;
  const Clock& clock_;
};

// A signing secret: `configured` (from the environment) when set, else a random one kept in
// DATA_DIR/<file_name> (0600) so sessions and API keys survive restarts. `warning` is set when
// `configured` equals `public_default` (a value printed in the user guide).
Result<std::string> LoadOrCreateSecret(const std::string& data_dir, std::string_view file_name,
                                       const std::string& configured,
                                       std::string_view public_default, std::string* warning);

}  // namespace omni::auth
