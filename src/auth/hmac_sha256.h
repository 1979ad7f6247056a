#pragma once
// HMAC-SHA256 and hex encoding shared by the auth building blocks (JWT signatures, API key
// hashes). Kept in one place so both use the same OpenSSL calls and the same hex alphabet.
//
// HmacSha256Key exists for the request path: OpenSSL's one-shot HMAC() re-fetches the digest
// and re-derives the key pads on every call (~1.5 µs here); absorbing the pads once and copying
// the two prepared SHA-256 states per call costs ~0.2 µs.
//
// Ownership: HmacSha256Key owns its two OpenSSL digest contexts (move-only).
// Thread-safety: the free functions and HmacSha256Key::Mac are safe to call concurrently
// (Mac only reads the prepared states and works in a per-thread context).

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

struct evp_md_ctx_st;  // EVP_MD_CTX, kept out of this header

namespace omni::auth {

using Sha256Digest = std::array<uint8_t, 32>;

// HMAC-SHA256(key, data). Aborts only if OpenSSL itself is broken (not recoverable).
Sha256Digest HmacSha256(std::string_view key, std::string_view data);

// A key with its HMAC pads already absorbed; Mac(data) == HmacSha256(key, data).
class HmacSha256Key {
 public:
  explicit HmacSha256Key(std::string_view key);
  HmacSha256Key(HmacSha256Key&&) noexcept = default;
  HmacSha256Key& operator=(HmacSha256Key&&) noexcept = default;

  Sha256Digest Mac(std::string_view data) const;

 private:
  struct CtxFree {
    void operator()(evp_md_ctx_st* ctx) const;
  };
  std::unique_ptr<evp_md_ctx_st, CtxFree> inner_;  // SHA-256 after absorbing key ^ ipad
  std::unique_ptr<evp_md_ctx_st, CtxFree> outer_;  // SHA-256 after absorbing key ^ opad
};

// Lowercase hex of bytes.
std::string ToHex(const uint8_t* data, size_t n);
// Inverse of ToHex (either case); false when `hex` is not exactly 2 * out.size() hex digits.
bool FromHex(std::string_view hex, uint8_t* out, size_t out_size);

}  // namespace omni::auth
