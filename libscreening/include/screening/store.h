// The case store: where a caseworker's work is kept, never lost and never shown to the
// wrong person.
//
// Store is an interface so that a server database (PostgreSQL) can serve a municipality
// with many workstations later without touching the clients; OpenSqliteStore and
// CreateSqliteStore give the embedded SQLite implementation (one file, one workstation or a
// small team on one machine; never on a network share).
//
// Access is enforced here, not in the clients: every operation takes the acting user (an
// Actor obtained from Login), and roles and units decide what it may see and do. A denied
// attempt returns kPermissionDenied and is audited. Case content of protected-identity
// subjects is visible only to users granted the case: a case reference or an assessment id
// the actor may not see answers kNotFound exactly as one that does not exist (the same
// message, one audit event each; docs/store.md, "Who may do what"). Errors never contain
// answers, free text, case references or names.
//
// Thread safety: a Store object is used by one thread at a time. Several processes may use
// one database file at once; a busy database is retried up to the busy timeout and then
// reported as kBusy, never silently dropped.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <screening/indicators.h>
#include <screening/registry.h>
#include <screening/roles.h>
#include <screening/session.h>
#include <screening/status.h>
#include <screening/v1/assessment.pb.h>

namespace screening {

// An authenticated user. Obtained from Store::Login; the store re-reads role and units on
// every call, so a changed or removed account takes effect at once.
struct Actor {
  std::int64_t user_id = 0;
  std::string name;
  Role role = Role::kCaseworker;
  std::vector<std::string> units;  // vocabulary unit ids
  // The password was set by an administrator (a new account, a reset): it is one-time. Every
  // operation but SetPassword on one's own account answers kFailedPrecondition until the user
  // has chosen a new one (docs/store.md, "Accounts").
  bool must_change_password = false;
};

// The source of time: real by default, fixed in tests.
class Clock {
 public:
  virtual ~Clock() = default;
  // Seconds since the Unix epoch, UTC.
  virtual std::int64_t NowUnix() const = 0;
};

struct StoreOptions {
  // Allow a database on a network or FUSE filesystem (NFS, SMB/CIFS, sshfs and other FUSE,
  // 9p, CephFS, AFS, ...): SQLite's locking and syncing are unreliable there.
  bool allow_network_filesystem = false;
  // Open the file read-only and write nothing to it, ever (OpenSqliteStore only): SQLite's
  // read-only, immutable mode (no -wal, -shm or journal file is made, a 0400 file opens), no
  // migration, no audit event, no login bookkeeping (failure counts, lock-out, rehash), so
  // that an evidence copy can be checked (Check, VerifyAudit) and stay byte for byte the
  // same. Operations that would change the database fail with kFailedPrecondition; reads
  // that are normally audited are not. kFailedPrecondition at open when the database needs
  // a migration or has a -wal or journal file beside it (changes that are not in the file
  // itself, which a read-only open would not see).
  bool read_only = false;
  // How long a write waits for a busy database before kBusy.
  int busy_timeout_ms = 10000;
  // Argon2id cost for new passwords: 0 minimal (tests only), 1 interactive, 2 moderate.
  int password_cost = 2;
  // The audit HMAC key file, kept outside the database (and outside its backups). Empty:
  // DefaultAuditKeyPath(), created by CreateSqliteStore when missing.
  std::filesystem::path audit_key_file;
  // Time source; nullptr: the system clock.
  std::shared_ptr<const Clock> clock;
  // Threads counting an indicator report: 2 counts on two connections reading the same
  // snapshot (about twice as fast on two cores); 1 counts on the store's own connection.
  int indicator_threads = 2;
};

// The database path the clients use by default: $SCREENING_DB, else
// $XDG_DATA_HOME/screening/screening.db (~/.local/share/screening/screening.db).
std::filesystem::path DefaultDatabasePath();

// The audit key file used when StoreOptions.audit_key_file is empty: $SCREENING_AUDIT_KEY,
// else $XDG_CONFIG_HOME/screening/audit.key (~/.config/screening/audit.key).
std::filesystem::path DefaultAuditKeyPath();

// A new contact and the routine question's outcome.
struct ContactInput {
  std::string unit;              // vocabulary unit id
  std::string case_ref;          // the main case system's reference (not a personal number)
  std::string contact_date;      // Swedish local date, YYYY-MM-DD
  std::string outcome;           // disclosed, not_disclosed, declined, not_asked
  std::string not_asked_reason;  // when not_asked: a not-asked reason id
  std::string not_asked_note;    // when the reason is `other`: free text
  std::vector<std::string> violence_types;  // when disclosed
};

struct SubjectInput {
  std::string unit;
  std::string case_ref;
  std::string role;      // adult_victim, child, perpetrator
  std::string age_band;  // vocabulary age band, or ""
  bool protected_identity = false;
  // Opt-in special categories, counted only; never shown in case views or exports.
  std::vector<std::string> vulnerable_groups;
};

// An intake (Store::RecordIntake): a new contact at which the routine question was asked or
// could not be asked. The routine question's answers come as a Session beside it.
struct IntakeInput {
  std::string unit;          // vocabulary unit id
  std::string case_ref;      // the main case system's reference (not a personal number)
  std::string contact_date;  // Swedish local date, YYYY-MM-DD
  std::string lang = "sv";   // the language the routine question was shown in
  // People of the case recorded with the contact (role, age band, protected identity,
  // groups); their unit and case_ref are left empty: they are the intake's.
  std::vector<SubjectInput> persons;
  // A draft of the routine question made earlier without a contact (CLI `draft resume`):
  // discarded in the same transaction, as the intake's record replaces it.
  std::optional<std::int64_t> draft_to_discard;
};

// What RecordIntake recorded.
struct IntakeRecorded {
  std::int64_t contact_id = 0;
  std::int64_t assessment_id = 0;         // the routine question, linked and submitted
  std::vector<std::int64_t> subject_ids;  // the persons, in the order given
  ContactInput contact;                   // the contact as recorded (IntakeContact)
};

// A new assessment (saved as a draft).
struct AssessmentInput {
  std::string unit;
  std::string case_ref;
  std::optional<std::int64_t> subject_id;
  std::optional<std::int64_t> contact_id;
  std::string lang = "sv";  // the language the texts were shown in
};

// One version of an assessment as the store keeps it.
struct AssessmentRecord {
  std::int64_t id = 0;        // this version
  std::int64_t chain_id = 0;  // the first version's id: the assessment itself
  int version = 1;
  std::optional<std::int64_t> amends_id;
  std::string amend_reason;
  AssessmentStatus status = AssessmentStatus::kDraft;
  std::string unit;
  std::string case_ref;
  std::optional<std::int64_t> subject_id;
  std::optional<std::int64_t> contact_id;
  std::string author;
  std::string instrument_id;
  std::string instrument_version;
  std::string logic_sha256;
  std::string text_sha256;
  std::string engine_version;
  std::string lang;
  v1::Answers answers;
  std::optional<v1::Result> result;  // present once submitted
  std::string created_utc, updated_utc, submitted_utc, approved_utc;
  // Whether the logic it was made with is pinned in this database (docs/store.md, "Pinned
  // instruments"); clients flag a record whose logic is not.
  bool logic_pinned = true;
  std::string review_comment;
  // Who may change the draft: its author, or whom a supervisor reassigned it to.
  std::string owner;
  // Everyone who took part in this version, oldest first: "author", "editor", "submitter",
  // "owner" (took it over by reassignment), "reassigner". None of them reviews it.
  struct Contributor {
    std::string user;
    std::string part;
  };
  std::vector<Contributor> contributors;
};

// A line in a list: no answers, no free text.
// Where a login attempt comes from: failed attempts are counted per source and name.
struct LoginContext {
  // "local:UID" for a client on this machine (the OS user), the peer address for a server.
  // At most 100 printable ASCII characters; anything else counts as the source "-".
  std::string source;
  // This process's OS user: "local:<uid>".
  static LoginContext Local();
};

// An installed instrument version as the database's pins see it (docs/store.md, "Pinned
// instruments").
struct InstrumentPinState {
  std::string instrument_id;
  std::string version;
  std::string logic_sha256;         // of the installed file
  std::string pinned_logic_sha256;  // "" when the version is not pinned
  // The version is pinned with another logic hash: the installed file is not the one the
  // database accepted (a changed file under a released version number).
  bool conflict() const {
    return !pinned_logic_sha256.empty() && pinned_logic_sha256 != logic_sha256;
  }
};

// An account as the administrator's user list shows it.
struct UserRecord {
  std::string name;
  Role role = Role::kCaseworker;
  std::vector<std::string> units;
  bool active = true;
  bool locked = false;  // locked for now after failed logins
  std::string created_utc;
  bool must_change_password = false;  // the password is one-time (set by an administrator)
  // A new account whose role waits for a second person (docs/store.md, "Separation of
  // duties"): it cannot log in until confirmed.
  bool awaiting_confirmation = false;
  // What waits for a second person's confirmation: "role:supervisor", "unit:ifo_barn" (the
  // role or unit the account is to get; until confirmed it does not have it).
  std::vector<std::string> pending;
  std::string requested_by;  // who asked for what waits ("" when nothing does)
  // The supervisor role or a unit took effect without a second person, as the first
  // supervisor of a unit (the bootstrap rule); the time it did, or "".
  std::string bootstrap_utc;
};

struct AssessmentSummary {
  std::int64_t id = 0;
  std::int64_t chain_id = 0;
  int version = 1;
  AssessmentStatus status = AssessmentStatus::kDraft;
  std::string unit;
  std::string case_ref;
  std::string instrument_id;
  std::string final_level;
  std::string author;
  std::string updated_utc;
  bool logic_pinned = true;  // as AssessmentRecord::logic_pinned
};

struct ListFilter {
  std::optional<AssessmentStatus> status;  // none: all but discarded
  std::string unit;                        // empty: every unit the actor may see
  std::string case_ref;
  int limit = 200;
  // Leave out the versions the actor wrote or amended: a review queue (nobody reviews their own).
  bool not_mine = false;
};

// A person in a case, as case views show it (vulnerable groups are never shown).
struct SubjectRecord {
  std::int64_t id = 0;
  std::string role;      // adult_victim, child, perpetrator
  std::string age_band;  // or ""
  bool protected_identity = false;
};

struct DueItem {
  std::int64_t id = 0;
  std::int64_t assessment_id = 0;
  std::string unit;
  std::string case_ref;
  std::string kind;      // the recommendation id (protection_assessment, ...)
  std::string due_date;  // YYYY-MM-DD; empty: at the next contact
  bool done = false;
  bool overdue = false;
};

struct ReviewEntry {
  std::string reviewer;
  std::string decision;  // approved, returned, level_changed
  std::string comment;
  std::string level_from, level_to;
  std::string at_utc;
};

// Choices for Store::Backup and RestoreSqliteBackup.
struct BackupOptions {
  // Backup: a database whose audit chain does not verify is refused (kCorruption naming the
  // first event that does not), since its backup could not be restored; with this set it is
  // backed up anyway, the backup marked as carrying a broken chain (and the event that
  // broke it), and the backup event says so. Restore: a backup so marked, or one whose
  // chain does not verify, is refused (kCorruption, saying which) unless this is set; then
  // it is restored and the restore event says the chain was broken, from which event.
  bool allow_broken_chain = false;
};

// One audit event as shown to an auditor.
struct AuditEntry {
  std::int64_t seq = 0;
  std::string at_utc, user_name, role, unit, action, object, reason;
};

struct AuditVerification {
  bool ok = true;
  std::int64_t events = 0;
  std::int64_t first_bad_seq = 0;
  std::string problem;
  std::int64_t head_seq = 0;
  std::string head_mac;  // hex: the anchor to keep outside the database
};

class Store {
 public:
  virtual ~Store() = default;

