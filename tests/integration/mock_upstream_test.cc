// Tests of tools/mock-upstream, driven through the tests/support classes (MockUpstream,
// HttpClient, Subprocess, test CA, SSE parser), so they double as tests of the support library.

#include "mock_upstream.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "gateway_process.h"
#include "http_client.h"
#include "subprocess.h"
#include "temp_dir.h"
#include "test_ca.h"

namespace omni::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

std::string ChatBody(std::string_view model, std::string_view text, bool stream = false,
                     bool include_usage = false) {
  json::object body{
      {"model", model},
      {"messages", json::array{json::object{{"role", "system"}, {"content", "Be brief."}},
                               json::object{{"role", "user"}, {"content", text}}}}};
  if (stream) body["stream"] = true;
  if (include_usage) body["stream_options"] = json::object{{"include_usage", true}};
  return json::serialize(body);
}

// The JSON payloads of an SSE body, "[DONE]" included as a string.
std::vector<std::string> SseData(std::string_view body) {
  std::vector<std::string> out;
  for (const SseEvent& e : ParseSse(body)) out.push_back(e.data);
  return out;
}

// Concatenated delta.content of all chunks.
std::string StreamedText(const std::vector<std::string>& data) {
  std::string text;
  for (const std::string& d : data) {
    if (d == "[DONE]") continue;
    const json::value chunk = json::parse(d);
    const json::array& choices = chunk.at("choices").as_array();
    if (choices.empty()) continue;
    const json::object& delta = choices[0].at("delta").as_object();
    if (const json::value* c = delta.if_contains("content")) text += c->as_string();
  }
  return text;
}

int64_t Stat(MockUpstream& mock, std::string_view key) {
  return mock.Stats().at(key).to_number<int64_t>();
}

class MockUpstreamTest : public ::testing::Test {
 protected:
  MockUpstream mock_;
  HttpClient client_ = mock_.NewClient();
};

TEST_F(MockUpstreamTest, ListsModels) {
  HttpResponse r = client_.Get("/v1/models");
  ASSERT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.Header("Content-Type"), "application/json");
  json::value v = json::parse(r.body);
  EXPECT_EQ(v.at("object"), "list");
  ASSERT_EQ(v.at("data").as_array().size(), 2u);
  EXPECT_EQ(v.at("data").at(0).at("id"), "mock-small");
  EXPECT_EQ(v.at("data").at(1).at("id"), "mock-large");
  EXPECT_EQ(v.at("data").at(1).at("owned_by"), "mock");
}

TEST_F(MockUpstreamTest, NonStreamEchoesLastUserMessage) {
  HttpResponse r = client_.Post("/v1/chat/completions", ChatBody("mock-small", "hello big world"));
  ASSERT_EQ(r.status, 200) << r.error << r.body;
  json::value v = json::parse(r.body);
  EXPECT_TRUE(v.at("id").as_string().starts_with("chatcmpl-mock-"));
  EXPECT_EQ(v.at("object"), "chat.completion");
  EXPECT_EQ(v.at("model"), "mock-small");
  EXPECT_EQ(v.at("choices").at(0).at("message").at("role"), "assistant");
  EXPECT_EQ(v.at("choices").at(0).at("message").at("content"), "echo: hello big world");
  EXPECT_EQ(v.at("choices").at(0).at("finish_reason"), "stop");
  // Word counts: prompt "Be brief." + "hello big world" = 5, completion = 4.
  EXPECT_EQ(v.at("usage").at("prompt_tokens"), 5);
  EXPECT_EQ(v.at("usage").at("completion_tokens"), 4);
  EXPECT_EQ(v.at("usage").at("total_tokens"), 9);
}

