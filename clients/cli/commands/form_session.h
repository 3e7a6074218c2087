// What the case commands (intake, assess, draft, show, list, subject, grant) share: the
// draft autosave, the notice on stopping, the support-resource directory, dates, and the
// interactive walk of one assessment with its ending (result shown, submitted or kept).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <screening/directory.h>
#include <screening/session.h>
#include <screening/status.h>
#include <screening/store.h>

#include "commands/db_support.h"
#include "commands/io.h"
#include "commands/terminal_form.h"

namespace screening::cli {

// Saves a walk as it goes: the first Save creates the draft (Store::CreateDraft), later ones
// replace its answers (Store::UpdateDraft, not audited).
class DraftAutosaver {
 public:
  DraftAutosaver(Store& store, const Actor& actor, AssessmentInput input,
                 std::optional<std::int64_t> existing_id);
  Status Save(const Session& session);
  std::optional<std::int64_t> id() const { return id_; }

 private:
  Store& store_;
  const Actor& actor_;
  AssessmentInput input_;
  std::optional<std::int64_t> id_;
};

// What a stopped walk leaves: "Utkast 12 är sparat; fortsätt med 'screening draft resume
// 12'." or, before the first answer, that nothing was saved. Starts and ends with a newline.
std::string DraftSavedNotice(std::string_view lang, std::optional<std::int64_t> id);

// The support-resource directory beside the instruments (nullptr for a folder without one).
// On a broken directory writes the diagnostics and returns the failure.
Result<std::shared_ptr<const Directory>> LoadDirectoryFor(Io& io, const Registry& registry);

// Whether `text` is a date YYYY-MM-DD (format and plausible month and day).
bool LooksLikeDate(std::string_view text);

// What a case command says when the store answers that the case it adds to does not exist:
// the same words for a reference without an intake and a case the user may not see, which
// the store answers alike (docs/store.md, "Opening a case"). Names neither case nor unit.
std::string NoIntakeMessage(std::string_view lang);

// Before an assessment: whether the case `unit`/`case_ref` is open to the user (it has had an
// intake and the user may see it; Store::Subjects, whose refusal is audited) and, when
// `subject` is given, whether that person is in it. Returns kExitOk, or kExitFailed with the
// message written (NoIntakeMessage for a case that is not open).
int CheckCaseOpen(Io& io, std::string_view name, DbSession& db, const std::string& unit,
                  const std::string& case_ref, std::optional<std::int64_t> subject);

// Whether a walk submits at the end.
enum class SubmitChoice { kAsk, kYes, kNo };

// One interactive assessment: header, the walk (TerminalForm::AskAll) with autosave, then the
// result (with the support resources for `subject_role`) and, when nothing required is
// missing, submission as `submit` says. Returns the exit code; every message is written.
struct AssessmentWalk {
  AssessmentInput input;
  Session session;
  std::optional<std::int64_t> draft_id;  // continue this draft (draft resume)
  bool resume = false;
  SubmitChoice submit = SubmitChoice::kAsk;
  std::string subject_role;  // for the resources; empty: the instrument's target group
};
int RunAssessmentWalk(Io& io, std::string_view name, TerminalInput& input, DbSession& db,
                      const Directory* directory, AssessmentWalk walk);

}  // namespace screening::cli
