// Registers the commands for review, amendments, due items, support information, resources (with
// the discreet card and the directory check), legal references, export and demo data.
#include <memory>

#include "commands/amend.h"
#include "commands/command.h"
#include "commands/demo_seed.h"
#include "commands/done.h"
#include "commands/due.h"
#include "commands/export.h"
#include "commands/info_given.h"
#include "commands/legal.h"
#include "commands/resources.h"
#include "commands/resources_card.h"
#include "commands/resources_check.h"
#include "commands/review.h"

namespace screening::cli {

void AddFollowUpCommands(CommandRegistry& registry) {
  registry.Add(std::make_unique<ReviewListCommand>());
  registry.Add(std::make_unique<ReviewApproveCommand>());
  registry.Add(std::make_unique<ReviewReturnCommand>());
  registry.Add(std::make_unique<ReviewLevelCommand>());
  registry.Add(std::make_unique<AmendCommand>());
  registry.Add(std::make_unique<DueCommand>());
  registry.Add(std::make_unique<DoneCommand>());
  registry.Add(std::make_unique<InfoGivenCommand>());
  registry.Add(std::make_unique<ResourcesCommand>());
  registry.Add(std::make_unique<ResourcesCardCommand>());
  registry.Add(std::make_unique<ResourcesCheckCommand>());
  registry.Add(std::make_unique<LegalCommand>());
  registry.Add(std::make_unique<ExportCommand>());
  registry.Add(std::make_unique<DemoSeedCommand>());
}

}  // namespace screening::cli
