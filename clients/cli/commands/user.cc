#include "commands/user.h"

#include <ostream>

#include <screening/store.h>
#include <CLI/CLI.hpp>

#include "commands/accounts.h"
#include "commands/cli_support.h"
#include "commands/db_support.h"

namespace screening::cli {
namespace {

constexpr std::string_view kAddName = "screening user add";
constexpr std::string_view kPasswdName = "screening user passwd";

std::string NewPasswordOptionHelp(std::string_view lang) {
  return Tr(lang,
            "Läs det nya lösenordet från standard in (raden efter ditt eget lösenord om "
            "även --password-stdin anges) i stället för att fråga två gånger på terminalen",
            "Read the new password from standard input (the line after your own password "
            "when --password-stdin is given too) instead of asking twice on the terminal");
}

// The new password of `user`: from the next line of stdin or asked twice.
Status GetNewPassword(Io& io, bool from_stdin, const std::string& user, Secret* secret) {
  const std::string prompt =
      std::string(Tr(io.lang, "Nytt lösenord för ", "New password for ")) + user + ": ";
  return GetSecret(io, from_stdin, prompt,
                   Tr(io.lang, "Upprepa lösenordet: ", "Repeat the password: "), secret);
}

}  // namespace

// ------------------------------------------------------------------ user add

std::string UserAddCommand::summary(std::string_view lang) const {
  return Tr(lang, "Lägg till en användare (administratör)", "Add a user (administrator)");
}

int UserAddCommand::Run(const std::vector<std::string>& args, Io& io) {
  std::string user;
  std::string role;
  std::vector<std::string> units;
  bool new_password_stdin = false;
  CommandLine command_line = CommandLineWithDetails(
      *this, std::string(kAddName),
      "Användarnamn: små bokstäver, siffror, '.', '_' eller '-'. Handläggare och "
      "arbetsledare hör till minst en enhet (--unit, kan upprepas; enheten läggs "
      "till först med 'screening unit add'). Det nya lösenordet (minst 10 tecken) "
      "frågas två gånger på terminalen.",
      "User name: lower-case letters, digits, '.', '_' or '-'. Caseworkers and "
      "supervisors belong to at least one unit (--unit, may be repeated; add the unit "
      "first with 'screening unit add'). The new password (at least 10 characters) is "
      "asked twice on the terminal.");
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    app.add_option(Tr(lang, "NAMN", "NAME"), user,
                   Tr(lang, "Den nya användarens namn", "The new user's name"))
        ->required()
        ->type_name("");
    app.add_option("--role", role, Tr(lang, "Roll", "Role"))
        ->required()
        ->check(OneOf(RoleIds()))
        ->type_name(TypeName(RoleIds()));
    app.add_option("--unit", units, Tr(lang, "Enhet (kan upprepas)", "Unit (may be repeated)"))
        ->allow_extra_args(false)
        ->type_name(Tr(lang, "ENHET", "UNIT"));
    app.add_flag("--new-password-stdin", new_password_stdin, NewPasswordOptionHelp(lang));
  };
  DbSession db;
  if (auto code =
          ParseAndOpen(args, io, command_line, Preamble().WithoutNewPasswordOption(), &db)) {
    return *code;
  }

  // The store decides who may add users (and audits a refusal); someone who is not an
  // administrator is not asked for a password that could not be set anyway.
  Secret password;
  if (db.actor.role == Role::kAdmin) {
    if (Status st = GetNewPassword(io, new_password_stdin, user, &password); !st.ok()) {
      return Failure(io, kAddName, st.message());
    }
  }
  Status st = db.store->AddUser(db.actor, user, *RoleFromId(role), units, password.view());
  password.Clear();
  if (!st.ok()) {
    return Failure(io, kAddName,
                   Describe(io,
                            std::string(Tr(io.lang, "kunde inte lägga till användaren ",
                                           "could not add the user ")) +
                                user,
                            st));
  }
  io.out << Tr(io.lang, "Användaren lades till: ", "User added: ") << user << " (" << role;
  for (const std::string& unit : units) io.out << ", " << unit;
  io.out << ")\n"
         << Tr(io.lang,
               "Lösenordet gäller en inloggning: användaren väljer ett eget första gången.\n",
               "The password is for one login: the user chooses their own the first time.\n");
  SayWhatWaits(io, db, user);
  return kExitOk;
}

// ------------------------------------------------------------------ user passwd

std::string UserPasswdCommand::summary(std::string_view lang) const {
  return Tr(lang, "Byt lösenord (ditt eget, eller en annans som administratör)",
            "Change a password (your own, or another user's as administrator)");
}

int UserPasswdCommand::Run(const std::vector<std::string>& args, Io& io) {
  std::string user;
  bool new_password_stdin = false;
  CommandLine command_line = CommandLineWithDetails(
      *this, std::string(kPasswdName),
      "Utan NAMN byts ditt eget lösenord; du loggar in med det nuvarande. Det nya "
      "lösenordet (minst 10 tecken) frågas två gånger på terminalen. Ett nytt lösenord "
      "låser också upp ett låst konto.",
      "Without NAME your own password is changed; you log in with the current one. "
      "The new password (at least 10 characters) is asked twice on the terminal. A "
      "new password also unlocks a locked account.");
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    app.add_option(Tr(lang, "NAMN", "NAME"), user,
                   Tr(lang, "Användaren (standard du själv)", "The user (default yourself)"))
        ->type_name("");
    app.add_flag("--new-password-stdin", new_password_stdin, NewPasswordOptionHelp(lang));
  };
  DbSession db;
  const auto replaces_own = [&](DbFlags& flags) -> std::optional<int> {
    // A one-time password is what this command replaces (when it is one's own).
    flags.changes_own_password = user.empty() || user == ActingUser(io);
    return std::nullopt;
  };
  if (auto code = ParseAndOpen(
          args, io, command_line,
          Preamble().WithCheck(replaces_own).WithoutNewPasswordOption().KeepingPassword(), &db)) {
    return *code;
  }
  if (user.empty()) user = db.actor.name;
  const bool self = user == db.actor.name;
  const bool admin = db.actor.role == Role::kAdmin;

  // Changing one's own password needs the current one: the login password, or (after a
  // trusted OS login) asked now.
  Secret current;
  if (self && !admin && db.trusted) {
    if (Status st =
            AskSecret(io, Tr(io.lang, "Nuvarande lösenord: ", "Current password: "), &current);
        !st.ok()) {
      return Failure(io, kPasswdName, st.message());
    }
  }
  const std::string_view old_password = db.trusted ? current.view() : db.password.view();

  Secret password;
  if (self || admin) {  // else the store refuses (and audits it); nothing to ask
    if (Status st = GetNewPassword(io, new_password_stdin, user, &password); !st.ok()) {
      return Failure(io, kPasswdName, st.message());
    }
  }
  Status st = db.store->SetPassword(db.actor, user, old_password, password.view());
  password.Clear();
  current.Clear();
  db.password.Clear();
  if (!st.ok()) {
    return Failure(io, kPasswdName,
                   Describe(io,
                            std::string(Tr(io.lang, "kunde inte byta lösenord för ",
                                           "could not change the password of ")) +
                                user,
                            st));
  }
  io.out << Tr(io.lang, "Lösenordet byttes för ", "Password changed for ") << user << "\n";
  if (!self) {
    io.out << Tr(io.lang, "Det gäller en inloggning: användaren väljer ett eget nästa gång.\n",
                 "It is for one login: the user chooses their own the next time.\n");
  }
  return kExitOk;
}

}  // namespace screening::cli
