#include "providers/catalog.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "http/upstream_client.h"

namespace omni::providers {
namespace {

TEST(CatalogTest, BuiltInCatalogParses) {
  const Catalog* catalog = nullptr;
  ASSERT_NO_THROW(catalog = &Catalog::BuiltIn());
  EXPECT_FALSE(catalog->providers().empty());
}

TEST(CatalogTest, EveryProviderHasIdAliasFormatAndBaseUrl) {
  for (const auto& p : Catalog::BuiltIn().providers()) {
    SCOPED_TRACE(p.id);
    EXPECT_FALSE(p.id.empty());
    EXPECT_FALSE(p.alias.empty());
    EXPECT_FALSE(p.name.empty());
    EXPECT_FALSE(p.format.empty());
    EXPECT_FALSE(p.base_url.empty());
  }
}

TEST(CatalogTest, EveryBaseUrlParsesAsHttpsUpstream) {
  for (const auto& p : Catalog::BuiltIn().providers()) {
    auto url = http::ParseUpstreamUrl(p.base_url);
    ASSERT_TRUE(url.ok()) << p.id << ": " << p.base_url << ": " << url.error().message;
    EXPECT_TRUE(url->tls) << p.id << " talks plain HTTP to a public API";
    EXPECT_FALSE(url->host.empty()) << p.id;
  }
}

TEST(CatalogTest, IdsAndAliasesAreUniqueAcrossProviders) {
  // An alias equal to another provider's id would make routing ambiguous too.
  std::set<std::string> seen;
  for (const auto& p : Catalog::BuiltIn().providers()) {
    EXPECT_TRUE(seen.insert(p.id).second) << "duplicate prefix " << p.id;
    if (p.alias != p.id) EXPECT_TRUE(seen.insert(p.alias).second) << "duplicate prefix " << p.alias;
  }
}

TEST(CatalogTest, PrefixesContainNoSlash) {
  for (const auto& p : Catalog::BuiltIn().providers()) {
    EXPECT_EQ(p.id.find('/'), std::string::npos) << p.id;
    EXPECT_EQ(p.alias.find('/'), std::string::npos) << p.alias;
  }
}

TEST(CatalogTest, FindByIdAndByAlias) {
  const auto& catalog = Catalog::BuiltIn();
  const ProviderSpec* by_id = catalog.Find("deepseek");
  ASSERT_NE(by_id, nullptr);
  EXPECT_EQ(by_id->alias, "ds");
  EXPECT_EQ(catalog.Find("ds"), by_id);
  EXPECT_EQ(catalog.Find("no-such-provider"), nullptr);
  EXPECT_EQ(catalog.Find(""), nullptr);
}

TEST(CatalogTest, ParsesMinimalCatalog) {
  auto c = Catalog::Parse(R"({"providers":[
      {"id":"acme","alias":"ac","name":"Acme","format":"openai","auth":"bearer",
       "baseUrl":"https://api.acme.test/v1","models":["m1","m2"]}]})");
  ASSERT_TRUE(c.ok()) << c.error().message;
  ASSERT_EQ(c->providers().size(), 1u);
  const auto& p = c->providers()[0];
  EXPECT_EQ(p.id, "acme");
  EXPECT_EQ(p.alias, "ac");
  EXPECT_EQ(p.name, "Acme");
  EXPECT_EQ(p.format, "openai");
  EXPECT_EQ(p.auth, "bearer");
  EXPECT_EQ(p.base_url, "https://api.acme.test/v1");
  EXPECT_EQ(p.models, (std::vector<std::string>{"m1", "m2"}));
}

TEST(CatalogTest, MissingAliasDefaultsToId) {
  auto c = Catalog::Parse(R"({"providers":[{"id":"acme","baseUrl":"https://a.test"}]})");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->providers()[0].alias, "acme");
}

TEST(CatalogTest, ParseRejectsMalformedJson) {
  EXPECT_FALSE(Catalog::Parse(R"({"providers":[)").ok());
  EXPECT_FALSE(Catalog::Parse("").ok());
  EXPECT_FALSE(Catalog::Parse("not json").ok());
}

TEST(CatalogTest, ParseRejectsWrongShapes) {
  EXPECT_FALSE(Catalog::Parse("[]").ok());
  EXPECT_FALSE(Catalog::Parse("{}").ok());
  EXPECT_FALSE(Catalog::Parse(R"({"providers":{}})").ok());
  EXPECT_FALSE(Catalog::Parse(R"({"providers":[42]})").ok());
}

TEST(CatalogTest, ParseRejectsEntryWithoutIdOrBaseUrl) {
  EXPECT_FALSE(Catalog::Parse(R"({"providers":[{"baseUrl":"https://a.test"}]})").ok());
  EXPECT_FALSE(Catalog::Parse(R"({"providers":[{"id":"acme"}]})").ok());
}

}  // namespace
}  // namespace omni::providers
