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

}  // namespace screening::cli
