// The narrow storage interface below the case service (docs/architecture.md).
//
// The case service (the rules: who may do what, validation, the review state machine,
// deadlines, redaction, the content of every audit event) reads and writes the records
// through this interface only. A backend keeps rows and transactions and nothing else: it
// never decides whether something is allowed, and it names no rule. SQLite implements it
// now (store/sqlite/), PostgreSQL next; so nothing here assumes one writer at a time, a
// rowid or a file: ids are what an insert returns, and a write may be retried by the backend
// when the database asks for it (busy, a serialisation failure) before it reports kBusy.
//
// Every call that changes rows must be made inside `Write` (or a `Bulk`); a read may be made
// anywhere and sees the transaction it is made in.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <screening/indicators.h>
#include <screening/status.h>
#include <screening/store.h>

#include "indicators/layout.h"
#include "store/audit_chain.h"
#include "store/backup_manifest.h"

namespace screening::internal {

// An account as stored.
struct AccountRow {
  std::int64_t id = 0;
  std::string name;
  Role role = Role::kCaseworker;
  bool active = false;
  bool must_change_password = false;
  bool awaiting_confirmation = false;
  std::optional<std::string> password_hash;  // none for an account that logs in by OS name
  std::string created_utc;
  std::string bootstrap_utc;                 // "" unless it took effect as a unit's first
  std::optional<std::int64_t> requested_by;  // who asked for the role that waits
};

// A change to an account that waits for a second person.
struct PendingRow {
  std::string kind;  // "role" or "unit"
  std::string value;
  std::int64_t requested_by = 0;
  std::string requested_by_name;
};

// A case found by its unit and reference, and whether a user may see it: it has no subject
// with a protected identity, or the user holds a grant in force on `today`.
struct CaseLookup {
  std::int64_t id = 0;
  bool visible = false;
};

// A version of an instrument whose logic was accepted (its hash pinned).
struct PinRow {
  std::string instrument_id;
  std::string version;
  std::string logic_sha256;
};

// A contact (the routine question asked, or why not) as stored.
struct ContactRow {
  std::int64_t case_id = 0;
  std::string unit;
  std::string contact_date;
  std::string outcome;
  std::optional<std::string> not_asked_reason;
  std::optional<std::string> not_asked_note;
  std::int64_t author_id = 0;
  std::string created_utc;
  std::string created_local_date;
  std::vector<std::string> violence_types;
};

// A person of a case as stored.
struct SubjectRow {
  std::int64_t case_id = 0;
  std::string role;
  std::optional<std::string> age_band;
  bool protected_identity = false;
  std::string created_utc;
  std::vector<std::string> vulnerable_groups;
};

// The columns of an assessment version that the rules look at.
struct AssessmentRow {
  std::int64_t id = 0;
  std::int64_t chain_id = 0;
  std::int64_t case_id = 0;
  int version = 0;
  AssessmentStatus status = AssessmentStatus::kDraft;
  std::string unit;
  std::string instrument_id;
  std::string instrument_version;
  std::string logic_sha256;
  std::string lang;
  std::int64_t author_id = 0;
  std::int64_t owner_id = 0;  // who changes the draft: the author unless reassigned
  std::optional<std::int64_t> subject_id;
  std::optional<std::int64_t> contact_id;
  std::string submitted_utc;  // "" before submission
};

// A new assessment version (status draft).
struct NewAssessment {
  std::optional<std::int64_t> chain_id;  // none: a new chain, whose id is the new version's
  int version = 1;
  std::optional<std::int64_t> amends_id;
  std::optional<std::string> amend_reason;
  std::int64_t case_id = 0;
  std::optional<std::int64_t> subject_id;
  std::optional<std::int64_t> contact_id;
  std::string unit;
  std::int64_t author_id = 0;
  std::string instrument_id;
  std::string instrument_version;
  std::string logic_sha256;
  std::string text_sha256;
  std::string engine_version;
  std::string lang;
  std::string answers;  // the stored bytes of the answers
  std::string created_utc;
};

// A change of an assessment version, made only while its status is one of `from` and, when
// `answers_were` is given, its answers are still those bytes: what was checked before the
// write still holds inside it, or nothing is changed (another writer came first).
struct AssessmentChange {
  std::vector<AssessmentStatus> from;
  std::optional<std::string> answers_were;
  std::optional<AssessmentStatus> status;
  std::optional<std::string> answers;
  std::optional<std::string> updated_utc;
  std::optional<std::string> submitted_utc;
  std::optional<std::string> submitted_local_date;
  std::optional<std::string> approved_utc;
  std::optional<std::int64_t> approved_by;
  std::optional<std::string> review_comment;
  std::optional<std::int64_t> owner_id;
};

// The evaluated result of a version and the columns indexed from it.
struct IndexedResult {
  std::string result;  // the stored bytes of the result
  std::optional<std::string> band;
  bool band_certain = false;
  std::optional<std::string> computed_level;
  std::optional<std::string> final_level;
  bool overridden = false;
  std::optional<std::string> override_direction;  // "raised", "lowered"
  bool complete = false;
  std::string updated_utc;
  std::vector<std::string> flags;
  std::vector<std::string> recommendations;
};

// A whole stored version: the record without its answers and result, which come as the
// stored bytes.
struct StoredAssessment {
  AssessmentRecord record;
  std::string answers;
  std::optional<std::string> result;
};

// The versions of an assessment chain: the newest one not discarded, and the highest number.
struct ChainState {
  std::int64_t newest_id = 0;
  int max_version = 0;
};

struct ReviewRow {
  std::int64_t assessment_id = 0;
  std::int64_t reviewer_id = 0;
  std::string decision;
  std::string comment;
  std::optional<std::string> level_from;
  std::optional<std::string> level_to;
  std::string created_utc;
  // Of the assessment, for the indicator counts.
  std::string instrument_id;
  std::string unit;
  std::string submitted_utc;
};

// A step due after an assessment.
struct DueRow {
  std::int64_t assessment_id = 0;
  std::int64_t case_id = 0;
  std::string unit;
  std::string kind;
  std::optional<std::string> due_date;
  bool next_contact = false;
  std::string created_utc;
};

struct DueState {
  std::string unit;
  std::int64_t case_id = 0;
  bool done = false;
};

// Which assessment versions a list shows. Always: in the user's units, not discarded unless
// asked for by status, and in a case without a protected subject unless the user holds a
// grant to it in force on `today`.
struct AssessmentQuery {
  std::int64_t user_id = 0;
  std::string unit;                        // "" every unit of the user
  std::optional<AssessmentStatus> status;  // none: every status but discarded
  std::string case_ref;                    // "" every case
  bool not_mine = false;                   // leave out those the user wrote or took part in
  std::string today;
  int limit = 1;
};

// A case as an export lists it.
struct CaseRow {
  std::int64_t id = 0;
  std::string unit;
  std::string ref;
};

// A contact as an extract shows it.
struct ContactRecordRow {
  std::int64_t id = 0;
  std::string date;
  std::string outcome;
  std::string not_asked_reason;
  std::string not_asked_note;
  std::vector<std::string> violence_types;
};

// What the indicator facts are counted over (store/indicators_service.cc works it out).
struct IndicatorCountInputs {
  // Instrument id -> the subject role of its target group ("adult_victim", ...).
  std::map<std::string, std::string, std::less<>> target_group_of;
  // The resources that count as information for people who use violence (sorted); used when
  // the PERPETRATORS table names informing_resource_tags.
  std::vector<std::string> informing_resources;
};

struct IndicatorCount {
  const IndicatorRequest* request = nullptr;
  std::vector<std::string> units;  // the units counted
  const IndicatorDefinitions* definitions = nullptr;
  IndicatorCountInputs inputs;
  std::string cutoff_utc;  // what was recorded after it is left out
  int threads = 2;
};

class Backend {
 public:
  virtual ~Backend() = default;

