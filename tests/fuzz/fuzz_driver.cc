// Standalone driver for libFuzzer-style targets, for compilers without -fsanitize=fuzzer (the
// project builds with g++). It replays a seed corpus, then N deterministic pseudo-random
// mutations of it (bit flips, interesting bytes, HTTP tokens, inserts, deletes, duplications,
// splices), calling LLVMFuzzerTestOneInput on each. No coverage feedback: this is a smoke test
// that keeps the target building and catches shallow crashes on every `ctest`; real fuzzing is
// tests/fuzz/run_libfuzzer.sh.
//
//   fuzz_driver [--runs N] [--seed S] [--max-len L] <corpus dir or file>...
//   fuzz_driver <file>...          with --runs 0: just replay (reproduce a crash)
//
// On a crash (signal) the current input is written to ./fuzz-crash-<pid>.bin first, so the
// failure can be replayed here or with the libFuzzer binary.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

// The input being run, for the crash handler (async-signal-safe access only).
const uint8_t* g_current = nullptr;
size_t g_current_size = 0;

void OnCrash(int sig) {
  char name[64];
  std::snprintf(name, sizeof name, "fuzz-crash-%d.bin", static_cast<int>(getpid()));
  int fd = ::open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0 && g_current) {
    ssize_t ignored = ::write(fd, g_current, g_current_size);
    (void)ignored;
    ::close(fd);
  }
  static const char kMsg[] = "fuzz_driver: crash; input saved as fuzz-crash-<pid>.bin\n";
  ssize_t ignored = ::write(2, kMsg, sizeof kMsg - 1);
  (void)ignored;
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

// splitmix64: tiny, deterministic, good enough to pick mutations.
struct Rng {
  uint64_t s;
  uint64_t Next() {
    uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  size_t Below(size_t n) { return n == 0 ? 0 : static_cast<size_t>(Next() % n); }
};

// Fragments that matter to an HTTP parser and to the auth helpers.
const std::vector<std::string> kTokens = {
    "\r\n",
    "\r\n\r\n",
    "\n",
    ": ",
    ",",
    ";",
    "=",
    "%",
    "%00",
    "%2e%2e",
    "../",
    "?",
    "&key=",
    "/",
    " HTTP/1.1",
    "HTTP/1.0",
    "GET ",
    "POST ",
    "Host: ",
    "Content-Length: ",
    "Content-Length: 0",
    "Content-Length: 18446744073709551616",
    "Transfer-Encoding: chunked",
    "0\r\n\r\n",
    "ffffffff\r\n",
    "Authorization: Bearer ",
    "authorization: bearer\t",
    "x-api-key: ",
    "x-goog-api-key: ",
    "api-key: ",
    "Cookie: omniroute_session=",
    "; omniroute_session=",
    "X-Forwarded-For: ",
    "Origin: http://",
    "Referer: ",
    "Sec-Fetch-Site: cross-site",
    "::ffff:",
    "127.0.0.1",
    "[::1]:80",
    "fe80::1%eth0",
    "/128",
    "/33",
    ".",
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
    "eyJhbGciOiJub25lIn0",
    "\xff",
    "\x80",
    std::string(1, '\0'),
    std::string(300, 'A'),
    "Expect: 100-continue",
};
const uint8_t kInteresting[] = {0,    1,   0x7f, 0x80, 0xff, ' ', '\t', '\r',
                                '\n', ':', '/',  '%',  '.',  ',', '[',  ']'};

void Mutate(std::string& s, const std::vector<std::string>& corpus, Rng& rng, size_t max_len) {
  const int rounds = 1 + static_cast<int>(rng.Below(4));
  for (int r = 0; r < rounds; ++r) {
    switch (rng.Below(8)) {
      case 0:  // flip a bit
        if (!s.empty()) s[rng.Below(s.size())] ^= static_cast<char>(1u << rng.Below(8));
        break;
      case 1:  // set an interesting byte
        if (!s.empty())
          s[rng.Below(s.size())] = static_cast<char>(kInteresting[rng.Below(sizeof kInteresting)]);
        break;
      case 2:  // insert a token
        s.insert(rng.Below(s.size() + 1), kTokens[rng.Below(kTokens.size())]);
        break;
      case 3:  // delete a range
        if (!s.empty()) {
          size_t at = rng.Below(s.size());
          s.erase(at, 1 + rng.Below(std::min<size_t>(32, s.size() - at)));
        }
        break;
      case 4:  // duplicate a range
        if (!s.empty()) {
          size_t at = rng.Below(s.size());
          std::string piece = s.substr(at, 1 + rng.Below(64));
          s.insert(rng.Below(s.size() + 1), piece);
        }
        break;
      case 5: {  // splice with another seed
        const std::string& other = corpus[rng.Below(corpus.size())];
        size_t cut = rng.Below(s.size() + 1);
        s = s.substr(0, cut) + other.substr(rng.Below(other.size() + 1));
        break;
      }
      case 6:  // overwrite with a token
        if (!s.empty()) {
          const std::string& t = kTokens[rng.Below(kTokens.size())];
          size_t at = rng.Below(s.size());
          s.replace(at, std::min(t.size(), s.size() - at), t);
        }
        break;
      default:  // truncate
        if (!s.empty()) s.resize(rng.Below(s.size()));
        break;
    }
  }
  if (s.size() > max_len) s.resize(max_len);
}

void Run(const std::string& input) {
  g_current = reinterpret_cast<const uint8_t*>(input.data());
  g_current_size = input.size();
  LLVMFuzzerTestOneInput(g_current, g_current_size);
}

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

int main(int argc, char** argv) {
  long runs = 20000;
  uint64_t seed = 1;
  size_t max_len = 64 * 1024;
  std::vector<std::string> corpus;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if ((a == "--runs" || a == "--seed" || a == "--max-len") && i + 1 < argc) {
      const char* v = argv[++i];
      if (a == "--runs")
        runs = std::strtol(v, nullptr, 10);
      else if (a == "--seed")
        seed = std::strtoull(v, nullptr, 10);
      else
        max_len = std::strtoull(v, nullptr, 10);
      continue;
    }
    std::error_code ec;
    if (std::filesystem::is_directory(a, ec)) {
      std::vector<std::filesystem::path> files;
      for (const auto& e : std::filesystem::directory_iterator(a))
        if (e.is_regular_file()) files.push_back(e.path());
      std::sort(files.begin(), files.end());  // deterministic order
      for (const auto& f : files) corpus.push_back(ReadFile(f));
    } else if (std::filesystem::is_regular_file(a, ec)) {
      corpus.push_back(ReadFile(std::string(a)));
    } else {
      std::fprintf(stderr, "fuzz_driver: no such corpus \"%s\"\n", argv[i]);
      return 2;
    }
  }
  if (corpus.empty()) corpus.emplace_back("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  for (int sig : {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL}) std::signal(sig, OnCrash);

  const auto t0 = std::chrono::steady_clock::now();
  for (const auto& seed_input : corpus) Run(seed_input);
  Rng rng{seed};
  std::string input;
  for (long i = 0; i < runs; ++i) {
    input = corpus[rng.Below(corpus.size())];
    Mutate(input, corpus, rng, max_len);
    Run(input);
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("fuzz_driver: %zu seeds + %ld mutations (seed %llu) in %.2f s, no crash\n",
              corpus.size(), runs, static_cast<unsigned long long>(seed), secs);
  return 0;
}
