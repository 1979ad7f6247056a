#include "formats/json_writer.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

namespace omni::formats {
namespace {

TEST(FormatsJsonWriter, PlacesCommasAndQuotes) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject();
  w.Field("a", "x\"y");
  w.IntField("b", -3);
  w.Key("c");
  w.BeginArray();
  w.Double(0.7);
  w.Double(1e21);
  w.Bool(true);
  w.Null();
  w.BeginObject();
  w.EndObject();
  w.BeginArray();
  w.EndArray();
  w.Raw(R"({"k":[1,2]})");
  w.Raw("");
  w.EndArray();
  w.BoolField("d", false);
  w.EndObject();
  EXPECT_EQ(out, R"({"a":"x\"y","b":-3,"c":[0.7,1e+21,true,null,{},[],{"k":[1,2]},null],"d":false})");
}

// Everything a writer can write, in both tail modes: the owned tail (pointer writes into the
// string's spare capacity) must produce the same text, across regrowth and for strings on
// either side of the direct-quote limit.
void WriteEverything(JsonWriter& w) {
  std::string dense;
  for (int i = 0; i < 700; ++i) dense += "a\"b\n\t\x01";  // 4900 bytes: past the direct limit
  std::string medium;
  for (int i = 0; i < 500; ++i) medium += "line \"" + std::to_string(i) + "\"\n";
  w.BeginObject();
  w.Field("empty_view", std::string_view());  // no data pointer at all
  w.Field("short", "plain");
  w.Field("exactly_32_bytes_of_plain_key_xx", std::string(32, 'k'));
  w.Field("medium", medium);
  w.Field("dense", dense);
  w.Key("list");
  w.BeginArray();
  for (int i = 0; i < 300; ++i) {
    w.BeginObject();
    w.IntField("i", i);
    w.Key("d");
    w.Double(i / 7.0);
    w.BoolField("b", i % 2);
    w.Key("n");
    w.Null();
    w.Key("raw");
    w.Raw(R"({"k":[1,2]})");
    w.EndObject();
  }
  w.EndArray();
  JsonDoc doc;
  auto spaced = doc.Parse(R"( { "x" : [ 1 , 2 ] } )");
  w.Key("value");
  w.Value(*spaced);
  w.EndObject();
}

TEST(FormatsJsonWriter, OwnedTailWritesWhatSharedWrites) {
  std::string shared = "prefix:";
  {
    JsonWriter w(shared);
    WriteEverything(w);
  }
  for (size_t reserve : {size_t{0}, size_t{64}, size_t{1} << 20}) {
    std::string owned = "prefix:";
    owned.reserve(reserve);
    JsonWriter w(owned, JsonStyle::kCompact, JsonTail::kOwned);
    WriteEverything(w);
    w.Finish();
    EXPECT_EQ(owned, shared) << reserve;
    w.Finish();  // idempotent
    EXPECT_EQ(owned, shared);
  }
}

TEST(FormatsJsonWriter, NonFiniteDoublesAreNull) {
  std::string out;
  JsonWriter w(out);
  w.BeginArray();
  w.Double(std::numeric_limits<double>::infinity());
  w.Double(std::numeric_limits<double>::quiet_NaN());
  w.EndArray();
  EXPECT_EQ(out, "[null,null]");
}

TEST(FormatsJsonWriter, GeminiStyleSpacesAfterColons) {
  std::string out;
  JsonWriter w(out, JsonStyle::kGemini);
  w.BeginObject();
  w.Field("a", "b");
  w.Key("c");
  w.BeginObject();
  w.IntField("d", 1);
  w.EndObject();
  w.EndObject();
  EXPECT_EQ(out, R"({"a": "b","c": {"d": 1}})");
}

TEST(FormatsJsonWriter, RemembersTopLevelKeysOnly) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject();
  w.Key("outer");
  w.BeginObject();
  w.IntField("inner", 1);
  w.EndObject();
  // More keys than the inline list holds.
  std::vector<std::string> keys;
  for (int i = 0; i < 40; ++i) keys.push_back("k" + std::to_string(i));
  for (const std::string& k : keys) w.IntField(k, 0);
  w.EndObject();
  EXPECT_TRUE(w.WroteTopLevelKey("outer"));
  EXPECT_FALSE(w.WroteTopLevelKey("inner"));
  EXPECT_TRUE(w.WroteTopLevelKey("k0"));
  EXPECT_TRUE(w.WroteTopLevelKey("k39"));
  EXPECT_FALSE(w.WroteTopLevelKey("k40"));
}

// Nesting deeper than one 64-bit word of comma bits.
TEST(FormatsJsonWriter, DeepNesting) {
  std::string out;
  JsonWriter w(out);
  for (int i = 0; i < 200; ++i) {
    w.BeginArray();
    w.Int(i);
  }
  for (int i = 0; i < 200; ++i) {
    w.Int(7);
    w.EndArray();
  }
  // Each array holds its number, its child array (or 7 for the innermost), then 7.
  std::string expected;
  for (int i = 0; i < 200; ++i) expected += "[" + std::to_string(i) + ",";
  expected += "7";
  for (int i = 0; i < 200; ++i) expected += i + 1 < 200 ? "],7" : "]";
  EXPECT_EQ(out, expected);
}

}  // namespace
}  // namespace omni::formats
