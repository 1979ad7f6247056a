#include "store/sqlite_store.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <ctime>
#include <filesystem>
#include <mutex>
#include <unordered_map>
#include <utility>

#include "core/random.h"
#include "store/migrations.h"

namespace omni::store {
namespace {

namespace fs = std::filesystem;

constexpr int kBusyTimeoutMs = 5000;

struct DbClose {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtFinalize {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using DbPtr = std::unique_ptr<sqlite3, DbClose>;
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtFinalize>;

// Statements are cached by the address of these literals (see SqliteStore::Use).
constexpr const char* kListConnections =
    "SELECT id, provider, name, priority, enabled, base_url, secret_enc, created_at, updated_at "
    "FROM provider_connections ORDER BY priority, created_at, id";
constexpr const char* kGetConnection =
    "SELECT id, provider, name, priority, enabled, base_url, secret_enc, created_at, updated_at "
    "FROM provider_connections WHERE id = ?1";
constexpr const char* kInsertConnection =
    "INSERT INTO provider_connections (id, provider, name, priority, enabled, base_url, "
    "secret_enc, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
// ?8 (created_at) is bound but unused: an update never replaces the creation time.
constexpr const char* kUpdateConnection =
    "UPDATE provider_connections SET provider = ?2, name = ?3, priority = ?4, enabled = ?5, "
    "base_url = ?6, secret_enc = ?7, updated_at = ?9 WHERE id = ?1 RETURNING created_at";
constexpr const char* kDeleteConnection = "DELETE FROM provider_connections WHERE id = ?1";

constexpr const char* kListNodes =
    "SELECT id, name, prefix, base_url, format, created_at, updated_at FROM provider_nodes "
    "ORDER BY created_at, id";
constexpr const char* kGetNode =
    "SELECT id, name, prefix, base_url, format, created_at, updated_at FROM provider_nodes "
    "WHERE id = ?1";
constexpr const char* kInsertNode =
    "INSERT INTO provider_nodes (id, name, prefix, base_url, format, created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
constexpr const char* kUpdateNode =
    "UPDATE provider_nodes SET name = ?2, prefix = ?3, base_url = ?4, format = ?5, "
    "updated_at = ?7 WHERE id = ?1 RETURNING created_at";
constexpr const char* kDeleteNode = "DELETE FROM provider_nodes WHERE id = ?1";

constexpr const char* kListApiKeys =
    "SELECT id, name, prefix, key_hash, allowed_models, expires_at, revoked, admin, budget_id, "
    "proxy, created_at, updated_at, last_used_at FROM api_keys ORDER BY created_at, id";
constexpr const char* kGetApiKey =
    "SELECT id, name, prefix, key_hash, allowed_models, expires_at, revoked, admin, budget_id, "
    "proxy, created_at, updated_at, last_used_at FROM api_keys WHERE id = ?1";
constexpr const char* kInsertApiKey =
    "INSERT INTO api_keys (id, name, prefix, key_hash, allowed_models, expires_at, revoked, admin, "
    "budget_id, proxy, created_at, updated_at, last_used_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
// ?11 (created_at) is bound but unused. last_used_at only moves forward: an admin edit based on
// an older read must not undo a newer "used at" recorded meanwhile.
constexpr const char* kUpdateApiKey =
    "UPDATE api_keys SET name = ?2, prefix = ?3, key_hash = ?4, allowed_models = ?5, "
    "expires_at = ?6, revoked = ?7, admin = ?8, budget_id = ?9, proxy = ?10, updated_at = ?12, "
    "last_used_at = max(last_used_at, ?13) WHERE id = ?1 RETURNING created_at, last_used_at";
constexpr const char* kDeleteApiKey = "DELETE FROM api_keys WHERE id = ?1";

constexpr const char* kGetSetting = "SELECT value FROM settings WHERE key = ?1";
constexpr const char* kPutSetting =
    "INSERT INTO settings (key, value) VALUES (?1, ?2) "
    "ON CONFLICT(key) DO UPDATE SET value = excluded.value";
constexpr const char* kCheckpoint = "PRAGMA wal_checkpoint(TRUNCATE)";

Error Conflict(std::string message) {
  return {409, "invalid_request_error", "conflict", std::move(message)};
}

Error DbError(sqlite3* db, std::string_view what) {
  return Error::Internal("store: " + std::string(what) + ": " + sqlite3_errmsg(db));
}

Status Exec(sqlite3* db, const char* sql) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) return DbError(db, sql);
  return {};
}

void BindText(sqlite3_stmt* s, int i, std::string_view v) {
  sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}

std::string ColumnText(sqlite3_stmt* s, int i) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
  return p != nullptr ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(s, i)))
                      : std::string();
}

