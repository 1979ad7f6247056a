#include "core/json_text.h"

#include <bit>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace omni {

namespace detail {

uint32_t EscapeMask16Portable(const char* p) {
  // Exact per-byte tests (no borrow crosses a byte): adding to the low 7 bits never carries
  // out of a byte, so each byte's high bit answers for that byte alone.
  constexpr uint64_t kLow7 = 0x7f7f7f7f7f7f7f7full;
  constexpr uint64_t kHigh = 0x8080808080808080ull;
  auto word_mask = [](uint64_t w) {
    const uint64_t at_least_space = ((w & kLow7) + 0x6060606060606060ull) | w;  // byte >= 0x20
    const uint64_t q = w ^ 0x2222222222222222ull;                               // '"'
    const uint64_t b = w ^ 0x5c5c5c5c5c5c5c5cull;                               // '\\'
    const uint64_t q_nonzero = ((q & kLow7) + kLow7) | q;
    const uint64_t b_nonzero = ((b & kLow7) + kLow7) | b;
    const uint64_t hits = ~(at_least_space & q_nonzero & b_nonzero) & kHigh;
    // Gather the 8 high bits into one byte (bit i = byte i).
    return static_cast<uint32_t>(((hits >> 7) * 0x0102040810204080ull) >> 56);
  };
  uint64_t lo, hi;
  std::memcpy(&lo, p, 8);
  std::memcpy(&hi, p + 8, 8);
  return word_mask(lo) | (word_mask(hi) << 8);
}

}  // namespace detail

namespace {

static_assert(std::endian::native == std::endian::little, "masks number bytes from the low end");

// The same for the 16 bytes at p.
inline uint32_t EscapeMask16(const char* p) {
#if defined(__SSE2__)
  return detail::EscapeMaskOf(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
#else
  return detail::EscapeMask16Portable(p);
#endif
}

// The second byte of two-byte escapes; 0 means \u00XX.
constexpr auto kShortEscape = [] {
  struct Table {
    char c[256] = {};
  } t;
  t.c[static_cast<unsigned char>('"')] = '"';
  t.c[static_cast<unsigned char>('\\')] = '\\';
  t.c[static_cast<unsigned char>('\n')] = 'n';
  t.c[static_cast<unsigned char>('\r')] = 'r';
  t.c[static_cast<unsigned char>('\t')] = 't';
  return t;
}();

inline char* WriteEscape(char* d, unsigned char c) {
  *d++ = '\\';
  if (const char s = kShortEscape.c[c]) {
    *d++ = s;
    return d;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  const char esc[5] = {'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
  std::memcpy(d, esc, 5);
  return d + 5;
}

// Copies the 16-byte block at `src` to `d`, escaping the bytes flagged in `mask` (non-zero).
// Needs 32 readable bytes at `src` (plain runs between escapes are moved with one 16-byte copy
// each) and 112 writable bytes at `d` (16 escapes of 6, plus a 16-byte store).
inline char* WriteBlockWithEscapes(char* d, const char* src, uint32_t mask) {
  size_t pos = 0;
  do {
    const size_t at = static_cast<size_t>(std::countr_zero(mask));
    std::memcpy(d, src + pos, 16);
    d += at - pos;
    d = WriteEscape(d, static_cast<unsigned char>(src[at]));
    pos = at + 1;
    mask &= mask - 1;
  } while (mask != 0);
  std::memcpy(d, src + pos, 16);
  return d + (16 - pos);
}

// The same for the last bytes of a text, where 32 bytes may not be readable: from a padded
// copy (whose reload stalls on the fresh stores, so only this rare case pays for it).
inline char* WriteLastBlockWithEscapes(char* d, const char* src, size_t n, uint32_t mask) {
  char block[32];
  std::memset(block, 'x', sizeof block);
  std::memcpy(block, src, n);
  return WriteBlockWithEscapes(d, block, mask);
}

}  // namespace

bool JsonStringIsPlain(std::string_view value) {
  const char* p = value.data();
  const char* const end = p + value.size();
  for (; end - p >= 16; p += 16)
    if (EscapeMask16(p) != 0) return false;
  return ShortJsonStringIsPlain(p, static_cast<size_t>(end - p));
}

namespace {

constexpr size_t kBlockRoom = 16 * 6;

// Writes `value`'s characters (no quotes) escaped at d. `grow(d, need)` is called after each
// block with escapes and must leave room for `need` more bytes (it may move the buffer and
// returns the new d). Room invariant at the top of each step: (end - p) + kBlockRoom + 1.
template <class Grow>
inline char* QuoteBody(char* d, std::string_view value, Grow&& grow) {
  const char* p = value.data();
  const char* const end = p + value.size();
  while (end - p >= 16) {
    const uint32_t mask = EscapeMask16(p);
    if (mask == 0) {
      std::memcpy(d, p, 16);
      d += 16;
      p += 16;
      continue;
    }
    d = end - p >= 32 ? WriteBlockWithEscapes(d, p, mask)
                      : WriteLastBlockWithEscapes(d, p, 16, mask);
    p += 16;
    d = grow(d, static_cast<size_t>(end - p) + 1 + kBlockRoom);
  }
  if (p < end) {
    // The tail: copied as is when plain, else through the block code on a copy padded with
    // plain bytes, whose output is then cut off.
    const size_t rest = static_cast<size_t>(end - p);
    if (ShortJsonStringIsPlain(p, rest)) {
      std::memcpy(d, p, rest);
    } else {
      char block[16];
      std::memset(block, 'x', sizeof block);
      std::memcpy(block, p, rest);
      d = WriteLastBlockWithEscapes(d, p, rest, EscapeMask16(block)) - 16;
    }
    d += rest;
  }
  return d;
}

}  // namespace

void AppendJsonQuoted(std::string& out, std::string_view value) {
  // Keys and short values: one check, one append.
  if (value.size() < 16 && ShortJsonStringIsPlain(value.data(), value.size())) {
    char quoted[2 + 16];
    quoted[0] = '"';
    if (!value.empty()) std::memcpy(quoted + 1, value.data(), value.size());  // {}: no data
    quoted[value.size() + 1] = '"';
    out.append(quoted, value.size() + 2);
    return;
  }
  // Writes through a raw pointer into space made up front (text, quotes, and room for one
  // fully escaped block), growing only when escapes use the room up. One append() per run of
  // plain bytes cost more than the copying itself.
  const size_t at = out.size();
  out.resize(at + value.size() + 2 + kBlockRoom);
  char* d = out.data() + at;
  char* limit = out.data() + out.size();
  *d++ = '"';
  d = QuoteBody(d, value, [&](char* d, size_t need) {
    if (static_cast<size_t>(limit - d) < need) {
      const size_t used = static_cast<size_t>(d - out.data());
      out.resize(used + need + value.size() / 8);
      d = out.data() + used;
      limit = out.data() + out.size();
    }
    return d;
  });
  *d++ = '"';
  out.resize(static_cast<size_t>(d - out.data()));
}

char* WriteJsonQuoted(char* d, std::string_view value) {
  *d++ = '"';
  d = QuoteBody(d, value, [](char* d, size_t) { return d; });
  *d++ = '"';
  return d;
}

}  // namespace omni
