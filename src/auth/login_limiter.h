#pragma once
// Slows down password guessing on the dashboard login, per client address.
//
// A few failed logins from an address cost nothing (typos happen). The `lock_after_failures`-th
// consecutive failure locks the address out for base_lock_ms, and every further failure doubles
// the lockout up to max_lock_ms (defaults: failures 1-4 free, the 5th locks 1 s, the 6th 2 s,
// the 7th 4 s, ... capped at 15 min). A successful login clears the
// address; failures are forgotten forget_after_ms after the last one. While locked, the login
// handler answers 429 with Retry-After and does not even run the (expensive) password check.
//
// IPv6 clients are tracked per /64: one host usually holds a whole /64, so tracking single
// addresses would let it rotate through 2^64 of them. IPv4 is tracked per address.
//
// Memory is bounded: at most max_entries addresses are tracked; past that the one that failed
// least recently is forgotten. (An attacker with many addresses can evict its own entries, but
// can equally spread guesses across them: per-address limits only stop single sources.)
//
// Ownership: holds a reference to the Clock, which must outlive the limiter.
// Thread-safety: all methods are safe to call concurrently (one mutex; each call is O(1)).

#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.h"

namespace omni::auth {

struct LoginLimiterOptions {
  int lock_after_failures = 5;                // this many consecutive failures start a lockout
  int64_t base_lock_ms = 1'000;               // first lockout
  int64_t max_lock_ms = 15 * 60 * 1'000;      // lockouts double up to this
  int64_t forget_after_ms = 60 * 60 * 1'000;  // idle time after which failures are dropped
  size_t max_entries = 10'000;                // addresses tracked at once (~100 bytes each)
};

struct LoginDecision {
  bool allowed = true;
  int64_t retry_after_s = 0;  // > 0 when !allowed: seconds to put in Retry-After (rounded up)
};

class LoginLimiter {
 public:
  explicit LoginLimiter(const Clock& clock, LoginLimiterOptions options = {});

  LoginLimiter(const LoginLimiter&) = delete;
  LoginLimiter& operator=(const LoginLimiter&) = delete;

  // Whether `ip` may attempt a login now. Does not count as an attempt.
  LoginDecision Check(std::string_view ip);
  // Check and, when allowed, count the attempt as a failure at once, atomically: a login
  // handler calls this before the (slow) password check and RecordSuccess if it was right, so
  // guesses sent in parallel are counted while still being checked (with Check then
  // RecordFailure, all of them would pass Check before the first failure was recorded).
  LoginDecision BeginAttempt(std::string_view ip);
  // A wrong password from `ip`; may start or extend a lockout.
  void RecordFailure(std::string_view ip);
  // A correct password from `ip`: forgets its failures.
  void RecordSuccess(std::string_view ip);

  size_t tracked() const;

 private:
  struct Entry {
    int failures = 0;
    int64_t last_failure_ms = 0;
    int64_t locked_until_ms = 0;
    std::list<std::string>::iterator lru;  // position in lru_
  };

  // The tracking key: the address itself, or its /64 for IPv6; the raw text if unparseable.
  static std::string KeyFor(std::string_view ip);
  // Both require mu_ held.
  LoginDecision CheckLocked(const std::string& key, int64_t now);
  void RecordFailureLocked(std::string key, int64_t now);
  int64_t LockDuration(int failures) const;

  const Clock& clock_;
  LoginLimiterOptions options_;  // fixed after construction
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;  // guarded by mu_
  std::list<std::string> lru_;                      // least recently failed first; guarded by mu_
};

}  // namespace omni::auth
