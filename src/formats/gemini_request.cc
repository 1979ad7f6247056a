// Gemini generateContent requests, decode half (wire → IR); gemini_request_encoder.cc encodes.
// The model is in the URL, not the body: decode leaves Request::model empty.
#include <algorithm>
#include <cctype>
#include <deque>
#include <iterator>
#include <map>

#include "formats/codec_util.h"
#include "formats/codecs.h"
#include "formats/reasoning_map.h"
#include "formats/request_normalize.h"
#include "formats/schema_cleanup.h"

namespace omni::formats {
namespace {

constexpr Format kSelf = Format::kGemini;

// protobuf JSON accepts camelCase and snake_case field names.
std::optional<JVal> AnyField(const JObj& o, std::string_view camel, std::string_view snake) {
  auto v = Field(o, camel);
  return v ? v : Field(o, snake);
}

std::optional<JObj> AnyObject(const JObj& o, std::string_view camel, std::string_view snake) {
  auto v = AnyField(o, camel, snake);
  if (!v || !v->is_object()) return std::nullopt;
  return v->get_object();
}

struct CallIds {
  int next = 1;
  // Function name → ids of its calls not answered yet (names are views into the body).
  std::map<std::string_view, std::deque<std::string>> pending;

  std::string Synthesize() { return "call_" + std::to_string(next++); }
};

ToolResultPart DecodeFunctionResponse(const JObj& fr, CallIds& ids) {
  ToolResultPart result;
  std::string_view name = StringField(fr, "name");
  result.name = name;
  result.tool_call_id = StringField(fr, "id");
  auto& queue = ids.pending[name];
  if (result.tool_call_id.empty() && !queue.empty()) result.tool_call_id = queue.front();
  if (!queue.empty() && queue.front() == result.tool_call_id) queue.pop_front();
  if (result.tool_call_id.empty()) result.tool_call_id = ids.Synthesize();
  // Unwrap the {"result": "..."} / {"error": ...} envelopes; keep other objects as JSON.
  auto response = Field(fr, "response");
  if (response && response->is_object() && response->get_object().size() == 1) {
    JObj o = response->get_object();
    if (auto res = o.find("result"); res && res->is_string()) {
      result.content.push_back(TextPart{std::string(res->get_string())});
    } else if (auto e = o.find("error")) {
      result.is_error = true;
      result.content.push_back(TextPart{e->is_string() ? std::string(e->get_string()) : e->Json()});
    }
  }
  if (result.content.empty() && response) result.content.push_back(TextPart{response->Json()});
  return result;
}

// The members a part is told apart by, found in one pass over it (a part has one or two
// members, but was searched for up to eleven names). Each slot holds the first member of its
// name, as a lookup would find it; [0] camelCase, [1] snake_case.
struct PartFields {
  explicit PartFields(const JObj& p) {
    auto first = [](std::optional<JVal>& slot, JVal v) {
      if (!slot) slot = v;
    };
    for (auto [key, v] : p) {
      switch (key.size()) {
        case 4:
          if (key == "text") first(text, v);
          break;
        case 7:
          if (key == "thought") first(thought, v);
          break;
        case 8:
          if (key == "fileData") first(file_data[0], v);
          break;
        case 9:
          if (key == "file_data") first(file_data[1], v);
          break;
        case 10:
          if (key == "inlineData") first(inline_data[0], v);
          break;
        case 11:
          if (key == "inline_data") first(inline_data[1], v);
          break;
        case 12:
          if (key == "functionCall") first(function_call[0], v);
          break;
        case 13:
          if (key == "function_call") first(function_call[1], v);
          break;
        case 16:
          if (key == "thoughtSignature")
            first(signature, v);
          else if (key == "functionResponse")
            first(function_response[0], v);
          break;
        case 17:
          if (key == "function_response") first(function_response[1], v);
          break;
      }
    }
  }
  // AnyObject's rule: the camelCase member unless missing or null, else the snake_case one.
  static std::optional<JObj> Object(const std::optional<JVal> (&names)[2]) {
    const std::optional<JVal>& v = names[0] && !names[0]->is_null() ? names[0] : names[1];
    if (!v || !v->is_object()) return std::nullopt;
    return v->get_object();
  }

