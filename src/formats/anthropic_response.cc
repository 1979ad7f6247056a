// Anthropic Messages non-stream responses: decode and encode.
#include "formats/codec_util.h"
#include "formats/codecs.h"
#include "formats/finish_reason.h"
#include "formats/ids.h"
#include "formats/usage_map.h"

namespace omni::formats {
namespace {

constexpr Format kSelf = Format::kAnthropic;

}  // namespace

Result<Response> DecodeAnthropicResponse(const JObj& body, Warnings& w) {
  Response r;
  r.extra_format = kSelf;
  r.id = StringField(body, "id");
  r.model = StringField(body, "model");
  if (auto content = ArrayField(body, "content")) {
    r.content.reserve(content->size());
    for (JVal item : *content) {
      if (!item.is_object()) continue;
      JObj b = item.get_object();
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
        auto input = Field(b, "input");
        call.arguments_json = input ? input->Json() : "{}";
        r.content.push_back(std::move(call));
      } else {
        r.content.push_back(OpaquePart{kSelf, item.Json()});
      }
    }
  }
  r.finish = FinishFromAnthropic(StringField(body, "stop_reason"));
  r.stop_sequence = StringField(body, "stop_sequence");
  if (auto usage = ObjectField(body, "usage")) r.usage = UsageFromAnthropic(*usage);
  return r;
}

// The writer form, for codecs.h to declare once translate.cc calls it (the Boost.JSON form
// below wraps it until then).
void EncodeAnthropicResponse(const Response& r, JsonWriter& out, Warnings& w,
                             const CodecOptions& options) {
  out.BeginObject();
  out.Field("id", r.id.empty() ? options.Ids().Next("msg_") : r.id);
  out.Field("type", "message");
  out.Field("role", "assistant");
  out.Field("model", r.model);
  out.Key("content");
  out.BeginArray();
  for (const Part& p : r.content) {
    if (auto* t = std::get_if<TextPart>(&p)) {
      if (t->text.empty()) continue;
      out.BeginObject();
      out.Field("type", "text");
      out.Field("text", t->text);
      out.EndObject();
    } else if (auto* th = std::get_if<ThinkingPart>(&p)) {
      bool ours = th->origin == kSelf;
      if (th->redacted) {
        if (!ours) continue;
        out.BeginObject();
        out.Field("type", "redacted_thinking");
        out.Field("data", th->signature);
        out.EndObject();
      } else if (!th->text.empty() || ours) {
        out.BeginObject();
        out.Field("type", "thinking");
        out.Field("thinking", th->text);
        out.Field("signature", ours ? std::string_view(th->signature) : "");
        out.EndObject();
      }
    } else if (auto* c = std::get_if<ToolCallPart>(&p)) {
      out.BeginObject();
      out.Field("type", "tool_use");
      out.Field("id", c->id.empty() ? options.Ids().Next("toolu_") : SanitizeToolCallId(c->id));
      out.Field("name", c->name);
      out.Key("input");
      out.Raw(ArgumentsObjectJson(*c, w));
      out.EndObject();
    } else if (auto* o = std::get_if<OpaquePart>(&p)) {
      if (o->format == kSelf)
        out.Raw(o->json);
      else
        WarnDropped(w, DescribeOpaque(*o), kSelf);
    }
  }
  out.EndArray();
  FinishReason finish = r.finish;
  if (finish == FinishReason::kUnknown) finish = FinishReason::kStop;
  out.Field("stop_reason", FinishToAnthropic(finish));
  out.Key("stop_sequence");
  if (r.stop_sequence.empty())
    out.Null();
  else
    out.String(r.stop_sequence);
  out.Key("usage");
  WriteUsageAnthropic(out, r.usage);
  out.EndObject();
}

}  // namespace omni::formats
