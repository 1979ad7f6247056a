// JsonTape (formats/json_tape.h) and the JVal/JObj/JArr/JsonDoc views over it, checked against
// Boost.JSON as the reference (tests/support/json_differential.h, which also lists the two
// intentional differences): the same verdict on hand-written tricky texts and on random and
// mutated documents, the same value tree for accepted ones. Texts are parsed from exact-size
// heap copies so that a read past the end shows under ASan.
#include "formats/json_tape.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "formats/json_read.h"
#include "json_differential.h"

namespace omni::formats {
namespace {

using testing::BoostParse;
using testing::CompareWithBoost;
using testing::DiffTrees;
using testing::MutateJson;
using testing::Printable;
using testing::RandomJson;
using namespace std::string_literals;

std::string Nest(size_t depth, std::string_view open, std::string_view inner,
                 std::string_view close) {
  std::string s;
  for (size_t i = 0; i < depth; ++i) s += open;
  s += inner;
  for (size_t i = 0; i < depth; ++i) s += close;
  return s;
}

// ---------------------------------------------------------------------------------------------
// Hand-written texts, by their RFC 8259 verdict. Boost must agree on all of these.

const std::vector<std::string> kValid = {
    // Strings: every escape, \u forms and pairs, raw UTF-8 at the edges of each length class.
    R"("")", R"("\"\\\/\b\f\n\r\t")", R"("\u0000\u001f\u0041\u00e9\u20AC\uFFFF\uAbCd")",
    R"("\uD83D\uDE00\uD800\uDC00\udbff\udfff")",
    "\"\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xef\xbf\xbf\"",
    "\"\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\xf0\x9f\x98\x80\x7f\"",
    // Numbers.
    "0", "-0", "0.0e+1", "-0.0", "1E5", "1e-5", "1.5E+10", "2.5e-3", "0.1", "4.9e-324", "1e308",
    "123456789012345678901234567890", "9223372036854775807", "-9223372036854775808",
    "9223372036854775808", "18446744073709551615", "18446744073709551616", "-9223372036854775809",
    "1e309", "-1e400", "1e-400",  // out of double range: valid JSON (Boost: ±inf, 0)
    // Literals, containers, keys, whitespace, top-level scalars.
    "true", "false", "null", "[true,false,null]", "{}", "[]", "[[]]", "[{}]", "{ }", "[ ]",
    R"({"a":1,"a":2})", R"({"":0})", R"({"":{"":[]}})", R"({"\u0061":1,"a\nb":2,"a":3})",
    " \t\r\n{ \t\r\n\"a\" \t\r\n: \t\r\n[ \t\r\n1 \t\r\n, \t\r\n2 \t\r\n] \t\r\n} \t\r\n",
    R"("top")", " 1 ",
    // Depth: kMaxDepth (1024) open containers.
    Nest(1024, "[", "", "]"), Nest(1024, "{\"a\":", "1", "}"), Nest(512, "[{\"k\":", "0", "}]")};

const std::vector<std::string> kInvalid = {
    // \u escapes: lone or reversed surrogates, bad or short hex.
    R"("\uD800")", R"("\uDBFF")", R"("\uDC00")", R"("\uDFFF")", R"("\uD800\uD800")",
    R"("\uD800\u0041")", R"("\uDC00\uD800")", R"("\uD800x")", R"("\uD800\")", R"("\uD800\u")",
    R"("\uD800\uDC0")", R"("\uD800\uDC0)", R"("\u")", R"("\u12")", R"("\u12G4")", R"("\u-123")",
    // Other escapes, unterminated strings, raw control bytes (also after an escape).
    R"("\U0041")", R"("\x41")", R"("\a")", R"("\')", R"("\)", R"(")", R"("abc)", "\"\x00\""s,
    "\"\x01\"", "\"\x1f\"", "\"\t\"", "\"\n\"", "\"a\\n\x1f\"",
    // UTF-8: overlong, encoded surrogates, above U+10FFFF, bad lead or continuation bytes,
    // sequences cut by the quote or by the end of the text, a BOM.
    "\"\xc0\x80\"", "\"\xc1\xbf\"", "\"\xe0\x80\x80\"", "\"\xe0\x9f\xbf\"", "\"\xf0\x80\x80\x80\"",
    "\"\xf0\x8f\xbf\xbf\"", "\"\xed\xa0\x80\"", "\"\xed\xbf\xbf\"", "\"\xf4\x90\x80\x80\"",
    "\"\xf5\x80\x80\x80\"", "\"\xff\"", "\"\xfe\"", "\"\x80\"", "\"\xbf\"", "\"\xc3\x28\"",
    "\"\xc3\"", "\"\xe2\x82\"", "\"\xf0\x9f\x98\"", "\"\xc3", "\"\xe2\x82", "\"\xf0\x9f\x98",
    "\"\\n\xf0\x9f\x98", "{\"\xff\":1}", "\xef\xbb\xbf{}",
    // Numbers.
    "01", "-01", "00", "[01]", "1.", "[1.]", ".5", "-.5", "-", "{\"a\":-}", "1e", "1E+", "1e-",
    "+1", "1.e5", "0x10", "1..2", "--1", "1e5.5", "- 1", "1 .5",
    // Literals.
    "truex", "nul", "tru", "fals", "t", "True", "NULL", "nan", "NaN", "Infinity", "-Infinity",
    // Structure: trailing commas, missing colons or values, bad keys, unbalanced brackets.
    "[1,]", R"({"a":1,})", "[,1]", "{,}", "[1 2]", R"({"a" 1})", R"({"a"})", R"({"a":})", "{a:1}",
    "{'a':1}", "{1:1}", "[", "]", "{", "}", "[1", "[1,", R"({"a":1)", R"({"a")", R"({"a":)", "[}",
    "{]", R"(["a":1])", R"({"a",1})", ",", ":", "/*x*/1", "// c\n1",
    // Empty text, trailing garbage, whitespace JSON does not allow.
    "", " ", "\r\n\t", "1 2", "[1]x", "{}}", "[]]", "nullx", R"("a""b")", "1,", "\f1", "\v1",
    "\u00a01", "1\x00"s};  // U+00A0 is not JSON whitespace

