#include "temp_dir.h"

#include <stdlib.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <utility>
#include <vector>

namespace omni::testing {

TempDir::TempDir(std::string_view prefix) {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = (base != nullptr && *base != '\0') ? base : "/tmp";
  pattern += '/';
  pattern += prefix;
  pattern += "XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (mkdtemp(buffer.data()) == nullptr) {
    throw std::runtime_error("mkdtemp(" + pattern + ") failed: " + std::strerror(errno));
  }
  path_ = buffer.data();
}

TempDir::~TempDir() { Remove(); }

TempDir::TempDir(TempDir&& other) noexcept : path_(std::exchange(other.path_, {})) {}

TempDir& TempDir::operator=(TempDir&& other) noexcept {
  if (this != &other) {
    Remove();
    path_ = std::exchange(other.path_, {});
  }
  return *this;
}

std::string TempDir::File(std::string_view name) const {
  std::string out = path_;
  out += '/';
  out += name;
  return out;
}

void TempDir::Remove() {
  if (path_.empty()) return;
  const char* keep = std::getenv("OMNI_KEEP_TEST_DIRS");
  if (keep == nullptr || std::string_view(keep) != "1") {
    std::error_code ec;  // best effort: a leftover temp dir must not fail a test
    std::filesystem::remove_all(path_, ec);
  }
  path_.clear();
}

}  // namespace omni::testing
