#include "commands/init.h"

#include <algorithm>
#include <ostream>

#include <screening/store.h>
#include <CLI/CLI.hpp>

#include "commands/cli_support.h"
#include "commands/db_support.h"

namespace screening::cli {
namespace {

constexpr std::string_view kName = "screening init";

}  // namespace

std::string InitCommand::summary(std::string_view lang) const {
  return Tr(lang, "Skapa databasen med den första administratören",
            "Create the database with the first administrator");
}

int InitCommand::Run(const std::vector<std::string>& args, Io& io) {
  bool trust_os_login = false;
  std::string admin;
  DbFlags flags;
  CommandLine command_line;
  command_line.name = std::string(kName);
  command_line.description = [this](std::string_view lang) {
    return summary(lang) + "\n\n" +
           Tr(lang,
              "Skapar databasfilen (--db, $SCREENING_DB eller "
              "~/.local/share/screening/screening.db; mappen 0700, filen 0600) och "
              "granskningsnyckeln om den saknas. Vägrar skriva över en befintlig databas. "
              "Administratörens lösenord frågas två gånger på terminalen, eller läses från "
              "standard in med --password-stdin. Inget annat kommando skapar en databas.",
              "Creates the database file (--db, $SCREENING_DB or "
              "~/.local/share/screening/screening.db; the folder 0700, the file 0600) and the "
              "audit key if it is missing. Refuses to overwrite an existing database. The "
              "administrator's password is asked twice on the terminal, or read from standard "
              "input with --password-stdin. No other command creates a database.");
  };
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
    AddDbOptions(app, lang, &flags);
  };
  if (auto code = ParseCommandLine(command_line, args, io)) return *code;

  auto options = StoreOptionsFor(io, flags.audit_key);
  if (!options.ok()) return Failure(io, kName, options.status().message());
  const std::filesystem::path path = DatabasePath(io);
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
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
  password.Clear();
  if (!store.ok()) {
    return Failure(io, kName,
                   Describe(io,
                            std::string(Tr(io.lang, "kunde inte skapa databasen ",
                                           "could not create the database ")) +
                                path.string(),
                            store.status()));
  }
  store->reset();

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
  return kExitOk;
}

}  // namespace screening::cli