  // ---- accounts
  // Checks the password (Argon2id, constant time) and returns the actor. Repeated failures
  // from one source for one name lock that source out of that name with a growing back-off
  // (at most 15 minutes; failures from elsewhere never lock the account out); an unknown name
  // is throttled and takes as long as a known one. Every attempt is audited with its source.
  // kPermissionDenied for an unknown user, a wrong password or a locked account (the
  // message does not say which).
  virtual Result<Actor> Login(std::string_view user, std::string_view password,
                              const LoginContext& context) = 0;
  // Login from this process's OS user (LoginContext::Local()): the CLI and the desktop.
  Result<Actor> Login(std::string_view user, std::string_view password) {
    return Login(user, password, LoginContext::Local());
  }
  // For a workstation configured to trust the OS login (recorded in the database at init):
  // the OS user's account without a password. kPermissionDenied otherwise.
  virtual Result<Actor> LoginTrusted(std::string_view os_user) = 0;
  // Admin: units and users.
  virtual Status AddUnit(const Actor& actor, std::string_view unit) = 0;
  virtual Status AddUser(const Actor& actor, std::string_view name, Role role,
                         const std::vector<std::string>& units, std::string_view password) = 0;
  // A user changes their own password (old one required); an admin may set anyone's.
  virtual Status SetPassword(const Actor& actor, std::string_view name,
                             std::string_view old_password, std::string_view new_password) = 0;
  // Admin: every account, by name (not audited: no case content).
  virtual Result<std::vector<UserRecord>> Users(const Actor& actor) = 0;
  // Admin: the account life cycle (docs/store.md, "Accounts"). Each change takes effect at
  // the user's next call (every operation re-reads the account) and is audited. kNotFound for
  // an unknown user; kFailedPrecondition for a change of one's own account, for one that
  // would leave no active administrator, and for a caseworker or supervisor left without a
  // unit (add the new unit before removing the old).
  // Deactivates (`active` false) or reactivates an account; a deactivated one cannot log in.
  virtual Status SetUserActive(const Actor& actor, std::string_view name, bool active) = 0;
  // Changes an account's role.
  virtual Status SetUserRole(const Actor& actor, std::string_view name, Role role) = 0;
  // Adds (`member` true) or removes a unit membership (kNotFound for an unknown unit).
  virtual Status SetUserUnit(const Actor& actor, std::string_view name, std::string_view unit,
                             bool member) = 0;

