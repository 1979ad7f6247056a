// Gemini streamGenerateContent?alt=sse (data: chunks, each a partial
// GenerateContentResponse; CRLF framing; ends at EOF) → IR events.
#include "formats/error_body.h"
#include "formats/finish_reason.h"
#include "formats/json_read.h"
#include "formats/stream_codec.h"
#include "formats/usage_map.h"

namespace omni::formats {
namespace {

using Kind = BlockSequencer::Kind;
constexpr Format kSelf = Format::kGemini;

class GeminiStreamDecoder final : public StreamDecoder {
 public:
  explicit GeminiStreamDecoder(const CodecOptions& options) : options_(options) {}

 private:
  void OnEvent(std::string_view, std::string_view data, StreamEvents& out) override {
    JsonDoc doc;
    auto parsed = doc.ParseObject(data);
    if (!parsed.ok()) {
      warnings_.Add("skipped a stream chunk that is not a JSON object");
      return;
    }
    const JObj& chunk = *parsed;
    if (ObjectField(chunk, "error")) {
      blocks_.Close(out);
      out.push_back(ErrorEvent{ErrorFromJson(kSelf, 200, chunk)});
      out.push_back(EndEvent{});
      ended_ = true;
      return;
    }
    if (!started_) {
      started_ = true;
      out.push_back(MessageStartEvent{std::string(StringField(chunk, "responseId")),
                                      std::string(StringField(chunk, "modelVersion")), 0, Usage{}});
    }
    // Every chunk carries cumulative usage; only the last one counts.
    if (auto u = ObjectField(chunk, "usageMetadata")) usage_ = UsageFromGemini(*u);
    std::string_view finish;
    auto candidates = ArrayField(chunk, "candidates");
    if (candidates && !candidates->empty() && (*candidates)[0].is_object()) {
      JObj cand = (*candidates)[0].get_object();
      if (auto content = ObjectField(cand, "content"))
        if (auto parts = ArrayField(*content, "parts"))
          for (JVal p : *parts)
            if (p.is_object()) Part(p.get_object(), out);
      finish = StringField(cand, "finishReason");
    } else if (auto fb = ObjectField(chunk, "promptFeedback");
               fb && !StringField(*fb, "blockReason").empty()) {
      finish = "SAFETY";
    }
    if (!finish.empty()) {
      blocks_.Close(out);
      if (usage_.present) out.push_back(UsageEvent{usage_});
      out.push_back(FinishEvent{FinishFromGemini(finish, saw_call_), ""});
      out.push_back(EndEvent{});  // the chunk with finishReason is the last one
      ended_ = true;
    }
  }

  void Part(const JObj& p, StreamEvents& out) {
    std::string signature(StringField(p, "thoughtSignature"));
    if (auto text = Field(p, "text"); text && text->is_string()) {
      std::string t(text->get_string());
      if (BoolField(p, "thought").value_or(false)) {
        if (t.empty() && signature.empty()) return;
        int index = blocks_.Ensure(Kind::kThinking, out);
        out.push_back(ThinkingDeltaEvent{index, std::move(t), signature, false, "", kSelf});
      } else if (!t.empty()) {
        int index = blocks_.Ensure(Kind::kText, out);
        out.push_back(TextDeltaEvent{index, std::move(t)});
      }
    } else if (auto fc = ObjectField(p, "functionCall")) {
      // Gemini sends each call whole: start, all arguments, stop.
      saw_call_ = true;
      int index = blocks_.Open(Kind::kToolCall, out);
      std::string id(StringField(*fc, "id"));
      if (id.empty()) id = options_.Ids().Next("call_");
      ToolCallStartEvent start{index, id, std::string(StringField(*fc, "name")), signature,
                               std::nullopt};
      if (!signature.empty()) start.signature_origin = kSelf;
      out.push_back(std::move(start));
      auto args = Field(*fc, "args");
      out.push_back(ToolCallArgsDeltaEvent{index, args ? args->Json() : "{}"});
      blocks_.Close(out);
    }
  }

  void OnEof(StreamEvents& out) override {
    blocks_.Close(out);
    if (usage_.present) out.push_back(UsageEvent{usage_});
    out.push_back(TruncatedStreamError());
  }

  const CodecOptions& options_;
  BlockSequencer blocks_;
  Usage usage_;
  bool started_ = false, saw_call_ = false;
};

}  // namespace

std::unique_ptr<StreamDecoder> MakeGeminiStreamDecoder(const CodecOptions& options) {
  return std::make_unique<GeminiStreamDecoder>(options);
}

}  // namespace omni::formats
