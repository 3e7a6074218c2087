#include "commands/init.h"

#include <algorithm>
#include <iterator>
#include <ostream>
#include <string>
#include <vector>

#include <screening/store.h>
#include <CLI/CLI.hpp>

#include "commands/cli_support.h"
#include "commands/db_support.h"
#include "commands/followup_support.h"

namespace screening::cli {
namespace {

constexpr std::string_view kName = "screening init";

// `--demo`: every unit of the vocabulary and the demo accounts, through the same calls an
// administrator's commands make. Writes what it made on io.out; a failure on io.err.
int SetUpDemo(Io& io, Store& store, const Registry& registry, std::string_view admin,
              std::string_view admin_password) {
  auto fail = [&](std::string_view what, const Status& status) {
    return Failure(
        io, kName,
        Describe(io,
                 std::string(Tr(io.lang, "databasen skapades men demoinställningen avbröts: ",
                                "the database was created but the demo setup "
                                "stopped: ")) +
                     std::string(what),
                 status));
  };
  auto actor = store.Login(admin, admin_password);
  if (!actor.ok()) return fail(Tr(io.lang, "inloggning", "login"), actor.status());
  const v1::TermList* units = registry.vocabulary()->List("units");
  std::vector<std::string> unit_ids;
  if (units != nullptr) {
    for (const auto& term : units->terms()) unit_ids.push_back(term.id());
  }
  for (const auto& unit : unit_ids) {
    if (Status st = store.AddUnit(*actor, unit); !st.ok()) {
      return fail(std::string(Tr(io.lang, "enheten ", "the unit ")) + unit, st);
    }
  }
  const std::vector<std::string> demo_units(std::begin(kDemoUnits), std::end(kDemoUnits));
  for (const DemoAccount& account : {kDemoCaseworker, kDemoSupervisor, kDemoCoordinator}) {
    const bool in_units = IsCaseRole(account.role);
    if (Status st =
            // Published passwords, chosen by the demo's accounts themselves at a first login (a
            // password an administrator sets is one-time); the supervisor is the first of its
            // units, in effect at once.
        AddUserReady(store, *actor, account.name, account.role,
                     in_units ? demo_units : std::vector<std::string>{}, account.password);
        !st.ok()) {
      return fail(std::string(Tr(io.lang, "användaren ", "the user ")) + account.name, st);
    }
  }
  std::string unit_list;
  for (const auto& unit : demo_units) unit_list += (unit_list.empty() ? "" : ", ") + unit;
  io.out << "\n"
         << Tr(io.lang, "Demo: alla ", "Demo: all ") << unit_ids.size()
         << Tr(io.lang,
               " enheter är upplagda, och de här demokontona (lösenorden är kända: "
               "använd dem bara för demonstration):\n",
               " units are added, and these demo accounts (the passwords are published: use "
               "them for demonstration only):\n");
  std::vector<std::vector<std::string>> rows;
  rows.push_back({Tr(io.lang, "  ANVÄNDARE", "  USER"), Tr(io.lang, "ROLL", "ROLE"),
                  Tr(io.lang, "LÖSENORD", "PASSWORD"), Tr(io.lang, "ENHETER", "UNITS")});
  for (const DemoAccount& account : {kDemoCaseworker, kDemoSupervisor, kDemoCoordinator}) {
    const bool in_units = IsCaseRole(account.role);
    rows.push_back({std::string("  ") + account.name,
                    registry.vocabulary()->Label("user_roles", RoleId(account.role), io.lang),
                    account.password, in_units ? unit_list : "-"});
  }
  WriteTable(io.out, rows);
  auto directory = LoadDirectoryOrReport(io, kName, registry);
  if (directory == nullptr) return kExitFailed;
  io.out << Tr(io.lang, "Resurskatalogen (", "The resource directory (")
         << (registry.directory() / "directory").string()
         << "): " << directory->definition().resources_size()
         << Tr(io.lang, " stödresurser, se 'screening resources'.\n",
               " support resources, see 'screening resources'.\n")
         << Tr(io.lang,
               "Fyll databasen med påhittade ärenden: 'screening demo seed --contacts 1000'.\n",
               "Fill the database with made-up cases: 'screening demo seed --contacts 1000'.\n");
  return kExitOk;
}

}  // namespace

std::string InitCommand::summary(std::string_view lang) const {
  return Tr(lang, "Skapa databasen med den första administratören",
            "Create the database with the first administrator");
}

int InitCommand::Run(const std::vector<std::string>& args, Io& io) {
  bool trust_os_login = false;
  bool demo = false;
  std::string admin;
  DbFlags flags;
  CommandLine command_line = CommandLineWithDetails(
      *this, std::string(kName),
      "Skapar databasfilen (--db, $SCREENING_DB eller "
      "~/.local/share/screening/screening.db; mappen 0700, filen 0600) och "
      "granskningsnyckeln om den saknas. Vägrar skriva över en befintlig databas. "
      "Administratörens lösenord frågas två gånger på terminalen, eller läses från "
      "standard in med --password-stdin. Inget annat kommando skapar en databas. Med "
      "--demo blir det en demodatabas: alla enheter och tre demokonton med kända "
      "lösenord (handläggare, arbetsledare, samordnare) läggs upp och skrivs ut.",
      "Creates the database file (--db, $SCREENING_DB or "
      "~/.local/share/screening/screening.db; the folder 0700, the file 0600) and the "
      "audit key if it is missing. Refuses to overwrite an existing database. The "
      "administrator's password is asked twice on the terminal, or read from standard "
      "input with --password-stdin. No other command creates a database. With --demo it "
      "becomes a demo database: every unit and three demo accounts with published "
      "passwords (caseworker, supervisor, coordinator) are added and printed.");
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    app.add_option("--admin", admin,
                   Tr(lang, "Administratörens användarnamn (standard den som agerar)",
                      "The administrator's user name (default the acting user)"))
        ->type_name(Tr(lang, "NAMN", "NAME"));
    app.add_flag("--trust-os-login", trust_os_login,
                 Tr(lang,
                    "Lita på operativsystemets inloggning på den här arbetsplatsen (användare "
                    "med samma namn som sin OS-användare behöver inget lösenord)",
                    "Trust the operating system's login on this workstation (users named as "
                    "their OS user need no password)"));
    app.add_flag("--demo", demo,
                 Tr(lang,
                    "Demodatabas: lägg också upp alla enheter och demokonton för en handläggare, "
                    "en arbetsledare och en samordnare, med kända lösenord som skrivs ut",
                    "Demo database: also add every unit and demo accounts for a caseworker, a "
                    "supervisor and a coordinator, with published passwords that are printed"));
    AddDbOptions(app, lang, &flags);
  };
  if (auto code = ParseCommandLine(command_line, args, io)) return *code;

