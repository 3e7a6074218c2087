// Status and Result<T>: how every fallible call in the library reports failure.
// No exception crosses the public API. Callers branch on code(), never on message().
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace screening {

// A small closed set of failure kinds.
enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // the input is malformed or breaks a rule (answers, definitions)
  kNotFound,            // the named object does not exist (or is not visible to the actor)
  kAlreadyExists,       // the object to create exists already
  kPermissionDenied,    // the actor may not do this
  kFailedPrecondition,  // the object is in the wrong state for this (e.g. approved)
  kBusy,                // the database stayed locked past the retry budget
  kIoError,             // reading or writing a file failed
  kCorruption,          // stored data does not verify (integrity, audit chain)
  kInternal,            // a broken invariant: a bug
};

// Returns the code's stable name ("invalid_argument", ...).
const char* StatusCodeName(StatusCode code);

// The outcome of an operation. Messages name what and where, never answers or personal
// data. Cheap to copy when ok.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) {
    return {StatusCode::kInvalidArgument, std::move(m)};
  }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
  static Status PermissionDenied(std::string m) {
    return {StatusCode::kPermissionDenied, std::move(m)};
  }
  static Status FailedPrecondition(std::string m) {
    return {StatusCode::kFailedPrecondition, std::move(m)};
  }
  static Status Busy(std::string m) { return {StatusCode::kBusy, std::move(m)}; }
  static Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
  static Status Corruption(std::string m) { return {StatusCode::kCorruption, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "invalid_argument: message", or "ok".
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Either a value or a non-ok Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) { assert(!std::get<Status>(v_).ok()); }  // NOLINT

  bool ok() const { return std::holds_alternative<T>(v_); }
  // The failure; Status::Ok() when there is a value.
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(v_); }

  // Preconditions: ok().
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace screening
