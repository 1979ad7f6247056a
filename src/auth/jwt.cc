#include "auth/jwt.h"

#include <openssl/crypto.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cmath>
#include <stdexcept>

#include "auth/hmac_sha256.h"

namespace omni::auth {
namespace {

// The only header we emit and the only one we accept. Fixed text keeps SignJwt byte-stable.
constexpr std::string_view kHeaderJson = R"({"alg":"HS256","typ":"JWT"})";

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int DecodeChar(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

Error Unauthorized(std::string code, std::string message) {
  return {401, "authentication_error", std::move(code), std::move(message)};
}

Error Malformed(std::string message) { return Unauthorized("token_malformed", std::move(message)); }

std::string SigningInput(std::string_view header_b64, std::string_view payload_b64) {
  std::string input;
  input.reserve(header_b64.size() + 1 + payload_b64.size());
  input.append(header_b64).append(".").append(payload_b64);
  return input;
}

// Decodes a segment that must hold a JSON object; token_malformed otherwise.
Result<boost::json::object> DecodeJsonObject(std::string_view segment, const char* what) {
  auto bytes = Base64UrlDecode(segment);
  if (!bytes.ok()) return Malformed(std::string(what) + " is not valid base64url");
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(*bytes, ec);
  if (ec || !v.is_object()) return Malformed(std::string(what) + " is not a JSON object");
  return std::move(v.as_object());
}

// NumericDate (RFC 7519 §2) may be any JSON number; non-integers are floored so a
// fractional exp never extends validity. Returns false for non-numbers and non-finite values.
bool ReadNumericDate(const boost::json::value& v, int64_t& out) {
  if (v.is_int64()) {
    out = v.as_int64();
    return true;
  }
  if (v.is_uint64()) {
    // Far-future dates beyond int64 clamp instead of wrapping negative.
    out = v.as_uint64() > static_cast<uint64_t>(INT64_MAX) ? INT64_MAX
                                                           : static_cast<int64_t>(v.as_uint64());
    return true;
  }
  if (v.is_double()) {
    double d = v.as_double();
    if (!std::isfinite(d)) return false;
    // Clamp first: converting an out-of-range double to int64 is undefined behaviour.
    constexpr double kLimit = 9.2e18;
    out = d >= kLimit ? INT64_MAX : d <= -kLimit ? INT64_MIN : static_cast<int64_t>(std::floor(d));
    return true;
  }
  return false;
}

}  // namespace

std::string Base64UrlEncode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t n = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  size_t rest = bytes.size() - i;
  if (rest == 1) {
    uint32_t n = uint8_t(bytes[i]) << 16;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
  } else if (rest == 2) {
    uint32_t n = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
  }
  return out;
}

Result<std::string> Base64UrlDecode(std::string_view text) {
  // A single leftover character carries only 6 bits: no byte can end there.
  if (text.size() % 4 == 1) return Error::InvalidRequest("bad base64url length", "bad_base64url");
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int d = DecodeChar(c);
    if (d < 0) return Error::InvalidRequest("bad base64url character", "bad_base64url");
    acc = (acc << 6) | uint32_t(d);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  // Leftover bits must be zero, otherwise "AB" and "AC" would both decode to the same byte and
  // a token could be re-encoded into a different string with the same signature.
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) {
    return Error::InvalidRequest("non-canonical base64url", "bad_base64url");
  }
  return out;
}

std::string SignJwt(const boost::json::object& claims, std::string_view secret) {
  if (secret.empty()) throw std::invalid_argument("SignJwt: empty secret");
  std::string header_b64 = Base64UrlEncode(kHeaderJson);
  std::string payload_b64 = Base64UrlEncode(boost::json::serialize(claims));
  std::string token = SigningInput(header_b64, payload_b64);
  Sha256Digest sig = HmacSha256(secret, token);
  token += '.';
  token += Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(sig.data()), sig.size()));
  return token;
}

Result<boost::json::object> VerifyJwt(std::string_view token, std::string_view secret,
                                      int64_t now_unix_s) {
  if (token.empty() || token.size() > kMaxJwtLength) return Malformed("token has a bad length");
  size_t dot1 = token.find('.');
  if (dot1 == std::string_view::npos) return Malformed("token must have three segments");
  size_t dot2 = token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
    return Malformed("token must have three segments");
  }
  std::string_view header_b64 = token.substr(0, dot1);
  std::string_view payload_b64 = token.substr(dot1 + 1, dot2 - dot1 - 1);
  std::string_view sig_b64 = token.substr(dot2 + 1);
  if (header_b64.empty() || payload_b64.empty() || sig_b64.empty()) {
    return Malformed("token has an empty segment");
  }

  // Header first: the algorithm is fixed, so anything else ("none", RS256, extra fields such
  // as "kid"/"jku" that steer key selection elsewhere) is refused before touching the signature.
  auto header = DecodeJsonObject(header_b64, "header");
  if (!header.ok()) return std::move(header).error();
  const auto* alg = header->if_contains("alg");
  const auto* typ = header->if_contains("typ");
  if (header->size() != 2 || alg == nullptr || typ == nullptr || !alg->is_string() ||
      !typ->is_string() || alg->as_string() != "HS256" || typ->as_string() != "JWT") {
    return Malformed("token header must be {\"alg\":\"HS256\",\"typ\":\"JWT\"}");
  }

  auto sig = Base64UrlDecode(sig_b64);
  if (!sig.ok() || sig->size() != Sha256Digest{}.size()) {
    return Malformed("token signature is not a base64url HMAC-SHA256");
  }
  if (secret.empty()) return Unauthorized("token_bad_signature", "token signature is invalid");
  Sha256Digest expected = HmacSha256(secret, SigningInput(header_b64, payload_b64));
  // Constant time so response timing reveals nothing about how many bytes matched.
  if (CRYPTO_memcmp(expected.data(), sig->data(), expected.size()) != 0) {
    return Unauthorized("token_bad_signature", "token signature is invalid");
  }

  // Only signed payloads get parsed beyond this point.
  auto claims = DecodeJsonObject(payload_b64, "payload");
  if (!claims.ok()) return std::move(claims).error();

  const auto* exp_v = claims->if_contains("exp");
  int64_t exp = 0;
  if (exp_v == nullptr) return Malformed("token has no exp claim");
  if (!ReadNumericDate(*exp_v, exp)) return Malformed("token exp is not a number");
  if (now_unix_s >= exp) return Unauthorized("token_expired", "token has expired");

  if (const auto* nbf_v = claims->if_contains("nbf")) {
    int64_t nbf = 0;
    if (!ReadNumericDate(*nbf_v, nbf)) return Malformed("token nbf is not a number");
    if (nbf > now_unix_s) return Unauthorized("token_not_yet_valid", "token is not valid yet");
  }
  return std::move(claims).value();
}

}  // namespace omni::auth
