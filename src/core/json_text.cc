#include "core/json_text.h"

#include <bit>
#include <cstdint>
#include <cstring>

namespace omni {

namespace {

// Bytes that can be copied verbatim inside a JSON string.
constexpr bool Plain(unsigned char c) { return c >= 0x20 && c != '"' && c != '\\'; }

constexpr uint64_t kOnes = 0x0101010101010101ull;
constexpr uint64_t kHighs = 0x8080808080808080ull;

// Non-zero when any of the 8 bytes in `w` needs escaping (< 0x20, '"' or '\\'). SWAR: a byte
// b is < n when (b - n) borrows into its high bit while b's own high bit is clear; a byte
// equals c when (w ^ c…c) has a zero byte. Most text has no escapes at all, so checking 8
// bytes per step is what makes long prompts cheap to write.
inline uint64_t NeedsEscape(uint64_t w) {
  uint64_t below_space = (w - kOnes * 0x20) & ~w;
  uint64_t q = w ^ (kOnes * '"');
  uint64_t quote = (q - kOnes) & ~q;
  uint64_t b = w ^ (kOnes * '\\');
  uint64_t backslash = (b - kOnes) & ~b;
  return (below_space | quote | backslash) & kHighs;
}

static_assert(std::endian::native == std::endian::little, "PlainRun reads words little-endian");

// The length of the plain prefix of [p, end).
size_t PlainRun(const char* p, const char* end) {
  const char* start = p;
  while (end - p >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    if (uint64_t hits = NeedsEscape(w)) {
      // The lowest flagged byte is exact (a false positive can only sit above a true one, where
      // a borrow propagated); little-endian puts the first byte lowest.
      return static_cast<size_t>(p - start) + static_cast<size_t>(__builtin_ctzll(hits) / 8);
    }
    p += 8;
  }
  while (p < end && Plain(static_cast<unsigned char>(*p))) ++p;
  return static_cast<size_t>(p - start);
}

}  // namespace

void AppendJsonQuoted(std::string& out, std::string_view value) {
  // Keys and short values are usually plain: three appends, no zero-filled slack.
  if (value.size() <= 64 && PlainRun(value.data(), value.data() + value.size()) == value.size()) {
    out.push_back('"');
    out.append(value);
    out.push_back('"');
    return;
  }
  // Writes through a raw pointer into space made up front (text plus quotes, plus slack for a
  // few escapes), growing only when escapes use the slack up: one append() or memcpy call per
  // run of plain bytes cost more than the copying itself.
  constexpr size_t kSlack = 64;
  size_t at = out.size();
  out.resize(at + value.size() + 2 + kSlack);
  char* d = out.data() + at;
  char* limit = out.data() + out.size();
  *d++ = '"';
  const char* p = value.data();
  const char* end = p + value.size();
  while (p < end) {
    // Scan and copy in one pass, a word at a time: each word is stored whole (the room check
    // below keeps at least 8 spare bytes), and the pointers advance only past its plain bytes.
    while (end - p >= 8) {
      uint64_t w;
      std::memcpy(&w, p, 8);
      std::memcpy(d, &w, 8);
      if (uint64_t hits = NeedsEscape(w)) {
        const size_t plain = static_cast<size_t>(__builtin_ctzll(hits) / 8);
        p += plain;
        d += plain;
        break;
      }
      p += 8;
      d += 8;
    }
    if (end - p < 8) {
      size_t run = PlainRun(p, end);
      std::memcpy(d, p, run);
      d += run;
      p += run;
    }
    if (p == end) break;
    // Room for this escape (6 bytes at most), the rest of the text and the closing quote.
    if (static_cast<size_t>(limit - d) < static_cast<size_t>(end - p) + 8) {
      size_t used = static_cast<size_t>(d - out.data());
      out.resize(out.size() + (end - p) + kSlack + value.size() / 8);
      d = out.data() + used;
      limit = out.data() + out.size();
    }
    const unsigned char c = static_cast<unsigned char>(*p++);
    *d++ = '\\';
    switch (c) {
      case '"':
        *d++ = '"';
        break;
      case '\\':
        *d++ = '\\';
        break;
      case '\n':
        *d++ = 'n';
        break;
      case '\r':
        *d++ = 'r';
        break;
      case '\t':
        *d++ = 't';
        break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        const char esc[5] = {'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        std::memcpy(d, esc, 5);
        d += 5;
      }
    }
  }
  *d++ = '"';
  out.resize(static_cast<size_t>(d - out.data()));
}

}  // namespace omni
