// Tests of tools/mock-upstream's provider formats beyond OpenAI chat: Anthropic Messages, Gemini
// and OpenAI Responses (non-stream, SSE framing, tool calls, thinking, tool results, error
// shapes, faults), plus the scripted tool_call / thinking answers in OpenAI chat.

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <fstream>
#include <string>
#include <vector>

#include "http_client.h"
#include "mock_upstream.h"

namespace omni::testing {
namespace {

namespace json = boost::json;

constexpr std::string_view kArgs = R"({"location":"London, UK","unit":"celsius"})";
// thinking + tool call (+ a text preamble when content is set), for one model.
std::string ToolRule(std::string_view model, bool with_content) {
  json::object rule{
      {"model", model},
      {"thinking", "plan the call"},
      {"tool_call", json::object{{"name", "get_weather"}, {"arguments", json::parse(kArgs)}}}};
  if (with_content) rule["content"] = "Let me check.";
  return json::serialize(json::array{rule});
}

std::string Messages(std::string_view text) {
  return json::serialize(json::array{json::object{{"role", "user"}, {"content", text}}});
}
std::string ChatBody(std::string_view model, std::string_view text, bool stream) {
  return R"({"model":")" + std::string(model) + R"(","stream":)" + (stream ? "true" : "false") +
         R"(,"messages":)" + Messages(text) + "}";
}
std::string AnthropicBody(std::string_view model, std::string_view text, bool stream) {
  return R"({"model":")" + std::string(model) +
         R"(","max_tokens":64,"system":"Be brief.","stream":)" + (stream ? "true" : "false") +
         R"(,"messages":)" + Messages(text) + "}";
}
std::string ResponsesBody(std::string_view model, std::string_view text, bool stream) {
  return R"({"model":")" + std::string(model) + R"(","instructions":"Be brief.","stream":)" +
         (stream ? "true" : "false") + R"(,"input":)" + Messages(text) + "}";
}
std::string GeminiBody(std::string_view text) {
  json::object part{{"text", text}};
  return json::serialize(json::object{
      {"contents", json::array{json::object{{"role", "user"}, {"parts", json::array{part}}}}}});
}
std::string GeminiTarget(std::string_view model, bool stream) {
  return "/v1beta/models/" + std::string(model) +
         (stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
}

std::vector<SseEvent> Events(const std::string& body) { return ParseSse(body); }
std::vector<std::string> Names(const std::vector<SseEvent>& events) {
  std::vector<std::string> names;
  for (const SseEvent& e : events) names.push_back(e.event);
  return names;
}
size_t Count(const std::vector<std::string>& names, std::string_view name) {
  return static_cast<size_t>(std::count(names.begin(), names.end(), name));
}

class MockFormatsTest : public ::testing::Test {
 protected:
  StreamResult Stream(const std::string& target, const std::string& body,
                      const HeaderList& headers = {}) {
    return client_.StreamRequest("POST", target, body, headers, {}, {});
  }

  MockUpstream mock_;
  HttpClient client_ = mock_.NewClient();
};

// ---- Anthropic -------------------------------------------------------------------------------

TEST_F(MockFormatsTest, AnthropicMessageAndRecordedHeaders) {
  HttpResponse r =
      client_.Post("/v1/messages?beta=true", AnthropicBody("claude-x", "hi you", false),
                   {{"x-api-key", "sk-ant-test"},
                    {"anthropic-version", "2023-06-01"},
                    {"anthropic-beta", "tools-2024-04-04"}});
  ASSERT_EQ(r.status, 200) << r.error << r.body;
  json::value v = json::parse(r.body);
  EXPECT_TRUE(v.at("id").as_string().starts_with("msg_mock_"));
  EXPECT_EQ(v.at("type"), "message");
  EXPECT_EQ(v.at("role"), "assistant");
  EXPECT_EQ(v.at("model"), "claude-x");
  ASSERT_EQ(v.at("content").as_array().size(), 1u);
  EXPECT_EQ(v.at("content").at(0).at("type"), "text");
  EXPECT_EQ(v.at("content").at(0).at("text"), "echo: hi you");
  EXPECT_EQ(v.at("stop_reason"), "end_turn");
  EXPECT_EQ(v.at("usage").at("input_tokens"), 4);  // "Be brief." + "hi you"
  EXPECT_EQ(v.at("usage").at("output_tokens"), 3);

  json::object recorded = mock_.Requests().at(0).as_object();
  EXPECT_EQ(recorded.at("target"), "/v1/messages?beta=true");
  EXPECT_EQ(recorded.at("headers").at("x-api-key"), "sk-ant-test");
  EXPECT_EQ(recorded.at("headers").at("anthropic-version"), "2023-06-01");
  EXPECT_EQ(recorded.at("headers").at("anthropic-beta"), "tools-2024-04-04");
}

TEST_F(MockFormatsTest, AnthropicStreamHasTheExactEventSequence) {
  StreamResult s = Stream("/v1/messages", AnthropicBody("claude-x", "one two", true));
  ASSERT_TRUE(s.complete) << s.error;
  EXPECT_EQ(s.headers["content-type"], "text/event-stream");
  EXPECT_TRUE(s.body.starts_with("event: message_start\ndata: {\"type\":\"message_start\""));
  std::vector<SseEvent> events = Events(s.body);
  const std::vector<std::string> expected = {
      "message_start",       "content_block_start", "ping",
      "content_block_delta", "content_block_delta", "content_block_delta",
      "content_block_stop",  "message_delta",       "message_stop"};
  ASSERT_EQ(Names(events), expected) << s.body;
  std::string text;
  for (const SseEvent& e : events) {
    json::value d = json::parse(e.data);
    EXPECT_EQ(d.at("type").as_string(), e.event);  // the event line always names the data type
    if (e.event == "content_block_delta") {
      EXPECT_EQ(d.at("delta").at("type"), "text_delta");
      text += d.at("delta").at("text").as_string();
    }
  }
  EXPECT_EQ(text, "echo: one two");
  json::value start = json::parse(events[0].data);
  EXPECT_EQ(start.at("message").at("model"), "claude-x");
  EXPECT_TRUE(start.at("message").at("content").as_array().empty());
  json::value delta = json::parse(events[7].data);
  EXPECT_EQ(delta.at("delta").at("stop_reason"), "end_turn");
  EXPECT_EQ(delta.at("usage").at("output_tokens"), 3);
}

TEST_F(MockFormatsTest, AnthropicThinkingAndToolUse) {
  mock_.SetFaults(ToolRule("claude-t", false));
  HttpResponse r = client_.Post("/v1/messages", AnthropicBody("claude-t", "weather?", false));
  json::value v = json::parse(r.body);
  ASSERT_EQ(v.at("content").as_array().size(), 2u) << r.body;
  EXPECT_EQ(v.at("content").at(0).at("type"), "thinking");
  EXPECT_EQ(v.at("content").at(0).at("thinking"), "plan the call");
  EXPECT_FALSE(v.at("content").at(0).at("signature").as_string().empty());
  EXPECT_EQ(v.at("content").at(1).at("type"), "tool_use");
  EXPECT_TRUE(v.at("content").at(1).at("id").as_string().starts_with("toolu_mock_"));
  EXPECT_EQ(v.at("content").at(1).at("name"), "get_weather");
  EXPECT_EQ(v.at("content").at(1).at("input"), json::parse(kArgs));
  EXPECT_EQ(v.at("stop_reason"), "tool_use");

  StreamResult s = Stream("/v1/messages", AnthropicBody("claude-t", "weather?", true));
  ASSERT_TRUE(s.complete) << s.error;
  std::string thinking, partial_json;
  int fragments = 0, signatures = 0;
  for (const SseEvent& e : Events(s.body)) {
    json::value d = json::parse(e.data);
    if (e.event == "content_block_start") {
      const std::string_view type = d.at("content_block").at("type").as_string();
      EXPECT_EQ(d.at("index"), type == "thinking" ? 0 : 1);
    }
    if (e.event != "content_block_delta") continue;
    const json::value& delta = d.at("delta");
    if (delta.at("type") == "thinking_delta") thinking += delta.at("thinking").as_string();
    if (delta.at("type") == "signature_delta") ++signatures;
    if (delta.at("type") == "input_json_delta") {
      EXPECT_EQ(d.at("index"), 1);
      if (!delta.at("partial_json").as_string().empty()) ++fragments;
      partial_json += delta.at("partial_json").as_string();
    }
  }
  EXPECT_EQ(thinking, "plan the call");
  EXPECT_EQ(signatures, 1);
  EXPECT_GE(fragments, 3);
  EXPECT_EQ(json::parse(partial_json), json::parse(kArgs));
  EXPECT_NE(s.body.find(R"("stop_reason":"tool_use")"), std::string::npos);
}

// ---- Gemini ----------------------------------------------------------------------------------

TEST_F(MockFormatsTest, GeminiGenerateContentTakesTheModelFromThePath) {
  HttpResponse r = client_.Post(GeminiTarget("gemini-x", false), GeminiBody("hi you"),
                                {{"x-goog-api-key", "g-key"}});
  ASSERT_EQ(r.status, 200) << r.body;
  json::value v = json::parse(r.body);
  const json::value& candidate = v.at("candidates").at(0);
  EXPECT_EQ(candidate.at("content").at("role"), "model");
  EXPECT_EQ(candidate.at("content").at("parts").at(0).at("text"), "echo: hi you");
  EXPECT_EQ(candidate.at("finishReason"), "STOP");
  EXPECT_EQ(v.at("usageMetadata").at("promptTokenCount"), 2);
  EXPECT_EQ(v.at("usageMetadata").at("candidatesTokenCount"), 3);
  EXPECT_EQ(v.at("usageMetadata").at("totalTokenCount"), 5);
  EXPECT_EQ(v.at("modelVersion"), "gemini-x");
  EXPECT_EQ(mock_.Requests().at(0).at("headers").at("x-goog-api-key"), "g-key");
  r = client_.Post("/v1beta/models/openai%2Fmock-small:generateContent", GeminiBody("x"));
  EXPECT_EQ(json::parse(r.body).at("modelVersion"), "openai/mock-small");

  json::value models = json::parse(client_.Get("/v1beta/models").body);
  EXPECT_EQ(models.at("models").at(0).at("name"), "models/mock-small");
}

TEST_F(MockFormatsTest, GeminiStreamIsCrlfFramedChunks) {
  StreamResult s = Stream(GeminiTarget("gemini-x", true), GeminiBody("a b"));
  ASSERT_TRUE(s.complete) << s.error;
  EXPECT_TRUE(s.body.starts_with("data: {\"candidates\": [")) << s.body;
  EXPECT_TRUE(s.body.ends_with("}\r\n\r\n"));
  EXPECT_EQ(s.body.find("\n\n"), std::string::npos);  // every event ends with CRLF CRLF
  std::vector<SseEvent> events = Events(s.body);
  ASSERT_EQ(events.size(), 3u);  // "echo:", " a", " b"
  std::string text;
  for (size_t i = 0; i < events.size(); ++i) {
    json::value chunk = json::parse(events[i].data);
    const json::value& candidate = chunk.at("candidates").at(0);
    text += candidate.at("content").at("parts").at(0).at("text").as_string();
    EXPECT_EQ(candidate.as_object().contains("finishReason"), i + 1 == events.size());
    EXPECT_EQ(chunk.at("usageMetadata").at("candidatesTokenCount"), static_cast<int64_t>(i + 1));
  }
  EXPECT_EQ(text, "echo: a b");
  // Without alt=sse the same chunks come as one JSON array.
  HttpResponse r = client_.Post("/v1beta/models/gemini-x:streamGenerateContent", GeminiBody("a b"));
  EXPECT_EQ(json::parse(r.body).as_array().size(), 3u);
}

TEST_F(MockFormatsTest, GeminiThoughtsAndFunctionCall) {
  mock_.SetFaults(ToolRule("gemini-t", true));
  json::value v = json::parse(client_.Post(GeminiTarget("gemini-t", false), GeminiBody("w")).body);
  const json::array& parts = v.at("candidates").at(0).at("content").at("parts").as_array();
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0].at("thought"), true);
  EXPECT_EQ(parts[0].at("text"), "plan the call");
  EXPECT_EQ(parts[1].at("text"), "Let me check.");
  EXPECT_EQ(parts[2].at("functionCall").at("name"), "get_weather");
  EXPECT_EQ(parts[2].at("functionCall").at("args"), json::parse(kArgs));
  EXPECT_EQ(v.at("usageMetadata").at("thoughtsTokenCount"), 3);

  StreamResult s = Stream(GeminiTarget("gemini-t", true), GeminiBody("w"));
  ASSERT_TRUE(s.complete);
  std::vector<SseEvent> events = Events(s.body);
  ASSERT_EQ(events.size(), 3u + 3u + 1u);  // 3 thought words, 3 text words, the call
  EXPECT_EQ(json::parse(events[0].data)
                .at("candidates")
                .at(0)
                .at("content")
                .at("parts")
                .at(0)
                .at("thought"),
            true);
  json::value last = json::parse(events.back().data);
  EXPECT_EQ(
      last.at("candidates").at(0).at("content").at("parts").at(0).at("functionCall").at("args"),
      json::parse(kArgs));
  EXPECT_EQ(last.at("candidates").at(0).at("finishReason"), "STOP");
}

