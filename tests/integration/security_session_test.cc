// Dashboard sessions against cross-site abuse: the CSRF rules on state-changing /api/* requests
// (a cookie is sent by the browser on a cross-site POST too; SameSite=Lax plus the Origin check
// stop it), the admin API key path that needs no Origin, and a login limiter that must hold
// against many guesses sent at once, not only one after another.
#include <atomic>
#include <barrier>
#include <thread>

#include "gateway_fixture.h"

namespace omni::testing {
namespace {

std::string ErrorCode(const HttpResponse& res) {
  try {
    return std::string(Json(res.body).at("error").at("code").as_string());
  } catch (const std::exception&) {
    return "<not an error JSON: " + res.body + ">";
  }
}

class SecurityCsrfTest : public ::testing::Test {
 protected:
  void SetUp() override {
    gateway_ = std::make_unique<GatewayProcess>();
    cookie_ = gateway_->session_cookie();
    ASSERT_FALSE(cookie_.empty());
  }
  // An anonymous client sending the session cookie plus exactly `extra` (no default Origin).
  HttpResponse WithSession(std::string_view method, std::string_view path, std::string_view body,
                           HeaderList extra = {}) {
    HttpClient c = gateway_->AnonymousClient();
    extra.insert(extra.begin(), {"Cookie", cookie_});
    return c.Request(method, path, body, extra);
  }
  size_t KeyCount() {
    HttpClient c = gateway_->Client();
    return Json(c.Get("/api/keys").body).at("keys").as_array().size();
  }

