// The intake (docs/store.md, "The intake"): how the routine question's session becomes a
// contact, and the one transaction that records it. Written once over the public Store
// operations, so both clients and every backend record an intake alike.
#include "store/intake.h"

#include <string>
#include <utility>

namespace screening {
namespace {

// The routine question's bands are the routine outcomes (the vocabulary list
// "routine_outcomes"); these two carry more than the band.
constexpr std::string_view kNotAsked = "not_asked";
constexpr std::string_view kDisclosed = "disclosed";
// The items whose answers the contact records beside its outcome.
constexpr std::string_view kNotAskedReasonItem = "not_asked_reason";
constexpr std::string_view kViolenceTypesItem = "violence_types";

Status NotRoutine() {
  return Status::InvalidArgument("an intake records a session of the routine question");
}

}  // namespace

bool IsRoutineInstrument(const Instrument& instrument) {
  return instrument.definition().kind() == v1::SCREENING &&
         instrument.definition().target_group() == v1::ANY_CONTACT;
}

Result<std::shared_ptr<const Instrument>> RoutineInstrument(const Registry& registry) {
  std::shared_ptr<const Instrument> found;
  for (const auto& instrument : registry.all()) {
    if (!IsRoutineInstrument(*instrument)) continue;
    if (found != nullptr) {
      return Status::FailedPrecondition(
          "more than one instrument is the routine question (kind SCREENING for any contact)");
    }
    found = instrument;
  }
  if (found == nullptr) {
    return Status::NotFound(
        "no instrument is the routine question (kind SCREENING for any contact)");
  }
  return found;
}

// Why the band and not the answers `safe_to_ask` and `outcome`: the instrument defines its
// bands as the recorded outcome, with `not_asked` the fallback when the question could not
// be asked, so the rule lives in the instrument's data and its versions rather than in item
// ids here. For answers that can be submitted the two agree (safe_to_ask and outcome are
// required and cannot be unknown; `no` disables the outcome and leaves only the fallback).
Result<ContactInput> IntakeContact(const IntakeInput& input, const Session& routine) {
  if (!IsRoutineInstrument(routine.instrument())) return NotRoutine();
  auto result = Evaluate(routine);
  if (!result.ok()) return result.status();
  ContactInput contact;
  contact.unit = input.unit;
  contact.case_ref = input.case_ref;
  contact.contact_date = input.contact_date;
  contact.outcome = result->band();
  const auto& answers = routine.answers().answers();
  if (contact.outcome == kNotAsked) {
    const std::string reason_item(kNotAskedReasonItem);
    if (auto it = answers.find(reason_item);
        it != answers.end() && it->second.value_case() == v1::AnswerValue::kCode) {
      contact.not_asked_reason = it->second.code();
    }
    const auto& notes = routine.answers().notes();
    if (auto it = notes.find(reason_item); it != notes.end()) contact.not_asked_note = it->second;
  }
  if (contact.outcome == kDisclosed) {
    if (auto it = answers.find(std::string(kViolenceTypesItem));
        it != answers.end() && it->second.value_case() == v1::AnswerValue::kCodes) {
      const auto& codes = it->second.codes().codes();
      contact.violence_types.assign(codes.begin(), codes.end());
    }
  }
  return contact;
}

namespace internal {

Result<IntakeRecorded> RecordIntake(Store& store, const Actor& actor, const IntakeInput& input,
                                    const Session& routine) {
  auto contact = IntakeContact(input, routine);
  if (!contact.ok()) return contact.status();
  // Refused before anything is written, as Submit would refuse it after the contact: an
  // unfinished routine question has no outcome yet (its band falls back to not_asked).
  if (Status st = routine.CheckFinishable(); !st.ok()) return st;
  for (const SubjectInput& person : input.persons) {
    if ((!person.unit.empty() && person.unit != input.unit) ||
        (!person.case_ref.empty() && person.case_ref != input.case_ref)) {
      return Status::InvalidArgument("a person recorded with an intake is of the intake's case");
    }
  }
  IntakeRecorded recorded;
  recorded.contact = std::move(*contact);
  // The contact first: it opens the case that the persons and the assessment go into.
  Status st = store.Bulk([&]() -> Status {
    auto contact_id = store.AddContact(actor, recorded.contact);
    if (!contact_id.ok()) return contact_id.status();
    recorded.contact_id = *contact_id;
    for (SubjectInput person : input.persons) {
      person.unit = input.unit;
      person.case_ref = input.case_ref;
      auto subject_id = store.AddSubject(actor, person);
      if (!subject_id.ok()) return subject_id.status();
      recorded.subject_ids.push_back(*subject_id);
    }
    AssessmentInput assessment;
    assessment.unit = input.unit;
    assessment.case_ref = input.case_ref;
    assessment.contact_id = *contact_id;
    assessment.lang = input.lang;
    auto assessment_id = store.CreateDraft(actor, assessment, routine);
    if (!assessment_id.ok()) return assessment_id.status();
    recorded.assessment_id = *assessment_id;
    if (Status s = store.Submit(actor, *assessment_id); !s.ok()) return s;
    if (input.draft_to_discard) return store.DiscardDraft(actor, *input.draft_to_discard);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return recorded;
}

}  // namespace internal
}  // namespace screening
