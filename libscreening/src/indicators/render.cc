// The report as a terminal table, CSV, JSON and a printable HTML page.
#include <csv.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include <screening/indicators.h>
#include <nlohmann/json.hpp>

#include "indicators/layout.h"

namespace screening {

using internal::MarkupEscaped;

namespace {

std::size_t Width(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

std::string Pad(std::string_view s, std::size_t width, bool right) {
  const std::size_t w = Width(s);
  const std::string fill(width > w ? width - w : 0, ' ');
  return right ? fill + std::string(s) : std::string(s) + fill;
}

std::string UnitText(const IndicatorReport& r, std::string_view lang) {
  if (!r.unit.empty()) return r.unit;
  if (r.units.empty()) return lang == "en" ? "all units" : "alla enheter";
  return fmt::format("{}", fmt::join(r.units, ", "));
}

std::string SuppressionText(const IndicatorReport& r, std::string_view lang) {
  if (!r.suppressed) {
    return lang == "en" ? "off (every count shown; a coordinator's audited choice)"
                        : "av (alla antal visas; samordnarens loggade val)";
  }
  return lang == "en" ? fmt::format(
                            "counts from 1 to {} are shown as \"<{}\", and other cells where they "
                            "could be worked out",
                            r.threshold - 1, r.threshold)
                      : fmt::format(
                            "antal från 1 till {} visas som \"<{}\", liksom andra celler som de "
                            "kunde räknas fram ur",
                            r.threshold - 1, r.threshold);
}

struct HeaderLine {
  std::string label;
  std::string value;
};

std::vector<HeaderLine> Header(const IndicatorReport& r, std::string_view lang) {
  const bool en = lang == "en";
  return {
      {en ? "Period" : "Period",
       fmt::format("{} ({} – {})", r.period.label, r.period.from, r.period.to)},
      {en ? "Unit" : "Enhet", UnitText(r, lang)},
      {en ? "Data up to and including" : "Data till och med",
       SwedishLocalDateTime(r.cutoff_utc) + (en ? " (Swedish time)" : " (svensk tid)")},
      {en ? "Definitions" : "Definitioner",
       fmt::format("{} {} – {}", r.definitions_id, r.definitions_version, r.source)},
      {en ? "Small numbers" : "Små tal", SuppressionText(r, lang)},
      {en ? "Produced" : "Framtagen",
       SwedishLocalDateTime(r.generated_utc) + (en ? " (Swedish time)" : " (svensk tid)")},
  };
}

// A CSV field as libcsv quotes it, with a leading character a spreadsheet would execute
// defused by an apostrophe.
std::string CsvField(std::string_view value) {
  std::string text(value);
  if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos) {
    text.insert(text.begin(), '\'');
  }
  std::string out(text.size() * 2 + 2, '\0');
  const std::size_t n = csv_write(out.data(), out.size(), text.data(), text.size());
  out.resize(n);
  return out;
}

std::string PlainNumber(const IndicatorCell& c) {
  switch (c.kind) {
    case IndicatorCellKind::kCount:
      return std::to_string(c.count);
    case IndicatorCellKind::kShare:
      return c.denominator == 0 ? "" : fmt::format("{:.1f}", c.value);
    case IndicatorCellKind::kMedian:
      return c.count == 0 ? "" : fmt::format("{:.1f}", c.value);
    case IndicatorCellKind::kMissing:
      return "";
  }
  return "";
}

const char* KindName(IndicatorCellKind k) {
  switch (k) {
    case IndicatorCellKind::kCount:
      return "count";
    case IndicatorCellKind::kShare:
      return "share_percent";
    case IndicatorCellKind::kMedian:
      return "median_hours";
    case IndicatorCellKind::kMissing:
      return "missing";
  }
  return "";
}

}  // namespace

std::string RenderIndicatorText(const IndicatorReport& r, std::string_view lang) {
  std::string out = r.title.In(lang) + "\n";
  std::size_t label_width = 0;
  const auto header = Header(r, lang);
  for (const auto& h : header) label_width = std::max(label_width, Width(h.label));
  for (const auto& h : header) out += Pad(h.label + ":", label_width + 2, false) + h.value + "\n";
  for (const auto& t : r.tables) {
    out += "\n" + t.title.In(lang) + "\n";
    std::vector<std::size_t> widths(t.columns.size() + 1, 0);
    for (const auto& row : t.rows) widths[0] = std::max(widths[0], Width(row.label.In(lang)));
    std::vector<std::vector<std::string>> text(t.rows.size());
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
      widths[c + 1] = Width(t.columns[c].label.In(lang));
      for (std::size_t i = 0; i < t.rows.size(); ++i) {
        text[i].push_back(FormatIndicatorCell(t.cells[i][c], r.threshold, lang));
        widths[c + 1] = std::max(widths[c + 1], Width(text[i].back()));
      }
    }
    std::string line = Pad("", widths[0], false);
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
      line += "  " + Pad(t.columns[c].label.In(lang), widths[c + 1], true);
    }
    out += line + "\n";
    for (std::size_t i = 0; i < t.rows.size(); ++i) {
      line = Pad(t.rows[i].label.In(lang), widths[0], false);
      for (std::size_t c = 0; c < t.columns.size(); ++c) {
        line += "  " + Pad(text[i][c], widths[c + 1], true);
      }
      out += line + "\n";
    }
    if (!t.description.In(lang).empty()) out += "  " + t.description.In(lang) + "\n";
    for (const auto& note : t.notes) out += "  " + note.In(lang) + "\n";
  }
  return out;
}

