#include "auth/session_manager.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "auth/jwt.h"
#include "core/random.h"

namespace omni::auth {

std::string SessionManager::Issue(int64_t epoch) const {
  int64_t now = clock_.NowUnixMs() / 1000;
  boost::json::object claims{{"sub", "admin"},
                             {"iat", now},
                             {"exp", now + options_.ttl_s},
                             {"ep", epoch},
                             {"jti", RandomHex(8)}};
  return SignJwt(claims, options_.jwt_secret);
}

Result<SessionManager::Session> SessionManager::Verify(std::string_view token, int64_t epoch,
                                                       const RevokedSessions& revoked) const {
  auto claims = VerifyJwt(token, options_.jwt_secret, clock_.NowUnixMs() / 1000);
  if (!claims.ok()) return std::move(claims).error();
  const auto* ep = claims->if_contains("ep");
  if (!ep || !ep->is_int64() || ep->as_int64() != epoch)
    return Error{401, "authentication_error", "session_ended",
                 "session ended (the password was changed)"};
  Session session;
  if (const auto* jti = claims->if_contains("jti"); jti && jti->is_string())
    session.id = std::string(jti->as_string());
  if (const auto* exp = claims->if_contains("exp"); exp && exp->is_int64())
    session.expires_s = exp->as_int64();
  if (session.id.empty() || revoked.Contains(session.id))
    return Error{401, "authentication_error", "session_ended", "session ended (logged out)"};
  return session;
}

std::string SessionManager::SetCookie(const std::string& token) const {
  std::string c = std::string(kCookieName) + "=" + token +
                  "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(options_.ttl_s);
  if (options_.cookie_secure) c += "; Secure";
  return c;
}

std::string SessionManager::ClearCookie() const {
  std::string c = std::string(kCookieName) + "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0";
  if (options_.cookie_secure) c += "; Secure";
  return c;
}

std::string_view SessionManager::TokenFromCookieHeader(std::string_view header) {
  while (!header.empty()) {
    auto semi = header.find(';');
    auto pair = header.substr(0, semi);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    if (pair.size() > kCookieName.size() && pair.starts_with(kCookieName) &&
        pair[kCookieName.size()] == '=')
      return pair.substr(kCookieName.size() + 1);
    if (semi == std::string_view::npos) break;
    header.remove_prefix(semi + 1);
  }
  return {};
}

Result<std::string> LoadOrCreateSecret(const std::string& data_dir, std::string_view file_name,
                                       const std::string& configured,
                                       std::string_view public_default, std::string* warning) {
  if (!configured.empty()) {
    if (configured == public_default && warning)
      *warning =
          "the configured secret is the public default from the user guide; set a long random "
          "value (or unset it to use a generated one)";
    return configured;
  }
  std::string path = data_dir + "/" + std::string(file_name);
  std::ifstream in(path);
  if (in) {
    std::stringstream ss;
    ss << in.rdbuf();
    std::string secret = ss.str();
    while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
    if (secret.size() < 32) return Error::Internal("\"" + path + "\" is too short to be a secret");
    return secret;
  }
  std::string secret = RandomHex(32);
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Error::Internal("cannot create \"" + path + "\": " + std::strerror(errno));
  std::string line = secret + "\n";
  bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return Error::Internal("cannot write \"" + path + "\"");
  return secret;
}

}  // namespace omni::auth
