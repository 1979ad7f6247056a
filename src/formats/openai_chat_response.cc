// OpenAI Chat Completions non-stream responses: decode and encode.
#include "formats/codec_util.h"
#include "formats/codecs.h"
#include "formats/finish_reason.h"
#include "formats/usage_map.h"

namespace omni::formats {
namespace {

constexpr Format kSelf = Format::kOpenAIChat;

}  // namespace

// Shared with the stream decoder: the reasoning text of a message or delta, from the
// OpenAI-compatible extensions (reasoning_details / reasoning_content / reasoning).
std::string OpenAIReasoningText(const JObj& o) {
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

Result<Response> DecodeOpenAIChatResponse(const JObj& body, Warnings& w) {
  Response r;
  r.extra_format = kSelf;
  r.id = StringField(body, "id");
  r.model = StringField(body, "model");
  r.created = IntField(body, "created").value_or(0);
  auto choices = ArrayField(body, "choices");
  if (choices && !choices->empty() && (*choices)[0].is_object()) {
    JObj choice = (*choices)[0].get_object();
    if (auto msg = ObjectField(choice, "message")) {
      if (std::string thinking = OpenAIReasoningText(*msg); !thinking.empty())
        r.content.push_back(ThinkingPart{std::move(thinking), "", false, "", kSelf});
      if (auto content = Field(*msg, "content")) {
        if (content->is_string() && !content->get_string().empty()) {
          r.content.push_back(TextPart{std::string(content->get_string())});
        } else if (content->is_array()) {
          for (JVal p : content->get_array())
            if (p.is_object() && StringField(p.get_object(), "type") == "text")
              r.content.push_back(TextPart{std::string(StringField(p.get_object(), "text"))});
        }
      }
      if (auto refusal = StringField(*msg, "refusal"); !refusal.empty())
        r.content.push_back(TextPart{std::string(refusal)});
      if (auto calls = ArrayField(*msg, "tool_calls")) {
        for (JVal c : *calls) {
          if (!c.is_object()) continue;
          JObj co = c.get_object();
          ToolCallPart call;
          call.id = StringField(co, "id");
          if (auto fn = ObjectField(co, "function")) {
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
  if (auto usage = ObjectField(body, "usage")) r.usage = UsageFromOpenAIChat(*usage);
  CollectExtra(body, {"id", "object", "created", "model", "choices", "usage"}, r.extra);
  return r;
}

void EncodeOpenAIChatResponse(const Response& r, JsonWriter& w, Warnings& warnings,
                              const CodecOptions& options) {
  std::string text, thinking;
  std::vector<const ToolCallPart*> calls;
  // Ids for calls that have none, minted before the response id (the order ids are drawn in
  // shows in tests' sequential ids).
  std::vector<std::string> minted;
  for (const Part& p : r.content) {
    if (auto* t = std::get_if<TextPart>(&p)) text += t->text;
    if (auto* th = std::get_if<ThinkingPart>(&p)) thinking += th->text;
    if (auto* c = std::get_if<ToolCallPart>(&p)) {
      calls.push_back(c);
      if (c->id.empty()) minted.push_back(options.Ids().Next("call_"));
    }
    if (auto* o = std::get_if<OpaquePart>(&p); o && o->format != kSelf)
      WarnDropped(warnings, DescribeOpaque(*o), kSelf);
  }
  w.BeginObject();
  if (r.id.empty())
    w.Field("id", options.Ids().Next("chatcmpl-"));
  else
    w.Field("id", r.id);
  w.Field("object", "chat.completion");
  w.IntField("created", r.created ? r.created : options.NowSeconds());
  w.Field("model", r.model);
  w.Key("choices");
  w.BeginArray();
  w.BeginObject();
  w.IntField("index", 0);
  w.Key("message");
  w.BeginObject();
  w.Field("role", "assistant");
  w.Key("content");
  if (text.empty() && !calls.empty())
    w.Null();
  else
    w.String(text);
  // DeepSeek-style extension; OpenAI-compatible clients show it as reasoning.
  if (!thinking.empty()) w.Field("reasoning_content", thinking);
  if (!calls.empty()) {
    w.Key("tool_calls");
    w.BeginArray();
    size_t next_minted = 0;
    for (const ToolCallPart* c : calls) {
      w.BeginObject();
      w.Field("id", c->id.empty() ? minted[next_minted++] : c->id);
      w.Field("type", "function");
      w.Key("function");
      w.BeginObject();
      w.Field("name", c->name);
      w.Field("arguments", c->arguments_json);
      w.EndObject();
      w.EndObject();
    }
    w.EndArray();
  }
  w.Key("refusal");
  w.Null();
  w.EndObject();
  w.Key("logprobs");
  w.Null();
  FinishReason finish = r.finish;
  if (finish == FinishReason::kUnknown)
    finish = calls.empty() ? FinishReason::kStop : FinishReason::kToolCalls;
  w.Field("finish_reason", FinishToOpenAIChat(finish));
  w.EndObject();
  w.EndArray();
  if (r.usage.present) {
    w.Key("usage");
    WriteUsageOpenAIChat(w, r.usage);
  }
  // Same-format pass-through only; unlike requests, other formats' extras go without a warning.
  if (r.extra_format == kSelf) {
    for (const JsonField& f : r.extra) {
      if (w.WroteTopLevelKey(f.key)) continue;
      w.Key(f.key);
      w.Raw(f.json);
    }
  }
  w.EndObject();
}

}  // namespace omni::formats
