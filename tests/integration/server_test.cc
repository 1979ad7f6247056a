// The HTTP server itself: liveness, keep-alive, HTTP/1.0, slow clients, graceful shutdown.
#include <future>
#include <thread>

#include "gateway_fixture.h"

namespace omni::testing {
namespace {

TEST(Server, LivenessAnswersJson) {
  GatewayProcess gateway;
  auto client = gateway.Client();
  auto res = client.Get("/api/health/live");
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(Json(res.body).at("status").as_string(), "ok");
  EXPECT_EQ(res.Header("content-type"), "application/json");
}

TEST(Server, KeepAliveServesManyRequestsOnOneConnection) {
  GatewayProcess gateway;
  auto client = gateway.Client();
  for (int i = 0; i < 50; ++i) ASSERT_EQ(client.Get("/api/health/live").status, 200);
  EXPECT_EQ(client.connections_opened(), 1);
}

TEST(Server, Http10GetsAnAnswerAndClose) {
  GatewayProcess gateway;
  std::string reply = RawExchange(gateway.port(), "GET /api/health/live HTTP/1.0\r\n\r\n");
  EXPECT_EQ(reply.rfind("HTTP/1.1 200", 0), 0u) << reply;
  EXPECT_NE(reply.find("\"ok\""), std::string::npos);
}

TEST(Server, SlowHeaderSenderIsCutOff) {
  GatewayOptions opts;
  opts.env["HEADER_TIMEOUT_MS"] = "300";
  GatewayProcess gateway(opts);
  // Half a request, then silence: the server must close instead of waiting forever.
  std::string reply =
      RawExchange(gateway.port(), "GET /api/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n",
                  std::chrono::seconds(5));
  EXPECT_EQ(reply.find("200"), std::string::npos) << reply;
  auto client = gateway.Client();
  EXPECT_EQ(client.Get("/api/health/live").status, 200);
}

TEST(Server, PipelinedRequestsAreAnsweredInOrder) {
  GatewayProcess gateway;
  std::string two =
      "GET /api/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
      "GET /nope HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  std::string reply = RawExchange(gateway.port(), two);
  auto first = reply.find("HTTP/1.1 200");
  auto second = reply.find("HTTP/1.1 404");
  ASSERT_NE(first, std::string::npos) << reply;
  ASSERT_NE(second, std::string::npos) << reply;
  EXPECT_LT(first, second);
}

TEST(Server, GracefulShutdownLetsInFlightStreamFinish) {
  MockUpstream mock;
  GatewayProcess gateway;
  auto admin = gateway.Client();
  AddConnection(admin, "openai", mock.BaseUrl());
  mock.SetFaults(R"({"faults":[{"chunk_delay_ms":100,"chunks":10}]})");

  std::promise<void> started;
  auto started_future = started.get_future();
  bool signalled = false;
  StreamResult result;
  std::thread streamer([&] {
    auto client = gateway.Client();
    result =
        client.StreamRequest("POST", "/v1/chat/completions", ChatBody("openai/mock-small", true),
                             {}, nullptr, [&](std::string_view) {
                               if (!signalled) started.set_value();
                               signalled = true;
                               return true;
                             });
  });
  // Once the stream is flowing, ask the gateway to stop.
  ASSERT_EQ(started_future.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  auto exit = gateway.Stop();
  streamer.join();
  EXPECT_TRUE(result.complete) << result.error;
  EXPECT_NE(result.body.find("[DONE]"), std::string::npos);
  EXPECT_EQ(exit.code, 0);
}

}  // namespace
}  // namespace omni::testing

namespace omni::testing {
namespace {

TEST(Server, ForeignHostHeaderIsRefusedWhenBoundToLoopback) {
  GatewayProcess gateway;
  auto client = gateway.AnonymousClient();
  // A web page that rebinds its own DNS name to 127.0.0.1 sends its name as Host.
  auto rebound = client.Get("/api/health/live", {{"Host", "attacker.example:20128"}});
  EXPECT_EQ(rebound.status, 403);
  EXPECT_EQ(Json(rebound.body).at("error").at("code").as_string(), "host_not_allowed");
  for (const char* host : {"localhost:1", "127.0.0.1", "[::1]:9"})
    EXPECT_EQ(client.Get("/api/health/live", {{"Host", host}}).status, 200) << host;
}

TEST(Server, AllowedHostsAddsNames) {
  GatewayOptions opts;
  opts.env["ALLOWED_HOSTS"] = "omni.local, gw.lan";
  GatewayProcess gateway(opts);
  auto client = gateway.AnonymousClient();
  EXPECT_EQ(client.Get("/api/health/live", {{"Host", "omni.local:20128"}}).status, 200);
  EXPECT_EQ(client.Get("/api/health/live", {{"Host", "other.lan"}}).status, 403);
}

}  // namespace
}  // namespace omni::testing
