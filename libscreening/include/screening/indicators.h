// Indicators for the yearly follow-up of the action plan: the request (period, unit, cut-off,
// suppression), the report model, small-number suppression and the renderers (terminal
// table, CSV, JSON, a printable HTML page and its charts as inline SVG).
//
// The counting itself is a store call (Store::Indicators in store.h), so access is checked
// where the data is. The definitions of what is counted are data, loaded from
// `instruments/indicators/*.textproto` (schema screening.v1.IndicatorDefinitions,
// docs/indicators.md); every report names the definition set and version it was counted with
// and the data cut-off time.
//
// Everything here is pure (no database, no clock, no network): safe to call from any thread
// on distinct objects.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <screening/dates.h>
#include <screening/diagnostic.h>
#include <screening/status.h>
#include <screening/v1/indicators.pb.h>
#include <screening/vocabulary.h>

namespace screening {

class Registry;

// ---------------------------------------------------------------- periods

// The periods themselves (IndicatorPeriod, YearPeriod, ...) are Swedish local dates: see
// <screening/dates.h>.

// Whether tables of special-category data (a table definition's `special_category`: the
// vulnerable groups) are counted for `period` at the data cut-off `cutoff_utc`
// ("YYYY-MM-DDTHH:MM:SSZ"): only when the period is a calendar month, quarter or year
// (IsCalendarPeriod) that has ended by the cut-off (its last day is over in Swedish time).
// Otherwise two reports over periods a day apart, or with cut-offs a day apart inside a
// running period, would differ by one person's data, which small-count suppression cannot
// hide; the report then withholds every cell of those tables (Suppression::kNotCounted) and
// the store does not read the data. The same for every definitions version and with or
// without suppression. Precondition: valid dates.
bool SpecialCategoryCounted(const IndicatorPeriod& period, std::string_view cutoff_utc);

// The number of new contacts (or new cases) a unit's own case system counted in one calendar
// month: the denominator of the share asked when the unit has it for the whole period
// (docs/indicators.md). Not personal data: a count of all the unit's new contacts.
struct CaseSystemCount {
  std::string unit;           // vocabulary unit id
  std::string month;          // YYYY-MM
  std::int64_t contacts = 0;  // 0..10,000,000
  std::string recorded_by;    // as read: who recorded it last
  std::string recorded_utc;   // as read: when
};

// Reads the numbers of new contacts from a unit's case system as CSV (RFC 4180, UTF-8, an
// optional byte-order mark; fields separated by commas, or by semicolons as a Swedish
// spreadsheet writes them). The first line names the columns, in any order: `unit` (or
// `enhet`), `month` (or `månad`, YYYY-MM) and `contacts` (or `nya_kontakter`, a whole
// number); other columns are ignored; blank lines are skipped. kInvalidArgument naming the
// line (counted from 1) and column for anything else, and for more than 100,000 lines or
// 1 MiB of text. The values are checked again by Store::RecordCaseSystemContacts, whose
// messages name an entry: `lines` (when not null) receives each entry's line.
Result<std::vector<CaseSystemCount>> ParseCaseSystemCountsCsv(std::string_view text,
                                                              std::vector<std::size_t>* lines);

// ---------------------------------------------------------------- definitions

// One loaded and validated set of indicator definitions. Immutable; share freely.
class IndicatorDefinitions {
 public:
  explicit IndicatorDefinitions(v1::IndicatorDefinitions def) : def_(std::move(def)) {}
  const v1::IndicatorDefinitions& definition() const { return def_; }
  const std::string& id() const { return def_.id(); }
  const std::string& version() const { return def_.version(); }
  // Whether the set applies to a period starting on `from` (YYYY-MM-DD).
  bool AppliesTo(std::string_view from) const;

