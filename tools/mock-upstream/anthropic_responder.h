#pragma once
// The Anthropic Messages dialect of the mock (POST /v1/messages): request parsing, the answer as
// a `message` object or as the exact Anthropic SSE sequence (message_start, content_block_start,
// ping, content_block_delta, content_block_stop, message_delta, message_stop, each with its
// `event:` line), Anthropic error bodies and the models list. Thinking is a `thinking` block
// with a signature, a tool call a `tool_use` block streamed as input_json_delta fragments.
//
// Thread-safety: all functions are pure and reentrant.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "answer.h"

namespace omni::mock {

std::optional<ParsedRequest> ParseAnthropicRequest(std::string_view body, std::string* error);

// {"type":"error","error":{"type":<by status>,"message":..},"request_id":..}; `code` is unused
// (Anthropic errors have none).
std::string AnthropicError(int status, std::string_view message, std::string_view code);

// Body of GET /v1/models for a client that sends anthropic-version.
std::string AnthropicModelsJson();

std::string AnthropicMessageJson(const ParsedRequest& request, const Answer& answer);

// Framed "event: <type>\ndata: <json>\n\n" events.
std::vector<std::string> AnthropicStreamEvents(const ParsedRequest& request, const Answer& answer);

}  // namespace omni::mock
