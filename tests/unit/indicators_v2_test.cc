// Indicator definitions version 2 (periods from 2026-01-01): what version 1 overstated, on a
// small data set made through the library with a fixed clock. Version 1 stays reproducible:
// the same data counted with `definitions_version = 1` gives version 1's numbers.
#include <time.h>

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include <screening/indicators.h>

#include <catch2/catch.hpp>

#include "store_fixture.h"

namespace screening::test {
namespace {

std::int64_t Utc(const std::string& t) {
  struct tm tm {};
  REQUIRE(strptime(t.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm) != nullptr);
  return static_cast<std::int64_t>(timegm(&tm));
}

const IndicatorCell& CellOf(const IndicatorReport& r, const std::string& table,
                            const std::string& row, const std::string& column) {
  const IndicatorCell* c = r.Find(table, row, column);
  INFO(table << "/" << row << "/" << column);
  REQUIRE(c != nullptr);
  return *c;
}

std::int64_t Count(const IndicatorReport& r, const std::string& table, const std::string& row,
                   const std::string& column) {
  const IndicatorCell& c = CellOf(r, table, row, column);
  REQUIRE_FALSE(c.suppressed());
  REQUIRE(c.kind == IndicatorCellKind::kCount);
  return c.count;
}

CaseSystemCount N(std::string unit, std::string month, std::int64_t contacts) {
  CaseSystemCount c;
  c.unit = std::move(unit);
  c.month = std::move(month);
  c.contacts = contacts;
  return c;
}

struct World {
  StoreFixture f{Utc("2026-02-01T09:00:00Z")};

  void At(const std::string& t) { f.clock->Set(Utc(t)); }

  void Contact(const Actor& who, const std::string& unit, const std::string& ref,
               const std::string& date, const std::string& outcome) {
    ContactInput c;
    c.unit = unit;
    c.case_ref = ref;
    c.contact_date = date;
    c.outcome = outcome;
    if (outcome == "not_asked") c.not_asked_reason = "not_alone";
    if (outcome == "disclosed") c.violence_types = {"physical"};
    RequireOk(f.s().AddContact(who, c));
  }

  std::int64_t Person(const Actor& who, const std::string& unit, const std::string& ref,
                      const std::string& role) {
    SubjectInput s;
    s.unit = unit;
    s.case_ref = ref;
    s.role = role;
    return RequireOk(f.s().AddSubject(who, s));
  }