TEST(JsonTapeParity, TrickyDocuments) {
  for (const std::string& text : kValid) {
    SCOPED_TRACE(Printable(text));
    EXPECT_TRUE(JsonDoc().Parse(text).ok());
    EXPECT_TRUE(BoostParse(text).ok());
    EXPECT_EQ(CompareWithBoost(text), "");
  }
  for (const std::string& text : kInvalid) {
    SCOPED_TRACE(Printable(text));
    EXPECT_FALSE(JsonDoc().Parse(text).ok());
    EXPECT_FALSE(BoostParse(text).ok());
    EXPECT_EQ(CompareWithBoost(text), "");
  }
}

TEST(JsonTapeParity, KnownDifferencesFromBoost) {
  // Exponents too long for Boost's counter: valid by the grammar, and we accept them.
  for (std::string text : {"[1e99999999999999999999]", "0e-99999999999", "-1E+123456789012"}) {
    EXPECT_TRUE(JsonDoc().Parse(text).ok()) << text;
    EXPECT_EQ(BoostParse(text).ec, boost::json::error::exponent_overflow) << text;
    EXPECT_EQ(CompareWithBoost(text), "") << text;
  }
  // Boost 1.81 reads a zero with an exponent past the double range as NaN; it is 0.
  for (std::string text : {"0e782", "-0.0E400"}) {
    JsonDoc doc;
    auto v = doc.Parse(text);
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(v->ToDouble(), 0.0) << text;
    EXPECT_TRUE(std::isnan(BoostParse(text).value.as_double())) << text;
    EXPECT_EQ(CompareWithBoost(text), "") << text;
  }
  // More than kMaxDepth open containers: our limit; Boost is at 2000 here.
  for (std::string text : {Nest(1025, "[", "", "]"), Nest(1025, "{\"a\":", "1", "}"),
                           Nest(512, "[{\"k\":", "[]", "}]")}) {
    EXPECT_FALSE(JsonDoc().Parse(text).ok());
    EXPECT_TRUE(BoostParse(text).ok());
    EXPECT_EQ(CompareWithBoost(text), "");
  }
}

