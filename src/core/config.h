#pragma once
// Config: every runtime setting, with its default next to it (Envoy style).
// Loaded once at start by LoadConfig(); precedence: command-line flags > environment >
// .env files (./.env over ~/.omniroute/.env) > defaults. Immutable after start.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/result.h"

namespace omni {

struct Config {
  // Server
  std::string host = "127.0.0.1";  // HOSTNAME / --host. Loopback unless told otherwise.
  int port = 20128;                // PORT (or OMNIROUTE_PORT) / --port; 0 = any free port
  std::string data_dir;            // DATA_DIR / --data-dir; default ~/.omniroute
  int workers = 0;                 // OMNIROUTE_WORKERS / --workers; 0 = number of cores
  std::string log_level = "info";  // LOG_LEVEL / --log-level: trace|debug|info|warn|error|off
  std::string base_url = "http://localhost:20128";  // BASE_URL
  std::string cloud_url = "https://omniroute.dev";  // CLOUD_URL

  // Limits and timeouts on the client side
  size_t max_body_bytes = 32u << 20;    // MAX_BODY_MB (default 32)
  size_t max_header_bytes = 16u << 10;  // fixed: 16 KiB of request headers
  int header_timeout_ms = 10'000;       // HEADER_TIMEOUT_MS: time to receive a request's headers
  int idle_timeout_ms = 120'000;        // IDLE_TIMEOUT_MS: keep-alive connection idle limit
  int shutdown_timeout_ms = 30'000;     // SHUTDOWN_TIMEOUT_MS: drain limit for in-flight streams

  // Upstream client
  int upstream_connect_timeout_ms = 10'000;  // UPSTREAM_CONNECT_TIMEOUT_MS
  int upstream_first_byte_timeout_ms =
      300'000;                                // UPSTREAM_FIRST_BYTE_TIMEOUT_MS (reasoning is slow)
  int upstream_idle_timeout_ms = 300'000;     // UPSTREAM_IDLE_TIMEOUT_MS between stream chunks
  int upstream_total_timeout_ms = 1'800'000;  // UPSTREAM_TOTAL_TIMEOUT_MS
  std::string upstream_ca_file;               // UPSTREAM_CA_FILE: extra trusted CA (PEM)

  // Security (used by later modules; read here so the one loader owns every variable)
  std::string jwt_secret;                   // JWT_SECRET
  std::string initial_password = "123456";  // INITIAL_PASSWORD
  std::string api_key_secret;               // API_KEY_SECRET (also derives the secret-at-rest key)
  bool require_api_key = false;             // REQUIRE_API_KEY
  bool auth_cookie_secure = false;          // AUTH_COOKIE_SECURE
  bool enable_request_logs = false;         // ENABLE_REQUEST_LOGS
  int session_ttl_hours = 168;              // SESSION_TTL_HOURS: dashboard login lifetime
  int max_connections = 4096;              // MAX_CONNECTIONS: open client connections (all workers)
  std::vector<std::string> allowed_hosts;  // ALLOWED_HOSTS: extra Host names when bound to loopback

  // Memory/caches
  int memory_mb = 512;                // OMNIROUTE_MEMORY_MB: budget for caches and buffers
  int prompt_cache_max_size = 50;     // PROMPT_CACHE_MAX_SIZE
  int semantic_cache_max_size = 100;  // SEMANTIC_CACHE_MAX_SIZE
};

// Outcome of argument parsing when the process should stop right away (--help, --version,
// or an invalid value). exit_code 0 for help/version, 2 for invalid input.
struct ConfigExit {
  int exit_code = 0;
  std::string message;  // printed to stdout (code 0) or stderr (code 2)
};

// Parses a KEY=VALUE .env file text (comments, `export `, quotes). Later keys win.
std::map<std::string, std::string> ParseDotEnv(const std::string& text);

// Builds the Config. `env` is the process environment as a map (tests pass their own);
// `home` locates ~/.omniroute/.env; `cwd_env_path` is ./.env. Returns ConfigExit when the
// process should exit instead of starting.
struct ConfigOrExit {
  Config config;
  bool should_exit = false;
  ConfigExit exit;
};
ConfigOrExit LoadConfig(int argc, const char* const* argv,
                        const std::map<std::string, std::string>& env, const std::string& home,
                        const std::string& cwd_env_path);

// The process environment as a map.
std::map<std::string, std::string> ProcessEnvironment();

// Creates the data directory (0700) when missing and checks it is writable.
Status PrepareDataDir(const std::string& dir);

}  // namespace omni