// ---- OpenAI Responses ------------------------------------------------------------------------

TEST_F(MockFormatsTest, ResponsesObject) {
  HttpResponse r = client_.Post("/v1/responses", ResponsesBody("gpt-x", "hi you", false));
  ASSERT_EQ(r.status, 200) << r.body;
  json::value v = json::parse(r.body);
  EXPECT_TRUE(v.at("id").as_string().starts_with("resp_mock_"));
  EXPECT_EQ(v.at("object"), "response");
  EXPECT_EQ(v.at("status"), "completed");
  EXPECT_EQ(v.at("model"), "gpt-x");
  ASSERT_EQ(v.at("output").as_array().size(), 1u);
  const json::value& item = v.at("output").at(0);
  EXPECT_EQ(item.at("type"), "message");
  EXPECT_EQ(item.at("role"), "assistant");
  EXPECT_EQ(item.at("content").at(0).at("type"), "output_text");
  EXPECT_EQ(item.at("content").at(0).at("text"), "echo: hi you");
  EXPECT_EQ(v.at("usage").at("input_tokens"), 4);
  EXPECT_EQ(v.at("usage").at("output_tokens"), 3);
  EXPECT_EQ(v.at("usage").at("total_tokens"), 7);
  r = client_.Post("/v1/responses", R"({"model":"m","input":"plain string"})");
  EXPECT_EQ(json::parse(r.body).at("output").at(0).at("content").at(0).at("text"),
            "echo: plain string");
}

