#include "store/secret_box.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <vector>

#include "core/random.h"

namespace omni::store {
namespace {

constexpr std::string_view kSealPrefix = "v1:";
constexpr std::string_view kKeyCheckLabel = "omniroute-key-check";

using Key = std::array<uint8_t, SecretBox::kKeySize>;

// OpenSSL failing on fixed-size AES-GCM/HMAC operations means memory exhaustion or a broken
// library: not something to recover from (STYLE.md), so stop loudly.
[[noreturn]] void Fatal(const char* what) {
  std::fprintf(stderr, "omniroute: fatal: %s failed\n", what);
  std::abort();
}

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

std::string Hex(const uint8_t* data, size_t n) {
  static const char kHex[] = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kHex[data[i] >> 4];
    out[2 * i + 1] = kHex[data[i] & 15];
  }
  return out;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string Base64Encode(const std::vector<uint8_t>& in) {
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), in.data(),
                          static_cast<int>(in.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

// Strict: canonical, no whitespace, length a multiple of 4. EVP_DecodeBlock counts padding as zero
// bytes, so the '=' count is subtracted here.
bool Base64Decode(std::string_view in, std::vector<uint8_t>* out) {
  if (in.empty() || in.size() % 4 != 0) return false;
  size_t pad = 0;
  if (in.back() == '=') ++pad;
  if (in.size() >= 2 && in[in.size() - 2] == '=') ++pad;
  out->assign(in.size() / 4 * 3, 0);
  int n = EVP_DecodeBlock(out->data(), reinterpret_cast<const unsigned char*>(in.data()),
                          static_cast<int>(in.size()));
  if (n < 0 || static_cast<size_t>(n) < pad) return false;
  out->resize(static_cast<size_t>(n) - pad);
  // Reject non-canonical input (non-zero unused bits in the last character): one value, one
  // encoding, so a sealed value can be compared or deduplicated as a string.
  return Base64Encode(*out) == in;
}

Result<Key> DeriveKey(std::string_view ikm) {
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, nullptr));
  Key key{};
  size_t len = key.size();
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) <= 0 ||
      EVP_PKEY_CTX_set_hkdf_md(ctx.get(), EVP_sha256()) <= 0 ||
      EVP_PKEY_CTX_set1_hkdf_salt(
          ctx.get(), reinterpret_cast<const unsigned char*>(SecretBox::kHkdfSalt.data()),
          static_cast<int>(SecretBox::kHkdfSalt.size())) <= 0 ||
      EVP_PKEY_CTX_set1_hkdf_key(ctx.get(), reinterpret_cast<const unsigned char*>(ikm.data()),
                                 static_cast<int>(ikm.size())) <= 0 ||
      EVP_PKEY_derive(ctx.get(), key.data(), &len) <= 0 || len != key.size()) {
    return Error::Internal("HKDF-SHA256 key derivation from API_KEY_SECRET failed");
  }
  return key;
}

// Accepts 32 raw bytes or 64 hex characters, optionally followed by whitespace (an operator
// may have written the file with `echo`).
Result<Key> ParseKeyFile(const std::string& path, std::string content) {
  Key key{};
  if (content.size() == key.size()) {
    std::memcpy(key.data(), content.data(), key.size());
    OPENSSL_cleanse(content.data(), content.size());
    return key;
  }
  while (!content.empty() && std::strchr(" \t\r\n", content.back()) != nullptr) content.pop_back();
  bool ok = content.size() == 2 * key.size();
  for (size_t i = 0; ok && i < key.size(); ++i) {
    int hi = HexDigit(content[2 * i]);
    int lo = HexDigit(content[2 * i + 1]);
    ok = hi >= 0 && lo >= 0;
    key[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  OPENSSL_cleanse(content.data(), content.size());
  if (!ok) {
    return Error::Internal("secret key file " + path +
                           " is malformed (expected 32 raw bytes or 64 hex characters); refusing "
                           "to start — restore the original file or set API_KEY_SECRET");
  }
  return key;
}

// Returns the file content; sets *exists=false (and returns "") when there is no such file.
Result<std::string> ReadWholeFile(const std::string& path, bool* exists) {
  *exists = true;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) {
      *exists = false;
      return std::string();
    }
    return Error::Internal("cannot read secret key file " + path + ": " + std::strerror(errno));
  }
  std::string content;
  char buf[256];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return Error::Internal("cannot read secret key file " + path + ": " + std::strerror(err));
    }
    if (n == 0) break;
    content.append(buf, static_cast<size_t>(n));
    // A key file is tiny; anything big is not ours and gets the "wrong size" error.
    if (content.size() > 4096) break;
  }
  OPENSSL_cleanse(buf, sizeof buf);
  ::close(fd);
  return content;
}

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// Creates the key file without a window where another process could read a partial key: the
// key is written to a private O_EXCL temp file, fsynced, then link()ed into place (link fails
// with EEXIST instead of replacing, so a concurrent starter's key is never overwritten).
// Returns true when this call created it, false when one appeared concurrently.
Result<bool> CreateKeyFile(const std::string& dir, const std::string& path, const Key& key) {
  std::string tmp = path + ".tmp-" + RandomHex(6);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Error::Internal("cannot create secret key file in " + dir + ": " + std::strerror(errno));
  }
  std::string hex = Hex(key.data(), key.size()) + "\n";
  bool ok = ::fchmod(fd, 0600) == 0 && WriteAll(fd, hex) && ::fsync(fd) == 0;
  int err = errno;
  OPENSSL_cleanse(hex.data(), hex.size());
  ::close(fd);
  if (!ok) {
    ::unlink(tmp.c_str());
    return Error::Internal("cannot write secret key file " + tmp + ": " + std::strerror(err));
  }
  int rc = ::link(tmp.c_str(), path.c_str());
  err = errno;
  ::unlink(tmp.c_str());
  if (rc != 0 && err == EEXIST) return false;
  if (rc != 0) {
    return Error::Internal("cannot create secret key file " + path + ": " + std::strerror(err));
  }
  // Persist the directory entry too, or a crash could lose the key after secrets used it.
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return true;
}

