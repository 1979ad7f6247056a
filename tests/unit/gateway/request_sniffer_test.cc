#include "gateway/request_sniffer.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace omni::gateway {
namespace {

RequestSniff SniffOk(std::string_view body) {
  auto r = SniffRequest(body);
  EXPECT_TRUE(r.ok()) << body << " -> " << (r.ok() ? "" : r.error().message);
  return r.ok() ? r.value() : RequestSniff{};
}

void ExpectInvalidJson(std::string_view body) {
  auto r = SniffRequest(body);
  ASSERT_FALSE(r.ok()) << "accepted: '" << body << "'";
  EXPECT_EQ(r.error().status, 400) << body;
  EXPECT_EQ(r.error().code, "invalid_json") << body;
}

TEST(RequestSnifferTest, ExtractsModelAndStream) {
  auto s = SniffOk(R"({"model":"openai/gpt-4o","stream":true,"messages":[]})");
  EXPECT_TRUE(s.has_model);
  EXPECT_EQ(s.model, "openai/gpt-4o");
  EXPECT_TRUE(s.stream);
}

TEST(RequestSnifferTest, StreamDefaultsToFalse) {
  auto s = SniffOk(R"({"model":"m"})");
  EXPECT_FALSE(s.stream);
}

TEST(RequestSnifferTest, StreamFalseIsFalse) {
  auto s = SniffOk(R"({"stream":false,"model":"m"})");
  EXPECT_FALSE(s.stream);
}

TEST(RequestSnifferTest, ModelSpanCoversQuotedValueExactly) {
  const std::string body =
      R"({ "messages": [{"role":"user","content":"hi"}],  "model" :  "ds/deepseek-chat" , "n":1})";
  auto s = SniffOk(body);
  ASSERT_TRUE(s.has_model);
  ASSERT_LE(s.model_end, body.size());
  ASSERT_LT(s.model_begin, s.model_end);
  EXPECT_EQ(body.substr(s.model_begin, s.model_end - s.model_begin), "\"ds/deepseek-chat\"");
}

TEST(RequestSnifferTest, ModelSpanAtStartOfBody) {
  const std::string body = R"({"model":"a"})";
  auto s = SniffOk(body);
  ASSERT_TRUE(s.has_model);
  EXPECT_EQ(s.model_begin, 9u);
  EXPECT_EQ(body.substr(s.model_begin, s.model_end - s.model_begin), "\"a\"");
}

TEST(RequestSnifferTest, ReplacingTheSpanRewritesOnlyTheModel) {
  std::string body = R"({"model":"ds/deepseek-chat","stream":true})";
  auto s = SniffOk(body);
  ASSERT_TRUE(s.has_model);
  body.replace(s.model_begin, s.model_end - s.model_begin, "\"deepseek-chat\"");
  EXPECT_EQ(body, R"({"model":"deepseek-chat","stream":true})");
}

TEST(RequestSnifferTest, NestedModelKeysAreIgnored) {
  const std::string body = R"({
    "messages": [{"role": "user", "content": "x", "model": "nested/one"}],
    "tools": [{"type": "function", "function": {"name": "f", "model": "nested/two",
               "parameters": {"model": {"type": "string"}}}}],
    "metadata": {"model": "nested/three", "stream": true},
    "model": "top/level"
  })";
  auto s = SniffOk(body);
  EXPECT_EQ(s.model, "top/level");
  EXPECT_FALSE(s.stream);  // only the nested "stream" was true
  ASSERT_TRUE(s.has_model);
  EXPECT_EQ(body.substr(s.model_begin, s.model_end - s.model_begin), "\"top/level\"");
}

TEST(RequestSnifferTest, NestedModelWithoutTopLevelModelMeansNoModel) {
  auto s = SniffOk(R"({"messages":[{"model":"nested/one"}],"extra":{"model":"x"}})");
  EXPECT_FALSE(s.has_model);
  EXPECT_EQ(s.model, "");
}

std::string_view Span(std::string_view body, const RequestSniff& s) {
  return body.substr(s.model_begin, s.model_end - s.model_begin);
}

// Escaped model strings are decoded, and their span covers the escaped bytes as sent.
TEST(RequestSnifferTest, EscapedModelIsDecodedAndSpanCoversTheRawString) {
  std::string body = R"({"model":"openai\/gpt-4o"})";
  auto s = SniffOk(body);
  EXPECT_TRUE(s.has_model);
  EXPECT_EQ(s.model, "openai/gpt-4o");
  EXPECT_EQ(Span(body, s), R"("openai\/gpt-4o")");
  body = R"({"model":"\u0064s/deepseek-chat"})";
  s = SniffOk(body);
  EXPECT_EQ(s.model, "ds/deepseek-chat");
  EXPECT_EQ(Span(body, s), R"("\u0064s/deepseek-chat")");
  body = R"({"model":"ds/deepseek-cha\u0074\"\\"})";
  s = SniffOk(body);
  EXPECT_EQ(s.model, "ds/deepseek-chat\"\\");
  EXPECT_EQ(Span(body, s), R"("ds/deepseek-cha\u0074\"\\")");
}