  // ---- transactions
  // Runs `fn` in one write transaction and commits when it returns ok, else rolls back.
  // Inside a `Bulk`, `fn` is a part of the bulk's transaction that is undone alone when it
  // fails (a savepoint), while the rest of the bulk stays.
  virtual Status Write(const std::function<Status()>& fn) = 0;
  // Runs `fn`, which makes several writes, in one transaction; does not nest.
  virtual Status Bulk(const std::function<Status()>& fn) = 0;
  // Whether a write or a bulk is open now.
  virtual bool InTransaction() const = 0;

  // ---- audit
  // Appends one event to the chain inside the open write.
  virtual Status AppendAudit(const AuditEvent& event) = 0;
  // Walks the whole chain (and, with an anchor, checks it is still there), in one snapshot.
  virtual Result<AuditVerifyReport> VerifyAuditChain(const std::optional<AuditAnchor>& anchor) = 0;
  virtual Result<AuditAnchor> AuditHead() = 0;
  // The events, in order: of `case_id` when given, of `unit` when not "", and, unless
  // `visible_to` is 0, leaving out the events of a case with a protected subject that user
  // holds no grant to in force on `today`.
  virtual Result<std::vector<AuditEntry>> AuditEntries(std::optional<std::int64_t> case_id,
                                                       std::string_view unit,
                                                       std::int64_t visible_to,
                                                       std::string_view today) = 0;