  IndicatorReport Report(int definitions_version = 0, const std::string& unit = "",
                         IndicatorPeriod period = {}) {
    IndicatorRequest r;
    r.period = period.from.empty() ? RequireOk(YearPeriod("2026")) : period;
    r.unit = unit;
    r.suppress = false;
    r.definitions_version = definitions_version;
    return RequireOk(f.s().Indicators(f.olle, r));
  }
};

TEST_CASE("indicators v2: the version that applies to the period, and version 1 on request",
          "[indicators]") {
  World w;
  w.Contact(w.f.kim, "ifo_vuxen", "A", "2026-01-10", "disclosed");
  CHECK(w.Report().definitions_version == "2.0.0");
  CHECK(w.Report(1).definitions_version == "1.0.0");
  CHECK(w.Report(2).definitions_version == "2.0.0");
  IndicatorRequest last_year;
  last_year.period = RequireOk(YearPeriod("2025"));
  last_year.suppress = false;
  CHECK(RequireOk(w.f.s().Indicators(w.f.olle, last_year)).definitions_version == "1.0.0");
  IndicatorRequest missing = last_year;
  missing.definitions_version = 7;
  CHECK(w.f.s().Indicators(w.f.olle, missing).status().code() == StatusCode::kNotFound);
}

TEST_CASE(
    "indicators v2: a perpetrator counts as informed only for information given to them "
    "with a resource for people who use violence",
    "[indicators]") {
  World w;
  const Actor& kim = w.f.kim;
  w.At("2026-01-10T09:00:00Z");
  w.Contact(kim, "ifo_vuxen", "A", "2026-01-10", "disclosed");
  // Support information recorded for the case while it had nobody in it: version 1 counted
  // such a record for every person later in the case, whatever was given.
  RequireOk(w.f.s().RecordSupportGiven(kim, "ifo_vuxen", "A", std::nullopt, {"kvinnofridslinjen"}));
  const std::int64_t victim = w.Person(kim, "ifo_vuxen", "A", "adult_victim");
  const std::int64_t perpetrator = w.Person(kim, "ifo_vuxen", "A", "perpetrator");

  const IndicatorReport v1 = w.Report(1);
  CHECK(Count(v1, "perpetrators", "persons", "count") == 1);
  CHECK(Count(v1, "perpetrators", "informed", "count") == 1);  // the overstatement
  CHECK(CellOf(v1, "perpetrators", "informed_share", "count").value == Approx(100));

  IndicatorReport v2 = w.Report();
  CHECK(Count(v2, "perpetrators", "persons", "count") == 1);
  CHECK(Count(v2, "perpetrators", "informed", "count") == 0);
  CHECK(Count(v2, "perpetrators", "not_informed", "count") == 1);
  CHECK(CellOf(v2, "perpetrators", "informed_share", "count").value == Approx(0));
  CHECK(Count(v2, "roles", "perpetrator", "informed") == 0);
  CHECK(Count(v2, "roles", "adult_victim", "informed") == 0);

  // The victim's support line given to the victim: still not the perpetrator.
  RequireOk(w.f.s().RecordSupportGiven(kim, "ifo_vuxen", "A", victim, {"kvinnofridslinjen"}));
  v2 = w.Report();
  CHECK(Count(v2, "perpetrators", "informed", "count") == 0);
  CHECK(Count(v2, "roles", "adult_victim", "informed") == 1);
  // A line for victims given to the perpetrator: informed about support, but not about support
  // meant for people who use violence.
  RequireOk(w.f.s().RecordSupportGiven(kim, "ifo_vuxen", "A", perpetrator, {"kvinnofridslinjen"}));
  v2 = w.Report();
  CHECK(Count(v2, "perpetrators", "informed", "count") == 0);
  CHECK(Count(v2, "roles", "perpetrator", "informed") == 1);
  // Välj att sluta given to the perpetrator.
  RequireOk(w.f.s().RecordSupportGiven(kim, "ifo_vuxen", "A", perpetrator, {"valj_att_sluta"}));
  v2 = w.Report();
  CHECK(Count(v2, "perpetrators", "informed", "count") == 1);
  CHECK(CellOf(v2, "perpetrators", "informed_share", "count").value == Approx(100));
}

TEST_CASE(
    "support information in a case with several people names the person, else nothing "
    "is stored",
    "[indicators][store]") {
  World w;
  const Actor& kim = w.f.kim;
  w.At("2026-01-10T09:00:00Z");
  w.Contact(kim, "ifo_vuxen", "A", "2026-01-10", "disclosed");
  const std::int64_t victim = w.Person(kim, "ifo_vuxen", "A", "adult_victim");
  // One person: the record is that person's.
  RequireOk(w.f.s().RecordSupportGiven(kim, "ifo_vuxen", "A", std::nullopt, {"kvinnofridslinjen"}));
  CHECK(Count(w.Report(), "roles", "adult_victim", "informed") == 1);
  CHECK(w.f.Rows("support_given") == 1);
  w.Person(kim, "ifo_vuxen", "A", "perpetrator");
  const Status refused =
      w.f.s().RecordSupportGiven(kim, "ifo_vuxen", "A", std::nullopt, {"valj_att_sluta"});
  CHECK(refused.code() == StatusCode::kInvalidArgument);
  CHECK(refused.message().find("subject") != std::string::npos);
  CHECK(w.f.Rows("support_given") == 1);
  RequireOk(w.f.s().RecordSupportGiven(kim, "ifo_vuxen", "A", victim, {"bris"}));
  CHECK(w.f.Rows("support_given") == 2);
}

TEST_CASE("indicators v2: cases with a risk or protection assessment by target group",
          "[indicators]") {
  World w;
  const Actor& kim = w.f.kim;
  const Actor& bo = w.f.bo;
  w.At("2026-01-10T09:00:00Z");
  w.Contact(kim, "ifo_vuxen", "A", "2026-01-10", "disclosed");
  w.Contact(kim, "ifo_vuxen", "B", "2026-01-11", "disclosed");
  w.Contact(bo, "ifo_barn", "C", "2026-01-12", "disclosed");
  // A: two dash assessments (one case), B: a dash and a children's assessment, C: a children's
  // assessment, D: a draft only.
  for (const auto& [ref, unit, who, child] :
       std::vector<std::tuple<std::string, std::string, const Actor*, bool>>{
           {"A", "ifo_vuxen", &kim, false},
           {"A", "ifo_vuxen", &kim, false},
           {"B", "ifo_vuxen", &kim, false},
           {"B", "ifo_vuxen", &kim, true},
           {"C", "ifo_barn", &bo, true}}) {
    const std::int64_t id = RequireOk(w.f.s().CreateDraft(
        *who, w.f.Input(ref, unit), child ? BarnSession(false) : DashSession(15)));
    RequireOk(w.f.s().Submit(*who, id));
  }
  (void)w.f.Draft(kim, "D", DashSession(3));
  const IndicatorReport r = w.Report();
  CHECK(Count(r, "assessed_cases", "adult_victim", "cases") == 2);  // A, B
  CHECK(Count(r, "assessed_cases", "child", "cases") == 2);         // B, C
  CHECK(Count(r, "assessed_cases", "perpetrator", "cases") == 0);
  CHECK(Count(r, "assessed_cases", "total", "cases") == 3);  // A, B, C: each case once
  CHECK(Count(r, "disclosure_cases", "cases", "cases") == 3);
  // Version 1 has no such table.
  CHECK(w.Report(1).Table("assessed_cases") == nullptr);
}

TEST_CASE(
    "indicators v2: the share asked rests on the case system's number when the units "
    "recorded it for the whole period",
    "[indicators]") {
  World w;
  const Actor& kim = w.f.kim;
  const Actor& bo = w.f.bo;
  w.At("2026-02-01T09:00:00Z");
  for (int i = 0; i < 8; ++i)
    w.Contact(kim, "ifo_vuxen", "A" + std::to_string(i), "2026-01-1" + std::to_string(i),
              "declined");
  w.Contact(kim, "ifo_vuxen", "Z", "2026-01-20", "not_asked");
  w.Contact(bo, "ifo_barn", "C", "2026-01-12", "disclosed");
  const IndicatorPeriod january = RequireOk(MonthPeriod("2026-01"));

  // Without the case system's numbers: 9 of 10 contacts entered here, 90 %, and a note saying
  // the share may be too high.
  IndicatorReport r = w.Report(0, "", january);
  CHECK(CellOf(r, "contacts", "ifo", "asked_share").value == Approx(90));
  CHECK(CellOf(r, "contacts", "ifo", "case_system_contacts").kind == IndicatorCellKind::kMissing);
  CHECK(FormatIndicatorCell(CellOf(r, "contacts", "ifo", "case_system_contacts"), 5, "sv") == "–");
  const IndicatorTable* table = r.Table("contacts");
  REQUIRE(table != nullptr);
  REQUIRE(table->notes.size() == 2);  // ifo and the total
  CHECK(table->notes[0].sv.find("saknas") != std::string::npos);

  // Recorded for one of the two IFO units: still not used.
  RequireOk(w.f.s().RecordCaseSystemContacts(w.f.sara, {N("ifo_vuxen", "2026-01", 40)}));
  r = w.Report(0, "", january);
  CHECK(CellOf(r, "contacts", "ifo", "asked_share").value == Approx(90));
  // ...but a report for that unit alone uses it: 8 asked of 40.
  r = w.Report(0, "ifo_vuxen", january);
  CHECK(Count(r, "contacts", "ifo", "case_system_contacts") == 40);
  CHECK(CellOf(r, "contacts", "ifo", "asked_share").value == Approx(20));

  // Both units: 9 asked of 40 + 20 new contacts in the case system = 15 %.
  RequireOk(w.f.s().RecordCaseSystemContacts(w.f.olle, {N("ifo_barn", "2026-01", 20)}));
  r = w.Report(0, "", january);
  CHECK(Count(r, "contacts", "ifo", "case_system_contacts") == 60);
  CHECK(Count(r, "contacts", "ifo", "contacts") == 10);
  CHECK(CellOf(r, "contacts", "ifo", "asked_share").value == Approx(15));
  table = r.Table("contacts");
  REQUIRE(table != nullptr);
  CHECK(table->notes.front().en.find("case system's number") != std::string::npos);
  // No other unit had a contact and bistand has none: the total uses the case system too
  // only when every group row does; bistand has no number, so the total keeps this program's.
  CHECK(CellOf(r, "contacts", "total", "asked_share").value == Approx(90));

  // A correction replaces the number.
  RequireOk(w.f.s().RecordCaseSystemContacts(w.f.sara, {N("ifo_vuxen", "2026-01", 70)}));
  CHECK(Count(w.Report(0, "", january), "contacts", "ifo", "case_system_contacts") == 90);
  // A quarter needs all three months.
  CHECK(CellOf(w.Report(0, "", RequireOk(QuarterPeriod("2026Q1"))), "contacts", "ifo",
               "case_system_contacts")
            .kind == IndicatorCellKind::kMissing);
  // A period that is not whole months never uses it.
  CHECK(CellOf(w.Report(0, "", RequireOk(RangePeriod("2026-01-01", "2026-01-30"))), "contacts",
               "ifo", "case_system_contacts")
            .kind == IndicatorCellKind::kMissing);
  // Version 1 has no such column and keeps its share.
  const IndicatorReport v1 = w.Report(1, "", january);
  CHECK(v1.Find("contacts", "ifo", "case_system_contacts") == nullptr);
  CHECK(CellOf(v1, "contacts", "ifo", "asked_share").value == Approx(90));
}

TEST_CASE("case-system numbers: who may record them, and bad input changes nothing",
          "[indicators][store]") {
  World w;
  Store& s = w.f.s();
  CHECK(s.RecordCaseSystemContacts(w.f.kim, {N("ifo_vuxen", "2026-01", 5)}).code() ==
        StatusCode::kPermissionDenied);
  CHECK(s.RecordCaseSystemContacts(w.f.ada, {N("ifo_vuxen", "2026-01", 5)}).code() ==
        StatusCode::kPermissionDenied);
  // A supervisor of ifo_vuxen, not of ifo_barn: the whole batch is refused.
  CHECK(s.RecordCaseSystemContacts(w.f.sara,
                                   {N("ifo_vuxen", "2026-01", 5), N("ifo_barn", "2026-01", 5)})
            .code() == StatusCode::kPermissionDenied);
  CHECK(w.f.Rows("case_system_contacts") == 0);
  const auto denied = w.f.AuditSince();
  CHECK(std::count_if(denied.begin(), denied.end(), [](const AuditRow& a) {
          return a.action == "denied:case_system_contacts";
        }) == 3);

  const std::vector<std::pair<std::vector<CaseSystemCount>, std::string>> bad = {
      {{N("ifo_vuxen", "2026-13", 5)}, "entry 1: month"},
      {{N("ifo_vuxen", "2026-1", 5)}, "entry 1: month"},
      {{N("ifo_vuxen", "2026-01", -1)}, "entry 1: contacts"},
      {{N("ifo_vuxen", "2026-01", 10'000'001)}, "entry 1: contacts"},
      {{N("ifo_vuxen", "2026-01", 5), N("ifo_vuxen", "2026-01", 6)}, "entry 2"},
      {{N("ifo_vuxen", "2026-01", 5), N("no such unit", "2026-02", 6)}, "entry 2: unit"},
      {{N("ifo_vuxen", "2026-01", 5), N("hemtjanst", "2026-02", 6)}, "entry 2: unit"},
      {{}, "counts"},
  };
  for (const auto& [counts, where] : bad) {
    const Status st = s.RecordCaseSystemContacts(w.f.olle, counts);
    INFO(where << ": " << st.ToString());
    CHECK(st.code() == StatusCode::kInvalidArgument);
    CHECK(st.message().find(where) != std::string::npos);
  }
  CHECK(w.f.Rows("case_system_contacts") == 0);

  RequireOk(s.RecordCaseSystemContacts(w.f.sara, {N("ifo_vuxen", "2026-01", 5)}));
  RequireOk(s.RecordCaseSystemContacts(w.f.sara, {N("ifo_vuxen", "2026-01", 7)}));
  const auto rows = RequireOk(s.CaseSystemContacts(w.f.olle, "2026-01", "2026-12"));
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].contacts == 7);
  CHECK(rows[0].recorded_by == "sara");
  // The supervisor of another unit does not see it.
  CHECK(RequireOk(s.CaseSystemContacts(w.f.per, "2026-01", "2026-12")).empty());
  const auto audit = w.f.AuditSince();
  CHECK(std::any_of(audit.begin(), audit.end(), [](const AuditRow& a) {
    return a.action == "case_system_contacts" && a.reason == "5 -> 7" && a.unit == "ifo_vuxen";
  }));
}

