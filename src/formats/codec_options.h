#pragma once
// Options shared by every encoder: where generated ids and timestamps come from (injected
// in tests for deterministic output) and per-call settings the body cannot carry.

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/clock.h"
#include "formats/ids.h"

namespace omni::formats {

struct CodecOptions {
  IdGenerator* ids = nullptr;    // null: RandomIdGenerator
  const Clock* clock = nullptr;  // null: SystemClock
  // Model for requests whose body has none (Gemini: the model is in the URL); when set it
  // also replaces the body's model.
  std::string model;
  // OpenAI Chat stream encoder: emit the final usage chunk (stream_options.include_usage).
  bool include_usage = true;
  // Request encoders reserve this much output up front (the source body's size is a good
  // guess), so a large body is not copied again each time the output doubles.
  size_t size_hint = 0;

  IdGenerator& Ids() const { return ids ? *ids : RandomIdGenerator::Instance(); }
  int64_t NowSeconds() const {
    return (clock ? *clock : static_cast<const Clock&>(SystemClock::Instance())).NowUnixMs() / 1000;
  }
};

}  // namespace omni::formats
