// The indicator counts: one pass over a covering index per fact (schema migrations 2 and 4),
// grouped in memory; one read transaction so every table sees the same data; no blob decoded.
// What each pass counts and why is in docs/indicators.md.
#include "store/sqlite/indicators_sqlite.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/swedish_time.h"
#include "indicators/layout.h"
#include "store/sqlite/sql.h"

namespace screening::internal {
namespace {

// Placeholders "?N" handed out in order, and their values bound in the same order.
class Params {
 public:
  std::string Add(std::string value) {
    values_.push_back(std::move(value));
    return fmt::format("?{}", values_.size());
  }
  // "?a, ?b, ..." for a list (never empty: callers check).
  std::string List(const std::vector<std::string>& values) {
    std::vector<std::string> marks;
    for (const auto& v : values) marks.push_back(Add(v));
    return fmt::format("{}", fmt::join(marks, ", "));
  }
  void BindTo(Stmt& st) const {
    for (std::size_t i = 0; i < values_.size(); ++i) st.Bind(static_cast<int>(i) + 1, values_[i]);
  }

 private:
  std::vector<std::string> values_;
};

// Sorted, distinct ids: what one pass collects and a later pass looks up, walking both in id
// order (every later pass asks SQLite for its rows in id order, which its index gives).
using Ids = std::vector<std::int64_t>;

void SortUnique(Ids& ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
}

bool Contains(const Ids& sorted, std::int64_t id) {
  return std::binary_search(sorted.begin(), sorted.end(), id);
}

// Small numbers for the distinct texts of a few columns (units, outcomes, levels, roles,
// recommendations...), so a pass over hundreds of thousands of rows groups them without
// copying a string per row.
class Words {
 public:
  int Of(std::string_view word) {
    if (last_ >= 0 && words_[static_cast<std::size_t>(last_)] == word) return last_;
    auto it = index_.find(word);
    if (it == index_.end()) {
      words_.emplace_back(word);
      it = index_.emplace(words_.back(), static_cast<int>(words_.size() - 1)).first;
    }
    last_ = it->second;
    return last_;
  }
  const std::string& operator[](int i) const { return words_[static_cast<std::size_t>(i)]; }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::vector<std::string> words_;
  std::unordered_map<std::string, int, Hash, std::equal_to<>> index_;
  int last_ = -1;
};

// Each fact is counted in one pass over a covering index (schema migrations 2 and 4), rows
// grouped in memory; the few joins are merges of two id-ordered passes. At a million contacts
// this is several times faster than letting SQLite group and join row by row (docs/performance.md).

class Counter {
 public:
  Counter(sqlite3* db, const IndicatorRequest& request, const std::vector<std::string>& units,
          const IndicatorDefinitions& defs, const IndicatorCountInputs& inputs, std::string cutoff)
      : db_(db),
        request_(request),
        units_(units),
        defs_(defs),
        inputs_(inputs),
        cutoff_(std::move(cutoff)) {
    from_utc_ = SwedishMidnightUtc(request.period.from);
    end_utc_ = SwedishMidnightUtc(AddDays(request.period.to, 1));
    instruments_.assign(defs.definition().assessment_instruments().begin(),
                        defs.definition().assessment_instruments().end());
  }

  // Which passes Run makes: all, or one of two parts of about equal work, which two threads
  // count at once on two connections reading the same snapshot: contacts, people, due items
  // and review decisions; the counted assessments with their recommendations and children.
  enum class Part { kAll, kPeople, kAssessments };

