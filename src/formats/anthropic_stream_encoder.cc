// IR events → Anthropic Messages stream: message_start, one content block per IR block
// (content_block_start / _delta / _stop), message_delta with stop_reason and usage,
// message_stop. A tool call is exactly one tool_use block carrying its id and name once.
#include "formats/error_body.h"
#include "formats/finish_reason.h"
#include "formats/ids.h"
#include "formats/stream_codec.h"
#include "formats/usage_map.h"
#include "formats/wire_json.h"

namespace omni::formats {
namespace {

constexpr Format kSelf = Format::kAnthropic;

class AnthropicStreamEncoder final : public StreamEncoder {
 public:
  explicit AnthropicStreamEncoder(const CodecOptions& options) : options_(options) {}

  void Encode(const StreamEvent& event, std::string& out) override {
    if (done_) return;
    if (auto* e = std::get_if<MessageStartEvent>(&event)) {
      Start(*e, out);
      return;
    }
    Start(MessageStartEvent{}, out);
    if (auto* e = std::get_if<TextDeltaEvent>(&event)) {
      if (open_ir_ != e->index)
        OpenBlock(e->index, bj::object{{"type", "text"}, {"text", ""}}, out);
      Delta(bj::object{{"type", "text_delta"}, {"text", e->text}}, out);
    } else if (auto* e = std::get_if<ThinkingDeltaEvent>(&event)) {
      Thinking(*e, out);
    } else if (auto* e = std::get_if<ToolCallStartEvent>(&event)) {
      saw_tool_ = true;
      std::string id = e->id.empty() ? options_.Ids().Next("toolu_") : SanitizeToolCallId(e->id);
      OpenBlock(
          e->index,
          bj::object{{"type", "tool_use"}, {"id", id}, {"name", e->name}, {"input", bj::object{}}},
          out);
    } else if (auto* e = std::get_if<ToolCallArgsDeltaEvent>(&event)) {
      if (open_ir_ != e->index) {
        warnings_.Add("dropped tool arguments for a block that is no longer open");
        return;
      }
      Delta(bj::object{{"type", "input_json_delta"}, {"partial_json", e->fragment}}, out);
    } else if (auto* e = std::get_if<BlockStopEvent>(&event)) {
      if (open_ir_ == e->index) CloseBlock(out);
    } else if (auto* e = std::get_if<UsageEvent>(&event)) {
      usage_ = e->usage;
    } else if (auto* e = std::get_if<FinishEvent>(&event)) {
      finish_ = e->reason;
      stop_sequence_ = e->stop_sequence;
    } else if (auto* e = std::get_if<ErrorEvent>(&event)) {
      CloseBlock(out);
      Write("error", ErrorObject(kSelf, e->error), out);
      done_ = true;
    } else if (std::holds_alternative<EndEvent>(event)) {
      CloseBlock(out);
      FinishReason reason = finish_;
      if (reason == FinishReason::kUnknown)
        reason = saw_tool_ ? FinishReason::kToolCalls : FinishReason::kStop;
      bj::object delta{{"stop_reason", FinishToAnthropic(reason)},
                       {"stop_sequence",
                        stop_sequence_.empty() ? bj::value(nullptr) : bj::value(stop_sequence_)}};
      Write("message_delta",
            bj::object{{"type", "message_delta"},
                       {"delta", std::move(delta)},
                       {"usage", UsageToAnthropic(usage_)}},
            out);
      Write("message_stop", bj::object{{"type", "message_stop"}}, out);
      done_ = true;
    }
  }

 private:
  void Start(const MessageStartEvent& e, std::string& out) {
    if (started_) return;
    started_ = true;
    usage_ = e.usage;
    bj::object message{{"id", e.id.empty() ? options_.Ids().Next("msg_") : e.id},
                       {"type", "message"},
                       {"role", "assistant"},
                       {"model", e.model},
                       {"content", bj::array{}},
                       {"stop_reason", nullptr},
                       {"stop_sequence", nullptr},
                       {"usage", UsageToAnthropic(e.usage)}};
    Write("message_start", bj::object{{"type", "message_start"}, {"message", std::move(message)}},
          out);
    Write("ping", bj::object{{"type", "ping"}}, out);
  }

  void Thinking(const ThinkingDeltaEvent& e, std::string& out) {
    bool ours = e.origin == kSelf;
    if (e.redacted) {
      if (!ours) return;
      OpenBlock(e.index, bj::object{{"type", "redacted_thinking"}, {"data", e.signature}}, out);
      return;
    }
    if (open_ir_ != e.index) {
      if (e.text.empty() && !ours) return;  // a foreign signature alone: nothing to show
      OpenBlock(e.index, bj::object{{"type", "thinking"}, {"thinking", ""}, {"signature", ""}},
                out);
    }
    if (!e.text.empty()) Delta(bj::object{{"type", "thinking_delta"}, {"thinking", e.text}}, out);
    // Signatures only mean something to the provider that issued them.
    if (!e.signature.empty() && ours)
      Delta(bj::object{{"type", "signature_delta"}, {"signature", e.signature}}, out);
  }

  void OpenBlock(int ir_index, bj::object block, std::string& out) {
    CloseBlock(out);
    open_ir_ = ir_index;
    open_wire_ = next_wire_++;
    Write("content_block_start",
          bj::object{{"type", "content_block_start"},
                     {"index", open_wire_},
                     {"content_block", std::move(block)}},
          out);
  }

  void Delta(bj::object delta, std::string& out) {
    Write("content_block_delta",
          bj::object{
              {"type", "content_block_delta"}, {"index", open_wire_}, {"delta", std::move(delta)}},
          out);
  }

  void CloseBlock(std::string& out) {
    if (open_ir_ < 0) return;
    Write("content_block_stop", bj::object{{"type", "content_block_stop"}, {"index", open_wire_}},
          out);
    open_ir_ = -1;
  }

  static void Write(std::string_view name, const bj::object& data, std::string& out) {
    AppendSseEvent(out, name, ToJson(data));
  }

  const CodecOptions& options_;
  int open_ir_ = -1, open_wire_ = -1, next_wire_ = 0;
  Usage usage_;
  FinishReason finish_ = FinishReason::kUnknown;
  std::string stop_sequence_;
  bool started_ = false, saw_tool_ = false, done_ = false;
};

}  // namespace

std::unique_ptr<StreamEncoder> MakeAnthropicStreamEncoder(const CodecOptions& options) {
  return std::make_unique<AnthropicStreamEncoder>(options);
}

}  // namespace omni::formats
