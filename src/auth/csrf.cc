#include "auth/csrf.h"

#include <string>

namespace omni::auth {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool IsSafeMethod(std::string_view method) {
  // Method names are case-sensitive (RFC 9110 §9.1): "get" is not GET and gets checked.
  return method == "GET" || method == "HEAD" || method == "OPTIONS" || method == "TRACE";
}

// Lowercased authority with the scheme's default port removed, so "A.com:443" and "a.com" agree
// under https. The port is only stripped when it is the default of *this* scheme.
std::string CanonicalAuthority(std::string_view authority, std::string_view scheme) {
  std::string out = Lower(authority);
  std::string_view default_port = scheme == "https" ? ":443" : ":80";
  if (out.size() > default_port.size() && out.ends_with(default_port)) {
    out.resize(out.size() - default_port.size());
  }
  return out;
}

// Splits "scheme://authority[/...]" into its scheme and authority; false when it is not an
// http(s) URL with a non-empty authority free of userinfo.
bool SplitOrigin(std::string_view url, std::string& scheme, std::string_view& authority) {
  size_t sep = url.find("://");
  if (sep == std::string_view::npos) return false;
  scheme = Lower(url.substr(0, sep));
  if (scheme != "http" && scheme != "https") return false;
  std::string_view rest = url.substr(sep + 3);
  authority = rest.substr(0, rest.find_first_of("/?#"));
  return !authority.empty() && authority.find('@') == std::string_view::npos;
}

bool OriginMatchesHost(std::string_view origin_or_url, std::string_view host) {
  host = Trim(host);
  if (host.empty()) return false;
  std::string scheme;
  std::string_view authority;
  if (!SplitOrigin(Trim(origin_or_url), scheme, authority)) return false;
  return CanonicalAuthority(authority, scheme) == CanonicalAuthority(host, scheme);
}

}  // namespace

bool SameOriginRequest(std::string_view method, std::string_view origin, std::string_view referer,
                       std::string_view host, std::string_view sec_fetch_site,
                       bool cookie_session) {
  if (IsSafeMethod(method)) return true;
  sec_fetch_site = Trim(sec_fetch_site);
  if (sec_fetch_site == "same-origin" || sec_fetch_site == "none") return true;
  if (sec_fetch_site == "cross-site") return false;
  origin = Trim(origin);
  referer = Trim(referer);
  if (!origin.empty()) return OriginMatchesHost(origin, host);  // "null" fails to parse: refused
  if (!referer.empty()) return OriginMatchesHost(referer, host);
  return !cookie_session;
}

}  // namespace omni::auth
