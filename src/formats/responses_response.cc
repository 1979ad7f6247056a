// OpenAI Responses non-stream responses: decode and encode.
#include "formats/codec_util.h"
#include "formats/codecs.h"
#include "formats/finish_reason.h"
#include "formats/responses_items.h"
#include "formats/usage_map.h"

namespace omni::formats {
namespace {

constexpr Format kSelf = Format::kResponses;

}  // namespace

Result<Response> DecodeResponsesResponse(const JObj& body, Warnings& w) {
  Response r;
  r.extra_format = kSelf;
  r.id = StringField(body, "id");
  r.model = StringField(body, "model");
  r.created = IntField(body, "created_at").value_or(0);
  bool saw_call = false;
  if (auto output = ArrayField(body, "output")) {
    r.content.reserve(output->size());
    for (JVal item : *output) {
      if (!item.is_object()) continue;
      JObj o = item.get_object();
      auto type = StringField(o, "type");
      if (type == "message") {
        if (auto content = ArrayField(o, "content")) {
          for (JVal c : *content) {
            if (!c.is_object()) continue;
            JObj part = c.get_object();
            auto ct = StringField(part, "type");
            if (ct == "output_text")
              r.content.push_back(TextPart{std::string(StringField(part, "text"))});
            if (ct == "refusal")
              r.content.push_back(TextPart{std::string(StringField(part, "refusal"))});
          }
        }
      } else if (type == "reasoning") {
        ThinkingPart thinking;
        if (auto summary = ArrayField(o, "summary")) {
          for (JVal s : *summary) {
            if (!s.is_object()) continue;
            if (!thinking.text.empty()) thinking.text += "\n\n";
            thinking.text += StringField(s.get_object(), "text");
          }
        }
        thinking.signature = StringField(o, "encrypted_content");
        thinking.id = StringField(o, "id");
        thinking.origin = kSelf;
        r.content.push_back(std::move(thinking));
      } else if (type == "function_call") {
        saw_call = true;
        ToolCallPart call;
        call.id = StringField(o, "call_id");
        call.name = StringField(o, "name");
        call.arguments_json = StringField(o, "arguments");
        if (call.arguments_json.empty()) call.arguments_json = "{}";
        r.content.push_back(std::move(call));
      } else {
        r.content.push_back(OpaquePart{kSelf, item.Json()});
      }
    }
  }
  std::string_view incomplete;
  if (auto details = ObjectField(body, "incomplete_details"))
    incomplete = StringField(*details, "reason");
  r.finish = FinishFromResponses(StringField(body, "status"), incomplete, saw_call);
  if (auto usage = ObjectField(body, "usage")) r.usage = UsageFromResponses(*usage);
  return r;
}

// The writer form of the encoder (translate.cc still takes the Boost.JSON object below).
void EncodeResponsesResponse(const Response& r, JsonWriter& out, Warnings& w,
                             const CodecOptions& options) {
  // Items are written first, each into its own text, so generated ids are drawn in output
  // order before the response id.
  std::vector<std::string> output;
  std::vector<std::string_view> texts;  // consecutive text parts share one message item
  auto flush = [&] {
    if (texts.empty()) return;
    JsonWriter iw(output.emplace_back());
    WriteResponsesMessageItem(iw, options.Ids().Next("msg_"), "completed", texts);
    texts.clear();
  };
  for (const Part& p : r.content) {
    if (auto* t = std::get_if<TextPart>(&p)) {
      if (!t->text.empty()) texts.push_back(t->text);
      continue;
    }
    flush();
    if (auto* th = std::get_if<ThinkingPart>(&p)) {
      bool ours = th->origin == kSelf;
      if (th->redacted && !ours) continue;
      std::string id = ours && !th->id.empty() ? th->id : options.Ids().Next("rs_");
      JsonWriter iw(output.emplace_back());
      WriteResponsesReasoningItem(iw, id, th->text, ours ? th->signature : "");
    } else if (auto* c = std::get_if<ToolCallPart>(&p)) {
      std::string id = options.Ids().Next("fc_");
      std::string call_id = c->id.empty() ? options.Ids().Next("call_") : c->id;
      JsonWriter iw(output.emplace_back());
      WriteResponsesFunctionCallItem(iw, id, "completed", call_id, c->name, c->arguments_json);
    } else if (auto* o = std::get_if<OpaquePart>(&p)) {
      if (o->format == kSelf)
        output.push_back(o->json);
      else
        WarnDropped(w, DescribeOpaque(*o), kSelf);
    }
  }
  flush();
  std::string id = r.id.empty() ? options.Ids().Next("resp_") : r.id;
  WriteResponsesObject(out, id, r.created ? r.created : options.NowSeconds(), r.model, "", r.finish,
                       output, r.usage.present ? &r.usage : nullptr);
}

}  // namespace omni::formats
