#include "store/secret_box.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace omni::store {
namespace {

namespace fs = std::filesystem;

// A private directory under /tmp, removed with everything in it at scope exit.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = "/tmp/omni_secret_box_test_XXXXXX";
    if (::mkdtemp(tmpl.data()) == nullptr) std::abort();  // no /tmp: nothing can run
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const fs::path& p, const std::string& data) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << data;
}

std::array<uint8_t, SecretBox::kKeySize> CountingKey() {
  std::array<uint8_t, SecretBox::kKeySize> key{};
  for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(i);
  return key;
}

TEST(SecretBoxTest, RoundTrip) {
  TempDir dir;
  auto box = SecretBox::Open(dir.path(), "");
  ASSERT_TRUE(box.ok()) << box.error().message;
  for (std::string plain : {std::string(), std::string("sk-ant-api03-abc"), std::string(5000, 'x'),
                            std::string("bin\0ary\xff", 8)}) {
    std::string sealed = box->Seal(plain);
    EXPECT_TRUE(sealed.starts_with("v1:"));
    EXPECT_EQ(sealed.find(plain.empty() ? "\x01" : plain), std::string::npos);
    auto opened = box->Open(sealed);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    EXPECT_EQ(*opened, plain);
  }
}

TEST(SecretBoxTest, SealUsesFreshNonce) {
  SecretBox box = SecretBox::FromKey(CountingKey());
  EXPECT_NE(box.Seal("same"), box.Seal("same"));
}

TEST(SecretBoxTest, TamperingIsDetected) {
  SecretBox box = SecretBox::FromKey(CountingKey());
  const std::string sealed = box.Seal("sk-secret-value");
  // Flip every position of the base64 body in turn: nonce, ciphertext and tag are all covered.
  for (size_t i = 3; i < sealed.size(); ++i) {
    std::string bad = sealed;
    bad[i] = bad[i] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(box.Open(bad).ok()) << "position " << i;
  }
  EXPECT_FALSE(box.Open(sealed.substr(0, sealed.size() - 4)).ok());  // truncated
  EXPECT_FALSE(box.Open("v2:" + sealed.substr(3)).ok());             // unknown version
  EXPECT_FALSE(box.Open("sk-secret-value").ok());                    // plaintext, not sealed
  EXPECT_FALSE(box.Open("v1:not base64!").ok());
  EXPECT_FALSE(box.Open("v1:").ok());
}

TEST(SecretBoxTest, OtherKeyCannotOpen) {
  auto other = CountingKey();
  other[0] ^= 1;
  const std::string sealed = SecretBox::FromKey(CountingKey()).Seal("sk-1");
  auto opened = SecretBox::FromKey(other).Open(sealed);
  ASSERT_FALSE(opened.ok());
  EXPECT_NE(opened.error().message.find("authentication"), std::string::npos);
}

TEST(SecretBoxTest, KeyFileCreatedWithMode0600AndReused) {
  TempDir dir;
  const fs::path key_path = fs::path(dir.path()) / "secret.key";
  auto first = SecretBox::Open(dir.path(), "");
  ASSERT_TRUE(first.ok()) << first.error().message;
  struct stat st {};
  ASSERT_EQ(::stat(key_path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  const std::string content = ReadFile(key_path);
  EXPECT_EQ(content.size(), 65u);  // 64 hex characters and a newline
  // No temp files left behind.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);

  auto second = SecretBox::Open(dir.path(), "");
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->KeyCheck(), first->KeyCheck());
  auto opened = second->Open(first->Seal("sk-keep"));
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, "sk-keep");
  EXPECT_EQ(ReadFile(key_path), content);
}

TEST(SecretBoxTest, KeyFileCreatesMissingDataDir) {
  TempDir dir;
  const std::string nested = dir.path() + "/a/b";
  ASSERT_TRUE(SecretBox::Open(nested, "").ok());
  EXPECT_TRUE(fs::exists(nested + "/secret.key"));
}

TEST(SecretBoxTest, KeyFileAcceptsRawAndHex) {
  const auto key = CountingKey();
  const std::string expected = SecretBox::FromKey(key).KeyCheck();
  EXPECT_EQ(expected, "56db1ea0651d7e8320df1bf964af85ae3d3622a4c105e0a97674fbc435b9903b");
  {
    TempDir dir;
    WriteFile(fs::path(dir.path()) / "secret.key", std::string(key.begin(), key.end()));
    auto box = SecretBox::Open(dir.path(), "");
    ASSERT_TRUE(box.ok()) << box.error().message;
    EXPECT_EQ(box->KeyCheck(), expected);
  }
  {
    TempDir dir;
    WriteFile(fs::path(dir.path()) / "secret.key",
              "000102030405060708090A0B0C0D0E0F101112131415161718191a1b1c1d1e1f\r\n");
    auto box = SecretBox::Open(dir.path(), "");
    ASSERT_TRUE(box.ok()) << box.error().message;
    EXPECT_EQ(box->KeyCheck(), expected);
  }
}

TEST(SecretBoxTest, WrongSizeKeyFileIsRefusedAndKept) {
  for (std::string bad : {std::string(), std::string("abc"), std::string(31, 'k'),
                          std::string(64, 'z'), std::string(100, '0')}) {
    TempDir dir;
    const fs::path key_path = fs::path(dir.path()) / "secret.key";
    WriteFile(key_path, bad);
    auto box = SecretBox::Open(dir.path(), "");
    ASSERT_FALSE(box.ok()) << "content size " << bad.size();
    EXPECT_NE(box.error().message.find(key_path.string()), std::string::npos);
    EXPECT_NE(box.error().message.find("refusing to start"), std::string::npos);
    EXPECT_EQ(ReadFile(key_path), bad);  // never replaced
  }
}

TEST(SecretBoxTest, ApiKeySecretDerivesKeyWithoutKeyFile) {
  TempDir dir;
  auto a = SecretBox::Open(dir.path(), "test-secret");
  auto a2 = SecretBox::Open(dir.path(), "test-secret");
  auto b = SecretBox::Open(dir.path(), "other-secret");
  ASSERT_TRUE(a.ok() && a2.ok() && b.ok());
  EXPECT_FALSE(fs::exists(fs::path(dir.path()) / "secret.key"));
  // Pinned: changing the derivation would orphan every deployed database's secrets.
  EXPECT_EQ(a->KeyCheck(), "a7d11ca839537fb9555bd3eb779a93272da1522773bfbdb05a8dbb27fd2a6c52");
  EXPECT_EQ(a2->KeyCheck(), a->KeyCheck());
  EXPECT_NE(b->KeyCheck(), a->KeyCheck());
  auto opened = a2->Open(a->Seal("sk-shared"));
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, "sk-shared");
  EXPECT_FALSE(b->Open(a->Seal("sk-shared")).ok());
}

}  // namespace
}  // namespace omni::store
