#include "commands/accounts.h"

#include <functional>
#include <ostream>

#include <screening/store.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "commands/cli_support.h"
#include "commands/db_support.h"
#include "commands/stdin_arguments.h"

namespace screening::cli {
namespace {

// Reports the outcome of a change to an account: "could not <what>" (exit 1) or `done` (exit
// 0), then what on `user`'s account waits for a second person, if anything.
int ReportChange(Io& io, std::string_view name, DbSession& db, const std::string& what,
                 const Status& changed, const std::string& done, const std::string& user = "") {
  if (!changed.ok()) return Failure(io, name, Describe(io, what, changed));
  io.out << done << "\n";
  if (!user.empty()) SayWhatWaits(io, db, user);
  return kExitOk;
}

void AddUserName(CLI::App& app, std::string_view lang, std::string* user) {
  app.add_option(Tr(lang, "NAMN", "NAME"), *user, Tr(lang, "Användaren", "The user"))
      ->required()
      ->type_name("");
}

std::string ChangesTakeEffect(std::string_view lang) {
  return Tr(lang,
            " Ändringen gäller från användarens nästa kommando och loggas. Ditt eget konto "
            "ändras av en annan administratör.",
            " The change holds from the user's next command and is logged. Your own account is "
            "changed by another administrator.");
}

}  // namespace

// What on `user`'s account waits for a second person, as a sentence ("" when nothing does).
std::string Waiting(const Io& io, const UserRecord& u) {
  std::string what;
  if (u.awaiting_confirmation) {
    what = std::string(Tr(io.lang, "kontot (rollen ", "the account (the role ")) +
           std::string(RoleId(u.role)) + ")";
  }
  for (const std::string& p : u.pending) {
    const bool role = p.rfind("role:", 0) == 0;
    what += (what.empty() ? "" : ", ") +
            std::string(role ? Tr(io.lang, "rollen ", "the role ")
                             : Tr(io.lang, "enheten ", "the unit ")) +
            p.substr(p.find(':') + 1);
  }
  return what;
}

// Says what on `user`'s account now waits for a second person's confirmation, if anything
// (the store decides; docs/store.md, "Separation of duties").
void SayWhatWaits(Io& io, DbSession& db, const std::string& user) {
  auto users = db.store->Users(db.actor);
  if (!users.ok()) return;
  for (const UserRecord& u : *users) {
    if (u.name != user) continue;
    const std::string what = Waiting(io, u);
    if (what.empty()) return;
    io.out << Tr(io.lang, "Väntar på att en andra person bekräftar ",
                 "Waits for a second person to confirm ")
           << what
           << Tr(io.lang,
                 " (en annan administratör, eller en arbetsledare i enheten): 'screening user "
                 "confirm ",
                 " (another administrator, or a supervisor of the unit): 'screening user "
                 "confirm ")
           << user << "'.\n";
  }
}

// ------------------------------------------------------------------ user list

std::string UserListCommand::summary(std::string_view lang) const {
  return Tr(lang, "Visa alla konton (administratör)", "Show every account (administrator)");
}

int UserListCommand::Run(const std::vector<std::string>& args, Io& io) {
  std::string format = "text";
  CommandLine command_line = CommandLineWithDetails(
      *this, "screening user list",
      "Namn, roll, enheter och om kontot är aktivt eller låst, har ett engångslösenord "
      "(satt av en administratör), väntar på att en andra person bekräftar en roll "
      "eller enhet, eller blev enhetens första arbetsledare utan en andra person.",
      "Name, role, units and whether the account is active or locked, has a one-time "
      "password (set by an administrator), waits for a second person to confirm a role "
      "or unit, or became its unit's first supervisor without a second person.");
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    app.add_option("--format", format, Tr(lang, "Utdataformat", "Output format"))
        ->check(OneOf({"text", "json"}))
        ->type_name("text|json");
  };
  DbSession db;
  if (auto code = ParseAndOpen(args, io, command_line, Preamble(), &db)) return *code;
  auto users = db.store->Users(db.actor);
  if (!users.ok()) {
    return Failure(
        io, command_line.name,
        Describe(io, Tr(io.lang, "kunde inte visa kontona", "could not list the accounts"),
                 users.status()));
  }
  if (format == "json") {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const UserRecord& u : *users) {
      out.push_back({{"name", u.name},
                     {"role", RoleId(u.role)},
                     {"units", u.units},
                     {"active", u.active},
                     {"locked", u.locked},
                     {"created_utc", u.created_utc},
                     {"must_change_password", u.must_change_password},
                     {"awaiting_confirmation", u.awaiting_confirmation},
                     {"pending", u.pending},
                     {"requested_by", u.requested_by},
                     {"bootstrap_utc", u.bootstrap_utc}});
    }
    io.out << out.dump() << "\n";
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const UserRecord& u : *users) {
    std::string units;
    for (const auto& unit : u.units) units += (units.empty() ? "" : ",") + unit;
    std::string state =
        u.active ? Tr(io.lang, "aktivt", "active") : Tr(io.lang, "avstängt", "deactivated");
    if (u.locked) state += Tr(io.lang, ", låst", ", locked");
    if (u.must_change_password) state += Tr(io.lang, ", engångslösenord", ", one-time password");
    if (const std::string what = Waiting(io, u); !what.empty()) {
      state += std::string(Tr(io.lang, ", väntar på bekräftelse: ", ", waits for confirmation: ")) +
               what + Tr(io.lang, " (begärt av ", " (asked by ") + u.requested_by + ")";
    }
    if (!u.bootstrap_utc.empty()) {
      state += Tr(io.lang, ", första arbetsledaren i enheten (utan andra person)",
                  ", first supervisor of the unit (without a second person)");
    }
    rows.push_back({u.name, std::string(RoleId(u.role)), units.empty() ? "-" : units, state});
  }
  WriteTable(io.out,
             {Tr(io.lang, "NAMN", "NAME"), Tr(io.lang, "ROLL", "ROLE"),
              Tr(io.lang, "ENHETER", "UNITS"), Tr(io.lang, "STATUS", "STATE")},
             rows);
  return kExitOk;
}

