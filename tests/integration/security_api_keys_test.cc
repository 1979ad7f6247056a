// Gateway API keys as an attacker meets them (REQUIRE_API_KEY=true): a key is needed in every
// client auth style, wrong / revoked / deleted / expired keys get 401, per-key model limits are
// enforced, the key never travels on to the provider, "API auth for /models" opens only
// /v1/models, and a wrong key is refused in the same time however close it is to a real one.
#include <algorithm>
#include <chrono>
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

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct Style {
  const char* name;
  std::function<std::pair<std::string, HeaderList>(const std::string& key)>
      apply;  // target, headers
};

std::vector<Style> AllStyles() {
  const std::string chat = "/v1/chat/completions";
  return {
      {"Authorization: Bearer",
       [=](const std::string& k) {
         return std::pair{chat, HeaderList{{"Authorization", "Bearer " + k}}};
       }},
      {"authorization: bearer (any case)",
       [=](const std::string& k) {
         return std::pair{chat, HeaderList{{"authorization", "bEaReR  " + k}}};
       }},
      {"x-api-key",
       [=](const std::string& k) {
         return std::pair{chat, HeaderList{{"x-api-key", k}}};
       }},
      {"x-goog-api-key",
       [=](const std::string& k) {
         return std::pair{chat, HeaderList{{"x-goog-api-key", k}}};
       }},
      {"api-key (Azure)",
       [=](const std::string& k) {
         return std::pair{chat, HeaderList{{"api-key", k}}};
       }},
      {"?key=",
       [=](const std::string& k) {
         return std::pair{chat + "?key=" + k, HeaderList{}};
       }},
      {"?alt=sse&key=",
       [=](const std::string& k) {
         return std::pair{chat + "?alt=sse&key=" + k, HeaderList{}};
       }},
  };
}

class SecurityApiKeysTest : public GatewayTest {
 protected:
  GatewayOptions Options() override {
    GatewayOptions o;
    o.env["REQUIRE_API_KEY"] = "true";
    o.env["API_KEY_SECRET"] = "security-test-api-key-secret-0123456789";
    return o;
  }
  boost::json::object CreateKey(const boost::json::object& req) {
    auto res = client_->Post("/api/keys", boost::json::serialize(req));
    EXPECT_EQ(res.status, 201) << res.body;
    return res.status == 201 ? Json(res.body).as_object() : boost::json::object{};
  }
  // A keyless client: what a script or remote caller sends (no dashboard cookie).
  HttpResponse Call(const std::string& target, const HeaderList& headers,
                    std::string_view model = "openai/mock-small") {
    return anon_.Post(target, ChatBody(model, false), headers);
  }
  HttpClient anon_ = HttpClient("127.0.0.1", 0);
  void SetUp() override {
    GatewayTest::SetUp();
    anon_ = gateway_->AnonymousClient();
  }
};

