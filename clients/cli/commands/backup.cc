#include "commands/backup.h"

#include <ostream>

#include <screening/store.h>
#include <CLI/CLI.hpp>

#include "commands/cli_support.h"
#include "commands/db_support.h"

namespace screening::cli {
namespace {

constexpr std::string_view kBackupName = "screening backup";
constexpr std::string_view kRestoreName = "screening restore";

// Adds `--key-file` and `--passphrase-stdin` (mutually exclusive).
void AddSecretOptions(CLI::App& app, std::string_view lang, std::string* key_file,
                      bool* passphrase_stdin) {
  CLI::Option* key = app.add_option("--key-file", *key_file,
                                    Tr(lang,
                                       "Lås med en nyckelfil (exakt 32 slumpmässiga byte) i "
                                       "stället för en lösenfras",
                                       "Lock with a key file (exactly 32 random bytes) instead "
                                       "of a passphrase"))
                         ->type_name(Tr(lang, "FIL", "FILE"));
  app.add_flag("--passphrase-stdin", *passphrase_stdin,
               Tr(lang,
                  "Läs lösenfrasen från standard in (raden efter ditt lösenord om även "
                  "--password-stdin anges) i stället för att fråga på terminalen",
                  "Read the passphrase from standard input (the line after your password when "
                  "--password-stdin is given too) instead of asking on the terminal"))
      ->excludes(key);
}

// Adds `--allow-broken-chain` (backup and restore: BackupOptions::allow_broken_chain).
void AddBrokenChainOption(CLI::App& app, std::string_view lang, bool* allow, bool restoring) {
  app.add_flag("--allow-broken-chain", *allow,
               restoring ? Tr(lang,
                              "Återställ även om granskningskedjan är bruten (säkerhetskopian "
                              "är märkt så eller kedjan stämmer inte); det loggas",
                              "Restore even when the audit chain is broken (the backup is "
                              "marked so, or the chain does not verify); this is logged")
                         : Tr(lang,
                              "Skriv säkerhetskopian även om granskningskedjan är bruten: den "
                              "märks då så, och att återställa den kräver samma flagga",
                              "Write the backup even when the audit chain is broken: it is then "
                              "marked so, and restoring it needs the same flag"));
}

}  // namespace

// ------------------------------------------------------------------ backup

std::string BackupCommand::summary(std::string_view lang) const {
  return Tr(lang, "Skriv en krypterad säkerhetskopia (administratör)",
            "Write an encrypted backup (administrator)");
}

int BackupCommand::Run(const std::vector<std::string>& args, Io& io) {
  std::string out;
  std::string key_file;
  bool passphrase_stdin = false;
  BackupOptions backup_options;
  CommandLine command_line = CommandLineWithDetails(
      *this, std::string(kBackupName),
      "Skriver en ögonblicksbild av databasen till FIL (ny fil, 0600), krypterad med "
      "en lösenfras (minst 10 tecken, frågas två gånger på terminalen) eller en "
      "nyckelfil. Granskningsnyckeln ingår inte: förvara den separat, den behövs vid "
      "återställning. Granskningskedjan verifieras först: är den bruten skrivs ingen "
      "säkerhetskopia (den skulle inte gå att återställa) utom med "
      "--allow-broken-chain.",
      "Writes a snapshot of the database to FILE (a new file, 0600), encrypted with a "
      "passphrase (at least 10 characters, asked twice on the terminal) or a key file. "
      "The audit key is not included: keep it separately, restoring needs it. The "
      "audit chain is verified first: when it is broken no backup is written (it would "
      "not restore) unless --allow-broken-chain is given.");
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    app.add_option(Tr(lang, "FIL", "FILE"), out,
                   Tr(lang, "Säkerhetskopians fil", "The backup file"))
        ->required()
        ->type_name("");
    AddSecretOptions(app, lang, &key_file, &passphrase_stdin);
    AddBrokenChainOption(app, lang, &backup_options.allow_broken_chain, /*restoring=*/false);
  };
  DbSession db;
  const auto check = [&](DbFlags&) -> std::optional<int> {
    std::error_code ec;
    if (std::filesystem::exists(out, ec)) {
      return Failure(
          io, kBackupName,
          std::string(Tr(io.lang, "filen finns redan: ", "the file exists already: ")) + out);
    }
    return std::nullopt;
  };
  if (auto code = ParseAndOpen(args, io, command_line, Preamble().WithCheck(check), &db))
    return *code;
  Secret passphrase;
  if (key_file.empty() && db.actor.role == Role::kAdmin) {  // else the store refuses and audits it
    if (Status st =
            GetSecret(io, passphrase_stdin,
                      Tr(io.lang, "Lösenfras för säkerhetskopian: ", "Passphrase for the backup: "),
                      Tr(io.lang, "Upprepa lösenfrasen: ", "Repeat the passphrase: "), &passphrase);
        !st.ok()) {
      return Failure(io, kBackupName, st.message());
    }
  }
  Status st = db.store->Backup(db.actor, out, passphrase.view(), key_file, backup_options);
  passphrase.Clear();
  if (!st.ok()) {
    return Failure(io, kBackupName,
                   Describe(io,
                            std::string(Tr(io.lang, "kunde inte skriva säkerhetskopian ",
                                           "could not write the backup ")) +
                                out,
                            st));
  }
  if (backup_options.allow_broken_chain) {
    io.out << Tr(io.lang,
                 "Obs: om granskningskedjan var bruten är säkerhetskopian märkt så; att "
                 "återställa den kräver --allow-broken-chain.\n",
                 "Note: if the audit chain was broken the backup is marked so; restoring it "
                 "needs --allow-broken-chain.\n");
  }
  io.out << Tr(io.lang, "Säkerhetskopian skrevs: ", "Backup written: ") << out << "\n"
         << Tr(io.lang, "Granskningsnyckeln ingår inte i säkerhetskopian; förvara den separat.\n",
               "The audit key is not in the backup; keep it separately.\n");
  return kExitOk;
}