TEST(JsonTapeParity, DepthLimitIsKMaxDepthOpenContainers) {
  ASSERT_EQ(JsonTape::kMaxDepth, 1024u);
  JsonTape tape;
  EXPECT_TRUE(tape.Parse(Nest(1024, "[", "1", "]")).ok());
  const std::string deep = Nest(1025, "[", "1", "]");
  const Status s = tape.Parse(deep);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().status, 400);
  EXPECT_EQ(s.error().code, "invalid_json");
  EXPECT_NE(s.error().message.find("nesting deeper than 1024 levels at byte 1024"),
            std::string::npos)
      << s.error().message;
  // Depth counts open containers: closed siblings do not add up.
  const std::string wide =
      "[" + Nest(1023, "[", "", "]") + "," + Nest(1023, "{\"\":", "0", "}") + "]";
  EXPECT_TRUE(tape.Parse(wide).ok());
}

// ---------------------------------------------------------------------------------------------
// Random documents (always valid) and byte mutations of them.

TEST(JsonTapeParity, RandomDocuments) {
  RandomJson r(20240611);
  for (int i = 0; i < 3000; ++i) {
    const std::string doc = r.Document();
    ASSERT_TRUE(BoostParse(doc).ok()) << "generator bug: " << Printable(doc);
    ASSERT_EQ(CompareWithBoost(doc), "") << Printable(doc);
  }
}

TEST(JsonTapeParity, MutatedDocuments) {
  RandomJson r(77);
  int accepted = 0, total = 0;
  for (int i = 0; i < 2500; ++i) {
    const std::string doc = r.Document();
    for (int m = 0; m < 8; ++m) {
      std::string mutated = doc;
      for (size_t k = 1 + r.Below(m < 6 ? 1 : 3); k > 0; --k) MutateJson(mutated, r);
      ASSERT_EQ(CompareWithBoost(mutated), "") << Printable(mutated) << "\nfrom " << Printable(doc);
      accepted += JsonDoc().Parse(mutated).ok();
      ++total;
    }
  }
  // Both verdicts must be common, or the comparison proves little.
  EXPECT_GT(accepted, total / 10);
  EXPECT_LT(accepted, total * 9 / 10);
}

// ---------------------------------------------------------------------------------------------
// String decoding: escapes and multi-byte UTF-8 at every offset around the 16-byte blocks.

// An exact-size heap copy of a text, so that ASan catches reads past its end.
class ExactText {
 public:
  explicit ExactText(std::string_view s) : bytes_(new char[s.size()]), size_(s.size()) {
    std::memcpy(bytes_.get(), s.data(), s.size());
  }
  std::string_view view() const { return {bytes_.get(), size_}; }

 private:
  std::unique_ptr<char[]> bytes_;
  size_t size_;
};

std::string Plain(size_t n, char first = 'a') {  // first: 'a' or 'A'
  std::string s;
  for (size_t i = 0; i < n; ++i) s += static_cast<char>(first + i % 26);  // stays ASCII
  return s;
}

struct Escape {
  std::string text;
  std::string decoded;
};

const std::vector<Escape>& Escapes() {
  static const std::vector<Escape> kEscapes = {
      {"\\n", "\n"},
      {"\\\"", "\""},
      {"\\\\", "\\"},
      {"\\/", "/"},
      {"\\b", "\b"},
      {"\\u00e9", "\xc3\xa9"},
      {"\\u20AC", "\xe2\x82\xac"},
      {"\\ud83d\\ude00", "\xf0\x9f\x98\x80"},
      {"\\u0000", std::string(1, '\0')},
  };
  return kEscapes;
}

TEST(JsonTapeStrings, EscapeAtEveryOffset) {
  for (const Escape& e : Escapes()) {
    for (size_t at = 0; at <= 40; ++at) {
      for (size_t tail : {0, 1, 15, 16, 17, 40}) {
        for (size_t gap : {size_t{0}, size_t{1}, size_t{16}, at}) {
          // Two escapes `gap` bytes apart, `at` bytes in, `tail` plain bytes after.
          const std::string text =
              "\"" + Plain(at) + e.text + Plain(gap, 'A') + e.text + Plain(tail) + "\"";
          const std::string want =
              Plain(at) + e.decoded + Plain(gap, 'A') + e.decoded + Plain(tail);
          // In an array after another decoded string, so the shared buffer has an offset.
          const ExactText doc("[\"\\t\"," + text + "," + text + "]");
          JsonDoc d;
          auto v = d.Parse(doc.view());
          ASSERT_TRUE(v.ok()) << Printable(doc.view());
          const JArr a = v->get_array();
          EXPECT_EQ(a[0].get_string(), "\t");
          EXPECT_EQ(a[1].get_string(), want) << Printable(text);
          EXPECT_EQ(a[2].get_string(), want) << Printable(text);
          EXPECT_EQ(a[1].raw(), text);
        }
      }
    }
  }
}

