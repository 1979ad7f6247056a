#include "anthropic_responder.h"

#include <boost/json.hpp>

namespace omni::mock {
namespace {

namespace json = boost::json;

// A fixed, base64-shaped thinking signature ("mock-thinking-signature"): deterministic, and a
// client that replays it unchanged can be checked byte for byte.
constexpr std::string_view kSignature = "bW9jay10aGlua2luZy1zaWduYXR1cmU=";

std::string MessageId(const Answer& answer) { return "msg_mock_" + std::to_string(answer.number); }
std::string ToolUseId(const Answer& answer) {
  return "toolu_mock_" + std::to_string(answer.number);
}
const char* StopReason(const Answer& answer) { return answer.tool_call ? "tool_use" : "end_turn"; }

json::object Usage(int64_t input_tokens, int64_t output_tokens) {
  return json::object{{"input_tokens", input_tokens},
                      {"cache_creation_input_tokens", 0},
                      {"cache_read_input_tokens", 0},
                      {"output_tokens", output_tokens}};
}

json::value ToolInput(const ScriptedToolCall& call) {
  boost::system::error_code ec;
  json::value input = json::parse(call.arguments, ec);
  return ec ? json::value(json::object{}) : input;
}

// {"type":<type>, ...fields} framed as one Anthropic SSE event.
std::string Event(std::string_view type, const json::object& fields) {
  json::object data{{"type", type}};
  for (const auto& [key, value] : fields) data.emplace(key, value);
  std::string event = "event: ";
  event.append(type);
  event += "\ndata: ";
  event += json::serialize(data);
  event += "\n\n";
  return event;
}

std::string ErrorType(int status) {
  switch (status) {
    case 401:
      return "authentication_error";
    case 402:
      return "billing_error";
    case 403:
      return "permission_error";
    case 404:
      return "not_found_error";
    case 413:
      return "request_too_large";
    case 429:
      return "rate_limit_error";
    case 504:
      return "timeout_error";
    case 529:
      return "overloaded_error";
    default:
      return status >= 500 ? "api_error" : "invalid_request_error";
  }
}

}  // namespace

std::optional<ParsedRequest> ParseAnthropicRequest(std::string_view body, std::string* error) {
  std::optional<json::object> doc = ParseJsonObject(body, "invalid JSON body: ", error);
  if (!doc) return std::nullopt;
  const json::object& o = *doc;
  ParsedRequest request;
  if (const json::value* m = o.if_contains("model"); m != nullptr && m->is_string()) {
    request.model = std::string(m->as_string());
  }
  if (const json::value* s = o.if_contains("stream"); s != nullptr && s->is_bool()) {
    request.stream = s->as_bool();
  }
  if (const json::value* system = o.if_contains("system")) {
    AddTurn(request, Turn::kContext, ContentText(*system));
  }
  const json::value* msgs = o.if_contains("messages");
  if (msgs == nullptr || !msgs->is_array()) return request;
  for (const json::value& msg : msgs->as_array()) {
    if (!msg.is_object()) continue;
    const json::value* content = msg.as_object().if_contains("content");
    const json::value* role = msg.as_object().if_contains("role");
    const bool user = role != nullptr && role->is_string() && role->as_string() == "user";
    std::string text = content != nullptr ? ContentText(*content) : "";
    if (!user) {
      AddTurn(request, Turn::kAssistant, std::move(text));
      continue;
    }
    // A user turn carrying tool_result blocks answers a tool call: it ends with the tool output.
    std::vector<std::string> results;
    if (content != nullptr && content->is_array()) {
      for (const json::value& block : content->as_array()) {
        const json::object* b = block.if_object();
        const json::value* type = b != nullptr ? b->if_contains("type") : nullptr;
        if (type == nullptr || *type != "tool_result") continue;
        const json::value* result = b->if_contains("content");
        results.push_back(result != nullptr ? ContentText(*result) : "");
      }
    }
    if (results.empty()) {
      AddTurn(request, Turn::kUser, std::move(text));
      continue;
    }
    AddTurn(request, Turn::kContext, std::move(text));
    for (std::string& result : results) AddTurn(request, Turn::kToolResult, std::move(result));
  }
  return request;
}

std::string AnthropicError(int status, std::string_view message, std::string_view code) {
  (void)code;
  json::object error{{"type", ErrorType(status)}, {"message", message}};
  return json::serialize(
      json::object{{"type", "error"}, {"error", std::move(error)}, {"request_id", "req_mock"}});
}

std::string AnthropicModelsJson() {
  json::array data;
  for (const char* id : {"mock-small", "mock-large"}) {
    const std::string_view name =
        id == std::string_view("mock-small") ? "Mock Small" : "Mock Large";
    data.push_back(json::object{{"type", "model"},
                                {"id", id},
                                {"display_name", name},
                                {"created_at", "2023-11-14T22:13:20Z"}});  // kMockCreated
  }
  return json::serialize(json::object{{"data", std::move(data)},
                                      {"has_more", false},
                                      {"first_id", "mock-small"},
                                      {"last_id", "mock-large"}});
}

std::string AnthropicMessageJson(const ParsedRequest& request, const Answer& answer) {
  json::array content;
  if (!answer.thinking.empty()) {
    content.push_back(json::object{
        {"type", "thinking"}, {"thinking", answer.thinking}, {"signature", kSignature}});
  }
  if (answer.has_text) content.push_back(json::object{{"type", "text"}, {"text", answer.text}});
  if (answer.tool_call) {
    content.push_back(json::object{{"type", "tool_use"},
                                   {"id", ToolUseId(answer)},
                                   {"name", answer.tool_call->name},
                                   {"input", ToolInput(*answer.tool_call)}});
  }
  json::object message{{"id", MessageId(answer)},
                       {"type", "message"},
                       {"role", "assistant"},
                       {"model", request.model},
                       {"content", std::move(content)},
                       {"stop_reason", StopReason(answer)},
                       {"stop_sequence", nullptr},
                       {"usage", Usage(answer.prompt_tokens, answer.output_tokens)}};
  return json::serialize(message);
}

std::vector<std::string> AnthropicStreamEvents(const ParsedRequest& request, const Answer& answer) {
  std::vector<std::string> events;
  json::object message{{"id", MessageId(answer)},  {"type", "message"},
                       {"role", "assistant"},      {"model", request.model},
                       {"content", json::array{}}, {"stop_reason", nullptr},
                       {"stop_sequence", nullptr}, {"usage", Usage(answer.prompt_tokens, 1)}};
  events.push_back(Event("message_start", json::object{{"message", std::move(message)}}));

  int64_t index = 0;
  // Opens a block; the first one is followed by a ping, as the real API does.
  auto start = [&](json::object block) {
    events.push_back(Event("content_block_start",
                           json::object{{"index", index}, {"content_block", std::move(block)}}));
    if (index == 0) events.push_back(Event("ping", json::object{}));
  };
  auto delta = [&](json::object body) {
    events.push_back(
        Event("content_block_delta", json::object{{"index", index}, {"delta", std::move(body)}}));
  };
  auto stop = [&] {
    events.push_back(Event("content_block_stop", json::object{{"index", index}}));
    ++index;
  };

  if (!answer.thinking.empty()) {
    start(json::object{{"type", "thinking"}, {"thinking", ""}, {"signature", ""}});
    for (const std::string& piece : answer.thinking_pieces) {
      delta(json::object{{"type", "thinking_delta"}, {"thinking", piece}});
    }
    delta(json::object{{"type", "signature_delta"}, {"signature", kSignature}});
    stop();
  }
  if (answer.has_text) {
    start(json::object{{"type", "text"}, {"text", ""}});
    for (const std::string& piece : answer.text_pieces) {
      delta(json::object{{"type", "text_delta"}, {"text", piece}});
    }
    stop();
  }
  if (answer.tool_call) {
    start(json::object{{"type", "tool_use"},
                       {"id", ToolUseId(answer)},
                       {"name", answer.tool_call->name},
                       {"input", json::object{}}});
    delta(json::object{{"type", "input_json_delta"}, {"partial_json", ""}});
    for (const std::string& piece : answer.argument_pieces) {
      delta(json::object{{"type", "input_json_delta"}, {"partial_json", piece}});
    }
    stop();
  }
  json::object usage{{"input_tokens", answer.prompt_tokens},
                     {"output_tokens", answer.output_tokens}};
  events.push_back(Event("message_delta",
                         json::object{{"delta", json::object{{"stop_reason", StopReason(answer)},
                                                             {"stop_sequence", nullptr}}},
                                      {"usage", std::move(usage)}}));
  events.push_back(Event("message_stop", json::object{}));
  return events;
}

}  // namespace omni::mock
