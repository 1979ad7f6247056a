// Anthropic Messages requests: decode (wire → IR) and encode (IR → wire).
#include <algorithm>

#include "formats/codec_util.h"
#include "formats/codecs.h"
#include "formats/ids.h"
#include "formats/reasoning_map.h"
#include "formats/request_normalize.h"
#include "formats/wire_json.h"

namespace omni::formats {
namespace {

constexpr Format kSelf = Format::kAnthropic;
constexpr int64_t kDefaultMaxTokens = 8192;  // max_tokens is required by Anthropic
constexpr int64_t kMinThinkingBudget = 1024;

std::optional<ImagePart> DecodeImageSource(const bj::object& block) {
  const bj::object* src = ObjectField(block, "source");
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

void DecodeToolResult(const bj::object& b, ToolResultPart& result) {
  result.tool_call_id = StringField(b, "tool_use_id");
  result.is_error = BoolField(b, "is_error").value_or(false);
  const bj::value* content = Field(b, "content");
  if (!content) return;
  if (content->is_string()) {
    result.content.push_back(TextPart{std::string(content->get_string())});
    return;
  }
  if (!content->is_array()) return;
  for (const bj::value& c : content->get_array()) {
    if (!c.is_object()) continue;
    auto type = StringField(c.get_object(), "type");
    if (type == "text")
      result.content.push_back(TextPart{std::string(StringField(c.get_object(), "text"))});
    if (type == "image")
      if (auto image = DecodeImageSource(c.get_object())) result.content.push_back(*image);
  }
}

void DecodeMessage(const bj::object& m, Request& r) {
  bool assistant = StringField(m, "role") == "assistant";
  Message msg{assistant ? Role::kAssistant : Role::kUser, {}};
  Message results{Role::kTool, {}};
  const bj::value* content = Field(m, "content");
  if (content && content->is_string())
    msg.parts.push_back(TextPart{std::string(content->get_string())});
  if (content && content->is_array()) {
    for (const bj::value& item : content->get_array()) {
      if (!item.is_object()) continue;
      const bj::object& b = item.get_object();
      auto type = StringField(b, "type");
      if (type == "text") {
        msg.parts.push_back(TextPart{std::string(StringField(b, "text"))});
      } else if (type == "image" && DecodeImageSource(b)) {
        msg.parts.push_back(*DecodeImageSource(b));
      } else if (type == "tool_use") {
        ToolCallPart call;
        call.id = StringField(b, "id");
        call.name = StringField(b, "name");
        const bj::value* input = Field(b, "input");
        call.arguments_json = input ? ToJson(*input) : "{}";
        msg.parts.push_back(std::move(call));
      } else if (type == "tool_result") {
        ToolResultPart result;
        DecodeToolResult(b, result);
        results.parts.push_back(std::move(result));
      } else if (type == "thinking") {
        // Unsigned thinking (echoed from another provider's reasoning) cannot be replayed.
        if (StringField(b, "signature").empty()) continue;
        msg.parts.push_back(ThinkingPart{std::string(StringField(b, "thinking")),
                                         std::string(StringField(b, "signature")), false, "",
                                         kSelf});
      } else if (type == "redacted_thinking") {
        msg.parts.push_back(ThinkingPart{"", std::string(StringField(b, "data")), true, "", kSelf});
      } else {
        msg.parts.push_back(OpaquePart{kSelf, ToJson(item)});
      }
    }
  }
  // Tool results come first: they answer the previous assistant turn.
  if (!results.parts.empty()) r.messages.push_back(std::move(results));
  if (!msg.parts.empty()) r.messages.push_back(std::move(msg));
}

}  // namespace

static Result<Request> DecodeAnthropicRequestDom(const bj::object& body, Warnings& w) {
  Request r;
  r.extra_format = kSelf;
  r.model = StringField(body, "model");
  if (const bj::value* system = Field(body, "system")) {
    if (system->is_string()) r.system.push_back(TextPart{std::string(system->get_string())});
    if (system->is_array())
      for (const bj::value& b : system->get_array())
        if (b.is_object() && StringField(b.get_object(), "type") == "text")
          r.system.push_back(TextPart{std::string(StringField(b.get_object(), "text"))});
  }
  const bj::array* messages = ArrayField(body, "messages");
  if (!messages) return Error::InvalidRequest("'messages' must be an array", "invalid_messages");
  for (const bj::value& m : *messages)
    if (m.is_object()) DecodeMessage(m.get_object(), r);

  if (const bj::array* tools = ArrayField(body, "tools")) {
    for (const bj::value& t : *tools) {
      if (!t.is_object()) continue;
      const bj::object& o = t.get_object();
      Tool tool;
      tool.name = StringField(o, "name");
      auto type = StringField(o, "type");
      if (type.empty() || type == "custom") {
        tool.description = StringField(o, "description");
        if (const bj::value* s = Field(o, "input_schema")) tool.parameters = ToJson(*s);
      } else {
        tool.kind = type.substr(0, 10) == "web_search" ? ToolKind::kWebSearch : ToolKind::kOther;
        tool.raw = ToJson(t);
        tool.raw_format = kSelf;
      }
      r.tools.push_back(std::move(tool));
    }
  }
  if (const bj::object* tc = ObjectField(body, "tool_choice")) {
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
  if (const bj::array* stop = ArrayField(body, "stop_sequences"))
    for (const bj::value& s : *stop)
      if (s.is_string()) r.sampling.stop.emplace_back(s.get_string());
  bool used_output_config = false;
  if (const bj::object* th = ObjectField(body, "thinking")) {
    auto type = StringField(*th, "type");
    Reasoning reasoning;
    reasoning.enabled = type != "disabled";
    if (type == "enabled") reasoning.budget_tokens = IntField(*th, "budget_tokens");
    if (type == "adaptive") {
      if (const bj::object* oc = ObjectField(body, "output_config")) {
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

bj::object ImageBlock(const ImagePart& image) {
  bj::object source;
  if (image.is_url()) {
    source = {{"type", "url"}, {"url", image.url}};
  } else {
    source = {{"type", "base64"}, {"media_type", image.media_type}, {"data", image.data}};
  }
  bool pdf = image.media_type == "application/pdf" ||
             (image.is_url() && GuessMediaType(image.url) == "application/pdf");
  return {{"type", pdf ? "document" : "image"}, {"source", std::move(source)}};
}

bj::object ToolResultBlock(const ToolResultPart& r) {
  bj::object block{{"type", "tool_result"}, {"tool_use_id", SanitizeToolCallId(r.tool_call_id)}};
  bool text_only = std::all_of(r.content.begin(), r.content.end(), [](const ToolResultContent& c) {
    return std::holds_alternative<TextPart>(c);
  });
  if (text_only) {
    std::string text = ToolResultText(r);
    if (!text.empty()) block["content"] = text;
  } else {
    bj::array content;
    for (const ToolResultContent& c : r.content) {
      if (auto* t = std::get_if<TextPart>(&c)) {
        if (!t->text.empty()) content.push_back(bj::object{{"type", "text"}, {"text", t->text}});
      } else {
        content.push_back(ImageBlock(std::get<ImagePart>(c)));
      }
    }
    block["content"] = std::move(content);
  }
  if (r.is_error) block["is_error"] = true;
  return block;
}

// The blocks of one IR message; thinking blocks first (Anthropic requires it).
bj::array Blocks(const Message& m, Warnings& w) {
  bj::array thinking, rest;
  for (const Part& p : m.parts) {
    if (auto* t = std::get_if<TextPart>(&p)) {
      if (!t->text.empty()) rest.push_back(bj::object{{"type", "text"}, {"text", t->text}});
    } else if (auto* i = std::get_if<ImagePart>(&p)) {
      rest.push_back(ImageBlock(*i));
    } else if (auto* c = std::get_if<ToolCallPart>(&p)) {
      if (m.role != Role::kAssistant) continue;
      rest.push_back(bj::object{{"type", "tool_use"},
                                {"id", SanitizeToolCallId(c->id)},
                                {"name", c->name},
                                {"input", ArgumentsObject(*c, w)}});
    } else if (auto* r = std::get_if<ToolResultPart>(&p)) {
      rest.push_back(ToolResultBlock(*r));
    } else if (auto* th = std::get_if<ThinkingPart>(&p)) {
      // Only Anthropic-signed thinking can be replayed; other reasoning is not input.
      if (m.role != Role::kAssistant || th->origin != kSelf || th->signature.empty()) continue;
      if (th->redacted) {
        thinking.push_back(bj::object{{"type", "redacted_thinking"}, {"data", th->signature}});
      } else {
        thinking.push_back(
            bj::object{{"type", "thinking"}, {"thinking", th->text}, {"signature", th->signature}});
      }
    } else if (auto* o = std::get_if<OpaquePart>(&p)) {
      if (o->format == kSelf)
        rest.push_back(ParseJsonOrNull(o->json));
      else
        WarnDropped(w, DescribeOpaque(*o), kSelf);
    }
  }
  for (bj::value& b : rest) thinking.push_back(std::move(b));
  return thinking;
}

// A message's content: a plain string when it is a single text block.
bj::value Content(bj::array blocks) {
  if (blocks.size() == 1 && StringField(blocks[0].as_object(), "type") == "text")
    return blocks[0].as_object()["text"];
  return blocks;
}

bj::array Messages(const Request& r, Warnings& w) {
  std::vector<std::pair<std::string, bj::array>> turns;
  for (const Message& m : r.messages) {
    bj::array blocks = Blocks(m, w);
    if (blocks.empty()) continue;  // never send an empty turn
    std::string role = m.role == Role::kAssistant ? "assistant" : "user";
    if (!turns.empty() && turns.back().first == role) {
      for (bj::value& b : blocks) turns.back().second.push_back(std::move(b));
    } else {
      turns.emplace_back(role, std::move(blocks));
    }
  }
  bj::array out;
  for (auto& [role, blocks] : turns)
    out.push_back(bj::object{{"role", role}, {"content", Content(std::move(blocks))}});
  return out;
}

}  // namespace

static Result<bj::object> EncodeAnthropicRequestDom(const Request& r, Warnings& w,
                                                 const CodecOptions& options) {
  bj::object out;
  out["model"] = options.model.empty() ? r.model : options.model;
  std::optional<int64_t> budget;
  if (r.reasoning && r.reasoning->enabled) {
    budget = EffectiveBudget(*r.reasoning);
    if (*budget < 0) budget = EffortToBudget("medium");  // no dynamic budget in Anthropic
    budget = std::max(*budget, kMinThinkingBudget);
    if (r.sampling.max_tokens && *budget >= *r.sampling.max_tokens) {
      budget = *r.sampling.max_tokens - 1;
      if (*budget < kMinThinkingBudget) {
        w.Add("thinking disabled: max_tokens leaves no room for the minimum thinking budget");
        budget.reset();
      }
    }
  }
  int64_t max_tokens =
      r.sampling.max_tokens.value_or(budget ? *budget + kDefaultMaxTokens : kDefaultMaxTokens);
  out["max_tokens"] = max_tokens;
  if (!r.system.empty()) {
    if (r.system.size() == 1) {
      out["system"] = r.system[0].text;
    } else {
      bj::array blocks;
      for (const TextPart& t : r.system)
        if (!t.text.empty()) blocks.push_back(bj::object{{"type", "text"}, {"text", t.text}});
      out["system"] = std::move(blocks);
    }
  }
  out["messages"] = Messages(r, w);

  bj::array tools;
  for (const Tool& t : r.tools) {
    if (t.kind == ToolKind::kFunction) {
      bj::value schema = ParseJsonOrNull(t.parameters);
      if (!schema.is_object()) schema = bj::object{{"type", "object"}, {"properties", bj::object{}}};
      if (!schema.as_object().contains("type")) schema.as_object()["type"] = "object";
      bj::object tool{{"name", t.name}};
      if (!t.description.empty()) tool["description"] = t.description;
      tool["input_schema"] = std::move(schema);
      tools.push_back(std::move(tool));
    } else if (t.raw_format == kSelf) {
      tools.push_back(ParseJsonOrNull(t.raw));
    } else if (t.kind == ToolKind::kWebSearch) {
      tools.push_back(bj::object{{"type", "web_search_20250305"}, {"name", "web_search"}});
    } else {
      WarnDropped(w, "server tool '" + t.name + "'", kSelf);
    }
  }
  bool has_tools = !tools.empty();
  if (has_tools) out["tools"] = std::move(tools);
  if (has_tools && (r.tool_choice || r.parallel_tool_calls == false)) {
    ToolChoice choice = r.tool_choice.value_or(ToolChoice{});
    bj::object tc;
    switch (choice.mode) {
      case ToolChoice::Mode::kAuto:
        tc["type"] = "auto";
        break;
      case ToolChoice::Mode::kNone:
        tc["type"] = "none";
        break;
      case ToolChoice::Mode::kRequired:
        tc["type"] = "any";
        break;
      case ToolChoice::Mode::kTool:
        tc = {{"type", "tool"}, {"name", choice.name}};
        break;
    }
    if (r.parallel_tool_calls == false && choice.mode != ToolChoice::Mode::kNone)
      tc["disable_parallel_tool_use"] = true;
    out["tool_choice"] = std::move(tc);
  }
  if (!r.sampling.stop.empty()) {
    bj::array stop;
    for (const std::string& s : r.sampling.stop) stop.push_back(bj::value(s));
    out["stop_sequences"] = std::move(stop);
  }
  bool adaptive = budget && r.extra_format == kSelf && !r.reasoning->budget_tokens &&
                  !r.reasoning->effort.empty();
  if (adaptive) {
    // Claude 4.6+ adaptive thinking: keep it as the client sent it.
    out["thinking"] = bj::object{{"type", "adaptive"}};
    out["output_config"] = bj::object{{"effort", r.reasoning->effort}};
  } else if (budget) {
    out["thinking"] = bj::object{{"type", "enabled"}, {"budget_tokens", *budget}};
  }
  if (budget) {
    // Extended thinking rejects temperature/top_k changes and top_p below 0.95.
    if (r.sampling.temperature && *r.sampling.temperature != 1.0)
      w.Add("temperature dropped: Anthropic thinking requires the default temperature");
    if (r.sampling.top_k) w.Add("top_k dropped: Anthropic thinking does not allow it");
    if (r.sampling.top_p && *r.sampling.top_p >= 0.95)
      out["top_p"] = Number(*r.sampling.top_p);
    else if (r.sampling.top_p)
      w.Add("top_p dropped: Anthropic thinking requires top_p >= 0.95");
  } else {
    if (r.reasoning && !r.reasoning->enabled && r.extra_format == kSelf)
      out["thinking"] = bj::object{{"type", "disabled"}};
    if (r.sampling.temperature) out["temperature"] = Number(*r.sampling.temperature);
    if (r.sampling.top_p) out["top_p"] = Number(*r.sampling.top_p);
    if (r.sampling.top_k) out["top_k"] = *r.sampling.top_k;
  }
  if (r.stream) out["stream"] = true;
  ApplyExtra(out, r.extra, r.extra_format, kSelf, w);
  return out;
}

// Transitional: the Boost.JSON DOM codec behind the text signatures.
Result<Request> DecodeAnthropicRequest(const JObj& body, Warnings& w) {
  auto dom = ParseJsonObject(body.Json());
  if (!dom.ok()) return std::move(dom).error();
  return DecodeAnthropicRequestDom(*dom, w);
}

void EncodeAnthropicRequest(const Request& r, JsonWriter& out, Warnings& w,
                         const CodecOptions& options) {
  auto dom = EncodeAnthropicRequestDom(r, w, options);
  if (dom.ok()) out.Raw(ToJson(*dom));
}

}  // namespace omni::formats
