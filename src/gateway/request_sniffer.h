#pragma once
// Reads what routing needs from a client's JSON body: the top-level "model" string (and where
// its raw bytes sit, so the body can be forwarded with only that value replaced) and the
// "stream" flag. The body is parsed once, fully validated, into a JsonDoc the
// caller owns; a translated request is decoded from that same document (`root`), so no body
// is parsed twice. Malformed JSON is rejected here, so the upstream never sees it.
// Stateless; thread-safe.

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"
#include "formats/json_read.h"

namespace omni::gateway {

struct RequestSniff {
  std::string model;  // decoded value of the last top-level "model" (empty when absent)
  bool has_model = false;
  // Byte range of the model value *including* its quotes in the body (as sent: escapes
  // included), when has_model.
  size_t model_begin = 0;
  size_t model_end = 0;
  bool stream = false;
  formats::JObj root;  // the parsed body; valid while the JsonDoc and the body text live
};

Result<RequestSniff> SniffRequest(std::string_view body, formats::JsonDoc& doc);
// For callers that need only the sniff (`root` is not usable afterwards).
Result<RequestSniff> SniffRequest(std::string_view body);

}  // namespace omni::gateway