TEST_F(SecurityApiKeysTest, KeyRequiredInEveryClientStyle) {
  auto created = CreateKey({{"name", "app"}});
  const std::string key(created.at("key").as_string());
  ASSERT_TRUE(key.starts_with("sk-omni-"));

  auto none = Call("/v1/chat/completions", {});
  ASSERT_EQ(none.status, 401) << none.body;
  // OpenAI error shape, so SDKs show the message.
  const auto err = Json(none.body).at("error");
  EXPECT_EQ(err.at("type").as_string(), "authentication_error");
  EXPECT_EQ(err.at("code").as_string(), "api_key_required");
  EXPECT_FALSE(err.at("message").as_string().empty());
  EXPECT_EQ(Call("/v1/chat/completions", {{"Authorization", "Bearer "}}).status, 401);
  EXPECT_EQ(Call("/v1/chat/completions", {{"Authorization", "Basic " + key}}).status, 401);
  EXPECT_EQ(Call("/v1/chat/completions?key=", {}).status, 401);

  const std::string wrong = key.substr(0, key.size() - 1) + (key.back() == 'x' ? 'y' : 'x');
  for (const auto& style : AllStyles()) {
    mock_->ClearRequests();
    auto [target, headers] = style.apply(key);
    auto ok = Call(target, headers);
    EXPECT_EQ(ok.status, 200) << style.name << ": " << ok.body;
    // The gateway key is ours: it never travels on to the provider, in any form.
    for (const auto& r : mock_->Requests()) {
      const std::string seen = boost::json::serialize(r);
      EXPECT_EQ(seen.find(key), std::string::npos)
          << style.name << " forwarded the client key: " << seen;
      EXPECT_EQ(seen.find(key.substr(8)), std::string::npos) << style.name << ": " << seen;
    }
    auto [wtarget, wheaders] = style.apply(wrong);
    auto bad = Call(wtarget, wheaders);
    EXPECT_EQ(bad.status, 401) << style.name << ": " << bad.body;
    EXPECT_EQ(ErrorCode(bad), "invalid_api_key") << style.name;
    EXPECT_EQ(bad.body.find(wrong), std::string::npos) << "the presented key is echoed";
  }
  // A wrong key in the first style is not rescued by a right one in a later style.
  EXPECT_EQ(Call("/v1/chat/completions", {{"Authorization", "Bearer " + wrong}, {"x-api-key", key}})
                .status,
            401);
  // Percent-encoded ?key= is decoded before the lookup.
  std::string encoded;
  for (char c : key) encoded += c == '-' ? std::string("%2D") : std::string(1, c);
  EXPECT_EQ(Call("/v1/chat/completions?key=" + encoded, {}).status, 200);
  EXPECT_EQ(Call("/v1/chat/completions?key=%zz", {}).status, 401);

  // The list shows the prefix only.
  auto list = client_->Get("/api/keys");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body.find(key), std::string::npos);
  EXPECT_NE(list.body.find(key.substr(0, 12)), std::string::npos);
}

TEST_F(SecurityApiKeysTest, RevokedDeletedAndExpiredKeysAre401) {
  auto a = CreateKey({{"name", "revoke-me"}});
  auto b = CreateKey({{"name", "delete-me"}});
  const int64_t expires = NowMs() + 2500;
  auto c = CreateKey({{"name", "short-lived"}, {"expiresAt", expires}});
  const std::string ka(a.at("key").as_string()), kb(b.at("key").as_string()),
      kc(c.at("key").as_string());
  for (const auto& k : {ka, kb, kc})
    ASSERT_EQ(Call("/v1/chat/completions", {{"Authorization", "Bearer " + k}}).status, 200);

  ASSERT_EQ(
      client_->Post("/api/keys/" + std::string(a.at("id").as_string()) + "/revoke", "").status,
      200);
  auto revoked = Call("/v1/chat/completions", {{"x-api-key", ka}});
  EXPECT_EQ(revoked.status, 401) << revoked.body;
  EXPECT_EQ(ErrorCode(revoked), "api_key_revoked");
  // A revoked admin-capable key is not an admin key either.
  EXPECT_EQ(anon_.Get("/api/keys", {{"Authorization", "Bearer " + ka}}).status, 401);

  ASSERT_EQ(client_->Request("DELETE", "/api/keys/" + std::string(b.at("id").as_string())).status,
            200);
  auto deleted = Call("/v1/chat/completions", {{"Authorization", "Bearer " + kb}});
  EXPECT_EQ(deleted.status, 401) << deleted.body;
  EXPECT_EQ(ErrorCode(deleted), "invalid_api_key");

  // An expiry cannot be set in the past (create or PATCH), so the key is made to expire soon
  // and the test waits for it.
  auto past =
      client_->Request("PATCH", "/api/keys/" + std::string(c.at("id").as_string()),
                       boost::json::serialize(boost::json::object{{"expiresAt", NowMs() - 1000}}));
  EXPECT_EQ(past.status, 400) << past.body;
  const int64_t wait = expires - NowMs() + 100;
  if (wait > 0) std::this_thread::sleep_for(std::chrono::milliseconds(wait));
  auto expired = Call("/v1/chat/completions", {{"Authorization", "Bearer " + kc}});
  EXPECT_EQ(expired.status, 401) << expired.body;
  EXPECT_EQ(ErrorCode(expired), "api_key_expired");
  EXPECT_EQ(anon_.Get("/v1/models", {{"Authorization", "Bearer " + kc}}).status, 401);
}