  // Confirms what waits for a second person on the account `name` (docs/store.md,
  // "Separation of duties"): a new supervisor or administrator, a role changed to one of those,
  // a unit added to a supervisor. The confirmer is neither the account nor who asked for it:
  // an administrator role is confirmed by another administrator or a supervisor, a supervisor
  // role or unit by another administrator or a supervisor of the unit concerned.
  // kFailedPrecondition when nothing waits; kPermissionDenied (audited) for anyone else. Audited
  // with what took effect.
  virtual Status ConfirmUser(const Actor& actor, std::string_view name) = 0;

  // ---- pinned instruments (docs/store.md, "Pinned instruments")
  // The installed instrument versions whose logic this database does not accept: not pinned,
  // or pinned with another logic hash. Any active user (clients say so); not audited.
  virtual Result<std::vector<InstrumentPinState>> UnpinnedInstruments(const Actor& actor) = 0;
  // Admin: pins the logic hash of every installed version not yet pinned and returns them.
  // A version pinned with another hash is never re-pinned: kFailedPrecondition naming it,
  // nothing pinned. Audited with what was pinned.
  virtual Result<std::vector<InstrumentPinState>> PinInstruments(const Actor& actor) = 0;

  // ---- cases
  // Records a new contact (the intake) and returns its id. Caseworkers and supervisors of the
  // unit. This is the only operation that opens a case: a reference not seen before in the
  // unit becomes a case. It is a blind write, accepted alike for a new case, a case the actor
  // may see and a protected case the actor has no grant to (the contact counts in the
  // indicators and is seen by those granted the case; the writer still cannot read the case).
  // kInvalidArgument for a reference that is or holds a personal identity number.
  virtual Result<std::int64_t> AddContact(const Actor& actor, const ContactInput& contact) = 0;
  // Adds a person to a case an intake has opened and the actor may see; returns the person's
  // id. Caseworkers and supervisors of the unit (others kPermissionDenied, audited). A case
  // that does not exist (no intake yet) and a protected case without a grant both answer
  // kNotFound "no such case", audited, and nothing is stored. The one who adds a person with
  // protected identity keeps access to the case (a grant).
  virtual Result<std::int64_t> AddSubject(const Actor& actor, const SubjectInput& subject) = 0;
  // A supervisor of the unit grants a user access to a case with a protected subject, up to
  // and including the Swedish date `until` (YYYY-MM-DD, not in the past; empty: until it is
  // revoked). Granting again replaces the end date. kInvalidArgument for a bad date; kNotFound
  // for a case that does not exist. The unit's supervisors administer the grants of every
  // case of the unit, so a protected case is not hidden from them here (they learn that it
  // exists, never its content).
  virtual Status Grant(const Actor& actor, std::string_view unit, std::string_view case_ref,
                       std::string_view user, std::string_view reason, std::string_view until) = 0;
  // A supervisor of the unit ends a user's grant at once, with a reason (audited).
  // kNotFound when the user has no grant to the case.
  virtual Status RevokeGrant(const Actor& actor, std::string_view unit, std::string_view case_ref,
                             std::string_view user, std::string_view reason) = 0;
  // The subjects of a case the actor may see, oldest first (not audited: no case content). A
  // case that does not exist and a protected case without a grant both answer kNotFound "no
  // such case", and that refusal is audited.
  virtual Result<std::vector<SubjectRecord>> Subjects(const Actor& actor, std::string_view unit,
                                                      std::string_view case_ref) = 0;

