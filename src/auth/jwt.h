#pragma once
// HS256 JSON Web Tokens for the dashboard session cookie (DESIGN.md "Security": JWT_SECRET).
//
// Deliberately narrow: one algorithm, one header. VerifyJwt accepts only the exact header
// {"alg":"HS256","typ":"JWT"}, so the classic algorithm-confusion attacks ("alg":"none", RS256
// with the HMAC secret as public key) have nothing to negotiate. Every token must carry `exp`:
// a session that never expires is a bug, not a feature.
//
// Errors are 401 values with type "authentication_error" and one of these codes:
//   token_malformed      not three base64url segments, bad JSON, wrong header, missing/invalid exp
//   token_bad_signature  signature does not match (wrong secret or tampered header/payload)
//   token_expired        exp <= now
//   token_not_yet_valid  nbf > now
// Messages never echo the token or the secret.
//
// Ownership: pure functions; the returned claims object is owned by the caller.
// Thread-safety: safe to call concurrently.

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace omni::auth {

// Tokens longer than this are rejected before any work: a session cookie is a few hundred bytes.
inline constexpr size_t kMaxJwtLength = 8192;

// header.payload.signature, each base64url without padding. `claims` is serialised as given
// (the caller sets exp/iat/sub). Precondition: secret is non-empty (throws std::invalid_argument
// otherwise: signing with an empty key is a configuration bug caught at startup).
std::string SignJwt(const boost::json::object& claims, std::string_view secret);

// Checks structure, header, signature (constant time), then exp (required; valid while
// now < exp) and nbf (optional; valid once nbf <= now). Returns the claims on success.
// An empty secret verifies nothing (token_bad_signature).
Result<boost::json::object> VerifyJwt(std::string_view token, std::string_view secret,
                                      int64_t now_unix_s);

// base64url (RFC 4648 §5) without padding; exposed for tests and other token formats.
std::string Base64UrlEncode(std::string_view bytes);
// Strict decode: no padding, no whitespace, alphabet [A-Za-z0-9-_] only, unused trailing bits
// must be zero (so every byte string has exactly one accepted encoding). Error on violation.
Result<std::string> Base64UrlDecode(std::string_view text);

}  // namespace omni::auth