TEST_F(MockFormatsTest, ResponsesStreamEventsAreNumbered) {
  StreamResult s = Stream("/v1/responses", ResponsesBody("gpt-x", "one", true));
  ASSERT_TRUE(s.complete) << s.error;
  std::vector<SseEvent> events = Events(s.body);
  const std::vector<std::string> expected = {
      "response.created",           "response.in_progress",
      "response.output_item.added", "response.content_part.added",
      "response.output_text.delta", "response.output_text.delta",
      "response.output_text.done",  "response.content_part.done",
      "response.output_item.done",  "response.completed"};
  ASSERT_EQ(Names(events), expected) << s.body;
  std::string text;
  for (size_t i = 0; i < events.size(); ++i) {
    json::value d = json::parse(events[i].data);
    EXPECT_EQ(d.at("type").as_string(), events[i].event);
    EXPECT_EQ(d.at("sequence_number"), static_cast<int64_t>(i));
    if (events[i].event == "response.output_text.delta") text += d.at("delta").as_string();
  }
  EXPECT_EQ(text, "echo: one");
  json::value done = json::parse(events.back().data).at("response");
  EXPECT_EQ(done.at("status"), "completed");
  EXPECT_EQ(done.at("output").at(0).at("content").at(0).at("text"), "echo: one");
  EXPECT_EQ(done.at("usage").at("output_tokens"), 2);
}

