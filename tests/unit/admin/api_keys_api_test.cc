// ApiKeysApi's operations, called directly (no HTTP) against a real SqliteStore in a temp dir.
// The routes themselves are covered by tests/integration/api_keys_test.cc.
#include "admin/api_keys_api.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>
#include <string>

#include "auth/api_key.h"
#include "core/clock.h"
#include "store/sqlite_store.h"
#include "support/temp_dir.h"

namespace omni::admin {
namespace {

namespace json = boost::json;

constexpr std::string_view kSecret = "unit-test-api-key-secret";

class ApiKeysApiTest : public ::testing::Test {
 protected:
  ApiKeysApiTest() : box_(store::SecretBox::Open(dir_.path(), "").value()) {
    auto opened = store::OpenSqliteStore({dir_.path(), &box_, &clock_});
    if (!opened.ok()) throw std::runtime_error(opened.error().message);
    store_ = std::move(opened).value();
    api_ = std::make_unique<ApiKeysApi>(
        *store_, std::string(kSecret),
        [this]() -> Status {
          ++publishes_;
          return publish_result_;
        },
        clock_);
  }

  // The reply's JSON object; fails the test on an error reply or a wrong status.
  json::object Ok(const ApiKeysApi::Reply& reply, int status = 200) {
    EXPECT_TRUE(reply.ok()) << (reply.ok() ? "" : reply.error().message);
    if (!reply.ok()) return {};
    EXPECT_EQ(reply->status, status) << reply->body;
    return json::parse(reply->body).as_object();
  }

  json::object Create(std::string_view body) { return Ok(api_->Create(body), 201); }

