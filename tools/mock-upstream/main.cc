// mock-upstream: a scriptable fake LLM provider (OpenAI chat and Responses, Anthropic, Gemini)
// for tests and benchmarks.
//
//   mock-upstream [--host 127.0.0.1] [--port 0] [--tls-cert FILE --tls-key FILE] [--no-record]
//
// Prints exactly one line "mock-upstream listening on <port>" once it accepts connections (tests
// wait for it instead of sleeping), serves until SIGTERM/SIGINT, then exits 0. See
// mock_server.h for the endpoints and fault_script.h for the fault rules.

#include <sys/resource.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

#include "mock_server.h"

namespace {

constexpr std::string_view kUsage =
    "usage: mock-upstream [--host ADDR] [--port N] [--tls-cert FILE --tls-key FILE] "
    "[--no-record]\n";

// Parses argv into options; returns nullopt (after printing why) on bad flags.
std::optional<omni::mock::MockServerOptions> ParseFlags(int argc, char** argv) {
  omni::mock::MockServerOptions options;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    std::string value;
    bool has_inline_value = false;
    if (size_t eq = arg.find('='); arg.starts_with("--") && eq != std::string_view::npos) {
      value = std::string(arg.substr(eq + 1));
      arg = arg.substr(0, eq);
      has_inline_value = true;
    }
    auto take_value = [&]() -> bool {
      if (has_inline_value) return true;
      if (i + 1 >= argc) {
        std::cerr << "mock-upstream: " << arg << " needs a value\n" << kUsage;
        return false;
      }
      value = argv[++i];
      return true;
    };
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      std::exit(0);
    } else if (arg == "--no-record") {
      options.record = false;
    } else if (arg == "--host") {
      if (!take_value()) return std::nullopt;
      options.host = value;
    } else if (arg == "--port") {
      if (!take_value()) return std::nullopt;
      char* end = nullptr;
      long port = std::strtol(value.c_str(), &end, 10);
      if (end == value.c_str() || *end != '\0' || port < 0 || port > 65535) {
        std::cerr << "mock-upstream: bad --port '" << value << "'\n";
        return std::nullopt;
      }
      options.port = static_cast<uint16_t>(port);
    } else if (arg == "--tls-cert") {
      if (!take_value()) return std::nullopt;
      options.tls_cert = value;
    } else if (arg == "--tls-key") {
      if (!take_value()) return std::nullopt;
      options.tls_key = value;
    } else {
      std::cerr << "mock-upstream: unknown flag '" << arg << "'\n" << kUsage;
      return std::nullopt;
    }
  }
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    std::cerr << "mock-upstream: --tls-cert and --tls-key go together\n";
    return std::nullopt;
  }
  return options;
}

// Benchmarks hold a thousand or more concurrent streams; the default soft limit of 1024
// descriptors would make accept() fail long before the hard limit does.
void RaiseFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::optional<omni::mock::MockServerOptions> options = ParseFlags(argc, argv);
  if (!options) return 2;
  std::signal(SIGPIPE, SIG_IGN);
  RaiseFileLimit();

  boost::asio::io_context io(1);
  std::optional<omni::mock::MockServer> server;
  try {
    server.emplace(io, *options);
  } catch (const std::exception& e) {
    std::cerr << "mock-upstream: cannot start: " << e.what() << std::endl;
    return 1;
  }
  server->Start();

  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&io, &server](const boost::system::error_code& ec, int) {
    if (ec) return;
    server->Stop();
    io.stop();
  });

  std::printf("mock-upstream listening on %u\n", static_cast<unsigned>(server->port()));
  std::fflush(stdout);
  io.run();
  return 0;
}