std::string RenderIndicatorCsv(const IndicatorReport& r, std::string_view lang) {
  static const char* kHeader[] = {"definitions", "version",    "period_from", "period_to",
                                  "unit",        "cutoff_utc", "table",       "table_label",
                                  "row",         "row_label",  "column",      "column_label",
                                  "kind",        "value",      "suppressed"};
  std::string out;
  auto line = [&](const std::vector<std::string>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i) out += ',';
      out += CsvField(fields[i]);
    }
    out += "\r\n";
  };
  line(std::vector<std::string>(std::begin(kHeader), std::end(kHeader)));
  for (const auto& t : r.tables) {
    for (std::size_t i = 0; i < t.rows.size(); ++i) {
      for (std::size_t c = 0; c < t.columns.size(); ++c) {
        const IndicatorCell& cell = t.cells[i][c];
        line({r.definitions_id, r.definitions_version, r.period.from, r.period.to,
              r.unit.empty() ? std::string("all") : r.unit, r.cutoff_utc, t.id, t.title.In(lang),
              t.rows[i].id, t.rows[i].label.In(lang), t.columns[c].id, t.columns[c].label.In(lang),
              cell.suppression == Suppression::kNotCounted ? "not_counted" : KindName(cell.kind),
              cell.suppressed() ? FormatIndicatorCell(cell, r.threshold, lang) : PlainNumber(cell),
              cell.suppressed() ? "1" : "0"});
      }
    }
  }
  return out;
}

std::string RenderIndicatorJson(const IndicatorReport& r, std::string_view lang) {
  using nlohmann::json;
  json doc;
  doc["definitions"] = {{"id", r.definitions_id}, {"version", r.definitions_version}};
  doc["title"] = r.title.In(lang);
  doc["source"] = r.source;
  doc["period"] = {{"from", r.period.from}, {"to", r.period.to}, {"label", r.period.label}};
  doc["unit"] = r.unit.empty() ? json(nullptr) : json(r.unit);
  doc["units"] = r.units;
  doc["cutoff_utc"] = r.cutoff_utc;
  doc["generated_utc"] = r.generated_utc;
  doc["suppression"] = {{"applied", r.suppressed}, {"threshold", r.threshold}};
  json tables = json::array();
  for (const auto& t : r.tables) {
    json table;
    table["id"] = t.id;
    table["title"] = t.title.In(lang);
    table["description"] = t.description.In(lang);
    json notes = json::array();
    for (const auto& note : t.notes) notes.push_back(note.In(lang));
    table["notes"] = std::move(notes);
    json columns = json::array();
    for (const auto& c : t.columns) {
      columns.push_back({{"id", c.id}, {"label", c.label.In(lang)}, {"kind", nullptr}});
    }
    json rows = json::array();
    for (std::size_t i = 0; i < t.rows.size(); ++i) {
      json cells = json::object();
      for (std::size_t c = 0; c < t.columns.size(); ++c) {
        const IndicatorCell& cell = t.cells[i][c];
        if (cell.suppression == Suppression::kNotCounted) {
          cells[t.columns[c].id] = {{"suppressed", true}, {"reason", "not_counted"}};
        } else if (cell.suppressed()) {
          cells[t.columns[c].id] = {{"suppressed", true}};
        } else if (cell.kind == IndicatorCellKind::kCount) {
          cells[t.columns[c].id] = cell.count;
        } else if (cell.empty() || (cell.kind == IndicatorCellKind::kShare && !cell.denominator)) {
          cells[t.columns[c].id] = nullptr;
        } else {
          cells[t.columns[c].id] = std::round(cell.value * 10) / 10;
        }
        if (cell.kind != IndicatorCellKind::kMissing) columns[c]["kind"] = KindName(cell.kind);
      }
      rows.push_back({{"id", t.rows[i].id},
                      {"label", t.rows[i].label.In(lang)},
                      {"total", t.rows[i].total},
                      {"cells", std::move(cells)}});
    }
    table["columns"] = std::move(columns);
    table["rows"] = std::move(rows);
    tables.push_back(std::move(table));
  }
  doc["tables"] = std::move(tables);
  return doc.dump(2);
}

