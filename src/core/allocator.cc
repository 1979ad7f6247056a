#include "core/allocator.h"

#include <cstdio>
#include <cstdlib>

#if defined(OMNI_MIMALLOC)
#include <mimalloc.h>
#endif

namespace omni {

std::string AllocatorName() {
#if defined(OMNI_MIMALLOC)
  void* probe = std::calloc(1, 64);
  const bool ours = mi_is_in_heap_region(probe);
  std::free(probe);
  if (!ours) return "libc malloc (mimalloc linked but not in use)";
  const int v = mi_version();  // 209 = 2.0.9
  char name[32];
  std::snprintf(name, sizeof name, "mimalloc %d.%d.%d", v / 100, v / 10 % 10, v % 10);
  return name;
#else
  return "libc malloc";
#endif
}

}  // namespace omni
