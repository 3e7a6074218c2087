// Store::Indicators on a known data set made through the library with a fixed clock and the
// real instruments: every indicator checked exactly, with the period edges in Swedish local
// time (31 Dec / 1 Jan), amendments before and after the cut-off, drafts, returned versions,
// overrides, access and suppression. The expected numbers were worked out by hand from the
// data below (comments give the reasoning), and the recommendation counts from the results
// the store returns for each assessment, so they do not come from the SQL under test.
#include <time.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <screening/indicators.h>
#include <nlohmann/json.hpp>

#include <catch2/catch.hpp>

#include "store_fixture.h"

namespace screening::test {
namespace {

// Seconds since the epoch of "YYYY-MM-DDTHH:MM:SSZ".
std::int64_t Utc(const std::string& t) {
  struct tm tm {};
  REQUIRE(strptime(t.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm) != nullptr);
  return static_cast<std::int64_t>(timegm(&tm));
}

// A dash session whose band is uncertain: 12 yes and 2 unknown (yes + unknown reaches 14).
Session DashUncertain() {
  Session s(RealInstrument("dash"));
  for (int q = 1; q <= 24; ++q) {
    RequireOk(s.SetCode("q" + std::to_string(q), q <= 12 ? "yes" : q <= 14 ? "unknown" : "no"));
  }
  return s;
}

Session DashRaised() {
  Session s = DashSession(5);
  RequireOk(s.SetOverride("high", "Syntetisk motivering till höjd nivå.", v1::ASSESSOR));
  return s;
}

struct World {
  StoreFixture f{Utc("2025-01-01T08:00:00Z")};
  Actor bea;
  std::map<std::string, std::int64_t> a;        // assessments by name (first version)
  std::map<std::string, std::int64_t> subject;  // subjects by name
  std::set<std::int64_t> counted_2025;          // versions counted for 2025 at the cut-off

  void At(const std::string& t) { f.clock->Set(Utc(t)); }

  std::int64_t Contact(const Actor& who, const std::string& unit, const std::string& ref,
                       const std::string& date, const std::string& outcome,
                       const std::string& reason = "", std::vector<std::string> types = {}) {
    ContactInput c;
    c.unit = unit;
    c.case_ref = ref;
    c.contact_date = date;
    c.outcome = outcome;
    c.not_asked_reason = reason;
    c.violence_types = std::move(types);
    return RequireOk(f.s().AddContact(who, c));
  }

  std::int64_t Subject(const Actor& who, const std::string& unit, const std::string& ref,
                       const std::string& role, bool protected_identity = false,
                       std::vector<std::string> groups = {}) {
    SubjectInput s;
    s.unit = unit;
    s.case_ref = ref;
    s.role = role;
    s.protected_identity = protected_identity;
    s.vulnerable_groups = std::move(groups);
    return RequireOk(f.s().AddSubject(who, s));
  }

  std::int64_t Submit(const Actor& who, const std::string& unit, const std::string& ref,
                      const Session& session, std::optional<std::int64_t> subject_id,
                      const std::string& at) {
    At(at);
    AssessmentInput in = f.Input(ref, unit);
    in.subject_id = subject_id;
    const std::int64_t id = RequireOk(f.s().CreateDraft(who, in, session));
    RequireOk(f.s().Submit(who, id));
    return id;
  }

  void Approve(const Actor& who, std::int64_t id, const std::string& at) {
    At(at);
    RequireOk(f.s().Approve(who, id, ""));
  }

  // Marks the due item of assessment `id` and `kind` done at `at`.
  void Done(const Actor& who, std::int64_t id, const std::string& kind, const std::string& at) {
    At(at);
    for (const auto& d : RequireOk(f.s().Due(who, false))) {
      if (d.assessment_id == id && d.kind == kind) {
        RequireOk(f.s().MarkDone(who, d.id));
        return;
      }
    }
    FAIL("no due item " << kind);
  }

