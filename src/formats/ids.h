#pragma once
// Id generation for ids a target format needs but the source did not provide (Gemini tool
// calls, Responses item ids, OpenAI chatcmpl ids). Production uses random ids; tests inject
// SequentialIdGenerator so golden files are deterministic. A generator is used by one
// translation at a time (not thread-safe, except RandomIdGenerator which is stateless).

#include <cstdint>
#include <string>
#include <string_view>

namespace omni::formats {

class IdGenerator {
 public:
  virtual ~IdGenerator() = default;
  // A new id: `prefix` followed by a unique suffix, e.g. "call_" → "call_3f9a...".
  virtual std::string Next(std::string_view prefix) = 0;
};

class RandomIdGenerator final : public IdGenerator {
 public:
  std::string Next(std::string_view prefix) override;
  static RandomIdGenerator& Instance();
};

// "call_0001", "call_0002", ... (one counter for all prefixes).
class SequentialIdGenerator final : public IdGenerator {
 public:
  std::string Next(std::string_view prefix) override;

 private:
  int64_t next_ = 1;
};

// Anthropic accepts tool ids matching ^[a-zA-Z0-9_-]+$ only; other formats are laxer
// (e.g. Kimi's "functions.get_weather:0"). Maps every other byte to '_', deterministically,
// so a call and its result still match.
std::string SanitizeToolCallId(std::string_view id);
// True when SanitizeToolCallId would return `id` unchanged (lets hot paths skip the copy).
bool IsValidToolCallId(std::string_view id);

}  // namespace omni::formats
