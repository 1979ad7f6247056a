#include "subprocess.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace omni::testing {
namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void Fail(const std::string& what) {
  throw std::runtime_error(what + ": " + std::strerror(errno));
}

// poll() timeout for a deadline, rounded up so we never wake just before it.
int PollTimeoutMs(Clock::time_point deadline) {
  auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(std::min<int64_t>(left, 60'000));
}

// Child side, between fork and exec: only async-signal-safe calls from here on.
[[noreturn]] void ExecChild(char* const* argv, char* const* envp, const char* cwd, int stdout_fd,
                            int stderr_fd, int error_fd, pid_t parent) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(127);  // the parent died before prctl took effect
  int null_fd = open("/dev/null", O_RDONLY);
  if (null_fd >= 0) dup2(null_fd, STDIN_FILENO);
  dup2(stdout_fd, STDOUT_FILENO);
  dup2(stderr_fd, STDERR_FILENO);
  // The test binary may ignore SIGPIPE or block signals in this thread; exec keeps both, and a
  // gateway with SIGTERM blocked would never drain.
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigaction(SIGPIPE, &dfl, nullptr);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  if (cwd != nullptr && chdir(cwd) != 0) {
    int err = errno;
    (void)!write(error_fd, &err, sizeof(err));
    _exit(127);
  }
  if (std::strchr(argv[0], '/') != nullptr) {
    execve(argv[0], argv, envp);
  } else {
    execvpe(argv[0], argv, envp);
  }
  int err = errno;
  (void)!write(error_fd, &err, sizeof(err));
  _exit(127);
}

std::vector<std::string> MergedEnvironment(const std::map<std::string, std::string>& extra) {
  std::map<std::string, std::string> merged;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view entry(*e);
    size_t eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    merged[std::string(entry.substr(0, eq))] = std::string(entry.substr(eq + 1));
  }
  for (const auto& [k, v] : extra) merged[k] = v;
  std::vector<std::string> out;
  out.reserve(merged.size());
  for (const auto& [k, v] : merged) out.push_back(k + "=" + v);
  return out;
}

std::vector<char*> CStrings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

std::string ReadFileTail(const std::string& path, size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string all = buffer.str();
  return all.size() > max_bytes ? all.substr(all.size() - max_bytes) : all;
}

}  // namespace

std::string ExitStatus::ToString() const {
  if (signal != 0) return "signal " + std::to_string(signal);
  return "exit " + std::to_string(code);
}

std::unique_ptr<Subprocess> Subprocess::Start(const std::vector<std::string>& argv,
                                              const std::map<std::string, std::string>& env,
                                              const std::optional<std::string>& cwd,
                                              const std::optional<std::string>& stderr_path) {
  if (argv.empty()) throw std::invalid_argument("Subprocess::Start: empty argv");
  auto p = std::make_unique<Subprocess>(PrivateTag{});
  p->argv0_ = argv[0];

  int stderr_fd = -1;
  if (stderr_path) {
    p->stderr_path_ = *stderr_path;
    stderr_fd = open(stderr_path->c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (stderr_fd < 0) Fail("open " + *stderr_path);
  } else {
    const char* base = std::getenv("TMPDIR");
    std::string pattern =
        std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/omni-stderr-XXXXXX";
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    stderr_fd = mkostemp(buf.data(), O_APPEND | O_CLOEXEC);
    if (stderr_fd < 0) Fail("mkostemp " + pattern);
    p->stderr_path_ = buf.data();
    p->owns_stderr_file_ = true;
  }

  // Every descriptor is CLOEXEC so children started concurrently by other threads never inherit
  // our pipe ends (which would hold stdout open and hide EOF).
  int out_pipe[2], error_pipe[2], wake_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) Fail("pipe2");
  if (pipe2(error_pipe, O_CLOEXEC) != 0) Fail("pipe2");
  if (pipe2(wake_pipe, O_CLOEXEC) != 0) Fail("pipe2");

  std::vector<std::string> args = argv;
  std::vector<char*> c_args = CStrings(args);
  std::vector<std::string> envs = MergedEnvironment(env);
  std::vector<char*> c_envs = CStrings(envs);
  const char* c_cwd = cwd ? cwd->c_str() : nullptr;
  pid_t parent = getpid();

  pid_t pid = fork();
  if (pid < 0) Fail("fork");
  if (pid == 0) {
    ExecChild(c_args.data(), c_envs.data(), c_cwd, out_pipe[1], stderr_fd, error_pipe[1], parent);
  }
  close(out_pipe[1]);
  close(error_pipe[1]);
  close(stderr_fd);
  p->pid_ = pid;
  p->stdout_fd_ = out_pipe[0];
  p->wake_read_fd_ = wake_pipe[0];
  p->wake_write_fd_ = wake_pipe[1];
  p->pidfd_ = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));  // -1: Wait falls back

  // exec succeeded iff the CLOEXEC error pipe closes without data.
  int child_errno = 0;
  ssize_t n;
  do {
    n = read(error_pipe[0], &child_errno, sizeof(child_errno));
  } while (n < 0 && errno == EINTR);
  close(error_pipe[0]);
  p->reader_ = std::thread(&Subprocess::ReaderLoop, p.get());
  if (n > 0) {
    p->Wait(std::chrono::seconds(5));
    errno = child_errno;
    Fail("cannot execute " + argv[0]);
  }
  return p;
}