  Status Run(IndicatorFacts* facts, Part part = Part::kAll) {
    bool contacts = false, subjects = false, assessments = false, recommendations = false,
         due = false, review = false, case_system = false;
    const v1::IndicatorTableDefinition* children = nullptr;
    for (const auto& t : defs_.definition().tables()) {
      switch (t.measure()) {
        case v1::CONTACTS:
          contacts = true;
          case_system |= t.case_system_denominator();
          break;
        case v1::NOT_ASKED_REASONS:
        case v1::CASES_WITH_DISCLOSURE:
        case v1::VIOLENCE_TYPES:
          contacts = true;
          break;
        case v1::ASSESSMENTS:
        case v1::LEVELS:
          assessments = true;
          break;
        case v1::CASES_WITH_ASSESSMENT:
          assessments = cases_assessed_ = true;
          break;
        case v1::CHILDREN:
          assessments = recommendations = true;
          children = &t;
          break;
        case v1::INTERVENTIONS:
          recommendations = true;
          break;
        case v1::DUE_ITEMS:
          due = true;
          break;
        case v1::PERPETRATORS:
          subjects = true;
          break;
        case v1::VULNERABLE_GROUPS:
          subjects = true;
          // Special-category data is not even read for a period it may not be counted for.
          vulnerable_groups_ |=
              !t.special_category() || SpecialCategoryCounted(request_.period, cutoff_);
          break;
        case v1::SUBJECT_ROLES:
          subjects = assessments = true;
          break;
        case v1::REVIEW:
          review = true;
          break;
        default:
          break;
      }
    }
    if (part == Part::kAssessments) contacts = subjects = due = review = case_system = false;
    if (part == Part::kPeople) assessments = recommendations = false;
    if (contacts || subjects) {
      Ids cases;
      if (Status s = Contacts(facts, &cases); !s.ok()) return s;
      if (subjects) {
        if (Status s = Subjects(cases, facts); !s.ok()) return s;
      }
    }
    if (assessments || recommendations) {
      if (Status s = Assessments(children, recommendations, facts); !s.ok()) return s;
    }
    if (due) {
      if (Status s = Due(facts); !s.ok()) return s;
    }
    if (case_system) {
      if (Status s = CaseSystem(facts); !s.ok()) return s;
    }
    if (review) {
      if (Status s = Review(facts); !s.ok()) return s;
    }
    return Status::Ok();
  }

 private:
  // " AND <column> IN (...)" for the units counted, or "" for every unit.
  std::string UnitFilter(Params& p, std::string_view column) const {
    if (units_.empty()) return "";
    return fmt::format(" AND {} IN ({})", column, p.List(units_));
  }

  // New contacts in the period by unit, outcome and not-asked reason; distinct cases with a
  // disclosure; disclosures by violence type. `cases`: every case with a new contact in the
  // period, for the people counts.
  Status Contacts(IndicatorFacts* facts, Ids* cases) {
    Ids disclosed_cases, disclosed_contacts;
    {
      Params p;
      const std::string sql = fmt::format(
          // The covering index by date, also for one unit: SQLite would otherwise take the
          // unit's index and read every contact row.
          "SELECT unit_id, outcome, not_asked_reason, case_id, id FROM contacts "
          "INDEXED BY contacts_for_indicators "
          "WHERE contact_date BETWEEN {} AND {} AND created_utc <= {}{}",
          p.Add(request_.period.from), p.Add(request_.period.to), p.Add(cutoff_),
          UnitFilter(p, "unit_id"));
      Stmt st(db_, sql);
      if (!st.ok()) return st.prepare_status();
      p.BindTo(st);
      Words units, outcomes, reasons;
      const int disclosed = outcomes.Of("disclosed");
      std::map<std::array<int, 3>, std::int64_t> groups;
      while (st.Step()) {
        const int outcome = outcomes.Of(st.View(1));
        ++groups[{units.Of(st.View(0)), outcome, reasons.Of(st.View(2))}];
        const std::int64_t case_id = st.Int(3);
        cases->push_back(case_id);
        if (outcome == disclosed) {
          disclosed_cases.push_back(case_id);
          disclosed_contacts.push_back(st.Int(4));
        }
      }
      if (!st.status().ok()) return st.status();
      for (const auto& [key, n] : groups) {
        facts->contacts.push_back({units[key[0]], outcomes[key[1]], reasons[key[2]], n});
      }
    }
    SortUnique(*cases);
    SortUnique(disclosed_cases);
    facts->cases_with_disclosure = static_cast<std::int64_t>(disclosed_cases.size());
    SortUnique(disclosed_contacts);
    if (disclosed_contacts.empty()) return Status::Ok();
    Stmt st(db_,
            "SELECT contact_id, type FROM contact_violence_types WHERE contact_id BETWEEN ?1 "
            "AND ?2 ORDER BY contact_id");
    if (!st.ok()) return st.prepare_status();
    st.Bind(1, disclosed_contacts.front()).Bind(2, disclosed_contacts.back());
    Words types;
    std::map<int, std::int64_t> by_type;
    auto next = disclosed_contacts.begin();
    while (st.Step()) {
      const std::int64_t contact = st.Int(0);
      while (next != disclosed_contacts.end() && *next < contact) ++next;
      if (next != disclosed_contacts.end() && *next == contact) ++by_type[types.Of(st.View(1))];
    }
    if (!st.status().ok()) return st.status();
    for (const auto& [type, n] : by_type) facts->violence_types[types[type]] = n;
    return Status::Ok();
  }

