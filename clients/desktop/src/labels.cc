#include "labels.h"

#include <algorithm>

namespace screening::desktop {

std::string T(std::string_view lang, const char* sv, const char* en) {
  return lang == "en" ? en : sv;
}

std::string CodeLabel(const Instrument& instrument, const v1::Item& item, std::string_view code,
                      std::string_view lang) {
  for (const v1::ChoiceOption& option : item.options()) {
    if (option.code() == code) return TextIn(option.text(), lang);
  }
  if (!item.vocabulary().empty()) {
    return instrument.vocabulary().Label(item.vocabulary(), code, lang);
  }
  if (item.type() == v1::YES_NO) {
    if (code == "yes") return T(lang, "Ja", "Yes");
    if (code == "no") return T(lang, "Nej", "No");
    if (code == "unknown") return T(lang, "Vet inte / vill inte svara", "Don't know / declined");
  }
  if (item.type() == v1::SPJ_FACTOR) {
    return instrument.vocabulary().Label("spj_codes", code, lang);
  }
  if (item.type() == v1::PROTECTIVE) {
    if (code == "0") return T(lang, "0 – saknas", "0 – absent");
    if (code == "1") return T(lang, "1 – finns delvis", "1 – partly present");
    if (code == "2") return T(lang, "2 – finns", "2 – present");
    if (code == "unknown") return T(lang, "Okänt", "Unknown");
  }
  return std::string(code);
}

std::vector<std::string> AcceptedCodes(const ItemInfo& info) {
  std::vector<std::string> codes;
  for (const std::string& code : info.codes) {
    const bool unknown_code = code == "unknown" || code == "insufficient";
    if (!(unknown_code && info.def->no_unknown())) codes.push_back(code);
  }
  return codes;
}

std::string LevelLabel(const Instrument& instrument, std::string_view level,
                       std::string_view lang) {
  return instrument.LevelLabel(level, lang);
}

std::string BandLabel(const Instrument& instrument, std::string_view band, std::string_view lang) {
  if (band.empty()) return "";
  const int index = instrument.BandIndex(band);
  if (index >= 0) return TextIn(instrument.definition().banding().bands(index).text(), lang);
  return LevelLabel(instrument, band, lang);
}

std::string StatusLabel(std::string_view status, std::string_view lang) {
  if (status == "draft") return T(lang, "Utkast", "Draft");
  if (status == "submitted") return T(lang, "Inskickad för granskning", "Submitted for review");
  if (status == "returned") return T(lang, "Återsänd", "Returned");
  if (status == "approved") return T(lang, "Godkänd", "Approved");
  if (status == "discarded") return T(lang, "Borttaget utkast", "Discarded draft");
  return std::string(status);
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
  std::string text(what);
  text += ": ";
  switch (status.code()) {
    case StatusCode::kPermissionDenied:
      text += T(lang, "nekad – du har inte behörighet till detta", "denied – you may not do this");
      break;
    case StatusCode::kNotFound:
      text += T(lang, "finns inte eller är inte synlig för dig", "not found or not visible to you");
      break;
    case StatusCode::kBusy:
      text += T(lang, "databasen är upptagen, försök igen", "the database is busy, try again");
      break;
    case StatusCode::kFailedPrecondition:
      text += T(lang, "går inte i det här läget", "not possible in this state");
      break;
    case StatusCode::kInvalidArgument:
      text += T(lang, "ogiltiga uppgifter", "invalid input");
      break;
    default:
      text += T(lang, "fel", "error");
      break;
  }
  if (!status.message().empty()) text += " (" + status.message() + ")";
  return text;
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