 private:
  v1::IndicatorDefinitions def_;
};

// Reads every `*.textproto` in `instruments_dir/indicators/` and validates each set against
// the instruments and vocabulary of `registry`: ids, a version, sv and en texts, known units,
// instruments and recommendations, a measure on every table, chart columns the measure has.
// kNotFound when the folder is missing or empty; kInvalidArgument with every located error
// appended to `diagnostics` (when not null) when a file fails. Sorted by valid_from.
Result<std::vector<std::shared_ptr<const IndicatorDefinitions>>> LoadIndicatorDefinitions(
    const std::filesystem::path& instruments_dir, const Registry& registry,
    Diagnostics* diagnostics);

// The set for a period: the one that applies to its first day, preferring the newest
// valid_from. kNotFound when none applies.
Result<std::shared_ptr<const IndicatorDefinitions>> SelectIndicatorDefinitions(
    const std::vector<std::shared_ptr<const IndicatorDefinitions>>& sets,
    const IndicatorPeriod& period);
// The set of MAJOR version `major_version` (`indicators --definitions 1`): the newest of that
// major version that applies to the period, else the newest of that major version, so a
// report made with an older set can be made again exactly. major_version 0: as above.
// kNotFound when there is none.
Result<std::shared_ptr<const IndicatorDefinitions>> SelectIndicatorDefinitions(
    const std::vector<std::shared_ptr<const IndicatorDefinitions>>& sets,
    const IndicatorPeriod& period, int major_version);

// ---------------------------------------------------------------- request

// The default suppression threshold: counts of 1 to 4 are hidden.
inline constexpr int kDefaultSuppressionThreshold = 5;

struct IndicatorRequest {
  IndicatorPeriod period;
  // A vocabulary unit id; empty: every unit the actor may see.
  std::string unit;
  // The data cut-off "YYYY-MM-DDTHH:MM:SSZ": only what was recorded at or before it is
  // counted, each assessment as its latest version then. Empty: now. Not after now.
  std::string cutoff_utc;
  // Counts from 1 to threshold-1 are suppressed. 2..100.
  int threshold = kDefaultSuppressionThreshold;
  // false shows every count: a coordinator's explicit choice, audited.
  bool suppress = true;
  // The definitions to count with; nullptr: the set in the store's instruments folder that
  // applies to the period, or with `definitions_version` the set of that MAJOR version
  // (SelectIndicatorDefinitions), to make an earlier report again exactly.
  std::shared_ptr<const IndicatorDefinitions> definitions;
  int definitions_version = 0;
};

// ---------------------------------------------------------------- report

// A label in the two languages of the product.
struct IndicatorText {
  std::string sv;
  std::string en;
  const std::string& In(std::string_view lang) const { return lang == "en" ? en : sv; }
};

enum class IndicatorCellKind {
  kCount,    // `count` things
  kShare,    // `count` of `denominator`, as a percentage in `value`
  kMedian,   // the median in `value` (hours) of `count` observations
  kMissing,  // a number that was not recorded (shown as "–"; never suppressed)
};

enum class Suppression {
  kNone,
  kPrimary,        // a count from 1 to threshold-1 (or a share or median resting on one)
  kComplementary,  // hidden so that a primary cell cannot be recovered by subtraction
  // Special-category data for a period that is not a whole month, quarter or year that has
  // ended (SpecialCategoryCounted): never counted, `count` is 0. Shown as "räknas inte" /
  // "not counted" (IndicatorNotCountedText says why), kept by SuppressSmallCounts and also
  // when suppression is off.
  kNotCounted,
};

struct IndicatorCell {
  IndicatorCellKind kind = IndicatorCellKind::kCount;
  std::int64_t count = 0;
  std::int64_t denominator = 0;  // kShare
  double value = 0;              // kShare: percent 0..100 (0 when denominator is 0); kMedian
  Suppression suppression = Suppression::kNone;
  bool suppressed() const { return suppression != Suppression::kNone; }
  // Whether the cell has a value to show (a share of nothing, a median of nothing and a number
  // not recorded have not).
  bool empty() const {
    return kind == IndicatorCellKind::kMissing ||
           (kind != IndicatorCellKind::kCount && count == 0 && denominator == 0);
  }
};

struct IndicatorAxis {
  std::string id;  // stable, snake_case (or an instrument id with a level: "dash.high")
  IndicatorText label;
  bool total = false;  // a total row or column (charts leave it out)
};

// A cell address: table index, row index, column index.
struct IndicatorCellRef {
  int table = 0;
  int row = 0;
  int column = 0;
  bool operator==(const IndicatorCellRef& o) const {
    return table == o.table && row == o.row && column == o.column;
  }
};

// total = sum of parts: what complementary suppression protects.
struct IndicatorSum {
  IndicatorCellRef total;
  std::vector<IndicatorCellRef> parts;
};

// A share and the counts it is computed from: hidden whenever either count is.
struct IndicatorRatio {
  IndicatorCellRef share;
  IndicatorCellRef numerator;
  IndicatorCellRef denominator;
};

struct IndicatorTable {
  std::string id;
  IndicatorText title;
  IndicatorText description;
  std::vector<IndicatorAxis> rows;
  std::vector<IndicatorAxis> columns;
  std::vector<std::vector<IndicatorCell>> cells;  // [row][column]
  int chart_column = -1;                          // -1: no chart
  // Notes about this report's numbers, printed under the description (e.g. which
  // denominator a share used). Never a count.
  std::vector<IndicatorText> notes;
  const IndicatorCell& at(int row, int column) const { return cells[row][column]; }
};

struct IndicatorReport {
  std::string definitions_id;
  std::string definitions_version;
  IndicatorText title;
  std::string source;  // the plan the definitions follow
  IndicatorPeriod period;
  std::string unit;                // as requested; empty: all the actor may see
  std::vector<std::string> units;  // the units counted; empty: every unit
  std::string cutoff_utc;
  std::string generated_utc;
  int threshold = kDefaultSuppressionThreshold;
  bool suppressed = true;  // whether suppression was applied
  std::vector<IndicatorTable> tables;
  std::vector<IndicatorSum> sums;
  std::vector<IndicatorRatio> ratios;

