#include "formats/json_tape.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace omni::formats {
namespace {

constexpr bool IsStop(unsigned char c) { return c < 0x20 || c == '"' || c == '\\' || c >= 0x80; }

// For the 16 bytes at p: bit i of `quotes` set when p[i] is '"', of `others` when p[i] is '\\',
// a control byte or non-ASCII (which needs UTF-8 validation).
inline void StringMasks16(const char* p, uint32_t& quotes, uint32_t& others) {
#if defined(__SSE2__)
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  // One signed compare finds both control bytes (< 0x20) and non-ASCII (>= 0x80, negative).
  const __m128i ctrl_or_high = _mm_cmplt_epi8(v, _mm_set1_epi8(0x20));
  const __m128i backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
  quotes = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('"'))));
  others = static_cast<uint32_t>(_mm_movemask_epi8(_mm_or_si128(ctrl_or_high, backslash)));
#else
  quotes = others = 0;
  for (int i = 0; i < 16; ++i) {
    const unsigned char c = static_cast<unsigned char>(p[i]);
    if (c == '"') quotes |= 1u << i;
    else if (IsStop(c)) others |= 1u << i;
  }
#endif
}

// Bit i set when p[i] (of 16 bytes) ends a plain run inside a string.
inline uint32_t StringStopMask16(const char* p) {
  uint32_t quotes, others;
  StringMasks16(p, quotes, others);
  return quotes | others;
}