TEST(JsonTapeStrings, MultiByteUtf8AroundBlockEdges) {
  for (std::string seq : {"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xef\xbf\xbf"}) {
    for (size_t at = 0; at <= 40; ++at) {
      for (bool escaped : {false, true}) {
        SCOPED_TRACE(Printable(seq) + " at " + std::to_string(at) + (escaped ? " escaped" : ""));
        const std::string head = (escaped ? "\\t" : "") + Plain(at);
        const std::string want_head = (escaped ? "\t" : "") + Plain(at);
        for (size_t tail : {0, 1, 14, 15, 16, 17, 20}) {
          const ExactText ok("\"" + head + seq + Plain(tail) + "\"");
          JsonDoc d;
          auto v = d.Parse(ok.view());
          ASSERT_TRUE(v.ok());
          EXPECT_EQ(v->get_string(), want_head + seq + Plain(tail));
          EXPECT_EQ(CompareWithBoost(ok.view()), "");
          // Cut short, followed by plain bytes, a quote, or the end of the text.
          const std::string cut = seq.substr(0, seq.size() - 1);
          EXPECT_EQ(CompareWithBoost("\"" + head + cut + Plain(tail) + "\""), "");
          EXPECT_FALSE(JsonDoc().Parse(ExactText("\"" + head + cut + "\"").view()).ok());
          EXPECT_FALSE(JsonDoc().Parse(ExactText("\"" + head + cut).view()).ok());
          EXPECT_FALSE(JsonDoc().Parse(ExactText("\"" + head + seq).view()).ok());
          // Encoded surrogate and overlong forms at the same offsets.
          EXPECT_FALSE(JsonDoc().Parse("\"" + head + "\xed\xa0\x80" + Plain(tail) + "\"").ok());
          EXPECT_FALSE(JsonDoc().Parse("\"" + head + "\xe0\x80\xaf" + Plain(tail) + "\"").ok());
          EXPECT_FALSE(JsonDoc().Parse("\"" + head + "\x1f" + Plain(tail) + "\"").ok());
        }
      }
    }
  }
}

TEST(JsonTapeStrings, SeveralDecodedStringsShareTheBuffer) {
  const ExactText text(
      R"({"k\u00e9y":"v\n1","plain":"p","arr":["\t","x\\y","\ud83d\ude00z",""],"k\u00e9y2":)"
      R"("last\"","n":{"\/":"\u0041\u0042"}})");
  JsonDoc doc;
  auto o = doc.ParseObject(text.view());
  ASSERT_TRUE(o.ok());
  std::vector<std::string_view> keys, strings;
  for (auto [k, v] : *o) keys.push_back(k);
  const JArr arr = ArrayField(*o, "arr").value();
  for (JVal v : arr) strings.push_back(v.get_string());
  EXPECT_EQ(keys,
            (std::vector<std::string_view>{"k\xc3\xa9y", "plain", "arr", "k\xc3\xa9y2", "n"}));
  EXPECT_EQ(strings, (std::vector<std::string_view>{"\t", "x\\y", "\xf0\x9f\x98\x80z", ""}));
  EXPECT_EQ(StringField(*o, "k\xc3\xa9y"), "v\n1");
  EXPECT_EQ(StringField(*o, "k\xc3\xa9y2"), "last\"");
  EXPECT_EQ(StringField(ObjectField(*o, "n").value(), "/"), "AB");
  EXPECT_EQ(StringField(*o, "plain").data(), text.view().data() + text.view().find("\"p\"") + 1)
      << "a string without escapes is read in place";
  EXPECT_EQ(CompareWithBoost(text.view()), "");

  // Many decoded strings: each must keep its own bytes once all are decoded.
  std::string many = "[";
  for (int i = 0; i < 300; ++i)
    many += (i ? ",\"" : "\"") + std::to_string(i) + "\\n" + Plain(i % 40) + "\"";
  many += "]";
  const ExactText many_text(many);
  auto v = doc.Parse(many_text.view());
  ASSERT_TRUE(v.ok());
  int i = 0;
  for (JVal s : v->get_array()) {
    EXPECT_EQ(s.get_string(), std::to_string(i) + "\n" + Plain(i % 40));
    ++i;
  }
  EXPECT_EQ(i, 300);
}

