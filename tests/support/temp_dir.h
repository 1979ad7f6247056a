#pragma once
// A fresh private directory for one test (mkdtemp), removed with everything in it when the
// TempDir is destroyed. Set OMNI_KEEP_TEST_DIRS=1 to keep them for post-mortem inspection.
//
// Ownership: owns the directory on disk; movable, not copyable. Thread-safety: immutable after
// construction, so const access from several threads is fine.

#include <string>
#include <string_view>

namespace omni::testing {

class TempDir {
 public:
  // Creates $TMPDIR/<prefix>XXXXXX (or /tmp). Throws std::runtime_error if that fails.
  explicit TempDir(std::string_view prefix = "omni-test-");
  ~TempDir();
  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&& other) noexcept;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path() + "/" + name.
  std::string File(std::string_view name) const;

 private:
  void Remove();

  std::string path_;  // empty once moved from
};

}  // namespace omni::testing
