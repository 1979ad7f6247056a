#include "core/config.h"

#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

#include "core/version.h"

extern char** environ;

namespace omni {
namespace {

std::string Trim(std::string s) {
  const char* ws = " \t\r\n";
  s.erase(0, s.find_first_not_of(ws));
  s.erase(s.find_last_not_of(ws) + 1);
  return s;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return {};
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Reads settings from the environment and .env values, validating each one.
class SettingReader {
 public:
  SettingReader(const std::map<std::string, std::string>& env,
                const std::map<std::string, std::string>& dotenv)
      : env_(env), dotenv_(dotenv) {}

  std::optional<std::string> Get(const char* key) const {
    if (auto it = env_.find(key); it != env_.end()) return it->second;
    if (auto it = dotenv_.find(key); it != dotenv_.end()) return it->second;
    return std::nullopt;
  }
  void String(const char* key, std::string& out) const {
    if (auto v = Get(key)) out = *v;
  }
  void Int(const char* key, int& out, int lo, int hi) {
    auto v = Get(key);
    if (!v) return;
    int parsed = 0;
    auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), parsed);
    if (ec != std::errc() || p != v->data() + v->size() || parsed < lo || parsed > hi) {
      Fail(std::string(key) + "=\"" + *v + "\" is not a whole number from " + std::to_string(lo) +
           " to " + std::to_string(hi));
      return;
    }
    out = parsed;
  }
  void Bool(const char* key, bool& out) {
    auto v = Get(key);
    if (!v) return;
    if (*v == "true" || *v == "1" || *v == "yes" || *v == "on") {
      out = true;
    } else if (*v == "false" || *v == "0" || *v == "no" || *v == "off" || v->empty()) {
      out = false;
    } else {
      Fail(std::string(key) + "=\"" + *v + "\" is not true or false");
    }
  }
  void Fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
  }
  const std::string& error() const { return error_; }

 private:
  const std::map<std::string, std::string>& env_;
  const std::map<std::string, std::string>& dotenv_;
  std::string error_;
};

bool ValidLogLevel(const std::string& level) {
  for (const char* l : {"trace", "debug", "info", "warn", "error", "off"})
    if (level == l) return true;
  return false;
}

}  // namespace

std::map<std::string, std::string> ParseDotEnv(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    line = Trim(line);
    if (line.empty() || line[0] == '#') continue;
    if (line.rfind("export ", 0) == 0) line = Trim(line.substr(7));
    auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string key = Trim(line.substr(0, eq));
    std::string value = Trim(line.substr(eq + 1));
    // A quoted value ends at its closing quote; anything after it (an inline comment) is dropped.
    const bool quoted = !value.empty() && (value.front() == '"' || value.front() == '\'');
    const size_t close = quoted ? value.find(value.front(), 1) : std::string::npos;
    if (close != std::string::npos) {
      value = value.substr(1, close - 1);
    } else if (auto hash = value.find(" #"); hash != std::string::npos) {
      value = Trim(value.substr(0, hash));  // inline comment after an unquoted value
    }
    if (!key.empty()) out[key] = value;
  }
  return out;
}

std::map<std::string, std::string> ProcessEnvironment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    const char* eq = std::strchr(*e, '=');
    if (eq) env.emplace(std::string(*e, static_cast<size_t>(eq - *e)), std::string(eq + 1));
  }
  return env;
}