// The span is found by walking the members before it: strings holding quotes, braces and
// backslashes, nested containers and scalars must all be stepped over exactly.
TEST(RequestSnifferTest, SpanAfterTrickyMembers) {
  const std::string body =
      "{ \"a\" : \"x\\\"}]\\\\\" ,\"b\":[1, -2.5e3, true, null, {\"c\":\"{[\"}],"
      "\"d\":false\t,\"e\":{\"f\":[[],{}]}\n, \"model\"\r\n:\t\"p/m\" }";
  auto s = SniffOk(body);
  ASSERT_TRUE(s.has_model);
  EXPECT_EQ(s.model, "p/m");
  EXPECT_EQ(Span(body, s), "\"p/m\"");
}

TEST(RequestSnifferTest, DuplicateModelSpanIsTheLastOne) {
  const std::string body = R"({"model":"first/a","x":1,"model":"second/b"})";
  auto s = SniffOk(body);
  EXPECT_EQ(s.model, "second/b");
  EXPECT_EQ(Span(body, s), "\"second/b\"");
}

TEST(RequestSnifferTest, EscapedKeyStillMatchesModel) {
  auto s = SniffOk(R"({"mod\u0065l":"a/b"})");
  EXPECT_TRUE(s.has_model);
  EXPECT_EQ(s.model, "a/b");
}

TEST(RequestSnifferTest, MissingModelMeansNoModel) {
  auto s = SniffOk(R"({"messages":[],"stream":true})");
  EXPECT_FALSE(s.has_model);
  EXPECT_TRUE(s.model.empty());
  EXPECT_TRUE(s.stream);
}

TEST(RequestSnifferTest, NonStringModelIsNotAModel) {
  auto s = SniffOk(R"({"model":42})");
  EXPECT_FALSE(s.has_model);
  auto o = SniffOk(R"({"model":{"id":"a/b"}})");
  EXPECT_FALSE(o.has_model);
  EXPECT_TRUE(o.model.empty());
}

TEST(RequestSnifferTest, EmptyObjectIsValid) {
  auto s = SniffOk("{}");
  EXPECT_FALSE(s.has_model);
  EXPECT_FALSE(s.stream);
}

TEST(RequestSnifferTest, LastTopLevelModelWins) {
  auto s = SniffOk(R"({"model":"first/a","model":"second/b"})");
  EXPECT_EQ(s.model, "second/b");
}

TEST(RequestSnifferTest, NonBoolStreamIsFalse) {
  EXPECT_FALSE(SniffOk(R"({"model":"m","stream":"yes"})").stream);
  EXPECT_FALSE(SniffOk(R"({"model":"m","stream":1})").stream);
  EXPECT_FALSE(SniffOk(R"({"model":"m","stream":null})").stream);
}

TEST(RequestSnifferTest, NonBoolStreamDoesNotLeakIntoModel) {
  auto s = SniffOk(R"({"stream":"yes","model":"a/b"})");
  EXPECT_EQ(s.model, "a/b");
  EXPECT_FALSE(s.stream);
}

TEST(RequestSnifferTest, LongModelIsExtractedWhole) {
  std::string id = "prov/" + std::string(100'000, 'x');
  std::string body = "{\"model\":\"" + id + "\"}";
  auto s = SniffOk(body);
  EXPECT_EQ(s.model, id);
  EXPECT_EQ(body.substr(s.model_begin, s.model_end - s.model_begin), "\"" + id + "\"");
}

TEST(RequestSnifferTest, TruncatedBodyIsInvalidJson) {
  ExpectInvalidJson(R"({"model":"a/b","messages":[)");
  ExpectInvalidJson(R"({"model":"a/b)");
  ExpectInvalidJson("{");
}

TEST(RequestSnifferTest, TrailingGarbageIsInvalidJson) {
  ExpectInvalidJson(R"({"model":"a/b"} x)");
  ExpectInvalidJson(R"({"model":"a/b"}{})");
}

TEST(RequestSnifferTest, BareArrayIsInvalidJson) { ExpectInvalidJson(R"([{"model":"a/b"}])"); }

TEST(RequestSnifferTest, BareScalarIsInvalidJson) {
  ExpectInvalidJson(R"("a/b")");
  ExpectInvalidJson("42");
  ExpectInvalidJson("null");
}

TEST(RequestSnifferTest, EmptyBodyIsInvalidJson) {
  ExpectInvalidJson("");
  ExpectInvalidJson("   ");
}

TEST(RequestSnifferTest, SyntaxErrorsAreInvalidJson) {
  ExpectInvalidJson(R"({model:"a/b"})");
  ExpectInvalidJson(R"({"model":"a/b",})");
  ExpectInvalidJson(R"({'model':'a/b'})");
}

TEST(RequestSnifferTest, CommentsAreInvalidJson) {
  ExpectInvalidJson("{/* c */\"model\":\"a/b\"}");
}

TEST(RequestSnifferTest, TrailingWhitespaceIsAccepted) {
  auto s = SniffOk("{\"model\":\"a/b\"}\r\n  ");
  EXPECT_EQ(s.model, "a/b");
}

TEST(RequestSnifferTest, DeepNestingIsRejectedNotCrashing) {
  std::string body =
      "{\"model\":\"a/b\",\"x\":" + std::string(10'000, '[') + std::string(10'000, ']') + "}";
  ExpectInvalidJson(body);
}

}  // namespace
}  // namespace omni::gateway
