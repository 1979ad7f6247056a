#include "auth/password_hasher.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>

namespace omni::auth {
namespace {

// sodium_init picks CPU-specific implementations and seeds its RNG; it must run before any
// other libsodium call. A function-local static gives a thread-safe exactly-once call.
void EnsureSodiumInitialised() {
  static const bool ok = [] { return sodium_init() >= 0; }();  // 1 = already initialised: fine
  if (!ok) {
    // No working RNG for salts: nothing in auth can be trusted (STYLE.md: fatal).
    std::fprintf(stderr, "omniroute: fatal: sodium_init failed\n");
    std::abort();
  }
}

}  // namespace

PasswordHashParams PasswordHashParams::Interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

PasswordHashParams PasswordHashParams::Min() {
  return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

Result<std::string> PasswordHasher::HashPassword(std::string_view password) const {
  if (password.empty()) return Error::InvalidRequest("password must not be empty", "bad_password");
  if (password.size() > kMaxPasswordLength) {
    return Error::InvalidRequest("password is too long", "bad_password");
  }
  EnsureSodiumInitialised();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), params_.opslimit,
                            params_.memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    // libsodium's only failure mode here is failing to allocate memlimit bytes.
    return Error::Internal("password hashing failed (out of memory)");
  }
  return std::string(out);
}

bool PasswordHasher::VerifyPassword(std::string_view hash, std::string_view password) const {
  // crypto_pwhash_str_verify reads a NUL-terminated string of at most STRBYTES-1 characters.
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  if (password.size() > kMaxPasswordLength) return false;
  EnsureSodiumInitialised();
  std::string hash_z(hash);  // adds the terminator; embedded NULs just make it fail to match
  return crypto_pwhash_str_verify(hash_z.c_str(), password.data(), password.size()) == 0;
}

bool PasswordHasher::NeedsRehash(std::string_view hash) const {
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return true;
  EnsureSodiumInitialised();
  std::string hash_z(hash);
  // Returns 0 when current, 1 when parameters differ, -1 when not an argon2id string (that
  // includes argon2i hashes): all but 0 mean "replace it".
  return crypto_pwhash_argon2id_str_needs_rehash(hash_z.c_str(), params_.opslimit,
                                                 params_.memlimit) != 0;
}

}  // namespace omni::auth
