#pragma once
// The upstream body when client and provider speak the same format: the client's bytes with
// only the model value replaced, as up to three string_views written in one gather write (no
// copy, no re-serialisation). A body without a model (Gemini) goes through untouched; an
// escaped model string cannot be located byte-exactly, so that rare case is re-encoded.

#include <array>
#include <string>
#include <string_view>

#include "core/result.h"
#include "gateway/request_sniffer.h"

namespace omni::gateway {

struct SplicedBody {
  std::string model_json;  // the new model value, quoted (backs parts[1])
  std::string reencoded;   // the re-encoded body in the fallback case (backs parts[0])
  std::array<std::string_view, 3> parts;
  size_t n_parts = 0;
};

// `out` must stay where it is while `parts` are used (they point into it and into `body`).
Status SpliceModel(std::string_view body, const RequestSniff& sniff, std::string_view model,
                   SplicedBody& out);

}  // namespace omni::gateway
