#pragma once
// The wire formats the mock speaks and which one a request is addressed to. A Dialect bundles a
// format's pure functions (parse, render, error shape, models list), so the /v1 exchange handles
// every format through one code path:
//
//   POST /v1/chat/completions                      OpenAI chat
//   POST /v1/responses                             OpenAI Responses
//   POST /v1/messages (any query, e.g. ?beta=true) Anthropic
//   POST /v1beta/models/{model}:generateContent    Gemini (:streamGenerateContent streams; SSE
//                                                  with ?alt=sse, else one JSON array)
//   GET  /v1/models                                OpenAI list, or Anthropic's when the client
//                                                  sends anthropic-version
//   GET  /v1beta/models                            Gemini list
//
// Anything else is a 404 in the shape of the path's family (Gemini under /v1beta, Anthropic
// for a client sending anthropic-version, else OpenAI).
//
// Thread-safety: the dialect tables are immutable; all functions are pure.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "answer.h"

namespace omni::mock {

struct Dialect {
  // Parses a generation request; nullopt and *error on malformed input.
  std::optional<ParsedRequest> (*parse)(std::string_view body, std::string* error);
  std::string (*body)(const ParsedRequest& request, const Answer& answer);  // non-stream JSON
  std::vector<std::string> (*events)(const ParsedRequest& request, const Answer& answer);
  // A stream answered as one JSON array instead of SSE; null where the format has no such mode.
  std::string (*stream_array)(const ParsedRequest& request, const Answer& answer);
  // An error body in this format's shape; `code` is used where the format has one (OpenAI).
  std::string (*error)(int status, std::string_view message, std::string_view code);
  std::string (*models)();
};

enum class EndpointKind { kGenerate, kModels, kUnknown };

struct Endpoint {
  EndpointKind kind = EndpointKind::kUnknown;
  const Dialect* dialect = nullptr;  // never null: it also shapes errors for unknown paths
  std::string model;           // from the URL (Gemini, %XX-decoded); empty = the body's "model"
  std::optional<bool> stream;  // from the URL (Gemini); nullopt = the body's "stream"
  bool sse = true;             // false: answer a stream with `stream_array`
};

// `path` is the target without its query. `anthropic_client`: the request carries
// anthropic-version (it decides the shape of /v1/models and of 404s).
Endpoint ClassifyEndpoint(bool is_get, bool is_post, std::string_view path, std::string_view query,
                          bool anthropic_client);

}  // namespace omni::mock
