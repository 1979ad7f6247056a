#pragma once
// Dashboard password hashing with argon2id (libsodium crypto_pwhash_str).
//
// The stored string is libsodium's self-describing "$argon2id$v=19$m=...,t=...,p=1$salt$hash",
// so verifying never needs the parameters; NeedsRehash tells the login handler when a hash was
// made with weaker parameters than the current ones (upgrade it after a successful login).
//
// Cost: the default (INTERACTIVE) uses 64 MiB and ~0.1 s of CPU per hash or verify. Run these
// off the event loop (a worker thread) and let the LoginLimiter bound how often they run; the
// 64 MiB is a transient mmap, returned after each call. Tests use PasswordHashParams::Min().
//
// Ownership: a PasswordHasher is a small value (two numbers); copy it freely.
// Thread-safety: all methods are safe to call concurrently (sodium_init runs once, guarded).

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"

namespace omni::auth {

struct PasswordHashParams {
  unsigned long long opslimit;
  size_t memlimit;  // bytes

  // crypto_pwhash_OPSLIMIT/MEMLIMIT_INTERACTIVE: libsodium's recommendation for logins.
  static PasswordHashParams Interactive();
  // The smallest argon2id allows: for tests only (fast, weak).
  static PasswordHashParams Min();
};

// Longer passwords are refused (400) when set: argon2 pre-hashes the input so length is not a
// CPU risk, but a multi-megabyte "password" is never legitimate and would be kept in memory.
inline constexpr size_t kMaxPasswordLength = 1024;

class PasswordHasher {
 public:
  explicit PasswordHasher(PasswordHashParams params = PasswordHashParams::Interactive())
      : params_(params) {}

  // A fresh random salt each call, so the same password hashes differently every time.
  // 400 for an empty or over-long password; 500 when libsodium cannot allocate memlimit.
  Result<std::string> HashPassword(std::string_view password) const;

  // True when `password` matches `hash` (argon2id's own comparison is constant time).
  // Any malformed or foreign hash string gives false, never an error: the caller answers 401.
  bool VerifyPassword(std::string_view hash, std::string_view password) const;

  // True when `hash` was not made by argon2id with exactly this hasher's parameters
  // (including unparseable hashes, which must be replaced anyway).
  bool NeedsRehash(std::string_view hash) const;

  const PasswordHashParams& params() const { return params_; }

 private:
  PasswordHashParams params_;
};

}  // namespace omni::auth
