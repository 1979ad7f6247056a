// IR events → Gemini alt=sse stream: one `data: ` chunk per delta in Gemini's JSON style
// ({"key": value,...}) with CRLF framing; function calls are sent whole when their block
// stops (Gemini has no incremental arguments); the last chunk carries finishReason and
// usageMetadata, then the stream simply ends.
#include <charconv>
#include <cmath>

#include "core/json_text.h"
#include "formats/codec_util.h"
#include "formats/error_body.h"
#include "formats/finish_reason.h"
#include "formats/json_read.h"
#include "formats/json_writer.h"
#include "formats/stream_codec.h"
#include "formats/usage_map.h"

namespace omni::formats {
namespace {

constexpr Format kSelf = Format::kGemini;

// A parsed value as text in Gemini's style (`": "` after keys), numbers as the shortest
// round trip: function call arguments are re-emitted in the style of the rest of the chunk.
void AppendGeminiJson(std::string& out, const JVal& v) {
  if (v.is_string()) {
    AppendJsonQuoted(out, v.get_string());
  } else if (v.is_bool()) {
    out.append(v.get_bool() ? "true" : "false");
  } else if (v.is_number()) {
    std::string text = v.Json();
    if (text.find_first_of(".eE") == std::string::npos) {
      out.append(text);  // an integer, digits as sent
      return;
    }
    double d = v.ToDouble().value_or(0);
    if (!std::isfinite(d)) {
      out.append("null");
      return;
    }
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, d);
    out.append(buf, r.ptr);
  } else if (v.is_object()) {
    out.push_back('{');
    bool first = true;
    for (auto [key, value] : v.get_object()) {
      if (!first) out.push_back(',');
      first = false;
      AppendJsonQuoted(out, key);
      out.append(": ");
      AppendGeminiJson(out, value);
    }
    out.push_back('}');
  } else if (v.is_array()) {
    out.push_back('[');
    bool first = true;
    for (JVal e : v.get_array()) {
      if (!first) out.push_back(',');
      first = false;
      AppendGeminiJson(out, e);
    }
    out.push_back(']');
  } else {
    out.append("null");
  }
}

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
      if (e->text.empty()) return;
      JsonWriter& w = BeginChunk(out);
      w.Field("text", e->text);
      EndChunk(nullptr, out);
    } else if (auto* e = std::get_if<ThinkingDeltaEvent>(&event)) {
      bool sign = e->origin == kSelf && !e->signature.empty();
      if (e->redacted || (e->text.empty() && !sign)) return;
      JsonWriter& w = BeginChunk(out);
      w.Field("text", e->text);
      w.BoolField("thought", true);
      if (sign) w.Field("thoughtSignature", e->signature);
      EndChunk(nullptr, out);
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
      out.append("data: ");
      JsonWriter w(out, JsonStyle::kGemini);
      WriteErrorObject(w, kSelf, e->error);
      out.append("\r\n\r\n");
      done_ = true;
    } else if (std::holds_alternative<EndEvent>(event)) {
      if (call_) FlushCall(out);
      FinishReason reason = finish_ == FinishReason::kUnknown ? FinishReason::kStop : finish_;
      JsonWriter& w = BeginChunk(out);
      w.Field("text", "");
      EndChunk(FinishToGemini(reason).data(), out);
      done_ = true;
    }
  }

 private:
  struct Call {
    int index;
    std::string name, args, signature;
  };

  void FlushCall(std::string& out) {
    // Gemini sends arguments as an object; they are restyled to the chunk's style first.
    std::string args;
    JsonDoc doc;
    auto parsed = doc.Parse(call_->args.empty() ? std::string_view("{}") : call_->args);
    if (parsed.ok() && parsed->is_object()) {
      AppendGeminiJson(args, *parsed);
    } else {
      warnings_.Add("tool call  (" + call_->name +
                    ") has arguments that are not a JSON object; sent as {}");
      args = "{}";
    }
    JsonWriter& w = BeginChunk(out);
    w.Key("functionCall");
    w.BeginObject();
    w.Field("name", call_->name);
    w.Key("args");
    w.Raw(args);
    w.EndObject();
    if (!call_->signature.empty()) w.Field("thoughtSignature", call_->signature);
    EndChunk(nullptr, out);
    call_.reset();
  }

  // A chunk is written straight into `out`: the SSE framing, then
  // {"candidates": [{"content": {"parts": [PART], "role": "model"}, ...}], ...} where the
  // caller writes PART's members between BeginChunk and EndChunk.
  JsonWriter& BeginChunk(std::string& out) {
    if (!started_) Encode(MessageStartEvent{}, out);
    out.append("data: ");
    JsonWriter& w = writer_.emplace(out, JsonStyle::kGemini);
    w.BeginObject();
    w.Key("candidates");
    w.BeginArray();
    w.BeginObject();
    w.Key("content");
    w.BeginObject();
    w.Key("parts");
    w.BeginArray();
    w.BeginObject();
    return w;
  }

  void EndChunk(const char* finish, std::string& out) {
    JsonWriter& w = *writer_;
    w.EndObject();
    w.EndArray();
    w.Field("role", "model");
    w.EndObject();
    if (finish) w.Field("finishReason", finish);
    w.IntField("index", 0);
    w.EndObject();
    w.EndArray();
    if (usage_.present) {
      w.Key("usageMetadata");
      WriteUsageGemini(w, usage_);
    }
    w.Field("modelVersion", model_);
    w.Field("responseId", id_);
    w.EndObject();
    writer_.reset();
    out.append("\r\n\r\n");
  }

  const CodecOptions& options_;
  std::optional<JsonWriter> writer_;  // of the chunk being written
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
