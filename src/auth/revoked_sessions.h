#pragma once
// Sessions ended by logout before they expire: their token ids (the JWT "jti") with their
// expiry. Sessions are stateless JWTs, so without this list a copied cookie would stay valid
// after its user logged out, until it expired. Kept as the setting "revoked_sessions"
// ({"<jti>": exp_s, ...}) and published in the AuthSnapshot. Entries are dropped once their
// token has expired, so the list only ever holds the logouts of one session lifetime.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "core/result.h"

namespace omni::auth {

class RevokedSessions {
 public:
  // At most this many entries: beyond it, the ones expiring soonest are forgotten first.
  static constexpr size_t kMaxEntries = 10000;

  // "" (never set) is the empty list. Errors are 500s: the setting is only written by us.
  static Result<RevokedSessions> Parse(std::string_view json);

  // Revokes `jti` until `expires_s`; also drops entries expired at `now_s`.
  void Add(std::string jti, int64_t expires_s, int64_t now_s);
  bool Contains(std::string_view jti) const { return entries_.find(jti) != entries_.end(); }
  size_t size() const { return entries_.size(); }
  std::string ToJson() const;

 private:
  std::map<std::string, int64_t, std::less<>> entries_;  // jti → expiry (unix seconds)
};

}  // namespace omni::auth
