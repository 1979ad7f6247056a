#include "openai_responder.h"

#include <boost/json.hpp>

namespace omni::mock {
namespace {

namespace json = boost::json;

// Text of a message's content: a plain string, or the "text" parts of a content array joined by
// a space (other part types such as images carry no text).
std::string ContentText(const json::value& content) {
  if (content.is_string()) return std::string(content.as_string());
  std::string text;
  if (!content.is_array()) return text;
  for (const json::value& part : content.as_array()) {
    if (!part.is_object()) continue;
    const json::value* t = part.as_object().if_contains("text");
    if (t == nullptr || !t->is_string()) continue;
    if (!text.empty()) text += ' ';
    text += t->as_string();
  }
  return text;
}

json::object Usage(int64_t prompt_tokens, int64_t completion_tokens) {
  return json::object{{"prompt_tokens", prompt_tokens},
                      {"completion_tokens", completion_tokens},
                      {"total_tokens", prompt_tokens + completion_tokens}};
}

json::object ChunkBase(const ChatRequest& request, std::string_view id) {
  return json::object{{"id", id},
                      {"object", "chat.completion.chunk"},
                      {"created", kMockCreated},
                      {"model", request.model}};
}

// One choice delta chunk. With include_usage the real API sends "usage":null on every chunk but
// the last; mirror that so clients' null handling is exercised.
std::string DeltaEvent(const ChatRequest& request, std::string_view id, json::object delta,
                       const char* finish_reason, const json::object* usage) {
  json::object chunk = ChunkBase(request, id);
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

}  // namespace

std::optional<ChatRequest> ParseChatRequest(std::string_view body, std::string* error) {
  boost::system::error_code ec;
  json::value doc = json::parse(body, ec);
  if (ec) {
    *error = "We could not parse the JSON body of your request: " + ec.message();
    return std::nullopt;
  }
  if (!doc.is_object()) {
    *error = "The request body must be a JSON object.";
    return std::nullopt;
  }
  const json::object& o = doc.as_object();
  ChatRequest request;
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
  if (const json::value* msgs = o.if_contains("messages"); msgs != nullptr && msgs->is_array()) {
    for (const json::value& msg : msgs->as_array()) {
      if (!msg.is_object()) continue;
      const json::value* content = msg.as_object().if_contains("content");
      if (content == nullptr) continue;
      std::string text = ContentText(*content);
      request.prompt_tokens += CountWords(text);
      const json::value* role = msg.as_object().if_contains("role");
      if (role != nullptr && role->is_string() && role->as_string() == "user") {
        request.last_user_text = std::move(text);
      }
    }
  }
  // Real providers never report zero prompt tokens; keep usage plausible for accounting tests.
  if (request.prompt_tokens == 0) request.prompt_tokens = 1;
  return request;
}

std::string SniffModel(std::string_view body) {
  if (body.empty()) return "";
  boost::system::error_code ec;
  json::value doc = json::parse(body, ec);
  if (ec || !doc.is_object()) return "";
  const json::value* m = doc.as_object().if_contains("model");
  return m != nullptr && m->is_string() ? std::string(m->as_string()) : "";
}

std::string EchoAnswer(const ChatRequest& request) { return "echo: " + request.last_user_text; }

int64_t CountWords(std::string_view text) {
  int64_t words = 0;
  bool in_word = false;
  for (char c : text) {
    bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words;
}

std::vector<std::string> SplitIntoChunks(std::string_view answer, std::optional<int64_t> count) {
  std::vector<std::string> words;
  size_t pos = 0;
  while (pos < answer.size()) {
    size_t start = answer.find_first_not_of(" \n\t\r", pos);
    if (start == std::string_view::npos) break;
    size_t end = answer.find_first_of(" \n\t\r", start);
    if (end == std::string_view::npos) end = answer.size();
    words.emplace_back(answer.substr(start, end - start));
    pos = end;
  }
  int64_t n = count.value_or(static_cast<int64_t>(words.size()));
  std::vector<std::string> pieces;
  pieces.reserve(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    std::string piece = i == 0 ? "" : " ";
    if (!words.empty()) piece += words[static_cast<size_t>(i) % words.size()];
    pieces.push_back(std::move(piece));
  }
  return pieces;
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
  json::object error{{"message", message}, {"type", type}};
  if (code.empty()) {
    error["code"] = nullptr;
  } else {
    error["code"] = code;
  }
  return json::serialize(json::object{{"error", std::move(error)}});
}

std::string CompletionJson(const ChatRequest& request, std::string_view id,
                           std::string_view content) {
  json::object message{{"role", "assistant"}, {"content", content}, {"refusal", nullptr}};
  json::object choice{{"index", 0},
                      {"message", std::move(message)},
                      {"logprobs", nullptr},
                      {"finish_reason", "stop"}};
  json::object response{{"id", id},
                        {"object", "chat.completion"},
                        {"created", kMockCreated},
                        {"model", request.model},
                        {"choices", json::array{std::move(choice)}},
                        {"usage", Usage(request.prompt_tokens, CountWords(content))}};
  return json::serialize(response);
}

std::vector<std::string> StreamEvents(const ChatRequest& request, std::string_view id,
                                      const std::vector<std::string>& pieces) {
  std::vector<std::string> events;
  events.reserve(pieces.size() + 4);
  events.push_back(DeltaEvent(request, id, json::object{{"role", "assistant"}, {"content", ""}},
                              nullptr, nullptr));
  for (const std::string& piece : pieces) {
    events.push_back(DeltaEvent(request, id, json::object{{"content", piece}}, nullptr, nullptr));
  }
  const json::object usage = Usage(request.prompt_tokens, static_cast<int64_t>(pieces.size()));
  if (request.include_usage) {
    events.push_back(DeltaEvent(request, id, json::object{}, "stop", nullptr));
    json::object last = ChunkBase(request, id);
    last["choices"] = json::array{};
    last["usage"] = usage;
    events.push_back("data: " + json::serialize(last) + "\n\n");
  } else {
    events.push_back(DeltaEvent(request, id, json::object{}, "stop", &usage));
  }
  events.push_back("data: [DONE]\n\n");
  return events;
}

}  // namespace omni::mock
