#include "routing/routing_snapshot.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "providers/catalog.h"
#include "store/store.h"

namespace omni::routing {
namespace {

using providers::Catalog;
using store::ProviderConnection;
using store::ProviderNode;

ProviderConnection Conn(std::string id, std::string provider, std::string secret, int priority = 1,
                        bool enabled = true, std::string base_url = "") {
  ProviderConnection c;
  c.id = std::move(id);
  c.provider = std::move(provider);
  c.name = "test";
  c.secret = std::move(secret);
  c.priority = priority;
  c.enabled = enabled;
  c.base_url = std::move(base_url);
  return c;
}

ProviderNode Node(std::string prefix, std::string base_url) {
  ProviderNode n;
  n.id = "node_" + prefix;
  n.name = "Local " + prefix;
  n.prefix = std::move(prefix);
  n.base_url = std::move(base_url);
  return n;
}

std::shared_ptr<const RoutingSnapshot> Build(std::vector<ProviderConnection> conns,
                                             const std::vector<ProviderNode>& nodes = {}) {
  return RoutingSnapshot::Build(Catalog::BuiltIn(), std::move(conns), nodes);
}

void ExpectError(const Result<ResolvedTarget>& r, int status, const std::string& code) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().status, status) << r.error().message;
  EXPECT_EQ(r.error().code, code) << r.error().message;
}

TEST(RoutingSnapshotTest, AliasResolvesToProviderAndModel) {
  auto snap = Build({Conn("c1", "deepseek", "sk-ds")});
  auto r = snap->Resolve("ds/deepseek-chat");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_NE(r->provider, nullptr);
  EXPECT_EQ(r->provider->id, "deepseek");
  EXPECT_EQ(r->model, "deepseek-chat");
  ASSERT_NE(r->connection, nullptr);
  EXPECT_EQ(r->connection->conn.id, "c1");
}

TEST(RoutingSnapshotTest, ProviderIdResolvesLikeAlias) {
  auto snap = Build({Conn("c1", "deepseek", "sk-ds")});
  auto r = snap->Resolve("deepseek/deepseek-reasoner");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->provider->id, "deepseek");
  EXPECT_EQ(r->model, "deepseek-reasoner");
}

TEST(RoutingSnapshotTest, ModelKeepsSlashesAfterThePrefix) {
  auto snap = Build({Conn("c1", "together", "sk-t")});
  auto r = snap->Resolve("together/meta-llama/Llama-3.3-70B-Instruct-Turbo");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->provider->id, "together");
  EXPECT_EQ(r->model, "meta-llama/Llama-3.3-70B-Instruct-Turbo");
}

TEST(RoutingSnapshotTest, ModelViewPointsIntoTheRequestString) {
  auto snap = Build({Conn("c1", "openai", "sk-o")});
  const std::string requested = "openai/gpt-4o";
  auto r = snap->Resolve(requested);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->model.data(), requested.data() + 7);
}

TEST(RoutingSnapshotTest, UnknownModelNotInCatalogStillRoutes) {
  auto snap = Build({Conn("c1", "openai", "sk-o")});
  auto r = snap->Resolve("openai/some-future-model");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->model, "some-future-model");
}

TEST(RoutingSnapshotTest, ModelWithoutPrefixIsNotFound) {
  auto snap = Build({Conn("c1", "openai", "sk-o")});
  ExpectError(snap->Resolve("gpt-4o"), 404, "model_not_found");
}

TEST(RoutingSnapshotTest, UnknownPrefixIsBadRequest) {
  auto snap = Build({Conn("c1", "openai", "sk-o")});
  ExpectError(snap->Resolve("nosuch/gpt-4o"), 400, "unknown_provider");
}

TEST(RoutingSnapshotTest, EmptyModelIsBadRequest) {
  auto snap = Build({Conn("c1", "openai", "sk-o")});
  auto r = snap->Resolve("");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().status, 400);
}

TEST(RoutingSnapshotTest, PrefixWithoutModelIsBadRequest) {
  auto snap = Build({Conn("c1", "openai", "sk-o")});
  auto r = snap->Resolve("openai/");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().status, 400);
}

TEST(RoutingSnapshotTest, EmptyPrefixIsBadRequest) {
  auto snap = Build({Conn("c1", "openai", "sk-o")});
  ExpectError(snap->Resolve("/gpt-4o"), 400, "unknown_provider");
}

TEST(RoutingSnapshotTest, ProviderWithoutConnectionHasNoCredentials) {
  auto snap = Build({Conn("c1", "openai", "sk-o")});
  ExpectError(snap->Resolve("ds/deepseek-chat"), 400, "no_credentials");
}

TEST(RoutingSnapshotTest, OnlyDisabledConnectionsMeansNoCredentials) {
  auto snap = Build({Conn("c1", "deepseek", "sk-ds", 1, /*enabled=*/false)});
  ExpectError(snap->Resolve("ds/deepseek-chat"), 400, "no_credentials");
}

TEST(RoutingSnapshotTest, DisabledConnectionsAreSkipped) {
  auto snap = Build({Conn("off", "deepseek", "sk-off", 0, /*enabled=*/false),
                     Conn("on", "deepseek", "sk-on", 5)});
  auto r = snap->Resolve("ds/deepseek-chat");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->connection->conn.id, "on");
  EXPECT_EQ(snap->FindProvider("deepseek")->connections.size(), 1u);
}

