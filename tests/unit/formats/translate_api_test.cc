// Direct tests of the public API edges the golden files do not show: SSE parsing across
// arbitrary chunk boundaries, error bodies per format, invalid input, stream accounting.
#include <gtest/gtest.h>

#include "formats/error_body.h"
#include "formats/sse.h"
#include "formats/stream_translator.h"
#include "formats/translate.h"
#include "wire_json.h"

namespace omni::formats {
namespace {

std::vector<std::pair<std::string, std::string>> ParseAll(std::string_view text, size_t chunk) {
  std::vector<std::pair<std::string, std::string>> events;
  SseParser p;
  auto on = [&](std::string_view e, std::string_view d) { events.emplace_back(e, d); };
  for (size_t i = 0; i < text.size(); i += chunk) p.Feed(text.substr(i, chunk), on);
  p.Finish(on);
  return events;
}

TEST(FormatsSseParser, AcceptsEveryLineEndingAndChunking) {
  std::string_view text = "event: a\r\ndata: 1\r\n\r\n: keep-alive\n\ndata: x\ndata: y\n\rdata: z";
  for (size_t chunk = 1; chunk <= text.size(); ++chunk) {
    auto events = ParseAll(text, chunk);
    ASSERT_EQ(events.size(), 3u) << "chunk " << chunk;
    EXPECT_EQ(events[0], (std::pair<std::string, std::string>{"a", "1"}));
    EXPECT_EQ(events[1], (std::pair<std::string, std::string>{"", "x\ny"}));
    EXPECT_EQ(events[2], (std::pair<std::string, std::string>{"", "z"}));
  }
}

TEST(FormatsErrorBody, EachFormatHasItsShape) {
  Error e{429, "", "", "slow down"};
  EXPECT_EQ(EncodeErrorBody(Format::kAnthropic, e),
            R"({"type":"error","error":{"type":"rate_limit_error","message":"slow down"}})");
  EXPECT_EQ(
      EncodeErrorBody(Format::kOpenAIChat, e),
      R"({"error":{"message":"slow down","type":"rate_limit_error","param":null,"code":"rate_limit_exceeded"}})");
  EXPECT_EQ(EncodeErrorBody(Format::kGemini, e),
            R"({"error":{"code":429,"message":"slow down","status":"RESOURCE_EXHAUSTED"}})");
  Error overloaded{529, "", "", "Overloaded"};
  EXPECT_EQ(ErrorStatusFor(Format::kGemini, 529), 503);
  EXPECT_EQ(ErrorStatusFor(Format::kAnthropic, 529), 529);
  EXPECT_NE(EncodeErrorBody(Format::kGemini, overloaded).find("\"UNAVAILABLE\""),
            std::string::npos);
}

TEST(FormatsTranslate, InvalidBodiesAre400) {
  Warnings w;
  auto r = TranslateRequest(Format::kOpenAIChat, Format::kAnthropic, "{not json", &w);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().status, 400);
  auto missing = TranslateRequest(Format::kAnthropic, Format::kGemini, R"({"model":"x"})", &w);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().status, 400);
  auto upstream = TranslateResponse(Format::kGemini, Format::kOpenAIChat, "<html>", &w);
  ASSERT_FALSE(upstream.ok());
  EXPECT_EQ(upstream.error().status, 502);
}

// The mid-stream error each format's client understands (sent after the upstream failed).
TEST(FormatsStreamTranslator, StreamErrorEventInEachFormat) {
  Error e;
  e.status = 429;
  e.message = "slow down";
  EXPECT_EQ(StreamErrorEvent(Format::kAnthropic, e),
            "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\","
            "\"message\":\"slow down\"}}\n\n");
  EXPECT_EQ(StreamErrorEvent(Format::kOpenAIChat, e),
            "data: {\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_error\","
            "\"param\":null,\"code\":\"rate_limit_exceeded\"}}\n\n");
  EXPECT_EQ(StreamErrorEvent(Format::kGemini, e),
            "data: {\"error\":{\"code\":429,\"message\":\"slow down\","
            "\"status\":\"RESOURCE_EXHAUSTED\"}}\n\n");
  EXPECT_EQ(StreamErrorEvent(Format::kResponses, e),
            "event: error\ndata: {\"type\":\"error\",\"code\":\"rate_limit_exceeded\","
            "\"message\":\"slow down\",\"param\":null}\n\n"
            "event: response.failed\ndata: {\"type\":\"response.failed\",\"response\":{"
            "\"object\":\"response\",\"status\":\"failed\",\"output\":[],\"error\":{"
            "\"code\":\"rate_limit_exceeded\",\"message\":\"slow down\"}}}\n\n");
}

TEST(FormatsStreamTranslator, ReportsUsageAndTruncation) {
  StreamTranslator t(Format::kOpenAIChat, Format::kAnthropic);
  std::string out;
  t.Feed(R"(data: {"id":"c","model":"m","choices":[{"index":0,"delta":{"content":"hi"}}]})"
         "\n\n",
         out);
  EXPECT_NE(out.find("text_delta"), std::string::npos);  // emitted before the stream ends
  t.Finish(out);
  EXPECT_TRUE(t.failed());
  EXPECT_NE(out.find("event: error"), std::string::npos);
  EXPECT_EQ(out.find("message_stop"), std::string::npos);

  StreamTranslator u(Format::kAnthropic, Format::kOpenAIChat);
  std::string out2;
  u.Feed(
      "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
      "\"end_turn\"},\"usage\":{\"input_tokens\":5,\"cache_read_input_tokens\":2,"
      "\"output_tokens\":7}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
      out2);
  EXPECT_EQ(u.usage().input, 7);
  EXPECT_EQ(u.usage().cached, 2);
  EXPECT_EQ(u.usage().output, 7);
  EXPECT_FALSE(u.failed());
  EXPECT_NE(out2.find("data: [DONE]"), std::string::npos);
}

}  // namespace
}  // namespace omni::formats