  std::optional<JVal> text, thought, signature;
  std::optional<JVal> inline_data[2], file_data[2], function_call[2], function_response[2];
};

void DecodeContent(const JObj& c, Request& r, CallIds& ids) {
  auto parts = ArrayField(c, "parts");
  if (!parts) return;
  bool model = StringField(c, "role") == "model";
  Message msg{model ? Role::kAssistant : Role::kUser, {}};
  msg.parts.reserve(parts->size());
  Message results{Role::kTool, {}};
  for (JVal item : *parts) {
    if (!item.is_object()) continue;
    const PartFields fields(item.get_object());
    std::string_view signature = fields.signature && fields.signature->is_string()
                                     ? fields.signature->get_string()
                                     : std::string_view();
    if (auto text = fields.text; text && text->is_string()) {
      if (fields.thought && fields.thought->is_bool() && fields.thought->get_bool()) {
        msg.parts.push_back(ThinkingPart{std::string(text->get_string()), std::string(signature),
                                         false, "", kSelf});
      } else {
        msg.parts.push_back(TextPart{std::string(text->get_string())});
      }
    } else if (auto d = PartFields::Object(fields.inline_data)) {
      ImagePart image;
      image.media_type = StringField(*d, "mimeType");
      image.data = StringField(*d, "data");
      msg.parts.push_back(std::move(image));
    } else if (auto f = PartFields::Object(fields.file_data)) {
      ImagePart image;
      image.media_type = StringField(*f, "mimeType");
      image.url = StringField(*f, "fileUri");
      msg.parts.push_back(std::move(image));
    } else if (auto fc = PartFields::Object(fields.function_call)) {
      ToolCallPart call;
      std::string_view name = StringField(*fc, "name");
      call.name = name;
      call.id = StringField(*fc, "id");
      if (call.id.empty()) call.id = ids.Synthesize();
      auto args = Field(*fc, "args");
      call.arguments_json = args ? args->Json() : "{}";
      if (!signature.empty()) {
        call.signature = signature;
        call.signature_origin = kSelf;
      }
      ids.pending[name].push_back(call.id);
      msg.parts.push_back(std::move(call));
    } else if (auto fr = PartFields::Object(fields.function_response)) {
      results.parts.push_back(DecodeFunctionResponse(*fr, ids));
    } else {
      msg.parts.push_back(OpaquePart{kSelf, item.Json()});
    }
  }
  if (!results.parts.empty()) r.messages.push_back(std::move(results));
  if (!msg.parts.empty()) r.messages.push_back(std::move(msg));
}

void DecodeTools(const JArr& tools, Request& r) {
  for (JVal t : tools) {
    if (!t.is_object()) continue;
    JObj o = t.get_object();
    if (auto decls = AnyField(o, "functionDeclarations", "function_declarations")) {
      if (!decls->is_array()) continue;
      for (JVal d : decls->get_array()) {
        if (!d.is_object()) continue;
        JObj fd = d.get_object();
        Tool tool;
        tool.name = StringField(fd, "name");
        tool.description = StringField(fd, "description");
        if (auto p = Field(fd, "parameters")) {
          tool.parameters.reserve(256);  // a typical tool schema, without regrowing
          JsonWriter schema(tool.parameters);
          NormalizeSchemaFromGemini(schema, *p);
        }
        if (auto p = Field(fd, "parametersJsonSchema")) tool.parameters = p->Json();
        r.tools.push_back(std::move(tool));
      }
      continue;
    }
    Tool tool;
    tool.name = o.empty() ? std::string_view() : (*o.begin()).key;
    bool search = tool.name == "googleSearch" || tool.name == "google_search" ||
                  tool.name == "googleSearchRetrieval" || tool.name == "google_search_retrieval";
    tool.kind = search ? ToolKind::kWebSearch : ToolKind::kOther;
    tool.raw = t.Json();
    tool.raw_format = kSelf;
    r.tools.push_back(std::move(tool));
  }
}

std::optional<ToolChoice> DecodeToolConfig(const JObj& tc) {
  auto fcc = AnyObject(tc, "functionCallingConfig", "function_calling_config");
  if (!fcc) return std::nullopt;
  std::string_view mode = StringField(*fcc, "mode");
  ToolChoice choice;
  if (mode == "NONE") choice.mode = ToolChoice::Mode::kNone;
  if (mode == "ANY" || mode == "VALIDATED") {
    choice.mode = ToolChoice::Mode::kRequired;
    auto names = ArrayField(*fcc, "allowedFunctionNames");
    if (names && names->size() == 1 && (*names)[0].is_string()) {
      choice.mode = ToolChoice::Mode::kTool;
      choice.name = (*names)[0].get_string();
    }
  }
  return choice;
}

// generationConfig: sampling and thinking into the IR, anything else into `leftover`.
void DecodeGenerationConfig(const JObj& gc, Request& r, JsonFields& leftover) {
  r.sampling.temperature = NumberField(gc, "temperature");
  r.sampling.top_p = NumberField(gc, "topP");
  r.sampling.top_k = IntField(gc, "topK");
  r.sampling.max_tokens = IntField(gc, "maxOutputTokens");
  if (auto stop = ArrayField(gc, "stopSequences"))
    for (JVal s : *stop)
      if (s.is_string()) r.sampling.stop.emplace_back(s.get_string());
  if (auto th = ObjectField(gc, "thinkingConfig")) {
    Reasoning reasoning;
    reasoning.budget_tokens = IntField(*th, "thinkingBudget");
    reasoning.effort = StringField(*th, "thinkingLevel");
    for (char& ch : reasoning.effort) ch = static_cast<char>(std::tolower(ch));
    reasoning.enabled = reasoning.budget_tokens != 0;
    if (!reasoning.enabled) reasoning.budget_tokens.reset();
    if (BoolField(*th, "includeThoughts").value_or(false)) reasoning.summary = "auto";
    r.reasoning = reasoning;
  }
  CollectExtra(
      gc, {"temperature", "topP", "topK", "maxOutputTokens", "stopSequences", "thinkingConfig"},
      leftover);
}

}  // namespace

Result<Request> DecodeGeminiRequest(const JObj& body, Warnings&) {
  Request r;
  r.extra_format = kSelf;
  if (auto si = AnyObject(body, "systemInstruction", "system_instruction")) {
    if (auto parts = ArrayField(*si, "parts"))
      for (JVal p : *parts)
        if (p.is_object() && Field(p.get_object(), "text"))
          r.system.push_back(TextPart{std::string(StringField(p.get_object(), "text"))});
  }
  auto contents = ArrayField(body, "contents");
  if (!contents) return Error::InvalidRequest("'contents' must be an array", "invalid_contents");
  r.messages.reserve(contents->size());
  CallIds ids;
  for (JVal c : *contents)
    if (c.is_object()) DecodeContent(c.get_object(), r, ids);
  if (auto tools = ArrayField(body, "tools")) DecodeTools(*tools, r);
  if (auto tc = AnyObject(body, "toolConfig", "tool_config")) r.tool_choice = DecodeToolConfig(*tc);
  JsonFields leftover_config;
  if (auto gc = AnyObject(body, "generationConfig", "generation_config"))
    DecodeGenerationConfig(*gc, r, leftover_config);
  CollectExtra(body,
               {"contents", "systemInstruction", "system_instruction", "tools", "toolConfig",
                "tool_config", "generationConfig", "generation_config"},
               r.extra);
  if (!leftover_config.empty()) {
    std::string text;
    JsonWriter jw(text);
    jw.BeginObject();
    for (const JsonField& f : leftover_config) {
      jw.Key(f.key);
      jw.Raw(f.json);
    }
    jw.EndObject();
    r.extra.push_back({"generationConfig", std::move(text)});
  }
  NormalizeRequest(r);
  return r;
}

}  // namespace omni::formats