  // ---- maintenance
  // kCorruption when the database's own checks find damage or broken references.
  virtual Status CheckIntegrity() = 0;
  // An encrypted, consistent copy of every record with `manifest` (refuses to overwrite).
  virtual Status WriteBackup(const BackupManifest& manifest, const BackupSecret& secret,
                             const std::filesystem::path& out) = 0;

  // ---- settings of the database (the `meta` table): "auth_mode", ...
  virtual Result<std::optional<std::string>> Setting(std::string_view key) = 0;
  virtual Status PutSetting(std::string_view key, std::string_view value) = 0;

  // ---- units
  virtual Result<bool> UnitExists(std::string_view unit) = 0;
  // Adds the unit; one that exists is left as it is.
  virtual Status InsertUnit(std::string_view unit, std::string_view created_utc) = 0;

  // ---- accounts
  virtual Result<std::optional<AccountRow>> AccountById(std::int64_t id) = 0;
  virtual Result<std::optional<AccountRow>> AccountByName(std::string_view name) = 0;
  // Every account, by name.
  virtual Result<std::vector<AccountRow>> Accounts() = 0;
  // The units of an account, in id order.
  virtual Result<std::vector<std::string>> UnitsOf(std::int64_t user_id) = 0;
  // kAlreadyExists when the name is taken.
  virtual Result<std::int64_t> InsertAccount(std::string_view name, Role role,
                                             std::string_view password_hash,
                                             std::string_view created_utc,
                                             bool must_change_password) = 0;
  virtual Status SetAccountActive(std::int64_t id, bool active) = 0;
  // The role, whether it waits for a second person and who asked (kept only while it waits).
  virtual Status SetAccountRole(std::int64_t id, Role role, bool awaiting,
                                std::int64_t requested_by) = 0;
  virtual Status SetBootstrap(std::int64_t id, std::string_view utc) = 0;
  // Replaces the password: failed logins and the account's lock are cleared.
  virtual Status ReplacePassword(std::int64_t id, std::string_view hash,
                                 bool must_change_password) = 0;
  // The same password hashed at another cost.
  virtual Status Rehash(std::int64_t id, std::string_view hash) = 0;
  virtual Status CountFailedLogin(std::int64_t id) = 0;
  virtual Status ClearFailedLogins(std::int64_t id) = 0;
  // Active, confirmed administrators other than `except`.
  virtual Result<std::int64_t> CountOtherActiveAdmins(std::int64_t except) = 0;
  // Whether `unit` has an active, confirmed supervisor other than `except`.
  virtual Result<bool> HasActiveSupervisor(std::string_view unit, std::int64_t except) = 0;
  // Membership of a unit; adding one that exists changes nothing.
  virtual Status AddAccountUnit(std::int64_t id, std::string_view unit) = 0;
  virtual Status RemoveAccountUnit(std::int64_t id, std::string_view unit) = 0;

