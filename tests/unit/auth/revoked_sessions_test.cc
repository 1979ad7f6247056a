#include "auth/revoked_sessions.h"

#include <gtest/gtest.h>

#include <string>

namespace omni::auth {
namespace {

TEST(RevokedSessionsTest, NeverSetIsEmpty) {
  auto r = RevokedSessions::Parse("");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), 0u);
  EXPECT_FALSE(r->Contains("abc"));
}

TEST(RevokedSessionsTest, RoundTripsThroughItsSetting) {
  RevokedSessions r;
  r.Add("a1", 2000, 1000);
  r.Add("b2", 3000, 1000);
  auto back = RevokedSessions::Parse(r.ToJson());
  ASSERT_TRUE(back.ok()) << r.ToJson();
  EXPECT_TRUE(back->Contains("a1"));
  EXPECT_TRUE(back->Contains("b2"));
  EXPECT_FALSE(back->Contains("c3"));
}

// A token past its expiry fails verification anyway: its entry is dropped on the next change.
TEST(RevokedSessionsTest, ExpiredEntriesAreDropped) {
  RevokedSessions r;
  r.Add("old", 1500, 1000);
  r.Add("new", 5000, 2000);
  EXPECT_FALSE(r.Contains("old"));
  EXPECT_TRUE(r.Contains("new"));
  EXPECT_EQ(r.size(), 1u);
}

TEST(RevokedSessionsTest, BoundedBySoonestExpiry) {
  RevokedSessions r;
  for (size_t i = 0; i < RevokedSessions::kMaxEntries + 3; ++i)
    r.Add("s" + std::to_string(i), 10'000 + static_cast<int64_t>(i), 0);
  EXPECT_EQ(r.size(), RevokedSessions::kMaxEntries);
  EXPECT_FALSE(r.Contains("s0"));
  EXPECT_FALSE(r.Contains("s2"));
  EXPECT_TRUE(r.Contains("s3"));
  EXPECT_TRUE(r.Contains("s" + std::to_string(RevokedSessions::kMaxEntries + 2)));
}

TEST(RevokedSessionsTest, DamagedSettingIsAnError) {
  EXPECT_FALSE(RevokedSessions::Parse("[1,2]").ok());
  EXPECT_FALSE(RevokedSessions::Parse("{\"a\":\"soon\"}").ok());
  EXPECT_FALSE(RevokedSessions::Parse("{").ok());
}

}  // namespace
}  // namespace omni::auth
