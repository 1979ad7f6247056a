#pragma once
// A child process for integration tests (fork/exec): stdout is captured through a pipe, stderr
// goes to a file (appended), stdin is /dev/null. Tests wait for readiness by reading stdout lines
// with a deadline instead of sleeping.
//
// A background thread drains stdout continuously (poll() on the pipe plus a wake-up pipe), so a
// chatty child can never block on a full pipe while the test is busy elsewhere; readers wait on a
// condition variable with a deadline.
//
// The child gets PR_SET_PDEATHSIG=SIGKILL, so a crashed or killed test binary leaves no orphans.
// Linux delivers that when the *thread* that started the child exits: start children from a
// thread that lives as long as they should (normally the test's own thread).
//
// Ownership: Subprocess owns the child; the destructor SIGKILLs it if still running and reaps it.
// If the current test has failed, the destructor prints the tail of the child's stderr.
// Thread-safety: all methods may be called from any thread, but Wait/Signal/Kill are meant for
// the owning test thread.

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace omni::testing {

struct ExitStatus {
  int code = -1;   // exit code if the process exited normally, else -1
  int signal = 0;  // the signal that terminated it, else 0

  bool exited_normally() const { return signal == 0 && code >= 0; }
  std::string ToString() const;  // "exit 0", "signal 9"
};

struct RunResult {
  int exit_code = -1;  // exit code; 128 + signal if killed by one; -1 on timeout
  std::string stdout_text;
  std::string stderr_text;
};

class Subprocess {
 public:
  // Starts argv[0] (PATH is searched when it has no '/') with the parent's environment plus
  // `env` (which overrides), in `cwd` if given. stderr is appended to `stderr_path`, or to a fresh
  // temp file that is removed with the Subprocess. Throws std::runtime_error if the program
  // cannot be executed.
  static std::unique_ptr<Subprocess> Start(
      const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {},
      const std::optional<std::string>& cwd = std::nullopt,
      const std::optional<std::string>& stderr_path = std::nullopt);
  ~Subprocess();
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  pid_t pid() const { return pid_; }
  const std::string& StderrPath() const { return stderr_path_; }
  std::string StderrContents() const;
  // Everything the child wrote to stdout so far.
  std::string StdoutContents() const;

  // The next complete stdout line (without the newline) containing `substring`; lines before it
  // are skipped. nullopt if the deadline passes or stdout closes first.
  std::optional<std::string> ReadLineMatching(std::string_view substring,
                                              std::chrono::milliseconds timeout);
  // Waits until the child closed stdout (normally: it exited). False on timeout.
  bool WaitForStdoutEof(std::chrono::milliseconds timeout);

  // Sends a signal; false if the child is already reaped.
  bool Signal(int sig);
  // Waits for the child to exit (poll() on a pidfd). nullopt on timeout (the child keeps running).
  std::optional<ExitStatus> Wait(std::chrono::milliseconds timeout);
  // True until the child has exited and been reaped.
  bool Running();
  // SIGKILL and reap. Returns the final status.
  ExitStatus Kill();

 private:
  struct PrivateTag {};

 public:
  explicit Subprocess(PrivateTag) {}  // use Start(); public only so make_unique can call it

 private:
  void ReaderLoop();
  bool TryReap(bool block);
  void StopReader();

  std::string argv0_;
  pid_t pid_ = -1;
  int pidfd_ = -1;
  int stdout_fd_ = -1;
  int wake_read_fd_ = -1;  // the reader thread polls this too, to stop on demand
  int wake_write_fd_ = -1;
  std::string stderr_path_;
  bool owns_stderr_file_ = false;
  std::optional<ExitStatus> status_;  // set once reaped

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::string stdout_;       // guarded by mu_
  bool stdout_eof_ = false;  // guarded by mu_
  size_t scan_pos_ = 0;      // guarded by mu_; ReadLineMatching resumes here
  std::thread reader_;
};

// Runs a program to completion (or until `timeout`, then kills it) and returns its exit code and
// output. Throws like Subprocess::Start if it cannot run.
RunResult RunToCompletion(const std::vector<std::string>& argv,
                          const std::map<std::string, std::string>& env = {},
                          std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace omni::testing