  // The counted assessments of `instruments`: each chain whose first version was submitted
  // in the period, as its latest version submitted (and not returned) at the cut-off.
  // Columns: id, chain_id, instrument_id, computed_level, final_level, override_direction,
  // band_certain, subject_id, case_id. Amended chains are few: they are found through the partial
  // index of versions after the first.
  std::string Counted(Params& p, const std::vector<std::string>& instruments) const {
    const std::string from = p.Add(request_.period.from);
    const std::string to = p.Add(request_.period.to);
    const std::string cutoff = p.Add(cutoff_);
    const std::string list_a = p.List(instruments);
    const std::string units_a = UnitFilter(p, "x.unit_id");
    const std::string list_b = p.List(instruments);
    const std::string units_b = UnitFilter(p, "x.unit_id");
    constexpr const char* kColumns =
        "x.id, x.chain_id, x.instrument_id, x.computed_level, x.final_level, "
        "x.override_direction, x.band_certain, x.subject_id, x.case_id";
    return fmt::format(
        "SELECT {0} FROM assessments x "
        "WHERE x.instrument_id IN ({4}) AND x.submitted_local_date BETWEEN {1} AND {2} "
        "AND x.version = 1 AND x.status IN ('submitted', 'approved') AND x.submitted_utc <= {3}{5} "
        "AND NOT EXISTS (SELECT 1 FROM assessments y WHERE y.chain_id = x.chain_id "
        "AND y.version > 1 AND y.status IN ('submitted', 'approved') AND y.submitted_utc <= {3}) "
        "UNION ALL "
        "SELECT {0} FROM assessments x CROSS JOIN assessments f "
        "WHERE x.version > 1 AND x.instrument_id IN ({6}) "
        "AND x.status IN ('submitted', 'approved') AND x.submitted_utc <= {3}{7} "
        "AND f.chain_id = x.chain_id AND f.version = 1 AND f.status IN ('submitted', 'approved') "
        "AND f.submitted_local_date BETWEEN {1} AND {2} AND f.submitted_utc <= {3} "
        "AND NOT EXISTS (SELECT 1 FROM assessments y WHERE y.chain_id = x.chain_id "
        "AND y.version > x.version AND y.status IN ('submitted', 'approved') "
        "AND y.submitted_utc <= {3})",
        kColumns, from, to, cutoff, list_a, units_a, list_b, units_b);
  }

  // One counted assessment, its texts as Words numbers.
  struct CountedRow {
    std::int64_t id = 0, chain = 0, subject = 0, case_id = 0;  // subject 0: none linked
    int instrument = 0, computed = 0, final_level = 0, direction = 0, role = 0;
    bool certain = true, in_assessments = false, child = false, immediate = false;
  };

