#include "auth/jwt.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <stdexcept>
#include <string>

#include "auth/hmac_sha256.h"

namespace omni::auth {
namespace {

constexpr std::string_view kSecret = "test-jwt-secret";
constexpr int64_t kNow = 1'700'000'000;

boost::json::object Claims(int64_t exp) {
  boost::json::object c;
  c["sub"] = "admin";
  c["exp"] = exp;
  return c;
}

// Builds a token from raw JSON texts, signed with HS256 over exactly those bytes: lets tests
// craft headers and payloads SignJwt would never produce.
std::string MakeToken(std::string_view header_json, std::string_view payload_json,
                      std::string_view secret) {
  std::string input = Base64UrlEncode(header_json) + "." + Base64UrlEncode(payload_json);
  Sha256Digest sig = HmacSha256(secret, input);
  return input + "." +
         Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(sig.data()), sig.size()));
}

constexpr std::string_view kGoodHeader = R"({"alg":"HS256","typ":"JWT"})";

void ExpectError(const Result<boost::json::object>& r, std::string_view code) {
  ASSERT_FALSE(r.ok()) << "expected " << code;
  EXPECT_EQ(r.error().status, 401);
  EXPECT_EQ(r.error().type, "authentication_error");
  EXPECT_EQ(r.error().code, code) << r.error().message;
}

TEST(Base64Url, EncodesRfc4648VectorsWithoutPadding) {
  EXPECT_EQ(Base64UrlEncode(""), "");
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(Base64UrlEncode("foo"), "Zm9v");
  EXPECT_EQ(Base64UrlEncode("foob"), "Zm9vYg");
  EXPECT_EQ(Base64UrlEncode("fooba"), "Zm9vYmE");
  EXPECT_EQ(Base64UrlEncode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");  // the two url-safe characters
}

TEST(Base64Url, DecodeRoundTripsAllByteValues) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (size_t len = 0; len <= all.size(); len += 37) {
    auto d = Base64UrlDecode(Base64UrlEncode(all.substr(0, len)));
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(*d, all.substr(0, len));
  }
}

TEST(Base64Url, DecodeIsStrict) {
  EXPECT_FALSE(Base64UrlDecode("Zg==").ok());    // padding
  EXPECT_FALSE(Base64UrlDecode("Zm9v+g").ok());  // standard alphabet '+'
  EXPECT_FALSE(Base64UrlDecode("Zm9v/g").ok());  // standard alphabet '/'
  EXPECT_FALSE(Base64UrlDecode("Zm9 v").ok());   // whitespace
  EXPECT_FALSE(Base64UrlDecode("Zm9vY").ok());   // length % 4 == 1
  EXPECT_FALSE(Base64UrlDecode("Zh").ok());      // non-zero unused bits ("Zg" is canonical)
  EXPECT_TRUE(Base64UrlDecode("Zg").ok());
}

TEST(Jwt, SignMatchesPublishedVector) {
  // The jwt.io example token: proves interoperability with other HS256 implementations.
  boost::json::object c;
  c["sub"] = "1234567890";
  c["name"] = "John Doe";
  c["iat"] = 1516239022;
  EXPECT_EQ(SignJwt(c, "your-256-bit-secret"),
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
            "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
            "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c");
}

TEST(Jwt, VerifiesTokenFromAnotherImplementation) {
  // Made with Python's hmac/base64 modules.
  auto r = VerifyJwt(
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhZG1pbiIsImV4cCI6MjAwMDAwMDAwMH0."
      "zzAdETO9GhqmLPh6Y7v01y51Xi-Hyp4MHRPYh_SFS_Y",
      "interop-secret", kNow);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->at("sub").as_string(), "admin");
}

TEST(Jwt, RoundTripReturnsClaims) {
  auto claims = Claims(kNow + 3600);
  claims["role"] = "admin";
  std::string token = SignJwt(claims, kSecret);
  auto r = VerifyJwt(token, kSecret, kNow);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, claims);
  // Header segment is the fixed text.
  EXPECT_EQ(Base64UrlDecode(token.substr(0, token.find('.'))).value(), kGoodHeader);
}

TEST(Jwt, WrongSecretIsBadSignature) {
  std::string token = SignJwt(Claims(kNow + 60), "other-secret");
  ExpectError(VerifyJwt(token, kSecret, kNow), "token_bad_signature");
}

TEST(Jwt, EmptySecretVerifiesNothingAndCannotSign) {
  std::string token = MakeToken(kGoodHeader, R"({"exp":2000000000})", "");
  ExpectError(VerifyJwt(token, "", kNow), "token_bad_signature");
  EXPECT_THROW(SignJwt(Claims(kNow + 60), ""), std::invalid_argument);
}

TEST(Jwt, TamperedPayloadIsBadSignature) {
  std::string token = SignJwt(Claims(kNow + 60), kSecret);
  size_t d1 = token.find('.'), d2 = token.rfind('.');
  std::string forged = token.substr(0, d1 + 1) +
                       Base64UrlEncode(R"({"sub":"admin","exp":9999999999})") + token.substr(d2);
  ExpectError(VerifyJwt(forged, kSecret, kNow), "token_bad_signature");
}

TEST(Jwt, TamperedSignatureIsBadSignature) {
  std::string token = SignJwt(Claims(kNow + 60), kSecret);
  size_t sig = token.rfind('.') + 1;
  token[sig] = token[sig] == 'A' ? 'B' : 'A';  // first char: stays canonical base64url
  ExpectError(VerifyJwt(token, kSecret, kNow), "token_bad_signature");
}

