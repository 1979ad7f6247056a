// IR events → OpenAI Responses stream: response.created / in_progress, one output item per
// IR block (message with output_text, reasoning with a summary part, function_call), every
// event numbered by sequence_number, and response.completed (or .incomplete) repeating the
// whole output, as the format requires.
#include "formats/error_body.h"
#include "formats/finish_reason.h"
#include "formats/responses_items.h"
#include "formats/stream_codec.h"
#include "formats/wire_json.h"

namespace omni::formats {
namespace {

constexpr Format kSelf = Format::kResponses;
using BlockKind = BlockSequencer::Kind;

class ResponsesStreamEncoder final : public StreamEncoder {
 public:
  explicit ResponsesStreamEncoder(const CodecOptions& options) : options_(options) {}

  void Encode(const StreamEvent& event, std::string& out) override {
    if (done_) return;
    if (auto* e = std::get_if<MessageStartEvent>(&event)) {
      Start(*e, out);
      return;
    }
    Start(MessageStartEvent{}, out);
    if (auto* e = std::get_if<TextDeltaEvent>(&event)) {
      if (open_.ir != e->index) OpenMessage(e->index, out);
      open_.text += e->text;
      Write(bj::object{{"type", "response.output_text.delta"},
                       {"sequence_number", 0},
                       {"item_id", open_.id},
                       {"output_index", open_.output_index},
                       {"content_index", 0},
                       {"delta", e->text},
                       {"logprobs", bj::array{}}},
            out);
    } else if (auto* e = std::get_if<ThinkingDeltaEvent>(&event)) {
      Thinking(*e, out);
    } else if (auto* e = std::get_if<ToolCallStartEvent>(&event)) {
      Close(out);
      open_ = NewItem(e->index, BlockKind::kToolCall, options_.Ids().Next("fc_"));
      open_.call_id = e->id.empty() ? options_.Ids().Next("call_") : e->id;
      open_.name = e->name;
      saw_call_ = true;
      Added(ResponsesFunctionCallItem(open_.id, "in_progress", open_.call_id, open_.name, ""), out);
    } else if (auto* e = std::get_if<ToolCallArgsDeltaEvent>(&event)) {
      if (open_.ir != e->index) return;
      open_.text += e->fragment;
      Write(bj::object{{"type", "response.function_call_arguments.delta"},
                       {"sequence_number", 0},
                       {"item_id", open_.id},
                       {"output_index", open_.output_index},
                       {"delta", e->fragment}},
            out);
    } else if (auto* e = std::get_if<BlockStopEvent>(&event)) {
      if (open_.ir == e->index) Close(out);
    } else if (auto* e = std::get_if<UsageEvent>(&event)) {
      usage_ = e->usage;
    } else if (auto* e = std::get_if<FinishEvent>(&event)) {
      finish_ = e->reason;
    } else if (auto* e = std::get_if<ErrorEvent>(&event)) {
      Close(out);
      bj::object err = ErrorObject(kSelf, e->error).at("error").as_object();
      Write(bj::object{{"type", "error"},
                       {"sequence_number", 0},
                       {"code", err["code"]},
                       {"message", err["message"]},
                       {"param", nullptr}},
            out);
      bj::object response = ResponsesObject(id_, created_, model_, "failed", FinishReason::kError,
                                            std::move(output_), nullptr);
      response["error"] = bj::object{{"code", err["code"]}, {"message", err["message"]}};
      Write(bj::object{{"type", "response.failed"},
                       {"sequence_number", 0},
                       {"response", std::move(response)}},
            out);
      done_ = true;
    } else if (std::holds_alternative<EndEvent>(event)) {
      Close(out);
      FinishReason reason = finish_;
      if (reason == FinishReason::kUnknown)
        reason = saw_call_ ? FinishReason::kToolCalls : FinishReason::kStop;
      ResponsesStatus status = FinishToResponses(reason);
      std::string type =
          status.status == "incomplete" ? "response.incomplete" : "response.completed";
      Write(bj::object{{"type", type},
                       {"sequence_number", 0},
                       {"response",
                        ResponsesObject(id_, created_, model_, "", reason, std::move(output_),
                                        usage_.present ? &usage_ : nullptr)}},
            out);
      done_ = true;
    }
  }

 private:
  struct Open {
    int ir = -1;
    BlockKind kind = BlockKind::kNone;
    std::string id;
    int output_index = 0;
    std::string text;  // text, summary or arguments so far
    std::string call_id, name, encrypted;
    bool part_added = false;
  };

  Open NewItem(int ir, BlockKind kind, std::string id) {
    Open o;
    o.ir = ir;
    o.kind = kind;
    o.id = std::move(id);
    o.output_index = next_output_++;
    return o;
  }

  void Start(const MessageStartEvent& e, std::string& out) {
    if (started_) return;
    started_ = true;
    id_ = e.id.empty() ? options_.Ids().Next("resp_") : e.id;
    created_ = e.created ? e.created : options_.NowSeconds();
    model_ = e.model;
    for (const char* type : {"response.created", "response.in_progress"}) {
      Write(bj::object{{"type", type},
                       {"sequence_number", 0},
                       {"response", ResponsesObject(id_, created_, model_, "in_progress",
                                                    FinishReason::kStop, bj::array{}, nullptr)}},
            out);
    }
  }

