// OpenAI Responses stream (response.created … response.completed, sequence numbers) → IR.
#include <map>

#include "formats/error_body.h"
#include "formats/finish_reason.h"
#include "formats/json_read.h"
#include "formats/stream_codec.h"
#include "formats/usage_map.h"

namespace omni::formats {
namespace {

using Kind = BlockSequencer::Kind;
constexpr Format kSelf = Format::kResponses;

class ResponsesStreamDecoder final : public StreamDecoder {
 public:
  explicit ResponsesStreamDecoder(const CodecOptions& options) : options_(options) {}

 private:
  struct Item {
    std::string type, id;
    int block = -1;  // IR index of the block this item opened (function calls)
    int64_t summary_index = -1;
    bool args_streamed = false;
  };

  void OnEvent(std::string_view event, std::string_view data, StreamEvents& out) override {
    JsonDoc doc;
    auto parsed = doc.ParseObject(data);
    if (!parsed.ok()) {
      warnings_.Add("skipped a stream event that is not a JSON object");
      return;
    }
    const JObj& ev = *parsed;
    std::string_view type = StringField(ev, "type");
    if (type.empty()) type = event;
    int64_t output_index = IntField(ev, "output_index").value_or(-1);
    if (type == "response.created") {
      auto r = ObjectField(ev, "response");
      out.push_back(MessageStartEvent{r ? std::string(StringField(*r, "id")) : "",
                                      r ? std::string(StringField(*r, "model")) : "",
                                      r ? IntField(*r, "created_at").value_or(0) : 0, Usage{}});
    } else if (type == "response.output_item.added") {
      auto item = ObjectField(ev, "item");
      if (!item) return;
      Item& it = items_[output_index];
      it.type = StringField(*item, "type");
      it.id = StringField(*item, "id");
      if (it.type == "function_call") {
        saw_call_ = true;
        it.block = blocks_.Open(Kind::kToolCall, out);
        out.push_back(ToolCallStartEvent{it.block, std::string(StringField(*item, "call_id")),
                                         std::string(StringField(*item, "name")), "",
                                         std::nullopt});
      }
    } else if (type == "response.output_text.delta" || type == "response.refusal.delta") {
      if (output_index != text_item_) {
        blocks_.Close(out);
        text_item_ = output_index;
      }
      int index = blocks_.Ensure(Kind::kText, out);
      out.push_back(TextDeltaEvent{index, std::string(StringField(ev, "delta"))});
    } else if (type == "response.reasoning_summary_text.delta" ||
               type == "response.reasoning_text.delta") {
      Item& it = items_[output_index];
      int index = blocks_.Ensure(Kind::kThinking, out);
      std::string text(StringField(ev, "delta"));
      int64_t summary = IntField(ev, "summary_index").value_or(0);
      if (it.summary_index >= 0 && summary != it.summary_index) text = "\n\n" + text;
      it.summary_index = summary;
      out.push_back(ThinkingDeltaEvent{index, std::move(text), "", false, it.id, kSelf});
    } else if (type == "response.function_call_arguments.delta") {
      Item& it = items_[output_index];
      if (it.block < 0 || it.block != blocks_.open_index()) return;
      it.args_streamed = true;
      out.push_back(ToolCallArgsDeltaEvent{it.block, std::string(StringField(ev, "delta"))});
    } else if (type == "response.output_item.done") {
      ItemDone(ev, output_index, out);
    } else if (type == "response.completed" || type == "response.incomplete") {
      blocks_.Close(out);
      if (auto r = ObjectField(ev, "response")) {
        if (auto u = ObjectField(*r, "usage")) out.push_back(UsageEvent{UsageFromResponses(*u)});
        std::string_view reason;
        if (auto d = ObjectField(*r, "incomplete_details")) reason = StringField(*d, "reason");
        out.push_back(
            FinishEvent{FinishFromResponses(StringField(*r, "status"), reason, saw_call_), ""});
      } else {
        out.push_back(FinishEvent{saw_call_ ? FinishReason::kToolCalls : FinishReason::kStop, ""});
      }
      out.push_back(EndEvent{});
      ended_ = true;
    } else if (type == "response.failed" || type == "error") {
      blocks_.Close(out);
      auto r = ObjectField(ev, "response");
      auto err = r ? ObjectField(*r, "error") : std::nullopt;
      Error e = ErrorFromJson(kSelf, 500, err ? *err : ev);
      if (e.message.empty()) e.message = "upstream response failed";
      out.push_back(ErrorEvent{std::move(e)});
      out.push_back(EndEvent{});
      ended_ = true;
    }
  }

  void ItemDone(const JObj& ev, int64_t output_index, StreamEvents& out) {
    auto item = ObjectField(ev, "item");
    if (!item) return;
    Item& it = items_[output_index];
    auto type = StringField(*item, "type");
    if (type == "reasoning") {
      if (auto enc = StringField(*item, "encrypted_content"); !enc.empty()) {
        int index = blocks_.Ensure(Kind::kThinking, out);
        out.push_back(ThinkingDeltaEvent{index, "", std::string(enc), false, it.id, kSelf});
      }
    } else if (type == "function_call" && it.block >= 0 && !it.args_streamed &&
               it.block == blocks_.open_index()) {
      if (auto args = StringField(*item, "arguments"); !args.empty())
        out.push_back(ToolCallArgsDeltaEvent{it.block, std::string(args)});
    }
    blocks_.Close(out);
  }

  void OnEof(StreamEvents& out) override {
    blocks_.Close(out);
    out.push_back(TruncatedStreamError());
  }

  const CodecOptions& options_;
  BlockSequencer blocks_;
  std::map<int64_t, Item> items_;  // by output_index
  int64_t text_item_ = -1;
  bool saw_call_ = false;
};

}  // namespace

std::unique_ptr<StreamDecoder> MakeResponsesStreamDecoder(const CodecOptions& options) {
  return std::make_unique<ResponsesStreamDecoder>(options);
}

}  // namespace omni::formats
