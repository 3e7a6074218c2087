// The case service (docs/architecture.md): every rule of the store, held once, over the
// narrow storage interface (store/backend.h). Access checks come first in every operation;
// a change, its indexed columns and its audit event are one write of the backend, so a crash
// leaves all of it or none; denied attempts are audited in a write of their own.
#include "store/case_service.h"

#include <fmt/format.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <set>

#include <screening/json.h>
#include <screening/version.h>

#include <nlohmann/json.hpp>

#include "base/swedish_time.h"
#include "engine/text_rules.h"
#include "store/case_ref.h"
#include "store/indicators_service.h"
#include "store/intake.h"
#include "store/passwords.h"

namespace screening::internal {

namespace fs = std::filesystem;

namespace {

class SystemClockImpl : public Clock {
 public:
  std::int64_t NowUnix() const override {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

// The bytes stored for a message: deterministic (map entries in key order), so that the same
// answers are always the same bytes, whatever order they were given in.
std::string StoredBytes(const google::protobuf::MessageLite& message) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream out(&stream);
    out.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&out);
  }
  return bytes;
}

// The free-text rule of answers (engine/text_rules.h) for text the store keeps itself: case
// references, notes, comments and reasons. `field` names it; the text is never quoted.
Status FreeText(std::string_view field, std::string_view text) {
  if (Status st = CheckFreeText(text); !st.ok()) {
    return Status::InvalidArgument(fmt::format("{}: {}", field, st.message()));
  }
  return Status::Ok();
}

// Removes free text (sensitive) from answers before they leave the store in an export.
void StripFreeText(google::protobuf::Map<std::string, v1::AnswerValue>& answers,
                   google::protobuf::Map<std::string, std::string>& notes) {
  notes.clear();
  for (auto it = answers.begin(); it != answers.end();) {
    if (it->second.has_text()) {
      it = answers.erase(it);
      continue;
    }
    if (it->second.has_blocks()) {
      for (auto& block : *it->second.mutable_blocks()->mutable_blocks()) {
        StripFreeText(*block.mutable_answers(), *block.mutable_notes());
      }
    }
    ++it;
  }
}

void StripFreeText(v1::Answers& answers) {
  StripFreeText(*answers.mutable_answers(), *answers.mutable_notes());
  for (auto& [id, judgement] : *answers.mutable_judgements()) judgement.clear_rationale();
  if (answers.has_override()) answers.mutable_override()->clear_reason();
}

// The result repeats the judgements and the override with their free text.
void StripFreeText(v1::Result& result) {
  for (auto& [id, judgement] : *result.mutable_judgements()) judgement.clear_rationale();
  if (result.has_override()) result.mutable_override()->clear_reason();
}

class CaseService : public Store {
 public:
  CaseService(std::unique_ptr<Backend> rows, std::shared_ptr<const Registry> registry,
              StoreOptions options, AuditKey key)
      : registry_(std::move(registry)),
        options_(std::move(options)),
        key_(std::move(key)),
        clock_(options_.clock ? options_.clock : std::make_shared<SystemClockImpl>()),
        rows_(std::move(rows)) {}

  // A new database: its settings, the first administrator (whose password is theirs: no
  // second person exists yet to confirm anything) and the installed instruments accepted.
  Status Initialize(const NewDatabase& init) {
    Status st = Write([&]() -> Status {
      const std::string now = NowUtc();
      for (const auto& [k, v] : {std::pair<std::string, std::string>{"created_utc", now},
                                 {"auth_mode", init.trust_os_login ? "os_trust" : "password"},
                                 {"audit_key_check", AuditKeyCheck(key_)},
                                 {"created_by_engine", EngineVersion()}}) {
        if (Status s = rows_->PutSetting(k, v); !s.ok()) return s;
      }
      auto admin =
          rows_->InsertAccount(init.admin_name, Role::kAdmin, init.admin_password_hash, now,
                               /*must_change_password=*/false);
      if (!admin.ok()) return admin.status();
      if (Status s = Audit(init.admin_name, Role::kAdmin, "-", "init", "database", std::nullopt,
                           init.trust_os_login ? "os_trust" : "password");
          !s.ok()) {
        return s;
      }
      return Audit(init.admin_name, Role::kAdmin, "-", "add_user", "user:" + init.admin_name,
                   std::nullopt, "admin");
    });
    if (!st.ok()) return st;
    return PinInstalledAtStart(init.admin_name, Role::kAdmin);
  }

  // ---------------------------------------------------------------- plumbing

  std::string NowUtc() const { return FormatUtc(clock_->NowUnix()); }
  std::string Today() const { return SwedishLocalDate(clock_->NowUnix()); }

  // Runs `fn` in one write transaction of the backend (a part of the bulk inside one);
  // denials found meanwhile are audited after it has ended.
  Status Write(const std::function<Status()>& fn) {
    if (options_.read_only) return ReadOnlyRefusal();
    Status st = rows_->Write(fn);
    FlushDenials();
    return st;
  }

  Result<IndicatorReport> Indicators(const Actor& actor, const IndicatorRequest& request) override {
    IndicatorStoreContext ctx;
    ctx.rows = rows_.get();
    ctx.registry = registry_.get();
    ctx.now_unix = clock_->NowUnix();
    ctx.threads = options_.indicator_threads;
    ctx.resolve = [this](const Actor& a) { return Resolve(a, "indicators"); };
    ctx.deny = [this](const Actor& a, std::string_view unit, const std::string& action,
                      const std::string& object) { return Deny(a, unit, action, object); };
    ctx.audit = [this](const Actor& a, std::string_view unit, const std::string& object,
                       const std::string& reason) {
      return Write([&] { return Audit(a, unit, "indicators", object, std::nullopt, reason); });
    };
    return CountIndicators(ctx, actor, request);
  }

  // The writes that only keep account of a read (its audit event, login bookkeeping): on a
  // read-only store (StoreOptions::read_only) they are left out, as the file must not change.
  Status Bookkeeping(const std::function<Status()>& fn) {
    return options_.read_only ? Status::Ok() : Write(fn);
  }

  static Status ReadOnlyRefusal() {
    return Status::FailedPrecondition("the database is open read-only; nothing can be changed");
  }

  Result<IntakeRecorded> RecordIntake(const Actor& actor, const IntakeInput& input,
                                      const Session& routine) override {
    return internal::RecordIntake(*this, actor, input, routine);
  }

  Status Bulk(const std::function<Status()>& fn) override {
    if (options_.read_only) return ReadOnlyRefusal();
    Status st = rows_->Bulk(fn);
    FlushDenials();
    return st;
  }

  // `role` none: an account not known, or not in effect ("-" in the trail).
  AuditEvent Event(const std::string& user, std::optional<Role> role, const std::string& unit,
                   const std::string& action, const std::string& object,
                   std::optional<std::int64_t> case_id, const std::string& reason = "") {
    return AuditEvent{NowUtc(),
                      user.empty() ? "-" : user,
                      role ? std::string(RoleId(*role)) : "-",
                      unit.empty() ? "-" : unit,
                      action,
                      object,
                      case_id,
                      reason};
  }
  Status Audit(const std::string& user, std::optional<Role> role, const std::string& unit,
               const std::string& action, const std::string& object,
               std::optional<std::int64_t> case_id, const std::string& reason = "") {
    return rows_->AppendAudit(Event(user, role, unit, action, object, case_id, reason));
  }

  // A denied attempt is audited in a transaction of its own, never inside the write that
  // fails: one found inside a write or a bulk (intake, assess) waits until that has ended,
  // committed or rolled back, and is written then. A read-only store audits nothing.
  void AuditDenial(AuditEvent event) {
    if (options_.read_only) return;
    pending_denials_.push_back(std::move(event));
    if (!rows_->InTransaction()) FlushDenials();
  }
  void FlushDenials() {
    if (pending_denials_.empty() || rows_->InTransaction()) return;
    std::vector<AuditEvent> events;
    events.swap(pending_denials_);
    (void)Write([&]() -> Status {
      for (const auto& e : events) {
        if (Status s = rows_->AppendAudit(e); !s.ok()) return s;
      }
      return Status::Ok();
    });
  }
  Status Audit(const Actor& a, std::string_view unit, const std::string& action,
               const std::string& object, std::optional<std::int64_t> case_id,
               const std::string& reason = "") {
    return Audit(a.name, a.role, std::string(unit), action, object, case_id, reason);
  }

  // Records a denied attempt (its own transaction) and returns kPermissionDenied.
  Status Deny(const Actor& a, std::string_view unit, const std::string& action,
              const std::string& object, std::optional<std::int64_t> case_id = std::nullopt) {
    AuditDenial(Event(a.name, a.role, std::string(unit), "denied:" + action, object, case_id));
    return Status::PermissionDenied(fmt::format("{} is not allowed for this user", action));
  }

  // Re-reads the actor's account: role, units, active. Unknown or inactive: no access.
  // An unknown or deactivated account is refused, and the attempt audited under the name
  // it gave, with `action` naming the operation.
  Result<Actor> Resolve(const Actor& a, std::string_view action) {
    Actor out;
    out.user_id = a.user_id;
    auto row = rows_->AccountById(a.user_id);
    if (!row.ok()) return row.status();
    const bool known = *row && (*row)->active && (*row)->name == a.name;
    bool awaiting = false;
    if (*row) {
      out.name = (*row)->name;
      out.role = (*row)->role;
      out.must_change_password = (*row)->must_change_password;
      awaiting = (*row)->awaiting_confirmation;
    }
    if (!known) {
      AuditDenial(Event(a.name, std::nullopt, "-", "denied:" + std::string(action), "account",
                        std::nullopt));
      return Status::PermissionDenied("unknown or deactivated user");
    }
    if (awaiting) {
      // A new supervisor or administrator has no role until a second person confirms it.
      AuditDenial(Event(out.name, out.role, "-", "denied:" + std::string(action),
                        "account:awaiting_confirmation", std::nullopt));
      return Status::PermissionDenied(
          "the account waits for a second person to confirm its role (screening user confirm)");
    }
    // A one-time password (set by an administrator) allows nothing but choosing one's own.
    if (out.must_change_password && action != "login" && action != "login_os" &&
        action != "set_password") {
      AuditDenial(Event(out.name, out.role, "-", "denied:" + std::string(action),
                        "account:password_change_required", std::nullopt));
      return Status::FailedPrecondition(
          "the password was set by an administrator and is for one login only: choose a new "
          "one first");
    }
    auto units = rows_->UnitsOf(a.user_id);
    if (!units.ok()) return units.status();
    out.units = std::move(*units);
    return out;
  }

  static bool InUnit(const Actor& a, std::string_view unit) {
    return std::find(a.units.begin(), a.units.end(), unit) != a.units.end();
  }

  Result<std::optional<std::int64_t>> FindCase(std::string_view unit, std::string_view ref) {
    return rows_->FindCase(unit, ref);
  }

  // The case `ref` of `unit`, made when there is none: only AddContact (the intake) opens a
  // case.
  Result<std::int64_t> CaseIdCreating(std::string_view unit, std::string_view ref) {
    auto found = FindCase(unit, ref);
    if (!found.ok()) return found.status();
    if (*found) return **found;
    if (Status st = FreeText("case reference", ref); !st.ok()) return st;
    return rows_->InsertCase(unit, ref, NowUtc());
  }

  bool CaseProtected(std::int64_t case_id) {
    auto p = rows_->CaseProtected(case_id);
    return !p.ok() || *p;  // an error reads as protected: never shown by mistake
  }

  bool Granted(std::int64_t case_id, std::int64_t user_id) {
    auto g = rows_->Granted(case_id, user_id, Today());
    return g.ok() && *g;
  }

  // Case content: caseworkers and supervisors of the unit; protected cases only with a grant.
  bool MaySeeCase(const Actor& a, std::string_view unit, std::int64_t case_id) {
    if (!IsCaseRole(a.role) || !InUnit(a, unit)) return false;
    return !CaseProtected(case_id) || Granted(case_id, a.user_id);
  }