TEST_F(MockUpstreamTest, EchoesTextPartsAndFixtureRequest) {
  std::string body = R"({"model":"m","messages":[{"role":"user","content":[
      {"type":"text","text":"describe"},{"type":"image_url","image_url":{"url":"x"}},
      {"type":"text","text":"this"}]}]})";
  HttpResponse r = client_.Post("/v1/chat/completions", body);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body).at("choices").at(0).at("message").at("content"),
            "echo: describe this");

  std::ifstream in(std::string(OMNI_SOURCE_DIR) +
                   "/../shared/fixtures/openai-chat/request-basic.json");
  if (in) {
    std::string fixture((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    r = client_.Post("/v1/chat/completions", fixture);
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(json::parse(r.body).at("choices").at(0).at("message").at("content"),
              "echo: And what is its population?");
  }
}

TEST_F(MockUpstreamTest, StreamsWordChunksThenUsageAndDone) {
  int header_status = 0;
  std::vector<std::string> pieces;
  StreamResult s = client_.StreamRequest(
      "POST", "/v1/chat/completions", ChatBody("mock-large", "one two three", true), {},
      [&](int status, const HeaderMap&) { header_status = status; },
      [&](std::string_view piece) {
        pieces.emplace_back(piece);
        return true;
      });
  ASSERT_TRUE(s.complete) << s.error;
  EXPECT_EQ(header_status, 200);
  EXPECT_EQ(s.headers["content-type"], "text/event-stream");
  EXPECT_EQ(s.headers["transfer-encoding"], "chunked");
  std::vector<std::string> data = SseData(s.body);
  // role, "echo:", " one", " two", " three", finish(+usage), [DONE]
  ASSERT_EQ(data.size(), 7u) << s.body;
  json::value first = json::parse(data[0]);
  EXPECT_EQ(first.at("object"), "chat.completion.chunk");
  EXPECT_EQ(first.at("model"), "mock-large");
  EXPECT_EQ(first.at("choices").at(0).at("delta").at("role"), "assistant");
  EXPECT_EQ(StreamedText(data), "echo: one two three");
  json::value finish = json::parse(data[5]);
  EXPECT_EQ(finish.at("choices").at(0).at("finish_reason"), "stop");
  EXPECT_EQ(finish.at("usage").at("completion_tokens"), 4);
  EXPECT_EQ(finish.at("usage").at("prompt_tokens"), 5);
  EXPECT_EQ(data.back(), "[DONE]");
  EXPECT_EQ(s.body.substr(s.body.size() - 14), "data: [DONE]\n\n");
  EXPECT_GE(pieces.size(), 1u);
}

TEST_F(MockUpstreamTest, IncludeUsageSendsAFinalUsageOnlyChunk) {
  StreamResult s = client_.StreamRequest("POST", "/v1/chat/completions",
                                         ChatBody("m", "hi there", true, true), {}, {}, {});
  ASSERT_TRUE(s.complete) << s.error;
  std::vector<std::string> data = SseData(s.body);
  ASSERT_EQ(data.size(), 7u);  // role, 3 words, finish, usage, [DONE]
  json::value finish = json::parse(data[4]);
  EXPECT_EQ(finish.at("choices").at(0).at("finish_reason"), "stop");
  EXPECT_TRUE(finish.at("usage").is_null());
  json::value usage = json::parse(data[5]);
  EXPECT_TRUE(usage.at("choices").as_array().empty());
  EXPECT_EQ(usage.at("usage").at("total_tokens"), 4 + 3);
  EXPECT_EQ(data[6], "[DONE]");
}

TEST_F(MockUpstreamTest, MalformedJsonAndUnknownPaths) {
  HttpResponse r = client_.Post("/v1/chat/completions", "{not json");
  ASSERT_EQ(r.status, 400);
  json::value v = json::parse(r.body);
  EXPECT_EQ(v.at("error").at("type"), "invalid_request_error");
  EXPECT_TRUE(v.at("error").at("code").is_null());
  EXPECT_FALSE(v.at("error").at("message").as_string().empty());
  r = client_.Get("/v1/nope");
  EXPECT_EQ(r.status, 404);
  EXPECT_TRUE(json::parse(r.body).at("error").is_object());
  EXPECT_EQ(client_.Get("/elsewhere").status, 404);
  EXPECT_EQ(client_.connections_opened(), 1);  // errors keep the connection alive
}

TEST_F(MockUpstreamTest, AnswersExpectContinueBeforeTheBody) {
  std::string reply = RawExchange(mock_.port(),
                                  "GET /v1/models HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                                  "Expect: 100-continue\r\nConnection: close\r\n\r\n{}",
                                  5s);
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n")) << reply;
}

TEST_F(MockUpstreamTest, RecordsRequestsAndCountsConnections) {
  for (int i = 0; i < 3; ++i) {
    HttpResponse r = client_.Post("/v1/chat/completions?x=1", ChatBody("m", "rec"),
                                  {{"Authorization", "Bearer sk-test"}, {"X-Trace", "t1"}});
    ASSERT_EQ(r.status, 200) << r.error;
  }
  json::array requests = mock_.Requests();
  ASSERT_EQ(requests.size(), 3u);
  const json::object& first = requests[0].as_object();
  EXPECT_EQ(first.at("method"), "POST");
  EXPECT_EQ(first.at("target"), "/v1/chat/completions?x=1");
  EXPECT_EQ(first.at("headers").at("authorization"), "Bearer sk-test");
  EXPECT_EQ(first.at("headers").at("x-trace"), "t1");
  EXPECT_EQ(json::parse(first.at("body").as_string()).at("model"), "m");

  json::object stats = mock_.Stats();
  EXPECT_EQ(stats.at("requests"), 3);
  EXPECT_EQ(stats.at("connections"), 1);  // keep-alive, and the control connection excluded
  EXPECT_EQ(stats.at("aborted_streams"), 0);
  EXPECT_EQ(client_.connections_opened(), 1);

  mock_.ClearRequests();
  EXPECT_TRUE(mock_.Requests().empty());
  HttpClient second = mock_.NewClient();
  ASSERT_EQ(second.Get("/v1/models").status, 200);
  EXPECT_EQ(Stat(mock_, "connections"), 2);
  mock_.ResetStats();
  EXPECT_EQ(Stat(mock_, "requests"), 0);
}

TEST_F(MockUpstreamTest, ScriptedStatusAppliesTimesThenExpires) {
  mock_.SetFaults(R"([{"status":429,"times":2,"retry_after":3,
      "headers":{"X-RateLimit-Remaining":"0"}}])");
  for (int i = 0; i < 2; ++i) {
    HttpResponse r = client_.Post("/v1/chat/completions", ChatBody("m", "x"));
    ASSERT_EQ(r.status, 429);
    EXPECT_EQ(r.Header("retry-after"), "3");
    EXPECT_EQ(r.Header("x-ratelimit-remaining"), "0");
    EXPECT_EQ(json::parse(r.body).at("error").at("type"), "rate_limit_error");
  }
  EXPECT_EQ(client_.Post("/v1/chat/completions", ChatBody("m", "x")).status, 200);
  EXPECT_EQ(mock_.Stats().at("faults"), 0);

  mock_.SetFaults(R"({"faults":[{"status":503,"body":"upstream down",
      "headers":{"Content-Type":"text/plain"}}]})");
  HttpResponse r = client_.Get("/v1/models");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.body, "upstream down");
  EXPECT_EQ(r.Header("content-type"), "text/plain");
  mock_.ClearFaults();
  EXPECT_EQ(client_.Get("/v1/models").status, 200);
  EXPECT_THROW(mock_.SetFaults(R"([{"status":"bad"}])"), std::runtime_error);
}

