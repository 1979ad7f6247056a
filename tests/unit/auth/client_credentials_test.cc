#include "auth/client_credentials.h"

#include <gtest/gtest.h>

#include <cctype>
#include <map>
#include <optional>
#include <string>

namespace omni::auth {
namespace {

// Headers as an HTTP layer would hold them; lookup is case-insensitive like Beast's fields.
class FakeHeaders {
 public:
  FakeHeaders(std::initializer_list<std::pair<std::string, std::string>> headers) {
    for (const auto& [name, value] : headers) headers_[Lower(name)] = value;
  }
  HeaderLookup Lookup() const {
    return [this](std::string_view name) -> std::string_view {
      auto it = headers_.find(Lower(name));
      return it == headers_.end() ? std::string_view{} : std::string_view(it->second);
    };
  }

 private:
  static std::string Lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  }
  std::map<std::string, std::string> headers_;
};

std::optional<PresentedKey> Extract(const FakeHeaders& h, std::string_view query = "") {
  return ExtractApiKey(h.Lookup(), query);
}

void ExpectKey(const std::optional<PresentedKey>& got, std::string_view key,
               CredentialSource source) {
  ASSERT_TRUE(got.has_value()) << "expected " << key;
  EXPECT_EQ(got->key, key);
  EXPECT_EQ(got->source, source);
}

TEST(ExtractApiKey, BearerToken) {
  ExpectKey(Extract({{"Authorization", "Bearer sk-omni-abc"}}), "sk-omni-abc",
            CredentialSource::kBearer);
  ExpectKey(Extract({{"authorization", "bearer sk-1"}}), "sk-1", CredentialSource::kBearer);
  ExpectKey(Extract({{"AUTHORIZATION", "BEARER sk-1"}}), "sk-1", CredentialSource::kBearer);
  ExpectKey(Extract({{"Authorization", "  Bearer \t sk-1  "}}), "sk-1", CredentialSource::kBearer);
}

TEST(ExtractApiKey, OtherAuthorizationSchemesAreNotKeys) {
  EXPECT_FALSE(Extract({{"Authorization", "Basic dXNlcjpwYXNz"}}).has_value());
  EXPECT_FALSE(Extract({{"Authorization", "Bearer"}}).has_value());
  EXPECT_FALSE(Extract({{"Authorization", "Bearer    "}}).has_value());
  EXPECT_FALSE(Extract({{"Authorization", "Bearersk-1"}}).has_value());
  EXPECT_FALSE(Extract({{"Authorization", "sk-1"}}).has_value());
  // ...and do not hide a key sent another way.
  ExpectKey(Extract({{"Authorization", "Basic dXNlcjpwYXNz"}, {"x-api-key", "sk-2"}}), "sk-2",
            CredentialSource::kXApiKey);
}

TEST(ExtractApiKey, AnthropicGoogleAndAzureHeaders) {
  ExpectKey(Extract({{"x-api-key", "sk-ant"}}), "sk-ant", CredentialSource::kXApiKey);
  ExpectKey(Extract({{"X-Api-Key", " sk-ant "}}), "sk-ant", CredentialSource::kXApiKey);
  ExpectKey(Extract({{"x-goog-api-key", "AIzaXYZ"}}), "AIzaXYZ", CredentialSource::kXGoogApiKey);
  ExpectKey(Extract({{"api-key", "azure-key"}}), "azure-key", CredentialSource::kAzureApiKey);
}

TEST(ExtractApiKey, QueryKeyIsPercentDecoded) {
  FakeHeaders none{};
  ExpectKey(Extract(none, "key=AIzaXYZ"), "AIzaXYZ", CredentialSource::kQueryKey);
  ExpectKey(Extract(none, "alt=sse&key=AIza-_XYZ"), "AIza-_XYZ", CredentialSource::kQueryKey);
  ExpectKey(Extract(none, "key=a%2Bb%2fc"), "a+b/c", CredentialSource::kQueryKey);
  ExpectKey(Extract(none, "key=a+b"), "a+b", CredentialSource::kQueryKey);
  ExpectKey(Extract(none, "mykey=x&key=y"), "y", CredentialSource::kQueryKey);
  ExpectKey(Extract(none, "key=first&key=second"), "first", CredentialSource::kQueryKey);
}

TEST(ExtractApiKey, BadOrMissingQueryKeys) {
  FakeHeaders none{};
  EXPECT_FALSE(Extract(none, "").has_value());
  EXPECT_FALSE(Extract(none, "key=").has_value());
  EXPECT_FALSE(Extract(none, "key").has_value());
  EXPECT_FALSE(Extract(none, "apikey=x").has_value());
  EXPECT_FALSE(Extract(none, "KEY=x").has_value());  // parameter names are case-sensitive
  EXPECT_FALSE(Extract(none, "key=%zz").has_value());
  EXPECT_FALSE(Extract(none, "key=abc%2").has_value());
  EXPECT_FALSE(Extract(none, "key=abc%").has_value());
  EXPECT_FALSE(Extract(none, "&&&").has_value());
}

TEST(ExtractApiKey, PrecedenceFollowsTheDocumentedOrder) {
  ExpectKey(Extract({{"Authorization", "Bearer b"}, {"x-api-key", "x"}, {"x-goog-api-key", "g"}},
                    "key=q"),
            "b", CredentialSource::kBearer);
  ExpectKey(Extract({{"x-api-key", "x"}, {"x-goog-api-key", "g"}, {"api-key", "a"}}, "key=q"), "x",
            CredentialSource::kXApiKey);
  ExpectKey(Extract({{"x-goog-api-key", "g"}, {"api-key", "a"}}, "key=q"), "g",
            CredentialSource::kXGoogApiKey);
  ExpectKey(Extract({{"api-key", "a"}}, "key=q"), "a", CredentialSource::kAzureApiKey);
  // Blank headers are skipped, not taken as an empty key.
  ExpectKey(Extract({{"x-api-key", "   "}}, "key=q"), "q", CredentialSource::kQueryKey);
}

TEST(ExtractApiKey, NothingPresented) {
  EXPECT_FALSE(Extract({}).has_value());
  EXPECT_FALSE(Extract({{"Content-Type", "application/json"}}, "alt=sse").has_value());
}

TEST(PercentDecode, Table) {
  EXPECT_EQ(PercentDecode(""), "");
  EXPECT_EQ(PercentDecode("abc"), "abc");
  EXPECT_EQ(PercentDecode("%41%62%2B%2b"), "Ab++");
  EXPECT_EQ(PercentDecode("a+b"), "a+b");
  EXPECT_EQ(PercentDecode("%00"), std::string(1, '\0'));
  EXPECT_FALSE(PercentDecode("%").has_value());
  EXPECT_FALSE(PercentDecode("%4").has_value());
  EXPECT_FALSE(PercentDecode("%G1").has_value());
  EXPECT_FALSE(PercentDecode("%1G").has_value());
}

}  // namespace
}  // namespace omni::auth
