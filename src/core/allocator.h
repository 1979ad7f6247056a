#pragma once
// Which allocator serves malloc/new in this process.
//
// Release builds link mimalloc, which replaces malloc for the whole process (the dynamic
// linker binds malloc/free/new to it before libc). A translated request allocates a few
// hundred short-lived strings; glibc's malloc spent ~10 % of a translation on them, mostly in
// its slow paths (its per-thread cache keeps only 7 blocks per size). Sanitizer builds keep
// the libc allocator, which the sanitizers must intercept.

#include <string>

namespace omni {

// "mimalloc 2.0.9", or "libc malloc". Checks where a fresh block really comes from, so a
// build that links mimalloc but does not get it (a missing override) says so.
std::string AllocatorName();

}  // namespace omni
