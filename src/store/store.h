#pragma once
// Store: durable configuration (provider connections, provider nodes, gateway API keys,
// settings).
// The embedded implementation is SQLite (store/sqlite_store.h); PostgreSQL comes later
// behind the same interface. Every write is one transaction. Secrets are handed in and
// out in plaintext; implementations encrypt them at rest with a SecretBox.
//
// Thread-safety: implementations are safe to call from several threads (they serialise
// internally). The request path never calls the Store: it reads an in-memory snapshot.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace omni::store {

// One account of a provider (a provider can have several).
struct ProviderConnection {
  std::string id;        // opaque, generated ("conn_" + 16 hex)
  std::string provider;  // provider id from the catalog, or a provider node prefix
  std::string name;      // user label, e.g. "work"
  int priority = 1;      // lower = preferred
  bool enabled = true;
  std::string base_url;    // empty = provider default
  std::string secret;      // API key / token, plaintext in memory only
  int64_t created_at = 0;  // unix ms
  int64_t updated_at = 0;
};

// A custom OpenAI-compatible provider with its own base URL and prefix.
struct ProviderNode {
  std::string id;  // "node_" + 16 hex
  std::string name;
  std::string prefix;  // routing prefix, e.g. "local" -> "local/model"
  std::string base_url;
  std::string format = "openai";
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

// A gateway API key. Only the key's HMAC is stored (auth::HashApiKey): the plaintext is shown to
// the user once at creation and never kept. The hash is useless without API_KEY_SECRET, so unlike
// provider secrets it is stored as is, not sealed.
struct ApiKey {
  std::string id;                           // "key_" + 16 hex
  std::string name;                         // user label
  std::string prefix;                       // display prefix, e.g. "sk-omni-AbCd"
  std::string key_hash;                     // hex HMAC-SHA256 of the key; unique, required
  std::vector<std::string> allowed_models;  // patterns with * and ?; empty = every model
  int64_t expires_at = 0;                   // unix ms; 0 = never
  bool revoked = false;
  bool admin = false;      // may call the admin API (/api/*)
  std::string budget_id;   // empty = no budget
  std::string proxy;       // outbound proxy URL; empty = default
  int64_t created_at = 0;  // unix ms
  int64_t updated_at = 0;
  int64_t last_used_at = 0;  // 0 = never used
};

class Store {
 public:
  virtual ~Store() = default;

  virtual Result<std::vector<ProviderConnection>> ListConnections() = 0;
  virtual Result<std::optional<ProviderConnection>> GetConnection(const std::string& id) = 0;
  // Inserts; fills id/created_at/updated_at when empty/zero. Returns the stored row.
  virtual Result<ProviderConnection> InsertConnection(ProviderConnection conn) = 0;
  // Replaces all fields of the row with conn.id; 404 Error when absent.
  virtual Result<ProviderConnection> UpdateConnection(ProviderConnection conn) = 0;
  // Returns false when no such row.
  virtual Result<bool> DeleteConnection(const std::string& id) = 0;

  virtual Result<std::vector<ProviderNode>> ListNodes() = 0;
  virtual Result<std::optional<ProviderNode>> GetNode(const std::string& id) = 0;
  virtual Result<ProviderNode> InsertNode(ProviderNode node) = 0;
  virtual Result<ProviderNode> UpdateNode(ProviderNode node) = 0;
  virtual Result<bool> DeleteNode(const std::string& id) = 0;

  // Gateway API keys, listed by creation time.
  virtual Result<std::vector<ApiKey>> ListApiKeys() = 0;
  virtual Result<std::optional<ApiKey>> GetApiKey(const std::string& id) = 0;
  // Inserts; fills id/created_at/updated_at when empty/zero. 400 Error without key_hash, 409 when
  // the id or key_hash is already used. Returns the stored row.
  virtual Result<ApiKey> InsertApiKey(ApiKey key) = 0;
  // Replaces the fields of the row with key.id and sets updated_at; created_at is kept and
  // last_used_at never moves backwards. 404 Error when absent, 409 when key_hash is taken.
  virtual Result<ApiKey> UpdateApiKey(ApiKey key) = 0;
  // Returns false when no such row.
  virtual Result<bool> DeleteApiKey(const std::string& id) = 0;

  // Settings: a key -> JSON text map.
  virtual Result<std::optional<std::string>> GetSetting(const std::string& key) = 0;
  virtual Status PutSetting(const std::string& key, const std::string& json_value) = 0;

  // Makes sure everything written is durable (WAL checkpoint); called on shutdown.
  virtual Status Flush() = 0;
};

}  // namespace omni::store
