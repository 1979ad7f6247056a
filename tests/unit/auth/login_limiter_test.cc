#include "auth/login_limiter.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"

namespace omni::auth {
namespace {

constexpr const char* kIp = "203.0.113.5";

void Fail(LoginLimiter& limiter, std::string_view ip, int times) {
  for (int i = 0; i < times; ++i) limiter.RecordFailure(ip);
}

TEST(LoginLimiter, FirstFailuresAreFree) {
  FakeClock clock;
  LoginLimiter limiter(clock);
  EXPECT_TRUE(limiter.Check(kIp).allowed);
  Fail(limiter, kIp, 4);
  LoginDecision d = limiter.Check(kIp);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.retry_after_s, 0);
}

TEST(LoginLimiter, FifthFailureLocksForOneSecond) {
  FakeClock clock;
  LoginLimiter limiter(clock);
  Fail(limiter, kIp, 5);
  LoginDecision d = limiter.Check(kIp);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after_s, 1);
  clock.Advance(999);
  EXPECT_FALSE(limiter.Check(kIp).allowed);
  EXPECT_EQ(limiter.Check(kIp).retry_after_s, 1);  // rounded up, never 0 while locked
  clock.Advance(1);
  EXPECT_TRUE(limiter.Check(kIp).allowed);
}

TEST(LoginLimiter, LockoutDoublesPerFailureUpToTheCap) {
  FakeClock clock;
  LoginLimiter limiter(clock);
  Fail(limiter, kIp, 4);
  int64_t expected = 1;
  for (int i = 0; i < 20; ++i) {
    limiter.RecordFailure(kIp);
    LoginDecision d = limiter.Check(kIp);
    ASSERT_FALSE(d.allowed);
    EXPECT_EQ(d.retry_after_s, expected) << "failure " << (5 + i);
    clock.Advance(d.retry_after_s * 1000);  // wait it out, then fail again
    ASSERT_TRUE(limiter.Check(kIp).allowed);
    expected = std::min<int64_t>(expected * 2, 15 * 60);
  }
  EXPECT_EQ(expected, 900);  // reached the 15 min cap
}

TEST(LoginLimiter, SuccessResetsTheCount) {
  FakeClock clock;
  LoginLimiter limiter(clock);
  Fail(limiter, kIp, 7);
  EXPECT_FALSE(limiter.Check(kIp).allowed);
  limiter.RecordSuccess(kIp);
  EXPECT_TRUE(limiter.Check(kIp).allowed);
  EXPECT_EQ(limiter.tracked(), 0u);
  Fail(limiter, kIp, 4);  // counting starts again from zero
  EXPECT_TRUE(limiter.Check(kIp).allowed);
  limiter.RecordSuccess("198.51.100.1");  // unknown address: no effect
}

TEST(LoginLimiter, AddressesAreIndependent) {
  FakeClock clock;
  LoginLimiter limiter(clock);
  Fail(limiter, kIp, 5);
  EXPECT_FALSE(limiter.Check(kIp).allowed);
  EXPECT_TRUE(limiter.Check("203.0.113.6").allowed);
  EXPECT_TRUE(limiter.Check("2001:db8::1").allowed);
}

TEST(LoginLimiter, MappedIpv4IsTheSameClient) {
  FakeClock clock;
  LoginLimiter limiter(clock);
  Fail(limiter, "::ffff:203.0.113.5", 3);
  Fail(limiter, kIp, 2);
  EXPECT_FALSE(limiter.Check(kIp).allowed);
  EXPECT_FALSE(limiter.Check("::ffff:203.0.113.5").allowed);
}

TEST(LoginLimiter, Ipv6IsTrackedPerSlash64) {
  FakeClock clock;
  LoginLimiter limiter(clock);
  // Rotating through addresses of one /64 does not escape the limit.
  for (int i = 1; i <= 5; ++i) limiter.RecordFailure("2001:db8:1:2::" + std::to_string(i));
  EXPECT_FALSE(limiter.Check("2001:db8:1:2::ffff").allowed);
  EXPECT_FALSE(limiter.Check("2001:db8:1:2:abcd::1").allowed);
  EXPECT_TRUE(limiter.Check("2001:db8:1:3::1").allowed);
  EXPECT_EQ(limiter.tracked(), 1u);
}

