// The pure parts of the indicators: periods, Swedish midnights, the definitions folder,
// small-number suppression (primary and complementary) on hand-made reports, and the
// renderers (CSV quoting and spreadsheet neutralisation read back with libcsv, JSON, HTML
// without anything fetched, SVG charts).
#include <csv.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <screening/indicators.h>
#include <nlohmann/json.hpp>

#include <catch2/catch.hpp>

#include "store_fixture.h"
#include "test_paths.h"

namespace screening::test {
namespace {

TEST_CASE("indicator periods: year, quarter, month and range", "[indicators]") {
  auto y = RequireOk(YearPeriod("2026"));
  CHECK(y.from == "2026-01-01");
  CHECK(y.to == "2026-12-31");
  CHECK(y.label == "2026");
  auto q = RequireOk(QuarterPeriod("2026Q1"));
  CHECK(q.from == "2026-01-01");
  CHECK(q.to == "2026-03-31");
  CHECK(RequireOk(QuarterPeriod("2025Q4")).to == "2025-12-31");
  CHECK(RequireOk(QuarterPeriod("2025Q3")).from == "2025-07-01");
  auto m = RequireOk(MonthPeriod("2024-02"));
  CHECK(m.from == "2024-02-01");
  CHECK(m.to == "2024-02-29");
  CHECK(RequireOk(MonthPeriod("2025-12")).to == "2025-12-31");
  auto r = RequireOk(RangePeriod("2026-01-05", "2026-02-10"));
  CHECK(r.label == "2026-01-05..2026-02-10");
  CHECK(RequireOk(RangePeriod("2026-01-05", "2026-01-05")).to == "2026-01-05");
  for (auto bad :
       {YearPeriod("26"), YearPeriod("year"), QuarterPeriod("2026Q5"), QuarterPeriod("2026-1"),
        MonthPeriod("2026-13"), MonthPeriod("2026-3"), RangePeriod("2026-02-10", "2026-01-05"),
        RangePeriod("2026-02-30", "2026-03-01")}) {
    CHECK(bad.status().code() == StatusCode::kInvalidArgument);
  }
}

TEST_CASE("Swedish midnights in UTC across the summer-time changes", "[indicators]") {
  CHECK(SwedishMidnightUtc("2025-01-01") == "2024-12-31T23:00:00Z");
  CHECK(SwedishMidnightUtc("2025-07-01") == "2025-06-30T22:00:00Z");
  // Summer time starts at 02:00 on 30 March 2025: that midnight is still winter time.
  CHECK(SwedishMidnightUtc("2025-03-30") == "2025-03-29T23:00:00Z");
  CHECK(SwedishMidnightUtc("2025-03-31") == "2025-03-30T22:00:00Z");
  // It ends at 03:00 on 26 October 2025: that midnight is still summer time.
  CHECK(SwedishMidnightUtc("2025-10-26") == "2025-10-25T22:00:00Z");
  CHECK(SwedishMidnightUtc("2025-10-27") == "2025-10-26T23:00:00Z");
}

TEST_CASE("the indicator definitions in instruments/indicators load and validate", "[indicators]") {
  Diagnostics d;
  auto sets = LoadIndicatorDefinitions(SCREENING_TEST_INSTRUMENTS_DIR, *RealInstruments(), &d);
  INFO(sets.status().ToString());
  REQUIRE(sets.ok());
  CHECK(d.empty());
  // Version 1 and version 2 of the action plan's set, oldest first.
  REQUIRE(sets->size() == 2);
  const auto& v1 = *sets->front();
  CHECK(v1.id() == "action_plan_2020");
  CHECK(v1.version() == "1.0.0");
  CHECK(v1.definition().tables_size() == 13);
  const auto& v2 = *sets->back();
  CHECK(v2.id() == "action_plan_2020");
  CHECK(v2.version() == "2.0.0");
  CHECK(v2.definition().tables_size() == 14);
  CHECK(RequireOk(SelectIndicatorDefinitions(*sets, RequireOk(YearPeriod("2026"))))->version() ==
        "2.0.0");
  CHECK(RequireOk(SelectIndicatorDefinitions(*sets, RequireOk(YearPeriod("2025"))))->version() ==
        "1.0.0");
  // A period starting on the last day of 2025 is still version 1's.
  CHECK(RequireOk(
            SelectIndicatorDefinitions(*sets, RequireOk(RangePeriod("2025-12-31", "2026-01-31"))))
            ->version() == "1.0.0");
  CHECK(RequireOk(SelectIndicatorDefinitions(*sets, RequireOk(YearPeriod("2026")), 1))->version() ==
        "1.0.0");
  CHECK(SelectIndicatorDefinitions(*sets, RequireOk(YearPeriod("2026")), 3).status().code() ==
        StatusCode::kNotFound);
  CHECK(SelectIndicatorDefinitions(*sets, RequireOk(YearPeriod("2019"))).status().code() ==
        StatusCode::kNotFound);
}

TEST_CASE("broken indicator definitions are reported with file, line and column", "[indicators]") {
  TempFolder tmp;
  fs::create_directories(tmp.path / "indicators");
  const fs::path file = tmp.path / "indicators" / "broken.textproto";
  std::ofstream(file) << R"pb(id: "plan"
                              version: "1.0"
                              title { lang: "sv" value: "Plan" }
                              source: "A plan"
                              valid_from: "2020-01-01"
                              assessment_instruments: [ "dash", "nosuch" ]
                              tables {
                                id: "contacts"
                                measure: CONTACTS
                                title { lang: "sv" value: "Kontakter" }
                                title { lang: "en" value: "Contacts" }
                                description { lang: "sv" value: "X" }
                                description { lang: "en" value: "X" }
                                chart_column: "nosuchcolumn"
                              }
  )pb";
  Diagnostics d;
  auto sets = LoadIndicatorDefinitions(tmp.path, *RealInstruments(), &d);
  CHECK(sets.status().code() == StatusCode::kInvalidArgument);
  std::string all;
  for (const auto& x : d) all += x.ToString() + "\n";
  INFO(all);
  CHECK(all.find("broken.textproto:2:") != std::string::npos);  // version
  CHECK(all.find("broken.textproto:3:") != std::string::npos);  // no English title
  CHECK(all.find("no instrument 'nosuch'") != std::string::npos);
  CHECK(all.find("give the unit groups") != std::string::npos);
  CHECK(all.find("no column 'nosuchcolumn'") != std::string::npos);

