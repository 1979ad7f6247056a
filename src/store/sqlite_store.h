#pragma once
// The embedded Store: one SQLite database file, <data_dir>/storage.sqlite, in WAL mode.
//
// Opening it checks the schema version (refusing databases written by a newer OmniRoute without
// touching them), checks that the SecretBox key is the one the stored secrets were sealed with,
// backs an existing database up to <data_dir>/backups/ with SQLite's online backup API before
// migrating it, and then applies pending migrations (store/migrations.h).
//
// Ownership: the returned Store owns its sqlite3 connection and a copy of the SecretBox; the
// Clock must outlive it. Thread-safety: every method takes one internal mutex (a single
// connection serialises writes anyway, and the request path never calls the Store).

#include <memory>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"
#include "store/secret_box.h"
#include "store/store.h"

namespace omni::store {

inline constexpr std::string_view kDatabaseFileName = "storage.sqlite";
inline constexpr std::string_view kBackupDirName = "backups";
// Settings key holding the JSON string SecretBox::KeyCheck() of the key in use.
inline constexpr std::string_view kKeyCheckSettingKey = "secret_key_check";

struct SqliteStoreOptions {
  std::string data_dir;                           // created when missing
  const SecretBox* box = nullptr;                 // required; copied by OpenSqliteStore
  const Clock* clock = &SystemClock::Instance();  // timestamps and backup names; must outlive
};

Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteStoreOptions& opts);

}  // namespace omni::store
