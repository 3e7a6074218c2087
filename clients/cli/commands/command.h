// The CLI's command interface and registry (one class per subcommand).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "commands/io.h"

namespace screening::cli {

// Exit codes (CONTRACTS.md).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

// One subcommand. Implementations are stateless between runs: Run() parses `args` (the
// arguments after the command name) with CLI11, writes to `io` and returns an exit code.
class Command {
 public:
  virtual ~Command() = default;
  // Full name, words separated by one space: "score", "instruments validate".
  virtual std::string name() const = 0;
  // One line for the command list, in `lang` ("sv" or "en").
  virtual std::string summary(std::string_view lang) const = 0;
  // Runs the command. `args` excludes the command name. Returns kExitOk, kExitFailed or
  // kExitUsage; never throws.
  virtual int Run(const std::vector<std::string>& args, Io& io) = 0;
};

// The commands by name. A name with several words forms a group ("instruments"): the
// group word alone lists its commands.
class CommandRegistry {
 public:
  void Add(std::unique_ptr<Command> command);

  // The command named by the longest prefix of `words`, and how many words it used;
  // {nullptr, 0} when none matches.
  std::pair<Command*, size_t> Find(const std::vector<std::string>& words) const;
  // Whether `word` is the first word of a multi-word command.
  bool IsGroup(std::string_view word) const;
  // Commands in registration order, optionally only those of one group.
  std::vector<const Command*> List(std::string_view group = {}) const;

 private:
  std::vector<std::unique_ptr<Command>> commands_;
};

// The registry with every command of the `screening` tool.
CommandRegistry DefaultRegistry();

// Command groups, each registered from its own file so that they grow independently.
void AddCaseCommands(CommandRegistry& registry);       // intake, assess, drafts, show, list
void AddFollowUpCommands(CommandRegistry& registry);   // review, amend, due, resources, export
void AddIndicatorCommands(CommandRegistry& registry);  // indicators

}  // namespace screening::cli
