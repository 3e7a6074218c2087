// The base of the commands that work on the database as a logged-in user (like KeePassXC's
// DatabaseCommand): the preamble they share is written once here. It adds the database
// options, parses the command line, checks the values that may come from standard input,
// opens the database and logs the acting user in (OpenDatabase: the trusted OS login, a
// password from stdin or the terminal, a new password with --new-password-stdin or after a
// one-time password), wipes the login password, and reads the values that come from
// standard input after it. Every step reports its own failure on io.err with the command's
// name and returns the CONTRACTS.md exit code.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "commands/cli_support.h"
#include "commands/command.h"
#include "commands/db_support.h"
#include "commands/stdin_arguments.h"

namespace screening::cli {

class DatabaseCommand : public Command {
 protected:
  // What varies in the preamble from one command to another. The defaults suit most.
  struct Preamble {
    // Values that may come from standard input instead of the command line: checked after
    // parsing, read after the login (the password line comes first). nullptr: none.
    StdinArguments* hidden = nullptr;
    // Once parsed: another option that reads standard input to its end ("--answers -"), for
    // StdinArguments::Check; empty or unset when there is none.
    std::function<std::string()> stdin_to_end;
    // Checks after parsing and before the database is opened (usage errors, an output file
    // that exists already): the exit code to stop with (after a message), or nullopt to go
    // on. May set `flags` (user passwd: DbFlags::changes_own_password).
    std::function<std::optional<int>(DbFlags& flags)> check;
    // AddDbOptions' `password` and `new_password` (user add and user passwd take their own
    // new password).
    bool new_password_option = true;
    // Adds --read-only (AddReadOnlyOption): the commands that only read.
    bool read_only_option = false;
    // Keeps the login password in DbSession::password (user passwd needs it); otherwise it is
    // wiped as soon as the actor is logged in.
    bool keep_password = false;

    // Setters, so that a call names only what differs from the defaults.
    Preamble& WithStdinArguments(StdinArguments* values) {
      hidden = values;
      return *this;
    }
    Preamble& WithStdinToEnd(std::function<std::string()> option) {
      stdin_to_end = std::move(option);
      return *this;
    }
    Preamble& WithCheck(std::function<std::optional<int>(DbFlags& flags)> before_open) {
      check = std::move(before_open);
      return *this;
    }
    Preamble& WithoutNewPasswordOption() {
      new_password_option = false;
      return *this;
    }
    Preamble& WithReadOnlyOption() {
      read_only_option = true;
      return *this;
    }
    Preamble& KeepingPassword() {
      keep_password = true;
      return *this;
    }
  };

  // Runs the preamble for `command_line` (its name names the command in messages; its
  // configure adds the command's own options, the database options follow). On success
  // fills `db` and returns nullopt; else the exit code: kExitOk after --help, kExitUsage or
  // kExitFailed after a message on io.err.
  // The two halves of ParseAndOpen, for a command with more to do between them (checks that
  // stay where they are): Parse adds the database options to `command_line`, parses `args`
  // into `flags` and checks the values from standard input; Open opens the database with
  // `flags`, wipes the password and reads those values.
  static std::optional<int> Parse(const std::vector<std::string>& args, Io& io,
                                  CommandLine command_line, const Preamble& preamble,
                                  DbFlags* flags);
  static std::optional<int> Open(Io& io, std::string_view name, const Preamble& preamble,
                                 const DbFlags& flags, DbSession* db);

  static std::optional<int> ParseAndOpen(const std::vector<std::string>& args, Io& io,
                                         CommandLine command_line, const Preamble& preamble,
                                         DbSession* db);
};

}  // namespace screening::cli
