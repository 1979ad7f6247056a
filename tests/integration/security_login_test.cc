// Dashboard login and sessions against the real binary: the cookie's attributes, what a wrong,
// tampered, foreign, forged-expired or ended session gets, logout, password change (and that it
// ends every other session and survives a restart), the generated secrets on disk, the loud
// warning for the documented default JWT_SECRET, and the brute-force lockout.
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sys/stat.h>

#include <array>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "gateway_fixture.h"

namespace omni::testing {
namespace {

constexpr const char* kJwtSecret = "integration-jwt-secret-0123456789abcdef";

std::string ErrorCode(const HttpResponse& res) {
  try {
    return std::string(Json(res.body).at("error").at("code").as_string());
  } catch (const std::exception&) {
    return "<not an error JSON: " + res.body + ">";
  }
}

std::string LoginBody(std::string_view password) {
  return boost::json::serialize(boost::json::object{{"password", password}});
}

// "omniroute_session=<jwt>" from a Set-Cookie value ("" when absent).
std::string CookiePair(const HttpResponse& res) {
  std::string set = res.Header("set-cookie");
  return set.substr(0, set.find(';'));
}

std::string TokenOf(const std::string& cookie_pair) {
  return cookie_pair.substr(cookie_pair.find('=') + 1);
}

std::string Base64Url(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t n = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
    for (int s : {18, 12, 6, 0}) out += kAlphabet[(n >> s) & 63];
  }
  if (i + 1 == bytes.size()) {
    uint32_t n = uint8_t(bytes[i]) << 16;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
  } else if (i + 2 == bytes.size()) {
    uint32_t n = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8);
    for (int s : {18, 12, 6}) out += kAlphabet[(n >> s) & 63];
  }
  return out;
}

// An HS256 JWT built independently of the product code (OpenSSL HMAC), so a forged token is a
// real attacker's token, not one the gateway's own signer made.
std::string ForgeJwt(const boost::json::object& claims, std::string_view secret,
                     std::string_view header = R"({"alg":"HS256","typ":"JWT"})") {
  std::string input = Base64Url(header) + "." + Base64Url(boost::json::serialize(claims));
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac.data(), &len);
  return input + "." + Base64Url(std::string_view(reinterpret_cast<const char*>(mac.data()), len));
}

int64_t NowS() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

