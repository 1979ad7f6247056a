#include "store/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/clock.h"
#include "store/migrations.h"

namespace omni::store {
namespace {

namespace fs = std::filesystem;

// A private directory under /tmp, removed with everything in it at scope exit.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = "/tmp/omni_sqlite_store_test_XXXXXX";
    if (::mkdtemp(tmpl.data()) == nullptr) std::abort();  // no /tmp: nothing can run
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct DbClose {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using DbPtr = std::unique_ptr<sqlite3, DbClose>;

DbPtr OpenRaw(const fs::path& path) {
  sqlite3* raw = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
  return DbPtr(raw);
}

void Exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << err;
}

int64_t CountRows(sqlite3* db, const std::string& table) {
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, ("SELECT count(*) FROM " + table).c_str(), -1, &st, nullptr);
  int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
  sqlite3_finalize(st);
  return n;
}

class SqliteStoreTest : public ::testing::Test {
 protected:
  SqliteStoreTest() : box_(SecretBox::Open(dir_.path(), "").value()) {}

  fs::path DbPath() const { return fs::path(dir_.path()) / "storage.sqlite"; }
  fs::path BackupDir() const { return fs::path(dir_.path()) / "backups"; }

  std::unique_ptr<Store> OpenStore(const SecretBox* box = nullptr) {
    auto store = OpenSqliteStore({dir_.path(), box != nullptr ? box : &box_, &clock_});
    EXPECT_TRUE(store.ok()) << store.error().message;
    return store.ok() ? std::move(store).value() : nullptr;
  }

  static ProviderConnection Conn(std::string provider, std::string secret, int priority = 1) {
    ProviderConnection c;
    c.provider = std::move(provider);
    c.name = "work";
    c.priority = priority;
    c.secret = std::move(secret);
    return c;
  }

  TempDir dir_;
  FakeClock clock_;
  SecretBox box_;
};

TEST_F(SqliteStoreTest, ConnectionCrud) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  auto a = store->InsertConnection(Conn("openai", "sk-a", 2));
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_TRUE(a->id.starts_with("conn_"));
  EXPECT_EQ(a->id.size(), 5u + 16u);
  EXPECT_EQ(a->created_at, clock_.NowUnixMs());
  EXPECT_EQ(a->updated_at, clock_.NowUnixMs());
  clock_.Advance(10);
  auto b = store->InsertConnection(Conn("anthropic", "sk-b", 1));
  ASSERT_TRUE(b.ok());

  auto list = store->ListConnections();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, b->id);  // lower priority value first
  EXPECT_EQ((*list)[1].secret, "sk-a");

  auto got = store->GetConnection(a->id);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->provider, "openai");
  EXPECT_EQ((*got)->name, "work");
  EXPECT_EQ((*got)->secret, "sk-a");
  EXPECT_TRUE((*got)->enabled);

  clock_.Advance(1000);
  ProviderConnection changed = **got;
  changed.secret = "sk-a2";
  changed.enabled = false;
  changed.base_url = "https://proxy.example/v1";
  changed.created_at = 0;  // ignored: creation time is kept
  auto updated = store->UpdateConnection(changed);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(updated->created_at, a->created_at);
  EXPECT_EQ(updated->updated_at, clock_.NowUnixMs());
  got = store->GetConnection(a->id);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->secret, "sk-a2");
  EXPECT_FALSE((*got)->enabled);
  EXPECT_EQ((*got)->base_url, "https://proxy.example/v1");
  EXPECT_EQ((*got)->updated_at, clock_.NowUnixMs());

  changed.id = "conn_missing";
  auto missing = store->UpdateConnection(changed);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().status, 404);

  ProviderConnection dup = Conn("openai", "x");
  dup.id = a->id;
  auto conflict = store->InsertConnection(dup);
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(conflict.error().status, 409);
  EXPECT_EQ(store->InsertConnection(Conn("", "x")).error().status, 400);

  EXPECT_TRUE(store->DeleteConnection(a->id).value());
  EXPECT_FALSE(store->DeleteConnection(a->id).value());
  got = store->GetConnection(a->id);
  ASSERT_TRUE(got.ok());
  EXPECT_FALSE(got->has_value());
  EXPECT_EQ(store->ListConnections()->size(), 1u);
}

