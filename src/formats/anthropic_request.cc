// Anthropic Messages requests: decode (wire → IR) and encode (IR → wire).
#include <algorithm>

#include "formats/codec_util.h"
#include "formats/codecs.h"
#include "formats/ids.h"
#include "formats/reasoning_map.h"
#include "formats/request_normalize.h"

namespace omni::formats {
namespace {

constexpr Format kSelf = Format::kAnthropic;
constexpr int64_t kDefaultMaxTokens = 8192;  // max_tokens is required by Anthropic
constexpr int64_t kMinThinkingBudget = 1024;

std::optional<ImagePart> DecodeImageSource(const JObj& block) {
  auto src = ObjectField(block, "source");
  if (!src) return std::nullopt;
  ImagePart image;
  auto type = StringField(*src, "type");
  if (type == "base64") {
    image.media_type = StringField(*src, "media_type");
    image.data = StringField(*src, "data");
  } else if (type == "url") {
    image.url = StringField(*src, "url");
  } else {
    return std::nullopt;
  }
  return image;
}

void DecodeToolResult(const JObj& b, ToolResultPart& result) {
  result.tool_call_id = StringField(b, "tool_use_id");
  result.is_error = BoolField(b, "is_error").value_or(false);
  auto content = Field(b, "content");
  if (!content) return;
  if (content->is_string()) {
    result.content.push_back(TextPart{std::string(content->get_string())});
    return;
  }
  if (!content->is_array()) return;
  for (JVal c : content->get_array()) {
    if (!c.is_object()) continue;
    JObj o = c.get_object();
    auto type = StringField(o, "type");
    if (type == "text") result.content.push_back(TextPart{std::string(StringField(o, "text"))});
    if (type == "image")
      if (auto image = DecodeImageSource(o)) result.content.push_back(std::move(*image));
  }
}

void DecodeMessage(const JObj& m, Request& r) {
  bool assistant = StringField(m, "role") == "assistant";
  Message msg{assistant ? Role::kAssistant : Role::kUser, {}};
  Message results{Role::kTool, {}};
  auto content = Field(m, "content");
  if (content && content->is_string())
    msg.parts.push_back(TextPart{std::string(content->get_string())});
  if (content && content->is_array()) {
    msg.parts.reserve(content->get_array().size());
    for (JVal item : content->get_array()) {
      if (!item.is_object()) continue;
      JObj b = item.get_object();
      auto type = StringField(b, "type");
      if (type == "text") {
        msg.parts.push_back(TextPart{std::string(StringField(b, "text"))});
      } else if (type == "image") {
        if (auto image = DecodeImageSource(b))
          msg.parts.push_back(std::move(*image));
        else
          msg.parts.push_back(OpaquePart{kSelf, item.Json()});
      } else if (type == "tool_use") {
        ToolCallPart call;
        call.id = StringField(b, "id");
        call.name = StringField(b, "name");
        auto input = Field(b, "input");
        call.arguments_json = input ? input->Json() : "{}";
        msg.parts.push_back(std::move(call));
      } else if (type == "tool_result") {
        ToolResultPart result;
        DecodeToolResult(b, result);
        results.parts.push_back(std::move(result));
      } else if (type == "thinking") {
        // Unsigned thinking (echoed from another provider's reasoning) cannot be replayed.
        auto signature = StringField(b, "signature");
        if (signature.empty()) continue;
        msg.parts.push_back(ThinkingPart{std::string(StringField(b, "thinking")),
                                         std::string(signature), false, "", kSelf});
      } else if (type == "redacted_thinking") {
        msg.parts.push_back(ThinkingPart{"", std::string(StringField(b, "data")), true, "", kSelf});
      } else {
        msg.parts.push_back(OpaquePart{kSelf, item.Json()});
      }
    }
  }
  // Tool results come first: they answer the previous assistant turn.
  if (!results.parts.empty()) r.messages.push_back(std::move(results));
  if (!msg.parts.empty()) r.messages.push_back(std::move(msg));
}

}  // namespace

Result<Request> DecodeAnthropicRequest(const JObj& body, Warnings& w) {
  Request r;
  r.extra_format = kSelf;
  r.model = StringField(body, "model");
  if (auto system = Field(body, "system")) {
    if (system->is_string()) r.system.push_back(TextPart{std::string(system->get_string())});
    if (system->is_array())
      for (JVal b : system->get_array())
        if (b.is_object() && StringField(b.get_object(), "type") == "text")
          r.system.push_back(TextPart{std::string(StringField(b.get_object(), "text"))});
  }
  auto messages = ArrayField(body, "messages");
  if (!messages) return Error::InvalidRequest("'messages' must be an array", "invalid_messages");
  r.messages.reserve(messages->size());
  for (JVal m : *messages)
    if (m.is_object()) DecodeMessage(m.get_object(), r);

  if (auto tools = ArrayField(body, "tools")) {
    r.tools.reserve(tools->size());
    for (JVal t : *tools) {
      if (!t.is_object()) continue;
      JObj o = t.get_object();
      Tool tool;
      tool.name = StringField(o, "name");
      auto type = StringField(o, "type");
      if (type.empty() || type == "custom") {
        tool.description = StringField(o, "description");
        if (auto s = Field(o, "input_schema")) tool.parameters = s->Json();
      } else {
        tool.kind = type.substr(0, 10) == "web_search" ? ToolKind::kWebSearch : ToolKind::kOther;
        tool.raw = t.Json();
        tool.raw_format = kSelf;
      }
      r.tools.push_back(std::move(tool));
    }
  }
  if (auto tc = ObjectField(body, "tool_choice")) {
    auto type = StringField(*tc, "type");
    ToolChoice choice;
    if (type == "any") choice.mode = ToolChoice::Mode::kRequired;
    if (type == "none") choice.mode = ToolChoice::Mode::kNone;
    if (type == "tool") {
      choice.mode = ToolChoice::Mode::kTool;
      choice.name = StringField(*tc, "name");
    }
    r.tool_choice = choice;
    if (BoolField(*tc, "disable_parallel_tool_use").value_or(false)) r.parallel_tool_calls = false;
  }
  r.sampling.max_tokens = IntField(body, "max_tokens");
  r.sampling.temperature = NumberField(body, "temperature");
  r.sampling.top_p = NumberField(body, "top_p");
  r.sampling.top_k = IntField(body, "top_k");
  if (auto stop = ArrayField(body, "stop_sequences"))
    for (JVal s : *stop)
      if (s.is_string()) r.sampling.stop.emplace_back(s.get_string());
  bool used_output_config = false;
  if (auto th = ObjectField(body, "thinking")) {
    auto type = StringField(*th, "type");
    Reasoning reasoning;
    reasoning.enabled = type != "disabled";
    if (type == "enabled") reasoning.budget_tokens = IntField(*th, "budget_tokens");
    if (type == "adaptive") {
      if (auto oc = ObjectField(body, "output_config")) {
        reasoning.effort = StringField(*oc, "effort");
        used_output_config = oc->size() == 1;
      }
    }
    r.reasoning = reasoning;
  }
  r.stream = BoolField(body, "stream").value_or(false);
  CollectExtra(body,
               {"model", "system", "messages", "tools", "tool_choice", "max_tokens", "temperature",
                "top_p", "top_k", "stop_sequences", "thinking", "stream"},
               r.extra);
  if (used_output_config) EraseExtra(r.extra, "output_config");
  NormalizeRequest(r);
  return r;
}

namespace {

// SanitizeToolCallId without the copy when the id is already valid (the usual case).
void WriteToolId(JsonWriter& out, std::string_view id) {
  if (IsValidToolCallId(id))
    out.String(id);
  else
    out.String(SanitizeToolCallId(id));
}

void WriteTextBlock(JsonWriter& out, std::string_view text) {
  out.BeginObject();
  out.Field("type", "text");
  out.Field("text", text);
  out.EndObject();
}

void WriteImageBlock(JsonWriter& out, const ImagePart& image) {
  bool pdf = image.media_type == "application/pdf" ||
             (image.is_url() && GuessMediaType(image.url) == "application/pdf");
  out.BeginObject();
  out.Field("type", pdf ? "document" : "image");
  out.Key("source");
  out.BeginObject();
  if (image.is_url()) {
    out.Field("type", "url");
    out.Field("url", image.url);
  } else {
    out.Field("type", "base64");
    out.Field("media_type", image.media_type);
    out.Field("data", image.data);
  }
  out.EndObject();
  out.EndObject();
}

void WriteToolResultBlock(JsonWriter& out, const ToolResultPart& r) {
  out.BeginObject();
  out.Field("type", "tool_result");
  out.Key("tool_use_id");
  WriteToolId(out, r.tool_call_id);
  bool text_only = std::all_of(r.content.begin(), r.content.end(), [](const ToolResultContent& c) {
    return std::holds_alternative<TextPart>(c);
  });
  if (text_only) {
    if (r.content.size() == 1) {
      const std::string& text = std::get<TextPart>(r.content[0]).text;
      if (!text.empty()) out.Field("content", text);
    } else if (std::string text = ToolResultText(r); !text.empty()) {
      out.Field("content", text);
    }
  } else {
    out.Key("content");
    out.BeginArray();
    for (const ToolResultContent& c : r.content) {
      if (auto* t = std::get_if<TextPart>(&c)) {
        if (!t->text.empty()) WriteTextBlock(out, t->text);
      } else {
        WriteImageBlock(out, std::get<ImagePart>(c));
      }
    }
    out.EndArray();
  }
  if (r.is_error) out.BoolField("is_error", true);
  out.EndObject();
}

// Only Anthropic-signed thinking can be replayed; other reasoning is not input.
bool Replayable(const ThinkingPart& th, Role role) {
  return role == Role::kAssistant && th.origin == kSelf && !th.signature.empty();
}

// How many blocks a message becomes (what the writers below emit, without warnings).
size_t BlockCount(const Message& m) {
  size_t n = 0;
  for (const Part& p : m.parts) {
    if (auto* t = std::get_if<TextPart>(&p))
      n += !t->text.empty();
    else if (std::holds_alternative<ToolCallPart>(p))
      n += m.role == Role::kAssistant;
    else if (auto* th = std::get_if<ThinkingPart>(&p))
      n += Replayable(*th, m.role);
    else if (auto* o = std::get_if<OpaquePart>(&p))
      n += o->format == kSelf;
    else
      ++n;  // image, tool result
  }
  return n;
}

// Anthropic requires thinking blocks before the others of a message, so a message is written
// in two passes: this one, then WriteOtherBlocks.
void WriteThinkingBlocks(JsonWriter& out, const Message& m) {
  for (const Part& p : m.parts) {
    auto* th = std::get_if<ThinkingPart>(&p);
    if (!th || !Replayable(*th, m.role)) continue;
    out.BeginObject();
    if (th->redacted) {
      out.Field("type", "redacted_thinking");
      out.Field("data", th->signature);
    } else {
      out.Field("type", "thinking");
      out.Field("thinking", th->text);
      out.Field("signature", th->signature);
    }
    out.EndObject();
  }
}

// Warns about the parts no target block carries (another format's opaque elements).
void WarnDroppedParts(const Message& m, Warnings& w) {
  for (const Part& p : m.parts)
    if (auto* o = std::get_if<OpaquePart>(&p); o && o->format != kSelf)
      WarnDropped(w, DescribeOpaque(*o), kSelf);
}

// The non-thinking blocks, warning about what is dropped as WarnDroppedParts does.
void WriteOtherBlocks(JsonWriter& out, const Message& m, Warnings& w) {
  for (const Part& p : m.parts) {
    if (auto* t = std::get_if<TextPart>(&p)) {
      if (!t->text.empty()) WriteTextBlock(out, t->text);
    } else if (auto* i = std::get_if<ImagePart>(&p)) {
      WriteImageBlock(out, *i);
    } else if (auto* c = std::get_if<ToolCallPart>(&p)) {
      if (m.role != Role::kAssistant) continue;
      out.BeginObject();
      out.Field("type", "tool_use");
      out.Key("id");
      WriteToolId(out, c->id);
      out.Field("name", c->name);
      out.Key("input");
      out.Raw(ArgumentsObjectJson(*c, w));
      out.EndObject();
    } else if (auto* r = std::get_if<ToolResultPart>(&p)) {
      WriteToolResultBlock(out, *r);
    } else if (auto* o = std::get_if<OpaquePart>(&p)) {
      if (o->format == kSelf)
        out.Raw(o->json);
      else
        WarnDropped(w, DescribeOpaque(*o), kSelf);
    }
  }
}

std::string_view WireRole(const Message& m) {
  return m.role == Role::kAssistant ? "assistant" : "user";
}

// Consecutive messages of the same wire role (tool results are user turns) merge into one
// turn; messages without blocks are skipped, so no turn is empty. A turn that is a single
// text block is sent as a plain string.
void WriteMessages(JsonWriter& out, const std::vector<Message>& messages, Warnings& w) {
  out.Key("messages");
  out.BeginArray();
  size_t i = 0;
  while (i < messages.size()) {
    if (BlockCount(messages[i]) == 0) {
      WarnDroppedParts(messages[i++], w);
      continue;
    }
    std::string_view role = WireRole(messages[i]);
    size_t end = i + 1, blocks = 0;
    for (size_t k = i; k < messages.size(); ++k) {
      size_t n = BlockCount(messages[k]);
      if (n == 0) continue;
      if (WireRole(messages[k]) != role) break;
      blocks += n;
      end = k + 1;
    }
    out.BeginObject();
    out.Field("role", role);
    out.Key("content");
    const TextPart* only_text = nullptr;
    if (blocks == 1)
      for (const Part& p : messages[i].parts)
        if (auto* t = std::get_if<TextPart>(&p); t && !t->text.empty()) only_text = t;
    if (only_text) {
      out.String(only_text->text);
      WarnDroppedParts(messages[i], w);
    } else {
      out.BeginArray();
      for (size_t k = i; k < end; ++k) {
        WriteThinkingBlocks(out, messages[k]);
        WriteOtherBlocks(out, messages[k], w);
      }
      out.EndArray();
    }
    out.EndObject();
    i = end;
  }
  out.EndArray();
}

// A function tool's input_schema: Anthropic requires an object schema with a "type".
void WriteInputSchema(JsonWriter& out, std::string_view parameters) {
  // Decoders write schemas compactly and most start with their type: skip parsing those.
  if (parameters.starts_with(R"({"type":)")) {
    out.Raw(parameters);
    return;
  }
  JsonDoc doc;
  std::optional<JObj> schema;
  if (!parameters.empty())
    if (auto parsed = doc.ParseObject(parameters); parsed.ok()) schema = *parsed;
  if (!schema) {
    out.Raw(kEmptyObjectSchema);
    return;
  }
  if (schema->contains("type")) {
    out.Raw(parameters);
    return;
  }
  std::string with_type = R"({"type":"object")";
  if (!schema->empty()) {
    with_type += ',';
    with_type += parameters.substr(parameters.find('{') + 1);
  } else {
    with_type += '}';
  }
  out.Raw(with_type);
}

// Whether the tools array gets an entry for `t` (what WriteTools does, without warnings).
bool Sendable(const Tool& t) {
  return t.kind == ToolKind::kFunction || t.raw_format == kSelf || t.kind == ToolKind::kWebSearch;
}

// Returns whether any tool was written.
bool WriteTools(JsonWriter& out, const std::vector<Tool>& tools, Warnings& w) {
  bool any = std::any_of(tools.begin(), tools.end(), Sendable);
  if (any) {
    out.Key("tools");
    out.BeginArray();
  }
  for (const Tool& t : tools) {
    if (t.kind == ToolKind::kFunction) {
      out.BeginObject();
      out.Field("name", t.name);
      if (!t.description.empty()) out.Field("description", t.description);
      out.Key("input_schema");
      WriteInputSchema(out, t.parameters);
      out.EndObject();
    } else if (t.raw_format == kSelf) {
      out.Raw(t.raw);
    } else if (t.kind == ToolKind::kWebSearch) {
      out.BeginObject();
      out.Field("type", "web_search_20250305");
      out.Field("name", "web_search");
      out.EndObject();
    } else {
      WarnDropped(w, "server tool '" + t.name + "'", kSelf);
    }
  }
  if (any) out.EndArray();
  return any;
}

void WriteToolChoice(JsonWriter& out, const Request& r) {
  ToolChoice choice = r.tool_choice.value_or(ToolChoice{});
  out.Key("tool_choice");
  out.BeginObject();
  switch (choice.mode) {
    case ToolChoice::Mode::kAuto:
      out.Field("type", "auto");
      break;
    case ToolChoice::Mode::kNone:
      out.Field("type", "none");
      break;
    case ToolChoice::Mode::kRequired:
      out.Field("type", "any");
      break;
    case ToolChoice::Mode::kTool:
      out.Field("type", "tool");
      out.Field("name", choice.name);
      break;
  }
  if (r.parallel_tool_calls == false && choice.mode != ToolChoice::Mode::kNone)
    out.BoolField("disable_parallel_tool_use", true);
  out.EndObject();
}

// The thinking budget to send, or nullopt for no thinking.
std::optional<int64_t> ThinkingBudget(const Request& r, Warnings& w) {
  if (!r.reasoning || !r.reasoning->enabled) return std::nullopt;
  int64_t budget = EffectiveBudget(*r.reasoning);
  if (budget < 0) budget = EffortToBudget("medium");  // no dynamic budget in Anthropic
  budget = std::max(budget, kMinThinkingBudget);
  if (r.sampling.max_tokens && budget >= *r.sampling.max_tokens) {
    budget = *r.sampling.max_tokens - 1;
    if (budget < kMinThinkingBudget) {
      w.Add("thinking disabled: max_tokens leaves no room for the minimum thinking budget");
      return std::nullopt;
    }
  }
  return budget;
}

}  // namespace

void EncodeAnthropicRequest(const Request& r, JsonWriter& out, Warnings& w,
                            const CodecOptions& options) {
  out.BeginObject();
  out.Field("model", options.model.empty() ? r.model : options.model);
  std::optional<int64_t> budget = ThinkingBudget(r, w);
  int64_t max_tokens =
      r.sampling.max_tokens.value_or(budget ? *budget + kDefaultMaxTokens : kDefaultMaxTokens);
  out.IntField("max_tokens", max_tokens);
  if (r.system.size() == 1) {
    out.Field("system", r.system[0].text);
  } else if (!r.system.empty()) {
    out.Key("system");
    out.BeginArray();
    for (const TextPart& t : r.system)
      if (!t.text.empty()) WriteTextBlock(out, t.text);
    out.EndArray();
  }
  WriteMessages(out, r.messages, w);
  bool has_tools = WriteTools(out, r.tools, w);
  if (has_tools && (r.tool_choice || r.parallel_tool_calls == false)) WriteToolChoice(out, r);
  if (!r.sampling.stop.empty()) {
    out.Key("stop_sequences");
    out.BeginArray();
    for (const std::string& s : r.sampling.stop) out.String(s);
    out.EndArray();
  }
  bool adaptive = budget && r.extra_format == kSelf && !r.reasoning->budget_tokens &&
                  !r.reasoning->effort.empty();
  if (adaptive) {
    // Claude 4.6+ adaptive thinking: keep it as the client sent it.
    out.Key("thinking");
    out.Raw(R"({"type":"adaptive"})");
    out.Key("output_config");
    out.BeginObject();
    out.Field("effort", r.reasoning->effort);
    out.EndObject();
  } else if (budget) {
    out.Key("thinking");
    out.BeginObject();
    out.Field("type", "enabled");
    out.IntField("budget_tokens", *budget);
    out.EndObject();
  }
  if (budget) {
    // Extended thinking rejects temperature/top_k changes and top_p below 0.95.
    if (r.sampling.temperature && *r.sampling.temperature != 1.0)
      w.Add("temperature dropped: Anthropic thinking requires the default temperature");
    if (r.sampling.top_k) w.Add("top_k dropped: Anthropic thinking does not allow it");
    if (r.sampling.top_p && *r.sampling.top_p >= 0.95)
      out.DoubleField("top_p", *r.sampling.top_p);
    else if (r.sampling.top_p)
      w.Add("top_p dropped: Anthropic thinking requires top_p >= 0.95");
  } else {
    if (r.reasoning && !r.reasoning->enabled && r.extra_format == kSelf) {
      out.Key("thinking");
      out.Raw(R"({"type":"disabled"})");
    }
    if (r.sampling.temperature) out.DoubleField("temperature", *r.sampling.temperature);
    if (r.sampling.top_p) out.DoubleField("top_p", *r.sampling.top_p);
    if (r.sampling.top_k) out.IntField("top_k", *r.sampling.top_k);
  }
  if (r.stream) out.BoolField("stream", true);
  WriteExtra(out, r.extra, r.extra_format, kSelf, w);
  out.EndObject();
}

}  // namespace omni::formats