Result<Key> LoadOrCreateKeyFile(const std::string& data_dir) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) return Error::Internal("cannot create data directory " + data_dir + ": " + ec.message());
  std::string path = (std::filesystem::path(data_dir) / SecretBox::kKeyFileName).string();
  // Two rounds: if another process creates the file between our read and our link, read theirs.
  for (int attempt = 0; attempt < 2; ++attempt) {
    bool exists = false;
    auto content = ReadWholeFile(path, &exists);
    if (!content.ok()) return std::move(content).error();
    if (exists) return ParseKeyFile(path, std::move(content.value()));
    Key key{};
    if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1) Fatal("RAND_bytes");
    auto created = CreateKeyFile(data_dir, path, key);
    if (!created.ok()) return std::move(created).error();
    if (*created) return key;
  }
  return Error::Internal("secret key file " + path + " keeps disappearing; refusing to start");
}

}  // namespace

Result<SecretBox> SecretBox::Open(const std::string& data_dir, const std::string& api_key_secret) {
  Result<Key> key =
      api_key_secret.empty() ? LoadOrCreateKeyFile(data_dir) : DeriveKey(api_key_secret);
  if (!key.ok()) return std::move(key).error();
  SecretBox box(*key);
  OPENSSL_cleanse(key->data(), key->size());
  return box;
}

SecretBox::~SecretBox() { OPENSSL_cleanse(key_.data(), key_.size()); }

std::string SecretBox::Seal(std::string_view plaintext) const {
  std::vector<uint8_t> out(kNonceSize + plaintext.size() + kTagSize);
  uint8_t* nonce = out.data();
  uint8_t* ct = nonce + kNonceSize;
  uint8_t* tag = ct + plaintext.size();
  if (RAND_bytes(nonce, static_cast<int>(kNonceSize)) != 1) Fatal("RAND_bytes");
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), nonce) != 1 ||
      EVP_EncryptUpdate(ctx.get(), ct, &len, reinterpret_cast<const uint8_t*>(plaintext.data()),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), ct + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagSize), tag) != 1) {
    Fatal("AES-256-GCM encryption");
  }
  return std::string(kSealPrefix) + Base64Encode(out);
}

Result<std::string> SecretBox::Open(std::string_view sealed) const {
  if (!sealed.starts_with(kSealPrefix)) {
    return Error::Internal("stored secret has an unknown format (expected a \"v1:\" prefix)");
  }
  std::vector<uint8_t> raw;
  if (!Base64Decode(sealed.substr(kSealPrefix.size()), &raw) ||
      raw.size() < kNonceSize + kTagSize) {
    return Error::Internal("stored secret is corrupted (bad encoding or too short)");
  }
  const size_t ct_len = raw.size() - kNonceSize - kTagSize;
  uint8_t* nonce = raw.data();
  uint8_t* ct = nonce + kNonceSize;
  uint8_t* tag = ct + ct_len;
  std::string plain(ct_len, '\0');
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), nonce) != 1 ||
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<uint8_t*>(plain.data()), &len, ct,
                        static_cast<int>(ct_len)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagSize), tag) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<uint8_t*>(plain.data()) + len, &len) != 1) {
    OPENSSL_cleanse(plain.data(), plain.size());
    return Error::Internal(
        "stored secret failed authentication (tampered with, or encrypted with another key)");
  }
  return plain;
}

std::string SecretBox::KeyCheck() const {
  uint8_t mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  if (HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
           reinterpret_cast<const uint8_t*>(kKeyCheckLabel.data()), kKeyCheckLabel.size(), mac,
           &mac_len) == nullptr) {
    Fatal("HMAC-SHA256");
  }
  return Hex(mac, mac_len);
}

}  // namespace omni::store
