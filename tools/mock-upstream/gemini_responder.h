#pragma once
// The Gemini dialect of the mock (POST /v1beta/models/{model}:generateContent and
// :streamGenerateContent): request parsing (the model and streaming come from the URL, see
// dialect.h), GenerateContentResponse bodies, the SSE stream as one partial response per
// `data:` event with CRLF framing like the real API, Google-style error bodies and the models
// list. Thinking is a part with "thought": true, a tool call a functionCall part; every chunk
// carries the running usageMetadata and the last one finishReason STOP.
//
// Bodies use Gemini's own JSON spacing (`{"key": value,"key2": ...}`), as the fixtures do.
//
// Thread-safety: all functions are pure and reentrant.

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "answer.h"

namespace omni::mock {

// The body of a generateContent request; `model` and `stream` are left for the caller.
std::optional<ParsedRequest> ParseGeminiRequest(std::string_view body, std::string* error);

// {"error":{"code":status,"message":..,"status":<google.rpc code>}}; `code` is unused.
std::string GeminiError(int status, std::string_view message, std::string_view code);

// Body of GET /v1beta/models.
std::string GeminiModelsJson();

std::string GeminiResponseJson(const ParsedRequest& request, const Answer& answer);

// Framed "data: <chunk>\r\n\r\n" events.
std::vector<std::string> GeminiStreamEvents(const ParsedRequest& request, const Answer& answer);

// The same chunks as one JSON array (:streamGenerateContent without alt=sse).
std::string GeminiStreamArrayJson(const ParsedRequest& request, const Answer& answer);

// Serializes with Gemini's spacing: a space after ':', none after ','.
std::string GeminiStyleJson(const boost::json::value& value);

}  // namespace omni::mock