HeaderList WithCookie(const std::string& cookie_pair, const std::string& origin) {
  return {{"Cookie", cookie_pair}, {"Origin", origin}};
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

GatewayOptions NoLogin(std::map<std::string, std::string> env = {}) {
  GatewayOptions o;
  o.login = false;
  o.env = std::move(env);
  return o;
}

TEST(SecurityLogin, WrongPasswordIs401AndTheRightOneSetsAHardenedCookie) {
  GatewayProcess gw(NoLogin());
  HttpClient anon = gw.AnonymousClient();
  auto wrong = anon.Post("/api/auth/login", LoginBody("654321"));
  EXPECT_EQ(wrong.status, 401) << wrong.body;
  EXPECT_EQ(ErrorCode(wrong), "wrong_password");
  EXPECT_TRUE(wrong.Header("set-cookie").empty());
  EXPECT_EQ(anon.Post("/api/auth/login", "{}").status, 400);
  EXPECT_EQ(anon.Post("/api/auth/login", "not json").status, 400);

  auto ok = anon.Post("/api/auth/login", LoginBody("123456"));
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_TRUE(Json(ok.body).at("mustChangePassword").as_bool()) << ok.body;
  const std::string set = ok.Header("set-cookie");
  EXPECT_TRUE(set.starts_with("omniroute_session=ey")) << set;
  for (const char* attr : {"; HttpOnly", "; SameSite=Lax", "; Path=/", "; Max-Age="})
    EXPECT_NE(set.find(attr), std::string::npos) << attr << " missing in " << set;
  EXPECT_EQ(set.find("Secure"), std::string::npos) << "Secure without AUTH_COOKIE_SECURE: " << set;
  // The token is in the cookie only, never in a body a script could read.
  EXPECT_EQ(ok.body.find(TokenOf(CookiePair(ok))), std::string::npos);

  auto status = anon.Get("/api/auth/status", {{"Cookie", CookiePair(ok)}});
  ASSERT_EQ(status.status, 200);
  EXPECT_TRUE(Json(status.body).at("authenticated").as_bool());
  EXPECT_TRUE(Json(status.body).at("mustChangePassword").as_bool());
  EXPECT_FALSE(Json(anon.Get("/api/auth/status").body).at("authenticated").as_bool());
  EXPECT_EQ(anon.Get("/api/providers", {{"Cookie", CookiePair(ok)}}).status, 200);
}

TEST(SecurityLogin, SecureCookieWhenAuthCookieSecure) {
  GatewayProcess gw(NoLogin({{"AUTH_COOKIE_SECURE", "true"}}));
  HttpClient anon = gw.AnonymousClient();
  auto ok = anon.Post("/api/auth/login", LoginBody("123456"));
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_NE(ok.Header("set-cookie").find("; Secure"), std::string::npos) << ok.Header("set-cookie");
  auto out = anon.Post("/api/auth/logout", "");
  EXPECT_NE(out.Header("set-cookie").find("; Secure"), std::string::npos)
      << out.Header("set-cookie");
}

TEST(SecurityLogin, AdminApiWithoutAValidSessionIs401Json) {
  GatewayProcess gw(NoLogin({{"JWT_SECRET", kJwtSecret}}));
  HttpClient anon = gw.AnonymousClient();
  const std::string origin = gw.BaseUrl();
  for (const char* path :
       {"/api/providers", "/api/keys", "/api/settings/security", "/api/provider-nodes"}) {
    auto res = anon.Get(path);
    EXPECT_EQ(res.status, 401) << path;
    EXPECT_EQ(res.Header("content-type"), "application/json") << path;
    EXPECT_EQ(ErrorCode(res), "login_required") << path;
  }
  EXPECT_EQ(anon.Post("/api/keys", R"({"name":"x"})", {{"Origin", origin}}).status, 401);
  EXPECT_EQ(anon.Get("/api/health/live").status, 200);  // liveness stays open

  auto login = anon.Post("/api/auth/login", LoginBody("123456"));
  ASSERT_EQ(login.status, 200);
  const std::string token = TokenOf(CookiePair(login));
  const size_t dot1 = token.find('.'), dot2 = token.rfind('.');
  ASSERT_NE(dot1, dot2);
  auto with_token = [&](const std::string& t) {
    return anon.Get("/api/keys", {{"Cookie", "omniroute_session=" + t}});
  };
  ASSERT_EQ(with_token(token).status, 200);

  auto flip = [](std::string t, size_t at) {
    t[at] = t[at] == 'A' ? 'B' : 'A';
    return t;
  };
  const size_t sig_mid = dot2 + (token.size() - dot2) / 2;
  const size_t payload_mid = dot1 + (dot2 - dot1) / 2;
  const int64_t now = NowS();
  const boost::json::object good_claims{
      {"sub", "admin"}, {"iat", now}, {"exp", now + 3600}, {"ep", 0}, {"jti", "t"}};
  struct Case {
    const char* what;
    std::string token;
  } cases[] = {
      {"flipped signature character", flip(token, sig_mid)},
      {"flipped payload character", flip(token, payload_mid)},
      {"signature dropped", token.substr(0, dot2 + 1)},
      {"garbage", "not-a-jwt"},
      {"other secret", ForgeJwt(good_claims, "some-other-secret-entirely-0123456789")},
      {"expired (same secret)",
       ForgeJwt({{"sub", "admin"}, {"iat", now - 7200}, {"exp", now - 60}, {"ep", 0}, {"jti", "t"}},
                kJwtSecret)},
      {"not yet valid",
       ForgeJwt(
           {{"sub", "admin"}, {"iat", now}, {"nbf", now + 3600}, {"exp", now + 7200}, {"ep", 0}},
           kJwtSecret)},
      {"no exp", ForgeJwt({{"sub", "admin"}, {"iat", now}, {"ep", 0}}, kJwtSecret)},
      {"alg none", Base64Url(R"({"alg":"none","typ":"JWT"})") + "." +
                       Base64Url(boost::json::serialize(good_claims)) + "."},
      {"alg HS512 header", ForgeJwt(good_claims, kJwtSecret, R"({"alg":"HS512","typ":"JWT"})")},
      {"old password epoch",
       ForgeJwt({{"sub", "admin"}, {"exp", now + 3600}, {"ep", 7}}, kJwtSecret)},
  };
  for (const auto& c : cases) {
    auto res = with_token(c.token);
    EXPECT_EQ(res.status, 401) << c.what << ": " << res.body;
    EXPECT_EQ(Json(res.body).at("error").at("type").as_string(), "authentication_error") << c.what;
    EXPECT_EQ(res.body.find(c.token), std::string::npos) << c.what << ": the token is echoed";
  }
  // Control: a token forged correctly with the real secret is accepted, so the refusals above
  // are about the defects, not the forging.
  EXPECT_EQ(with_token(ForgeJwt(good_claims, kJwtSecret)).status, 200);
}

TEST(SecurityLogin, SessionFromAnotherGatewaysSecretIsRefused) {
  GatewayProcess a(NoLogin({{"JWT_SECRET", "gateway-a-secret-0123456789abcdef"}}));
  GatewayProcess b(NoLogin({{"JWT_SECRET", "gateway-b-secret-0123456789abcdef"}}));
  HttpClient anon_a = a.AnonymousClient();
  HttpClient anon_b = b.AnonymousClient();
  auto login = anon_a.Post("/api/auth/login", LoginBody("123456"));
  ASSERT_EQ(login.status, 200);
  EXPECT_EQ(anon_a.Get("/api/keys", {{"Cookie", CookiePair(login)}}).status, 200);
  auto res = anon_b.Get("/api/keys", {{"Cookie", CookiePair(login)}});
  EXPECT_EQ(res.status, 401) << res.body;
  EXPECT_EQ(ErrorCode(res), "token_bad_signature");
}

TEST(SecurityLogin, LogoutClearsTheCookie) {
  GatewayProcess gw(NoLogin());
  HttpClient anon = gw.AnonymousClient();
  auto login = anon.Post("/api/auth/login", LoginBody("123456"));
  ASSERT_EQ(login.status, 200);
  auto out = anon.Post("/api/auth/logout", "", WithCookie(CookiePair(login), gw.BaseUrl()));
  ASSERT_EQ(out.status, 200) << out.body;
  const std::string set = out.Header("set-cookie");
  EXPECT_TRUE(set.starts_with("omniroute_session=;")) << set;
  EXPECT_NE(set.find("Max-Age=0"), std::string::npos) << set;
  EXPECT_NE(set.find("HttpOnly"), std::string::npos) << set;
  EXPECT_NE(set.find("Path=/"), std::string::npos) << set;
  // The browser now sends an empty cookie: that is no session.
  EXPECT_EQ(anon.Get("/api/keys", {{"Cookie", CookiePair(out)}}).status, 401);
}

// Logging out ends the session itself, not just the browser's cookie: a copy of the token is
// refused afterwards, also after a restart, while other sessions go on.
TEST(SecurityLogin, LogoutEndsEveryCopyOfTheSession) {
  TempDir dir("omni-sec-logout-");
  GatewayOptions o = NoLogin();
  o.data_dir = dir.path();
  std::string copied, other;
  {
    GatewayProcess gw(o);
    HttpClient anon = gw.AnonymousClient();
    auto login = anon.Post("/api/auth/login", LoginBody("123456"));
    auto second = anon.Post("/api/auth/login", LoginBody("123456"));
    ASSERT_EQ(login.status, 200);
    ASSERT_EQ(second.status, 200);
    copied = CookiePair(login);
    other = CookiePair(second);
    ASSERT_EQ(anon.Get("/api/keys", {{"Cookie", copied}}).status, 200);
    auto out = anon.Post("/api/auth/logout", "", WithCookie(copied, gw.BaseUrl()));
    ASSERT_EQ(out.status, 200) << out.body;
    auto refused = anon.Get("/api/keys", {{"Cookie", copied}});
    EXPECT_EQ(refused.status, 401) << refused.body;
    EXPECT_EQ(ErrorCode(refused), "session_ended");
    auto status = anon.Get("/api/auth/status", {{"Cookie", copied}});
    EXPECT_FALSE(Json(status.body).at("authenticated").as_bool()) << status.body;
    EXPECT_EQ(anon.Get("/api/keys", {{"Cookie", other}}).status, 200) << "other sessions go on";
    ASSERT_EQ(gw.Stop().code, 0);
  }
  GatewayProcess gw(o);
  HttpClient anon = gw.AnonymousClient();
  EXPECT_EQ(anon.Get("/api/keys", {{"Cookie", copied}}).status, 401) << "revoked across restarts";
  EXPECT_EQ(anon.Get("/api/keys", {{"Cookie", other}}).status, 200);
}

TEST(SecurityLogin, PasswordChangeRulesAndOtherSessionsEnd) {
  GatewayProcess gw(NoLogin());
  const std::string origin = gw.BaseUrl();
  HttpClient anon = gw.AnonymousClient();
  auto first = anon.Post("/api/auth/login", LoginBody("123456"));
  auto second = anon.Post("/api/auth/login", LoginBody("123456"));
  ASSERT_EQ(first.status, 200);
  ASSERT_EQ(second.status, 200);
  const std::string mine = CookiePair(first), other = CookiePair(second);

  auto change = [&](const std::string& cookie, std::string_view current, std::string_view fresh) {
    return anon.Post(
        "/api/auth/password",
        boost::json::serialize(boost::json::object{{"current", current}, {"new", fresh}}),
        WithCookie(cookie, origin));
  };
  auto too_short = change(mine, "123456", "short");
  EXPECT_EQ(too_short.status, 400) << too_short.body;
  EXPECT_NE(too_short.body.find("\\\"new\\\""), std::string::npos) << too_short.body;
  auto missing =
      anon.Post("/api/auth/password", R"({"new":"long-enough-1"})", WithCookie(mine, origin));
  EXPECT_EQ(missing.status, 400) << missing.body;
  auto wrong = change(mine, "not-the-password", "long-enough-password");
  EXPECT_EQ(wrong.status, 401) << wrong.body;
  EXPECT_EQ(anon.Post("/api/auth/password", R"({"current":"123456","new":"long-enough-password"})")
                .status,
            401)
      << "no session, no change";

  auto ok = change(mine, "123456", "long-enough-password");
  ASSERT_EQ(ok.status, 200) << ok.body;
  const std::string renewed = CookiePair(ok);
  ASSERT_FALSE(renewed.empty()) << "the changing session continues with a new cookie";

  auto ended = anon.Get("/api/keys", {{"Cookie", other}});
  EXPECT_EQ(ended.status, 401) << ended.body;
  EXPECT_EQ(ErrorCode(ended), "session_ended");
  EXPECT_EQ(anon.Get("/api/keys", {{"Cookie", mine}}).status, 401)
      << "the pre-change cookie ended too";
  EXPECT_EQ(anon.Get("/api/keys", {{"Cookie", renewed}}).status, 200);

  EXPECT_EQ(anon.Post("/api/auth/login", LoginBody("123456")).status, 401);
  auto fresh = anon.Post("/api/auth/login", LoginBody("long-enough-password"));
  ASSERT_EQ(fresh.status, 200) << fresh.body;
  EXPECT_FALSE(Json(fresh.body).at("mustChangePassword").as_bool());
  EXPECT_EQ(anon.Get("/api/keys", {{"Cookie", CookiePair(fresh)}}).status, 200);
}

// Guessing the current password through a (stolen) session is limited like logins, and the
// two share the count.
TEST(SecurityLogin, WrongCurrentPasswordsAreLimitedLikeLogins) {
  GatewayProcess gw(NoLogin());
  HttpClient anon = gw.AnonymousClient();
  auto login = anon.Post("/api/auth/login", LoginBody("123456"));
  ASSERT_EQ(login.status, 200) << login.body;
  const auto cookie = WithCookie(CookiePair(login), gw.BaseUrl());
  auto change = [&](std::string_view current) {
    return anon.Post(
        "/api/auth/password",
        boost::json::serialize(boost::json::object{{"current", current}, {"new", "long-enough-pw"}}),
        cookie);
  };
  for (int i = 1; i <= 4; ++i) {
    auto res = change("guess-" + std::to_string(i));
    ASSERT_EQ(res.status, 401) << "attempt " << i << ": " << res.body;
  }
  auto fifth = anon.Post("/api/auth/login", LoginBody("guess-5"));
  ASSERT_EQ(fifth.status, 401) << fifth.body;
  // Locked out now, the right password included, at either endpoint.
  auto locked = change("123456");
  ASSERT_EQ(locked.status, 429) << locked.body;
  EXPECT_EQ(ErrorCode(locked), "too_many_attempts");
  EXPECT_FALSE(locked.Header("retry-after").empty());
  EXPECT_EQ(anon.Post("/api/auth/login", LoginBody("123456")).status, 429);
}

TEST(SecurityLogin, ChangedPasswordSurvivesARestart) {
  TempDir dir("omni-sec-restart-");
  {
    GatewayOptions o = NoLogin();
    o.data_dir = dir.path();
    GatewayProcess gw(o);
    HttpClient anon = gw.AnonymousClient();
    auto login = anon.Post("/api/auth/login", LoginBody("123456"));
    ASSERT_EQ(login.status, 200);
    auto ok = anon.Post("/api/auth/password", R"({"current":"123456","new":"restart-proof-pw"})",
                        WithCookie(CookiePair(login), gw.BaseUrl()));
    ASSERT_EQ(ok.status, 200) << ok.body;
    ASSERT_EQ(gw.Stop().code, 0);
  }
  GatewayOptions o = NoLogin();
  o.data_dir = dir.path();
  GatewayProcess gw(o);
  HttpClient anon = gw.AnonymousClient();
  EXPECT_EQ(anon.Post("/api/auth/login", LoginBody("123456")).status, 401);
  auto login = anon.Post("/api/auth/login", LoginBody("restart-proof-pw"));
  ASSERT_EQ(login.status, 200) << login.body;
  EXPECT_FALSE(Json(login.body).at("mustChangePassword").as_bool());
  // The stored form is an argon2id hash, never the password.
  const std::string db =
      ReadAll(dir.File("storage.sqlite")) + ReadAll(dir.File("storage.sqlite-wal"));
  EXPECT_EQ(db.find("restart-proof-pw"), std::string::npos);
  EXPECT_NE(db.find("$argon2id$"), std::string::npos);
}

TEST(SecurityLogin, GeneratedSecretsArePrivateFiles) {
  GatewayProcess gw(NoLogin());
  for (const char* name : {"jwt.secret", "api_key.secret"}) {
    const std::string path = gw.data_dir() + "/" + name;
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0) << path << " missing";
    EXPECT_EQ(st.st_mode & 0777, 0600u) << name;
    std::string secret = ReadAll(path);
    while (!secret.empty() && secret.back() == '\n') secret.pop_back();
    EXPECT_GE(secret.size(), 32u) << name;
  }
  struct stat dir {};
  ASSERT_EQ(::stat(gw.data_dir().c_str(), &dir), 0);
  EXPECT_EQ(dir.st_mode & 077, 0u) << "data dir readable by others";
  // Distinct secrets: one leaking must not give away the other.
  EXPECT_NE(ReadAll(gw.data_dir() + "/jwt.secret"), ReadAll(gw.data_dir() + "/api_key.secret"));
}

