// OpenAI Responses requests: decode (wire → IR) and encode (IR → wire).
#include <algorithm>

#include "formats/codec_util.h"
#include "formats/codecs.h"
#include "formats/reasoning_map.h"
#include "formats/request_normalize.h"

namespace omni::formats {
namespace {

constexpr Format kSelf = Format::kResponses;

void DecodeContentParts(std::optional<JVal> content, std::vector<Part>& parts) {
  if (!content) return;
  if (content->is_string()) {
    parts.push_back(TextPart{std::string(content->get_string())});
    return;
  }
  if (!content->is_array()) return;
  for (JVal item : content->get_array()) {
    if (!item.is_object()) continue;
    JObj o = item.get_object();
    auto type = StringField(o, "type");
    if (type == "input_text" || type == "output_text" || type == "text") {
      parts.push_back(TextPart{std::string(StringField(o, "text"))});
    } else if (type == "refusal") {
      parts.push_back(TextPart{std::string(StringField(o, "refusal"))});
    } else if (type == "input_image" && !StringField(o, "image_url").empty()) {
      std::string_view url = StringField(o, "image_url");
      ImagePart image;
      if (auto data = ParseDataUrl(url))
        image = std::move(*data);
      else
        image.url = url;
      image.detail = StringField(o, "detail");
      parts.push_back(std::move(image));
    } else {
      parts.push_back(OpaquePart{kSelf, item.Json()});
    }
  }
}

// Function calls, reasoning and other output items join the assistant turn before them.
Message& AssistantTurn(Request& r) {
  if (r.messages.empty() || r.messages.back().role != Role::kAssistant)
    r.messages.push_back(Message{Role::kAssistant, {}});
  return r.messages.back();
}

void DecodeItem(const JObj& item, Request& r) {
  auto type = StringField(item, "type");
  if (type.empty() || type == "message") {
    auto role = StringField(item, "role");
    auto content = Field(item, "content");
    if (role == "system" || role == "developer") {
      std::vector<Part> parts;
      DecodeContentParts(content, parts);
      for (Part& p : parts)
        if (auto* t = std::get_if<TextPart>(&p)) r.system.push_back(std::move(*t));
      if (role == "developer") r.system_role = "developer";
      return;
    }
    if (role == "assistant") {
      DecodeContentParts(content, AssistantTurn(r).parts);
    } else {
      r.messages.push_back(Message{Role::kUser, {}});
      DecodeContentParts(content, r.messages.back().parts);
    }
  } else if (type == "function_call") {
    ToolCallPart call;
    call.id = StringField(item, "call_id");
    call.name = StringField(item, "name");
    call.arguments_json = StringField(item, "arguments");
    if (call.arguments_json.empty()) call.arguments_json = "{}";
    AssistantTurn(r).parts.push_back(std::move(call));
  } else if (type == "function_call_output") {
    ToolResultPart result;
    result.tool_call_id = StringField(item, "call_id");
    auto output = Field(item, "output");
    if (output && output->is_string()) {  // the usual case, without a vector of parts
      result.content.push_back(TextPart{std::string(output->get_string())});
    } else {
      std::vector<Part> parts;
      DecodeContentParts(output, parts);
      for (Part& p : parts) {
        if (auto* t = std::get_if<TextPart>(&p)) result.content.push_back(std::move(*t));
        if (auto* i = std::get_if<ImagePart>(&p)) result.content.push_back(std::move(*i));
      }
    }
    if (r.messages.empty() || r.messages.back().role != Role::kTool)
      r.messages.push_back(Message{Role::kTool, {}});
    r.messages.back().parts.push_back(std::move(result));
  } else if (type == "reasoning") {
    ThinkingPart thinking;
    if (auto summary = ArrayField(item, "summary")) {
      for (JVal s : *summary) {
        if (!s.is_object()) continue;
        if (!thinking.text.empty()) thinking.text += "\n\n";
        thinking.text += StringField(s.get_object(), "text");
      }
    }
    thinking.signature = StringField(item, "encrypted_content");
    thinking.id = StringField(item, "id");
    thinking.origin = kSelf;
    AssistantTurn(r).parts.push_back(std::move(thinking));
  } else {
    AssistantTurn(r).parts.push_back(OpaquePart{kSelf, item.Json()});
  }
}

}  // namespace

Result<Request> DecodeResponsesRequest(const JObj& body, Warnings& w) {
  Request r;
  r.extra_format = kSelf;
  r.model = StringField(body, "model");
  if (auto instructions = StringField(body, "instructions"); !instructions.empty())
    r.system.push_back(TextPart{std::string(instructions)});
  auto input = Field(body, "input");
  if (!input) return Error::InvalidRequest("'input' is required", "invalid_input");
  if (input->is_string())
    r.messages.push_back(Message{Role::kUser, {TextPart{std::string(input->get_string())}}});
  if (input->is_array()) {
    JArr items = input->get_array();
    r.messages.reserve(items.size());  // at most one message per item
    for (JVal item : items)
      if (item.is_object()) DecodeItem(item.get_object(), r);
  }

  if (auto tools = ArrayField(body, "tools")) {
    r.tools.reserve(tools->size());
    for (JVal t : *tools) {
      if (!t.is_object()) continue;
      JObj o = t.get_object();
      Tool tool;
      auto type = StringField(o, "type");
      if (type == "function") {
        tool.name = StringField(o, "name");
        tool.description = StringField(o, "description");
        if (auto p = Field(o, "parameters")) tool.parameters = p->Json();
        tool.strict = BoolField(o, "strict");
      } else {
        tool.name = type;
        tool.kind = type.substr(0, 10) == "web_search" ? ToolKind::kWebSearch : ToolKind::kOther;
        tool.raw = t.Json();
        tool.raw_format = kSelf;
      }
      r.tools.push_back(std::move(tool));
    }
  }
  if (auto tc = Field(body, "tool_choice")) {
    ToolChoice choice;
    if (tc->is_string()) {
      std::string_view s = tc->get_string();
      if (s == "none") choice.mode = ToolChoice::Mode::kNone;
      if (s == "required") choice.mode = ToolChoice::Mode::kRequired;
    } else if (tc->is_object() && StringField(tc->get_object(), "type") == "function") {
      choice.mode = ToolChoice::Mode::kTool;
      choice.name = StringField(tc->get_object(), "name");
    }
    r.tool_choice = choice;
  }
  r.parallel_tool_calls = BoolField(body, "parallel_tool_calls");
  r.sampling.max_tokens = IntField(body, "max_output_tokens");
  r.sampling.temperature = NumberField(body, "temperature");
  r.sampling.top_p = NumberField(body, "top_p");
  if (auto ro = ObjectField(body, "reasoning")) {
    Reasoning reasoning;
    reasoning.effort = StringField(*ro, "effort");
    reasoning.summary = StringField(*ro, "summary");
    reasoning.enabled = reasoning.effort != "none";
    if (!reasoning.enabled) reasoning.effort.clear();
    r.reasoning = reasoning;
  }
  r.stream = BoolField(body, "stream").value_or(false);
  CollectExtra(body,
               {"model", "instructions", "input", "tools", "tool_choice", "parallel_tool_calls",
                "max_output_tokens", "temperature", "top_p", "reasoning", "stream"},
               r.extra);
  NormalizeRequest(r);
  return r;
}

namespace {

void WriteText(JsonWriter& w, std::string_view text, Role role) {
  w.BeginObject();
  w.Field("type", role == Role::kAssistant ? "output_text" : "input_text");
  w.Field("text", text);
  w.EndObject();
}

void WriteImage(JsonWriter& w, const ImagePart& image) {
  w.BeginObject();
  w.Field("type", "input_image");
  if (image.is_url())
    w.Field("image_url", image.url);
  else
    w.Field("image_url", ImageUrl(image));
  w.Field("detail", image.detail.empty() ? std::string_view("auto") : image.detail);
  w.EndObject();
}

// A message content part: text, image or one of our own opaque parts (input_file, ...).
void WriteInputPart(JsonWriter& w, const Part& p, Role role) {
  if (auto* t = std::get_if<TextPart>(&p)) return WriteText(w, t->text, role);
  if (auto* o = std::get_if<OpaquePart>(&p)) return w.Raw(o->json);
  WriteImage(w, std::get<ImagePart>(p));
}

void WriteMessageContent(JsonWriter& w, const std::vector<const Part*>& parts, Role role) {
  if (parts.size() == 1 && std::holds_alternative<TextPart>(*parts[0]))
    return w.String(std::get<TextPart>(*parts[0]).text);
  w.BeginArray();
  for (const Part* p : parts) WriteInputPart(w, *p, role);
  w.EndArray();
}

void WriteToolOutput(JsonWriter& w, const ToolResultPart& r) {
  bool text_only = std::all_of(r.content.begin(), r.content.end(), [](const ToolResultContent& c) {
    return std::holds_alternative<TextPart>(c);
  });
  if (text_only) {
    if (r.is_error)
      w.String("Error: " + ToolResultText(r));
    else if (r.content.size() == 1)
      w.String(std::get<TextPart>(r.content[0]).text);  // the usual case: no joined copy
    else
      w.String(ToolResultText(r));
    return;
  }
  w.BeginArray();
  for (const ToolResultContent& c : r.content) {
    if (auto* t = std::get_if<TextPart>(&c))
      WriteText(w, t->text, Role::kUser);
    else
      WriteImage(w, std::get<ImagePart>(c));
  }
  w.EndArray();
}

// Writes the input items of one IR message. `pending` is scratch space (message content not
// yet flushed), kept by the caller so it is allocated once per request.
void EncodeMessage(const Message& m, JsonWriter& w, std::vector<const Part*>& pending,
                   Warnings& warnings) {
  pending.clear();
  auto flush = [&] {
    if (pending.empty()) return;
    w.BeginObject();
    w.Field("role", m.role == Role::kAssistant ? "assistant" : "user");
    w.Key("content");
    WriteMessageContent(w, pending, m.role);
    w.EndObject();
    pending.clear();
  };
  for (const Part& p : m.parts) {
    if (auto* t = std::get_if<TextPart>(&p)) {
      if (!t->text.empty()) pending.push_back(&p);
    } else if (std::holds_alternative<ImagePart>(p)) {
      pending.push_back(&p);
    } else if (auto* c = std::get_if<ToolCallPart>(&p)) {
      if (m.role != Role::kAssistant) continue;
      flush();
      w.BeginObject();
      w.Field("type", "function_call");
      w.Field("call_id", c->id);
      w.Field("name", c->name);
      w.Field("arguments", c->arguments_json.empty() ? std::string_view("{}") : c->arguments_json);
      w.EndObject();
    } else if (auto* r = std::get_if<ToolResultPart>(&p)) {
      flush();
      w.BeginObject();
      w.Field("type", "function_call_output");
      w.Field("call_id", r->tool_call_id);
      w.Key("output");
      WriteToolOutput(w, *r);
      w.EndObject();
    } else if (auto* th = std::get_if<ThinkingPart>(&p)) {
      // Reasoning items replay only to Responses, by their id.
      if (m.role != Role::kAssistant || th->origin != kSelf || th->id.empty()) continue;
      flush();
      w.BeginObject();
      w.Field("type", "reasoning");
      w.Field("id", th->id);
      w.Key("summary");
      w.BeginArray();
      if (!th->text.empty()) {
        w.BeginObject();
        w.Field("type", "summary_text");
        w.Field("text", th->text);
        w.EndObject();
      }
      w.EndArray();
      if (!th->signature.empty()) w.Field("encrypted_content", th->signature);
      w.EndObject();
    } else if (auto* o = std::get_if<OpaquePart>(&p)) {
      if (o->format != kSelf) {
        WarnDropped(warnings, DescribeOpaque(*o), kSelf);
      } else if (m.role == Role::kAssistant) {
        flush();
        w.Raw(o->json);  // an output item (web_search_call, ...)
      } else {
        pending.push_back(&p);  // a content part (input_file, ...)
      }
    }
  }
  flush();
}

// Writes the tools Responses can carry; false when there is none (no "tools" key then).
bool WriteTools(const Request& r, JsonWriter& w, Warnings& warnings) {
  bool any = false;
  auto open = [&] {
    if (any) return;
    any = true;
    w.Key("tools");
    w.BeginArray();
  };
  for (const Tool& t : r.tools) {
    if (t.kind == ToolKind::kFunction) {
      open();
      w.BeginObject();
      w.Field("type", "function");
      w.Field("name", t.name);
      if (!t.description.empty()) w.Field("description", t.description);
      w.Key("parameters");
      w.Raw(t.parameters.empty() ? kEmptyObjectSchema : std::string_view(t.parameters));
      // Responses defaults to strict mode, which most client schemas do not satisfy.
      w.BoolField("strict", t.strict.value_or(false));
      w.EndObject();
    } else if (t.raw_format == kSelf) {
      open();
      w.Raw(t.raw);
    } else if (t.kind == ToolKind::kWebSearch) {
      open();
      w.BeginObject();
      w.Field("type", "web_search");
      w.EndObject();
    } else {
      WarnDropped(warnings, "server tool '" + t.name + "'", kSelf);
    }
  }
  if (any) w.EndArray();
  return any;
}

// Responses metadata: at most 16 entries, keys up to 64 characters, string values up to 512.
constexpr size_t kMaxMetadataKeys = 16;
constexpr size_t kMaxMetadataKeyChars = 64;
constexpr size_t kMaxMetadataValueChars = 512;

size_t Utf8Chars(std::string_view s) {
  return std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; });
}

