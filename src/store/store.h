#pragma once
// Store: durable configuration (provider connections, provider nodes, settings).
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
  std::string id;          // opaque, generated ("conn_" + 16 hex)
  std::string provider;    // provider id from the catalog, or a provider node prefix
  std::string name;        // user label, e.g. "work"
  int priority = 1;        // lower = preferred
  bool enabled = true;
  std::string base_url;    // empty = provider default
  std::string secret;      // API key / token, plaintext in memory only
  int64_t created_at = 0;  // unix ms
  int64_t updated_at = 0;
};

// A custom OpenAI-compatible provider with its own base URL and prefix.
struct ProviderNode {
  std::string id;          // "node_" + 16 hex
  std::string name;
  std::string prefix;      // routing prefix, e.g. "local" -> "local/model"
  std::string base_url;
  std::string format = "openai";
  int64_t created_at = 0;
  int64_t updated_at = 0;
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

  // Settings: a key -> JSON text map.
  virtual Result<std::optional<std::string>> GetSetting(const std::string& key) = 0;
  virtual Status PutSetting(const std::string& key, const std::string& json_value) = 0;

  // Makes sure everything written is durable (WAL checkpoint); called on shutdown.
  virtual Status Flush() = 0;
};

}  // namespace omni::store
