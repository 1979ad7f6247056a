#include "auth/csrf.h"

#include <gtest/gtest.h>

namespace omni::auth {
namespace {

struct Case {
  const char* name;
  const char* method;
  const char* origin;
  const char* referer;
  const char* host;
  const char* sec_fetch_site;
  bool cookie_session;
  bool pass;
};

constexpr const char* kHost = "localhost:20128";

// The rule matrix from csrf.h, one row per situation.
const Case kCases[] = {
    // Safe methods always pass, even when obviously cross-site.
    {"GET cross-site", "GET", "https://evil.example", "", kHost, "cross-site", true, true},
    {"HEAD", "HEAD", "https://evil.example", "", kHost, "", true, true},
    {"OPTIONS", "OPTIONS", "https://evil.example", "", kHost, "", true, true},
    {"lowercase get is not GET", "get", "https://evil.example", "", kHost, "", true, false},
    // Origin decides for state-changing methods.
    {"POST same origin", "POST", "http://localhost:20128", "", kHost, "", true, true},
    {"PUT same origin", "PUT", "http://localhost:20128", "", kHost, "", true, true},
    {"PATCH same origin", "PATCH", "http://localhost:20128", "", kHost, "", true, true},
    {"DELETE same origin", "DELETE", "http://localhost:20128", "", kHost, "", true, true},
    {"POST cross origin", "POST", "https://evil.example", "", kHost, "", true, false},
    {"DELETE cross origin", "DELETE", "https://evil.example", "", kHost, "", true, false},
    {"other port", "POST", "http://localhost:3000", "", kHost, "", true, false},
    {"prefix host trick", "POST", "http://localhost:20128.evil.example", "", kHost, "", true,
     false},
    {"host case-insensitive", "POST", "http://LocalHost:20128", "", "LOCALHOST:20128", "", true,
     true},
    {"null origin", "POST", "null", "", kHost, "", true, false},
    {"non-http origin", "POST", "file://localhost:20128", "", kHost, "", true, false},
    {"origin without scheme", "POST", "localhost:20128", "", kHost, "", true, false},
    {"userinfo origin", "POST", "http://user@localhost:20128", "", kHost, "", true, false},
    {"empty host", "POST", "http://localhost:20128", "", "", "", true, false},
    {"ipv6 host", "POST", "http://[::1]:20128", "", "[::1]:20128", "", true, true},
    // Default ports are equivalent to none, but only for the origin's own scheme.
    {"https default port", "POST", "https://omni.example.com", "", "omni.example.com:443", "", true,
     true},
    {"https explicit port", "POST", "https://omni.example.com:443", "", "omni.example.com", "",
     true, true},
    {"http default port", "POST", "http://omni.example.com", "", "omni.example.com:80", "", true,
     true},
    {"http on 443 is not default", "POST", "http://omni.example.com", "", "omni.example.com:443",
     "", true, false},
    {"https vs :80", "POST", "https://omni.example.com", "", "omni.example.com:80", "", true,
     false},
    // Referer's origin stands in when Origin is absent.
    {"referer same origin", "POST", "", "http://localhost:20128/dashboard/keys?x=1", kHost, "",
     true, true},
    {"referer bare origin", "POST", "", "http://localhost:20128", kHost, "", true, true},
    {"referer cross origin", "POST", "", "https://evil.example/localhost:20128", kHost, "", true,
     false},
    {"referer with userinfo", "POST", "", "http://localhost:20128@evil.example/", kHost, "", true,
     false},
    {"origin wins over referer", "POST", "https://evil.example", "http://localhost:20128/", kHost,
     "", true, false},
    // Sec-Fetch-Site is set by the browser and cannot be forged by page scripts.
    {"sfs same-origin behind host-rewriting proxy", "POST", "https://omni.example.com", "",
     "127.0.0.1:20128", "same-origin", true, true},
    {"sfs none (user navigation)", "POST", "", "", kHost, "none", true, true},
    {"sfs cross-site always fails", "POST", "http://localhost:20128", "", kHost, "cross-site", true,
     false},
    {"sfs same-site sibling subdomain", "POST", "https://evil.example.com", "", "omni.example.com",
     "same-site", true, false},
    {"sfs same-site but same origin", "POST", "https://omni.example.com", "", "omni.example.com",
     "same-site", true, true},
    // Neither Origin nor Referer: a script with an admin token passes, a cookie session does not.
    {"script with token", "POST", "", "", kHost, "", false, true},
    {"cookie without origin", "POST", "", "", kHost, "", true, false},
    {"whitespace-only headers", "POST", "  ", " ", kHost, " ", true, false},
};

TEST(SameOriginRequest, Matrix) {
  for (const Case& c : kCases) {
    EXPECT_EQ(SameOriginRequest(c.method, c.origin, c.referer, c.host, c.sec_fetch_site,
                                c.cookie_session),
              c.pass)
        << c.name;
  }
}

}  // namespace
}  // namespace omni::auth
