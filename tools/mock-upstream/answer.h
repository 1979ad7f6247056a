#pragma once
// The format-neutral core of the mock's answers. Each format's parser (OpenAI chat, Anthropic
// Messages, Gemini, OpenAI Responses) reduces its request to a ParsedRequest through AddTurn;
// BuildAnswer then decides *what* the mock says exactly once (echo text, scripted content, tool
// call, thinking, streaming pieces, token counts), and each responder only renders that Answer
// in its own wire shape. So every format answers the same request the same way.
//
// The answer is "echo: " + the text of the last user message, or "echo: tool result " + the
// tool output when the conversation ends with a tool result. Token counts are word counts (a
// streamed piece counts as one token), so tests can predict every byte.
//
// Thread-safety: all functions are pure and reentrant.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fault_script.h"

namespace omni::mock {

inline constexpr int64_t kMockCreated = 1'700'000'000;

// What the mock needs to know about a generation request, whatever its format.
struct ParsedRequest {
  std::string model;
  bool stream = false;
  bool include_usage = false;              // OpenAI chat stream_options.include_usage
  std::string last_user_text;              // text of the last user message
  std::optional<std::string> tool_result;  // set when the conversation ends with a tool result
  int64_t prompt_tokens = 0;               // words over all system/message texts
};

// One message (or system prompt) of a conversation, fed in order.
enum class Turn {
  kContext,     // system prompt / instructions: counted only
  kUser,        // becomes last_user_text
  kAssistant,   // counted; a conversation ending here does not end with a tool result
  kToolResult,  // the conversation (so far) ends with this tool output
};
void AddTurn(ParsedRequest& request, Turn turn, std::string text);

// Parses a request body that must be a JSON object. On failure returns nullopt and sets *error
// to `prefix` + the reason.
std::optional<boost::json::object> ParseJsonObject(std::string_view body, std::string_view prefix,
                                                   std::string* error);

// Text of a content value: a plain string, or the "text" fields of an array of parts joined by a
// space (parts without text, such as images, are skipped).
std::string ContentText(const boost::json::value& content);

// Best-effort "model" field of any JSON body, for fault matching; "" when absent or malformed.
std::string SniffModel(std::string_view body);

// Number of whitespace-separated words (the mock's "token" unit).
int64_t CountWords(std::string_view text);

// Splits an answer into content pieces: word by word, or exactly `count` pieces cycling through
// the words when a rule asks for a chunk count. Concatenating the pieces gives the streamed text.
std::vector<std::string> SplitIntoChunks(std::string_view answer, std::optional<int64_t> count);

// Splits tool-call argument JSON into at least 3 fragments (about 8 bytes each, never inside a
// UTF-8 sequence) that concatenate back to the input; fewer only for inputs under 3 bytes.
std::vector<std::string> SplitArguments(std::string_view arguments);

// Everything a response says, in the order every format emits it: thinking, text, tool call.
struct Answer {
  int64_t number = 0;    // the N of this answer's ids (chatcmpl-mock-N, msg_mock_N, resp_mock_N)
  std::string thinking;  // empty: no reasoning block
  std::vector<std::string> thinking_pieces;
  bool has_text = true;  // emit a text block/part/item (false for a tool call without text)
  std::string text;      // when streaming: exactly the concatenated pieces
  std::vector<std::string> text_pieces;  // streamed text, one piece per content event
  std::optional<ScriptedToolCall> tool_call;
  std::vector<std::string> argument_pieces;  // streamed tool arguments
  int64_t prompt_tokens = 1;
  int64_t thinking_tokens = 0;
  int64_t output_tokens = 0;  // text + thinking + tool call
};

// The default text for a request: the echo of the last user text or of the tool result.
std::string EchoText(const ParsedRequest& request);

// Builds the answer to `request`, shaped by the matching fault rule (may be null): `content`,
// `chunks`, `tool_call`, `thinking`. Streaming requests count text tokens per piece.
Answer BuildAnswer(const ParsedRequest& request, const FaultRule* rule, int64_t number);

}  // namespace omni::mock