TEST(JsonTapeStrings, DecodedStringsFillTheText) {
  // One string of escapes only: the decoded buffer holds half the text.
  std::string big = "\"";
  for (int i = 0; i < 100000; ++i) big += "\\n";
  big += "\"";
  JsonDoc doc;
  const ExactText big_text(big);
  auto v = doc.Parse(big_text.view());
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->get_string(), std::string(100000, '\n'));
  // One escape, then plain bytes: decoded almost as long as the text, copied 16 at a time.
  for (size_t n : {size_t{100000}, size_t{100015}, size_t{100016}, size_t{100017}}) {
    const ExactText text("\"\\n" + Plain(n) + "\"");
    JsonTape fresh;  // a decode buffer sized for this text alone
    ASSERT_TRUE(fresh.Parse(text.view()).ok());
    EXPECT_EQ(fresh.String(0), "\n" + Plain(n));
  }

  // Many such strings, ending at every offset near the end of the text.
  for (size_t tail = 0; tail <= 40; ++tail) {
    std::string arr = "[";
    for (int i = 0; i < 200; ++i) arr += (i ? ",\"" : "\"") + std::string(40, 'x') + "\\u00e9\\/\"";
    arr += ",\"\\n" + Plain(tail) + "\"]";
    const ExactText arr_text(arr);
    auto a = doc.Parse(arr_text.view());
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(a->get_array()[200].get_string(), "\n" + Plain(tail));
    EXPECT_EQ(a->get_array()[199].get_string(), std::string(40, 'x') + "\xc3\xa9/");
  }
  // A bare top-level string whose decoded bytes equal the text size minus the escapes.
  for (size_t n = 0; n <= 40; ++n) {
    const std::string s = "\"\\\"" + Plain(n) + "\"";
    const ExactText s_text(s);
    auto t = doc.Parse(s_text.view());
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(t->get_string(), "\"" + Plain(n));
  }
}

TEST(JsonTapeNodes, LayoutAndFlags) {
  JsonTape tape;
  const std::string text = R"({"a": [1, "x\ny", 2.5]})";
  ASSERT_TRUE(tape.Parse(text).ok());
  EXPECT_EQ(tape.node(0).kind, JsonKind::kObject);
  EXPECT_EQ(tape.node(0).count, 1u);
  EXPECT_EQ(tape.node(0).next, 6u);
  EXPECT_TRUE(tape.node(0).flags & JsonTape::kSpaced);
  EXPECT_EQ(tape.String(1), "a");
  EXPECT_EQ(tape.node(2).kind, JsonKind::kArray);
  EXPECT_EQ(tape.node(2).count, 3u);
  EXPECT_EQ(tape.node(2).next, 6u);
  EXPECT_TRUE(tape.node(3).flags & JsonTape::kInteger);
  EXPECT_TRUE(tape.node(4).flags & JsonTape::kDecoded);
  EXPECT_EQ(tape.String(4), "x\ny");
  EXPECT_EQ(tape.Raw(4), R"("x\ny")");
  EXPECT_FALSE(tape.node(5).flags & JsonTape::kInteger);
  EXPECT_EQ(tape.Raw(0), text);
  ASSERT_TRUE(tape.Parse(R"([[1],[ 2]])").ok());
  EXPECT_FALSE(tape.node(1).flags & JsonTape::kSpaced);
  EXPECT_TRUE(tape.node(3).flags & JsonTape::kSpaced);
  EXPECT_TRUE(tape.node(0).flags & JsonTape::kSpaced) << "spacing propagates to the parents";
}

// ---------------------------------------------------------------------------------------------
// The view API.