std::string RenderIndicatorHtml(const IndicatorReport& r, std::string_view lang) {
  const bool en = lang == "en";
  std::string out;
  out += fmt::format("<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n",
                     en ? "en" : "sv");
  // No scripts and nothing fetched: the page works offline and cannot call out.
  out +=
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'; img-src data:\">\n";
  out += fmt::format("<title>{} {}</title>\n", MarkupEscaped(r.title.In(lang)),
                     MarkupEscaped(r.period.label));
  out += R"css(<style>
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10.5pt; color: #111; margin: 2em; }
h1 { font-size: 17pt; margin-bottom: 0.2em; }
h2 { font-size: 12.5pt; margin: 1.6em 0 0.4em; }
dl.meta { display: grid; grid-template-columns: max-content auto; gap: 0.15em 1em; }
dl.meta dt { font-weight: bold; }
dl.meta dd { margin: 0; }
table { border-collapse: collapse; margin: 0.3em 0; }
th, td { border-bottom: 1px solid #bbb; padding: 0.2em 0.6em; }
th { text-align: left; background: #eef1f5; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
td.not-counted { color: #555; font-style: italic; }
tr.total td { font-weight: bold; border-top: 1.5px solid #444; }
p.desc { color: #444; font-size: 9.5pt; max-width: 48em; margin: 0.2em 0 0.5em; }
p.note { font-size: 9.5pt; max-width: 48em; margin: 0.2em 0; }
section { page-break-inside: avoid; }
.chart svg { max-width: 100%; height: auto; }
@media print { body { margin: 1cm; } h2 { page-break-after: avoid; } }
</style>
</head>
<body>
)css";
  out += fmt::format("<h1>{}</h1>\n<dl class=\"meta\">\n", MarkupEscaped(r.title.In(lang)));
  for (const auto& h : Header(r, lang)) {
    out += fmt::format("<dt>{}</dt><dd>{}</dd>\n", MarkupEscaped(h.label), MarkupEscaped(h.value));
  }
  out += "</dl>\n";
  for (const auto& t : r.tables) {
    out += fmt::format("<section id=\"{}\">\n<h2>{}</h2>\n", MarkupEscaped(t.id),
                       MarkupEscaped(t.title.In(lang)));
    if (!t.description.In(lang).empty()) {
      out += fmt::format("<p class=\"desc\">{}</p>\n", MarkupEscaped(t.description.In(lang)));
    }
    out += "<table>\n<thead><tr><th></th>";
    for (const auto& c : t.columns)
      out += fmt::format("<th>{}</th>", MarkupEscaped(c.label.In(lang)));
    out += "</tr></thead>\n<tbody>\n";
    for (std::size_t i = 0; i < t.rows.size(); ++i) {
      out += fmt::format("<tr{} data-row=\"{}\"><td>{}</td>",
                         t.rows[i].total ? " class=\"total\"" : "", MarkupEscaped(t.rows[i].id),
                         MarkupEscaped(t.rows[i].label.In(lang)));
      for (std::size_t c = 0; c < t.columns.size(); ++c) {
        const IndicatorCell& cell = t.cells[i][c];
        const bool not_counted = cell.suppression == Suppression::kNotCounted;
        out += fmt::format(
            "<td class=\"n{}\" data-column=\"{}\"{}>{}</td>", not_counted ? " not-counted" : "",
            MarkupEscaped(t.columns[c].id),
            not_counted ? fmt::format(" title=\"{}\"", MarkupEscaped(IndicatorNotCountedText(lang)))
                        : std::string(),
            MarkupEscaped(FormatIndicatorCell(cell, r.threshold, lang)));
      }
      out += "</tr>\n";
    }
    out += "</tbody>\n</table>\n";
    for (const auto& note : t.notes) {
      out += fmt::format("<p class=\"note\">{}</p>\n", MarkupEscaped(note.In(lang)));
    }
    const std::string svg = IndicatorChartSvg(r, t, lang);
    if (!svg.empty()) {
      // The SVG document without its XML declaration, inline.
      const std::size_t start = svg.find("<svg");
      out += "<div class=\"chart\">\n" + svg.substr(start) + "</div>\n";
    }
    out += "</section>\n";
  }
  out += "</body>\n</html>\n";
  return out;
}

namespace internal {

std::string MarkupEscaped(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace internal

}  // namespace screening