TEST_F(SqliteStoreTest, NodeCrudAndPrefixConflict) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  ProviderNode node;
  node.name = "Local vLLM";
  node.prefix = "local";
  node.base_url = "http://127.0.0.1:8000/v1";
  auto a = store->InsertNode(node);
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_TRUE(a->id.starts_with("node_"));
  EXPECT_EQ(a->format, "openai");

  clock_.Advance(1);  // nodes list by creation time; ties would fall back to random ids
  node.prefix = "other";
  auto b = store->InsertNode(node);
  ASSERT_TRUE(b.ok());

  node.prefix = "local";
  auto clash = store->InsertNode(node);
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.error().status, 409);
  EXPECT_NE(clash.error().message.find("\"local\""), std::string::npos) << clash.error().message;

  ProviderNode moved = *b;
  moved.prefix = "local";
  auto update_clash = store->UpdateNode(moved);
  ASSERT_FALSE(update_clash.ok());
  EXPECT_EQ(update_clash.error().status, 409);

  clock_.Advance(5);
  moved.prefix = "renamed";
  moved.format = "anthropic";
  auto updated = store->UpdateNode(moved);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(updated->created_at, b->created_at);
  auto got = store->GetNode(b->id);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->prefix, "renamed");
  EXPECT_EQ((*got)->format, "anthropic");
  EXPECT_EQ((*got)->updated_at, clock_.NowUnixMs());

  moved.id = "node_missing";
  EXPECT_EQ(store->UpdateNode(moved).error().status, 404);

  auto list = store->ListNodes();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, a->id);
  EXPECT_TRUE(store->DeleteNode(a->id).value());
  EXPECT_FALSE(store->DeleteNode(a->id).value());
  EXPECT_FALSE(store->GetNode(a->id)->has_value());
  // The prefix is free again once its node is gone.
  node.prefix = "local";
  EXPECT_TRUE(store->InsertNode(node).ok());
}

TEST_F(SqliteStoreTest, Settings) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  EXPECT_FALSE(store->GetSetting("theme")->has_value());
  ASSERT_TRUE(store->PutSetting("theme", "\"dark\"").ok());
  ASSERT_TRUE(store->PutSetting("theme", "\"light\"").ok());
  EXPECT_EQ(store->GetSetting("theme").value().value(), "\"light\"");
  EXPECT_EQ(store->GetSetting(std::string(kKeyCheckSettingKey)).value().value(),
            "\"" + box_.KeyCheck() + "\"");
}

TEST_F(SqliteStoreTest, SecretIsNeverStoredInPlaintext) {
  const std::string secret = "sk-live-SUPERSECRET-0123456789";
  auto store = OpenStore();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->InsertConnection(Conn("openai", secret)).ok());
  // Before the checkpoint the row lives in the WAL file; after it, in the main file.
  for (const char* suffix : {"", "-wal"}) {
    EXPECT_EQ(ReadFile(DbPath().string() + suffix).find(secret), std::string::npos) << suffix;
  }
  ASSERT_TRUE(store->Flush().ok());
  EXPECT_EQ(fs::file_size(DbPath().string() + "-wal"), 0u);  // TRUNCATE checkpoint
  EXPECT_EQ(ReadFile(DbPath()).find(secret), std::string::npos);

  auto raw = OpenRaw(DbPath());
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(raw.get(), "SELECT secret_enc FROM provider_connections", -1, &st, nullptr);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  std::string stored = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  EXPECT_TRUE(stored.starts_with("v1:"));
  EXPECT_EQ(stored.find(secret), std::string::npos);
  EXPECT_EQ(box_.Open(stored).value(), secret);
}

TEST_F(SqliteStoreTest, FreshDatabaseSettingsAndNoBackup) {
  ASSERT_TRUE(OpenStore());
  EXPECT_FALSE(fs::exists(BackupDir()));
  auto raw = OpenRaw(DbPath());
  EXPECT_EQ(SchemaVersion(raw.get()).value(), kLatestVersion);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(raw.get(), "PRAGMA journal_mode", -1, &st, nullptr);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), "wal");
  sqlite3_finalize(st);
  struct stat sb {};
  ASSERT_EQ(::stat(DbPath().c_str(), &sb), 0);
  EXPECT_EQ(sb.st_mode & 0777, 0600u);
}

TEST_F(SqliteStoreTest, RestartKeepsEverything) {
  std::string conn_id, node_id;
  {
    auto store = OpenStore();
    ASSERT_TRUE(store);
    conn_id = store->InsertConnection(Conn("gemini", "g-key")).value().id;
    ProviderNode node;
    node.prefix = "local";
    node_id = store->InsertNode(node).value().id;
    ASSERT_TRUE(store->PutSetting("k", "42").ok());
  }
  auto box_again = SecretBox::Open(dir_.path(), "");  // re-reads secret.key
  ASSERT_TRUE(box_again.ok());
  auto store = OpenStore(&*box_again);
  ASSERT_TRUE(store);
  auto conn = store->GetConnection(conn_id);
  ASSERT_TRUE(conn.ok() && conn->has_value());
  EXPECT_EQ((*conn)->secret, "g-key");
  EXPECT_EQ(store->GetNode(node_id).value()->prefix, "local");
  EXPECT_EQ(store->GetSetting("k").value().value(), "42");
  EXPECT_FALSE(fs::exists(BackupDir()));  // nothing to migrate, nothing to back up
}

