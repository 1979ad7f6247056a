#include "responses_responder.h"

#include <boost/json.hpp>

namespace omni::mock {
namespace {

namespace json = boost::json;

std::string Id(std::string_view prefix, const Answer& answer) {
  return std::string(prefix) + std::to_string(answer.number);
}

json::object OutputText(std::string_view text) {
  return json::object{{"type", "output_text"},
                      {"annotations", json::array{}},
                      {"logprobs", json::array{}},
                      {"text", text}};
}

json::object SummaryText(std::string_view text) {
  return json::object{{"type", "summary_text"}, {"text", text}};
}

// The output items, as announced (`done` false: empty and in progress) or finished.
json::object ReasoningItem(const Answer& answer, bool done) {
  json::array summary;
  if (done) summary.push_back(SummaryText(answer.thinking));
  return json::object{
      {"id", Id("rs_mock_", answer)}, {"type", "reasoning"}, {"summary", std::move(summary)}};
}

json::object MessageItem(const Answer& answer, bool done) {
  json::array content;
  if (done) content.push_back(OutputText(answer.text));
  return json::object{{"id", Id("msg_mock_", answer)},
                      {"type", "message"},
                      {"status", done ? "completed" : "in_progress"},
                      {"content", std::move(content)},
                      {"role", "assistant"}};
}

json::object FunctionCallItem(const Answer& answer, bool done) {
  return json::object{{"id", Id("fc_mock_", answer)},
                      {"type", "function_call"},
                      {"status", done ? "completed" : "in_progress"},
                      {"arguments", done ? answer.tool_call->arguments : std::string()},
                      {"call_id", Id("call_mock_", answer)},
                      {"name", answer.tool_call->name}};
}

json::object ResponseObject(const ParsedRequest& request, const Answer& answer, bool done) {
  json::array output;
  json::value usage = nullptr;
  if (done) {
    if (!answer.thinking.empty()) output.push_back(ReasoningItem(answer, true));
    if (answer.has_text) output.push_back(MessageItem(answer, true));
    if (answer.tool_call) output.push_back(FunctionCallItem(answer, true));
    usage = json::object{
        {"input_tokens", answer.prompt_tokens},
        {"input_tokens_details", json::object{{"cached_tokens", 0}}},
        {"output_tokens", answer.output_tokens},
        {"output_tokens_details", json::object{{"reasoning_tokens", answer.thinking_tokens}}},
        {"total_tokens", answer.prompt_tokens + answer.output_tokens}};
  }
  return json::object{{"id", Id("resp_mock_", answer)},
                      {"object", "response"},
                      {"created_at", kMockCreated},
                      {"status", done ? "completed" : "in_progress"},
                      {"error", nullptr},
                      {"incomplete_details", nullptr},
                      {"model", request.model},
                      {"output", std::move(output)},
                      {"usage", std::move(usage)}};
}

// Collects typed events, numbering them: {"type":..,"sequence_number":N, ...fields}.
class EventList {
 public:
  void Add(std::string_view type, const json::object& fields) {
    json::object data{{"type", type}, {"sequence_number", next_++}};
    for (const auto& [key, value] : fields) data.emplace(key, value);
    std::string event = "event: ";
    event.append(type);
    event += "\ndata: ";
    event += json::serialize(data);
    event += "\n\n";
    events_.push_back(std::move(event));
  }
  std::vector<std::string> Take() { return std::move(events_); }

