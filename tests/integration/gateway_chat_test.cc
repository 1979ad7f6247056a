// /v1/chat/completions through the real gateway to the mock upstream: the happy paths.
#include <thread>

#include "gateway_fixture.h"

namespace omni::testing {
namespace {

TEST_F(GatewayTest, NonStreamAnswerIsRelayedWithModelRewritten) {
  auto res = Chat("openai/mock-small");
  ASSERT_EQ(res.status, 200) << res.body;
  auto body = Json(res.body).as_object();
  EXPECT_EQ(body.at("object").as_string(), "chat.completion");
  EXPECT_EQ(body.at("choices").as_array()[0].at("message").at("content").as_string(),
            "echo: hello there");

  auto requests = mock_->Requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto& up = requests[0].as_object();
  EXPECT_EQ(up.at("target").as_string(), "/v1/chat/completions");
  EXPECT_EQ(up.at("headers").at("authorization").as_string(), "Bearer sk-test-key-0123456789");
  // Only the model value changed: the rest of the client's bytes are forwarded verbatim.
  std::string sent = ChatBody("openai/mock-small", false);
  std::string expected = sent;
  expected.replace(expected.find("openai/mock-small"), 17, "mock-small");
  EXPECT_EQ(up.at("body").as_string(), expected);
}

TEST_F(GatewayTest, ClientBytesAreForwardedVerbatimApartFromModel) {
  // Odd spacing, key order and unicode must survive: no re-serialisation.
  std::string body =
      "{ \"messages\" : [ {\"role\":\"user\",\"content\":\"caf\\u00e9 \xe2\x98\x95\"} ],\n"
      "  \"model\":\"openai/mock-small\", \"temperature\": 0.50, \"x_extra\": {\"keep\": [1,2,3]} "
      "}";
  auto res = client_->Post("/v1/chat/completions", body);
  ASSERT_EQ(res.status, 200) << res.body;
  std::string expected = body;
  expected.replace(expected.find("openai/mock-small"), 17, "mock-small");
  EXPECT_EQ(mock_->Requests()[0].at("body").as_string(), expected);
}

TEST_F(GatewayTest, EscapedModelNameStillRoutes) {
  auto res = client_->Post(
      "/v1/chat/completions",
      R"({"model":"openai\/mock-small","messages":[{"role":"user","content":"hi"}]})");
  ASSERT_EQ(res.status, 200) << res.body;
  auto up = Json(mock_->Requests()[0].at("body").as_string());
  EXPECT_EQ(up.at("model").as_string(), "mock-small");
}

TEST_F(GatewayTest, StreamIsRelayedAsServerSentEvents) {
  std::vector<std::string> pieces;
  auto res =
      client_->StreamRequest("POST", "/v1/chat/completions", ChatBody("openai/mock-small", true),
                             {}, nullptr, [&](std::string_view p) {
                               pieces.emplace_back(p);
                               return true;
                             });
  ASSERT_EQ(res.status, 200) << res.error;
  EXPECT_TRUE(res.complete);
  EXPECT_EQ(res.headers["content-type"].rfind("text/event-stream", 0), 0u);
  auto events = ParseSse(res.body);
  ASSERT_GE(events.size(), 3u);
  EXPECT_EQ(events.back().data, "[DONE]");
  std::string text;
  for (const auto& e : events) {
    if (e.data == "[DONE]") continue;
    auto chunk = Json(e.data).as_object();
    EXPECT_EQ(chunk.at("object").as_string(), "chat.completion.chunk");
    const auto& choices = chunk.at("choices").as_array();
    if (choices.empty()) continue;
    if (const auto* c = choices[0].at("delta").as_object().if_contains("content");
        c && c->is_string())
      text += c->as_string();
  }
  EXPECT_EQ(text, "echo: hello there");
  EXPECT_GT(pieces.size(), 1u) << "stream should arrive in several pieces, not one buffered block";
}

TEST_F(GatewayTest, StreamWithSlowChunksArrivesIncrementally) {
  mock_->SetFaults(R"({"faults":[{"chunk_delay_ms":150,"chunks":4}]})");
  int pieces_with_content = 0;
  auto res =
      client_->StreamRequest("POST", "/v1/chat/completions", ChatBody("openai/mock-small", true),
                             {}, nullptr, [&](std::string_view p) {
                               pieces_with_content += p.find("content") != std::string_view::npos;
                               return true;
                             });
  ASSERT_EQ(res.status, 200);
  EXPECT_TRUE(res.complete);
  // With 150 ms between events the gateway cannot have coalesced them.
  EXPECT_GE(pieces_with_content, 4);
}

TEST_F(GatewayTest, ModelsListsProvidersWithConnections) {
  auto res = client_->Get("/v1/models");
  ASSERT_EQ(res.status, 200) << res.body;
  auto body = Json(res.body).as_object();
  EXPECT_EQ(body.at("object").as_string(), "list");
  bool found = false;
  for (const auto& m : body.at("data").as_array()) {
    EXPECT_EQ(m.at("owned_by").as_string(), "openai");
    found = found || m.at("id").as_string() == "openai/gpt-4o";
  }
  EXPECT_TRUE(found) << res.body;
}

TEST_F(GatewayTest, KeepAliveReusesUpstreamConnections) {
  for (int i = 0; i < 10; ++i) ASSERT_EQ(Chat("openai/mock-small").status, 200);
  for (int i = 0; i < 5; ++i) ASSERT_EQ(Chat("openai/mock-small", true).status, 200);
  // Two workers may each open their own; never one per request.
  EXPECT_LE(mock_->Stats().at("connections").as_int64(), 2);
}

TEST_F(GatewayTest, ConcurrentRequestsAllSucceed) {
  constexpr int kThreads = 8, kPerThread = 10;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto client = gateway_->Client();
      for (int i = 0; i < kPerThread; ++i) {
        const bool stream = (i + t) % 2 == 0;
        auto res = client.Post("/v1/chat/completions",
                               ChatBody("openai/mock-small", stream, "n" + std::to_string(i)));
        // Streams split the answer into word events; non-stream answers carry it whole.
        const std::string want = stream ? "[DONE]" : "echo: n" + std::to_string(i);
        if (res.status == 200 && res.body.find(want) != std::string::npos) ++ok;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), kThreads * kPerThread);
}

TEST_F(GatewayTest, DedicatedProviderRouteAddsThePrefix) {
  auto res = client_->Post("/v1/providers/openai/chat/completions", ChatBody("mock-small", false));
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(Json(mock_->Requests()[0].at("body").as_string()).at("model").as_string(),
            "mock-small");
  auto mismatch =
      client_->Post("/v1/providers/openai/chat/completions", ChatBody("ds/deepseek-chat", false));
  EXPECT_EQ(mismatch.status, 400) << mismatch.body;
  EXPECT_EQ(Json(mismatch.body).at("error").at("code").as_string(), "model_provider_mismatch");
}

TEST_F(GatewayTest, CustomProviderNodeRoutesByItsPrefix) {
  auto node =
      client_->Post("/api/provider-nodes", R"({"name":"Local LLM","prefix":"local","baseUrl":")" +
                                               mock_->BaseUrl() + R"(","format":"openai"})");
  ASSERT_EQ(node.status, 201) << node.body;
  AddConnection(*client_, "local", "", "sk-local-0123456789");
  auto res = Chat("local/mock-large");
  ASSERT_EQ(res.status, 200) << res.body;
  auto up = mock_->Requests().back().as_object();
  EXPECT_EQ(up.at("headers").at("authorization").as_string(), "Bearer sk-local-0123456789");
  EXPECT_EQ(Json(up.at("body").as_string()).at("model").as_string(), "mock-large");
  // The node's models come from the upstream's /models.
  auto models = client_->Get("/v1/models");
  EXPECT_NE(models.body.find("\"local/mock-small\""), std::string::npos) << models.body;
}

TEST_F(GatewayTest, PriorityPicksTheLowestEnabledConnection) {
  MockUpstream second;
  AddConnection(*client_, "openai", second.BaseUrl(), "sk-second-0123456789", 0);
  ASSERT_EQ(Chat("openai/mock-small").status, 200);
  EXPECT_EQ(second.Requests().size(), 1u);
  EXPECT_EQ(mock_->Requests().size(), 0u);
}

}  // namespace
}  // namespace omni::testing
