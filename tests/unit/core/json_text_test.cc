#include "core/json_text.h"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <random>
#include <string>

namespace omni {
namespace detail {
uint32_t EscapeMask16Portable(const char* p);
}  // namespace detail
namespace {

// The byte-at-a-time definition the fast path must match.
std::string Reference(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"') {
      out += "\\\"";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string Quoted(std::string_view s) {
  std::string out = "prefix:";
  AppendJsonQuoted(out, s);
  return out.substr(7);
}

TEST(JsonText, EscapesWhatJsonRequires) {
  EXPECT_EQ(Quoted(""), "\"\"");
  EXPECT_EQ(Quoted(std::string_view()), "\"\"");  // no data pointer at all
  EXPECT_EQ(Quoted("plain text"), "\"plain text\"");
  EXPECT_EQ(Quoted("a\"b\\c\nd\re\tf"), "\"a\\\"b\\\\c\\nd\\re\\tf\"");
  EXPECT_EQ(Quoted(std::string("\x01\x1f\x7f", 3)), "\"\\u0001\\u001f\x7f\"");
  EXPECT_EQ(Quoted("h\xc3\xa9llo \xe2\x82\xac"), "\"h\xc3\xa9llo \xe2\x82\xac\"");  // UTF-8 as is
}

// Every byte value at every offset of a block and of the tail, so the 8-byte scan cannot miss one.
TEST(JsonText, EveryByteAtEveryPositionMatchesTheReference) {
  for (int c = 0; c < 256; ++c) {
    for (size_t len = 1; len <= 40; ++len) {
      for (size_t pos = 0; pos < len; ++pos) {
        std::string s(len, 'x');
        s[pos] = static_cast<char>(c);
        ASSERT_EQ(Quoted(s), Reference(s)) << "byte " << c << " at " << pos << " of " << len;
      }
    }
  }
}

TEST(JsonText, LongMixedText) {
  std::string s;
  for (int i = 0; i < 2000; ++i) s += static_cast<char>((i * 37) % 256);
  EXPECT_EQ(Quoted(s), Reference(s));
}

// Dense escapes: several per block, blocks that expand sixfold (the output grows while being
// written), and random mixes around block edges.
TEST(JsonText, DenseEscapesMatchTheReference) {
  EXPECT_EQ(Quoted(std::string(1000, '\x01')), Reference(std::string(1000, '\x01')));
  EXPECT_EQ(Quoted(std::string(333, '"')), Reference(std::string(333, '"')));
  std::mt19937 rng(7);
  const char alphabet[] = "ab\"\\\n\t\x01\x1f \x7f\xc3\xa9";
  for (int round = 0; round < 3000; ++round) {
    std::string s(rng() % 100, ' ');
    for (char& c : s) c = alphabet[rng() % (sizeof alphabet - 1)];
    ASSERT_EQ(Quoted(s), Reference(s)) << round;
  }
}

// The portable mask (used where SSE2 is missing) must flag exactly the bytes that need escaping.
// Short texts are checked with one 16-byte load when that stays within a page. Texts that end
// a heap block (the sanitizer build would flag a checked over-read) and texts that end a page
// followed by an unmapped one (an over-read across it would fault) must both work.
TEST(JsonText, ShortTextsAtTheEndOfABlockOrPage) {
  for (size_t n = 0; n < 16; ++n) {
    for (char last : {'a', '"', '\n'}) {
      std::unique_ptr<char[]> block(new char[n + 1]);
      std::memset(block.get(), 'x', n + 1);
      block[n] = last;
      const std::string_view text(block.get(), n + 1);
      EXPECT_EQ(JsonStringIsPlain(text), last == 'a') << n;
      EXPECT_EQ(Quoted(text), Reference(text));
    }
  }
  const long page = sysconf(_SC_PAGESIZE);
  void* map = mmap(nullptr, static_cast<size_t>(2 * page), PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(map, MAP_FAILED);
  ASSERT_EQ(mprotect(static_cast<char*>(map) + page, static_cast<size_t>(page), PROT_NONE), 0);
  char* const page_end = static_cast<char*>(map) + page;
  for (size_t n = 1; n < 16; ++n) {
    std::memset(page_end - n, 'y', n);
    const std::string_view text(page_end - n, n);
    EXPECT_TRUE(JsonStringIsPlain(text)) << n;
    EXPECT_EQ(Quoted(text), Reference(text));
    page_end[-1] = '\\';
    EXPECT_FALSE(JsonStringIsPlain(text)) << n;
    EXPECT_EQ(Quoted(text), Reference(text));
  }
  munmap(map, static_cast<size_t>(2 * page));
}

TEST(JsonText, PortableMaskIsExact) {
  for (int c = 0; c < 256; ++c) {
    for (size_t pos = 0; pos < 16; ++pos) {
      char block[16];
      std::memset(block, 'a', sizeof block);
      block[pos] = static_cast<char>(c);
      const bool escape = c < 0x20 || c == '"' || c == '\\';
      ASSERT_EQ(detail::EscapeMask16Portable(block), escape ? (1u << pos) : 0u) << c << " " << pos;
      std::memset(block, static_cast<char>(c), sizeof block);
      ASSERT_EQ(detail::EscapeMask16Portable(block), escape ? 0xffffu : 0u) << c;
    }
  }
}

}  // namespace
}  // namespace omni