  // ---- changes that wait for a second person
  // By kind and value, with the name of whoever asked.
  virtual Result<std::vector<PendingRow>> PendingChanges(std::int64_t user_id) = 0;
  // Records one (the same kind and value asked again replaces the asker and time).
  virtual Status PutPendingChange(std::int64_t user_id, std::string_view kind,
                                  std::string_view value, std::int64_t requested_by,
                                  std::string_view utc) = 0;
  // Removes those of `kind` ("" every kind) with `value` ("" every value); returns how many.
  virtual Result<std::int64_t> DeletePendingChanges(std::int64_t user_id, std::string_view kind,
                                                    std::string_view value) = 0;

  // ---- login throttle: failures per source of the attempt and keyed name
  virtual Result<std::optional<std::string>> LoginLockedUntil(std::string_view source,
                                                              std::string_view name_key) = 0;
  // Counts one more failure and returns the count.
  virtual Result<std::int64_t> CountLoginFailure(std::string_view source,
                                                 std::string_view name_key) = 0;
  virtual Status LockLogin(std::string_view source, std::string_view name_key,
                           std::string_view until_utc) = 0;
  // Clears the pair; an empty `source` clears the name from every source.
  virtual Status ClearLoginThrottle(std::string_view source, std::string_view name_key) = 0;
  // Whether the name is locked from some source after `now_utc`.
  virtual Result<bool> LoginLockedAnywhere(std::string_view name_key, std::string_view now_utc) = 0;

  // ---- cases
  virtual Result<std::optional<std::int64_t>> FindCase(std::string_view unit,
                                                       std::string_view ref) = 0;
  // One read, whatever the answer (the time of a refusal must not say whether the case
  // exists).
  virtual Result<std::optional<CaseLookup>> LookUpCase(std::string_view unit, std::string_view ref,
                                                       std::int64_t user_id,
                                                       std::string_view today) = 0;
  virtual Result<std::int64_t> InsertCase(std::string_view unit, std::string_view ref,
                                          std::string_view created_utc) = 0;
  // Whether a subject of the case has a protected identity.
  virtual Result<bool> CaseProtected(std::int64_t case_id) = 0;
  // Whether the user holds a grant to the case in force on `today` (a Swedish date).
  virtual Result<bool> Granted(std::int64_t case_id, std::int64_t user_id,
                               std::string_view today) = 0;
  // Grants the case to the user; granting again replaces who, why, when and the end date.
  virtual Status PutGrant(std::int64_t case_id, std::int64_t user_id, std::int64_t granted_by,
                          std::string_view reason, std::string_view created_utc,
                          const std::optional<std::string>& until_date) = 0;
  // Whether there was a grant to remove.
  virtual Result<bool> DeleteGrant(std::int64_t case_id, std::int64_t user_id) = 0;
  virtual Result<std::int64_t> InsertContact(const ContactRow& contact) = 0;
  virtual Result<std::int64_t> InsertSubject(const SubjectRow& subject) = 0;
  // The persons of a case, in the order they were added.
  virtual Result<std::vector<SubjectRecord>> SubjectsOf(std::int64_t case_id) = 0;

  // Whether the subject or the contact belongs to the case.
  virtual Result<bool> SubjectInCase(std::int64_t subject_id, std::int64_t case_id) = 0;
  virtual Result<bool> ContactInCase(std::int64_t contact_id, std::int64_t case_id) = 0;
  // The vulnerable groups of a subject, in order.
  virtual Result<std::vector<std::string>> GroupsOf(std::int64_t subject_id) = 0;
  // The contacts of a case, by id.
  virtual Result<std::vector<ContactRecordRow>> ContactsOf(std::int64_t case_id) = 0;
  virtual Status InsertSupportGiven(std::int64_t case_id, std::optional<std::int64_t> subject_id,
                                    std::string_view resource, std::int64_t given_by,
                                    std::string_view created_utc, std::string_view local_date) = 0;
  // The cases of the user's units (of `unit`, of `ref`, when given), without those with a
  // protected subject, by unit and reference.
  virtual Result<std::vector<CaseRow>> UnprotectedCases(std::int64_t user_id, std::string_view unit,
                                                        std::string_view ref) = 0;

