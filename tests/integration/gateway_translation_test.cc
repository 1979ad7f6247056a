// Cross-format traffic through the gateway: the failures users hit in other gateways, checked
// end to end (the byte-level rules live in tests/unit/formats goldens).
#include "gateway_fixture.h"

namespace omni::testing {
namespace {

std::string AnthropicBody(std::string_view model, bool stream, std::string_view extra = "") {
  std::string body = R"({"model":")" + std::string(model) +
                     R"(","max_tokens":256,"messages":[{"role":"user","content":"hello there"}])";
  if (stream) body += R"(,"stream":true)";
  body += extra;
  body += "}";
  return body;
}

class GatewayTranslationTest : public GatewayTest {
 protected:
  void SetUp() override {
    GatewayTest::SetUp();
    auto node =
        client_->Post("/api/provider-nodes", R"({"name":"resp","prefix":"resp","baseUrl":")" +
                                                 mock_->BaseUrl() + R"(","format":"responses"})");
    ASSERT_EQ(node.status, 201) << node.body;
    AddConnection(*client_, "resp", "");
  }
};

TEST_F(GatewayTranslationTest, StreamedToolCallOpensExactlyOneAnthropicBlock) {
  mock_->SetFaults(
      R"({"faults":[{"tool_call":{"name":"Get_Weather","arguments":{"city":"Paris","days":3}}}]})");
  auto res = client_->Post(
      "/v1/messages",
      AnthropicBody("openai/mock-small", true,
                    R"(,"tools":[{"name":"Get_Weather","input_schema":{"type":"object"}}])"));
  ASSERT_EQ(res.status, 200) << res.body;
  int tool_starts = 0;
  std::string args;
  for (const auto& e : ParseSse(res.body)) {
    if (e.event == "content_block_start" && e.data.find("\"tool_use\"") != std::string::npos) {
      ++tool_starts;
      auto block = Json(e.data).at("content_block").as_object();
      EXPECT_EQ(block.at("name").as_string(), "Get_Weather");  // exactly as the client defined it
      EXPECT_FALSE(block.at("id").as_string().empty());
    }
    if (e.event == "content_block_delta" && e.data.find("input_json_delta") != std::string::npos)
      args += Json(e.data).at("delta").at("partial_json").as_string();
  }
  EXPECT_EQ(tool_starts, 1) << res.body;
  auto parsed = Json(args).as_object();
  EXPECT_EQ(parsed.at("city").as_string(), "Paris");
}

TEST_F(GatewayTranslationTest, ReasoningContentBecomesThinkingAndKeepsTheAnswer) {
  mock_->SetFaults(R"({"faults":[{"thinking":"let me think"}]})");
  auto res = client_->Post("/v1/messages", AnthropicBody("openai/mock-small", false));
  ASSERT_EQ(res.status, 200) << res.body;
  auto content = Json(res.body).at("content").as_array();
  ASSERT_GE(content.size(), 2u) << res.body;
  EXPECT_EQ(content[0].at("type").as_string(), "thinking");
  EXPECT_EQ(content.back().at("type").as_string(), "text");
  EXPECT_EQ(content.back().at("text").as_string(), "echo: hello there");
}

TEST_F(GatewayTranslationTest, ServerToolMapsToNativeOrIsDroppedWithAWarning) {
  const std::string tools =
      R"(,"tools":[{"type":"web_search_20250305","name":"web_search","max_uses":3}])";
  auto to_chat = client_->Post("/v1/messages", AnthropicBody("openai/mock-small", false, tools));
  ASSERT_EQ(to_chat.status, 200) << to_chat.body;
  EXPECT_FALSE(to_chat.Header("x-omniroute-warnings").empty());
  auto chat_body = Json(mock_->Requests().back().at("body").as_string()).as_object();
  EXPECT_EQ(chat_body.if_contains("tools"), nullptr) << "never a fake function tool";

  auto to_responses = client_->Post("/v1/messages", AnthropicBody("resp/mock-small", false, tools));
  ASSERT_EQ(to_responses.status, 200) << to_responses.body;
  auto resp_body = Json(mock_->Requests().back().at("body").as_string()).as_object();
  ASSERT_NE(resp_body.if_contains("tools"), nullptr);
  EXPECT_EQ(resp_body.at("tools").as_array()[0].at("type").as_string(), "web_search");
}

