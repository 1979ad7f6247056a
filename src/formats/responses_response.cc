// OpenAI Responses non-stream responses: decode and encode.
#include "formats/codec_util.h"
#include "formats/codecs.h"
#include "formats/finish_reason.h"
#include "formats/responses_items.h"
#include "formats/usage_map.h"
#include "formats/wire_json.h"

namespace omni::formats {
namespace {

constexpr Format kSelf = Format::kResponses;

}  // namespace

static Result<Response> DecodeResponsesResponseDom(const bj::object& body, Warnings& w) {
  Response r;
  r.extra_format = kSelf;
  r.id = StringField(body, "id");
  r.model = StringField(body, "model");
  r.created = IntField(body, "created_at").value_or(0);
  bool saw_call = false;
  if (const bj::array* output = ArrayField(body, "output")) {
    for (const bj::value& item : *output) {
      if (!item.is_object()) continue;
      const bj::object& o = item.get_object();
      auto type = StringField(o, "type");
      if (type == "message") {
        if (const bj::array* content = ArrayField(o, "content")) {
          for (const bj::value& c : *content) {
            if (!c.is_object()) continue;
            auto ct = StringField(c.get_object(), "type");
            if (ct == "output_text")
              r.content.push_back(TextPart{std::string(StringField(c.get_object(), "text"))});
            if (ct == "refusal")
              r.content.push_back(TextPart{std::string(StringField(c.get_object(), "refusal"))});
          }
        }
      } else if (type == "reasoning") {
        ThinkingPart thinking;
        if (const bj::array* summary = ArrayField(o, "summary")) {
          for (const bj::value& s : *summary) {
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
        r.content.push_back(OpaquePart{kSelf, ToJson(item)});
      }
    }
  }
  std::string_view incomplete;
  if (const bj::object* details = ObjectField(body, "incomplete_details"))
    incomplete = StringField(*details, "reason");
  r.finish = FinishFromResponses(StringField(body, "status"), incomplete, saw_call);
  if (const bj::object* usage = ObjectField(body, "usage")) r.usage = UsageFromResponses(*usage);
  return r;
}

bj::object EncodeResponsesResponse(const Response& r, Warnings& w, const CodecOptions& options) {
  bj::array output;
  bj::array text_parts;  // consecutive text parts share one message item
  auto flush = [&] {
    if (text_parts.empty()) return;
    output.push_back(
        ResponsesMessageItem(options.Ids().Next("msg_"), "completed", std::move(text_parts)));
    text_parts = {};
  };
  for (const Part& p : r.content) {
    if (auto* t = std::get_if<TextPart>(&p)) {
      if (!t->text.empty()) text_parts.push_back(ResponsesOutputText(t->text));
      continue;
    }
    flush();
    if (auto* th = std::get_if<ThinkingPart>(&p)) {
      bool ours = th->origin == kSelf;
      if (th->redacted && !ours) continue;
      output.push_back(
          ResponsesReasoningItem(ours && !th->id.empty() ? th->id : options.Ids().Next("rs_"),
                                 th->text, ours ? th->signature : ""));
    } else if (auto* c = std::get_if<ToolCallPart>(&p)) {
      output.push_back(ResponsesFunctionCallItem(
          options.Ids().Next("fc_"), "completed",
          c->id.empty() ? options.Ids().Next("call_") : c->id, c->name, c->arguments_json));
    } else if (auto* o = std::get_if<OpaquePart>(&p)) {
      if (o->format == kSelf)
        output.push_back(ParseJsonOrNull(o->json));
      else
        WarnDropped(w, DescribeOpaque(*o), kSelf);
    }
  }
  flush();
  return ResponsesObject(r.id.empty() ? options.Ids().Next("resp_") : r.id,
                         r.created ? r.created : options.NowSeconds(), r.model, "", r.finish,
                         std::move(output), r.usage.present ? &r.usage : nullptr);
}

// Transitional: the Boost.JSON DOM decoder behind the JObj signature.
Result<Response> DecodeResponsesResponse(const JObj& body, Warnings& w) {
  auto dom = ParseJsonObject(body.Json());
  if (!dom.ok()) return std::move(dom).error();
  return DecodeResponsesResponseDom(*dom, w);
}

}  // namespace omni::formats
