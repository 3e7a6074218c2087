#include "commands/indicators.h"

#include <filesystem>
#include <ostream>

#include <screening/indicators.h>
#include <screening/store.h>
#include <CLI/CLI.hpp>

#include "commands/cli_support.h"
#include "commands/db_support.h"

namespace screening::cli {
namespace {

constexpr std::string_view kName = "screening indicators";

}  // namespace

std::string IndicatorsCommand::summary(std::string_view lang) const {
  return Tr(lang, "Indikatorer för handlingsplanen (årsrapporten)",
            "Indicators of the action plan (the annual report)");
}

int IndicatorsCommand::Run(const std::vector<std::string>& args, Io& io) {
  std::string year, quarter, month, from, to, unit, cutoff, out_path;
  std::string format = "table";
  bool no_suppression = false;
  int threshold = kDefaultSuppressionThreshold;
  int definitions_version = 0;
  CommandLine command_line = CommandLineWithDetails(
      *this, std::string(kName),
      "Räknar handlingsplanens indikatorer för en period: nya kontakter och "
      "rutinfrågan, ärenden där våld kommit fram, risk- och skyddsbedömningar per "
      "instrument och nivå, barn, uppföljning med tidsfrist, våldsutövare och "
      "stödinformation, rekommenderade insatser, roller, sårbara grupper och "
      "arbetsledarens granskning. Ange exakt en period. Kontakter räknas på "
      "kontaktdatum, bedömningar på datum för första inskickningen (svensk tid), var "
      "och en en gång i den senaste versionen före brytpunkten (--cutoff, standard nu): "
      "samma brytpunkt ger samma siffror senare. Antal från 1 till 4 visas som \"<5\" "
      "och celler som de kunde räknas fram ur döljs också; --no-suppression (bara "
      "samordnare) visar allt och loggas. Sårbara grupper (känsliga uppgifter) räknas "
      "bara för en hel månad, ett helt kvartal eller ett helt år som har tagit slut; för "
      "andra perioder visas \"räknas inte\", så att två rapporter en dag isär inte kan "
      "peka ut en person. Samordnare och arbetsledare (sina enheter). "
      "Definitionerna beskrivs i docs/indicators.md.",
      "Counts the action plan's indicators for a period: new contacts and the routine "
      "question, cases where violence was disclosed, risk and protection assessments "
      "by instrument and level, children, follow-up with deadlines, people who use "
      "violence and support information, recommended interventions, roles, vulnerable "
      "groups and supervisor review. Give exactly one period. Contacts count by their "
      "contact date, assessments by the date of their first submission (Swedish "
      "time), each once as its latest version before the cut-off (--cutoff, default "
      "now): the same cut-off gives the same numbers later. Counts from 1 to 4 show as "
      "\"<5\" and cells they could be worked out from are hidden too; "
      "--no-suppression (coordinators only) shows everything and is audited. "
      "Vulnerable groups (special-category data) are counted only for a whole month, "
      "quarter or year that has ended; other periods show \"not counted\", so that two "
      "reports a day apart cannot single out a person. "
      "Coordinators and supervisors (their units). The definitions are described in "
      "docs/indicators.md.");
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    app.add_option("--year", year, Tr(lang, "Ett kalenderår", "A calendar year"))
        ->type_name(Tr(lang, "ÅR", "YEAR"));
    app.add_option("--quarter", quarter,
                   Tr(lang, "Ett kvartal, t.ex. 2026Q1", "A quarter, e.g. 2026Q1"))
        ->type_name("YYYYQn");
    app.add_option("--month", month, Tr(lang, "En månad, t.ex. 2026-03", "A month, e.g. 2026-03"))
        ->type_name("YYYY-MM");
    app.add_option("--from", from,
                   Tr(lang,
                      "Första dagen (med --to); sårbara grupper räknas bara om perioden är en "
                      "hel månad, ett kvartal eller ett år som har tagit slut",
                      "The first day (with --to); vulnerable groups are counted only when the "
                      "period is a whole month, quarter or year that has ended"))
        ->type_name("YYYY-MM-DD");
    app.add_option(
           "--to", to,
           Tr(lang, "Sista dagen, inräknad (med --from)", "The last day, included (with --from)"))
        ->type_name("YYYY-MM-DD");
    app.add_option("--unit", unit, Tr(lang, "Bara en enhet", "One unit only"))
        ->type_name(Tr(lang, "ENHET", "UNIT"));
    app.add_option(
           "--cutoff", cutoff,
           Tr(lang, "Räkna bara data registrerade till och med denna tid, i UTC (standard nu)",
              "Count only data recorded up to and including this time, in UTC (default now)"))
        ->type_name("YYYY-MM-DDTHH:MM:SSZ");
    AddFormatOption(app, lang, &format, {"table", "csv", "json", "html"});
    app.add_option("--out", out_path,
                   Tr(lang, "Skriv till en fil i stället för standard ut",
                      "Write to a file instead of standard output"))
        ->type_name(Tr(lang, "FIL", "FILE"));
    app.add_option("--definitions", definitions_version,
                   Tr(lang,
                      "Räkna med definitionernas version N (t.ex. 1 för att göra om en äldre "
                      "rapport); standard: den version som gäller perioden",
                      "Count with version N of the definitions (e.g. 1 to make an older report "
                      "again); default: the version that applies to the period"))
        ->check(CLI::Range(1, 999).description(""))
        ->type_name("N");
    app.add_flag("--no-suppression", no_suppression,
                 Tr(lang, "Visa även små antal (bara samordnare; loggas)",
                    "Show small counts too (coordinators only; audited)"));
    app.add_option("--threshold", threshold,
                   Tr(lang, "Antal under detta döljs (standard 5)",
                      "Counts below this are hidden (default 5)"))
        ->check(CLI::Range(2, 100).description(""))
        ->type_name("N");
  };
  DbSession db;
  Result<IndicatorPeriod> period = Status::InvalidArgument("no period");
  const auto check = [&](DbFlags&) -> std::optional<int> {
    const int periods =
        !year.empty() + !quarter.empty() + !month.empty() + (!from.empty() || !to.empty());
    if (periods != 1) {
      return UsageError(
          io, kName,
          Tr(io.lang, "ange exakt en period: --year, --quarter, --month eller --from och --to",
             "give exactly one period: --year, --quarter, --month or --from and --to"));
    }
    if (from.empty() != to.empty()) {
      return UsageError(
          io, kName,
          Tr(io.lang, "--from och --to anges tillsammans", "--from and --to go together"));
    }
    period = !year.empty()      ? YearPeriod(year)
             : !quarter.empty() ? QuarterPeriod(quarter)
             : !month.empty()   ? MonthPeriod(month)
                                : RangePeriod(from, to);
    if (!period.ok()) {
      return UsageError(
          io, kName,
          !year.empty()      ? Tr(io.lang, "--year: ange ett år YYYY", "--year: give a year YYYY")
          : !quarter.empty() ? Tr(io.lang, "--quarter: ange YYYYQn, t.ex. 2026Q1",
                                  "--quarter: give YYYYQn, e.g. 2026Q1")
          : !month.empty()
              ? Tr(io.lang, "--month: ange YYYY-MM", "--month: give YYYY-MM")
              : Tr(io.lang, "--from/--to: ange två datum YYYY-MM-DD, det första inte senare",
                   "--from/--to: give two dates YYYY-MM-DD, the first not later"));
    }
    return std::nullopt;
  };
  if (auto code = ParseAndOpen(args, io, command_line, Preamble().WithCheck(check), &db))
    return *code;
  IndicatorRequest request;
  request.period = *period;
  request.unit = unit;
  request.cutoff_utc = cutoff;
  request.threshold = threshold;
  request.suppress = !no_suppression;
  request.definitions_version = definitions_version;
  auto report = db.store->Indicators(db.actor, request);
  if (!report.ok()) {
    return Failure(
        io, kName,
        Describe(io,
                 Tr(io.lang, "kunde inte räkna indikatorerna", "could not count the indicators"),
                 report.status()));
  }
  std::string text;
  if (format == "csv") {
    text = RenderIndicatorCsv(*report, io.lang);
  } else if (format == "json") {
    text = RenderIndicatorJson(*report, io.lang) + "\n";
  } else if (format == "html") {
    text = RenderIndicatorHtml(*report, io.lang);
  } else {
    text = RenderIndicatorText(*report, io.lang);
  }
  if (out_path.empty()) {
    io.out << text;
    return kExitOk;
  }
  if (Status st = WriteOutputFile(out_path, text, ExistingFile::kReplace, io.lang); !st.ok()) {
    return Failure(io, kName, st.message());
  }
  io.err << Tr(io.lang, "Rapporten skrevs till ", "The report was written to ") << out_path << "\n";
  return kExitOk;
}

}  // namespace screening::cli
