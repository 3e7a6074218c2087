// Password hashing for accounts: Argon2id through libsodium's crypto_pwhash_str, with a
// configurable cost; constant-time verification; secrets wiped after use.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <screening/status.h>

namespace screening::internal {

// How expensive hashing is. kMinimal is for tests only.
enum class PasswordCost { kMinimal, kInteractive, kModerate };

// Shortest password accepted, in characters.
inline constexpr int kMinPasswordChars = 10;

// The encoded Argon2id hash ("$argon2id$..."). kInvalidArgument for a password shorter than
// kMinPasswordChars or longer than 1024 bytes; kInternal when libsodium fails (memory).
Result<std::string> HashPassword(std::string_view password, PasswordCost cost);
// Whether `password` matches `encoded` (constant time in the password).
bool VerifyPassword(std::string_view encoded, std::string_view password);
// Whether `encoded` was made with weaker parameters than `cost` (rehash on next login).
bool NeedsRehash(std::string_view encoded, PasswordCost cost);
// Overwrites a secret in memory (sodium_memzero) and clears it.
void Wipe(std::string* secret);

// Back-off after failed logins: after kFreeAttempts failures, each further failure locks
// the account for an exponentially growing time (from 1 s, doubling, at most 15 min).
inline constexpr int kFreeAttempts = 3;
// Seconds the account stays locked after `failed` consecutive failures.
std::int64_t LockSeconds(int failed);

}  // namespace screening::internal