  // The counted assessments, once, for every table that needs them: by instrument, levels,
  // uncertainty, override and the linked person's role; their recommendations; the children.
  Status Assessments(const v1::IndicatorTableDefinition* children, bool recommendations,
                     IndicatorFacts* facts) {
    std::vector<std::string> child;
    if (children) child.assign(children->instruments().begin(), children->instruments().end());
    std::vector<std::string> wanted = instruments_;
    for (const auto& c : child) {
      if (std::find(wanted.begin(), wanted.end(), c) == wanted.end()) wanted.push_back(c);
    }
    if (wanted.empty()) return Status::Ok();
    Words words;  // instruments, levels, directions, roles, recommendations
    const int none = words.Of("");
    std::vector<CountedRow> rows;
    {
      Params p;
      Stmt st(db_, Counted(p, wanted));
      if (!st.ok()) return st.prepare_status();
      p.BindTo(st);
      while (st.Step()) {
        CountedRow c;
        c.id = st.Int(0);
        c.chain = st.Int(1);
        const std::string_view instrument = st.View(2);
        c.instrument = words.Of(instrument);
        c.computed = words.Of(st.View(3));
        c.final_level = words.Of(st.View(4));
        c.direction = words.Of(st.View(5));
        c.certain = st.IsNull(6) || st.Int(6) != 0;
        c.subject = st.IsNull(7) ? 0 : st.Int(7);
        c.case_id = st.Int(8);
        c.role = none;
        c.in_assessments =
            std::find(instruments_.begin(), instruments_.end(), instrument) != instruments_.end();
        c.child = std::find(child.begin(), child.end(), instrument) != child.end();
        rows.push_back(c);
      }
      if (!st.status().ok()) return st.status();
    }
    if (rows.empty()) return Status::Ok();
    std::sort(rows.begin(), rows.end(),
              [](const CountedRow& a, const CountedRow& b) { return a.id < b.id; });

    // The linked people's roles: one pass over the people between the first and last linked.
    Ids people;
    for (const CountedRow& c : rows) {
      if (c.subject != 0) people.push_back(c.subject);
    }
    SortUnique(people);
    std::vector<int> role_of(people.size(), none);
    if (!people.empty()) {
      Stmt st(db_, "SELECT id, role FROM subjects WHERE id BETWEEN ?1 AND ?2 ORDER BY id");
      if (!st.ok()) return st.prepare_status();
      st.Bind(1, people.front()).Bind(2, people.back());
      std::size_t next = 0;
      while (st.Step()) {
        const std::int64_t id = st.Int(0);
        while (next < people.size() && people[next] < id) ++next;
        if (next < people.size() && people[next] == id) role_of[next] = words.Of(st.View(1));
      }
      if (!st.status().ok()) return st.status();
      for (CountedRow& c : rows) {
        if (c.subject == 0) continue;
        c.role = role_of[static_cast<std::size_t>(
            std::lower_bound(people.begin(), people.end(), c.subject) - people.begin())];
      }
    }

    // Recommendations: rows are in id order, and so are the recommendations read.
    if (recommendations) {
      const int immediate = words.Of(children ? children->immediate_need_recommendation() : "");
      std::map<std::pair<int, int>, std::int64_t> recommended;
      Stmt st(db_,
              "SELECT assessment_id, recommendation FROM assessment_recommendations "
              "WHERE assessment_id BETWEEN ?1 AND ?2 ORDER BY assessment_id");
      if (!st.ok()) return st.prepare_status();
      st.Bind(1, rows.front().id).Bind(2, rows.back().id);
      auto next = rows.begin();
      while (st.Step()) {
        const std::int64_t id = st.Int(0);
        while (next != rows.end() && next->id < id) ++next;
        if (next == rows.end() || next->id != id) continue;
        const int recommendation = words.Of(st.View(1));
        if (next->in_assessments) ++recommended[{next->instrument, recommendation}];
        if (next->child && children && recommendation == immediate) next->immediate = true;
      }
      if (!st.status().ok()) return st.status();
      for (const auto& [key, n] : recommended) {
        facts->recommendations[{words[key.first], words[key.second]}] = n;
      }
    }

    std::map<std::array<int, 6>, std::int64_t> groups;
    Ids children_assessed, children_in_need, cases_assessed;
    std::map<std::string, Ids> cases_by_group;
    for (const CountedRow& c : rows) {
      if (c.in_assessments) {
        ++groups[{c.instrument, c.computed, c.final_level, c.direction, c.certain ? 1 : 0, c.role}];
        if (cases_assessed_) {
          cases_assessed.push_back(c.case_id);
          auto group = inputs_.target_group_of.find(words[c.instrument]);
          if (group != inputs_.target_group_of.end())
            cases_by_group[group->second].push_back(c.case_id);
        }
      }
      if (c.child) {
        // A child counts once: the person assessed, or the assessment when none is linked.
        const std::int64_t key = c.subject != 0 ? c.subject : -c.chain;
        children_assessed.push_back(key);
        if (c.immediate) children_in_need.push_back(key);
      }
    }
    for (const auto& [key, n] : groups) {
      IndicatorFacts::AssessmentGroup g;
      g.instrument = words[key[0]];
      g.computed = words[key[1]];
      g.final_level = words[key[2]];
      g.direction = words[key[3]];
      g.certain = key[4] != 0;
      g.role = words[key[5]];
      g.n = n;
      facts->assessments.push_back(std::move(g));
    }
    if (cases_assessed_) {
      SortUnique(cases_assessed);
      facts->cases_assessed = static_cast<std::int64_t>(cases_assessed.size());
      for (auto& [group, ids] : cases_by_group) {
        SortUnique(ids);
        facts->cases_assessed_by_group[group] = static_cast<std::int64_t>(ids.size());
      }
    }
    if (children) {
      SortUnique(children_assessed);
      SortUnique(children_in_need);
      facts->children_assessed = static_cast<std::int64_t>(children_assessed.size());
      facts->children_immediate_need = static_cast<std::int64_t>(children_in_need.size());
    }
    return Status::Ok();
  }

