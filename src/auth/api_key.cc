#include "auth/api_key.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <array>
#include <cstdio>
#include <cstdlib>

#include "auth/hmac_sha256.h"

namespace omni::auth {
namespace {

constexpr std::string_view kBase62 =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

// Bytes >= 248 (= 4 * 62) are discarded so every character is equally likely; a plain % 62
// would favour the first 8 characters.
constexpr unsigned kRejectFrom = 248;

void FillRandom(unsigned char* out, size_t n) {
  if (RAND_bytes(out, static_cast<int>(n)) != 1) {
    std::fprintf(stderr, "omniroute: fatal: RAND_bytes failed\n");  // no entropy: not recoverable
    std::abort();
  }
}

}  // namespace

GeneratedKey GenerateApiKey(std::string_view api_key_secret) {
  GeneratedKey key;
  key.plaintext.reserve(kApiKeyPrefix.size() + kApiKeyRandomChars);
  key.plaintext.append(kApiKeyPrefix);
  std::array<unsigned char, 64> buf;
  while (key.plaintext.size() < kApiKeyPrefix.size() + kApiKeyRandomChars) {
    FillRandom(buf.data(), buf.size());
    for (unsigned char b : buf) {
      if (b >= kRejectFrom) continue;
      key.plaintext += kBase62[b % 62];
      if (key.plaintext.size() == kApiKeyPrefix.size() + kApiKeyRandomChars) break;
    }
  }
  key.prefix = key.plaintext.substr(0, kApiKeyDisplayPrefixLength);
  key.hash = HashApiKey(key.plaintext, api_key_secret);
  return key;
}

std::string HashApiKey(std::string_view key, std::string_view api_key_secret) {
  Sha256Digest mac = HmacSha256(api_key_secret, key);
  return ToHex(mac.data(), mac.size());
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

ApiKeyState KeyState(const ApiKeyRecord& record, int64_t now_unix_ms) {
  if (record.revoked) return ApiKeyState::kRevoked;
  if (record.expires_at != 0 && now_unix_ms >= record.expires_at) return ApiKeyState::kExpired;
  return ApiKeyState::kActive;
}

bool WildcardMatch(std::string_view pattern, std::string_view text) {
  // Classic greedy matcher: remember the last '*' and where in the text it started matching;
  // on a mismatch, let that '*' swallow one more character. O(|pattern| * |text|) worst case.
  size_t p = 0, t = 0;
  size_t star = std::string_view::npos, star_t = 0;
  while (t < text.size()) {
    // '*' is checked first so a literal '*' in the text cannot bypass the wildcard logic.
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_t = t;
    } else if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++star_t;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool ModelAllowed(const ApiKeyRecord& record, std::string_view model) {
  if (record.allowed_models.empty()) return true;
  for (const auto& pattern : record.allowed_models) {
    if (WildcardMatch(pattern, model)) return true;
  }
  return false;
}

ApiKeyIndex::ApiKeyIndex(std::string_view api_key_secret, std::vector<ApiKeyRecord> records)
    : key_(api_key_secret) {
  by_hash_.reserve(records.size());
  for (auto& r : records) {
    Sha256Digest digest;
    if (!FromHex(r.key_hash, digest.data(), digest.size())) {
      ++skipped_;
      continue;
    }
    by_hash_.try_emplace(digest, std::move(r));
  }
}

const ApiKeyRecord* ApiKeyIndex::Find(std::string_view presented_key) const {
  if (presented_key.empty() || presented_key.size() > kMaxPresentedKeyLength) return nullptr;
  auto it = by_hash_.find(key_.Mac(presented_key));
  return it == by_hash_.end() ? nullptr : &it->second;
}

}  // namespace omni::auth
