#pragma once
// Finds token usage in upstream answers without parsing whole bodies: a non-stream JSON
// body, or an SSE stream fed piece by piece (only the current partial line is kept, so a
// stream is never buffered). Only the `"usage":{...}` object itself is parsed.
// Not thread-safe: one sniffer per response.

#include <cstdint>
#include <string>
#include <string_view>

namespace omni::gateway {

struct TokenUsage {
  int64_t input_tokens = 0;
  int64_t output_tokens = 0;
  int64_t cached_tokens = 0;
  int64_t reasoning_tokens = 0;
  bool present = false;
};

// Extracts an OpenAI-style usage object from a JSON text; returns false when none.
bool FindUsage(std::string_view json, TokenUsage& usage);

class SseUsageSniffer {
 public:
  void Feed(std::string_view piece);
  const TokenUsage& usage() const { return usage_; }
  bool saw_done() const { return saw_done_; }

 private:
  void Line(std::string_view line);
  std::string partial_;
  TokenUsage usage_;
  bool saw_done_ = false;
  bool overflow_ = false;
};

}  // namespace omni::gateway
