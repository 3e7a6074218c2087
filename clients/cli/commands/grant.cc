#include "commands/grant.h"

#include <ostream>

#include <screening/store.h>
#include <CLI/CLI.hpp>

#include "commands/cli_support.h"
#include "commands/db_support.h"
#include "commands/stdin_arguments.h"

namespace screening::cli {
namespace {

constexpr std::string_view kName = "screening grant";

}  // namespace

std::string GrantCommand::summary(std::string_view lang) const {
  return Tr(lang, "Ge en användare tillgång till ett skyddat ärende (arbetsledare)",
            "Give a user access to a protected case (supervisor)");
}

int GrantCommand::Run(const std::vector<std::string>& args, Io& io) {
  std::string unit;
  std::string case_ref;
  std::string user;
  std::string reason;
  std::string until;
  StdinArguments hidden;
  CommandLine command_line = CommandLineWithDetails(
      *this, std::string(kName),
      "En arbetsledare i enheten ger en annan användare tillgång till ett ärende där en "
      "person har skyddade personuppgifter. Skälet krävs och loggas.",
      "A supervisor of the unit gives another user access to a case in which a person "
      "has protected personal details. The reason is required and logged.");
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    hidden.AddCase(app, lang, &case_ref, Tr(lang, "Ärendets referens", "The case's reference"),
                   true);
    app.add_option("--unit", unit, Tr(lang, "Enheten", "The unit"))
        ->required()
        ->type_name(Tr(lang, "ENHET", "UNIT"));
    app.add_option("--user", user, Tr(lang, "Användaren som får tillgång", "The user given access"))
        ->required()
        ->type_name(Tr(lang, "NAMN", "NAME"));
    hidden.AddText(app, lang, "--reason", &reason,
                   Tr(lang, "Varför (krävs, loggas)", "Why (required, logged)"),
                   {"skälet", "the reason"},
                   {"Varför användaren får tillgång", "Why the user is given access"}, true);
    app.add_option("--until", until,
                   Tr(lang,
                      "Sista dagen tillgången gäller (ÅÅÅÅ-MM-DD, svensk tid); utan: tills den "
                      "återkallas med 'screening revoke'",
                      "The last day the access holds (YYYY-MM-DD, Swedish time); without: until "
                      "it is revoked with 'screening revoke'"))
        ->type_name(Tr(lang, "DATUM", "DATE"));
  };
  DbSession db;
  if (auto code = ParseAndOpen(args, io, command_line, Preamble().WithStdinArguments(&hidden), &db))
    return *code;
  if (Status st = db.store->Grant(db.actor, unit, case_ref, user, reason, until); !st.ok()) {
    return Failure(io, kName,
                   Describe(io,
                            std::string(Tr(io.lang, "kunde inte ge ", "could not grant ")) + user +
                                Tr(io.lang, " tillgång till ärendet", " access to the case"),
                            st));
  }
  io.out << user
         << Tr(io.lang, " har fått tillgång till ärendet", " has been given access to the case");
  if (!until.empty()) io.out << Tr(io.lang, " till och med ", " up to and including ") << until;
  io.out << ".\n";
  return kExitOk;
}

}  // namespace screening::cli
