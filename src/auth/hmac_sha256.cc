#include "auth/hmac_sha256.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace omni::auth {
namespace {

constexpr size_t kBlockSize = 64;  // SHA-256 block size (RFC 2104's B)

// Fixed-size digest operations failing means a broken library or no memory (STYLE.md: fatal).
[[noreturn]] void Fatal(const char* what) {
  std::fprintf(stderr, "omniroute: fatal: %s failed\n", what);
  std::abort();
}

const EVP_MD* Sha256() {
  // Fetched once: an implicit fetch on every digest init is what makes one-shot HMAC slow.
  static EVP_MD* md = [] {
    EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (fetched == nullptr) Fatal("EVP_MD_fetch(SHA256)");
    return fetched;
  }();
  return md;
}

EVP_MD_CTX* NewCtxAbsorbing(const uint8_t* block) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr || EVP_DigestInit_ex(ctx, Sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx, block, kBlockSize) != 1) {
    Fatal("SHA-256 init");
  }
  return ctx;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Sha256Digest HmacSha256(std::string_view key, std::string_view data) {
  Sha256Digest out{};
  unsigned int len = 0;
  // A null key pointer is not accepted even with length 0, so point at a static byte instead.
  static const unsigned char kEmpty = 0;
  const void* key_ptr = key.empty() ? static_cast<const void*>(&kEmpty) : key.data();
  const auto* data_ptr =
      data.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(data.data());
  if (HMAC(Sha256(), key_ptr, static_cast<int>(key.size()), data_ptr, data.size(), out.data(),
           &len) == nullptr ||
      len != out.size()) {
    Fatal("HMAC-SHA256");
  }
  return out;
}

void HmacSha256Key::CtxFree::operator()(evp_md_ctx_st* ctx) const { EVP_MD_CTX_free(ctx); }

HmacSha256Key::HmacSha256Key(std::string_view key) {
  // RFC 2104: keys longer than a block are hashed first; shorter ones are zero-padded.
  uint8_t k[kBlockSize] = {};
  if (key.size() > kBlockSize) {
    unsigned int len = 0;
    if (EVP_Digest(key.data(), key.size(), k, &len, Sha256(), nullptr) != 1) Fatal("SHA-256");
  } else if (!key.empty()) {
    std::memcpy(k, key.data(), key.size());
  }
  uint8_t ipad[kBlockSize], opad[kBlockSize];
  for (size_t i = 0; i < kBlockSize; ++i) {
    ipad[i] = k[i] ^ 0x36;
    opad[i] = k[i] ^ 0x5c;
  }
  inner_.reset(NewCtxAbsorbing(ipad));
  outer_.reset(NewCtxAbsorbing(opad));
}

Sha256Digest HmacSha256Key::Mac(std::string_view data) const {
  // One scratch context per thread, reused: allocation per call would cost as much as the MAC.
  thread_local std::unique_ptr<EVP_MD_CTX, CtxFree> work(EVP_MD_CTX_new());
  if (!work) Fatal("EVP_MD_CTX_new");
  Sha256Digest inner{}, out{};
  unsigned int len = 0;
  if (EVP_MD_CTX_copy_ex(work.get(), inner_.get()) != 1 ||
      EVP_DigestUpdate(work.get(), data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(work.get(), inner.data(), &len) != 1 ||
      EVP_MD_CTX_copy_ex(work.get(), outer_.get()) != 1 ||
      EVP_DigestUpdate(work.get(), inner.data(), inner.size()) != 1 ||
      EVP_DigestFinal_ex(work.get(), out.data(), &len) != 1) {
    Fatal("HMAC-SHA256");
  }
  return out;
}

std::string ToHex(const uint8_t* data, size_t n) {
  static const char kHex[] = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kHex[data[i] >> 4];
    out[2 * i + 1] = kHex[data[i] & 15];
  }
  return out;
}

bool FromHex(std::string_view hex, uint8_t* out, size_t out_size) {
  if (hex.size() != out_size * 2) return false;
  for (size_t i = 0; i < out_size; ++i) {
    int hi = HexDigit(hex[2 * i]), lo = HexDigit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  return true;
}

}  // namespace omni::auth