  // The case `ref` of `unit`, for an operation that names a case by its reference and adds
  // to it or reads it. A case that does not exist and a protected case the actor has no
  // grant to answer exactly alike: kNotFound "no such case", and both are audited as
  // denied:<action> (one write each, made after the surrounding write or bulk has ended,
  // whether it committed or rolled back), after the same one statement; so neither the
  // answer, the number of writes nor the time says that a hidden case exists (docs/store.md,
  // "Who may do what"). Callers refuse an actor who is not a caseworker or supervisor of
  // `unit` before (kPermissionDenied: that does not depend on the case) and use nothing
  // about the case before this has answered.
  Result<std::int64_t> VisibleCase(const Actor& a, std::string_view unit, std::string_view ref,
                                   const std::string& action) {
    auto lookup = rows_->LookUpCase(unit, ref, a.user_id, Today());
    if (!lookup.ok()) return lookup.status();
    std::optional<std::int64_t> found;
    bool visible = false;
    if (*lookup) {
      found = (*lookup)->id;
      visible = (*lookup)->visible;
    }
    if (found && visible && IsCaseRole(a.role) && InUnit(a, unit)) return *found;
    // The hidden case is named in the event (case_id) for the administrator, who reads all.
    (void)Deny(a, unit, action, "case", found);
    return Status::NotFound("no such case");
  }

  static Status CheckUnitId(std::string_view unit) {
    if (unit.empty() || unit.size() > 40 ||
        unit.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string_view::npos) {
      return Status::InvalidArgument("unit: expected a unit id (lower-case letters, digits, _)");
    }
    return Status::Ok();
  }

  // Never a personal identity number, however written (store/case_ref.h).
  static Status CheckCaseRef(std::string_view ref) { return CheckCaseReference(ref); }

  bool Vocab(std::string_view list, std::string_view id) const {
    return registry_->vocabulary()->Contains(list, id);
  }

  // ---------------------------------------------------------------- accounts