  // Due items whose due date lies in the period. Done on time: done before the end of the due
  // date in Swedish local time (22:00 or 23:00 UTC, summer time decided per year by the
  // last Sundays of March and October, given as parameters).
  Status Due(IndicatorFacts* facts) {
    Params p;
    const std::string from = p.Add(request_.period.from);
    const std::string to = p.Add(request_.period.to);
    const std::string cutoff = p.Add(cutoff_);
    std::vector<std::string> summer;
    const int first = std::stoi(request_.period.from.substr(0, 4));
    const int last = std::stoi(request_.period.to.substr(0, 4));
    for (int y = first; y <= last; ++y) {
      const SummerTimeDates dates = SwedishSummerTime(y);
      summer.push_back(fmt::format("(due_date >= {} AND due_date < {})", p.Add(dates.begins),
                                   p.Add(dates.ends)));
    }
    const std::string deadline =
        fmt::format("(due_date || CASE WHEN {} THEN 'T22:00:00Z' ELSE 'T23:00:00Z' END)",
                    fmt::join(summer, " OR "));
    // The covering index by due date, also for one unit (otherwise: the unit's open-items
    // index over every year, row by row).
    const std::string sql = fmt::format(
        "SELECT kind, CASE WHEN done_utc IS NOT NULL AND done_utc <= {2} "
        "THEN (CASE WHEN done_utc < {3} THEN 0 ELSE 1 END) "
        "WHEN {3} <= {2} THEN 2 ELSE 3 END, COUNT(*) FROM due_items "
        "INDEXED BY due_items_by_due_date WHERE due_date BETWEEN {0} AND {1} AND created_utc <= "
        "{2}{4} GROUP BY 1, 2",
        from, to, cutoff, deadline, UnitFilter(p, "unit_id"));
    Stmt st(db_, sql);
    if (!st.ok()) return st.prepare_status();
    p.BindTo(st);
    while (st.Step()) {
      const std::int64_t state = st.Int(1);
      if (state >= 0 && state < 4)
        facts->due[st.Text(0)][static_cast<std::size_t>(state)] = st.Int(2);
    }
    return st.status();
  }