  // ---- assessments
  // Creates a draft from a session (its answers) in a case an intake has opened and the
  // actor may see, and returns its id. A case that does not exist (no intake yet) and a
  // protected case without a grant both answer kNotFound "no such case", audited, and nothing
  // is stored.
  virtual Result<std::int64_t> CreateDraft(const Actor& actor, const AssessmentInput& input,
                                           const Session& session) = 0;
  // Replaces a draft's (or returned assessment's) answers. Autosave: not audited.
  virtual Status UpdateDraft(const Actor& actor, std::int64_t id, const Session& session) = 0;
  virtual Status DiscardDraft(const Actor& actor, std::int64_t id) = 0;
  // A supervisor of the unit hands a draft (or returned assessment) to another caseworker or
  // supervisor of the unit who may see the case, with a reason (a caseworker is ill, has
  // left): from then on only the new owner changes or submits it. Both the supervisor and the
  // new owner become contributors of the version, so neither reviews it. An id the actor may
  // not see answers kNotFound like a missing one; audited with the reason.
  virtual Status ReassignDraft(const Actor& actor, std::int64_t id, std::string_view new_owner,
                               std::string_view reason) = 0;
  // Evaluates and submits for review; refuses when required answers or judgements are
  // missing (kFailedPrecondition). Creates the due items of the result's deadlines.
  virtual Status Submit(const Actor& actor, std::int64_t id) = 0;
  // Supervisor of the unit: approve (immutable afterwards) or return with a comment.
  virtual Status Approve(const Actor& actor, std::int64_t id, std::string_view comment) = 0;
  virtual Status Return(const Actor& actor, std::int64_t id, std::string_view comment) = 0;
  // Supervisor, before approval: changes the final level with a reason (may lower).
  virtual Status ChangeLevel(const Actor& actor, std::int64_t id, std::string_view level,
                             std::string_view reason) = 0;
  // A correction of an approved assessment: a new version linked to it, as a draft.
  virtual Result<std::int64_t> Amend(const Actor& actor, std::int64_t id, std::string_view reason,
                                     const Session& session) = 0;
  // Opens one version (audited once per call: call it once per opening, not per redraw).
  virtual Result<AssessmentRecord> Get(const Actor& actor, std::int64_t id) = 0;
  // Every version of the assessment `id` belongs to, oldest first, with its reviews.
  virtual Result<std::vector<AssessmentRecord>> History(const Actor& actor, std::int64_t id) = 0;
  virtual Result<std::vector<ReviewEntry>> Reviews(const Actor& actor, std::int64_t id) = 0;
  virtual Result<std::vector<AssessmentSummary>> List(const Actor& actor,
                                                      const ListFilter& filter) = 0;