TEST(JsonTapeApi, ObjectsAndArrays) {
  JsonDoc doc;
  auto v = doc.Parse(R"({"a":1,"b":[10,20,30],"a":2,"":"empty","c":{}})");
  ASSERT_TRUE(v.ok());
  const JObj o = v->get_object();
  EXPECT_EQ(o.size(), 5u);
  EXPECT_FALSE(o.empty());
  EXPECT_EQ(o.find("a")->raw(), "1") << "the first of duplicate keys";
  EXPECT_EQ(o.find("")->get_string(), "empty");
  EXPECT_FALSE(o.find("missing").has_value());
  EXPECT_FALSE(o.find("A").has_value());
  EXPECT_TRUE(o.contains("c"));
  std::string order;
  for (auto [k, val] : o) order += std::string(k) + "=" + std::string(val.raw()) + ";";
  EXPECT_EQ(order, R"(a=1;b=[10,20,30];a=2;="empty";c={};)");

  const JArr a = o.find("b")->get_array();
  EXPECT_EQ(a.size(), 3u);
  EXPECT_EQ(a[0].ToInt(), 10);
  EXPECT_EQ(a[2].ToInt(), 30);
  EXPECT_TRUE(a[3].is_null());
  EXPECT_TRUE(a[1000].is_null());
  EXPECT_EQ(a[3].raw(), "null");
  int64_t sum = 0;
  for (JVal e : a) sum += *e.ToInt();
  EXPECT_EQ(sum, 60);

  const JObj empty = o.find("c")->get_object();
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(empty.begin() != empty.end(), false);
  EXPECT_EQ(empty.Json(), "{}");

  // Wrong-kind accessors give empty values.
  EXPECT_TRUE(o.find("b")->get_object().empty());
  EXPECT_TRUE(v->get_array().empty());
  EXPECT_EQ(v->get_array()[0].raw(), "null");
  EXPECT_EQ(o.find("a")->get_string(), "");
  EXPECT_FALSE(o.find("a")->get_bool());
  EXPECT_EQ(o.find("")->ToInt(), std::nullopt);
  EXPECT_EQ(o.find("")->ToDouble(), std::nullopt);

  auto not_object = doc.ParseObject("[1]");
  ASSERT_FALSE(not_object.ok());
  EXPECT_EQ(not_object.error().code, "invalid_json");
}

TEST(JsonTapeApi, DefaultsAreNullAndEmpty) {
  const JVal v;
  EXPECT_TRUE(v.is_null());
  EXPECT_FALSE(v.is_string() || v.is_bool() || v.is_number() || v.is_object() || v.is_array());
  EXPECT_EQ(v.get_string(), "");
  EXPECT_FALSE(v.get_bool());
  EXPECT_EQ(v.ToInt(), std::nullopt);
  EXPECT_EQ(v.ToDouble(), std::nullopt);
  EXPECT_EQ(v.raw(), "null");
  EXPECT_EQ(v.Json(), "null");
  EXPECT_TRUE(v.get_object().empty());
  EXPECT_TRUE(v.get_array().empty());

  const JObj o;
  EXPECT_EQ(o.size(), 0u);
  EXPECT_TRUE(o.empty());
  EXPECT_FALSE(o.begin() != o.end());
  EXPECT_FALSE(o.find("").has_value());
  EXPECT_EQ(o.Json(), "{}");
  EXPECT_FALSE(Field(o, "x").has_value());

  const JArr a;
  EXPECT_EQ(a.size(), 0u);
  EXPECT_TRUE(a.empty());
  EXPECT_FALSE(a.begin() != a.end());
  EXPECT_TRUE(a[0].is_null());
}

