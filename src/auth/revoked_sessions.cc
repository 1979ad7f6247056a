#include "auth/revoked_sessions.h"

#include <algorithm>
#include <boost/json.hpp>
#include <utility>
#include <vector>

namespace omni::auth {

Result<RevokedSessions> RevokedSessions::Parse(std::string_view json) {
  RevokedSessions out;
  if (json.empty()) return out;
  boost::system::error_code ec;
  auto v = boost::json::parse(json, ec);
  if (ec || !v.is_object()) return Error::Internal("the stored revoked_sessions are not an object");
  for (const auto& [jti, exp] : v.as_object()) {
    if (!exp.is_int64()) return Error::Internal("a stored revoked session has no expiry");
    out.entries_.emplace(std::string(jti), exp.as_int64());
  }
  return out;
}

void RevokedSessions::Add(std::string jti, int64_t expires_s, int64_t now_s) {
  std::erase_if(entries_, [now_s](const auto& e) { return e.second <= now_s; });
  entries_[std::move(jti)] = expires_s;
  if (entries_.size() <= kMaxEntries) return;
  // Forget the soonest-expiring ones (the least harm if they are reused).
  std::vector<std::pair<int64_t, std::string>> by_expiry;
  by_expiry.reserve(entries_.size());
  for (const auto& [id, exp] : entries_) by_expiry.emplace_back(exp, id);
  const size_t drop = entries_.size() - kMaxEntries;
  std::nth_element(by_expiry.begin(), by_expiry.begin() + static_cast<std::ptrdiff_t>(drop),
                   by_expiry.end());
  for (size_t i = 0; i < drop; ++i) entries_.erase(by_expiry[i].second);
}

std::string RevokedSessions::ToJson() const {
  boost::json::object o;
  for (const auto& [jti, exp] : entries_) o[jti] = exp;
  return boost::json::serialize(o);
}

}  // namespace omni::auth