TEST_F(MockFormatsTest, ResponsesReasoningAndFunctionCall) {
  mock_.SetFaults(ToolRule("gpt-t", false));
  json::value v =
      json::parse(client_.Post("/v1/responses", ResponsesBody("gpt-t", "w", false)).body);
  ASSERT_EQ(v.at("output").as_array().size(), 2u);
  EXPECT_EQ(v.at("output").at(0).at("type"), "reasoning");
  EXPECT_EQ(v.at("output").at(0).at("summary").at(0).at("text"), "plan the call");
  EXPECT_EQ(v.at("output").at(1).at("type"), "function_call");
  EXPECT_EQ(v.at("output").at(1).at("name"), "get_weather");
  EXPECT_EQ(json::parse(v.at("output").at(1).at("arguments").as_string()), json::parse(kArgs));
  EXPECT_EQ(v.at("usage").at("output_tokens_details").at("reasoning_tokens"), 3);

  StreamResult s = Stream("/v1/responses", ResponsesBody("gpt-t", "w", true));
  ASSERT_TRUE(s.complete);
  std::vector<std::string> names = Names(Events(s.body));
  EXPECT_EQ(Count(names, "response.reasoning_summary_text.delta"), 3u);
  EXPECT_GE(Count(names, "response.function_call_arguments.delta"), 3u);
  EXPECT_EQ(Count(names, "response.output_item.added"), 2u);
  std::string summary, arguments;
  for (const SseEvent& e : Events(s.body)) {
    json::value d = json::parse(e.data);
    if (e.event == "response.reasoning_summary_text.delta") summary += d.at("delta").as_string();
    if (e.event == "response.function_call_arguments.delta") {
      EXPECT_EQ(d.at("output_index"), 1);
      arguments += d.at("delta").as_string();
    }
  }
  EXPECT_EQ(summary, "plan the call");
  EXPECT_EQ(arguments, kArgs);
}

