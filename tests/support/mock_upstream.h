#pragma once
// Runs tools/mock-upstream (OMNI_MOCK_UPSTREAM_PATH) for one test: starts it on a free port,
// waits for its "listening" line, and wraps its control API (/__mock/faults, /__mock/requests,
// /__mock/stats). See tools/mock-upstream/fault_script.h for the fault rule fields.
//
// In TLS mode the mock serves HTTPS with the given certificate and the control calls go over
// TLS too, verified against `ca_cert` for the name `localhost`.
//
// Ownership: owns the mock process (SIGTERM, then SIGKILL, on destruction) and a keep-alive
// control connection. The mock's "connections" stat does not count that control connection.
// Thread-safety: none; call from the test's thread.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http_client.h"
#include "subprocess.h"

namespace omni::testing {

struct MockUpstreamOptions {
  std::string tls_cert;  // with tls_key: serve HTTPS (e.g. from GenerateTestCertificates)
  std::string tls_key;
  std::string ca_cert;  // trust anchor for the control client in TLS mode
  std::vector<std::string> extra_args;
  std::chrono::milliseconds start_timeout{std::chrono::seconds(10)};
};

class MockUpstream {
 public:
  // Throws std::runtime_error (with the mock's stderr) if it does not come up.
  MockUpstream();
  explicit MockUpstream(MockUpstreamOptions options);
  ~MockUpstream();
  MockUpstream(const MockUpstream&) = delete;
  MockUpstream& operator=(const MockUpstream&) = delete;

  uint16_t port() const { return port_; }
  bool tls() const { return !options_.tls_cert.empty(); }
  // What a provider config points at: "http://127.0.0.1:P/v1" or "https://localhost:P/v1".
  std::string BaseUrl() const;
  // A new client talking to the mock directly (same TLS settings as the control client).
  HttpClient NewClient() const;

  // Replaces the fault rules. Accepts {"faults":[...]} or a bare [...] array. Throws if the
  // mock rejects the script, so a typo in a test fails loudly.
  void SetFaults(std::string_view json);
  void ClearFaults();
  // Every /v1 request since the last ClearRequests: {method, target, headers, body}.
  boost::json::array Requests();
  void ClearRequests();
  // {"connections", "accepted", "requests", "aborted_streams", "faults"}.
  boost::json::object Stats();
  void ResetStats();
  // Polls Stats() until stats[key] >= at_least (the mock learns of a client disconnect only when
  // its next write fails, so the count settles a little after the test's own action).
  bool WaitForStat(std::string_view key, int64_t at_least,
                   std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // SIGTERM and wait; returns how the mock exited (a clean exit is "exit 0").
  ExitStatus Stop(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  Subprocess& process() { return *process_; }
  const std::string& StderrPath() const { return process_->StderrPath(); }

 private:
  HttpResponse Control(std::string_view method, std::string_view target,
                       std::string_view body = "");

  MockUpstreamOptions options_;
  std::unique_ptr<Subprocess> process_;
  uint16_t port_ = 0;
  std::unique_ptr<HttpClient> control_;
};

}  // namespace omni::testing
