#include "formats/stream_translator.h"

#include "formats/error_body.h"
#include "formats/json_writer.h"

namespace omni::formats {

StreamTranslator::StreamTranslator(Format from, Format to, CodecOptions options)
    : options_(std::move(options)),
      decoder_(MakeStreamDecoder(from, options_)),
      encoder_(MakeStreamEncoder(to, options_)) {}

void StreamTranslator::Feed(std::string_view bytes, std::string& out) {
  if (finished_) return;
  decoder_->Feed(bytes, [&](const StreamEvent& e) { Emit(e, out); });
}

void StreamTranslator::Finish(std::string& out) {
  if (finished_) return;
  finished_ = true;
  decoder_->Finish([&](const StreamEvent& e) { Emit(e, out); });
}

void StreamTranslator::Fail(const Error& error, std::string& out) {
  if (finished_) return;
  finished_ = true;
  Emit(ErrorEvent{error}, out);
  Emit(EndEvent{}, out);
}

std::string StreamErrorEvent(Format format, const Error& error) {
  // Only the error itself: the stream already started upstream, so no encoder preamble
  // (a second message_start would break the client's SDK).
  std::string out;
  JsonWriter w(out);
  switch (format) {
    case Format::kAnthropic:
      out = "event: error\ndata: ";
      WriteErrorObject(w, format, error);
      out += "\n\n";
      return out;
    case Format::kResponses: {
      out = "event: error\ndata: ";
      w.BeginObject();
      w.Field("type", "error");
      WriteResponsesErrorMembers(w, error);
      w.Key("param");
      w.Null();
      w.EndObject();
      // Responses clients wait for a terminal response.* event after the error.
      out += "\n\nevent: response.failed\ndata: ";
      JsonWriter failed(out);
      failed.BeginObject();
      failed.Field("type", "response.failed");
      failed.Key("response");
      failed.BeginObject();
      failed.Field("object", "response");
      failed.Field("status", "failed");
      failed.Key("output");
      failed.BeginArray();
      failed.EndArray();
      failed.Key("error");
      failed.BeginObject();
      WriteResponsesErrorMembers(failed, error);
      failed.EndObject();
      failed.EndObject();
      failed.EndObject();
      out += "\n\n";
      return out;
    }
    case Format::kOpenAIChat:
    case Format::kGemini:
      break;
  }
  out = "data: ";
  WriteErrorObject(w, format, error);
  out += "\n\n";
  return out;
}

void StreamTranslator::Emit(const StreamEvent& e, std::string& out) {
  if (auto* u = std::get_if<UsageEvent>(&e)) usage_ = u->usage;
  if (auto* s = std::get_if<MessageStartEvent>(&e); s && s->usage.present) usage_ = s->usage;
  if (std::holds_alternative<ErrorEvent>(e)) failed_ = true;
  encoder_->Encode(e, out);
}

Warnings StreamTranslator::warnings() const {
  Warnings all = decoder_->warnings();
  for (const std::string& w : encoder_->warnings().items) all.Add(w);
  return all;
}

}  // namespace omni::formats
