#include "gemini_responder.h"

#include <boost/json.hpp>

namespace omni::mock {
namespace {

namespace json = boost::json;

void WriteStyled(const json::value& value, std::string& out) {
  if (const json::object* o = value.if_object()) {
    out += '{';
    bool first = true;
    for (const auto& [key, item] : *o) {
      if (!first) out += ',';
      first = false;
      out += json::serialize(key);
      out += ": ";
      WriteStyled(item, out);
    }
    out += '}';
  } else if (const json::array* a = value.if_array()) {
    out += '[';
    for (size_t i = 0; i < a->size(); ++i) {
      if (i > 0) out += ',';
      WriteStyled((*a)[i], out);
    }
    out += ']';
  } else {
    out += json::serialize(value);
  }
}

// A part with the usage it adds: streamed chunks carry running token counts.
struct Part {
  json::object part;
  int64_t thoughts = 0;
  int64_t candidates = 0;
};

json::object FunctionCallPart(const ScriptedToolCall& call) {
  boost::system::error_code ec;
  json::value args = json::parse(call.arguments, ec);
  if (ec) args = json::object{};
  return json::object{
      {"functionCall", json::object{{"name", call.name}, {"args", std::move(args)}}}};
}

// One GenerateContentResponse (a whole answer, or one streamed chunk of it).
json::object ResponseObject(const ParsedRequest& request, const Answer& answer, json::array parts,
                            bool last, int64_t thoughts, int64_t candidates) {
  json::object candidate{{"content", json::object{{"parts", std::move(parts)}, {"role", "model"}}}};
  if (last) candidate["finishReason"] = "STOP";
  candidate["index"] = 0;
  // Like the real API (proto3 JSON), zero counts are left out.
  json::object usage{{"promptTokenCount", answer.prompt_tokens}};
  if (candidates > 0) usage["candidatesTokenCount"] = candidates;
  usage["totalTokenCount"] = answer.prompt_tokens + candidates + thoughts;
  if (thoughts > 0) usage["thoughtsTokenCount"] = thoughts;
  return json::object{{"candidates", json::array{std::move(candidate)}},
                      {"usageMetadata", std::move(usage)},
                      {"modelVersion", request.model},
                      {"responseId", "gemini-mock-" + std::to_string(answer.number)}};
}

// The streamed chunks: one per thinking piece, text piece and tool call, at least one.
std::vector<json::object> StreamChunks(const ParsedRequest& request, const Answer& answer) {
  std::vector<Part> parts;
  for (const std::string& piece : answer.thinking_pieces) {
    parts.push_back(Part{json::object{{"text", piece}, {"thought", true}}, 1, 0});
  }
  for (const std::string& piece : answer.text_pieces) {
    parts.push_back(Part{json::object{{"text", piece}}, 0, 1});
  }
  if (answer.tool_call) {
    parts.push_back(Part{FunctionCallPart(*answer.tool_call), 0,
                         static_cast<int64_t>(answer.argument_pieces.size())});
  }
  if (parts.empty()) parts.push_back(Part{json::object{{"text", ""}}, 0, 0});
  std::vector<json::object> chunks;
  int64_t thoughts = 0;
  int64_t candidates = 0;
  for (size_t i = 0; i < parts.size(); ++i) {
    thoughts += parts[i].thoughts;
    candidates += parts[i].candidates;
    chunks.push_back(ResponseObject(request, answer, json::array{std::move(parts[i].part)},
                                    i + 1 == parts.size(), thoughts, candidates));
  }
  return chunks;
}

const char* RpcStatus(int status) {
  switch (status) {
    case 400:
      return "INVALID_ARGUMENT";
    case 401:
      return "UNAUTHENTICATED";
    case 403:
      return "PERMISSION_DENIED";
    case 404:
      return "NOT_FOUND";
    case 409:
      return "ABORTED";
    case 429:
      return "RESOURCE_EXHAUSTED";
    case 499:
      return "CANCELLED";
    case 501:
      return "UNIMPLEMENTED";
    case 503:
      return "UNAVAILABLE";
    case 504:
      return "DEADLINE_EXCEEDED";
    default:
      return status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION";
  }
}

}  // namespace

std::string GeminiStyleJson(const json::value& value) {
  std::string out;
  WriteStyled(value, out);
  return out;
}

std::optional<ParsedRequest> ParseGeminiRequest(std::string_view body, std::string* error) {
  std::optional<json::object> doc = ParseJsonObject(body, "Invalid JSON payload received. ", error);
  if (!doc) return std::nullopt;
  const json::object& o = *doc;
  ParsedRequest request;
  if (const json::value* system = o.if_contains("systemInstruction");
      system && system->is_object()) {
    const json::value* parts = system->as_object().if_contains("parts");
    if (parts != nullptr) AddTurn(request, Turn::kContext, ContentText(*parts));
  }
  const json::value* contents = o.if_contains("contents");
  if (contents == nullptr || !contents->is_array()) return request;
  for (const json::value& content : contents->as_array()) {
    if (!content.is_object()) continue;
    const json::value* parts = content.as_object().if_contains("parts");
    const json::value* role = content.as_object().if_contains("role");
    std::string text = parts != nullptr ? ContentText(*parts) : "";
    if (role != nullptr && role->is_string() && role->as_string() == "model") {
      AddTurn(request, Turn::kAssistant, std::move(text));
      continue;
    }
    // functionResponse parts answer a function call; their `response` object is the result.
    std::vector<std::string> results;
    if (parts != nullptr && parts->is_array()) {
      for (const json::value& part : parts->as_array()) {
        const json::object* p = part.if_object();
        const json::value* fr = p != nullptr ? p->if_contains("functionResponse") : nullptr;
        if (fr == nullptr || !fr->is_object()) continue;
        const json::value* response = fr->as_object().if_contains("response");
        results.push_back(response != nullptr ? json::serialize(*response) : "{}");
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

std::string GeminiError(int status, std::string_view message, std::string_view code) {
  (void)code;
  json::object error{{"code", status}, {"message", message}, {"status", RpcStatus(status)}};
  return GeminiStyleJson(json::object{{"error", std::move(error)}});
}

std::string GeminiModelsJson() {
  json::array models;
  for (const char* id : {"mock-small", "mock-large"}) {
    json::array methods{"generateContent", "streamGenerateContent"};
    models.push_back(json::object{{"name", std::string("models/") + id},
                                  {"version", "001"},
                                  {"displayName", id},
                                  {"inputTokenLimit", 1048576},
                                  {"outputTokenLimit", 65536},
                                  {"supportedGenerationMethods", std::move(methods)}});
  }
  return GeminiStyleJson(json::object{{"models", std::move(models)}});
}

std::string GeminiResponseJson(const ParsedRequest& request, const Answer& answer) {
  json::array parts;
  if (!answer.thinking.empty()) {
    parts.push_back(json::object{{"text", answer.thinking}, {"thought", true}});
  }
  if (answer.has_text) parts.push_back(json::object{{"text", answer.text}});
  if (answer.tool_call) parts.push_back(FunctionCallPart(*answer.tool_call));
  return GeminiStyleJson(ResponseObject(request, answer, std::move(parts), true,
                                        answer.thinking_tokens,
                                        answer.output_tokens - answer.thinking_tokens));
}

std::vector<std::string> GeminiStreamEvents(const ParsedRequest& request, const Answer& answer) {
  std::vector<std::string> events;
  for (const json::object& chunk : StreamChunks(request, answer)) {
    events.push_back("data: " + GeminiStyleJson(chunk) + "\r\n\r\n");
  }
  return events;
}

std::string GeminiStreamArrayJson(const ParsedRequest& request, const Answer& answer) {
  json::array chunks;
  for (json::object& chunk : StreamChunks(request, answer)) chunks.push_back(std::move(chunk));
  return GeminiStyleJson(chunks);
}

}  // namespace omni::mock
