#include "formats/ids.h"

#include <algorithm>
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

namespace {
bool IsToolIdByte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}
}  // namespace

std::string SanitizeToolCallId(std::string_view id) {
  std::string out(id);
  for (char& c : out)
    if (!IsToolIdByte(c)) c = '_';
  return out;
}

bool IsValidToolCallId(std::string_view id) {
  return std::all_of(id.begin(), id.end(), IsToolIdByte);
}

}  // namespace omni::formats
