#include "answer.h"

#include <algorithm>
#include <boost/json.hpp>

namespace omni::mock {
namespace {

namespace json = boost::json;

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

}  // namespace

void AddTurn(ParsedRequest& request, Turn turn, std::string text) {
  request.prompt_tokens += CountWords(text);
  switch (turn) {
    case Turn::kContext:
      break;
    case Turn::kUser:
      request.last_user_text = std::move(text);
      request.tool_result.reset();
      break;
    case Turn::kAssistant:
      request.tool_result.reset();
      break;
    case Turn::kToolResult:
      request.tool_result = std::move(text);
      break;
  }
}

std::optional<json::object> ParseJsonObject(std::string_view body, std::string_view prefix,
                                            std::string* error) {
  boost::system::error_code ec;
  json::value doc = json::parse(body, ec);
  if (ec) {
    *error = std::string(prefix) + ec.message();
    return std::nullopt;
  }
  if (!doc.is_object()) {
    *error = std::string(prefix) + "the request body must be a JSON object";
    return std::nullopt;
  }
  return std::move(doc.as_object());
}

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

std::string SniffModel(std::string_view body) {
  if (body.empty()) return "";
  boost::system::error_code ec;
  json::value doc = json::parse(body, ec);
  if (ec || !doc.is_object()) return "";
  const json::value* m = doc.as_object().if_contains("model");
  return m != nullptr && m->is_string() ? std::string(m->as_string()) : "";
}

int64_t CountWords(std::string_view text) {
  int64_t words = 0;
  bool in_word = false;
  for (char c : text) {
    bool space = IsSpace(c);
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

std::vector<std::string> SplitArguments(std::string_view arguments) {
  const size_t len = arguments.size();
  const size_t n = std::min(len, std::max<size_t>(3, (len + 7) / 8));
  std::vector<std::string> pieces;
  size_t start = 0;
  for (size_t i = 1; i <= n && start < len; ++i) {
    size_t end = len * i / n;
    // Never cut a UTF-8 sequence: move the cut past continuation bytes.
    while (end < len && (static_cast<unsigned char>(arguments[end]) & 0xC0) == 0x80) ++end;
    if (end <= start) continue;
    pieces.emplace_back(arguments.substr(start, end - start));
    start = end;
  }
  return pieces;
}

std::string EchoText(const ParsedRequest& request) {
  if (request.tool_result) return "echo: tool result " + *request.tool_result;
  return "echo: " + request.last_user_text;
}

Answer BuildAnswer(const ParsedRequest& request, const FaultRule* rule, int64_t number) {
  Answer answer;
  answer.number = number;
  // Real providers never report zero prompt tokens; keep usage plausible for accounting tests.
  answer.prompt_tokens = std::max<int64_t>(1, request.prompt_tokens);
  if (rule != nullptr && rule->thinking) {
    answer.thinking = *rule->thinking;
    answer.thinking_pieces = SplitIntoChunks(answer.thinking, std::nullopt);
    answer.thinking_tokens = CountWords(answer.thinking);
  }
  if (rule != nullptr && rule->tool_call) {
    answer.tool_call = rule->tool_call;
    answer.argument_pieces = SplitArguments(rule->tool_call->arguments);
    // A scripted tool call replaces the echo; `content` adds a text preamble before it.
    answer.text = rule->content.value_or("");
  } else {
    answer.text = rule != nullptr && rule->content ? *rule->content : EchoText(request);
  }
  answer.has_text = !answer.tool_call || !answer.text.empty();
  int64_t text_tokens = 0;
  if (answer.has_text) {
    answer.text_pieces =
        SplitIntoChunks(answer.text, rule != nullptr ? rule->chunks : std::nullopt);
    text_tokens = CountWords(answer.text);
    if (request.stream) {
      // A `chunks` count may repeat words: the stream's own text is what the pieces spell.
      answer.text.clear();
      for (const std::string& piece : answer.text_pieces) answer.text += piece;
      text_tokens = static_cast<int64_t>(answer.text_pieces.size());
    }
  }
  answer.output_tokens =
      text_tokens + answer.thinking_tokens + static_cast<int64_t>(answer.argument_pieces.size());
  return answer;
}

}  // namespace omni::mock
