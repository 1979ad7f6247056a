#include "gateway/model_splice.h"

#include <boost/json.hpp>

#include "core/json_text.h"

namespace omni::gateway {

Status SpliceModel(std::string_view body, const RequestSniff& sniff, std::string_view model,
                   SplicedBody& out) {
  if (!sniff.has_model) {
    out.parts[0] = body;
    out.n_parts = 1;
    return {};
  }
  if (sniff.model_span_exact) {
    AppendJsonQuoted(out.model_json, model);
    out.parts = {body.substr(0, sniff.model_begin), out.model_json, body.substr(sniff.model_end)};
    out.n_parts = 3;
    return {};
  }
  boost::system::error_code ec;
  auto doc = boost::json::parse(boost::json::string_view(body.data(), body.size()), ec);
  if (ec || !doc.is_object())
    return Error::InvalidRequest("request body is not a JSON object", "invalid_json");
  doc.as_object()["model"] = boost::json::string(model.data(), model.size());
  out.reencoded = boost::json::serialize(doc);
  out.parts[0] = out.reencoded;
  out.n_parts = 1;
  return {};
}

}  // namespace omni::gateway
