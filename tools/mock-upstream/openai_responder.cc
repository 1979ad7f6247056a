#include "openai_responder.h"

#include <boost/json.hpp>

namespace omni::mock {
namespace {

namespace json = boost::json;

std::string CompletionId(const Answer& answer) {
  return "chatcmpl-mock-" + std::to_string(answer.number);
}
std::string CallId(const Answer& answer) { return "call_mock_" + std::to_string(answer.number); }
const char* FinishReason(const Answer& answer) { return answer.tool_call ? "tool_calls" : "stop"; }

json::object Usage(const Answer& answer) {
  json::object usage{{"prompt_tokens", answer.prompt_tokens},
                     {"completion_tokens", answer.output_tokens},
                     {"total_tokens", answer.prompt_tokens + answer.output_tokens}};
  if (!answer.thinking.empty()) {
    usage["completion_tokens_details"] = json::object{{"reasoning_tokens", answer.thinking_tokens}};
  }
  return usage;
}

json::object ChunkBase(const ParsedRequest& request, const Answer& answer) {
  return json::object{{"id", CompletionId(answer)},
                      {"object", "chat.completion.chunk"},
                      {"created", kMockCreated},
                      {"model", request.model}};
}

// One choice delta chunk. With include_usage the real API sends "usage":null on every chunk but
// the last; mirror that so clients' null handling is exercised.
std::string DeltaEvent(const ParsedRequest& request, const Answer& answer, json::object delta,
                       const char* finish_reason, const json::object* usage) {
  json::object chunk = ChunkBase(request, answer);
  json::object choice{{"index", 0}, {"delta", std::move(delta)}, {"logprobs", nullptr}};
  if (finish_reason != nullptr) {
    choice["finish_reason"] = finish_reason;
  } else {
    choice["finish_reason"] = nullptr;
  }
  chunk["choices"] = json::array{std::move(choice)};
  if (usage != nullptr) {
    chunk["usage"] = *usage;
  } else if (request.include_usage) {
    chunk["usage"] = nullptr;
  }
  return "data: " + json::serialize(chunk) + "\n\n";
}

// {"tool_calls":[{"index":0, ...call}]}: the first delta of a call carries id, type and name.
json::object ToolCallDelta(const json::object& call) {
  json::object indexed{{"index", 0}};
  for (const auto& [key, value] : call) indexed.emplace(key, value);
  return json::object{{"tool_calls", json::array{std::move(indexed)}}};
}

}  // namespace

std::optional<ParsedRequest> ParseChatRequest(std::string_view body, std::string* error) {
  std::optional<json::object> doc =
      ParseJsonObject(body, "We could not parse the JSON body of your request: ", error);
  if (!doc) return std::nullopt;
  const json::object& o = *doc;
  ParsedRequest request;
  if (const json::value* m = o.if_contains("model"); m != nullptr && m->is_string()) {
    request.model = std::string(m->as_string());
  }
  if (const json::value* s = o.if_contains("stream"); s != nullptr && s->is_bool()) {
    request.stream = s->as_bool();
  }
  if (const json::value* so = o.if_contains("stream_options"); so != nullptr && so->is_object()) {
    const json::value* iu = so->as_object().if_contains("include_usage");
    request.include_usage = iu != nullptr && iu->is_bool() && iu->as_bool();
  }
  const json::value* msgs = o.if_contains("messages");
  if (msgs == nullptr || !msgs->is_array()) return request;
  for (const json::value& msg : msgs->as_array()) {
    if (!msg.is_object()) continue;
    const json::value* content = msg.as_object().if_contains("content");
    const json::value* role = msg.as_object().if_contains("role");
    const std::string_view r =
        role != nullptr && role->is_string() ? std::string_view(role->as_string()) : "";
    const Turn turn = r == "user"        ? Turn::kUser
                      : r == "tool"      ? Turn::kToolResult
                      : r == "assistant" ? Turn::kAssistant
                                         : Turn::kContext;
    AddTurn(request, turn, content != nullptr ? ContentText(*content) : "");
  }
  return request;
}

std::string ModelsListJson() {
  json::array data;
  for (const char* id : {"mock-small", "mock-large"}) {
    data.push_back(json::object{
        {"id", id}, {"object", "model"}, {"created", kMockCreated}, {"owned_by", "mock"}});
  }
  return json::serialize(json::object{{"object", "list"}, {"data", std::move(data)}});
}

std::string ErrorJson(std::string_view message, std::string_view type, std::string_view code) {
  json::object error{{"message", message}, {"type", type}, {"param", nullptr}};
  if (code.empty()) {
    error["code"] = nullptr;
  } else {
    error["code"] = code;
  }
  return json::serialize(json::object{{"error", std::move(error)}});
}

std::string OpenAiStatusError(int status, std::string_view message, std::string_view code) {
  const char* type = status == 429   ? "rate_limit_error"
                     : status >= 500 ? "server_error"
                                     : "invalid_request_error";
  return ErrorJson(message, type, code);
}

std::string CompletionJson(const ParsedRequest& request, const Answer& answer) {
  json::object message{{"role", "assistant"}};
  if (answer.has_text) {
    message["content"] = answer.text;
  } else {
    message["content"] = nullptr;
  }
  if (!answer.thinking.empty()) message["reasoning_content"] = answer.thinking;
  message["refusal"] = nullptr;
  if (answer.tool_call) {
    json::object function{{"name", answer.tool_call->name},
                          {"arguments", answer.tool_call->arguments}};
    message["tool_calls"] = json::array{json::object{
        {"id", CallId(answer)}, {"type", "function"}, {"function", std::move(function)}}};
  }
  json::object choice{{"index", 0},
                      {"message", std::move(message)},
                      {"logprobs", nullptr},
                      {"finish_reason", FinishReason(answer)}};
  json::object response{{"id", CompletionId(answer)},
                        {"object", "chat.completion"},
                        {"created", kMockCreated},
                        {"model", request.model},
                        {"choices", json::array{std::move(choice)}},
                        {"usage", Usage(answer)}};
  return json::serialize(response);
}

std::vector<std::string> StreamEvents(const ParsedRequest& request, const Answer& answer) {
  std::vector<std::string> events;
  events.reserve(answer.thinking_pieces.size() + answer.text_pieces.size() +
                 answer.argument_pieces.size() + 5);
  events.push_back(DeltaEvent(request, answer, json::object{{"role", "assistant"}, {"content", ""}},
                              nullptr, nullptr));
  for (const std::string& piece : answer.thinking_pieces) {
    json::object delta{{"content", nullptr}, {"reasoning_content", piece}};
    events.push_back(DeltaEvent(request, answer, std::move(delta), nullptr, nullptr));
  }
  for (const std::string& piece : answer.text_pieces) {
    events.push_back(
        DeltaEvent(request, answer, json::object{{"content", piece}}, nullptr, nullptr));
  }
  if (answer.tool_call) {
    json::object first{
        {"id", CallId(answer)},
        {"type", "function"},
        {"function", json::object{{"name", answer.tool_call->name}, {"arguments", ""}}}};
    events.push_back(DeltaEvent(request, answer, ToolCallDelta(first), nullptr, nullptr));
    for (const std::string& piece : answer.argument_pieces) {
      json::object call{{"function", json::object{{"arguments", piece}}}};
      events.push_back(DeltaEvent(request, answer, ToolCallDelta(call), nullptr, nullptr));
    }
  }
  const json::object usage = Usage(answer);
  if (request.include_usage) {
    events.push_back(DeltaEvent(request, answer, json::object{}, FinishReason(answer), nullptr));
    json::object last = ChunkBase(request, answer);
    last["choices"] = json::array{};
    last["usage"] = usage;
    events.push_back("data: " + json::serialize(last) + "\n\n");
  } else {
    events.push_back(DeltaEvent(request, answer, json::object{}, FinishReason(answer), &usage));
  }
  events.push_back("data: [DONE]\n\n");
  return events;
}

}  // namespace omni::mock
