#pragma once
// JSON text helpers for code that writes small JSON by hand on hot paths (error bodies,
// the model rewrite) where building a DOM would cost more than the answer.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace omni {
// Appends `value` as a quoted, escaped JSON string literal.
void AppendJsonQuoted(std::string& out, std::string_view value);
// The same at d, which must have room for JsonQuotedMaxSize(value.size()) bytes; returns the
// end of what was written.
char* WriteJsonQuoted(char* d, std::string_view value);
constexpr size_t JsonQuotedMaxSize(size_t n) { return 6 * n + 2 + 112; }
// True when no byte of `value` needs escaping in a JSON string (so it can be quoted as is).
bool JsonStringIsPlain(std::string_view value);

namespace detail {

// Bytes that must be escaped inside a JSON string: < 0x20, '"' and '\\'.
inline constexpr auto kMustEscape = [] {
  struct Table {
    bool c[256] = {};
  } t;
  for (int i = 0; i < 0x20; ++i) t.c[i] = true;
  t.c[static_cast<unsigned char>('"')] = true;
  t.c[static_cast<unsigned char>('\\')] = true;
  return t;
}();

#if defined(__SSE2__)
// Bit i set when byte i of v must be escaped. Always inlined, also into
// ShortJsonStringIsPlain, which the address sanitizer skips (it would not inline a plain
// function there).
__attribute__((always_inline)) inline uint32_t EscapeMaskOf(__m128i v) {
  const __m128i ctrl = _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(0x1f)), _mm_set1_epi8(0x1f));
  const __m128i quote = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
  const __m128i backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
  return static_cast<uint32_t>(
      _mm_movemask_epi8(_mm_or_si128(ctrl, _mm_or_si128(quote, backslash))));
}
#endif

}  // namespace detail

// JsonStringIsPlain for fewer than 16 bytes (keys, ids, enum values: most strings an encoder
// writes), inline for writers. When the 16 bytes at p lie within one page, one vector load
// checks them and the bytes past the text are masked off: reading them cannot fault, and they
// are never used. (That load is why the address sanitizer is told to skip this function.)
// Otherwise they are checked one by one; copying them into a block would stall the vector
// load on the narrower stores just made.
#if defined(__SSE2__)
__attribute__((no_sanitize_address))
#endif
inline bool ShortJsonStringIsPlain(const char* p, size_t n) {
#if defined(__SSE2__)
  if (n == 0) return true;  // p may be null
  if ((reinterpret_cast<uintptr_t>(p) & 4095) <= 4096 - 16) {
    // The empty asm hides where q points. Inlined on a short literal, GCC otherwise sees a
    // load past the object's end (it warned, -Warray-bounds), and may treat it as undefined.
    const char* q = p;
    asm("" : "+r"(q));
    const uint32_t mask =
        detail::EscapeMaskOf(_mm_loadu_si128(reinterpret_cast<const __m128i*>(q)));
    return (mask & ((1u << n) - 1)) == 0;
  }
#endif
  bool escape = false;
  for (size_t i = 0; i < n; ++i) escape |= detail::kMustEscape.c[static_cast<unsigned char>(p[i])];
  return !escape;
}

}  // namespace omni
