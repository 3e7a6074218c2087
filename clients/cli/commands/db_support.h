// What the database commands share: where the database and the audit key are, who acts,
// how passwords are read (never from a file or an argument), and opening the store with a
// logged-in actor.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <screening/os_user.h>
#include <screening/registry.h>
#include <screening/secrets.h>
#include <screening/status.h>
#include <screening/store.h>

#include "commands/io.h"

namespace CLI {
class App;
}  // namespace CLI

namespace screening::cli {

// Asks for a secret on the terminal without echo, writing `prompt` on the error stream.
// Replaceable in tests (there is no terminal there). kFailedPrecondition when there is no
// terminal.
using TerminalReader = std::function<Status(Io& io, std::string_view prompt, Secret* secret)>;
// Sets the reader used instead of the terminal; an empty function restores the terminal.
void SetTerminalReaderForTesting(TerminalReader reader);

// Reads one line (without the line end) from io.in. kInvalidArgument when there is no
// line or it is longer than Secret::kMaxBytes.
Status ReadSecretLine(Io& io, Secret* secret);
// Asks once on the terminal.
Status AskSecret(Io& io, std::string_view prompt, Secret* secret);
// Asks twice on the terminal (`prompt`, then `repeat_prompt`); kInvalidArgument when the
// two differ.
Status AskNewSecret(Io& io, std::string_view prompt, std::string_view repeat_prompt,
                    Secret* secret);
// A secret from standard input (`from_stdin`: one line) or else asked on the terminal,
// once (`repeat_prompt` empty) or twice. An empty secret is refused.
Status GetSecret(Io& io, bool from_stdin, std::string_view prompt, std::string_view repeat_prompt,
                 Secret* secret);

// The database file: `--db`, else $SCREENING_DB, else screening::DefaultDatabasePath().
std::filesystem::path DatabasePath(const Io& io);
// The acting user: `--user`, else $SCREENING_USER, else the OS login name (OsLoginName).
std::string ActingUser(const Io& io);
// The audit key file: `flag` (`--audit-key`), else $SCREENING_AUDIT_KEY, else the library's
// default ($XDG_CONFIG_HOME/screening/audit.key, else ~/.config/screening/audit.key).
std::filesystem::path AuditKeyPath(const Io& io, const std::string& flag);
// Store options from the environment and `audit_key_flag`. $SCREENING_PASSWORD_COST (0, 1
// or 2; 0 is for tests only) sets the Argon2id cost of new passwords. kInvalidArgument
// for another value.
Result<StoreOptions> StoreOptionsFor(const Io& io, const std::string& audit_key_flag);

// The options every command that opens the database takes.
struct DbFlags {
  bool password_stdin = false;  // the acting user's password is the first line of stdin
  // --new-password-stdin: the acting user chooses a new password as they log in: the current
  // one is the first line of stdin, the new one the second (docs/cli.md, "Passwords").
  bool new_password_stdin = false;
  std::string audit_key;   // --audit-key
  bool read_only = false;  // --read-only (check, audit verify): StoreOptions::read_only
  // The command itself changes the actor's own password (user passwd): a one-time password
  // is not replaced at login.
  bool changes_own_password = false;
};
// Adds `--password-stdin` and `--new-password-stdin` (unless `password` is false; without
// the second when `new_password` is false: user add and user passwd have their own) and
// `--audit-key FILE`.
void AddDbOptions(CLI::App& app, std::string_view lang, DbFlags* flags, bool password = true,
                  bool new_password = true);
// Adds `--read-only` (the commands that only read: check, audit verify).
void AddReadOnlyOption(CLI::App& app, std::string_view lang, DbFlags* flags);

// An open database with a logged-in actor.
struct DbSession {
  std::unique_ptr<Store> store;
  Actor actor;
  // Whether the actor came in through the OS login (no password asked).
  bool trusted = false;
  // The password the actor logged in with (empty when trusted).
  Secret password;
  // The instruments folder the store was opened with (instruments, vocabulary).
  std::shared_ptr<const Registry> registry;
};

// Opens the database (never creates one), loads the instruments folder the store checks
// ids against, and logs the acting user in: through the OS login when the acting user is
// the OS user, no `--password-stdin` was given and the database trusts the OS login; else
// with a password from stdin or the terminal. A new password is chosen at once when
// `--new-password-stdin` is given, and must be when the password is one-time (set by an
// administrator): asked twice at a terminal, else refused with a message saying how. On
// failure writes one line on io.err and returns the exit code; kExitOk on success.
int OpenDatabase(Io& io, std::string_view name, const DbFlags& flags, DbSession* session);

// "what: message" for a failed store call, `what` already in the user's language; a denial
// or a busy database says so in that language (DescribeFailure). The store's message is
// English and names no personal data.
std::string Describe(const Io& io, std::string_view what, const Status& status);

}  // namespace screening::cli
