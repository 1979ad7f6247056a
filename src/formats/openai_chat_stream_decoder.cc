// OpenAI Chat Completions stream (data: chunks, data: [DONE]) → IR events. Also reads the
// OpenAI-compatible reasoning extensions (reasoning_content / reasoning / reasoning_details).
#include <map>

#include "formats/codecs.h"
#include "formats/error_body.h"
#include "formats/finish_reason.h"
#include "formats/json_read.h"
#include "formats/stream_codec.h"
#include "formats/usage_map.h"

namespace omni::formats {
namespace {

using Kind = BlockSequencer::Kind;

class OpenAIChatStreamDecoder final : public StreamDecoder {
 public:
  explicit OpenAIChatStreamDecoder(const CodecOptions& options) : options_(options) {}

 private:
  struct Call {
    int block = -1;  // IR index once started
    std::string id, name, pending_args;
  };

  void OnEvent(std::string_view, std::string_view data, StreamEvents& out) override {
    if (data == "[DONE]") {
      CloseAll(out);
      if (!finished_)  // some compatible servers send no finish_reason before [DONE]
        out.push_back(
            FinishEvent{calls_.empty() ? FinishReason::kStop : FinishReason::kToolCalls, ""});
      out.push_back(EndEvent{});
      ended_ = true;
      return;
    }
    JsonDoc doc;
    auto parsed = doc.ParseObject(data);
    if (!parsed.ok()) {
      warnings_.Add("skipped a stream chunk that is not a JSON object");
      return;
    }
    const JObj& chunk = *parsed;
    if (ObjectField(chunk, "error")) {
      CloseAll(out);
      out.push_back(ErrorEvent{ErrorFromJson(Format::kOpenAIChat, 500, chunk)});
      out.push_back(EndEvent{});
      ended_ = true;
      return;
    }
    if (!started_) {
      started_ = true;
      out.push_back(MessageStartEvent{std::string(StringField(chunk, "id")),
                                      std::string(StringField(chunk, "model")),
                                      IntField(chunk, "created").value_or(0), Usage{}});
    }
    auto choices = ArrayField(chunk, "choices");
    if (choices && !choices->empty() && (*choices)[0].is_object()) {
      JObj choice = (*choices)[0].get_object();
      if (auto delta = ObjectField(choice, "delta")) Delta(*delta, out);
      if (auto reason = StringField(choice, "finish_reason"); !reason.empty()) {
        CloseAll(out);
        out.push_back(FinishEvent{FinishFromOpenAIChat(reason), ""});
        finished_ = true;
      }
    }
    if (auto usage = ObjectField(chunk, "usage"))
      out.push_back(UsageEvent{UsageFromOpenAIChat(*usage)});
  }

  void OnEof(StreamEvents& out) override {
    CloseAll(out);
    if (!finished_) out.push_back(TruncatedStreamError());
  }

  void Delta(const JObj& delta, StreamEvents& out) {
    if (std::string thinking = OpenAIReasoningText(delta); !thinking.empty()) {
      int index = blocks_.Ensure(Kind::kThinking, out);
      out.push_back(
          ThinkingDeltaEvent{index, std::move(thinking), "", false, "", Format::kOpenAIChat});
    }
    if (auto text = StringField(delta, "content"); !text.empty()) {
      int index = blocks_.Ensure(Kind::kText, out);
      out.push_back(TextDeltaEvent{index, std::string(text)});
    }
    auto calls = ArrayField(delta, "tool_calls");
    if (!calls) return;
    for (JVal v : *calls) {
      if (!v.is_object()) continue;
      JObj c = v.get_object();
      auto id = StringField(c, "id");
      // Some providers omit `index`; a new id then means a new call.
      int64_t key = IntField(c, "index").value_or(-1);
      if (key < 0)
        key = (!id.empty() && (calls_.empty() || calls_.rbegin()->second.id != id))
                  ? static_cast<int64_t>(calls_.size())
                  : (calls_.empty() ? 0 : calls_.rbegin()->first);
      Call& call = calls_[key];
      if (call.id.empty() && !id.empty()) call.id = id;
      auto fn = ObjectField(c, "function");
      if (fn && call.name.empty()) call.name = StringField(*fn, "name");
      std::string_view args = fn ? StringField(*fn, "arguments") : std::string_view();
      if (call.block < 0) {
        call.pending_args.append(args);
        if (!call.name.empty()) Start(call, out);  // never open a call without its name
        continue;
      }
      if (args.empty()) continue;
      if (call.block != blocks_.open_index()) {
        warnings_.Add("dropped arguments for tool call " + call.id +
                      " that arrived after it closed");
        continue;
      }
      out.push_back(ToolCallArgsDeltaEvent{call.block, std::string(args)});
    }
  }

  void Start(Call& call, StreamEvents& out) {
    call.block = blocks_.Open(Kind::kToolCall, out);
    if (call.id.empty()) call.id = options_.Ids().Next("call_");
    out.push_back(ToolCallStartEvent{call.block, call.id, call.name, "", std::nullopt});
    if (!call.pending_args.empty())
      out.push_back(ToolCallArgsDeltaEvent{call.block, std::move(call.pending_args)});
    call.pending_args.clear();
  }

  void CloseAll(StreamEvents& out) {
    for (auto& [key, call] : calls_)
      if (call.block < 0) Start(call, out);  // a call whose name never came
    blocks_.Close(out);
  }

  const CodecOptions& options_;
  BlockSequencer blocks_;
  std::map<int64_t, Call> calls_;
  bool started_ = false;
  bool finished_ = false;
};

}  // namespace

std::unique_ptr<StreamDecoder> MakeOpenAIChatStreamDecoder(const CodecOptions& options) {
  return std::make_unique<OpenAIChatStreamDecoder>(options);
}

}  // namespace omni::formats
