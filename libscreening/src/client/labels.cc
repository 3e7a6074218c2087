#include <screening/labels.h>

namespace screening {
namespace {

const char* InLang(std::string_view lang, const char* sv, const char* en) {
  return lang == "en" ? en : sv;
}

}  // namespace

std::vector<std::string> AcceptedCodes(const ItemInfo& info) {
  std::vector<std::string> codes;
  for (const std::string& code : info.codes) {
    const bool unknown_code = code == "unknown" || code == "insufficient";
    if (!(unknown_code && info.def->no_unknown())) codes.push_back(code);
  }
  return codes;
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
    if (code == "yes") return InLang(lang, "ja", "yes");
    if (code == "no") return InLang(lang, "nej", "no");
    if (code == "unknown") return InLang(lang, "vet ej / vill inte svara", "don't know / declined");
  }
  if (item.type() == v1::SPJ_FACTOR) {
    if (code == "present") return InLang(lang, "J, föreligger", "present");
    if (code == "partial") return InLang(lang, "D, föreligger delvis", "partly present");
    if (code == "absent") return InLang(lang, "N, föreligger inte", "absent");
    if (code == "insufficient") {
      return InLang(lang, "--, otillräcklig information", "insufficient information");
    }
  }
  if (item.type() == v1::PROTECTIVE) {
    if (code == "0") return InLang(lang, "0, saknas", "0, absent");
    if (code == "1") return InLang(lang, "1, finns delvis", "1, partly present");
    if (code == "2") return InLang(lang, "2, finns", "2, present");
    if (code == "unknown") return InLang(lang, "okänt", "unknown");
  }
  return std::string(code);
}

std::string YesNoLabel(bool value, std::string_view lang) {
  return value ? InLang(lang, "ja", "yes") : InLang(lang, "nej", "no");
}

std::string StatusLabel(AssessmentStatus status, std::string_view lang) {
  switch (status) {
    case AssessmentStatus::kDraft:
      return InLang(lang, "utkast", "draft");
    case AssessmentStatus::kSubmitted:
      return InLang(lang, "inskickad", "submitted");
    case AssessmentStatus::kReturned:
      return InLang(lang, "återsänd", "returned");
    case AssessmentStatus::kApproved:
      return InLang(lang, "godkänd", "approved");
    case AssessmentStatus::kDiscarded:
      return InLang(lang, "borttaget utkast", "discarded draft");
  }
  return std::string(StatusId(status));
}

std::string ResultLevelLabel(const Instrument& instrument, std::string_view level,
                             std::string_view lang) {
  if (level.empty()) return {};
  if (const int band = instrument.BandIndex(level); band >= 0) {
    return TextIn(instrument.definition().banding().bands(band).text(), lang);
  }
  return instrument.LevelLabel(level, lang);
}

std::string FailureKindLabel(StatusCode code, std::string_view lang) {
  switch (code) {
    case StatusCode::kPermissionDenied:
      return InLang(lang, "nekad", "denied");
    case StatusCode::kNotFound:
      return InLang(lang, "finns inte eller är inte synlig för dig",
                    "not found or not visible to you");
    case StatusCode::kBusy:
      return InLang(lang, "databasen är upptagen, försök igen", "the database is busy, try again");
    case StatusCode::kFailedPrecondition:
      return InLang(lang, "går inte i det här läget", "not possible in this state");
    case StatusCode::kInvalidArgument:
      return InLang(lang, "ogiltiga uppgifter", "invalid input");
    default:
      return InLang(lang, "fel", "error");
  }
}

std::string DescribeFailure(std::string_view what, const Status& status, std::string_view lang,
                            FailureWords words) {
  std::string text(what);
  text += ": ";
  const bool denied_or_busy =
      status.code() == StatusCode::kPermissionDenied || status.code() == StatusCode::kBusy;
  if (words == FailureWords::kMessageUnlessDeniedOrBusy && !denied_or_busy) {
    return text + status.message();
  }
  text += FailureKindLabel(status.code(), lang);
  if (!status.message().empty() || words == FailureWords::kMessageUnlessDeniedOrBusy) {
    text += " (" + status.message() + ")";
  }
  return text;
}

std::string Capitalized(std::string_view text) {
  std::string out(text);
  if (out.empty()) return out;
  const auto first = static_cast<unsigned char>(out[0]);
  if (first >= 'a' && first <= 'z') {
    out[0] = static_cast<char>(first - 'a' + 'A');
  } else if (first == 0xC3 && out.size() > 1) {
    // U+00E0..U+00FE (à..þ, but not ÷ U+00F7) are 0xC3 0xA0..0xBE; their capitals are 0x20
    // lower.
    const auto second = static_cast<unsigned char>(out[1]);
    if (second >= 0xA0 && second <= 0xBE && second != 0xB7) {
      out[1] = static_cast<char>(second - 0x20);
    }
  }
  return out;
}

}  // namespace screening