  // People in cases with a new contact in the period (`cases`, sorted), by role, whether they
  // (or their case, when the record names nobody) were given support information in the
  // period, whether it was recorded for them, and with a resource for people who use
  // violence; and their vulnerable groups when a table counts them (vulnerable_groups_).
  Status Subjects(const Ids& cases, IndicatorFacts* facts) {
    // Support information given in the period: (case, person or 0 for the whole case), and
    // those including an informing resource.
    std::vector<std::pair<std::int64_t, std::int64_t>> informed, informed_with_resource;
    {
      Stmt st(db_,
              "SELECT case_id, COALESCE(subject_id, 0), resource_id FROM support_given "
              "WHERE local_date BETWEEN ?1 AND ?2 AND created_utc <= ?3");
      if (!st.ok()) return st.prepare_status();
      st.Bind(1, request_.period.from).Bind(2, request_.period.to).Bind(3, cutoff_);
      const auto& resources = inputs_.informing_resources;
      while (st.Step()) {
        informed.emplace_back(st.Int(0), st.Int(1));
        if (std::binary_search(resources.begin(), resources.end(), st.View(2)))
          informed_with_resource.emplace_back(st.Int(0), st.Int(1));
      }
      if (!st.status().ok()) return st.status();
      std::sort(informed.begin(), informed.end());
      std::sort(informed_with_resource.begin(), informed_with_resource.end());
    }
    const auto in = [](const auto& sorted, std::int64_t case_id, std::int64_t person) {
      return std::binary_search(sorted.begin(), sorted.end(), std::pair{case_id, person});
    };
    Ids people;
    {
      Stmt st(db_, "SELECT id, case_id, role FROM subjects WHERE created_utc <= ?1 ORDER BY id");
      if (!st.ok()) return st.prepare_status();
      st.Bind(1, cutoff_);
      Words roles;
      const int perpetrator = roles.Of("perpetrator");
      struct RoleCounts {
        std::int64_t persons = 0, given = 0, given_in_person = 0;
      };
      std::map<int, RoleCounts> by_role;
      while (st.Step()) {
        const std::int64_t case_id = st.Int(1);
        if (!Contains(cases, case_id)) continue;
        const std::int64_t id = st.Int(0);
        people.push_back(id);
        const int role = roles.Of(st.View(2));
        RoleCounts& n = by_role[role];
        ++n.persons;
        const bool in_person = in(informed, case_id, id);
        if (in_person || in(informed, case_id, 0)) ++n.given;
        if (in_person) ++n.given_in_person;
        if (role == perpetrator && in(informed_with_resource, case_id, id))
          ++facts->perpetrators_informed_with_resource;
      }
      if (!st.status().ok()) return st.status();
      for (const auto& [role, n] : by_role) {
        facts->roles[roles[role]] = {n.persons, n.given};
        facts->roles_informed_in_person[roles[role]] = n.given_in_person;
      }
    }
    if (people.empty() || !vulnerable_groups_) return Status::Ok();
    Stmt st(db_,
            "SELECT subject_id, vgroup FROM subject_groups WHERE subject_id BETWEEN ?1 AND ?2 "
            "ORDER BY subject_id");
    if (!st.ok()) return st.prepare_status();
    st.Bind(1, people.front()).Bind(2, people.back());
    auto next = people.begin();
    while (st.Step()) {
      const std::int64_t id = st.Int(0);
      while (next != people.end() && *next < id) ++next;
      if (next != people.end() && *next == id) ++facts->vulnerable_groups[st.Text(1)];
    }
    return st.status();
  }

  // The case systems' numbers of new contacts for the period's months, by unit. Only a period
  // of whole calendar months has them (period_months stays 0 otherwise).
  Status CaseSystem(IndicatorFacts* facts) {
    const std::string& from = request_.period.from;
    const std::string& to = request_.period.to;
    if (from.substr(8) != "01" || AddDays(to, 1).substr(8) != "01") return Status::Ok();
    const int months = (std::stoi(to.substr(0, 4)) - std::stoi(from.substr(0, 4))) * 12 +
                       std::stoi(to.substr(5, 2)) - std::stoi(from.substr(5, 2)) + 1;
    facts->period_months = months;
    Params p;
    const std::string sql = fmt::format(
        "SELECT unit_id, COUNT(*), SUM(contacts) FROM case_system_contacts "
        "WHERE month BETWEEN {} AND {} AND recorded_utc <= {}{} GROUP BY unit_id",
        p.Add(from.substr(0, 7)), p.Add(to.substr(0, 7)), p.Add(cutoff_), UnitFilter(p, "unit_id"));
    Stmt st(db_, sql);
    if (!st.ok()) return st.prepare_status();
    p.BindTo(st);
    while (st.Step()) {
      facts->case_system[st.Text(0)] = {static_cast<int>(st.Int(1)), st.Int(2)};
    }
    return st.status();
  }