TEST_F(GatewayTranslationTest, ErrorsComeInTheClientsShape) {
  auto anthropic = client_->Post("/v1/messages", AnthropicBody("nope/x", false));
  EXPECT_EQ(anthropic.status, 400);
  EXPECT_EQ(Json(anthropic.body).at("type").as_string(), "error");
  EXPECT_EQ(Json(anthropic.body).at("error").at("type").as_string(), "invalid_request_error");

  auto gemini = client_->Post("/v1beta/models/nope/x:generateContent", R"({"contents":[]})");
  EXPECT_EQ(gemini.status, 400);
  EXPECT_EQ(Json(gemini.body).at("error").at("status").as_string(), "INVALID_ARGUMENT");

  auto bad_json = client_->Post("/v1/responses", "{oops");
  EXPECT_EQ(bad_json.status, 400);
  EXPECT_EQ(Json(bad_json.body).at("error").at("code").as_string(), "invalid_json");

  // An upstream error in another format is re-shaped too.
  mock_->SetFaults(R"({"faults":[{"status":429,"retry_after":"3"}]})");
  auto limited = client_->Post("/v1/messages", AnthropicBody("openai/mock-small", false));
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.Header("retry-after"), "3");
  EXPECT_EQ(Json(limited.body).at("error").at("type").as_string(), "rate_limit_error");
}

TEST_F(GatewayTranslationTest, ClaudeCodePathsAndBetaHeaderPassThrough) {
  AddConnection(*client_, "anthropic", mock_->BaseUrl());
  auto res = client_->Post(
      "/v1/v1/messages?beta=true", AnthropicBody("anthropic/mock-small", false),
      {{"anthropic-beta", "interleaved-thinking-2025-05-14,fine-grained-tool-streaming"},
       {"anthropic-version", "2023-06-01"}});
  ASSERT_EQ(res.status, 200) << res.body;
  auto up = mock_->Requests().back().as_object();
  EXPECT_EQ(up.at("target").as_string(), "/v1/messages?beta=true");
  EXPECT_EQ(up.at("headers").at("anthropic-beta").as_string(),
            "interleaved-thinking-2025-05-14,fine-grained-tool-streaming");
  EXPECT_EQ(up.at("headers").at("x-api-key").as_string(), "sk-test-key-0123456789");
}

TEST_F(GatewayTranslationTest, GeminiClientReachesEveryUpstream) {
  // "%2F": clients that escape the provider slash in the path.
  for (std::string model : {"openai/mock-small", "resp/mock-small", "openai%2Fmock-small"}) {
    auto res = client_->Post("/v1beta/models/" + model + ":generateContent",
                             R"({"contents":[{"role":"user","parts":[{"text":"hi gemini"}]}]})");
    ASSERT_EQ(res.status, 200) << model << ": " << res.body;
    EXPECT_EQ(Json(res.body)
                  .at("candidates")
                  .as_array()[0]
                  .at("content")
                  .at("parts")
                  .as_array()[0]
                  .at("text")
                  .as_string(),
              "echo: hi gemini");
  }
  auto stream = client_->Post("/v1beta/models/openai/mock-small:streamGenerateContent?alt=sse",
                              R"({"contents":[{"role":"user","parts":[{"text":"hi gemini"}]}]})");
  ASSERT_EQ(stream.status, 200);
  EXPECT_GE(ParseSse(stream.body).size(), 2u) << stream.body;
  auto bad = client_->Post("/v1beta/models/openai%2/mock-small:generateContent",
                           R"({"contents":[{"role":"user","parts":[{"text":"x"}]}]})");
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(Json(bad.body).at("error").at("status").as_string(), "INVALID_ARGUMENT") << bad.body;
}

TEST_F(GatewayTranslationTest, CountTokensEstimatesForNonAnthropicProviders) {
  auto res = client_->Post("/v1/messages/count_tokens", AnthropicBody("openai/mock-small", false));
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_GT(Json(res.body).at("input_tokens").as_int64(), 0);
}

TEST_F(GatewayTranslationTest, TranslatorApiShowsTheTranslation) {
  auto res = client_->Post(
      "/api/translator/translate",
      R"({"from":"anthropic","to":"openai","body":{"model":"m","max_tokens":5,"system":"be brief",)"
      R"("messages":[{"role":"user","content":"hi"}]}})");
  ASSERT_EQ(res.status, 200) << res.body;
  auto body = Json(res.body).at("body").as_object();
  EXPECT_EQ(body.at("messages").as_array()[0].at("role").as_string(), "system");
  auto bad =
      client_->Post("/api/translator/translate", R"({"from":"klingon","to":"openai","body":{}})");
  EXPECT_EQ(bad.status, 400);
}

}  // namespace
}  // namespace omni::testing
