#include "store/migrations.h"

#include <sqlite3.h>
#include <unistd.h>

#include <array>

namespace omni::store {
namespace {

// Timestamps are unix milliseconds; booleans are 0/1 INTEGERs; secrets are SecretBox-sealed text.
constexpr std::array<Migration, 3> kMigrations = {{
    {1, "provider_connections and settings",
     R"sql(
CREATE TABLE provider_connections (
  id         TEXT PRIMARY KEY NOT NULL,
  provider   TEXT NOT NULL,
  name       TEXT NOT NULL DEFAULT '',
  priority   INTEGER NOT NULL DEFAULT 1,
  enabled    INTEGER NOT NULL DEFAULT 1,
  base_url   TEXT NOT NULL DEFAULT '',
  secret_enc TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE settings (
  key   TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
);
)sql"},
    {2, "provider_nodes and provider_connections(provider) index",
     R"sql(
CREATE TABLE provider_nodes (
  id         TEXT PRIMARY KEY NOT NULL,
  name       TEXT NOT NULL DEFAULT '',
  prefix     TEXT NOT NULL UNIQUE,
  base_url   TEXT NOT NULL DEFAULT '',
  format     TEXT NOT NULL DEFAULT 'openai',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX idx_provider_connections_provider ON provider_connections(provider);
)sql"},
    // key_hash is an HMAC of the key (auth::HashApiKey), not the key; allowed_models is a JSON
    // array of patterns ('[]' = every model); expires_at 0 = never; admin 1 = may call /api/*.
    {3, "api_keys",
     R"sql(
CREATE TABLE api_keys (
  id             TEXT PRIMARY KEY NOT NULL,
  name           TEXT NOT NULL DEFAULT '',
  prefix         TEXT NOT NULL DEFAULT '',
  key_hash       TEXT NOT NULL UNIQUE,
  allowed_models TEXT NOT NULL DEFAULT '[]',
  expires_at     INTEGER NOT NULL DEFAULT 0,
  revoked        INTEGER NOT NULL DEFAULT 0,
  admin          INTEGER NOT NULL DEFAULT 0,
  budget_id      TEXT NOT NULL DEFAULT '',
  proxy          TEXT NOT NULL DEFAULT '',
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  last_used_at   INTEGER NOT NULL DEFAULT 0
);
)sql"},
}};

static_assert(kMigrations.back().version == kLatestVersion,
              "kLatestVersion must equal the last migration's version");

std::string DbPath(sqlite3* db) {
  const char* path = sqlite3_db_filename(db, "main");
  return path != nullptr && *path != '\0' ? path : ":memory:";
}

Status Exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err != nullptr ? err : sqlite3_errmsg(db);
    sqlite3_free(err);
    return Error::Internal(msg);
  }
  return {};
}

Status ApplyOne(sqlite3* db, const Migration& m) {
  auto fail = [&](const std::string& why) -> Status {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    return Error::Internal("database " + DbPath(db) + ": migration " + std::to_string(m.version) +
                           " (" + m.name + ") failed: " + why);
  };
  if (Status s = Exec(db, "BEGIN IMMEDIATE"); !s.ok()) {
    return Error::Internal("database " + DbPath(db) + ": cannot start migration " +
                           std::to_string(m.version) + ": " + s.error().message);
  }
  // Re-check under the write lock: another process may have migrated since we looked.
  Result<int> current = SchemaVersion(db);
  if (!current.ok()) return fail(current.error().message);
  if (*current >= m.version) return Exec(db, "COMMIT");
  if (*current != m.version - 1) {
    return fail("database is at schema " + std::to_string(*current) + ", expected " +
                std::to_string(m.version - 1));
  }
  if (Status s = Exec(db, m.sql); !s.ok()) return fail(s.error().message);
  std::string set_version = "PRAGMA user_version = " + std::to_string(m.version);
  if (Status s = Exec(db, set_version.c_str()); !s.ok()) return fail(s.error().message);
  if (Status s = Exec(db, "COMMIT"); !s.ok()) return fail(s.error().message);
  return {};
}

}  // namespace

std::span<const Migration> AllMigrations() { return kMigrations; }

Result<int> SchemaVersion(sqlite3* db) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, nullptr) != SQLITE_OK) {
    return Error::Internal("database " + DbPath(db) +
                           ": cannot read schema version: " + sqlite3_errmsg(db));
  }
  int rc = sqlite3_step(stmt);
  int version = rc == SQLITE_ROW ? sqlite3_column_int(stmt, 0) : 0;
  sqlite3_finalize(stmt);
  if (rc != SQLITE_ROW) {
    return Error::Internal("database " + DbPath(db) +
                           ": cannot read schema version: " + sqlite3_errmsg(db));
  }
  return version;
}

Status CheckNotNewer(sqlite3* db, int version) {
  if (version <= kLatestVersion) return {};
  return Error::Internal("database " + DbPath(db) + " was written by a newer OmniRoute (schema " +
                         std::to_string(version) + ", this binary knows " +
                         std::to_string(kLatestVersion) +
                         "); refusing to start — upgrade OmniRoute or restore a backup");
}

Status Migrate(sqlite3* db, int target_version) {
  if (target_version > kLatestVersion) {
    return Error::Internal("cannot migrate to schema " + std::to_string(target_version) +
                           ": this binary knows up to " + std::to_string(kLatestVersion));
  }
  Result<int> current = SchemaVersion(db);
  if (!current.ok()) return std::move(current).error();
  if (Status s = CheckNotNewer(db, *current); !s.ok()) return s;
  for (const Migration& m : kMigrations) {
    if (m.version <= *current || m.version > target_version) continue;
    if (Status s = ApplyOne(db, m); !s.ok()) return s;
  }
  return {};
}

Status BackupDatabase(sqlite3* src, const std::string& dest_path) {
  sqlite3* dest = nullptr;
  int rc = sqlite3_open_v2(dest_path.c_str(), &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                           nullptr);
  if (rc == SQLITE_OK) {
    sqlite3_backup* backup = sqlite3_backup_init(dest, "main", src, "main");
    if (backup == nullptr) {
      rc = sqlite3_errcode(dest);
    } else {
      sqlite3_backup_step(backup, -1);  // -1: all pages in one step, under one read snapshot
      rc = sqlite3_backup_finish(backup);
    }
  }
  std::string msg =
      rc == SQLITE_OK ? "" : (dest != nullptr ? sqlite3_errmsg(dest) : sqlite3_errstr(rc));
  if (sqlite3_close(dest) != SQLITE_OK && rc == SQLITE_OK) {
    rc = SQLITE_ERROR;
    msg = "cannot close the backup file";
  }
  if (rc != SQLITE_OK) {
    ::unlink(dest_path.c_str());
    return Error::Internal("cannot back up database " + DbPath(src) + " to " + dest_path + ": " +
                           msg);
  }
  return {};
}

}  // namespace omni::store
