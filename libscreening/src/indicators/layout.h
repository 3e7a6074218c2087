// The report's layout: the columns of each measure, the facts the store counts, and the
// pure step from facts to tables (rows from the definitions and the vocabulary, sums for
// complementary suppression, shares linked to their counts).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <screening/indicators.h>
#include <screening/registry.h>

namespace screening::internal {

// `s` with & < > " ' as character references, for HTML text and attributes and for SVG
// (render.cc and svg.cc).
std::string MarkupEscaped(std::string_view s);

// The column ids of a measure, in order.
std::vector<std::string> MeasureColumns(v1::IndicatorMeasure measure);

// The text of `texts` in sv and en.
IndicatorText TextOf(const google::protobuf::RepeatedPtrField<v1::LocalizedText>& texts);

// What the store counts for one request. Keys are vocabulary or instrument ids.
struct IndicatorFacts {
  struct ContactGroup {
    std::string unit, outcome, reason;  // reason: "" unless not_asked
    std::int64_t n = 0;
  };
  std::vector<ContactGroup> contacts;
  std::int64_t cases_with_disclosure = 0;
  std::map<std::string, std::int64_t> violence_types;  // contacts with a disclosure by type

  // Counted assessments (each once, its latest version at the cut-off), grouped.
  struct AssessmentGroup {
    std::string instrument, computed, final_level, direction, role;  // "" when not recorded
    bool certain = true;
    std::int64_t n = 0;
  };
  std::vector<AssessmentGroup> assessments;
  // (instrument, recommendation) -> counted assessments recommending it.
  std::map<std::pair<std::string, std::string>, std::int64_t> recommendations;
  std::int64_t children_assessed = 0;        // distinct children, children's instruments
  std::int64_t children_immediate_need = 0;  // of those, with the immediate-need recommendation

  // Due items by kind: on time, late, overdue, not yet due.
  std::map<std::string, std::array<std::int64_t, 4>> due;

  // People in cases with a new contact in the period, by role: persons, given information.
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> roles;
  std::map<std::string, std::int64_t> vulnerable_groups;

  std::int64_t submitted = 0, approved = 0, returned = 0, level_changed = 0, awaiting = 0;
  std::int64_t review_times = 0;  // approvals measured
  double median_review_hours = 0;
};

// Builds the tables of `definitions` from `facts` into `report` (whose header the caller has
// filled), without suppression.
void BuildIndicatorTables(const IndicatorDefinitions& definitions, const Registry& registry,
                          const IndicatorFacts& facts, IndicatorReport* report);

}  // namespace screening::internal
