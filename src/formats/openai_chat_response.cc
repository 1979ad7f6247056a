// OpenAI Chat Completions non-stream responses: decode and encode.
#include "formats/codec_util.h"
#include "formats/codecs.h"
#include "formats/finish_reason.h"
#include "formats/usage_map.h"
#include "formats/wire_json.h"

namespace omni::formats {
namespace {

constexpr Format kSelf = Format::kOpenAIChat;

}  // namespace

// Shared with the stream decoder: the reasoning text of a message or delta, from the
// OpenAI-compatible extensions (reasoning_details / reasoning_content / reasoning).
template <class Obj>
std::string OpenAIReasoningText(const Obj& o) {
  if (auto details = ArrayField(o, "reasoning_details")) {
    std::string text;
    for (const auto& d : *details) {
      if (!d.is_object()) continue;
      text += StringField(d.get_object(), "text");
      text += StringField(d.get_object(), "summary");
    }
    if (!text.empty()) return text;
  }
  if (auto t = StringField(o, "reasoning_content"); !t.empty()) return std::string(t);
  return std::string(StringField(o, "reasoning"));
}
template std::string OpenAIReasoningText(const bj::object&);
template std::string OpenAIReasoningText(const JObj&);

static Result<Response> DecodeOpenAIChatResponseDom(const bj::object& body, Warnings& w) {
  Response r;
  r.extra_format = kSelf;
  r.id = StringField(body, "id");
  r.model = StringField(body, "model");
  r.created = IntField(body, "created").value_or(0);
  const bj::array* choices = ArrayField(body, "choices");
  if (choices && !choices->empty() && (*choices)[0].is_object()) {
    const bj::object& choice = (*choices)[0].get_object();
    if (const bj::object* msg = ObjectField(choice, "message")) {
      if (std::string thinking = OpenAIReasoningText(*msg); !thinking.empty())
        r.content.push_back(ThinkingPart{thinking, "", false, "", kSelf});
      if (const bj::value* content = Field(*msg, "content")) {
        if (content->is_string() && !content->get_string().empty()) {
          r.content.push_back(TextPart{std::string(content->get_string())});
        } else if (content->is_array()) {
          for (const bj::value& p : content->get_array())
            if (p.is_object() && StringField(p.get_object(), "type") == "text")
              r.content.push_back(TextPart{std::string(StringField(p.get_object(), "text"))});
        }
      }
      if (auto refusal = StringField(*msg, "refusal"); !refusal.empty())
        r.content.push_back(TextPart{std::string(refusal)});
      if (const bj::array* calls = ArrayField(*msg, "tool_calls")) {
        for (const bj::value& c : *calls) {
          if (!c.is_object()) continue;
          ToolCallPart call;
          call.id = StringField(c.get_object(), "id");
          if (const bj::object* fn = ObjectField(c.get_object(), "function")) {
            call.name = StringField(*fn, "name");
            call.arguments_json = StringField(*fn, "arguments");
          }
          if (call.arguments_json.empty()) call.arguments_json = "{}";
          r.content.push_back(std::move(call));
        }
      }
    }
    r.finish = FinishFromOpenAIChat(StringField(choice, "finish_reason"));
  }
  if (const bj::object* usage = ObjectField(body, "usage")) r.usage = UsageFromOpenAIChat(*usage);
  CollectExtra(body, {"id", "object", "created", "model", "choices", "usage"}, r.extra);
  return r;
}

bj::object EncodeOpenAIChatResponse(const Response& r, Warnings& w, const CodecOptions& options) {
  std::string text, thinking;
  bj::array calls;
  for (const Part& p : r.content) {
    if (auto* t = std::get_if<TextPart>(&p)) text += t->text;
    if (auto* th = std::get_if<ThinkingPart>(&p)) thinking += th->text;
    if (auto* c = std::get_if<ToolCallPart>(&p)) {
      calls.push_back(bj::object{
          {"id", c->id.empty() ? options.Ids().Next("call_") : c->id},
          {"type", "function"},
          {"function", bj::object{{"name", c->name}, {"arguments", c->arguments_json}}}});
    }
    if (auto* o = std::get_if<OpaquePart>(&p); o && o->format != kSelf)
      WarnDropped(w, DescribeOpaque(*o), kSelf);
  }
  bj::object message{{"role", "assistant"}};
  message["content"] = text.empty() && !calls.empty() ? bj::value(nullptr) : bj::value(text);
  // DeepSeek-style extension; OpenAI-compatible clients show it as reasoning.
  if (!thinking.empty()) message["reasoning_content"] = thinking;
  if (!calls.empty()) message["tool_calls"] = std::move(calls);
  message["refusal"] = nullptr;
  FinishReason finish = r.finish;
  if (finish == FinishReason::kUnknown)
    finish = message.contains("tool_calls") ? FinishReason::kToolCalls : FinishReason::kStop;
  bj::object out{{"id", r.id.empty() ? options.Ids().Next("chatcmpl-") : r.id},
                 {"object", "chat.completion"},
                 {"created", r.created ? r.created : options.NowSeconds()},
                 {"model", r.model},
                 {"choices", bj::array{bj::object{{"index", 0},
                                                  {"message", std::move(message)},
                                                  {"logprobs", nullptr},
                                                  {"finish_reason", FinishToOpenAIChat(finish)}}}}};
  if (r.usage.present) out["usage"] = UsageToOpenAIChat(r.usage);
  if (r.extra_format == kSelf)
    for (const JsonField& f : r.extra)
      if (!out.contains(f.key)) out[f.key] = ParseJsonOrNull(f.json);
  return out;
}

// Transitional: the Boost.JSON DOM decoder behind the JObj signature.
Result<Response> DecodeOpenAIChatResponse(const JObj& body, Warnings& w) {
  auto dom = ParseJsonObject(body.Json());
  if (!dom.ok()) return std::move(dom).error();
  return DecodeOpenAIChatResponseDom(*dom, w);
}

}  // namespace omni::formats
