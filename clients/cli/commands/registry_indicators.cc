// Registers the commands for the indicators of the action plan.
#include "commands/command.h"

namespace screening::cli {

void AddIndicatorCommands(CommandRegistry& registry) { (void)registry; }

}  // namespace screening::cli
