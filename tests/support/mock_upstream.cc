#include "mock_upstream.h"

#include <signal.h>

#include <boost/json.hpp>
#include <stdexcept>
#include <thread>

#ifndef OMNI_MOCK_UPSTREAM_PATH
#error "OMNI_MOCK_UPSTREAM_PATH must be defined by the build (tests/CMakeLists.txt)"
#endif

namespace omni::testing {
namespace {

constexpr std::string_view kReadyPrefix = "mock-upstream listening on ";

int64_t AsInt(const boost::json::value* v) {
  if (v == nullptr) return 0;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64()) return static_cast<int64_t>(v->as_uint64());
  return 0;
}

}  // namespace

MockUpstream::MockUpstream() : MockUpstream(MockUpstreamOptions{}) {}

MockUpstream::MockUpstream(MockUpstreamOptions options) : options_(std::move(options)) {
  std::vector<std::string> argv = {OMNI_MOCK_UPSTREAM_PATH, "--host", "127.0.0.1", "--port", "0"};
  if (tls()) {
    argv.insert(argv.end(), {"--tls-cert", options_.tls_cert, "--tls-key", options_.tls_key});
  }
  argv.insert(argv.end(), options_.extra_args.begin(), options_.extra_args.end());
  process_ = Subprocess::Start(argv);
  std::optional<std::string> line =
      process_->ReadLineMatching(kReadyPrefix, options_.start_timeout);
  if (!line) {
    throw std::runtime_error("mock-upstream did not start; stderr:\n" + process_->StderrContents());
  }
  port_ = static_cast<uint16_t>(
      std::stoi(line->substr(line->find(kReadyPrefix) + kReadyPrefix.size())));
  control_ = std::make_unique<HttpClient>(NewClient());
}

MockUpstream::~MockUpstream() {
  control_.reset();
  if (process_ && process_->Running()) Stop(std::chrono::seconds(5));
}

std::string MockUpstream::BaseUrl() const {
  // TLS needs a name the certificate holds; plain HTTP uses the address to skip resolution.
  return (tls() ? "https://localhost:" : "http://127.0.0.1:") + std::to_string(port_) + "/v1";
}

HttpClient MockUpstream::NewClient() const {
  HttpClientOptions client_options;
  if (tls()) {
    client_options.tls = true;
    client_options.ca_file = options_.ca_cert;
    client_options.tls_host = "localhost";
  }
  return HttpClient("127.0.0.1", port_, client_options);
}

HttpResponse MockUpstream::Control(std::string_view method, std::string_view target,
                                   std::string_view body) {
  if (!control_) throw std::logic_error("MockUpstream: control call after Stop()");
  HttpResponse response = control_->Request(method, target, body);
  if (!response.error.empty() || response.status != 200) {
    throw std::runtime_error("mock control " + std::string(method) + " " + std::string(target) +
                             " failed: status " + std::to_string(response.status) + " " +
                             response.error + " " + response.body);
  }
  return response;
}

void MockUpstream::SetFaults(std::string_view json) {
  std::string document(json);
  size_t first = document.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && document[first] == '[') {
    document = "{\"faults\":" + document + "}";
  }
  Control("POST", "/__mock/faults", document);
}

void MockUpstream::ClearFaults() { Control("DELETE", "/__mock/faults"); }

boost::json::array MockUpstream::Requests() {
  HttpResponse response = Control("GET", "/__mock/requests");
  return boost::json::parse(response.body).as_array();
}

void MockUpstream::ClearRequests() { Control("DELETE", "/__mock/requests"); }

boost::json::object MockUpstream::Stats() {
  HttpResponse response = Control("GET", "/__mock/stats");
  return boost::json::parse(response.body).as_object();
}

void MockUpstream::ResetStats() { Control("DELETE", "/__mock/stats"); }

bool MockUpstream::WaitForStat(std::string_view key, int64_t at_least,
                               std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    boost::json::object stats = Stats();
    if (AsInt(stats.if_contains(key)) >= at_least) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    // The mock has no change notification; a short poll keeps this cheap and bounded.
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

ExitStatus MockUpstream::Stop(std::chrono::milliseconds timeout) {
  control_.reset();
  process_->Signal(SIGTERM);
  std::optional<ExitStatus> status = process_->Wait(timeout);
  return status ? *status : process_->Kill();
}

}  // namespace omni::testing
