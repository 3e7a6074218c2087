#include "labels.h"

namespace screening::desktop {

std::string T(std::string_view lang, const char* sv, const char* en) {
  return lang == "en" ? en : sv;
}

std::string CodeLabel(const Instrument& instrument, const v1::Item& item, const std::string& code,
                      const std::string& lang) {
  return Capitalized(screening::CodeLabel(instrument, item, std::string_view(code), lang));
}

std::string LevelLabel(const Instrument& instrument, std::string_view level,
                       std::string_view lang) {
  return instrument.LevelLabel(level, lang);
}

std::string StatusTitle(AssessmentStatus status, std::string_view lang) {
  return Capitalized(screening::StatusLabel(status, lang));
}

std::string RecommendationLabel(const Instrument* instrument, std::string_view id,
                                std::string_view lang) {
  if (instrument != nullptr) {
    for (const v1::Recommendation& r : instrument->definition().recommendations()) {
      if (r.id() == id) return TextIn(r.text(), lang);
    }
  }
  return std::string(id);
}

std::string NoIntakeText(std::string_view lang) {
  return T(
      lang,
      "Ärendet har ingen registrerad kontakt än (eller är inte öppet för dig); inget sparades. "
      "Börja med Ny kontakt och rutinfrågan.",
      "The case has no intake yet (or is not open to you); nothing was saved. Start with New "
      "contact and the routine question.");
}

std::string ContactRefusedText(std::string_view lang) {
  return T(lang,
           "Kontakten kunde inte sparas: ärendet är inte öppet för dig, inget sparades. En "
           "arbetsledare i enheten kan ge tillgång.",
           "The contact could not be saved: the case is not open to you, nothing was saved. A "
           "supervisor of the unit can give access.");
}

std::string Describe(std::string_view what, const Status& status, std::string_view lang) {
  return DescribeFailure(what, status, lang);
}

std::string ItemMessage(const v1::Item& item, const Status& status, std::string_view lang) {
  if (status.code() == StatusCode::kFailedPrecondition) {
    return T(lang, "Frågan gäller inte just nu.", "The question does not apply now.");
  }
  switch (item.type()) {
    case v1::INTEGER:
      return T(lang, "Ange ett heltal från ", "Enter a whole number from ") +
             std::to_string(item.min()) + T(lang, " till ", " to ") + std::to_string(item.max()) +
             ".";
    case v1::DATE:
      return T(lang, "Ange ett datum som ÅÅÅÅ-MM-DD.", "Enter a date as YYYY-MM-DD.");
    case v1::TEXT:
      return T(lang, "Texten godtas inte: ", "The text is not accepted: ") + status.message();
    default:
      return T(lang, "Svaret godtas inte: ", "The answer is not accepted: ") + status.message();
  }
}

}  // namespace screening::desktop
