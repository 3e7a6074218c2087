// Rules for free text given by users (notes, rationales, reasons, TEXT answers).
#pragma once

#include <string_view>

#include <screening/status.h>

namespace screening::internal {

// Longest free text accepted, in characters.
inline constexpr int kMaxFreeTextChars = 10000;

// Ok when `text` is valid UTF-8, at most kMaxFreeTextChars characters, and free of control
// characters (other than tab and line breaks) and of bidirectional override/isolate
// characters, which can make a record display differently from what it stores.
// Messages never quote the text.
Status CheckFreeText(std::string_view text);

}  // namespace screening::internal
