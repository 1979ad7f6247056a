#include "admin/api_gate.h"

#include <array>

#include "auth/client_credentials.h"
#include "auth/csrf.h"
#include "gateway/client_access.h"

namespace omni::admin {
namespace net = boost::asio;

namespace {

constexpr std::array<http::HeaderPair, 5> kSecurityHeaders{{
    {"X-Content-Type-Options", "nosniff"},
    {"X-Frame-Options", "DENY"},
    {"Referrer-Policy", "no-referrer"},
    {"Cache-Control", "no-store"},
    {"Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"},
}};

bool OpenRoute(std::string_view path) {
  return path == "/api/health/live" || path == "/api/auth/login" || path == "/api/auth/logout" ||
         path == "/api/auth/status";
}

}  // namespace

Status ApiGate::CheckAdminAccess(const http::Exchange& ex, const auth::AuthSnapshot& auth) const {
  std::string ip =
      auth::ClientIp(ex.RemoteAddress(), gateway::ForwardedFor(ex), auth.trusted_proxies);
  if (!auth.ip_access.Allowed(ip))
    return Error{403, "permission_error", "ip_not_allowed",
                 "your address is not allowed to use this gateway"};
  if (OpenRoute(ex.Path())) return {};

  std::string_view token = auth::SessionManager::TokenFromCookieHeader(ex.Header("Cookie"));
  if (!token.empty()) {
    auto session = sessions_.Verify(token, auth.session_epoch, auth.revoked_sessions);
    if (!session.ok()) return std::move(session).error();
    if (!auth::SameOriginRequest(ex.Method(), ex.Header("Origin"), ex.Header("Referer"),
                                 ex.Header("Host"), ex.Header("Sec-Fetch-Site"), true)) {
      return Error{403, "permission_error", "csrf_rejected",
                   "cross-site request refused: the Origin does not match this server"};
    }
    return {};
  }
  auto presented =
      auth::ExtractApiKey([&ex](std::string_view name) { return ex.Header(name); }, ex.Query());
  if (presented) {
    const auth::ApiKeyRecord* key = auth.keys.Find(presented->key);
    if (key && key->admin && auth::KeyState(*key, clock_.NowUnixMs()) == auth::ApiKeyState::kActive)
      return {};
    return Error{401, "authentication_error", "invalid_admin_key",
                 "this API key may not use the admin API"};
  }
  return Error{401, "authentication_error", "login_required",
               "login required: POST /api/auth/login, or send an admin API key"};
}

bool ApiGate::HostAllowed(std::string_view host) const {
  if (!loopback_only_) return true;
  // Strip the port: "[::1]:20128" → "[::1]", "localhost:20128" → "localhost".
  if (!host.empty() && host.front() == '[') {
    host = host.substr(0, host.find(']') + 1);
  } else if (auto colon = host.rfind(':'); colon != std::string_view::npos) {
    host = host.substr(0, colon);
  }
  if (host.empty() || host == "localhost" || host == "127.0.0.1" || host == "[::1]" ||
      host.ends_with(".localhost"))
    return true;
  if (host.starts_with("127.")) return true;
  for (const auto& h : extra_hosts_)
    if (host == h) return true;
  return false;
}

net::awaitable<void> ApiGate::Serve(http::Exchange& ex) const {
  if (!HostAllowed(ex.Header("Host"))) {
    const Error e{403, "permission_error", "host_not_allowed",
                  "Host header not allowed: this gateway listens on loopback only (DNS rebinding "
                  "protection); add the name to ALLOWED_HOSTS if you mapped it to this machine"};
    co_await http::Router::SendError(ex, e);
    co_return;
  }
  std::string_view path = ex.Path();
  if (!path.starts_with('/')) {
    // Only origin-form targets are served. The router also matches "api/keys" (no leading
    // slash), which must not slip past the /api/ check below.
    const Error e{400, "invalid_request_error", "bad_request_target",
                  "the request target must start with \"/\""};
    co_await http::Router::SendError(ex, e);
    co_return;
  }
  if (path.starts_with("/api/") || path == "/api") {
    ex.SetResponseHeaders(kSecurityHeaders);
    auto auth = auth_.Get();
    Status access = CheckAdminAccess(ex, *auth);
    if (!access.ok()) {
      co_await http::Router::SendError(ex, access.error());
      co_return;
    }
  }
  co_await router_.Dispatch(ex);
}

}  // namespace omni::admin
