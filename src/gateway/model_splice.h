#pragma once
// The upstream body when client and provider speak the same format: the client's bytes with
// only the model value replaced, as up to three string_views written in one gather write (no
// copy, no re-serialisation). A body without a model (Gemini) goes through untouched.

#include <array>
#include <string>
#include <string_view>

#include "core/result.h"
#include "gateway/request_sniffer.h"

namespace omni::gateway {

struct SplicedBody {
  std::string model_json;  // the new model value, quoted (backs parts[1])
  std::string reencoded;   // a body translated to another format (backs parts[0])
  std::array<std::string_view, 3> parts;
  size_t n_parts = 0;
};

// `out` must stay where it is while `parts` are used (they point into it and into `body`).
void SpliceModel(std::string_view body, const RequestSniff& sniff, std::string_view model,
                 SplicedBody& out);

}  // namespace omni::gateway
