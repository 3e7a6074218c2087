// The indicator counts in SQL: a few passes over covering indexes (schema migration 2), one
// read transaction so every table sees the same data, no blob decoded. What each query counts
// and why is in docs/indicators.md.
#include "store/indicators_sqlite.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <set>

#include "indicators/layout.h"
#include "store/local_time.h"
#include "store/sql.h"

namespace screening::internal {
namespace {

namespace ch = std::chrono;

}  // namespace

ch::sys_days DaysOf(std::string_view date);

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

}  // namespace

ch::sys_days DaysOf(std::string_view date) {
  const int y = std::stoi(std::string(date.substr(0, 4)));
  const unsigned m = static_cast<unsigned>(std::stoi(std::string(date.substr(5, 2))));
  const unsigned d = static_cast<unsigned>(std::stoi(std::string(date.substr(8, 2))));
  return ch::sys_days{ch::year{y} / ch::month{m} / ch::day{d}};
}

namespace {

std::string DateOf(ch::sys_days day) {
  const ch::year_month_day ymd{day};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

// The last Sunday of a month: where Swedish summer time starts (March) and ends (October).
std::string LastSunday(int year, unsigned month) {
  ch::sys_days day{ch::year_month_day_last{ch::year{year}, ch::month_day_last{ch::month{month}}}};
  day -= (ch::weekday{day} - ch::Sunday);
  return DateOf(day);
}

bool ValidUtc(std::string_view t) {
  if (t.size() != 20 || t[10] != 'T' || t[13] != ':' || t[16] != ':' || t[19] != 'Z') return false;
  if (!ValidDate(t.substr(0, 10))) return false;
  for (std::size_t i : {11u, 12u, 14u, 15u, 17u, 18u}) {
    if (t[i] < '0' || t[i] > '9') return false;
  }
  return std::stoi(std::string(t.substr(11, 2))) < 24 &&
         std::stoi(std::string(t.substr(14, 2))) < 60 &&
         std::stoi(std::string(t.substr(17, 2))) < 60;
}

bool ValidUnitId(std::string_view unit) {
  return !unit.empty() && unit.size() <= 40 &&
         unit.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string_view::npos;
}

class Counter {
 public:
  Counter(sqlite3* db, const IndicatorRequest& request, const std::vector<std::string>& units,
          const IndicatorDefinitions& defs, std::string cutoff)
      : db_(db), request_(request), units_(units), defs_(defs), cutoff_(std::move(cutoff)) {
    from_utc_ = SwedishMidnightUtc(request.period.from);
    end_utc_ = SwedishMidnightUtc(AddDays(request.period.to, 1));
    instruments_.assign(defs.definition().assessment_instruments().begin(),
                        defs.definition().assessment_instruments().end());
  }

  Status Run(IndicatorFacts* facts) {
    bool contacts = false, subjects = false, assessments = false, recommendations = false,
         children = false, due = false, review = false;
    const v1::IndicatorTableDefinition* children_def = nullptr;
    for (const auto& t : defs_.definition().tables()) {
      switch (t.measure()) {
        case v1::CONTACTS:
        case v1::NOT_ASKED_REASONS:
        case v1::CASES_WITH_DISCLOSURE:
        case v1::VIOLENCE_TYPES:
          contacts = true;
          break;
        case v1::ASSESSMENTS:
        case v1::LEVELS:
          assessments = true;
          break;
        case v1::CHILDREN:
          assessments = recommendations = children = true;
          children_def = &t;
          break;
        case v1::INTERVENTIONS:
          recommendations = true;
          break;
        case v1::DUE_ITEMS:
          due = true;
          break;
        case v1::PERPETRATORS:
        case v1::VULNERABLE_GROUPS:
          subjects = true;
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
    if (contacts) {
      if (Status s = Contacts(facts); !s.ok()) return s;
    }
    if (assessments) {
      if (Status s = Assessments(facts); !s.ok()) return s;
    }
    if (recommendations) {
      if (Status s = Recommendations(facts); !s.ok()) return s;
    }
    if (children) {
      if (Status s = Children(*children_def, facts); !s.ok()) return s;
    }
    if (due) {
      if (Status s = Due(facts); !s.ok()) return s;
    }
    if (subjects) {
      if (Status s = Subjects(facts); !s.ok()) return s;
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

  Status Contacts(IndicatorFacts* facts) {
    {
      Params p;
      const std::string sql = fmt::format(
          "SELECT unit_id, outcome, COALESCE(not_asked_reason, ''), COUNT(*) FROM contacts "
          "WHERE contact_date BETWEEN {} AND {} AND created_utc <= {}{} "
          "GROUP BY unit_id, outcome, not_asked_reason",
          p.Add(request_.period.from), p.Add(request_.period.to), p.Add(cutoff_),
          UnitFilter(p, "unit_id"));
      Stmt st(db_, sql);
      if (!st.ok()) return st.prepare_status();
      p.BindTo(st);
      while (st.Step()) {
        facts->contacts.push_back({st.Text(0), st.Text(1), st.Text(2), st.Int(3)});
      }
      if (!st.status().ok()) return st.status();
    }
    {
      Params p;
      const std::string sql = fmt::format(
          "SELECT COUNT(DISTINCT case_id) FROM contacts WHERE contact_date BETWEEN {} AND {} "
          "AND outcome = 'disclosed' AND created_utc <= {}{}",
          p.Add(request_.period.from), p.Add(request_.period.to), p.Add(cutoff_),
          UnitFilter(p, "unit_id"));
      Stmt st(db_, sql);
      if (!st.ok()) return st.prepare_status();
      p.BindTo(st);
      if (st.Step()) facts->cases_with_disclosure = st.Int(0);
      if (!st.status().ok()) return st.status();
    }
    Params p;
    const std::string sql = fmt::format(
        "SELECT t.type, COUNT(*) FROM contacts c JOIN contact_violence_types t "
        "ON t.contact_id = c.id WHERE c.contact_date BETWEEN {} AND {} AND c.outcome = "
        "'disclosed' AND c.created_utc <= {}{} GROUP BY t.type",
        p.Add(request_.period.from), p.Add(request_.period.to), p.Add(cutoff_),
        UnitFilter(p, "c.unit_id"));
    Stmt st(db_, sql);
    if (!st.ok()) return st.prepare_status();
    p.BindTo(st);
    while (st.Step()) facts->violence_types[st.Text(0)] = st.Int(1);
    return st.status();
  }

  // The counted assessments of `instruments`: each chain whose first version was submitted
  // in the period, as its latest version submitted (and not returned) at the cut-off.
  // Columns: id, chain_id, instrument_id, computed_level, final_level, override_direction,
  // band_certain, subject_id. Amended chains are few: they are found through the partial
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
        "x.override_direction, x.band_certain, x.subject_id";
    return fmt::format(
        "counted AS ("
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
        "AND y.submitted_utc <= {3}))",
        kColumns, from, to, cutoff, list_a, units_a, list_b, units_b);
  }

  Status Assessments(IndicatorFacts* facts) {
    if (instruments_.empty()) return Status::Ok();
    Params p;
    const std::string sql = fmt::format(
        "WITH {} SELECT c.instrument_id, COALESCE(c.computed_level, ''), "
        "COALESCE(c.final_level, ''), COALESCE(c.override_direction, ''), "
        "COALESCE(c.band_certain, 1), COALESCE(s.role, ''), COUNT(*) "
        "FROM counted c LEFT JOIN subjects s ON s.id = c.subject_id "
        "GROUP BY 1, 2, 3, 4, 5, 6",
        Counted(p, instruments_));
    Stmt st(db_, sql);
    if (!st.ok()) return st.prepare_status();
    p.BindTo(st);
    while (st.Step()) {
      IndicatorFacts::AssessmentGroup g;
      g.instrument = st.Text(0);
      g.computed = st.Text(1);
      g.final_level = st.Text(2);
      g.direction = st.Text(3);
      g.certain = st.Int(4) != 0;
      g.role = st.Text(5);
      g.n = st.Int(6);
      facts->assessments.push_back(std::move(g));
    }
    return st.status();
  }

  Status Recommendations(IndicatorFacts* facts) {
    if (instruments_.empty()) return Status::Ok();
    Params p;
    const std::string sql = fmt::format(
        "WITH {} SELECT c.instrument_id, r.recommendation, COUNT(*) FROM counted c "
        "JOIN assessment_recommendations r ON r.assessment_id = c.id GROUP BY 1, 2",
        Counted(p, instruments_));
    Stmt st(db_, sql);
    if (!st.ok()) return st.prepare_status();
    p.BindTo(st);
    while (st.Step()) facts->recommendations[{st.Text(0), st.Text(1)}] = st.Int(2);
    return st.status();
  }

  // Children counted once: the subject assessed, or the assessment itself when no subject
  // is linked.
  Status Children(const v1::IndicatorTableDefinition& def, IndicatorFacts* facts) {
    const std::vector<std::string> child(def.instruments().begin(), def.instruments().end());
    Params p;
    const std::string counted = Counted(p, child);
    const std::string sql = fmt::format(
        "WITH {} SELECT COUNT(DISTINCT COALESCE(c.subject_id, -c.chain_id)), "
        "COUNT(DISTINCT CASE WHEN EXISTS (SELECT 1 FROM assessment_recommendations r "
        "WHERE r.assessment_id = c.id AND r.recommendation = {}) "
        "THEN COALESCE(c.subject_id, -c.chain_id) END) FROM counted c",
        counted, p.Add(def.immediate_need_recommendation()));
    Stmt st(db_, sql);
    if (!st.ok()) return st.prepare_status();
    p.BindTo(st);
    if (st.Step()) {
      facts->children_assessed = st.Int(0);
      facts->children_immediate_need = st.Int(1);
    }
    return st.status();
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
      summer.push_back(fmt::format("(due_date >= {} AND due_date < {})", p.Add(LastSunday(y, 3)),
                                   p.Add(LastSunday(y, 10))));
    }
    const std::string deadline =
        fmt::format("(due_date || CASE WHEN {} THEN 'T22:00:00Z' ELSE 'T23:00:00Z' END)",
                    fmt::join(summer, " OR "));
    const std::string sql = fmt::format(
        "SELECT kind, CASE WHEN done_utc IS NOT NULL AND done_utc <= {2} "
        "THEN (CASE WHEN done_utc < {3} THEN 0 ELSE 1 END) "
        "WHEN {3} <= {2} THEN 2 ELSE 3 END, COUNT(*) FROM due_items "
        "WHERE due_date BETWEEN {0} AND {1} AND created_utc <= {2}{4} GROUP BY 1, 2",
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

  // People in cases with a new contact in the period, by role, and whether they (or their
  // case, when the record names nobody) were given support information in the period.
  Status Subjects(IndicatorFacts* facts) {
    {
      Params p;
      const std::string from = p.Add(request_.period.from);
      const std::string to = p.Add(request_.period.to);
      const std::string cutoff = p.Add(cutoff_);
      const std::string sql = fmt::format(
          "SELECT s.role, COUNT(*), SUM(EXISTS (SELECT 1 FROM support_given g "
          "WHERE g.case_id = s.case_id AND (g.subject_id = s.id OR g.subject_id IS NULL) "
          "AND g.local_date BETWEEN {0} AND {1} AND g.created_utc <= {2})) "
          "FROM subjects s WHERE s.created_utc <= {2} AND EXISTS (SELECT 1 FROM contacts c "
          "WHERE c.case_id = s.case_id AND c.contact_date BETWEEN {0} AND {1} "
          "AND c.created_utc <= {2}{3}) GROUP BY s.role",
          from, to, cutoff, UnitFilter(p, "c.unit_id"));
      Stmt st(db_, sql);
      if (!st.ok()) return st.prepare_status();
      p.BindTo(st);
      while (st.Step()) facts->roles[st.Text(0)] = {st.Int(1), st.Int(2)};
      if (!st.status().ok()) return st.status();
    }
    Params p;
    const std::string from = p.Add(request_.period.from);
    const std::string to = p.Add(request_.period.to);
    const std::string cutoff = p.Add(cutoff_);
    const std::string sql = fmt::format(
        "SELECT g.vgroup, COUNT(*) FROM subject_groups g JOIN subjects s ON s.id = g.subject_id "
        "WHERE s.created_utc <= {2} AND EXISTS (SELECT 1 FROM contacts c "
        "WHERE c.case_id = s.case_id AND c.contact_date BETWEEN {0} AND {1} "
        "AND c.created_utc <= {2}{3}) GROUP BY g.vgroup",
        from, to, cutoff, UnitFilter(p, "c.unit_id"));
    Stmt st(db_, sql);
    if (!st.ok()) return st.prepare_status();
    p.BindTo(st);
    while (st.Step()) facts->vulnerable_groups[st.Text(0)] = st.Int(1);
    return st.status();
  }

  Status Review(IndicatorFacts* facts) {
    if (instruments_.empty()) return Status::Ok();
    {
      // Submissions in the period (each version's last submission) and, of those, the ones
      // with no approval or return between the submission and the cut-off.
      Params p;
      const std::string from = p.Add(request_.period.from);
      const std::string to = p.Add(request_.period.to);
      const std::string cutoff = p.Add(cutoff_);
      const std::string sql = fmt::format(
          "SELECT COUNT(*), SUM(NOT EXISTS (SELECT 1 FROM reviews r WHERE r.assessment_id = a.id "
          "AND r.decision IN ('approved', 'returned') AND r.created_utc >= a.submitted_utc "
          "AND r.created_utc <= {2})) FROM assessments a "
          "WHERE a.instrument_id IN ({3}) AND a.submitted_local_date BETWEEN {0} AND {1} "
          "AND a.submitted_utc <= {2}{4}",
          from, to, cutoff, p.List(instruments_), UnitFilter(p, "a.unit_id"));
      Stmt st(db_, sql);
      if (!st.ok()) return st.prepare_status();
      p.BindTo(st);
      if (st.Step()) {
        facts->submitted = st.Int(0);
        facts->awaiting = st.Int(1);
      }
      if (!st.status().ok()) return st.status();
    }
    // Decisions made in the period (Swedish local dates as a UTC range), and for approvals
    // the time since the submission.
    Params p;
    const std::string sql = fmt::format(
        "SELECT r.decision, CASE WHEN r.decision = 'approved' THEN "
        "unixepoch(r.created_utc) - unixepoch(a.submitted_utc) END FROM reviews r "
        "JOIN assessments a ON a.id = r.assessment_id WHERE r.created_utc >= {} "
        "AND r.created_utc < {} AND r.created_utc <= {} AND a.instrument_id IN ({}){}",
        p.Add(from_utc_), p.Add(end_utc_), p.Add(cutoff_), p.List(instruments_),
        UnitFilter(p, "a.unit_id"));
    Stmt st(db_, sql);
    if (!st.ok()) return st.prepare_status();
    p.BindTo(st);
    std::vector<std::int64_t> seconds;
    while (st.Step()) {
      const std::string decision = st.Text(0);
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
        const auto lower =
            *std::max_element(seconds.begin(), seconds.begin() + static_cast<std::ptrdiff_t>(mid));
        median = (median + static_cast<double>(lower)) / 2;
      }
      facts->median_review_hours = median / 3600.0;
    }
    return Status::Ok();
  }

  sqlite3* db_;
  const IndicatorRequest& request_;
  const std::vector<std::string>& units_;
  const IndicatorDefinitions& defs_;
  std::string cutoff_;
  std::string from_utc_, end_utc_;
  std::vector<std::string> instruments_;
};

}  // namespace

Result<IndicatorReport> CountIndicators(const IndicatorStoreContext& ctx, const Actor& actor,
                                        const IndicatorRequest& request) {
  auto a = ctx.resolve(actor);
  if (!a.ok()) return a.status();
  const std::string unit_label = request.unit.empty() ? "-" : request.unit;
  if (a->role != "coordinator" && a->role != "supervisor") {
    return ctx.deny(*a, unit_label, "indicators", "report");
  }
  if (!request.suppress && a->role != "coordinator") {
    return ctx.deny(*a, unit_label, "indicators_unsuppressed", "report");
  }
  if (!request.unit.empty() && !ValidUnitId(request.unit)) {
    return Status::InvalidArgument("unit: expected a unit id (lower-case letters, digits, _)");
  }
  // A coordinator without units sees every unit; otherwise the actor's units.
  std::vector<std::string> units = a->units;
  if (a->role == "supervisor" && units.empty()) {
    return ctx.deny(*a, unit_label, "indicators", "report");
  }
  if (!request.unit.empty()) {
    if (!units.empty() && std::find(units.begin(), units.end(), request.unit) == units.end()) {
      return ctx.deny(*a, unit_label, "indicators", "report");
    }
    units = {request.unit};
  }
  if (!ValidDate(request.period.from) || !ValidDate(request.period.to) ||
      request.period.to < request.period.from) {
    return Status::InvalidArgument("period: expected two dates YYYY-MM-DD, the first not later");
  }
  if (std::stoi(request.period.to.substr(0, 4)) - std::stoi(request.period.from.substr(0, 4)) >
      50) {
    return Status::InvalidArgument("period: at most 50 years");
  }
  if (request.threshold < 2 || request.threshold > 100) {
    return Status::InvalidArgument("threshold: expected 2..100");
  }
  const std::string now = FormatUtc(ctx.now_unix);
  std::string cutoff = request.cutoff_utc.empty() ? now : request.cutoff_utc;
  if (!ValidUtc(cutoff)) {
    return Status::InvalidArgument("cut-off: expected YYYY-MM-DDTHH:MM:SSZ (UTC)");
  }
  if (cutoff > now) {
    return Status::InvalidArgument("cut-off: lies in the future, so the report would change");
  }
  std::shared_ptr<const IndicatorDefinitions> defs = request.definitions;
  if (!defs) {
    auto sets = LoadIndicatorDefinitions(ctx.registry->directory(), *ctx.registry, nullptr);
    if (!sets.ok()) return sets.status();
    auto chosen = SelectIndicatorDefinitions(*sets, request.period);
    if (!chosen.ok()) return chosen.status();
    defs = *chosen;
  }

  IndicatorFacts facts;
  {
    // One read transaction: every table counts the same data.
    const bool own = sqlite3_get_autocommit(ctx.db) != 0;
    if (own) {
      if (Status s = Exec(ctx.db, "BEGIN", "starting the indicator count"); !s.ok()) return s;
    }
    Status counted = Counter(ctx.db, request, units, *defs, cutoff).Run(&facts);
    if (own) (void)Exec(ctx.db, counted.ok() ? "COMMIT" : "ROLLBACK", "ending the indicator count");
    if (!counted.ok()) return counted;
  }

  IndicatorReport report;
  report.definitions_id = defs->id();
  report.definitions_version = defs->version();
  report.title = TextOf(defs->definition().title());
  report.source = defs->definition().source();
  report.period = request.period;
  report.unit = request.unit;
  report.units = units;
  report.cutoff_utc = cutoff;
  report.generated_utc = now;
  report.threshold = request.threshold;
  report.suppressed = false;
  BuildIndicatorTables(*defs, *ctx.registry, facts, &report);
  if (request.suppress) SuppressSmallCounts(report, request.threshold);

  const std::string reason =
      fmt::format("definitions {}@{}; cut-off {}; {}", defs->id(), defs->version(), cutoff,
                  request.suppress ? fmt::format("suppression below {}", request.threshold)
                                   : std::string("suppression off"));
  if (Status s =
          ctx.audit(*a, unit_label,
                    fmt::format("period:{}..{}", request.period.from, request.period.to), reason);
      !s.ok()) {
    return s;
  }
  return report;
}

}  // namespace screening::internal

namespace screening {

std::string SwedishMidnightUtc(std::string_view date) {
  const std::int64_t utc_midnight =
      static_cast<std::int64_t>(internal::DaysOf(date).time_since_epoch().count()) * 86400;
  // Midnight in summer time is 22:00 UTC the day before, else 23:00.
  const std::int64_t summer = utc_midnight - 7200;
  return internal::FormatUtc(internal::SwedishLocalDate(summer) == date ? summer
                                                                        : utc_midnight - 3600);
}

}  // namespace screening
