// Password hashing (store/passwords.h): Argon2id round trip, costs, length rules, back-off.
#include "store/passwords.h"

#include <sodium.h>

#include <string>

#include <catch2/catch.hpp>

namespace screening::internal {
namespace {

// Synthetic passwords only.
constexpr const char* kGood = "correct-horse-battery";

TEST_CASE("a hashed password verifies, a different one does not", "[passwords]") {
  auto hash = HashPassword(kGood, PasswordCost::kMinimal);
  REQUIRE(hash.ok());
  CHECK(hash->rfind("$argon2id$", 0) == 0);
  CHECK(hash->find(kGood) == std::string::npos);
  CHECK(VerifyPassword(*hash, kGood));
  CHECK_FALSE(VerifyPassword(*hash, "correct-horse-battery!"));
  CHECK_FALSE(VerifyPassword(*hash, "Correct-horse-battery"));
  CHECK_FALSE(VerifyPassword(*hash, ""));
  CHECK_FALSE(VerifyPassword("", kGood));
  CHECK_FALSE(VerifyPassword("$argon2id$not-a-hash", kGood));
}

TEST_CASE("hashing the same password twice uses a fresh salt", "[passwords]") {
  auto a = HashPassword(kGood, PasswordCost::kMinimal);
  auto b = HashPassword(kGood, PasswordCost::kMinimal);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(*a != *b);
  CHECK(VerifyPassword(*b, kGood));
}

TEST_CASE("the cost is written into the hash", "[passwords]") {
  auto minimal = HashPassword(kGood, PasswordCost::kMinimal);
  auto interactive = HashPassword(kGood, PasswordCost::kInteractive);
  REQUIRE(minimal.ok());
  REQUIRE(interactive.ok());
  const std::string m_min = "m=" + std::to_string(crypto_pwhash_MEMLIMIT_MIN / 1024) + ",";
  const std::string m_int = "m=" + std::to_string(crypto_pwhash_MEMLIMIT_INTERACTIVE / 1024) + ",";
  CHECK(minimal->find(m_min) != std::string::npos);
  CHECK(interactive->find(m_int) != std::string::npos);
  CHECK(VerifyPassword(*interactive, kGood));
}

TEST_CASE("a hash made with a weaker cost needs a rehash, a stronger one does not", "[passwords]") {
  auto minimal = HashPassword(kGood, PasswordCost::kMinimal);
  auto interactive = HashPassword(kGood, PasswordCost::kInteractive);
  REQUIRE(minimal.ok());
  REQUIRE(interactive.ok());
  CHECK_FALSE(NeedsRehash(*minimal, PasswordCost::kMinimal));
  CHECK(NeedsRehash(*minimal, PasswordCost::kInteractive));
  CHECK(NeedsRehash(*minimal, PasswordCost::kModerate));
  CHECK_FALSE(NeedsRehash(*interactive, PasswordCost::kInteractive));
  CHECK(NeedsRehash(*interactive, PasswordCost::kModerate));
  // Stronger than asked for: kept (an administrator lowered the cost setting).
  CHECK_FALSE(NeedsRehash(*interactive, PasswordCost::kMinimal));
  // Not an Argon2id hash at all: replace it at the next successful login.
  CHECK(NeedsRehash("", PasswordCost::kMinimal));
  CHECK(NeedsRehash("plain text", PasswordCost::kMinimal));
}

TEST_CASE("a hash from the older Argon2i algorithm needs a rehash", "[passwords]") {
  char out[crypto_pwhash_STRBYTES];
  REQUIRE(crypto_pwhash_str_alg(
              out, kGood, std::char_traits<char>::length(kGood), crypto_pwhash_argon2i_OPSLIMIT_MIN,
              crypto_pwhash_argon2i_MEMLIMIT_MIN, crypto_pwhash_ALG_ARGON2I13) == 0);
  CHECK(NeedsRehash(out, PasswordCost::kMinimal));
}

TEST_CASE("passwords shorter than the minimum or too long are refused", "[passwords]") {
  auto nine = HashPassword("123456789", PasswordCost::kMinimal);
  REQUIRE_FALSE(nine.ok());
  CHECK(nine.status().code() == StatusCode::kInvalidArgument);
  CHECK(nine.status().message().find("123456789") == std::string::npos);
  CHECK(HashPassword("1234567890", PasswordCost::kMinimal).ok());
  CHECK(HashPassword("", PasswordCost::kMinimal).status().code() == StatusCode::kInvalidArgument);

  // Characters are code points: nine two-byte letters are 18 bytes but only nine characters.
  const std::string nine_wide = "åäöåäöåäö";
  REQUIRE(nine_wide.size() == 18);
  CHECK(HashPassword(nine_wide, PasswordCost::kMinimal).status().code() ==
        StatusCode::kInvalidArgument);
  CHECK(HashPassword(nine_wide + "x", PasswordCost::kMinimal).ok());

  CHECK(HashPassword(std::string(1024, 'a'), PasswordCost::kMinimal).ok());
  CHECK(HashPassword(std::string(1025, 'a'), PasswordCost::kMinimal).status().code() ==
        StatusCode::kInvalidArgument);
}

TEST_CASE("Wipe clears a secret", "[passwords]") {
  std::string secret = "a synthetic secret longer than the small-string buffer";
  Wipe(&secret);
  CHECK(secret.empty());
  std::string small = "short";
  Wipe(&small);
  CHECK(small.empty());
  Wipe(nullptr);
}

TEST_CASE("failed logins lock the account for a doubling time, at most 15 minutes", "[passwords]") {
  REQUIRE(kFreeAttempts == 3);
  CHECK(LockSeconds(-1) == 0);
  CHECK(LockSeconds(0) == 0);
  CHECK(LockSeconds(1) == 0);
  CHECK(LockSeconds(2) == 0);
  CHECK(LockSeconds(3) == 0);
  CHECK(LockSeconds(4) == 1);
  CHECK(LockSeconds(5) == 2);
  CHECK(LockSeconds(6) == 4);
  CHECK(LockSeconds(7) == 8);
  CHECK(LockSeconds(12) == 256);
  CHECK(LockSeconds(13) == 512);
  CHECK(LockSeconds(14) == 900);
  CHECK(LockSeconds(15) == 900);
  CHECK(LockSeconds(100) == 900);
  CHECK(LockSeconds(2147483647) == 900);
}

}  // namespace
}  // namespace screening::internal
