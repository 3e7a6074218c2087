// Special-category tables (vulnerable groups) are counted only over whole calendar months,
// quarters and years that have ended by the cut-off: two reports over periods a day apart, or
// with cut-offs a day apart inside a running period, must not differ by one person's data.
// Synthetic data made through the library with a fixed clock.
#include <time.h>

#include <fstream>
#include <string>
#include <vector>

#include <screening/indicators.h>
#include <nlohmann/json.hpp>

#include <catch2/catch.hpp>

#include "store_fixture.h"

namespace screening::test {
namespace {

std::int64_t Utc(const std::string& t) {
  struct tm tm {};
  REQUIRE(strptime(t.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm) != nullptr);
  return static_cast<std::int64_t>(timegm(&tm));
}

const IndicatorTable& TableOf(const IndicatorReport& r, const std::string& id) {
  const IndicatorTable* t = r.Table(id);
  INFO(id);
  REQUIRE(t != nullptr);
  return *t;
}

std::int64_t Count(const IndicatorReport& r, const std::string& table, const std::string& row,
                   const std::string& column) {
  const IndicatorCell* c = r.Find(table, row, column);
  INFO(table << "/" << row << "/" << column);
  REQUIRE(c != nullptr);
  REQUIRE(c->suppression == Suppression::kNone);
  return c->count;
}

// Every cell of the vulnerable-groups table withheld for the period, with no count in it, and
// the note saying why.
void RequireNotCounted(const IndicatorReport& r) {
  const IndicatorTable& t = TableOf(r, "vulnerable_groups");
  REQUIRE_FALSE(t.rows.empty());
  for (const auto& row : t.cells) {
    for (const auto& cell : row) {
      CHECK(cell.suppression == Suppression::kNotCounted);
      CHECK(cell.count == 0);
    }
  }
  REQUIRE(t.notes.size() == 1);
  CHECK(t.notes[0].sv.rfind("Räknas inte: bara hela månader, kvartal eller år som har tagit slut.",
                            0) == 0);
  CHECK(t.notes[0].en.rfind("Not counted: only whole months, quarters or years that have ended.",
                            0) == 0);
}

// Six adults subjected to violence with a vulnerable group recorded, each in a case with one
// new contact in January 2026: one contact on 1 January (the person two reports a day apart
// would single out), five from 10 to 14 January. All recorded on 25 January; the clock then
// stands on 10 May 2026 (the first quarter has ended, May and the year have not).
struct World {
  StoreFixture f{Utc("2026-01-25T09:00:00Z")};

  void Person(const std::string& ref, const std::string& date) {
    ContactInput c;
    c.unit = "ifo_vuxen";
    c.case_ref = ref;
    c.contact_date = date;
    c.outcome = "disclosed";
    c.violence_types = {"physical"};
    RequireOk(f.s().AddContact(f.kim, c));
    SubjectInput s;
    s.unit = "ifo_vuxen";
    s.case_ref = ref;
    s.role = "adult_victim";
    s.vulnerable_groups = {"disability"};
    RequireOk(f.s().AddSubject(f.kim, s));
  }

  World() {
    Person("NEWYEAR", "2026-01-01");
    for (int i = 0; i < 5; ++i) Person("J" + std::to_string(i), "2026-01-1" + std::to_string(i));
    f.clock->Set(Utc("2026-05-10T09:00:00Z"));
  }

