// IR events → Anthropic Messages stream: message_start, one content block per IR block
// (content_block_start / _delta / _stop), message_delta with stop_reason and usage,
// message_stop. A tool call is exactly one tool_use block carrying its id and name once.
#include "formats/error_body.h"
#include "formats/finish_reason.h"
#include "formats/ids.h"
#include "formats/json_writer.h"
#include "formats/stream_codec.h"
#include "formats/usage_map.h"

namespace omni::formats {
namespace {

constexpr Format kSelf = Format::kAnthropic;

// AppendSseEvent's framing written in place, so the event's JSON goes straight into `out`.
void OpenSse(std::string& out, std::string_view name) {
  out.append("event: ");
  out.append(name);
  out.append("\ndata: ");
}

void CloseSse(std::string& out) { out.append("\n\n"); }

// An event whose data is just {"type": name}.
void BareEvent(std::string_view name, std::string& out) {
  OpenSse(out, name);
  JsonWriter w(out);
  w.BeginObject();
  w.Field("type", name);
  w.EndObject();
  CloseSse(out);
}

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
        OpenBlock(e->index, out, [](JsonWriter& b) {
          b.Field("type", "text");
          b.Field("text", "");
        });
      Delta("text_delta", "text", e->text, out);
    } else if (auto* e = std::get_if<ThinkingDeltaEvent>(&event)) {
      Thinking(*e, out);
    } else if (auto* e = std::get_if<ToolCallStartEvent>(&event)) {
      saw_tool_ = true;
      std::string id = e->id.empty() ? options_.Ids().Next("toolu_") : SanitizeToolCallId(e->id);
      OpenBlock(e->index, out, [&](JsonWriter& b) {
        b.Field("type", "tool_use");
        b.Field("id", id);
        b.Field("name", e->name);
        b.Key("input");
        b.Raw("{}");
      });
    } else if (auto* e = std::get_if<ToolCallArgsDeltaEvent>(&event)) {
      if (open_ir_ != e->index) {
        warnings_.Add("dropped tool arguments for a block that is no longer open");
        return;
      }
      Delta("input_json_delta", "partial_json", e->fragment, out);
    } else if (auto* e = std::get_if<BlockStopEvent>(&event)) {
      if (open_ir_ == e->index) CloseBlock(out);
    } else if (auto* e = std::get_if<UsageEvent>(&event)) {
      usage_ = e->usage;
    } else if (auto* e = std::get_if<FinishEvent>(&event)) {
      finish_ = e->reason;
      stop_sequence_ = e->stop_sequence;
    } else if (auto* e = std::get_if<ErrorEvent>(&event)) {
      CloseBlock(out);
      OpenSse(out, "error");
      JsonWriter w(out);
      WriteErrorObject(w, kSelf, e->error);
      CloseSse(out);
      done_ = true;
    } else if (std::holds_alternative<EndEvent>(event)) {
      CloseBlock(out);
      Finish(out);
      BareEvent("message_stop", out);
      done_ = true;
    }
  }

 private:
  void Start(const MessageStartEvent& e, std::string& out) {
    if (started_) return;
    started_ = true;
    usage_ = e.usage;
    OpenSse(out, "message_start");
    JsonWriter w(out);
    w.BeginObject();
    w.Field("type", "message_start");
    w.Key("message");
    w.BeginObject();
    w.Field("id", e.id.empty() ? options_.Ids().Next("msg_") : e.id);
    w.Field("type", "message");
    w.Field("role", "assistant");
    w.Field("model", e.model);
    w.Key("content");
    w.Raw("[]");
    w.Key("stop_reason");
    w.Null();
    w.Key("stop_sequence");
    w.Null();
    w.Key("usage");
    WriteUsageAnthropic(w, e.usage);
    w.EndObject();
    w.EndObject();
    CloseSse(out);
    BareEvent("ping", out);
  }

  // message_delta: the stop reason and the final usage.
  void Finish(std::string& out) {
    FinishReason reason = finish_;
    if (reason == FinishReason::kUnknown)
      reason = saw_tool_ ? FinishReason::kToolCalls : FinishReason::kStop;
    OpenSse(out, "message_delta");
    JsonWriter w(out);
    w.BeginObject();
    w.Field("type", "message_delta");
    w.Key("delta");
    w.BeginObject();
    w.Field("stop_reason", FinishToAnthropic(reason));
    w.Key("stop_sequence");
    if (stop_sequence_.empty())
      w.Null();
    else
      w.String(stop_sequence_);
    w.EndObject();
    w.Key("usage");
    WriteUsageAnthropic(w, usage_);
    w.EndObject();
    CloseSse(out);
  }

  void Thinking(const ThinkingDeltaEvent& e, std::string& out) {
    bool ours = e.origin == kSelf;
    if (e.redacted) {
      if (!ours) return;
      OpenBlock(e.index, out, [&](JsonWriter& b) {
        b.Field("type", "redacted_thinking");
        b.Field("data", e.signature);
      });
      return;
    }
    if (open_ir_ != e.index) {
      if (e.text.empty() && !ours) return;  // a foreign signature alone: nothing to show
      OpenBlock(e.index, out, [](JsonWriter& b) {
        b.Field("type", "thinking");
        b.Field("thinking", "");
        b.Field("signature", "");
      });
    }
    if (!e.text.empty()) Delta("thinking_delta", "thinking", e.text, out);
    // Signatures only mean something to the provider that issued them.
    if (!e.signature.empty() && ours) Delta("signature_delta", "signature", e.signature, out);
  }

  // content_block_start; `block` writes the members of the content_block object.
  template <class BlockMembers>
  void OpenBlock(int ir_index, std::string& out, BlockMembers&& block) {
    CloseBlock(out);
    open_ir_ = ir_index;
    open_wire_ = next_wire_++;
    OpenSse(out, "content_block_start");
    JsonWriter w(out);
    w.BeginObject();
    w.Field("type", "content_block_start");
    w.IntField("index", open_wire_);
    w.Key("content_block");
    w.BeginObject();
    block(w);
    w.EndObject();
    w.EndObject();
    CloseSse(out);
  }

  // content_block_delta of the open block: {"type": type, key: value}.
  void Delta(std::string_view type, std::string_view key, std::string_view value,
             std::string& out) {
    OpenSse(out, "content_block_delta");
    JsonWriter w(out);
    w.BeginObject();
    w.Field("type", "content_block_delta");
    w.IntField("index", open_wire_);
    w.Key("delta");
    w.BeginObject();
    w.Field("type", type);
    w.Field(key, value);
    w.EndObject();
    w.EndObject();
    CloseSse(out);
  }

  void CloseBlock(std::string& out) {
    if (open_ir_ < 0) return;
    OpenSse(out, "content_block_stop");
    JsonWriter w(out);
    w.BeginObject();
    w.Field("type", "content_block_stop");
    w.IntField("index", open_wire_);
    w.EndObject();
    CloseSse(out);
    open_ir_ = -1;
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