  World() {
    RequireOk(f.s().AddUnit(f.ada, "bistand"));
    RequireOk(AddUserReady(f.s(), f.ada, "bea", Role::kCaseworker, {"bistand"}, kPassword));
    bea = f.Login("bea");
    const Actor& kim = f.kim;
    const Actor& bo = f.bo;

    // ---- contacts (recorded mid-year unless said otherwise)
    At("2025-06-01T10:00:00Z");
    Contact(kim, "ifo_vuxen", "A", "2025-02-10", "disclosed", "", {"physical", "psychological"});
    Contact(kim, "ifo_vuxen", "A", "2025-03-01", "disclosed", "", {"physical"});
    Contact(kim, "ifo_vuxen", "B", "2025-04-01", "disclosed", "", {"sexual"});
    Contact(kim, "ifo_vuxen", "D", "2025-05-01", "not_disclosed");
    Contact(kim, "ifo_vuxen", "E", "2025-05-02", "declined");
    Contact(kim, "ifo_vuxen", "F", "2025-05-03", "not_asked", "not_alone");
    Contact(kim, "ifo_vuxen", "G", "2024-12-31", "disclosed", "", {"physical"});  // 2024
    Contact(bo, "ifo_barn", "C", "2025-06-10", "disclosed", "", {"child_witness"});
    Contact(bo, "ifo_barn", "J", "2025-06-11", "not_asked", "child_present");
    for (int i = 1; i <= 5; ++i) {
      Contact(bea, "bistand", "K" + std::to_string(i), "2025-07-01", "not_disclosed");
    }
    Contact(bea, "bistand", "K6", "2025-07-02", "not_asked", "no_private_room");
    At("2026-01-02T10:00:00Z");
    Contact(kim, "ifo_vuxen", "H", "2026-01-01", "not_disclosed");  // 2026
    At("2026-01-20T10:00:00Z");  // after the cut-off, dated in 2025
    Contact(kim, "ifo_vuxen", "I", "2025-12-30", "not_disclosed");

    // ---- people
    At("2025-06-01T11:00:00Z");
    subject["a_victim"] =
        Subject(kim, "ifo_vuxen", "A", "adult_victim", false, {"disability", "foreign_background"});
    subject["a_perp"] = Subject(kim, "ifo_vuxen", "A", "perpetrator");
    subject["b_victim"] = Subject(kim, "ifo_vuxen", "B", "adult_victim", true);
    subject["b_perp"] = Subject(kim, "ifo_vuxen", "B", "perpetrator");
    subject["d_perp"] = Subject(kim, "ifo_vuxen", "D", "perpetrator");
    subject["g_victim"] = Subject(kim, "ifo_vuxen", "G", "adult_victim", false, {"older"});
    subject["c_child"] = Subject(bo, "ifo_barn", "C", "child");
    At("2025-06-02T10:00:00Z");
    RequireOk(f.s().RecordSupportGiven(kim, "ifo_vuxen", "A", subject["a_perp"],
                                       {"kvinnofridslinjen", "socialtjansten"}));
    RequireOk(f.s().RecordSupportGiven(kim, "ifo_vuxen", "D", std::nullopt, {"socialtjansten"}));
    At("2024-06-02T10:00:00Z");  // an earlier year: does not count for 2025
    RequireOk(f.s().RecordSupportGiven(kim, "ifo_vuxen", "B", subject["b_perp"], {"x"}));

    // ---- assessments
    const auto& sara = f.sara;
    RequireOk(f.s().Grant(f.sven, "ifo_vuxen", "B", "sara", "Synthetic reason.", ""));
    const auto& per = f.per;
    // a1: high, approved after 24 h; amended after the cut-off.
    a["a1"] =
        Submit(kim, "ifo_vuxen", "A", DashSession(15), subject["a_victim"], "2025-03-14T10:00:00Z");
    Approve(sara, a["a1"], "2025-03-15T10:00:00Z");
    // a2: raised by the assessor, approved after 6 h; amended (no override) before the cut-off.
    a["a2"] =
        Submit(kim, "ifo_vuxen", "B", DashRaised(), subject["b_victim"], "2025-04-01T08:00:00Z");
    Approve(sara, a["a2"], "2025-04-01T14:00:00Z");
    At("2025-09-01T07:00:00Z");
    a["a2v2"] = RequireOk(f.s().Amend(kim, a["a2"], "Synthetic correction.", DashSession(15)));
    At("2025-09-01T08:00:00Z");
    RequireOk(f.s().Submit(kim, a["a2v2"]));
    Approve(sara, a["a2v2"], "2025-09-02T08:00:00Z");
    // a3: lowered by the supervisor, approved after 48 h.
    a["a3"] = Submit(kim, "ifo_vuxen", "D", DashSession(15), std::nullopt, "2025-05-01T08:00:00Z");
    At("2025-05-02T08:00:00Z");
    RequireOk(f.s().ChangeLevel(sara, a["a3"], "below_threshold", "Synthetic reason."));
    Approve(sara, a["a3"], "2025-05-03T08:00:00Z");
    // a4: uncertain band, approved after 12 h.
    a["a4"] = Submit(kim, "ifo_vuxen", "F", DashUncertain(), std::nullopt, "2025-05-05T08:00:00Z");
    Approve(sara, a["a4"], "2025-05-05T20:00:00Z");
    // a5: children's, immediate need; submitted 23:30 UTC on 31 Dec 2024 = 1 Jan 2025 in Sweden.
    a["a5"] =
        Submit(bo, "ifo_barn", "C", BarnSession(true), subject["c_child"], "2024-12-31T23:30:00Z");
    Approve(per, a["a5"], "2025-01-02T09:00:00Z");  // 33.5 h
    // a6: the same child again; still awaiting review at the cut-off.
    a["a6"] =
        Submit(bo, "ifo_barn", "C", BarnSession(false), subject["c_child"], "2025-12-20T10:00:00Z");
    // a7: a child with no person linked; approved after 24 h.
    a["a7"] = Submit(bo, "ifo_barn", "J", BarnSession(false), std::nullopt, "2025-06-11T10:00:00Z");
    Approve(per, a["a7"], "2025-06-12T10:00:00Z");
    // a8: a draft, never counted.
    At("2025-07-01T10:00:00Z");
    a["a8"] = f.Draft(kim, "A", DashSession(15));
    // a9: submitted and approved on 1 Jan 2026 in Sweden (31 Dec 2025 in UTC).
    a["a9"] = Submit(kim, "ifo_vuxen", "A", DashSession(15), std::nullopt, "2025-12-31T23:30:00Z");
    Approve(sara, a["a9"], "2025-12-31T23:45:00Z");
    // a10: returned and not submitted again: not counted, but reviewed.
    a["a10"] = Submit(kim, "ifo_vuxen", "B", DashSession(5), std::nullopt, "2025-08-01T08:00:00Z");
    At("2025-08-02T08:00:00Z");
    RequireOk(f.s().Return(sara, a["a10"], "Synthetic comment."));

    // ---- due items of the children's assessments
    Done(bo, a["a5"], "lvu_emergency", "2025-01-01T22:30:00Z");           // 23:30 local: on time
    Done(bo, a["a5"], "protection_assessment", "2025-01-02T23:30:00Z");   // 00:30 on the 3rd: late
    Done(bo, a["a5"], "child_investigation", "2025-04-20T10:00:00Z");     // on time
    Done(bo, a["a7"], "protection_assessment", "2025-06-12T21:00:00Z");   // 23:00 summer: on time
    Done(bo, a["a7"], "investigation_decision", "2025-06-26T10:00:00Z");  // late

    // ---- after the cut-off (2026-01-15)
    Approve(per, a["a6"], "2026-01-20T10:00:00Z");
    Done(bo, a["a7"], "child_investigation", "2026-01-20T11:00:00Z");  // overdue at the cut-off
    At("2026-02-01T10:00:00Z");
    a["a1v2"] = RequireOk(f.s().Amend(kim, a["a1"], "Synthetic correction.", DashSession(5)));
    At("2026-02-01T11:00:00Z");
    RequireOk(f.s().Submit(kim, a["a1v2"]));
    Approve(sara, a["a1v2"], "2026-02-02T11:00:00Z");
    At("2026-03-10T10:00:00Z");

    counted_2025 = {a["a1"], a["a2v2"], a["a3"], a["a4"], a["a5"], a["a6"], a["a7"]};
  }

