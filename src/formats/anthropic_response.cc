// Anthropic Messages non-stream responses: decode and encode.
#include "formats/codec_util.h"
#include "formats/codecs.h"
#include "formats/finish_reason.h"
#include "formats/ids.h"
#include "formats/usage_map.h"
#include "formats/wire_json.h"

namespace omni::formats {
namespace {

constexpr Format kSelf = Format::kAnthropic;

}  // namespace

static Result<Response> DecodeAnthropicResponseDom(const bj::object& body, Warnings& w) {
  Response r;
  r.extra_format = kSelf;
  r.id = StringField(body, "id");
  r.model = StringField(body, "model");
  if (const bj::array* content = ArrayField(body, "content")) {
    for (const bj::value& item : *content) {
      if (!item.is_object()) continue;
      const bj::object& b = item.get_object();
      auto type = StringField(b, "type");
      if (type == "text") {
        r.content.push_back(TextPart{std::string(StringField(b, "text"))});
      } else if (type == "thinking") {
        r.content.push_back(ThinkingPart{std::string(StringField(b, "thinking")),
                                         std::string(StringField(b, "signature")), false, "",
                                         kSelf});
      } else if (type == "redacted_thinking") {
        r.content.push_back(ThinkingPart{"", std::string(StringField(b, "data")), true, "", kSelf});
      } else if (type == "tool_use") {
        ToolCallPart call;
        call.id = StringField(b, "id");
        call.name = StringField(b, "name");
        const bj::value* input = Field(b, "input");
        call.arguments_json = input ? ToJson(*input) : "{}";
        r.content.push_back(std::move(call));
      } else {
        r.content.push_back(OpaquePart{kSelf, ToJson(item)});
      }
    }
  }
  r.finish = FinishFromAnthropic(StringField(body, "stop_reason"));
  r.stop_sequence = StringField(body, "stop_sequence");
  if (const bj::object* usage = ObjectField(body, "usage")) r.usage = UsageFromAnthropic(*usage);
  return r;
}

bj::object EncodeAnthropicResponse(const Response& r, Warnings& w, const CodecOptions& options) {
  bj::array content;
  for (const Part& p : r.content) {
    if (auto* t = std::get_if<TextPart>(&p)) {
      if (!t->text.empty()) content.push_back(bj::object{{"type", "text"}, {"text", t->text}});
    } else if (auto* th = std::get_if<ThinkingPart>(&p)) {
      bool ours = th->origin == kSelf;
      if (th->redacted) {
        if (ours)
          content.push_back(bj::object{{"type", "redacted_thinking"}, {"data", th->signature}});
      } else if (!th->text.empty() || ours) {
        content.push_back(bj::object{{"type", "thinking"},
                                     {"thinking", th->text},
                                     {"signature", ours ? th->signature : ""}});
      }
    } else if (auto* c = std::get_if<ToolCallPart>(&p)) {
      content.push_back(bj::object{
          {"type", "tool_use"},
          {"id", c->id.empty() ? options.Ids().Next("toolu_") : SanitizeToolCallId(c->id)},
          {"name", c->name},
          {"input", ArgumentsObject(*c, w)}});
    } else if (auto* o = std::get_if<OpaquePart>(&p)) {
      if (o->format == kSelf)
        content.push_back(ParseJsonOrNull(o->json));
      else
        WarnDropped(w, DescribeOpaque(*o), kSelf);
    }
  }
  FinishReason finish = r.finish;
  if (finish == FinishReason::kUnknown) finish = FinishReason::kStop;
  bj::object out{{"id", r.id.empty() ? options.Ids().Next("msg_") : r.id},
                 {"type", "message"},
                 {"role", "assistant"},
                 {"model", r.model},
                 {"content", std::move(content)},
                 {"stop_reason", FinishToAnthropic(finish)}};
  out["stop_sequence"] = r.stop_sequence.empty() ? bj::value(nullptr) : bj::value(r.stop_sequence);
  out["usage"] = UsageToAnthropic(r.usage);
  return out;
}

// Transitional: the Boost.JSON DOM decoder behind the JObj signature.
Result<Response> DecodeAnthropicResponse(const JObj& body, Warnings& w) {
  auto dom = ParseJsonObject(body.Json());
  if (!dom.ok()) return std::move(dom).error();
  return DecodeAnthropicResponseDom(*dom, w);
}

}  // namespace omni::formats