 private:
  int64_t next_ = 0;
  std::vector<std::string> events_;
};

}  // namespace

std::optional<ParsedRequest> ParseResponsesRequest(std::string_view body, std::string* error) {
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
  if (const json::value* instructions = o.if_contains("instructions")) {
    AddTurn(request, Turn::kContext, ContentText(*instructions));
  }
  const json::value* input = o.if_contains("input");
  if (input != nullptr && input->is_string()) {
    AddTurn(request, Turn::kUser, std::string(input->as_string()));
  }
  if (input == nullptr || !input->is_array()) return request;
  for (const json::value& item : input->as_array()) {
    const json::object* i = item.if_object();
    if (i == nullptr) continue;
    const json::value* type = i->if_contains("type");
    if (type != nullptr && *type == "function_call_output") {
      const json::value* output = i->if_contains("output");
      AddTurn(request, Turn::kToolResult, output != nullptr ? ContentText(*output) : "");
      continue;
    }
    const json::value* role = i->if_contains("role");
    const json::value* content = i->if_contains("content");
    std::string text = content != nullptr ? ContentText(*content) : "";
    const std::string_view r =
        role != nullptr && role->is_string() ? std::string_view(role->as_string()) : "";
    // Items without a role (function_call, reasoning, ...) are the model's own output.
    const Turn turn = r == "user"                         ? Turn::kUser
                      : r == "system" || r == "developer" ? Turn::kContext
                                                          : Turn::kAssistant;
    AddTurn(request, turn, std::move(text));
  }
  return request;
}

std::string ResponsesJson(const ParsedRequest& request, const Answer& answer) {
  return json::serialize(ResponseObject(request, answer, true));
}

std::vector<std::string> ResponsesStreamEvents(const ParsedRequest& request, const Answer& answer) {
  EventList events;
  events.Add("response.created",
             json::object{{"response", ResponseObject(request, answer, false)}});
  events.Add("response.in_progress",
             json::object{{"response", ResponseObject(request, answer, false)}});
  int64_t output_index = 0;
  if (!answer.thinking.empty()) {
    const std::string item_id = Id("rs_mock_", answer);
    const json::object at{
        {"item_id", item_id}, {"output_index", output_index}, {"summary_index", 0}};
    events.Add("response.output_item.added", json::object{{"output_index", output_index},
                                                          {"item", ReasoningItem(answer, false)}});
    json::object part = at;
    part["part"] = SummaryText("");
    events.Add("response.reasoning_summary_part.added", part);
    for (const std::string& piece : answer.thinking_pieces) {
      json::object delta = at;
      delta["delta"] = piece;
      events.Add("response.reasoning_summary_text.delta", delta);
    }
    json::object text_done = at;
    text_done["text"] = answer.thinking;
    events.Add("response.reasoning_summary_text.done", text_done);
    part["part"] = SummaryText(answer.thinking);
    events.Add("response.reasoning_summary_part.done", part);
    events.Add("response.output_item.done",
               json::object{{"output_index", output_index}, {"item", ReasoningItem(answer, true)}});
    ++output_index;
  }
  if (answer.has_text) {
    const std::string item_id = Id("msg_mock_", answer);
    const json::object at{
        {"item_id", item_id}, {"output_index", output_index}, {"content_index", 0}};
    events.Add("response.output_item.added",
               json::object{{"output_index", output_index}, {"item", MessageItem(answer, false)}});
    json::object part = at;
    part["part"] = OutputText("");
    events.Add("response.content_part.added", part);
    for (const std::string& piece : answer.text_pieces) {
      json::object delta = at;
      delta["delta"] = piece;
      delta["logprobs"] = json::array{};
      events.Add("response.output_text.delta", delta);
    }
    json::object text_done = at;
    text_done["text"] = answer.text;
    text_done["logprobs"] = json::array{};
    events.Add("response.output_text.done", text_done);
    part["part"] = OutputText(answer.text);
    events.Add("response.content_part.done", part);
    events.Add("response.output_item.done",
               json::object{{"output_index", output_index}, {"item", MessageItem(answer, true)}});
    ++output_index;
  }
  if (answer.tool_call) {
    const json::object at{{"item_id", Id("fc_mock_", answer)}, {"output_index", output_index}};
    events.Add(
        "response.output_item.added",
        json::object{{"output_index", output_index}, {"item", FunctionCallItem(answer, false)}});
    for (const std::string& piece : answer.argument_pieces) {
      json::object delta = at;
      delta["delta"] = piece;
      events.Add("response.function_call_arguments.delta", delta);
    }
    json::object done = at;
    done["arguments"] = answer.tool_call->arguments;
    events.Add("response.function_call_arguments.done", done);
    events.Add("response.output_item.done", json::object{{"output_index", output_index},
                                                         {"item", FunctionCallItem(answer, true)}});
  }
  events.Add("response.completed",
             json::object{{"response", ResponseObject(request, answer, true)}});
  return events.Take();
}

}  // namespace omni::mock
