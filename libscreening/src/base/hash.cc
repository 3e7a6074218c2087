#include "base/hash.h"

#include <sodium.h>

#include <array>
#include <cstdio>
#include <stdexcept>

namespace screening::internal {

std::string Sha256Hex(std::string_view data) {
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(data.data()),
                     data.size());
  std::string hex(digest.size() * 2, '\0');
  sodium_bin2hex(hex.data(), hex.size() + 1, digest.data(), digest.size());
  return hex;
}

}  // namespace screening::internal
