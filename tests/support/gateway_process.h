#pragma once
// Runs the real omniroute binary (OMNI_BINARY_PATH) for an integration test:
//   omniroute --host 127.0.0.1 --port 0 --data-dir <dir> --workers 2 <extra args>
// and waits for its stdout line "omniroute ready on http://127.0.0.1:PORT", whose port it
// parses. The data dir is either given (so a test can restart a gateway on the same state) or a
// fresh TempDir owned by this object. The working directory is the data dir, so a developer's
// `.env` in the build tree never leaks into tests.
//
// Ownership: owns the process (SIGKILL on destruction if still running; call Stop() to test a
// graceful shutdown) and, when it created it, the data dir.
// Thread-safety: none; call from the test's thread.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http_client.h"
#include "subprocess.h"
#include "temp_dir.h"

namespace omni::testing {

struct GatewayOptions {
  std::string data_dir;                    // empty: a fresh TempDir, removed afterwards
  std::vector<std::string> args;           // extra flags, after the standard ones
  std::map<std::string, std::string> env;  // added to the test's environment
  int workers = 2;
  std::string stderr_path;  // empty: a temp file; set it to append across restarts
  std::chrono::milliseconds ready_timeout{std::chrono::seconds(20)};
  // Log in to the dashboard after start (POST /api/auth/login with `password`) so Client()
  // can call /api/*; tests of authentication itself use AnonymousClient().
  bool login = true;
  std::string password = "123456";  // INITIAL_PASSWORD's default
};

class GatewayProcess {
 public:
  // Throws std::runtime_error (with the gateway's stderr) if it exits or stays silent.
  GatewayProcess();
  explicit GatewayProcess(GatewayOptions options);
  ~GatewayProcess();
  GatewayProcess(const GatewayProcess&) = delete;
  GatewayProcess& operator=(const GatewayProcess&) = delete;

  uint16_t port() const { return port_; }
  // "http://127.0.0.1:PORT"
  std::string BaseUrl() const;
  const std::string& data_dir() const { return data_dir_; }
  const std::string& ready_line() const { return ready_line_; }
  // A new keep-alive client carrying the dashboard session (Cookie) and a same-origin Origin.
  HttpClient Client(HttpClientOptions options = {}) const;
  // A client with no session: what an anonymous script or a remote attacker would send.
  HttpClient AnonymousClient(HttpClientOptions options = {}) const;
  // "omniroute_session=<jwt>" from the login ("" when login was off or failed).
  const std::string& session_cookie() const { return session_cookie_; }

  // SIGTERM, then wait for a graceful exit; SIGKILL after `timeout`. Returns the exit status.
  ExitStatus Stop(std::chrono::milliseconds timeout = std::chrono::seconds(15));
  const std::string& StderrPath() const { return process_->StderrPath(); }
  Subprocess& process() { return *process_; }

 private:
  std::optional<TempDir> owned_dir_;
  std::string data_dir_;
  std::unique_ptr<Subprocess> process_;
  std::string ready_line_;
  std::string session_cookie_;
  uint16_t port_ = 0;
};

// The port at the end of a ready line ("... http://127.0.0.1:PORT"); 0 if there is none.
uint16_t ParsePortFromReadyLine(std::string_view line);

}  // namespace omni::testing
