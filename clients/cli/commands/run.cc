#include "commands/run.h"

#include <exception>
#include <ostream>

#include <screening/version.h>
#include <CLI/CLI.hpp>

#include "commands/cli_support.h"

namespace screening::cli {
namespace {

constexpr std::string_view kProgram = "screening";

// "Commands:" and one line per command, names aligned.
std::string CommandList(const CommandRegistry& registry, std::string_view group,
                        std::string_view lang) {
  const auto commands = registry.List(group);
  size_t width = 0;
  for (const Command* command : commands) width = std::max(width, command->name().size());
  std::string text = Tr(lang, "Kommandon:\n", "Commands:\n");
  for (const Command* command : commands) {
    text += "  " + PadRight(command->name(), width + 2) + command->summary(lang) + "\n";
  }
  return text;
}

// `screening GROUP` with no or an unknown subcommand, or `screening GROUP --help`.
int RunGroup(const CommandRegistry& registry, const std::vector<std::string>& words, Io& io) {
  const std::string& group = words[0];
  const bool help = words.size() > 1 && (words[1] == "--help" || words[1] == "-h");
  std::ostream& stream = help ? io.out : io.err;
  if (words.size() > 1 && !help) {
    io.err << kProgram << " " << group << ": "
           << Tr(io.lang, "okänt kommando: ", "unknown command: ") << words[1] << "\n";
  } else if (!help) {
    io.err << kProgram << " " << group << ": "
           << Tr(io.lang, "ange ett kommando", "a command is required") << "\n";
  }
  stream << Tr(io.lang, "Användning: ", "Usage: ") << kProgram << " " << group << " "
         << Tr(io.lang, "KOMMANDO [FLAGGOR]", "COMMAND [OPTIONS]") << "\n\n"
         << CommandList(registry, group, io.lang) << "\n"
         << Tr(io.lang, "Se 'screening ", "See 'screening ") << group
         << Tr(io.lang, " KOMMANDO --help' för ett kommandos flaggor.\n",
               " COMMAND --help' for a command's options.\n");
  return help ? kExitOk : kExitUsage;
}

}  // namespace

int Run(const std::vector<std::string>& args, Io& io, const CommandRegistry& registry) {
  try {
    if (auto lang = io.GetEnv("SCREENING_LANG"); lang && IsSupportedLanguage(*lang)) {
      io.lang = *lang;
    }
    GlobalOptions global = io.global;
    bool version = false;
    CommandLine command_line;
    command_line.name = std::string(kProgram);
    command_line.prefix = true;
    command_line.usage_suffix = [](std::string_view lang) {
      return std::string(Tr(lang, "KOMMANDO [ARGUMENT...]", "COMMAND [ARGS...]"));
    };
    command_line.description = [](std::string_view lang) {
      return std::string(Tr(lang,
                            "Rutinfråga om våld, risk- och skyddsbedömning för socialtjänsten.",
                            "Routine question about violence, risk and protection "
                            "assessment for social services."));
    };
    command_line.configure = [&](CLI::App& app, std::string_view lang) {
      app.add_option("--instruments", global.instruments,
                     Tr(lang,
                        "Instrumentmapp (standard $SCREENING_INSTRUMENTS eller den "
                        "installerade)",
                        "Instruments folder (default $SCREENING_INSTRUMENTS or the installed "
                        "one)"))
          ->type_name(Tr(lang, "MAPP", "DIR"));
      app.add_option("--db", global.db,
                     Tr(lang, "Databasfil (standard $SCREENING_DB)",
                        "Database file (default $SCREENING_DB)"))
          ->type_name(Tr(lang, "FIL", "FILE"));
      app.add_option("--user", global.user, Tr(lang, "Användare som agerar", "Acting user"))
          ->type_name(Tr(lang, "NAMN", "NAME"));
      app.add_flag("--version", version,
                   Tr(lang, "Visa versionen och avsluta", "Show the version and exit"));
      app.footer("\n" + CommandList(registry, {}, lang) + "\n" +
                 Tr(lang, "Se 'screening KOMMANDO --help' för ett kommandos flaggor.",
                    "See 'screening COMMAND --help' for a command's options."));
    };
    std::vector<std::string> rest;
    if (auto code = ParseCommandLine(command_line, args, io, &rest)) return *code;
    io.global = global;

    if (version) {
      io.out << kProgram << " " << EngineVersion() << "\n";
      return kExitOk;
    }
    if (rest.empty()) {
      return UsageError(io, kProgram, Tr(io.lang, "ange ett kommando", "a command is required"));
    }
    if (!rest[0].empty() && rest[0][0] == '-') {
      return UsageError(io, kProgram,
                        std::string(Tr(io.lang, "okänd flagga: ", "unknown option: ")) + rest[0]);
    }
    auto [command, used] = registry.Find(rest);
    if (command == nullptr) {
      if (registry.IsGroup(rest[0])) return RunGroup(registry, rest, io);
      return UsageError(
          io, kProgram,
          std::string(Tr(io.lang, "okänt kommando: ", "unknown command: ")) + rest[0]);
    }
    const std::vector<std::string> command_args(rest.begin() + static_cast<long>(used), rest.end());
    return command->Run(command_args, io);
  } catch (const std::exception& error) {
    io.err << kProgram << ": " << Tr(io.lang, "internt fel: ", "internal error: ") << error.what()
           << "\n";
    return kExitFailed;
  }
}

int Run(const std::vector<std::string>& args, Io& io) {
  static const CommandRegistry registry = DefaultRegistry();
  return Run(args, io, registry);
}

int Run(int argc, const char* const* argv, Io& io) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
  return Run(args, io);
}

}  // namespace screening::cli