Subprocess::~Subprocess() {
  if (!status_ && pid_ > 0) Kill();
  StopReader();
  if (pidfd_ >= 0) close(pidfd_);
  if (::testing::Test::HasFailure() && !stderr_path_.empty()) {
    std::string tail = ReadFileTail(stderr_path_, 8192);
    if (!tail.empty()) {
      std::cerr << "---- stderr of " << argv0_ << " (last " << tail.size() << " bytes) ----\n"
                << tail << "\n---- end of stderr ----" << std::endl;
    }
  }
  const char* keep = std::getenv("OMNI_KEEP_TEST_DIRS");
  if (owns_stderr_file_ && (keep == nullptr || std::string_view(keep) != "1")) {
    unlink(stderr_path_.c_str());
  }
}

void Subprocess::ReaderLoop() {
  char buf[16384];
  for (;;) {
    pollfd fds[2] = {{stdout_fd_, POLLIN, 0}, {wake_read_fd_, POLLIN, 0}};
    int r = poll(fds, 2, -1);
    if (r < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[1].revents != 0) break;
    if (fds[0].revents == 0) continue;
    ssize_t n = read(stdout_fd_, buf, sizeof(buf));
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    std::lock_guard<std::mutex> lock(mu_);
    if (n <= 0) {
      stdout_eof_ = true;
      cv_.notify_all();
      break;
    }
    stdout_.append(buf, static_cast<size_t>(n));
    cv_.notify_all();
  }
  std::lock_guard<std::mutex> lock(mu_);
  stdout_eof_ = true;
  cv_.notify_all();
}

void Subprocess::StopReader() {
  if (reader_.joinable()) {
    char c = 'x';
    (void)!write(wake_write_fd_, &c, 1);
    reader_.join();
  }
  for (int* fd : {&stdout_fd_, &wake_read_fd_, &wake_write_fd_}) {
    if (*fd >= 0) close(*fd);
    *fd = -1;
  }
}

std::string Subprocess::StderrContents() const { return ReadFileTail(stderr_path_, SIZE_MAX); }

std::string Subprocess::StdoutContents() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stdout_;
}

std::optional<std::string> Subprocess::ReadLineMatching(std::string_view substring,
                                                        std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    size_t nl;
    while ((nl = stdout_.find('\n', scan_pos_)) != std::string::npos) {
      std::string line = stdout_.substr(scan_pos_, nl - scan_pos_);
      scan_pos_ = nl + 1;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.find(substring) != std::string::npos) return line;
    }
    if (stdout_eof_) return std::nullopt;
    if (cv_.wait_until(lock, deadline) == std::cv_status::timeout) {
      // One last look: data may have arrived together with the timeout.
      if (stdout_.find('\n', scan_pos_) == std::string::npos) return std::nullopt;
    }
  }
}

bool Subprocess::WaitForStdoutEof(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  return cv_.wait_for(lock, timeout, [this] { return stdout_eof_; });
}

bool Subprocess::TryReap(bool block) {
  if (status_) return true;
  int wstatus = 0;
  pid_t r;
  do {
    r = waitpid(pid_, &wstatus, block ? 0 : WNOHANG);
  } while (r < 0 && errno == EINTR);
  if (r != pid_) return false;
  ExitStatus status;
  if (WIFEXITED(wstatus)) status.code = WEXITSTATUS(wstatus);
  if (WIFSIGNALED(wstatus)) status.signal = WTERMSIG(wstatus);
  status_ = status;
  return true;
}

bool Subprocess::Signal(int sig) {
  if (status_ || pid_ <= 0) return false;
  return kill(pid_, sig) == 0;
}

std::optional<ExitStatus> Subprocess::Wait(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (TryReap(false)) return status_;
    if (Clock::now() >= deadline) return std::nullopt;
    if (pidfd_ >= 0) {
      // The pidfd becomes readable when the child exits: a real wait, not a sleep.
      pollfd fd = {pidfd_, POLLIN, 0};
      poll(&fd, 1, PollTimeoutMs(deadline));
    } else {
      // Kernels without pidfd_open (< 5.3): short polling is the only portable option.
      pollfd none{};
      poll(&none, 0, 5);
    }
  }
}

bool Subprocess::Running() { return !TryReap(false); }

ExitStatus Subprocess::Kill() {
  if (!status_ && pid_ > 0) {
    kill(pid_, SIGKILL);
    TryReap(true);
  }
  return status_.value_or(ExitStatus{});
}

RunResult RunToCompletion(const std::vector<std::string>& argv,
                          const std::map<std::string, std::string>& env,
                          std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  std::unique_ptr<Subprocess> p = Subprocess::Start(argv, env);
  RunResult result;
  std::optional<ExitStatus> status = p->Wait(timeout);
  if (!status) {
    p->Kill();
    result.exit_code = -1;
  } else {
    result.exit_code = status->signal != 0 ? 128 + status->signal : status->code;
    // A grandchild may still hold stdout; don't wait past the caller's deadline for it.
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    p->WaitForStdoutEof(std::max(left, std::chrono::milliseconds(100)));
  }
  result.stdout_text = p->StdoutContents();
  result.stderr_text = p->StderrContents();
  return result;
}

}  // namespace omni::testing
