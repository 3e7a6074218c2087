#include "commands/info_given.h"

#include <optional>
#include <ostream>

#include <screening/store.h>
#include <CLI/CLI.hpp>

#include "commands/cli_support.h"
#include "commands/db_support.h"
#include "commands/followup_support.h"

namespace screening::cli {
namespace {

constexpr std::string_view kName = "screening info-given";

}  // namespace

std::string InfoGivenCommand::summary(std::string_view lang) const {
  return Tr(lang, "Registrera att stödinformation getts i ett ärende",
            "Record that support information was given in a case");
}

int InfoGivenCommand::Run(const std::vector<std::string>& args, Io& io) {
  std::string case_ref;
  std::string unit;
  std::int64_t subject = 0;
  std::vector<std::string> resources;
  DbFlags flags;
  CommandLine command_line;
  command_line.name = std::string(kName);
  command_line.description = [this](std::string_view lang) {
    return summary(lang) + "\n\n" +
           Tr(lang,
              "Sparar vilka resurser (id:n från 'screening resources') som personen fått "
              "information om, och när; med --subject till vilken person i ärendet. Den som "
              "utövar våld ska alltid få veta var hjälp finns. Räknas i indikatorerna över "
              "stöd som getts. Handläggare och arbetsledare i enheten.",
              "Records which resources (ids from 'screening resources') the person was told "
              "about, and when; with --subject to which person in the case. A person who "
              "uses violence must always be told where help is. Counted in the indicators of "
              "support given. Caseworkers and supervisors of the unit.");
  };
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    app.add_option("--case", case_ref, Tr(lang, "Ärendets referens", "The case reference"))
        ->required()
        ->type_name("REF");
    app.add_option("--unit", unit, Tr(lang, "Ärendets enhet", "The case's unit"))
        ->required()
        ->type_name(Tr(lang, "ENHET", "UNIT"));
    CLI::Validator positive = CLI::PositiveNumber;
    positive.description("");
    app.add_option("--subject", subject,
                   Tr(lang, "Personens id i ärendet", "The person's id in the case"))
        ->check(positive)
        ->type_name("ID");
    app.add_option("--resources", resources,
                   Tr(lang, "Resursernas id, åtskilda med komma",
                      "The resources' ids, separated by commas"))
        ->required()
        ->delimiter(',')
        ->allow_extra_args(false)
        ->type_name("ID,...");
    AddDbOptions(app, lang, &flags);
  };
  if (auto code = ParseCommandLine(command_line, args, io)) return *code;

  auto registry = LoadRegistryOrReport(io, kName);
  if (registry == nullptr) return kExitFailed;
  auto directory = LoadDirectoryOrReport(io, kName, *registry);
  if (directory == nullptr) return kExitFailed;
  for (const auto& id : resources) {
    if (directory->Resource(id) == nullptr) {
      return Failure(
          io, kName,
          std::string(Tr(io.lang, "okänd resurs: ", "unknown resource: ")) + id +
              Tr(io.lang, " (se 'screening resources')", " (see 'screening resources')"));
    }
  }

  DbSession db;
  if (int code = OpenDatabase(io, kName, flags, &db); code != kExitOk) return code;
  db.password.Clear();
  const std::optional<std::int64_t> subject_id =
      subject > 0 ? std::optional<std::int64_t>(subject) : std::nullopt;
  if (Status st = db.store->RecordSupportGiven(db.actor, unit, case_ref, subject_id, resources);
      !st.ok()) {
    return Failure(io, kName,
                   Describe(io,
                            Tr(io.lang, "kunde inte registrera stödinformationen",
                               "could not record the support information"),
                            st));
  }
  io.out << "ok: " << Tr(io.lang, "stödinformation registrerad (", "support information recorded (")
         << resources.size()
         << (resources.size() == 1 ? Tr(io.lang, " resurs)\n", " resource)\n")
                                   : Tr(io.lang, " resurser)\n", " resources)\n"));
  return kExitOk;
}

}  // namespace screening::cli
