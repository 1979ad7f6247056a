#pragma once
// Differential testing of formats::JsonTape (via JsonDoc) against Boost.JSON, shared by
// tests/unit/formats/json_tape_test.cc and the fuzz target tests/fuzz/json_tape_fuzz.cc: one
// verdict function, a seeded generator of valid JSON, and a mutator aimed at the parser's weak
// spots (string block edges, escapes, UTF-8 lead bytes).
//
// Intentional differences from Boost (parsed with max_depth 2000), which CompareWithBoost
// accepts:
//   - we reject more than JsonTape::kMaxDepth (1024) open containers;
//   - we accept exponents too long for Boost's exponent counter (1e99999999999999999999 is
//     valid by the RFC 8259 grammar; §9 allows range limits, and ours are in ToDouble/ToInt).
// Numbers are checked against strtod (correctly rounded); Boost 1.81 only bounds them: it can be
// an ulp off, and reads 0e782 as NaN.

#include <boost/json/value.hpp>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>

#include "formats/json_read.h"

namespace omni::testing {

// Bytes as printable ASCII (others as \xNN), cut after 400 characters: for failure messages.
std::string Printable(std::string_view bytes);

struct BoostParse {
  explicit BoostParse(std::string_view text);  // max_depth 2000
  bool ok() const { return !ec; }
  boost::system::error_code ec;
  boost::json::value value;
};

// First difference between our tree and Boost's, as "path: what", or "" when equal. Compares
// kinds, strings byte for byte, ToDouble (exactly against strtod, closely against Boost),
// ToInt for integers, object members in order (Boost keeps a repeated key at its first place
// with its last value; find() must return the first), sizes, iteration and operator[].
std::string DiffTrees(formats::JVal ours, const boost::json::value& ref,
                      const std::string& path = "$");

// "" when our verdict on `text` matches Boost's (up to the differences above), else what
// differs. Accepted texts must also give equal trees, and raw() and Json() of the root (of
// every value when `deep` and the text is at most 8 KiB) must re-parse to the same value,
// with no whitespace outside strings in Json(). Parses an exact-size copy of `text`, so that
// ASan sees a read past its end.
std::string CompareWithBoost(std::string_view text, bool deep = true);

// Random valid JSON: every escape, \u pairs, raw 2-4 byte UTF-8, long strings crossing 16-byte
// blocks, numbers of every shape, duplicate keys, optional whitespace between all tokens.
class RandomJson {
 public:
  explicit RandomJson(uint32_t seed) : rng_(seed) {}
  std::string Document();
  size_t Below(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }

 private:
  void Space(std::string& out);
  void Value(std::string& out, int depth);
  void String(std::string& out);
  void Number(std::string& out);
  void Hex4(std::string& out, uint32_t v);

  std::mt19937 rng_;
};

// One edit of `s`: insert, delete, bit-flip, overwrite (with bytes that change how JSON is
// read), truncate or duplicate, a third of the time 15-18 bytes after a quote.
void MutateJson(std::string& s, RandomJson& r);

}  // namespace omni::testing
