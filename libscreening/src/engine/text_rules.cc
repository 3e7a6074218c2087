#include "engine/text_rules.h"

#include <fmt/format.h>

#include "base/textformat.h"

namespace screening::internal {

Status CheckFreeText(std::string_view text) {
  if (!IsValidUtf8(text)) return Status::InvalidArgument("the text is not valid UTF-8");
  if (Utf8Length(text) > kMaxFreeTextChars) {
    return Status::InvalidArgument(
        fmt::format("the text is longer than {} characters", kMaxFreeTextChars));
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
      return Status::InvalidArgument("the text contains control characters");
    }
    // U+202A..U+202E are E2 80 AA..AE; U+2066..U+2069 are E2 81 A6..A9.
    if (c == 0xE2 && i + 2 < text.size()) {
      auto b1 = static_cast<unsigned char>(text[i + 1]);
      auto b2 = static_cast<unsigned char>(text[i + 2]);
      if ((b1 == 0x80 && b2 >= 0xAA && b2 <= 0xAE) || (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9)) {
        return Status::InvalidArgument("the text contains bidirectional control characters");
      }
    }
  }
  return Status::Ok();
}

}  // namespace screening::internal
