#include "i18n.h"

namespace screening::desktop {
namespace {

std::string& CurrentLanguage() {
  static std::string lang = "sv";
  return lang;
}

}  // namespace

const std::string& Language() { return CurrentLanguage(); }

void SetLanguage(std::string_view lang) { CurrentLanguage() = lang == "en" ? "en" : "sv"; }

QString L(const char* sv, const char* en) {
  return QString::fromUtf8(CurrentLanguage() == "en" ? en : sv);
}

}  // namespace screening::desktop
