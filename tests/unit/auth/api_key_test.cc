#include "auth/api_key.h"

#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <set>
#include <string>
#include <vector>

namespace omni::auth {
namespace {

constexpr std::string_view kSecret = "api-key-secret";

bool IsBase62(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

bool IsLowerHex(const std::string& s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

TEST(GenerateApiKey, HasTheDocumentedShape) {
  GeneratedKey k = GenerateApiKey(kSecret);
  ASSERT_EQ(k.plaintext.size(), 8u + 40u);
  EXPECT_EQ(k.plaintext.substr(0, 8), "sk-omni-");
  for (char c : k.plaintext.substr(8)) EXPECT_TRUE(IsBase62(c)) << c;
  EXPECT_EQ(k.prefix, k.plaintext.substr(0, 12));
  EXPECT_EQ(k.hash, HashApiKey(k.plaintext, kSecret));
  EXPECT_EQ(k.hash.find(k.plaintext.substr(8)), std::string::npos);
}

TEST(GenerateApiKey, KeysAreUniqueAndUseTheWholeAlphabet) {
  std::set<std::string> keys;
  std::set<char> seen;
  for (int i = 0; i < 300; ++i) {
    GeneratedKey k = GenerateApiKey(kSecret);
    keys.insert(k.plaintext);
    for (char c : k.plaintext.substr(8)) seen.insert(c);
  }
  EXPECT_EQ(keys.size(), 300u);
  EXPECT_EQ(seen.size(), 62u);  // 12,000 draws: missing a character has odds ~1e-84
}

TEST(HashApiKey, MatchesRfc4231Vector) {
  // RFC 4231 test case 2: HMAC-SHA256(key "Jefe", "what do ya want for nothing?").
  EXPECT_EQ(HashApiKey("what do ya want for nothing?", "Jefe"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(HashApiKey, StablePerSecretDifferentAcrossSecrets) {
  const std::string key = "sk-omni-abcdefghijklmnopqrstuvwxyz0123456789ABCD";
  std::string h1 = HashApiKey(key, kSecret);
  EXPECT_EQ(h1, HashApiKey(key, kSecret));
  EXPECT_EQ(h1.size(), 64u);
  EXPECT_TRUE(IsLowerHex(h1));
  EXPECT_NE(h1, HashApiKey(key, "another-secret"));
  EXPECT_NE(h1, HashApiKey(key + "x", kSecret));
  EXPECT_NE(HashApiKey(key, ""), HashApiKey(key, kSecret));
}

TEST(ConstantTimeEquals, ComparesCorrectly) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));  // last byte
  EXPECT_FALSE(ConstantTimeEquals("xbc", "abc"));  // first byte
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
  EXPECT_FALSE(ConstantTimeEquals("", "a"));
  EXPECT_FALSE(ConstantTimeEquals(std::string_view("a\0b", 3), std::string_view("a\0c", 3)));
  EXPECT_TRUE(ConstantTimeEquals(std::string_view("a\0b", 3), std::string_view("a\0b", 3)));
  std::string big(4096, 'k');
  std::string other = big;
  other[2048] = 'j';
  EXPECT_TRUE(ConstantTimeEquals(big, std::string(4096, 'k')));
  EXPECT_FALSE(ConstantTimeEquals(big, other));
}

ApiKeyRecord Record(std::string id, const std::string& plaintext, std::string_view secret) {
  ApiKeyRecord r;
  r.id = std::move(id);
  r.name = "test";
  r.prefix = plaintext.substr(0, 12);
  r.key_hash = HashApiKey(plaintext, secret);
  return r;
}

TEST(ApiKeyIndex, FindsByPresentedKey) {
  GeneratedKey a = GenerateApiKey(kSecret), b = GenerateApiKey(kSecret);
  ApiKeyIndex index(std::string(kSecret),
                    {Record("key_a", a.plaintext, kSecret), Record("key_b", b.plaintext, kSecret)});
  EXPECT_EQ(index.size(), 2u);
  const ApiKeyRecord* found = index.Find(a.plaintext);
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->id, "key_a");
  ASSERT_NE(index.Find(b.plaintext), nullptr);
  EXPECT_EQ(index.Find(b.plaintext)->id, "key_b");
  EXPECT_EQ(index.Find(a.plaintext + "x"), nullptr);
  EXPECT_EQ(index.Find(a.prefix), nullptr);
  EXPECT_EQ(index.Find(a.hash), nullptr);  // the stored hash is not a credential
  EXPECT_EQ(index.Find(""), nullptr);
  EXPECT_EQ(index.Find(std::string(kMaxPresentedKeyLength + 1, 'a')), nullptr);
}

TEST(ApiKeyIndex, KeysHashedUnderAnotherSecretAreNotFound) {
  GeneratedKey a = GenerateApiKey("old-secret");
  ApiKeyIndex index(std::string(kSecret), {Record("key_a", a.plaintext, "old-secret")});
  EXPECT_EQ(index.Find(a.plaintext), nullptr);
}

TEST(ApiKeyIndex, ReturnsRevokedAndExpiredRecordsForTheCallerToJudge) {
  GeneratedKey a = GenerateApiKey(kSecret);
  ApiKeyRecord r = Record("key_a", a.plaintext, kSecret);
  r.revoked = true;
  ApiKeyIndex index(std::string(kSecret), {r});
  const ApiKeyRecord* found = index.Find(a.plaintext);
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(KeyState(*found, 0), ApiKeyState::kRevoked);
}

TEST(ApiKeyIndex, DuplicateHashesKeepTheFirstRecord) {
  GeneratedKey a = GenerateApiKey(kSecret);
  ApiKeyIndex index(std::string(kSecret), {Record("first", a.plaintext, kSecret),
                                           Record("second", a.plaintext, kSecret)});
  EXPECT_EQ(index.size(), 1u);
  ASSERT_NE(index.Find(a.plaintext), nullptr);
  EXPECT_EQ(index.Find(a.plaintext)->id, "first");
}

TEST(ApiKeyIndex, MalformedStoredHashesAreSkipped) {
  GeneratedKey a = GenerateApiKey(kSecret), b = GenerateApiKey(kSecret);
  ApiKeyRecord upper = Record("upper", a.plaintext, kSecret);
  for (char& c : upper.key_hash) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  ApiKeyRecord bad = Record("bad", b.plaintext, kSecret);
  bad.key_hash.pop_back();
  ApiKeyRecord empty;
  ApiKeyIndex index(kSecret, {upper, bad, empty});
  EXPECT_EQ(index.size(), 1u);
  EXPECT_EQ(index.skipped(), 2u);
  ASSERT_NE(index.Find(a.plaintext), nullptr);  // hex case does not matter
  EXPECT_EQ(index.Find(b.plaintext), nullptr);
}

TEST(KeyState, ExpiryAndRevocation) {
  ApiKeyRecord r;
  EXPECT_EQ(KeyState(r, 1'700'000'000'000), ApiKeyState::kActive);  // expires_at 0 = never
  r.expires_at = 1'000;
  EXPECT_EQ(KeyState(r, 999), ApiKeyState::kActive);
  EXPECT_EQ(KeyState(r, 1'000), ApiKeyState::kExpired);
  r.revoked = true;
  EXPECT_EQ(KeyState(r, 999), ApiKeyState::kRevoked);
  EXPECT_EQ(KeyState(r, 5'000), ApiKeyState::kRevoked);
}

TEST(WildcardMatch, Table) {
  struct Case {
    const char* pattern;
    const char* text;
    bool match;
  };
  const Case cases[] = {
      {"*", "anything/at-all", true},
      {"*", "", true},
      {"", "", true},
      {"", "a", false},
      {"gpt-4o", "gpt-4o", true},
      {"gpt-4o", "gpt-4o-mini", false},
      {"gpt-4o", "gpt-4", false},
      {"gpt-4*", "gpt-4o-mini", true},
      {"gpt-4*", "gpt-4", true},
      {"gpt-4*", "gpt-3.5-turbo", false},
      {"openai/*", "openai/gpt-4o", true},
      {"openai/*", "anthropic/claude", false},
      {"*/gpt-4o", "azure/gpt-4o", true},
      {"*claude*", "anthropic/claude-3-5-sonnet", true},
      {"gpt-?o", "gpt-4o", true},
      {"gpt-?o", "gpt-o", false},
      {"gpt-?o", "gpt-40o", false},
      {"a*b*c", "aXXbYYc", true},
      {"a*b*c", "aXXbYY", false},
      {"a*b*c", "abc", true},
      {"**", "x", true},
      {"*?", "", false},
      {"*?", "x", true},
      {"*a", "*ba", true},          // a literal '*' in the text is just a character
      {"GPT-4*", "gpt-4o", false},  // case-sensitive
  };
  for (const auto& c : cases) {
    EXPECT_EQ(WildcardMatch(c.pattern, c.text), c.match) << c.pattern << " vs " << c.text;
  }
}

TEST(WildcardMatch, PathologicalPatternStaysFast) {
  const std::string text(5000, 'a');
  const std::string pattern = "*a*a*a*a*a*a*a*a*a*a*b";
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(WildcardMatch(pattern, text));
  // Exponential backtracking would take astronomically long; the greedy matcher is ~50k steps.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
}

TEST(ModelAllowed, EmptyListAllowsEverythingOtherwisePatternsDecide) {
  ApiKeyRecord r;
  EXPECT_TRUE(ModelAllowed(r, "any/model"));
  r.allowed_models = {"openai/gpt-4o*", "anthropic/*"};
  EXPECT_TRUE(ModelAllowed(r, "openai/gpt-4o"));
  EXPECT_TRUE(ModelAllowed(r, "openai/gpt-4o-mini"));
  EXPECT_TRUE(ModelAllowed(r, "anthropic/claude-3-5-sonnet"));
  EXPECT_FALSE(ModelAllowed(r, "openai/o1"));
  EXPECT_FALSE(ModelAllowed(r, "gemini/gemini-2.0-flash"));
  EXPECT_FALSE(ModelAllowed(r, ""));
}

}  // namespace
}  // namespace omni::auth
