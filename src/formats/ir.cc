#include "formats/ir.h"

namespace omni::formats {

std::string_view FormatName(Format format) {
  switch (format) {
    case Format::kOpenAIChat:
      return "openai_chat";
    case Format::kAnthropic:
      return "anthropic";
    case Format::kGemini:
      return "gemini";
    case Format::kResponses:
      return "responses";
  }
  return "unknown";
}

std::optional<Format> ParseFormat(std::string_view name) {
  for (Format f : {Format::kOpenAIChat, Format::kAnthropic, Format::kGemini, Format::kResponses}) {
    if (FormatName(f) == name) return f;
  }
  return std::nullopt;
}

}  // namespace omni::formats