// ---- OpenAI chat: the scripted answer shapes -------------------------------------------------

TEST_F(MockFormatsTest, OpenAiChatToolCallsAndReasoning) {
  mock_.SetFaults(ToolRule("gpt-t", false));
  json::value v =
      json::parse(client_.Post("/v1/chat/completions", ChatBody("gpt-t", "w", false)).body);
  const json::value& choice = v.at("choices").at(0);
  EXPECT_EQ(choice.at("finish_reason"), "tool_calls");
  EXPECT_TRUE(choice.at("message").at("content").is_null());
  EXPECT_EQ(choice.at("message").at("reasoning_content"), "plan the call");
  const json::value& call = choice.at("message").at("tool_calls").at(0);
  EXPECT_EQ(call.at("function").at("name"), "get_weather");
  EXPECT_EQ(json::parse(call.at("function").at("arguments").as_string()), json::parse(kArgs));

  StreamResult s = Stream("/v1/chat/completions", ChatBody("gpt-t", "w", true));
  ASSERT_TRUE(s.complete);
  std::string reasoning, arguments, finish;
  int fragments = 0;
  for (const SseEvent& e : Events(s.body)) {
    if (e.data == "[DONE]") continue;
    const json::value chunk = json::parse(e.data);
    const json::value& c = chunk.at("choices").at(0);
    const json::object& delta = c.at("delta").as_object();
    if (const json::value* r = delta.if_contains("reasoning_content")) reasoning += r->as_string();
    if (const json::value* calls = delta.if_contains("tool_calls")) {
      std::string_view piece = calls->at(0).at("function").at("arguments").as_string();
      if (!piece.empty()) ++fragments;
      arguments += piece;
    }
    if (c.at("finish_reason").is_string()) finish = c.at("finish_reason").as_string();
  }
  EXPECT_EQ(reasoning, "plan the call");
  EXPECT_GE(fragments, 3);
  EXPECT_EQ(arguments, kArgs);
  EXPECT_EQ(finish, "tool_calls");

  EXPECT_THROW(mock_.SetFaults(R"([{"tool_call":{"arguments":{}}}])"), std::runtime_error);
  EXPECT_THROW(mock_.SetFaults(R"([{"tool_call":{"name":"f","arguments":"x"}}])"),
               std::runtime_error);
}

// ---- Tool round trips: a conversation ending in a tool result is echoed --------------------

