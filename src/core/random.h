#pragma once
// Cryptographically secure random bytes and ids (OpenSSL RAND_bytes). Thread-safe.
#include <string>

namespace omni {

// n random bytes as 2n lowercase hex characters.
std::string RandomHex(size_t n_bytes);
// An id like "conn_3f9a..." (prefix + 16 hex chars).
std::string NewId(const char* prefix);

}  // namespace omni
