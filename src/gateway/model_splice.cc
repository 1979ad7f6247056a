#include "gateway/model_splice.h"

#include "core/json_text.h"

namespace omni::gateway {

void SpliceModel(std::string_view body, const RequestSniff& sniff, std::string_view model,
                 SplicedBody& out) {
  if (!sniff.has_model) {
    out.parts[0] = body;
    out.n_parts = 1;
    return;
  }
  AppendJsonQuoted(out.model_json, model);
  out.parts = {body.substr(0, sniff.model_begin), out.model_json, body.substr(sniff.model_end)};
  out.n_parts = 3;
}

}  // namespace omni::gateway
