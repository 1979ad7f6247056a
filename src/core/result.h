#pragma once
// Error values for the hot path: functions return Result<T> instead of throwing.
// An Error carries what a client needs to see (HTTP status, machine-readable type and
// code, human message); each ingress format renders it in its own shape.

#include <string>
#include <utility>
#include <variant>

namespace omni {

struct Error {
  int status = 500;     // HTTP status to answer with
  std::string type;     // OpenAI-style error type, e.g. "invalid_request_error"
  std::string code;     // short machine code, e.g. "model_not_found"
  std::string message;  // human readable; never contains secrets

  static Error InvalidRequest(std::string message, std::string code = "invalid_request") {
    return {400, "invalid_request_error", std::move(code), std::move(message)};
  }
  static Error NotFound(std::string message, std::string code = "not_found") {
    return {404, "invalid_request_error", std::move(code), std::move(message)};
  }
  static Error Upstream(int status, std::string message, std::string code = "upstream_error") {
    return {status, "upstream_error", std::move(code), std::move(message)};
  }
  static Error Internal(std::string message) {
    return {500, "server_error", "internal_error", std::move(message)};
  }
};

// Holds either a value or an Error. Cheap to move; check ok() before value().
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  T& operator*() & { return std::get<0>(v_); }
  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

// Result<void>: success or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& { return error_; }
  Error&& error() && { return std::move(error_); }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace omni
