#include "commands/command.h"

#include "commands/accounts.h"
#include "commands/audit.h"
#include "commands/backup.h"
#include "commands/check.h"
#include "commands/init.h"
#include "commands/instruments_doc.h"
#include "commands/instruments_list.h"
#include "commands/instruments_pin.h"
#include "commands/instruments_show.h"
#include "commands/instruments_validate.h"
#include "commands/score.h"
#include "commands/unit.h"
#include "commands/user.h"

namespace screening::cli {
namespace {

std::string FirstWord(std::string_view name) { return std::string(name.substr(0, name.find(' '))); }

}  // namespace

void CommandRegistry::Add(std::unique_ptr<Command> command) {
  commands_.push_back(std::move(command));
}

std::pair<Command*, size_t> CommandRegistry::Find(const std::vector<std::string>& words) const {
  // Longest match first: "instruments validate" before a one-word "instruments".
  for (size_t n = std::min<size_t>(words.size(), 2); n > 0; --n) {
    std::string name = words[0];
    for (size_t i = 1; i < n; ++i) name += " " + words[i];
    for (const auto& command : commands_) {
      if (command->name() == name) return {command.get(), n};
    }
  }
  return {nullptr, 0};
}

bool CommandRegistry::IsGroup(std::string_view word) const {
  for (const auto& command : commands_) {
    const std::string name = command->name();
    if (name.find(' ') != std::string::npos && FirstWord(name) == word) return true;
  }
  return false;
}

std::vector<const Command*> CommandRegistry::List(std::string_view group) const {
  std::vector<const Command*> list;
  for (const auto& command : commands_) {
    const std::string name = command->name();
    if (group.empty() || (name.find(' ') != std::string::npos && FirstWord(name) == group)) {
      list.push_back(command.get());
    }
  }
  return list;
}

CommandRegistry DefaultRegistry() {
  CommandRegistry registry;
  registry.Add(std::make_unique<InstrumentsValidateCommand>());
  registry.Add(std::make_unique<InstrumentsListCommand>());
  registry.Add(std::make_unique<InstrumentsShowCommand>());
  registry.Add(std::make_unique<InstrumentsDocCommand>());
  registry.Add(std::make_unique<InstrumentsPinCommand>());
  registry.Add(std::make_unique<ScoreCommand>());
  AddCaseCommands(registry);
  AddFollowUpCommands(registry);
  AddIndicatorCommands(registry);
  registry.Add(std::make_unique<InitCommand>());
  registry.Add(std::make_unique<UserAddCommand>());
  registry.Add(std::make_unique<UserPasswdCommand>());
  registry.Add(std::make_unique<UserListCommand>());
  registry.Add(std::make_unique<UserActiveCommand>(false));
  registry.Add(std::make_unique<UserActiveCommand>(true));
  registry.Add(std::make_unique<UserRoleCommand>());
  registry.Add(std::make_unique<UserUnitCommand>());
  registry.Add(std::make_unique<UserConfirmCommand>());
  registry.Add(std::make_unique<UnitAddCommand>());
  registry.Add(std::make_unique<AuditVerifyCommand>());
  registry.Add(std::make_unique<AuditLogCommand>());
  registry.Add(std::make_unique<CheckCommand>());
  registry.Add(std::make_unique<BackupCommand>());
  registry.Add(std::make_unique<RestoreCommand>());
  return registry;
}

}  // namespace screening::cli
