#include "commands/export.h"

#include <filesystem>
#include <ostream>

#include <screening/store.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "commands/cli_support.h"
#include "commands/db_support.h"
#include "commands/stdin_arguments.h"

namespace screening::cli {
namespace {

constexpr std::string_view kName = "screening export";

}  // namespace

std::string ExportCommand::summary(std::string_view lang) const {
  return Tr(lang, "Export för andra myndigheter eller ett efterföljande system (JSON)",
            "Export for other agencies or a successor system (JSON)");
}

int ExportCommand::Run(const std::vector<std::string>& args, Io& io) {
  std::string format = "json";
  std::string unit;
  std::string case_ref;
  std::string out_path;
  StdinArguments hidden;
  CommandLine command_line = CommandLineWithDetails(
      *this, std::string(kName),
      "Ärendena i dina enheter (eller i --unit, eller ett ärende med --unit och "
      "--case): kontakter med rutinfrågans utfall, personer (roll och åldersgrupp) och "
      "den senaste inskickade eller godkända versionen av varje bedömning, med "
      "instrumentversion och resultat. Ärenden med skyddade personuppgifter, "
      "uppgifter om särskilt sårbara grupper och all fritext (fritextsvar, "
      "anteckningar, motiveringar, skäl) tas aldrig med. Exporten loggas med antalet "
      "ärenden. Formatet beskrivs i docs/store.md. Med --out skrivs en ny fil som bara "
      "ägaren kan läsa (en befintlig fil skrivs aldrig över). Handläggare och "
      "arbetsledare.",
      "The cases in your units (or in --unit, or one case with --unit and --case): "
      "contacts with the routine question's outcome, people (role and age band) and "
      "the newest submitted or approved version of each assessment, with instrument "
      "version and result. Cases with protected personal data, data on especially "
      "vulnerable groups and all free text (free-text answers, notes, rationales, "
      "reasons) are never included. The export is logged with the number of cases. "
      "The format is described in docs/store.md. With --out a new file only its owner "
      "can read is written (an existing file is never overwritten). Caseworkers and "
      "supervisors.");
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    app.add_option("--format", format, Tr(lang, "Utdataformat (json)", "Output format (json)"))
        ->check(OneOf({"json"}))
        ->type_name("json");
    CLI::Option* unit_option =
        app.add_option("--unit", unit, Tr(lang, "Bara den här enheten", "Only this unit"))
            ->type_name(Tr(lang, "ENHET", "UNIT"));
    const auto added = hidden.AddCase(
        app, lang, &case_ref,
        Tr(lang, "Bara det här ärendet (kräver --unit)", "Only this case (needs --unit)"), false);
    added.value->needs(unit_option);
    added.from_stdin->needs(unit_option);
    app.add_option("--out", out_path,
                   Tr(lang, "Skriv till en ny fil i stället för standard ut",
                      "Write to a new file instead of standard output"))
        ->type_name(Tr(lang, "FIL", "FILE"));
  };
  DbSession db;
  const auto check = [&](DbFlags&) -> std::optional<int> {
    std::error_code ec;
    if (!out_path.empty() && std::filesystem::exists(out_path, ec)) {
      return Failure(
          io, kName,
          std::string(Tr(io.lang, "filen finns redan: ", "the file exists: ")) + out_path);
    }
    return std::nullopt;
  };
  if (auto code = ParseAndOpen(args, io, command_line,
                               Preamble().WithStdinArguments(&hidden).WithCheck(check), &db))
    return *code;
  auto exported = db.store->Export(db.actor, unit, case_ref);
  if (!exported.ok()) {
    const std::string what =
        exported.status().code() == StatusCode::kNotFound
            ? std::string(Tr(io.lang,
                             "inget sådant ärende att exportera (eller det har skyddade "
                             "personuppgifter)",
                             "no such case to export (or it has protected personal data)"))
            : std::string(Tr(io.lang, "kunde inte exportera", "could not export"));
    return Failure(io, kName, Describe(io, what, exported.status()));
  }
  if (out_path.empty()) {
    io.out << *exported;
    return kExitOk;
  }
  if (Status st = WriteOutputFile(out_path, *exported, ExistingFile::kRefuse, io.lang); !st.ok()) {
    return Failure(io, kName, st.message());
  }
  size_t cases = 0;
  const auto doc = nlohmann::json::parse(*exported, nullptr, false);
  if (doc.is_object() && doc.contains("cases") && doc["cases"].is_array())
    cases = doc["cases"].size();
  io.out << "ok: " << cases
         << (cases == 1 ? Tr(io.lang, " ärende", " case") : Tr(io.lang, " ärenden", " cases"))
         << Tr(io.lang, " exporterade till ", " exported to ") << out_path << "\n";
  return kExitOk;
}

}  // namespace screening::cli