  std::ofstream(file) << "id: \"plan\"\nnosuchfield: 1\n";
  d.clear();
  CHECK(LoadIndicatorDefinitions(tmp.path, *RealInstruments(), &d).status().code() ==
        StatusCode::kInvalidArgument);
  REQUIRE_FALSE(d.empty());
  CHECK(d.front().line == 2);
  fs::remove(file);
  CHECK(LoadIndicatorDefinitions(tmp.path, *RealInstruments(), &d).status().code() ==
        StatusCode::kNotFound);
}

// A report with one table: rows a, b, c and a total; one column of counts; and a share.
IndicatorReport Small(std::vector<std::int64_t> parts) {
  IndicatorReport r;
  r.title = {"Titel", "Title"};
  r.period = RequireOk(YearPeriod("2025"));
  r.cutoff_utc = "2026-01-15T00:00:00Z";
  IndicatorTable t;
  t.id = "t";
  t.title = {"Tabell", "Table"};
  t.columns = {{"n", {"Antal", "Number"}, false}, {"share", {"Andel", "Share"}, false}};
  std::int64_t total = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    t.rows.push_back({std::string(1, static_cast<char>('a' + i)), {"Rad", "Row"}, false});
    t.cells.push_back(std::vector<IndicatorCell>(2));
    t.cells.back()[0].count = parts[i];
    total += parts[i];
  }
  t.rows.push_back({"total", {"Totalt", "Total"}, true});
  t.cells.push_back(std::vector<IndicatorCell>(2));
  t.cells.back()[0].count = total;
  IndicatorSum sum;
  sum.total = {0, static_cast<int>(parts.size()), 0};
  for (std::size_t i = 0; i < parts.size(); ++i) sum.parts.push_back({0, static_cast<int>(i), 0});
  r.sums.push_back(sum);
  // The share of row a in the total.
  IndicatorCell& share = t.cells[0][1];
  share.kind = IndicatorCellKind::kShare;
  share.count = parts[0];
  share.denominator = total;
  share.value = total ? 100.0 * static_cast<double>(parts[0]) / static_cast<double>(total) : 0;
  r.ratios.push_back({{0, 0, 1}, {0, 0, 0}, sum.total});
  for (std::size_t i = 1; i <= parts.size(); ++i) {
    t.cells[i][1].kind = IndicatorCellKind::kShare;  // empty shares
  }
  r.tables.push_back(std::move(t));
  return r;
}

