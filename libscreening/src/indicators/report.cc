// Which periods count special-category data, finding cells, small-number suppression and how
// a cell is written.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include <screening/indicators.h>

#include "base/swedish_time.h"

namespace screening {
namespace {

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
