// Gemini generateContent non-stream responses: decode and encode.
#include "formats/codec_util.h"
#include "formats/codecs.h"
#include "formats/finish_reason.h"
#include "formats/usage_map.h"

namespace omni::formats {
namespace {

constexpr Format kSelf = Format::kGemini;

// One IR part as a Gemini response part; nothing when Gemini cannot carry it.
void WriteResponsePart(JsonWriter& w, const Part& p, Warnings& warnings) {
  if (auto* t = std::get_if<TextPart>(&p)) {
    if (t->text.empty()) return;
    w.BeginObject();
    w.Field("text", t->text);
    w.EndObject();
  } else if (auto* th = std::get_if<ThinkingPart>(&p)) {
    if (th->redacted) return;
    w.BeginObject();
    w.Field("text", th->text);
    w.BoolField("thought", true);
    if (th->origin == kSelf && !th->signature.empty()) w.Field("thoughtSignature", th->signature);
    w.EndObject();
  } else if (auto* c = std::get_if<ToolCallPart>(&p)) {
    w.BeginObject();
    w.Key("functionCall");
    w.BeginObject();
    w.Field("name", c->name);
    w.Key("args");
    w.Raw(ArgumentsObjectJson(*c, warnings));
    w.EndObject();
    if (c->signature_origin == kSelf && !c->signature.empty())
      w.Field("thoughtSignature", c->signature);
    w.EndObject();
  } else if (auto* o = std::get_if<OpaquePart>(&p)) {
    if (o->format == kSelf)
      w.Raw(o->json);
    else
      WarnDropped(warnings, DescribeOpaque(*o), kSelf);
  }
}

// The candidate's parts; true when one of them is a function call.
bool DecodeParts(const JArr& parts, Response& r, IdGenerator& ids) {
  bool saw_call = false;
  for (JVal item : parts) {
    if (!item.is_object()) continue;
    JObj p = item.get_object();
    std::string_view signature = StringField(p, "thoughtSignature");
    if (auto text = Field(p, "text"); text && text->is_string()) {
      if (BoolField(p, "thought").value_or(false))
        r.content.push_back(ThinkingPart{std::string(text->get_string()), std::string(signature),
                                         false, "", kSelf});
      else if (!text->get_string().empty())
        r.content.push_back(TextPart{std::string(text->get_string())});
    } else if (auto fc = ObjectField(p, "functionCall")) {
      saw_call = true;
      ToolCallPart call;
      call.id = StringField(*fc, "id");
      if (call.id.empty()) call.id = ids.Next("call_");
      call.name = StringField(*fc, "name");
      auto args = Field(*fc, "args");
      call.arguments_json = args ? args->Json() : "{}";
      if (!signature.empty()) {
        call.signature = signature;
        call.signature_origin = kSelf;
      }
      r.content.push_back(std::move(call));
    } else {
      r.content.push_back(OpaquePart{kSelf, item.Json()});
    }
  }
  return saw_call;
}

}  // namespace

Result<Response> DecodeGeminiResponse(const JObj& body, Warnings&, IdGenerator& ids) {
  Response r;
  r.extra_format = kSelf;
  r.id = StringField(body, "responseId");
  r.model = StringField(body, "modelVersion");
  bool saw_call = false;
  std::string_view finish;
  auto candidates = ArrayField(body, "candidates");
  if (candidates && !candidates->empty() && (*candidates)[0].is_object()) {
    JObj cand = (*candidates)[0].get_object();
    finish = StringField(cand, "finishReason");
    if (auto content = ObjectField(cand, "content"))
      if (auto parts = ArrayField(*content, "parts")) saw_call = DecodeParts(*parts, r, ids);
  } else if (auto fb = ObjectField(body, "promptFeedback");
             fb && !StringField(*fb, "blockReason").empty()) {
    r.finish = FinishReason::kContentFilter;
  }
  if (r.finish == FinishReason::kUnknown) r.finish = FinishFromGemini(finish, saw_call);
  if (auto usage = ObjectField(body, "usageMetadata")) r.usage = UsageFromGemini(*usage);
  return r;
}

void EncodeGeminiResponse(const Response& r, JsonWriter& w, Warnings& warnings,
                          const CodecOptions& options) {
  FinishReason finish = r.finish == FinishReason::kUnknown ? FinishReason::kStop : r.finish;
  w.BeginObject();
  w.Key("candidates");
  w.BeginArray();
  w.BeginObject();
  w.Key("content");
  w.BeginObject();
  w.Key("parts");
  w.BeginArray();
  for (const Part& p : r.content) WriteResponsePart(w, p, warnings);
  w.EndArray();
  w.Field("role", "model");
  w.EndObject();
  w.Field("finishReason", FinishToGemini(finish));
  w.IntField("index", 0);
  w.EndObject();
  w.EndArray();
  if (r.usage.present) {
    w.Key("usageMetadata");
    WriteUsageGemini(w, r.usage);
  }
  w.Field("modelVersion", r.model);
  if (r.id.empty())
    w.Field("responseId", options.Ids().Next(""));
  else
    w.Field("responseId", r.id);
  w.EndObject();
}

}  // namespace omni::formats
