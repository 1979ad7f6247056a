#pragma once
// Finds the API key a client presented, in whichever style its SDK uses:
//   Authorization: Bearer <key>   OpenAI SDKs, most tools (scheme name case-insensitive)
//   x-api-key: <key>              Anthropic SDKs
//   x-goog-api-key: <key>         Google GenAI SDKs
//   api-key: <key>                Azure OpenAI SDKs
//   ?key=<key>                    Gemini REST style (percent-decoded)
// The first style present with a non-empty value wins, in the order above. Headers are read
// through a lookup function so this has no dependency on the HTTP classes.
//
// Ownership: returns an owned copy of the key (the query form must be decoded anyway).
// Thread-safety: pure function; safe to call concurrently.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace omni::auth {

// Returns the value of the named header, or an empty view when absent. Names are passed in
// lowercase; the lookup must match header names case-insensitively (HTTP semantics). When a
// header repeats, return the first occurrence.
using HeaderLookup = std::function<std::string_view(std::string_view lowercase_name)>;

enum class CredentialSource { kBearer, kXApiKey, kXGoogApiKey, kAzureApiKey, kQueryKey };

struct PresentedKey {
  std::string key;
  CredentialSource source;
};

// `query` is the raw query string without the leading '?', e.g. "alt=sse&key=abc".
// Surrounding whitespace is trimmed from header values. std::nullopt when no style carries a
// key (or the query value has a broken %-escape): the caller answers 401.
std::optional<PresentedKey> ExtractApiKey(const HeaderLookup& header, std::string_view query);

// Percent-decodes a query component. '+' is kept literally: keys never contain spaces, and
// clients that put a literal '+' into a key unescaped must still authenticate. nullopt when a
// '%' is not followed by two hex digits.
std::optional<std::string> PercentDecode(std::string_view text);

}  // namespace omni::auth
