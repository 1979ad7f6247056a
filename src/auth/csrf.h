#pragma once
// Cross-site request forgery check for the admin API and dashboard.
//
// Why these rules: a forged request comes from a victim's browser, which attaches the session
// cookie automatically. Browsers always send Origin on cross-site POST/PUT/PATCH/DELETE, and
// modern ones add Sec-Fetch-Site, which page scripts cannot set or forge. Scripts and CLIs that
// authenticate with an admin token send neither header and attach no cookie, so they cannot be
// the vehicle of CSRF and need no check. A state-changing request therefore passes when:
//   1. the method is safe (GET, HEAD, OPTIONS, TRACE: they must not change state), or
//   2. Sec-Fetch-Site is "same-origin" or "none" (a user-initiated navigation), or
//   3. Origin is present and names the same host[:port] as the Host header
//      (when Origin is absent, the origin part of Referer is used instead), or
//   4. there is no Origin and no Referer at all and the request is not using a cookie session.
// Sec-Fetch-Site "cross-site" fails outright; "same-site" (a sibling subdomain, which may be
// attacker-controlled) is decided by Origin. Origin "null" (sandboxed frames, file://) fails.
// Default ports are equivalent to none ("https://a.com" matches Host "a.com:443").
// Behind a reverse proxy that rewrites Host, forward the original Host header (rule 3).
//
// Ownership: pure function. Thread-safety: safe to call concurrently.

#include <string_view>

namespace omni::auth {

// Empty string_view = header absent. `cookie_session` is true when the request is authenticated
// by the session cookie (as opposed to an admin token or nothing at all).
bool SameOriginRequest(std::string_view method, std::string_view origin, std::string_view referer,
                       std::string_view host, std::string_view sec_fetch_site, bool cookie_session);

}  // namespace omni::auth
