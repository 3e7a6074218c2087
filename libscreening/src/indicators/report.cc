// Periods, finding cells, small-number suppression and how a cell is written.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include <screening/indicators.h>

#include "store/local_time.h"

namespace screening {
namespace {

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

IndicatorCell& CellAt(IndicatorReport& report, const IndicatorCellRef& ref) {
  return report.tables[static_cast<std::size_t>(ref.table)]
      .cells[static_cast<std::size_t>(ref.row)][static_cast<std::size_t>(ref.column)];
}

// "1 234" (sv, with a no-break space) or "1,234" (en).
std::string Grouped(std::int64_t n, std::string_view lang) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  const std::string sep = lang == "en" ? "," : "\u00a0";
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += sep;
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string Decimal(double v, std::string_view lang) {
  std::string s = fmt::format("{:.1f}", v);
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  if (lang != "en") std::replace(s.begin(), s.end(), '.', ',');
  return s;
}

}  // namespace

Result<IndicatorPeriod> YearPeriod(std::string_view year) {
  if (year.size() != 4 || !AllDigits(year) || !internal::ValidDate(std::string(year) + "-01-01"))
    return Status::InvalidArgument("year: expected YYYY (1900..2200)");
  const std::string y(year);
  return IndicatorPeriod{y + "-01-01", y + "-12-31", y};
}

Result<IndicatorPeriod> QuarterPeriod(std::string_view quarter) {
  if (quarter.size() != 6 || !AllDigits(quarter.substr(0, 4)) ||
      (quarter[4] != 'Q' && quarter[4] != 'q') || quarter[5] < '1' || quarter[5] > '4' ||
      !internal::ValidDate(std::string(quarter.substr(0, 4)) + "-01-01")) {
    return Status::InvalidArgument("quarter: expected YYYYQn, e.g. 2026Q1");
  }
  const std::string y(quarter.substr(0, 4));
  const int q = quarter[5] - '0';
  static const char* kFrom[] = {"-01-01", "-04-01", "-07-01", "-10-01"};
  static const char* kTo[] = {"-03-31", "-06-30", "-09-30", "-12-31"};
  return IndicatorPeriod{y + kFrom[q - 1], y + kTo[q - 1], fmt::format("{}Q{}", y, q)};
}

Result<IndicatorPeriod> MonthPeriod(std::string_view month) {
  if (month.size() != 7 || month[4] != '-' || !internal::ValidDate(std::string(month) + "-01")) {
    return Status::InvalidArgument("month: expected YYYY-MM, e.g. 2026-03");
  }
  const std::string first = std::string(month) + "-01";
  const std::string last = internal::AddDays(internal::AddMonths(first, 1), -1);
  return IndicatorPeriod{first, last, std::string(month)};
}

Result<IndicatorPeriod> RangePeriod(std::string_view from, std::string_view to) {
  if (!internal::ValidDate(from)) return Status::InvalidArgument("from: expected YYYY-MM-DD");
  if (!internal::ValidDate(to)) return Status::InvalidArgument("to: expected YYYY-MM-DD");
  if (to < from) return Status::InvalidArgument("to: the period ends before it starts");
  return IndicatorPeriod{std::string(from), std::string(to), fmt::format("{}..{}", from, to)};
}

bool IsCalendarPeriod(const IndicatorPeriod& period) {
  if (!internal::ValidDate(period.from) || !internal::ValidDate(period.to) ||
      period.from.compare(8, 2, "01") != 0) {
    return false;
  }
  const int month = std::stoi(period.from.substr(5, 2));
  const auto lasts_months = [&](int months) {
    return internal::AddDays(internal::AddMonths(period.from, months), -1) == period.to;
  };
  return lasts_months(1) || (month % 3 == 1 && lasts_months(3)) || (month == 1 && lasts_months(12));
}

bool SpecialCategoryCounted(const IndicatorPeriod& period, std::string_view cutoff_utc) {
  // Fixed calendar periods that are over: two reports can then differ only by whole months,
  // never by a day, and a later cut-off cannot add a person recorded inside a running period.
  return IsCalendarPeriod(period) &&
         SwedishMidnightUtc(internal::AddDays(period.to, 1)) <= cutoff_utc;
}

const IndicatorTable* IndicatorReport::Table(std::string_view id) const {
  for (const auto& t : tables) {
    if (t.id == id) return &t;
  }
  return nullptr;
}

const IndicatorCell* IndicatorReport::Find(std::string_view table, std::string_view row,
                                           std::string_view column) const {
  const IndicatorTable* t = Table(table);
  if (!t) return nullptr;
  for (std::size_t r = 0; r < t->rows.size(); ++r) {
    if (t->rows[r].id != row) continue;
    for (std::size_t c = 0; c < t->columns.size(); ++c) {
      if (t->columns[c].id == column) return &t->cells[r][c];
    }
  }
  return nullptr;
}

void SuppressSmallCounts(IndicatorReport& report, int threshold) {
  report.threshold = threshold;
  report.suppressed = true;
  auto small = [&](std::int64_t n) { return n > 0 && n < threshold; };
  for (auto& table : report.tables) {
    for (auto& row : table.cells) {
      for (auto& cell : row) {
        if (cell.suppression == Suppression::kNotCounted) continue;
        cell.suppression = Suppression::kNone;
        if (cell.kind != IndicatorCellKind::kShare && cell.kind != IndicatorCellKind::kMissing &&
            small(cell.count))
          cell.suppression = Suppression::kPrimary;
      }
    }
  }
  // A sum with exactly one hidden cell gives that cell away: hide one more, the smallest
  // non-zero part (a zero gives nothing away), else the total. Repeat until stable; each
  // round hides at least one cell, so it ends.
  for (bool changed = true; changed;) {
    changed = false;
    for (const auto& sum : report.sums) {
      std::vector<IndicatorCellRef> cells{sum.total};
      for (const auto& p : sum.parts) {
        if (std::find(cells.begin(), cells.end(), p) == cells.end()) cells.push_back(p);
      }
      int hidden = 0;
      for (const auto& ref : cells) hidden += CellAt(report, ref).suppressed();
      if (hidden != 1) continue;
      IndicatorCell* pick = nullptr;
      for (const auto& p : sum.parts) {
        IndicatorCell& c = CellAt(report, p);
        if (!c.suppressed() && c.count > 0 && (!pick || c.count < pick->count)) pick = &c;
      }
      if (!pick && !CellAt(report, sum.total).suppressed()) pick = &CellAt(report, sum.total);
      if (pick) {
        pick->suppression = Suppression::kComplementary;
        changed = true;
      }
    }
  }
  for (const auto& ratio : report.ratios) {
    const IndicatorCell& num = CellAt(report, ratio.numerator);
    const IndicatorCell& den = CellAt(report, ratio.denominator);
    IndicatorCell& share = CellAt(report, ratio.share);
    if (share.suppression == Suppression::kNotCounted) continue;
    if (num.suppression == Suppression::kPrimary || den.suppression == Suppression::kPrimary) {
      share.suppression = Suppression::kPrimary;
    } else if (num.suppressed() || den.suppressed()) {
      share.suppression = Suppression::kComplementary;
    }
  }
}

std::string IndicatorNotCountedText(std::string_view lang) {
  return lang == "en" ? "not counted: only whole months, quarters or years that have ended"
                      : "räknas inte: bara hela månader, kvartal eller år som har tagit slut";
}

std::string FormatIndicatorCell(const IndicatorCell& cell, int threshold, std::string_view lang) {
  if (cell.suppression == Suppression::kNotCounted)
    return lang == "en" ? "not counted" : "räknas inte";
  if (cell.suppressed()) return fmt::format("<{}", threshold);
  switch (cell.kind) {
    case IndicatorCellKind::kCount:
      return Grouped(cell.count, lang);
    case IndicatorCellKind::kShare:
      if (cell.denominator == 0) return "–";
      return Decimal(cell.value, lang) + (lang == "en" ? "%" : "\u00a0%");
    case IndicatorCellKind::kMedian:
      if (cell.count == 0) return "–";
      return Decimal(cell.value, lang);
    case IndicatorCellKind::kMissing:
      return "–";
  }
  return "";
}

}  // namespace screening
