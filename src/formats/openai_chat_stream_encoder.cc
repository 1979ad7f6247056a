// IR events → OpenAI Chat Completions stream: `data: {chunk}` lines, a finish chunk, the
// usage chunk (stream_options.include_usage) and `data: [DONE]`.
#include <map>

#include "formats/error_body.h"
#include "formats/finish_reason.h"
#include "formats/stream_codec.h"
#include "formats/usage_map.h"
#include "formats/wire_json.h"

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
      AppendSseEvent(out, "", ToJson(ErrorObject(Format::kOpenAIChat, e->error)));
      done_ = true;  // an errored chat stream ends without [DONE]
      return;
    }
    Start("", "", 0, out);
    if (auto* e = std::get_if<TextDeltaEvent>(&event)) {
      Chunk(bj::object{{"content", e->text}}, nullptr, out);
    } else if (auto* e = std::get_if<ThinkingDeltaEvent>(&event)) {
      // DeepSeek-style reasoning_content: what OpenAI-compatible clients display.
      if (!e->text.empty()) Chunk(bj::object{{"reasoning_content", e->text}}, nullptr, out);
    } else if (auto* e = std::get_if<ToolCallStartEvent>(&event)) {
      int k = next_tool_++;
      tools_[e->index] = k;
      bj::object call{{"index", k},
                      {"id", e->id.empty() ? options_.Ids().Next("call_") : e->id},
                      {"type", "function"},
                      {"function", bj::object{{"name", e->name}, {"arguments", ""}}}};
      Chunk(bj::object{{"tool_calls", bj::array{std::move(call)}}}, nullptr, out);
    } else if (auto* e = std::get_if<ToolCallArgsDeltaEvent>(&event)) {
      auto it = tools_.find(e->index);
      if (it == tools_.end()) return;
      bj::object call{{"index", it->second}, {"function", bj::object{{"arguments", e->fragment}}}};
      Chunk(bj::object{{"tool_calls", bj::array{std::move(call)}}}, nullptr, out);
    } else if (auto* e = std::get_if<UsageEvent>(&event)) {
      usage_ = e->usage;
    } else if (auto* e = std::get_if<FinishEvent>(&event)) {
      Finish(e->reason, out);
    } else if (std::holds_alternative<EndEvent>(event)) {
      Finish(next_tool_ > 0 ? FinishReason::kToolCalls : FinishReason::kStop, out);
      if (options_.include_usage && usage_.present) {
        bj::object chunk = Envelope();
        chunk["choices"] = bj::array{};
        chunk["usage"] = UsageToOpenAIChat(usage_);
        AppendSseEvent(out, "", ToJson(chunk));
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
    Chunk(bj::object{{"role", "assistant"}, {"content", ""}}, nullptr, out);
  }

  bj::object Envelope() const {
    return {
        {"id", id_}, {"object", "chat.completion.chunk"}, {"created", created_}, {"model", model_}};
  }

  void Chunk(bj::object delta, const char* finish, std::string& out) {
    bj::object chunk = Envelope();
    chunk["choices"] =
        bj::array{bj::object{{"index", 0},
                             {"delta", std::move(delta)},
                             {"logprobs", nullptr},
                             {"finish_reason", finish ? bj::value(finish) : nullptr}}};
    AppendSseEvent(out, "", ToJson(chunk));
  }

  void Finish(FinishReason reason, std::string& out) {
    if (finished_) return;
    finished_ = true;
    if (reason == FinishReason::kUnknown) reason = FinishReason::kStop;
    Chunk(bj::object{}, FinishToOpenAIChat(reason).data(), out);
  }

  const CodecOptions& options_;
  std::string id_, model_;
  int64_t created_ = 0;
  std::map<int, int> tools_;  // IR block index → tool_calls[].index
  int next_tool_ = 0;
  Usage usage_;
  bool started_ = false, finished_ = false, done_ = false;
};

}  // namespace

std::unique_ptr<StreamEncoder> MakeOpenAIChatStreamEncoder(const CodecOptions& options) {
  return std::make_unique<OpenAIChatStreamEncoder>(options);
}

}  // namespace omni::formats