TEST_F(MockUpstreamTest, RulesMatchModelAndPathFirstMatchWins) {
  mock_.SetFaults(R"([{"model":"mock-large","status":500},
                      {"path":"/v1/models","status":502},
                      {"status":418}])");
  EXPECT_EQ(client_.Post("/v1/chat/completions", ChatBody("mock-large", "a")).status, 500);
  EXPECT_EQ(client_.Get("/v1/models").status, 502);
  EXPECT_EQ(client_.Post("/v1/chat/completions", ChatBody("mock-small", "a")).status, 418);
}

TEST_F(MockUpstreamTest, ContentAndChunkCountOverrideTheAnswer) {
  mock_.SetFaults(R"([{"content":"a b","chunks":5}])");
  StreamResult s = client_.StreamRequest("POST", "/v1/chat/completions",
                                         ChatBody("m", "ignored", true), {}, {}, {});
  ASSERT_TRUE(s.complete);
  std::vector<std::string> data = SseData(s.body);
  ASSERT_EQ(data.size(), 1u + 5u + 1u + 1u);
  EXPECT_EQ(StreamedText(data), "a b a b a");
  HttpResponse r = client_.Post("/v1/chat/completions", ChatBody("m", "ignored"));
  EXPECT_EQ(json::parse(r.body).at("choices").at(0).at("message").at("content"), "a b");
}

