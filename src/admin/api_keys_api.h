#pragma once
// /api/keys: gateway API keys (create, list, get, patch, revoke, delete).
//
// A key's plaintext is generated here (auth::GenerateApiKey) and returned exactly once, in the
// 201 answer to POST /api/keys; the store keeps only its HMAC (auth::HashApiKey) and display
// prefix. No other answer ever contains the plaintext or the hash.
//
// After every successful write the `publish` callback runs, so whoever serves requests (the
// auth snapshot, an auth::ApiKeyIndex) reloads the keys; a failed publish is answered as an error
// even though the write itself is committed, as the providers API does.
//
// The operations are synchronous functions returning Reply (the Store is synchronous) and are
// public so tests can call them without HTTP; RegisterRoutes wraps each in one thin coroutine
// that sends the reply.
//
// Ownership: the Store and the Clock must outlive this object; routes capture `this`, so it must
// outlive the Router's use too. Thread-safety: operations may run on any worker concurrently; the
// Store serialises, and `publish` must be safe to call from several threads.

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"
#include "http/router.h"
#include "store/store.h"

namespace omni::admin {

class ApiKeysApi {
 public:
  struct JsonReply {
    int status;
    std::string body;
  };
  using Reply = Result<JsonReply>;

  // api_key_secret: the HMAC secret (API_KEY_SECRET) new keys are hashed with; it must be the
  // one the request path's auth::ApiKeyIndex uses. publish may be empty (nothing to refresh).
  ApiKeysApi(store::Store& store, std::string api_key_secret, std::function<Status()> publish,
             const Clock& clock = SystemClock::Instance());

  // POST /api/keys, GET /api/keys, GET|PATCH|DELETE /api/keys/{id}, POST /api/keys/{id}/revoke.
  void RegisterRoutes(http::Router& router);

  // {"name", "allowedModels"?, "expiresAt"?, "admin"?, "budgetId"?, "proxy"?} → 201 with the
  // key record plus "key": the plaintext, shown this once.
  Reply Create(std::string_view body);
  // → 200 {"keys": [record...]}, oldest first.
  Reply List();
  Reply Get(std::string_view id);
  // Changes name, allowedModels, expiresAt, admin, budgetId, proxy; never the key itself.
  Reply Patch(std::string_view id, std::string_view body);
  // Sets revoked (idempotent; there is no un-revoke: create a new key instead).
  Reply Revoke(std::string_view id);
  // → 200 {"deleted": true}.
  Reply Delete(std::string_view id);

 private:
  static boost::asio::awaitable<void> Send(http::Exchange& ex, Reply reply);
  Status Publish();

  store::Store& store_;
  const std::string api_key_secret_;
  const std::function<Status()> publish_;
  const Clock& clock_;
};

}  // namespace omni::admin
