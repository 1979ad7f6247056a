#pragma once
// SecretBox: authenticated encryption of secrets at rest (provider API keys, OAuth tokens) with
// AES-256-GCM. The key is derived from API_KEY_SECRET when the operator sets one (so several
// instances sharing a database agree on it), otherwise it is a random key generated once and kept
// in <data_dir>/secret.key with mode 0600.
//
// Sealed format: "v1:" + base64(12-byte random nonce | ciphertext | 16-byte GCM tag). The version
// prefix lets a later key or cipher change coexist with old rows.
//
// Ownership: a SecretBox is a small value holding only the 32-byte key; copy or move it freely.
// Thread-safety: all const methods are safe to call concurrently.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace omni::store {

class SecretBox {
 public:
  static constexpr size_t kKeySize = 32;
  static constexpr size_t kNonceSize = 12;
  static constexpr size_t kTagSize = 16;
  static constexpr std::string_view kKeyFileName = "secret.key";
  static constexpr std::string_view kHkdfSalt = "omniroute-secrets-v1";

  // Builds the box for a data directory. A non-empty api_key_secret wins (HKDF-SHA256 with salt
  // kHkdfSalt); otherwise the key file in data_dir is read, or created when absent. Fails when
  // the key file is unreadable or has the wrong size (never silently replaces it: that would make
  // every stored secret undecryptable).
  static Result<SecretBox> Open(const std::string& data_dir, const std::string& api_key_secret);

  // For tests and tools that already hold a key.
  static SecretBox FromKey(const std::array<uint8_t, kKeySize>& key) { return SecretBox(key); }

  SecretBox(const SecretBox&) = default;
  SecretBox& operator=(const SecretBox&) = default;
  ~SecretBox();

  // Encrypts with a fresh random nonce; the same plaintext seals differently every time.
  std::string Seal(std::string_view plaintext) const;
  // Decrypts and authenticates; any modification, truncation or wrong key gives an Error.
  Result<std::string> Open(std::string_view sealed) const;

  // hex(HMAC-SHA256(key, "omniroute-key-check")): stored next to the secrets so that starting
  // with a different key is detected up front instead of failing on the first decrypt.
  std::string KeyCheck() const;

 private:
  explicit SecretBox(const std::array<uint8_t, kKeySize>& key) : key_(key) {}

  std::array<uint8_t, kKeySize> key_;
};

}  // namespace omni::store
