#include "commands/case_system_contacts.h"

#include <fmt/format.h>

#include <cstdlib>
#include <ostream>

#include <screening/indicators.h>
#include <screening/store.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "commands/cli_support.h"
#include "commands/db_support.h"

namespace screening::cli {
namespace {

constexpr std::string_view kSet = "screening case-system-contacts set";
constexpr std::string_view kImport = "screening case-system-contacts import";
constexpr std::string_view kList = "screening case-system-contacts list";

// Why the numbers matter, for every subcommand's help.
std::string Purpose(std::string_view lang) {
  return Tr(lang,
            "Andelen nya kontakter där rutinfrågan ställts räknas på verksamhetssystemets antal "
            "nya kontakter när enheten registrerat det för varje månad i rapportens period; "
            "annars bara på kontakterna i det här programmet, och då kan andelen bli 100 % "
            "fast de flesta aldrig tillfrågades. Arbetsledare i enheten och samordnare.",
            "The share of new contacts where the routine question was asked is computed on the "
            "case system's number of new contacts when the unit recorded it for every month of "
            "the report's period; otherwise only on the contacts in this program, and then the "
            "share can be 100 % while most were never asked. Supervisors of the unit and "
            "coordinators.");
}

int Record(Io& io, std::string_view name, DbSession& db, const std::vector<CaseSystemCount>& counts,
           const std::vector<std::size_t>* lines) {
  if (Status st = db.store->RecordCaseSystemContacts(db.actor, counts); !st.ok()) {
    std::string message = st.message();
    // "entry N: ..." from the store: name the CSV line instead.
    if (lines && message.rfind("entry ", 0) == 0) {
      const std::size_t colon = message.find(':');
      const std::size_t entry = static_cast<std::size_t>(std::atoll(message.c_str() + 6));
      if (colon != std::string::npos && entry >= 1 && entry <= lines->size()) {
        message = fmt::format("CSV line {}{}", (*lines)[entry - 1], message.substr(colon));
      }
    }
    return Failure(io, name,
                   Describe(io,
                            Tr(io.lang, "kunde inte registrera antalen (inget sparades)",
                               "could not record the numbers (nothing was saved)"),
                            Status(st.code(), message)));
  }
  io.out << "ok: "
         << fmt::format(
                fmt::runtime(Tr(io.lang, "{} antal registrerade\n", "{} numbers recorded\n")),
                counts.size());
  return kExitOk;
}

}  // namespace

std::string CaseSystemContactsSetCommand::summary(std::string_view lang) const {
  return Tr(lang, "Registrera verksamhetssystemets antal nya kontakter för en enhet och månad",
            "Record the case system's number of new contacts for a unit and month");
}

int CaseSystemContactsSetCommand::Run(const std::vector<std::string>& args, Io& io) {
  CaseSystemCount count;
  CommandLine command_line;
  command_line.name = std::string(kSet);
  command_line.description = [this](std::string_view lang) {
    return summary(lang) + "\n\n" + Purpose(lang) + "\n" +
           Tr(lang, "Ett nytt antal för samma enhet och månad ersätter det gamla (loggas).",
              "A new number for the same unit and month replaces the old one (audited).");
  };
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    app.add_option("--unit", count.unit, Tr(lang, "Enheten", "The unit"))
        ->required()
        ->type_name(Tr(lang, "ENHET", "UNIT"));
    app.add_option("--month", count.month, Tr(lang, "Månaden", "The month"))
        ->required()
        ->type_name("YYYY-MM");
    app.add_option("--contacts", count.contacts,
                   Tr(lang, "Antalet nya kontakter i verksamhetssystemet",
                      "The number of new contacts in the case system"))
        ->required()
        ->check(CLI::Range(0, 10'000'000).description(""))
        ->type_name("N");
  };
  DbSession db;
  if (auto code = ParseAndOpen(args, io, command_line, Preamble(), &db)) return *code;
  return Record(io, kSet, db, {count}, nullptr);
}

std::string CaseSystemContactsImportCommand::summary(std::string_view lang) const {
  return Tr(lang, "Läs in verksamhetssystemets antal nya kontakter från en CSV-fil",
            "Import the case system's numbers of new contacts from a CSV file");
}

