// Password hashing with Argon2id (libsodium crypto_pwhash_str). The encoded string carries
// the algorithm, its version, the costs and the salt, so a hash made under older costs still
// verifies and NeedsRehash can tell when to upgrade it at the next successful login.
#include "store/passwords.h"

#include <sodium.h>

#include <charconv>
#include <cstddef>
#include <optional>

namespace screening::internal {
namespace {

// Longest password accepted, in bytes: a bound on work, not on strength.
constexpr std::size_t kMaxPasswordBytes = 1024;
// At most 15 minutes locked, however many failures.
constexpr std::int64_t kMaxLockSeconds = 900;

bool SodiumReady() {
  // sodium_init is idempotent; the static makes the first call race-free.
  static const bool ready = sodium_init() >= 0;
  return ready;
}

struct Costs {
  unsigned long long ops;
  std::size_t mem;
};

Costs CostsFor(PasswordCost cost) {
  switch (cost) {
    case PasswordCost::kMinimal:
      return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
    case PasswordCost::kInteractive:
      return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
    case PasswordCost::kModerate:
      return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
  }
  return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
}

// Characters as UTF-8 code points: every byte that is not a continuation byte starts one.
std::size_t CodePoints(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

// Reads "<key>=<digits>" at the front of `s` and advances past it.
std::optional<unsigned long long> TakeParam(std::string_view& s, std::string_view key) {
  if (s.substr(0, key.size()) != key || s.size() <= key.size() || s[key.size()] != '=') {
    return std::nullopt;
  }
  s.remove_prefix(key.size() + 1);
  unsigned long long v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end == s.data()) return std::nullopt;
  s.remove_prefix(static_cast<std::size_t>(end - s.data()));
  return v;
}

}  // namespace

Result<std::string> HashPassword(std::string_view password, PasswordCost cost) {
  if (CodePoints(password) < static_cast<std::size_t>(kMinPasswordChars)) {
    return Status::InvalidArgument("the password must have at least " +
                                   std::to_string(kMinPasswordChars) + " characters");
  }
  if (password.size() > kMaxPasswordBytes) {
    return Status::InvalidArgument("the password must be at most " +
                                   std::to_string(kMaxPasswordBytes) + " bytes long");
  }
  if (!SodiumReady()) return Status::Internal("libsodium could not be initialised");
  const Costs c = CostsFor(cost);
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), c.ops, c.mem,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status::Internal("hashing a password failed (out of memory)");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view encoded, std::string_view password) {
  if (encoded.empty() || encoded.size() >= crypto_pwhash_STRBYTES) return false;
  if (password.size() > kMaxPasswordBytes) return false;
  if (!SodiumReady()) return false;
  const std::string nul_terminated(encoded);
  return crypto_pwhash_str_verify(nul_terminated.c_str(), password.data(), password.size()) == 0;
}

bool NeedsRehash(std::string_view encoded, PasswordCost cost) {
  if (!SodiumReady()) return false;
  const Costs c = CostsFor(cost);
  if (encoded.size() >= crypto_pwhash_STRBYTES) return true;
  const std::string nul_terminated(encoded);
  const int rc = crypto_pwhash_str_needs_rehash(nul_terminated.c_str(), c.ops, c.mem);
  if (rc == 0) return false;
  if (rc < 0) return true;  // not an Argon2id hash this libsodium understands
  // libsodium says "different", the contract says "weaker": a hash made with higher costs
  // (an administrator lowered the setting) is kept. Format: $argon2id$v=19$m=KiB,t=N,p=N$...
  constexpr std::string_view kPrefix = "$argon2id$v=19$";
  std::string_view s = encoded;
  if (s.substr(0, kPrefix.size()) != kPrefix) return true;
  s.remove_prefix(kPrefix.size());
  const auto m_kib = TakeParam(s, "m");
  if (!m_kib || s.empty() || s[0] != ',') return true;
  s.remove_prefix(1);
  const auto t = TakeParam(s, "t");
  if (!t) return true;
  return *m_kib < c.mem / 1024U || *t < c.ops;
}

void Wipe(std::string* secret) {
  if (secret == nullptr) return;
  // Wipe the whole buffer, including bytes left behind by longer earlier contents.
  secret->resize(secret->capacity());
  sodium_memzero(secret->data(), secret->size());
  secret->clear();
}

std::int64_t LockSeconds(int failed) {
  if (failed <= kFreeAttempts) return 0;
  const int doublings = failed - kFreeAttempts - 1;
  // 2^10 > 900 already; stop shifting before it could overflow.
  if (doublings >= 10) return kMaxLockSeconds;
  const std::int64_t seconds = std::int64_t{1} << doublings;
  return seconds < kMaxLockSeconds ? seconds : kMaxLockSeconds;
}

}  // namespace screening::internal