// ------------------------------------------------------------------ user deactivate/reactivate

std::string UserActiveCommand::summary(std::string_view lang) const {
  return active_ ? Tr(lang, "Aktivera ett avstängt konto igen (administratör)",
                      "Reactivate a deactivated account (administrator)")
                 : Tr(lang, "Stäng av ett konto (administratör)",
                      "Deactivate an account (administrator)");
}

int UserActiveCommand::Run(const std::vector<std::string>& args, Io& io) {
  std::string user;
  CommandLine command_line;
  command_line.name = "screening " + name();
  command_line.description = [this](std::string_view lang) {
    return summary(lang) + "\n\n" +
           (active_ ? Tr(lang, "Kontot kan logga in igen med sitt lösenord.",
                         "The account can log in again with its password.")
                    : Tr(lang,
                         "Ett avstängt konto kan inte logga in och nekas allt, också i ett "
                         "program som redan är öppet. Det som kontot gjort finns kvar. Den sista "
                         "aktiva administratören kan inte stängas av.",
                         "A deactivated account cannot log in and is refused everything, also "
                         "in a program already open. What it did stays. The last active "
                         "administrator cannot be deactivated.")) +
           ChangesTakeEffect(lang);
  };
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    AddUserName(app, lang, &user);
  };
  DbSession db;
  if (auto code = ParseAndOpen(args, io, command_line, Preamble(), &db)) return *code;
  return ReportChange(
      io, command_line.name, db,
      (active_ ? std::string(Tr(io.lang, "kunde inte aktivera ", "could not reactivate "))
               : std::string(Tr(io.lang, "kunde inte stänga av ", "could not deactivate "))) +
          user,
      db.store->SetUserActive(db.actor, user, active_),
      user + (active_ ? Tr(io.lang, " är aktivt igen.", " is active again.")
                      : Tr(io.lang, " är avstängt.", " is deactivated.")));
}

// ------------------------------------------------------------------ user role

std::string UserRoleCommand::summary(std::string_view lang) const {
  return Tr(lang, "Byt roll för ett konto (administratör)",
            "Change an account's role (administrator)");
}

