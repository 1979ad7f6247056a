#include "core/random.h"

#include <openssl/rand.h>

#include <stdexcept>
#include <vector>

namespace omni {

std::string RandomHex(size_t n_bytes) {
  static const char kHex[] = "0123456789abcdef";
  std::vector<unsigned char> bytes(n_bytes);
  // Failure here means the OS has no entropy source: not recoverable.
  if (RAND_bytes(bytes.data(), static_cast<int>(n_bytes)) != 1)
    throw std::runtime_error("RAND_bytes failed");
  std::string out(n_bytes * 2, '0');
  for (size_t i = 0; i < n_bytes; ++i) {
    out[2 * i] = kHex[bytes[i] >> 4];
    out[2 * i + 1] = kHex[bytes[i] & 15];
  }
  return out;
}

std::string NewId(const char* prefix) { return std::string(prefix) + "_" + RandomHex(8); }

}  // namespace omni
