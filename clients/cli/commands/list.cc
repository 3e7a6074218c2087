#include "commands/list.h"

#include <ostream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "commands/cli_support.h"
#include "commands/db_support.h"
#include "commands/form_session.h"
#include "commands/labels.h"
#include "commands/stdin_arguments.h"

namespace screening::cli {
namespace {

constexpr std::string_view kName = "screening list";

}  // namespace

std::string ListCommand::summary(std::string_view lang) const {
  return Tr(lang, "Lista bedömningar (utan svar)", "List assessments (without answers)");
}

int ListCommand::Run(const std::vector<std::string>& args, Io& io) {
  ListFilter filter;
  std::string status;
  std::string format = "text";
  StdinArguments hidden;
  CommandLine command_line = CommandLineWithDetails(
      *this, std::string(kName),
      "Bedömningarna i dina enheter, senast ändrade först; borttagna utkast bara med "
      "--status discarded. Ärenden med skyddade personuppgifter visas bara för den som "
      "har fått tillgång till dem.",
      "The assessments in your units, most recently changed first; discarded drafts only "
      "with --status discarded. Cases with protected personal details are shown only to "
      "users granted access to them.");
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    app.add_option("--status", status,
                   Tr(lang, "Bara med den här statusen", "Only with this status"))
        ->check(OneOf(StatusIds()))
        ->type_name(TypeName(StatusIds()));
    app.add_option("--unit", filter.unit, Tr(lang, "Bara den här enheten", "Only this unit"))
        ->type_name(Tr(lang, "ENHET", "UNIT"));
    hidden.AddCase(app, lang, &filter.case_ref, Tr(lang, "Bara det här ärendet", "Only this case"),
                   false);
    app.add_option(
           "--limit", filter.limit,
           Tr(lang, "Högst så många rader (standard 200)", "At most this many rows (default 200)"))
        ->check(CLI::Range(1, 100000))
        ->type_name("N");
    AddFormatOption(app, lang, &format, {"text", "json"});
  };
  DbSession db;
  if (auto code = ParseAndOpen(args, io, command_line, Preamble().WithStdinArguments(&hidden), &db))
    return *code;
  if (!status.empty()) filter.status = StatusFromId(status);  // checked by OneOf above
  auto listed = db.store->List(db.actor, filter);
  if (!listed.ok()) {
    return Failure(
        io, kName,
        Describe(io,
                 Tr(io.lang, "kunde inte lista bedömningarna", "could not list the assessments"),
                 listed.status()));
  }
  if (format == "json") {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& a : *listed) {
      out.push_back({{"id", a.id},
                     {"chain_id", a.chain_id},
                     {"version", a.version},
                     {"status", StatusId(a.status)},
                     {"unit", a.unit},
                     {"case", a.case_ref},
                     {"instrument", a.instrument_id},
                     {"final_level", a.final_level.empty() ? nlohmann::ordered_json(nullptr)
                                                           : nlohmann::ordered_json(a.final_level)},
                     {"author", a.author},
                     {"updated_utc", a.updated_utc}});
    }
    io.out << out.dump() << "\n";
    return kExitOk;
  }
  if (listed->empty()) {
    io.out << Tr(io.lang, "Inga bedömningar.\n", "No assessments.\n");
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& a : *listed) {
    rows.push_back({std::to_string(a.id), std::to_string(a.version), StatusLabel(a.status, io.lang),
                    a.instrument_id,
                    a.final_level.empty()
                        ? "-"
                        : LevelLabelFor(*db.registry, a.instrument_id, a.final_level, io.lang),
                    a.unit, a.case_ref, a.updated_utc, a.author});
  }
  WriteTable(io.out,
             {"ID", "VER", "STATUS", "INSTRUMENT", Tr(io.lang, "NIVÅ", "LEVEL"),
              Tr(io.lang, "ENHET", "UNIT"), Tr(io.lang, "ÄRENDE", "CASE"),
              Tr(io.lang, "ÄNDRAD", "UPDATED"), Tr(io.lang, "AV", "BY")},
             rows);
  return kExitOk;
}

}  // namespace screening::cli
