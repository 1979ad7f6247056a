#pragma once
// Translates a streamed answer from one format to another as it arrives:
//
//   StreamTranslator t(Format::kOpenAIChat, Format::kAnthropic, options);
//   for each upstream read:  t.Feed(bytes, out);  write `out` to the client, clear it
//   at upstream EOF:         t.Finish(out);      write `out`
//
// Each call appends only the client bytes the input completed (never the whole stream).
// Usage seen so far is available for accounting. Not thread-safe; one per stream. The
// CodecOptions (id generator, clock) must outlive the translator.

#include <memory>
#include <string>
#include <string_view>

#include "formats/codec_options.h"
#include "formats/ir.h"
#include "formats/stream_codec.h"

namespace omni::formats {

// The bytes of one error event in `format`'s stream framing, for streams relayed without
// translation that fail midway.
std::string StreamErrorEvent(Format format, const Error& error);

class StreamTranslator {
 public:
  StreamTranslator(Format from, Format to, CodecOptions options = {});

  void Feed(std::string_view bytes, std::string& out);
  // The upstream ended (EOF or error): completes the client stream. Idempotent.
  void Finish(std::string& out);
  // The upstream failed mid-stream (connection lost, timeout): ends the client stream with an
  // in-format error event. Idempotent with Finish.
  void Fail(const Error& error, std::string& out);

  const Usage& usage() const { return usage_; }
  // Whether the upstream stream reported an error or ended early.
  bool failed() const { return failed_; }
  // What the decoder and encoder could not translate so far.
  Warnings warnings() const;

 private:
  void Emit(const StreamEvent& event, std::string& out);

  CodecOptions options_;
  std::unique_ptr<StreamDecoder> decoder_;
  std::unique_ptr<StreamEncoder> encoder_;
  Usage usage_;
  bool failed_ = false;
  bool finished_ = false;
};

}  // namespace omni::formats
