#pragma once
// Time source. Production code uses SystemClock; tests inject a FakeClock so nothing
// depends on wall-clock timing. Thread-safe.

#include <atomic>
#include <chrono>
#include <cstdint>

namespace omni {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch (for stored timestamps).
  virtual int64_t NowUnixMs() const = 0;
  // Monotonic milliseconds (for durations, cooldowns).
  virtual int64_t MonotonicMs() const = 0;
};

class SystemClock final : public Clock {
 public:
  int64_t NowUnixMs() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  int64_t MonotonicMs() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }
  static const SystemClock& Instance() {
    static const SystemClock clock;
    return clock;
  }
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t start_ms = 1'700'000'000'000) : now_(start_ms) {}
  int64_t NowUnixMs() const override { return now_.load(); }
  int64_t MonotonicMs() const override { return now_.load(); }
  void Advance(int64_t ms) { now_ += ms; }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace omni
