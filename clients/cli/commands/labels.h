// Names of schema enums as shown to people (Swedish or English) and as written in JSON
// (stable lower-case ids). The labels of codes, statuses and levels both clients show are
// the library's (screening/labels.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <screening/instrument.h>
#include <screening/labels.h>
#include <screening/registry.h>

namespace screening::cli {

// "actuarial", "adult_victim", ...: the enum value's name in lower case, for JSON.
std::string KindId(v1::InstrumentKind kind);
std::string TargetGroupId(v1::TargetGroup group);
std::string ItemTypeId(v1::ItemType type);

// Labels for people.
// The general name of a kind ("regelbaserad", "aktuariellt", ...).
std::string KindLabel(v1::InstrumentKind kind, std::string_view lang);
// How `instrument`'s kind is named: its own `kind_text` ("checklista med regel" for dash),
// else the general name of its kind.
std::string KindLabel(const Instrument& instrument, std::string_view lang);
// The name of a level recorded for `instrument_id` in lists and messages that carry no
// instrument version: ResultLevelLabel of the instrument's current version ("Svagt skydd"
// for skydd's `low`), else "låg"/"medel"/"hög", else the id itself.
std::string LevelLabelFor(const Registry& registry, std::string_view instrument_id,
                          std::string_view level, std::string_view lang);
std::string TargetGroupLabel(v1::TargetGroup group, std::string_view lang);
std::string ItemTypeLabel(const v1::Item& item, std::string_view lang);

}  // namespace screening::cli
