// The HTML indicator report as the board sees it: rendered by headless Chromium (Debian's
// `chromium`), once as the DOM after loading and once printed to PDF and read back with
// `pdftotext`. Every table title and every row label (every indicator) must be in the printed
// text, and every chart must be an SVG in the page. Skipped, with a message, when Chromium or
// pdftotext is not installed.
#include <sys/wait.h>
#include <unistd.h>
#include <algorithm>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include <screening/indicators.h>

#include <catch2/catch.hpp>

#include "store_fixture.h"

namespace screening::test {
namespace {

std::string Which(const std::string& program) {
  for (const char* dir : {"/usr/bin/", "/usr/local/bin/", "/bin/"}) {
    const std::string path = dir + program;
    if (::access(path.c_str(), X_OK) == 0) return path;
  }
  return "";
}

// Runs a shell command and returns its standard output; REQUIREs exit status 0.
std::string Run(const std::string& command) {
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string out;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
  const int rc = ::pclose(pipe);
  INFO(command);
  REQUIRE(WIFEXITED(rc));
  REQUIRE(WEXITSTATUS(rc) == 0);
  return out;
}

// Collapses every run of white space (line breaks of the PDF text, no-break spaces) to one space.
std::string Squeezed(const std::string& text) {
  std::string out;
  bool space = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool nbsp = i + 1 < text.size() && static_cast<unsigned char>(text[i]) == 0xC2 &&
                      static_cast<unsigned char>(text[i + 1]) == 0xA0;
    if (nbsp || std::isspace(static_cast<unsigned char>(text[i]))) {
      if (nbsp) ++i;
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += text[i];
  }
  return out;
}

// `text` without any white space (a no-break space included).
std::string Compact(const std::string& text) {
  std::string out = Squeezed(text);
  out.erase(std::remove(out.begin(), out.end(), ' '), out.end());
  return out;
}

TEST_CASE("the HTML report printed by headless Chromium shows every indicator and chart",
          "[report]") {
  const std::string chromium = Which("chromium");
  const std::string pdftotext = Which("pdftotext");
  if (chromium.empty() || pdftotext.empty()) {
    WARN(
        "SKIPPED: the HTML report test needs Debian's chromium and pdftotext (poppler-utils); "
        "scripts/install-deps installs them");
    return;
  }
  StoreFixture f(kMarch14);
  ContactInput c;
  c.unit = "ifo_vuxen";
  c.contact_date = "2025-03-14";
  for (int i = 0; i < 12; ++i) {
    c.case_ref = "R-" + std::to_string(i);
    c.outcome = i < 7 ? "disclosed" : i < 10 ? "not_disclosed" : "not_asked";
    c.not_asked_reason = i >= 10 ? "not_alone" : "";
    c.violence_types = i < 7 ? std::vector<std::string>{"physical"} : std::vector<std::string>{};
    RequireOk(f.s().AddContact(f.kim, c));
  }
  for (int i = 0; i < 6; ++i) f.Approved(f.kim, f.sara, "R-" + std::to_string(i), DashSession(15));
  f.Submitted(f.bo, "C-1", BarnSession(true), "ifo_barn");

  for (const std::string lang : {"sv", "en"}) {
    INFO(lang);
    IndicatorRequest request;
    request.period = RequireOk(YearPeriod("2025"));
    const IndicatorReport report = RequireOk(f.s().Indicators(f.olle, request));
    const fs::path html = f.tmp.path / ("report-" + lang + ".html");
    const fs::path pdf = f.tmp.path / ("report-" + lang + ".pdf");
    std::ofstream(html) << RenderIndicatorHtml(report, lang);
    const std::string flags =
        " --headless --no-sandbox --disable-gpu --disable-dev-shm-usage "
        "--no-first-run --user-data-dir=" +
        (f.tmp.path / "chromium").string() + " ";
    const std::string dom =
        Run(chromium + flags + "--dump-dom 'file://" + html.string() + "' 2>/dev/null");
    (void)Run(chromium + flags + "--no-pdf-header-footer --print-to-pdf=" + pdf.string() +
              " 'file://" + html.string() + "' >/dev/null 2>&1");
    const std::string text = Squeezed(Run(pdftotext + " -enc UTF-8 " + pdf.string() + " -"));
    // Labels may wrap anywhere a line can break (after an en dash too): look for them with
    // every space taken out of both sides.
    const std::string compact = Compact(text);

    CHECK(text.find(Squeezed(report.title.In(lang))) != std::string::npos);
    CHECK(text.find(SwedishLocalDateTime(report.cutoff_utc)) != std::string::npos);
    CHECK(text.find("action_plan_2020 1.0.0") != std::string::npos);
    int charts = 0;
    for (const auto& t : report.tables) {
      INFO(t.id);
      CHECK(compact.find(Compact(t.title.In(lang))) != std::string::npos);
      for (const auto& row : t.rows) {
        INFO(row.id);
        CHECK(compact.find(Compact(row.label.In(lang))) != std::string::npos);
      }
      for (const auto& column : t.columns) {
        CHECK(compact.find(Compact(column.label.In(lang))) != std::string::npos);
      }
      if (t.chart_column >= 0) {
        ++charts;
        CHECK(dom.find("data-table=\"" + t.id + "\"") != std::string::npos);
      }
    }
    CHECK(charts >= 5);
    std::size_t svgs = 0;
    for (std::size_t at = dom.find("<svg"); at != std::string::npos; at = dom.find("<svg", at + 1))
      ++svgs;
    CHECK(svgs == static_cast<std::size_t>(charts));
    // A count from the data and a hidden small count as printed.
    CHECK(text.find(lang == "en" ? "New contacts" : "Nya kontakter") != std::string::npos);
    CHECK(text.find("<5") != std::string::npos);
    CHECK(text.find("12") != std::string::npos);
  }
}

}  // namespace
}  // namespace screening::test
