#pragma once
// The typed intermediate representation (IR) of the translation hub. Every wire format has
// one decoder (wire → IR) and one encoder (IR → wire) for requests, responses and stream
// events, so N formats need 2N codecs instead of N² pairwise translators.
//
// Conventions that every codec follows (see formats/README.md):
// - System prompts live in Request::system, never in messages.
// - Tool results live in Role::kTool messages that directly follow the assistant message
//   carrying the matching tool calls (NormalizeRequest enforces this after decoding).
// - Usage counts use OpenAI semantics: input includes cached tokens, output includes
//   reasoning tokens.
// - Signatures (Anthropic thinking signatures, Gemini thoughtSignature, Responses
//   encrypted_content) are only valid at the provider that issued them, so parts carrying
//   one remember the format they came from and encoders replay them only to that format.
// Plain value types; not thread-safe, cheap to move.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.h"

namespace omni::formats {

enum class Format { kOpenAIChat, kAnthropic, kGemini, kResponses };

// "openai_chat", "anthropic", "gemini", "responses" (the golden-test directory names).
std::string_view FormatName(Format format);
std::optional<Format> ParseFormat(std::string_view name);

// Human-readable notes about what a translation could not carry over (a dropped server
// tool, stop sequences the target lacks, ...). Never fatal.
struct Warnings {
  std::vector<std::string> items;
  void Add(std::string message) { items.push_back(std::move(message)); }
  bool empty() const { return items.empty(); }
};

// A wire field the IR does not model, kept as compact JSON text (re-emitted verbatim by the
// encoder of the format it came from).
struct JsonField {
  std::string key;
  std::string json;
  bool operator==(const JsonField&) const = default;
};
using JsonFields = std::vector<JsonField>;

// ---- content parts ---------------------------------------------------------------------

struct TextPart {
  std::string text;
  bool operator==(const TextPart&) const = default;
};

// An image (or other inline media): either base64 `data` + `media_type`, or a `url`.
struct ImagePart {
  std::string media_type;  // "image/png"; may be empty for URLs
  std::string data;        // base64, without the data: prefix
  std::string url;         // https://... or a provider file URI; empty for base64
  std::string detail;      // OpenAI "auto"/"low"/"high"; empty when unset
  bool is_url() const { return !url.empty(); }
  bool operator==(const ImagePart&) const = default;
};

struct ToolCallPart {
  std::string id;              // call id; decoders synthesize one when the wire has none
  std::string name;            // exactly as the client defined it
  std::string arguments_json;  // a JSON object as text ("{}" when there are none)
  std::string signature;       // Gemini thoughtSignature on the functionCall part
  std::optional<Format> signature_origin;
  bool operator==(const ToolCallPart&) const = default;
};

using ToolResultContent = std::variant<TextPart, ImagePart>;

struct ToolResultPart {
  std::string tool_call_id;
  std::string name;  // filled from the matching call by NormalizeRequest (Gemini needs it)
  std::vector<ToolResultContent> content;
  bool is_error = false;
  bool operator==(const ToolResultPart&) const = default;
};

// Reasoning content. For redacted thinking (Anthropic redacted_thinking) `text` is empty and
// `signature` holds the opaque data.
struct ThinkingPart {
  std::string text;
  std::string signature;  // Anthropic signature / Gemini thoughtSignature / encrypted_content
  bool redacted = false;
  std::string id;                // Responses reasoning item id (rs_...), replayed to Responses only
  std::optional<Format> origin;  // the format that issued `signature` / `id`
  bool operator==(const ThinkingPart&) const = default;
};

// A wire element with no IR meaning (e.g. Anthropic server_tool_use history, a Responses
// web_search_call item). Re-emitted verbatim by the encoder of `format`, dropped (with a
// warning) by the others.
struct OpaquePart {
  Format format;
  std::string json;  // compact JSON text
  bool operator==(const OpaquePart&) const = default;
};

using Part =
    std::variant<TextPart, ImagePart, ToolCallPart, ToolResultPart, ThinkingPart, OpaquePart>;

enum class Role { kUser, kAssistant, kTool };

struct Message {
  Role role = Role::kUser;
  std::vector<Part> parts;
  bool operator==(const Message&) const = default;
};

// ---- tools -----------------------------------------------------------------------------

enum class ToolKind {
  kFunction,   // a client-defined function with a JSON-schema
  kWebSearch,  // a provider-run web search (Anthropic web_search_*, Responses web_search,
               // Gemini googleSearch)
  kOther,      // another provider built-in; only the format in `raw_format` can send it
};

struct Tool {
  ToolKind kind = ToolKind::kFunction;
  std::string name;
  std::string description;
  std::string parameters;      // JSON Schema text (an object) for kFunction; "" when absent
  std::optional<bool> strict;  // OpenAI / Responses strict mode
  // The tool exactly as the source wire had it (built-ins, JSON text), for same-format
  // re-encoding.
  std::string raw;
  std::optional<Format> raw_format;
  bool operator==(const Tool&) const = default;
};

struct ToolChoice {
  enum class Mode { kAuto, kNone, kRequired, kTool };
  Mode mode = Mode::kAuto;
  std::string name;  // for kTool
  bool operator==(const ToolChoice&) const = default;
};

// ---- request ---------------------------------------------------------------------------

struct Sampling {
  std::optional<double> temperature;
  std::optional<double> top_p;
  std::optional<int64_t> top_k;
  std::optional<int64_t> max_tokens;
  std::vector<std::string> stop;
  bool operator==(const Sampling&) const = default;
};

// Reasoning / thinking configuration. Formats speak either an effort level or a token
// budget; reasoning_map.h converts between them when the target needs the other one.
struct Reasoning {
  bool enabled = true;                   // false: explicitly off (Gemini thinkingBudget 0, ...)
  std::string effort;                    // "minimal" | "low" | "medium" | "high" | ""
  std::optional<int64_t> budget_tokens;  // -1 = dynamic (Gemini)
  std::string summary;                   // Responses reasoning.summary ("auto", ...)
  bool operator==(const Reasoning&) const = default;
};

struct Request {
  std::string model;  // empty for Gemini (the model is in the URL)
  std::vector<TextPart> system;
  std::string system_role;  // OpenAI/Responses: "developer" when the client used it
  std::vector<Message> messages;
  std::vector<Tool> tools;
  std::optional<ToolChoice> tool_choice;
  std::optional<bool> parallel_tool_calls;
  Sampling sampling;
  std::optional<Reasoning> reasoning;
  bool stream = false;
  std::optional<bool> stream_include_usage;  // OpenAI stream_options.include_usage
  // Fields the decoder of `extra_format` did not model (seed, metadata, store, ...):
  // re-emitted only by the same format's encoder, so same-format round trips keep them.
  JsonFields extra;
  std::optional<Format> extra_format;
  bool operator==(const Request&) const = default;
};

// ---- response --------------------------------------------------------------------------

enum class FinishReason {
  kUnknown,
  kStop,           // natural end of turn
  kLength,         // max output tokens
  kStopSequence,   // a requested stop sequence matched
  kToolCalls,      // the model called tools
  kContentFilter,  // safety / refusal
  kPauseTurn,      // Anthropic server-tool pause
  kError,
};

struct Usage {
  int64_t input = 0;        // all input tokens, cached ones included
  int64_t output = 0;       // all output tokens, reasoning included
  int64_t cached = 0;       // input tokens read from cache
  int64_t cache_write = 0;  // input tokens written to cache (Anthropic)
  int64_t reasoning = 0;    // output tokens spent reasoning
  bool present = false;
  bool operator==(const Usage&) const = default;
};

struct Response {
  std::string id;
  std::string model;
  int64_t created = 0;  // unix seconds; 0 = unknown
  std::vector<Part> content;
  FinishReason finish = FinishReason::kUnknown;
  std::string stop_sequence;  // the matched stop sequence, when known
  Usage usage;
  JsonFields extra;
  std::optional<Format> extra_format;
  bool operator==(const Response&) const = default;
};

// ---- stream events ---------------------------------------------------------------------
// Blocks (text, thinking, tool call) are numbered by `index` in the order they open, from 0,
// independent of any wire index. A text or thinking block opens with its first delta; a
// tool-call block with ToolCallStart. At most one block is open at a time.

struct MessageStartEvent {
  std::string id;
  std::string model;
  int64_t created = 0;
  Usage usage;  // what is known at the start (Anthropic reports input tokens here)
  bool operator==(const MessageStartEvent&) const = default;
};
struct TextDeltaEvent {
  int index = 0;
  std::string text;
  bool operator==(const TextDeltaEvent&) const = default;
};
struct ThinkingDeltaEvent {
  int index = 0;
  std::string text;       // may be empty when only the signature arrives
  std::string signature;  // usually in its own event, just before the block stops
  bool redacted = false;
  std::string id;  // Responses reasoning item id
  std::optional<Format> origin;
  bool operator==(const ThinkingDeltaEvent&) const = default;
};
struct ToolCallStartEvent {
  int index = 0;
  std::string id;
  std::string name;
  std::string signature;  // Gemini thoughtSignature
  std::optional<Format> signature_origin;
  bool operator==(const ToolCallStartEvent&) const = default;
};
struct ToolCallArgsDeltaEvent {
  int index = 0;
  std::string fragment;
  bool operator==(const ToolCallArgsDeltaEvent&) const = default;
};
struct BlockStopEvent {
  int index = 0;
  bool operator==(const BlockStopEvent&) const = default;
};
struct UsageEvent {
  Usage usage;  // cumulative totals so far; the last one wins
  bool operator==(const UsageEvent&) const = default;
};
struct FinishEvent {
  FinishReason reason = FinishReason::kStop;
  std::string stop_sequence;
  bool operator==(const FinishEvent&) const = default;
};
struct ErrorEvent {
  Error error;
  bool operator==(const ErrorEvent& o) const {
    return error.status == o.error.status && error.type == o.error.type &&
           error.code == o.error.code && error.message == o.error.message;
  }
};
// The upstream stream is complete ([DONE], message_stop, response.completed, EOF).
struct EndEvent {
  bool operator==(const EndEvent&) const = default;
};

using StreamEvent = std::variant<MessageStartEvent, TextDeltaEvent, ThinkingDeltaEvent,
                                 ToolCallStartEvent, ToolCallArgsDeltaEvent, BlockStopEvent,
                                 UsageEvent, FinishEvent, ErrorEvent, EndEvent>;

}  // namespace omni::formats
