#include "formats/json_read.h"

#include <gtest/gtest.h>

#include <string>

namespace omni::formats {
namespace {

TEST(FormatsJsonRead, FieldHelpersTreatMissingNullAndWrongTypeAlike) {
  JsonDoc doc;
  auto o = doc.ParseObject(
      R"({"s":"x\u00e9","i":42,"u":18446744073709551615,"d":2.9,"b":true,"n":null,)"
      R"("o":{"k":1},"a":[1,"two"]})");
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(StringField(*o, "s"), "x\xc3\xa9");
  EXPECT_EQ(StringField(*o, "i"), "");
  EXPECT_EQ(IntField(*o, "i"), 42);
  EXPECT_EQ(IntField(*o, "d"), 2);  // truncated, like the Boost helpers
  EXPECT_EQ(IntField(*o, "u"), static_cast<int64_t>(18446744073709551615ull));
  EXPECT_EQ(NumberField(*o, "i"), 42.0);
  EXPECT_EQ(NumberField(*o, "s"), std::nullopt);
  EXPECT_EQ(BoolField(*o, "b"), true);
  EXPECT_EQ(BoolField(*o, "i"), std::nullopt);
  EXPECT_FALSE(Field(*o, "n").has_value());
  EXPECT_FALSE(Field(*o, "missing").has_value());
  EXPECT_TRUE(o->find("n").has_value());  // find sees null members
  ASSERT_TRUE(ObjectField(*o, "o").has_value());
  EXPECT_EQ(ObjectField(*o, "o")->Json(), R"({"k":1})");
  ASSERT_TRUE(ArrayField(*o, "a").has_value());
  EXPECT_EQ(ArrayField(*o, "a")->size(), 2u);
  EXPECT_EQ((*ArrayField(*o, "a"))[1].get_string(), "two");
  EXPECT_FALSE(ObjectField(*o, "a").has_value());
}

TEST(FormatsJsonRead, IteratesMembersInOrderWithDuplicates) {
  JsonDoc doc;
  auto o = doc.ParseObject(R"({"a":1,"b":2,"a":3})");
  ASSERT_TRUE(o.ok());
  std::string keys;
  for (auto [key, value] : *o) keys += std::string(key) + value.Json() + ";";
  EXPECT_EQ(keys, "a1;b2;a3;");
}

TEST(FormatsJsonRead, BadInputIsA400) {
  for (std::string_view bad : {"", "{", R"({"a":})", "[1,]", "{\"a\":\"\xff\"}", "nul"}) {
    JsonDoc doc;
    auto v = doc.Parse(bad);
    ASSERT_FALSE(v.ok()) << bad;
    EXPECT_EQ(v.error().status, 400);
    EXPECT_EQ(v.error().code, "invalid_json");
  }
  JsonDoc doc;
  auto arr = doc.ParseObject("[1]");
  ASSERT_FALSE(arr.ok());
  EXPECT_EQ(arr.error().code, "invalid_json");
}

// Documents alive at the same time do not disturb each other, whichever parser they got
// (two per thread, then private ones), and Release hands a parser back.
TEST(FormatsJsonRead, NestedDocumentsStayValid) {
  JsonDoc a, b, c;
  auto va = a.ParseObject(R"({"n":"a"})");
  auto vb = b.ParseObject(R"({"n":"b"})");
  auto vc = c.ParseObject(R"({"n":"c"})");
  ASSERT_TRUE(va.ok() && vb.ok() && vc.ok());
  EXPECT_EQ(StringField(*va, "n"), "a");
  EXPECT_EQ(StringField(*vb, "n"), "b");
  EXPECT_EQ(StringField(*vc, "n"), "c");
  b.Release();
  JsonDoc d;
  auto vd = d.ParseObject(R"({"n":"d"})");
  ASSERT_TRUE(vd.ok());
  EXPECT_EQ(StringField(*va, "n"), "a");
  EXPECT_EQ(StringField(*vd, "n"), "d");
}

TEST(FormatsJsonRead, LargeDocumentsGetTheirOwnParser) {
  std::string big = "{\"k\":\"" + std::string(300 << 10, 'x') + "\"}";
  JsonDoc small, large;
  auto vs = small.ParseObject(R"({"n":1})");
  auto vl = large.ParseObject(big);
  ASSERT_TRUE(vs.ok() && vl.ok());
  EXPECT_EQ(StringField(*vl, "k").size(), 300u << 10);
  EXPECT_EQ(IntField(*vs, "n"), 1);
}

}  // namespace
}  // namespace omni::formats

namespace omni::formats {
namespace {

// Pass-through JSON (tool schemas, arguments, unknown fields) is re-serialised compactly with
// every value kept as the same JSON type.
TEST(FormatsJsonRead, JsonTextKeepsValuesAndTypes) {
  JsonDoc doc;
  auto v = doc.Parse(
      " { \"s\" : \"q\\\"\\\\\\n\\u0001\\u00e9\" , \"i\":-7,\"u\":18446744073709551615,"
      "\"d\":1.0,\"e\":1.5e-7,\"big\":1e100,\"t\":true,\"f\":false,\"n\":null,"
      "\"a\":[ [], {}, [1, {\"k\": \"v\"}] ] } ");
  ASSERT_TRUE(v.ok());
  // The source bytes (escapes and number forms as sent), whitespace between tokens dropped.
  EXPECT_EQ(v->Json(),
            "{\"s\":\"q\\\"\\\\\\n\\u0001\\u00e9\",\"i\":-7,\"u\":18446744073709551615,"
            "\"d\":1.0,\"e\":1.5e-7,\"big\":1e100,\"t\":true,\"f\":false,\"n\":null,"
            "\"a\":[[],{},[1,{\"k\":\"v\"}]]}");
  EXPECT_EQ(v->get_object().Json(), v->Json());
  std::string appended = "x";
  v->get_object().find("a")->AppendJson(appended);
  EXPECT_EQ(appended, "x[[],{},[1,{\"k\":\"v\"}]]");
}

}  // namespace
}  // namespace omni::formats