Suppression S(const IndicatorReport& r, int row) {
  return r.tables[0].cells[static_cast<std::size_t>(row)][0].suppression;
}

TEST_CASE("suppression: a small count and the smallest other part are hidden",
          "[indicators][suppression]") {
  IndicatorReport r = Small({10, 3, 7});
  SuppressSmallCounts(r, 5);
  CHECK(S(r, 0) == Suppression::kNone);
  CHECK(S(r, 1) == Suppression::kPrimary);
  CHECK(S(r, 2) == Suppression::kComplementary);                     // 7 < 10
  CHECK(S(r, 3) == Suppression::kNone);                              // the total, 20, stays
  CHECK(r.tables[0].cells[0][1].suppression == Suppression::kNone);  // 10 of 20
}

TEST_CASE("suppression: zeros are shown and never chosen to hide a count",
          "[indicators][suppression]") {
  IndicatorReport r = Small({0, 3, 12});
  SuppressSmallCounts(r, 5);
  CHECK(S(r, 0) == Suppression::kNone);
  CHECK(S(r, 1) == Suppression::kPrimary);
  CHECK(S(r, 2) == Suppression::kComplementary);
  CHECK(S(r, 3) == Suppression::kNone);
  // The share of a zero in a shown total stays; a share resting on a hidden count does not.
  CHECK_FALSE(r.tables[0].cells[0][1].suppressed());
  IndicatorReport s = Small({3, 12});
  SuppressSmallCounts(s, 5);
  CHECK(s.tables[0].cells[0][1].suppression == Suppression::kPrimary);
}

TEST_CASE("suppression: when no part is left, the total is hidden", "[indicators][suppression]") {
  IndicatorReport r = Small({0, 6, 0});
  r.tables[0].cells[1][0].count = 6;
  SuppressSmallCounts(r, 5);
  CHECK(S(r, 1) == Suppression::kNone);
  // One part hidden by hand (e.g. by another sum) and nothing else to hide: the total goes.
  IndicatorReport t = Small({0, 7, 0});
  t.sums.push_back({{0, 1, 0}, {{0, 0, 0}}});  // a second sum: row b = row a (7 vs 0)
  t.tables[0].cells[0][0].count = 2;           // row a is small
  t.tables[0].cells[3][0].count = 9;
  SuppressSmallCounts(t, 5);
  CHECK(S(t, 0) == Suppression::kPrimary);
  CHECK(S(t, 1) == Suppression::kComplementary);
  // The first sum now has a and b hidden: the total may stay.
  CHECK(S(t, 3) == Suppression::kNone);
}

TEST_CASE("suppression: hiding spreads through sums that share cells",
          "[indicators][suppression]") {
  // Two tables' worth of sums over one grid: rows r0, r1 and a total row; columns x, y and a
  // total column. r0/x is small. The row sum hides r0/y, the column sum hides r1/x, and then
  // r1's row sum and column y's sum each have one hidden cell: r1/y goes too.
  IndicatorReport r;
  IndicatorTable t;
  t.id = "grid";
  t.columns = {{"x", {}, false}, {"y", {}, false}, {"total", {}, true}};
  t.rows = {{"r0", {}, false}, {"r1", {}, false}, {"total", {}, true}};
  const std::int64_t v[3][3] = {{2, 10, 12}, {20, 30, 50}, {22, 40, 62}};
  for (int i = 0; i < 3; ++i) {
    t.cells.emplace_back(3);
    for (int j = 0; j < 3; ++j)
      t.cells[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)].count = v[i][j];
  }
  r.tables.push_back(t);
  for (int i = 0; i < 3; ++i) r.sums.push_back({{0, i, 2}, {{0, i, 0}, {0, i, 1}}});
  for (int j = 0; j < 3; ++j) r.sums.push_back({{0, 2, j}, {{0, 0, j}, {0, 1, j}}});
  SuppressSmallCounts(r, 5);
  auto hidden = [&](int i, int j) {
    return r.tables[0].cells[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)].suppressed();
  };
  CHECK(hidden(0, 0));
  CHECK(hidden(0, 1));
  CHECK(hidden(1, 0));
  CHECK(hidden(1, 1));
  CHECK_FALSE(hidden(0, 2));
  CHECK_FALSE(hidden(2, 2));
  for (const auto& sum : r.sums) {
    int n = hidden(sum.total.row, sum.total.column);
    for (const auto& p : sum.parts) n += hidden(p.row, p.column);
    CHECK(n != 1);
  }
}