  // ---- follow-up
  virtual Result<std::vector<DueItem>> Due(const Actor& actor, bool overdue_only) = 0;
  virtual Status MarkDone(const Actor& actor, std::int64_t due_item) = 0;
  // Records that support information was given (which resources, to whom). The person is
  // required when the case has more than one (kInvalidArgument naming `subject`: the
  // indicators count information per person); when it has exactly one, an absent
  // `subject_id` means that person; when it has none, the case. kNotFound "no such case"
  // (audited) alike for a case that does not exist and a protected case without a grant.
  virtual Status RecordSupportGiven(const Actor& actor, std::string_view unit,
                                    std::string_view case_ref,
                                    std::optional<std::int64_t> subject_id,
                                    const std::vector<std::string>& resources) = 0;

  // ---- the denominator of the share asked
  // Records the numbers of new contacts units' case systems counted (`unit`, `month`,
  // `contacts` of each; the rest is ignored), all of them or none, replacing earlier numbers
  // of the same unit and month. Supervisors of the unit; coordinators of the unit, or of every
  // unit when they have none; others kPermissionDenied (audited). kInvalidArgument naming the
  // entry (counted from 1) for an unknown unit, a month that is not YYYY-MM (1900..2200),
  // a count outside 0..10,000,000, or the same unit and month twice. Audited per entry with
  // the number before and after.
  virtual Status RecordCaseSystemContacts(const Actor& actor,
                                          const std::vector<CaseSystemCount>& counts) = 0;
  // The recorded numbers of the months `from_month`..`to_month` (YYYY-MM, inclusive) for the
  // units the actor may record them for, ordered by unit and month (not audited: no case
  // content).
  virtual Result<std::vector<CaseSystemCount>> CaseSystemContacts(const Actor& actor,
                                                                  std::string_view from_month,
                                                                  std::string_view to_month) = 0;

