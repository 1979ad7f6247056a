#include "auth/hmac_sha256.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace omni::auth {
namespace {

std::string Hex(const Sha256Digest& d) { return ToHex(d.data(), d.size()); }

// RFC 4231 test cases 1, 2, 6 and 7 (6 and 7 use a 131-byte key: longer than one block).
TEST(HmacSha256, Rfc4231Vectors) {
  struct Vector {
    std::string key, data, mac;
  };
  const Vector vectors[] = {
      {std::string(20, '\x0b'), "Hi There",
       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
      {"Jefe", "what do ya want for nothing?",
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      {std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First",
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
      {std::string(131, '\xaa'),
       "This is a test using a larger than block-size key and a larger than block-size data. "
       "The key needs to be hashed before being used by the HMAC algorithm.",
       "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
  };
  for (const auto& v : vectors) {
    EXPECT_EQ(Hex(HmacSha256(v.key, v.data)), v.mac);
    EXPECT_EQ(Hex(HmacSha256Key(v.key).Mac(v.data)), v.mac);
  }
}

TEST(HmacSha256Key, AgreesWithOneShotForEveryKeyLength) {
  const std::string data = "sk-omni-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd";
  for (size_t len : {0, 1, 31, 32, 63, 64, 65, 128, 200}) {
    std::string key(len, 'k');
    HmacSha256Key prepared(key);
    EXPECT_EQ(prepared.Mac(data), HmacSha256(key, data)) << len;
    EXPECT_EQ(prepared.Mac(""), HmacSha256(key, "")) << len;
    EXPECT_EQ(prepared.Mac(data), prepared.Mac(data)) << "reusable";
  }
}

TEST(HmacSha256Key, SafeToShareAcrossThreads) {
  HmacSha256Key key("shared");
  const Sha256Digest expected = HmacSha256("shared", "payload");
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 1000; ++i) ok[t] += key.Mac("payload") == expected;
    });
  }
  for (auto& th : threads) th.join();
  for (int n : ok) EXPECT_EQ(n, 1000);
}

TEST(Hex, RoundTrip) {
  const uint8_t bytes[] = {0x00, 0x7f, 0x80, 0xff, 0xab};
  EXPECT_EQ(ToHex(bytes, sizeof(bytes)), "007f80ffab");
  uint8_t back[5];
  ASSERT_TRUE(FromHex("007F80FFab", back, sizeof(back)));
  EXPECT_EQ(0, std::memcmp(back, bytes, sizeof(bytes)));
  EXPECT_FALSE(FromHex("007f80ffa", back, sizeof(back)));     // too short
  EXPECT_FALSE(FromHex("007f80ffabcd", back, sizeof(back)));  // too long
  EXPECT_FALSE(FromHex("007f80ffag", back, sizeof(back)));    // not hex
}

}  // namespace
}  // namespace omni::auth
