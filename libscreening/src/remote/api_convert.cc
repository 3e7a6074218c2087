#include "remote/api_convert.h"

#include <fmt/format.h>

namespace screening::internal {
namespace {

template <typename Repeated>
std::vector<std::string> Strings(const Repeated& in) {
  return std::vector<std::string>(in.begin(), in.end());
}

template <typename Repeated>
void PutStrings(const std::vector<std::string>& in, Repeated* out) {
  for (const auto& s : in) out->Add(std::string(s));
}

void ToApi(const IndicatorText& text, v1::IndicatorTextMessage* out) {
  out->set_sv(text.sv);
  out->set_en(text.en);
}
IndicatorText FromApi(const v1::IndicatorTextMessage& text) { return {text.sv(), text.en()}; }

void ToApi(const IndicatorPeriod& period, v1::IndicatorPeriodMessage* out) {
  out->set_from(period.from);
  out->set_to(period.to);
  out->set_label(period.label);
}
IndicatorPeriod FromApi(const v1::IndicatorPeriodMessage& period) {
  return {period.from(), period.to(), period.label()};
}

void ToApi(const IndicatorAxis& axis, v1::IndicatorAxisMessage* out) {
  out->set_id(axis.id);
  ToApi(axis.label, out->mutable_label());
  out->set_total(axis.total);
}
IndicatorAxis FromApi(const v1::IndicatorAxisMessage& axis) {
  return {axis.id(), FromApi(axis.label()), axis.total()};
}

void ToApi(const IndicatorCellRef& ref, v1::IndicatorCellRefMessage* out) {
  out->set_table(ref.table);
  out->set_row(ref.row);
  out->set_column(ref.column);
}
IndicatorCellRef FromApi(const v1::IndicatorCellRefMessage& ref) {
  return {ref.table(), ref.row(), ref.column()};
}

v1::IndicatorCellMessage::Kind ToApi(IndicatorCellKind kind) {
  switch (kind) {
    case IndicatorCellKind::kCount:
      return v1::IndicatorCellMessage::KIND_COUNT;
    case IndicatorCellKind::kShare:
      return v1::IndicatorCellMessage::KIND_SHARE;
    case IndicatorCellKind::kMedian:
      return v1::IndicatorCellMessage::KIND_MEDIAN;
    case IndicatorCellKind::kMissing:
      return v1::IndicatorCellMessage::KIND_MISSING;
  }
  return v1::IndicatorCellMessage::KIND_COUNT;
}
Result<IndicatorCellKind> FromApi(v1::IndicatorCellMessage::Kind kind) {
  switch (kind) {
    case v1::IndicatorCellMessage::KIND_COUNT:
      return IndicatorCellKind::kCount;
    case v1::IndicatorCellMessage::KIND_SHARE:
      return IndicatorCellKind::kShare;
    case v1::IndicatorCellMessage::KIND_MEDIAN:
      return IndicatorCellKind::kMedian;
    case v1::IndicatorCellMessage::KIND_MISSING:
      return IndicatorCellKind::kMissing;
    default:
      break;
  }
  return Status::InvalidArgument("indicator cell: unknown kind");
}

v1::IndicatorCellMessage::Suppression ToApi(Suppression s) {
  switch (s) {
    case Suppression::kNone:
      return v1::IndicatorCellMessage::SUPPRESSION_NONE;
    case Suppression::kPrimary:
      return v1::IndicatorCellMessage::SUPPRESSION_PRIMARY;
    case Suppression::kComplementary:
      return v1::IndicatorCellMessage::SUPPRESSION_COMPLEMENTARY;
    case Suppression::kNotCounted:
      return v1::IndicatorCellMessage::SUPPRESSION_NOT_COUNTED;
  }
  return v1::IndicatorCellMessage::SUPPRESSION_NONE;
}
Result<Suppression> FromApi(v1::IndicatorCellMessage::Suppression s) {
  switch (s) {
    case v1::IndicatorCellMessage::SUPPRESSION_NONE:
      return Suppression::kNone;
    case v1::IndicatorCellMessage::SUPPRESSION_PRIMARY:
      return Suppression::kPrimary;
    case v1::IndicatorCellMessage::SUPPRESSION_COMPLEMENTARY:
      return Suppression::kComplementary;
    case v1::IndicatorCellMessage::SUPPRESSION_NOT_COUNTED:
      return Suppression::kNotCounted;
    default:
      break;
  }
  return Status::InvalidArgument("indicator cell: unknown suppression");
}

}  // namespace

v1::ApiRole ToApi(Role role) {
  switch (role) {
    case Role::kCaseworker:
      return v1::ROLE_CASEWORKER;
    case Role::kSupervisor:
      return v1::ROLE_SUPERVISOR;
    case Role::kCoordinator:
      return v1::ROLE_COORDINATOR;
    case Role::kAdmin:
      return v1::ROLE_ADMIN;
  }
  return v1::ROLE_UNSPECIFIED;
}

Result<Role> FromApi(v1::ApiRole role) {
  switch (role) {
    case v1::ROLE_CASEWORKER:
      return Role::kCaseworker;
    case v1::ROLE_SUPERVISOR:
      return Role::kSupervisor;
    case v1::ROLE_COORDINATOR:
      return Role::kCoordinator;
    case v1::ROLE_ADMIN:
      return Role::kAdmin;
    default:
      break;
  }
  return Status::InvalidArgument("role: expected caseworker, supervisor, coordinator or admin");
}

v1::ApiAssessmentStatus ToApi(AssessmentStatus status) {
  switch (status) {
    case AssessmentStatus::kDraft:
      return v1::STATUS_DRAFT;
    case AssessmentStatus::kSubmitted:
      return v1::STATUS_SUBMITTED;
    case AssessmentStatus::kReturned:
      return v1::STATUS_RETURNED;
    case AssessmentStatus::kApproved:
      return v1::STATUS_APPROVED;
    case AssessmentStatus::kDiscarded:
      return v1::STATUS_DISCARDED;
  }
  return v1::STATUS_UNSPECIFIED;
}

Result<AssessmentStatus> FromApi(v1::ApiAssessmentStatus status) {
  switch (status) {
    case v1::STATUS_DRAFT:
      return AssessmentStatus::kDraft;
    case v1::STATUS_SUBMITTED:
      return AssessmentStatus::kSubmitted;
    case v1::STATUS_RETURNED:
      return AssessmentStatus::kReturned;
    case v1::STATUS_APPROVED:
      return AssessmentStatus::kApproved;
    case v1::STATUS_DISCARDED:
      return AssessmentStatus::kDiscarded;
    default:
      break;
  }
  return Status::InvalidArgument(
      "status: expected draft, submitted, returned, approved or discarded");
}

v1::ApiError ToApi(const Status& status) {
  v1::ApiError out;
  out.set_message(status.message());
  switch (status.code()) {
    case StatusCode::kOk:
      out.set_code(v1::ERROR_UNSPECIFIED);
      break;
    case StatusCode::kInvalidArgument:
      out.set_code(v1::ERROR_INVALID_ARGUMENT);
      break;
    case StatusCode::kNotFound:
      out.set_code(v1::ERROR_NOT_FOUND);
      break;
    case StatusCode::kAlreadyExists:
      out.set_code(v1::ERROR_ALREADY_EXISTS);
      break;
    case StatusCode::kPermissionDenied:
      out.set_code(v1::ERROR_PERMISSION_DENIED);
      break;
    case StatusCode::kFailedPrecondition:
      out.set_code(v1::ERROR_FAILED_PRECONDITION);
      break;
    case StatusCode::kBusy:
      out.set_code(v1::ERROR_BUSY);
      break;
    case StatusCode::kIoError:
      out.set_code(v1::ERROR_IO_ERROR);
      break;
    case StatusCode::kCorruption:
      out.set_code(v1::ERROR_CORRUPTION);
      break;
    case StatusCode::kInternal:
      out.set_code(v1::ERROR_INTERNAL);
      break;
  }
  return out;
}

Status FromApi(const v1::ApiError& error) {
  const std::string& m = error.message();
  switch (error.code()) {
    case v1::ERROR_INVALID_ARGUMENT:
      return Status::InvalidArgument(m);
    case v1::ERROR_NOT_FOUND:
      return Status::NotFound(m);
    case v1::ERROR_ALREADY_EXISTS:
      return Status::AlreadyExists(m);
    case v1::ERROR_PERMISSION_DENIED:
      return Status::PermissionDenied(m);
    case v1::ERROR_FAILED_PRECONDITION:
      return Status::FailedPrecondition(m);
    case v1::ERROR_BUSY:
      return Status::Busy(m);
    case v1::ERROR_IO_ERROR:
      return Status::IoError(m);
    case v1::ERROR_CORRUPTION:
      return Status::Corruption(m);
    case v1::ERROR_UNAUTHENTICATED:
      return Status::PermissionDenied(m.empty() ? std::string("the session has ended: log in again")
                                                : m);
    case v1::ERROR_INTERNAL:
    default:
      break;
  }
  return Status::Internal(m.empty() ? std::string("the server failed") : m);
}

int HttpStatusOf(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
      return 409;
    case StatusCode::kFailedPrecondition:
      return 412;
    case StatusCode::kBusy:
      return 503;
    case StatusCode::kIoError:
    case StatusCode::kCorruption:
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

void ToApi(const Actor& actor, v1::ApiActor* out) {
  out->set_user_id(actor.user_id);
  out->set_name(actor.name);
  out->set_role(ToApi(actor.role));
  PutStrings(actor.units, out->mutable_units());
  out->set_must_change_password(actor.must_change_password);
}

Result<Actor> FromApi(const v1::ApiActor& actor) {
  auto role = FromApi(actor.role());
  if (!role.ok()) return role.status();
  Actor out;
  out.user_id = actor.user_id();
  out.name = actor.name();
  out.role = *role;
  out.units = Strings(actor.units());
  out.must_change_password = actor.must_change_password();
  return out;
}

void ToApi(const UserRecord& user, v1::UserRecordMessage* out) {
  out->set_name(user.name);
  out->set_role(ToApi(user.role));
  PutStrings(user.units, out->mutable_units());
  out->set_active(user.active);
  out->set_locked(user.locked);
  out->set_created_utc(user.created_utc);
  out->set_must_change_password(user.must_change_password);
  out->set_awaiting_confirmation(user.awaiting_confirmation);
  PutStrings(user.pending, out->mutable_pending());
  out->set_requested_by(user.requested_by);
  out->set_bootstrap_utc(user.bootstrap_utc);
}

Result<UserRecord> FromApi(const v1::UserRecordMessage& user) {
  auto role = FromApi(user.role());
  if (!role.ok()) return role.status();
  UserRecord out;
  out.name = user.name();
  out.role = *role;
  out.units = Strings(user.units());
  out.active = user.active();
  out.locked = user.locked();
  out.created_utc = user.created_utc();
  out.must_change_password = user.must_change_password();
  out.awaiting_confirmation = user.awaiting_confirmation();
  out.pending = Strings(user.pending());
  out.requested_by = user.requested_by();
  out.bootstrap_utc = user.bootstrap_utc();
  return out;
}

void ToApi(const InstrumentPinState& pin, v1::InstrumentPinStateMessage* out) {
  out->set_instrument_id(pin.instrument_id);
  out->set_version(pin.version);
  out->set_logic_sha256(pin.logic_sha256);
  out->set_pinned_logic_sha256(pin.pinned_logic_sha256);
}

InstrumentPinState FromApi(const v1::InstrumentPinStateMessage& pin) {
  return {pin.instrument_id(), pin.version(), pin.logic_sha256(), pin.pinned_logic_sha256()};
}

void ToApi(const ContactInput& contact, v1::ContactMessage* out) {
  out->set_unit(contact.unit);
  out->set_case_ref(contact.case_ref);
  out->set_contact_date(contact.contact_date);
  out->set_outcome(contact.outcome);
  out->set_not_asked_reason(contact.not_asked_reason);
  out->set_not_asked_note(contact.not_asked_note);
  PutStrings(contact.violence_types, out->mutable_violence_types());
}

ContactInput FromApi(const v1::ContactMessage& contact) {
  ContactInput out;
  out.unit = contact.unit();
  out.case_ref = contact.case_ref();
  out.contact_date = contact.contact_date();
  out.outcome = contact.outcome();
  out.not_asked_reason = contact.not_asked_reason();
  out.not_asked_note = contact.not_asked_note();
  out.violence_types = Strings(contact.violence_types());
  return out;
}

void ToApi(const SubjectInput& subject, v1::SubjectMessage* out) {
  out->set_unit(subject.unit);
  out->set_case_ref(subject.case_ref);
  out->set_role(subject.role);
  out->set_age_band(subject.age_band);
  out->set_protected_identity(subject.protected_identity);
  PutStrings(subject.vulnerable_groups, out->mutable_vulnerable_groups());
}

SubjectInput FromApi(const v1::SubjectMessage& subject) {
  SubjectInput out;
  out.unit = subject.unit();
  out.case_ref = subject.case_ref();
  out.role = subject.role();
  out.age_band = subject.age_band();
  out.protected_identity = subject.protected_identity();
  out.vulnerable_groups = Strings(subject.vulnerable_groups());
  return out;
}

void ToApi(const SubjectRecord& subject, v1::SubjectRecordMessage* out) {
  out->set_id(subject.id);
  out->set_role(subject.role);
  out->set_age_band(subject.age_band);
  out->set_protected_identity(subject.protected_identity);
}

SubjectRecord FromApi(const v1::SubjectRecordMessage& subject) {
  return {subject.id(), subject.role(), subject.age_band(), subject.protected_identity()};
}

void ToApi(const AssessmentInput& input, v1::AssessmentInputMessage* out) {
  out->set_unit(input.unit);
  out->set_case_ref(input.case_ref);
  if (input.subject_id) out->set_subject_id(*input.subject_id);
  if (input.contact_id) out->set_contact_id(*input.contact_id);
  out->set_lang(input.lang);
}

AssessmentInput FromApi(const v1::AssessmentInputMessage& input) {
  AssessmentInput out;
  out.unit = input.unit();
  out.case_ref = input.case_ref();
  if (input.has_subject_id()) out.subject_id = input.subject_id();
  if (input.has_contact_id()) out.contact_id = input.contact_id();
  out.lang = input.lang();
  return out;
}

void ToApi(const AssessmentRecord& r, v1::AssessmentRecordMessage* out) {
  out->set_id(r.id);
  out->set_chain_id(r.chain_id);
  out->set_version(r.version);
  if (r.amends_id) out->set_amends_id(*r.amends_id);
  out->set_amend_reason(r.amend_reason);
  out->set_status(ToApi(r.status));
  out->set_unit(r.unit);
  out->set_case_ref(r.case_ref);
  if (r.subject_id) out->set_subject_id(*r.subject_id);
  if (r.contact_id) out->set_contact_id(*r.contact_id);
  out->set_author(r.author);
  out->set_instrument_id(r.instrument_id);
  out->set_instrument_version(r.instrument_version);
  out->set_logic_sha256(r.logic_sha256);
  out->set_text_sha256(r.text_sha256);
  out->set_engine_version(r.engine_version);
  out->set_lang(r.lang);
  *out->mutable_answers() = r.answers;
  if (r.result) *out->mutable_result() = *r.result;
  out->set_created_utc(r.created_utc);
  out->set_updated_utc(r.updated_utc);
  out->set_submitted_utc(r.submitted_utc);
  out->set_approved_utc(r.approved_utc);
  out->set_logic_pinned(r.logic_pinned);
  out->set_review_comment(r.review_comment);
  out->set_owner(r.owner);
  for (const auto& c : r.contributors) {
    auto* m = out->add_contributors();
    m->set_user(c.user);
    m->set_part(c.part);
  }
}

Result<AssessmentRecord> FromApi(const v1::AssessmentRecordMessage& m) {
  auto status = FromApi(m.status());
  if (!status.ok()) return status.status();
  AssessmentRecord r;
  r.id = m.id();
  r.chain_id = m.chain_id();
  r.version = m.version();
  if (m.has_amends_id()) r.amends_id = m.amends_id();
  r.amend_reason = m.amend_reason();
  r.status = *status;
  r.unit = m.unit();
  r.case_ref = m.case_ref();
  if (m.has_subject_id()) r.subject_id = m.subject_id();
  if (m.has_contact_id()) r.contact_id = m.contact_id();
  r.author = m.author();
  r.instrument_id = m.instrument_id();
  r.instrument_version = m.instrument_version();
  r.logic_sha256 = m.logic_sha256();
  r.text_sha256 = m.text_sha256();
  r.engine_version = m.engine_version();
  r.lang = m.lang();
  r.answers = m.answers();
  if (m.has_result()) r.result = m.result();
  r.created_utc = m.created_utc();
  r.updated_utc = m.updated_utc();
  r.submitted_utc = m.submitted_utc();
  r.approved_utc = m.approved_utc();
  r.logic_pinned = m.logic_pinned();
  r.review_comment = m.review_comment();
  r.owner = m.owner();
  for (const auto& c : m.contributors()) r.contributors.push_back({c.user(), c.part()});
  return r;
}

void ToApi(const AssessmentSummary& s, v1::AssessmentSummaryMessage* out) {
  out->set_id(s.id);
  out->set_chain_id(s.chain_id);
  out->set_version(s.version);
  out->set_status(ToApi(s.status));
  out->set_unit(s.unit);
  out->set_case_ref(s.case_ref);
  out->set_instrument_id(s.instrument_id);
  out->set_final_level(s.final_level);
  out->set_author(s.author);
  out->set_updated_utc(s.updated_utc);
  out->set_logic_pinned(s.logic_pinned);
}

Result<AssessmentSummary> FromApi(const v1::AssessmentSummaryMessage& m) {
  auto status = FromApi(m.status());
  if (!status.ok()) return status.status();
  AssessmentSummary s;
  s.id = m.id();
  s.chain_id = m.chain_id();
  s.version = m.version();
  s.status = *status;
  s.unit = m.unit();
  s.case_ref = m.case_ref();
  s.instrument_id = m.instrument_id();
  s.final_level = m.final_level();
  s.author = m.author();
  s.updated_utc = m.updated_utc();
  s.logic_pinned = m.logic_pinned();
  return s;
}

void ToApi(const ListFilter& f, v1::ListRequest* out) {
  out->set_status(f.status ? ToApi(*f.status) : v1::STATUS_UNSPECIFIED);
  out->set_unit(f.unit);
  out->set_case_ref(f.case_ref);
  out->set_limit(f.limit);
  out->set_not_mine(f.not_mine);
}

Result<ListFilter> FromApi(const v1::ListRequest& m) {
  ListFilter f;
  if (m.status() != v1::STATUS_UNSPECIFIED) {
    auto status = FromApi(m.status());
    if (!status.ok()) return status.status();
    f.status = *status;
  }
  f.unit = m.unit();
  f.case_ref = m.case_ref();
  f.limit = m.limit();
  f.not_mine = m.not_mine();
  return f;
}

void ToApi(const ReviewEntry& r, v1::ReviewEntryMessage* out) {
  out->set_reviewer(r.reviewer);
  out->set_decision(r.decision);
  out->set_comment(r.comment);
  out->set_level_from(r.level_from);
  out->set_level_to(r.level_to);
  out->set_at_utc(r.at_utc);
}

ReviewEntry FromApi(const v1::ReviewEntryMessage& m) {
  return {m.reviewer(), m.decision(), m.comment(), m.level_from(), m.level_to(), m.at_utc()};
}

void ToApi(const DueItem& d, v1::DueItemMessage* out) {
  out->set_id(d.id);
  out->set_assessment_id(d.assessment_id);
  out->set_unit(d.unit);
  out->set_case_ref(d.case_ref);
  out->set_kind(d.kind);
  out->set_due_date(d.due_date);
  out->set_done(d.done);
  out->set_overdue(d.overdue);
}

DueItem FromApi(const v1::DueItemMessage& m) {
  return {m.id(),   m.assessment_id(), m.unit(), m.case_ref(),
          m.kind(), m.due_date(),      m.done(), m.overdue()};
}

void ToApi(const CaseSystemCount& c, v1::CaseSystemCountMessage* out) {
  out->set_unit(c.unit);
  out->set_month(c.month);
  out->set_contacts(c.contacts);
  out->set_recorded_by(c.recorded_by);
  out->set_recorded_utc(c.recorded_utc);
}

CaseSystemCount FromApi(const v1::CaseSystemCountMessage& m) {
  return {m.unit(), m.month(), m.contacts(), m.recorded_by(), m.recorded_utc()};
}

void ToApi(const AuditVerification& v, v1::AuditVerificationMessage* out) {
  out->set_ok(v.ok);
  out->set_events(v.events);
  out->set_first_bad_seq(v.first_bad_seq);
  out->set_problem(v.problem);
  out->set_head_seq(v.head_seq);
  out->set_head_mac(v.head_mac);
}

AuditVerification FromApi(const v1::AuditVerificationMessage& m) {
  AuditVerification v;
  v.ok = m.ok();
  v.events = m.events();
  v.first_bad_seq = m.first_bad_seq();
  v.problem = m.problem();
  v.head_seq = m.head_seq();
  v.head_mac = m.head_mac();
  return v;
}

void ToApi(const AuditEntry& e, v1::AuditEntryMessage* out) {
  out->set_seq(e.seq);
  out->set_at_utc(e.at_utc);
  out->set_user_name(e.user_name);
  out->set_role(e.role);
  out->set_unit(e.unit);
  out->set_action(e.action);
  out->set_object(e.object);
  out->set_reason(e.reason);
}

AuditEntry FromApi(const v1::AuditEntryMessage& m) {
  AuditEntry e;
  e.seq = m.seq();
  e.at_utc = m.at_utc();
  e.user_name = m.user_name();
  e.role = m.role();
  e.unit = m.unit();
  e.action = m.action();
  e.object = m.object();
  e.reason = m.reason();
  return e;
}

void ToApi(const IntakeInput& in, v1::RecordIntakeRequest* out) {
  out->set_unit(in.unit);
  out->set_case_ref(in.case_ref);
  out->set_contact_date(in.contact_date);
  out->set_lang(in.lang);
  for (const auto& p : in.persons) ToApi(p, out->add_persons());
  if (in.draft_to_discard) out->set_draft_to_discard(*in.draft_to_discard);
}

IntakeInput FromApi(const v1::RecordIntakeRequest& m) {
  IntakeInput in;
  in.unit = m.unit();
  in.case_ref = m.case_ref();
  in.contact_date = m.contact_date();
  in.lang = m.lang();
  for (const auto& p : m.persons()) in.persons.push_back(FromApi(p));
  if (m.has_draft_to_discard()) in.draft_to_discard = m.draft_to_discard();
  return in;
}

void ToApi(const IntakeRecorded& r, v1::RecordIntakeResponse* out) {
  out->set_contact_id(r.contact_id);
  out->set_assessment_id(r.assessment_id);
  for (std::int64_t id : r.subject_ids) out->add_subject_ids(id);
  ToApi(r.contact, out->mutable_contact());
}

IntakeRecorded FromApi(const v1::RecordIntakeResponse& m) {
  IntakeRecorded r;
  r.contact_id = m.contact_id();
  r.assessment_id = m.assessment_id();
  r.subject_ids.assign(m.subject_ids().begin(), m.subject_ids().end());
  r.contact = FromApi(m.contact());
  return r;
}

void ToApi(const IndicatorRequest& r, v1::IndicatorsRequest* out) {
  ToApi(r.period, out->mutable_period());
  out->set_unit(r.unit);
  out->set_cutoff_utc(r.cutoff_utc);
  out->set_threshold(r.threshold);
  out->set_suppress(r.suppress);
  out->set_definitions_version(r.definitions_version);
}

IndicatorRequest FromApi(const v1::IndicatorsRequest& m) {
  IndicatorRequest r;
  r.period = FromApi(m.period());
  r.unit = m.unit();
  r.cutoff_utc = m.cutoff_utc();
  r.threshold = m.threshold();
  r.suppress = m.suppress();
  r.definitions_version = m.definitions_version();
  return r;
}

void ToApi(const IndicatorReport& r, v1::IndicatorReportMessage* out) {
  out->set_definitions_id(r.definitions_id);
  out->set_definitions_version(r.definitions_version);
  ToApi(r.title, out->mutable_title());
  out->set_source(r.source);
  ToApi(r.period, out->mutable_period());
  out->set_unit(r.unit);
  PutStrings(r.units, out->mutable_units());
  out->set_cutoff_utc(r.cutoff_utc);
  out->set_generated_utc(r.generated_utc);
  out->set_threshold(r.threshold);
  out->set_suppressed(r.suppressed);
  for (const auto& t : r.tables) {
    auto* tm = out->add_tables();
    tm->set_id(t.id);
    ToApi(t.title, tm->mutable_title());
    ToApi(t.description, tm->mutable_description());
    for (const auto& a : t.rows) ToApi(a, tm->add_rows());
    for (const auto& a : t.columns) ToApi(a, tm->add_columns());
    for (const auto& row : t.cells) {
      auto* rm = tm->add_cells();
      for (const auto& c : row) {
        auto* cm = rm->add_cells();
        cm->set_kind(ToApi(c.kind));
        cm->set_count(c.count);
        cm->set_denominator(c.denominator);
        cm->set_value(c.value);
        cm->set_suppression(ToApi(c.suppression));
      }
    }
    tm->set_chart_column(t.chart_column);
    for (const auto& n : t.notes) ToApi(n, tm->add_notes());
  }
  for (const auto& s : r.sums) {
    auto* sm = out->add_sums();
    ToApi(s.total, sm->mutable_total());
    for (const auto& p : s.parts) ToApi(p, sm->add_parts());
  }
  for (const auto& q : r.ratios) {
    auto* qm = out->add_ratios();
    ToApi(q.share, qm->mutable_share());
    ToApi(q.numerator, qm->mutable_numerator());
    ToApi(q.denominator, qm->mutable_denominator());
  }
}

Result<IndicatorReport> FromApi(const v1::IndicatorReportMessage& m) {
  IndicatorReport r;
  r.definitions_id = m.definitions_id();
  r.definitions_version = m.definitions_version();
  r.title = FromApi(m.title());
  r.source = m.source();
  r.period = FromApi(m.period());
  r.unit = m.unit();
  r.units = Strings(m.units());
  r.cutoff_utc = m.cutoff_utc();
  r.generated_utc = m.generated_utc();
  r.threshold = m.threshold();
  r.suppressed = m.suppressed();
  for (const auto& tm : m.tables()) {
    IndicatorTable t;
    t.id = tm.id();
    t.title = FromApi(tm.title());
    t.description = FromApi(tm.description());
    for (const auto& a : tm.rows()) t.rows.push_back(FromApi(a));
    for (const auto& a : tm.columns()) t.columns.push_back(FromApi(a));
    if (tm.cells_size() != static_cast<int>(t.rows.size())) {
      return Status::InvalidArgument(
          fmt::format("indicator table {}: rows and cells differ", t.id));
    }
    for (const auto& rm : tm.cells()) {
      if (rm.cells_size() != static_cast<int>(t.columns.size())) {
        return Status::InvalidArgument(
            fmt::format("indicator table {}: columns and cells differ", t.id));
      }
      std::vector<IndicatorCell> row;
      for (const auto& cm : rm.cells()) {
        auto kind = FromApi(cm.kind());
        if (!kind.ok()) return kind.status();
        auto suppression = FromApi(cm.suppression());
        if (!suppression.ok()) return suppression.status();
        IndicatorCell c;
        c.kind = *kind;
        c.count = cm.count();
        c.denominator = cm.denominator();
        c.value = cm.value();
        c.suppression = *suppression;
        row.push_back(c);
      }
      t.cells.push_back(std::move(row));
    }
    t.chart_column = tm.chart_column();
    for (const auto& n : tm.notes()) t.notes.push_back(FromApi(n));
    r.tables.push_back(std::move(t));
  }
  for (const auto& sm : m.sums()) {
    IndicatorSum s;
    s.total = FromApi(sm.total());
    for (const auto& p : sm.parts()) s.parts.push_back(FromApi(p));
    r.sums.push_back(std::move(s));
  }
  for (const auto& qm : m.ratios()) {
    r.ratios.push_back({FromApi(qm.share()), FromApi(qm.numerator()), FromApi(qm.denominator())});
  }
  return r;
}

}  // namespace screening::internal
