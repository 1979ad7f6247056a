#include "providers/upstream_dialect.h"

namespace omni::providers {

using formats::Format;

std::optional<Format> WireFormat(std::string_view name) {
  if (name == "openai" || name == "openai_chat") return Format::kOpenAIChat;
  if (name == "anthropic") return Format::kAnthropic;
  if (name == "gemini") return Format::kGemini;
  if (name == "responses" || name == "openai_responses") return Format::kResponses;
  return std::nullopt;
}

std::string_view AuthHeaderName(Format format) {
  switch (format) {
    case Format::kAnthropic:
      return "x-api-key";
    case Format::kGemini:
      return "x-goog-api-key";
    default:
      return "Authorization";
  }
}

std::string AuthHeaderValue(Format format, std::string_view key) {
  if (format == Format::kAnthropic || format == Format::kGemini) return std::string(key);
  return "Bearer " + std::string(key);
}

std::string UpstreamPath(Format format, std::string_view model, bool stream, bool beta) {
  switch (format) {
    case Format::kOpenAIChat:
      return "/chat/completions";
    case Format::kResponses:
      return "/responses";
    case Format::kAnthropic:
      return beta ? "/messages?beta=true" : "/messages";
    case Format::kGemini:
      return "/models/" + std::string(model) +
             (stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
  }
  return "/";
}

std::optional<std::string> CountTokensPath(Format format, std::string_view model) {
  if (format == Format::kAnthropic) return std::string("/messages/count_tokens");
  if (format == Format::kGemini) return "/models/" + std::string(model) + ":countTokens";
  return std::nullopt;
}

}  // namespace omni::providers
