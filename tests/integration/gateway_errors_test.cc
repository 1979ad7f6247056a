// Bad input and upstream faults: every failure is a JSON error in OpenAI shape with the right
// status, and the gateway keeps serving afterwards.
#include "gateway_fixture.h"
#include "support/temp_dir.h"
#include "support/test_ca.h"

namespace omni::testing {
namespace {

std::string ErrorCode(const HttpResponse& res) {
  auto v = Json(res.body);
  return std::string(v.at("error").at("code").as_string());
}

class GatewayErrorsTest : public GatewayTest {
 protected:
  GatewayOptions Options() override {
    GatewayOptions o;
    o.env["UPSTREAM_FIRST_BYTE_TIMEOUT_MS"] = "500";
    o.env["UPSTREAM_IDLE_TIMEOUT_MS"] = "500";
    o.env["MAX_BODY_MB"] = "1";
    return o;
  }
  void TearDown() override {
    // Whatever happened, the gateway still answers.
    mock_->ClearFaults();
    auto res = Chat("openai/mock-small");
    EXPECT_EQ(res.status, 200) << "gateway stopped serving after the test: " << res.body
                               << res.error;
  }
};

TEST_F(GatewayErrorsTest, MalformedJsonIs400) {
  for (std::string body :
       {"{bad", "", "[1,2]", "{\"model\":\"openai/mock-small\"} trailing", "\"str\""}) {
    auto res = client_->Post("/v1/chat/completions", body);
    EXPECT_EQ(res.status, 400) << body;
    EXPECT_EQ(ErrorCode(res), "invalid_json") << body;
    EXPECT_FALSE(Json(res.body).at("error").at("message").as_string().empty());
  }
}

TEST_F(GatewayErrorsTest, ModelErrors) {
  auto missing = client_->Post("/v1/chat/completions", R"({"messages":[]})");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(ErrorCode(missing), "model_required");
  auto unknown_model = Chat("no-such-model");
  EXPECT_EQ(unknown_model.status, 404);
  EXPECT_EQ(ErrorCode(unknown_model), "model_not_found");
  auto unknown_provider = Chat("nope/some-model");
  EXPECT_EQ(unknown_provider.status, 400);
  EXPECT_EQ(ErrorCode(unknown_provider), "unknown_provider");
  auto no_conn = Chat("ds/deepseek-chat");
  EXPECT_EQ(no_conn.status, 400);
  EXPECT_EQ(ErrorCode(no_conn), "no_credentials");
  EXPECT_EQ(mock_->Requests().size(), 0u) << "nothing invalid may reach the upstream";
}

TEST_F(GatewayErrorsTest, UnknownRouteIsJson404AndWrongMethod405) {
  auto res = client_->Get("/v1/nothing-here");
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(ErrorCode(res), "not_found");
  auto wrong = client_->Get("/v1/chat/completions");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(ErrorCode(wrong), "method_not_allowed");
  EXPECT_EQ(wrong.Header("allow"), "POST");
}

TEST_F(GatewayErrorsTest, OversizedBodyIs413) {
  std::string big = ChatBody("openai/mock-small", false, std::string(2 << 20, 'a'));
  auto res = client_->Post("/v1/chat/completions", big);
  EXPECT_EQ(res.status, 413) << "transport error: " << res.error;
  EXPECT_EQ(ErrorCode(res), "request_too_large");
}

TEST_F(GatewayErrorsTest, OversizedHeadersAre431) {
  auto res = client_->Post("/v1/chat/completions", ChatBody("openai/mock-small", false),
                           {{"X-Big", std::string(20 << 10, 'h')}});
  EXPECT_EQ(res.status, 431) << "transport error: " << res.error;
}

TEST_F(GatewayErrorsTest, MalformedHttpIs400) {
  std::string reply = RawExchange(gateway_->port(), "THIS IS NOT HTTP\r\n\r\n");
  EXPECT_NE(reply.find("400"), std::string::npos) << reply;
  EXPECT_NE(reply.find("\"error\""), std::string::npos) << reply;
}

TEST_F(GatewayErrorsTest, UpstreamErrorStatusAndBodyPassThrough) {
  mock_->SetFaults(
      R"({"faults":[{"status":429,"retry_after":"7","body":"{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit\",\"code\":\"rate_limited\"}}"}]})");
  auto res = Chat("openai/mock-small");
  EXPECT_EQ(res.status, 429);
  EXPECT_EQ(res.Header("retry-after"), "7");
  EXPECT_EQ(Json(res.body).at("error").at("message").as_string(), "slow down");

