// Gemini generateContent non-stream responses: decode and encode.
#include "formats/codec_util.h"
#include "formats/codecs.h"
#include "formats/finish_reason.h"
#include "formats/usage_map.h"
#include "formats/wire_json.h"

namespace omni::formats {
namespace {

constexpr Format kSelf = Format::kGemini;

}  // namespace

static Result<Response> DecodeGeminiResponseDom(const bj::object& body, Warnings& w, IdGenerator& ids) {
  Response r;
  r.extra_format = kSelf;
  r.id = StringField(body, "responseId");
  r.model = StringField(body, "modelVersion");
  bool saw_call = false;
  std::string_view finish;
  const bj::array* candidates = ArrayField(body, "candidates");
  if (candidates && !candidates->empty() && (*candidates)[0].is_object()) {
    const bj::object& cand = (*candidates)[0].get_object();
    finish = StringField(cand, "finishReason");
    const bj::object* content = ObjectField(cand, "content");
    const bj::array* parts = content ? ArrayField(*content, "parts") : nullptr;
    for (const bj::value& item : parts ? *parts : bj::array{}) {
      if (!item.is_object()) continue;
      const bj::object& p = item.get_object();
      std::string signature(StringField(p, "thoughtSignature"));
      if (const bj::value* text = Field(p, "text"); text && text->is_string()) {
        if (BoolField(p, "thought").value_or(false))
          r.content.push_back(
              ThinkingPart{std::string(text->get_string()), signature, false, "", kSelf});
        else if (!text->get_string().empty())
          r.content.push_back(TextPart{std::string(text->get_string())});
      } else if (const bj::object* fc = ObjectField(p, "functionCall")) {
        saw_call = true;
        ToolCallPart call;
        call.id = StringField(*fc, "id");
        if (call.id.empty()) call.id = ids.Next("call_");
        call.name = StringField(*fc, "name");
        const bj::value* args = Field(*fc, "args");
        call.arguments_json = args ? ToJson(*args) : "{}";
        if (!signature.empty()) {
          call.signature = signature;
          call.signature_origin = kSelf;
        }
        r.content.push_back(std::move(call));
      } else {
        r.content.push_back(OpaquePart{kSelf, ToJson(item)});
      }
    }
  } else if (const bj::object* fb = ObjectField(body, "promptFeedback");
             fb && !StringField(*fb, "blockReason").empty()) {
    r.finish = FinishReason::kContentFilter;
  }
  if (r.finish == FinishReason::kUnknown) r.finish = FinishFromGemini(finish, saw_call);
  if (const bj::object* usage = ObjectField(body, "usageMetadata"))
    r.usage = UsageFromGemini(*usage);
  return r;
}

// Shared with the stream encoder: one IR part as a Gemini response part (null if none).
bj::value GeminiResponsePart(const Part& p, Warnings& w) {
  if (auto* t = std::get_if<TextPart>(&p)) {
    if (!t->text.empty()) return bj::object{{"text", t->text}};
  } else if (auto* th = std::get_if<ThinkingPart>(&p)) {
    if (th->redacted) return nullptr;
    bj::object part{{"text", th->text}, {"thought", true}};
    if (th->origin == kSelf && !th->signature.empty()) part["thoughtSignature"] = th->signature;
    return part;
  } else if (auto* c = std::get_if<ToolCallPart>(&p)) {
    bj::object part{
        {"functionCall", bj::object{{"name", c->name}, {"args", ArgumentsObject(*c, w)}}}};
    if (c->signature_origin == kSelf && !c->signature.empty())
      part["thoughtSignature"] = c->signature;
    return part;
  } else if (auto* o = std::get_if<OpaquePart>(&p)) {
    if (o->format == kSelf) return ParseJsonOrNull(o->json);
    WarnDropped(w, DescribeOpaque(*o), kSelf);
  }
  return nullptr;
}

bj::object EncodeGeminiResponse(const Response& r, Warnings& w, const CodecOptions& options) {
  bj::array parts;
  for (const Part& p : r.content) {
    bj::value part = GeminiResponsePart(p, w);
    if (!part.is_null()) parts.push_back(std::move(part));
  }
  FinishReason finish = r.finish == FinishReason::kUnknown ? FinishReason::kStop : r.finish;
  bj::object candidate{{"content", bj::object{{"parts", std::move(parts)}, {"role", "model"}}},
                       {"finishReason", FinishToGemini(finish)},
                       {"index", 0}};
  bj::object out{{"candidates", bj::array{std::move(candidate)}}};
  if (r.usage.present) out["usageMetadata"] = UsageToGemini(r.usage);
  out["modelVersion"] = r.model;
  out["responseId"] = r.id.empty() ? options.Ids().Next("") : r.id;
  return out;
}

// Transitional: the Boost.JSON DOM decoder behind the JObj signature.
Result<Response> DecodeGeminiResponse(const JObj& body, Warnings& w, IdGenerator& ids) {
  auto dom = ParseJsonObject(body.Json());
  if (!dom.ok()) return std::move(dom).error();
  return DecodeGeminiResponseDom(*dom, w, ids);
}

}  // namespace omni::formats
