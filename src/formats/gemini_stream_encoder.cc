// IR events → Gemini alt=sse stream: one `data: ` chunk per delta in Gemini's JSON style
// ({"key": value,...}) with CRLF framing; function calls are sent whole when their block
// stops (Gemini has no incremental arguments); the last chunk carries finishReason and
// usageMetadata, then the stream simply ends.
#include "formats/codec_util.h"
#include "formats/error_body.h"
#include "formats/finish_reason.h"
#include "formats/stream_codec.h"
#include "formats/usage_map.h"
#include "formats/wire_json.h"

namespace omni::formats {
namespace {

constexpr Format kSelf = Format::kGemini;

class GeminiStreamEncoder final : public StreamEncoder {
 public:
  explicit GeminiStreamEncoder(const CodecOptions& options) : options_(options) {}

  void Encode(const StreamEvent& event, std::string& out) override {
    if (done_) return;
    if (auto* e = std::get_if<MessageStartEvent>(&event)) {
      if (!started_) {
        started_ = true;
        id_ = e->id.empty() ? options_.Ids().Next("") : e->id;
        model_ = e->model;
        if (e->usage.present) usage_ = e->usage;
      }
    } else if (auto* e = std::get_if<TextDeltaEvent>(&event)) {
      if (!e->text.empty()) Chunk(bj::object{{"text", e->text}}, nullptr, out);
    } else if (auto* e = std::get_if<ThinkingDeltaEvent>(&event)) {
      bool sign = e->origin == kSelf && !e->signature.empty();
      if (e->redacted || (e->text.empty() && !sign)) return;
      bj::object part{{"text", e->text}, {"thought", true}};
      if (sign) part["thoughtSignature"] = e->signature;
      Chunk(std::move(part), nullptr, out);
    } else if (auto* e = std::get_if<ToolCallStartEvent>(&event)) {
      call_ = Call{e->index, e->name, "", e->signature_origin == kSelf ? e->signature : ""};
    } else if (auto* e = std::get_if<ToolCallArgsDeltaEvent>(&event)) {
      if (call_ && call_->index == e->index) call_->args += e->fragment;
    } else if (auto* e = std::get_if<BlockStopEvent>(&event)) {
      if (call_ && call_->index == e->index) FlushCall(out);
    } else if (auto* e = std::get_if<UsageEvent>(&event)) {
      usage_ = e->usage;
    } else if (auto* e = std::get_if<FinishEvent>(&event)) {
      finish_ = e->reason;
    } else if (auto* e = std::get_if<ErrorEvent>(&event)) {
      AppendSseEvent(out, "", ToJson(ErrorObject(kSelf, e->error), JsonStyle::kGemini), "\r\n");
      done_ = true;
    } else if (std::holds_alternative<EndEvent>(event)) {
      if (call_) FlushCall(out);
      FinishReason reason = finish_ == FinishReason::kUnknown ? FinishReason::kStop : finish_;
      const char* name = FinishToGemini(reason).data();
      Chunk(bj::object{{"text", ""}}, name, out);
      done_ = true;
    }
  }

 private:
  struct Call {
    int index;
    std::string name, args, signature;
  };

  void FlushCall(std::string& out) {
    ToolCallPart part{"", call_->name, call_->args.empty() ? "{}" : call_->args, "", std::nullopt};
    bj::object fc{{"functionCall",
                   bj::object{{"name", call_->name}, {"args", ArgumentsObject(part, warnings_)}}}};
    if (!call_->signature.empty()) fc["thoughtSignature"] = call_->signature;
    call_.reset();
    Chunk(std::move(fc), nullptr, out);
  }

  void Chunk(bj::object part, const char* finish, std::string& out) {
    if (!started_) Encode(MessageStartEvent{}, out);
    bj::object candidate{
        {"content", bj::object{{"parts", bj::array{std::move(part)}}, {"role", "model"}}}};
    if (finish) candidate["finishReason"] = finish;
    candidate["index"] = 0;
    bj::object chunk{{"candidates", bj::array{std::move(candidate)}}};
    if (usage_.present) chunk["usageMetadata"] = UsageToGemini(usage_);
    chunk["modelVersion"] = model_;
    chunk["responseId"] = id_;
    AppendSseEvent(out, "", ToJson(chunk, JsonStyle::kGemini), "\r\n");
  }

  const CodecOptions& options_;
  std::string id_, model_;
  std::optional<Call> call_;
  Usage usage_;
  FinishReason finish_ = FinishReason::kUnknown;
  bool started_ = false, done_ = false;
};

}  // namespace

std::unique_ptr<StreamEncoder> MakeGeminiStreamEncoder(const CodecOptions& options) {
  return std::make_unique<GeminiStreamEncoder>(options);
}

}  // namespace omni::formats