TEST_CASE("case-system numbers from CSV: comma or semicolon, any column order, located errors",
          "[indicators]") {
  std::vector<std::size_t> lines;
  auto parsed = ParseCaseSystemCountsCsv(
      "\xef\xbb\xbf"
      "Enhet;Månad;Nya_kontakter;Kommentar\r\n"
      "ifo_vuxen;2026-01;1 234;x\r\n"
      "\r\n"
      "\"ifo_barn\";2026-02;\"56\";\"a; b\"\r\n",
      &lines);
  REQUIRE(parsed.ok());
  REQUIRE(parsed->size() == 2);
  CHECK((*parsed)[0].unit == "ifo_vuxen");
  CHECK((*parsed)[0].month == "2026-01");
  CHECK((*parsed)[0].contacts == 1234);
  CHECK((*parsed)[1].unit == "ifo_barn");
  CHECK((*parsed)[1].contacts == 56);
  CHECK(lines == std::vector<std::size_t>{2, 4});

  parsed = ParseCaseSystemCountsCsv("contacts,unit,month\n12,bistand,2026-03\n", nullptr);
  REQUIRE(parsed.ok());
  CHECK((*parsed)[0].unit == "bistand");
  CHECK((*parsed)[0].contacts == 12);

  const std::vector<std::pair<std::string, std::string>> bad = {
      {"", "line 1: no header"},
      {"unit,month\nifo_vuxen,2026-01\n", "no column 'contacts'"},
      {"unit,month,contacts\nifo_vuxen,2026-01,12a\n", "line 2, column 3: contacts"},
      {"unit,month,contacts\nifo_vuxen,2026-01,-3\n", "line 2, column 3: contacts"},
      {"unit,month,contacts\nifo_vuxen,jan,3\n", "line 2, column 2: month"},
      {"unit,month,contacts\nifo_vuxen,2026-01\n", "line 2, column 3: 'contacts' is empty"},
      {"unit,month,contacts\nifo_vuxen,2026-01,3\n\"ifo_barn,2026-01,4\n", "line 3"},
      {"unit,month,contacts\n", "no numbers"},
      {"unit,unit,month,contacts\n", "a second 'unit'"},
      {std::string(1 << 20 | 1, 'x'), "1 MiB"},
  };
  for (const auto& [text, message] : bad) {
    auto r = ParseCaseSystemCountsCsv(text, nullptr);
    INFO(message << ": " << r.status().ToString());
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == StatusCode::kInvalidArgument);
    CHECK(r.status().message().find(message) != std::string::npos);
  }
}

