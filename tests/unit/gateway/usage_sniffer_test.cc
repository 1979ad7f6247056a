#include "gateway/usage_sniffer.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

namespace omni::gateway {
namespace {

std::string Fixture(std::string_view relative) {
  std::string path = std::string(OMNI_SOURCE_DIR) + "/../shared/fixtures/" + std::string(relative);
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read fixture " << path;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Usage of openai-chat/stream-basic.sse and response-basic.json (same answer).
void ExpectBasicUsage(const TokenUsage& u) {
  EXPECT_TRUE(u.present);
  EXPECT_EQ(u.input_tokens, 40);
  EXPECT_EQ(u.output_tokens, 26);
  EXPECT_EQ(u.cached_tokens, 0);
  EXPECT_EQ(u.reasoning_tokens, 0);
}

std::string Replace(std::string text, std::string_view from, std::string_view to) {
  for (size_t pos = text.find(from); pos != std::string::npos;
       pos = text.find(from, pos + to.size()))
    text.replace(pos, from.size(), to);
  return text;
}

// --- FindUsage ----------------------------------------------------------------------------

TEST(FindUsageTest, ReadsAllCountersFromChatCompletion) {
  const std::string body = R"({
    "id": "chatcmpl-1", "object": "chat.completion", "model": "o3",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "hi"},
                 "finish_reason": "stop"}],
    "usage": {"prompt_tokens": 1200, "completion_tokens": 350, "total_tokens": 1550,
              "prompt_tokens_details": {"cached_tokens": 1024, "audio_tokens": 0},
              "completion_tokens_details": {"reasoning_tokens": 300, "audio_tokens": 0}}
  })";
  TokenUsage u;
  ASSERT_TRUE(FindUsage(body, u));
  EXPECT_TRUE(u.present);
  EXPECT_EQ(u.input_tokens, 1200);
  EXPECT_EQ(u.output_tokens, 350);
  EXPECT_EQ(u.cached_tokens, 1024);
  EXPECT_EQ(u.reasoning_tokens, 300);
}

TEST(FindUsageTest, ReadsFixtureResponse) {
  TokenUsage u;
  ASSERT_TRUE(FindUsage(Fixture("openai-chat/response-basic.json"), u));
  ExpectBasicUsage(u);
}

TEST(FindUsageTest, MissingDetailsLeaveCachedAndReasoningZero) {
  TokenUsage u;
  ASSERT_TRUE(FindUsage(R"({"usage":{"prompt_tokens":5,"completion_tokens":7}})", u));
  EXPECT_EQ(u.input_tokens, 5);
  EXPECT_EQ(u.output_tokens, 7);
  EXPECT_EQ(u.cached_tokens, 0);
  EXPECT_EQ(u.reasoning_tokens, 0);
}

TEST(FindUsageTest, NoUsageReturnsFalse) {
  TokenUsage u;
  EXPECT_FALSE(FindUsage(R"({"id":"x","choices":[]})", u));
  EXPECT_FALSE(u.present);
}

TEST(FindUsageTest, NullUsageReturnsFalse) {
  TokenUsage u;
  EXPECT_FALSE(FindUsage(R"({"id":"x","usage":null})", u));
  EXPECT_FALSE(u.present);
}

TEST(FindUsageTest, UsageWordInsideContentIsNotMistakenForUsage) {
  const std::string body = R"({"choices":[{"message":{"content":"see \"usage\": below"}}],)"
                           R"("usage":{"prompt_tokens":3,"completion_tokens":4}})";
  TokenUsage u;
  ASSERT_TRUE(FindUsage(body, u));
  EXPECT_EQ(u.input_tokens, 3);
  EXPECT_EQ(u.output_tokens, 4);
}

TEST(FindUsageTest, BracesInsideStringsDoNotEndTheObject) {
  TokenUsage u;
  ASSERT_TRUE(
      FindUsage(R"({"usage":{"note":"}{\"}","prompt_tokens":8,"completion_tokens":9}})", u));
  EXPECT_EQ(u.input_tokens, 8);
  EXPECT_EQ(u.output_tokens, 9);
}