TEST_F(MockUpstreamTest, DelaysUseTimersSoOtherRequestsProceed) {
  mock_.SetFaults(R"([{"model":"slow","delay_ms":600},{"model":"paced","chunk_delay_ms":40}])");
  std::atomic<int> slow_status{0};
  auto slow_start = SteadyClock::now();
  std::thread slow([&] {
    HttpClient c = mock_.NewClient();
    slow_status = c.Post("/v1/chat/completions", ChatBody("slow", "x")).status;
  });
  // While the slow request waits on its timer, a fast one is answered at once.
  auto fast_start = SteadyClock::now();
  EXPECT_EQ(client_.Post("/v1/chat/completions", ChatBody("fast", "x")).status, 200);
  EXPECT_LT(SteadyClock::now() - fast_start, 400ms);
  slow.join();
  EXPECT_EQ(slow_status, 200);
  EXPECT_GE(SteadyClock::now() - slow_start, 600ms);

  auto paced_start = SteadyClock::now();
  std::vector<SteadyClock::time_point> arrivals;
  StreamResult s =
      client_.StreamRequest("POST", "/v1/chat/completions", ChatBody("paced", "a b c", true), {},
                            {}, [&](std::string_view) {
                              arrivals.push_back(SteadyClock::now());
                              return true;
                            });
  ASSERT_TRUE(s.complete);
  EXPECT_GE(SteadyClock::now() - paced_start, 6 * 40ms);  // 7 events, 6 gaps
  EXPECT_GE(arrivals.size(), 5u);  // events arrive as separate pieces, not one buffered body
}

TEST_F(MockUpstreamTest, DropAfterChunksCutsStreamsAndBodies) {
  mock_.SetFaults(R"([{"model":"s","drop_after_chunks":2},{"model":"n0","drop_after_chunks":0},
                      {"model":"n5","drop_after_chunks":5}])");
  StreamResult s = client_.StreamRequest("POST", "/v1/chat/completions",
                                         ChatBody("s", "a b c d", true), {}, {}, {});
  EXPECT_FALSE(s.complete);
  EXPECT_FALSE(s.error.empty());
  EXPECT_EQ(s.status, 200);
  EXPECT_EQ(SseData(s.body).size(), 2u);

  HttpResponse r = client_.Post("/v1/chat/completions", ChatBody("n0", "x"));
  EXPECT_EQ(r.status, 0);
  EXPECT_FALSE(r.error.empty());

  r = client_.Post("/v1/chat/completions", ChatBody("n5", "x"));
  EXPECT_EQ(r.status, 200);                 // the header arrived...
  EXPECT_FALSE(r.error.empty()) << r.body;  // ...but the body was cut short
  EXPECT_EQ(r.body.size(), 5u);
  EXPECT_EQ(Stat(mock_, "aborted_streams"), 0);  // the mock's own drops are not peer aborts
}

TEST_F(MockUpstreamTest, GarbageIsNotHttp) {
  mock_.SetFaults(R"([{"garbage":true}])");
  HttpResponse r = client_.Get("/v1/models");
  EXPECT_EQ(r.status, 0);
  EXPECT_FALSE(r.error.empty());
  std::string raw = RawExchange(mock_.port(), "GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n", 5s);
  EXPECT_NE(raw.find("GARBAGE"), std::string::npos);
  EXPECT_FALSE(raw.starts_with("HTTP/"));
}

TEST_F(MockUpstreamTest, CountsStreamsAbortedByTheClient) {
  mock_.SetFaults(R"([{"chunks":400,"chunk_delay_ms":5}])");
  int pieces = 0;
  StreamResult s = client_.StreamRequest("POST", "/v1/chat/completions", ChatBody("m", "x y", true),
                                         {}, {}, [&](std::string_view) { return ++pieces < 3; });
  EXPECT_TRUE(s.stopped);
  EXPECT_FALSE(s.complete);
  EXPECT_TRUE(mock_.WaitForStat("aborted_streams", 1));
  // The client reconnects transparently afterwards.
  EXPECT_EQ(client_.Get("/v1/models").status, 200);
  EXPECT_EQ(client_.connections_opened(), 2);
}

