// Gemini generateContent requests: decode (wire → IR) and encode (IR → wire). The model is
// in the URL, not the body: decode leaves Request::model empty, encode never writes it.
#include <cctype>
#include <deque>
#include <map>

#include "formats/codec_util.h"
#include "formats/codecs.h"
#include "formats/reasoning_map.h"
#include "formats/request_normalize.h"
#include "formats/schema_cleanup.h"
#include "formats/wire_json.h"

namespace omni::formats {
namespace {

constexpr Format kSelf = Format::kGemini;
// Google's documented placeholder for function calls in history that Gemini did not sign
// (history synthesized from another format); Gemini 3 rejects unsigned calls otherwise.
constexpr std::string_view kSkipSignature = "skip_thought_signature_validator";

// protobuf JSON accepts camelCase and snake_case field names.
const bj::value* AnyField(const bj::object& o, std::string_view camel, std::string_view snake) {
  const bj::value* v = Field(o, camel);
  return v ? v : Field(o, snake);
}

const bj::object* AnyObject(const bj::object& o, std::string_view camel, std::string_view snake) {
  const bj::value* v = AnyField(o, camel, snake);
  return v && v->is_object() ? &v->get_object() : nullptr;
}

struct CallIds {
  int next = 1;
  std::map<std::string, std::deque<std::string>> pending;  // name → unanswered call ids
};

void DecodeContent(const bj::object& c, Request& r, CallIds& ids) {
  bool model = StringField(c, "role") == "model";
  Message msg{model ? Role::kAssistant : Role::kUser, {}};
  Message results{Role::kTool, {}};
  const bj::array* parts = ArrayField(c, "parts");
  if (!parts) return;
  for (const bj::value& item : *parts) {
    if (!item.is_object()) continue;
    const bj::object& p = item.get_object();
    std::string signature(StringField(p, "thoughtSignature"));
    if (const bj::value* text = Field(p, "text"); text && text->is_string()) {
      if (BoolField(p, "thought").value_or(false)) {
        msg.parts.push_back(
            ThinkingPart{std::string(text->get_string()), signature, false, "", kSelf});
      } else {
        msg.parts.push_back(TextPart{std::string(text->get_string())});
      }
    } else if (const bj::object* d = AnyObject(p, "inlineData", "inline_data")) {
      ImagePart image;
      image.media_type = StringField(*d, "mimeType");
      image.data = StringField(*d, "data");
      msg.parts.push_back(std::move(image));
    } else if (const bj::object* f = AnyObject(p, "fileData", "file_data")) {
      ImagePart image;
      image.media_type = StringField(*f, "mimeType");
      image.url = StringField(*f, "fileUri");
      msg.parts.push_back(std::move(image));
    } else if (const bj::object* fc = AnyObject(p, "functionCall", "function_call")) {
      ToolCallPart call;
      call.name = StringField(*fc, "name");
      call.id = StringField(*fc, "id");
      if (call.id.empty()) call.id = "call_" + std::to_string(ids.next++);
      const bj::value* args = Field(*fc, "args");
      call.arguments_json = args ? ToJson(*args) : "{}";
      if (!signature.empty()) {
        call.signature = signature;
        call.signature_origin = kSelf;
      }
      ids.pending[call.name].push_back(call.id);
      msg.parts.push_back(std::move(call));
    } else if (const bj::object* fr = AnyObject(p, "functionResponse", "function_response")) {
      ToolResultPart result;
      result.name = StringField(*fr, "name");
      result.tool_call_id = StringField(*fr, "id");
      auto& queue = ids.pending[result.name];
      if (result.tool_call_id.empty() && !queue.empty()) result.tool_call_id = queue.front();
      if (!queue.empty() && queue.front() == result.tool_call_id) queue.pop_front();
      if (result.tool_call_id.empty()) result.tool_call_id = "call_" + std::to_string(ids.next++);
      // Unwrap the {"result": "..."} / {"error": ...} envelopes; keep other objects as JSON.
      const bj::value* response = Field(*fr, "response");
      if (response && response->is_object() && response->get_object().size() == 1) {
        const bj::object& o = response->get_object();
        if (auto it = o.find("result"); it != o.end() && it->value().is_string()) {
          result.content.push_back(TextPart{std::string(it->value().get_string())});
        } else if (auto e = o.find("error"); e != o.end()) {
          result.is_error = true;
          const bj::value& v = e->value();
          result.content.push_back(
              TextPart{v.is_string() ? std::string(v.get_string()) : ToJson(v)});
        }
      }
      if (result.content.empty() && response) result.content.push_back(TextPart{ToJson(*response)});
      results.parts.push_back(std::move(result));
    } else {
      msg.parts.push_back(OpaquePart{kSelf, ToJson(item)});
    }
  }
  if (!results.parts.empty()) r.messages.push_back(std::move(results));
  if (!msg.parts.empty()) r.messages.push_back(std::move(msg));
}

void DecodeTools(const bj::array& tools, Request& r) {
  for (const bj::value& t : tools) {
    if (!t.is_object()) continue;
    const bj::object& o = t.get_object();
    if (const bj::value* decls = AnyField(o, "functionDeclarations", "function_declarations")) {
      if (!decls->is_array()) continue;
      for (const bj::value& d : decls->get_array()) {
        if (!d.is_object()) continue;
        const bj::object& fd = d.get_object();
        Tool tool;
        tool.name = StringField(fd, "name");
        tool.description = StringField(fd, "description");
        if (const bj::value* p = Field(fd, "parameters"))
          tool.parameters = ToJson(NormalizeSchemaFromGemini(*p));
        if (const bj::value* p = Field(fd, "parametersJsonSchema")) tool.parameters = ToJson(*p);
        r.tools.push_back(std::move(tool));
      }
      continue;
    }
    Tool tool;
    tool.name = o.empty() ? "" : std::string(o.begin()->key());
    bool search = tool.name == "googleSearch" || tool.name == "google_search" ||
                  tool.name == "googleSearchRetrieval" || tool.name == "google_search_retrieval";
    tool.kind = search ? ToolKind::kWebSearch : ToolKind::kOther;
    tool.raw = ToJson(t);
    tool.raw_format = kSelf;
    r.tools.push_back(std::move(tool));
  }
}

}  // namespace

static Result<Request> DecodeGeminiRequestDom(const bj::object& body, Warnings& w) {
  Request r;
  r.extra_format = kSelf;
  if (const bj::object* si = AnyObject(body, "systemInstruction", "system_instruction")) {
    if (const bj::array* parts = ArrayField(*si, "parts"))
      for (const bj::value& p : *parts)
        if (p.is_object() && Field(p.get_object(), "text"))
          r.system.push_back(TextPart{std::string(StringField(p.get_object(), "text"))});
  }
  const bj::array* contents = ArrayField(body, "contents");
  if (!contents) return Error::InvalidRequest("'contents' must be an array", "invalid_contents");
  CallIds ids;
  for (const bj::value& c : *contents)
    if (c.is_object()) DecodeContent(c.get_object(), r, ids);
  if (const bj::array* tools = ArrayField(body, "tools")) DecodeTools(*tools, r);

  if (const bj::object* tc = AnyObject(body, "toolConfig", "tool_config")) {
    if (const bj::object* fcc =
            AnyObject(*tc, "functionCallingConfig", "function_calling_config")) {
      auto mode = StringField(*fcc, "mode");
      ToolChoice choice;
      if (mode == "NONE") choice.mode = ToolChoice::Mode::kNone;
      if (mode == "ANY" || mode == "VALIDATED") {
        choice.mode = ToolChoice::Mode::kRequired;
        const bj::array* names = ArrayField(*fcc, "allowedFunctionNames");
        if (names && names->size() == 1 && (*names)[0].is_string()) {
          choice.mode = ToolChoice::Mode::kTool;
          choice.name = (*names)[0].get_string();
        }
      }
      r.tool_choice = choice;
    }
  }
  JsonFields leftover_config;
  if (const bj::object* gc = AnyObject(body, "generationConfig", "generation_config")) {
    r.sampling.temperature = NumberField(*gc, "temperature");
    r.sampling.top_p = NumberField(*gc, "topP");
    r.sampling.top_k = IntField(*gc, "topK");
    r.sampling.max_tokens = IntField(*gc, "maxOutputTokens");
    if (const bj::array* stop = ArrayField(*gc, "stopSequences"))
      for (const bj::value& s : *stop)
        if (s.is_string()) r.sampling.stop.emplace_back(s.get_string());
    if (const bj::object* th = ObjectField(*gc, "thinkingConfig")) {
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
        *gc, {"temperature", "topP", "topK", "maxOutputTokens", "stopSequences", "thinkingConfig"},
        leftover_config);
  }
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

namespace {

bj::object ImagePartJson(const ImagePart& image) {
  if (image.is_url()) {
    std::string mime = image.media_type.empty() ? GuessMediaType(image.url) : image.media_type;
    if (mime.empty()) mime = "image/jpeg";
    return {{"fileData", bj::object{{"mimeType", mime}, {"fileUri", image.url}}}};
  }
  return {{"inlineData", bj::object{{"mimeType", image.media_type}, {"data", image.data}}}};
}

bj::value FunctionResponse(const ToolResultPart& r) {
  std::string text = ToolResultText(r);
  bj::value payload;
  if (auto parsed = ParseJson(text); parsed.ok() && parsed->is_object())
    payload = std::move(*parsed);
  if (r.is_error) return bj::object{{"error", payload.is_null() ? bj::value(text) : payload}};
  if (!payload.is_null()) return payload;
  return bj::object{{"result", text}};  // Gemini requires an object
}

bj::array Parts(const Message& m, bool sign_calls, Warnings& w) {
  bj::array parts;
  for (const Part& p : m.parts) {
    if (auto* t = std::get_if<TextPart>(&p)) {
      if (!t->text.empty()) parts.push_back(bj::object{{"text", t->text}});
    } else if (auto* i = std::get_if<ImagePart>(&p)) {
      parts.push_back(ImagePartJson(*i));
    } else if (auto* c = std::get_if<ToolCallPart>(&p)) {
      if (m.role != Role::kAssistant) continue;
      bj::object part{
          {"functionCall", bj::object{{"name", c->name}, {"args", ArgumentsObject(*c, w)}}}};
      if (c->signature_origin == kSelf && !c->signature.empty())
        part["thoughtSignature"] = c->signature;
      else if (sign_calls)
        part["thoughtSignature"] = kSkipSignature;
      parts.push_back(std::move(part));
    } else if (auto* r = std::get_if<ToolResultPart>(&p)) {
      std::string name = r->name;
      if (name.empty()) {
        w.Add("tool result " + r->tool_call_id + " has no matching call; named 'unknown_tool'");
        name = "unknown_tool";
      }
      parts.push_back(bj::object{
          {"functionResponse", bj::object{{"name", name}, {"response", FunctionResponse(*r)}}}});
      for (const ToolResultContent& c : r->content) {
        if (auto* image = std::get_if<ImagePart>(&c)) {
          parts.push_back(ImagePartJson(*image));
          w.Add("an image in a tool result was sent as a separate part after the functionResponse");
        }
      }
    } else if (auto* th = std::get_if<ThinkingPart>(&p)) {
      if (m.role != Role::kAssistant || th->origin != kSelf) continue;
      bj::object part{{"text", th->text}, {"thought", true}};
      if (!th->signature.empty()) part["thoughtSignature"] = th->signature;
      parts.push_back(std::move(part));
    } else if (auto* o = std::get_if<OpaquePart>(&p)) {
      if (o->format == kSelf)
        parts.push_back(ParseJsonOrNull(o->json));
      else
        WarnDropped(w, DescribeOpaque(*o), kSelf);
    }
  }
  return parts;
}

}  // namespace

static Result<bj::object> EncodeGeminiRequestDom(const Request& r, Warnings& w,
                                                 const CodecOptions& options) {
  bj::object out;
  std::string_view model = options.model.empty() ? std::string_view(r.model) : options.model;
  bool thinking = r.reasoning && r.reasoning->enabled;
  bool sign_calls = thinking || model.substr(0, 8) == "gemini-3";
  if (!r.system.empty()) {
    bj::array parts;
    for (const TextPart& t : r.system)
      if (!t.text.empty()) parts.push_back(bj::object{{"text", t.text}});
    out["systemInstruction"] = bj::object{{"parts", std::move(parts)}};
  }
  bj::array contents;
  for (const Message& m : r.messages) {
    bj::array parts = Parts(m, sign_calls, w);
    if (parts.empty()) continue;
    std::string_view role = m.role == Role::kAssistant ? "model" : "user";
    if (!contents.empty() && contents.back().as_object()["role"].as_string() == role) {
      for (bj::value& p : parts)
        contents.back().as_object()["parts"].as_array().push_back(std::move(p));
    } else {
      contents.push_back(bj::object{{"role", role}, {"parts", std::move(parts)}});
    }
  }
  out["contents"] = std::move(contents);

  bj::array decls, others;
  size_t decls_at = 0;  // keep the declarations where the first function tool was
  for (const Tool& t : r.tools) {
    if (t.kind == ToolKind::kFunction) {
      if (decls.empty()) decls_at = others.size();
      bj::object fd{{"name", t.name}};
      if (!t.description.empty()) fd["description"] = t.description;
      bj::value params = ParseJsonOrNull(t.parameters);
      if (!IsEmptyObjectSchema(params)) fd["parameters"] = CleanSchemaForGemini(params);
      decls.push_back(std::move(fd));
    } else if (t.raw_format == kSelf) {
      others.push_back(ParseJsonOrNull(t.raw));
    } else if (t.kind == ToolKind::kWebSearch) {
      others.push_back(bj::object{{"googleSearch", bj::object{}}});
    } else {
      WarnDropped(w, "server tool '" + t.name + "'", kSelf);
    }
  }
  bool has_functions = !decls.empty();
  bj::array tools = std::move(others);
  if (has_functions)
    tools.insert(tools.begin() + decls_at, bj::object{{"functionDeclarations", std::move(decls)}});
  if (!tools.empty()) out["tools"] = std::move(tools);
  if (r.tool_choice && has_functions) {
    bj::object fcc;
    switch (r.tool_choice->mode) {
      case ToolChoice::Mode::kAuto:
        fcc["mode"] = "AUTO";
        break;
      case ToolChoice::Mode::kNone:
        fcc["mode"] = "NONE";
        break;
      case ToolChoice::Mode::kRequired:
        fcc["mode"] = "ANY";
        break;
      case ToolChoice::Mode::kTool:
        fcc["mode"] = "ANY";
        fcc["allowedFunctionNames"] = bj::array{bj::value(r.tool_choice->name)};
        break;
    }
    out["toolConfig"] = bj::object{{"functionCallingConfig", std::move(fcc)}};
  }

  bj::object gc;
  if (r.sampling.temperature) gc["temperature"] = Number(*r.sampling.temperature);
  if (r.sampling.top_p) gc["topP"] = Number(*r.sampling.top_p);
  if (r.sampling.top_k) gc["topK"] = *r.sampling.top_k;
  if (r.sampling.max_tokens) gc["maxOutputTokens"] = *r.sampling.max_tokens;
  if (!r.sampling.stop.empty()) {
    bj::array stop;
    for (const std::string& s : r.sampling.stop) stop.push_back(bj::value(s));
    gc["stopSequences"] = std::move(stop);
  }
  if (r.reasoning) {
    bj::object tc;
    if (!r.reasoning->enabled) {
      tc["thinkingBudget"] = 0;
    } else if (r.extra_format == kSelf && !r.reasoning->budget_tokens &&
               !r.reasoning->effort.empty()) {
      tc["thinkingLevel"] = r.reasoning->effort;  // Gemini 3 levels, as the client sent them
    } else {
      tc["thinkingBudget"] = EffectiveBudget(*r.reasoning);
    }
    if (WantsThoughts(r)) tc["includeThoughts"] = true;
    gc["thinkingConfig"] = std::move(tc);
  }
  JsonFields extra = r.extra;
  if (r.extra_format == kSelf) {
    if (const JsonField* more = FindExtra(extra, "generationConfig")) {
      bj::value v = ParseJsonOrNull(more->json);
      if (v.is_object())
        for (const auto& kv : v.as_object())
          if (!gc.contains(kv.key())) gc[kv.key()] = kv.value();
    }
    EraseExtra(extra, "generationConfig");
  }
  if (!gc.empty()) out["generationConfig"] = std::move(gc);
  ApplyExtra(out, extra, r.extra_format, kSelf, w);
  return out;
}

// Transitional: the Boost.JSON DOM codec behind the text signatures.
Result<Request> DecodeGeminiRequest(const JObj& body, Warnings& w) {
  auto dom = ParseJsonObject(body.Json());
  if (!dom.ok()) return std::move(dom).error();
  return DecodeGeminiRequestDom(*dom, w);
}

void EncodeGeminiRequest(const Request& r, JsonWriter& out, Warnings& w,
                         const CodecOptions& options) {
  auto dom = EncodeGeminiRequestDom(r, w, options);
  if (dom.ok()) out.Raw(ToJson(*dom));
}

}  // namespace omni::formats