TEST(FindUsageTest, TruncatedUsageObjectReturnsFalse) {
  TokenUsage u;
  EXPECT_FALSE(FindUsage(R"({"usage":{"prompt_tokens":8,"completion_tok)", u));
  EXPECT_FALSE(u.present);
}

// --- SseUsageSniffer ----------------------------------------------------------------------

TEST(SseUsageSnifferTest, FixtureStreamInOnePiece) {
  SseUsageSniffer sniffer;
  sniffer.Feed(Fixture("openai-chat/stream-basic.sse"));
  ExpectBasicUsage(sniffer.usage());
  EXPECT_TRUE(sniffer.saw_done());
}

TEST(SseUsageSnifferTest, FixtureStreamSplitAtEveryByteBoundary) {
  const std::string stream = Fixture("openai-chat/stream-basic.sse");
  ASSERT_FALSE(stream.empty());
  for (size_t cut = 0; cut <= stream.size(); ++cut) {
    SseUsageSniffer sniffer;
    sniffer.Feed(std::string_view(stream).substr(0, cut));
    sniffer.Feed(std::string_view(stream).substr(cut));
    const TokenUsage& u = sniffer.usage();
    ASSERT_TRUE(u.present) << "cut at " << cut;
    ASSERT_EQ(u.input_tokens, 40) << "cut at " << cut;
    ASSERT_EQ(u.output_tokens, 26) << "cut at " << cut;
    ASSERT_TRUE(sniffer.saw_done()) << "cut at " << cut;
  }
}

TEST(SseUsageSnifferTest, FixtureStreamFedByteByByte) {
  const std::string stream = Fixture("openai-chat/stream-basic.sse");
  SseUsageSniffer sniffer;
  for (char c : stream) sniffer.Feed(std::string_view(&c, 1));
  ExpectBasicUsage(sniffer.usage());
  EXPECT_TRUE(sniffer.saw_done());
}

TEST(SseUsageSnifferTest, ReasoningFixtureCountsReasoningTokens) {
  SseUsageSniffer sniffer;
  sniffer.Feed(Fixture("openai-chat/stream-thinking.sse"));
  EXPECT_TRUE(sniffer.usage().present);
  EXPECT_EQ(sniffer.usage().input_tokens, 33);
  EXPECT_EQ(sniffer.usage().output_tokens, 474);
  EXPECT_EQ(sniffer.usage().reasoning_tokens, 448);
  EXPECT_TRUE(sniffer.saw_done());
}

TEST(SseUsageSnifferTest, NullUsageChunksAreIgnored) {
  SseUsageSniffer sniffer;
  sniffer.Feed("data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}],\"usage\":null}\n\n");
  EXPECT_FALSE(sniffer.usage().present);
  sniffer.Feed(
      "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":3,"
      "\"prompt_tokens_details\":{\"cached_tokens\":1},"
      "\"completion_tokens_details\":{\"reasoning_tokens\":2}}}\n\n");
  // A later null usage must not erase the real one.
  sniffer.Feed("data: {\"choices\":[],\"usage\":null}\n\n");
  const TokenUsage& u = sniffer.usage();
  EXPECT_TRUE(u.present);
  EXPECT_EQ(u.input_tokens, 2);
  EXPECT_EQ(u.output_tokens, 3);
  EXPECT_EQ(u.cached_tokens, 1);
  EXPECT_EQ(u.reasoning_tokens, 2);
}

TEST(SseUsageSnifferTest, LaterUsageReplacesEarlierUsage) {
  SseUsageSniffer sniffer;
  sniffer.Feed("data: {\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}\n\n");
  sniffer.Feed("data: {\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":20}}\n\n");
  EXPECT_EQ(sniffer.usage().input_tokens, 10);
  EXPECT_EQ(sniffer.usage().output_tokens, 20);
}

TEST(SseUsageSnifferTest, CrlfLineEndings) {
  const std::string stream = Replace(Fixture("openai-chat/stream-basic.sse"), "\n", "\r\n");
  ASSERT_NE(stream.find("\r\n"), std::string::npos);
  SseUsageSniffer sniffer;
  sniffer.Feed(stream);
  ExpectBasicUsage(sniffer.usage());
  EXPECT_TRUE(sniffer.saw_done());
}

TEST(SseUsageSnifferTest, CrlfSplitBetweenCrAndLf) {
  SseUsageSniffer sniffer;
  sniffer.Feed("data: {\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":5}}\r");
  sniffer.Feed("\n\r\ndata: [DONE]\r");
  sniffer.Feed("\n\r\n");
  EXPECT_EQ(sniffer.usage().input_tokens, 4);
  EXPECT_EQ(sniffer.usage().output_tokens, 5);
  EXPECT_TRUE(sniffer.saw_done());
}

TEST(SseUsageSnifferTest, DataWithoutSpaceAfterColon) {
  SseUsageSniffer sniffer;
  sniffer.Feed("data:{\"usage\":{\"prompt_tokens\":6,\"completion_tokens\":7}}\n\ndata:[DONE]\n\n");
  EXPECT_EQ(sniffer.usage().input_tokens, 6);
  EXPECT_TRUE(sniffer.saw_done());
}

TEST(SseUsageSnifferTest, NoDoneWithoutDoneLine) {
  SseUsageSniffer sniffer;
  sniffer.Feed("data: {\"choices\":[]}\n\n");
  EXPECT_FALSE(sniffer.saw_done());
  EXPECT_FALSE(sniffer.usage().present);
}

TEST(SseUsageSnifferTest, DoneWithoutFinalNewlineIsNotYetSeen) {
  SseUsageSniffer sniffer;
  sniffer.Feed("data: [DONE]");
  EXPECT_FALSE(sniffer.saw_done());  // the line is incomplete until its newline arrives
  sniffer.Feed("\n");
  EXPECT_TRUE(sniffer.saw_done());
}

TEST(SseUsageSnifferTest, CommentsAndOtherFieldsAreIgnored) {
  SseUsageSniffer sniffer;
  sniffer.Feed(": keep-alive\nevent: message\nid: 7\n\"usage\":{\"prompt_tokens\":99}\n\n");
  EXPECT_FALSE(sniffer.usage().present);
  EXPECT_FALSE(sniffer.saw_done());
}

TEST(SseUsageSnifferTest, OverlongLineIsSkippedAndLaterLinesStillCount) {
  SseUsageSniffer sniffer;
  std::string huge =
      "data: {\"usage\":{\"prompt_tokens\":1},\"pad\":\"" + std::string(2u << 20, 'x') + "\"}\n\n";
  // Fed in pieces, the way a socket delivers it.
  for (size_t i = 0; i < huge.size(); i += 64 * 1024)
    sniffer.Feed(std::string_view(huge).substr(i, 64 * 1024));
  sniffer.Feed(
      "data: {\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":12}}\n\ndata: [DONE]\n\n");
  EXPECT_EQ(sniffer.usage().input_tokens, 11);
  EXPECT_EQ(sniffer.usage().output_tokens, 12);
  EXPECT_TRUE(sniffer.saw_done());
}

}  // namespace
}  // namespace omni::gateway
