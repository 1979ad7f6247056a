// omniroute: flags + environment + .env → Config; open the store; serve; drain on
// SIGTERM/SIGINT and flush the store before exiting.
#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "admin/admin_api.h"
#include "core/config.h"
#include "core/logging.h"
#include "core/version.h"
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

  const auto& catalog = omni::providers::Catalog::BuiltIn();
  omni::routing::SnapshotHolder snapshots;
  omni::http::UpstreamTimeouts timeouts{config.upstream_connect_timeout_ms,
                                        config.upstream_first_byte_timeout_ms,
                                        config.upstream_idle_timeout_ms,
                                        config.upstream_total_timeout_ms};
  omni::admin::AdminApi admin(**store, snapshots, catalog, timeouts);
  if (auto st = admin.Publish(); !st.ok()) return Fail(st.error().message);
  omni::gateway::Gateway gateway({timeouts, config.enable_request_logs}, snapshots);

  omni::http::Router router;
  gateway.RegisterRoutes(router);
  admin.RegisterRoutes(router);

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
  omni::http::Server server(server_options,
                            [&router](omni::http::Exchange& ex) { return router.Dispatch(ex); });
  if (auto st = server.Start(); !st.ok()) return Fail(st.error().message);

  auto ready_us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0).count();
  std::string shown_host = config.host.find(':') != std::string::npos ? "[" + config.host + "]" : config.host;
  std::printf("omniroute ready on http://%s:%d\n", shown_host.c_str(), server.port());
  std::fflush(stdout);
  spdlog::info("OmniRoute {} listening on {}:{} ({} workers, data in {}, ready in {} us)", omni::kVersion,
               config.host, server.port(), config.workers, config.data_dir, ready_us);

  int sig = 0;
  sigwait(&signals, &sig);
  spdlog::info("received {}, draining (up to {} ms)", sig == SIGINT ? "SIGINT" : "SIGTERM",
               config.shutdown_timeout_ms);
  server.Stop();
  server.Wait();
  if (auto st = (*store)->Flush(); !st.ok()) spdlog::error("store flush failed: {}", st.error().message);
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
