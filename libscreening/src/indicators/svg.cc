// A table's chart as SVG: horizontal bars, drawn by the library so that the HTML report and
// the desktop (QtSvg) show the same picture without a charting library.
#include <fmt/format.h>

#include <algorithm>

#include <screening/indicators.h>

#include "indicators/layout.h"

namespace screening {

using internal::MarkupEscaped;

namespace {

// At most `max` characters (UTF-8 code points), with an ellipsis when cut.
std::string Shorten(std::string_view s, std::size_t max) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
    if (chars == max - 1) {
      std::size_t rest = 0;
      for (std::size_t j = i; j < s.size(); ++j)
        rest += (static_cast<unsigned char>(s[j]) & 0xC0) != 0x80;
      if (rest > 1) return std::string(s.substr(0, i)) + "…";
    }
    ++chars;
  }
  return std::string(s);
}

double BarValue(const IndicatorCell& c) {
  return c.kind == IndicatorCellKind::kCount ? static_cast<double>(c.count) : c.value;
}

}  // namespace

std::string IndicatorChartSvg(const IndicatorReport& report, const IndicatorTable& table,
                              std::string_view lang) {
  if (table.chart_column < 0 || table.chart_column >= static_cast<int>(table.columns.size()))
    return "";
  const auto column = static_cast<std::size_t>(table.chart_column);
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < table.rows.size(); ++i) {
    if (!table.rows[i].total) rows.push_back(i);
  }
  if (rows.empty()) return "";
  constexpr int kWidth = 680, kLabel = 290, kBar = 300, kRow = 22, kTop = 34, kBottom = 10;
  const bool share = table.cells[rows[0]][column].kind == IndicatorCellKind::kShare;
  double max = share ? 100.0 : 0.0;
  for (std::size_t i : rows) {
    const IndicatorCell& c = table.cells[i][column];
    if (!c.suppressed()) max = std::max(max, BarValue(c));
  }
  if (max <= 0) max = 1;
  const int height = kTop + static_cast<int>(rows.size()) * kRow + kBottom;
  const std::string title = table.title.In(lang) + " – " + table.columns[column].label.In(lang);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
      "viewBox=\"0 0 {0} {1}\" role=\"img\" aria-label=\"{2}\" class=\"indicator-chart\" "
      "data-table=\"{3}\">\n",
      kWidth, height, MarkupEscaped(title), MarkupEscaped(table.id));
  out += fmt::format("<title>{}</title>\n", MarkupEscaped(title));
  // Absolute sizes: QtSvg (the desktop) draws a percentage-sized rect only in part.
  out += fmt::format("<rect width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>\n", kWidth, height);
  out += fmt::format(
      "<text x=\"4\" y=\"20\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"13\" "
      "font-weight=\"bold\" fill=\"#111111\">{}</text>\n",
      MarkupEscaped(Shorten(title, 80)));
  out += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#555555\"/>\n",
                     kLabel, kTop - 4, height - kBottom + 2);
  int y = kTop;
  for (std::size_t i : rows) {
    const IndicatorCell& c = table.cells[i][column];
    const std::string value = FormatIndicatorCell(c, report.threshold, lang);
    out += fmt::format(
        "<text x=\"{}\" y=\"{}\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"11\" "
        "text-anchor=\"end\" fill=\"#222222\">{}</text>\n",
        kLabel - 6, y + 15, MarkupEscaped(Shorten(table.rows[i].label.In(lang), 44)));
    int length = 0;
    if (!c.suppressed()) {
      length = static_cast<int>(BarValue(c) / max * kBar + 0.5);
      if (length > 0) {
        out +=
            fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#2f6690\"/>\n",
                        kLabel + 1, y + 3, length, kRow - 6);
      }
    }
    out += fmt::format(
        "<text x=\"{}\" y=\"{}\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"11\" "
        "fill=\"#111111\">{}</text>\n",
        kLabel + 6 + length, y + 15, MarkupEscaped(value));
    y += kRow;
  }
  out += "</svg>\n";
  return out;
}

}  // namespace screening
