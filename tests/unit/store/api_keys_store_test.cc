// Store: gateway API keys (table api_keys, migration 3).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <string>

#include "core/clock.h"
#include "store/migrations.h"
#include "store/sqlite_store.h"
#include "support/temp_dir.h"

namespace omni::store {
namespace {

namespace fs = std::filesystem;

struct DbClose {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using DbPtr = std::unique_ptr<sqlite3, DbClose>;

DbPtr OpenRaw(const std::string& path) {
  sqlite3* raw = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
  return DbPtr(raw);
}

void Exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << err;
}

std::string QueryText(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr);
  std::string out;
  if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != nullptr) {
    out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  }
  sqlite3_finalize(st);
  return out;
}

bool HasTable(sqlite3* db, const std::string& name) {
  return !QueryText(db,
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name = '" + name + "'")
              .empty();
}

// A 64-hex-digit stand-in for an auth::HashApiKey output.
std::string Hash(char c) { return std::string(64, c); }

class ApiKeysStoreTest : public ::testing::Test {
 protected:
  ApiKeysStoreTest() : box_(SecretBox::Open(dir_.path(), "").value()) {}

  std::string DbPath() const { return dir_.File("storage.sqlite"); }

  std::unique_ptr<Store> OpenStore() {
    auto store = OpenSqliteStore({dir_.path(), &box_, &clock_});
    EXPECT_TRUE(store.ok()) << store.error().message;
    return store.ok() ? std::move(store).value() : nullptr;
  }

  static ApiKey Key(std::string name, char hash_char) {
    ApiKey k;
    k.name = std::move(name);
    k.prefix = "sk-omni-Ab" + std::string(2, hash_char);
    k.key_hash = Hash(hash_char);
    return k;
  }

  omni::testing::TempDir dir_{"omni-api-keys-store-"};
  FakeClock clock_;
  SecretBox box_;
};

TEST_F(ApiKeysStoreTest, InsertFillsIdAndTimestampsAndRoundTripsEveryField) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  ApiKey k = Key("ci", 'a');
  k.allowed_models = {"openai/*", "anthropic/claude-?-haiku", "with \"quotes\" and \\"};
  k.expires_at = clock_.NowUnixMs() + 86'400'000;
  k.admin = true;
  k.budget_id = "budget_1";
  k.proxy = "socks5://127.0.0.1:1080";
  auto a = store->InsertApiKey(k);
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_TRUE(a->id.starts_with("key_"));
  EXPECT_EQ(a->id.size(), 4u + 16u);
  EXPECT_EQ(a->created_at, clock_.NowUnixMs());
  EXPECT_EQ(a->updated_at, clock_.NowUnixMs());
  EXPECT_EQ(a->last_used_at, 0);

  auto got = store->GetApiKey(a->id);
  ASSERT_TRUE(got.ok()) << got.error().message;
  ASSERT_TRUE(got->has_value());
  const ApiKey& g = **got;
  EXPECT_EQ(g.id, a->id);
  EXPECT_EQ(g.name, "ci");
  EXPECT_EQ(g.prefix, k.prefix);
  EXPECT_EQ(g.key_hash, k.key_hash);
  EXPECT_EQ(g.allowed_models, k.allowed_models);
  EXPECT_EQ(g.expires_at, k.expires_at);
  EXPECT_FALSE(g.revoked);
  EXPECT_TRUE(g.admin);
  EXPECT_EQ(g.budget_id, "budget_1");
  EXPECT_EQ(g.proxy, "socks5://127.0.0.1:1080");
  EXPECT_EQ(g.created_at, a->created_at);
  EXPECT_EQ(g.updated_at, a->updated_at);
  EXPECT_EQ(g.last_used_at, 0);

  // Stored as a JSON array; empty means every model.
  auto raw = OpenRaw(DbPath());
  EXPECT_EQ(QueryText(raw.get(), "SELECT allowed_models FROM api_keys"),
            R"(["openai/*","anthropic/claude-?-haiku","with \"quotes\" and \\"])");
  auto b = store->InsertApiKey(Key("all models", 'b'));
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(QueryText(raw.get(), "SELECT allowed_models FROM api_keys WHERE id = '" + b->id + "'"),
            "[]");
  EXPECT_TRUE(store->GetApiKey(b->id).value()->allowed_models.empty());
}

TEST_F(ApiKeysStoreTest, ListIsOrderedByCreationTime) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  EXPECT_TRUE(store->ListApiKeys().value().empty());
  auto first = store->InsertApiKey(Key("first", '1'));
  clock_.Advance(1);
  auto second = store->InsertApiKey(Key("second", '2'));
  clock_.Advance(1);
  auto third = store->InsertApiKey(Key("third", '3'));
  ASSERT_TRUE(first.ok() && second.ok() && third.ok());
  auto list = store->ListApiKeys();
  ASSERT_TRUE(list.ok()) << list.error().message;
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].id, first->id);
  EXPECT_EQ((*list)[1].id, second->id);
  EXPECT_EQ((*list)[2].id, third->id);
  EXPECT_EQ((*list)[2].key_hash, Hash('3'));
}

TEST_F(ApiKeysStoreTest, UpdateKeepsCreationTimeAndNeverMovesLastUsedBack) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  auto a = store->InsertApiKey(Key("old name", 'a'));
  ASSERT_TRUE(a.ok());
  clock_.Advance(1000);

  ApiKey changed = *a;
  changed.name = "new name";
  changed.allowed_models = {"gemini/*"};
  changed.revoked = true;
  changed.expires_at = 42;
  changed.last_used_at = 5000;
  changed.created_at = 0;  // ignored: creation time is kept
  auto updated = store->UpdateApiKey(changed);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(updated->created_at, a->created_at);
  EXPECT_EQ(updated->updated_at, clock_.NowUnixMs());
  EXPECT_EQ(updated->last_used_at, 5000);
  auto got = store->GetApiKey(a->id).value().value();
  EXPECT_EQ(got.name, "new name");
  EXPECT_EQ(got.allowed_models, std::vector<std::string>{"gemini/*"});
  EXPECT_TRUE(got.revoked);
  EXPECT_EQ(got.expires_at, 42);
  EXPECT_EQ(got.created_at, a->created_at);

  // An edit based on a stale read must not erase a newer use.
  changed.last_used_at = 10;
  changed.allowed_models.clear();
  updated = store->UpdateApiKey(changed);
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated->last_used_at, 5000);
  got = store->GetApiKey(a->id).value().value();
  EXPECT_EQ(got.last_used_at, 5000);
  EXPECT_TRUE(got.allowed_models.empty());
}

TEST_F(ApiKeysStoreTest, ErrorsForMissingRowsMissingHashAndDuplicates) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  auto a = store->InsertApiKey(Key("a", 'a'));
  ASSERT_TRUE(a.ok());

  ApiKey missing = *a;
  missing.id = "key_missing";
  auto not_found = store->UpdateApiKey(missing);
  ASSERT_FALSE(not_found.ok());
  EXPECT_EQ(not_found.error().status, 404);
  EXPECT_FALSE(store->GetApiKey("key_missing").value().has_value());

  auto other = store->InsertApiKey(Key("other", 'x'));
  ASSERT_TRUE(other.ok());
  ApiKey empty_hash = Key("empty", 'y');
  empty_hash.key_hash.clear();
  EXPECT_EQ(store->InsertApiKey(empty_hash).error().status, 400);
  ApiKey clear_hash = *other;
  clear_hash.key_hash.clear();
  EXPECT_EQ(store->UpdateApiKey(clear_hash).error().status, 400);

  ApiKey same_id = Key("same id", 'c');
  same_id.id = a->id;
  EXPECT_EQ(store->InsertApiKey(same_id).error().status, 409);

  auto same_hash = store->InsertApiKey(Key("same hash", 'a'));
  ASSERT_FALSE(same_hash.ok());
  EXPECT_EQ(same_hash.error().status, 409);
  // The conflict message does not echo the hash.
  EXPECT_EQ(same_hash.error().message.find(Hash('a')), std::string::npos);
  ApiKey steal = *other;
  steal.key_hash = a->key_hash;
  EXPECT_EQ(store->UpdateApiKey(steal).error().status, 409);
  EXPECT_EQ(store->ListApiKeys()->size(), 2u);  // failed writes left nothing behind
}

TEST_F(ApiKeysStoreTest, DeleteReportsWhetherARowWentAway) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  auto a = store->InsertApiKey(Key("a", 'a'));
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(store->DeleteApiKey(a->id).value());
  EXPECT_FALSE(store->DeleteApiKey(a->id).value());
  EXPECT_FALSE(store->GetApiKey(a->id).value().has_value());
  // Its hash is free again.
  EXPECT_TRUE(store->InsertApiKey(Key("again", 'a')).ok());
}

TEST_F(ApiKeysStoreTest, KeysSurviveARestart) {
  std::string id;
  {
    auto store = OpenStore();
    ASSERT_TRUE(store);
    ApiKey k = Key("durable", 'd');
    k.allowed_models = {"*"};
    id = store->InsertApiKey(k).value().id;
    ASSERT_TRUE(store->Flush().ok());
  }
  auto store = OpenStore();
  ASSERT_TRUE(store);
  auto got = store->GetApiKey(id);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->key_hash, Hash('d'));
  EXPECT_EQ((*got)->allowed_models, std::vector<std::string>{"*"});
}

TEST_F(ApiKeysStoreTest, MalformedAllowedModelsIsAnErrorNotACrash) {
  std::string id;
  {
    auto store = OpenStore();
    ASSERT_TRUE(store);
    id = store->InsertApiKey(Key("hand edited", 'h')).value().id;
  }
  {
    auto raw = OpenRaw(DbPath());
    Exec(raw.get(), "UPDATE api_keys SET allowed_models = '{\"not\":\"an array\"}'");
  }
  auto store = OpenStore();
  ASSERT_TRUE(store);
  auto got = store->GetApiKey(id);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().status, 500);
  EXPECT_NE(got.error().message.find(id), std::string::npos) << got.error().message;
  EXPECT_FALSE(store->ListApiKeys().ok());
}

// Migration 3 on its own: a version-2 database with connections gains api_keys and keeps them.
TEST(ApiKeysMigrationTest, Version2DatabaseUpgradesToVersion3AndKeepsConnections) {
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(":memory:", &raw), SQLITE_OK);
  DbPtr db(raw);
  ASSERT_TRUE(Migrate(db.get(), 2).ok());
  EXPECT_EQ(SchemaVersion(db.get()).value(), 2);
  EXPECT_FALSE(HasTable(db.get(), "api_keys"));
  Exec(db.get(),
       "INSERT INTO provider_connections (id, provider, name, priority, enabled, base_url, "
       "secret_enc, created_at, updated_at) VALUES ('conn_1', 'openai', 'work', 2, 0, "
       "'https://example.test/v1', 'v1:sealed', 111, 222)");
  Exec(db.get(),
       "INSERT INTO provider_nodes (id, name, prefix, created_at, updated_at) "
       "VALUES ('node_1', 'local', 'local', 1, 2)");

  Status s = Migrate(db.get());
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(SchemaVersion(db.get()).value(), 3);
  EXPECT_EQ(kLatestVersion, 3);
  EXPECT_TRUE(HasTable(db.get(), "api_keys"));
  EXPECT_EQ(QueryText(db.get(),
                      "SELECT provider || '|' || name || '|' || priority || '|' || enabled || '|' "
                      "|| base_url || '|' || secret_enc || '|' || created_at || '|' || updated_at "
                      "FROM provider_connections WHERE id = 'conn_1'"),
            "openai|work|2|0|https://example.test/v1|v1:sealed|111|222");
  EXPECT_EQ(QueryText(db.get(), "SELECT prefix FROM provider_nodes WHERE id = 'node_1'"), "local");

  // Column defaults: a minimal row is a key for every model that never expires.
  Exec(db.get(),
       "INSERT INTO api_keys (id, key_hash, created_at, updated_at) VALUES ('key_1', 'h', 1, 1)");
  EXPECT_EQ(QueryText(db.get(),
                      "SELECT allowed_models || expires_at || revoked || admin || last_used_at "
                      "FROM api_keys"),
            "[]0000");
  // key_hash is unique.
  EXPECT_NE(sqlite3_exec(db.get(),
                         "INSERT INTO api_keys (id, key_hash, created_at, updated_at) "
                         "VALUES ('key_2', 'h', 1, 1)",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
}

// Through OpenSqliteStore: the v2 file is backed up, upgraded, and its rows stay readable.
TEST_F(ApiKeysStoreTest, OpeningAVersion2StoreBacksUpAndKeepsConnections) {
  const std::string sealed = box_.Seal("sk-from-v2");
  {
    auto db = OpenRaw(DbPath());
    ASSERT_TRUE(Migrate(db.get(), 2).ok());
    Exec(db.get(),
         "INSERT INTO provider_connections (id, provider, name, priority, enabled, base_url, "
         "secret_enc, created_at, updated_at) VALUES ('conn_v2', 'openai', 'legacy', 3, 1, '', '" +
             sealed + "', 111, 222)");
  }
  auto store = OpenStore();
  ASSERT_TRUE(store);
  auto conn = store->GetConnection("conn_v2");
  ASSERT_TRUE(conn.ok() && conn->has_value());
  EXPECT_EQ((*conn)->name, "legacy");
  EXPECT_EQ((*conn)->secret, "sk-from-v2");
  EXPECT_EQ((*conn)->created_at, 111);
  EXPECT_TRUE(store->ListApiKeys().value().empty());
  EXPECT_TRUE(store->InsertApiKey(Key("new in v3", 'n')).ok());
  {
    auto raw = OpenRaw(DbPath());
    EXPECT_EQ(SchemaVersion(raw.get()).value(), 3);
  }
  // FakeClock starts at 1'700'000'000'000 ms = 2023-11-14 22:13:20 UTC.
  const fs::path backup = fs::path(dir_.path()) / "backups" / "storage-20231114-221320-v2.sqlite";
  ASSERT_TRUE(fs::exists(backup));
  auto old = OpenRaw(backup.string());
  EXPECT_EQ(SchemaVersion(old.get()).value(), 2);
  EXPECT_FALSE(HasTable(old.get(), "api_keys"));
  EXPECT_EQ(QueryText(old.get(), "SELECT id FROM provider_connections"), "conn_v2");
}

}  // namespace
}  // namespace omni::store
