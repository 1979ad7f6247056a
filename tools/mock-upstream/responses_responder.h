#pragma once
// The OpenAI Responses dialect of the mock (POST /v1/responses): request parsing (`input` as a
// string or items, `instructions`, function_call_output items as tool results), the `response`
// object and its SSE stream of typed events with increasing sequence_number
// (response.created ... response.completed). Thinking is a `reasoning` item streamed as summary
// deltas, a tool call a `function_call` item streamed as function_call_arguments deltas. Errors
// and the models list are the OpenAI ones (openai_responder.h).
//
// Thread-safety: all functions are pure and reentrant.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "answer.h"

namespace omni::mock {

std::optional<ParsedRequest> ParseResponsesRequest(std::string_view body, std::string* error);

std::string ResponsesJson(const ParsedRequest& request, const Answer& answer);

// Framed "event: <type>\ndata: <json>\n\n" events.
std::vector<std::string> ResponsesStreamEvents(const ParsedRequest& request, const Answer& answer);

}  // namespace omni::mock
