#include "formats/stream_translator.h"

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
  std::string out;
  MakeStreamEncoder(format, CodecOptions{})->Encode(ErrorEvent{error}, out);
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