TEST_CASE(
    "indicators v2: interventions are labelled as recommendations, tables say what they "
    "count",
    "[indicators]") {
  World w;
  w.Contact(w.f.kim, "ifo_vuxen", "A", "2026-01-10", "disclosed");
  const IndicatorReport r = w.Report();
  const IndicatorTable* interventions = r.Table("interventions");
  REQUIRE(interventions != nullptr);
  CHECK(interventions->title.sv.find("inte beviljade insatser") != std::string::npos);
  for (const auto& row : interventions->rows) {
    INFO(row.id);
    CHECK(row.label.sv.rfind("Rekommenderat: ", 0) == 0);
    CHECK(row.label.en.rfind("Recommended: ", 0) == 0);
  }
  for (const auto& t : r.tables) {
    INFO(t.id);
    CHECK_FALSE(t.description.sv.empty());
    CHECK_FALSE(t.description.en.empty());
  }
  const std::string text = RenderIndicatorText(r, "sv");
  CHECK(text.find(r.Table("assessed_cases")->description.sv) != std::string::npos);
  CHECK(text.find("Data till och med") != std::string::npos);
  CHECK(text.find("(svensk tid)") != std::string::npos);
}

}  // namespace
}  // namespace screening::test

namespace screening::test {

TEST_CASE("indicators v2: skydd's levels are named as protection, version 1 keeps its names",
          "[indicators]") {
  World w;
  w.At("2026-03-02T09:00:00Z");
  Session skydd(RealInstrument("skydd"));
  RequireOk(skydd.SetCode("has_children", "no"));
  RequireOk(skydd.SetJudgement("protection", "high", "Syntetisk motivering."));
  w.f.Submitted(w.f.kim, "S-1", skydd);
  auto label = [](const IndicatorReport& r, const std::string& row) {
    const IndicatorTable* t = r.Table("levels");
    REQUIRE(t != nullptr);
    for (const IndicatorAxis& a : t->rows) {
      if (a.id == row) return a.label;
    }
    FAIL("no row " << row);
    return IndicatorText{};
  };
  // "Hög" next to a protection assessment reads as high risk; it is strong protection.
  const IndicatorText v2 = label(w.Report(), "skydd.high");
  CHECK(v2.sv.find("Starkt skydd") != std::string::npos);
  CHECK(v2.sv.find("Hög") == std::string::npos);
  CHECK(v2.en.find("Strong protection") != std::string::npos);
  const IndicatorText low = label(w.Report(), "skydd.low");
  CHECK(low.sv.find("Svagt skydd") != std::string::npos);
  // Version 1 reproduces its report, names included.
  const IndicatorText v1 = label(w.Report(1), "skydd.high");
  CHECK(v1.sv.find("Hög") != std::string::npos);
  CHECK(Count(w.Report(), "levels", "skydd.high", "final") ==
        Count(w.Report(1), "levels", "skydd.high", "final"));
}

}  // namespace screening::test