  omni::testing::TempDir dir_{"omni-api-keys-api-"};
  FakeClock clock_;
  store::SecretBox box_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ApiKeysApi> api_;
  int publishes_ = 0;
  Status publish_result_;
};

TEST_F(ApiKeysApiTest, CreateReturnsThePlaintextOnceAndStoresOnlyItsHash) {
  json::object created = Create(R"({"name":"ci"})");
  const std::string key(created.at("key").as_string());
  EXPECT_EQ(key.size(), 48u);
  EXPECT_TRUE(key.starts_with("sk-omni-"));
  EXPECT_EQ(created.at("prefix").as_string(), key.substr(0, 12));
  EXPECT_EQ(created.at("name").as_string(), "ci");
  const std::string id(created.at("id").as_string());
  EXPECT_TRUE(id.starts_with("key_"));
  // Defaults.
  EXPECT_TRUE(created.at("allowedModels").as_array().empty());
  EXPECT_EQ(created.at("expiresAt").as_int64(), 0);
  EXPECT_FALSE(created.at("revoked").as_bool());
  EXPECT_FALSE(created.at("admin").as_bool());
  EXPECT_EQ(created.at("budgetId").as_string(), "");
  EXPECT_EQ(created.at("proxy").as_string(), "");
  EXPECT_EQ(created.at("createdAt").as_int64(), clock_.NowUnixMs());
  EXPECT_EQ(created.at("updatedAt").as_int64(), clock_.NowUnixMs());
  EXPECT_EQ(created.at("lastUsedAt").as_int64(), 0);
  EXPECT_FALSE(created.contains("keyHash"));
  EXPECT_EQ(publishes_, 1);

  auto stored = store_->GetApiKey(id).value().value();
  EXPECT_EQ(stored.key_hash, auth::HashApiKey(key, kSecret));
  EXPECT_EQ(stored.prefix, key.substr(0, 12));
  EXPECT_EQ(api_->Create(R"({"name":"ci"})")->body.find(key), std::string::npos);  // fresh key

  // The stored record authenticates the plaintext through the request path's index.
  auth::ApiKeyIndex index(
      kSecret, {{stored.id, stored.name, stored.prefix, stored.key_hash, stored.allowed_models,
                 stored.expires_at, stored.revoked, stored.budget_id, stored.proxy}});
  const auth::ApiKeyRecord* found = index.Find(key);
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->id, id);
}

TEST_F(ApiKeysApiTest, CreateTakesEveryOptionalField) {
  const int64_t tomorrow = clock_.NowUnixMs() + 86'400'000;
  json::object body{
      {"name", "scripts"},      {"allowedModels", json::array{"openai/*", "anthropic/claude-?"}},
      {"expiresAt", tomorrow},  {"admin", true},
      {"budgetId", "budget_7"}, {"proxy", "http://proxy.internal:3128"}};
  json::object created = Create(json::serialize(body));
  EXPECT_EQ(created.at("allowedModels"),
            json::value(json::array{"openai/*", "anthropic/claude-?"}));
  EXPECT_EQ(created.at("expiresAt").as_int64(), tomorrow);
  EXPECT_TRUE(created.at("admin").as_bool());
  EXPECT_EQ(created.at("budgetId").as_string(), "budget_7");
  EXPECT_EQ(created.at("proxy").as_string(), "http://proxy.internal:3128");

  auto stored = store_->GetApiKey(std::string(created.at("id").as_string())).value().value();
  EXPECT_EQ(stored.allowed_models, (std::vector<std::string>{"openai/*", "anthropic/claude-?"}));
  EXPECT_EQ(stored.expires_at, tomorrow);
  EXPECT_TRUE(stored.admin);
  EXPECT_EQ(stored.budget_id, "budget_7");
  EXPECT_EQ(stored.proxy, "http://proxy.internal:3128");
  // Explicit 0 and null both mean "never expires".
  EXPECT_EQ(Create(R"({"name":"a","expiresAt":0})").at("expiresAt").as_int64(), 0);
  EXPECT_EQ(Create(R"({"name":"b","expiresAt":null})").at("expiresAt").as_int64(), 0);
}

TEST_F(ApiKeysApiTest, CreateValidationErrorsNameTheFieldAndWriteNothing) {
  const int64_t now = clock_.NowUnixMs();
  struct Case {
    std::string body;
    const char* field;
  };
  const Case cases[] = {
      {R"({})", "name"},
      {R"({"name":""})", "name"},
      {R"({"name":42})", "name"},
      {R"({"name":")" + std::string(201, 'n') + R"("})", "name"},
      {R"({"name":"k","allowedModels":"openai/*"})", "allowedModels"},
      {R"({"name":"k","allowedModels":[1]})", "allowedModels"},
      {R"({"name":"k","allowedModels":[""]})", "allowedModels"},
      {R"({"name":"k","allowedModels":[")" + std::string(257, 'm') + R"("]})", "allowedModels"},
      {R"({"name":"k","expiresAt":"tomorrow"})", "expiresAt"},
      {R"({"name":"k","expiresAt":1.5})", "expiresAt"},
      {R"({"name":"k","expiresAt":-1})", "expiresAt"},
      {R"({"name":"k","expiresAt":)" + std::to_string(now) + "}", "expiresAt"},
      {R"({"name":"k","expiresAt":)" + std::to_string(now / 1000 + 3600) + "}", "expiresAt"},
      {R"({"name":"k","admin":"yes"})", "admin"},
      {R"({"name":"k","budgetId":7})", "budgetId"},
      {R"({"name":"k","proxy":"ftp://proxy:21"})", "proxy"},
      {R"({"name":"k","proxy":"proxy.internal:3128"})", "proxy"},
      {R"({"name":"k","proxy":"http://"})", "proxy"},
      {R"({"name":"k","key":"sk-omni-mine"})", "key"},
      {R"({"name":"k","keyHash":"00"})", "keyHash"},
  };
  for (const auto& c : cases) {
    auto reply = api_->Create(c.body);
    ASSERT_FALSE(reply.ok()) << c.body;
    EXPECT_EQ(reply.error().status, 400) << c.body;
    EXPECT_EQ(reply.error().code, "invalid_field") << c.body;
    EXPECT_NE(reply.error().message.find(std::string("\"") + c.field + "\""), std::string::npos)
        << c.body << " -> " << reply.error().message;
  }
  for (const char* body : {"{nope", "[]", "", "\"name\""}) {
    auto reply = api_->Create(body);
    ASSERT_FALSE(reply.ok()) << body;
    EXPECT_EQ(reply.error().status, 400) << body;
  }
  EXPECT_TRUE(store_->ListApiKeys().value().empty());
  EXPECT_EQ(publishes_, 0);
}

TEST_F(ApiKeysApiTest, ListAndGetNeverShowTheKeyOrItsHash) {
  const std::string key_a(Create(R"({"name":"a"})").at("key").as_string());
  clock_.Advance(1);
  const std::string key_b(Create(R"({"name":"b","admin":true})").at("key").as_string());
  auto listed = api_->List();
  json::object list = Ok(listed);
  const json::array& keys = list.at("keys").as_array();
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].at("name").as_string(), "a");  // oldest first
  EXPECT_EQ(keys[1].at("name").as_string(), "b");
  EXPECT_TRUE(keys[1].at("admin").as_bool());
  const auto stored = store_->ListApiKeys().value();
  for (const auto& k : stored) {
    EXPECT_EQ(listed->body.find(k.key_hash), std::string::npos);
    auto one = api_->Get(k.id);
    json::object got = Ok(one);
    EXPECT_EQ(got.at("id").as_string(), k.id);
    EXPECT_EQ(got.at("prefix").as_string(), k.prefix);
    EXPECT_FALSE(got.contains("key"));
    EXPECT_EQ(one->body.find(k.key_hash), std::string::npos);
    EXPECT_EQ(one->body.find(key_a), std::string::npos);
    EXPECT_EQ(one->body.find(key_b), std::string::npos);
  }
  EXPECT_EQ(listed->body.find(key_a), std::string::npos);
  EXPECT_EQ(listed->body.find(key_b), std::string::npos);
  for (const auto& k : keys) {
    EXPECT_EQ(k.as_object().size(), 12u) << json::serialize(k);
    EXPECT_FALSE(k.as_object().contains("key"));
    EXPECT_FALSE(k.as_object().contains("keyHash"));
  }
  EXPECT_EQ(Ok(api_->List()).at("keys").as_array().size(), 2u);
}

TEST_F(ApiKeysApiTest, PatchChangesMetadataButNeverTheKey) {
  json::object created = Create(R"({"name":"old","allowedModels":["a/*"],"budgetId":"b1"})");
  const std::string id(created.at("id").as_string());
  const auto before = store_->GetApiKey(id).value().value();
  clock_.Advance(500);
  const int64_t later = clock_.NowUnixMs() + 60'000;
  json::object body{{"name", "new"},      {"allowedModels", json::array{"x/*", "y/z"}},
                    {"expiresAt", later}, {"admin", true},
                    {"budgetId", ""},     {"proxy", "socks5h://10.0.0.1:1080"}};
  json::object patched = Ok(api_->Patch(id, json::serialize(body)));
  EXPECT_EQ(patched.at("name").as_string(), "new");
  EXPECT_EQ(patched.at("allowedModels"), json::value(json::array{"x/*", "y/z"}));
  EXPECT_EQ(patched.at("expiresAt").as_int64(), later);
  EXPECT_TRUE(patched.at("admin").as_bool());
  EXPECT_EQ(patched.at("budgetId").as_string(), "");
  EXPECT_EQ(patched.at("proxy").as_string(), "socks5h://10.0.0.1:1080");
  EXPECT_EQ(patched.at("createdAt").as_int64(), created.at("createdAt").as_int64());
  EXPECT_EQ(patched.at("updatedAt").as_int64(), clock_.NowUnixMs());
  EXPECT_FALSE(patched.contains("key"));
  EXPECT_EQ(publishes_, 2);

  // Absent fields stay; an empty list means every model; expiresAt 0 clears the expiry.
  patched = Ok(api_->Patch(id, R"({"allowedModels":[],"expiresAt":0})"));
  EXPECT_EQ(patched.at("name").as_string(), "new");
  EXPECT_TRUE(patched.at("allowedModels").as_array().empty());
  EXPECT_EQ(patched.at("expiresAt").as_int64(), 0);
  EXPECT_TRUE(patched.at("admin").as_bool());
  EXPECT_TRUE(Ok(api_->Patch(id, "{}")).at("admin").as_bool());

  const auto after = store_->GetApiKey(id).value().value();
  EXPECT_EQ(after.key_hash, before.key_hash);
  EXPECT_EQ(after.prefix, before.prefix);

  const int publishes = publishes_;
  for (const char* field : {"key", "keyHash", "prefix", "revoked"}) {
    auto reply = api_->Patch(id, std::string("{\"") + field + "\":\"x\"}");
    ASSERT_FALSE(reply.ok()) << field;
    EXPECT_EQ(reply.error().status, 400);
    EXPECT_NE(reply.error().message.find(std::string("\"") + field + "\""), std::string::npos)
        << reply.error().message;
  }
  for (const char* body : {R"({"name":""})", R"({"expiresAt":5})", R"({"admin":1})", "{nope"}) {
    auto reply = api_->Patch(id, body);
    ASSERT_FALSE(reply.ok()) << body;
    EXPECT_EQ(reply.error().status, 400) << body;
  }
  EXPECT_EQ(publishes_, publishes);
  EXPECT_EQ(store_->GetApiKey(id).value().value().name, "new");
}

TEST_F(ApiKeysApiTest, RevokeFlipsRevokedAndIsIdempotent) {
  const std::string id(Create(R"({"name":"r"})").at("id").as_string());
  clock_.Advance(10);
  json::object revoked = Ok(api_->Revoke(id));
  EXPECT_TRUE(revoked.at("revoked").as_bool());
  EXPECT_EQ(revoked.at("updatedAt").as_int64(), clock_.NowUnixMs());
  EXPECT_TRUE(store_->GetApiKey(id).value().value().revoked);
  EXPECT_TRUE(Ok(api_->Revoke(id)).at("revoked").as_bool());
  EXPECT_TRUE(Ok(api_->Get(id)).at("revoked").as_bool());
  // Other edits leave it revoked.
  EXPECT_TRUE(Ok(api_->Patch(id, R"({"name":"renamed"})")).at("revoked").as_bool());
  EXPECT_EQ(publishes_, 4);
}

TEST_F(ApiKeysApiTest, DeleteRemovesTheKey) {
  const std::string id(Create(R"({"name":"d"})").at("id").as_string());
  EXPECT_EQ(Ok(api_->Delete(id)).at("deleted").as_bool(), true);
  EXPECT_EQ(publishes_, 2);
  EXPECT_FALSE(store_->GetApiKey(id).value().has_value());
  EXPECT_EQ(api_->Delete(id).error().status, 404);
  EXPECT_EQ(api_->Get(id).error().status, 404);
}

TEST_F(ApiKeysApiTest, UnknownIdsAre404AndPublishNothing) {
  for (auto reply : {api_->Get("key_nope"), api_->Patch("key_nope", R"({"name":"x"})"),
                     api_->Revoke("key_nope"), api_->Delete("key_nope")}) {
    ASSERT_FALSE(reply.ok());
    EXPECT_EQ(reply.error().status, 404);
    EXPECT_NE(reply.error().message.find("key_nope"), std::string::npos) << reply.error().message;
  }
  EXPECT_EQ(publishes_, 0);
}

TEST_F(ApiKeysApiTest, AFailedPublishIsReported) {
  publish_result_ = Error::Internal("snapshot rebuild failed");
  auto reply = api_->Create(R"({"name":"p"})");
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().status, 500);
  EXPECT_EQ(reply.error().message, "snapshot rebuild failed");
  EXPECT_EQ(publishes_, 1);
}

TEST_F(ApiKeysApiTest, WorksWithoutAPublishCallback) {
  ApiKeysApi api(*store_, std::string(kSecret), nullptr, clock_);
  auto reply = api.Create(R"({"name":"quiet"})");
  ASSERT_TRUE(reply.ok()) << reply.error().message;
  EXPECT_EQ(reply->status, 201);
}

}  // namespace
}  // namespace omni::admin
