// IR events → OpenAI Chat Completions stream: `data: {chunk}` lines, a finish chunk, the
// usage chunk (stream_options.include_usage) and `data: [DONE]`.
#include <map>

#include "formats/error_body.h"
#include "formats/finish_reason.h"
#include "formats/json_writer.h"
#include "formats/stream_codec.h"
#include "formats/usage_map.h"

namespace omni::formats {
namespace {

class OpenAIChatStreamEncoder final : public StreamEncoder {
 public:
  explicit OpenAIChatStreamEncoder(const CodecOptions& options) : options_(options) {}

  void Encode(const StreamEvent& event, std::string& out) override {
    if (done_) return;
    if (auto* e = std::get_if<MessageStartEvent>(&event)) {
      Start(e->id, e->model, e->created, out);
      return;
    }
    if (auto* e = std::get_if<ErrorEvent>(&event)) {
      json_.clear();
      JsonWriter w(json_);
      WriteErrorObject(w, Format::kOpenAIChat, e->error);
      AppendSseEvent(out, "", json_);
      done_ = true;  // an errored chat stream ends without [DONE]
      return;
    }
    Start("", "", 0, out);
    if (auto* e = std::get_if<TextDeltaEvent>(&event)) {
      Chunk(out, {}, [&](JsonWriter& w) { w.Field("content", e->text); });
    } else if (auto* e = std::get_if<ThinkingDeltaEvent>(&event)) {
      // DeepSeek-style reasoning_content: what OpenAI-compatible clients display.
      if (!e->text.empty())
        Chunk(out, {}, [&](JsonWriter& w) { w.Field("reasoning_content", e->text); });
    } else if (auto* e = std::get_if<ToolCallStartEvent>(&event)) {
      int k = next_tool_++;
      tools_[e->index] = k;
      Chunk(out, {}, [&](JsonWriter& w) {
        ToolCalls(w, k, [&] {
          if (e->id.empty())
            w.Field("id", options_.Ids().Next("call_"));
          else
            w.Field("id", e->id);
          w.Field("type", "function");
          w.Key("function");
          w.BeginObject();
          w.Field("name", e->name);
          w.Field("arguments", "");
          w.EndObject();
        });
      });
    } else if (auto* e = std::get_if<ToolCallArgsDeltaEvent>(&event)) {
      auto it = tools_.find(e->index);
      if (it == tools_.end()) return;
      Chunk(out, {}, [&](JsonWriter& w) {
        ToolCalls(w, it->second, [&] {
          w.Key("function");
          w.BeginObject();
          w.Field("arguments", e->fragment);
          w.EndObject();
        });
      });
    } else if (auto* e = std::get_if<UsageEvent>(&event)) {
      usage_ = e->usage;
    } else if (auto* e = std::get_if<FinishEvent>(&event)) {
      Finish(e->reason, out);
    } else if (std::holds_alternative<EndEvent>(event)) {
      Finish(next_tool_ > 0 ? FinishReason::kToolCalls : FinishReason::kStop, out);
      if (options_.include_usage && usage_.present) {
        json_.clear();
        JsonWriter w(json_);
        w.BeginObject();
        Envelope(w);
        w.Key("choices");
        w.BeginArray();
        w.EndArray();
        w.Key("usage");
        WriteUsageOpenAIChat(w, usage_);
        w.EndObject();
        AppendSseEvent(out, "", json_);
      }
      AppendSseEvent(out, "", "[DONE]");
      done_ = true;
    }
  }

 private:
  void Start(std::string_view id, std::string_view model, int64_t created, std::string& out) {
    if (started_) return;
    started_ = true;
    id_ = id.empty() ? options_.Ids().Next("chatcmpl-") : std::string(id);
    model_ = model;
    created_ = created ? created : options_.NowSeconds();
    Chunk(out, {}, [](JsonWriter& w) {
      w.Field("role", "assistant");
      w.Field("content", "");
    });
  }

  void Envelope(JsonWriter& w) const {
    w.Field("id", id_);
    w.Field("object", "chat.completion.chunk");
    w.IntField("created", created_);
    w.Field("model", model_);
  }

  // One chunk whose choices[0].delta members `write_delta` writes; `finish` "" → null.
  template <class WriteDelta>
  void Chunk(std::string& out, std::string_view finish, WriteDelta&& write_delta) {
    json_.clear();
    JsonWriter w(json_);
    w.BeginObject();
    Envelope(w);
    w.Key("choices");
    w.BeginArray();
    w.BeginObject();
    w.IntField("index", 0);
    w.Key("delta");
    w.BeginObject();
    write_delta(w);
    w.EndObject();
    w.Key("logprobs");
    w.Null();
    w.Key("finish_reason");
    if (finish.empty())
      w.Null();
    else
      w.String(finish);
    w.EndObject();
    w.EndArray();
    w.EndObject();
    AppendSseEvent(out, "", json_);
  }

  // "tool_calls":[{"index":k, ...members}]
  template <class WriteMembers>
  static void ToolCalls(JsonWriter& w, int k, WriteMembers&& write_members) {
    w.Key("tool_calls");
    w.BeginArray();
    w.BeginObject();
    w.IntField("index", k);
    write_members();
    w.EndObject();
    w.EndArray();
  }

  void Finish(FinishReason reason, std::string& out) {
    if (finished_) return;
    finished_ = true;
    if (reason == FinishReason::kUnknown) reason = FinishReason::kStop;
    Chunk(out, FinishToOpenAIChat(reason), [](JsonWriter&) {});
  }

  const CodecOptions& options_;
  std::string id_, model_;
  int64_t created_ = 0;
  std::map<int, int> tools_;  // IR block index → tool_calls[].index
  int next_tool_ = 0;
  Usage usage_;
  bool started_ = false, finished_ = false, done_ = false;
  std::string json_;  // the event being written (reused)
};

}  // namespace

std::unique_ptr<StreamEncoder> MakeOpenAIChatStreamEncoder(const CodecOptions& options) {
  return std::make_unique<OpenAIChatStreamEncoder>(options);
}

}  // namespace omni::formats