TEST(JsonTapeApi, NumberConversions) {
  JsonDoc doc;
  const auto num = [&](std::string_view text) {
    auto v = doc.Parse(text);
    EXPECT_TRUE(v.ok() && v->is_number()) << text;
    return v.ok() ? *v : JVal();
  };
  EXPECT_EQ(num("1.5").ToInt(), 1);
  EXPECT_EQ(num("-1.5").ToInt(), -1);
  EXPECT_EQ(num("1e3").ToInt(), 1000);
  EXPECT_EQ(num("-0").ToInt(), 0);
  EXPECT_EQ(num("9223372036854775807").ToInt(), INT64_MAX);
  EXPECT_EQ(num("-9223372036854775808").ToInt(), INT64_MIN);
  EXPECT_EQ(num("18446744073709551615").ToInt(), -1) << "uint64, cast";
  EXPECT_EQ(num("9223372036854775808").ToInt(), INT64_MIN) << "uint64, cast";
  EXPECT_EQ(num("18446744073709551616").ToInt(), std::nullopt);
  EXPECT_EQ(num("1e300").ToInt(), std::nullopt);
  EXPECT_EQ(num("-1e300").ToInt(), std::nullopt);
  EXPECT_EQ(num("1e400").ToInt(), std::nullopt);

  EXPECT_EQ(num("42").ToDouble(), 42.0);
  EXPECT_EQ(num("-7").ToDouble(), -7.0);
  EXPECT_EQ(num("18446744073709551615").ToDouble(), 18446744073709551615.0);
  EXPECT_EQ(num("123456789012345678901234567890").ToDouble(), 1.2345678901234568e29);
  EXPECT_EQ(num("0.1").ToDouble(), 0.1);
  EXPECT_EQ(num("4.9e-324").ToDouble(), 4.9e-324);
  EXPECT_TRUE(std::signbit(*num("-0").ToDouble()));
  EXPECT_EQ(num("1e400").ToDouble(), std::nullopt) << "infinite";
  EXPECT_EQ(num("-1e400").ToDouble(), std::nullopt);
}

TEST(JsonTapeApi, ToDoubleOfUnderflowIsZero) {
  // Valid numbers too small for a double are ±0 (as strtod and Boost have them).
  JsonDoc doc;
  for (std::string_view text : {"1e-400", "0.1e-400", "1.5e-330", "-1e-400", "-2E-324"}) {
    auto v = doc.Parse(text);
    ASSERT_TRUE(v.ok());
    ASSERT_TRUE(v->ToDouble().has_value()) << text;
    EXPECT_EQ(*v->ToDouble(), 0.0) << text;
    EXPECT_EQ(std::signbit(*v->ToDouble()), text[0] == '-') << text;
    EXPECT_EQ(v->ToInt(), 0) << text;
  }
}

TEST(JsonTapeApi, ToDoubleOutOfRangeWithoutANegativeExponent) {
  // Underflow and overflow are told apart by value, not by the text's exponent sign.
  const std::string tiny = "0." + std::string(400, '0') + "1";
  const std::string huge = "1" + std::string(400, '0') + "e-10";
  JsonDoc tiny_doc, huge_doc;
  auto t = tiny_doc.Parse(tiny);
  auto h = huge_doc.Parse(huge);
  ASSERT_TRUE(t.ok() && h.ok());
  EXPECT_EQ(t->ToDouble(), 0.0);
  EXPECT_EQ(h->ToDouble(), std::nullopt);
  EXPECT_EQ(h->ToInt(), std::nullopt);
  EXPECT_EQ(CompareWithBoost(tiny), "");
  EXPECT_EQ(CompareWithBoost(huge), "");
}

TEST(JsonTapeApi, JsonIsCompactAndKeepsStringsAndNumbers) {
  JsonDoc doc;
  const std::string text =
      " {\n \"a b\" : [ 1 ,\t-0.5e+3 , \"x \\\" y\\\\\" ] ,\r\n \"c\":{\"d\":[]},\"e\" : \" \" } ";
  auto v = doc.Parse(text);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->Json(), R"({"a b":[1,-0.5e+3,"x \" y\\"],"c":{"d":[]},"e":" "})");
  EXPECT_EQ(v->get_object().find("c")->Json(), R"({"d":[]})");
  EXPECT_EQ(v->get_object().find("c")->raw(), R"({"d":[]})");
  EXPECT_EQ(v->raw(), std::string_view(text).substr(1, text.size() - 2));
  std::string out = "prefix:";
  v->get_object().find("a b")->AppendJson(out);
  EXPECT_EQ(out, R"(prefix:[1,-0.5e+3,"x \" y\\"])");
}

// ---------------------------------------------------------------------------------------------
// JsonDoc: per-thread tapes, reuse, and documents that need their own tape.

std::string SampleDoc(int i) {
  return "{\"id\":" + std::to_string(i) + ",\"name\":\"doc\\n" + std::to_string(i) +
         "\",\"pad\":\"" + Plain(static_cast<size_t>(i % 50)) + "\"}";
}

