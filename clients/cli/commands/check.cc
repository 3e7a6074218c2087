#include "commands/check.h"

#include <ostream>

#include <screening/store.h>
#include <CLI/CLI.hpp>

#include "commands/audit.h"
#include "commands/cli_support.h"
#include "commands/db_support.h"

namespace screening::cli {
namespace {

constexpr std::string_view kName = "screening check";

}  // namespace

namespace {

// The accounts that took a supervisor's reach without a second person (the bootstrap rule,
// docs/store.md "Separation of duties"), and what still waits for one: for the
// administrator's sample check. Not an error.
void NoteSecondPersonExceptions(Io& io, DbSession& db) {
  auto users = db.store->Users(db.actor);
  if (!users.ok()) return;
  for (const UserRecord& u : *users) {
    if (!u.bootstrap_utc.empty()) {
      io.out
          << Tr(io.lang, "obs: ", "note: ") << u.name
          << Tr(io.lang, " blev arbetsledare utan en andra persons bekräftelse (enhetens första, ",
                " became a supervisor without a second person's confirmation (the unit's first, ")
          << u.bootstrap_utc << ")\n";
    }
    if (u.awaiting_confirmation || !u.pending.empty()) {
      io.out << Tr(io.lang, "obs: ", "note: ") << u.name
             << Tr(io.lang, " väntar på en andra persons bekräftelse (begärt av ",
                   " waits for a second person's confirmation (asked by ")
             << u.requested_by << ")\n";
    }
  }
}

}  // namespace

std::string CheckCommand::summary(std::string_view lang) const {
  return Tr(lang, "Kontrollera databasen (integritet, referenser, granskningskedjan)",
            "Check the database (integrity, references, the audit chain)");
}

int CheckCommand::Run(const std::vector<std::string>& args, Io& io) {
  std::string format = "text";
  CommandLine command_line = CommandLineWithDetails(
      *this, std::string(kName),
      "Kör SQLites integrity_check och foreign_key_check och verifierar "
      "granskningskedjan. Avslutar med 1 vid minsta fel. Administratör. Med "
      "--read-only öppnas filen skrivskyddat och ingenting skrivs (kontrollen loggas "
      "inte), så att en bevarad kopia kan kontrolleras oförändrad.",
      "Runs SQLite's integrity_check and foreign_key_check and verifies the audit "
      "chain. Exits 1 at the first problem. Administrator. With --read-only the file is "
      "opened read-only and nothing is written (the check is not logged), so an "
      "evidence copy can be checked unchanged.");
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    AddFormatOption(app, lang, &format, {"text", "json"});
  };
  DbSession db;
  if (auto code = ParseAndOpen(args, io, command_line, Preamble().WithReadOnlyOption(), &db))
    return *code;
  auto check = db.store->Check(db.actor);
  if (!check.ok()) {
    return Failure(
        io, kName,
        Describe(io,
                 Tr(io.lang, "databasen klarade inte kontrollen", "the database failed the check"),
                 check.status()));
  }
  if (format == "json") {
    io.out << VerificationJson(*check) << "\n";
  } else {
    if (check->ok) {
      io.out << Tr(io.lang, "ok: integritet och referenser\n", "ok: integrity and references\n");
    }
    WriteVerification(io, *check);
    NoteSecondPersonExceptions(io, db);
  }
  if (!check->ok) {
    return Failure(io, kName,
                   Tr(io.lang, "granskningskedjan är bruten", "the audit chain is broken"));
  }
  return kExitOk;
}

}  // namespace screening::cli