  // ---- assessments
  virtual Result<std::optional<AssessmentRow>> AssessmentById(std::int64_t id) = 0;
  virtual Result<std::int64_t> InsertAssessment(const NewAssessment& a) = 0;
  // Whether the change was made (see AssessmentChange).
  virtual Result<bool> ChangeAssessment(std::int64_t id, const AssessmentChange& change) = 0;
  virtual Status WriteResult(std::int64_t id, const IndexedResult& result) = 0;
  // The stored bytes of the answers.
  virtual Result<std::optional<std::string>> AnswersOf(std::int64_t id) = 0;
  virtual Result<std::optional<StoredAssessment>> ReadAssessment(std::int64_t id) = 0;
  virtual Result<ChainState> Chain(std::int64_t chain_id) = 0;
  // The versions of a chain that are not discarded, by version.
  virtual Result<std::vector<std::int64_t>> ChainVersions(std::int64_t chain_id) = 0;
  // The versions of a case that are not discarded, by id.
  virtual Result<std::vector<std::int64_t>> CaseAssessments(std::int64_t case_id) = 0;
  // The newest submitted or approved version of each chain of a case, by chain.
  virtual Result<std::vector<std::int64_t>> NewestReviewedOfCase(std::int64_t case_id) = 0;
  virtual Result<std::vector<AssessmentSummary>> ListAssessments(const AssessmentQuery& q) = 0;
  // Who took part in a version, and how (once per part).
  virtual Status AddContributor(std::int64_t id, std::int64_t user_id, std::string_view part,
                                std::string_view utc) = 0;
  virtual Result<bool> HasContributed(std::int64_t id, std::int64_t user_id) = 0;
  virtual Status InsertReview(const ReviewRow& review) = 0;
  // The reviews of every version of a chain, in order.
  virtual Result<std::vector<ReviewEntry>> ReviewsOfChain(std::int64_t chain_id) = 0;

  // ---- due items
  // Removes the items of a version that are not done.
  virtual Status DeleteOpenDueItems(std::int64_t assessment_id) = 0;
  virtual Result<bool> DueItemDone(std::int64_t assessment_id, std::string_view kind) = 0;
  virtual Status InsertDueItem(const DueRow& item) = 0;
  virtual Result<std::optional<DueState>> DueItemById(std::int64_t id) = 0;
  // Whether it was still open.
  virtual Result<bool> MarkDueItemDone(std::int64_t id, std::string_view utc, std::int64_t by) = 0;
  // The open items in the user's units, protected cases only with a grant in force on
  // `today`; with `overdue_only`, those due before `today`.
  virtual Result<std::vector<DueItem>> OpenDueItems(std::int64_t user_id, std::string_view today,
                                                    bool overdue_only) = 0;

  // ---- case-system numbers
  virtual Result<std::optional<std::int64_t>> CaseSystemCountOf(std::string_view unit,
                                                                std::string_view month) = 0;
  virtual Status PutCaseSystemCount(std::string_view unit, std::string_view month,
                                    std::int64_t contacts, std::int64_t recorded_by,
                                    std::string_view utc) = 0;
  virtual Result<std::vector<CaseSystemCount>> CaseSystemCounts(std::string_view from_month,
                                                                std::string_view to_month) = 0;

  // ---- indicators
  // The facts of a report, all read in one snapshot of the records.
  virtual Status CountIndicatorFacts(const IndicatorCount& count, IndicatorFacts* facts) = 0;

  // ---- instrument pins
  virtual Result<std::vector<PinRow>> Pins() = 0;
  virtual Result<bool> AnyPin() = 0;
  // Whether exactly this logic is pinned for the version.
  virtual Result<bool> LogicPinned(const PinRow& pin) = 0;
  virtual Status InsertPin(const PinRow& pin, std::string_view pinned_by,
                           std::string_view pinned_utc) = 0;
};

}  // namespace screening::internal