// Length of the valid UTF-8 sequence at p (lead byte >= 0x80), or 0 when it is not one
// (overlong forms, surrogates and code points above U+10FFFF are invalid).
inline size_t Utf8Length(const char* p, const char* end) {
  const auto b = [p](size_t i) { return static_cast<unsigned char>(p[i]); };
  const size_t avail = static_cast<size_t>(end - p);
  const unsigned char c0 = b(0);
  auto cont = [&](size_t i) { return (b(i) & 0xc0) == 0x80; };
  if (c0 < 0xc2) return 0;
  if (c0 < 0xe0) return avail >= 2 && cont(1) ? 2 : 0;
  if (c0 < 0xf0) {
    if (avail < 3 || !cont(1) || !cont(2)) return 0;
    if (c0 == 0xe0 && b(1) < 0xa0) return 0;   // overlong
    if (c0 == 0xed && b(1) >= 0xa0) return 0;  // surrogate
    return 3;
  }
  if (c0 < 0xf5) {
    if (avail < 4 || !cont(1) || !cont(2) || !cont(3)) return 0;
    if (c0 == 0xf0 && b(1) < 0x90) return 0;   // overlong
    if (c0 == 0xf4 && b(1) >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

inline int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Four hex digits at p (end - p >= 4 checked by the caller), or -1.
inline int32_t Hex4(const char* p) {
  int32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    const int h = HexValue(p[i]);
    if (h < 0) return -1;
    v = (v << 4) | h;
  }
  return v;
}

inline char* PutUtf8(char* d, uint32_t cp) {
  if (cp < 0x80) {
    *d++ = static_cast<char>(cp);
  } else if (cp < 0x800) {
    *d++ = static_cast<char>(0xc0 | (cp >> 6));
    *d++ = static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    *d++ = static_cast<char>(0xe0 | (cp >> 12));
    *d++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    *d++ = static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    *d++ = static_cast<char>(0xf0 | (cp >> 18));
    *d++ = static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    *d++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    *d++ = static_cast<char>(0x80 | (cp & 0x3f));
  }
  return d;
}

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The byte a two-character escape stands for (after the backslash); 0 for 'u' and invalid ones.
constexpr auto kUnescape = [] {
  struct Table {
    char c[256] = {};
  } t;
  t.c[static_cast<unsigned char>('"')] = '"';
  t.c[static_cast<unsigned char>('\\')] = '\\';
  t.c[static_cast<unsigned char>('/')] = '/';
  t.c[static_cast<unsigned char>('b')] = '\b';
  t.c[static_cast<unsigned char>('f')] = '\f';
  t.c[static_cast<unsigned char>('n')] = '\n';
  t.c[static_cast<unsigned char>('r')] = '\r';
  t.c[static_cast<unsigned char>('t')] = '\t';
  return t;
}();

// Scans the string whose content starts at p (just past the opening quote) and returns the
// position past its closing quote, filling n.str/count/flags. Plain strings are only scanned;
// the first escape switches to decoding into `decoded` (at decoded_len). A free function over
// local pointers so they stay in registers. On error sets `error` and returns p.
const char* ScanString(const char* p, const char* const end, const char* const base,
                       char* const decoded, size_t& decoded_len, JsonNode& n,
                       const char*& error) {
  const char* const s = p;
  for (;;) {
    while (end - p >= 16) {
      if (const uint32_t mask = StringStopMask16(p)) {
        p += std::countr_zero(mask);
        goto stop;
      }
      p += 16;
    }
    while (p < end && !IsStop(static_cast<unsigned char>(*p))) ++p;
  stop:
    if (p == end) {
      error = "unterminated string";
      return p;
    }
    const unsigned char c = static_cast<unsigned char>(*p);
    if (c == '"') {
      n.str = static_cast<uint32_t>(s - base);
      n.count = static_cast<uint32_t>(p - s);
      return p + 1;
    }
    if (c == '\\') break;
    if (c < 0x20) {
      error = "control character in string";
      return p;
    }
    const size_t len = Utf8Length(p, end);
    if (len == 0) {
      error = "invalid UTF-8";
      return p;
    }
    p += len;
  }
  {
    // Escaped: decode from here on. Decoded output never runs ahead of the input consumed, so
    // the 16-byte stores below stay inside the buffer.
    char* const d0 = decoded + decoded_len;
    char* d = d0;
    std::memcpy(d, s, static_cast<size_t>(p - s));
    d += p - s;
    for (;;) {
      const unsigned char c = static_cast<unsigned char>(*p);
      if (c == '"') {
        ++p;
        break;
      }
      if (c == '\\') {
        if (end - p < 2) {
          error = "unterminated string";
          return p;
        }
        const char e = p[1];
        p += 2;
        if (const char simple = kUnescape.c[static_cast<unsigned char>(e)]) {
          *d++ = simple;
        } else if (e == 'u') {
          if (end - p < 4) {
            error = "invalid \\u escape";
            return p;
          }
          int32_t cp = Hex4(p);
          if (cp < 0) {
            error = "invalid \\u escape";
            return p;
          }
          p += 4;
          if (cp >= 0xd800 && cp <= 0xdfff) {
            const int32_t lo = cp <= 0xdbff && end - p >= 6 && p[0] == '\\' && p[1] == 'u'
                                   ? Hex4(p + 2)
                                   : -1;
            if (lo < 0xdc00 || lo > 0xdfff) {
              error = "lone surrogate in \\u escape";
              return p;
            }
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            p += 6;
          }
          d = PutUtf8(d, static_cast<uint32_t>(cp));
        } else {
          error = "invalid escape in string";
          return p;
        }
      } else if (c < 0x20) {
        error = "control character in string";
        return p;
      } else if (c >= 0x80) {
        const size_t len = Utf8Length(p, end);
        if (len == 0) {
          error = "invalid UTF-8";
          return p;
        }
        std::memcpy(d, p, len);
        d += len;
        p += len;
      }
      // The plain run up to the next stop byte.
      while (end - p >= 16) {
        const uint32_t mask = StringStopMask16(p);
        std::memcpy(d, p, 16);
        if (mask) {
          const int k = std::countr_zero(mask);
          p += k;
          d += k;
          goto stop2;
        }
        p += 16;
        d += 16;
      }
      while (p < end && !IsStop(static_cast<unsigned char>(*p))) *d++ = *p++;
    stop2:
      if (p == end) {
        error = "unterminated string";
        return p;
      }
    }
    n.flags = JsonTape::kDecoded;
    n.str = static_cast<uint32_t>(decoded_len);
    n.count = static_cast<uint32_t>(d - d0);
    decoded_len += static_cast<size_t>(d - d0);
    return p;
  }
}

// Out of line and given the position by value: a lambda capturing the cursor by reference
// would keep it in memory for the whole parse.
[[gnu::noinline, gnu::cold]] Status Fail(const char* base, const char* at, const char* what) {
  return Error::InvalidRequest("body is not valid JSON: " + std::string(what) + " at byte " +
                                   std::to_string(at - base),
                               "invalid_json");
}

}  // namespace

void JsonTape::Grow(size_t at_least) {
  const size_t cap = std::max(at_least, nodes_cap_ * 2);
  std::unique_ptr<JsonNode[]> grown(new JsonNode[cap]);
  if (size_) std::memcpy(grown.get(), nodes_.get(), size_ * sizeof(JsonNode));
  nodes_ = std::move(grown);
  nodes_cap_ = cap;
}

Status JsonTape::Parse(std::string_view text) {
  text_ = text;
  size_ = 0;
  open_.clear();
  const char* const base = text.data();
  const char* const end = base + text.size();
  const char* p = base;
  if (text.size() > (uint32_t{1} << 31)) return Fail(base, p, "document too large");
  // Decoded strings never outgrow the text; 16 spare bytes let runs be copied a block at a time.
  if (decoded_cap_ < text.size() + 16) {
    decoded_cap_ = text.size() + text.size() / 2 + 64;
    decoded_.reset(new char[decoded_cap_]);
  }
  char* const decoded = decoded_.get();
  size_t decoded_len = 0;
  if (nodes_cap_ < text.size() / 12 + 8) Grow(text.size() / 12 + 8);
  auto off = [base](const char* q) { return static_cast<uint32_t>(q - base); };
  auto skip_space = [&] {
    if (p < end && IsJsonSpace(*p)) {
      do ++p;
      while (p < end && IsJsonSpace(*p));
      if (!open_.empty()) nodes_[open_.back()].flags |= kSpaced;
    }
  };

  // A string at p (its opening quote) becomes the last node.
  // The node is filled in place: building it on the stack and copying it made the CPU reload
  // freshly written fields with wider loads (a store-forwarding stall per string).
  auto parse_string = [&]() -> const char* {
    const char* error = nullptr;
    const uint32_t idx = Push({off(p), 0, size_ + 1, 0, 0, JsonKind::kString, 0});
    // Keys and short values end in their first block with nothing to check: one branch
    // settles them here, without the call or a scan loop whose exit the CPU mispredicts.
    if (end - p >= 17) {
      uint32_t quotes, others;
      StringMasks16(p + 1, quotes, others);
      if (quotes != 0 && (others & ((quotes & (0u - quotes)) - 1)) == 0) {
        const int len = std::countr_zero(quotes);
        JsonNode& n = nodes_[idx];
        n.str = off(p + 1);
        n.count = static_cast<uint32_t>(len);
        p += len + 2;
        n.end = off(p);
        return nullptr;
      }
    }
    p = ScanString(p + 1, end, base, decoded, decoded_len, nodes_[idx], error);
    if (error) return error;
    nodes_[idx].end = off(p);
    return nullptr;
  };

  auto parse_number = [&]() -> const char* {
    const char* const s = p;
    if (*p == '-') ++p;
    if (p == end) return "invalid number";
    if (*p == '0') {
      ++p;
    } else if (*p >= '1' && *p <= '9') {
      while (p < end && IsDigit(*p)) ++p;
    } else {
      return "invalid number";
    }
    uint8_t flags = kInteger;
    if (p < end && *p == '.') {
      flags = 0;
      ++p;
      if (p == end || !IsDigit(*p)) return "invalid number";
      while (p < end && IsDigit(*p)) ++p;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
      flags = 0;
      ++p;
      if (p < end && (*p == '+' || *p == '-')) ++p;
      if (p == end || !IsDigit(*p)) return "invalid number";
      while (p < end && IsDigit(*p)) ++p;
    }
    Push({off(s), off(p), size_ + 1, 0, 0, JsonKind::kNumber, flags});
    return nullptr;
  };

  auto literal = [&](std::string_view word, JsonKind kind) -> const char* {
    if (static_cast<size_t>(end - p) < word.size() || std::memcmp(p, word.data(), word.size()) != 0)
      return "invalid literal";
    Push({off(p), off(p + word.size()), size_ + 1, 0, 0, kind, 0});
    p += word.size();
    return nullptr;
  };

  const char* error = nullptr;
value:
  skip_space();
  if (p == end) return Fail(base, p, "unexpected end of text");
  switch (*p) {
    case '{':
    case '[': {
      if (open_.size() >= kMaxDepth) return Fail(base, p, "nesting deeper than 1024 levels");
      const bool object = *p == '{';
      open_.push_back(Push({off(p), 0, 0, 0, 0, object ? JsonKind::kObject : JsonKind::kArray, 0}));
      ++p;
      skip_space();
      if (p < end && *p == (object ? '}' : ']')) {
        ++p;
        goto close;
      }
      if (object) goto key;
      goto value;
    }
    case '"':
      error = parse_string();
      break;
    case 't':
      error = literal("true", JsonKind::kTrue);
      break;
    case 'f':
      error = literal("false", JsonKind::kFalse);
      break;
    case 'n':
      error = literal("null", JsonKind::kNull);
      break;
    default:
      error = *p == '-' || IsDigit(*p) ? parse_number() : "unexpected character";
  }
  if (error) return Fail(base, p, error);
  goto after;

key:  // at the first byte after '{' or ',' and any space
  if (p == end || *p != '"') return Fail(base, p, "expected a member name");
  if ((error = parse_string())) return Fail(base, p, error);
  skip_space();
  if (p == end || *p != ':') return Fail(base, p, "expected ':'");
  ++p;
  goto value;

after:  // a value just ended
  if (open_.empty()) goto done;
  {
    JsonNode& top = nodes_[open_.back()];
    ++top.count;
    skip_space();
    if (p == end) return Fail(base, p, "unexpected end of text");
    if (*p == ',') {
      ++p;
      skip_space();
      if (top.kind == JsonKind::kObject) goto key;
      goto value;
    }
    if (*p != (top.kind == JsonKind::kObject ? '}' : ']'))
      return Fail(base, p,
                  top.kind == JsonKind::kObject ? "expected ',' or '}'" : "expected ',' or ']'");
    ++p;
  }

close:  // p is just past the closing bracket of the innermost open container
  {
    JsonNode& n = nodes_[open_.back()];
    open_.pop_back();
    n.end = off(p);
    n.next = size_;
    if ((n.flags & kSpaced) && !open_.empty()) nodes_[open_.back()].flags |= kSpaced;
  }
  goto after;

done:
  skip_space();
  if (p != end) return Fail(base, p, "unexpected text after the value");
  return {};
}

}  // namespace omni::formats
