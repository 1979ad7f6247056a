#include "core/allocator.h"

#include <gtest/gtest.h>

namespace omni {
namespace {

// A release build links mimalloc; the dynamic linker must then bind malloc to it. A link
// order or --as-needed change that silently loses the override shows up here.
TEST(AllocatorTest, LinkedAllocatorIsTheOneInUse) {
  const std::string name = AllocatorName();
  EXPECT_FALSE(name.empty());
  EXPECT_EQ(name.find("not in use"), std::string::npos) << name;
}

}  // namespace
}  // namespace omni
