#pragma once
// Schema migrations for the embedded SQLite store: a static, ordered, forward-only list. The
// schema version lives in `PRAGMA user_version` (in the database header, so it needs no table and
// is updated atomically with the migration's own transaction).
//
// Rules for adding one: append a new {version, name, sql} with version = previous + 1, bump
// kLatestVersion, never edit or reorder an existing entry (databases in the field already ran it),
// and add an upgrade case to tests/unit/store/migrations_test.cc.
//
// Thread-safety: functions take a sqlite3* the caller serialises access to.

#include <span>
#include <string>

#include "core/result.h"

struct sqlite3;

namespace omni::store {

struct Migration {
  int version;       // 1, 2, 3, ... in order without gaps
  const char* name;  // short description, shown in errors and logs
  const char* sql;   // one or more statements, run inside a single transaction
};

inline constexpr int kLatestVersion = 3;

// All migrations, ordered by version; the last one has version kLatestVersion.
std::span<const Migration> AllMigrations();

// Reads PRAGMA user_version (0 for a brand-new database).
Result<int> SchemaVersion(sqlite3* db);

// Error when the database was written by a newer binary (version > kLatestVersion); such a
// database must not be touched, since its newer schema may mean something this binary can't see.
Status CheckNotNewer(sqlite3* db, int version);

// Applies every migration with current < version <= target_version, each in its own
// BEGIN IMMEDIATE ... COMMIT that also sets user_version, so a crash leaves the database at a
// well-defined version. Refuses a database newer than kLatestVersion without modifying it.
// A target below the current version is a no-op (forward-only).
Status Migrate(sqlite3* db, int target_version = kLatestVersion);

// Copies the whole database behind src (including committed WAL content) to a new file at
// dest_path with SQLite's online backup API; a plain file copy could miss or tear the WAL. Taken
// before migrating an existing database. On failure the partial file is removed.
Status BackupDatabase(sqlite3* src, const std::string& dest_path);

}  // namespace omni::store