  // The table with `id`, or nullptr.
  const IndicatorTable* Table(std::string_view id) const;
  // The cell at table/row/column ids, or nullptr.
  const IndicatorCell* Find(std::string_view table, std::string_view row,
                            std::string_view column) const;
};

// Hides small counts in place: every count from 1 to threshold-1 (primary), every share and
// median resting on one, and then, until nothing changes, one more cell of every sum that
// has exactly one hidden cell (the smallest non-zero part; the total when no part is left),
// so that no hidden count can be recovered by subtraction. Zeros are shown. A cell that was
// not counted (Suppression::kNotCounted) stays so and counts as hidden. Sets
// report.suppressed and report.threshold.
void SuppressSmallCounts(IndicatorReport& report, int threshold);

// ---------------------------------------------------------------- renderers

// Why a cell is Suppression::kNotCounted, as one line: "räknas inte: bara hela månader,
// kvartal eller år som har tagit slut" (sv, the default) or "not counted: only whole months,
// quarters or years that have ended" (en). For a tooltip or a legend.
std::string IndicatorNotCountedText(std::string_view lang);

// "räknas inte" / "not counted" for a cell withheld for its period (Suppression::kNotCounted);
// "<5" for a suppressed cell at threshold 5; else the count, the share ("62 %", "62.5 %"
// in en) or the median ("36,5 h"); "–" for an empty share or median and a missing number.
std::string FormatIndicatorCell(const IndicatorCell& cell, int threshold, std::string_view lang);

// A plain-text report for a terminal: header lines and one aligned table per section.
std::string RenderIndicatorText(const IndicatorReport& report, std::string_view lang);
// CSV (RFC 4180, every field quoted by libcsv): one line per cell with table, row and column
// ids and labels, the value as text and a `suppressed` column (a cell not counted for its
// period: kind `not_counted`, value "räknas inte" / "not counted", suppressed 1). Texts that
// a spreadsheet would execute (leading =, +, -, @, tab, CR) are prefixed with an apostrophe.
std::string RenderIndicatorCsv(const IndicatorReport& report, std::string_view lang);
// JSON: the report's header and its tables; a suppressed cell is {"suppressed": true} with
// no value, one not counted for its period {"suppressed": true, "reason": "not_counted"}.
std::string RenderIndicatorJson(const IndicatorReport& report, std::string_view lang);
// A self-contained printable HTML page: no scripts, no external resources, charts inline.
std::string RenderIndicatorHtml(const IndicatorReport& report, std::string_view lang);
// The chart of one table as a standalone SVG document (horizontal bars, one per row of the
// table's chart column, totals left out; a suppressed bar is not drawn, only labelled "<5" or
// "räknas inte"). "" when the table has no chart. The desktop shows the same SVG.
std::string IndicatorChartSvg(const IndicatorReport& report, const IndicatorTable& table,
                              std::string_view lang);

}  // namespace screening
