// IR events → OpenAI Responses stream: response.created / in_progress, one output item per
// IR block (message with output_text, reasoning with a summary part, function_call), every
// event numbered by sequence_number, and response.completed (or .incomplete) repeating the
// whole output, as the format requires.
#include "formats/error_body.h"
#include "formats/finish_reason.h"
#include "formats/json_writer.h"
#include "formats/responses_items.h"
#include "formats/stream_codec.h"

namespace omni::formats {
namespace {

constexpr Format kSelf = Format::kResponses;
using BlockKind = BlockSequencer::Kind;

void WriteEmptyArray(JsonWriter& w, std::string_view key) {
  w.Key(key);
  w.BeginArray();
  w.EndArray();
}

void WriteSummaryText(JsonWriter& w, std::string_view text) {
  w.BeginObject();
  w.Field("type", "summary_text");
  w.Field("text", text);
  w.EndObject();
}

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
      Write("response.output_text.delta", out, [&](JsonWriter& w) {
        ItemRef(w);
        w.IntField("content_index", 0);
        w.Field("delta", e->text);
        WriteEmptyArray(w, "logprobs");
      });
    } else if (auto* e = std::get_if<ThinkingDeltaEvent>(&event)) {
      Thinking(*e, out);
    } else if (auto* e = std::get_if<ToolCallStartEvent>(&event)) {
      Close(out);
      open_ = NewItem(e->index, BlockKind::kToolCall, options_.Ids().Next("fc_"));
      open_.call_id = e->id.empty() ? options_.Ids().Next("call_") : e->id;
      open_.name = e->name;
      saw_call_ = true;
      Added(out, [&](JsonWriter& w) {
        WriteResponsesFunctionCallItem(w, open_.id, "in_progress", open_.call_id, open_.name, "");
      });
    } else if (auto* e = std::get_if<ToolCallArgsDeltaEvent>(&event)) {
      if (open_.ir != e->index) return;
      open_.text += e->fragment;
      Write("response.function_call_arguments.delta", out, [&](JsonWriter& w) {
        ItemRef(w);
        w.Field("delta", e->fragment);
      });
    } else if (auto* e = std::get_if<BlockStopEvent>(&event)) {
      if (open_.ir == e->index) Close(out);
    } else if (auto* e = std::get_if<UsageEvent>(&event)) {
      usage_ = e->usage;
    } else if (auto* e = std::get_if<FinishEvent>(&event)) {
      finish_ = e->reason;
    } else if (auto* e = std::get_if<ErrorEvent>(&event)) {
      Failed(e->error, out);
    } else if (std::holds_alternative<EndEvent>(event)) {
      Close(out);
      FinishReason reason = finish_;
      if (reason == FinishReason::kUnknown)
        reason = saw_call_ ? FinishReason::kToolCalls : FinishReason::kStop;
      ResponsesStatus status = FinishToResponses(reason);
      Write(status.status == "incomplete" ? "response.incomplete" : "response.completed", out,
            [&](JsonWriter& w) {
              w.Key("response");
              WriteResponsesObject(w, id_, created_, model_, "", reason, output_,
                                   usage_.present ? &usage_ : nullptr);
            });
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
    for (std::string_view type : {"response.created", "response.in_progress"}) {
      Write(type, out, [&](JsonWriter& w) {
        w.Key("response");
        WriteResponsesObject(w, id_, created_, model_, "in_progress", FinishReason::kStop, {},
                             nullptr);
      });
    }
  }

  void OpenMessage(int ir, std::string& out) {
    Close(out);
    open_ = NewItem(ir, BlockKind::kText, options_.Ids().Next("msg_"));
    Added(out, [&](JsonWriter& w) { WriteResponsesMessageItem(w, open_.id, "in_progress", {}); });
    Write("response.content_part.added", out, [&](JsonWriter& w) {
      ItemRef(w);
      w.IntField("content_index", 0);
      w.Key("part");
      WriteResponsesOutputText(w, "");
    });
  }

  void Thinking(const ThinkingDeltaEvent& e, std::string& out) {
    bool ours = e.origin == kSelf;
    if (e.redacted && !ours) return;
    if (open_.ir != e.index) {
      if (e.text.empty() && !ours) return;
      Close(out);
      std::string id = ours && !e.id.empty() ? e.id : options_.Ids().Next("rs_");
      open_ = NewItem(e.index, BlockKind::kThinking, id);
      Added(out, [&](JsonWriter& w) { WriteResponsesReasoningItem(w, open_.id, "", ""); });
    }
    if (ours && !e.signature.empty()) open_.encrypted = e.signature;
    if (e.text.empty()) return;
    if (!open_.part_added) {
      open_.part_added = true;
      Write("response.reasoning_summary_part.added", out, [&](JsonWriter& w) {
        ItemRef(w);
        w.IntField("summary_index", 0);
        w.Key("part");
        WriteSummaryText(w, "");
      });
    }
    open_.text += e.text;
    Write("response.reasoning_summary_text.delta", out, [&](JsonWriter& w) {
      ItemRef(w);
      w.IntField("summary_index", 0);
      w.Field("delta", e.text);
    });
  }