TEST_F(SqliteStoreTest, DifferentKeyIsRefused) {
  {
    auto a = SecretBox::Open(dir_.path(), "secret-a");
    auto store = OpenStore(&*a);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->InsertConnection(Conn("openai", "sk")).ok());
  }
  auto b = SecretBox::Open(dir_.path(), "secret-b");
  auto store = OpenSqliteStore({dir_.path(), &*b, &clock_});
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("different key"), std::string::npos)
      << store.error().message;
  // The original key still works.
  auto a = SecretBox::Open(dir_.path(), "secret-a");
  EXPECT_TRUE(OpenStore(&*a));
}

TEST_F(SqliteStoreTest, ReplacedKeyFileIsRefused) {
  ASSERT_TRUE(OpenStore());
  fs::remove(fs::path(dir_.path()) / "secret.key");
  auto fresh_key = SecretBox::Open(dir_.path(), "");
  ASSERT_TRUE(fresh_key.ok());
  auto store = OpenSqliteStore({dir_.path(), &*fresh_key, &clock_});
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("secret.key replaced"), std::string::npos);
}

TEST_F(SqliteStoreTest, UpgradeFromVersion1BacksUpAndKeepsRows) {
  const std::string sealed = box_.Seal("sk-from-v1");
  {
    auto db = OpenRaw(DbPath());
    ASSERT_TRUE(Migrate(db.get(), 1).ok());
    Exec(db.get(),
         "INSERT INTO provider_connections (id, provider, name, priority, enabled, base_url, "
         "secret_enc, created_at, updated_at) VALUES ('conn_old', 'openai', 'legacy', 3, 1, '', '" +
             sealed + "', 111, 222)");
    Exec(db.get(), "INSERT INTO settings (key, value) VALUES ('theme', '\"dark\"')");
  }
  // FakeClock starts at 1'700'000'000'000 ms = 2023-11-14 22:13:20 UTC.
  auto store = OpenStore();
  ASSERT_TRUE(store);
  auto conn = store->GetConnection("conn_old");
  ASSERT_TRUE(conn.ok() && conn->has_value());
  EXPECT_EQ((*conn)->name, "legacy");
  EXPECT_EQ((*conn)->priority, 3);
  EXPECT_EQ((*conn)->secret, "sk-from-v1");
  EXPECT_EQ((*conn)->created_at, 111);
  EXPECT_EQ(store->GetSetting("theme").value().value(), "\"dark\"");
  ProviderNode node;
  node.prefix = "new-in-v2";
  EXPECT_TRUE(store->InsertNode(node).ok());
  {
    auto raw = OpenRaw(DbPath());
    EXPECT_EQ(SchemaVersion(raw.get()).value(), kLatestVersion);
  }

  const fs::path backup = BackupDir() / "storage-20231114-221320-v1.sqlite";
  ASSERT_TRUE(fs::exists(backup));
  EXPECT_EQ(std::distance(fs::directory_iterator(BackupDir()), fs::directory_iterator()), 1);
  auto old = OpenRaw(backup);
  EXPECT_EQ(SchemaVersion(old.get()).value(), 1);
  EXPECT_EQ(CountRows(old.get(), "provider_connections"), 1);
  EXPECT_EQ(CountRows(old.get(), "settings"), 1);
  EXPECT_EQ(CountRows(old.get(), "provider_nodes"), -1);  // no such table at v1
}

TEST_F(SqliteStoreTest, NewerDatabaseIsRefusedAndLeftUntouched) {
  {
    auto db = OpenRaw(DbPath());
    Exec(db.get(),
         "CREATE TABLE future (x); INSERT INTO future VALUES (1); "
         "PRAGMA user_version = 999");
  }
  const std::string before = ReadFile(DbPath());
  struct stat st_before {};
  ASSERT_EQ(::stat(DbPath().c_str(), &st_before), 0);

  auto store = OpenSqliteStore({dir_.path(), &box_, &clock_});
  ASSERT_FALSE(store.ok());
  const std::string& msg = store.error().message;
  EXPECT_NE(msg.find("written by a newer OmniRoute (schema 999, this binary knows " +
                     std::to_string(kLatestVersion) + ")"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find(DbPath().string()), std::string::npos) << msg;

  struct stat st_after {};
  ASSERT_EQ(::stat(DbPath().c_str(), &st_after), 0);
  EXPECT_EQ(ReadFile(DbPath()), before);
  EXPECT_EQ(st_after.st_mtim.tv_sec, st_before.st_mtim.tv_sec);
  EXPECT_EQ(st_after.st_mtim.tv_nsec, st_before.st_mtim.tv_nsec);
  EXPECT_EQ(st_after.st_mode, st_before.st_mode);
  EXPECT_FALSE(fs::exists(DbPath().string() + "-wal"));
  EXPECT_FALSE(fs::exists(BackupDir()));
}

}  // namespace
}  // namespace omni::store