  mock_->SetFaults(R"({"faults":[{"status":503,"body":"<html>overloaded</html>"}]})");
  auto wrapped = Chat("openai/mock-small", true);
  EXPECT_EQ(wrapped.status, 503);
  EXPECT_EQ(ErrorCode(wrapped), "upstream_http_503");
  EXPECT_NE(wrapped.body.find("overloaded"), std::string::npos);
}

TEST_F(GatewayErrorsTest, UnreachableUpstreamIs502) {
  TempDir dir;
  // A port nothing listens on: bind-and-close would race; port 9 (discard) is closed here.
  AddConnection(*client_, "groq", "http://127.0.0.1:9/v1");
  auto res = Chat("groq/llama-3.3-70b-versatile");
  EXPECT_EQ(res.status, 502);
  EXPECT_EQ(ErrorCode(res), "upstream_unreachable");
}

TEST_F(GatewayErrorsTest, SlowFirstByteIs504) {
  mock_->SetFaults(R"({"faults":[{"delay_ms":3000,"times":1}]})");
  auto res = Chat("openai/mock-small");
  EXPECT_EQ(res.status, 504);
  EXPECT_EQ(ErrorCode(res), "upstream_timeout");
}

TEST_F(GatewayErrorsTest, StalledStreamEndsWithErrorEvent) {
  mock_->SetFaults(R"({"faults":[{"chunk_delay_ms":3000,"chunks":3,"times":1}]})");
  auto res = client_->StreamRequest("POST", "/v1/chat/completions",
                                    ChatBody("openai/mock-small", true), {}, nullptr, nullptr);
  EXPECT_EQ(res.status, 200);
  EXPECT_TRUE(res.complete) << "the gateway ends the stream cleanly: " << res.error;
  auto events = ParseSse(res.body);
  ASSERT_FALSE(events.empty());
  EXPECT_NE(events.back().data.find("upstream_timeout"), std::string::npos) << res.body;
}

TEST_F(GatewayErrorsTest, DroppedStreamEndsWithErrorEvent) {
  mock_->SetFaults(R"({"faults":[{"drop_after_chunks":2,"times":1}]})");
  auto res = client_->StreamRequest("POST", "/v1/chat/completions",
                                    ChatBody("openai/mock-small", true), {}, nullptr, nullptr);
  EXPECT_EQ(res.status, 200);
  EXPECT_TRUE(res.complete) << res.error;
  auto events = ParseSse(res.body);
  ASSERT_FALSE(events.empty());
  EXPECT_NE(events.back().data.find("\"error\""), std::string::npos) << res.body;
  EXPECT_NE(events.back().data.find("upstream_connection_lost"), std::string::npos) << res.body;
}

TEST_F(GatewayErrorsTest, DroppedNonStreamIs502) {
  mock_->SetFaults(R"({"faults":[{"drop_after_chunks":0,"times":2}]})");
  auto res = Chat("openai/mock-small");
  EXPECT_EQ(res.status, 502) << res.body;
}

TEST_F(GatewayErrorsTest, GarbageFromUpstreamIs502) {
  mock_->SetFaults(R"({"faults":[{"garbage":true,"times":2}]})");
  auto res = Chat("openai/mock-small");
  EXPECT_EQ(res.status, 502) << res.body;
}