// A cached statement checked out for one use; reset and unbound on scope exit so the next use
// starts clean and no read transaction is left open.
class ScopedStmt {
 public:
  explicit ScopedStmt(sqlite3_stmt* s) : s_(s) {}
  ScopedStmt(ScopedStmt&& o) noexcept : s_(std::exchange(o.s_, nullptr)) {}
  ScopedStmt& operator=(ScopedStmt&&) = delete;
  ~ScopedStmt() {
    if (s_ == nullptr) return;
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  sqlite3_stmt* get() const { return s_; }

 private:
  sqlite3_stmt* s_;
};

// BEGIN IMMEDIATE takes the write lock up front, so a write never fails half-way with
// SQLITE_BUSY on lock upgrade; rolls back unless Commit() succeeded.
class WriteTxn {
 public:
  explicit WriteTxn(sqlite3* db) : db_(db) {}
  WriteTxn(const WriteTxn&) = delete;
  WriteTxn& operator=(const WriteTxn&) = delete;
  ~WriteTxn() {
    if (active_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  Status Begin() {
    if (Status s = Exec(db_, "BEGIN IMMEDIATE"); !s.ok()) return s;
    active_ = true;
    return {};
  }
  Status Commit() {
    if (Status s = Exec(db_, "COMMIT"); !s.ok()) return s;
    active_ = false;
    return {};
  }

 private:
  sqlite3* db_;
  bool active_ = false;
};

class SqliteStore final : public Store {
 public:
  SqliteStore(DbPtr db, const SecretBox& box, const Clock* clock)
      : db_(std::move(db)), box_(box), clock_(clock) {}
  ~SqliteStore() override { stmts_.clear(); }  // finalize before db_ closes

  Result<std::vector<ProviderConnection>> ListConnections() override {
    std::lock_guard lock(mu_);
    return Query(kListConnections, nullptr, &SqliteStore::ReadConnection);
  }

  Result<std::optional<ProviderConnection>> GetConnection(const std::string& id) override {
    std::lock_guard lock(mu_);
    return First(Query(kGetConnection, &id, &SqliteStore::ReadConnection));
  }

  Result<ProviderConnection> InsertConnection(ProviderConnection conn) override {
    if (conn.provider.empty()) return Error::InvalidRequest("connection provider is required");
    if (conn.id.empty()) conn.id = NewId("conn");
    const int64_t now = clock_->NowUnixMs();
    if (conn.created_at == 0) conn.created_at = now;
    if (conn.updated_at == 0) conn.updated_at = now;
    return WriteConnection(std::move(conn), kInsertConnection);
  }

  Result<ProviderConnection> UpdateConnection(ProviderConnection conn) override {
    if (conn.provider.empty()) return Error::InvalidRequest("connection provider is required");
    conn.updated_at = clock_->NowUnixMs();
    return WriteConnection(std::move(conn), kUpdateConnection);
  }

  Result<bool> DeleteConnection(const std::string& id) override {
    return DeleteById(kDeleteConnection, id);
  }

  Result<std::vector<ProviderNode>> ListNodes() override {
    std::lock_guard lock(mu_);
    return Query(kListNodes, nullptr, &SqliteStore::ReadNode);
  }

  Result<std::optional<ProviderNode>> GetNode(const std::string& id) override {
    std::lock_guard lock(mu_);
    return First(Query(kGetNode, &id, &SqliteStore::ReadNode));
  }

  Result<ProviderNode> InsertNode(ProviderNode node) override {
    if (node.prefix.empty()) return Error::InvalidRequest("provider node prefix is required");
    if (node.id.empty()) node.id = NewId("node");
    const int64_t now = clock_->NowUnixMs();
    if (node.created_at == 0) node.created_at = now;
    if (node.updated_at == 0) node.updated_at = now;
    return WriteNode(std::move(node), kInsertNode);
  }

  Result<ProviderNode> UpdateNode(ProviderNode node) override {
    if (node.prefix.empty()) return Error::InvalidRequest("provider node prefix is required");
    node.updated_at = clock_->NowUnixMs();
    return WriteNode(std::move(node), kUpdateNode);
  }

  Result<bool> DeleteNode(const std::string& id) override { return DeleteById(kDeleteNode, id); }

  Result<std::vector<ApiKey>> ListApiKeys() override {
    std::lock_guard lock(mu_);
    return Query(kListApiKeys, nullptr, &SqliteStore::ReadApiKey);
  }

  Result<std::optional<ApiKey>> GetApiKey(const std::string& id) override {
    std::lock_guard lock(mu_);
    return First(Query(kGetApiKey, &id, &SqliteStore::ReadApiKey));
  }

  Result<ApiKey> InsertApiKey(ApiKey key) override {
    if (key.key_hash.empty()) return Error::InvalidRequest("api key hash is required");
    if (key.id.empty()) key.id = NewId("key");
    const int64_t now = clock_->NowUnixMs();
    if (key.created_at == 0) key.created_at = now;
    if (key.updated_at == 0) key.updated_at = now;
    return WriteApiKey(std::move(key), kInsertApiKey);
  }

  Result<ApiKey> UpdateApiKey(ApiKey key) override {
    if (key.key_hash.empty()) return Error::InvalidRequest("api key hash is required");
    key.updated_at = clock_->NowUnixMs();
    return WriteApiKey(std::move(key), kUpdateApiKey);
  }

  Result<bool> DeleteApiKey(const std::string& id) override {
    return DeleteById(kDeleteApiKey, id);
  }

  Result<std::optional<std::string>> GetSetting(const std::string& key) override {
    std::lock_guard lock(mu_);
    return GetSettingLocked(key);
  }

  Status PutSetting(const std::string& key, const std::string& json_value) override {
    std::lock_guard lock(mu_);
    return PutSettingLocked(key, json_value);
  }

  Status Flush() override {
    std::lock_guard lock(mu_);
    auto st = Use(kCheckpoint);
    if (!st.ok()) return std::move(st).error();
    if (sqlite3_step(st->get()) != SQLITE_ROW) return DbError(db_.get(), "checkpoint");
    // Columns: busy, wal frames, checkpointed frames. busy = another connection held it off.
    if (sqlite3_column_int(st->get(), 0) != 0) {
      return Error::Internal("store: WAL checkpoint could not complete (database busy)");
    }
    return {};
  }

  // The *Locked variants are also used while opening, before the store is shared.
  Result<std::optional<std::string>> GetSettingLocked(const std::string& key) {
    return First(Query(kGetSetting, &key, &SqliteStore::ReadValue));
  }

  Status PutSettingLocked(const std::string& key, const std::string& json_value) {
    WriteTxn txn(db_.get());
    if (Status s = txn.Begin(); !s.ok()) return s;
    auto st = Use(kPutSetting);
    if (!st.ok()) return std::move(st).error();
    BindText(st->get(), 1, key);
    BindText(st->get(), 2, json_value);
    if (sqlite3_step(st->get()) != SQLITE_DONE) return DbError(db_.get(), "put setting");
    return txn.Commit();
  }

 private:
  // Runs a SELECT, with ?1 bound to *id when given, converting every row with read.
  template <typename Row>
  Result<std::vector<Row>> Query(const char* sql, const std::string* id,
                                 Result<Row> (SqliteStore::*read)(sqlite3_stmt*)) {
    auto st = Use(sql);
    if (!st.ok()) return std::move(st).error();
    if (id != nullptr) BindText(st->get(), 1, *id);
    std::vector<Row> out;
    int rc;
    while ((rc = sqlite3_step(st->get())) == SQLITE_ROW) {
      auto row = (this->*read)(st->get());
      if (!row.ok()) return std::move(row).error();
      out.push_back(std::move(row).value());
    }
    if (rc != SQLITE_DONE) return DbError(db_.get(), "query");
    return out;
  }

  template <typename Row>
  static Result<std::optional<Row>> First(Result<std::vector<Row>> rows) {
    if (!rows.ok()) return std::move(rows).error();
    if (rows->empty()) return std::optional<Row>();
    return std::optional<Row>(std::move(rows->front()));
  }

  Result<ScopedStmt> Use(const char* sql) {
    auto it = stmts_.find(sql);
    if (it == stmts_.end()) {
      sqlite3_stmt* raw = nullptr;
      if (sqlite3_prepare_v3(db_.get(), sql, -1, SQLITE_PREPARE_PERSISTENT, &raw, nullptr) !=
          SQLITE_OK) {
        return DbError(db_.get(), "prepare");
      }
      it = stmts_.emplace(sql, StmtPtr(raw)).first;
    }
    return ScopedStmt(it->second.get());
  }

  Result<ProviderConnection> ReadConnection(sqlite3_stmt* s) {
    ProviderConnection c;
    c.id = ColumnText(s, 0);
    c.provider = ColumnText(s, 1);
    c.name = ColumnText(s, 2);
    c.priority = sqlite3_column_int(s, 3);
    c.enabled = sqlite3_column_int(s, 4) != 0;
    c.base_url = ColumnText(s, 5);
    std::string sealed = ColumnText(s, 6);
    c.created_at = sqlite3_column_int64(s, 7);
    c.updated_at = sqlite3_column_int64(s, 8);
    if (!sealed.empty()) {
      auto secret = box_.Open(sealed);
      if (!secret.ok()) {
        return Error::Internal("store: secret of connection " + c.id +
                               " cannot be decrypted: " + secret.error().message);
      }
      c.secret = std::move(secret).value();
    }
    return c;
  }

  Result<std::string> ReadValue(sqlite3_stmt* s) { return ColumnText(s, 0); }

  Result<ProviderNode> ReadNode(sqlite3_stmt* s) {
    ProviderNode n;
    n.id = ColumnText(s, 0);
    n.name = ColumnText(s, 1);
    n.prefix = ColumnText(s, 2);
    n.base_url = ColumnText(s, 3);
    n.format = ColumnText(s, 4);
    n.created_at = sqlite3_column_int64(s, 5);
    n.updated_at = sqlite3_column_int64(s, 6);
    return n;
  }

  Result<ApiKey> ReadApiKey(sqlite3_stmt* s) {
    ApiKey k;
    k.id = ColumnText(s, 0);
    k.name = ColumnText(s, 1);
    k.prefix = ColumnText(s, 2);
    k.key_hash = ColumnText(s, 3);
    const std::string models = ColumnText(s, 4);
    k.expires_at = sqlite3_column_int64(s, 5);
    k.revoked = sqlite3_column_int(s, 6) != 0;
    k.admin = sqlite3_column_int(s, 7) != 0;
    k.budget_id = ColumnText(s, 8);
    k.proxy = ColumnText(s, 9);
    k.created_at = sqlite3_column_int64(s, 10);
    k.updated_at = sqlite3_column_int64(s, 11);
    k.last_used_at = sqlite3_column_int64(s, 12);
    boost::system::error_code ec;
    const boost::json::value v = boost::json::parse(models, ec);
    const boost::json::array* list = ec ? nullptr : v.if_array();
    bool ok = list != nullptr;
    if (ok) {
      for (const auto& item : *list) {
        if (!item.is_string()) {
          ok = false;
          break;
        }
        k.allowed_models.emplace_back(item.get_string());
      }
    }
    if (!ok) {
      return Error::Internal("store: allowed_models of api key " + k.id +
                             " is not a JSON array of strings");
    }
    return k;
  }

  // Runs an INSERT (sql has no RETURNING) or an UPDATE ... RETURNING created_at (and, for rows
  // that have it, last_used_at); for an UPDATE, no row back means no such id.
  // unique_conflict: the message for a UNIQUE violation on a non-key column.
  template <typename Row, typename BindFn>
  Result<Row> WriteRow(Row row, const char* sql, bool is_update, BindFn bind, std::string_view kind,
                       std::string_view unique_conflict = {}) {
    std::lock_guard lock(mu_);
    WriteTxn txn(db_.get());
    if (Status s = txn.Begin(); !s.ok()) return std::move(s).error();
    auto st = Use(sql);
    if (!st.ok()) return std::move(st).error();
    bind(st->get(), row);
    int rc = sqlite3_step(st->get());
    if (is_update && rc == SQLITE_ROW) {
      row.created_at = sqlite3_column_int64(st->get(), 0);
      if constexpr (requires { row.last_used_at; }) {
        row.last_used_at = sqlite3_column_int64(st->get(), 1);
      }
      rc = sqlite3_step(st->get());
    } else if (is_update && rc == SQLITE_DONE) {
      return Error::NotFound(std::string(kind) + " " + row.id + " not found");
    }
    if (rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
      return Conflict(std::string(kind) + " " + row.id + " already exists");
    }
    if (rc == SQLITE_CONSTRAINT_UNIQUE && !unique_conflict.empty()) {
      return Conflict(std::string(unique_conflict));
    }
    if (rc != SQLITE_DONE) return DbError(db_.get(), "write " + std::string(kind));
    if (Status s = txn.Commit(); !s.ok()) return std::move(s).error();
    return row;
  }

  Result<ProviderConnection> WriteConnection(ProviderConnection conn, const char* sql) {
    // Sealed outside the lock: AES-GCM needs no database state.
    const std::string sealed = box_.Seal(conn.secret);
    auto bind = [&sealed](sqlite3_stmt* s, const ProviderConnection& c) {
      BindText(s, 1, c.id);
      BindText(s, 2, c.provider);
      BindText(s, 3, c.name);
      sqlite3_bind_int(s, 4, c.priority);
      sqlite3_bind_int(s, 5, c.enabled ? 1 : 0);
      BindText(s, 6, c.base_url);
      BindText(s, 7, sealed);
      sqlite3_bind_int64(s, 8, c.created_at);
      sqlite3_bind_int64(s, 9, c.updated_at);
    };
    return WriteRow(std::move(conn), sql, sql == kUpdateConnection, bind, "connection");
  }

  Result<ProviderNode> WriteNode(ProviderNode node, const char* sql) {
    auto bind = [](sqlite3_stmt* s, const ProviderNode& n) {
      BindText(s, 1, n.id);
      BindText(s, 2, n.name);
      BindText(s, 3, n.prefix);
      BindText(s, 4, n.base_url);
      BindText(s, 5, n.format);
      sqlite3_bind_int64(s, 6, n.created_at);
      sqlite3_bind_int64(s, 7, n.updated_at);
    };
    // The only UNIQUE column besides the primary key is prefix.
    std::string conflict =
        "provider node prefix \"" + node.prefix + "\" is already used by another node";
    return WriteRow(std::move(node), sql, sql == kUpdateNode, bind, "provider node", conflict);
  }

  Result<ApiKey> WriteApiKey(ApiKey key, const char* sql) {
    boost::json::array models;
    for (const auto& m : key.allowed_models) models.emplace_back(m);
    const std::string models_json = boost::json::serialize(models);
    auto bind = [&models_json](sqlite3_stmt* s, const ApiKey& k) {
      BindText(s, 1, k.id);
      BindText(s, 2, k.name);
      BindText(s, 3, k.prefix);
      BindText(s, 4, k.key_hash);
      BindText(s, 5, models_json);
      sqlite3_bind_int64(s, 6, k.expires_at);
      sqlite3_bind_int(s, 7, k.revoked ? 1 : 0);
      sqlite3_bind_int(s, 8, k.admin ? 1 : 0);
      BindText(s, 9, k.budget_id);
      BindText(s, 10, k.proxy);
      sqlite3_bind_int64(s, 11, k.created_at);
      sqlite3_bind_int64(s, 12, k.updated_at);
      sqlite3_bind_int64(s, 13, k.last_used_at);
    };
    // The only UNIQUE column besides the primary key is key_hash. The hash is not echoed: it is
    // of no use to the caller and need not appear in logs.
    return WriteRow(std::move(key), sql, sql == kUpdateApiKey, bind, "api key",
                    "api key hash is already used by another key");
  }

  Result<bool> DeleteById(const char* sql, const std::string& id) {
    std::lock_guard lock(mu_);
    WriteTxn txn(db_.get());
    if (Status s = txn.Begin(); !s.ok()) return std::move(s).error();
    auto st = Use(sql);
    if (!st.ok()) return std::move(st).error();
    BindText(st->get(), 1, id);
    if (sqlite3_step(st->get()) != SQLITE_DONE) return DbError(db_.get(), "delete");
    const bool deleted = sqlite3_changes(db_.get()) > 0;
    if (Status s = txn.Commit(); !s.ok()) return std::move(s).error();
    return deleted;
  }

  std::mutex mu_;
  DbPtr db_;
  SecretBox box_;
  const Clock* clock_;
  // Keyed by the address of the static SQL text.
  std::unordered_map<const char*, StmtPtr> stmts_;
};

std::string KeyCheckJson(const SecretBox& box) { return "\"" + box.KeyCheck() + "\""; }

// Copies the live database into backups/storage-<UTC time>-v<old>.sqlite before migrating.
Status BackupBeforeMigration(sqlite3* src, const fs::path& data_dir, int old_version,
                             const Clock& clock) {
  const fs::path dir = data_dir / kBackupDirName;
  std::error_code ec;
  if (fs::create_directory(dir, ec)) {
    fs::permissions(dir, fs::perms::owner_all, ec);  // holds settings: owner only
  }
  if (ec) return Error::Internal("cannot create backup directory " + dir.string());
  const time_t secs = static_cast<time_t>(clock.NowUnixMs() / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
  const std::string base = std::string("storage-") + stamp + "-v" + std::to_string(old_version);
  fs::path path = dir / (base + ".sqlite");
  for (int i = 2; fs::exists(path, ec); ++i)
    path = dir / (base + "-" + std::to_string(i) + ".sqlite");

  return BackupDatabase(src, path.string());
}

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteStoreOptions& opts) {
  if (opts.box == nullptr) return Error::Internal("OpenSqliteStore: a SecretBox is required");
  if (opts.data_dir.empty()) return Error::Internal("OpenSqliteStore: data_dir is empty");
  const Clock& clock = opts.clock != nullptr ? *opts.clock : SystemClock::Instance();
  std::error_code ec;
  fs::create_directories(opts.data_dir, ec);
  if (ec) return Error::Internal("cannot create data directory " + opts.data_dir);
  const fs::path path = fs::path(opts.data_dir) / kDatabaseFileName;
  const bool fresh = !fs::exists(path, ec) || fs::file_size(path, ec) == 0;

  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  DbPtr db(raw);
  if (rc != SQLITE_OK) {
    return Error::Internal("cannot open database " + path.string() + ": " +
                           (db ? sqlite3_errmsg(db.get()) : sqlite3_errstr(rc)));
  }
  sqlite3_extended_result_codes(db.get(), 1);
  sqlite3_busy_timeout(db.get(), kBusyTimeoutMs);
  if (fresh) ::chmod(path.c_str(), 0600);  // -wal/-shm inherit this mode

  // Everything up to the backup only reads, so a refused database is left byte-for-byte intact.
  Result<int> version = SchemaVersion(db.get());
  if (!version.ok()) return std::move(version).error();
  if (Status s = CheckNotNewer(db.get(), *version); !s.ok()) return std::move(s).error();

  sqlite3* handle = db.get();  // owned by store from here on
  auto store = std::make_unique<SqliteStore>(std::move(db), *opts.box, &clock);
  const std::string key_check = KeyCheckJson(*opts.box);
  // Every schema from version 1 on has the settings table.
  if (*version >= 1) {
    auto stored = store->GetSettingLocked(std::string(kKeyCheckSettingKey));
    if (!stored.ok()) return std::move(stored).error();
    if (stored->has_value() && **stored != key_check) {
      return Error::Internal(
          "database " + path.string() +
          ": stored secrets were encrypted with a different key (API_KEY_SECRET changed or "
          "secret.key replaced); refusing to start — restore the previous API_KEY_SECRET or "
          "secret.key");
    }
  }
  if (!fresh && *version < kLatestVersion) {
    if (Status s = BackupBeforeMigration(handle, opts.data_dir, *version, clock); !s.ok()) {
      return std::move(s).error();
    }
  }

  // WAL: readers never block the writer; NORMAL sync is durable across process crashes and
  // loses at most the last transactions on power loss, the usual trade-off with WAL.
  {
    sqlite3_stmt* st = nullptr;
    bool wal =
        sqlite3_prepare_v2(handle, "PRAGMA journal_mode=WAL", -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW &&
        sqlite3_stricmp(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), "wal") == 0;
    sqlite3_finalize(st);
    if (!wal) return DbError(handle, "cannot switch " + path.string() + " to WAL mode");
  }
  if (Status s = Exec(handle, "PRAGMA synchronous=NORMAL"); !s.ok()) return std::move(s).error();
  if (Status s = Exec(handle, "PRAGMA foreign_keys=ON"); !s.ok()) return std::move(s).error();
  if (Status s = Migrate(handle); !s.ok()) return std::move(s).error();

  auto stored = store->GetSettingLocked(std::string(kKeyCheckSettingKey));
  if (!stored.ok()) return std::move(stored).error();
  if (!stored->has_value()) {
    if (Status s = store->PutSettingLocked(std::string(kKeyCheckSettingKey), key_check); !s.ok()) {
      return std::move(s).error();
    }
  }
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace omni::store
