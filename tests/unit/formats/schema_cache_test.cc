#include <gtest/gtest.h>

#include <string>

#include "formats/schema_cleanup.h"

namespace omni::formats {
namespace {

TEST(SchemaCache, CleansOnceAndAnswersTheSameAfterwards) {
  const std::string schema =
      R"({"type":"object","properties":{"path":{"type":"string"}},"required":["path"],)"
      R"("additionalProperties":false,"$schema":"http://json-schema.org/draft-07/schema#"})";
  const std::string first(GeminiParametersFor(schema));
  EXPECT_EQ(first, R"({"type":"object","properties":{"path":{"type":"string"}},"required":["path"]})");
  EXPECT_EQ(GeminiParametersFor(schema), first);
}

TEST(SchemaCache, EmptyOrInvalidSchemasSendNoParameters) {
  EXPECT_EQ(GeminiParametersFor("{}"), "");
  EXPECT_EQ(GeminiParametersFor(R"({"type":"object","properties":{}})"), "");
  EXPECT_EQ(GeminiParametersFor("{not json"), "");
  EXPECT_EQ(GeminiParametersFor("{not json"), "");
}

// Past its bounds the cache starts over; answers stay right.
TEST(SchemaCache, ManyDistinctSchemas) {
  for (int i = 0; i < 1200; ++i) {
    const std::string name = "p" + std::to_string(i);
    const std::string schema =
        R"({"type":"object","properties":{")" + name + R"(":{"type":"integer","const":3}}})";
    ASSERT_EQ(GeminiParametersFor(schema),
              R"({"type":"object","properties":{")" + name + R"(":{"type":"string","enum":["3"]}}})")
        << i;
  }
}

}  // namespace
}  // namespace omni::formats
