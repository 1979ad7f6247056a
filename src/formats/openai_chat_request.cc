// OpenAI Chat Completions requests: decode (wire → IR) and encode (IR → wire).
#include <set>

#include "formats/codec_util.h"
#include "formats/codecs.h"
#include "formats/reasoning_map.h"
#include "formats/request_normalize.h"
#include "formats/wire_json.h"

namespace omni::formats {
namespace {

constexpr Format kSelf = Format::kOpenAIChat;

void DecodeContent(const bj::value* content, std::vector<Part>& parts, Warnings& w) {
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
    if (type == "text") {
      parts.push_back(TextPart{std::string(StringField(o, "text"))});
    } else if (type == "refusal") {
      parts.push_back(TextPart{std::string(StringField(o, "refusal"))});
    } else if (type == "image_url") {
      std::string url, detail;
      if (const bj::object* iu = ObjectField(o, "image_url")) {
        url = StringField(*iu, "url");
        detail = StringField(*iu, "detail");
      } else {
        url = StringField(o, "image_url");
      }
      ImagePart image;
      if (auto data = ParseDataUrl(url))
        image = std::move(*data);
      else
        image.url = url;
      image.detail = detail;
      parts.push_back(std::move(image));
    } else {
      parts.push_back(OpaquePart{kSelf, ToJson(item)});
    }
  }
}

void DecodeMessage(const bj::object& m, Request& r, Warnings& w) {
  auto role = StringField(m, "role");
  if (role == "system" || role == "developer") {
    std::vector<Part> parts;
    DecodeContent(Field(m, "content"), parts, w);
    for (Part& p : parts)
      if (auto* t = std::get_if<TextPart>(&p)) r.system.push_back(std::move(*t));
    if (role == "developer") r.system_role = "developer";
    return;
  }
  Message msg;
  if (role == "user") {
    msg.role = Role::kUser;
    DecodeContent(Field(m, "content"), msg.parts, w);
  } else if (role == "assistant") {
    msg.role = Role::kAssistant;
    if (std::string thinking = OpenAIReasoningText(m); !thinking.empty())
      msg.parts.push_back(ThinkingPart{thinking, "", false, "", kSelf});
    DecodeContent(Field(m, "content"), msg.parts, w);
    if (const bj::array* calls = ArrayField(m, "tool_calls")) {
      for (const bj::value& c : *calls) {
        if (!c.is_object()) continue;
        const bj::object* fn = ObjectField(c.get_object(), "function");
        ToolCallPart call;
        call.id = StringField(c.get_object(), "id");
        if (fn) {
          call.name = StringField(*fn, "name");
          call.arguments_json = StringField(*fn, "arguments");
        }
        if (call.arguments_json.empty()) call.arguments_json = "{}";
        msg.parts.push_back(std::move(call));
      }
    }
  } else if (role == "tool") {
    msg.role = Role::kTool;
    ToolResultPart result;
    result.tool_call_id = StringField(m, "tool_call_id");
    std::vector<Part> parts;
    DecodeContent(Field(m, "content"), parts, w);
    for (Part& p : parts) {
      if (auto* t = std::get_if<TextPart>(&p))
        result.content.push_back(std::move(*t));
      else if (auto* i = std::get_if<ImagePart>(&p))
        result.content.push_back(std::move(*i));
    }
    msg.parts.push_back(std::move(result));
  } else {
    w.Add("message with role '" + std::string(role) + "' is not supported; dropped");
    return;
  }
  r.messages.push_back(std::move(msg));
}

}  // namespace