TEST(SecurityLogin, DocumentedDefaultJwtSecretIsWarnedAbout) {
  GatewayProcess gw(NoLogin({{"JWT_SECRET", "omniroute-default-secret-change-me"}}));
  const std::string err = ReadAll(gw.StderrPath());
  EXPECT_NE(err.find("warn"), std::string::npos) << err;
  EXPECT_NE(err.find("JWT_SECRET"), std::string::npos) << err;
  EXPECT_EQ(err.find("omniroute-default-secret-change-me"), std::string::npos)
      << "the secret itself is logged";

  GatewayProcess quiet(NoLogin({{"JWT_SECRET", kJwtSecret}}));
  EXPECT_EQ(ReadAll(quiet.StderrPath()).find("JWT_SECRET"), std::string::npos);
}

TEST(SecurityLogin, BruteForceLocksOutWithGrowingDelays) {
  GatewayProcess gw(NoLogin());
  HttpClient anon = gw.AnonymousClient();
  for (int i = 1; i <= 5; ++i) {
    auto res = anon.Post("/api/auth/login", LoginBody("guess-" + std::to_string(i)));
    ASSERT_EQ(res.status, 401) << "attempt " << i << ": " << res.body;
  }
  // The 6th attempt is refused before the password is even looked at, right or wrong.
  auto locked = anon.Post("/api/auth/login", LoginBody("123456"));
  ASSERT_EQ(locked.status, 429) << locked.body;
  EXPECT_EQ(ErrorCode(locked), "too_many_attempts");
  EXPECT_TRUE(locked.Header("set-cookie").empty());
  const int retry =
      std::stoi(locked.Header("retry-after").empty() ? "0" : locked.Header("retry-after"));
  EXPECT_GE(retry, 1);
  EXPECT_LE(retry, 2);
  // A spoofed X-Forwarded-For from an untrusted peer does not reset the count.
  EXPECT_EQ(
      anon.Post("/api/auth/login", LoginBody("123456"), {{"X-Forwarded-For", "198.51.100.23"}})
          .status,
      429);

  std::this_thread::sleep_for(std::chrono::seconds(retry) + std::chrono::milliseconds(200));
  auto sixth = anon.Post("/api/auth/login", LoginBody("guess-6"));
  EXPECT_EQ(sixth.status, 401) << sixth.body;
  auto longer = anon.Post("/api/auth/login", LoginBody("123456"));
  ASSERT_EQ(longer.status, 429) << longer.body;
  const int retry2 =
      std::stoi(longer.Header("retry-after").empty() ? "0" : longer.Header("retry-after"));
  EXPECT_GT(retry2, retry) << "the lockout grows";

  std::this_thread::sleep_for(std::chrono::seconds(retry2) + std::chrono::milliseconds(200));
  auto ok = anon.Post("/api/auth/login", LoginBody("123456"));
  EXPECT_EQ(ok.status, 200) << ok.body;
  // Success forgets the failures: a typo now costs nothing.
  EXPECT_EQ(anon.Post("/api/auth/login", LoginBody("typo")).status, 401);
  EXPECT_EQ(anon.Post("/api/auth/login", LoginBody("123456")).status, 200);
}

}  // namespace
}  // namespace omni::testing