  IndicatorReport Report(const Actor& who, const std::string& cutoff, bool suppress = false,
                         const std::string& year = "2025", const std::string& unit = "") {
    IndicatorRequest r;
    r.period = RequireOk(YearPeriod(year));
    r.cutoff_utc = cutoff;
    r.suppress = suppress;
    r.unit = unit;
    return RequireOk(f.s().Indicators(who, r));
  }

  // What the results of `versions` recommend, counted (read through the store, not SQL).
  std::map<std::string, std::int64_t> Recommended() {
    std::map<std::string, std::int64_t> out;
    for (std::int64_t id : counted_2025) {
      const bool child = id == a["a5"] || id == a["a6"] || id == a["a7"];
      const AssessmentRecord r = RequireOk(f.s().Get(child ? f.bo : f.kim, id));
      REQUIRE(r.result.has_value());
      for (const auto& x : r.result->recommendations()) ++out[x];
    }
    return out;
  }
};

std::int64_t Count(const IndicatorReport& r, const std::string& table, const std::string& row,
                   const std::string& column) {
  const IndicatorCell* c = r.Find(table, row, column);
  INFO(table << "/" << row << "/" << column);
  REQUIRE(c != nullptr);
  REQUIRE_FALSE(c->suppressed());
  return c->count;
}

double Value(const IndicatorReport& r, const std::string& table, const std::string& row,
             const std::string& column) {
  const IndicatorCell* c = r.Find(table, row, column);
  INFO(table << "/" << row << "/" << column);
  REQUIRE(c != nullptr);
  REQUIRE_FALSE(c->suppressed());
  return c->value;
}

World& TheWorld() {
  static World w;
  return w;
}

const std::string kCutoff = "2026-01-15T00:00:00Z";

TEST_CASE("indicators: new contacts and the routine question by unit group", "[indicators]") {
  World& w = TheWorld();
  const IndicatorReport r = w.Report(w.f.olle, kCutoff);
  CHECK(r.definitions_id == "action_plan_2020");
  CHECK(r.definitions_version == "1.0.0");
  CHECK(r.cutoff_utc == kCutoff);
  CHECK(r.period.from == "2025-01-01");
  CHECK(r.period.to == "2025-12-31");
  CHECK_FALSE(r.suppressed);
  // IFO: ifo_vuxen A, A, B, D, E, F (G is 2024, H is 2026, I was recorded after the cut-off)
  // and ifo_barn C, J.
  CHECK(Count(r, "contacts", "ifo", "contacts") == 8);
  CHECK(Count(r, "contacts", "ifo", "asked") == 6);
  CHECK(Count(r, "contacts", "ifo", "disclosed") == 4);
  CHECK(Count(r, "contacts", "ifo", "not_disclosed") == 1);
  CHECK(Count(r, "contacts", "ifo", "declined") == 1);
  CHECK(Count(r, "contacts", "ifo", "not_asked") == 2);
  CHECK(Value(r, "contacts", "ifo", "asked_share") == Approx(75.0));
  CHECK(Count(r, "contacts", "bistand", "contacts") == 6);
  CHECK(Count(r, "contacts", "bistand", "asked") == 5);
  CHECK(Count(r, "contacts", "bistand", "not_disclosed") == 5);
  CHECK(Count(r, "contacts", "bistand", "not_asked") == 1);
  CHECK(Value(r, "contacts", "bistand", "asked_share") == Approx(500.0 / 6));
  CHECK(Count(r, "contacts", "other", "contacts") == 0);
  CHECK(Count(r, "contacts", "total", "contacts") == 14);
  CHECK(Count(r, "contacts", "total", "asked") == 11);
  CHECK(Count(r, "contacts", "total", "disclosed") == 4);
  CHECK(Count(r, "contacts", "total", "not_disclosed") == 6);
  CHECK(Count(r, "contacts", "total", "declined") == 1);
  CHECK(Count(r, "contacts", "total", "not_asked") == 3);
  CHECK(Value(r, "contacts", "total", "asked_share") == Approx(1100.0 / 14));

  CHECK(Count(r, "not_asked", "not_alone", "contacts") == 1);
  CHECK(Count(r, "not_asked", "child_present", "contacts") == 1);
  CHECK(Count(r, "not_asked", "no_private_room", "contacts") == 1);
  CHECK(Count(r, "not_asked", "acute_crisis", "contacts") == 0);
  CHECK(Count(r, "not_asked", "relative_interpreter", "contacts") == 0);
  CHECK(Count(r, "not_asked", "other", "contacts") == 0);
  CHECK(Count(r, "not_asked", "total", "contacts") == 3);

  // A (twice), B, C: each case once.
  CHECK(Count(r, "disclosure_cases", "cases", "cases") == 3);
  CHECK(Count(r, "violence_types", "physical", "contacts") == 2);
  CHECK(Count(r, "violence_types", "psychological", "contacts") == 1);
  CHECK(Count(r, "violence_types", "sexual", "contacts") == 1);
  CHECK(Count(r, "violence_types", "child_witness", "contacts") == 1);
  CHECK(Count(r, "violence_types", "economic", "contacts") == 0);

  // A later cut-off sees contact I (dated 2025, recorded in 2026).
  const IndicatorReport later = w.Report(w.f.olle, "2026-03-01T00:00:00Z");
  CHECK(Count(later, "contacts", "ifo", "contacts") == 9);
  CHECK(Count(later, "contacts", "ifo", "not_disclosed") == 2);
  // 2026: contact H only.
  const IndicatorReport next = w.Report(w.f.olle, "2026-03-01T00:00:00Z", false, "2026");
  CHECK(Count(next, "contacts", "total", "contacts") == 1);
}

TEST_CASE("indicators: assessments by instrument and level, once each, latest version",
          "[indicators]") {
  World& w = TheWorld();
  const IndicatorReport r = w.Report(w.f.olle, kCutoff);
  // dash: a1 (high), a2 as amended (high, no override), a3 (high lowered to below_threshold),
  // a4 (below_threshold, uncertain). Not: a8 (draft), a9 (1 Jan 2026 in Sweden), a10 (returned).
  CHECK(Count(r, "assessments", "dash", "assessments") == 4);
  CHECK(Count(r, "assessments", "dash", "uncertain") == 1);
  CHECK(Count(r, "assessments", "dash", "raised") == 0);
  CHECK(Count(r, "assessments", "dash", "lowered") == 1);
  // barn: a5 (1 Jan 2025 in Sweden), a6, a7.
  CHECK(Count(r, "assessments", "barn", "assessments") == 3);
  CHECK(Count(r, "assessments", "barn", "uncertain") == 0);
  CHECK(Count(r, "assessments", "lap", "assessments") == 0);
  CHECK(Count(r, "assessments", "total", "assessments") == 7);
  CHECK(Count(r, "assessments", "total", "lowered") == 1);

  CHECK(Count(r, "levels", "dash", "computed") == 4);
  CHECK(Count(r, "levels", "dash.high", "computed") == 3);
  CHECK(Count(r, "levels", "dash.below_threshold", "computed") == 1);
  CHECK(Count(r, "levels", "dash.high", "final") == 2);
  CHECK(Count(r, "levels", "dash.below_threshold", "final") == 2);
  CHECK(Count(r, "levels", "dash.none", "computed") == 0);
  CHECK(Count(r, "levels", "barn.high", "computed") == 3);
  CHECK(Count(r, "levels", "barn.high", "final") == 3);
  CHECK(Count(r, "levels", "barn.low", "final") == 0);

  // Before a2 was amended its assessor's raise counted.
  const IndicatorReport before = w.Report(w.f.olle, "2025-08-01T00:00:00Z");
  CHECK(Count(before, "assessments", "dash", "raised") == 1);
  CHECK(Count(before, "levels", "dash.below_threshold", "computed") == 2);  // a2 v1, a4
  CHECK(Count(before, "assessments", "barn", "assessments") == 2);          // not yet a6

  // After a1 was amended (Feb 2026) the 2025 count uses the new version, still once.
  const IndicatorReport after = w.Report(w.f.olle, "2026-03-01T00:00:00Z");
  CHECK(Count(after, "assessments", "dash", "assessments") == 4);
  CHECK(Count(after, "levels", "dash.high", "computed") == 2);
  CHECK(Count(after, "levels", "dash.below_threshold", "computed") == 2);

  // The same cut-off gives the same report later.
  const IndicatorReport again = w.Report(w.f.olle, kCutoff);
  nlohmann::json a = nlohmann::json::parse(RenderIndicatorJson(r, "en"));
  nlohmann::json b = nlohmann::json::parse(RenderIndicatorJson(again, "en"));
  a.erase("generated_utc");
  b.erase("generated_utc");
  CHECK(a == b);

  // 2026: a9 only.
  const IndicatorReport next = w.Report(w.f.olle, "2026-03-01T00:00:00Z", false, "2026");
  CHECK(Count(next, "assessments", "dash", "assessments") == 1);
  CHECK(Count(next, "assessments", "total", "assessments") == 1);
}

TEST_CASE("indicators: children, interventions and reports of concern", "[indicators]") {
  World& w = TheWorld();
  const IndicatorReport r = w.Report(w.f.olle, kCutoff);
  CHECK(Count(r, "children", "assessments", "count") == 3);
  CHECK(Count(r, "children", "children", "count") == 2);        // c_child (a5, a6), a7
  CHECK(Count(r, "children", "immediate_need", "count") == 1);  // a5
  const auto recommended = w.Recommended();
  auto want = [&](const std::string& id) {
    auto it = recommended.find(id);
    return it == recommended.end() ? std::int64_t{0} : it->second;
  };
  REQUIRE(want("report_of_concern") > 0);
  CHECK(Count(r, "children", "report_of_concern", "count") == want("report_of_concern"));
  const IndicatorTable* interventions = r.Table("interventions");
  REQUIRE(interventions != nullptr);
  std::int64_t nonzero = 0;
  for (const auto& row : interventions->rows) {
    INFO(row.id);
    CHECK(Count(r, "interventions", row.id, "assessments") == want(row.id));
    nonzero += want(row.id) > 0;
  }
  CHECK(nonzero >= 2);
}

TEST_CASE("indicators: due items on time, late, overdue and not yet due", "[indicators]") {
  World& w = TheWorld();
  const IndicatorReport r = w.Report(w.f.olle, kCutoff);
  // protection_assessment: a5 late (00:30 on the day after), a6 overdue, a7 on time.
  CHECK(Count(r, "due_items", "protection_assessment", "due") == 3);
  CHECK(Count(r, "due_items", "protection_assessment", "on_time") == 1);
  CHECK(Count(r, "due_items", "protection_assessment", "late") == 1);
  CHECK(Count(r, "due_items", "protection_assessment", "overdue") == 1);
  CHECK(Count(r, "due_items", "lvu_emergency", "on_time") == 1);
  CHECK(Count(r, "due_items", "lvu_emergency", "due") == 1);
  // a5 overdue, a7 late; a6's falls in 2026.
  CHECK(Count(r, "due_items", "investigation_decision", "due") == 2);
  CHECK(Count(r, "due_items", "investigation_decision", "late") == 1);
  CHECK(Count(r, "due_items", "investigation_decision", "overdue") == 1);
  // a5 on time; a7 done only after the cut-off.
  CHECK(Count(r, "due_items", "child_investigation", "on_time") == 1);
  CHECK(Count(r, "due_items", "child_investigation", "overdue") == 1);
  CHECK(Count(r, "due_items", "total", "due") == 8);
  CHECK(Count(r, "due_items", "total", "on_time") == 3);
  CHECK(Count(r, "due_items", "total", "late") == 2);
  CHECK(Count(r, "due_items", "total", "overdue") == 3);
  CHECK(Count(r, "due_items", "total", "not_yet_due") == 0);
  // Seen from 20 Dec 2025 at noon: a6's protection assessment (due the 21st) is not yet due.
  const IndicatorReport early = w.Report(w.f.olle, "2025-12-20T12:00:00Z");
  CHECK(Count(early, "due_items", "protection_assessment", "not_yet_due") == 1);
  CHECK(Count(early, "due_items", "protection_assessment", "overdue") == 0);
  // After the cut-off a7's child investigation was done, late.
  const IndicatorReport later = w.Report(w.f.olle, "2026-03-01T00:00:00Z");
  CHECK(Count(later, "due_items", "child_investigation", "late") == 1);
  CHECK(Count(later, "due_items", "child_investigation", "overdue") == 0);
}

TEST_CASE("indicators: people by role, perpetrators informed, vulnerable groups", "[indicators]") {
  World& w = TheWorld();
  const IndicatorReport r = w.Report(w.f.olle, kCutoff);
  // Cases with a 2025 contact: A, B (protected victim, counted), C, D. Not G (2024).
  CHECK(Count(r, "roles", "adult_victim", "persons") == 2);
  CHECK(Count(r, "roles", "perpetrator", "persons") == 3);
  CHECK(Count(r, "roles", "child", "persons") == 1);
  CHECK(Count(r, "roles", "total", "persons") == 6);
  // a_perp by name, d_perp through the case record; b_perp was informed in 2024 only.
  CHECK(Count(r, "roles", "perpetrator", "informed") == 2);
  CHECK(Count(r, "roles", "adult_victim", "informed") == 0);
  CHECK(Count(r, "roles", "adult_victim", "assessments") == 2);  // a1, a2
  CHECK(Count(r, "roles", "child", "assessments") == 2);         // a5, a6
  CHECK(Count(r, "roles", "none", "assessments") == 3);          // a3, a4, a7
  CHECK(Count(r, "roles", "total", "assessments") == 7);
  CHECK(Count(r, "perpetrators", "persons", "count") == 3);
  CHECK(Count(r, "perpetrators", "informed", "count") == 2);
  CHECK(Count(r, "perpetrators", "not_informed", "count") == 1);
  CHECK(Value(r, "perpetrators", "informed_share", "count") == Approx(200.0 / 3));
  CHECK(Count(r, "vulnerable_groups", "disability", "persons") == 1);
  CHECK(Count(r, "vulnerable_groups", "foreign_background", "persons") == 1);
  CHECK(Count(r, "vulnerable_groups", "older", "persons") == 0);  // g_victim: 2024 only
  CHECK(Count(r, "vulnerable_groups", "lgbtq", "persons") == 0);
}

TEST_CASE("indicators: supervisor review", "[indicators]") {
  World& w = TheWorld();
  const IndicatorReport r = w.Report(w.f.olle, kCutoff);
  // Submissions in 2025: a1, a2, a2v2, a3, a4, a5 (1 Jan in Sweden), a6, a7, a10; not a9.
  CHECK(Count(r, "review", "submitted", "value") == 9);
  // Approvals in 2025: a1, a2, a2v2, a3, a4, a5, a7 (a9's was on 1 Jan 2026 in Sweden).
  CHECK(Count(r, "review", "approved", "value") == 7);
  CHECK(Count(r, "review", "returned", "value") == 1);
  CHECK(Count(r, "review", "level_changed", "value") == 1);
  CHECK(Count(r, "review", "awaiting", "value") == 1);  // a6
  // 6, 12, 24, 24, 24, 33.5, 48 hours.
  const IndicatorCell* median = r.Find("review", "median_hours", "value");
  REQUIRE(median != nullptr);
  CHECK(median->kind == IndicatorCellKind::kMedian);
  CHECK(median->count == 7);
  CHECK(median->value == Approx(24.0));
  // Later, a6 has been approved (in 2026): no longer awaiting.
  const IndicatorReport later = w.Report(w.f.olle, "2026-03-01T00:00:00Z");
  CHECK(Count(later, "review", "awaiting", "value") == 0);
  CHECK(Count(later, "review", "approved", "value") == 7);
}

TEST_CASE("indicators: counted on one connection or on two threads, the same report",
          "[indicators]") {
  World& w = TheWorld();
  StoreOptions options = w.f.Options();
  options.indicator_threads = 1;
  auto single = RequireOk(OpenSqliteStore(w.f.db, RealInstruments(), options));
  const Actor olle = RequireOk(single->Login("olle", kPassword));
  for (const std::string unit : {"", "ifo_vuxen"}) {
    INFO("unit '" << unit << "'");
    IndicatorRequest request;
    request.period = RequireOk(YearPeriod("2025"));
    request.cutoff_utc = kCutoff;
    request.suppress = false;
    request.unit = unit;
    const IndicatorReport one = RequireOk(single->Indicators(olle, request));
    const IndicatorReport two = w.Report(w.f.olle, kCutoff, false, "2025", unit);
    // Both count what the data set has (so the comparison below compares something).
    CHECK(Count(one, "assessments", "total", "assessments") == (unit.empty() ? 7 : 4));
    CHECK(Count(one, "review", "approved", "value") == (unit.empty() ? 7 : 5));
    CHECK(Count(one, "contacts", "total", "contacts") == (unit.empty() ? 14 : 6));
    REQUIRE(one.tables.size() == two.tables.size());
    for (std::size_t t = 0; t < one.tables.size(); ++t) {
      const auto& a = one.tables[t];
      const auto& b = two.tables[t];
      REQUIRE(a.id == b.id);
      REQUIRE(a.cells.size() == b.cells.size());
      for (std::size_t r = 0; r < a.cells.size(); ++r) {
        REQUIRE(a.cells[r].size() == b.cells[r].size());
        for (std::size_t c = 0; c < a.cells[r].size(); ++c) {
          INFO(a.id << "/" << a.rows[r].id << "/" << a.columns[c].id);
          CHECK(a.cells[r][c].count == b.cells[r][c].count);
          CHECK(a.cells[r][c].denominator == b.cells[r][c].denominator);
          CHECK(a.cells[r][c].value == b.cells[r][c].value);
        }
      }
    }
  }
}

TEST_CASE("indicators: a supervisor sees their units, a unit filter narrows", "[indicators]") {
  World& w = TheWorld();
  IndicatorRequest request;  // a supervisor's report is always suppressed; 2 and up shown
  request.period = RequireOk(YearPeriod("2025"));
  request.cutoff_utc = kCutoff;
  request.threshold = 2;
  const IndicatorReport own = RequireOk(w.f.s().Indicators(w.f.per, request));  // ifo_barn
  CHECK(own.units == std::vector<std::string>{"ifo_barn"});
  CHECK(Count(own, "contacts", "ifo", "contacts") == 2);
  CHECK(Count(own, "contacts", "bistand", "contacts") == 0);
  CHECK(Count(own, "assessments", "total", "assessments") == 3);
  const IndicatorReport unit = w.Report(w.f.olle, kCutoff, false, "2025", "bistand");
  CHECK(Count(unit, "contacts", "total", "contacts") == 6);
  CHECK(Count(unit, "assessments", "total", "assessments") == 0);
}

TEST_CASE("indicators: access, arguments and the audit", "[indicators]") {
  World& w = TheWorld();
  StoreFixture& f = w.f;
  IndicatorRequest r;
  r.period = RequireOk(YearPeriod("2025"));
  r.cutoff_utc = kCutoff;
  const std::int64_t seq = f.LastSeq();
  CHECK(f.s().Indicators(f.kim, r).status().code() == StatusCode::kPermissionDenied);
  CHECK(f.s().Indicators(f.ada, r).status().code() == StatusCode::kPermissionDenied);
  CHECK(f.CountAudit(seq, "kim", "denied:indicators") == 1);
  CHECK(f.CountAudit(seq, "ada", "denied:indicators") == 1);
  r.unit = "ifo_barn";
  CHECK(f.s().Indicators(f.sara, r).status().code() == StatusCode::kPermissionDenied);
  r.unit.clear();
  r.suppress = false;
  CHECK(f.s().Indicators(f.sara, r).status().code() == StatusCode::kPermissionDenied);
  CHECK(f.CountAudit(seq, "sara", "denied:indicators_unsuppressed") == 1);

  // The coordinator's choice to show every count is audited as such.
  const std::int64_t before = f.LastSeq();
  RequireOk(f.s().Indicators(f.olle, r));
  const auto events = f.AuditSince(before);
  REQUIRE(events.size() == 1);
  CHECK(events[0].action == "indicators");
  CHECK(events[0].object == "period:2025-01-01..2025-12-31");
  CHECK(events[0].reason.find("suppression off") != std::string::npos);
  CHECK(events[0].reason.find("action_plan_2020@1.0.0") != std::string::npos);
  r.suppress = true;
  RequireOk(f.s().Indicators(f.sara, r));
  CHECK(f.AuditSince(before).back().reason.find("suppression below 5") != std::string::npos);

  IndicatorRequest bad = r;
  bad.cutoff_utc = "2030-01-01T00:00:00Z";  // after the fixed clock
  CHECK(f.s().Indicators(f.olle, bad).status().code() == StatusCode::kInvalidArgument);
  bad.cutoff_utc = "2026-01-15";
  CHECK(f.s().Indicators(f.olle, bad).status().code() == StatusCode::kInvalidArgument);
  bad = r;
  bad.threshold = 1;
  CHECK(f.s().Indicators(f.olle, bad).status().code() == StatusCode::kInvalidArgument);
  bad = r;
  bad.unit = "IFO; DROP";
  CHECK(f.s().Indicators(f.olle, bad).status().code() == StatusCode::kInvalidArgument);
  bad = r;
  bad.period.to = "2024-01-01";
  CHECK(f.s().Indicators(f.olle, bad).status().code() == StatusCode::kInvalidArgument);
}

TEST_CASE("indicators: suppression hides small counts and what would give them away",
          "[indicators][suppression]") {
  World& w = TheWorld();
  const IndicatorReport r = w.Report(w.f.olle, kCutoff, true);
  CHECK(r.suppressed);
  CHECK(r.threshold == 5);
  // Every count from 1 to 4 is hidden; every sum has no hidden cell or at least two.
  std::int64_t hidden = 0, complementary = 0;
  for (const auto& t : r.tables) {
    for (const auto& row : t.cells) {
      for (const auto& c : row) {
        if (c.kind == IndicatorCellKind::kCount && c.count > 0 && c.count < 5) {
          CHECK(c.suppression == Suppression::kPrimary);
        }
        hidden += c.suppressed();
        complementary += c.suppression == Suppression::kComplementary;
      }
    }
  }
  CHECK(hidden > 0);
  CHECK(complementary > 0);
  auto at = [&](const IndicatorCellRef& ref) -> const IndicatorCell& {
    return r.tables[static_cast<std::size_t>(ref.table)]
        .cells[static_cast<std::size_t>(ref.row)][static_cast<std::size_t>(ref.column)];
  };
  for (const auto& sum : r.sums) {
    int n = at(sum.total).suppressed();
    for (const auto& p : sum.parts) n += at(p).suppressed() && !(p == sum.total);
    CHECK(n != 1);
  }
  // IFO: 8 contacts = 6 asked + 2 not asked: the 2 is hidden, so the 6 is hidden with it,
  // and the share asked (6 of 8) too; bistånd's 5 of 6 asked likewise.
  CHECK(r.Find("contacts", "ifo", "not_asked")->suppression == Suppression::kPrimary);
  CHECK(r.Find("contacts", "ifo", "asked")->suppression == Suppression::kComplementary);
  CHECK(r.Find("contacts", "ifo", "asked_share")->suppressed());
  CHECK(r.Find("contacts", "bistand", "asked")->suppressed());
  CHECK_FALSE(r.Find("contacts", "total", "contacts")->suppressed());  // 14
  CHECK(r.Find("contacts", "total", "contacts")->count == 14);
  // Zeros are shown.
  CHECK_FALSE(r.Find("contacts", "other", "contacts")->suppressed());
  // In JSON a hidden cell has no value.
  const auto json = nlohmann::json::parse(RenderIndicatorJson(r, "sv"));
  bool found = false;
  for (const auto& t : json["tables"]) {
    if (t["id"] != "contacts") continue;
    for (const auto& row : t["rows"]) {
      if (row["id"] != "ifo") continue;
      CHECK(row["cells"]["not_asked"] == nlohmann::json{{"suppressed", true}});
      CHECK(row["cells"]["contacts"] == 8);
      found = true;
    }
  }
  CHECK(found);
  // A lower threshold hides less.
  IndicatorRequest q;
  q.period = RequireOk(YearPeriod("2025"));
  q.cutoff_utc = kCutoff;
  q.threshold = 2;
  const IndicatorReport low = RequireOk(w.f.s().Indicators(w.f.olle, q));
  CHECK(r.Find("violence_types", "physical", "contacts")->suppressed());  // 2 < 5
  CHECK_FALSE(low.Find("violence_types", "physical", "contacts")->suppressed());
  CHECK(low.Find("contacts", "bistand", "not_asked")->suppression == Suppression::kPrimary);  // 1
  // IFO's 2 is not small at 2 but would give bistånd's 1 away from the column total (3).
  CHECK(low.Find("contacts", "ifo", "not_asked")->suppression == Suppression::kComplementary);
  CHECK_FALSE(low.Find("contacts", "total", "not_asked")->suppressed());
}

TEST_CASE("indicators: no output names a case, even a protected one", "[indicators]") {
  World& w = TheWorld();
  const IndicatorReport r = w.Report(w.f.olle, kCutoff);
  for (const std::string& out : {RenderIndicatorText(r, "sv"), RenderIndicatorCsv(r, "en"),
                                 RenderIndicatorJson(r, "sv"), RenderIndicatorHtml(r, "sv")}) {
    for (const char* ref : {"\"A\"", "\"B\"", ",B,", ">B<", "K6"}) {
      CHECK(out.find(ref) == std::string::npos);
    }
  }
}

}  // namespace
}  // namespace screening::test