// Another format's `metadata` object (Anthropic {"user_id": ...}, OpenAI Chat's string map)
// re-emitted as Responses metadata, keeping only the entries Responses accepts. False when
// there is no metadata object to carry (then it is reported with the other dropped fields).
bool WriteForeignMetadata(const JsonFields& extra, JsonWriter& w, Warnings& warnings) {
  const JsonField* field = FindExtra(extra, "metadata");
  if (!field) return false;
  JsonDoc doc;
  auto metadata = doc.ParseObject(field->json);
  if (!metadata.ok()) return false;
  size_t kept = 0;
  bool dropped = false;
  for (auto [key, value] : *metadata) {
    if (kept == kMaxMetadataKeys || !value.is_string() || Utf8Chars(key) > kMaxMetadataKeyChars ||
        Utf8Chars(value.get_string()) > kMaxMetadataValueChars) {
      dropped = true;
      continue;
    }
    if (kept++ == 0) {
      w.Key("metadata");
      w.BeginObject();
    }
    w.Field(key, value.get_string());  // nested keys are not remembered: the doc may die
  }
  if (kept > 0) w.EndObject();
  if (dropped)
    warnings.Add("metadata entries that are not strings, too long or past the 16th were dropped");
  return true;
}

}  // namespace

void EncodeResponsesRequest(const Request& r, JsonWriter& w, Warnings& warnings,
                            const CodecOptions& options) {
  w.BeginObject();
  w.Field("model", options.model.empty() ? r.model : options.model);
  if (r.system.size() == 1) {
    if (!r.system[0].text.empty()) w.Field("instructions", r.system[0].text);
  } else if (std::string system = JoinText(r.system); !system.empty()) {
    w.Field("instructions", system);
  }
  w.Key("input");
  w.BeginArray();
  std::vector<const Part*> pending;
  for (const Message& m : r.messages) EncodeMessage(m, w, pending, warnings);
  w.EndArray();

  bool has_tools = WriteTools(r, w, warnings);
  if (r.tool_choice && has_tools) {
    w.Key("tool_choice");
    if (r.tool_choice->mode == ToolChoice::Mode::kTool) {
      w.BeginObject();
      w.Field("type", "function");
      w.Field("name", r.tool_choice->name);
      w.EndObject();
    } else {
      w.String(OpenAIToolChoiceWord(r.tool_choice->mode));
    }
  }
  if (r.parallel_tool_calls && has_tools)
    w.BoolField("parallel_tool_calls", *r.parallel_tool_calls);
  if (r.sampling.max_tokens) w.IntField("max_output_tokens", *r.sampling.max_tokens);
  if (r.sampling.temperature) w.DoubleField("temperature", *r.sampling.temperature);
  if (r.sampling.top_p) w.DoubleField("top_p", *r.sampling.top_p);
  if (r.sampling.top_k) WarnDropped(warnings, "top_k", kSelf);
  if (!r.sampling.stop.empty()) WarnDropped(warnings, "stop sequences", kSelf);
  if (r.reasoning && r.reasoning->enabled) {
    w.Key("reasoning");
    w.BeginObject();
    w.Field("effort", EffectiveEffort(*r.reasoning));
    if (WantsThoughts(r))
      w.Field("summary", r.reasoning->summary.empty() ? std::string_view("auto")
                                                      : std::string_view(r.reasoning->summary));
    w.EndObject();
  } else if (r.reasoning && r.extra_format == kSelf) {
    w.Key("reasoning");
    w.BeginObject();
    w.Field("effort", "none");
    w.EndObject();
  }
  if (r.stream) w.BoolField("stream", true);
  const bool carried_metadata =
      r.extra_format != kSelf && WriteForeignMetadata(r.extra, w, warnings);
  WriteExtra(w, r.extra, r.extra_format, kSelf, warnings, carried_metadata ? "metadata" : "");
  w.EndObject();
}

}  // namespace omni::formats
