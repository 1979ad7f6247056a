#include "formats/ids.h"

#include <cstdio>

#include "core/random.h"

namespace omni::formats {

std::string RandomIdGenerator::Next(std::string_view prefix) {
  std::string id(prefix);
  id += RandomHex(12);
  return id;
}

RandomIdGenerator& RandomIdGenerator::Instance() {
  static RandomIdGenerator instance;
  return instance;
}

std::string SequentialIdGenerator::Next(std::string_view prefix) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld", static_cast<long long>(next_++));
  std::string id(prefix);
  id += buf;
  return id;
}

std::string SanitizeToolCallId(std::string_view id) {
  std::string out(id);
  for (char& c : out) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-';
    if (!ok) c = '_';
  }
  return out;
}

}  // namespace omni::formats