TEST_F(MockUpstreamTest, SurvivesManyConcurrentClientsAndDisconnects) {
  mock_.SetFaults(R"([{"model":"slow","chunks":50,"chunk_delay_ms":2}])");
  constexpr int kThreads = 32;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      HttpClient c = mock_.NewClient();
      for (int i = 0; i < 4; ++i) {
        if (c.Post("/v1/chat/completions", ChatBody("m", "hi")).status == 200) ++ok;
        int seen = 0;
        // Half of the streams are abandoned after a random-ish number of pieces.
        StreamResult s = c.StreamRequest(
            "POST", "/v1/chat/completions", ChatBody("slow", "a b", true), {}, {},
            [&](std::string_view) { return t % 2 == 0 || ++seen < 1 + (t + i) % 7; });
        if (s.complete || s.stopped) ++ok;
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(ok, kThreads * 4 * 2);
  // Malformed HTTP and half-sent requests just close those connections.
  RawExchange(mock_.port(), "NOT HTTP AT ALL\r\n\r\n", 2s);
  RawExchange(mock_.port(), "POST /v1/chat/completions HTTP/1.1\r\nContent-Length: 100\r\n\r\n{",
              200ms);
  EXPECT_EQ(client_.Get("/v1/models").status, 200);
  ExitStatus status = mock_.Stop();
  EXPECT_EQ(status.code, 0) << status.ToString();
}

TEST(MockUpstreamProcess, ExitsCleanlyOnSigterm) {
  MockUpstream mock;
  ExitStatus status = mock.Stop();
  EXPECT_TRUE(status.exited_normally()) << status.ToString();
  EXPECT_EQ(status.code, 0);
}

TEST(MockUpstreamProcess, FlagsAndUsage) {
  RunResult help = RunToCompletion({OMNI_MOCK_UPSTREAM_PATH, "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.stdout_text.find("usage: mock-upstream"), std::string::npos);
  RunResult bad = RunToCompletion({OMNI_MOCK_UPSTREAM_PATH, "--bogus"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.stderr_text.find("unknown flag"), std::string::npos);
}

class MockUpstreamTlsTest : public ::testing::Test {
 protected:
  MockUpstreamOptions MockOptions(const std::string& cert, const std::string& key) const {
    MockUpstreamOptions options;
    options.tls_cert = cert;
    options.tls_key = key;
    options.ca_cert = certs_.ca_cert;
    return options;
  }
  static HttpClientOptions Tls(const std::string& ca_file, const std::string& name) {
    HttpClientOptions options;
    options.tls = true;
    options.ca_file = ca_file;
    options.tls_host = name;
    return options;
  }

  TempDir dir_;
  TestCertificates certs_ = GenerateTestCertificates(dir_.path(), /*with_wrong_host=*/true);
};

TEST_F(MockUpstreamTlsTest, ServesHttpsVerifiedByTheTestCa) {
  MockUpstream mock(MockOptions(certs_.server_cert, certs_.server_key));
  EXPECT_EQ(mock.BaseUrl(), "https://localhost:" + std::to_string(mock.port()) + "/v1");
  mock.SetFaults(R"([{"model":"x","status":500}])");  // control calls over TLS
  HttpClient client = mock.NewClient();
  HttpResponse r = client.Post("/v1/chat/completions", ChatBody("m", "secure"));
  ASSERT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(json::parse(r.body).at("choices").at(0).at("message").at("content"), "echo: secure");
  StreamResult s = client.StreamRequest("POST", "/v1/chat/completions",
                                        ChatBody("m", "secure", true), {}, {}, {});
  EXPECT_TRUE(s.complete) << s.error;
  EXPECT_EQ(SseData(s.body).back(), "[DONE]");
  EXPECT_EQ(client.connections_opened(), 1);
  EXPECT_EQ(mock.Requests().size(), 2u);

  // Verification by IP address works too (the certificate lists 127.0.0.1).
  HttpClient by_ip("127.0.0.1", mock.port(), Tls(certs_.ca_cert, ""));
  EXPECT_EQ(by_ip.Get("/v1/models").status, 200);
  // Without the test CA the chain is untrusted.
  HttpClient untrusted("127.0.0.1", mock.port(), Tls("", "localhost"));
  HttpResponse bad = untrusted.Get("/v1/models");
  EXPECT_EQ(bad.status, 0);
  EXPECT_NE(bad.error.find("handshake"), std::string::npos) << bad.error;
}

TEST_F(MockUpstreamTlsTest, RejectsACertificateForAnotherHost) {
  // Starting needs no control call, so this works even though the control client (which
  // verifies "localhost") could not talk to this mock.
  auto mock =
      std::make_unique<MockUpstream>(MockOptions(certs_.wrong_host_cert, certs_.wrong_host_key));
  HttpClient client("127.0.0.1", mock->port(), Tls(certs_.ca_cert, "localhost"));
  HttpResponse r = client.Get("/v1/models");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.error.find("handshake"), std::string::npos) << r.error;
  // Same CA, right name: accepted, which shows the failure above is the host name check.
  HttpClient right_name("127.0.0.1", mock->port(), Tls(certs_.ca_cert, kWrongTestHost));
  EXPECT_EQ(right_name.Get("/v1/models").status, 200);
}

// ---- The support library's own pieces -------------------------------------------------------

TEST(SupportSubprocess, ReadsLinesWaitsSignalsAndPassesEnvironment) {
  TempDir dir;
  auto p = Subprocess::Start({"sh", "-c",
                              "echo noise; echo \"ready $FOO $(pwd)\"; echo err >&2; "
                              "exec sleep 30"},
                             {{"FOO", "bar"}}, dir.path());
  std::optional<std::string> line = p->ReadLineMatching("ready", 5s);
  ASSERT_TRUE(line);
  EXPECT_EQ(*line, "ready bar " + std::filesystem::canonical(dir.path()).string());
  EXPECT_FALSE(p->ReadLineMatching("never", 100ms));
  EXPECT_FALSE(p->Wait(50ms));  // still sleeping
  EXPECT_TRUE(p->Running());
  EXPECT_TRUE(p->Signal(SIGTERM));
  std::optional<ExitStatus> status = p->Wait(5s);
  ASSERT_TRUE(status);
  EXPECT_EQ(status->signal, SIGTERM);
  EXPECT_EQ(p->StderrContents(), "err\n");
  EXPECT_NE(p->StdoutContents().find("noise"), std::string::npos);
  EXPECT_THROW(Subprocess::Start({"/nonexistent/binary"}), std::runtime_error);
  RunResult r = RunToCompletion({"sh", "-c", "echo out; echo bad >&2; exit 3"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.stdout_text, "out\n");
  EXPECT_EQ(r.stderr_text, "bad\n");
  EXPECT_EQ(RunToCompletion({"sleep", "30"}, {}, 100ms).exit_code, -1);
}

TEST(SupportSse, ParsesEventsPerTheSpec) {
  std::vector<SseEvent> events = ParseSse(
      ": ping\r\nevent: message_start\r\ndata: {\"a\":1}\r\n\r\n"
      "data:x\ndata: y\nid: 7\n\n"
      "event: only-type\n\n"
      "data: [DONE]\n\ndata: partial");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].event, "message_start");
  EXPECT_EQ(events[0].data, "{\"a\":1}");
  EXPECT_EQ(events[1].data, "x\ny");
  EXPECT_EQ(events[1].id, "7");
  EXPECT_EQ(events[2].data, "[DONE]");
}

TEST(SupportMisc, TempDirAndReadyLine) {
  std::string path;
  {
    TempDir dir;
    path = dir.path();
    std::filesystem::create_directories(dir.File("a/b"));
    std::ofstream(dir.File("a/b/c")) << "x";
    EXPECT_TRUE(std::filesystem::exists(dir.File("a/b/c")));
  }
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_EQ(ParsePortFromReadyLine("omniroute ready on http://127.0.0.1:20128"), 20128);
  EXPECT_EQ(ParsePortFromReadyLine("[info] omniroute ready on http://127.0.0.1:80\r"), 80);
  EXPECT_EQ(ParsePortFromReadyLine("omniroute ready on http://127.0.0.1:"), 0);
}

}  // namespace
}  // namespace omni::testing
