// /api/keys: the plaintext is shown once, never listed, never stored; validation names the
// field; revoke, patch, delete; and every write reaches the request path (admin API and /v1).
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "gateway_fixture.h"

namespace omni::testing {
namespace {

constexpr const char* kApiKeySecret = "integration-api-key-secret";

std::string ErrorMessage(const HttpResponse& res) {
  return std::string(Json(res.body).at("error").at("message").as_string());
}

// hex(HMAC-SHA256(secret, key)): what the gateway stores for a key (auth::HashApiKey).
std::string KeyHash(std::string_view key) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), kApiKeySecret, static_cast<int>(std::string_view(kApiKeySecret).size()),
       reinterpret_cast<const unsigned char*>(key.data()), key.size(), mac.data(), &len);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[mac[i] >> 4];
    out += kHex[mac[i] & 0xf];
  }
  return out;
}

std::string ReadFileIfAny(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class ApiKeysTest : public GatewayTest {
 protected:
  GatewayOptions Options() override {
    GatewayOptions o;
    o.env["API_KEY_SECRET"] = kApiKeySecret;
    return o;
  }

  // Creates a key; returns the 201 body.
  boost::json::object CreateKey(const boost::json::object& req) {
    auto res = client_->Post("/api/keys", boost::json::serialize(req));
    EXPECT_EQ(res.status, 201) << res.body;
    if (res.status != 201) return {};
    return Json(res.body).as_object();
  }

  static HeaderList Bearer(std::string_view key) {
    return {{"Authorization", "Bearer " + std::string(key)}};
  }
};

TEST_F(ApiKeysTest, CreateShowsThePlaintextOnceAndNeverAgain) {
  auto created = CreateKey({{"name", "ci"}});
  ASSERT_TRUE(created.contains("key"));
  const std::string key(created.at("key").as_string());
  const std::string id(created.at("id").as_string());
  EXPECT_EQ(key.size(), 48u);
  EXPECT_TRUE(key.starts_with("sk-omni-")) << key;
  EXPECT_EQ(created.at("prefix").as_string(), key.substr(0, 12));
  EXPECT_EQ(created.at("name").as_string(), "ci");
  EXPECT_TRUE(id.starts_with("key_")) << id;
  EXPECT_FALSE(created.at("revoked").as_bool());
  EXPECT_FALSE(created.at("admin").as_bool());
  EXPECT_TRUE(created.at("allowedModels").as_array().empty());
  EXPECT_EQ(created.at("expiresAt").as_int64(), 0);
  EXPECT_FALSE(created.contains("keyHash"));

  const std::string hash = KeyHash(key);
  auto one = client_->Get("/api/keys/" + id);
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(Json(one.body).at("prefix").as_string(), key.substr(0, 12));
  auto list = client_->Get("/api/keys");
  ASSERT_EQ(list.status, 200) << list.body;
  for (const auto* res : {&one, &list}) {
    EXPECT_EQ(res->body.find(key), std::string::npos) << res->body;
    EXPECT_EQ(res->body.find(key.substr(12)), std::string::npos) << res->body;
    EXPECT_EQ(res->body.find(hash), std::string::npos) << res->body;
  }

  // The plaintext never reaches the disk.
  ASSERT_EQ(gateway_->Stop().code, 0);
  const std::filesystem::path db = std::filesystem::path(gateway_->data_dir()) / "storage.sqlite";
  const std::string on_disk = ReadFileIfAny(db) + ReadFileIfAny(db.string() + "-wal");
  ASSERT_FALSE(on_disk.empty());
  EXPECT_EQ(on_disk.find(key.substr(12)), std::string::npos);
  EXPECT_NE(on_disk.find(hash), std::string::npos);  // the HMAC is what is kept
}

TEST_F(ApiKeysTest, ListShowsEveryKeyWithItsMetadata) {
  const int64_t tomorrow =
      std::chrono::duration_cast<std::chrono::milliseconds>(
          (std::chrono::system_clock::now() + std::chrono::hours(24)).time_since_epoch())
          .count();
  auto a = CreateKey({{"name", "a"}});
  auto b = CreateKey({{"name", "b"},
                      {"allowedModels", boost::json::array{"openai/*", "anthropic/claude-?"}},
                      {"expiresAt", tomorrow},
                      {"admin", true},
                      {"budgetId", "budget_1"},
                      {"proxy", "http://proxy.internal:3128"}});
  auto res = client_->Get("/api/keys");
  ASSERT_EQ(res.status, 200) << res.body;
  const boost::json::value listed = Json(res.body);
  const auto& keys = listed.at("keys").as_array();
  ASSERT_EQ(keys.size(), 2u);
  const auto& k = keys[0].at("id") == b.at("id") ? keys[0].as_object() : keys[1].as_object();
  for (const char* field : {"id", "name", "prefix", "allowedModels", "expiresAt", "revoked",
                            "admin", "budgetId", "proxy", "createdAt", "updatedAt", "lastUsedAt"}) {
    EXPECT_TRUE(k.contains(field)) << field;
  }
  EXPECT_EQ(k.size(), 12u) << boost::json::serialize(k);
  EXPECT_EQ(k.at("allowedModels"),
            boost::json::value(boost::json::array{"openai/*", "anthropic/claude-?"}));
  EXPECT_EQ(k.at("expiresAt").as_int64(), tomorrow);
  EXPECT_TRUE(k.at("admin").as_bool());
  EXPECT_EQ(k.at("budgetId").as_string(), "budget_1");
  EXPECT_EQ(k.at("proxy").as_string(), "http://proxy.internal:3128");
  for (const auto& created : {a, b}) {
    EXPECT_EQ(res.body.find(created.at("key").as_string()), std::string::npos);
    EXPECT_EQ(res.body.find(KeyHash(created.at("key").as_string())), std::string::npos);
  }
}

TEST_F(ApiKeysTest, ValidationErrorsNameTheField) {
  struct Case {
    const char* body;
    const char* field;
  } cases[] = {
      {R"({})", "name"},
      {R"({"name":""})", "name"},
      {R"({"name":7})", "name"},
      {R"({"name":"k","allowedModels":"openai/*"})", "allowedModels"},
      {R"({"name":"k","allowedModels":[1]})", "allowedModels"},
      {R"({"name":"k","expiresAt":1})", "expiresAt"},
      {R"({"name":"k","expiresAt":"soon"})", "expiresAt"},
      {R"({"name":"k","admin":"yes"})", "admin"},
      {R"({"name":"k","budgetId":1})", "budgetId"},
      {R"({"name":"k","proxy":"ftp://x"})", "proxy"},
      {R"({"name":"k","key":"sk-omni-chosen"})", "key"},
  };
  for (const auto& c : cases) {
    auto res = client_->Post("/api/keys", c.body);
    EXPECT_EQ(res.status, 400) << c.body << " -> " << res.body;
    if (res.status != 400) continue;
    EXPECT_NE(ErrorMessage(res).find(std::string("\"") + c.field + "\""), std::string::npos)
        << c.body << " -> " << res.body;
  }
  EXPECT_EQ(client_->Post("/api/keys", "{nope").status, 400);

  const std::string id(CreateKey({{"name", "k"}}).at("id").as_string());
  for (const auto& [body, field] :
       {std::pair{R"({"key":"sk-omni-x"})", "key"}, std::pair{R"({"revoked":false})", "revoked"},
        std::pair{R"({"name":""})", "name"}}) {
    auto res = client_->Request("PATCH", "/api/keys/" + id, body);
    EXPECT_EQ(res.status, 400) << body << " -> " << res.body;
    if (res.status != 400) continue;
    EXPECT_NE(ErrorMessage(res).find(std::string("\"") + field + "\""), std::string::npos)
        << res.body;
  }
  auto list = Json(client_->Get("/api/keys").body).at("keys").as_array();
  EXPECT_EQ(list.size(), 1u);  // no failed request created anything
}

TEST_F(ApiKeysTest, PatchRevokeAndDelete) {
  auto created = CreateKey({{"name", "old"}});
  const std::string id(created.at("id").as_string());
  auto patched = client_->Request("PATCH", "/api/keys/" + id,
                                  R"({"name":"new","allowedModels":["openai/*"],"admin":true})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(Json(patched.body).at("name").as_string(), "new");
  EXPECT_EQ(Json(patched.body).at("allowedModels").as_array().size(), 1u);
  EXPECT_TRUE(Json(patched.body).at("admin").as_bool());
  EXPECT_EQ(Json(patched.body).at("prefix"), created.at("prefix"));
  EXPECT_FALSE(Json(patched.body).as_object().contains("key"));

  auto revoked = client_->Post("/api/keys/" + id + "/revoke", "");
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_TRUE(Json(revoked.body).at("revoked").as_bool());
  EXPECT_TRUE(Json(client_->Get("/api/keys/" + id).body).at("revoked").as_bool());
  EXPECT_EQ(client_->Post("/api/keys/" + id + "/revoke", "").status, 200);  // idempotent

  auto deleted = client_->Request("DELETE", "/api/keys/" + id);
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(client_->Get("/api/keys/" + id).status, 404);
  EXPECT_TRUE(Json(client_->Get("/api/keys").body).at("keys").as_array().empty());
}

TEST_F(ApiKeysTest, UnknownIdIs404) {
  EXPECT_EQ(client_->Get("/api/keys/key_0000000000000000").status, 404);
  EXPECT_EQ(client_->Request("PATCH", "/api/keys/key_0000000000000000", R"({"name":"x"})").status,
            404);
  EXPECT_EQ(client_->Post("/api/keys/key_0000000000000000/revoke", "").status, 404);
  EXPECT_EQ(client_->Request("DELETE", "/api/keys/key_0000000000000000").status, 404);
}

// Every write is published: an admin key opens /api/* at once, and revoking or deleting it, or
// taking its admin flag away, closes it again at once.
TEST_F(ApiKeysTest, AdminKeyReachesTheAdminApiUntilRevoked) {
  auto admin = CreateKey({{"name", "script"}, {"admin", true}});
  auto plain = CreateKey({{"name", "app"}});
  const std::string admin_key(admin.at("key").as_string());
  HttpClient anon = gateway_->AnonymousClient();
  EXPECT_EQ(anon.Get("/api/keys").status, 401);
  EXPECT_EQ(anon.Get("/api/keys", Bearer(admin_key)).status, 200);
  EXPECT_EQ(anon.Get("/api/keys", Bearer(plain.at("key").as_string())).status, 401);

  const std::string id(admin.at("id").as_string());
  ASSERT_EQ(client_->Request("PATCH", "/api/keys/" + id, R"({"admin":false})").status, 200);
  EXPECT_EQ(anon.Get("/api/keys", Bearer(admin_key)).status, 401);
  ASSERT_EQ(client_->Request("PATCH", "/api/keys/" + id, R"({"admin":true})").status, 200);
  EXPECT_EQ(anon.Get("/api/keys", Bearer(admin_key)).status, 200);
  ASSERT_EQ(client_->Post("/api/keys/" + id + "/revoke", "").status, 200);
  EXPECT_EQ(anon.Get("/api/keys", Bearer(admin_key)).status, 401);
}

class ApiKeysRequiredTest : public ApiKeysTest {
 protected:
  GatewayOptions Options() override {
    GatewayOptions o = ApiKeysTest::Options();
    o.env["REQUIRE_API_KEY"] = "true";
    return o;
  }
};

TEST_F(ApiKeysRequiredTest, GatewayHonoursKeysAndTheirChanges) {
  auto created =
      CreateKey({{"name", "app"}, {"allowedModels", boost::json::array{"openai/mock-*"}}});
  const std::string key(created.at("key").as_string());
  const std::string id(created.at("id").as_string());
  const std::string body = ChatBody("openai/mock-small", false);
  EXPECT_EQ(client_->Post("/v1/chat/completions", body).status, 401);
  EXPECT_EQ(client_->Post("/v1/chat/completions", body, Bearer(key)).status, 200);
  EXPECT_EQ(
      client_->Post("/v1/chat/completions", ChatBody("openai/gpt-4o", false), Bearer(key)).status,
      403);

  ASSERT_EQ(
      client_->Request("PATCH", "/api/keys/" + id, R"({"allowedModels":["openai/gpt-*"]})").status,
      200);
  EXPECT_EQ(client_->Post("/v1/chat/completions", body, Bearer(key)).status, 403);
  ASSERT_EQ(client_->Request("PATCH", "/api/keys/" + id, R"({"allowedModels":[]})").status, 200);
  EXPECT_EQ(client_->Post("/v1/chat/completions", body, Bearer(key)).status, 200);

  ASSERT_EQ(client_->Post("/api/keys/" + id + "/revoke", "").status, 200);
  auto refused = client_->Post("/v1/chat/completions", body, Bearer(key));
  EXPECT_EQ(refused.status, 401) << refused.body;
  ASSERT_EQ(client_->Request("DELETE", "/api/keys/" + id).status, 200);
  EXPECT_EQ(client_->Post("/v1/chat/completions", body, Bearer(key)).status, 401);
}

}  // namespace
}  // namespace omni::testing