ConfigOrExit LoadConfig(int argc, const char* const* argv,
                        const std::map<std::string, std::string>& env, const std::string& home,
                        const std::string& cwd_env_path) {
  ConfigOrExit result;
  Config& c = result.config;
  c.data_dir = (home.empty() ? std::string(".") : home) + "/.omniroute";

  // Flags first, so --help/--version and flag errors win over anything in the environment.
  CLI::App app{"OmniRoute — a self-hosted AI gateway (OpenAI / Anthropic / Gemini compatible)",
               "omniroute"};
  std::optional<int> port, workers;
  std::optional<std::string> host, data_dir, log_level;
  bool version = false;
  app.add_option("--port,-p", port, "Port to listen on (env PORT, default 20128; 0 = any)")
      ->check(CLI::Range(0, 65535));
  app.add_option("--host", host, "Address to bind (env HOSTNAME, default 127.0.0.1)");
  app.add_option("--data-dir", data_dir, "Data directory (env DATA_DIR, default ~/.omniroute)");
  app.add_option("--workers", workers, "Worker threads (env OMNIROUTE_WORKERS, default: cores)")
      ->check(CLI::Range(1, 256));
  app.add_option("--log-level", log_level, "trace|debug|info|warn|error|off (env LOG_LEVEL)");
  app.add_flag("--version,-v", version, "Print the version and exit");
  app.footer(
      "Environment: PORT HOSTNAME DATA_DIR JWT_SECRET INITIAL_PASSWORD API_KEY_SECRET\n"
      "REQUIRE_API_KEY ENABLE_REQUEST_LOGS AUTH_COOKIE_SECURE BASE_URL CLOUD_URL\n"
      "OMNIROUTE_MEMORY_MB PROMPT_CACHE_MAX_SIZE SEMANTIC_CACHE_MAX_SIZE LOG_LEVEL MAX_BODY_MB\n"
      "UPSTREAM_CA_FILE UPSTREAM_*_TIMEOUT_MS — see README.md. .env files are read from\n"
      "~/.omniroute/.env and ./.env; flags > environment > .env > defaults.");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    result.should_exit = true;
    result.exit = {0, app.help()};
    return result;
  } catch (const CLI::ParseError& e) {
    result.should_exit = true;
    result.exit = {2, std::string("omniroute: ") + e.what() + " (see --help)"};
    return result;
  }
  if (version) {
    result.should_exit = true;
    result.exit = {0, std::string("omniroute ") + kVersion};
    return result;
  }

  std::map<std::string, std::string> dotenv;
  if (!home.empty()) dotenv = ParseDotEnv(ReadFile(home + "/.omniroute/.env"));
  for (auto& [k, v] : ParseDotEnv(ReadFile(cwd_env_path))) dotenv[k] = v;

  SettingReader r(env, dotenv);
  r.Int("OMNIROUTE_PORT", c.port, 0, 65535);
  r.Int("PORT", c.port, 0, 65535);
  r.String("HOSTNAME", c.host);
  r.String("DATA_DIR", c.data_dir);
  r.Int("OMNIROUTE_WORKERS", c.workers, 0, 256);
  r.String("LOG_LEVEL", c.log_level);
  r.String("BASE_URL", c.base_url);
  r.String("CLOUD_URL", c.cloud_url);
  int body_mb = static_cast<int>(c.max_body_bytes >> 20);
  r.Int("MAX_BODY_MB", body_mb, 1, 4096);
  c.max_body_bytes = static_cast<size_t>(body_mb) << 20;
  r.Int("HEADER_TIMEOUT_MS", c.header_timeout_ms, 100, 3'600'000);
  r.Int("IDLE_TIMEOUT_MS", c.idle_timeout_ms, 100, 86'400'000);
  r.Int("SHUTDOWN_TIMEOUT_MS", c.shutdown_timeout_ms, 0, 3'600'000);
  r.Int("UPSTREAM_CONNECT_TIMEOUT_MS", c.upstream_connect_timeout_ms, 1, 3'600'000);
  r.Int("UPSTREAM_FIRST_BYTE_TIMEOUT_MS", c.upstream_first_byte_timeout_ms, 1, 86'400'000);
  r.Int("UPSTREAM_IDLE_TIMEOUT_MS", c.upstream_idle_timeout_ms, 1, 86'400'000);
  r.Int("UPSTREAM_TOTAL_TIMEOUT_MS", c.upstream_total_timeout_ms, 1, 86'400'000);
  r.String("UPSTREAM_CA_FILE", c.upstream_ca_file);
  r.String("JWT_SECRET", c.jwt_secret);
  r.String("INITIAL_PASSWORD", c.initial_password);
  r.String("API_KEY_SECRET", c.api_key_secret);
  r.Bool("REQUIRE_API_KEY", c.require_api_key);
  r.Bool("AUTH_COOKIE_SECURE", c.auth_cookie_secure);
  r.Bool("ENABLE_REQUEST_LOGS", c.enable_request_logs);
  r.Int("SESSION_TTL_HOURS", c.session_ttl_hours, 1, 24 * 365);
  r.Int("MAX_CONNECTIONS", c.max_connections, 16, 1'000'000);
  if (auto hosts = r.Get("ALLOWED_HOSTS")) {
    std::stringstream list(*hosts);
    for (std::string h; std::getline(list, h, ',');)
      if (!(h = Trim(h)).empty()) c.allowed_hosts.push_back(h);
  }
  r.Int("OMNIROUTE_MEMORY_MB", c.memory_mb, 64, 16384);
  r.Int("PROMPT_CACHE_MAX_SIZE", c.prompt_cache_max_size, 0, 1'000'000);
  r.Int("SEMANTIC_CACHE_MAX_SIZE", c.semantic_cache_max_size, 0, 1'000'000);

  if (port) c.port = *port;
  if (host) c.host = *host;
  if (data_dir) c.data_dir = *data_dir;
  if (workers) c.workers = *workers;
  if (log_level) c.log_level = *log_level;

  if (!ValidLogLevel(c.log_level))
    r.Fail("log level \"" + c.log_level + "\" is not one of trace|debug|info|warn|error|off");
  if (c.host.empty()) r.Fail("host must not be empty");
  if (c.data_dir.empty()) r.Fail("data directory must not be empty");
  if (!c.upstream_ca_file.empty() && access(c.upstream_ca_file.c_str(), R_OK) != 0)
    r.Fail("UPSTREAM_CA_FILE \"" + c.upstream_ca_file + "\" is not readable");
  if (c.workers == 0) c.workers = std::max(1u, std::thread::hardware_concurrency());

  if (!r.error().empty()) {
    result.should_exit = true;
    result.exit = {2, "omniroute: " + r.error()};
  }
  return result;
}

Status PrepareDataDir(const std::string& dir) {
  // Create each missing component (mkdir -p), private to the user.
  for (size_t pos = 1; pos <= dir.size(); ++pos) {
    if (pos != dir.size() && dir[pos] != '/') continue;
    std::string part = dir.substr(0, pos);
    if (mkdir(part.c_str(), 0700) != 0 && errno != EEXIST)
      return Error::Internal("cannot create data directory \"" + dir +
                             "\": " + std::strerror(errno));
  }
  struct stat st {};
  if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return Error::Internal("data directory \"" + dir + "\" is not a directory");
  if (access(dir.c_str(), W_OK | X_OK) != 0)
    return Error::Internal("data directory \"" + dir + "\" is not writable");
  return {};
}

}  // namespace omni
