#pragma once
// SnapshotHolder<T>: publishes immutable configuration snapshots to the request path.
// Readers take a shared_ptr<const T> (cheap atomic load) and keep it for the request;
// writers build a new T and swap it in. Thread-safe.
#include <atomic>
#include <memory>

namespace omni {

template <typename T>
class SnapshotHolder {
 public:
  SnapshotHolder() : current_(std::make_shared<const T>()) {}
  std::shared_ptr<const T> Get() const { return current_.load(std::memory_order_acquire); }
  void Set(std::shared_ptr<const T> s) { current_.store(std::move(s), std::memory_order_release); }

 private:
  std::atomic<std::shared_ptr<const T>> current_;
};

}  // namespace omni