  // Failed logins are counted per source of the attempt and name (login_throttle): failures
  // from one source never lock out the same name from another, and the lock is capped
  // (LockSeconds), so nobody can keep another's account locked. The name is kept
  // as a keyed hash: a password typed into the name field is never stored.
  std::string ThrottleKey(std::string_view name) const {
    static constexpr std::string_view kDomain = "screening login throttle\n";
    static const bool sodium_ready = sodium_init() >= 0;  // idempotent; hashing needs no RNG
    (void)sodium_ready;
    unsigned char out[32];
    crypto_generichash_state state;
    crypto_generichash_init(&state, key_.data(), 32, sizeof out);
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(kDomain.data()),
                              kDomain.size());
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(name.data()),
                              name.size());
    crypto_generichash_final(&state, out, sizeof out);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    for (unsigned char c : out) {
      hex += kHex[c >> 4];
      hex += kHex[c & 15];
    }
    return hex;
  }

  static std::string SourceOf(const LoginContext& context) {
    const std::string& s = context.source;
    if (s.empty() || s.size() > 100) return "-";
    for (char c : s) {
      if (c < 0x21 || c > 0x7e) return "-";
    }
    return s;
  }

  // Counts a failure of `source` for the name (inside a write) and locks that pair when the
  // back-off says so.
  Status CountFailure(const std::string& source, const std::string& name_key) {
    auto failed = rows_->CountLoginFailure(source, name_key);
    if (!failed.ok()) return failed.status();
    const std::int64_t lock = LockSeconds(static_cast<int>(*failed));
    if (lock == 0) return Status::Ok();
    return rows_->LockLogin(source, name_key, FormatUtc(clock_->NowUnix() + lock));
  }

  using Store::Login;
  Result<Actor> Login(std::string_view user, std::string_view password,
                      const LoginContext& context) override {
    const std::string name(user);
    const std::string source = SourceOf(context);
    const std::string name_key = ThrottleKey(name);
    const std::string denied = "login refused (unknown user, wrong password or locked account)";
    // Throttled before the account is looked at: an unknown name is throttled like a known one.
    auto locked = rows_->LoginLockedUntil(source, name_key);
    if (!locked.ok()) return locked.status();
    const std::optional<std::string> locked_until = *locked;
    auto account = rows_->AccountByName(name);
    if (!account.ok()) return account.status();
    const bool known = *account && (*account)->active && (*account)->password_hash;
    const std::int64_t id = known ? (*account)->id : 0;
    const std::optional<Role> role = known ? std::optional<Role>((*account)->role) : std::nullopt;
    const std::string hash = known ? *(*account)->password_hash : std::string();
    // Audited under the name only when it is an account's (never a mistyped password).
    const std::string who = known ? name : "-";
    const std::string object = known ? "user:" + name : "user";
    if (locked_until && *locked_until > NowUtc()) {
      // As long as a real check, so the answer does not say whether the name exists.
      (void)VerifyPassword(DummyHash(), password);
      (void)Write(
          [&] { return Audit(who, role, "-", "login_locked", object, std::nullopt, source); });
      return Status::PermissionDenied(denied);
    }
    if (!known || !VerifyPassword(hash, password)) {
      if (!known) (void)VerifyPassword(DummyHash(), password);
      (void)Write([&]() -> Status {
        // Counted inside the write: two failed attempts at once both count.
        if (Status s = CountFailure(source, name_key); !s.ok()) return s;
        if (known) {
          if (Status s = rows_->CountFailedLogin(id); !s.ok()) return s;
        }
        return Audit(who, role, "-", "login_failed", object, std::nullopt, source);
      });
      return Status::PermissionDenied(denied);
    }
    Status st2 = Bookkeeping([&] {
      if (Status s = rows_->ClearFailedLogins(id); !s.ok()) return s;
      if (Status s = rows_->ClearLoginThrottle(source, name_key); !s.ok()) return s;
      if (NeedsRehash(hash, CostOf(options_.password_cost))) {
        auto rehash = HashPassword(password, CostOf(options_.password_cost));
        if (rehash.ok()) {
          if (Status s = rows_->Rehash(id, *rehash); !s.ok()) return s;
        }
      }
      return Audit(name, role, "-", "login", "user:" + name, std::nullopt, source);
    });
    if (!st2.ok()) return st2;
    Actor a;
    a.user_id = id;
    a.name = name;
    return Resolve(a, "login");
  }

  // A hash at the configured cost, checked when the name is unknown or the account locked, so
  // that a refusal takes as long whether or not the name exists (a dummy at the minimal cost
  // answered an unknown name 30 times faster: names could be enumerated).
  const std::string& DummyHash() {
    if (dummy_hash_.empty()) {
      auto h = HashPassword("not-a-real-password-0000", CostOf(options_.password_cost));
      if (h.ok()) dummy_hash_ = *h;
    }
    return dummy_hash_;
  }

  Result<Actor> LoginTrusted(std::string_view os_user) override {
    if (PasswordsInUse()) {
      return Status::PermissionDenied("this database does not trust the OS login");
    }
    Actor a;
    {
      auto account = rows_->AccountByName(os_user);
      if (!account.ok() || !*account || !(*account)->active) {
        return Status::PermissionDenied("no account for this OS user");
      }
      a.user_id = (*account)->id;
    }
    a.name = std::string(os_user);
    auto resolved = Resolve(a, "login_os");
    if (!resolved.ok()) return resolved;
    Status s = Bookkeeping([&] {
      return Audit(resolved->name, resolved->role, "-", "login_os", "user:" + resolved->name,
                   std::nullopt);
    });
    if (!s.ok()) return s;
    return resolved;
  }

  Status AddUnit(const Actor& actor, std::string_view unit) override {
    auto a = Resolve(actor, "add_unit");
    if (!a.ok()) return a.status();
    if (a->role != Role::kAdmin) return Deny(*a, unit, "add_unit", "unit");
    if (Status st = CheckUnitId(unit); !st.ok()) return st;
    if (!Vocab("units", unit)) {
      return Status::InvalidArgument(
          "unit: not a unit of the vocabulary (instruments/vocabulary.textproto)");
    }
    return Write([&] {
      if (Status st = rows_->InsertUnit(unit, NowUtc()); !st.ok()) return st;
      return Audit(*a, unit, "add_unit", "unit:" + std::string(unit), std::nullopt);
    });
  }

  Status AddUser(const Actor& actor, std::string_view name, Role role,
                 const std::vector<std::string>& units, std::string_view password) override {
    auto a = Resolve(actor, "add_user");
    if (!a.ok()) return a.status();
    if (a->role != Role::kAdmin) return Deny(*a, "-", "add_user", "user");
    if (!ValidUserName(name)) {
      return Status::InvalidArgument("user name: lower-case letters, digits, '.', '_' or '-'");
    }
    if (IsCaseRole(role) && units.empty()) {
      return Status::InvalidArgument("unit: caseworkers and supervisors belong to a unit");
    }
    auto hash = HashPassword(password, CostOf(options_.password_cost));
    if (!hash.ok()) return hash.status();
    const bool one_time = PasswordsInUse();
    return Write([&] {
      auto inserted = rows_->InsertAccount(name, role, *hash, NowUtc(), one_time);
      if (!inserted.ok()) return inserted.status();
      const std::int64_t id = *inserted;
      for (const auto& u : units) {
        auto known = rows_->UnitExists(u);
        if (!known.ok()) return known.status();
        if (!*known)
          return Status::NotFound(fmt::format("unit '{}' does not exist (add it first)", u));
        if (Status st = rows_->AddAccountUnit(id, u); !st.ok()) return st;
      }
      std::string detail(RoleId(role));
      if (NeedsSecondPerson(role)) {
        auto bootstrap = FirstSupervisorOf(role, units, id);
        if (!bootstrap.ok()) return bootstrap.status();
        if (Status st = *bootstrap ? rows_->SetBootstrap(id, NowUtc())
                                   : rows_->SetAccountRole(id, role, true, a->user_id);
            !st.ok()) {
          return st;
        }
        detail += *bootstrap ? " (the first supervisor of the unit: in effect at once)"
                             : " (waits for a second person to confirm it)";
      }
      return Audit(*a, units.empty() ? "-" : units[0], "add_user", "user:" + std::string(name),
                   std::nullopt, detail);
    });
  }

  // ---------------------------------------------------------------- separation of duties
  // (docs/store.md): a supervisor or administrator takes effect only when a second person
  // confirms it, so one administrator cannot make accounts that grant themselves a protected
  // case. Bootstrap: the first supervisor of a unit that has none takes effect at once.

  // Passwords are checked on this workstation (not one that trusts the OS login): a password
  // an administrator sets is then one-time.
  bool PasswordsInUse() {
    auto mode = rows_->Setting("auth_mode");
    return !(mode.ok() && *mode && **mode == "os_trust");
  }

  static bool NeedsSecondPerson(Role role) {
    return role == Role::kSupervisor || role == Role::kAdmin;
  }

  // Whether `unit` has a supervisor in effect other than `except`.
  Result<bool> HasSupervisor(std::string_view unit, std::int64_t except) {
    return rows_->HasActiveSupervisor(unit, except);
  }

  // The bootstrap rule: `role` is supervisor and none of `units` has a supervisor yet.
  Result<bool> FirstSupervisorOf(Role role, const std::vector<std::string>& units,
                                 std::int64_t account) {
    if (role != Role::kSupervisor || units.empty()) return false;
    for (const auto& u : units) {
      auto has = HasSupervisor(u, account);
      if (!has.ok()) return has.status();
      if (*has) return false;
    }
    return true;
  }

  // Records a change that waits for a second person (replacing an earlier one of the kind).
  Status RequestChange(std::int64_t account, const std::string& kind, std::string_view value,
                       std::int64_t by) {
    if (kind == "role") {
      // One role waits at a time.
      if (auto d = rows_->DeletePendingChanges(account, "role", ""); !d.ok()) return d.status();
    }
    return rows_->PutPendingChange(account, kind, value, by, NowUtc());
  }

  // Withdraws what waited of `kind` (with `value`, or every value); returns how many.
  Result<std::int64_t> DropPending(std::int64_t account, std::string_view kind,
                                   std::string_view value = {}) {
    return rows_->DeletePendingChanges(account, kind, value);
  }

  Status ConfirmUser(const Actor& actor, std::string_view name) override {
    auto a = Resolve(actor, "confirm_user");
    if (!a.ok()) return a.status();
    if (a->role != Role::kAdmin && a->role != Role::kSupervisor) {
      return Deny(*a, "-", "confirm_user", "user:" + std::string(name));
    }
    std::string denied;  // why the actor may not confirm, when they may not
    std::string unit_of_denial = "-";
    Status st = Write([&]() -> Status {
      auto account = rows_->AccountByName(name);
      if (!account.ok()) return account.status();
      if (!*account) return Status::NotFound("no such user");
      const std::int64_t id = (*account)->id;
      std::vector<PendingRow> items;
      if ((*account)->awaiting_confirmation) {
        const std::int64_t by = (*account)->requested_by.value_or(0);
        auto asker = rows_->AccountById(by);
        if (!asker.ok()) return asker.status();
        items.push_back({"role", std::string(RoleId((*account)->role)), by,
                         *asker ? (*asker)->name : std::string()});
      }
      auto pending = rows_->PendingChanges(id);
      if (!pending.ok()) return pending.status();
      items.insert(items.end(), pending->begin(), pending->end());
      if (items.empty())
        return Status::FailedPrecondition("nothing on this account waits for confirmation");
      auto units_of = rows_->UnitsOf(id);
      if (!units_of.ok()) return units_of.status();
      const std::vector<std::string>& units = *units_of;
      auto refuse = [&](std::string why) {
        denied = std::move(why);
        return Status::PermissionDenied(denied);
      };
      if (id == a->user_id) return refuse("confirm_user: nobody confirms their own account");
      std::string detail;
      for (const auto& item : items) {
        if (item.requested_by == a->user_id) {
          return refuse("confirm_user: the one who asked for a change does not confirm it");
        }
        // An administrator is confirmed by another administrator or by a supervisor (in a
        // municipality with one administrator, a supervisor is the second person).
        if (a->role == Role::kSupervisor &&
            !(item.kind == "role" && item.value == RoleId(Role::kAdmin))) {
          // A supervisor confirms within their own units only.
          const bool ok = item.kind == "unit"
                              ? InUnit(*a, item.value)
                              : std::any_of(units.begin(), units.end(),
                                            [&](const std::string& u) { return InUnit(*a, u); });
          if (!ok) {
            if (item.kind == "unit") unit_of_denial = item.value;
            return refuse(
                "confirm_user: a supervisor confirms a supervisor of their own unit only");
          }
        }
        const std::string& who = item.requested_by_name;
        detail += fmt::format("{}{}:{} asked by {}", detail.empty() ? "" : "; ", item.kind,
                              item.value, who.empty() ? "-" : who);
        if (item.kind == "role") {
          const std::optional<Role> role = RoleFromId(item.value);
          if (!role) return Status::Corruption("a pending role change names no role");
          if (Status s = rows_->SetAccountRole(id, *role, false, 0); !s.ok()) return s;
        } else if (Status s = rows_->AddAccountUnit(id, item.value); !s.ok()) {
          return s;
        }
      }
      if (auto d = rows_->DeletePendingChanges(id, "", ""); !d.ok()) return d.status();
      return Audit(*a, units.empty() ? "-" : units[0], "confirm_user", "user:" + std::string(name),
                   std::nullopt, detail);
    });
    if (!denied.empty()) {
      AuditDenial(Event(a->name, a->role, unit_of_denial, "denied:confirm_user",
                        "user:" + std::string(name), std::nullopt));
    }
    return st;
  }

  Status SetPassword(const Actor& actor, std::string_view name, std::string_view old_password,
                     std::string_view new_password) override {
    auto a = Resolve(actor, "set_password");
    if (!a.ok()) return a.status();
    const bool self = a->name == name;
    if (!self && a->role != Role::kAdmin) return Deny(*a, "-", "set_password", "user");
    auto account = rows_->AccountByName(name);
    if (!account.ok()) return account.status();
    if (!*account) return Status::NotFound("no such user");
    const std::int64_t id = (*account)->id;
    const std::string old_hash = (*account)->password_hash.value_or("");
    // Replacing a one-time password takes it, whoever one is.
    const bool old_checked = !self || (a->role == Role::kAdmin && !a->must_change_password);
    if (!old_checked && !VerifyPassword(old_hash, old_password)) {
      return Deny(*a, "-", "set_password", "user:" + a->name);
    }
    if (self && a->must_change_password && new_password == old_password) {
      return Status::InvalidArgument(
          "new password: choose another than the one-time password the administrator set");
    }
    auto hash = HashPassword(new_password, CostOf(options_.password_cost));
    if (!hash.ok()) return hash.status();
    // Set by an administrator for someone else: one-time (the next login must change it).
    const bool one_time = !self && PasswordsInUse();
    return Write([&] {
      if (Status s = rows_->ReplacePassword(id, *hash, one_time); !s.ok()) return s;
      // A new password unlocks the account from every source.
      if (Status s = rows_->ClearLoginThrottle("", ThrottleKey(name)); !s.ok()) return s;
      return Audit(*a, "-", "set_password", "user:" + std::string(name), std::nullopt);
    });
  }

  // ---------------------------------------------------------------- account life cycle

  Result<std::vector<UserRecord>> Users(const Actor& actor) override {
    auto a = Resolve(actor, "users");
    if (!a.ok()) return a.status();
    if (a->role != Role::kAdmin) return Deny(*a, "-", "users", "user");
    auto accounts = rows_->Accounts();
    if (!accounts.ok()) return accounts.status();
    std::map<std::int64_t, std::string> names;
    for (const auto& row : *accounts) names[row.id] = row.name;
    std::vector<UserRecord> out;
    const std::string now = NowUtc();
    for (const auto& row : *accounts) {
      UserRecord u;
      u.name = row.name;
      u.role = row.role;
      u.active = row.active;
      u.created_utc = row.created_utc;
      u.must_change_password = row.must_change_password;
      u.awaiting_confirmation = row.awaiting_confirmation;
      u.bootstrap_utc = row.bootstrap_utc;
      if (row.requested_by) {
        if (auto it = names.find(*row.requested_by); it != names.end()) u.requested_by = it->second;
      }
      // Locked from at least one source for now.
      auto locked = rows_->LoginLockedAnywhere(ThrottleKey(row.name), now);
      if (!locked.ok()) return locked.status();
      u.locked = *locked;
      auto units = rows_->UnitsOf(row.id);
      if (!units.ok()) return units.status();
      u.units = std::move(*units);
      auto pending = rows_->PendingChanges(row.id);
      if (!pending.ok()) return pending.status();
      for (const auto& p : *pending) {
        u.pending.push_back(p.kind + ":" + p.value);
        u.requested_by = p.requested_by_name;
      }
      out.push_back(std::move(u));
    }
    return out;
  }

  // The account an administrator changes: its id, role, units and whether it is active.
  struct Account {
    std::int64_t id = 0;
    Role role = Role::kCaseworker;
    bool active = true;
    bool awaiting = false;     // a new supervisor or administrator not yet confirmed
    std::string pending_role;  // a role change that waits for confirmation, or ""
    std::vector<std::string> units;
  };

  // Admin, never on their own account: the account `name`, read inside the write.
  Result<Account> ChangeableAccount(std::string_view name) {
    auto row = rows_->AccountByName(name);
    if (!row.ok()) return row.status();
    if (!*row) return Status::NotFound("no such user");
    Account acc;
    acc.id = (*row)->id;
    acc.role = (*row)->role;
    acc.active = (*row)->active;
    acc.awaiting = (*row)->awaiting_confirmation;
    auto pending = rows_->PendingChanges(acc.id);
    if (!pending.ok()) return pending.status();
    for (const auto& p : *pending) {
      if (p.kind == "role") acc.pending_role = p.value;
    }
    auto units = rows_->UnitsOf(acc.id);
    if (!units.ok()) return units.status();
    acc.units = std::move(*units);
    return acc;
  }

  // The number of active administrators other than `except`.
  Result<std::int64_t> OtherActiveAdmins(std::int64_t except) {
    return rows_->CountOtherActiveAdmins(except);
  }

  // Runs an administrator's change of another account, audited as `action` with `detail`.
  Status ChangeAccount(const Actor& actor, std::string_view name, const std::string& action,
                       const std::function<Status(const Actor&, const Account&)>& change) {
    auto a = Resolve(actor, action);
    if (!a.ok()) return a.status();
    if (a->role != Role::kAdmin) return Deny(*a, "-", action, "user");
    if (a->name == name) {
      return Status::FailedPrecondition(
          fmt::format("{}: another administrator changes an administrator's own account", action));
    }
    return Write([&]() -> Status {
      auto acc = ChangeableAccount(name);
      if (!acc.ok()) return acc.status();
      return change(*a, *acc);
    });
  }

  Status SetUserActive(const Actor& actor, std::string_view name, bool active) override {
    const std::string action = active ? "reactivate_user" : "deactivate_user";
    return ChangeAccount(actor, name, action, [&](const Actor& a, const Account& acc) -> Status {
      if (acc.active == active) return Status::Ok();  // nothing to change, nothing audited
      if (!active && acc.role == Role::kAdmin) {
        auto others = OtherActiveAdmins(acc.id);
        if (!others.ok()) return others.status();
        if (*others == 0) {
          return Status::FailedPrecondition("the last active administrator cannot be deactivated");
        }
      }
      if (Status s = rows_->SetAccountActive(acc.id, active); !s.ok()) return s;
      return Audit(a, "-", action, "user:" + std::string(name), std::nullopt);
    });
  }

  Status SetUserRole(const Actor& actor, std::string_view name, Role role) override {
    return ChangeAccount(
        actor, name, "change_role", [&](const Actor& a, const Account& acc) -> Status {
          const std::string audited = "user:" + std::string(name);
          if (acc.role == role && !acc.awaiting) {
            // Back to the role it has: a change that waited is withdrawn.
            if (acc.pending_role.empty()) return Status::Ok();
            if (auto d = DropPending(acc.id, "role"); !d.ok()) return d.status();
            return Audit(a, "-", "change_role", audited, std::nullopt,
                         fmt::format("{} -> {} withdrawn", RoleId(acc.role), acc.pending_role));
          }
          if (IsCaseRole(role) && acc.units.empty()) {
            return Status::FailedPrecondition(
                "unit: caseworkers and supervisors belong to a unit (add one first)");
          }
          if (acc.role == Role::kAdmin && !acc.awaiting) {
            auto others = OtherActiveAdmins(acc.id);
            if (!others.ok()) return others.status();
            if (*others == 0) return Status::FailedPrecondition("the last administrator stays one");
          }
          if (auto d = DropPending(acc.id, "role"); !d.ok()) return d.status();
          if (NeedsSecondPerson(role) && !acc.awaiting) {
            auto bootstrap = FirstSupervisorOf(role, acc.units, acc.id);
            if (!bootstrap.ok()) return bootstrap.status();
            if (!*bootstrap) {
              if (Status s = RequestChange(acc.id, "role", RoleId(role), a.user_id); !s.ok())
                return s;
              return Audit(a, "-", "change_role", audited, std::nullopt,
                           fmt::format("{} -> {} (waits for a second person to confirm it)",
                                       RoleId(acc.role), RoleId(role)));
            }
            if (Status s = rows_->SetBootstrap(acc.id, NowUtc()); !s.ok()) return s;
          }
          // A new account that waits keeps waiting for a role that needs a second person; any
          // other role it gets at once.
          const bool still_awaiting = acc.awaiting && NeedsSecondPerson(role);
          if (Status s = rows_->SetAccountRole(acc.id, role, still_awaiting, a.user_id); !s.ok())
            return s;
          return Audit(a, "-", "change_role", audited, std::nullopt,
                       fmt::format("{} -> {}{}", RoleId(acc.role), RoleId(role),
                                   still_awaiting ? " (waits for a second person to confirm it)"
                                   : NeedsSecondPerson(role)
                                       ? " (the first supervisor of the unit: in effect at once)"
                                       : ""));
        });
  }

  Status SetUserUnit(const Actor& actor, std::string_view name, std::string_view unit,
                     bool member) override {
    if (Status st = CheckUnitId(unit); !st.ok()) return st;
    const std::string action = member ? "add_user_unit" : "remove_user_unit";
    return ChangeAccount(actor, name, action, [&](const Actor& a, const Account& acc) -> Status {
      if (Status u = RequireUnit(unit); !u.ok()) return u;
      const bool is_member = std::find(acc.units.begin(), acc.units.end(), unit) != acc.units.end();
      if (!member) {
        // A unit that waited for confirmation is withdrawn.
        auto withdrawn = DropPending(acc.id, "unit", unit);
        if (!withdrawn.ok()) return withdrawn.status();
        if (*withdrawn > 0 && !is_member) {
          return Audit(a, unit, action, "user:" + std::string(name), std::nullopt,
                       "withdrawn before confirmation");
        }
      }
      if (is_member == member) return Status::Ok();
      // A unit added to a supervisor (in effect) gives the reach to grant its protected cases:
      // a second person confirms it, unless the unit has no supervisor yet.
      if (member && acc.role == Role::kSupervisor && !acc.awaiting) {
        auto has = HasSupervisor(unit, acc.id);
        if (!has.ok()) return has.status();
        if (*has) {
          if (Status s = RequestChange(acc.id, "unit", unit, a.user_id); !s.ok()) return s;
          return Audit(a, unit, action, "user:" + std::string(name), std::nullopt,
                       "waits for a second person to confirm it");
        }
        if (Status s = rows_->SetBootstrap(acc.id, NowUtc()); !s.ok()) return s;
      }
      if (member) {
        if (Status s = rows_->AddAccountUnit(acc.id, unit); !s.ok()) return s;
      } else {
        if (IsCaseRole(acc.role) && acc.units.size() == 1) {
          return Status::FailedPrecondition(
              "unit: a caseworker or supervisor keeps at least one unit (add the new unit "
              "first)");
        }
        if (Status s = rows_->RemoveAccountUnit(acc.id, unit); !s.ok()) return s;
      }
      return Audit(a, unit, action, "user:" + std::string(name), std::nullopt);
    });
  }

  // ---------------------------------------------------------------- pinned instruments

  // Every installed version with the hash pinned for it ("" when none).
  Result<std::vector<InstrumentPinState>> PinStates() {
    // One read of the pins (every command's login asks, through UnpinnedInstruments).
    std::map<std::pair<std::string, std::string>, std::string> pinned;
    {
      auto pins = rows_->Pins();
      if (!pins.ok()) return pins.status();
      for (auto& pin : *pins) pinned[{pin.instrument_id, pin.version}] = pin.logic_sha256;
    }
    std::vector<InstrumentPinState> out;
    for (const auto& inst : registry_->versions()) {
      InstrumentPinState p;
      p.instrument_id = inst->id();
      p.version = inst->version();
      p.logic_sha256 = inst->logic_sha256();
      if (auto it = pinned.find({p.instrument_id, p.version}); it != pinned.end()) {
        p.pinned_logic_sha256 = it->second;
      }
      out.push_back(std::move(p));
    }
    return out;
  }

  // Pins every installed version not pinned yet (inside a write), as `by`; returns them.
  Result<std::vector<InstrumentPinState>> PinNew(const std::string& by) {
    auto states = PinStates();
    if (!states.ok()) return states.status();
    std::vector<InstrumentPinState> pinned;
    for (const InstrumentPinState& p : *states) {
      if (p.conflict()) {
        return Status::FailedPrecondition(fmt::format(
            "{} {}: the installed file's logic differs from the logic pinned for this version; "
            "a changed instrument needs a new version number",
            p.instrument_id, p.version));
      }
    }
    for (InstrumentPinState p : *states) {
      if (!p.pinned_logic_sha256.empty()) continue;
      if (Status st = rows_->InsertPin({p.instrument_id, p.version, p.logic_sha256}, by, NowUtc());
          !st.ok())
        return st;
      p.pinned_logic_sha256 = p.logic_sha256;
      pinned.push_back(std::move(p));
    }
    return pinned;
  }

  static std::string PinList(const std::vector<InstrumentPinState>& pins) {
    std::string list;
    for (const auto& p : pins)
      list += (list.empty() ? "" : ", ") + p.instrument_id + " " + p.version;
    return list;
  }

  // At creation, and at the first opening of a database made before pins existed: the
  // installed set is the accepted one (audited as "pin_instruments").
  Status PinInstalledAtStart(const std::string& user, std::optional<Role> role) {
    {
      // Read first: a database with pins (every one after its first opening) takes no write
      // lock here.
      auto any = rows_->AnyPin();
      if (!any.ok()) return any.status();
      if (*any) return Status::Ok();
    }
    return Write([&]() -> Status {
      auto any = rows_->AnyPin();
      if (!any.ok()) return any.status();
      if (*any) return Status::Ok();
      auto pinned = PinNew(user);
      if (!pinned.ok()) return pinned.status();
      return Audit(user, role, "-", "pin_instruments", "instruments", std::nullopt,
                   PinList(*pinned));
    });
  }

  Result<std::vector<InstrumentPinState>> UnpinnedInstruments(const Actor& actor) override {
    auto a = Resolve(actor, "instrument_pins");
    if (!a.ok()) return a.status();
    auto states = PinStates();
    if (!states.ok()) return states.status();
    std::vector<InstrumentPinState> out;
    for (auto& p : *states) {
      if (p.pinned_logic_sha256 != p.logic_sha256) out.push_back(std::move(p));
    }
    return out;
  }

  Result<std::vector<InstrumentPinState>> PinInstruments(const Actor& actor) override {
    auto a = Resolve(actor, "pin_instruments");
    if (!a.ok()) return a.status();
    if (a->role != Role::kAdmin) return Deny(*a, "-", "pin_instruments", "instruments");
    std::vector<InstrumentPinState> pinned;
    Status st = Write([&]() -> Status {
      auto p = PinNew(a->name);
      if (!p.ok()) return p.status();
      pinned = std::move(*p);
      if (pinned.empty()) return Status::Ok();
      return Audit(*a, "-", "pin_instruments", "instruments", std::nullopt, PinList(pinned));
    });
    if (!st.ok()) return st;
    return pinned;
  }

  bool LogicPinned(const std::string& id, const std::string& version, const std::string& hash) {
    auto pinned = rows_->LogicPinned({id, version, hash});
    return pinned.ok() && *pinned;
  }

  // ---------------------------------------------------------------- cases

  Result<std::int64_t> AddContact(const Actor& actor, const ContactInput& c) override {
    auto a = Resolve(actor, "add_contact");
    if (!a.ok()) return a.status();
    if (Status st = CheckUnitId(c.unit); !st.ok()) return st;
    if (!IsCaseRole(a->role) || !InUnit(*a, c.unit))
      return Deny(*a, c.unit, "add_contact", "contact");
    if (Status st = CheckCaseRef(c.case_ref); !st.ok()) return st;
    if (!ValidDate(c.contact_date))
      return Status::InvalidArgument("contact date: expected YYYY-MM-DD");
    if (!Vocab("routine_outcomes", c.outcome)) {
      return Status::InvalidArgument(
          "outcome: expected disclosed, not_disclosed, declined or not_asked");
    }
    const bool not_asked = c.outcome == "not_asked";
    if (not_asked != !c.not_asked_reason.empty()) {
      return Status::InvalidArgument(
          "not-asked reason: give one exactly when the question was not asked");
    }
    if (not_asked && !Vocab("not_asked_reasons", c.not_asked_reason)) {
      return Status::InvalidArgument("not-asked reason: not one of the reasons");
    }
    if (c.not_asked_reason == "other" && c.not_asked_note.empty()) {
      return Status::InvalidArgument("not-asked note: say why when the reason is 'other'");
    }
    if (Status st = FreeText("not-asked note", c.not_asked_note); !st.ok()) return st;
    for (const auto& t : c.violence_types) {
      if (!Vocab("violence_types", t))
        return Status::InvalidArgument("violence types: unknown type");
    }
    if (!c.violence_types.empty() && c.outcome != "disclosed") {
      return Status::InvalidArgument("violence types: recorded only with a disclosure");
    }
    std::int64_t contact_id = 0;
    Status st = Write([&]() -> Status {
      if (Status u = RequireUnit(c.unit); !u.ok()) return u;
      auto case_id = CaseIdCreating(c.unit, c.case_ref);
      if (!case_id.ok()) return case_id.status();
      ContactRow row;
      row.case_id = *case_id;
      row.unit = c.unit;
      row.contact_date = c.contact_date;
      row.outcome = c.outcome;
      if (not_asked) row.not_asked_reason = c.not_asked_reason;
      if (!c.not_asked_note.empty()) row.not_asked_note = c.not_asked_note;
      row.author_id = a->user_id;
      row.created_utc = NowUtc();
      row.created_local_date = Today();
      row.violence_types = c.violence_types;
      auto inserted = rows_->InsertContact(row);
      if (!inserted.ok()) return inserted.status();
      contact_id = *inserted;
      return Audit(*a, c.unit, "create", fmt::format("contact:{}", contact_id), *case_id);
    });
    if (!st.ok()) return st;
    return contact_id;
  }

  Status RequireUnit(std::string_view unit) {
    auto exists = rows_->UnitExists(unit);
    if (!exists.ok()) return exists.status();
    return *exists ? Status::Ok() : Status::NotFound("the unit does not exist");
  }

  Result<std::int64_t> AddSubject(const Actor& actor, const SubjectInput& s) override {
    auto a = Resolve(actor, "add_subject");
    if (!a.ok()) return a.status();
    if (Status st = CheckUnitId(s.unit); !st.ok()) return st;
    if (!IsCaseRole(a->role) || !InUnit(*a, s.unit))
      return Deny(*a, s.unit, "add_subject", "subject");
    if (Status st = CheckCaseRef(s.case_ref); !st.ok()) return st;
    if (!Vocab("subject_roles", s.role))
      return Status::InvalidArgument("role: expected adult_victim, child or perpetrator");
    if (!s.age_band.empty() && !Vocab("age_bands", s.age_band))
      return Status::InvalidArgument("age band: not one of the bands");
    for (const auto& g : s.vulnerable_groups) {
      if (!Vocab("vulnerable_groups", g))
        return Status::InvalidArgument("vulnerable group: unknown group");
    }
    std::int64_t id = 0;
    Status st = Write([&]() -> Status {
      if (Status u = RequireUnit(s.unit); !u.ok()) return u;
      // A person is added to a case an intake has opened (AddContact), and only one the
      // actor may see.
      auto case_id = VisibleCase(*a, s.unit, s.case_ref, "add_subject");
      if (!case_id.ok()) return case_id.status();
      SubjectRow row;
      row.case_id = *case_id;
      row.role = s.role;
      if (!s.age_band.empty()) row.age_band = s.age_band;
      row.protected_identity = s.protected_identity;
      row.created_utc = NowUtc();
      row.vulnerable_groups = s.vulnerable_groups;
      auto inserted = rows_->InsertSubject(row);
      if (!inserted.ok()) return inserted.status();
      id = *inserted;
      // The one who marks a subject protected keeps access to the case.
      if (s.protected_identity && !Granted(*case_id, a->user_id)) {
        if (Status r = rows_->PutGrant(*case_id, a->user_id, a->user_id,
                                       "registered the protected subject", NowUtc(), std::nullopt);
            !r.ok())
          return r;
      }
      return Audit(*a, s.unit, "create", fmt::format("subject:{}", id), *case_id);
    });
    if (!st.ok()) return st;
    return id;
  }

  Status Grant(const Actor& actor, std::string_view unit, std::string_view case_ref,
               std::string_view user, std::string_view reason, std::string_view until) override {
    auto a = Resolve(actor, "grant");
    if (!a.ok()) return a.status();
    // A supervisor of the unit grants; never to themselves.
    if (a->role != Role::kSupervisor || !InUnit(*a, unit) || a->name == user) {
      return Deny(*a, unit, "grant", "case");
    }
    if (reason.find_first_not_of(" \t") == std::string_view::npos) {
      return Status::InvalidArgument("reason: a grant needs a reason");
    }
    if (Status st = FreeText("reason", reason); !st.ok()) return st;
    if (!until.empty() && (!ValidDate(until) || std::string(until) < Today())) {
      return Status::InvalidArgument("until: expected a date YYYY-MM-DD, today or later");
    }
    auto case_id = FindCase(unit, case_ref);
    if (!case_id.ok()) return case_id.status();
    if (!*case_id) return Status::NotFound("no such case");
    std::int64_t user_id = 0;
    {
      auto account = rows_->AccountByName(user);
      if (!account.ok()) return account.status();
      if (!*account || !(*account)->active) return Status::NotFound("no such user");
      user_id = (*account)->id;
    }
    return Write([&] {
      // Granting again replaces the end date (and the reason) of an earlier grant.
      if (Status st =
              rows_->PutGrant(**case_id, user_id, a->user_id, reason, NowUtc(),
                              until.empty() ? std::optional<std::string>() : std::string(until));
          !st.ok())
        return st;
      return Audit(
          *a, unit, "grant", "user:" + std::string(user), **case_id,
          until.empty() ? std::string(reason) : fmt::format("{} (until {})", reason, until));
    });
  }

  Status RevokeGrant(const Actor& actor, std::string_view unit, std::string_view case_ref,
                     std::string_view user, std::string_view reason) override {
    auto a = Resolve(actor, "revoke_grant");
    if (!a.ok()) return a.status();
    if (a->role != Role::kSupervisor || !InUnit(*a, unit))
      return Deny(*a, unit, "revoke_grant", "case");
    if (reason.find_first_not_of(" \t") == std::string_view::npos) {
      return Status::InvalidArgument("reason: a revocation needs a reason");
    }
    if (Status st = FreeText("reason", reason); !st.ok()) return st;
    auto case_id = FindCase(unit, case_ref);
    if (!case_id.ok()) return case_id.status();
    if (!*case_id) return Status::NotFound("no such grant");
    return Write([&]() -> Status {
      auto account = rows_->AccountByName(user);
      if (!account.ok()) return account.status();
      if (!*account) return Status::NotFound("no such grant");
      auto removed = rows_->DeleteGrant(**case_id, (*account)->id);
      if (!removed.ok()) return removed.status();
      if (!*removed) return Status::NotFound("no such grant");
      return Audit(*a, unit, "revoke_grant", "user:" + std::string(user), **case_id,
                   std::string(reason));
    });
  }

  Result<std::vector<SubjectRecord>> Subjects(const Actor& actor, std::string_view unit,
                                              std::string_view case_ref) override {
    auto a = Resolve(actor, "subjects");
    if (!a.ok()) return a.status();
    if (!IsCaseRole(a->role) || !InUnit(*a, unit)) return Deny(*a, unit, "subjects", "case");
    auto case_id = VisibleCase(*a, unit, case_ref, "subjects");
    if (!case_id.ok()) return case_id.status();
    return rows_->SubjectsOf(*case_id);
  }

  // ---------------------------------------------------------------- assessments

  using Row = AssessmentRow;

  Result<Row> LoadRow(std::int64_t id) {
    auto row = rows_->AssessmentById(id);
    if (!row.ok()) return row.status();
    if (!*row) return Status::NotFound("no such assessment");
    return std::move(**row);
  }

  // Loads the row and checks the actor may see its case. An id the actor may not see answers
  // exactly as an id that does not exist: the same status and message, and both attempts
  // are audited as denied (one write each, so neither answers faster), so a protected case
  // or another unit's assessment does not reveal itself.
  Result<Row> VisibleRow(const Actor& a, std::int64_t id, const std::string& action) {
    auto row = LoadRow(id);
    if (!row.ok() && row.status().code() != StatusCode::kNotFound) return row.status();
    if (!row.ok() || !MaySeeCase(a, row->unit, row->case_id)) {
      (void)Deny(a, row.ok() ? row->unit : std::string(), action, fmt::format("assessment:{}", id),
                 row.ok() ? std::optional<std::int64_t>(row->case_id) : std::nullopt);
      return Status::NotFound("no such assessment");
    }
    return row;
  }

  // VisibleRow for changing a draft: only its owner (the author, or whom a supervisor
  // reassigned it to) edits, discards or submits it. A colleague or a supervisor of the unit
  // who may see the case is refused and audited, so nobody writes a caseworker's answers or
  // judgement unseen and then reviews them (four eyes).
  Result<Row> OwnDraftRow(const Actor& a, std::int64_t id, const std::string& action) {
    auto row = VisibleRow(a, id, action);
    if (!row.ok()) return row;
    if (row->owner_id != a.user_id) {
      (void)Deny(a, row->unit, action, fmt::format("assessment:{}", id), row->case_id);
      return Status::PermissionDenied(
          fmt::format("{}: only the owner of a draft (its author, or whom a supervisor "
                      "reassigned it to) changes or submits it",
                      action));
    }
    return row;
  }

  // Records that `user` took part in version `id` as `part` (once per part). With
  // `unless_author`, nothing is recorded for the version's author (whose part is known).
  Status Contributed(std::int64_t id, std::int64_t user, std::string_view part,
                     std::optional<std::int64_t> unless_author = std::nullopt) {
    if (unless_author && *unless_author == user) return Status::Ok();
    return rows_->AddContributor(id, user, part, NowUtc());
  }

  // A change of a version that holds only while its status is one of `from` (checked before
  // the write); `meanwhile` says what happened when it no longer is.
  Status ChangeChecked(std::int64_t id, AssessmentChange change, std::string_view meanwhile) {
    auto changed = rows_->ChangeAssessment(id, change);
    if (!changed.ok()) return changed.status();
    return *changed ? Status::Ok() : Status::FailedPrecondition(std::string(meanwhile));
  }

  Status ReassignDraft(const Actor& actor, std::int64_t id, std::string_view new_owner,
                       std::string_view reason) override {
    auto a = Resolve(actor, "reassign_draft");
    if (!a.ok()) return a.status();
    auto row = VisibleRow(*a, id, "reassign_draft");
    if (!row.ok()) return row.status();
    if (a->role != Role::kSupervisor) {
      return Deny(*a, row->unit, "reassign_draft", fmt::format("assessment:{}", id), row->case_id);
    }
    if (!IsEditable(row->status)) {
      return Status::FailedPrecondition("only a draft or a returned assessment is reassigned");
    }
    if (reason.find_first_not_of(" \t\r\n") == std::string_view::npos) {
      return Status::InvalidArgument("reason: a reassignment needs a reason");
    }
    if (Status st = FreeText("reason", reason); !st.ok()) return st;
    return Write([&]() -> Status {
      Actor target;
      {
        auto account = rows_->AccountByName(new_owner);
        if (!account.ok()) return account.status();
        if (!*account || !(*account)->active || (*account)->awaiting_confirmation) {
          return Status::NotFound("new owner: no such active user");
        }
        target.user_id = (*account)->id;
        target.name = (*account)->name;
        target.role = (*account)->role;
        auto units = rows_->UnitsOf(target.user_id);
        if (!units.ok()) return units.status();
        target.units = std::move(*units);
      }
      if (!MaySeeCase(target, row->unit, row->case_id)) {
        return Status::FailedPrecondition(
            "new owner: a caseworker or supervisor of the unit who may see the case (a "
            "protected case needs a grant first)");
      }
      if (target.user_id == row->owner_id) return Status::Ok();
      AssessmentChange change;
      change.from = {AssessmentStatus::kDraft, AssessmentStatus::kReturned};
      change.owner_id = target.user_id;
      if (Status s =
              ChangeChecked(id, change, "the assessment was submitted or discarded meanwhile");
          !s.ok())
        return s;
      if (Status s = Contributed(id, a->user_id, "reassigner"); !s.ok()) return s;
      if (Status s = Contributed(id, target.user_id, "owner"); !s.ok()) return s;
      return Audit(*a, row->unit, "reassign_draft", fmt::format("assessment:{}", id), row->case_id,
                   fmt::format("to {}: {}", target.name, reason));
    });
  }

  Status WriteIndexed(std::int64_t id, const v1::Result& r, std::string_view computed) {
    IndexedResult x;
    x.result = StoredBytes(r);
    if (!r.band().empty()) x.band = r.band();
    x.band_certain = r.band_certain();
    if (!computed.empty()) x.computed_level = std::string(computed);
    if (!r.final_level().empty()) x.final_level = r.final_level();
    x.overridden = r.overridden();
    if (r.override_direction() == v1::RAISED) x.override_direction = "raised";
    if (r.override_direction() == v1::LOWERED) x.override_direction = "lowered";
    x.complete = r.complete();
    x.updated_utc = NowUtc();
    x.flags.assign(r.flags().begin(), r.flags().end());
    x.recommendations.assign(r.recommendations().begin(), r.recommendations().end());
    return rows_->WriteResult(id, x);
  }

  Result<std::int64_t> CreateDraft(const Actor& actor, const AssessmentInput& in,
                                   const Session& session) override {
    auto a = Resolve(actor, "create_draft");
    if (!a.ok()) return a.status();
    if (Status st = CheckUnitId(in.unit); !st.ok()) return st;
    if (!IsCaseRole(a->role) || !InUnit(*a, in.unit))
      return Deny(*a, in.unit, "create_draft", "assessment");
    if (Status st = CheckCaseRef(in.case_ref); !st.ok()) return st;
    const Instrument& inst = session.instrument();
    if (!registry_->Find(inst.id(), inst.version())) {
      return Status::NotFound("the instrument version is not installed");
    }
    // An archived version is kept for what was made on it; new work uses the current one.
    if (registry_->IsArchived(inst.id(), inst.version())) {
      return Status::FailedPrecondition(
          fmt::format("{} {} is an earlier version kept for existing records; a new assessment "
                      "uses the current version {}",
                      inst.id(), inst.version(), registry_->Find(inst.id())->version()));
    }
    const std::string answers = StoredBytes(session.answers());
    std::int64_t id = 0;
    Status st = Write([&]() -> Status {
      if (Status u = RequireUnit(in.unit); !u.ok()) return u;
      // An assessment is made in a case an intake has opened (AddContact), and only in one
      // the actor may see.
      auto case_id = VisibleCase(*a, in.unit, in.case_ref, "create_draft");
      if (!case_id.ok()) return case_id.status();
      if (Status s = CheckLinks(*case_id, in.subject_id, in.contact_id); !s.ok()) return s;
      NewAssessment row;
      row.case_id = *case_id;
      row.subject_id = in.subject_id;
      row.contact_id = in.contact_id;
      row.unit = in.unit;
      row.author_id = a->user_id;
      row.instrument_id = inst.id();
      row.instrument_version = inst.version();
      row.logic_sha256 = inst.logic_sha256();
      row.text_sha256 = inst.TextSha256(in.lang);
      row.engine_version = EngineVersion();
      row.lang = std::string(inst.ResolveLanguage(in.lang));
      row.answers = answers;
      row.created_utc = NowUtc();
      auto inserted = rows_->InsertAssessment(row);
      if (!inserted.ok()) return inserted.status();
      id = *inserted;
      if (Status s = Contributed(id, a->user_id, "author"); !s.ok()) return s;
      return Audit(*a, in.unit, "create_draft", fmt::format("assessment:{}", id), *case_id,
                   inst.id());
    });
    if (!st.ok()) return st;
    return id;
  }

  Status CheckLinks(std::int64_t case_id, std::optional<std::int64_t> subject,
                    std::optional<std::int64_t> contact) {
    if (subject) {
      auto in = rows_->SubjectInCase(*subject, case_id);
      if (!in.ok()) return in.status();
      if (!*in) return Status::NotFound("no such subject in this case");
    }
    if (contact) {
      auto in = rows_->ContactInCase(*contact, case_id);
      if (!in.ok()) return in.status();
      if (!*in) return Status::NotFound("no such contact in this case");
    }
    return Status::Ok();
  }

  Status UpdateDraft(const Actor& actor, std::int64_t id, const Session& session) override {
    auto a = Resolve(actor, "update_draft");
    if (!a.ok()) return a.status();
    auto row = OwnDraftRow(*a, id, "update_draft");
    if (!row.ok()) return row.status();
    if (!IsEditable(row->status)) {
      return Status::FailedPrecondition("only a draft or a returned assessment can be edited");
    }
    if (session.instrument().id() != row->instrument_id ||
        session.instrument().version() != row->instrument_version) {
      return Status::InvalidArgument("the answers are for another instrument version");
    }
    const std::string answers = StoredBytes(session.answers());
    // Autosave: the draft is updated in place; only creation, submission and discarding
    // are audited (ARCHITECTURE.md). Editing a returned assessment makes it a draft again.
    return Write([&] {
      AssessmentChange change;
      change.from = {AssessmentStatus::kDraft, AssessmentStatus::kReturned};
      change.answers = answers;
      change.status = AssessmentStatus::kDraft;
      change.updated_utc = NowUtc();
      if (Status s =
              ChangeChecked(id, change, "the assessment was submitted or discarded meanwhile");
          !s.ok())
        return s;
      return Contributed(id, a->user_id, "editor", row->author_id);
    });
  }

  Status DiscardDraft(const Actor& actor, std::int64_t id) override {
    auto a = Resolve(actor, "discard_draft");
    if (!a.ok()) return a.status();
    auto row = OwnDraftRow(*a, id, "discard_draft");
    if (!row.ok()) return row.status();
    if (row->status != AssessmentStatus::kDraft)
      return Status::FailedPrecondition("only a draft can be discarded");
    return Write([&] {
      // Discarded drafts keep their row (the audit refers to it) but lose their answers.
      AssessmentChange change;
      change.from = {AssessmentStatus::kDraft};
      change.status = AssessmentStatus::kDiscarded;
      change.answers = std::string();
      change.updated_utc = NowUtc();
      if (Status st = ChangeChecked(id, change, "the draft was submitted or discarded meanwhile");
          !st.ok())
        return st;
      return Audit(*a, row->unit, "discard_draft", fmt::format("assessment:{}", id), row->case_id);
    });
  }

  // The session of a stored version, with the instrument it was made with.
  // `raw`, when given, receives the stored answers as read (to re-check inside a write that
  // they did not change meanwhile).
  Result<Session> LoadSession(std::int64_t id, const Row& row, std::string* raw = nullptr) {
    auto inst = registry_->Find(row.instrument_id, row.instrument_version);
    if (!inst)
      return Status::FailedPrecondition(
          "the instrument version of this assessment is not installed");
    if (inst->logic_sha256() != row.logic_sha256) {
      return Status::FailedPrecondition(
          "the installed instrument's logic differs from the one the assessment was made with");
    }
    auto stored = rows_->AnswersOf(id);
    if (!stored.ok()) return stored.status();
    if (!*stored) return Status::NotFound("no such assessment");
    const std::string& blob = **stored;
    v1::Answers answers;
    if (!answers.ParseFromString(blob)) return Status::Corruption("stored answers cannot be read");
    if (raw) *raw = blob;
    return Session::FromProto(inst, answers);
  }

  Status Submit(const Actor& actor, std::int64_t id) override {
    auto a = Resolve(actor, "submit");
    if (!a.ok()) return a.status();
    auto row = OwnDraftRow(*a, id, "submit");
    if (!row.ok()) return row.status();
    if (!IsEditable(row->status)) {
      return Status::FailedPrecondition("only a draft can be submitted");
    }
    std::string stored;
    auto session = LoadSession(id, *row, &stored);
    if (!session.ok()) return session.status();
    // Only logic this database accepts is submitted: a client cannot bring its own copy of an
    // instrument (same id and version, other rules).
    if (!LogicPinned(row->instrument_id, row->instrument_version, row->logic_sha256)) {
      return Status::FailedPrecondition(fmt::format(
          "{} {}: this logic is not accepted in this database (an administrator pins the "
          "installed versions with 'screening instruments pin')",
          row->instrument_id, row->instrument_version));
    }
    if (Status st = session->CheckFinishable(); !st.ok()) return st;
    EvaluateOptions options;
    options.lang = row->lang;
    auto result = Evaluate(*session, options);
    if (!result.ok()) return result.status();
    const std::string computed = ComputedLevel(*result);
    const std::string today = Today();
    return Write([&]() -> Status {
      // The answers evaluated above must be the ones submitted: the row may not have changed
      // since it was read (another window's autosave, a discard).
      AssessmentChange change;
      change.from = {AssessmentStatus::kDraft, AssessmentStatus::kReturned};
      change.answers_were = stored;
      change.status = AssessmentStatus::kSubmitted;
      change.submitted_utc = NowUtc();
      change.submitted_local_date = today;
      if (Status s = ChangeChecked(id, change, "the assessment changed meanwhile; open it again");
          !s.ok())
        return s;
      if (Status s = WriteIndexed(id, *result, computed); !s.ok()) return s;
      if (Status s = CreateDueItems(id, *row, session->instrument(), *result, today); !s.ok())
        return s;
      if (Status s = Contributed(id, a->user_id, "submitter", row->author_id); !s.ok()) return s;
      return Audit(*a, row->unit, "submit", fmt::format("assessment:{}", id), row->case_id);
    });
  }

  static std::string ComputedLevel(const v1::Result& r) {
    if (!r.band().empty()) return r.band();
    if (r.has_override() && r.overridden()) return "";  // SPJ: the judgement before override
    return r.final_level();
  }

  Status CreateDueItems(std::int64_t id, const Row& row, const Instrument& inst,
                        const v1::Result& r, const std::string& today) {
    // Due items are created once per assessment chain version; re-submission after a return
    // replaces the open ones.
    if (Status s = rows_->DeleteOpenDueItems(id); !s.ok()) return s;
    for (const auto& rec : inst.definition().recommendations()) {
      if (!rec.has_deadline() || std::find(r.recommendations().begin(), r.recommendations().end(),
                                           rec.id()) == r.recommendations().end()) {
        continue;
      }
      const auto& d = rec.deadline();
      std::optional<std::string> due;
      bool next_contact = false;
      switch (d.kind()) {
        case v1::WITHIN_DAYS:
        case v1::SAME_OR_NEXT_DAY:
          due = AddDays(today, d.days());
          break;
        case v1::WITHIN_MONTHS:
          due = AddMonths(today, d.months());
          break;
        case v1::NEXT_CONTACT:
          next_contact = true;
          break;
        default:
          continue;
      }
      // A step already marked done (before a return and re-submission) stays done.
      auto done = rows_->DueItemDone(id, rec.id());
      if (!done.ok()) return done.status();
      if (*done) continue;
      if (Status s = rows_->InsertDueItem(
              {id, row.case_id, row.unit, rec.id(), due, next_contact, NowUtc()});
          !s.ok())
        return s;
    }
    return Status::Ok();
  }

  Result<Row> ReviewableRow(const Actor& a, std::int64_t id, const std::string& action) {
    // An id in a case the actor may not see answers as one that does not exist.
    auto row = VisibleRow(a, id, action);
    if (!row.ok()) return row.status();
    if (a.role != Role::kSupervisor) {
      (void)Deny(a, row->unit, action, fmt::format("assessment:{}", id), row->case_id);
      return Status::PermissionDenied(fmt::format("{} is for a supervisor of the unit", action));
    }
    // Four eyes: nobody who took part in a version (wrote, edited, submitted, took over or
    // reassigned it; a supervisor may write or amend one) reviews it.
    bool contributed = row->author_id == a.user_id;
    if (!contributed) {
      auto took_part = rows_->HasContributed(id, a.user_id);
      if (!took_part.ok()) return took_part.status();
      contributed = *took_part;
    }
    if (contributed) {
      (void)Deny(a, row->unit, action, fmt::format("assessment:{}", id), row->case_id);
      return Status::PermissionDenied(fmt::format(
          "{}: another supervisor reviews an assessment one took part in (wrote, edited, "
          "submitted or reassigned)",
          action));
    }
    if (row->status != AssessmentStatus::kSubmitted) {
      return Status::FailedPrecondition("only a submitted assessment can be reviewed");
    }
    return row;
  }

  Status AddReview(const Row& row, const Actor& a, const std::string& decision,
                   std::string_view comment, const std::string& from = "",
                   const std::string& to = "") {
    // The assessment's instrument, unit and submission time go on the review for the
    // indicator counts (schema migration 4).
    ReviewRow r;
    r.assessment_id = row.id;
    r.reviewer_id = a.user_id;
    r.decision = decision;
    r.comment = std::string(comment);
    if (!from.empty()) r.level_from = from;
    if (!to.empty()) r.level_to = to;
    r.created_utc = NowUtc();
    r.instrument_id = row.instrument_id;
    r.unit = row.unit;
    r.submitted_utc = row.submitted_utc;
    return rows_->InsertReview(r);
  }

  Status Approve(const Actor& actor, std::int64_t id, std::string_view comment) override {
    auto a = Resolve(actor, "approve");
    if (!a.ok()) return a.status();
    auto row = ReviewableRow(*a, id, "approve");
    if (!row.ok()) return row.status();
    if (Status st = FreeText("comment", comment); !st.ok()) return st;
    return Write([&]() -> Status {
      AssessmentChange change;
      change.from = {AssessmentStatus::kSubmitted};
      change.status = AssessmentStatus::kApproved;
      change.approved_utc = NowUtc();
      change.approved_by = a->user_id;
      change.review_comment = std::string(comment);
      change.updated_utc = change.approved_utc;
      if (Status s = ChangeChecked(id, change, "the assessment was reviewed meanwhile"); !s.ok())
        return s;
      if (Status s = AddReview(*row, *a, "approved", comment); !s.ok()) return s;
      return Audit(*a, row->unit, "approve", fmt::format("assessment:{}", id), row->case_id);
    });
  }

  Status Return(const Actor& actor, std::int64_t id, std::string_view comment) override {
    auto a = Resolve(actor, "return");
    if (!a.ok()) return a.status();
    auto row = ReviewableRow(*a, id, "return");
    if (!row.ok()) return row.status();
    if (comment.find_first_not_of(" \t\r\n") == std::string_view::npos) {
      return Status::InvalidArgument("comment: say what needs to change");
    }
    if (Status st = FreeText("comment", comment); !st.ok()) return st;
    return Write([&]() -> Status {
      AssessmentChange change;
      change.from = {AssessmentStatus::kSubmitted};
      change.status = AssessmentStatus::kReturned;
      change.review_comment = std::string(comment);
      change.updated_utc = NowUtc();
      if (Status s = ChangeChecked(id, change, "the assessment was reviewed meanwhile"); !s.ok())
        return s;
      if (Status s = AddReview(*row, *a, "returned", comment); !s.ok()) return s;
      return Audit(*a, row->unit, "return", fmt::format("assessment:{}", id), row->case_id);
    });
  }

  Status ChangeLevel(const Actor& actor, std::int64_t id, std::string_view level,
                     std::string_view reason) override {
    auto a = Resolve(actor, "change_level");
    if (!a.ok()) return a.status();
    auto row = ReviewableRow(*a, id, "change_level");
    if (!row.ok()) return row.status();
    std::string stored;
    auto session = LoadSession(id, *row, &stored);
    if (!session.ok()) return session.status();
    EvaluateOptions options;
    options.lang = row->lang;
    auto before = Evaluate(*session, options);
    if (!before.ok()) return before.status();
    if (Status st = session->SetOverride(level, reason, v1::SUPERVISOR); !st.ok()) return st;
    auto result = Evaluate(*session, options);
    if (!result.ok()) return result.status();
    const std::string answers = StoredBytes(session->answers());
    const std::string computed = ComputedLevel(*before);
    return Write([&]() -> Status {
      AssessmentChange change;
      change.from = {AssessmentStatus::kSubmitted};
      change.answers_were = stored;
      change.answers = answers;
      if (Status s = ChangeChecked(id, change, "the assessment was reviewed meanwhile"); !s.ok())
        return s;
      if (Status s = WriteIndexed(id, *result, computed); !s.ok()) return s;
      if (Status s = AddReview(*row, *a, "level_changed", reason, before->final_level(),
                               result->final_level());
          !s.ok()) {
        return s;
      }
      return Audit(*a, row->unit, "change_level", fmt::format("assessment:{}", id), row->case_id,
                   std::string(reason));
    });
  }

  Result<std::int64_t> Amend(const Actor& actor, std::int64_t id, std::string_view reason,
                             const Session& session) override {
    auto a = Resolve(actor, "amend");
    if (!a.ok()) return a.status();
    auto row = VisibleRow(*a, id, "amend");
    if (!row.ok()) return row.status();
    if (row->status != AssessmentStatus::kApproved)
      return Status::FailedPrecondition("only an approved assessment is amended");
    if (reason.find_first_not_of(" \t\r\n") == std::string_view::npos) {
      return Status::InvalidArgument("reason: an amendment needs a reason");
    }
    if (Status st = FreeText("reason", reason); !st.ok()) return st;
    if (session.instrument().id() != row->instrument_id) {
      return Status::InvalidArgument("the amendment is for another instrument");
    }
    const Instrument& inst = session.instrument();
    const std::string answers = StoredBytes(session.answers());
    std::int64_t new_id = 0;
    Status st = Write([&]() -> Status {
      // One correction at a time: the newest version must be the approved one amended.
      auto chain = rows_->Chain(row->chain_id);
      if (!chain.ok()) return chain.status();
      if (chain->newest_id == 0) return Status::NotFound("no such assessment");
      if (chain->newest_id != id) {
        return Status::FailedPrecondition(
            "a newer version of this assessment exists; amend the newest one");
      }
      NewAssessment next;
      next.chain_id = row->chain_id;
      next.version = chain->max_version + 1;
      next.amends_id = id;
      next.amend_reason = std::string(reason);
      next.case_id = row->case_id;
      next.subject_id = row->subject_id;
      next.contact_id = row->contact_id;
      next.unit = row->unit;
      next.author_id = a->user_id;
      next.instrument_id = inst.id();
      next.instrument_version = inst.version();
      next.logic_sha256 = inst.logic_sha256();
      next.text_sha256 = inst.TextSha256(row->lang);
      next.engine_version = EngineVersion();
      next.lang = row->lang;
      next.answers = answers;
      next.created_utc = NowUtc();
      auto inserted = rows_->InsertAssessment(next);
      if (!inserted.ok()) return inserted.status();
      new_id = *inserted;
      if (Status s = Contributed(new_id, a->user_id, "author"); !s.ok()) return s;
      return Audit(*a, row->unit, "amend", fmt::format("assessment:{}", new_id), row->case_id,
                   std::string(reason));
    });
    if (!st.ok()) return st;
    return new_id;
  }

  Result<AssessmentRecord> ReadRecord(std::int64_t id) {
    auto stored = rows_->ReadAssessment(id);
    if (!stored.ok()) return stored.status();
    if (!*stored) return Status::NotFound("no such assessment");
    AssessmentRecord r = std::move((*stored)->record);
    if (!r.answers.ParseFromString((*stored)->answers))
      return Status::Corruption("stored answers cannot be read");
    if ((*stored)->result) {
      v1::Result result;
      if (!result.ParseFromString(*(*stored)->result))
        return Status::Corruption("a stored result cannot be read");
      r.result = std::move(result);
    }
    return r;
  }

  Result<AssessmentRecord> Get(const Actor& actor, std::int64_t id) override {
    auto a = Resolve(actor, "open");
    if (!a.ok()) return a.status();
    auto row = VisibleRow(*a, id, "open");
    if (!row.ok()) return row.status();
    auto record = ReadRecord(id);
    if (!record.ok()) return record;
    Status st = Write([&] {
      return Audit(*a, row->unit, "open", fmt::format("assessment:{}", id), row->case_id);
    });
    if (!st.ok()) return st;
    return record;
  }

  Result<std::vector<AssessmentRecord>> History(const Actor& actor, std::int64_t id) override {
    auto a = Resolve(actor, "history");
    if (!a.ok()) return a.status();
    auto row = VisibleRow(*a, id, "history");
    if (!row.ok()) return row.status();
    std::vector<AssessmentRecord> out;
    auto ids = rows_->ChainVersions(row->chain_id);
    if (!ids.ok()) return ids.status();
    for (auto v : *ids) {
      auto r = ReadRecord(v);
      if (!r.ok()) return r.status();
      out.push_back(std::move(*r));
    }
    Status w = Write([&] {
      return Audit(*a, row->unit, "open_history", fmt::format("assessment:{}", row->chain_id),
                   row->case_id);
    });
    if (!w.ok()) return w;
    return out;
  }

  Result<std::vector<ReviewEntry>> Reviews(const Actor& actor, std::int64_t id) override {
    auto a = Resolve(actor, "reviews");
    if (!a.ok()) return a.status();
    auto row = VisibleRow(*a, id, "reviews");
    if (!row.ok()) return row.status();
    return rows_->ReviewsOfChain(row->chain_id);
  }

  Result<std::vector<AssessmentSummary>> List(const Actor& actor, const ListFilter& f) override {
    auto a = Resolve(actor, "list");
    if (!a.ok()) return a.status();
    if (!IsCaseRole(a->role)) return Deny(*a, f.unit, "list", "assessments");
    if (!f.unit.empty() && !InUnit(*a, f.unit)) return Deny(*a, f.unit, "list", "assessments");
    // Protected cases appear only to users granted them.
    AssessmentQuery q;
    q.user_id = a->user_id;
    q.unit = f.unit;
    q.status = f.status;
    q.case_ref = f.case_ref;
    q.not_mine = f.not_mine;
    q.today = Today();
    q.limit = std::max(1, f.limit);
    return rows_->ListAssessments(q);
  }

  // ---------------------------------------------------------------- follow-up

  Result<std::vector<DueItem>> Due(const Actor& actor, bool overdue_only) override {
    auto a = Resolve(actor, "due");
    if (!a.ok()) return a.status();
    if (!IsCaseRole(a->role)) return Deny(*a, "-", "due", "due_items");
    const std::string today = Today();
    auto items = rows_->OpenDueItems(a->user_id, today, overdue_only);
    if (!items.ok()) return items.status();
    for (DueItem& d : *items) d.overdue = !d.due_date.empty() && d.due_date < today;
    return items;
  }

  Status MarkDone(const Actor& actor, std::int64_t due_item) override {
    auto a = Resolve(actor, "mark_done");
    if (!a.ok()) return a.status();
    auto item = rows_->DueItemById(due_item);
    if (!item.ok()) return item.status();
    if (!*item) return Status::NotFound("no such due item");
    const std::string unit = (*item)->unit;
    const std::int64_t case_id = (*item)->case_id;
    const bool done = (*item)->done;
    if (!MaySeeCase(*a, unit, case_id)) {
      (void)Deny(*a, unit, "mark_done", fmt::format("due_item:{}", due_item), case_id);
      return Status::NotFound("no such due item");
    }
    if (done) return Status::FailedPrecondition("the item is already done");
    return Write([&] {
      auto marked = rows_->MarkDueItemDone(due_item, NowUtc(), a->user_id);
      if (!marked.ok()) return marked.status();
      if (!*marked) return Status::FailedPrecondition("the item is already done");
      return Audit(*a, unit, "done", fmt::format("due_item:{}", due_item), case_id);
    });
  }

  Status RecordSupportGiven(const Actor& actor, std::string_view unit, std::string_view case_ref,
                            std::optional<std::int64_t> subject_id,
                            const std::vector<std::string>& resources) override {
    auto a = Resolve(actor, "support_given");
    if (!a.ok()) return a.status();
    if (!IsCaseRole(a->role) || !InUnit(*a, unit)) return Deny(*a, unit, "support_given", "case");
    if (resources.empty()) return Status::InvalidArgument("resources: name at least one resource");
    for (const auto& r : resources) {
      if (r.empty() || r.size() > 64 ||
          r.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos) {
        return Status::InvalidArgument("resources: expected resource ids");
      }
    }
    return Write([&]() -> Status {
      auto case_id = VisibleCase(*a, unit, case_ref, "support_given");
      if (!case_id.ok()) return case_id.status();
      // Information is counted per person (indicator definitions version 2): with more than
      // one person in the case, whom it was given to must be said; with one, it is that one.
      std::optional<std::int64_t> person = subject_id;
      if (!person) {
        auto people = rows_->SubjectsOf(*case_id);
        if (!people.ok()) return people.status();
        if (people->size() > 1) {
          return Status::InvalidArgument(
              "subject: the case has more than one person; name the person the information was "
              "given to");
        }
        if (people->size() == 1) person = people->front().id;
      }
      if (Status s = CheckLinks(*case_id, person, std::nullopt); !s.ok()) return s;
      for (const auto& r : resources) {
        if (Status s =
                rows_->InsertSupportGiven(*case_id, person, r, a->user_id, NowUtc(), Today());
            !s.ok())
          return s;
      }
      return Audit(*a, unit, "support_given", "case", *case_id);
    });
  }

  // ---------------------------------------------------------------- case-system numbers

  // Who may record and read a unit's case-system numbers: its supervisors, and coordinators
  // of it (or of every unit when they have none).
  static bool MayCountUnit(const Actor& a, std::string_view unit) {
    if (a.role == Role::kSupervisor) return InUnit(a, unit);
    if (a.role == Role::kCoordinator) return a.units.empty() || InUnit(a, unit);
    return false;
  }

  Status RecordCaseSystemContacts(const Actor& actor,
                                  const std::vector<CaseSystemCount>& counts) override {
    auto a = Resolve(actor, "case_system_contacts");
    if (!a.ok()) return a.status();
    if (a->role != Role::kSupervisor && a->role != Role::kCoordinator) {
      return Deny(*a, "-", "case_system_contacts", "counts");
    }
    if (counts.empty()) return Status::InvalidArgument("counts: give at least one number");
    std::set<std::pair<std::string, std::string>> seen;
    for (std::size_t i = 0; i < counts.size(); ++i) {
      const CaseSystemCount& c = counts[i];
      const std::string where = fmt::format("entry {}", i + 1);
      if (Status s = CheckUnitId(c.unit); !s.ok())
        return Status::InvalidArgument(where + ": " + s.message());
      if (c.month.size() != 7 || c.month[4] != '-' || !ValidDate(c.month + "-01")) {
        return Status::InvalidArgument(where + ": month: expected YYYY-MM");
      }
      if (c.contacts < 0 || c.contacts > 10'000'000) {
        return Status::InvalidArgument(where + ": contacts: expected 0..10000000");
      }
      if (!seen.emplace(c.unit, c.month).second) {
        return Status::InvalidArgument(where + ": the same unit and month twice");
      }
    }
    for (const CaseSystemCount& c : counts) {
      if (!MayCountUnit(*a, c.unit)) return Deny(*a, c.unit, "case_system_contacts", "counts");
    }
    return Write([&]() -> Status {
      for (std::size_t i = 0; i < counts.size(); ++i) {
        const CaseSystemCount& c = counts[i];
        auto exists = rows_->UnitExists(c.unit);
        if (!exists.ok()) return exists.status();
        if (!*exists) {
          return Status::InvalidArgument(fmt::format("entry {}: unit: no such unit", i + 1));
        }
        auto old = rows_->CaseSystemCountOf(c.unit, c.month);
        if (!old.ok()) return old.status();
        const std::string before = *old ? std::to_string(**old) : "-";
        if (Status s = rows_->PutCaseSystemCount(c.unit, c.month, c.contacts, a->user_id, NowUtc());
            !s.ok())
          return s;
        if (Status s = Audit(*a, c.unit, "case_system_contacts", "month:" + c.month, std::nullopt,
                             fmt::format("{} -> {}", before, c.contacts));
            !s.ok()) {
          return s;
        }
      }
      return Status::Ok();
    });
  }

  Result<std::vector<CaseSystemCount>> CaseSystemContacts(const Actor& actor,
                                                          std::string_view from_month,
                                                          std::string_view to_month) override {
    auto a = Resolve(actor, "case_system_contacts_read");
    if (!a.ok()) return a.status();
    if (a->role != Role::kSupervisor && a->role != Role::kCoordinator) {
      return Deny(*a, "-", "case_system_contacts_read", "counts");
    }
    for (std::string_view m : {from_month, to_month}) {
      if (m.size() != 7 || m[4] != '-' || !ValidDate(std::string(m) + "-01")) {
        return Status::InvalidArgument("month: expected YYYY-MM");
      }
    }
    auto counts = rows_->CaseSystemCounts(from_month, to_month);
    if (!counts.ok()) return counts.status();
    std::vector<CaseSystemCount> out;
    for (auto& c : *counts) {
      if (MayCountUnit(*a, c.unit)) out.push_back(std::move(c));
    }
    return out;
  }

  Result<std::string> Export(const Actor& actor, std::string_view unit,
                             std::string_view case_ref) override {
    auto a = Resolve(actor, "export");
    if (!a.ok()) return a.status();
    if (!IsCaseRole(a->role) || (!unit.empty() && !InUnit(*a, unit))) {
      return Deny(*a, unit.empty() ? "-" : unit, "export", "cases");
    }
    if (!case_ref.empty() && unit.empty())
      return Status::InvalidArgument("unit: name the unit of the case");
    // One case: a reference that does not exist and a protected case without a grant answer
    // alike (a protected case is left out below, even with a grant).
    if (!case_ref.empty()) {
      if (auto visible = VisibleCase(*a, unit, case_ref, "export"); !visible.ok())
        return visible.status();
    }
    // The cases: never one with a protected-identity subject, whatever the grants.
    auto listed = rows_->UnprotectedCases(a->user_id, unit, case_ref);
    if (!listed.ok()) return listed.status();
    const std::vector<CaseRow>& cases = *listed;
    if (!case_ref.empty() && cases.empty()) return Status::NotFound("no such case");
    nlohmann::ordered_json doc;
    doc["format"] = "screening-export";
    doc["format_version"] = 1;
    doc["exported_utc"] = NowUtc();
    doc["engine_version"] = EngineVersion();
    auto& out = doc["cases"] = nlohmann::ordered_json::array();
    for (const auto& c : cases) {
      nlohmann::ordered_json jc;
      jc["unit"] = c.unit;
      jc["case_ref"] = c.ref;
      auto& contacts = jc["contacts"] = nlohmann::ordered_json::array();
      {
        // By date (the note, free text, never leaves in an export).
        auto rows = rows_->ContactsOf(c.id);
        if (!rows.ok()) return rows.status();
        std::stable_sort(rows->begin(), rows->end(),
                         [](const auto& x, const auto& y) { return x.date < y.date; });
        for (const auto& row : *rows) {
          contacts.push_back({{"id", row.id},
                              {"date", row.date},
                              {"outcome", row.outcome},
                              {"not_asked_reason", row.not_asked_reason},
                              {"violence_types", row.violence_types}});
        }
      }
      auto& subjects = jc["subjects"] = nlohmann::ordered_json::array();
      {
        auto rows = rows_->SubjectsOf(c.id);
        if (!rows.ok()) return rows.status();
        for (const auto& row : *rows) {
          subjects.push_back({{"id", row.id}, {"role", row.role}, {"age_band", row.age_band}});
        }
      }
      // The newest submitted or approved version of each assessment.
      auto ids = rows_->NewestReviewedOfCase(c.id);
      if (!ids.ok()) return ids.status();
      auto& assessments = jc["assessments"] = nlohmann::ordered_json::array();
      for (auto id : *ids) {
        auto r = ReadRecord(id);
        if (!r.ok()) return r.status();
        StripFreeText(r->answers);
        nlohmann::ordered_json j = {{"id", r->chain_id},
                                    {"version", r->version},
                                    {"status", StatusId(r->status)},
                                    {"instrument", r->instrument_id},
                                    {"instrument_version", r->instrument_version},
                                    {"logic_sha256", r->logic_sha256},
                                    {"engine_version", r->engine_version},
                                    {"submitted_utc", r->submitted_utc},
                                    {"approved_utc", r->approved_utc}};
        if (r->subject_id) j["subject_id"] = *r->subject_id;
        j["answers"] = nlohmann::json::parse(AnswersToJson(r->answers));
        if (r->result) {
          StripFreeText(*r->result);
          j["result"] = nlohmann::json::parse(ResultToJson(*r->result));
        }
        assessments.push_back(std::move(j));
      }
      out.push_back(std::move(jc));
    }
    Status st = Write([&] {
      return Audit(*a, unit.empty() ? "-" : unit, "export", fmt::format("cases:{}", cases.size()),
                   cases.size() == 1 ? std::optional<std::int64_t>(cases[0].id) : std::nullopt);
    });
    if (!st.ok()) return st;
    return doc.dump(2) + "\n";
  }

  Result<std::string> CaseExtract(const Actor& actor, std::string_view unit,
                                  std::string_view case_ref, std::string_view reason) override {
    auto a = Resolve(actor, "case_extract");
    if (!a.ok()) return a.status();
    if (a->role != Role::kSupervisor || !InUnit(*a, unit))
      return Deny(*a, unit, "case_extract", "case");
    if (reason.find_first_not_of(" \t\r\n") == std::string_view::npos) {
      return Status::InvalidArgument("reason: an extract needs a reason (the request it answers)");
    }
    if (Status st = FreeText("reason", reason); !st.ok()) return st;
    auto case_id = VisibleCase(*a, unit, case_ref, "case_extract");
    if (!case_id.ok()) return case_id.status();
    nlohmann::ordered_json doc;
    doc["unit"] = std::string(unit);
    doc["case_ref"] = std::string(case_ref);
    doc["extracted_utc"] = NowUtc();
    auto& contacts = doc["contacts"] = nlohmann::ordered_json::array();
    {
      auto rows = rows_->ContactsOf(*case_id);
      if (!rows.ok()) return rows.status();
      for (const auto& row : *rows) {
        contacts.push_back({{"id", row.id},
                            {"date", row.date},
                            {"outcome", row.outcome},
                            {"not_asked_reason", row.not_asked_reason},
                            {"not_asked_note", row.not_asked_note},
                            {"violence_types", row.violence_types}});
      }
    }
    auto& subjects = doc["subjects"] = nlohmann::ordered_json::array();
    {
      auto rows = rows_->SubjectsOf(*case_id);
      if (!rows.ok()) return rows.status();
      for (const auto& row : *rows) {
        auto groups = rows_->GroupsOf(row.id);
        if (!groups.ok()) return groups.status();
        subjects.push_back({{"id", row.id},
                            {"role", row.role},
                            {"age_band", row.age_band},
                            {"protected_identity", row.protected_identity},
                            {"vulnerable_groups", *groups}});
      }
    }
    auto& assessments = doc["assessments"] = nlohmann::ordered_json::array();
    {
      auto ids = rows_->CaseAssessments(*case_id);
      if (!ids.ok()) return ids.status();
      for (auto id : *ids) {
        auto r = ReadRecord(id);
        if (!r.ok()) return r.status();
        nlohmann::ordered_json j = {{"id", r->id},
                                    {"version", r->version},
                                    {"status", StatusId(r->status)},
                                    {"instrument", r->instrument_id + "@" + r->instrument_version},
                                    {"author", r->author},
                                    {"created_utc", r->created_utc}};
        j["answers"] = nlohmann::json::parse(AnswersToJson(r->answers));
        if (r->result) j["result"] = nlohmann::json::parse(ResultToJson(*r->result));
        assessments.push_back(std::move(j));
      }
    }
    Status st = Write(
        [&] { return Audit(*a, unit, "case_extract", "case", *case_id, std::string(reason)); });
    if (!st.ok()) return st;
    return doc.dump(2);
  }

  // ---------------------------------------------------------------- audit and maintenance

  Result<AuditVerification> VerifyChain(const std::optional<AuditAnchor>& anchor) {
    auto report = rows_->VerifyAuditChain(anchor);
    if (!report.ok()) return report.status();
    auto head = rows_->AuditHead();
    if (!head.ok()) return head.status();
    AuditVerification v;
    v.ok = report->ok;
    v.events = report->events;
    v.first_bad_seq = report->first_bad_seq;
    v.problem = report->problem;
    v.head_seq = head->last_seq;
    v.head_mac = head->last_mac_hex;
    return v;
  }

  Result<AuditVerification> VerifyAudit(const Actor& actor) override {
    auto a = Resolve(actor, "audit_verify");
    if (!a.ok()) return a.status();
    if (a->role != Role::kAdmin) return Deny(*a, "-", "audit_verify", "audit");
    auto v = VerifyChain(std::nullopt);
    if (!v.ok()) return v;
    Status st = Bookkeeping([&] { return Audit(*a, "-", "audit_verify", "audit", std::nullopt); });
    if (!st.ok()) return st;
    return v;
  }

  Result<std::vector<AuditEntry>> AuditLog(const Actor& actor, std::string_view unit,
                                           std::string_view case_ref) override {
    auto a = Resolve(actor, "audit_log");
    if (!a.ok()) return a.status();
    // The administrator reads everything; a supervisor the events of one of their own units
    // (sample checks of who looked), never those of a protected case they have no grant to.
    const bool admin = a->role == Role::kAdmin;
    const bool supervisor = a->role == Role::kSupervisor && !unit.empty() && InUnit(*a, unit);
    if (!admin && !supervisor) return Deny(*a, unit, "audit_log", "audit");
    std::optional<std::int64_t> case_id;
    if (!case_ref.empty() && admin) {
      auto found = FindCase(unit, case_ref);
      if (!found.ok()) return found.status();
      if (!*found) return Status::NotFound("no such case");
      case_id = *found;
    } else if (!case_ref.empty()) {
      auto found = VisibleCase(*a, unit, case_ref, "audit_log");
      if (!found.ok()) return found.status();
      case_id = *found;
    }
    // A supervisor does not see the events of a protected case without a grant.
    auto entries = rows_->AuditEntries(case_id, unit, admin ? 0 : a->user_id, Today());
    if (!entries.ok()) return entries.status();
    std::vector<AuditEntry>& out = *entries;
    Status w =
        Write([&] { return Audit(*a, unit, "audit_log", case_id ? "case" : "audit", case_id); });
    if (!w.ok()) return w;
    return out;
  }

  Result<AuditVerification> Check(const Actor& actor) override {
    auto a = Resolve(actor, "check");
    if (!a.ok()) return a.status();
    if (a->role != Role::kAdmin) return Deny(*a, "-", "check", "database");
    if (Status damaged = rows_->CheckIntegrity(); !damaged.ok()) return damaged;
    auto v = VerifyChain(std::nullopt);
    if (!v.ok()) return v;
    Status st = Bookkeeping([&] { return Audit(*a, "-", "check", "database", std::nullopt); });
    if (!st.ok()) return st;
    return v;
  }

  Status Backup(const Actor& actor, const fs::path& out, std::string_view passphrase,
                const fs::path& key_file, const BackupOptions& options) override {
    auto a = Resolve(actor, "backup");
    if (!a.ok()) return a.status();
    if (a->role != Role::kAdmin) return Deny(*a, "-", "backup", "database");
    // A backup whose chain does not verify would be refused by every restore: say so now,
    // while the database is still there to look into, unless told to back it up anyway.
    auto chain = rows_->VerifyAuditChain(std::nullopt);
    if (!chain.ok()) return chain.status();
    BackupManifest manifest;
    if (!chain->ok) {
      if (!options.allow_broken_chain) {
        return Status::Corruption(fmt::format(
            "the audit chain is broken at event {} ({}), so a backup of it would not restore; "
            "find out why (audit verify, audit log), or back it up anyway marked as carrying a "
            "broken chain (allow_broken_chain, the CLI's --allow-broken-chain)",
            chain->first_bad_seq, chain->problem));
      }
      manifest.broken_chain_at = chain->first_bad_seq;
    }
    // The backup's own event comes first, so the anchor inside the backup includes it.
    const std::string reason = manifest.broken_chain_at != 0
                                   ? fmt::format("broken_chain_at={}", manifest.broken_chain_at)
                                   : std::string();
    if (Status st =
            Write([&] { return Audit(*a, "-", "backup", "database", std::nullopt, reason); });
        !st.ok()) {
      return st;
    }
    auto head = rows_->AuditHead();
    if (!head.ok()) return head.status();
    manifest.anchor = *head;
    BackupSecret secret;
    secret.passphrase = std::string(passphrase);
    secret.key_file = key_file;
    return rows_->WriteBackup(manifest, secret, out);
  }

 private:
  std::shared_ptr<const Registry> registry_;
  StoreOptions options_;
  AuditKey key_;
  std::shared_ptr<const Clock> clock_;
  std::unique_ptr<Backend> rows_;            // the rows and transactions (store/backend.h)
  std::string dummy_hash_;                   // DummyHash()
  std::vector<AuditEvent> pending_denials_;  // AuditDenial: written after the write
};

}  // namespace

bool ValidUserName(std::string_view name) {
  return !name.empty() && name.size() <= 64 &&
         name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789._-") ==
             std::string_view::npos;
}

PasswordCost CostOf(int c) {
  return c <= 0   ? PasswordCost::kMinimal
         : c == 1 ? PasswordCost::kInteractive
                  : PasswordCost::kModerate;
}

std::int64_t SystemNowUnix() { return SystemClockImpl().NowUnix(); }

Result<std::unique_ptr<Store>> MakeCaseService(std::unique_ptr<Backend> rows,
                                               std::shared_ptr<const Registry> registry,
                                               StoreOptions options, AuditKey key,
                                               const NewDatabase* init) {
  const bool read_only = options.read_only;
  auto service = std::make_unique<CaseService>(std::move(rows), std::move(registry),
                                               std::move(options), std::move(key));
  if (init) {
    if (Status st = service->Initialize(*init); !st.ok()) return st;
  } else if (!read_only) {
    // A database made before instruments were pinned accepts the set installed when it is
    // first opened by this version (audited as by "-").
    if (Status st = service->PinInstalledAtStart("-", std::nullopt); !st.ok()) return st;
  }
  return std::unique_ptr<Store>(std::move(service));
}

}  // namespace screening::internal
