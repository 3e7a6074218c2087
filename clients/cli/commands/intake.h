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
#include "commands/db_support.h"
#include "commands/terminal_form.h"

namespace screening::cli {

class IntakeCommand final : public Command {
 public:
  std::string name() const override { return "intake"; }
  std::string summary(std::string_view lang) const override;
  int Run(const std::vector<std::string>& args, Io& io) override;
};

// The id of the routine-question instrument.
inline constexpr std::string_view kRoutineInstrument = "rutinfraga";

// The contact a finished routine-question session records: the outcome (or not_asked with
// its reason and note) and, with a disclosure, the violence types.
ContactInput ContactFromSession(const Session& session, std::string_view unit,
                                std::string_view case_ref, std::string_view date);

struct IntakeSaved {
  std::int64_t contact_id = 0;
  std::int64_t assessment_id = 0;
};

// Records the intake in one transaction (Store::Bulk): the contact, the routine-question
// answers as an assessment linked to it and submitted, and the discarding of the autosaved
// draft `draft_to_discard` (which carried no contact). All of it is kept or none.
Result<IntakeSaved> SaveIntake(Store& store, const Actor& actor, std::string_view unit,
                               std::string_view case_ref, std::string_view date,
                               std::string_view lang, const Session& session,
                               std::optional<std::int64_t> draft_to_discard);

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
