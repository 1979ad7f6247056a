// No secret is ever written where it should not be: after a run that touches every secret (a
// provider key, a gateway API key in every auth style, the dashboard passwords, the session
// JWTs, the generated signing secrets) with request logs and debug logging on, the gateway's
// log, every response body and header, and the database hold none of them. The API key
// plaintext appears exactly once: in the answer that created it.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <fstream>
#include <sstream>

#include "gateway_fixture.h"

namespace omni::testing {
namespace {

constexpr const char* kProviderKey = "sk-prov-LEAKCHECK-7d1e9a3b5c2f4e6a8b0c1d2e";
constexpr const char* kInitialPassword = "initial-Pw-9f3c1e77ab";
constexpr const char* kNewPassword = "new-Pw-Sup3rSecret-4242";
constexpr const char* kWrongPassword = "wrong-Pw-Typo-5151aa";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

std::string HmacHex(std::string_view secret, std::string_view text) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(text.data()), text.size(), mac.data(), &len);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) out += {kHex[mac[i] >> 4], kHex[mac[i] & 15]};
  return out;
}

struct Seen {
  std::string label;
  std::string text;  // body plus headers
};

class SecuritySecretsTest : public GatewayTest {
 protected:
  GatewayOptions Options() override {
    GatewayOptions o;
    o.env["ENABLE_REQUEST_LOGS"] = "true";
    o.env["LOG_LEVEL"] = "debug";
    o.env["INITIAL_PASSWORD"] = kInitialPassword;
    o.password = kInitialPassword;
    return o;
  }
  void SetUp() override {
    mock_ = std::make_unique<MockUpstream>();
    gateway_ = std::make_unique<GatewayProcess>(Options());
    client_ = std::make_unique<HttpClient>(gateway_->Client());
    conn_id_ = AddConnection(*client_, "openai", mock_->BaseUrl(), kProviderKey);
  }
  // Records everything a client could see of `res`. Set-Cookie is the JWT's one legitimate
  // place and is kept apart.
  HttpResponse Keep(std::string label, HttpResponse res) {
    std::string text = res.body + "\n";
    for (const auto& [name, value] : res.headers) {
      if (name == "set-cookie") {
        if (auto eq = value.find('='); eq != std::string::npos)
          jwts_.push_back(value.substr(eq + 1, value.find(';') - eq - 1));
        continue;
      }
      text += name + ": " + value + "\n";
    }
    seen_.push_back({std::move(label), std::move(text)});
    return res;
  }

  std::vector<Seen> seen_;
  std::vector<std::string> jwts_;
};

