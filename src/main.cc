// omniroute: flags + environment + .env → Config; open the store; serve; drain on
// SIGTERM/SIGINT and flush the store before exiting.
#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "admin/admin_api.h"
#include "admin/api_gate.h"
#include "admin/api_keys_api.h"
#include "admin/auth_api.h"
#include "admin/config_publisher.h"
#include "auth/login_limiter.h"
#include "auth/password_hasher.h"
#include "auth/session_manager.h"
#include "core/allocator.h"
#include "core/config.h"
#include "core/logging.h"
#include "core/version.h"
#include "formats/error_body.h"
#include "gateway/client_error.h"
#include "gateway/gateway.h"
#include "http/router.h"
#include "http/server.h"
#include "http/upstream_client.h"
#include "providers/catalog.h"
#include "routing/routing_snapshot.h"
#include "store/secret_box.h"
#include "store/sqlite_store.h"

namespace {

int Fail(const std::string& message) {
  std::fprintf(stderr, "omniroute: %s\n", message.c_str());
  return 2;
}

int Run(int argc, char** argv) {
  const auto t0 = std::chrono::steady_clock::now();
  auto env = omni::ProcessEnvironment();
  const char* home = std::getenv("HOME");
  auto loaded = omni::LoadConfig(argc, argv, env, home ? home : "", ".env");
  if (loaded.should_exit) {
    std::fprintf(loaded.exit.exit_code == 0 ? stdout : stderr, "%s\n", loaded.exit.message.c_str());
    return loaded.exit.exit_code;
  }
  const omni::Config& config = loaded.config;
  omni::InitLogging(config.log_level);

  if (auto st = omni::PrepareDataDir(config.data_dir); !st.ok()) return Fail(st.error().message);
  if (auto st = omni::http::ConfigureUpstreamTls(config.upstream_ca_file); !st.ok())
    return Fail(st.error().message);

  auto box = omni::store::SecretBox::Open(config.data_dir, config.api_key_secret);
  if (!box.ok()) return Fail(box.error().message);
  omni::store::SqliteStoreOptions store_options;
  store_options.data_dir = config.data_dir;
  store_options.box = &*box;
  auto store = omni::store::OpenSqliteStore(store_options);
  if (!store.ok()) return Fail(store.error().message);

  std::string warning;
  auto jwt_secret = omni::auth::LoadOrCreateSecret(config.data_dir, "jwt.secret", config.jwt_secret,
                                                   "omniroute-default-secret-change-me", &warning);
  if (!jwt_secret.ok()) return Fail(jwt_secret.error().message);
  if (!warning.empty())
    spdlog::warn("JWT_SECRET: {}: anyone can forge dashboard sessions", warning);
  warning.clear();
  auto key_secret =
      omni::auth::LoadOrCreateSecret(config.data_dir, "api_key.secret", config.api_key_secret,
                                     "endpoint-proxy-api-key-secret", &warning);
  if (!key_secret.ok()) return Fail(key_secret.error().message);
  if (!warning.empty()) spdlog::warn("API_KEY_SECRET: {}", warning);

  const omni::Clock& clock = omni::SystemClock::Instance();
  const auto& catalog = omni::providers::Catalog::BuiltIn();
  omni::routing::SnapshotHolder routing;
  omni::auth::AuthSnapshotHolder auth;
  omni::admin::ConfigPublisher publisher(**store, catalog, routing, auth, *key_secret);
  if (auto st = publisher.PublishAll(); !st.ok()) return Fail(st.error().message);

  omni::http::UpstreamTimeouts timeouts{
      config.upstream_connect_timeout_ms, config.upstream_first_byte_timeout_ms,
      config.upstream_idle_timeout_ms, config.upstream_total_timeout_ms};
  omni::auth::SessionManager sessions(
      {*jwt_secret, int64_t{config.session_ttl_hours} * 3600, config.auth_cookie_secure}, clock);
  omni::auth::LoginLimiter limiter(clock);
  boost::asio::thread_pool blocking(1);  // password hashing: never on a worker's event loop

  omni::admin::AdminApi admin(**store, publisher, routing, catalog, timeouts);
  omni::admin::AuthApi auth_api(**store, publisher, auth, sessions, limiter,
                                omni::auth::PasswordHasher(), config.initial_password, blocking,
                                clock);
  omni::admin::ApiKeysApi keys_api(**store, *key_secret,
                                   [&publisher] { return publisher.PublishAuth(); });
  omni::gateway::GatewayOptions gateway_options;
  gateway_options.timeouts = timeouts;
  gateway_options.access.require_api_key = config.require_api_key;
  gateway_options.request_logs = config.enable_request_logs;
  omni::gateway::Gateway gateway(gateway_options, routing, auth, clock);

  // Errors raised below the handlers (404, 405, 413, ...) take the shape of the API at that path.
  omni::http::ErrorRenderer render_error = [](std::string_view path, int status,
                                              std::string_view type, std::string_view code,
                                              std::string_view message) {
    omni::Error e{status, std::string(type), std::string(code), std::string(message)};
    return omni::formats::EncodeErrorBody(omni::gateway::FormatForPath(path), e);
  };
  omni::http::Router router;
  router.SetErrorRenderer(render_error);
  gateway.RegisterRoutes(router);
  admin.RegisterRoutes(router);
  auth_api.RegisterRoutes(router);
  keys_api.RegisterRoutes(router);
  const bool loopback_bind = config.host == "127.0.0.1" || config.host == "::1" ||
                             config.host == "localhost" || config.host.rfind("127.", 0) == 0;
  omni::admin::ApiGate gate(router, auth, sessions, clock, loopback_bind, config.allowed_hosts);

  // Block the shutdown signals before any thread starts so only sigwait() below sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  omni::http::ServerOptions server_options;
  server_options.host = config.host;
  server_options.port = config.port;
  server_options.workers = config.workers;
  server_options.max_body_bytes = config.max_body_bytes;
  server_options.max_header_bytes = config.max_header_bytes;
  server_options.header_timeout_ms = config.header_timeout_ms;
  server_options.idle_timeout_ms = config.idle_timeout_ms;
  server_options.drain_timeout_ms = config.shutdown_timeout_ms;
  server_options.max_connections = config.max_connections;
  server_options.error_renderer = render_error;
  omni::http::Server server(server_options,
                            [&gate](omni::http::Exchange& ex) { return gate.Serve(ex); });
  if (auto st = server.Start(); !st.ok()) return Fail(st.error().message);

  auto ready_us =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  std::string shown_host =
      config.host.find(':') != std::string::npos ? "[" + config.host + "]" : config.host;
  std::printf("omniroute ready on http://%s:%d\n", shown_host.c_str(), server.port());
  std::fflush(stdout);
  spdlog::info("OmniRoute {} listening on {}:{} ({} workers, data in {}, ready in {} us, {})",
               omni::kVersion, config.host, server.port(), config.workers, config.data_dir,
               ready_us, omni::AllocatorName());

  int sig = 0;
  sigwait(&signals, &sig);
  spdlog::info("received {}, draining (up to {} ms)", sig == SIGINT ? "SIGINT" : "SIGTERM",
               config.shutdown_timeout_ms);
  server.Stop();
  server.Wait();
  blocking.join();
  if (auto st = (*store)->Flush(); !st.ok())
    spdlog::error("store flush failed: {}", st.error().message);
  spdlog::info("stopped");
  spdlog::shutdown();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {
    // Start-up failures we did not anticipate still end with one clear line, no trace.
    std::fprintf(stderr, "omniroute: fatal: %s\n", e.what());
    return 2;
  }
}
