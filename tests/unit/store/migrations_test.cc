#include "store/migrations.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <memory>
#include <string>

namespace omni::store {
namespace {

struct DbClose {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using DbPtr = std::unique_ptr<sqlite3, DbClose>;

// Migrations are plain SQL, so an in-memory database exercises them fully.
DbPtr OpenMemoryDb() {
  sqlite3* raw = nullptr;
  EXPECT_EQ(sqlite3_open(":memory:", &raw), SQLITE_OK);
  return DbPtr(raw);
}

void Exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << err;
}

bool HasObject(sqlite3* db, const std::string& type, const std::string& name) {
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type = ?1 AND name = ?2", -1, &st,
                     nullptr);
  sqlite3_bind_text(st, 1, type.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, name.c_str(), -1, SQLITE_TRANSIENT);
  bool found = sqlite3_step(st) == SQLITE_ROW;
  sqlite3_finalize(st);
  return found;
}

int Version(sqlite3* db) {
  auto v = SchemaVersion(db);
  EXPECT_TRUE(v.ok());
  return v.ok() ? *v : -1;
}

TEST(MigrationsTest, ListIsOrderedWithoutGapsAndEndsAtLatest) {
  auto all = AllMigrations();
  ASSERT_FALSE(all.empty());
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].version, static_cast<int>(i) + 1);
    EXPECT_NE(std::string(all[i].name), "");
  }
  EXPECT_EQ(all.back().version, kLatestVersion);
}

TEST(MigrationsTest, FreshDatabaseMigratesToLatest) {
  auto db = OpenMemoryDb();
  EXPECT_EQ(Version(db.get()), 0);
  Status s = Migrate(db.get());
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(Version(db.get()), kLatestVersion);
  EXPECT_TRUE(HasObject(db.get(), "table", "provider_connections"));
  EXPECT_TRUE(HasObject(db.get(), "table", "settings"));
  EXPECT_TRUE(HasObject(db.get(), "table", "provider_nodes"));
  EXPECT_TRUE(HasObject(db.get(), "index", "idx_provider_connections_provider"));
  // Running again is a no-op.
  ASSERT_TRUE(Migrate(db.get()).ok());
  EXPECT_EQ(Version(db.get()), kLatestVersion);
}

TEST(MigrationsTest, StepwiseMigrationKeepsRows) {
  auto db = OpenMemoryDb();
  ASSERT_TRUE(Migrate(db.get(), 1).ok());
  EXPECT_EQ(Version(db.get()), 1);
  EXPECT_TRUE(HasObject(db.get(), "table", "provider_connections"));
  EXPECT_FALSE(HasObject(db.get(), "table", "provider_nodes"));
  Exec(db.get(),
       "INSERT INTO provider_connections (id, provider, created_at, updated_at) "
       "VALUES ('conn_1', 'openai', 1, 2)");
  ASSERT_TRUE(Migrate(db.get()).ok());
  EXPECT_EQ(Version(db.get()), kLatestVersion);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db.get(), "SELECT provider, priority, enabled FROM provider_connections", -1,
                     &st, nullptr);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), "openai");
  EXPECT_EQ(sqlite3_column_int(st, 1), 1);  // column defaults apply
  EXPECT_EQ(sqlite3_column_int(st, 2), 1);
  sqlite3_finalize(st);
}

TEST(MigrationsTest, LowerTargetIsNoOp) {
  auto db = OpenMemoryDb();
  ASSERT_TRUE(Migrate(db.get()).ok());
  ASSERT_TRUE(Migrate(db.get(), 1).ok());
  EXPECT_EQ(Version(db.get()), kLatestVersion);
}

TEST(MigrationsTest, TargetBeyondLatestIsRejected) {
  auto db = OpenMemoryDb();
  EXPECT_FALSE(Migrate(db.get(), kLatestVersion + 1).ok());
  EXPECT_EQ(Version(db.get()), 0);
}

TEST(MigrationsTest, NewerDatabaseIsRefusedUntouched) {
  auto db = OpenMemoryDb();
  Exec(db.get(), "CREATE TABLE future (x); PRAGMA user_version = 999");
  Status s = Migrate(db.get());
  ASSERT_FALSE(s.ok());
  const std::string& msg = s.error().message;
  EXPECT_NE(msg.find("newer OmniRoute"), std::string::npos) << msg;
  EXPECT_NE(msg.find("schema 999"), std::string::npos) << msg;
  EXPECT_NE(msg.find("knows " + std::to_string(kLatestVersion)), std::string::npos) << msg;
  EXPECT_NE(msg.find("refusing to start"), std::string::npos) << msg;
  EXPECT_EQ(Version(db.get()), 999);
  EXPECT_FALSE(HasObject(db.get(), "table", "provider_connections"));
  EXPECT_TRUE(CheckNotNewer(db.get(), kLatestVersion).ok());
  EXPECT_FALSE(CheckNotNewer(db.get(), kLatestVersion + 1).ok());
}

TEST(MigrationsTest, FailedMigrationRollsBackAndKeepsVersion) {
  auto db = OpenMemoryDb();
  ASSERT_TRUE(Migrate(db.get(), 1).ok());
  // A stray index with the name migration 2 uses makes its second statement fail, after its
  // first one (CREATE TABLE provider_nodes) already ran.
  Exec(db.get(), "CREATE INDEX idx_provider_connections_provider ON provider_connections(name)");
  Status s = Migrate(db.get());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("migration 2"), std::string::npos) << s.error().message;
  EXPECT_EQ(Version(db.get()), 1);
  EXPECT_FALSE(HasObject(db.get(), "table", "provider_nodes"));
  EXPECT_EQ(sqlite3_get_autocommit(db.get()), 1);  // no transaction left open
}

}  // namespace
}  // namespace omni::store
