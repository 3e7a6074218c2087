// Comparing phone numbers as written in the directory ("020-50 50 50", "116 111").
#pragma once

#include <string>
#include <string_view>

namespace screening::directory_internal {

// The digits of `s` in order ("020-50 50 50" -> "020505050"): two spellings of one number
// compare equal, and a name holding a number can be found.
inline std::string PhoneDigits(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c >= '0' && c <= '9') out += c;
  }
  return out;
}

}  // namespace screening::directory_internal