void ExpectSample(const JObj& o, int i) {
  EXPECT_EQ(IntField(o, "id"), i);
  EXPECT_EQ(StringField(o, "name"), "doc\n" + std::to_string(i));
  EXPECT_EQ(StringField(o, "pad"), Plain(static_cast<size_t>(i % 50)));
}

TEST(JsonTapeDoc, OneDocParsesManyTexts) {
  JsonDoc doc;
  RandomJson r(5);
  for (int i = 0; i < 500; ++i) {
    const std::string text = SampleDoc(i);
    auto o = doc.ParseObject(text);
    ASSERT_TRUE(o.ok());
    ExpectSample(*o, i);
    // A failed parse in between leaves the document usable.
    EXPECT_FALSE(doc.Parse("[1,").ok());
    const std::string random = r.Document();
    auto v = doc.Parse(random);
    ASSERT_TRUE(v.ok());
    ASSERT_EQ(DiffTrees(*v, BoostParse(random).value), "") << Printable(random);
    if (i % 100 == 0) doc.Release();
  }
}

TEST(JsonTapeDoc, SeveralAliveAtOnce) {
  // Two documents use the thread's tapes; a third gets its own. All stay valid together.
  std::vector<std::string> texts;
  for (int i = 0; i < 6; ++i) texts.push_back(SampleDoc(i));
  for (int round = 0; round < 20; ++round) {
    auto d1 = std::make_unique<JsonDoc>();
    JsonDoc d2, d3;
    auto o1 = d1->ParseObject(texts[0]);
    auto o2 = d2.ParseObject(texts[1]);
    auto o3 = d3.ParseObject(texts[2]);
    ASSERT_TRUE(o1.ok() && o2.ok() && o3.ok());
    {
      JsonDoc d4, d5;  // a fourth and fifth, nested
      auto o4 = d4.ParseObject(texts[3]);
      auto o5 = d5.ParseObject(texts[4]);
      ASSERT_TRUE(o4.ok() && o5.ok());
      ExpectSample(*o4, 3);
      ExpectSample(*o5, 4);
    }
    d1.reset();  // frees a thread tape for the next document
    JsonDoc d6;
    auto o6 = d6.ParseObject(texts[5]);
    ASSERT_TRUE(o6.ok());
    ExpectSample(*o2, 1);
    ExpectSample(*o3, 2);
    ExpectSample(*o6, 5);
    d2.Release();
    ExpectSample(*o3, 2);
    ASSERT_TRUE(d2.ParseObject(texts[0]).ok());
    ExpectSample(*o6, 5);
  }
}

TEST(JsonTapeDoc, DocumentsOver256KiB) {
  RandomJson r(9);
  std::string big = "[";
  while (big.size() < (300u << 10)) {
    if (big.size() > 1) big += ",";
    big += r.Document();
  }
  big += "]";
  // Two small documents hold this thread's tapes meanwhile.
  const std::string text1 = SampleDoc(1), text2 = SampleDoc(2), text7 = SampleDoc(7);
  JsonDoc small1, small2;
  auto s1 = small1.ParseObject(text1);
  auto s2 = small2.ParseObject(text2);
  ASSERT_TRUE(s1.ok() && s2.ok());
  for (int round = 0; round < 3; ++round) {
    JsonDoc doc;
    ASSERT_EQ(CompareWithBoost(big, /*deep=*/false), "");
    const ExactText big_text(big);
    auto v = doc.Parse(big_text.view());
    ASSERT_TRUE(v.ok());
    const BoostParse ref(big);
    ASSERT_EQ(DiffTrees(*v, ref.value), "");
    // A small document parsed by the same JsonDoc afterwards.
    auto o = doc.ParseObject(text7);
    ASSERT_TRUE(o.ok());
    ExpectSample(*o, 7);
  }
  ExpectSample(*s1, 1);
  ExpectSample(*s2, 2);
  // And a big document in a JsonDoc that started small (same tape, grown).
  JsonDoc grow;
  ASSERT_TRUE(grow.Parse(text1).ok());
  auto v = grow.Parse(big);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(DiffTrees(*v, BoostParse(big).value), "");
}

}  // namespace
}  // namespace omni::formats