int UserRoleCommand::Run(const std::vector<std::string>& args, Io& io) {
  std::string user, role;
  CommandLine command_line;
  command_line.name = "screening user role";
  command_line.description = [this](std::string_view lang) {
    return summary(lang) + "\n\n" +
           Tr(lang,
              "Handläggare och arbetsledare hör till minst en enhet (lägg till den först med "
              "'screening user unit'). Den sista administratören förblir administratör.",
              "Caseworkers and supervisors belong to at least one unit (add it first with "
              "'screening user unit'). The last administrator stays one.") +
           ChangesTakeEffect(lang);
  };
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    AddUserName(app, lang, &user);
    app.add_option(Tr(lang, "ROLL", "ROLE"), role, Tr(lang, "Den nya rollen", "The new role"))
        ->required()
        ->check(OneOf(RoleIds()))
        ->type_name(TypeName(RoleIds()));
  };
  DbSession db;
  if (auto code = ParseAndOpen(args, io, command_line, Preamble(), &db)) return *code;
  return ReportChange(
      io, command_line.name, db,
      std::string(Tr(io.lang, "kunde inte byta roll för ", "could not change the role of ")) + user,
      db.store->SetUserRole(db.actor, user, *RoleFromId(role)),
      Tr(io.lang, "Rollbytet är registrerat: ", "The role change is recorded: ") + user + " -> " +
          role + ".",
      user);
}

// ------------------------------------------------------------------ user unit

std::string UserUnitCommand::summary(std::string_view lang) const {
  return Tr(lang, "Lägg till eller ta bort ett kontos enhet (administratör)",
            "Add or remove an account's unit (administrator)");
}

int UserUnitCommand::Run(const std::vector<std::string>& args, Io& io) {
  std::string user, add, remove;
  CommandLine command_line;
  command_line.name = "screening user unit";
  command_line.description = [this](std::string_view lang) {
    return summary(lang) + "\n\n" +
           Tr(lang,
              "En handläggare som byter enhet: lägg först till den nya (--add), ta sedan bort "
              "den gamla (--remove); därefter ser hen inte längre den gamla enhetens ärenden. "
              "Handläggare och arbetsledare har alltid minst en enhet.",
              "A caseworker who moves unit: first add the new one (--add), then remove the old "
              "(--remove); from then on they no longer see the old unit's cases. Caseworkers "
              "and supervisors always keep at least one unit.") +
           ChangesTakeEffect(lang);
  };
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    AddUserName(app, lang, &user);
    auto* a = app.add_option("--add", add, Tr(lang, "Enheten som läggs till", "The unit to add"))
                  ->type_name(Tr(lang, "ENHET", "UNIT"));
    auto* r =
        app.add_option("--remove", remove, Tr(lang, "Enheten som tas bort", "The unit to remove"))
            ->type_name(Tr(lang, "ENHET", "UNIT"));
    a->excludes(r);
  };
  DbSession db;
  const auto one_of_add_or_remove = [&](DbFlags&) -> std::optional<int> {
    if (add.empty() != remove.empty()) return std::nullopt;
    return UsageError(
        io, command_line.name,
        Tr(io.lang, "ange antingen --add eller --remove", "give either --add or --remove"));
  };
  if (auto code =
          ParseAndOpen(args, io, command_line, Preamble().WithCheck(one_of_add_or_remove), &db)) {
    return *code;
  }
  const bool member = !add.empty();
  const std::string unit = member ? add : remove;
  return ReportChange(
      io, command_line.name, db,
      std::string(
          Tr(io.lang, "kunde inte ändra enheterna för ", "could not change the units of ")) +
          user,
      db.store->SetUserUnit(db.actor, user, unit, member),
      (member ? Tr(io.lang, "Enheten är registrerad: ", "The unit is recorded: ") + user + " + "
              : user + Tr(io.lang, " hör inte längre till ", " no longer belongs to ")) +
          unit + ".",
      user);
}

// ------------------------------------------------------------------ user confirm

