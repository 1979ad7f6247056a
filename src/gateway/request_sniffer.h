#pragma once
// Reads what routing needs from a client's JSON body in one validating pass, without
// building a DOM: the top-level "model" string (and where its raw bytes sit, so the body can
// be forwarded with only that value replaced) and the "stream" flag. Malformed JSON is
// rejected here, so the upstream never sees it. Stateless; thread-safe.

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"

namespace omni::gateway {

struct RequestSniff {
  std::string model;  // decoded value of top-level "model" (empty when absent)
  bool has_model = false;
  // Byte range of the model value *including* its quotes in the body. Valid only when
  // model_span_exact (no escapes in the raw string); otherwise the body must be re-encoded.
  size_t model_begin = 0;
  size_t model_end = 0;
  bool model_span_exact = false;
  bool stream = false;
};

Result<RequestSniff> SniffRequest(std::string_view body);

}  // namespace omni::gateway
