#include "auth/password_hasher.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace omni::auth {
namespace {

// MIN parameters keep the suite fast; the one Interactive test checks the production default.
PasswordHasher FastHasher() { return PasswordHasher(PasswordHashParams::Min()); }

TEST(PasswordHasher, VerifiesTheRightPasswordOnly) {
  auto hasher = FastHasher();
  auto hash = hasher.HashPassword("correct horse battery staple");
  ASSERT_TRUE(hash.ok()) << hash.error().message;
  EXPECT_TRUE(hasher.VerifyPassword(*hash, "correct horse battery staple"));
  EXPECT_FALSE(hasher.VerifyPassword(*hash, "correct horse battery stapl"));
  EXPECT_FALSE(hasher.VerifyPassword(*hash, "Correct horse battery staple"));
  EXPECT_FALSE(hasher.VerifyPassword(*hash, ""));
}

TEST(PasswordHasher, HashIsArgon2idAndNeverContainsThePassword) {
  auto hasher = FastHasher();
  const std::string password = "hunter2-hunter2";
  auto hash = hasher.HashPassword(password);
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u) << *hash;
  EXPECT_EQ(hash->find(password), std::string::npos);
  EXPECT_EQ(hash->find("hunter2"), std::string::npos);
}

TEST(PasswordHasher, SaltMakesEveryHashDifferent) {
  auto hasher = FastHasher();
  auto a = hasher.HashPassword("same");
  auto b = hasher.HashPassword("same");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(hasher.VerifyPassword(*a, "same"));
  EXPECT_TRUE(hasher.VerifyPassword(*b, "same"));
}

TEST(PasswordHasher, HandlesBinaryAndUnicodePasswords) {
  auto hasher = FastHasher();
  const std::string with_nul("ab\0cd", 5);
  auto hash = hasher.HashPassword(with_nul);
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(hasher.VerifyPassword(*hash, with_nul));
  EXPECT_FALSE(hasher.VerifyPassword(*hash, "ab"));  // no truncation at the NUL
  auto uni = hasher.HashPassword("пароль-密码-🔑");
  ASSERT_TRUE(uni.ok());
  EXPECT_TRUE(hasher.VerifyPassword(*uni, "пароль-密码-🔑"));
}

TEST(PasswordHasher, RefusesEmptyAndOverlongPasswords) {
  auto hasher = FastHasher();
  auto empty = hasher.HashPassword("");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().status, 400);
  auto longer = hasher.HashPassword(std::string(kMaxPasswordLength + 1, 'x'));
  ASSERT_FALSE(longer.ok());
  EXPECT_EQ(longer.error().status, 400);
  EXPECT_TRUE(hasher.HashPassword(std::string(kMaxPasswordLength, 'x')).ok());
}

TEST(PasswordHasher, MalformedHashesNeverVerify) {
  auto hasher = FastHasher();
  EXPECT_FALSE(hasher.VerifyPassword("", "x"));
  EXPECT_FALSE(hasher.VerifyPassword("x", "x"));
  EXPECT_FALSE(hasher.VerifyPassword("$argon2id$v=19$m=8,t=1,p=1$garbage$garbage", "x"));
  EXPECT_FALSE(hasher.VerifyPassword(std::string(1000, '$'), "x"));
  // A valid hash with trailing junk (or embedded NUL) must not verify either.
  auto hash = hasher.HashPassword("pw");
  ASSERT_TRUE(hash.ok());
  EXPECT_FALSE(hasher.VerifyPassword(*hash + "x", "pw"));
  EXPECT_FALSE(hasher.VerifyPassword(hash->substr(0, hash->size() - 1), "pw"));
}

TEST(PasswordHasher, NeedsRehashWhenParametersDiffer) {
  auto fast = FastHasher();
  auto hash = fast.HashPassword("pw");
  ASSERT_TRUE(hash.ok());
  EXPECT_FALSE(fast.NeedsRehash(*hash));
  PasswordHasher stronger(
      {PasswordHashParams::Min().opslimit + 1, PasswordHashParams::Min().memlimit});
  EXPECT_TRUE(stronger.NeedsRehash(*hash));
  EXPECT_TRUE(fast.NeedsRehash(""));
  EXPECT_TRUE(fast.NeedsRehash("not a hash"));
}

TEST(PasswordHasher, Argon2iHashesVerifyButNeedRehash) {
  // Hashes from older setups (argon2i) still log in, then get upgraded to argon2id.
  auto fast = FastHasher();
  ASSERT_GE(sodium_init(), 0);  // this test calls libsodium directly, maybe before the hasher
  char out[crypto_pwhash_STRBYTES];
  ASSERT_EQ(crypto_pwhash_str_alg(out, "pw", 2, crypto_pwhash_argon2i_OPSLIMIT_MIN,
                                  crypto_pwhash_argon2i_MEMLIMIT_MIN, crypto_pwhash_ALG_ARGON2I13),
            0);
  EXPECT_TRUE(fast.VerifyPassword(out, "pw"));
  EXPECT_TRUE(fast.NeedsRehash(out));
}

TEST(PasswordHasher, DefaultIsInteractive) {
  PasswordHasher hasher;
  EXPECT_EQ(hasher.params().opslimit, crypto_pwhash_OPSLIMIT_INTERACTIVE);
  EXPECT_EQ(hasher.params().memlimit, crypto_pwhash_MEMLIMIT_INTERACTIVE);
  auto hash = hasher.HashPassword("pw");  // one real-cost hash (~64 MiB, ~0.1 s)
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(hasher.VerifyPassword(*hash, "pw"));
  EXPECT_FALSE(hasher.NeedsRehash(*hash));
  EXPECT_TRUE(FastHasher().NeedsRehash(*hash));
}

TEST(PasswordHasher, SafeToUseFromSeveralThreads) {
  auto hasher = FastHasher();
  std::atomic<int> verified{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&hasher, &verified, t] {
      std::string pw = "pw-" + std::to_string(t);
      auto hash = hasher.HashPassword(pw);
      if (hash.ok() && hasher.VerifyPassword(*hash, pw) && !hasher.VerifyPassword(*hash, "x")) {
        ++verified;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(verified.load(), 4);
}

}  // namespace
}  // namespace omni::auth