TEST(RoutingSnapshotTest, LowestPriorityNumberIsChosenFirst) {
  auto snap = Build({Conn("p3", "openai", "sk-3", 3), Conn("p1", "openai", "sk-1", 1),
                     Conn("p2", "openai", "sk-2", 2)});
  auto r = snap->Resolve("openai/gpt-4o");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->connection->conn.id, "p1");
  const auto& conns = snap->FindProvider("openai")->connections;
  ASSERT_EQ(conns.size(), 3u);
  EXPECT_EQ(conns[0].conn.id, "p1");
  EXPECT_EQ(conns[1].conn.id, "p2");
  EXPECT_EQ(conns[2].conn.id, "p3");
}

TEST(RoutingSnapshotTest, EqualPrioritiesKeepStoreOrder) {
  auto snap = Build({Conn("first", "openai", "sk-a", 1), Conn("second", "openai", "sk-b", 1)});
  const auto& conns = snap->FindProvider("openai")->connections;
  ASSERT_EQ(conns.size(), 2u);
  EXPECT_EQ(conns[0].conn.id, "first");
  EXPECT_EQ(conns[1].conn.id, "second");
}

TEST(RoutingSnapshotTest, ConnectionWithoutBaseUrlUsesProviderDefault) {
  auto snap = Build({Conn("c1", "deepseek", "sk-ds")});
  auto r = snap->Resolve("ds/deepseek-chat");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& url = r->connection->url;
  EXPECT_TRUE(url.tls);
  EXPECT_EQ(url.host, "api.deepseek.com");
  EXPECT_EQ(url.port, 443);
  EXPECT_EQ(url.base_path, "/v1");
}

TEST(RoutingSnapshotTest, ConnectionBaseUrlOverridesProviderDefault) {
  auto snap = Build({Conn("c1", "openai", "sk-o", 1, true, "http://127.0.0.1:8089/proxy/v1/")});
  auto r = snap->Resolve("openai/gpt-4o");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& url = r->connection->url;
  EXPECT_FALSE(url.tls);
  EXPECT_EQ(url.host, "127.0.0.1");
  EXPECT_EQ(url.port, 8089);
  EXPECT_EQ(url.base_path, "/proxy/v1");
  EXPECT_EQ(r->provider->base_url, "https://api.openai.com/v1");  // the default is untouched
}

TEST(RoutingSnapshotTest, ConnectionWithInvalidBaseUrlIsSkipped) {
  auto snap = Build({Conn("bad", "openai", "sk-bad", 0, true, "ftp://example.com"),
                     Conn("good", "openai", "sk-good", 1)});
  auto r = snap->Resolve("openai/gpt-4o");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->connection->conn.id, "good");
}

TEST(RoutingSnapshotTest, ConnectionForUnknownProviderIsIgnored) {
  auto snap = Build({Conn("c1", "nosuch", "sk-x")});
  EXPECT_EQ(snap->FindProvider("nosuch"), nullptr);
  ExpectError(snap->Resolve("nosuch/m"), 400, "unknown_provider");
}

TEST(RoutingSnapshotTest, AuthorizationIsBearerSecret) {
  auto snap = Build({Conn("c1", "deepseek", "sk-secret-123")});
  auto r = snap->Resolve("ds/deepseek-chat");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->connection->auth_header, "Authorization");
  EXPECT_EQ(r->connection->auth_value, "Bearer sk-secret-123");
}

TEST(RoutingSnapshotTest, ProviderNodeIsRoutableByPrefix) {
  auto snap =
      Build({Conn("c1", "local", "sk-local")}, {Node("local", "http://127.0.0.1:11434/v1")});
  auto r = snap->Resolve("local/llama3.2:3b");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->provider->id, "local");
  EXPECT_TRUE(r->provider->is_node);
  EXPECT_EQ(r->model, "llama3.2:3b");
  EXPECT_EQ(r->connection->url.host, "127.0.0.1");
  EXPECT_EQ(r->connection->url.port, 11434);
  EXPECT_EQ(r->connection->url.base_path, "/v1");
  EXPECT_EQ(r->connection->auth_value, "Bearer sk-local");
}

TEST(RoutingSnapshotTest, ProviderNodeWithoutConnectionHasNoCredentials) {
  auto snap = Build({}, {Node("local", "http://127.0.0.1:11434/v1")});
  ExpectError(snap->Resolve("local/llama3"), 400, "no_credentials");
}

TEST(RoutingSnapshotTest, FindProviderByIdAndAlias) {
  auto snap = Build({});
  ASSERT_NE(snap->FindProvider("ds"), nullptr);
  EXPECT_EQ(snap->FindProvider("ds"), snap->FindProvider("deepseek"));
  EXPECT_EQ(snap->FindProvider("nope"), nullptr);
}

TEST(RoutingSnapshotTest, SnapshotListsEveryCatalogProvider) {
  auto snap = Build({});
  EXPECT_EQ(snap->providers().size(), Catalog::BuiltIn().providers().size());
}

TEST(SnapshotHolderTest, StartsEmptyAndPublishesNewSnapshots) {
  SnapshotHolder holder;
  ASSERT_NE(holder.Get(), nullptr);
  EXPECT_TRUE(holder.Get()->providers().empty());
  ExpectError(holder.Get()->Resolve("openai/gpt-4o"), 400, "unknown_provider");
  auto snap = Build({Conn("c1", "openai", "sk-o")});
  holder.Set(snap);
  EXPECT_EQ(holder.Get(), snap);
  EXPECT_TRUE(holder.Get()->Resolve("openai/gpt-4o").ok());
}

}  // namespace
}  // namespace omni::routing
