#pragma once
// UpstreamDialect: how to call a provider that speaks a given wire format — the request
// path, the auth header, version headers — one per *wire protocol*, not per provider
// (DESIGN.md "providers/"). Stateless; thread-safe.
//
//   openai_chat  POST {base}/chat/completions                      Authorization: Bearer
//   responses    POST {base}/responses                              Authorization: Bearer
//   anthropic    POST {base}/messages[?beta=true]                   x-api-key + anthropic-version
//   gemini       POST {base}/models/{model}:generateContent         x-goog-api-key
//                POST {base}/models/{model}:streamGenerateContent?alt=sse

#include <optional>
#include <string>
#include <string_view>

#include "formats/ir.h"

namespace omni::providers {

// The wire format named in catalog.json / a provider node ("openai" is OpenAI Chat).
std::optional<formats::Format> WireFormat(std::string_view name);

// Header that carries the provider key for a format.
std::string_view AuthHeaderName(formats::Format format);
// Its value for a key ("Bearer <key>" or the bare key).
std::string AuthHeaderValue(formats::Format format, std::string_view key);

inline constexpr std::string_view kAnthropicVersion = "2023-06-01";

// Request path below the base URL. `beta` adds Anthropic's ?beta=true (Claude Code sends it).
std::string UpstreamPath(formats::Format format, std::string_view model, bool stream,
                         bool beta = false);

// The path of a token-count request, when the format has one.
std::optional<std::string> CountTokensPath(formats::Format format, std::string_view model);

}  // namespace omni::providers