TEST_F(GatewayErrorsTest, ClientDisconnectMidStreamAbortsUpstream) {
  mock_->SetFaults(R"({"faults":[{"chunk_delay_ms":100,"chunks":200,"times":1}]})");
  int pieces = 0;
  auto res =
      client_->StreamRequest("POST", "/v1/chat/completions", ChatBody("openai/mock-small", true),
                             {}, nullptr, [&](std::string_view) { return ++pieces < 3; });
  EXPECT_TRUE(res.stopped);
  // The gateway closes its upstream connection, so the mock's next write fails.
  EXPECT_TRUE(mock_->WaitForStat("aborted_streams", 1)) << boost::json::serialize(mock_->Stats());
}

TEST_F(GatewayErrorsTest, ClientDisconnectWhileWaitingForFirstByteAbortsUpstream) {
  // The mock only notices a closed peer when a later write fails, so make it keep writing
  // (a stream) after the delay that outlasts our client's patience.
  mock_->SetFaults(R"({"faults":[{"delay_ms":400,"chunk_delay_ms":50,"chunks":100,"times":1}]})");
  auto early = gateway_->Client();
  early.set_timeout(std::chrono::milliseconds(100));
  auto res = early.Post("/v1/chat/completions", ChatBody("openai/mock-small", true));
  EXPECT_EQ(res.status, 0);  // our client gave up
  early.Close();
  EXPECT_TRUE(mock_->WaitForStat("aborted_streams", 1)) << boost::json::serialize(mock_->Stats());
}

TEST(GatewayTls, TrustedCaWorksAndWrongHostIs502) {
  TempDir certs_dir;
  auto certs = GenerateTestCertificates(certs_dir.path(), true);
  MockUpstreamOptions good_opts;
  good_opts.tls_cert = certs.server_cert;
  good_opts.tls_key = certs.server_key;
  good_opts.ca_cert = certs.ca_cert;
  MockUpstream good(good_opts);
  MockUpstreamOptions bad_opts = good_opts;
  bad_opts.tls_cert = certs.wrong_host_cert;
  bad_opts.tls_key = certs.wrong_host_key;
  MockUpstream wrong_host(bad_opts);

  GatewayOptions gw_opts;
  gw_opts.env["UPSTREAM_CA_FILE"] = certs.ca_cert;
  GatewayProcess gateway(gw_opts);
  auto client = gateway.Client();
  AddConnection(client, "openai", good.BaseUrl());
  AddConnection(client, "groq", "https://localhost:" + std::to_string(wrong_host.port()) + "/v1");

  auto ok = client.Post("/v1/chat/completions", ChatBody("openai/mock-small", true));
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_NE(ok.body.find("[DONE]"), std::string::npos);

  auto bad = client.Post("/v1/chat/completions", ChatBody("groq/mock-small", false));
  EXPECT_EQ(bad.status, 502) << bad.body;
  EXPECT_EQ(ErrorCode(bad), "upstream_tls_error");
  EXPECT_NE(bad.body.find("TLS"), std::string::npos) << bad.body;
}

TEST(GatewayTls, UntrustedCertificateIs502) {
  TempDir certs_dir;
  auto certs = GenerateTestCertificates(certs_dir.path());
  MockUpstreamOptions opts;
  opts.tls_cert = certs.server_cert;
  opts.tls_key = certs.server_key;
  opts.ca_cert = certs.ca_cert;
  MockUpstream mock(opts);
  GatewayProcess gateway;  // no UPSTREAM_CA_FILE: the test CA is not trusted
  auto client = gateway.Client();
  AddConnection(client, "openai", mock.BaseUrl());
  auto res = client.Post("/v1/chat/completions", ChatBody("openai/mock-small", false));
  EXPECT_EQ(res.status, 502) << res.body;
  EXPECT_EQ(ErrorCode(res), "upstream_tls_error");
  EXPECT_NE(res.body.find("certificate verify failed"), std::string::npos) << res.body;
}

}  // namespace
}  // namespace omni::testing
