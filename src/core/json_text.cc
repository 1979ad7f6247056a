#include "core/json_text.h"

#include <cstdio>

namespace omni {

namespace {

// Bytes that can be copied verbatim inside a JSON string.
constexpr bool Plain(unsigned char c) { return c >= 0x20 && c != '"' && c != '\\'; }

}  // namespace

void AppendJsonQuoted(std::string& out, std::string_view value) {
  out.reserve(out.size() + value.size() + 2);
  out.push_back('"');
  size_t i = 0;
  while (i < value.size()) {
    // Copy the longest run of plain bytes at once: most text needs no escaping at all.
    size_t run = i;
    while (run < value.size() && Plain(static_cast<unsigned char>(value[run]))) ++run;
    out.append(value.data() + i, run - i);
    if (run == value.size()) break;
    const char c = value[run];
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      default: {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x",
                      static_cast<unsigned>(static_cast<unsigned char>(c)));
        out.append(buf);
      }
    }
    i = run + 1;
  }
  out.push_back('"');
}

}  // namespace omni
