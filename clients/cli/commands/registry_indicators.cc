// Registers the commands for the indicators of the action plan.
#include <memory>

#include "commands/command.h"
#include "commands/indicators.h"

namespace screening::cli {

void AddIndicatorCommands(CommandRegistry& registry) {
  registry.Add(std::make_unique<IndicatorsCommand>());
}

}  // namespace screening::cli
