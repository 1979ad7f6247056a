#include "formats/stream_codec.h"

namespace omni::formats {

void StreamDecoder::Deliver(const Sink& sink) {
  for (const StreamEvent& e : pending_) sink(e);
  pending_.clear();
}

void StreamDecoder::Feed(std::string_view bytes, const Sink& sink) {
  if (ended_) return;
  sse_.Feed(bytes, [&](std::string_view event, std::string_view data) {
    if (ended_) return;
    OnEvent(event, data, pending_);
    Deliver(sink);
  });
}

void StreamDecoder::Finish(const Sink& sink) {
  sse_.Finish([&](std::string_view event, std::string_view data) {
    if (!ended_) OnEvent(event, data, pending_);
  });
  if (!ended_) {
    OnEof(pending_);
    if (!ended_) {
      pending_.push_back(EndEvent{});
      ended_ = true;
    }
  }
  Deliver(sink);
}

void StreamDecoder::Feed(std::string_view bytes, StreamEvents& out) {
  Feed(bytes, [&](const StreamEvent& e) { out.push_back(e); });
}

void StreamDecoder::Finish(StreamEvents& out) {
  Finish([&](const StreamEvent& e) { out.push_back(e); });
}

int BlockSequencer::Open(Kind kind, StreamEvents& out) {
  Close(out);
  open_ = next_++;
  kind_ = kind;
  return open_;
}

int BlockSequencer::Ensure(Kind kind, StreamEvents& out) {
  if (open_ >= 0 && kind_ == kind) return open_;
  return Open(kind, out);
}

void BlockSequencer::Close(StreamEvents& out) {
  if (open_ < 0) return;
  out.push_back(BlockStopEvent{open_});
  open_ = -1;
  kind_ = Kind::kNone;
}

ErrorEvent TruncatedStreamError() {
  return ErrorEvent{
      Error::Upstream(502, "upstream stream ended before it finished", "stream_truncated")};
}

std::unique_ptr<StreamDecoder> MakeStreamDecoder(Format format, const CodecOptions& options) {
  switch (format) {
    case Format::kOpenAIChat:
      return MakeOpenAIChatStreamDecoder(options);
    case Format::kAnthropic:
      return MakeAnthropicStreamDecoder(options);
    case Format::kGemini:
      return MakeGeminiStreamDecoder(options);
    case Format::kResponses:
      return MakeResponsesStreamDecoder(options);
  }
  return nullptr;
}

std::unique_ptr<StreamEncoder> MakeStreamEncoder(Format format, const CodecOptions& options) {
  switch (format) {
    case Format::kOpenAIChat:
      return MakeOpenAIChatStreamEncoder(options);
    case Format::kAnthropic:
      return MakeAnthropicStreamEncoder(options);
    case Format::kGemini:
      return MakeGeminiStreamEncoder(options);
    case Format::kResponses:
      return MakeResponsesStreamEncoder(options);
  }
  return nullptr;
}

}  // namespace omni::formats