  auto options = StoreOptionsFor(io, flags.audit_key);
  if (!options.ok()) return Failure(io, kName, options.status().message());
  const std::filesystem::path path = DatabasePath(io);
  std::error_code ec;
  // A symbolic link at the path counts as existing: a database is never made through one.
  if (std::filesystem::exists(std::filesystem::symlink_status(path, ec))) {
    return Failure(io, kName,
                   std::string(Tr(io.lang, "det finns redan en databas på ",
                                  "there is a database already at ")) +
                       path.string());
  }
  if (admin.empty()) admin = ActingUser(io);
  if (admin.empty()) {
    return UsageError(
        io, kName,
        Tr(io.lang, "ange administratören med --admin", "name the administrator with --admin"));
  }
  auto registry = LoadRegistryOrReport(io, kName);
  if (registry == nullptr) return kExitFailed;

  Secret password;
  const std::string prompt =
      std::string(Tr(io.lang, "Nytt lösenord för ", "New password for ")) + admin + ": ";
  const std::string repeat = Tr(io.lang, "Upprepa lösenordet: ", "Repeat the password: ");
  if (Status st = GetSecret(io, flags.password_stdin, prompt, repeat, &password); !st.ok()) {
    return Failure(io, kName, st.message());
  }
  auto store = CreateSqliteStore(path, registry, admin, password.view(), *options, trust_os_login);
  if (!store.ok()) {
    password.Clear();
    return Failure(io, kName,
                   Describe(io,
                            std::string(Tr(io.lang, "kunde inte skapa databasen ",
                                           "could not create the database ")) +
                                path.string(),
                            store.status()));
  }

  const std::string key = options->audit_key_file.empty()
                              ? std::string(Tr(io.lang, "standardplatsen", "the default place"))
                              : options->audit_key_file.string();
  const std::string db_label = Tr(io.lang, "Databas:", "Database:");
  const std::string key_label = Tr(io.lang, "Granskningsnyckel:", "Audit key:");
  const std::string admin_label = Tr(io.lang, "Administratör:", "Administrator:");
  const size_t width =
      std::max({DisplayWidth(db_label), DisplayWidth(key_label), DisplayWidth(admin_label)}) + 1;
  io.out << PadRight(db_label, width) << path.string() << "\n"
         << PadRight(key_label, width) << key << "\n"
         << PadRight(admin_label, width) << admin << "\n";
  if (trust_os_login) {
    io.out << Tr(io.lang, "Arbetsplatsen litar på OS-inloggningen för användare med samma namn.\n",
                 "The workstation trusts the OS login for users with the same name.\n");
  }
  io.out << Tr(io.lang,
               "Förvara granskningsnyckeln säkert och separat: den ingår inte i "
               "säkerhetskopior, och utan den kan granskningsloggen inte verifieras.\n",
               "Keep the audit key safe and separate: it is not part of backups, and without "
               "it the audit log cannot be verified.\n");
  int code = kExitOk;
  if (demo) code = SetUpDemo(io, **store, *registry, admin, password.view());
  password.Clear();
  store->reset();
  return code;
}

}  // namespace screening::cli