TEST_F(MockFormatsTest, ToolResultsAreEchoedInEveryFormat) {
  std::string chat = R"({"model":"m","messages":[{"role":"user","content":"w"},
      {"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function",
       "function":{"name":"f","arguments":"{}"}}]},{"role":"tool","tool_call_id":"c","content":"ok"}]})";
  json::value v = json::parse(client_.Post("/v1/chat/completions", chat).body);
  EXPECT_EQ(v.at("choices").at(0).at("message").at("content"), "echo: tool result ok");

  std::string anthropic = R"({"model":"c","max_tokens":9,"messages":[{"role":"user","content":"w"},
      {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"f","input":{}}]},
      {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"18 C"}]}]})";
  v = json::parse(client_.Post("/v1/messages", anthropic).body);
  EXPECT_EQ(v.at("content").at(0).at("text"), "echo: tool result 18 C");

  std::string gemini = R"({"contents":[{"role":"user","parts":[{"text":"w"}]},
      {"role":"model","parts":[{"functionCall":{"name":"f","args":{}}}]},
      {"role":"user","parts":[{"functionResponse":{"name":"f","response":{"t":18}}}]}]})";
  v = json::parse(client_.Post(GeminiTarget("g", false), gemini).body);
  EXPECT_EQ(v.at("candidates").at(0).at("content").at("parts").at(0).at("text"),
            R"(echo: tool result {"t":18})");

  std::string responses = R"({"model":"m","input":[{"role":"user","content":"w"},
      {"type":"function_call","call_id":"c","name":"f","arguments":"{}"},
      {"type":"function_call_output","call_id":"c","output":"sunny"}]})";
  v = json::parse(client_.Post("/v1/responses", responses).body);
  EXPECT_EQ(v.at("output").at(0).at("content").at(0).at("text"), "echo: tool result sunny");

  // The fixture's tool conversation ends with a new user question, so that is echoed.
  std::ifstream in(std::string(OMNI_SOURCE_DIR) +
                   "/../shared/fixtures/anthropic-messages/request-tools.json");
  if (in) {
    std::string fixture((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    v = json::parse(client_.Post("/v1/messages", fixture).body);
    EXPECT_EQ(v.at("content").at(0).at("text"), "echo: And in London?");
  }
}

// ---- Errors and faults in every format's own shape -------------------------------------------

TEST_F(MockFormatsTest, MalformedJsonIsA400InEachFormat) {
  HttpResponse r = client_.Post("/v1/messages", "{oops");
  ASSERT_EQ(r.status, 400);
  json::value v = json::parse(r.body);
  EXPECT_EQ(v.at("type"), "error");
  EXPECT_EQ(v.at("error").at("type"), "invalid_request_error");
  r = client_.Post(GeminiTarget("g", false), "{oops");
  ASSERT_EQ(r.status, 400);
  v = json::parse(r.body);
  EXPECT_EQ(v.at("error").at("code"), 400);
  EXPECT_EQ(v.at("error").at("status"), "INVALID_ARGUMENT");
  r = client_.Post("/v1/responses", "{oops");
  ASSERT_EQ(r.status, 400);
  EXPECT_EQ(json::parse(r.body).at("error").at("type"), "invalid_request_error");
  r = client_.Post("/v1beta/models/g:countTokens", "{}");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(json::parse(r.body).at("error").at("status"), "NOT_FOUND");
}

TEST_F(MockFormatsTest, ScriptedStatusUsesEachFormatsErrorShape) {
  mock_.SetFaults(R"([{"model":"claude-x","status":529},{"model":"gemini-x","status":429},
                      {"model":"gpt-x","status":500,"retry_after":2}])");
  HttpResponse r = client_.Post("/v1/messages", AnthropicBody("claude-x", "a", true));
  ASSERT_EQ(r.status, 529);
  EXPECT_EQ(json::parse(r.body).at("error").at("type"), "overloaded_error");
  r = client_.Post(GeminiTarget("gemini-x", true), GeminiBody("a"));  // model from the URL
  ASSERT_EQ(r.status, 429);
  EXPECT_EQ(json::parse(r.body).at("error").at("status"), "RESOURCE_EXHAUSTED");
  EXPECT_EQ(client_.Post(GeminiTarget("gemini-y", false), GeminiBody("a")).status, 200);
  r = client_.Post("/v1/responses", ResponsesBody("gpt-x", "a", false));
  ASSERT_EQ(r.status, 500);
  EXPECT_EQ(r.Header("retry-after"), "2");
  EXPECT_EQ(json::parse(r.body).at("error").at("type"), "server_error");
}

TEST_F(MockFormatsTest, DropsAndChunkCountsApplyToEveryFormat) {
  mock_.SetFaults(R"([{"model":"drop","drop_after_chunks":2},{"content":"a b","chunks":3}])");
  const std::vector<std::pair<std::string, std::string>> drops = {
      {"/v1/messages", AnthropicBody("drop", "x y z", true)},
      {GeminiTarget("drop", true), GeminiBody("x y z")},
      {"/v1/responses", ResponsesBody("drop", "x y z", true)}};
  for (const auto& [target, body] : drops) {
    StreamResult s = Stream(target, body);
    EXPECT_FALSE(s.complete) << target;
    EXPECT_EQ(s.status, 200);
    EXPECT_EQ(Events(s.body).size(), 2u) << target;
  }
  // chunks: exactly 3 text events spelling "a b a", in each format.
  std::string body = Stream("/v1/messages", AnthropicBody("m", "x", true)).body;
  EXPECT_EQ(Count(Names(Events(body)), "content_block_delta"), 3u);
  EXPECT_NE(body.find(R"("text":" a")"), std::string::npos);
  EXPECT_EQ(Events(Stream(GeminiTarget("m", true), GeminiBody("x")).body).size(), 3u);
  body = Stream("/v1/responses", ResponsesBody("m", "x", true)).body;
  EXPECT_EQ(Count(Names(Events(body)), "response.output_text.delta"), 3u);
  EXPECT_NE(body.find(R"("text":"a b a")"), std::string::npos);
}

}  // namespace
}  // namespace omni::testing
