// Fuzz target: the bytes a client sends, through what the server does with them before any
// handler runs.
//
//   1. Beast's request_parser with the server's limits (16 KiB of header, a body limit), fed the
//      way ServerConnection feeds it: whole, and again in small pieces, which must agree.
//   2. On what parsed: the credential and address helpers every request goes through:
//      auth::ExtractApiKey (Bearer, x-api-key, x-goog-api-key, api-key, ?key=), PercentDecode,
//      SessionManager::TokenFromCookieHeader, VerifyJwt on the cookie and bearer tokens,
//      ClientIp / IsLoopback / IpAccessList on X-Forwarded-For, CidrSet::Parse, and the CSRF
//      check SameOriginRequest.
//
// Deterministic (fixed clock, fixed secrets) so a crashing input always reproduces. Built two
// ways (tests/fuzz/README.md): with libFuzzer (clang, -fsanitize=fuzzer) for real fuzzing, and
// with fuzz_driver.cc (any compiler) as the `fuzz_http_request_smoke` ctest.
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http.hpp>
#include <boost/version.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/client_credentials.h"
#include "auth/csrf.h"
#include "auth/ip_access.h"
#include "auth/jwt.h"
#include "auth/session_manager.h"

namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

constexpr std::uint32_t kHeaderLimit = 16u << 10;  // ServerOptions::max_header_bytes
constexpr std::uint64_t kBodyLimit = 1u << 20;     // MAX_BODY_MB's minimum
constexpr int64_t kNow = 1'800'000'000;            // fixed "now" for token checks
constexpr std::string_view kSecret = "fuzz-jwt-secret-0123456789abcdef";
// Boost < 1.86 asserts (debug builds only) when put() sees "0\r\n" and then "0\r\n\r" in an
// empty chunked body (boostorg/beast#2861), so any run would soon stop there. On those versions
// the piecewise feed grows the buffer by at least 2 bytes per put(). The server-side effect of
// that bug is tested by SecurityHardeningTest.ChunkedTerminatorSplitAcrossSegments.
#if BOOST_VERSION < 108600
constexpr size_t kMinGrowth = 2;
#else
constexpr size_t kMinGrowth = 1;
#endif

// A crash in the harness itself would be a false finding; a broken invariant is a real one.
void Check(bool ok) {
  if (!ok) std::abort();
}

struct Parsed {
  bool ok = false;
  bhttp::request<bhttp::string_body> req;
};

// Feeds `input` to a fresh parser in pieces of `piece` bytes (0 = all at once), accumulating
// unconsumed bytes like the server's flat_buffer; put_eof at the end, as on a closed socket.
Parsed Parse(std::string_view input, size_t piece) {
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(kHeaderLimit);
  parser.body_limit(kBodyLimit);
  parser.eager(true);
  std::string pending;
  size_t offset = 0;
  beast::error_code ec;
  // Every round either takes more input or consumes pending bytes, so this ends; the bound is
  // a safety net that turns a parser that stops making progress into a finding.
  for (size_t rounds = 0;; ++rounds) {
    Check(rounds <= 2 * input.size() + 8);
    if (offset < input.size()) {
      size_t n = piece == 0 ? input.size() - offset : std::min(piece, input.size() - offset);
      if (kMinGrowth > 1 && input.size() - offset - n == 1) ++n;  // no 1-byte last piece either
      pending.append(input.substr(offset, n));
      offset += n;
    }
    ec = {};
    const size_t used = parser.put(boost::asio::buffer(pending.data(), pending.size()), ec);
    Check(used <= pending.size());
    pending.erase(0, used);
    if (parser.is_done()) break;
    if (ec && ec != bhttp::error::need_more) break;
    const bool stalled = ec == bhttp::error::need_more || used == 0 || pending.empty();
    if (offset >= input.size() && stalled) {
      // The client closed its side (put_eof's precondition: some bytes were parsed).
      if (parser.got_some())
        parser.put_eof(ec);
      else
        ec = bhttp::error::end_of_stream;
      break;
    }
  }
  Parsed out;
  out.ok = !ec && parser.is_done();
  if (out.ok) out.req = parser.release();
  return out;
}

std::string_view Header(const bhttp::request<bhttp::string_body>& req, std::string_view name) {
  auto it = req.find(beast::string_view(name.data(), name.size()));
  if (it == req.end()) return {};
  auto v = it->value();
  return {v.data(), v.size()};
}

// Splits a comma list the way a settings form would ("a, b").
std::vector<std::string> CommaList(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty() && out.size() < 64) {
    auto comma = text.find(',');
    out.emplace_back(text.substr(0, comma));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

void ExerciseAuth(const bhttp::request<bhttp::string_body>& req) {
  auto target = req.target();
  const std::string_view t(target.data(), target.size());
  const std::string_view query =
      t.find('?') == std::string_view::npos ? std::string_view() : t.substr(t.find('?') + 1);
  auto method = req.method_string();

  auto key =
      omni::auth::ExtractApiKey([&req](std::string_view name) { return Header(req, name); }, query);
  if (key) {
    Check(!key->key.empty());
    (void)omni::auth::VerifyJwt(key->key, kSecret, kNow);
  }
  if (auto decoded = omni::auth::PercentDecode(query)) Check(decoded->size() <= query.size());

  const std::string_view cookie = Header(req, "Cookie");
  const std::string_view token = omni::auth::SessionManager::TokenFromCookieHeader(cookie);
  Check(token.empty() || (token.data() >= cookie.data() &&
                          token.data() + token.size() <= cookie.data() + cookie.size()));
  auto claims = omni::auth::VerifyJwt(token, kSecret, kNow);
  Check(claims.ok() || claims.error().status == 401);

  static const auto trusted =
      omni::auth::CidrSet::Parse(std::vector<std::string>{"127.0.0.1/32", "10.0.0.0/8", "::1"});
  Check(trusted.ok());
  const std::string_view xff = Header(req, "X-Forwarded-For");
  const std::string ip = omni::auth::ClientIp("127.0.0.1", xff, trusted.value());
  (void)omni::auth::IsLoopback(ip);
  if (auto parsed = omni::auth::ParseIp(ip)) {
    // Canonical form round-trips.
    auto again = omni::auth::ParseIp(omni::auth::FormatIp(*parsed));
    Check(again && *again == *parsed);
  }
  const auto list = CommaList(xff);
  auto acl = omni::auth::IpAccessList::Parse(list, list);
  // The same list as allow and deny list: deny wins, so nothing it contains is allowed.
  if (acl.ok()) Check(!acl->Allowed(ip) || !omni::auth::CidrSet::Parse(list)->Contains(ip));

  (void)omni::auth::SameOriginRequest(std::string_view(method.data(), method.size()),
                                      Header(req, "Origin"), Header(req, "Referer"),
                                      Header(req, "Host"), Header(req, "Sec-Fetch-Site"), true);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  Parsed whole = Parse(input, 0);
  if (size <= 4096) {
    // Incremental parsing must reach the same answer (the server sees TCP segments, not requests).
    const size_t piece = kMinGrowth + (size % 7);
    Parsed pieces = Parse(input, piece);
    Check(whole.ok == pieces.ok);
    if (whole.ok) {
      Check(whole.req.method_string() == pieces.req.method_string());
      Check(whole.req.target() == pieces.req.target());
      Check(whole.req.body() == pieces.req.body());
    }
  }
  if (whole.ok) ExerciseAuth(whole.req);
  return 0;
}
