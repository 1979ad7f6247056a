#include <gtest/gtest.h>

#include "http/upstream_client.h"

namespace omni::http {
namespace {

UpstreamUrl ParseOk(std::string_view text) {
  auto r = ParseUpstreamUrl(text);
  EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? r.value() : UpstreamUrl{};
}

void ExpectInvalid(std::string_view text) {
  auto r = ParseUpstreamUrl(text);
  ASSERT_FALSE(r.ok()) << "accepted '" << text << "'";
  EXPECT_EQ(r.error().status, 400) << text;
  EXPECT_EQ(r.error().code, "invalid_url") << text;
}

TEST(UpstreamUrlTest, HttpsDefaultsToPort443) {
  auto u = ParseOk("https://api.openai.com/v1");
  EXPECT_TRUE(u.tls);
  EXPECT_EQ(u.host, "api.openai.com");
  EXPECT_EQ(u.port, 443);
  EXPECT_EQ(u.base_path, "/v1");
  EXPECT_EQ(u.host_header, "api.openai.com");
}

TEST(UpstreamUrlTest, HttpDefaultsToPort80) {
  auto u = ParseOk("http://example.test/api");
  EXPECT_FALSE(u.tls);
  EXPECT_EQ(u.port, 80);
  EXPECT_EQ(u.host_header, "example.test");
}

TEST(UpstreamUrlTest, ExplicitPortIsUsedAndInHostHeader) {
  auto u = ParseOk("http://127.0.0.1:11434/v1");
  EXPECT_EQ(u.host, "127.0.0.1");
  EXPECT_EQ(u.port, 11434);
  EXPECT_EQ(u.host_header, "127.0.0.1:11434");
}

TEST(UpstreamUrlTest, ExplicitPortOnHttps) {
  auto u = ParseOk("https://localhost:8443/v1");
  EXPECT_TRUE(u.tls);
  EXPECT_EQ(u.port, 8443);
  EXPECT_EQ(u.host_header, "localhost:8443");
}

TEST(UpstreamUrlTest, TrailingSlashesAreStrippedFromBasePath) {
  EXPECT_EQ(ParseOk("https://api.test/v1/").base_path, "/v1");
  EXPECT_EQ(ParseOk("https://api.test/a/b//").base_path, "/a/b");
}

TEST(UpstreamUrlTest, RootPathBecomesEmpty) {
  EXPECT_EQ(ParseOk("https://api.perplexity.ai").base_path, "");
  EXPECT_EQ(ParseOk("https://api.perplexity.ai/").base_path, "");
}

TEST(UpstreamUrlTest, DeepBasePathIsKept) {
  EXPECT_EQ(ParseOk("https://api.z.ai/api/coding/paas/v4").base_path, "/api/coding/paas/v4");
}

TEST(UpstreamUrlTest, Ipv6LiteralHostIsUnbracketed) {
  auto u = ParseOk("http://[::1]:8080/v1");
  EXPECT_EQ(u.host, "::1");
  EXPECT_EQ(u.port, 8080);
  EXPECT_EQ(u.base_path, "/v1");
  EXPECT_EQ(u.host_header, "[::1]:8080");
}

TEST(UpstreamUrlTest, Ipv6LiteralWithDefaultPort) {
  auto u = ParseOk("https://[2001:db8::1]/v1");
  EXPECT_EQ(u.host, "2001:db8::1");
  EXPECT_EQ(u.port, 443);
  EXPECT_EQ(u.host_header, "[2001:db8::1]");
}

TEST(UpstreamUrlTest, SchemeIsCaseInsensitive) {
  auto u = ParseOk("HTTPS://api.test/v1");
  EXPECT_TRUE(u.tls);
  EXPECT_EQ(u.port, 443);
}

TEST(UpstreamUrlTest, UnsupportedSchemeIsInvalid) {
  ExpectInvalid("ftp://api.test/v1");
  ExpectInvalid("ws://api.test/v1");
}

TEST(UpstreamUrlTest, EmptyHostIsInvalid) {
  ExpectInvalid("http:///v1");
  ExpectInvalid("https://:443/v1");
}

TEST(UpstreamUrlTest, NotAUrlIsInvalid) {
  ExpectInvalid("");
  ExpectInvalid("api.openai.com/v1");
  ExpectInvalid("not a url");
}

TEST(UpstreamUrlTest, PortZeroOrOutOfRangeIsInvalid) {
  ExpectInvalid("http://api.test:0/v1");
  ExpectInvalid("http://api.test:70000/v1");
}

}  // namespace
}  // namespace omni::http
