#include "formats/stream_translator.h"

#include <boost/json.hpp>

#include "formats/error_body.h"

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
  boost::json::object obj = ErrorObject(format, error);
  switch (format) {
    case Format::kAnthropic:
      return "event: error\ndata: " + boost::json::serialize(obj) + "\n\n";
    case Format::kResponses: {
      boost::json::object err = obj.at("error").as_object();
      boost::json::object event{{"type", "error"},
                                {"code", err["code"]},
                                {"message", err["message"]},
                                {"param", nullptr}};
      // Responses clients wait for a terminal response.* event after the error.
      boost::json::object failed{
          {"type", "response.failed"},
          {"response",
           boost::json::object{{"object", "response"},
                               {"status", "failed"},
                               {"output", boost::json::array{}},
                               {"error", boost::json::object{{"code", err["code"]},
                                                             {"message", err["message"]}}}}}};
      return "event: error\ndata: " + boost::json::serialize(event) +
             "\n\nevent: response.failed\ndata: " + boost::json::serialize(failed) + "\n\n";
    }
    case Format::kOpenAIChat:
    case Format::kGemini:
      break;
  }
  return "data: " + boost::json::serialize(obj) + "\n\n";
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
