// The desktop's user-interface language: Swedish first, English selectable.
//
// Every visible text is written in the source as a Swedish and an English pair
// (`L("Spara", "Save")`), the way the CLI does it, so the Swedish wording is reviewed
// where it is used and nothing can be left untranslated. Instrument texts come from the
// instrument definitions in the same language. Not thread safe: set it from the GUI thread.
#pragma once

#include <string>
#include <string_view>

#include <QString>

namespace screening::desktop {

// "sv" or "en".
const std::string& Language();
// Sets the language; anything but "en" means Swedish.
void SetLanguage(std::string_view lang);

// The text in the current language (both arguments are UTF-8).
QString L(const char* sv, const char* en);

// std::string (UTF-8) to QString and back, at the desktop's edge.
inline QString Q(std::string_view text) {
  return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}
inline std::string S(const QString& text) { return text.toStdString(); }

}  // namespace screening::desktop
