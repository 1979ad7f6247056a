#pragma once
// The OpenAI Chat Completions dialect of the mock: request sniffing and deterministic answer
// bodies (non-stream JSON and SSE event lists). Pure functions with no I/O, so the server only
// decides *when* bytes go out, never *what* they are.
//
// The answer is "echo: " + the text of the last user message, split into words for streaming;
// token counts are word counts, so tests can predict every byte.
//
// Thread-safety: all functions are pure and reentrant.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace omni::mock {

inline constexpr int64_t kMockCreated = 1'700'000'000;

struct ChatRequest {
  std::string model;
  bool stream = false;
  bool include_usage = false;  // stream_options.include_usage
  std::string last_user_text;  // string content or the concatenated text parts
  int64_t prompt_tokens = 0;   // whitespace-separated words over all message texts
};

// Parses a chat completion request body. On malformed JSON (or a non-object) returns nullopt
// and sets *error to a human message.
std::optional<ChatRequest> ParseChatRequest(std::string_view body, std::string* error);

// Best-effort "model" field of any JSON body, for fault matching; "" when absent or malformed.
std::string SniffModel(std::string_view body);

// The default answer text for a request ("echo: " + last user text).
std::string EchoAnswer(const ChatRequest& request);

// Splits an answer into content pieces: word by word, or exactly `count` pieces cycling through
// the words when a rule asks for a chunk count. Concatenating the pieces gives the streamed text.
std::vector<std::string> SplitIntoChunks(std::string_view answer, std::optional<int64_t> count);

// Number of whitespace-separated words (the mock's "token" unit).
int64_t CountWords(std::string_view text);

// Body of GET /v1/models.
std::string ModelsListJson();

// {"error":{"message":..,"type":..,"code":..}}; code null when empty.
std::string ErrorJson(std::string_view message, std::string_view type, std::string_view code = "");

// A non-stream chat.completion object.
std::string CompletionJson(const ChatRequest& request, std::string_view id,
                           std::string_view content);

// The whole SSE stream as separate events, each already framed as "data: ...\n\n", ending with
// "data: [DONE]\n\n". The server writes (and flushes) them one by one.
std::vector<std::string> StreamEvents(const ChatRequest& request, std::string_view id,
                                      const std::vector<std::string>& pieces);

}  // namespace omni::mock
