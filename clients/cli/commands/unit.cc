#include "commands/unit.h"

#include <ostream>

#include <screening/store.h>
#include <CLI/CLI.hpp>

#include "commands/cli_support.h"
#include "commands/db_support.h"

namespace screening::cli {
namespace {

constexpr std::string_view kName = "screening unit add";

}  // namespace

std::string UnitAddCommand::summary(std::string_view lang) const {
  return Tr(lang, "Lägg till en enhet (administratör)", "Add a unit (administrator)");
}

int UnitAddCommand::Run(const std::vector<std::string>& args, Io& io) {
  std::string unit;
  CommandLine command_line = CommandLineWithDetails(
      *this, std::string(kName),
      "ENHET är ett enhets-id ur vokabulären (instruments/vocabulary.textproto), "
      "t.ex. ifo_vuxen eller ifo_barn. Att lägga till en enhet som redan finns gör "
      "ingenting.",
      "UNIT is a unit id of the vocabulary (instruments/vocabulary.textproto), e.g. "
      "ifo_vuxen or ifo_barn. Adding a unit that exists already does nothing.");
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    app.add_option(Tr(lang, "ENHET", "UNIT"), unit, Tr(lang, "Enhetens id", "The unit's id"))
        ->required()
        ->type_name("");
  };
  DbSession db;
  if (auto code = ParseAndOpen(args, io, command_line, Preamble(), &db)) return *code;
  if (Status st = db.store->AddUnit(db.actor, unit); !st.ok()) {
    return Failure(io, kName,
                   Describe(io,
                            std::string(Tr(io.lang, "kunde inte lägga till enheten ",
                                           "could not add the unit ")) +
                                unit,
                            st));
  }
  io.out << Tr(io.lang, "Enheten finns: ", "Unit present: ") << unit << "\n";
  return kExitOk;
}

}  // namespace screening::cli
