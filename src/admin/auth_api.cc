#include "admin/auth_api.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include "admin/json_fields.h"
#include "auth/api_key.h"
#include "auth/client_credentials.h"
#include "gateway/client_access.h"

namespace omni::admin {
namespace net = boost::asio;
namespace json = boost::json;
using http::Exchange;
using http::Router;

namespace {

constexpr size_t kMinPasswordLength = 8;

// Runs on the blocking pool (argon2id takes ~100 ms and 64 MiB by design).
net::awaitable<bool> VerifyOnPool(auth::PasswordHasher hasher, std::string hash,
                                  std::string password) {
  co_return hasher.VerifyPassword(hash, password);
}
// co_spawn results must be default-constructible: an empty string means hashing failed.
net::awaitable<std::string> HashOnPool(auth::PasswordHasher hasher, std::string password) {
  auto hash = hasher.HashPassword(password);
  co_return hash.ok() ? std::move(hash).value() : std::string();
}

// `body` is a view: GCC 12 miscompiles string literals converted to std::string inside a
// co_await expression.
net::awaitable<void> SendJson(Exchange& ex, int status, std::string_view body,
                              std::span<const http::HeaderPair> extra = {}) {
  co_await ex.Respond(status, "application/json", body, extra);
}

}  // namespace

void AuthApi::RegisterRoutes(http::Router& r) {
  r.Add("POST", "/api/auth/login",
        [this](Exchange& ex, const http::RouteParams&) { return Login(ex); });
  r.Add("POST", "/api/auth/logout",
        [this](Exchange& ex, const http::RouteParams&) { return Logout(ex); });
  r.Add("GET", "/api/auth/status",
        [this](Exchange& ex, const http::RouteParams&) { return SessionStatus(ex); });
  r.Add("POST", "/api/auth/password",
        [this](Exchange& ex, const http::RouteParams&) { return ChangePassword(ex); });
}

Result<AuthApi::PasswordState> AuthApi::LoadPasswordState() {
  auto stored = store_.GetSetting(std::string(kAuthSettingsKey));
  if (!stored.ok()) return std::move(stored).error();
  PasswordState state;
  if (!*stored) return state;
  boost::system::error_code ec;
  auto v = json::parse(**stored, ec);
  if (ec || !v.is_object()) return Error::Internal("stored auth settings are not valid JSON");
  const auto& o = v.as_object();
  if (const auto* h = o.if_contains("passwordHash"); h && h->is_string())
    state.hash = std::string(h->as_string());
  if (const auto* e = o.if_contains("epoch"); e && e->is_int64()) state.epoch = e->as_int64();
  return state;
}

net::awaitable<bool> AuthApi::CheckPassword(const PasswordState& state, std::string password) {
  if (state.hash.empty()) co_return auth::ConstantTimeEquals(password, initial_password_);
  auto task = VerifyOnPool(hasher_, state.hash, std::move(password));
  bool ok = co_await net::co_spawn(blocking_, std::move(task), net::use_awaitable);
  co_return ok;
}

std::string AuthApi::LimiterIp(Exchange& ex) {
  auto snapshot = auth_.Get();
  return auth::ClientIp(ex.RemoteAddress(), gateway::ForwardedFor(ex), snapshot->trusted_proxies);
}

net::awaitable<bool> AuthApi::AdmitAttempt(Exchange& ex, const std::string& ip) {
  // Counted as a failure before the (slow) check and forgiven if right, so guesses sent in
  // parallel cannot all pass the limiter before the first one is recorded.
  const auth::LoginDecision decision = limiter_.BeginAttempt(ip);
  if (decision.allowed) co_return true;
  const std::string retry = std::to_string(decision.retry_after_s);
  std::array<http::HeaderPair, 1> headers{{{"Retry-After", retry}}};
  const Error e{429, "rate_limit_error", "too_many_attempts",
                "too many wrong passwords; try again in " + retry + " s"};
  co_await Router::SendError(ex, e, headers);
  co_return false;
}

net::awaitable<void> AuthApi::Login(Exchange& ex) {
  const std::string ip = LimiterIp(ex);
  auto body = ParseObject(ex.Body());
  Result<std::optional<std::string>> password =
      body.ok() ? OptString(*body, "password") : Result<std::optional<std::string>>(body.error());
  if (!password.ok() || !*password) {
    const Error e = password.ok() ? FieldError("password", "is required") : password.error();
    co_await Router::SendError(ex, e);
    co_return;
  }
  const bool admitted = co_await AdmitAttempt(ex, ip);
  if (!admitted) co_return;
  auto state = LoadPasswordState();
  if (!state.ok()) {
    co_await Router::SendError(ex, state.error());
    co_return;
  }
  const bool ok = co_await CheckPassword(*state, std::move(**password));
  if (!ok) {
    const Error e{401, "authentication_error", "wrong_password", "wrong password"};
    co_await Router::SendError(ex, e);
    co_return;
  }
  limiter_.RecordSuccess(ip);
  const std::string cookie = sessions_.SetCookie(sessions_.Issue(state->epoch));
  std::array<http::HeaderPair, 1> headers{{{"Set-Cookie", cookie}}};
  const bool must_change = state->hash.empty();
  const std::string answer =
      json::serialize(json::object{{"ok", true}, {"mustChangePassword", must_change}});
  co_await SendJson(ex, 200, answer, headers);
}

Status AuthApi::RevokeSession(const auth::SessionManager::Session& session) {
  std::lock_guard lock(revoke_mu_);
  auto stored = store_.GetSetting(std::string(kRevokedSessionsKey));
  if (!stored.ok()) return std::move(stored).error();
  auto revoked = auth::RevokedSessions::Parse(stored->value_or(""));
  if (!revoked.ok()) return std::move(revoked).error();
  revoked->Add(session.id, session.expires_s, clock_.NowUnixMs() / 1000);
  Status saved = store_.PutSetting(std::string(kRevokedSessionsKey), revoked->ToJson());
  if (saved.ok()) saved = publisher_.PublishAuth();
  return saved;
}

net::awaitable<void> AuthApi::Logout(Exchange& ex) {
  // The cookie is cleared in the browser, and the session itself ends here: a copy of the
  // token (another tab's jar, a proxy log) is refused from now on.
  auto snapshot = auth_.Get();
  std::string_view token = auth::SessionManager::TokenFromCookieHeader(ex.Header("Cookie"));
  if (!token.empty()) {
    auto session = sessions_.Verify(token, snapshot->session_epoch, snapshot->revoked_sessions);
    if (session.ok()) {
      if (Status st = RevokeSession(*session); !st.ok()) {
        co_await Router::SendError(ex, st.error());
        co_return;
      }
    }
  }
  const std::string cookie = sessions_.ClearCookie();
  std::array<http::HeaderPair, 1> headers{{{"Set-Cookie", cookie}}};
  co_await SendJson(ex, 200, "{\"ok\":true}", headers);
}

net::awaitable<void> AuthApi::SessionStatus(Exchange& ex) {
  auto snapshot = auth_.Get();
  std::string_view token = auth::SessionManager::TokenFromCookieHeader(ex.Header("Cookie"));
  const bool authenticated =
      !token.empty() &&
      sessions_.Verify(token, snapshot->session_epoch, snapshot->revoked_sessions).ok();
  auto state = LoadPasswordState();
  const bool must_change = state.ok() && state->hash.empty();
  const std::string answer = json::serialize(
      json::object{{"authenticated", authenticated}, {"mustChangePassword", must_change}});
  co_await SendJson(ex, 200, answer);
}

net::awaitable<void> AuthApi::ChangePassword(Exchange& ex) {
  auto body = ParseObject(ex.Body());
  if (!body.ok()) {
    co_await Router::SendError(ex, body.error());
    co_return;
  }
  auto current = OptString(*body, "current");
  auto fresh = OptString(*body, "new");
  omni::Status invalid;
  if (!current.ok())
    invalid = current.error();
  else if (!fresh.ok())
    invalid = fresh.error();
  else if (!*current)
    invalid = FieldError("current", "is required");
  else if (!*fresh)
    invalid = FieldError("new", "is required");
  else if ((*fresh)->size() < kMinPasswordLength)
    invalid = FieldError("new", "must be at least 8 characters");
  if (!invalid.ok()) {
    co_await Router::SendError(ex, invalid.error());
    co_return;
  }
  // A stolen session must not be a way to guess the password at full speed.
  const std::string ip = LimiterIp(ex);
  const bool admitted = co_await AdmitAttempt(ex, ip);
  if (!admitted) co_return;
  auto state = LoadPasswordState();
  if (!state.ok()) {
    co_await Router::SendError(ex, state.error());
    co_return;
  }
  const bool ok = co_await CheckPassword(*state, std::move(**current));
  if (!ok) {
    const Error e{401, "authentication_error", "wrong_password", "the current password is wrong"};
    co_await Router::SendError(ex, e);
    co_return;
  }
  limiter_.RecordSuccess(ip);
  auto task = HashOnPool(hasher_, std::move(**fresh));
  const std::string hash = co_await net::co_spawn(blocking_, std::move(task), net::use_awaitable);
  if (hash.empty()) {
    const Error e = Error::Internal("could not hash the new password");
    co_await Router::SendError(ex, e);
    co_return;
  }
  const int64_t epoch = state->epoch + 1;
  const std::string stored =
      json::serialize(json::object{{"passwordHash", hash}, {"epoch", epoch}});
  omni::Status saved = store_.PutSetting(std::string(kAuthSettingsKey), stored);
  if (saved.ok()) saved = publisher_.PublishAuth();
  if (!saved.ok()) {
    co_await Router::SendError(ex, saved.error());
    co_return;
  }
  // This session continues under the new epoch; every other one has ended.
  const std::string cookie = sessions_.SetCookie(sessions_.Issue(epoch));
  std::array<http::HeaderPair, 1> headers{{{"Set-Cookie", cookie}}};
  co_await SendJson(ex, 200, "{\"ok\":true}", headers);
}

}  // namespace omni::admin
