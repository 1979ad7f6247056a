#include "gateway/request_sniffer.h"

namespace omni::gateway {

Result<RequestSniff> SniffRequest(std::string_view body, formats::JsonDoc& doc) {
  RequestSniff sniff;
  auto root = doc.Parse(body);
  if (!root.ok()) {
    Error e = std::move(root).error();
    e.message = "request " + e.message;  // "request body is not valid JSON: ..."
    return e;
  }
  if (!root->is_object())
    return Error::InvalidRequest("request body must be a JSON object", "invalid_json");
  sniff.root = root->get_object();
  // Duplicate keys: the last one wins, as in the upstreams' JSON parsers, so routing checks
  // the model the provider will actually read.
  for (auto [key, value] : sniff.root) {
    if (key == "model") {
      sniff.has_model = value.is_string();
      sniff.model = sniff.has_model ? std::string(value.get_string()) : std::string();
      if (sniff.has_model) {
        // The value's exact bytes (escapes included) are what a splice replaces.
        sniff.model_begin = static_cast<size_t>(value.raw().data() - body.data());
        sniff.model_end = sniff.model_begin + value.raw().size();
      }
    } else if (key == "stream") {
      sniff.stream = value.is_bool() && value.get_bool();
    }
  }
  return sniff;
}

Result<RequestSniff> SniffRequest(std::string_view body) {
  formats::JsonDoc doc;
  return SniffRequest(body, doc);
}

}  // namespace omni::gateway
