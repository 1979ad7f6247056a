// OpenAI Chat Completions requests: decode (wire → IR) and encode (IR → wire).
#include <algorithm>
#include <span>

#include "formats/codec_util.h"
#include "formats/codecs.h"
#include "formats/reasoning_map.h"
#include "formats/request_normalize.h"

namespace omni::formats {
namespace {

constexpr Format kSelf = Format::kOpenAIChat;

// Calls `add(Part&&)` for each part of a message's `content` (a string or an array of parts).
template <class Add>
void DecodeContent(const std::optional<JVal>& content, Add&& add) {
  if (!content) return;
  if (content->is_string()) {
    add(TextPart{std::string(content->get_string())});
    return;
  }
  if (!content->is_array()) return;
  for (JVal item : content->get_array()) {
    if (!item.is_object()) continue;
    JObj o = item.get_object();
    auto type = StringField(o, "type");
    if (type == "text") {
      add(TextPart{std::string(StringField(o, "text"))});
    } else if (type == "refusal") {
      add(TextPart{std::string(StringField(o, "refusal"))});
    } else if (type == "image_url") {
      std::string_view url, detail;
      if (auto iu = ObjectField(o, "image_url")) {
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
      add(std::move(image));
    } else {
      add(OpaquePart{kSelf, item.Json()});
    }
  }
}

// The members of a wire message, read in one pass: a long conversation has many messages and
// each `find` would rescan their keys. The first of duplicate keys wins, as with `find`.
struct WireMessage {
  std::optional<JVal> role, content, tool_calls, tool_call_id;
  bool has_reasoning = false;  // a reasoning_* extension is present
};

WireMessage ScanMessage(const JObj& m) {
  WireMessage wm;
  for (auto [key, value] : m) {
    std::optional<JVal>* slot = key == "role"           ? &wm.role
                                : key == "content"      ? &wm.content
                                : key == "tool_calls"   ? &wm.tool_calls
                                : key == "tool_call_id" ? &wm.tool_call_id
                                                        : nullptr;
    if (slot && !*slot) *slot = value;
    if (key.starts_with("reasoning")) wm.has_reasoning = true;
  }
  return wm;
}

std::string_view AsString(const std::optional<JVal>& v) {
  return v && v->is_string() ? v->get_string() : std::string_view();
}

// Field() semantics: a null value reads as absent.
std::optional<JVal> NonNull(const std::optional<JVal>& v) {
  return v && !v->is_null() ? v : std::nullopt;
}

void DecodeMessage(const JObj& m, Request& r, Warnings& w) {
  WireMessage wm = ScanMessage(m);
  std::string_view role = AsString(wm.role);
  std::optional<JVal> content = NonNull(wm.content);
  if (role == "system" || role == "developer") {
    DecodeContent(content, [&](Part&& p) {
      if (auto* t = std::get_if<TextPart>(&p)) r.system.push_back(std::move(*t));
    });
    if (role == "developer") r.system_role = "developer";
    return;
  }
  Message msg;
  auto add = [&](Part&& p) { msg.parts.push_back(std::move(p)); };
  if (role == "user") {
    msg.role = Role::kUser;
    DecodeContent(content, add);
  } else if (role == "assistant") {
    msg.role = Role::kAssistant;
    if (wm.has_reasoning) {
      if (std::string thinking = OpenAIReasoningText(m); !thinking.empty())
        msg.parts.push_back(ThinkingPart{std::move(thinking), "", false, "", kSelf});
    }
    DecodeContent(content, add);
    if (wm.tool_calls && wm.tool_calls->is_array()) {
      for (JVal c : wm.tool_calls->get_array()) {
        if (!c.is_object()) continue;
        JObj co = c.get_object();
        ToolCallPart call;
        call.id = StringField(co, "id");
        if (auto fn = ObjectField(co, "function")) {
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
    result.tool_call_id = AsString(wm.tool_call_id);
    DecodeContent(content, [&](Part&& p) {
      if (auto* t = std::get_if<TextPart>(&p))
        result.content.push_back(std::move(*t));
      else if (auto* i = std::get_if<ImagePart>(&p))
        result.content.push_back(std::move(*i));
    });
    msg.parts.push_back(std::move(result));
  } else {
    w.Add("message with role '" + std::string(role) + "' is not supported; dropped");
    return;
  }
  r.messages.push_back(std::move(msg));
}

Tool DecodeTool(JVal t) {
  JObj o = t.get_object();
  Tool tool;
  auto fn = ObjectField(o, "function");
  if (StringField(o, "type") == "function" && fn) {
    tool.name = StringField(*fn, "name");
    tool.description = StringField(*fn, "description");
    if (auto p = Field(*fn, "parameters")) tool.parameters = p->Json();
    tool.strict = BoolField(*fn, "strict");
  } else {
    tool.kind = ToolKind::kOther;
    tool.name = StringField(o, "type");
    tool.raw = t.Json();
    tool.raw_format = kSelf;
  }
  return tool;
}

}  // namespace

Result<Request> DecodeOpenAIChatRequest(const JObj& body, Warnings& w) {
  Request r;
  r.extra_format = kSelf;
  r.model = StringField(body, "model");
  auto messages = ArrayField(body, "messages");
  if (!messages) return Error::InvalidRequest("'messages' must be an array", "invalid_messages");
  r.messages.reserve(messages->size());
  for (JVal m : *messages)
    if (m.is_object()) DecodeMessage(m.get_object(), r, w);

  if (auto tools = ArrayField(body, "tools")) {
    r.tools.reserve(tools->size());
    for (JVal t : *tools)
      if (t.is_object()) r.tools.push_back(DecodeTool(t));
  }
  if (auto tc = Field(body, "tool_choice")) {
    ToolChoice choice;
    if (tc->is_string()) {
      std::string_view s = tc->get_string();
      choice.mode = s == "none"       ? ToolChoice::Mode::kNone
                    : s == "required" ? ToolChoice::Mode::kRequired
                                      : ToolChoice::Mode::kAuto;
    } else if (tc->is_object()) {
      if (auto fn = ObjectField(tc->get_object(), "function")) {
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
  if (auto stop = Field(body, "stop")) {
    if (stop->is_string()) r.sampling.stop.emplace_back(stop->get_string());
    if (stop->is_array())
      for (JVal s : stop->get_array())
        if (s.is_string()) r.sampling.stop.emplace_back(s.get_string());
  }
  if (auto effort = StringField(body, "reasoning_effort"); !effort.empty()) {
    Reasoning reasoning;
    reasoning.enabled = effort != "none";
    if (reasoning.enabled) reasoning.effort = effort;
    r.reasoning = reasoning;
  } else if (auto ro = ObjectField(body, "reasoning")) {  // OpenRouter
    Reasoning reasoning;
    reasoning.effort = StringField(*ro, "effort");
    reasoning.budget_tokens = IntField(*ro, "max_tokens");
    reasoning.enabled = BoolField(*ro, "enabled").value_or(true) && reasoning.effort != "none";
    if (reasoning.effort == "none") reasoning.effort.clear();
    r.reasoning = reasoning;
  }
  r.stream = BoolField(body, "stream").value_or(false);
  if (auto so = ObjectField(body, "stream_options"))
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

void WriteImagePart(JsonWriter& w, const ImagePart& image) {
  w.BeginObject();
  w.Field("type", "image_url");
  w.Key("image_url");
  w.BeginObject();
  if (image.is_url())
    w.Field("url", image.url);
  else
    w.Field("url", ImageUrl(image));
  if (!image.detail.empty()) w.Field("detail", image.detail);
  w.EndObject();
  w.EndObject();
}

// A user/assistant content value: a string for one text part, else an array.
void WriteContent(JsonWriter& w, std::span<const Part* const> parts) {
  if (parts.size() == 1 && std::holds_alternative<TextPart>(*parts[0])) {
    w.String(std::get<TextPart>(*parts[0]).text);
    return;
  }
  w.BeginArray();
  for (const Part* p : parts) {
    if (auto* t = std::get_if<TextPart>(p)) {
      w.BeginObject();
      w.Field("type", "text");
      w.Field("text", t->text);
      w.EndObject();
    } else if (auto* i = std::get_if<ImagePart>(p)) {
      WriteImagePart(w, *i);
    } else if (auto* o = std::get_if<OpaquePart>(p)) {
      w.Raw(o->json);
    }
  }
  w.EndArray();
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

// The text of a tool message; the common single-text result is written without a copy.
std::string ResultText(const ToolResultPart& r) {
  std::string text = ToolResultText(r);
  if (r.is_error) text = "Error: " + text;
  return text;
}

void WriteResultText(JsonWriter& w, const ToolResultPart& r) {
  if (!r.is_error && r.content.size() == 1 && std::holds_alternative<TextPart>(r.content[0]))
    w.String(std::get<TextPart>(r.content[0]).text);
  else
    w.String(ResultText(r));
}

// Writes the tool messages for the ToolResultParts among `parts`. `open_calls` holds the ids
// of the calls the previous assistant message made (views into the request).
void WriteToolResults(std::span<const Part> parts, std::span<const std::string_view> open_calls,
                      JsonWriter& w, Warnings& warnings) {
  std::vector<const ToolResultPart*> images;
  for (const Part& p : parts) {
    auto* r = std::get_if<ToolResultPart>(&p);
    if (!r) continue;
    if (std::any_of(r->content.begin(), r->content.end(), [](const ToolResultContent& c) {
          return std::holds_alternative<ImagePart>(c);
        }))
      images.push_back(r);
    if (std::find(open_calls.begin(), open_calls.end(), r->tool_call_id) == open_calls.end()) {
      // OpenAI rejects a tool message that does not answer the previous assistant turn.
      warnings.Add("tool result " + r->tool_call_id +
                   " has no matching tool call; sent as user text");
      w.BeginObject();
      w.Field("role", "user");
      w.Field("content", "Tool result (" + r->tool_call_id + "): " + ResultText(*r));
      w.EndObject();
      continue;
    }
    w.BeginObject();
    w.Field("role", "tool");
    w.Field("tool_call_id", r->tool_call_id);
    w.Key("content");
    WriteResultText(w, *r);
    w.EndObject();
  }
  if (images.empty()) return;
  // Tool messages carry text only: images follow in one user message.
  w.BeginObject();
  w.Field("role", "user");
  w.Key("content");
  w.BeginArray();
  for (const ToolResultPart* r : images)
    for (const ToolResultContent& c : r->content)
      if (auto* i = std::get_if<ImagePart>(&c)) WriteImagePart(w, *i);
  w.EndArray();
  w.EndObject();
  warnings.Add("images in tool results were moved to a user message (tool messages are text-only)");
}

void WriteMessages(const Request& r, JsonWriter& w, Warnings& warnings) {
  w.Key("messages");
  w.BeginArray();
  if (std::string system = JoinText(r.system); !system.empty()) {
    w.BeginObject();
    w.Field("role", r.system_role.empty() ? std::string_view("system") : r.system_role);
    w.Field("content", system);
    w.EndObject();
  }
  // Reused across messages: views into `r`.
  std::vector<std::string_view> open_calls;
  std::vector<const Part*> content;
  std::vector<const ToolCallPart*> calls;
  std::string reasoning;  // DeepSeek-style reasoning_content the client itself sent
  for (const Message& m : r.messages) {
    if (m.role == Role::kTool) {
      WriteToolResults(m.parts, open_calls, w, warnings);
      continue;
    }
    content.clear();
    calls.clear();
    reasoning.clear();
    for (const Part& p : m.parts) {
      if (auto* th = std::get_if<ThinkingPart>(&p); th && th->origin == kSelf)
        reasoning += th->text;
      if (auto* c = std::get_if<ToolCallPart>(&p)) {
        if (m.role == Role::kAssistant) calls.push_back(c);
      } else if (std::holds_alternative<ToolResultPart>(p)) {
        // A result outside a tool message answers nothing: sent as user text.
        WriteToolResults(std::span<const Part>(&p, 1), {}, w, warnings);
      } else if (Keep(p, warnings)) {
        content.push_back(&p);
      }
    }
    open_calls.clear();
    if (m.role == Role::kUser) {
      if (content.empty()) continue;
      w.BeginObject();
      w.Field("role", "user");
      w.Key("content");
      WriteContent(w, content);
      w.EndObject();
      continue;
    }
    for (const ToolCallPart* c : calls) open_calls.push_back(c->id);
    if (content.empty() && calls.empty()) {
      warnings.Add("an assistant message with nothing OpenAI can carry was dropped");
      continue;
    }
    w.BeginObject();
    w.Field("role", "assistant");
    w.Key("content");
    if (content.empty())
      w.Null();
    else
      WriteContent(w, content);
    if (!reasoning.empty()) w.Field("reasoning_content", reasoning);
    if (!calls.empty()) {
      w.Key("tool_calls");
      w.BeginArray();
      for (const ToolCallPart* c : calls) {
        w.BeginObject();
        w.Field("id", c->id);
        w.Field("type", "function");
        w.Key("function");
        w.BeginObject();
        w.Field("name", c->name);
        w.Field("arguments",
                c->arguments_json.empty() ? std::string_view("{}") : c->arguments_json);
        w.EndObject();
        w.EndObject();
      }
      w.EndArray();
    }
    w.EndObject();
  }
  w.EndArray();
}

// Writes "tools" when at least one tool survives; returns whether it did.
bool WriteTools(const Request& r, JsonWriter& w, Warnings& warnings) {
  bool open = false;
  auto open_array = [&] {
    if (open) return;
    open = true;
    w.Key("tools");
    w.BeginArray();
  };
  for (const Tool& t : r.tools) {
    if (t.kind == ToolKind::kFunction) {
      open_array();
      w.BeginObject();
      w.Field("type", "function");
      w.Key("function");
      w.BeginObject();
      w.Field("name", t.name);
      if (!t.description.empty()) w.Field("description", t.description);
      w.Key("parameters");
      w.Raw(t.parameters.empty() ? kEmptyObjectSchema : std::string_view(t.parameters));
      if (t.strict) w.BoolField("strict", *t.strict);
      w.EndObject();
      w.EndObject();
    } else if (t.raw_format == kSelf) {
      open_array();
      w.Raw(t.raw);
    } else {
      WarnDropped(warnings, "server tool '" + t.name + "'", kSelf);
    }
  }
  if (open) w.EndArray();
  return open;
}

}  // namespace

void EncodeOpenAIChatRequest(const Request& r, JsonWriter& w, Warnings& warnings,
                             const CodecOptions& options) {
  w.BeginObject();
  w.Field("model", options.model.empty() ? r.model : options.model);
  WriteMessages(r, w, warnings);
  if (WriteTools(r, w, warnings)) {
    if (r.tool_choice) {
      w.Key("tool_choice");
      if (r.tool_choice->mode == ToolChoice::Mode::kTool) {
        w.BeginObject();
        w.Field("type", "function");
        w.Key("function");
        w.BeginObject();
        w.Field("name", r.tool_choice->name);
        w.EndObject();
        w.EndObject();
      } else {
        w.String(OpenAIToolChoiceWord(r.tool_choice->mode));
      }
    }
    if (r.parallel_tool_calls) w.BoolField("parallel_tool_calls", *r.parallel_tool_calls);
  }
  if (r.sampling.max_tokens) w.IntField("max_completion_tokens", *r.sampling.max_tokens);
  if (r.sampling.temperature) w.DoubleField("temperature", *r.sampling.temperature);
  if (r.sampling.top_p) w.DoubleField("top_p", *r.sampling.top_p);
  if (r.sampling.top_k) {
    // top_k is not an OpenAI parameter; only compatible servers whose clients sent it get it.
    if (r.extra_format == kSelf)
      w.IntField("top_k", *r.sampling.top_k);
    else
      WarnDropped(warnings, "top_k", kSelf);
  }
  if (!r.sampling.stop.empty()) {
    w.Key("stop");
    w.BeginArray();
    for (const std::string& s : r.sampling.stop) w.String(s);
    w.EndArray();
  }
  if (r.reasoning && r.reasoning->enabled)
    w.Field("reasoning_effort", EffectiveEffort(*r.reasoning));
  if (r.stream) {
    w.BoolField("stream", true);
    w.Key("stream_options");
    w.BeginObject();
    w.BoolField("include_usage", r.stream_include_usage.value_or(true));
    w.EndObject();
  }
  WriteExtra(w, r.extra, r.extra_format, kSelf, warnings);
  w.EndObject();
}

}  // namespace omni::formats