int CaseSystemContactsImportCommand::Run(const std::vector<std::string>& args, Io& io) {
  std::string path;
  CommandLine command_line;
  command_line.name = std::string(kImport);
  command_line.description = [this](std::string_view lang) {
    return summary(lang) + "\n\n" + Purpose(lang) + "\n" +
           Tr(lang,
              "Filen har en rubrikrad med kolumnerna unit (eller enhet), month (eller månad, "
              "YYYY-MM) och contacts (eller nya_kontakter), i valfri ordning, avgränsade med "
              "komma eller semikolon; övriga kolumner läses inte. Allt eller inget sparas; ett "
              "fel anges med radnummer. Med - läses standard in (lösenordsraden först vid "
              "--password-stdin).",
              "The file has a header line with the columns unit (or enhet), month (or månad, "
              "YYYY-MM) and contacts (or nya_kontakter), in any order, separated by commas or "
              "semicolons; other columns are not read. All or nothing is saved; an error names "
              "its line. With - standard input is read (the password line first with "
              "--password-stdin).");
  };
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    app.add_option("file", path, Tr(lang, "CSV-filen, eller -", "The CSV file, or -"))
        ->required()
        ->type_name(Tr(lang, "FIL", "FILE"));
  };
  DbSession db;
  if (auto code = ParseAndOpen(args, io, command_line, Preamble(), &db)) return *code;
  auto text = ReadInput(path, io, std::size_t{1} << 20);
  if (!text.ok()) return Failure(io, kImport, text.status().message());
  std::vector<std::size_t> lines;
  auto counts = ParseCaseSystemCountsCsv(*text, &lines);
  if (!counts.ok()) {
    return Failure(io, kImport,
                   Describe(io,
                            Tr(io.lang, "filen kunde inte läsas (inget sparades)",
                               "the file could not be read (nothing was saved)"),
                            counts.status()));
  }
  return Record(io, kImport, db, *counts, &lines);
}

std::string CaseSystemContactsListCommand::summary(std::string_view lang) const {
  return Tr(lang, "Visa registrerade antal nya kontakter från verksamhetssystemen",
            "Show the recorded numbers of new contacts from the case systems");
}

int CaseSystemContactsListCommand::Run(const std::vector<std::string>& args, Io& io) {
  std::string year;
  std::string format = "text";
  CommandLine command_line;
  command_line.name = std::string(kList);
  command_line.description = [this](std::string_view lang) {
    return summary(lang) + "\n\n" + Purpose(lang);
  };
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    app.add_option("--year", year, Tr(lang, "Året", "The year"))
        ->required()
        ->type_name(Tr(lang, "ÅR", "YEAR"));
    AddFormatOption(app, lang, &format, {"text", "json"});
  };
  DbSession db;
  const auto check = [&](DbFlags&) -> std::optional<int> {
    auto period = YearPeriod(year);
    if (!period.ok()) {
      return UsageError(io, kList,
                        Tr(io.lang, "--year: ange ett år YYYY", "--year: give a year YYYY"));
    }
    return std::nullopt;
  };
  if (auto code = ParseAndOpen(args, io, command_line, Preamble().WithCheck(check), &db))
    return *code;
  auto counts = db.store->CaseSystemContacts(db.actor, year + "-01", year + "-12");
  if (!counts.ok()) {
    return Failure(
        io, kList,
        Describe(io, Tr(io.lang, "kunde inte läsa antalen", "could not read the numbers"),
                 counts.status()));
  }
  if (format == "json") {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& c : *counts) {
      out.push_back({{"unit", c.unit},
                     {"month", c.month},
                     {"contacts", c.contacts},
                     {"recorded_by", c.recorded_by},
                     {"recorded_utc", c.recorded_utc}});
    }
    io.out << out.dump(2) << "\n";
    return kExitOk;
  }
  if (counts->empty()) {
    io.out << Tr(io.lang, "Inga antal registrerade för ", "No numbers recorded for ") << year
           << ".\n";
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& c : *counts) {
    rows.push_back({c.unit, c.month, std::to_string(c.contacts), c.recorded_by,
                    SwedishLocalDateTime(c.recorded_utc)});
  }
  WriteTable(
      io.out,
      {Tr(io.lang, "Enhet", "Unit"), Tr(io.lang, "Månad", "Month"),
       Tr(io.lang, "Nya kontakter", "New contacts"), Tr(io.lang, "Registrerat av", "Recorded by"),
       Tr(io.lang, "När (svensk tid)", "When (Swedish time)")},
      rows);
  return kExitOk;
}

}  // namespace screening::cli
