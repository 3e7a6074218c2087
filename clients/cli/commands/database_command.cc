#include "commands/database_command.h"

#include <utility>

namespace screening::cli {

std::optional<int> DatabaseCommand::Parse(const std::vector<std::string>& args, Io& io,
                                          CommandLine command_line, const Preamble& preamble,
                                          DbFlags* flags) {
  auto own_options = std::move(command_line.configure);
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    if (own_options) own_options(app, lang);
    AddDbOptions(app, lang, flags, /*password=*/true, preamble.new_password_option);
    if (preamble.read_only_option) AddReadOnlyOption(app, lang, flags);
  };
  if (auto code = ParseCommandLine(command_line, args, io)) return code;
  if (preamble.hidden == nullptr) return std::nullopt;
  const std::string stdin_to_end = preamble.stdin_to_end ? preamble.stdin_to_end() : "";
  return preamble.hidden->Check(io, command_line.name, stdin_to_end);
}

std::optional<int> DatabaseCommand::Open(Io& io, std::string_view name, const Preamble& preamble,
                                         const DbFlags& flags, DbSession* db) {
  if (int code = OpenDatabase(io, name, flags, db); code != kExitOk) return code;
  if (!preamble.keep_password) db->password.Clear();
  if (preamble.hidden != nullptr) {
    if (int code = preamble.hidden->Read(io, name); code != kExitOk) return code;
  }
  return std::nullopt;
}

std::optional<int> DatabaseCommand::ParseAndOpen(const std::vector<std::string>& args, Io& io,
                                                 CommandLine command_line, const Preamble& preamble,
                                                 DbSession* db) {
  DbFlags flags;
  const std::string name = command_line.name;
  if (auto code = Parse(args, io, std::move(command_line), preamble, &flags)) return code;
  if (preamble.check) {
    if (auto code = preamble.check(flags)) return code;
  }
  return Open(io, name, preamble, flags, db);
}

}  // namespace screening::cli