  void Close(std::string& out) {
    if (open_.ir < 0) return;
    std::string item;  // kept for response.completed, which repeats the output
    JsonWriter item_writer(item);
    if (open_.kind == BlockKind::kText) {
      Write("response.output_text.done", out, [&](JsonWriter& w) {
        ItemRef(w);
        w.IntField("content_index", 0);
        w.Field("text", open_.text);
        WriteEmptyArray(w, "logprobs");
      });
      Write("response.content_part.done", out, [&](JsonWriter& w) {
        ItemRef(w);
        w.IntField("content_index", 0);
        w.Key("part");
        WriteResponsesOutputText(w, open_.text);
      });
      std::string_view text = open_.text;
      WriteResponsesMessageItem(item_writer, open_.id, "completed", {&text, 1});
    } else if (open_.kind == BlockKind::kThinking) {
      if (open_.part_added) {
        Write("response.reasoning_summary_text.done", out, [&](JsonWriter& w) {
          ItemRef(w);
          w.IntField("summary_index", 0);
          w.Field("text", open_.text);
        });
        Write("response.reasoning_summary_part.done", out, [&](JsonWriter& w) {
          ItemRef(w);
          w.IntField("summary_index", 0);
          w.Key("part");
          WriteSummaryText(w, open_.text);
        });
      }
      WriteResponsesReasoningItem(item_writer, open_.id, open_.text, open_.encrypted);
    } else {
      std::string_view args = open_.text.empty() ? std::string_view("{}") : open_.text;
      Write("response.function_call_arguments.done", out, [&](JsonWriter& w) {
        ItemRef(w);
        w.Field("arguments", args);
      });
      WriteResponsesFunctionCallItem(item_writer, open_.id, "completed", open_.call_id, open_.name,
                                     args);
    }
    Write("response.output_item.done", out, [&](JsonWriter& w) {
      w.IntField("output_index", open_.output_index);
      w.Key("item");
      w.Raw(item);
    });
    output_.push_back(std::move(item));
    open_ = Open{};
  }

  void Failed(const Error& error, std::string& out) {
    Close(out);
    Write("error", out, [&](JsonWriter& w) {
      WriteResponsesErrorMembers(w, error);
      w.Key("param");
      w.Null();
    });
    std::string error_json;
    JsonWriter ew(error_json);
    ew.BeginObject();
    WriteResponsesErrorMembers(ew, error);
    ew.EndObject();
    Write("response.failed", out, [&](JsonWriter& w) {
      w.Key("response");
      WriteResponsesObject(w, id_, created_, model_, "failed", FinishReason::kError, output_,
                           nullptr, error_json);
    });
    done_ = true;
  }

  // The open item's item_id and output_index, as most events carry them.
  void ItemRef(JsonWriter& w) const {
    w.Field("item_id", open_.id);
    w.IntField("output_index", open_.output_index);
  }

  template <class WriteItem>
  void Added(std::string& out, WriteItem&& write_item) {
    Write("response.output_item.added", out, [&](JsonWriter& w) {
      w.IntField("output_index", open_.output_index);
      w.Key("item");
      write_item(w);
    });
  }

  // Frames one event named `type`: its data object starts with type and the next
  // sequence_number, then `members` writes the rest.
  template <class Members>
  void Write(std::string_view type, std::string& out, Members&& members) {
    out.append("event: ").append(type).append("\ndata: ");
    JsonWriter w(out);
    w.BeginObject();
    w.Field("type", type);
    w.IntField("sequence_number", seq_++);
    members(w);
    w.EndObject();
    out.append("\n\n");
  }

  const CodecOptions& options_;
  std::string id_, model_;
  int64_t created_ = 0;
  int64_t seq_ = 0;
  int next_output_ = 0;
  Open open_;
  std::vector<std::string> output_;  // finished output items as JSON text
  Usage usage_;
  FinishReason finish_ = FinishReason::kUnknown;
  bool started_ = false, saw_call_ = false, done_ = false;
};

}  // namespace

std::unique_ptr<StreamEncoder> MakeResponsesStreamEncoder(const CodecOptions& options) {
  return std::make_unique<ResponsesStreamEncoder>(options);
}

}  // namespace omni::formats
