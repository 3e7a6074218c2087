// The library's store types to and from the API's messages (schemas/screening/v1/api.proto),
// one function pair per type. Used by the server's API service and by RemoteStore, so both
// ends read a message the same way. A `From` that can fail (an enum outside the API, an
// unspecified role) answers kInvalidArgument naming the field.
#pragma once

#include <screening/indicators.h>
#include <screening/status.h>
#include <screening/store.h>
#include <screening/v1/api.pb.h>

namespace screening::internal {

v1::ApiRole ToApi(Role role);
Result<Role> FromApi(v1::ApiRole role);
v1::ApiAssessmentStatus ToApi(AssessmentStatus status);
Result<AssessmentStatus> FromApi(v1::ApiAssessmentStatus status);

// A failure as the API sends it, and back. kOk is not an error.
v1::ApiError ToApi(const Status& status);
Status FromApi(const v1::ApiError& error);
// The HTTP status a failure is answered with.
int HttpStatusOf(StatusCode code);

void ToApi(const Actor& actor, v1::ApiActor* out);
Result<Actor> FromApi(const v1::ApiActor& actor);

void ToApi(const UserRecord& user, v1::UserRecordMessage* out);
Result<UserRecord> FromApi(const v1::UserRecordMessage& user);

void ToApi(const InstrumentPinState& pin, v1::InstrumentPinStateMessage* out);
InstrumentPinState FromApi(const v1::InstrumentPinStateMessage& pin);

void ToApi(const ContactInput& contact, v1::ContactMessage* out);
ContactInput FromApi(const v1::ContactMessage& contact);

void ToApi(const SubjectInput& subject, v1::SubjectMessage* out);
SubjectInput FromApi(const v1::SubjectMessage& subject);

void ToApi(const SubjectRecord& subject, v1::SubjectRecordMessage* out);
SubjectRecord FromApi(const v1::SubjectRecordMessage& subject);

void ToApi(const AssessmentInput& input, v1::AssessmentInputMessage* out);
AssessmentInput FromApi(const v1::AssessmentInputMessage& input);

void ToApi(const AssessmentRecord& record, v1::AssessmentRecordMessage* out);
Result<AssessmentRecord> FromApi(const v1::AssessmentRecordMessage& record);

void ToApi(const AssessmentSummary& summary, v1::AssessmentSummaryMessage* out);
Result<AssessmentSummary> FromApi(const v1::AssessmentSummaryMessage& summary);

void ToApi(const ListFilter& filter, v1::ListRequest* out);
Result<ListFilter> FromApi(const v1::ListRequest& filter);

void ToApi(const ReviewEntry& review, v1::ReviewEntryMessage* out);
ReviewEntry FromApi(const v1::ReviewEntryMessage& review);

void ToApi(const DueItem& item, v1::DueItemMessage* out);
DueItem FromApi(const v1::DueItemMessage& item);

void ToApi(const CaseSystemCount& count, v1::CaseSystemCountMessage* out);
CaseSystemCount FromApi(const v1::CaseSystemCountMessage& count);

void ToApi(const AuditVerification& v, v1::AuditVerificationMessage* out);
AuditVerification FromApi(const v1::AuditVerificationMessage& v);

void ToApi(const AuditEntry& entry, v1::AuditEntryMessage* out);
AuditEntry FromApi(const v1::AuditEntryMessage& entry);

// The intake's input (without its routine session, which travels as SessionData beside it).
void ToApi(const IntakeInput& input, v1::RecordIntakeRequest* out);
IntakeInput FromApi(const v1::RecordIntakeRequest& input);

void ToApi(const IntakeRecorded& recorded, v1::RecordIntakeResponse* out);
IntakeRecorded FromApi(const v1::RecordIntakeResponse& recorded);

// An indicator request; its `definitions` pointer is not remoted (the server's own sets
// are counted with; definitions_version selects one).
void ToApi(const IndicatorRequest& request, v1::IndicatorsRequest* out);
IndicatorRequest FromApi(const v1::IndicatorsRequest& request);

void ToApi(const IndicatorReport& report, v1::IndicatorReportMessage* out);
Result<IndicatorReport> FromApi(const v1::IndicatorReportMessage& report);

}  // namespace screening::internal
