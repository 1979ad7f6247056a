#pragma once
// ApiGate: the top-level request handler. Everything under /api/ passes its checks before
// the router sees it:
//   - IP access lists (also for /v1/*, which the gateway checks itself);
//   - open routes: liveness and the login/logout/status endpoints;
//   - otherwise a dashboard session (cookie, JWT for the current password epoch) — with a
//     same-origin check on state-changing methods (CSRF) — or an admin API key (Bearer, for
//     scripts; no cookie, so no CSRF exposure).
// /api/* responses carry security headers (nosniff, no framing, no caching, strict CSP).
// Thread-safe: reads snapshots only.

#include <boost/asio/awaitable.hpp>
#include <string>
#include <vector>

#include "auth/auth_snapshot.h"
#include "auth/session_manager.h"
#include "core/clock.h"
#include "http/router.h"

namespace omni::admin {

class ApiGate {
 public:
  // `loopback_only`: the server is bound to a loopback address, so every legitimate request names
  // a loopback host; any other Host header is a DNS-rebinding attempt from a web page and is
  // refused (`extra_hosts`: more names the user maps to this machine, ALLOWED_HOSTS).
  ApiGate(const http::Router& router, const auth::AuthSnapshotHolder& auth,
          const auth::SessionManager& sessions, const Clock& clock, bool loopback_only = false,
          std::vector<std::string> extra_hosts = {})
      : router_(router),
        auth_(auth),
        sessions_(sessions),
        clock_(clock),
        loopback_only_(loopback_only),
        extra_hosts_(std::move(extra_hosts)) {}

  boost::asio::awaitable<void> Serve(http::Exchange& ex) const;

  // The /api/* access decision (exposed for tests and for the dashboard's static files).
  Status CheckAdminAccess(const http::Exchange& ex, const auth::AuthSnapshot& auth) const;

 private:
  const http::Router& router_;
  const auth::AuthSnapshotHolder& auth_;
  const auth::SessionManager& sessions_;
  const Clock& clock_;
  bool loopback_only_;
  std::vector<std::string> extra_hosts_;
  bool HostAllowed(std::string_view host_header) const;
};

}  // namespace omni::admin