  // ---- audit and maintenance
  // Admin: walks the audit chain and reports the first event that does not match; the head
  // it returns is the anchor to keep outside the database (backups carry it too).
  virtual Result<AuditVerification> VerifyAudit(const Actor& actor) = 0;
  // The events of one case in `unit` (sample checks of who looked); with an empty case_ref,
  // every event of `unit`, or every event at all when unit is empty too. The administrator
  // reads everything; a supervisor the events of one of their own units (`unit` required),
  // leaving out those of a protected case they have no grant to (such a case_ref answers
  // kNotFound like one that does not exist, both refusals audited); others
  // kPermissionDenied. Audited.
  virtual Result<std::vector<AuditEntry>> AuditLog(const Actor& actor, std::string_view unit,
                                                   std::string_view case_ref) = 0;
  // integrity_check + foreign_key_check + the audit chain, as one call (admin).
  virtual Result<AuditVerification> Check(const Actor& actor) = 0;
  // The person's own right of access (GDPR Art. 15): everything the store holds about one
  // case, as JSON, for a supervisor of the unit who may see the case, with a reason; audited.
  // This is the only way protected or special-category data leaves the store. kNotFound "no
  // such case" (audited) alike for a case that does not exist and a protected case without a
  // grant.
  virtual Result<std::string> CaseExtract(const Actor& actor, std::string_view unit,
                                          std::string_view case_ref, std::string_view reason) = 0;

  // What other agencies or a successor system may read, as JSON (docs/store.md, "Export"):
  // the cases of `unit` (or of every unit of the actor when empty), or one case, with their
  // contacts, subjects (role, age band) and the newest submitted or approved version of each
  // assessment. Cases with a protected-identity subject, vulnerable-group data and free text
  // (free-text answers, notes, rationales, override reasons, not-asked notes) are left out.
  // Caseworkers and supervisors of the unit; audited with the number of cases exported. One
  // case that does not exist or that the actor may not see answers kNotFound "no such case"
  // (audited), and so does a protected case the actor is granted (never exported).
  virtual Result<std::string> Export(const Actor& actor, std::string_view unit,
                                     std::string_view case_ref) = 0;

  // ---- indicators
  // The indicator counts for a period (docs/indicators.md): aggregates only, small counts
  // suppressed unless a coordinator turns it off. Coordinators: every unit (or their units
  // when they have any); supervisors: their units; others kPermissionDenied (audited).
  // kInvalidArgument for a bad period, unit, threshold or a cut-off in the future; kNotFound
  // when no definitions apply. Every report is audited with its period, cut-off and
  // suppression.
  virtual Result<IndicatorReport> Indicators(const Actor& actor,
                                             const IndicatorRequest& request) = 0;

  // Runs `fn` with every write inside it in one transaction (seeding, import): all of it
  // is kept or none. The same operations and checks run as outside bulk mode.
  virtual Status Bulk(const std::function<Status()>& fn) = 0;

  // ---- intake
  // Records an intake in one transaction (docs/store.md, "The intake"): the contact with the
  // outcome IntakeContact derives from `routine` (which opens the case), the persons, the
  // routine question's answers as an assessment linked to the contact and submitted (which
  // makes its due items), and the discarding of input.draft_to_discard. All of it is kept or
  // none. It is made of AddContact, AddSubject, CreateDraft, Submit and DiscardDraft, checked
  // and audited as those are (no event of its own): who may record a contact may record an
  // intake; kNotFound after the contact was accepted means a protected case the actor has no
  // grant to, and nothing is stored. kInvalidArgument when `routine` is not a session of the
  // routine question (IsRoutineInstrument) or a person names another case;
  // kFailedPrecondition for missing answers (CheckFinishable, first) and inside Bulk.
  virtual Result<IntakeRecorded> RecordIntake(const Actor& actor, const IntakeInput& input,
                                              const Session& routine) = 0;