TEST(Jwt, ExpiryBoundaries) {
  ExpectError(VerifyJwt(SignJwt(Claims(kNow), kSecret), kSecret, kNow), "token_expired");
  ExpectError(VerifyJwt(SignJwt(Claims(kNow - 1), kSecret), kSecret, kNow), "token_expired");
  EXPECT_TRUE(VerifyJwt(SignJwt(Claims(kNow + 1), kSecret), kSecret, kNow).ok());
}

TEST(Jwt, FractionalExpNeverExtendsValidity) {
  std::string token = MakeToken(kGoodHeader, R"({"exp":1700000000.9})", kSecret);
  ExpectError(VerifyJwt(token, kSecret, kNow), "token_expired");
}

TEST(Jwt, HugeExpIsAccepted) {
  std::string token = MakeToken(kGoodHeader, R"({"exp":18446744073709551615})", kSecret);
  EXPECT_TRUE(VerifyJwt(token, kSecret, kNow).ok());
}

TEST(Jwt, ExpIsRequiredAndNumeric) {
  ExpectError(VerifyJwt(MakeToken(kGoodHeader, R"({"sub":"a"})", kSecret), kSecret, kNow),
              "token_malformed");
  ExpectError(VerifyJwt(MakeToken(kGoodHeader, R"({"exp":"2000000000"})", kSecret), kSecret, kNow),
              "token_malformed");
  ExpectError(VerifyJwt(MakeToken(kGoodHeader, R"({"exp":null})", kSecret), kSecret, kNow),
              "token_malformed");
}

TEST(Jwt, NotBeforeInTheFutureIsRejected) {
  auto future = Claims(kNow + 3600);
  future["nbf"] = kNow + 1;
  ExpectError(VerifyJwt(SignJwt(future, kSecret), kSecret, kNow), "token_not_yet_valid");
  auto now = Claims(kNow + 3600);
  now["nbf"] = kNow;
  EXPECT_TRUE(VerifyJwt(SignJwt(now, kSecret), kSecret, kNow).ok());
  ExpectError(
      VerifyJwt(MakeToken(kGoodHeader, R"({"exp":2000000000,"nbf":"x"})", kSecret), kSecret, kNow),
      "token_malformed");
}

TEST(Jwt, AlgNoneIsRejected) {
  std::string input = Base64UrlEncode(R"({"alg":"none","typ":"JWT"})") + "." +
                      Base64UrlEncode(R"({"sub":"admin","exp":2000000000})");
  ExpectError(VerifyJwt(input + ".", kSecret, kNow), "token_malformed");
  // Even correctly HMAC-signed, a header naming another algorithm is refused.
  ExpectError(
      VerifyJwt(MakeToken(R"({"alg":"none","typ":"JWT"})", R"({"exp":2000000000})", kSecret),
                kSecret, kNow),
      "token_malformed");
}

TEST(Jwt, OnlyTheExactHeaderIsAccepted) {
  const char* headers[] = {
      R"({"alg":"HS512","typ":"JWT"})",
      R"({"alg":"RS256","typ":"JWT"})",
      R"({"alg":"hs256","typ":"JWT"})",
      R"({"alg":"HS256"})",
      R"({"typ":"JWT"})",
      R"({"alg":"HS256","typ":"JWS"})",
      R"({"alg":"HS256","typ":"JWT","kid":"../../etc/passwd"})",
      R"({"alg":["HS256"],"typ":"JWT"})",
      R"(["HS256","JWT"])",
      R"(not json)",
  };
  for (const char* h : headers) {
    ExpectError(VerifyJwt(MakeToken(h, R"({"exp":2000000000})", kSecret), kSecret, kNow),
                "token_malformed");
  }
  // Key order and whitespace do not matter, only content.
  EXPECT_TRUE(
      VerifyJwt(MakeToken(R"({ "typ": "JWT", "alg": "HS256" })", R"({"exp":2000000000})", kSecret),
                kSecret, kNow)
          .ok());
}

TEST(Jwt, SignedButNonObjectPayloadIsMalformed) {
  ExpectError(VerifyJwt(MakeToken(kGoodHeader, "[1,2]", kSecret), kSecret, kNow),
              "token_malformed");
  ExpectError(VerifyJwt(MakeToken(kGoodHeader, "{bad", kSecret), kSecret, kNow), "token_malformed");
}

TEST(Jwt, MalformedStructureIsRejected) {
  std::string good = SignJwt(Claims(kNow + 60), kSecret);
  size_t d1 = good.find('.'), d2 = good.rfind('.');
  std::string h = good.substr(0, d1), p = good.substr(d1 + 1, d2 - d1 - 1), s = good.substr(d2 + 1);
  const std::string cases[] = {
      "",
      "abc",
      h + "." + p,
      h + "." + p + "." + s + ".",
      h + "." + p + "." + s + "." + s,
      "." + p + "." + s,
      h + ".." + s,
      h + "." + p + ".",
      h + "." + p + "." + s + "=",          // padding
      h + "." + p + "." + s.substr(0, 22),  // truncated signature (16 bytes)
      h + "=." + p + "." + s,
      h + "." + p + "." + s + "AAAA",  // too long a signature
      std::string(kMaxJwtLength + 1, 'a'),
  };
  for (const auto& token : cases) {
    ExpectError(VerifyJwt(token, kSecret, kNow), "token_malformed");
  }
  EXPECT_TRUE(VerifyJwt(good, kSecret, kNow).ok());
}

TEST(Jwt, ErrorMessagesDoNotLeakSecretOrToken) {
  std::string token = SignJwt(Claims(kNow + 60), "other-secret");
  auto r = VerifyJwt(token, kSecret, kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message.find(kSecret), std::string::npos);
  EXPECT_EQ(r.error().message.find(token.substr(0, 10)), std::string::npos);
}

}  // namespace
}  // namespace omni::auth