  Status Review(IndicatorFacts* facts) {
    if (instruments_.empty()) return Status::Ok();
    // Decisions made in the period (Swedish local dates as a UTC range), and for approvals
    // the time since the submission. The review row has what is needed (migration 4).
    {
      Params p;
      const std::string sql = fmt::format(
          "SELECT decision, CASE WHEN decision = 'approved' THEN "
          "unixepoch(created_utc) - unixepoch(submitted_utc) END FROM reviews "
          "WHERE instrument_id IN ({}) AND created_utc >= {} AND created_utc < {} "
          "AND created_utc <= {}{}",
          p.List(instruments_), p.Add(from_utc_), p.Add(end_utc_), p.Add(cutoff_),
          UnitFilter(p, "unit_id"));
      Stmt st(db_, sql);
      if (!st.ok()) return st.prepare_status();
      p.BindTo(st);
      std::vector<std::int64_t> seconds;
      while (st.Step()) {
        const std::string_view decision = st.View(0);
        if (decision == "approved") {
          ++facts->approved;
          if (!st.IsNull(1)) seconds.push_back(st.Int(1));
        } else if (decision == "returned") {
          ++facts->returned;
        } else if (decision == "level_changed") {
          ++facts->level_changed;
        }
      }
      if (!st.status().ok()) return st.status();
      facts->review_times = static_cast<std::int64_t>(seconds.size());
      if (!seconds.empty()) {
        const std::size_t mid = seconds.size() / 2;
        std::nth_element(seconds.begin(), seconds.begin() + static_cast<std::ptrdiff_t>(mid),
                         seconds.end());
        double median = static_cast<double>(seconds[mid]);
        if (seconds.size() % 2 == 0) {
          const auto lower = *std::max_element(seconds.begin(),
                                               seconds.begin() + static_cast<std::ptrdiff_t>(mid));
          median = (median + static_cast<double>(lower)) / 2;
        }
        facts->median_review_hours = median / 3600.0;
      }
    }
    // Submissions in the period (each version's last submission) and, of those, the ones
    // with no approval or return between the submission and the cut-off. A submission in the
    // period is at or after the period's first Swedish midnight, and so are its decisions.
    std::vector<std::pair<std::int64_t, std::int64_t>> decided;  // assessment, latest decision
    {
      Params p;
      const std::string sql = fmt::format(
          "SELECT assessment_id, unixepoch(created_utc) FROM reviews WHERE instrument_id IN ({}) "
          "AND created_utc >= {} AND created_utc <= {} AND decision IN ('approved', 'returned')",
          p.List(instruments_), p.Add(from_utc_), p.Add(cutoff_));
      Stmt st(db_, sql);
      if (!st.ok()) return st.prepare_status();
      p.BindTo(st);
      while (st.Step()) decided.emplace_back(st.Int(0), st.Int(1));
      if (!st.status().ok()) return st.status();
      std::sort(decided.begin(), decided.end());
    }
    Params p;
    const std::string sql = fmt::format(
        "SELECT id, unixepoch(submitted_utc) FROM assessments "
        "WHERE instrument_id IN ({}) AND submitted_local_date BETWEEN {} AND {} "
        "AND submitted_utc <= {}{}",
        p.List(instruments_), p.Add(request_.period.from), p.Add(request_.period.to),
        p.Add(cutoff_), UnitFilter(p, "unit_id"));
    Stmt st(db_, sql);
    if (!st.ok()) return st.prepare_status();
    p.BindTo(st);
    while (st.Step()) {
      ++facts->submitted;
      const std::int64_t id = st.Int(0), submitted = st.Int(1);
      // The latest decision on this version (pairs sort by time within an id).
      auto last = std::upper_bound(decided.begin(), decided.end(),
                                   std::pair{id, std::numeric_limits<std::int64_t>::max()});
      if (last == decided.begin() || std::prev(last)->first != id ||
          std::prev(last)->second < submitted) {
        ++facts->awaiting;
      }
    }
    return st.status();
  }