  // Admin: an encrypted backup (passphrase, or a key file when passphrase is empty). The
  // audit chain is verified first: kCorruption naming the first event that does not verify
  // (nothing written) unless options.allow_broken_chain (BackupOptions).
  virtual Status Backup(const Actor& actor, const std::filesystem::path& out,
                        std::string_view passphrase, const std::filesystem::path& key_file,
                        const BackupOptions& options) = 0;
};

// An account whose user already knows the password (init --demo's published accounts,
// benchmarks, tests): AddUser with a random one-time password, ConfirmUser by `confirmer` when
// one is given (and the role waits for a second person), then the account's own first login
// choosing `password`, so every step is the ordinary, audited one. Fails like the step that
// fails (an account that waits for confirmation cannot log in).
Status AddUserReady(Store& store, const Actor& admin, std::string_view name, Role role,
                    const std::vector<std::string>& units, std::string_view password,
                    const Actor* confirmer = nullptr);

// The routine question, the one rule by which both clients find it: the instrument of kind
// SCREENING for any contact (docs/instruments.md, "Kinds"). An instrument of an archived
// version is one too.
bool IsRoutineInstrument(const Instrument& instrument);
// The current version of the routine question in `registry`. kNotFound when none is
// installed; kFailedPrecondition when more than one instrument id is a routine question
// (which of them to ask would be a guess).
Result<std::shared_ptr<const Instrument>> RoutineInstrument(const Registry& registry);
// The contact an intake records (the one rule, docs/store.md, "The intake"): the outcome is the
// band the routine question's rules give, as its bands are the routine outcomes (disclosed,
// not_disclosed, declined, not_asked); with not_asked the answer and note of
// `not_asked_reason`, with disclosed the codes of `violence_types`. Pure. kInvalidArgument
// when `routine` is not a session of the routine question; an evaluation's error as it is.
Result<ContactInput> IntakeContact(const IntakeInput& input, const Session& routine);

// The rule every case reference meets (docs/store.md, "Case references"): kInvalidArgument
// when it is empty, longer than 64 bytes, holds control characters or is or holds a personal
// identity or coordination number, however written; the message never quotes it. The store
// applies it itself; a client checks a reference typed at the start of a longer walk with it,
// so the person hears at once rather than when the walk is saved.
Status CheckCaseReference(std::string_view ref);

// Creates a new database at `path` (the folder 0700, the file 0600; refuses an existing
// file or a symbolic link at the path, never creating through one), its audit key, and
// the first administrator. With `trust_os_login` the workstation accepts LoginTrusted for
// the OS user, recorded as such.
Result<std::unique_ptr<Store>> CreateSqliteStore(const std::filesystem::path& path,
                                                 std::shared_ptr<const Registry> registry,
                                                 std::string_view admin_name,
                                                 std::string_view admin_password,
                                                 const StoreOptions& options = {},
                                                 bool trust_os_login = false);

// Opens an existing database. kNotFound when there is none (only Create makes one);
// kFailedPrecondition for a file that is not a screening database, is from a newer
// version, or lies on a network filesystem (unless allowed); kCorruption when the audit key
// does not match. Applies pending migrations (except with options.read_only).
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::filesystem::path& path,
                                               std::shared_ptr<const Registry> registry,
                                               const StoreOptions& options = {});

// Restores an encrypted backup into `target` (must not exist), verifies it (integrity,
// audit chain against the anchor it carries; a broken chain only with
// backup_options.allow_broken_chain) and appends a "restore" event, all in memory: the file
// gets its name only when it is complete and verified, so an interrupted restore (any
// signal, SIGKILL included) leaves no readable copy behind. kFailedPrecondition when the
// target's folder is on a filesystem without unnamed temporary files (O_TMPFILE) or a
// network filesystem (unless allowed); kCorruption for a damaged or altered backup or chain;
// kPermissionDenied for a wrong passphrase or key file.
Status RestoreSqliteBackup(const std::filesystem::path& backup, std::string_view passphrase,
                           const std::filesystem::path& key_file,
                           const std::filesystem::path& target, const StoreOptions& options = {},
                           const BackupOptions& backup_options = {});

}  // namespace screening
