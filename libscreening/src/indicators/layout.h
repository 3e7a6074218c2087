// The report's layout: the columns of each measure, the facts the store counts, and the
// pure step from facts to tables (rows from the definitions and the vocabulary, sums for
// complementary suppression, shares linked to their counts).
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
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

// The column ids of a table, in order (some depend on the table's options).
std::vector<std::string> TableColumns(const v1::IndicatorTableDefinition& table);

// The support directory's resource ids by resource tag (instruments_dir/directory): which
// resources count as "meant for" a group (informing_resource_tags).
Result<std::map<std::string, std::vector<std::string>>> ResourcesByTag(
    const std::filesystem::path& instruments_dir, const Registry& registry);

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
  // Distinct cases with a counted assessment, by the instrument's target group (a subject
  // role id), and in all.
  std::map<std::string, std::int64_t> cases_assessed_by_group;
  std::int64_t cases_assessed = 0;

  // Due items by kind: on time, late, overdue, not yet due.
  std::map<std::string, std::array<std::int64_t, 4>> due;

  // People in cases with a new contact in the period, by role: persons, given information
  // (for the person, or for the case without naming a person: definitions version 1).
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> roles;
  // Of those, by role: given information recorded for the person.
  std::map<std::string, std::int64_t> roles_informed_in_person;
  // People who use violence given information recorded for them that included a resource
  // with one of the PERPETRATORS table's informing_resource_tags.
  std::int64_t perpetrators_informed_with_resource = 0;

  // The case systems' numbers of new contacts in the period, by unit: months recorded (of
  // `period_months`) and their sum. Empty unless a table uses them.
  struct CaseSystemContacts {
    int months = 0;
    std::int64_t contacts = 0;
  };
  std::map<std::string, CaseSystemContacts> case_system;
  int period_months = 0;  // whole calendar months in the period; 0: not whole months
  // Persons by vulnerable group; empty when no table may count them for the period
  // (SpecialCategoryCounted).
  std::map<std::string, std::int64_t> vulnerable_groups;

  std::int64_t submitted = 0, approved = 0, returned = 0, level_changed = 0, awaiting = 0;
  std::int64_t review_times = 0;  // approvals measured
  double median_review_hours = 0;
};

// Builds the tables of `definitions` from `facts` into `report` (whose header the caller has
// filled: the period and cut-off decide whether special-category tables are counted,
// SpecialCategoryCounted), without small-count suppression.
void BuildIndicatorTables(const IndicatorDefinitions& definitions, const Registry& registry,
                          const IndicatorFacts& facts, IndicatorReport* report);

}  // namespace screening::internal