  sqlite3* db_;
  const IndicatorRequest& request_;
  const std::vector<std::string>& units_;
  const IndicatorDefinitions& defs_;
  const IndicatorCountInputs& inputs_;
  std::string cutoff_;
  std::string from_utc_, end_utc_;
  std::vector<std::string> instruments_;
  bool cases_assessed_ = false;     // a table counts the cases with an assessment
  bool vulnerable_groups_ = false;  // a table counts vulnerable groups for this period
};

// The facts of `from` (a Run of Part::kAssessments) moved into `to`.
void MergeAssessmentFacts(IndicatorFacts&& from, IndicatorFacts* to) {
  to->assessments = std::move(from.assessments);
  to->recommendations = std::move(from.recommendations);
  to->children_assessed = from.children_assessed;
  to->children_immediate_need = from.children_immediate_need;
  to->cases_assessed = from.cases_assessed;
  to->cases_assessed_by_group = std::move(from.cases_assessed_by_group);
}

struct CloseDb {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using DbPtr = std::unique_ptr<sqlite3, CloseDb>;

// Starts a read transaction on `db` and on a second, read-only connection to the same file, and
// returns that connection when both read the same snapshot: both read transactions begin while
// a third connection holds the write lock, so no commit can fall between them. Null when that
// cannot be had (an in-memory database, the write lock busy for a second): then `db`'s
// transaction is still begun, and the caller counts on `db` alone.
Result<DbPtr> BeginTwinReads(sqlite3* db, bool want_twin) {
  const auto begin_reading = [](sqlite3* c) -> Status {
    if (Status s = Exec(c, "BEGIN", "starting the indicator count"); !s.ok()) return s;
    // A read transaction takes its snapshot at its first read.
    Stmt st(c, "SELECT COUNT(*) FROM meta");
    if (!st.ok()) return st.prepare_status();
    (void)st.Step();
    return st.status();
  };
  const char* path = sqlite3_db_filename(db, "main");
  DbPtr lock, twin;
  if (want_twin && path && *path) {
    sqlite3* raw = nullptr;
    const int rc =
        sqlite3_open_v2(path, &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, nullptr);
    lock.reset(raw);
    if (rc == SQLITE_OK) {
      sqlite3_busy_timeout(raw, 1000);
      if (!Exec(raw, "BEGIN IMMEDIATE", "holding writers for the indicator count").ok())
        lock.reset();
    } else {
      lock.reset();
    }
  }
  if (lock) {
    sqlite3* raw = nullptr;
    const int rc =
        sqlite3_open_v2(path, &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX, nullptr);
    twin.reset(raw);
    if (rc != SQLITE_OK || !Exec(raw, "PRAGMA trusted_schema = OFF", "configuring").ok() ||
        !begin_reading(raw).ok()) {
      twin.reset();
    }
  }
  Status begun = begin_reading(db);
  if (lock) (void)Exec(lock.get(), "ROLLBACK", "letting writers go on");
  if (!begun.ok()) return begun;
  return twin;
}

}  // namespace

Status CountIndicatorFactsSqlite(sqlite3* db, const IndicatorCount& count,
                                 IndicatorFacts* facts_out) {
  const IndicatorRequest& request = *count.request;
  const std::vector<std::string>& units = count.units;
  const IndicatorDefinitions& defs = *count.definitions;
  const IndicatorCountInputs& inputs = count.inputs;
  const std::string& cutoff = count.cutoff_utc;
  IndicatorFacts& facts = *facts_out;
  {
    // One snapshot: every table counts the same data. When the store's connection is not in a
    // transaction of its own, two threads count, on it and on a twin reading the same snapshot.
    const bool own = sqlite3_get_autocommit(db) != 0;
    DbPtr twin;
    if (own) {
      auto begun = BeginTwinReads(db, count.threads > 1);
      if (!begun.ok()) return begun.status();
      twin = std::move(*begun);
    }
    Status counted;
    if (twin) {
      IndicatorFacts assessed;
      Status assessed_status;
      const auto count_assessments = [&] {
        assessed_status = Counter(twin.get(), request, units, defs, inputs, cutoff)
                              .Run(&assessed, Counter::Part::kAssessments);
      };
      std::thread other;
      try {
        other = std::thread(count_assessments);
      } catch (const std::system_error&) {
        count_assessments();  // no thread to be had: one after the other
      }
      counted =
          Counter(db, request, units, defs, inputs, cutoff).Run(&facts, Counter::Part::kPeople);
      if (other.joinable()) other.join();
      if (counted.ok()) counted = assessed_status;
      MergeAssessmentFacts(std::move(assessed), &facts);
      (void)Exec(twin.get(), "COMMIT", "ending the indicator count");
    } else {
      counted = Counter(db, request, units, defs, inputs, cutoff).Run(&facts);
    }
    if (own) (void)Exec(db, counted.ok() ? "COMMIT" : "ROLLBACK", "ending the indicator count");
    return counted;
  }
}

}  // namespace screening::internal
