// `screening intake`: the routine question about violence at a new contact.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <screening/directory.h>
#include <screening/session.h>
#include <screening/status.h>
#include <screening/store.h>

#include "commands/command.h"
#include "commands/database_command.h"
#include "commands/db_support.h"
#include "commands/terminal_form.h"

namespace screening::cli {

class IntakeCommand final : public DatabaseCommand {
 public:
  std::string name() const override { return "intake"; }
  std::string summary(std::string_view lang) const override;
  int Run(const std::vector<std::string>& args, Io& io) override;
};

// The interactive intake from `session` (empty, or a resumed draft `draft_id` of the routine
// question that has no contact yet): the questions, the outcome, the next steps and support
// resources, saving, and the offer of the follow-up assessments. Returns the exit code.
struct IntakeWalk {
  std::string unit;
  std::string case_ref;
  std::string date;  // the contact's date, YYYY-MM-DD
  Session session;
  std::optional<std::int64_t> draft_id;
  bool resume = false;
};
int RunIntakeWalk(Io& io, std::string_view name, TerminalInput& input, DbSession& db,
                  const Directory* directory, IntakeWalk walk);

}  // namespace screening::cli
