#include "dialect.h"

#include <cctype>

#include "anthropic_responder.h"
#include "gemini_responder.h"
#include "openai_responder.h"
#include "responses_responder.h"

namespace omni::mock {
namespace {

constexpr Dialect kOpenAiChat{.parse = ParseChatRequest,
                              .body = CompletionJson,
                              .events = StreamEvents,
                              .stream_array = nullptr,
                              .error = OpenAiStatusError,
                              .models = ModelsListJson};
constexpr Dialect kResponses{.parse = ParseResponsesRequest,
                             .body = ResponsesJson,
                             .events = ResponsesStreamEvents,
                             .stream_array = nullptr,
                             .error = OpenAiStatusError,
                             .models = ModelsListJson};
constexpr Dialect kAnthropic{.parse = ParseAnthropicRequest,
                             .body = AnthropicMessageJson,
                             .events = AnthropicStreamEvents,
                             .stream_array = nullptr,
                             .error = AnthropicError,
                             .models = AnthropicModelsJson};
constexpr Dialect kGemini{.parse = ParseGeminiRequest,
                          .body = GeminiResponseJson,
                          .events = GeminiStreamEvents,
                          .stream_array = GeminiStreamArrayJson,
                          .error = GeminiError,
                          .models = GeminiModelsJson};

constexpr std::string_view kGeminiModels = "/v1beta/models";

// True when `query` has the parameter name=value ("alt=sse" among "key=..&alt=sse").
bool HasQueryParam(std::string_view query, std::string_view param) {
  while (!query.empty()) {
    const size_t amp = query.find('&');
    if (query.substr(0, amp) == param) return true;
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return false;
}

// The model segment of a Gemini path with %XX escapes decoded ("a%2Fb" → "a/b").
std::string PercentDecode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() &&
        std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

Endpoint ClassifyEndpoint(bool is_get, bool is_post, std::string_view path, std::string_view query,
                          bool anthropic_client) {
  Endpoint endpoint;
  if (path.starts_with("/v1beta/") || path == "/v1beta") {
    endpoint.dialect = &kGemini;
    if (path == kGeminiModels) {
      if (is_get) endpoint.kind = EndpointKind::kModels;
      return endpoint;
    }
    // /v1beta/models/{model}:{method}
    if (!is_post || !path.starts_with(kGeminiModels) || path[kGeminiModels.size()] != '/') {
      return endpoint;
    }
    const std::string_view rest = path.substr(kGeminiModels.size() + 1);
    const size_t colon = rest.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return endpoint;
    const std::string_view method = rest.substr(colon + 1);
    if (method != "generateContent" && method != "streamGenerateContent") return endpoint;
    endpoint.kind = EndpointKind::kGenerate;
    endpoint.model = PercentDecode(rest.substr(0, colon));
    endpoint.stream = method == "streamGenerateContent";
    endpoint.sse = HasQueryParam(query, "alt=sse");
    return endpoint;
  }
  const bool anthropic = anthropic_client || path.starts_with("/v1/messages");
  endpoint.dialect = anthropic ? &kAnthropic : &kOpenAiChat;
  if (path == "/v1/models") {
    if (is_get) endpoint.kind = EndpointKind::kModels;
  } else if (is_post && path == "/v1/chat/completions") {
    endpoint.kind = EndpointKind::kGenerate;
    endpoint.dialect = &kOpenAiChat;
  } else if (is_post && path == "/v1/responses") {
    endpoint.kind = EndpointKind::kGenerate;
    endpoint.dialect = &kResponses;
  } else if (is_post && path == "/v1/messages") {
    endpoint.kind = EndpointKind::kGenerate;
    endpoint.dialect = &kAnthropic;
  }
  return endpoint;
}

}  // namespace omni::mock
