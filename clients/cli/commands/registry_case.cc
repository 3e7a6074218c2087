// Registers the commands for intake, subjects and grants, assessments, drafts, show and list.
#include "commands/accounts.h"
#include "commands/assess.h"
#include "commands/command.h"
#include "commands/draft.h"
#include "commands/grant.h"
#include "commands/intake.h"
#include "commands/list.h"
#include "commands/show.h"
#include "commands/subject.h"

namespace screening::cli {

void AddCaseCommands(CommandRegistry& registry) {
  registry.Add(std::make_unique<IntakeCommand>());
  registry.Add(std::make_unique<SubjectAddCommand>());
  registry.Add(std::make_unique<GrantCommand>());
  registry.Add(std::make_unique<RevokeCommand>());
  registry.Add(std::make_unique<AssessCommand>());
  registry.Add(std::make_unique<DraftListCommand>());
  registry.Add(std::make_unique<DraftResumeCommand>());
  registry.Add(std::make_unique<DraftReassignCommand>());
  registry.Add(std::make_unique<ShowCommand>());
  registry.Add(std::make_unique<ListCommand>());
}

}  // namespace screening::cli
