// Differential fuzz target for formats::JsonTape, the hand-written parser behind JsonDoc:
// whatever the bytes, our accept/reject must match Boost.JSON's (up to the two documented
// differences, tests/support/json_differential.h), and an accepted document must give Boost's
// value tree, with raw() and the compact Json() of its values re-parsing to the same values.
// Any disagreement prints the input and aborts (so the driver saves it as a crash).
//
// An accepted input is parsed again as an array element after a decoded string, so the shared
// decode buffer is written at an offset.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "formats/json_read.h"
#include "json_differential.h"

namespace {

[[noreturn]] void Fail(std::string_view what, std::string_view input) {
  std::fprintf(stderr, "json_tape_fuzz: %.*s\ninput (%zu bytes): %s\n",
               static_cast<int>(what.size()), what.data(), input.size(),
               omni::testing::Printable(input).c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using omni::formats::JsonDoc;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (std::string diff = omni::testing::CompareWithBoost(input); !diff.empty()) Fail(diff, input);

  // The same text as the second element of an array, with a decoded string before it: its
  // verdict and value must not depend on where it starts. Three documents are alive, so the
  // last one gets its own tape rather than one of the thread's two.
  const std::string prefix = "\"\\n\\u00e9\"";
  JsonDoc first;
  if (!first.Parse(prefix).ok()) Fail("prefix does not parse", prefix);
  const std::string wrapped = "[" + prefix + "," + std::string(input) + "\n]";
  JsonDoc alone, doc;
  auto v = alone.Parse(input);
  if (!v.ok()) return 0;  // "1,2" is fine inside an array: only accepted texts say anything
  auto in_array = doc.Parse(wrapped);
  if (!in_array.ok()) {
    // Nesting one level deeper may only hit the depth limit.
    if (in_array.error().message.find("nesting deeper") == std::string::npos)
      Fail("accepted alone but not inside an array: " + in_array.error().message, input);
    return 0;
  }
  const omni::formats::JArr a = in_array->get_array();
  if (a.size() != 2 || a[1].Json() != v->Json() || a[1].raw() != v->raw())
    Fail("value differs inside an array", input);
  if (a[0].get_string() != "\n\xc3\xa9") Fail("prefix string changed", input);
  return 0;
}