TEST_CASE("suppression: a median of few observations is hidden, the threshold is used",
          "[indicators][suppression]") {
  IndicatorReport r = Small({6, 6});
  IndicatorCell& m = r.tables[0].cells[1][1];
  m.kind = IndicatorCellKind::kMedian;
  m.count = 4;
  m.value = 12.5;
  SuppressSmallCounts(r, 5);
  CHECK(m.suppression == Suppression::kPrimary);
  CHECK(FormatIndicatorCell(m, 5, "sv") == "<5");
  IndicatorReport q = Small({6, 6});
  SuppressSmallCounts(q, 7);
  CHECK(S(q, 0) == Suppression::kPrimary);
  CHECK(S(q, 1) == Suppression::kPrimary);
  CHECK(S(q, 2) == Suppression::kNone);
  CHECK(FormatIndicatorCell(q.tables[0].cells[0][0], 7, "en") == "<7");
}

TEST_CASE("cells are written in the reader's language", "[indicators]") {
  IndicatorCell c;
  c.count = 1234567;
  CHECK(FormatIndicatorCell(c, 5, "sv") == "1\u00a0234\u00a0567");
  CHECK(FormatIndicatorCell(c, 5, "en") == "1,234,567");
  IndicatorCell s;
  s.kind = IndicatorCellKind::kShare;
  s.count = 5;
  s.denominator = 8;
  s.value = 62.5;
  CHECK(FormatIndicatorCell(s, 5, "sv") == "62,5\u00a0%");
  CHECK(FormatIndicatorCell(s, 5, "en") == "62.5%");
  s.value = 100;
  CHECK(FormatIndicatorCell(s, 5, "en") == "100%");
  s.denominator = 0;
  CHECK(FormatIndicatorCell(s, 5, "sv") == "–");
}

struct CsvRows {
  std::vector<std::vector<std::string>> rows{1};
};

std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  csv_parser p;
  REQUIRE(csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) == 0);
  CsvRows out;
  auto field = [](void* s, size_t n, void* data) {
    static_cast<CsvRows*>(data)->rows.back().emplace_back(static_cast<const char*>(s), n);
  };
  auto row = [](int, void* data) { static_cast<CsvRows*>(data)->rows.emplace_back(); };
  REQUIRE(csv_parse(&p, text.data(), text.size(), field, row, &out) == text.size());
  REQUIRE(csv_fini(&p, field, row, &out) == 0);
  csv_free(&p);
  out.rows.pop_back();
  return out.rows;
}

TEST_CASE("CSV: every field quoted, formulas defused, read back by a CSV parser", "[indicators]") {
  IndicatorReport r = Small({10, 3, 7});
  r.definitions_id = "plan";
  r.definitions_version = "1.0.0";
  r.tables[0].rows[0].label = {"=HYPERLINK(\"x\")", "+1, \"quoted\""};
  r.tables[0].rows[1].label = {"-2", "@SUM(A1)"};
  r.tables[0].rows[2].label = {"\tTab", "\rReturn"};
  SuppressSmallCounts(r, 5);
  const std::string sv = RenderIndicatorCsv(r, "sv");
  const auto rows = ParseCsv(sv);
  REQUIRE(rows.size() == 1 + 4 * 2);
  CHECK(rows[0][0] == "definitions");
  CHECK(rows[0][13] == "value");
  CHECK(rows[1][9] == "'=HYPERLINK(\"x\")");
  CHECK(rows[1][13] == "10");
  CHECK(rows[1][14] == "0");
  CHECK(rows[3][9] == "'-2");
  CHECK(rows[3][13] == "<5");
  CHECK(rows[3][14] == "1");
  CHECK(rows[5][9] == "'\tTab");
  const auto en = ParseCsv(RenderIndicatorCsv(r, "en"));
  CHECK(en[1][9] == "'+1, \"quoted\"");
  CHECK(en[3][9] == "'@SUM(A1)");
  CHECK(en[5][9] == "'\rReturn");
  CHECK(en[2][12] == "share_percent");
  CHECK(en[2][13] == "50.0");
  // Every field starts with a quote: libcsv quoted it.
  CHECK(sv.rfind("\"definitions\",\"version\"", 0) == 0);
}