TEST_F(SecurityApiKeysTest, AllowedModelsAreEnforced) {
  auto created =
      CreateKey({{"name", "limited"}, {"allowedModels", boost::json::array{"openai/mock-*"}}});
  const HeaderList auth{{"Authorization", "Bearer " + std::string(created.at("key").as_string())}};
  EXPECT_EQ(Call("/v1/chat/completions", auth, "openai/mock-small").status, 200);
  mock_->ClearRequests();
  for (const char* model : {"openai/gpt-4o", "openai/MOCK-small", "gpt-4o", "openai/mock"}) {
    auto res = Call("/v1/chat/completions", auth, model);
    EXPECT_EQ(res.status, 403) << model << ": " << res.body;
    EXPECT_EQ(ErrorCode(res), "model_not_allowed") << model;
  }
  EXPECT_EQ(mock_->Requests().size(), 0u) << "a refused request reached the provider";
  // The dedicated provider route cannot be used to dodge the list either.
  auto dodge = anon_.Post("/v1/providers/openai/chat/completions", ChatBody("gpt-4o", false), auth);
  EXPECT_EQ(dodge.status, 403) << dodge.body;
  auto models = anon_.Get("/v1/models", auth);
  ASSERT_EQ(models.status, 200) << models.body;
  const auto listed = Json(models.body);  // the loop must not outlive the document
  for (const auto& m : listed.at("data").as_array())
    EXPECT_TRUE(m.at("id").as_string().starts_with("openai/mock-")) << m;
}

TEST_F(SecurityApiKeysTest, ModelsAuthToggleOpensOnlyTheModelList) {
  EXPECT_EQ(anon_.Get("/v1/models").status, 401) << "API auth for /models is on by default";
  auto put = client_->Request("PUT", "/api/settings/security", R"({"requireAuthForModels":false})");
  ASSERT_EQ(put.status, 200) << put.body;
  auto open = anon_.Get("/v1/models");
  EXPECT_EQ(open.status, 200) << open.body;
  // Only the list: chat still needs a key, and a presented key must still be valid.
  EXPECT_EQ(Call("/v1/chat/completions", {}).status, 401);
  EXPECT_EQ(anon_.Get("/v1/models", {{"Authorization", "Bearer sk-omni-wrong"}}).status, 401);
  ASSERT_EQ(
      client_->Request("PUT", "/api/settings/security", R"({"requireAuthForModels":true})").status,
      200);
  EXPECT_EQ(anon_.Get("/v1/models").status, 401);
}

// Keys are looked up by their HMAC, so how many leading characters of a guess are right must not
// change the answer time. A coarse check (network noise dominates), but a byte-by-byte compare
// of a long key against the presented one would show up as a steady difference of medians.
TEST_F(SecurityApiKeysTest, WrongKeyTimingDoesNotDependOnMatchingPrefix) {
  const std::string key(CreateKey({{"name", "timing"}}).at("key").as_string());
  const std::string near = key.substr(0, key.size() - 1) + (key.back() == 'A' ? 'B' : 'A');
  std::string far = key;
  for (size_t i = 8; i < far.size(); ++i) far[i] = far[i] == 'z' ? 'y' : 'z';
  auto time_one = [&](const std::string& k) {
    const auto t0 = std::chrono::steady_clock::now();
    auto res = anon_.Get("/v1/models", {{"Authorization", "Bearer " + k}});
    const auto dt = std::chrono::steady_clock::now() - t0;
    EXPECT_EQ(res.status, 401);
    return std::chrono::duration<double, std::micro>(dt).count();
  };
  for (int i = 0; i < 50; ++i) time_one(i % 2 ? near : far);  // warm up
  std::vector<double> tn, tf;
  for (int i = 0; i < 400; ++i) {
    tn.push_back(time_one(near));
    tf.push_back(time_one(far));
  }
  auto median = [](std::vector<double> v) {
    std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
    return v[v.size() / 2];
  };
  const double mn = median(tn), mf = median(tf);
  EXPECT_LT(std::abs(mn - mf), std::max(50.0, 0.25 * std::min(mn, mf)))
      << "median µs: near-miss " << mn << ", far-miss " << mf;
}

}  // namespace
}  // namespace omni::testing