  void OpenMessage(int ir, std::string& out) {
    Close(out);
    open_ = NewItem(ir, BlockKind::kText, options_.Ids().Next("msg_"));
    Added(ResponsesMessageItem(open_.id, "in_progress", bj::array{}), out);
    Write(bj::object{{"type", "response.content_part.added"},
                     {"sequence_number", 0},
                     {"item_id", open_.id},
                     {"output_index", open_.output_index},
                     {"content_index", 0},
                     {"part", ResponsesOutputText("")}},
          out);
  }

  void Thinking(const ThinkingDeltaEvent& e, std::string& out) {
    bool ours = e.origin == kSelf;
    if (e.redacted && !ours) return;
    if (open_.ir != e.index) {
      if (e.text.empty() && !ours) return;
      Close(out);
      std::string id = ours && !e.id.empty() ? e.id : options_.Ids().Next("rs_");
      open_ = NewItem(e.index, BlockKind::kThinking, id);
      Added(ResponsesReasoningItem(open_.id, "", ""), out);
    }
    if (ours && !e.signature.empty()) open_.encrypted = e.signature;
    if (e.text.empty()) return;
    if (!open_.part_added) {
      open_.part_added = true;
      Write(bj::object{{"type", "response.reasoning_summary_part.added"},
                       {"sequence_number", 0},
                       {"item_id", open_.id},
                       {"output_index", open_.output_index},
                       {"summary_index", 0},
                       {"part", bj::object{{"type", "summary_text"}, {"text", ""}}}},
            out);
    }
    open_.text += e.text;
    Write(bj::object{{"type", "response.reasoning_summary_text.delta"},
                     {"sequence_number", 0},
                     {"item_id", open_.id},
                     {"output_index", open_.output_index},
                     {"summary_index", 0},
                     {"delta", e.text}},
          out);
  }

  void Close(std::string& out) {
    if (open_.ir < 0) return;
    bj::object item;
    if (open_.kind == BlockKind::kText) {
      Write(bj::object{{"type", "response.output_text.done"},
                       {"sequence_number", 0},
                       {"item_id", open_.id},
                       {"output_index", open_.output_index},
                       {"content_index", 0},
                       {"text", open_.text},
                       {"logprobs", bj::array{}}},
            out);
      Write(bj::object{{"type", "response.content_part.done"},
                       {"sequence_number", 0},
                       {"item_id", open_.id},
                       {"output_index", open_.output_index},
                       {"content_index", 0},
                       {"part", ResponsesOutputText(open_.text)}},
            out);
      item =
          ResponsesMessageItem(open_.id, "completed", bj::array{ResponsesOutputText(open_.text)});
    } else if (open_.kind == BlockKind::kThinking) {
      if (open_.part_added) {
        Write(bj::object{{"type", "response.reasoning_summary_text.done"},
                         {"sequence_number", 0},
                         {"item_id", open_.id},
                         {"output_index", open_.output_index},
                         {"summary_index", 0},
                         {"text", open_.text}},
              out);
        Write(bj::object{{"type", "response.reasoning_summary_part.done"},
                         {"sequence_number", 0},
                         {"item_id", open_.id},
                         {"output_index", open_.output_index},
                         {"summary_index", 0},
                         {"part", bj::object{{"type", "summary_text"}, {"text", open_.text}}}},
              out);
      }
      item = ResponsesReasoningItem(open_.id, open_.text, open_.encrypted);
    } else {
      std::string args = open_.text.empty() ? "{}" : open_.text;
      Write(bj::object{{"type", "response.function_call_arguments.done"},
                       {"sequence_number", 0},
                       {"item_id", open_.id},
                       {"output_index", open_.output_index},
                       {"arguments", args}},
            out);
      item = ResponsesFunctionCallItem(open_.id, "completed", open_.call_id, open_.name, args);
    }
    Write(bj::object{{"type", "response.output_item.done"},
                     {"sequence_number", 0},
                     {"output_index", open_.output_index},
                     {"item", item}},
          out);
    output_.push_back(std::move(item));
    open_ = Open{};
  }

  void Added(bj::object item, std::string& out) {
    Write(bj::object{{"type", "response.output_item.added"},
                     {"sequence_number", 0},
                     {"output_index", open_.output_index},
                     {"item", std::move(item)}},
          out);
  }

  // Fills in the sequence number and frames the event.
  void Write(bj::object event, std::string& out) {
    event["sequence_number"] = seq_++;
    std::string name(event["type"].as_string());
    AppendSseEvent(out, name, ToJson(event));
  }

  const CodecOptions& options_;
  std::string id_, model_;
  int64_t created_ = 0;
  int64_t seq_ = 0;
  int next_output_ = 0;
  Open open_;
  bj::array output_;
  Usage usage_;
  FinishReason finish_ = FinishReason::kUnknown;
  bool started_ = false, saw_call_ = false, done_ = false;
};

}  // namespace

std::unique_ptr<StreamEncoder> MakeResponsesStreamEncoder(const CodecOptions& options) {
  return std::make_unique<ResponsesStreamEncoder>(options);
}

}  // namespace omni::formats