TEST(LoginLimiter, FailuresAreForgottenAfterIdleTime) {
  FakeClock clock;
  LoginLimiterOptions opts;
  opts.forget_after_ms = 60'000;
  LoginLimiter limiter(clock, opts);
  Fail(limiter, kIp, 4);
  clock.Advance(60'000);
  limiter.RecordFailure(kIp);  // would be the 5th, but the old four are stale
  EXPECT_TRUE(limiter.Check(kIp).allowed);
  clock.Advance(60'000);
  EXPECT_TRUE(limiter.Check(kIp).allowed);
  EXPECT_EQ(limiter.tracked(), 0u);  // Check drops stale entries
}

TEST(LoginLimiter, MemoryIsBoundedByEvictingTheOldest) {
  FakeClock clock;
  LoginLimiterOptions opts;
  opts.max_entries = 3;
  opts.lock_after_failures = 1;
  LoginLimiter limiter(clock, opts);
  limiter.RecordFailure("10.0.0.1");
  clock.Advance(1);
  limiter.RecordFailure("10.0.0.2");
  clock.Advance(1);
  limiter.RecordFailure("10.0.0.3");
  clock.Advance(1);
  limiter.RecordFailure("10.0.0.1");  // refreshes .1: .2 is now the oldest
  limiter.RecordFailure("10.0.0.4");
  EXPECT_EQ(limiter.tracked(), 3u);
  EXPECT_TRUE(limiter.Check("10.0.0.2").allowed);  // evicted
  EXPECT_FALSE(limiter.Check("10.0.0.1").allowed);
  EXPECT_FALSE(limiter.Check("10.0.0.3").allowed);
  EXPECT_FALSE(limiter.Check("10.0.0.4").allowed);
  for (int i = 0; i < 100; ++i) limiter.RecordFailure("192.0.2." + std::to_string(i));
  EXPECT_EQ(limiter.tracked(), 3u);
}

TEST(LoginLimiter, CustomTimingAndRounding) {
  FakeClock clock;
  LoginLimiterOptions opts;
  opts.lock_after_failures = 2;
  opts.base_lock_ms = 1'500;
  opts.max_lock_ms = 4'000;
  LoginLimiter limiter(clock, opts);
  limiter.RecordFailure(kIp);
  EXPECT_TRUE(limiter.Check(kIp).allowed);
  limiter.RecordFailure(kIp);
  EXPECT_EQ(limiter.Check(kIp).retry_after_s, 2);  // 1.5 s rounds up
  limiter.RecordFailure(kIp);
  EXPECT_EQ(limiter.Check(kIp).retry_after_s, 3);  // 3 s
  limiter.RecordFailure(kIp);
  EXPECT_EQ(limiter.Check(kIp).retry_after_s, 4);  // 6 s capped at 4 s
}

TEST(LoginLimiter, UnparseableAddressesAreStillTracked) {
  FakeClock clock;
  LoginLimiter limiter(clock);
  Fail(limiter, "unix-socket", 5);
  EXPECT_FALSE(limiter.Check("unix-socket").allowed);
}

TEST(LoginLimiter, ConcurrentUseKeepsInvariants) {
  FakeClock clock;
  LoginLimiterOptions opts;
  opts.max_entries = 50;
  LoginLimiter limiter(clock, opts);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&limiter, t] {
      for (int i = 0; i < 2000; ++i) {
        std::string ip = "10." + std::to_string(t) + ".0." + std::to_string(i % 200);
        limiter.RecordFailure(ip);
        (void)limiter.Check(ip);
        if (i % 7 == 0) limiter.RecordSuccess(ip);
        limiter.RecordFailure("198.51.100.1");  // one hot address shared by all threads
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_LE(limiter.tracked(), 50u);
  EXPECT_FALSE(limiter.Check("198.51.100.1").allowed);
}

}  // namespace
}  // namespace omni::auth
