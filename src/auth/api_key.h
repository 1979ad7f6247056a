#pragma once
// Gateway API keys: generation, hashing, lookup and the per-key model allow-list.
//
// Keys are shown to the user once and stored only as hex(HMAC-SHA256(API_KEY_SECRET, key))
// (DESIGN.md "Security"). A database dump therefore reveals no usable key, and without the
// secret it cannot even be used to test guesses offline. Generated keys carry 40 base62
// characters (~238 bits), so a fast keyed hash is enough: no per-key salt or slow KDF is needed,
// and the request path pays one HMAC (~0.2 µs with the prepared key) per request.
//
// ApiKeyIndex is an immutable snapshot built from the store; the gateway swaps in a new
// std::shared_ptr<const ApiKeyIndex> when keys change.
//
// Ownership: ApiKeyIndex owns its records; pointers from Find live as long as the index.
// Thread-safety: free functions and all const ApiKeyIndex methods are safe to call concurrently.

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "auth/hmac_sha256.h"

namespace omni::auth {

inline constexpr std::string_view kApiKeyPrefix = "sk-omni-";
inline constexpr size_t kApiKeyRandomChars = 40;
inline constexpr size_t kApiKeyDisplayPrefixLength = 12;  // "sk-omni-" + 4 random characters
// Presented keys longer than this are not hashed at all (no legitimate key comes close).
inline constexpr size_t kMaxPresentedKeyLength = 512;

struct GeneratedKey {
  std::string plaintext;  // "sk-omni-" + 40 base62 characters; show once, never store
  std::string prefix;     // first 12 characters, safe to display and log ("sk-omni-AbCd")
  std::string hash;       // HashApiKey(plaintext, secret): what the store keeps
};

// A fresh key from OpenSSL's CSPRNG (unbiased base62 by rejection sampling).
// Aborts only when the OS has no entropy source.
GeneratedKey GenerateApiKey(std::string_view api_key_secret);

// hex(HMAC-SHA256(api_key_secret, key)): 64 lowercase hex characters. Stable for a given
// secret; changing API_KEY_SECRET invalidates every stored key hash.
std::string HashApiKey(std::string_view key, std::string_view api_key_secret);

// Equality whose running time depends only on the lengths, never on where bytes differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

struct ApiKeyRecord {
  std::string id;
  std::string name;
  std::string prefix;                       // display prefix (GeneratedKey::prefix)
  std::string key_hash;                     // HashApiKey output
  std::vector<std::string> allowed_models;  // patterns with * and ?; empty = every model
  int64_t expires_at = 0;                   // unix ms; 0 = never expires
  bool revoked = false;
  std::string budget_id;  // empty = no budget
  std::string proxy;      // outbound proxy URL for this key's traffic; empty = default
  bool admin = false;     // may also call the admin API (/api/*), for scripts
};

enum class ApiKeyState { kActive, kRevoked, kExpired };

// Revoked wins over expired (the more deliberate of the two). Expired once now >= expires_at.
ApiKeyState KeyState(const ApiKeyRecord& record, int64_t now_unix_ms);

// Glob match over the whole text: '*' any run of characters (including '/' and none), '?'
// exactly one character; everything else literal and case-sensitive (model ids are). Linear
// backtracking, so hostile patterns cannot blow up.
bool WildcardMatch(std::string_view pattern, std::string_view text);

// True when record.allowed_models is empty or any pattern matches `model`.
bool ModelAllowed(const ApiKeyRecord& record, std::string_view model);

class ApiKeyIndex {
 public:
  // Records whose key_hash repeats keep the first occurrence (hash collisions of random keys do
  // not happen; a repeat means a duplicated row, and the first is as good as any). Records whose
  // key_hash is not 64 hex digits can never match a key and are left out (see skipped()).
  ApiKeyIndex(std::string_view api_key_secret, std::vector<ApiKeyRecord> records);

  // Hashes the presented key and looks it up. Returns the record even when revoked or expired
  // (the caller answers with a specific message via KeyState); nullptr for unknown keys.
  // The map lookup compares HMAC outputs, not keys: an attacker cannot choose HMAC outputs
  // without the secret, so its timing reveals nothing useful and no constant-time compare is
  // needed here.
  const ApiKeyRecord* Find(std::string_view presented_key) const;

  size_t size() const { return by_hash_.size(); }
  // Records left out because their key_hash was malformed: worth a warning at load time.
  size_t skipped() const { return skipped_; }

 private:
  // HMAC outputs are uniformly random and not attacker-chosen, so their first bytes are already
  // a good, flood-proof hash.
  struct DigestHash {
    size_t operator()(const Sha256Digest& d) const {
      size_t h;
      static_assert(sizeof(h) <= sizeof(Sha256Digest));
      std::memcpy(&h, d.data(), sizeof(h));
      return h;
    }
  };

  HmacSha256Key key_;
  // Keyed by the raw digest, so a lookup needs neither hex encoding nor a heap allocation.
  std::unordered_map<Sha256Digest, ApiKeyRecord, DigestHash> by_hash_;
  size_t skipped_ = 0;
};

}  // namespace omni::auth