TEST_CASE("HTML: self-contained, printable, with the charts inline", "[indicators]") {
  IndicatorReport r = Small({10, 3, 7});
  r.tables[0].chart_column = 0;
  r.tables[0].rows[0].label = {"<b>& co", "<b>& co"};
  SuppressSmallCounts(r, 5);
  const std::string html = RenderIndicatorHtml(r, "sv");
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("src=") == std::string::npos);
  CHECK(html.find("url(") == std::string::npos);
  CHECK(html.find("href") == std::string::npos);
  CHECK(html.find("Content-Security-Policy") != std::string::npos);
  CHECK(html.find("&lt;b&gt;&amp; co") != std::string::npos);
  CHECK(html.find("<b>&") == std::string::npos);
  CHECK(html.find("<svg") != std::string::npos);
  CHECK(html.find("<?xml") == std::string::npos);  // inline, without the declaration
  CHECK(html.find("@media print") != std::string::npos);
}

TEST_CASE("SVG chart: one bar per shown row, none for a hidden count, escaped labels",
          "[indicators]") {
  IndicatorReport r = Small({10, 3, 7});
  r.tables[0].rows[2].label = {"A & B", "A & B"};
  CHECK(IndicatorChartSvg(r, r.tables[0], "sv").empty());  // no chart column
  r.tables[0].chart_column = 0;
  SuppressSmallCounts(r, 5);
  const std::string svg = IndicatorChartSvg(r, r.tables[0], "sv");
  CHECK(svg.rfind("<?xml", 0) == 0);
  CHECK(svg.find("<svg xmlns=\"http://www.w3.org/2000/svg\"") != std::string::npos);
  std::size_t bars = 0;
  for (std::size_t at = svg.find("fill=\"#2f6690\""); at != std::string::npos;
       at = svg.find("fill=\"#2f6690\"", at + 1)) {
    ++bars;
  }
  CHECK(bars == 1);  // row a (10); b (<5) and c (complementary) have no bar; the total none
  CHECK(svg.find("&lt;5") != std::string::npos);
  CHECK(svg.find("A &amp; B") != std::string::npos);
  CHECK(svg.find("Totalt") == std::string::npos);
  // Without suppression all three rows have bars, the longest for the largest count.
  IndicatorReport open = Small({10, 3, 7});
  open.tables[0].chart_column = 0;
  const std::string all = IndicatorChartSvg(open, open.tables[0], "en");
  bars = 0;
  for (std::size_t at = all.find("fill=\"#2f6690\""); at != std::string::npos;
       at = all.find("fill=\"#2f6690\"", at + 1)) {
    ++bars;
  }
  CHECK(bars == 3);
  CHECK(all.find("width=\"300\" height=\"16\"") != std::string::npos);  // 10 is the maximum
}

TEST_CASE("JSON: header, tables, hidden cells without a value", "[indicators]") {
  IndicatorReport r = Small({10, 3, 7});
  r.definitions_id = "plan";
  r.definitions_version = "1.0.0";
  SuppressSmallCounts(r, 5);
  const auto j = nlohmann::json::parse(RenderIndicatorJson(r, "en"));
  CHECK(j["definitions"]["id"] == "plan");
  CHECK(j["definitions"]["version"] == "1.0.0");
  CHECK(j["cutoff_utc"] == "2026-01-15T00:00:00Z");
  CHECK(j["suppression"]["applied"] == true);
  CHECK(j["suppression"]["threshold"] == 5);
  CHECK(j["unit"].is_null());
  const auto& rows = j["tables"][0]["rows"];
  CHECK(rows[0]["cells"]["n"] == 10);
  CHECK(rows[0]["cells"]["share"] == 50.0);
  CHECK(rows[1]["cells"]["n"] == nlohmann::json{{"suppressed", true}});
  CHECK(rows[2]["cells"]["n"] == nlohmann::json{{"suppressed", true}});
  CHECK(rows[3]["cells"]["n"] == 20);
  CHECK(rows[3]["total"] == true);
  CHECK(rows[1]["cells"]["share"].is_null());
}

}  // namespace
}  // namespace screening::test