TEST_F(SecuritySecretsTest, NoSecretInLogsResponsesOrDatabase) {
  jwts_.push_back(gateway_->session_cookie().substr(gateway_->session_cookie().find('=') + 1));
  HttpClient anon = gateway_->AnonymousClient();
  const std::string conn = "/api/providers/" + conn_id_;
  Keep("list providers", client_->Get("/api/providers"));
  Keep("get provider", client_->Get(conn));
  Keep("test provider", client_->Post(conn + "/test", ""));
  Keep("patch provider", client_->Request("PATCH", conn, R"({"name":"renamed"})"));

  auto created = client_->Post("/api/keys", R"({"name":"leak-check","admin":true})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string api_key(Json(created.body).at("key").as_string());
  const std::string key_id(Json(created.body).at("id").as_string());
  Keep("list keys", client_->Get("/api/keys"));
  Keep("get key", client_->Get("/api/keys/" + key_id));
  Keep("rename key", client_->Request("PATCH", "/api/keys/" + key_id, R"({"name":"renamed"})"));

  const std::string body = ChatBody("openai/mock-small", false);
  EXPECT_EQ(Keep("chat bearer",
                 anon.Post("/v1/chat/completions", body, {{"Authorization", "Bearer " + api_key}}))
                .status,
            200);
  EXPECT_EQ(
      Keep("chat x-api-key", anon.Post("/v1/chat/completions", body, {{"x-api-key", api_key}}))
          .status,
      200);
  EXPECT_EQ(
      Keep("chat goog", anon.Post("/v1/chat/completions", body, {{"x-goog-api-key", api_key}}))
          .status,
      200);
  EXPECT_EQ(Keep("chat ?key", anon.Post("/v1/chat/completions?key=" + api_key, body)).status, 200);
  auto stream =
      anon.StreamRequest("POST", "/v1/chat/completions", ChatBody("openai/mock-small", true),
                         {{"Authorization", "Bearer " + api_key}}, nullptr, nullptr);
  EXPECT_EQ(stream.status, 200);
  seen_.push_back({"chat stream", stream.body});
  const std::string wrong_key = api_key.substr(0, api_key.size() - 2) + "zz";
  Keep("chat wrong key",
       anon.Post("/v1/chat/completions", body, {{"Authorization", "Bearer " + wrong_key}}));
  Keep("models ?key", anon.Get("/v1/models?key=" + api_key));
  Keep("404 ?key",
       anon.Get("/v1/nothing-here?key=" + api_key, {{"Authorization", "Bearer " + api_key}}));
  Keep("405 bearer", anon.Get("/v1/chat/completions", {{"Authorization", "Bearer " + api_key}}));
  Keep("admin via key", anon.Get("/api/providers", {{"Authorization", "Bearer " + api_key}}));
  seen_.push_back({"malformed with key",
                   RawExchange(gateway_->port(),
                               "GET /v1/models?key=" + api_key + " HTTP/9.9\r\nHost: x\r\n\r\n")});
  seen_.push_back(
      {"bad header with key",
       RawExchange(gateway_->port(),
                   "GET /v1/models HTTP/1.1\r\nHost: x\r\nBad Name: " + api_key + "\r\n\r\n")});

  const std::string origin = gateway_->BaseUrl();
  Keep("wrong login",
       anon.Post("/api/auth/login", std::string(R"({"password":")") + kWrongPassword + "\"}"));
  Keep("change password",
       client_->Post("/api/auth/password", std::string(R"({"current":")") + kInitialPassword +
                                               R"(","new":")" + kNewPassword + "\"}"));
  auto login = Keep("login", anon.Post("/api/auth/login",
                                       std::string(R"({"password":")") + kNewPassword + "\"}"));
  ASSERT_EQ(login.status, 200) << login.body;
  Keep("old session", client_->Get("/api/keys"));
  Keep("status", anon.Get("/api/auth/status", {{"Cookie", "omniroute_session=" + jwts_.back()}}));
  Keep("settings",
       anon.Get("/api/settings/security", {{"Cookie", "omniroute_session=" + jwts_.back()}}));
  Keep("bad jwt", anon.Get("/api/keys", {{"Cookie", "omniroute_session=" + jwts_.front() + "x"}}));
  Keep("revoke", anon.Post("/api/keys/" + key_id + "/revoke", "",
                           {{"Cookie", "omniroute_session=" + jwts_.back()}, {"Origin", origin}}));
  Keep("revoked key", anon.Post("/v1/chat/completions", body, {{"x-api-key", api_key}}));

  ASSERT_EQ(gateway_->Stop().code, 0);
  const std::string dir = gateway_->data_dir();
  const std::string jwt_secret = Trimmed(ReadAll(dir + "/jwt.secret"));
  const std::string key_secret = Trimmed(ReadAll(dir + "/api_key.secret"));
  const std::string box_secret = Trimmed(ReadAll(dir + "/secret.key"));
  ASSERT_GE(jwt_secret.size(), 32u);
  ASSERT_GE(key_secret.size(), 32u);

  struct Secret {
    std::string what, value;
  };
  std::vector<Secret> secrets = {
      {"provider key", kProviderKey},
      {"provider key (middle)", std::string(kProviderKey).substr(5, 24)},
      {"API key", api_key},
      {"API key (random part)", api_key.substr(12)},
      {"API key HMAC", HmacHex(key_secret, api_key)},
      {"initial password", kInitialPassword},
      {"new password", kNewPassword},
      {"mistyped password", kWrongPassword},
      {"JWT_SECRET file", jwt_secret},
      {"API_KEY_SECRET file", key_secret},
  };
  if (box_secret.size() >= 16) secrets.push_back({"secret.key file", box_secret});
  ASSERT_GE(jwts_.size(), 3u);
  for (const auto& jwt : jwts_) {
    if (jwt.size() < 40) continue;  // the logout/clear value is empty
    secrets.push_back({"session JWT", jwt});
    secrets.push_back({"session JWT signature", jwt.substr(jwt.rfind('.') + 1)});
  }

  const std::string log = ReadAll(gateway_->StderrPath());
  ASSERT_NE(log.find("/v1/chat/completions"), std::string::npos)
      << "request logging was off: the grep proves nothing\n"
      << log;
  for (const auto& s : secrets) {
    ASSERT_FALSE(s.value.empty()) << s.what;
    EXPECT_EQ(log.find(s.value), std::string::npos) << s.what << " is in the gateway log";
    for (const auto& r : seen_)
      EXPECT_EQ(r.text.find(s.value), std::string::npos) << s.what << " is in: " << r.label;
  }
  // The plaintext is shown once, in the 201 that created the key, and nowhere else.
  EXPECT_NE(created.body.find(api_key), std::string::npos);

  // At rest: the provider key is encrypted, the API key is only its HMAC, passwords are hashed.
  const std::string db = ReadAll(dir + "/storage.sqlite") + ReadAll(dir + "/storage.sqlite-wal");
  ASSERT_FALSE(db.empty());
  for (const char* plain : {kProviderKey, kInitialPassword, kNewPassword})
    EXPECT_EQ(db.find(plain), std::string::npos) << plain << " stored in clear";
  EXPECT_EQ(db.find(api_key.substr(12)), std::string::npos);
}

}  // namespace
}  // namespace omni::testing
