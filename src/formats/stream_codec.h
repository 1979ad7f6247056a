#pragma once
// Per-format stream codecs, as state machines over SSE:
//   StreamDecoder: upstream bytes (any chunking) → IR StreamEvents, each as soon as the SSE
//                  event that carries it is complete;
//   StreamEncoder: IR StreamEvents → the exact SSE bytes of a format.
// StreamTranslator (stream_translator.h) chains one of each. Not thread-safe: one pair per
// stream. Memory is bounded by the current SSE event plus, for encoders whose format
// repeats content at the end (Responses response.completed) or cannot stream a value
// incrementally (Gemini functionCall args), that content.

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "formats/codec_options.h"
#include "formats/ir.h"
#include "formats/sse.h"

namespace omni::formats {

using StreamEvents = std::vector<StreamEvent>;

class StreamDecoder {
 public:
  using Sink = std::function<void(const StreamEvent&)>;
  virtual ~StreamDecoder() = default;
  // Hands each IR event to `sink` as soon as the SSE event carrying it is complete.
  void Feed(std::string_view bytes, const Sink& sink);
  // The upstream body ended. Emits EndEvent if the stream did not end itself, preceded by
  // an ErrorEvent when it ended before its finish (a truncated upstream).
  void Finish(const Sink& sink);
  // Collecting forms of the above.
  void Feed(std::string_view bytes, StreamEvents& out);
  void Finish(StreamEvents& out);
  const Warnings& warnings() const { return warnings_; }

 protected:
  virtual void OnEvent(std::string_view event, std::string_view data, StreamEvents& out) = 0;
  // Called by Finish when the stream has not ended: close blocks, report truncation.
  virtual void OnEof(StreamEvents& out) = 0;

  bool ended_ = false;  // EndEvent emitted: ignore anything after
  Warnings warnings_;

 private:
  void Deliver(const Sink& sink);

  SseParser sse_;
  StreamEvents pending_;
};

class StreamEncoder {
 public:
  virtual ~StreamEncoder() = default;
  // Appends the bytes for `event` (possibly none) to `out`.
  virtual void Encode(const StreamEvent& event, std::string& out) = 0;
  const Warnings& warnings() const { return warnings_; }

 protected:
  Warnings warnings_;
};

std::unique_ptr<StreamDecoder> MakeStreamDecoder(Format format, const CodecOptions& options);
std::unique_ptr<StreamEncoder> MakeStreamEncoder(Format format, const CodecOptions& options);

// Decoder-side bookkeeping of IR blocks: numbers blocks in opening order and keeps at most
// one open, emitting BlockStopEvent for the previous block when a new one opens.
class BlockSequencer {
 public:
  enum class Kind { kNone, kText, kThinking, kToolCall };

  // Opens a new block of `kind` (closing the open one) and returns its index.
  int Open(Kind kind, StreamEvents& out);
  // The index of the open block of `kind`, opening one if the open block is another kind.
  int Ensure(Kind kind, StreamEvents& out);
  void Close(StreamEvents& out);
  int open_index() const { return open_; }
  Kind open_kind() const { return open_ < 0 ? Kind::kNone : kind_; }

 private:
  int next_ = 0;
  int open_ = -1;
  Kind kind_ = Kind::kNone;
};

// The ErrorEvent a decoder emits when the upstream stream stops before finishing.
ErrorEvent TruncatedStreamError();

std::unique_ptr<StreamDecoder> MakeOpenAIChatStreamDecoder(const CodecOptions& options);
std::unique_ptr<StreamDecoder> MakeAnthropicStreamDecoder(const CodecOptions& options);
std::unique_ptr<StreamDecoder> MakeGeminiStreamDecoder(const CodecOptions& options);
std::unique_ptr<StreamDecoder> MakeResponsesStreamDecoder(const CodecOptions& options);
std::unique_ptr<StreamEncoder> MakeOpenAIChatStreamEncoder(const CodecOptions& options);
std::unique_ptr<StreamEncoder> MakeAnthropicStreamEncoder(const CodecOptions& options);
std::unique_ptr<StreamEncoder> MakeGeminiStreamEncoder(const CodecOptions& options);
std::unique_ptr<StreamEncoder> MakeResponsesStreamEncoder(const CodecOptions& options);

}  // namespace omni::formats
