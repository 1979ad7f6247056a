#pragma once
// Dashboard login: POST /api/auth/login {"password"}, POST /api/auth/logout,
// POST /api/auth/password {"current","new"}, GET /api/auth/status.
// Until the password is changed, INITIAL_PASSWORD (default 123456) logs in and the answer
// says mustChangePassword. Changed passwords are stored as argon2id hashes (settings "auth");
// a change bumps the session epoch, ending every other session. Wrong passwords (at login, or
// as the current one of a change) are limited per client IP with growing delays (429 +
// Retry-After). Password hashing runs on a small
// blocking-work pool, never on a worker's event loop.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <mutex>

#include "admin/config_publisher.h"
#include "auth/login_limiter.h"
#include "auth/password_hasher.h"
#include "auth/session_manager.h"
#include "core/clock.h"
#include "http/router.h"
#include "store/store.h"

namespace omni::admin {

class AuthApi {
 public:
  AuthApi(store::Store& store, ConfigPublisher& publisher, const auth::AuthSnapshotHolder& auth,
          const auth::SessionManager& sessions, auth::LoginLimiter& limiter,
          auth::PasswordHasher hasher, std::string initial_password,
          boost::asio::thread_pool& blocking, const Clock& clock)
      : store_(store),
        publisher_(publisher),
        auth_(auth),
        sessions_(sessions),
        limiter_(limiter),
        hasher_(hasher),
        initial_password_(std::move(initial_password)),
        blocking_(blocking),
        clock_(clock) {}

  void RegisterRoutes(http::Router& router);

 private:
  struct PasswordState {
    std::string hash;  // empty: never changed, INITIAL_PASSWORD applies
    int64_t epoch = 0;
  };
  Result<PasswordState> LoadPasswordState();
  boost::asio::awaitable<bool> CheckPassword(const PasswordState& state, std::string password);
  // The client's address as the limiter keys it.
  std::string LimiterIp(http::Exchange& ex);
  // Counts a password attempt from `ip` before the (slow) check; answers 429 and returns false
  // when `ip` is locked out. Login and password changes share the count.
  boost::asio::awaitable<bool> AdmitAttempt(http::Exchange& ex, const std::string& ip);

  boost::asio::awaitable<void> Login(http::Exchange& ex);
  boost::asio::awaitable<void> Logout(http::Exchange& ex);
  boost::asio::awaitable<void> SessionStatus(http::Exchange& ex);
  boost::asio::awaitable<void> ChangePassword(http::Exchange& ex);
  // Puts a session on the stored revoked list and publishes it.
  Status RevokeSession(const auth::SessionManager::Session& session);

  store::Store& store_;
  ConfigPublisher& publisher_;
  const auth::AuthSnapshotHolder& auth_;
  const auth::SessionManager& sessions_;
  auth::LoginLimiter& limiter_;
  auth::PasswordHasher hasher_;
  std::string initial_password_;
  boost::asio::thread_pool& blocking_;
  const Clock& clock_;
  std::mutex revoke_mu_;  // one read-modify-write of the revoked list at a time
};

}  // namespace omni::admin
