// Registers the commands for the indicators of the action plan.
#include <memory>

#include "commands/case_system_contacts.h"
#include "commands/command.h"
#include "commands/indicators.h"

namespace screening::cli {

void AddIndicatorCommands(CommandRegistry& registry) {
  registry.Add(std::make_unique<IndicatorsCommand>());
  registry.Add(std::make_unique<CaseSystemContactsSetCommand>());
  registry.Add(std::make_unique<CaseSystemContactsImportCommand>());
  registry.Add(std::make_unique<CaseSystemContactsListCommand>());
}

}  // namespace screening::cli
