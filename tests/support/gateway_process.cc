#include "gateway_process.h"

#include <signal.h>

#include <stdexcept>

#ifndef OMNI_BINARY_PATH
#error "OMNI_BINARY_PATH must be defined by the build (tests/CMakeLists.txt)"
#endif

namespace omni::testing {
namespace {

constexpr std::string_view kReadyMarker = "omniroute ready on http://";

}  // namespace

uint16_t ParsePortFromReadyLine(std::string_view line) {
  while (!line.empty() && (line.back() == ' ' || line.back() == '\r' || line.back() == '/')) {
    line.remove_suffix(1);
  }
  size_t colon = line.rfind(':');
  if (colon == std::string_view::npos || colon + 1 >= line.size()) return 0;
  unsigned port = 0;
  for (char c : line.substr(colon + 1)) {
    if (c < '0' || c > '9') return 0;
    port = port * 10 + static_cast<unsigned>(c - '0');
    if (port > 65535) return 0;
  }
  return static_cast<uint16_t>(port);
}

GatewayProcess::GatewayProcess() : GatewayProcess(GatewayOptions{}) {}

GatewayProcess::GatewayProcess(GatewayOptions options) {
  if (options.data_dir.empty()) {
    owned_dir_.emplace("omni-gateway-");
    data_dir_ = owned_dir_->path();
  } else {
    data_dir_ = options.data_dir;
  }
  std::vector<std::string> argv = {OMNI_BINARY_PATH, "--host",    "127.0.0.1",
                                   "--port",         "0",         "--data-dir",
                                   data_dir_,        "--workers", std::to_string(options.workers)};
  argv.insert(argv.end(), options.args.begin(), options.args.end());
  std::optional<std::string> stderr_path;
  if (!options.stderr_path.empty()) stderr_path = options.stderr_path;
  process_ = Subprocess::Start(argv, options.env, data_dir_, stderr_path);

  std::optional<std::string> line = process_->ReadLineMatching(kReadyMarker, options.ready_timeout);
  if (line) port_ = ParsePortFromReadyLine(*line);
  if (!line || port_ == 0) {
    std::string why = line                  ? "unparseable ready line '" + *line + "'"
                      : process_->Running() ? "no ready line in time"
                                            : "it exited early";
    std::string stdout_text = process_->StdoutContents();
    process_->Kill();
    throw std::runtime_error("omniroute did not start (" + why + ")\nstdout:\n" + stdout_text +
                             "\nstderr:\n" + process_->StderrContents());
  }
  ready_line_ = *line;
  if (options.login) {
    auto client = AnonymousClient();
    HttpResponse res =
        client.Post("/api/auth/login", "{\"password\":\"" + options.password + "\"}");
    std::string cookie = res.Header("set-cookie");
    if (res.status != 200 || cookie.empty()) {
      throw std::runtime_error("login to omniroute failed: " + std::to_string(res.status) + " " +
                               res.body + res.error);
    }
    session_cookie_ = cookie.substr(0, cookie.find(';'));
  }
}

GatewayProcess::~GatewayProcess() {
  // Kill before the data dir (if owned) is removed underneath a running process.
  if (process_) process_->Kill();
}

std::string GatewayProcess::BaseUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }

HttpClient GatewayProcess::Client(HttpClientOptions options) const {
  if (!session_cookie_.empty()) {
    options.default_headers.emplace_back("Cookie", session_cookie_);
    options.default_headers.emplace_back("Origin", BaseUrl());
  }
  return HttpClient("127.0.0.1", port_, std::move(options));
}

HttpClient GatewayProcess::AnonymousClient(HttpClientOptions options) const {
  return HttpClient("127.0.0.1", port_, std::move(options));
}

ExitStatus GatewayProcess::Stop(std::chrono::milliseconds timeout) {
  process_->Signal(SIGTERM);
  std::optional<ExitStatus> status = process_->Wait(timeout);
  return status ? *status : process_->Kill();
}

}  // namespace omni::testing
