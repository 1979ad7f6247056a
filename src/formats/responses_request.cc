// OpenAI Responses requests: decode (wire → IR) and encode (IR → wire).
#include <algorithm>

#include "formats/codec_util.h"
#include "formats/codecs.h"
#include "formats/reasoning_map.h"
#include "formats/request_normalize.h"
#include "formats/wire_json.h"

namespace omni::formats {
namespace {

constexpr Format kSelf = Format::kResponses;

void DecodeContentParts(const bj::value* content, std::vector<Part>& parts) {
  if (!content) return;
  if (content->is_string()) {
    parts.push_back(TextPart{std::string(content->get_string())});
    return;
  }
  if (!content->is_array()) return;
  for (const bj::value& item : content->get_array()) {
    if (!item.is_object()) continue;
    const bj::object& o = item.get_object();
    auto type = StringField(o, "type");
    if (type == "input_text" || type == "output_text" || type == "text") {
      parts.push_back(TextPart{std::string(StringField(o, "text"))});
    } else if (type == "refusal") {
      parts.push_back(TextPart{std::string(StringField(o, "refusal"))});
    } else if (type == "input_image" && !StringField(o, "image_url").empty()) {
      std::string url(StringField(o, "image_url"));
      ImagePart image;
      if (auto data = ParseDataUrl(url))
        image = std::move(*data);
      else
        image.url = url;
      image.detail = StringField(o, "detail");
      parts.push_back(std::move(image));
    } else {
      parts.push_back(OpaquePart{kSelf, ToJson(item)});
    }
  }
}

// Function calls, reasoning and other output items join the assistant turn before them.
Message& AssistantTurn(Request& r) {
  if (r.messages.empty() || r.messages.back().role != Role::kAssistant)
    r.messages.push_back(Message{Role::kAssistant, {}});
  return r.messages.back();
}

void DecodeItem(const bj::object& item, Request& r) {
  auto type = StringField(item, "type");
  if (type.empty() || type == "message") {
    auto role = StringField(item, "role");
    std::vector<Part> parts;
    DecodeContentParts(Field(item, "content"), parts);
    if (role == "system" || role == "developer") {
      for (Part& p : parts)
        if (auto* t = std::get_if<TextPart>(&p)) r.system.push_back(std::move(*t));
      if (role == "developer") r.system_role = "developer";
      return;
    }
    if (role == "assistant") {
      auto& turn = AssistantTurn(r).parts;
      for (Part& p : parts) turn.push_back(std::move(p));
    } else {
      r.messages.push_back(Message{Role::kUser, std::move(parts)});
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
    std::vector<Part> parts;
    DecodeContentParts(Field(item, "output"), parts);
    for (Part& p : parts) {
      if (auto* t = std::get_if<TextPart>(&p)) result.content.push_back(std::move(*t));
      if (auto* i = std::get_if<ImagePart>(&p)) result.content.push_back(std::move(*i));
    }
    if (r.messages.empty() || r.messages.back().role != Role::kTool)
      r.messages.push_back(Message{Role::kTool, {}});
    r.messages.back().parts.push_back(std::move(result));
  } else if (type == "reasoning") {
    ThinkingPart thinking;
    if (const bj::array* summary = ArrayField(item, "summary")) {
      for (const bj::value& s : *summary) {
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
    AssistantTurn(r).parts.push_back(OpaquePart{kSelf, ToJson(item)});
  }
}

}  // namespace

static Result<Request> DecodeResponsesRequestDom(const bj::object& body, Warnings& w) {
  Request r;
  r.extra_format = kSelf;
  r.model = StringField(body, "model");
  if (auto instructions = StringField(body, "instructions"); !instructions.empty())
    r.system.push_back(TextPart{std::string(instructions)});
  const bj::value* input = Field(body, "input");
  if (!input) return Error::InvalidRequest("'input' is required", "invalid_input");
  if (input->is_string())
    r.messages.push_back(Message{Role::kUser, {TextPart{std::string(input->get_string())}}});
  if (input->is_array())
    for (const bj::value& item : input->get_array())
      if (item.is_object()) DecodeItem(item.get_object(), r);

  if (const bj::array* tools = ArrayField(body, "tools")) {
    for (const bj::value& t : *tools) {
      if (!t.is_object()) continue;
      const bj::object& o = t.get_object();
      Tool tool;
      auto type = StringField(o, "type");
      if (type == "function") {
        tool.name = StringField(o, "name");
        tool.description = StringField(o, "description");
        if (const bj::value* p = Field(o, "parameters")) tool.parameters = ToJson(*p);
        tool.strict = BoolField(o, "strict");
      } else {
        tool.name = type;
        tool.kind = type.substr(0, 10) == "web_search" ? ToolKind::kWebSearch : ToolKind::kOther;
        tool.raw = ToJson(t);
        tool.raw_format = kSelf;
      }
      r.tools.push_back(std::move(tool));
    }
  }
  if (const bj::value* tc = Field(body, "tool_choice")) {
    ToolChoice choice;
    if (tc->is_string()) {
      std::string_view s(tc->get_string());
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
  if (const bj::object* ro = ObjectField(body, "reasoning")) {
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

bj::object InputPart(const Part& p, Role role) {
  if (auto* t = std::get_if<TextPart>(&p))
    return {{"type", role == Role::kAssistant ? "output_text" : "input_text"}, {"text", t->text}};
  if (auto* o = std::get_if<OpaquePart>(&p)) {
    bj::value v = ParseJsonOrNull(o->json);
    return v.is_object() ? std::move(v.as_object()) : bj::object{};
  }
  const auto& image = std::get<ImagePart>(p);
  return {{"type", "input_image"},
          {"image_url", ImageUrl(image)},
          {"detail", image.detail.empty() ? "auto" : image.detail}};
}

bj::value MessageContent(const std::vector<const Part*>& parts, Role role) {
  if (parts.size() == 1 && std::holds_alternative<TextPart>(*parts[0]))
    return bj::value(std::get<TextPart>(*parts[0]).text);
  bj::array out;
  for (const Part* p : parts) out.push_back(InputPart(*p, role));
  return out;
}

void EncodeMessage(const Message& m, bj::array& input, Warnings& w) {
  std::vector<const Part*> pending;  // message content not yet flushed
  auto flush = [&] {
    if (pending.empty()) return;
    input.push_back(bj::object{{"role", m.role == Role::kAssistant ? "assistant" : "user"},
                               {"content", MessageContent(pending, m.role)}});
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
      input.push_back(
          bj::object{{"type", "function_call"},
                     {"call_id", c->id},
                     {"name", c->name},
                     {"arguments", c->arguments_json.empty() ? "{}" : c->arguments_json}});
    } else if (auto* r = std::get_if<ToolResultPart>(&p)) {
      flush();
      bool text_only = std::all_of(
          r->content.begin(), r->content.end(),
          [](const ToolResultContent& c) { return std::holds_alternative<TextPart>(c); });
      bj::value output;
      if (text_only) {
        output = bj::value(ToolResultText(*r));
      } else {
        bj::array parts;
        for (const ToolResultContent& c : r->content) {
          Part part = std::visit([](const auto& v) { return Part{v}; }, c);
          parts.push_back(InputPart(part, Role::kUser));
        }
        output = std::move(parts);
      }
      if (r->is_error && output.is_string()) output = "Error: " + std::string(output.get_string());
      input.push_back(bj::object{{"type", "function_call_output"},
                                 {"call_id", r->tool_call_id},
                                 {"output", std::move(output)}});
    } else if (auto* th = std::get_if<ThinkingPart>(&p)) {
      // Reasoning items replay only to Responses, by their id.
      if (m.role != Role::kAssistant || th->origin != kSelf || th->id.empty()) continue;
      flush();
      bj::array summary;
      if (!th->text.empty())
        summary.push_back(bj::object{{"type", "summary_text"}, {"text", th->text}});
      bj::object item{{"type", "reasoning"}, {"id", th->id}, {"summary", std::move(summary)}};
      if (!th->signature.empty()) item["encrypted_content"] = th->signature;
      input.push_back(std::move(item));
    } else if (auto* o = std::get_if<OpaquePart>(&p)) {
      if (o->format != kSelf) {
        WarnDropped(w, DescribeOpaque(*o), kSelf);
      } else if (m.role == Role::kAssistant) {
        flush();
        input.push_back(ParseJsonOrNull(o->json));  // an output item (web_search_call, ...)
      } else {
        pending.push_back(&p);  // a content part (input_file, ...)
      }
    }
  }
  flush();
}

}  // namespace

static Result<bj::object> EncodeResponsesRequestDom(const Request& r, Warnings& w,
                                                 const CodecOptions& options) {
  bj::object out;
  out["model"] = options.model.empty() ? r.model : options.model;
  if (std::string system = JoinText(r.system); !system.empty()) out["instructions"] = system;
  bj::array input;
  for (const Message& m : r.messages) EncodeMessage(m, input, w);
  out["input"] = std::move(input);

  bj::array tools;
  for (const Tool& t : r.tools) {
    if (t.kind == ToolKind::kFunction) {
      bj::object tool{{"type", "function"}, {"name", t.name}};
      if (!t.description.empty()) tool["description"] = t.description;
      tool["parameters"] =
          t.parameters.empty()
              ? bj::value(bj::object{{"type", "object"}, {"properties", bj::object{}}})
              : ParseJsonOrNull(t.parameters);
      // Responses defaults to strict mode, which most client schemas do not satisfy.
      tool["strict"] = t.strict.value_or(false);
      tools.push_back(std::move(tool));
    } else if (t.raw_format == kSelf) {
      tools.push_back(ParseJsonOrNull(t.raw));
    } else if (t.kind == ToolKind::kWebSearch) {
      tools.push_back(bj::object{{"type", "web_search"}});
    } else {
      WarnDropped(w, "server tool '" + t.name + "'", kSelf);
    }
  }
  bool has_tools = !tools.empty();
  if (has_tools) out["tools"] = std::move(tools);
  if (r.tool_choice && has_tools) {
    if (r.tool_choice->mode == ToolChoice::Mode::kTool) {
      out["tool_choice"] = bj::object{{"type", "function"}, {"name", r.tool_choice->name}};
    } else {
      out["tool_choice"] = OpenAIToolChoiceWord(r.tool_choice->mode);
    }
  }
  if (r.parallel_tool_calls && has_tools) out["parallel_tool_calls"] = *r.parallel_tool_calls;
  if (r.sampling.max_tokens) out["max_output_tokens"] = *r.sampling.max_tokens;
  if (r.sampling.temperature) out["temperature"] = Number(*r.sampling.temperature);
  if (r.sampling.top_p) out["top_p"] = Number(*r.sampling.top_p);
  if (r.sampling.top_k) WarnDropped(w, "top_k", kSelf);
  if (!r.sampling.stop.empty()) WarnDropped(w, "stop sequences", kSelf);
  if (r.reasoning && r.reasoning->enabled) {
    bj::object reasoning{{"effort", EffectiveEffort(*r.reasoning)}};
    if (WantsThoughts(r))
      reasoning["summary"] = r.reasoning->summary.empty() ? "auto" : r.reasoning->summary;
    out["reasoning"] = std::move(reasoning);
  } else if (r.reasoning && r.extra_format == kSelf) {
    out["reasoning"] = bj::object{{"effort", "none"}};
  }
  if (r.stream) out["stream"] = true;
  ApplyExtra(out, r.extra, r.extra_format, kSelf, w);
  return out;
}

// Transitional: the Boost.JSON DOM codec behind the text signatures.
Result<Request> DecodeResponsesRequest(const JObj& body, Warnings& w) {
  auto dom = ParseJsonObject(body.Json());
  if (!dom.ok()) return std::move(dom).error();
  return DecodeResponsesRequestDom(*dom, w);
}

void EncodeResponsesRequest(const Request& r, JsonWriter& out, Warnings& w,
                         const CodecOptions& options) {
  auto dom = EncodeResponsesRequestDom(r, w, options);
  if (dom.ok()) out.Raw(ToJson(*dom));
}

}  // namespace omni::formats