static Result<Request> DecodeOpenAIChatRequestDom(const bj::object& body, Warnings& w) {
  Request r;
  r.extra_format = kSelf;
  r.model = StringField(body, "model");
  const bj::array* messages = ArrayField(body, "messages");
  if (!messages) return Error::InvalidRequest("'messages' must be an array", "invalid_messages");
  for (const bj::value& m : *messages)
    if (m.is_object()) DecodeMessage(m.get_object(), r, w);

  if (const bj::array* tools = ArrayField(body, "tools")) {
    for (const bj::value& t : *tools) {
      if (!t.is_object()) continue;
      const bj::object& o = t.get_object();
      Tool tool;
      const bj::object* fn = ObjectField(o, "function");
      if (StringField(o, "type") == "function" && fn) {
        tool.name = StringField(*fn, "name");
        tool.description = StringField(*fn, "description");
        if (const bj::value* p = Field(*fn, "parameters")) tool.parameters = ToJson(*p);
        tool.strict = BoolField(*fn, "strict");
      } else {
        tool.kind = ToolKind::kOther;
        tool.name = StringField(o, "type");
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
      choice.mode = s == "none"       ? ToolChoice::Mode::kNone
                    : s == "required" ? ToolChoice::Mode::kRequired
                                      : ToolChoice::Mode::kAuto;
    } else if (tc->is_object()) {
      if (const bj::object* fn = ObjectField(tc->get_object(), "function")) {
        choice.mode = ToolChoice::Mode::kTool;
        choice.name = StringField(*fn, "name");
      }
    }
    r.tool_choice = choice;
  }
  r.parallel_tool_calls = BoolField(body, "parallel_tool_calls");
  r.sampling.max_tokens = IntField(body, "max_completion_tokens");
  if (!r.sampling.max_tokens) r.sampling.max_tokens = IntField(body, "max_tokens");
  r.sampling.temperature = NumberField(body, "temperature");
  r.sampling.top_p = NumberField(body, "top_p");
  r.sampling.top_k = IntField(body, "top_k");
  if (const bj::value* stop = Field(body, "stop")) {
    if (stop->is_string()) r.sampling.stop.emplace_back(stop->get_string());
    if (stop->is_array())
      for (const bj::value& s : stop->get_array())
        if (s.is_string()) r.sampling.stop.emplace_back(s.get_string());
  }
  if (auto effort = StringField(body, "reasoning_effort"); !effort.empty()) {
    Reasoning reasoning;
    reasoning.enabled = effort != "none";
    if (reasoning.enabled) reasoning.effort = effort;
    r.reasoning = reasoning;
  } else if (const bj::object* ro = ObjectField(body, "reasoning")) {  // OpenRouter
    Reasoning reasoning;
    reasoning.effort = StringField(*ro, "effort");
    reasoning.budget_tokens = IntField(*ro, "max_tokens");
    reasoning.enabled = BoolField(*ro, "enabled").value_or(true) && reasoning.effort != "none";
    if (reasoning.effort == "none") reasoning.effort.clear();
    r.reasoning = reasoning;
  }
  r.stream = BoolField(body, "stream").value_or(false);
  if (const bj::object* so = ObjectField(body, "stream_options"))
    r.stream_include_usage = BoolField(*so, "include_usage");
  CollectExtra(body,
               {"model", "messages", "tools", "tool_choice", "parallel_tool_calls",
                "max_completion_tokens", "max_tokens", "temperature", "top_p", "top_k", "stop",
                "reasoning_effort", "reasoning", "stream", "stream_options"},
               r.extra);
  NormalizeRequest(r);
  return r;
}

namespace {

bj::object ContentPart(const Part& p) {
  if (auto* t = std::get_if<TextPart>(&p)) return {{"type", "text"}, {"text", t->text}};
  const auto& image = std::get<ImagePart>(p);
  bj::object iu{{"url", ImageUrl(image)}};
  if (!image.detail.empty()) iu["detail"] = image.detail;
  return {{"type", "image_url"}, {"image_url", std::move(iu)}};
}

// A user/assistant content value: a string for one text part, else an array.
bj::value Content(const std::vector<const Part*>& parts) {
  if (parts.size() == 1 && std::holds_alternative<TextPart>(*parts[0]))
    return bj::value(std::get<TextPart>(*parts[0]).text);
  bj::array out;
  for (const Part* p : parts) {
    if (auto* o = std::get_if<OpaquePart>(p))
      out.push_back(ParseJsonOrNull(o->json));
    else
      out.push_back(ContentPart(*p));
  }
  return out;
}

bool Keep(const Part& p, Warnings& w) {
  if (auto* t = std::get_if<TextPart>(&p)) return !t->text.empty();
  if (std::holds_alternative<ImagePart>(p)) return true;
  if (auto* o = std::get_if<OpaquePart>(&p)) {
    if (o->format == kSelf) return true;
    WarnDropped(w, DescribeOpaque(*o), kSelf);
  }
  return false;
}

void EncodeToolResults(const Message& m, const std::set<std::string>& open_calls, bj::array& out,
                       Warnings& w) {
  std::vector<const Part*> images;
  std::vector<const Part*> orphans;
  for (const Part& p : m.parts) {
    auto* r = std::get_if<ToolResultPart>(&p);
    if (!r) continue;
    std::string text = ToolResultText(*r);
    if (r->is_error) text = "Error: " + text;
    if (!open_calls.count(r->tool_call_id)) {
      // OpenAI rejects a tool message that does not answer the previous assistant turn.
      w.Add("tool result " + r->tool_call_id + " has no matching tool call; sent as user text");
      out.push_back(bj::object{{"role", "user"},
                               {"content", "Tool result (" + r->tool_call_id + "): " + text}});
      continue;
    }
    out.push_back(
        bj::object{{"role", "tool"}, {"tool_call_id", r->tool_call_id}, {"content", text}});
    for (const ToolResultContent& c : r->content)
      if (std::holds_alternative<ImagePart>(c)) images.push_back(&p);
  }
  if (!images.empty()) {
    // Tool messages carry text only: images follow in one user message.
    bj::array content;
    for (const Part* p : images)
      for (const ToolResultContent& c : std::get<ToolResultPart>(*p).content)
        if (auto* i = std::get_if<ImagePart>(&c)) content.push_back(ContentPart(Part{*i}));
    out.push_back(bj::object{{"role", "user"}, {"content", std::move(content)}});
    w.Add("images in tool results were moved to a user message (tool messages are text-only)");
  }
}

}  // namespace

static Result<bj::object> EncodeOpenAIChatRequestDom(const Request& r, Warnings& w,
                                                 const CodecOptions& options) {
  bj::object out;
  out["model"] = options.model.empty() ? r.model : options.model;
  bj::array messages;
  if (std::string system = JoinText(r.system); !system.empty())
    messages.push_back(bj::object{{"role", r.system_role.empty() ? "system" : r.system_role},
                                  {"content", system}});
  std::set<std::string> open_calls;
  for (const Message& m : r.messages) {
    if (m.role == Role::kTool) {
      EncodeToolResults(m, open_calls, messages, w);
      continue;
    }
    std::vector<const Part*> content;
    bj::array calls;
    std::string reasoning;  // DeepSeek-style reasoning_content the client itself sent
    for (const Part& p : m.parts) {
      if (auto* th = std::get_if<ThinkingPart>(&p); th && th->origin == kSelf)
        reasoning += th->text;
      if (auto* c = std::get_if<ToolCallPart>(&p)) {
        if (m.role != Role::kAssistant) continue;
        calls.push_back(bj::object{
            {"id", c->id},
            {"type", "function"},
            {"function",
             bj::object{{"name", c->name},
                        {"arguments", c->arguments_json.empty() ? "{}" : c->arguments_json}}}});
      } else if (std::holds_alternative<ToolResultPart>(p)) {
        Message single{Role::kTool, {p}};
        EncodeToolResults(single, {}, messages, w);
      } else if (Keep(p, w)) {
        content.push_back(&p);
      }
    }
    if (m.role == Role::kUser) {
      open_calls.clear();
      if (content.empty()) continue;
      messages.push_back(bj::object{{"role", "user"}, {"content", Content(content)}});
      continue;
    }
    open_calls.clear();
    for (const bj::value& c : calls) open_calls.insert(std::string(c.at("id").as_string()));
    if (content.empty() && calls.empty()) {
      w.Add("an assistant message with nothing OpenAI can carry was dropped");
      continue;
    }
    bj::object msg{{"role", "assistant"}};
    msg["content"] = content.empty() ? bj::value(nullptr) : Content(content);
    if (!reasoning.empty()) msg["reasoning_content"] = reasoning;
    if (!calls.empty()) msg["tool_calls"] = std::move(calls);
    messages.push_back(std::move(msg));
  }
  out["messages"] = std::move(messages);

  bj::array tools;
  for (const Tool& t : r.tools) {
    if (t.kind == ToolKind::kFunction) {
      bj::object fn{{"name", t.name}};
      if (!t.description.empty()) fn["description"] = t.description;
      fn["parameters"] =
          t.parameters.empty()
              ? bj::value(bj::object{{"type", "object"}, {"properties", bj::object{}}})
              : ParseJsonOrNull(t.parameters);
      if (t.strict) fn["strict"] = *t.strict;
      tools.push_back(bj::object{{"type", "function"}, {"function", std::move(fn)}});
    } else if (t.raw_format == kSelf) {
      tools.push_back(ParseJsonOrNull(t.raw));
    } else {
      WarnDropped(w, "server tool '" + t.name + "'", kSelf);
    }
  }
  if (!tools.empty()) out["tools"] = std::move(tools);
  if (r.tool_choice && out.contains("tools")) {
    if (r.tool_choice->mode == ToolChoice::Mode::kTool) {
      out["tool_choice"] =
          bj::object{{"type", "function"}, {"function", bj::object{{"name", r.tool_choice->name}}}};
    } else {
      out["tool_choice"] = OpenAIToolChoiceWord(r.tool_choice->mode);
    }
  }
  if (r.parallel_tool_calls && out.contains("tools"))
    out["parallel_tool_calls"] = *r.parallel_tool_calls;
  if (r.sampling.max_tokens) out["max_completion_tokens"] = *r.sampling.max_tokens;
  if (r.sampling.temperature) out["temperature"] = Number(*r.sampling.temperature);
  if (r.sampling.top_p) out["top_p"] = Number(*r.sampling.top_p);
  if (r.sampling.top_k && r.extra_format != kSelf) WarnDropped(w, "top_k", kSelf);
  if (r.sampling.top_k && r.extra_format == kSelf) out["top_k"] = *r.sampling.top_k;
  if (!r.sampling.stop.empty()) {
    bj::array stop;
    for (const std::string& s : r.sampling.stop) stop.push_back(bj::value(s));
    out["stop"] = std::move(stop);
  }
  if (r.reasoning && r.reasoning->enabled) out["reasoning_effort"] = EffectiveEffort(*r.reasoning);
  if (r.stream) {
    out["stream"] = true;
    out["stream_options"] = bj::object{{"include_usage", r.stream_include_usage.value_or(true)}};
  }
  ApplyExtra(out, r.extra, r.extra_format, kSelf, w);
  return out;
}

// Transitional: the Boost.JSON DOM codec behind the text signatures.
Result<Request> DecodeOpenAIChatRequest(const JObj& body, Warnings& w) {
  auto dom = ParseJsonObject(body.Json());
  if (!dom.ok()) return std::move(dom).error();
  return DecodeOpenAIChatRequestDom(*dom, w);
}

void EncodeOpenAIChatRequest(const Request& r, JsonWriter& out, Warnings& w,
                         const CodecOptions& options) {
  auto dom = EncodeOpenAIChatRequestDom(r, w, options);
  if (dom.ok()) out.Raw(ToJson(*dom));
}

}  // namespace omni::formats