  IndicatorReport Report(const IndicatorPeriod& period, const std::string& cutoff = "",
                         int definitions_version = 0, bool suppress = true) {
    IndicatorRequest r;
    r.period = period;
    r.cutoff_utc = cutoff;
    r.definitions_version = definitions_version;
    r.suppress = suppress;
    return RequireOk(f.s().Indicators(f.olle, r));
  }
};

TEST_CASE("indicators: a calendar period is exactly one month, quarter or year",
          "[indicators][periods]") {
  CHECK(IsCalendarPeriod(RequireOk(YearPeriod("2026"))));
  CHECK(IsCalendarPeriod(RequireOk(QuarterPeriod("2026Q4"))));
  CHECK(IsCalendarPeriod(RequireOk(MonthPeriod("2028-02"))));
  // Given with --from/--to it is the same period.
  CHECK(IsCalendarPeriod(RequireOk(RangePeriod("2026-04-01", "2026-06-30"))));
  CHECK(IsCalendarPeriod(RequireOk(RangePeriod("2028-02-01", "2028-02-29"))));
  CHECK(IsCalendarPeriod(RequireOk(RangePeriod("2026-01-01", "2026-12-31"))));
  // A day off at either end, several months that are no quarter, a year from July.
  CHECK_FALSE(IsCalendarPeriod(RequireOk(RangePeriod("2026-01-02", "2026-03-31"))));
  CHECK_FALSE(IsCalendarPeriod(RequireOk(RangePeriod("2026-01-01", "2026-03-30"))));
  CHECK_FALSE(IsCalendarPeriod(RequireOk(RangePeriod("2026-01-01", "2026-01-01"))));
  CHECK_FALSE(IsCalendarPeriod(RequireOk(RangePeriod("2026-01-01", "2026-02-28"))));
  CHECK_FALSE(IsCalendarPeriod(RequireOk(RangePeriod("2026-02-01", "2026-04-30"))));
  CHECK_FALSE(IsCalendarPeriod(RequireOk(RangePeriod("2026-07-01", "2027-06-30"))));
  CHECK_FALSE(IsCalendarPeriod(RequireOk(RangePeriod("2026-01-01", "2027-12-31"))));
}

TEST_CASE("indicators: special-category data counts once the calendar period is over in Sweden",
          "[indicators][periods]") {
  const IndicatorPeriod q1 = RequireOk(QuarterPeriod("2026Q1"));
  // 1 April 2026 begins at 22:00 UTC on 31 March (summer time from 29 March).
  CHECK_FALSE(SpecialCategoryCounted(q1, "2026-03-31T21:59:59Z"));
  CHECK(SpecialCategoryCounted(q1, "2026-03-31T22:00:00Z"));
  // 1 January 2027 begins at 23:00 UTC on 31 December (winter time).
  const IndicatorPeriod year = RequireOk(YearPeriod("2026"));
  CHECK_FALSE(SpecialCategoryCounted(year, "2026-12-31T22:59:59Z"));
  CHECK(SpecialCategoryCounted(year, "2026-12-31T23:00:00Z"));
  // A period that is not a calendar one never counts, however long ago it ended.
  CHECK_FALSE(SpecialCategoryCounted(RequireOk(RangePeriod("2020-01-02", "2020-03-31")),
                                     "2026-05-10T09:00:00Z"));
}

TEST_CASE(
    "indicators: two reports a day apart do not single out a person's vulnerable group, "
    "while the rest of the report is counted",
    "[indicators][periods]") {
  World w;
  const IndicatorReport from_first = w.Report(RequireOk(RangePeriod("2026-01-01", "2026-01-20")));
  const IndicatorReport from_second = w.Report(RequireOk(RangePeriod("2026-01-02", "2026-01-20")));
  // Six and five people with a disability, both above the threshold: counted, the difference
  // would be the one person in contact on 1 January.
  RequireNotCounted(from_first);
  RequireNotCounted(from_second);
  // The other tables are counted as before (and do differ by the contact of 1 January).
  CHECK(Count(from_first, "roles", "adult_victim", "persons") == 6);
  CHECK(Count(from_second, "roles", "adult_victim", "persons") == 5);
  CHECK(Count(from_first, "contacts", "ifo", "disclosed") == 6);
  CHECK(Count(from_second, "contacts", "ifo", "disclosed") == 5);
  for (const IndicatorReport* r : {&from_first, &from_second}) {
    for (const auto& t : r->tables) {
      if (t.id == "vulnerable_groups") continue;
      INFO(t.id);
      for (const auto& row : t.cells) {
        for (const auto& cell : row) CHECK(cell.suppression != Suppression::kNotCounted);
      }
    }
  }
  // No renderer shows a count for the table.
  const auto json = nlohmann::json::parse(RenderIndicatorJson(from_first, "sv"));
  for (const auto& t : json["tables"]) {
    if (t["id"] != "vulnerable_groups") continue;
    CHECK(t["rows"][0]["cells"]["persons"] ==
          nlohmann::json({{"suppressed", true}, {"reason", "not_counted"}}));
    CHECK(t["notes"].size() == 1);
  }
  const std::string csv = RenderIndicatorCsv(from_first, "en");
  CHECK(csv.find("\"vulnerable_groups\",\"Particularly vulnerable groups (where recorded)\","
                 "\"disability\",\"Disability\",\"persons\",\"People\",\"not_counted\","
                 "\"not counted\",\"1\"") != std::string::npos);
  const std::string text = RenderIndicatorText(from_first, "sv");
  CHECK(text.find("räknas inte") != std::string::npos);
  const std::string html = RenderIndicatorHtml(from_first, "en");
  CHECK(html.find("title=\"not counted: only whole months, quarters or years that have ended\">"
                  "not counted</td>") != std::string::npos);
}

TEST_CASE("indicators: a whole month or quarter that has ended counts special-category data",
          "[indicators][periods]") {
  World w;
  for (const IndicatorPeriod& period :
       {RequireOk(QuarterPeriod("2026Q1")), RequireOk(RangePeriod("2026-01-01", "2026-03-31")),
        RequireOk(MonthPeriod("2026-01"))}) {
    INFO(period.label);
    const IndicatorReport r = w.Report(period);
    CHECK(Count(r, "vulnerable_groups", "disability", "persons") == 6);
    CHECK(Count(r, "vulnerable_groups", "older", "persons") == 0);
    CHECK(TableOf(r, "vulnerable_groups").notes.empty());
  }
}

TEST_CASE(
    "indicators: a month, quarter or year still running at the cut-off does not count "
    "special-category data",
    "[indicators][periods]") {
  World w;
  // The current month and year (the clock stands on 10 May 2026).
  RequireNotCounted(w.Report(RequireOk(MonthPeriod("2026-05"))));
  RequireNotCounted(w.Report(RequireOk(YearPeriod("2026"))));
  // The first quarter seen from a cut-off inside it, and from the first second after it.
  const IndicatorPeriod q1 = RequireOk(QuarterPeriod("2026Q1"));
  const IndicatorReport inside = w.Report(q1, "2026-03-31T21:59:59Z");
  RequireNotCounted(inside);
  CHECK(TableOf(inside, "vulnerable_groups").notes[0].en.find("had not ended at the cut-off") !=
        std::string::npos);
  CHECK(Count(inside, "roles", "adult_victim", "persons") == 6);
  CHECK(Count(w.Report(q1, "2026-03-31T22:00:00Z"), "vulnerable_groups", "disability", "persons") ==
        6);
}

TEST_CASE(
    "indicators: the period rule holds for definitions version 1 and without suppression "
    "alike",
    "[indicators][periods]") {
  World w;
  const IndicatorPeriod range = RequireOk(RangePeriod("2026-01-02", "2026-01-20"));
  const IndicatorReport v1 = w.Report(range, "", 1);
  CHECK(v1.definitions_version == "1.0.0");
  RequireNotCounted(v1);
  CHECK(Count(v1, "roles", "adult_victim", "persons") == 5);
  const IndicatorReport v1_quarter = w.Report(RequireOk(QuarterPeriod("2026Q1")), "", 1);
  CHECK(v1_quarter.definitions_version == "1.0.0");
  CHECK(Count(v1_quarter, "vulnerable_groups", "disability", "persons") == 6);
  // A coordinator's report without suppression still does not count the table.
  const IndicatorReport open = w.Report(range, "", 0, false);
  CHECK_FALSE(open.suppressed);
  RequireNotCounted(open);
  CHECK(Count(open, "contacts", "ifo", "disclosed") == 5);
}

// A report with one table: rows a, b, c and a total, and the share of row a in the total.
IndicatorReport SmallWithShare(std::vector<std::int64_t> parts) {
  IndicatorReport r;
  r.period = RequireOk(YearPeriod("2025"));
  IndicatorTable t;
  t.id = "t";
  t.columns = {{"n", {"Antal", "Number"}, false}, {"share", {"Andel", "Share"}, false}};
  std::int64_t total = 0;
  IndicatorSum sum;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    t.rows.push_back({std::string(1, static_cast<char>('a' + i)), {"Rad", "Row"}, false});
    t.cells.push_back(std::vector<IndicatorCell>(2));
    t.cells.back()[0].count = parts[i];
    t.cells.back()[1].kind = IndicatorCellKind::kShare;
    total += parts[i];
    sum.parts.push_back({0, static_cast<int>(i), 0});
  }
  t.rows.push_back({"total", {"Totalt", "Total"}, true});
  t.cells.push_back(std::vector<IndicatorCell>(2));
  t.cells.back()[0].count = total;
  sum.total = {0, static_cast<int>(parts.size()), 0};
  r.sums.push_back(sum);
  r.ratios.push_back({{0, 0, 1}, {0, 0, 0}, sum.total});
  r.tables.push_back(std::move(t));
  return r;
}

TEST_CASE("suppression: a cell not counted stays so and is protected like a hidden one in its sums",
          "[indicators][suppression][periods]") {
  IndicatorReport r = SmallWithShare({10, 6, 7});
  auto& cells = r.tables[0].cells;
  cells[1][0].suppression = Suppression::kNotCounted;
  cells[0][1].suppression = Suppression::kNotCounted;  // the share
  SuppressSmallCounts(r, 5);
  CHECK(cells[1][0].suppression == Suppression::kNotCounted);
  CHECK(cells[0][1].suppression == Suppression::kNotCounted);
  // total 23 - 10 would give the withheld 6 away with 7 shown: the smallest other part goes.
  CHECK(cells[2][0].suppression == Suppression::kComplementary);
  CHECK(cells[0][0].suppression == Suppression::kNone);
  CHECK(FormatIndicatorCell(cells[1][0], 5, "sv") == "räknas inte");
  CHECK(FormatIndicatorCell(cells[1][0], 5, "en") == "not counted");
  CHECK(FormatIndicatorCell(cells[2][0], 5, "sv") == "<5");
  CHECK(IndicatorNotCountedText("sv") ==
        "räknas inte: bara hela månader, kvartal eller år som har tagit slut");
}

TEST_CASE("indicator definitions: a vulnerable-groups table must be marked special-category",
          "[indicators][periods]") {
  TempFolder tmp;
  fs::create_directories(tmp.path / "indicators");
  std::ofstream(tmp.path / "indicators" / "plan.textproto") << R"pb(
    id: "plan"
    version: "1.0.0"
    title { lang: "sv" value: "Plan" }
    title { lang: "en" value: "Plan" }
    source: "A plan"
    valid_from: "2020-01-01"
    assessment_instruments: [ "dash" ]
    tables {
      id: "groups"
      measure: VULNERABLE_GROUPS
      title { lang: "sv" value: "Grupper" }
      title { lang: "en" value: "Groups" }
      description { lang: "sv" value: "X" }
      description { lang: "en" value: "X" }
    }
  )pb";
  Diagnostics d;
  CHECK(LoadIndicatorDefinitions(tmp.path, *RealInstruments(), &d).status().code() ==
        StatusCode::kInvalidArgument);
  std::string all;
  for (const auto& x : d) all += x.ToString() + "\n";
  INFO(all);
  CHECK(all.find("table 'groups': vulnerable groups are special-category data: set "
                 "special_category: true") != std::string::npos);
  CHECK(d.size() == 1);
}

}  // namespace
}  // namespace screening::test
