#include "commands/labels.h"

#include <algorithm>
#include <cctype>

#include "commands/cli_support.h"

namespace screening::cli {
namespace {

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace

std::string KindId(v1::InstrumentKind kind) { return Lower(v1::InstrumentKind_Name(kind)); }
std::string TargetGroupId(v1::TargetGroup group) { return Lower(v1::TargetGroup_Name(group)); }
std::string ItemTypeId(v1::ItemType type) { return Lower(v1::ItemType_Name(type)); }

std::string KindLabel(v1::InstrumentKind kind, std::string_view lang) {
  switch (kind) {
    case v1::SCREENING:
      return Tr(lang, "screening", "screening");
    case v1::ACTUARIAL:
      return Tr(lang, "aktuariellt", "actuarial");
    case v1::RULE_BASED:
      return Tr(lang, "regelbaserad", "rule-based");
    case v1::STRUCTURED_PROFESSIONAL_JUDGEMENT:
      return Tr(lang, "strukturerad professionell bedömning", "structured professional judgement");
    case v1::CHECKLIST:
      return Tr(lang, "checklista", "checklist");
    default:
      return Tr(lang, "ospecificerad", "unspecified");
  }
}

std::string KindLabel(const Instrument& instrument, std::string_view lang) {
  const std::string& own = TextIn(instrument.definition().kind_text(), lang);
  return own.empty() ? KindLabel(instrument.definition().kind(), lang) : own;
}

std::string ResultLevelLabel(const Instrument& instrument, std::string_view level,
                             std::string_view lang) {
  if (level.empty()) return {};
  if (const int band = instrument.BandIndex(level); band >= 0) {
    return TextIn(instrument.definition().banding().bands(band).text(), lang);
  }
  return instrument.LevelLabel(level, lang);
}

std::string LevelLabelFor(const Registry& registry, std::string_view instrument_id,
                          std::string_view level, std::string_view lang) {
  if (auto instrument = registry.Find(instrument_id)) {
    return ResultLevelLabel(*instrument, level, lang);
  }
  if (level == "low") return Tr(lang, "låg", "low");
  if (level == "medium") return Tr(lang, "medel", "medium");
  if (level == "high") return Tr(lang, "hög", "high");
  return std::string(level);
}

std::string TargetGroupLabel(v1::TargetGroup group, std::string_view lang) {
  switch (group) {
    case v1::ANY_CONTACT:
      return Tr(lang, "alla vid ny kontakt", "anyone at a new contact");
    case v1::ADULT_VICTIM:
      return Tr(lang, "våldsutsatt vuxen", "adult subjected to violence");
    case v1::CHILD:
      return Tr(lang, "barn", "child");
    case v1::PERPETRATOR:
      return Tr(lang, "våldsutövare", "person who uses violence");
    default:
      return Tr(lang, "ospecificerad", "unspecified");
  }
}

std::string ItemTypeLabel(const v1::Item& item, std::string_view lang) {
  switch (item.type()) {
    case v1::YES_NO:
      return Tr(lang, "ja/nej", "yes/no");
    case v1::SINGLE_CHOICE:
      return Tr(lang, "ett val", "single choice");
    case v1::MULTI_CHOICE:
      return Tr(lang, "flera val", "multiple choice");
    case v1::INTEGER:
      return std::string(Tr(lang, "heltal ", "integer ")) + std::to_string(item.min()) + ".." +
             std::to_string(item.max());
    case v1::DATE:
      return Tr(lang, "datum", "date");
    case v1::TEXT:
      return Tr(lang, "fritext", "free text");
    case v1::SPJ_FACTOR:
      return item.current_and_history() ? Tr(lang, "SPJ-faktor (aktuellt och historiskt)",
                                             "SPJ factor (current and history)")
                                        : Tr(lang, "SPJ-faktor", "SPJ factor");
    case v1::PROTECTIVE:
      return Tr(lang, "skyddsfaktor 0-2", "protective factor 0-2");
    case v1::GROUP:
      return Tr(lang, "upprepad grupp", "repeated group");
    default:
      return Tr(lang, "ospecificerad", "unspecified");
  }
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
    if (code == "yes") return Tr(lang, "ja", "yes");
    if (code == "no") return Tr(lang, "nej", "no");
    if (code == "unknown") return Tr(lang, "vet ej / vill inte svara", "don't know / declined");
  }
  if (item.type() == v1::SPJ_FACTOR) {
    if (code == "present") return Tr(lang, "J, föreligger", "present");
    if (code == "partial") return Tr(lang, "D, föreligger delvis", "partly present");
    if (code == "absent") return Tr(lang, "N, föreligger inte", "absent");
    if (code == "insufficient")
      return Tr(lang, "--, otillräcklig information", "insufficient information");
  }
  if (item.type() == v1::PROTECTIVE) {
    if (code == "0") return Tr(lang, "0, saknas", "0, absent");
    if (code == "1") return Tr(lang, "1, finns delvis", "1, partly present");
    if (code == "2") return Tr(lang, "2, finns", "2, present");
    if (code == "unknown") return Tr(lang, "okänt", "unknown");
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

std::string YesNoLabel(bool value, std::string_view lang) {
  return value ? Tr(lang, "ja", "yes") : Tr(lang, "nej", "no");
}

}  // namespace screening::cli
