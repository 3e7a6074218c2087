// Passwords and passphrases held in memory by a client: wiped (libsodium's sodium_memzero,
// which the compiler may not leave out) when cleared or freed, so a core dump or a later
// allocation finds no copy.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace screening {

// Overwrites the bytes of `secret` with zeros and empties it. Use it on a std::string that
// held a secret a toolkit handed over (a password field's text) once it is no longer needed.
// The string's capacity is kept; a copy made earlier (by a reallocation) is not reached:
// hold secrets that grow in a Secret instead.
void WipeSecret(std::string* secret);

// A password or passphrase held in memory. Its buffer is reserved once (kMaxBytes), so it
// never reallocates and leaves no copy behind, and it is wiped when cleared or destroyed.
// Neither copyable nor movable: pass it by pointer or reference. Not thread-safe.
class Secret {
 public:
  // Longest secret accepted, in bytes.
  static constexpr size_t kMaxBytes = 1024;

  Secret();
  ~Secret();
  Secret(const Secret&) = delete;
  Secret& operator=(const Secret&) = delete;

  // Appends one byte; false (and nothing appended) when the secret would exceed kMaxBytes.
  bool Append(char c);
  // Replaces the contents with `other`'s (both stay valid; nothing is reallocated).
  void Assign(const Secret& other);
  // Wipes and removes the last byte (if any).
  void PopBack();
  // Wipes the contents.
  void Clear();
  std::string_view view() const { return value_; }
  bool empty() const { return value_.empty(); }
  // Compares in constant time for a given length.
  bool operator==(const Secret& other) const;

 private:
  std::string value_;
};

}  // namespace screening
