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

#include "auth/auth_snapshot.h"
#include "auth/session_manager.h"
#include "core/clock.h"
#include "http/router.h"

namespace omni::admin {

class ApiGate {
 public:
  ApiGate(const http::Router& router, const auth::AuthSnapshotHolder& auth, const auth::SessionManager& sessions,
          const Clock& clock)
      : router_(router), auth_(auth), sessions_(sessions), clock_(clock) {}

  boost::asio::awaitable<void> Serve(http::Exchange& ex) const;

  // The /api/* access decision (exposed for tests and for the dashboard's static files).
  Status CheckAdminAccess(const http::Exchange& ex, const auth::AuthSnapshot& auth) const;

 private:
  const http::Router& router_;
  const auth::AuthSnapshotHolder& auth_;
  const auth::SessionManager& sessions_;
  const Clock& clock_;
};

}  // namespace omni::admin