  std::unique_ptr<GatewayProcess> gateway_;
  std::string cookie_;
};

TEST_F(SecurityCsrfTest, CrossSiteStateChangesAreRefused) {
  const std::string body = R"({"name":"csrf"})";
  struct Case {
    const char* what;
    HeaderList headers;
  } cases[] = {
      {"foreign Origin", {{"Origin", "http://evil.example"}}},
      {"foreign Origin with our port",
       {{"Origin", "http://evil.example:" + std::to_string(gateway_->port())}}},
      {"Origin null (sandboxed frame)", {{"Origin", "null"}}},
      // (The scheme is not compared: behind a TLS-terminating proxy the page is https while the
      // gateway sees plain http; host and port are what an attacker cannot share.)
      {"foreign Referer, no Origin", {{"Referer", "http://evil.example/page.html"}}},
      {"Sec-Fetch-Site cross-site",
       {{"Sec-Fetch-Site", "cross-site"}, {"Origin", gateway_->BaseUrl()}}},
      // Documented choice: a cookie-carrying write with neither Origin nor Referer is refused
      // (browsers always send one of them on a POST; only non-browser clients omit both, and
      // those should use an admin API key).
      {"no Origin and no Referer", {}},
  };
  for (const auto& c : cases) {
    auto res = WithSession("POST", "/api/keys", body, c.headers);
    EXPECT_EQ(res.status, 403) << c.what << ": " << res.body;
    EXPECT_EQ(ErrorCode(res), "csrf_rejected") << c.what;
  }
  EXPECT_EQ(KeyCount(), 0u) << "a refused request created a key";

  // Every state-changing method is covered, not only POST; nothing changes.
  auto put = WithSession("PUT", "/api/settings/security", R"({"ipDenyList":["127.0.0.0/8"]})",
                         {{"Origin", "http://evil.example"}});
  EXPECT_EQ(put.status, 403) << put.body;
  auto pw =
      WithSession("POST", "/api/auth/password", R"({"current":"123456","new":"attacker-chosen"})",
                  {{"Origin", "http://evil.example"}});
  EXPECT_EQ(pw.status, 403) << pw.body;
  HttpClient anon = gateway_->AnonymousClient();
  EXPECT_EQ(anon.Post("/api/auth/login", R"({"password":"attacker-chosen"})").status, 401);
  EXPECT_EQ(anon.Post("/api/auth/login", R"({"password":"123456"})").status, 200);
  auto settings = gateway_->Client().Get("/api/settings/security");
  EXPECT_TRUE(Json(settings.body).at("ipDenyList").as_array().empty()) << settings.body;
}

TEST_F(SecurityCsrfTest, SameOriginWritesAndSafeReadsPass) {
  auto same =
      WithSession("POST", "/api/keys", R"({"name":"ok"})", {{"Origin", gateway_->BaseUrl()}});
  EXPECT_EQ(same.status, 201) << same.body;
  auto referer = WithSession("POST", "/api/keys", R"({"name":"ok2"})",
                             {{"Referer", gateway_->BaseUrl() + "/dashboard/keys"}});
  EXPECT_EQ(referer.status, 201) << referer.body;
  auto fetch =
      WithSession("POST", "/api/keys", R"({"name":"ok3"})", {{"Sec-Fetch-Site", "same-origin"}});
  EXPECT_EQ(fetch.status, 201) << fetch.body;
  // Reads change nothing, so a foreign Origin on a GET is not a CSRF (the browser's
  // same-origin policy keeps the answer from the foreign page).
  EXPECT_EQ(WithSession("GET", "/api/keys", "", {{"Origin", "http://evil.example"}}).status, 200);
  EXPECT_EQ(KeyCount(), 3u);
}

TEST_F(SecurityCsrfTest, AdminApiKeyNeedsNoOrigin) {
  HttpClient c = gateway_->Client();
  auto admin = c.Post("/api/keys", R"({"name":"script","admin":true})");
  ASSERT_EQ(admin.status, 201) << admin.body;
  auto plain = c.Post("/api/keys", R"({"name":"app"})");
  ASSERT_EQ(plain.status, 201) << plain.body;
  const std::string admin_key(Json(admin.body).at("key").as_string());
  const std::string plain_key(Json(plain.body).at("key").as_string());

  HttpClient anon = gateway_->AnonymousClient();
  auto created =
      anon.Post("/api/keys", R"({"name":"by-script"})", {{"Authorization", "Bearer " + admin_key}});
  EXPECT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(anon.Get("/api/providers", {{"Authorization", "Bearer " + admin_key}}).status, 200);
  auto refused = anon.Get("/api/providers", {{"Authorization", "Bearer " + plain_key}});
  EXPECT_EQ(refused.status, 401) << refused.body;
  EXPECT_EQ(ErrorCode(refused), "invalid_admin_key");
  EXPECT_EQ(anon.Get("/api/providers", {{"x-api-key", plain_key}}).status, 401);
  EXPECT_EQ(anon.Get("/api/providers", {{"Authorization", "Bearer sk-omni-not-a-real-key"}}).status,
            401);
}

// The limiter must count attempts that are still being checked: argon2id takes ~100 ms, so an
// attacker who sends many guesses at once would otherwise get all of them checked before the
// first failure is recorded.
TEST(SecurityLoginLimiter, ParallelGuessesAreLimitedToo) {
  GatewayOptions o;
  o.login = false;
  GatewayProcess gw(o);
  {
    HttpClient anon = gw.AnonymousClient();
    auto login = anon.Post("/api/auth/login", R"({"password":"123456"})");
    ASSERT_EQ(login.status, 200);
    std::string set = login.Header("set-cookie");
    auto changed =
        anon.Post("/api/auth/password", R"({"current":"123456","new":"an-argon2-hashed-pw"})",
                  {{"Cookie", set.substr(0, set.find(';'))}, {"Origin", gw.BaseUrl()}});
    ASSERT_EQ(changed.status, 200) << changed.body;
  }
  constexpr int kGuesses = 16;
  std::vector<HttpClient> clients;
  for (int i = 0; i < kGuesses; ++i) {
    clients.push_back(gw.AnonymousClient());
    ASSERT_EQ(clients.back().Get("/api/health/live").status, 200);  // connected before the burst
  }
  std::atomic<int> checked{0}, limited{0}, other{0};
  std::barrier start(kGuesses);
  std::vector<std::thread> threads;
  for (int i = 0; i < kGuesses; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      auto res =
          clients[i].Post("/api/auth/login", R"({"password":"guess-)" + std::to_string(i) + "\"}");
      (res.status == 401 ? checked : res.status == 429 ? limited : other)++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(other.load(), 0);
  EXPECT_LE(checked.load(), 5) << checked.load() << " of " << kGuesses
                               << " simultaneous guesses were checked; the limiter allows 5";
  EXPECT_GE(limited.load(), kGuesses - 5);
}

// Behind a trusted proxy the limit is per client address (from X-Forwarded-For), so one
// client guessing does not lock everyone out; without trust, the header changes nothing.
TEST(SecurityLoginLimiter, PerClientBehindATrustedProxy) {
  GatewayProcess gw;
  HttpClient admin = gw.Client();
  ASSERT_EQ(admin.Request("PUT", "/api/settings/security", R"({"trustedProxies":["127.0.0.1/32"]})")
                .status,
            200);
  HttpClient anon = gw.AnonymousClient();
  const HeaderList guesser{{"X-Forwarded-For", "203.0.113.9"}};
  for (int i = 0; i < 5; ++i)
    ASSERT_EQ(anon.Post("/api/auth/login", R"({"password":"nope"})", guesser).status, 401) << i;
  EXPECT_EQ(anon.Post("/api/auth/login", R"({"password":"123456"})", guesser).status, 429);
  // Another client behind the same proxy is unaffected.
  EXPECT_EQ(anon.Post("/api/auth/login", R"({"password":"123456"})",
                      {{"X-Forwarded-For", "198.51.100.4"}})
                .status,
            200);
  EXPECT_EQ(anon.Post("/api/auth/login", R"({"password":"123456"})").status, 200)
      << "the proxy itself";
  // The guesser cannot escape by prepending another address: the proxy appends the real one.
  EXPECT_EQ(anon.Post("/api/auth/login", R"({"password":"123456"})",
                      {{"X-Forwarded-For", "192.0.2.1, 203.0.113.9"}})
                .status,
            429);
}

}  // namespace
}  // namespace omni::testing
