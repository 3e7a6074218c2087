#include "commands/instruments_pin.h"

#include <ostream>

#include <screening/store.h>
#include <CLI/CLI.hpp>

#include "commands/cli_support.h"
#include "commands/db_support.h"

namespace screening::cli {
namespace {

constexpr std::string_view kName = "screening instruments pin";

}  // namespace

std::string InstrumentsPinCommand::summary(std::string_view lang) const {
  return Tr(lang, "Godkänn de installerade instrumentversionerna i databasen (administratör)",
            "Accept the installed instrument versions in the database (administrator)");
}

int InstrumentsPinCommand::Run(const std::vector<std::string>& args, Io& io) {
  CommandLine command_line = CommandLineWithDetails(
      *this, std::string(kName),
      "Databasen sparar logikens hash för varje instrumentversion den godtar; en "
      "bedömning på en version som inte är godkänd kan inte skickas in. Kör kommandot "
      "efter att nya instrumentversioner har installerats. En version vars fil har "
      "ändrad logik under samma versionsnummer godkänns aldrig (avslut 1, inget "
      "godkänns).",
      "The database keeps the logic hash of every instrument version it accepts; an "
      "assessment on a version that is not accepted cannot be submitted. Run the "
      "command after installing new instrument versions. A version whose file has "
      "changed logic under the same version number is never accepted (exit 1, nothing "
      "accepted).");
  DbSession db;
  if (auto code = ParseAndOpen(args, io, command_line, Preamble(), &db)) return *code;
  auto pinned = db.store->PinInstruments(db.actor);
  if (!pinned.ok()) {
    return Failure(
        io, kName,
        Describe(
            io, Tr(io.lang, "kunde inte godkänna instrumenten", "could not accept the instruments"),
            pinned.status()));
  }
  if (pinned->empty()) {
    io.out << Tr(io.lang, "Alla installerade versioner är redan godkända.\n",
                 "Every installed version is accepted already.\n");
    return kExitOk;
  }
  io.out << Tr(io.lang, "Godkända: ", "Accepted: ");
  bool first = true;
  for (const InstrumentPinState& p : *pinned) {
    io.out << (first ? "" : ", ") << p.instrument_id << " " << p.version;
    first = false;
  }
  io.out << "\n";
  return kExitOk;
}

}  // namespace screening::cli
