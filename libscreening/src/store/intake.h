// The intake as one transaction over the public Store operations (Store::RecordIntake), so
// that every backend records it the same way: a backend's RecordIntake calls this.
#pragma once

#include <screening/session.h>
#include <screening/status.h>
#include <screening/store.h>

namespace screening::internal {

// Store::RecordIntake on `store`: IntakeContact, then AddContact, AddSubject for each person,
// CreateDraft and Submit of the routine question and DiscardDraft of input.draft_to_discard,
// all inside one store.Bulk. Errors as Store::RecordIntake documents them.
Result<IntakeRecorded> RecordIntake(Store& store, const Actor& actor, const IntakeInput& input,
                                    const Session& routine);

}  // namespace screening::internal