std::string UserConfirmCommand::summary(std::string_view lang) const {
  return Tr(lang,
            "Bekräfta en ny arbetsledare, administratör eller arbetsledares enhet (andra person)",
            "Confirm a new supervisor, administrator or supervisor's unit (second person)");
}

int UserConfirmCommand::Run(const std::vector<std::string>& args, Io& io) {
  std::string user;
  CommandLine command_line = CommandLineWithDetails(
      *this, "screening user confirm",
      "En arbetsledare eller administratör (nytt konto eller byte av roll) och en enhet "
      "som läggs till en arbetsledare gäller först när en andra person bekräftar: en "
      "annan administratör, eller en arbetsledare i enheten (en administratör också av "
      "en arbetsledare). Den som begärde ändringen, och kontot självt, kan inte "
      "bekräfta. Undantag: enhetens första arbetsledare gäller direkt (visas i 'screening "
      "user list' och av 'screening check'). Bekräftelsen loggas.",
      "A supervisor or administrator (a new account or a role change) and a unit added "
      "to a supervisor hold only when a second person confirms: another administrator, "
      "or a supervisor of the unit (an administrator also by a supervisor). Whoever "
      "asked for the change, and the account itself, cannot confirm. Exception: a "
      "unit's first supervisor holds at once (shown by 'screening user list' and "
      "'screening check'). The confirmation is logged.");
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    AddUserName(app, lang, &user);
  };
  DbSession db;
  if (auto code = ParseAndOpen(args, io, command_line, Preamble(), &db)) return *code;
  return ReportChange(io, command_line.name, db,
                      std::string(Tr(io.lang, "kunde inte bekräfta ", "could not confirm ")) + user,
                      db.store->ConfirmUser(db.actor, user),
                      Tr(io.lang, "Bekräftat: det som väntade på ", "Confirmed: what waited on ") +
                          user + Tr(io.lang, " gäller nu.", " holds now."));
}

// ------------------------------------------------------------------ revoke

std::string RevokeCommand::summary(std::string_view lang) const {
  return Tr(lang, "Återkalla en användares tillgång till ett skyddat ärende (arbetsledare)",
            "Revoke a user's access to a protected case (supervisor)");
}

int RevokeCommand::Run(const std::vector<std::string>& args, Io& io) {
  std::string unit, case_ref, user, reason;
  StdinArguments hidden;
  CommandLine command_line = CommandLineWithDetails(
      *this, "screening revoke",
      "En arbetsledare i enheten tar bort tillgången som 'screening grant' gav. Den "
      "gäller inte längre från användarens nästa kommando. Skälet krävs och loggas.",
      "A supervisor of the unit removes the access 'screening grant' gave. It no longer "
      "holds from the user's next command. The reason is required and logged.");
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    hidden.AddCase(app, lang, &case_ref, Tr(lang, "Ärendets referens", "The case's reference"),
                   true);
    app.add_option("--unit", unit, Tr(lang, "Enheten", "The unit"))
        ->required()
        ->type_name(Tr(lang, "ENHET", "UNIT"));
    app.add_option("--user", user, Tr(lang, "Användaren", "The user"))
        ->required()
        ->type_name(Tr(lang, "NAMN", "NAME"));
    hidden.AddText(app, lang, "--reason", &reason,
                   Tr(lang, "Varför (krävs, loggas)", "Why (required, logged)"),
                   {"skälet", "the reason"},
                   {"Varför tillgången tas bort", "Why the access is removed"}, true);
  };
  DbSession db;
  if (auto code = ParseAndOpen(args, io, command_line, Preamble().WithStdinArguments(&hidden), &db))
    return *code;
  if (Status st = db.store->RevokeGrant(db.actor, unit, case_ref, user, reason); !st.ok()) {
    return Failure(io, command_line.name,
                   Describe(io,
                            std::string(Tr(io.lang, "kunde inte återkalla tillgången för ",
                                           "could not revoke the access of ")) +
                                user,
                            st));
  }
  io.out << user
         << Tr(io.lang, " har inte längre tillgång till ärendet.\n",
               " no longer has access to the case.\n");
  return kExitOk;
}

}  // namespace screening::cli