// ------------------------------------------------------------------ restore

std::string RestoreCommand::summary(std::string_view lang) const {
  return Tr(lang, "Återställ en säkerhetskopia till en ny databasfil",
            "Restore a backup into a new database file");
}

int RestoreCommand::Run(const std::vector<std::string>& args, Io& io) {
  std::string backup;
  std::string target;
  std::string key_file;
  bool passphrase_stdin = false;
  BackupOptions backup_options;
  DbFlags flags;
  CommandLine command_line = CommandLineWithDetails(
      *this, std::string(kRestoreName),
      "Dekrypterar FIL till en ny databasfil (--to, får inte finnas), kontrollerar "
      "integriteten och granskningskedjan mot ankaret i säkerhetskopian och loggar "
      "återställningen. Kräver samma granskningsnyckel som databasen hade. Skriver "
      "aldrig över en befintlig databas: byt till den nya filen med --db. Allt "
      "kontrolleras i minnet och filen får sitt namn först när den är klar, så ett "
      "avbrott lämnar ingen läsbar kopia efter sig. En bruten granskningskedja "
      "återställs bara med --allow-broken-chain.",
      "Decrypts FILE into a new database file (--to, must not exist), checks its "
      "integrity and the audit chain against the anchor inside the backup, and logs "
      "the restore. Needs the audit key the database had. Never overwrites an existing "
      "database: switch to the new file with --db. Everything is checked in memory and "
      "the file gets its name only when complete, so an interruption leaves no "
      "readable copy behind. A broken audit chain is restored only with "
      "--allow-broken-chain.");
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    app.add_option(Tr(lang, "FIL", "FILE"), backup,
                   Tr(lang, "Säkerhetskopians fil", "The backup file"))
        ->required()
        ->type_name("");
    app.add_option("--to", target, Tr(lang, "Den nya databasfilen", "The new database file"))
        ->required()
        ->type_name(Tr(lang, "NY_FIL", "NEW_FILE"));
    AddSecretOptions(app, lang, &key_file, &passphrase_stdin);
    AddBrokenChainOption(app, lang, &backup_options.allow_broken_chain, /*restoring=*/true);
    AddDbOptions(app, lang, &flags, /*password=*/false);
  };
  if (auto code = ParseCommandLine(command_line, args, io)) return *code;

  auto options = StoreOptionsFor(io, flags.audit_key);
  if (!options.ok()) return Failure(io, kRestoreName, options.status().message());
  std::error_code ec;
  if (!std::filesystem::exists(backup, ec)) {
    return Failure(io, kRestoreName,
                   std::string(Tr(io.lang, "filen finns inte: ", "no such file: ")) + backup);
  }
  if (std::filesystem::exists(target, ec)) {
    return Failure(
        io, kRestoreName,
        std::string(Tr(io.lang, "målfilen finns redan: ", "the target exists already: ")) + target);
  }
  Secret passphrase;
  if (key_file.empty()) {
    if (Status st =
            GetSecret(io, passphrase_stdin,
                      Tr(io.lang, "Lösenfras för säkerhetskopian: ", "Passphrase for the backup: "),
                      {}, &passphrase);
        !st.ok()) {
      return Failure(io, kRestoreName, st.message());
    }
  }
  Status st =
      RestoreSqliteBackup(backup, passphrase.view(), key_file, target, *options, backup_options);
  passphrase.Clear();
  if (!st.ok()) {
    return Failure(
        io, kRestoreName,
        Describe(io,
                 std::string(Tr(io.lang, "kunde inte återställa ", "could not restore ")) + backup,
                 st));
  }
  if (backup_options.allow_broken_chain) {
    // The chain may have been accepted broken: not "verified".
    io.out << Tr(io.lang, "Återställd: ", "Restored: ") << target << "\n"
           << Tr(io.lang,
                 "Om granskningskedjan var bruten godtogs det; händelsen 'restore' säger från "
                 "vilken händelse ('screening audit log').\n",
                 "If the audit chain was broken that was accepted; the 'restore' event says from "
                 "which event ('screening audit log').\n");
    return kExitOk;
  }
  io.out << Tr(io.lang, "Återställd och verifierad: ", "Restored and verified: ") << target << "\n";
  return kExitOk;
}

}  // namespace screening::cli
