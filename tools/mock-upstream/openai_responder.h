#pragma once
// The OpenAI Chat Completions dialect of the mock: request parsing and the answer rendered as a
// chat.completion or as its SSE chunk stream (tool calls as `tool_calls`, thinking as DeepSeek
// style `reasoning_content`). Also the OpenAI error and models-list bodies, which the Responses
// dialect shares. Pure functions with no I/O, so the server only decides *when* bytes go out,
// never *what* they are; what the answer says comes from answer.h.
//
// Thread-safety: all functions are pure and reentrant.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "answer.h"

namespace omni::mock {

// Parses a chat completion request body. On malformed JSON (or a non-object) returns nullopt
// and sets *error to a human message.
std::optional<ParsedRequest> ParseChatRequest(std::string_view body, std::string* error);

// Body of GET /v1/models.
std::string ModelsListJson();

// {"error":{"message":..,"type":..,"param":null,"code":..}}; code null when empty.
std::string ErrorJson(std::string_view message, std::string_view type, std::string_view code = "");
// The same, with the type an OpenAI endpoint uses for `status` (rate_limit_error, server_error,
// invalid_request_error).
std::string OpenAiStatusError(int status, std::string_view message, std::string_view code);

// A non-stream chat.completion object.
std::string CompletionJson(const ParsedRequest& request, const Answer& answer);

// The whole SSE stream as separate events, each already framed as "data: ...\n\n", ending with
// "data: [DONE]\n\n": role delta, reasoning_content deltas, one content delta per text piece,
// tool call deltas (id and name first, then the argument fragments), the finish chunk and usage.
// The server writes (and flushes) them one by one.
std::vector<std::string> StreamEvents(const ParsedRequest& request, const Answer& answer);

}  // namespace omni::mock
