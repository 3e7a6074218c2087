// SHA-256 (libsodium) as lower-case hex.
#pragma once

#include <string>
#include <string_view>

namespace screening::internal {

std::string Sha256Hex(std::string_view data);

}  // namespace screening::internal
