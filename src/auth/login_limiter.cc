#include "auth/login_limiter.h"

#include <algorithm>
#include <iterator>

#include "auth/ip_access.h"

namespace omni::auth {

LoginLimiter::LoginLimiter(const Clock& clock, LoginLimiterOptions options)
    : clock_(clock), options_(options) {
  // Nonsensical settings would disable the limiter or make eviction loop; clamp them instead.
  options_.lock_after_failures = std::max(options_.lock_after_failures, 1);
  options_.base_lock_ms = std::max<int64_t>(options_.base_lock_ms, 1);
  options_.max_lock_ms = std::max(options_.max_lock_ms, options_.base_lock_ms);
  options_.max_entries = std::max<size_t>(options_.max_entries, 1);
}

std::string LoginLimiter::KeyFor(std::string_view ip) {
  auto addr = ParseIp(ip);
  if (!addr) return std::string(ip);
  if (!addr->v4) {
    for (size_t i = 8; i < addr->bytes.size(); ++i) addr->bytes[i] = 0;
  }
  return FormatIp(*addr);
}

int64_t LoginLimiter::LockDuration(int failures) const {
  int over = failures - options_.lock_after_failures + 1;  // 1 for the first locking failure
  if (over <= 0) return 0;
  int64_t lock = options_.base_lock_ms;
  // Doubling stops at the cap; the loop bound also keeps the shift from overflowing.
  for (int i = 1; i < over && lock < options_.max_lock_ms; ++i) lock *= 2;
  return std::min(lock, options_.max_lock_ms);
}

LoginDecision LoginLimiter::Check(std::string_view ip) {
  const int64_t now = clock_.MonotonicMs();
  std::string key = KeyFor(ip);
  std::lock_guard lock(mu_);
  return CheckLocked(key, now);
}

LoginDecision LoginLimiter::BeginAttempt(std::string_view ip) {
  const int64_t now = clock_.MonotonicMs();
  std::string key = KeyFor(ip);
  std::lock_guard lock(mu_);
  LoginDecision d = CheckLocked(key, now);
  if (d.allowed) RecordFailureLocked(std::move(key), now);
  return d;
}

LoginDecision LoginLimiter::CheckLocked(const std::string& key, int64_t now) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return {};
  Entry& e = it->second;
  if (now - e.last_failure_ms >= options_.forget_after_ms) {
    lru_.erase(e.lru);
    entries_.erase(it);
    return {};
  }
  if (now >= e.locked_until_ms) return {};
  int64_t wait_ms = e.locked_until_ms - now;
  return {false, (wait_ms + 999) / 1000};
}

void LoginLimiter::RecordFailure(std::string_view ip) {
  const int64_t now = clock_.MonotonicMs();
  std::string key = KeyFor(ip);
  std::lock_guard lock(mu_);
  RecordFailureLocked(std::move(key), now);
}

void LoginLimiter::RecordFailureLocked(std::string key, int64_t now) {
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    if (entries_.size() >= options_.max_entries && !lru_.empty()) {
      entries_.erase(lru_.front());
      lru_.pop_front();
    }
    lru_.push_back(key);
    it = entries_.emplace(std::move(key), Entry{}).first;
    it->second.lru = std::prev(lru_.end());
  } else {
    lru_.splice(lru_.end(), lru_, it->second.lru);  // now the most recently failed
    Entry& old = it->second;
    if (now - old.last_failure_ms >= options_.forget_after_ms) {
      old.failures = 0;  // stale history: start counting afresh
      old.locked_until_ms = 0;
    }
  }
  Entry& e = it->second;
  ++e.failures;
  e.last_failure_ms = now;
  if (int64_t d = LockDuration(e.failures); d > 0) e.locked_until_ms = now + d;
}

void LoginLimiter::RecordSuccess(std::string_view ip) {
  std::string key = KeyFor(ip);
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return;
  lru_.erase(it->second.lru);
  entries_.erase(it);
}

size_t LoginLimiter::tracked() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

}  // namespace omni::auth
