// Anthropic Messages stream (event: + data:, message_start … message_stop, ping) → IR events.
#include <map>

#include "formats/error_body.h"
#include "formats/finish_reason.h"
#include "formats/json_read.h"
#include "formats/stream_codec.h"
#include "formats/usage_map.h"

namespace omni::formats {
namespace {

using Kind = BlockSequencer::Kind;
constexpr Format kSelf = Format::kAnthropic;

int StatusOfErrorType(std::string_view type) {
  if (type == "overloaded_error") return 529;
  if (type == "rate_limit_error") return 429;
  if (type == "invalid_request_error") return 400;
  if (type == "authentication_error") return 401;
  if (type == "permission_error") return 403;
  if (type == "not_found_error") return 404;
  if (type == "request_too_large") return 413;
  if (type == "timeout_error") return 504;
  return 500;
}

class AnthropicStreamDecoder final : public StreamDecoder {
 public:
  explicit AnthropicStreamDecoder(const CodecOptions& options) : options_(options) {}

 private:
  void OnEvent(std::string_view, std::string_view data, StreamEvents& out) override {
    JsonDoc doc;
    auto parsed = doc.ParseObject(data);
    if (!parsed.ok()) {
      warnings_.Add("skipped a stream event that is not a JSON object");
      return;
    }
    const JObj& ev = *parsed;
    auto type = StringField(ev, "type");
    if (type == "message_start") {
      auto msg = ObjectField(ev, "message");
      MessageStartEvent start;
      if (msg) {
        start.id = StringField(*msg, "id");
        start.model = StringField(*msg, "model");
        if (auto u = ObjectField(*msg, "usage")) usage_ = UsageFromAnthropic(*u);
        start.usage = usage_;
      }
      out.push_back(std::move(start));
    } else if (type == "content_block_start") {
      BlockStart(ev, out);
    } else if (type == "content_block_delta") {
      BlockDelta(ev, out);
    } else if (type == "content_block_stop") {
      auto it = blocks_map_.find(IntField(ev, "index").value_or(-1));
      if (it != blocks_map_.end() && it->second == blocks_.open_index()) blocks_.Close(out);
    } else if (type == "message_delta") {
      blocks_.Close(out);
      if (auto u = ObjectField(ev, "usage")) {
        // Cumulative totals; a field that is missing keeps its message_start value.
        Usage update = UsageFromAnthropic(*u);
        if (u->contains("input_tokens")) usage_.input = update.input;
        if (u->contains("cache_read_input_tokens")) usage_.cached = update.cached;
        if (u->contains("cache_creation_input_tokens")) usage_.cache_write = update.cache_write;
        usage_.output = update.output;
        usage_.present = true;
        out.push_back(UsageEvent{usage_});
      }
      if (auto d = ObjectField(ev, "delta"); d && Field(*d, "stop_reason")) {
        out.push_back(FinishEvent{FinishFromAnthropic(StringField(*d, "stop_reason")),
                                  std::string(StringField(*d, "stop_sequence"))});
        finished_ = true;
      }
    } else if (type == "message_stop") {
      blocks_.Close(out);
      out.push_back(EndEvent{});
      ended_ = true;
    } else if (type == "error") {
      blocks_.Close(out);
      auto e = ObjectField(ev, "error");
      Error error = ErrorFromJson(kSelf, 200, ev);
      error.status = StatusOfErrorType(e ? StringField(*e, "type") : "");
      out.push_back(ErrorEvent{std::move(error)});
      out.push_back(EndEvent{});
      ended_ = true;
    }
    // ping and unknown events carry nothing for the IR.
  }

  void BlockStart(const JObj& ev, StreamEvents& out) {
    int64_t wire = IntField(ev, "index").value_or(-1);
    auto b = ObjectField(ev, "content_block");
    if (!b) return;
    auto type = StringField(*b, "type");
    if (type == "text") {
      int index = blocks_.Open(Kind::kText, out);
      blocks_map_[wire] = index;
      if (auto text = StringField(*b, "text"); !text.empty())
        out.push_back(TextDeltaEvent{index, std::string(text)});
    } else if (type == "thinking" || type == "redacted_thinking") {
      int index = blocks_.Open(Kind::kThinking, out);
      blocks_map_[wire] = index;
      if (type == "redacted_thinking") {
        out.push_back(
            ThinkingDeltaEvent{index, "", std::string(StringField(*b, "data")), true, "", kSelf});
      } else if (auto text = StringField(*b, "thinking"); !text.empty()) {
        out.push_back(ThinkingDeltaEvent{index, std::string(text), "", false, "", kSelf});
      }
    } else if (type == "tool_use") {
      int index = blocks_.Open(Kind::kToolCall, out);
      blocks_map_[wire] = index;
      out.push_back(ToolCallStartEvent{index, std::string(StringField(*b, "id")),
                                       std::string(StringField(*b, "name")), "", std::nullopt});
    } else {
      // Server tool blocks (server_tool_use, web_search_tool_result, ...) have no IR form.
      blocks_.Close(out);
      warnings_.Add("a '" + std::string(type) + "' content block was not translated");
    }
  }

  void BlockDelta(const JObj& ev, StreamEvents& out) {
    auto it = blocks_map_.find(IntField(ev, "index").value_or(-1));
    auto d = ObjectField(ev, "delta");
    if (it == blocks_map_.end() || !d || it->second != blocks_.open_index()) return;
    int index = it->second;
    auto type = StringField(*d, "type");
    if (type == "text_delta") {
      out.push_back(TextDeltaEvent{index, std::string(StringField(*d, "text"))});
    } else if (type == "thinking_delta") {
      out.push_back(ThinkingDeltaEvent{index, std::string(StringField(*d, "thinking")), "", false,
                                       "", kSelf});
    } else if (type == "signature_delta") {
      out.push_back(ThinkingDeltaEvent{index, "", std::string(StringField(*d, "signature")), false,
                                       "", kSelf});
    } else if (type == "input_json_delta") {
      if (auto frag = StringField(*d, "partial_json"); !frag.empty())
        out.push_back(ToolCallArgsDeltaEvent{index, std::string(frag)});
    }
  }

  void OnEof(StreamEvents& out) override {
    blocks_.Close(out);
    if (!finished_) out.push_back(TruncatedStreamError());
  }

  const CodecOptions& options_;
  BlockSequencer blocks_;
  std::map<int64_t, int> blocks_map_;  // wire index → IR index
  Usage usage_;
  bool finished_ = false;
};

}  // namespace

std::unique_ptr<StreamDecoder> MakeAnthropicStreamDecoder(const CodecOptions& options) {
  return std::make_unique<AnthropicStreamDecoder>(options);
}

}  // namespace omni::formats
