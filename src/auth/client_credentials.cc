#include "auth/client_credentials.h"

namespace omni::auth {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// "Bearer <token>" (RFC 6750; scheme is case-insensitive, RFC 9110 §11.1). Other schemes
// (Basic, Digest) are not ours: an empty view lets the next style be tried.
std::string_view BearerToken(std::string_view authorization) {
  authorization = Trim(authorization);
  constexpr std::string_view kScheme = "bearer";
  if (authorization.size() <= kScheme.size() ||
      !EqualsIgnoreCase(authorization.substr(0, kScheme.size()), kScheme)) {
    return {};
  }
  char sep = authorization[kScheme.size()];
  if (sep != ' ' && sep != '\t') return {};
  return Trim(authorization.substr(kScheme.size() + 1));
}

// The raw (still encoded) value of the first `name=` parameter in the query string.
std::optional<std::string_view> QueryParam(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    size_t eq = pair.find('=');
    std::string_view key = pair.substr(0, eq);
    if (key == name) {
      return eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;  // need two characters after the %
    int hi = HexValue(text[i + 1]), lo = HexValue(text[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

std::optional<PresentedKey> ExtractApiKey(const HeaderLookup& header, std::string_view query) {
  if (std::string_view bearer = BearerToken(header("authorization")); !bearer.empty()) {
    return PresentedKey{std::string(bearer), CredentialSource::kBearer};
  }
  struct HeaderStyle {
    std::string_view name;
    CredentialSource source;
  };
  static constexpr HeaderStyle kHeaderStyles[] = {
      {"x-api-key", CredentialSource::kXApiKey},
      {"x-goog-api-key", CredentialSource::kXGoogApiKey},
      {"api-key", CredentialSource::kAzureApiKey},
  };
  for (const auto& style : kHeaderStyles) {
    if (std::string_view v = Trim(header(style.name)); !v.empty()) {
      return PresentedKey{std::string(v), style.source};
    }
  }
  if (auto raw = QueryParam(query, "key"); raw && !raw->empty()) {
    auto decoded = PercentDecode(*raw);
    if (decoded && !decoded->empty()) {
      return PresentedKey{std::move(*decoded), CredentialSource::kQueryKey};
    }
  }
  return std::nullopt;
}

}  // namespace omni::auth
