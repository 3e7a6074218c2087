// The embedded SQLite implementation of the case store.
//
// Every write is one BEGIN IMMEDIATE transaction holding the change, its indexed columns
// and its audit event, so a crash leaves either all of it or none. Access checks come
// first in every operation and denied attempts are audited in a transaction of their own.
#include <screening/store.h>

#include <fmt/format.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <pwd.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <set>
#include <thread>

#include <screening/json.h>
#include <screening/version.h>

#include <nlohmann/json.hpp>

#include "engine/text_rules.h"
#include "store/case_ref.h"
#include "store/intake.h"
#include "store/local_time.h"
#include "store/network_fs.h"
#include "store/passwords.h"
#include "store/sqlite/audit.h"
#include "store/sqlite/backup.h"
#include "store/sqlite/indicators_sqlite.h"
#include "store/sqlite/schema.h"
#include "store/sqlite/sql.h"

namespace screening {

namespace fs = std::filesystem;
using internal::Exec;
using internal::Stmt;

namespace {

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

class SystemClock : public Clock {
 public:
  std::int64_t NowUnix() const override {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

const std::set<std::string> kRoles = {"caseworker", "supervisor", "coordinator", "admin"};

bool IsCaseRole(const std::string& role) { return role == "caseworker" || role == "supervisor"; }

// The free-text rule of answers (engine/text_rules.h) for text the store keeps itself: case
// references, notes, comments and reasons. `field` names it; the text is never quoted.
Status FreeText(std::string_view field, std::string_view text) {
  if (Status st = internal::CheckFreeText(text); !st.ok()) {
    return Status::InvalidArgument(fmt::format("{}: {}", field, st.message()));
  }
  return Status::Ok();
}

internal::PasswordCost Cost(int c) {
  return c <= 0   ? internal::PasswordCost::kMinimal
         : c == 1 ? internal::PasswordCost::kInteractive
                  : internal::PasswordCost::kModerate;
}

// A key-check value stored in the database, HMAC(key, fixed label): a wrong audit key is
// detected at open instead of as a "tampered" chain.
std::string KeyCheck(const internal::AuditKey& key) {
  static constexpr std::string_view kLabel = "screening audit key check v1";
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256(mac, reinterpret_cast<const unsigned char*>(kLabel.data()), kLabel.size(),
                         key.data());
  char hex[sizeof mac * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  return hex;
}

bool ValidUserName(std::string_view name) {
  return !name.empty() && name.size() <= 64 &&
         name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789._-") ==
             std::string_view::npos;
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

}  // namespace

fs::path DefaultAuditKeyPath() {
  if (const char* env = std::getenv("SCREENING_AUDIT_KEY"); env && *env) return env;
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  fs::path base = xdg && *xdg
                      ? fs::path(xdg)
                      : fs::path(std::getenv("HOME") ? std::getenv("HOME") : ".") / ".config";
  return base / "screening" / "audit.key";
}

fs::path DefaultDatabasePath() {
  if (const char* env = std::getenv("SCREENING_DB"); env && *env) return env;
  const char* xdg = std::getenv("XDG_DATA_HOME");
  fs::path base =
      xdg && *xdg ? fs::path(xdg)
                  : fs::path(std::getenv("HOME") ? std::getenv("HOME") : ".") / ".local" / "share";
  return base / "screening" / "screening.db";
}

class SqliteStore : public Store {
 public:
  SqliteStore(sqlite3* db, fs::path path, std::shared_ptr<const Registry> registry,
              StoreOptions options, internal::AuditKey key)
      : db_(db),
        path_(std::move(path)),
        registry_(std::move(registry)),
        options_(std::move(options)),
        key_(std::move(key)),
        clock_(options_.clock ? options_.clock : std::make_shared<SystemClock>()) {}
  ~SqliteStore() override { sqlite3_close_v2(db_); }

  // ---------------------------------------------------------------- plumbing

  std::string NowUtc() const { return internal::FormatUtc(clock_->NowUnix()); }
  std::string Today() const { return internal::SwedishLocalDate(clock_->NowUnix()); }

  // Runs `fn` in one BEGIN IMMEDIATE transaction; commits when it returns ok. A busy
  // database is retried until the busy timeout, then reported.
  Status Write(const std::function<Status()>& fn) {
    if (options_.read_only) return ReadOnlyRefusal();
    if (in_bulk_) {
      // Part of the bulk transaction; a savepoint keeps a failed operation from leaving
      // half of itself behind while the others stay.
      if (Status sp = Exec(db_, "SAVEPOINT op", "starting a save"); !sp.ok()) return sp;
      Status st = fn();
      if (!st.ok()) (void)Exec(db_, "ROLLBACK TO op", "undoing a failed save");
      Status rel = Exec(db_, "RELEASE op", "ending a save");
      return st.ok() ? rel : st;
    }
    Status begin = BeginImmediate();
    if (!begin.ok()) return begin;
    ++write_depth_;
    Status st = fn();
    --write_depth_;
    if (st.ok()) st = Exec(db_, "COMMIT", "committing");
    if (!st.ok()) (void)Exec(db_, "ROLLBACK", "rolling back");
    FlushDenials();
    return st;
  }

  Result<IndicatorReport> Indicators(const Actor& actor, const IndicatorRequest& request) override {
    internal::IndicatorStoreContext ctx;
    ctx.db = db_;
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
    return internal::CountIndicators(ctx, actor, request);
  }

  // The writes that only keep account of a read (its audit event, login bookkeeping): on a
  // read-only store (StoreOptions::read_only) they are left out, as the file must not change.
  Status Bookkeeping(const std::function<Status()>& fn) {
    return options_.read_only ? Status::Ok() : Write(fn);
  }

  static Status ReadOnlyRefusal() {
    return Status::FailedPrecondition("the database is open read-only; nothing can be changed");
  }

  Status Bulk(const std::function<Status()>& fn) override {
    if (options_.read_only) return ReadOnlyRefusal();
    if (in_bulk_) return Status::FailedPrecondition("bulk mode does not nest");
    Status begin = BeginImmediate();
    if (!begin.ok()) return begin;
    in_bulk_ = true;
    Status st = fn();
    in_bulk_ = false;
    if (st.ok()) st = Exec(db_, "COMMIT", "committing");
    if (!st.ok()) (void)Exec(db_, "ROLLBACK", "rolling back");
    FlushDenials();
    return st;
  }

  Result<IntakeRecorded> RecordIntake(const Actor& actor, const IntakeInput& input,
                                      const Session& routine) override {
    return internal::RecordIntake(*this, actor, input, routine);
  }

  Status BeginImmediate() {
    // A read still open here would make the write fail with SQLITE_BUSY_SNAPSHOT as soon as
    // another process writes: a programming error, caught in tests.
    if (internal::AnyStatementOpen(db_)) {
      return Status::Internal("a read is still open when a write begins");
    }
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.busy_timeout_ms);
    for (;;) {
      Status st = Exec(db_, "BEGIN IMMEDIATE", "starting a write");
      if (st.code() != StatusCode::kBusy) return st;
      if (std::chrono::steady_clock::now() > deadline) {
        return Status::Busy("the database is busy (another program is writing); try again");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  internal::AuditEvent Event(const std::string& user, const std::string& role,
                             const std::string& unit, const std::string& action,
                             const std::string& object, std::optional<std::int64_t> case_id,
                             const std::string& reason = "") {
    return internal::AuditEvent{NowUtc(),
                                user.empty() ? "-" : user,
                                role.empty() ? "-" : role,
                                unit.empty() ? "-" : unit,
                                action,
                                object,
                                case_id,
                                reason};
  }
  Status Audit(const std::string& user, const std::string& role, const std::string& unit,
               const std::string& action, const std::string& object,
               std::optional<std::int64_t> case_id, const std::string& reason = "") {
    return internal::AppendAudit(db_, key_,
                                 Event(user, role, unit, action, object, case_id, reason));
  }

  // A denied attempt is audited in a transaction of its own, never inside the write that
  // fails: one found inside a write or a bulk (intake, assess) waits until that has ended,
  // committed or rolled back, and is written then. A read-only store audits nothing.
  void AuditDenial(internal::AuditEvent event) {
    if (options_.read_only) return;
    pending_denials_.push_back(std::move(event));
    if (!in_bulk_ && write_depth_ == 0) FlushDenials();
  }
  void FlushDenials() {
    if (pending_denials_.empty() || in_bulk_ || write_depth_ > 0) return;
    std::vector<internal::AuditEvent> events;
    events.swap(pending_denials_);
    (void)Write([&]() -> Status {
      for (const auto& e : events) {
        if (Status s = internal::AppendAudit(db_, key_, e); !s.ok()) return s;
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

  // Runs an UPDATE whose WHERE re-checks, inside the write, the state that was checked
  // before it (status, done): when another writer changed the row meanwhile, no row matches
  // and nothing further is written.
  Status RunChanging(Stmt& up, std::string_view changed_meanwhile) {
    if (Status s = up.Run(); !s.ok()) return s;
    if (sqlite3_changes(db_) == 0)
      return Status::FailedPrecondition(std::string(changed_meanwhile));
    return Status::Ok();
  }

  // Re-reads the actor's account: role, units, active. Unknown or inactive: no access.
  // An unknown or deactivated account is refused, and the attempt audited under the name
  // it gave, with `action` naming the operation.
  Result<Actor> Resolve(const Actor& a, std::string_view action) {
    Actor out;
    out.user_id = a.user_id;
    bool known = false;
    bool awaiting = false;
    {
      Stmt st(db_,
              "SELECT name, role, active, must_change_password, awaiting_confirmation FROM users "
              "WHERE id = ?1");
      st.Bind(1, a.user_id);
      if (st.Step()) {
        known = st.Int(2) != 0 && st.Text(0) == a.name;
        out.name = st.Text(0);
        out.role = st.Text(1);
        out.must_change_password = st.Int(3) != 0;
        awaiting = st.Int(4) != 0;
      } else if (!st.status().ok()) {
        return st.status();
      }
    }
    if (!known) {
      AuditDenial(
          Event(a.name, "-", "-", "denied:" + std::string(action), "account", std::nullopt));
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
    Stmt units(db_, "SELECT unit_id FROM user_units WHERE user_id = ?1 ORDER BY unit_id");
    units.Bind(1, a.user_id);
    while (units.Step()) out.units.push_back(units.Text(0));
    if (!units.status().ok()) return units.status();
    return out;
  }

  static bool InUnit(const Actor& a, std::string_view unit) {
    return std::find(a.units.begin(), a.units.end(), unit) != a.units.end();
  }

  Result<std::optional<std::int64_t>> FindCase(std::string_view unit, std::string_view ref) {
    Stmt st(db_, "SELECT id FROM cases WHERE unit_id = ?1 AND case_ref = ?2");
    st.Bind(1, unit).Bind(2, ref);
    if (st.Step()) return std::optional<std::int64_t>(st.Int(0));
    if (!st.status().ok()) return st.status();
    return std::optional<std::int64_t>();
  }

  // The case `ref` of `unit`, made when there is none: only AddContact (the intake) opens a
  // case.
  Result<std::int64_t> CaseIdCreating(std::string_view unit, std::string_view ref) {
    auto found = FindCase(unit, ref);
    if (!found.ok()) return found.status();
    if (*found) return **found;
    if (Status st = FreeText("case reference", ref); !st.ok()) return st;
    Stmt ins(db_, "INSERT INTO cases (unit_id, case_ref, created_utc) VALUES (?1, ?2, ?3)");
    ins.Bind(1, unit).Bind(2, ref).Bind(3, NowUtc());
    if (Status st = ins.Run(); !st.ok()) return st;
    return sqlite3_last_insert_rowid(db_);
  }

  bool CaseProtected(std::int64_t case_id) {
    Stmt st(db_, "SELECT 1 FROM subjects WHERE case_id = ?1 AND protected_identity = 1 LIMIT 1");
    st.Bind(1, case_id);
    return st.Step();
  }

  bool Granted(std::int64_t case_id, std::int64_t user_id) {
    // A grant with an end date holds up to and including that (Swedish) date.
    Stmt st(db_,
            "SELECT 1 FROM grants WHERE case_id = ?1 AND user_id = ?2 "
            "AND (until_date IS NULL OR until_date >= ?3)");
    st.Bind(1, case_id).Bind(2, user_id).Bind(3, Today());
    return st.Step();
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
    std::optional<std::int64_t> found;
    bool visible = false;
    {
      Stmt st(db_,
              "SELECT c.id, NOT EXISTS (SELECT 1 FROM subjects s WHERE s.case_id = c.id AND "
              "s.protected_identity = 1) OR EXISTS (SELECT 1 FROM grants g WHERE g.case_id = c.id "
              "AND g.user_id = ?3 AND (g.until_date IS NULL OR g.until_date >= ?4)) "
              "FROM cases c WHERE c.unit_id = ?1 AND c.case_ref = ?2");
      st.Bind(1, unit).Bind(2, ref).Bind(3, a.user_id).Bind(4, Today());
      if (st.Step()) {
        found = st.Int(0);
        visible = st.Int(1) != 0;
      } else if (!st.status().ok()) {
        return st.status();
      }
    }  // no read stays open: the denial below may write at once
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
  static Status CheckCaseRef(std::string_view ref) { return internal::CheckCaseReference(ref); }

  bool Vocab(std::string_view list, std::string_view id) const {
    return registry_->vocabulary()->Contains(list, id);
  }

  // ---------------------------------------------------------------- accounts

  // Failed logins are counted per source of the attempt and name (login_throttle): failures
  // from one source never lock out the same name from another, and the lock is capped
  // (internal::LockSeconds), so nobody can keep another's account locked. The name is kept
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
    Stmt up(db_,
            "INSERT INTO login_throttle (source, name_key, failures) VALUES (?1, ?2, 1) "
            "ON CONFLICT (source, name_key) DO UPDATE SET failures = failures + 1 "
            "RETURNING failures");
    up.Bind(1, source).Bind(2, name_key);
    if (!up.Step()) return up.status().ok() ? Status::Internal("no failure count") : up.status();
    const int failed = static_cast<int>(up.Int(0));
    if (Status s = up.Run(); !s.ok()) return s;
    const std::int64_t lock = internal::LockSeconds(failed);
    if (lock == 0) return Status::Ok();
    Stmt lk(db_,
            "UPDATE login_throttle SET locked_until_utc = ?1 WHERE source = ?2 AND name_key = ?3");
    lk.Bind(1, internal::FormatUtc(clock_->NowUnix() + lock)).Bind(2, source).Bind(3, name_key);
    return lk.Run();
  }

  using Store::Login;
  Result<Actor> Login(std::string_view user, std::string_view password,
                      const LoginContext& context) override {
    const std::string name(user);
    const std::string source = SourceOf(context);
    const std::string name_key = ThrottleKey(name);
    const std::string denied = "login refused (unknown user, wrong password or locked account)";
    // Throttled before the account is looked at: an unknown name is throttled like a known one.
    std::optional<std::string> locked_until;
    {
      Stmt th(db_,
              "SELECT locked_until_utc FROM login_throttle WHERE source = ?1 AND name_key = ?2");
      th.Bind(1, source).Bind(2, name_key);
      if (th.Step()) locked_until = th.OptText(0);
      if (!th.status().ok()) return th.status();
    }
    Stmt st(db_, "SELECT id, role, password_hash, active FROM users WHERE name = ?1");
    st.Bind(1, user);
    const bool found = st.Step();
    if (!st.status().ok()) return st.status();
    const bool known = found && st.Int(3) != 0 && !st.IsNull(2);
    const std::int64_t id = known ? st.Int(0) : 0;
    const std::string role = known ? st.Text(1) : "-";
    const std::string hash = known ? st.Text(2) : std::string();
    st.Reset();  // no read may stay open across the writes below
    // Audited under the name only when it is an account's (never a mistyped password).
    const std::string who = known ? name : "-";
    const std::string object = known ? "user:" + name : "user";
    if (locked_until && *locked_until > NowUtc()) {
      // As long as a real check, so the answer does not say whether the name exists.
      (void)internal::VerifyPassword(DummyHash(), password);
      (void)Write(
          [&] { return Audit(who, role, "-", "login_locked", object, std::nullopt, source); });
      return Status::PermissionDenied(denied);
    }
    if (!known || !internal::VerifyPassword(hash, password)) {
      if (!known) (void)internal::VerifyPassword(DummyHash(), password);
      (void)Write([&]() -> Status {
        // Counted inside the write: two failed attempts at once both count.
        if (Status s = CountFailure(source, name_key); !s.ok()) return s;
        if (known) {
          Stmt up(db_, "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ?1");
          up.Bind(1, id);
          if (Status s = up.Run(); !s.ok()) return s;
        }
        return Audit(who, role, "-", "login_failed", object, std::nullopt, source);
      });
      return Status::PermissionDenied(denied);
    }
    Status st2 = Bookkeeping([&] {
      Stmt up(db_, "UPDATE users SET failed_logins = 0, locked_until_utc = NULL WHERE id = ?1");
      up.Bind(1, id);
      if (Status s = up.Run(); !s.ok()) return s;
      Stmt clear(db_, "DELETE FROM login_throttle WHERE source = ?1 AND name_key = ?2");
      clear.Bind(1, source).Bind(2, name_key);
      if (Status s = clear.Run(); !s.ok()) return s;
      if (internal::NeedsRehash(hash, Cost(options_.password_cost))) {
        auto rehash = internal::HashPassword(password, Cost(options_.password_cost));
        if (rehash.ok()) {
          Stmt rh(db_, "UPDATE users SET password_hash = ?1 WHERE id = ?2");
          rh.Bind(1, *rehash).Bind(2, id);
          if (Status s = rh.Run(); !s.ok()) return s;
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
      auto h = internal::HashPassword("not-a-real-password-0000", Cost(options_.password_cost));
      if (h.ok()) dummy_hash_ = *h;
    }
    return dummy_hash_;
  }

  Result<Actor> LoginTrusted(std::string_view os_user) override {
    {
      Stmt mode(db_, "SELECT value FROM meta WHERE key = 'auth_mode'");
      if (!mode.Step() || mode.Text(0) != "os_trust") {
        return Status::PermissionDenied("this database does not trust the OS login");
      }
    }
    Actor a;
    {
      Stmt st(db_, "SELECT id FROM users WHERE name = ?1 AND active = 1");
      st.Bind(1, os_user);
      if (!st.Step()) return Status::PermissionDenied("no account for this OS user");
      a.user_id = st.Int(0);
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
    if (a->role != "admin") return Deny(*a, unit, "add_unit", "unit");
    if (Status st = CheckUnitId(unit); !st.ok()) return st;
    if (!Vocab("units", unit)) {
      return Status::InvalidArgument(
          "unit: not a unit of the vocabulary (instruments/vocabulary.textproto)");
    }
    return Write([&] {
      Stmt ins(db_, "INSERT INTO units (id, created_utc) VALUES (?1, ?2) ON CONFLICT DO NOTHING");
      ins.Bind(1, unit).Bind(2, NowUtc());
      if (Status st = ins.Run(); !st.ok()) return st;
      return Audit(*a, unit, "add_unit", "unit:" + std::string(unit), std::nullopt);
    });
  }

  Status AddUser(const Actor& actor, std::string_view name, std::string_view role,
                 const std::vector<std::string>& units, std::string_view password) override {
    auto a = Resolve(actor, "add_user");
    if (!a.ok()) return a.status();
    if (a->role != "admin") return Deny(*a, "-", "add_user", "user");
    if (!ValidUserName(name)) {
      return Status::InvalidArgument("user name: lower-case letters, digits, '.', '_' or '-'");
    }
    if (!kRoles.count(std::string(role))) {
      return Status::InvalidArgument("role: expected caseworker, supervisor, coordinator or admin");
    }
    if (IsCaseRole(std::string(role)) && units.empty()) {
      return Status::InvalidArgument("unit: caseworkers and supervisors belong to a unit");
    }
    auto hash = internal::HashPassword(password, Cost(options_.password_cost));
    if (!hash.ok()) return hash.status();
    const bool one_time = PasswordsInUse();
    return Write([&] {
      Stmt ins(db_,
               "INSERT INTO users (name, role, password_hash, created_utc, must_change_password) "
               "VALUES (?1, ?2, ?3, ?4, ?5)");
      ins.Bind(1, name).Bind(2, role).Bind(3, *hash).Bind(4, NowUtc()).Bind(5, one_time ? 1 : 0);
      if (Status st = ins.Run(); !st.ok()) {
        return st.code() == StatusCode::kFailedPrecondition
                   ? Status::AlreadyExists("the user exists")
                   : st;
      }
      const std::int64_t id = sqlite3_last_insert_rowid(db_);
      for (const auto& u : units) {
        Stmt known(db_, "SELECT 1 FROM units WHERE id = ?1");
        known.Bind(1, u);
        if (!known.Step())
          return Status::NotFound(fmt::format("unit '{}' does not exist (add it first)", u));
        Stmt uu(db_, "INSERT INTO user_units (user_id, unit_id) VALUES (?1, ?2)");
        uu.Bind(1, id).Bind(2, u);
        if (Status st = uu.Run(); !st.ok()) return st;
      }
      std::string detail(role);
      if (NeedsSecondPerson(role)) {
        auto bootstrap = FirstSupervisorOf(role, units, id);
        if (!bootstrap.ok()) return bootstrap.status();
        Stmt up(db_, *bootstrap ? "UPDATE users SET bootstrap_utc = ?2 WHERE id = ?1"
                                : "UPDATE users SET awaiting_confirmation = 1, requested_by = ?3 "
                                  "WHERE id = ?1 AND ?2 IS NOT NULL");
        up.Bind(1, id).Bind(2, NowUtc()).Bind(3, a->user_id);
        if (Status st = up.Run(); !st.ok()) return st;
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
    Stmt mode(db_, "SELECT value FROM meta WHERE key = 'auth_mode'");
    return !(mode.Step() && mode.Text(0) == "os_trust");
  }

  static bool NeedsSecondPerson(std::string_view role) {
    return role == "supervisor" || role == "admin";
  }

  // Whether `unit` has a supervisor in effect other than `except`.
  Result<bool> HasSupervisor(std::string_view unit, std::int64_t except) {
    Stmt st(db_,
            "SELECT 1 FROM users u JOIN user_units uu ON uu.user_id = u.id WHERE uu.unit_id = ?1 "
            "AND u.role = 'supervisor' AND u.active = 1 AND u.awaiting_confirmation = 0 AND "
            "u.id <> ?2 LIMIT 1");
    st.Bind(1, unit).Bind(2, except);
    const bool found = st.Step();
    if (!st.status().ok()) return st.status();
    return found;
  }

  // The bootstrap rule: `role` is supervisor and none of `units` has a supervisor yet.
  Result<bool> FirstSupervisorOf(std::string_view role, const std::vector<std::string>& units,
                                 std::int64_t account) {
    if (role != "supervisor" || units.empty()) return false;
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
      Stmt del(db_, "DELETE FROM pending_changes WHERE user_id = ?1 AND kind = 'role'");
      del.Bind(1, account);
      if (Status s = del.Run(); !s.ok()) return s;
    }
    Stmt ins(db_,
             "INSERT INTO pending_changes (user_id, kind, value, requested_by, requested_utc) "
             "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (user_id, kind, value) DO UPDATE SET "
             "requested_by = excluded.requested_by, requested_utc = excluded.requested_utc");
    ins.Bind(1, account).Bind(2, kind).Bind(3, value).Bind(4, by).Bind(5, NowUtc());
    return ins.Run();
  }

  Status DropPending(std::int64_t account, std::string_view kind, std::string_view value = {}) {
    Stmt del(db_,
             "DELETE FROM pending_changes WHERE user_id = ?1 AND kind = ?2 AND (?3 = '' OR "
             "value = ?3)");
    del.Bind(1, account).Bind(2, kind).Bind(3, value);
    return del.Run();
  }

  Status ConfirmUser(const Actor& actor, std::string_view name) override {
    auto a = Resolve(actor, "confirm_user");
    if (!a.ok()) return a.status();
    if (a->role != "admin" && a->role != "supervisor") {
      return Deny(*a, "-", "confirm_user", "user:" + std::string(name));
    }
    std::string denied;  // why the actor may not confirm, when they may not
    std::string unit_of_denial = "-";
    Status st = Write([&]() -> Status {
      std::int64_t id = 0;
      std::string role;
      bool awaiting = false;
      std::optional<std::int64_t> requested_by;
      {
        Stmt u(db_,
               "SELECT id, role, awaiting_confirmation, requested_by FROM users WHERE name = ?1");
        u.Bind(1, name);
        if (!u.Step()) return u.status().ok() ? Status::NotFound("no such user") : u.status();
        id = u.Int(0);
        role = u.Text(1);
        awaiting = u.Int(2) != 0;
        requested_by = u.OptInt(3);
      }
      struct Item {
        std::string kind, value;
        std::int64_t by;
      };
      std::vector<Item> items;
      if (awaiting) items.push_back({"role", role, requested_by.value_or(0)});
      {
        Stmt p(db_,
               "SELECT kind, value, requested_by FROM pending_changes WHERE user_id = ?1 "
               "ORDER BY kind, value");
        p.Bind(1, id);
        while (p.Step()) items.push_back({p.Text(0), p.Text(1), p.Int(2)});
        if (!p.status().ok()) return p.status();
      }
      if (items.empty())
        return Status::FailedPrecondition("nothing on this account waits for confirmation");
      std::vector<std::string> units;
      {
        Stmt uu(db_, "SELECT unit_id FROM user_units WHERE user_id = ?1 ORDER BY unit_id");
        uu.Bind(1, id);
        while (uu.Step()) units.push_back(uu.Text(0));
        if (!uu.status().ok()) return uu.status();
      }
      auto refuse = [&](std::string why) {
        denied = std::move(why);
        return Status::PermissionDenied(denied);
      };
      if (id == a->user_id) return refuse("confirm_user: nobody confirms their own account");
      std::string detail;
      for (const auto& item : items) {
        if (item.by == a->user_id) {
          return refuse("confirm_user: the one who asked for a change does not confirm it");
        }
        // An administrator is confirmed by another administrator or by a supervisor (in a
        // municipality with one administrator, a supervisor is the second person).
        if (a->role == "supervisor" && !(item.kind == "role" && item.value == "admin")) {
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
        std::string who;
        {
          Stmt w(db_, "SELECT name FROM users WHERE id = ?1");
          w.Bind(1, item.by);
          if (w.Step()) who = w.Text(0);
        }
        detail += fmt::format("{}{}:{} asked by {}", detail.empty() ? "" : "; ", item.kind,
                              item.value, who.empty() ? "-" : who);
        if (item.kind == "role") {
          Stmt up(db_,
                  "UPDATE users SET role = ?1, awaiting_confirmation = 0, requested_by = NULL "
                  "WHERE id = ?2");
          up.Bind(1, item.value).Bind(2, id);
          if (Status s = up.Run(); !s.ok()) return s;
        } else {
          Stmt ins(db_,
                   "INSERT INTO user_units (user_id, unit_id) VALUES (?1, ?2) ON CONFLICT DO "
                   "NOTHING");
          ins.Bind(1, id).Bind(2, item.value);
          if (Status s = ins.Run(); !s.ok()) return s;
        }
      }
      Stmt del(db_, "DELETE FROM pending_changes WHERE user_id = ?1");
      del.Bind(1, id);
      if (Status s = del.Run(); !s.ok()) return s;
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
    if (!self && a->role != "admin") return Deny(*a, "-", "set_password", "user");
    std::int64_t id = 0;
    std::string old_hash;
    {
      Stmt st(db_, "SELECT id, password_hash FROM users WHERE name = ?1");
      st.Bind(1, name);
      if (!st.Step()) return st.status().ok() ? Status::NotFound("no such user") : st.status();
      id = st.Int(0);
      old_hash = st.OptText(1).value_or("");
    }
    // Replacing a one-time password takes it, whoever one is.
    const bool old_checked = !self || (a->role == "admin" && !a->must_change_password);
    if (!old_checked && !internal::VerifyPassword(old_hash, old_password)) {
      return Deny(*a, "-", "set_password", "user:" + a->name);
    }
    if (self && a->must_change_password && new_password == old_password) {
      return Status::InvalidArgument(
          "new password: choose another than the one-time password the administrator set");
    }
    auto hash = internal::HashPassword(new_password, Cost(options_.password_cost));
    if (!hash.ok()) return hash.status();
    // Set by an administrator for someone else: one-time (the next login must change it).
    const bool one_time = !self && PasswordsInUse();
    return Write([&] {
      Stmt up(db_,
              "UPDATE users SET password_hash = ?1, failed_logins = 0, locked_until_utc = NULL, "
              "must_change_password = ?3 WHERE id = ?2");
      up.Bind(1, *hash).Bind(2, id).Bind(3, one_time ? 1 : 0);
      if (Status s = up.Run(); !s.ok()) return s;
      // A new password unlocks the account from every source.
      Stmt unlock(db_, "DELETE FROM login_throttle WHERE name_key = ?1");
      unlock.Bind(1, ThrottleKey(name));
      if (Status s = unlock.Run(); !s.ok()) return s;
      return Audit(*a, "-", "set_password", "user:" + std::string(name), std::nullopt);
    });
  }

  // ---------------------------------------------------------------- account life cycle

  Result<std::vector<UserRecord>> Users(const Actor& actor) override {
    auto a = Resolve(actor, "users");
    if (!a.ok()) return a.status();
    if (a->role != "admin") return Deny(*a, "-", "users", "user");
    std::vector<UserRecord> out;
    std::vector<std::int64_t> ids;
    {
      Stmt st(db_,
              "SELECT u.id, u.name, u.role, u.active, u.created_utc, u.must_change_password, "
              "u.awaiting_confirmation, COALESCE(u.bootstrap_utc, ''), "
              "COALESCE((SELECT r.name FROM users r WHERE r.id = u.requested_by), '') "
              "FROM users u ORDER BY u.name");
      while (st.Step()) {
        ids.push_back(st.Int(0));
        UserRecord u;
        u.name = st.Text(1);
        u.role = st.Text(2);
        u.active = st.Int(3) != 0;
        u.created_utc = st.Text(4);
        u.must_change_password = st.Int(5) != 0;
        u.awaiting_confirmation = st.Int(6) != 0;
        u.bootstrap_utc = st.Text(7);
        u.requested_by = st.Text(8);
        out.push_back(std::move(u));
      }
      if (!st.status().ok()) return st.status();
    }
    const std::string now = NowUtc();
    for (std::size_t i = 0; i < out.size(); ++i) {
      // Locked from at least one source for now.
      Stmt lk(db_,
              "SELECT 1 FROM login_throttle WHERE name_key = ?1 AND locked_until_utc > ?2 LIMIT 1");
      lk.Bind(1, ThrottleKey(out[i].name)).Bind(2, now);
      out[i].locked = lk.Step();
      if (!lk.status().ok()) return lk.status();
      lk.Reset();
      Stmt units(db_, "SELECT unit_id FROM user_units WHERE user_id = ?1 ORDER BY unit_id");
      units.Bind(1, ids[i]);
      while (units.Step()) out[i].units.push_back(units.Text(0));
      if (!units.status().ok()) return units.status();
      Stmt pending(db_,
                   "SELECT p.kind, p.value, r.name FROM pending_changes p JOIN users r ON r.id = "
                   "p.requested_by WHERE p.user_id = ?1 ORDER BY p.kind, p.value");
      pending.Bind(1, ids[i]);
      while (pending.Step()) {
        out[i].pending.push_back(pending.Text(0) + ":" + pending.Text(1));
        out[i].requested_by = pending.Text(2);
      }
      if (!pending.status().ok()) return pending.status();
    }
    return out;
  }

  // The account an administrator changes: its id, role, units and whether it is active.
  struct Account {
    std::int64_t id = 0;
    std::string role;
    bool active = true;
    bool awaiting = false;     // a new supervisor or administrator not yet confirmed
    std::string pending_role;  // a role change that waits for confirmation, or ""
    std::vector<std::string> units;
  };

  // Admin, never on their own account: the account `name`, read inside the write.
  Result<Account> ChangeableAccount(std::string_view name) {
    Account acc;
    {
      Stmt st(db_,
              "SELECT id, role, active, awaiting_confirmation, (SELECT value FROM pending_changes "
              "p WHERE p.user_id = users.id AND p.kind = 'role') FROM users WHERE name = ?1");
      st.Bind(1, name);
      if (!st.Step()) return st.status().ok() ? Status::NotFound("no such user") : st.status();
      acc.id = st.Int(0);
      acc.role = st.Text(1);
      acc.active = st.Int(2) != 0;
      acc.awaiting = st.Int(3) != 0;
      acc.pending_role = st.OptText(4).value_or("");
    }
    Stmt units(db_, "SELECT unit_id FROM user_units WHERE user_id = ?1 ORDER BY unit_id");
    units.Bind(1, acc.id);
    while (units.Step()) acc.units.push_back(units.Text(0));
    if (!units.status().ok()) return units.status();
    return acc;
  }

  // The number of active administrators other than `except`.
  Result<std::int64_t> OtherActiveAdmins(std::int64_t except) {
    Stmt st(db_,
            "SELECT COUNT(*) FROM users WHERE role = 'admin' AND active = 1 AND "
            "awaiting_confirmation = 0 AND id <> ?1");
    st.Bind(1, except);
    if (!st.Step()) return st.status().ok() ? Status::Internal("no count") : st.status();
    return st.Int(0);
  }

  // Runs an administrator's change of another account, audited as `action` with `detail`.
  Status ChangeAccount(const Actor& actor, std::string_view name, const std::string& action,
                       const std::function<Status(const Actor&, const Account&)>& change) {
    auto a = Resolve(actor, action);
    if (!a.ok()) return a.status();
    if (a->role != "admin") return Deny(*a, "-", action, "user");
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
      if (!active && acc.role == "admin") {
        auto others = OtherActiveAdmins(acc.id);
        if (!others.ok()) return others.status();
        if (*others == 0) {
          return Status::FailedPrecondition("the last active administrator cannot be deactivated");
        }
      }
      Stmt up(db_, "UPDATE users SET active = ?1 WHERE id = ?2");
      up.Bind(1, active ? 1 : 0).Bind(2, acc.id);
      if (Status s = up.Run(); !s.ok()) return s;
      return Audit(a, "-", action, "user:" + std::string(name), std::nullopt);
    });
  }

  Status SetUserRole(const Actor& actor, std::string_view name, std::string_view role) override {
    if (!kRoles.count(std::string(role))) {
      return Status::InvalidArgument("role: expected caseworker, supervisor, coordinator or admin");
    }
    return ChangeAccount(
        actor, name, "change_role", [&](const Actor& a, const Account& acc) -> Status {
          const std::string audited = "user:" + std::string(name);
          if (acc.role == role && !acc.awaiting) {
            // Back to the role it has: a change that waited is withdrawn.
            if (acc.pending_role.empty()) return Status::Ok();
            if (Status s = DropPending(acc.id, "role"); !s.ok()) return s;
            return Audit(a, "-", "change_role", audited, std::nullopt,
                         fmt::format("{} -> {} withdrawn", acc.role, acc.pending_role));
          }
          if (IsCaseRole(std::string(role)) && acc.units.empty()) {
            return Status::FailedPrecondition(
                "unit: caseworkers and supervisors belong to a unit (add one first)");
          }
          if (acc.role == "admin" && !acc.awaiting) {
            auto others = OtherActiveAdmins(acc.id);
            if (!others.ok()) return others.status();
            if (*others == 0) return Status::FailedPrecondition("the last administrator stays one");
          }
          if (Status s = DropPending(acc.id, "role"); !s.ok()) return s;
          if (NeedsSecondPerson(role) && !acc.awaiting) {
            auto bootstrap = FirstSupervisorOf(role, acc.units, acc.id);
            if (!bootstrap.ok()) return bootstrap.status();
            if (!*bootstrap) {
              if (Status s = RequestChange(acc.id, "role", role, a.user_id); !s.ok()) return s;
              return Audit(a, "-", "change_role", audited, std::nullopt,
                           fmt::format("{} -> {} (waits for a second person to confirm it)",
                                       acc.role, role));
            }
            Stmt bs(db_, "UPDATE users SET bootstrap_utc = ?1 WHERE id = ?2");
            bs.Bind(1, NowUtc()).Bind(2, acc.id);
            if (Status s = bs.Run(); !s.ok()) return s;
          }
          // A new account that waits keeps waiting for a role that needs a second person; any
          // other role it gets at once.
          const bool still_awaiting = acc.awaiting && NeedsSecondPerson(role);
          Stmt up(db_,
                  "UPDATE users SET role = ?1, awaiting_confirmation = ?3, requested_by = "
                  "CASE WHEN ?3 = 1 THEN ?4 END WHERE id = ?2");
          up.Bind(1, role).Bind(2, acc.id).Bind(3, still_awaiting ? 1 : 0).Bind(4, a.user_id);
          if (Status s = up.Run(); !s.ok()) return s;
          return Audit(a, "-", "change_role", audited, std::nullopt,
                       fmt::format("{} -> {}{}", acc.role, role,
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
        if (Status s = DropPending(acc.id, "unit", unit); !s.ok()) return s;
        if (sqlite3_changes(db_) > 0 && !is_member) {
          return Audit(a, unit, action, "user:" + std::string(name), std::nullopt,
                       "withdrawn before confirmation");
        }
      }
      if (is_member == member) return Status::Ok();
      // A unit added to a supervisor (in effect) gives the reach to grant its protected cases:
      // a second person confirms it, unless the unit has no supervisor yet.
      if (member && acc.role == "supervisor" && !acc.awaiting) {
        auto has = HasSupervisor(unit, acc.id);
        if (!has.ok()) return has.status();
        if (*has) {
          if (Status s = RequestChange(acc.id, "unit", unit, a.user_id); !s.ok()) return s;
          return Audit(a, unit, action, "user:" + std::string(name), std::nullopt,
                       "waits for a second person to confirm it");
        }
        Stmt bs(db_, "UPDATE users SET bootstrap_utc = ?1 WHERE id = ?2");
        bs.Bind(1, NowUtc()).Bind(2, acc.id);
        if (Status s = bs.Run(); !s.ok()) return s;
      }
      if (member) {
        Stmt ins(db_, "INSERT INTO user_units (user_id, unit_id) VALUES (?1, ?2)");
        ins.Bind(1, acc.id).Bind(2, unit);
        if (Status s = ins.Run(); !s.ok()) return s;
      } else {
        if (IsCaseRole(acc.role) && acc.units.size() == 1) {
          return Status::FailedPrecondition(
              "unit: a caseworker or supervisor keeps at least one unit (add the new unit "
              "first)");
        }
        Stmt del(db_, "DELETE FROM user_units WHERE user_id = ?1 AND unit_id = ?2");
        del.Bind(1, acc.id).Bind(2, unit);
        if (Status s = del.Run(); !s.ok()) return s;
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
      Stmt st(db_, "SELECT instrument_id, version, logic_sha256 FROM instrument_pins");
      while (st.Step()) pinned[{st.Text(0), st.Text(1)}] = st.Text(2);
      if (!st.status().ok()) return st.status();
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
      Stmt ins(db_,
               "INSERT INTO instrument_pins (instrument_id, version, logic_sha256, pinned_by, "
               "pinned_utc) VALUES (?1, ?2, ?3, ?4, ?5)");
      ins.Bind(1, p.instrument_id).Bind(2, p.version).Bind(3, p.logic_sha256).Bind(4, by);
      ins.Bind(5, NowUtc());
      if (Status st = ins.Run(); !st.ok()) return st;
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
  Status PinInstalledAtStart(const std::string& user, const std::string& role) {
    {
      // Read first: a database with pins (every one after its first opening) takes no write
      // lock here.
      Stmt any(db_, "SELECT 1 FROM instrument_pins LIMIT 1");
      if (any.Step()) return Status::Ok();
      if (!any.status().ok()) return any.status();
    }
    return Write([&]() -> Status {
      Stmt any(db_, "SELECT 1 FROM instrument_pins LIMIT 1");
      if (any.Step()) return Status::Ok();
      if (!any.status().ok()) return any.status();
      any.Reset();
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
    if (a->role != "admin") return Deny(*a, "-", "pin_instruments", "instruments");
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
    Stmt st(db_,
            "SELECT 1 FROM instrument_pins WHERE instrument_id = ?1 AND version = ?2 AND "
            "logic_sha256 = ?3");
    st.Bind(1, id).Bind(2, version).Bind(3, hash);
    return st.Step();
  }

  // ---------------------------------------------------------------- cases

  Result<std::int64_t> AddContact(const Actor& actor, const ContactInput& c) override {
    auto a = Resolve(actor, "add_contact");
    if (!a.ok()) return a.status();
    if (Status st = CheckUnitId(c.unit); !st.ok()) return st;
    if (!IsCaseRole(a->role) || !InUnit(*a, c.unit))
      return Deny(*a, c.unit, "add_contact", "contact");
    if (Status st = CheckCaseRef(c.case_ref); !st.ok()) return st;
    if (!internal::ValidDate(c.contact_date))
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
      Stmt ins(db_,
               "INSERT INTO contacts (case_id, unit_id, contact_date, outcome, not_asked_reason, "
               "not_asked_note, author_id, created_utc, created_local_date) "
               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
      ins.Bind(1, *case_id).Bind(2, c.unit).Bind(3, c.contact_date).Bind(4, c.outcome);
      if (not_asked) {
        ins.Bind(5, c.not_asked_reason);
      } else {
        ins.BindNull(5);
      }
      if (c.not_asked_note.empty()) {
        ins.BindNull(6);
      } else {
        ins.Bind(6, c.not_asked_note);
      }
      ins.Bind(7, a->user_id).Bind(8, NowUtc()).Bind(9, Today());
      if (Status s = ins.Run(); !s.ok()) return s;
      contact_id = sqlite3_last_insert_rowid(db_);
      for (const auto& t : c.violence_types) {
        Stmt vt(db_, "INSERT INTO contact_violence_types (contact_id, type) VALUES (?1, ?2)");
        vt.Bind(1, contact_id).Bind(2, t);
        if (Status s = vt.Run(); !s.ok()) return s;
      }
      return Audit(*a, c.unit, "create", fmt::format("contact:{}", contact_id), *case_id);
    });
    if (!st.ok()) return st;
    return contact_id;
  }

  Status RequireUnit(std::string_view unit) {
    Stmt st(db_, "SELECT 1 FROM units WHERE id = ?1");
    st.Bind(1, unit);
    if (st.Step()) return Status::Ok();
    if (!st.status().ok()) return st.status();
    return Status::NotFound("the unit does not exist");
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
      Stmt ins(db_,
               "INSERT INTO subjects (case_id, role, age_band, protected_identity, created_utc) "
               "VALUES (?1, ?2, ?3, ?4, ?5)");
      ins.Bind(1, *case_id).Bind(2, s.role);
      if (s.age_band.empty()) {
        ins.BindNull(3);
      } else {
        ins.Bind(3, s.age_band);
      }
      ins.Bind(4, s.protected_identity ? 1 : 0).Bind(5, NowUtc());
      if (Status r = ins.Run(); !r.ok()) return r;
      id = sqlite3_last_insert_rowid(db_);
      for (const auto& g : s.vulnerable_groups) {
        Stmt vg(db_, "INSERT INTO subject_groups (subject_id, vgroup) VALUES (?1, ?2)");
        vg.Bind(1, id).Bind(2, g);
        if (Status r = vg.Run(); !r.ok()) return r;
      }
      // The one who marks a subject protected keeps access to the case.
      if (s.protected_identity && !Granted(*case_id, a->user_id)) {
        Stmt gr(db_,
                "INSERT INTO grants (case_id, user_id, granted_by, reason, created_utc) "
                "VALUES (?1, ?2, ?2, 'registered the protected subject', ?3)");
        gr.Bind(1, *case_id).Bind(2, a->user_id).Bind(3, NowUtc());
        if (Status r = gr.Run(); !r.ok()) return r;
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
    if (a->role != "supervisor" || !InUnit(*a, unit) || a->name == user) {
      return Deny(*a, unit, "grant", "case");
    }
    if (reason.find_first_not_of(" \t") == std::string_view::npos) {
      return Status::InvalidArgument("reason: a grant needs a reason");
    }
    if (Status st = FreeText("reason", reason); !st.ok()) return st;
    if (!until.empty() && (!internal::ValidDate(until) || std::string(until) < Today())) {
      return Status::InvalidArgument("until: expected a date YYYY-MM-DD, today or later");
    }
    auto case_id = FindCase(unit, case_ref);
    if (!case_id.ok()) return case_id.status();
    if (!*case_id) return Status::NotFound("no such case");
    std::int64_t user_id = 0;
    {
      Stmt u(db_, "SELECT id FROM users WHERE name = ?1 AND active = 1");
      u.Bind(1, user);
      if (!u.Step()) return u.status().ok() ? Status::NotFound("no such user") : u.status();
      user_id = u.Int(0);
    }
    return Write([&] {
      // Granting again replaces the end date (and the reason) of an earlier grant.
      Stmt ins(db_,
               "INSERT INTO grants (case_id, user_id, granted_by, reason, created_utc, until_date) "
               "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (case_id, user_id) DO UPDATE SET "
               "granted_by = excluded.granted_by, reason = excluded.reason, "
               "created_utc = excluded.created_utc, until_date = excluded.until_date");
      ins.Bind(1, **case_id).Bind(2, user_id).Bind(3, a->user_id).Bind(4, reason).Bind(5, NowUtc());
      ins.Bind(6, until.empty() ? std::optional<std::string>() : std::string(until));
      if (Status st = ins.Run(); !st.ok()) return st;
      return Audit(
          *a, unit, "grant", "user:" + std::string(user), **case_id,
          until.empty() ? std::string(reason) : fmt::format("{} (until {})", reason, until));
    });
  }

  Status RevokeGrant(const Actor& actor, std::string_view unit, std::string_view case_ref,
                     std::string_view user, std::string_view reason) override {
    auto a = Resolve(actor, "revoke_grant");
    if (!a.ok()) return a.status();
    if (a->role != "supervisor" || !InUnit(*a, unit)) return Deny(*a, unit, "revoke_grant", "case");
    if (reason.find_first_not_of(" \t") == std::string_view::npos) {
      return Status::InvalidArgument("reason: a revocation needs a reason");
    }
    if (Status st = FreeText("reason", reason); !st.ok()) return st;
    auto case_id = FindCase(unit, case_ref);
    if (!case_id.ok()) return case_id.status();
    if (!*case_id) return Status::NotFound("no such grant");
    return Write([&]() -> Status {
      Stmt del(db_,
               "DELETE FROM grants WHERE case_id = ?1 AND user_id = "
               "(SELECT id FROM users WHERE name = ?2)");
      del.Bind(1, **case_id).Bind(2, user);
      if (Status st = RunChanging(del, "no such grant"); !st.ok()) {
        return st.code() == StatusCode::kFailedPrecondition ? Status::NotFound("no such grant")
                                                            : st;
      }
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
    Stmt st(db_,
            "SELECT id, role, COALESCE(age_band, ''), protected_identity FROM subjects "
            "WHERE case_id = ?1 ORDER BY id");
    st.Bind(1, *case_id);
    std::vector<SubjectRecord> out;
    while (st.Step()) out.push_back({st.Int(0), st.Text(1), st.Text(2), st.Int(3) != 0});
    if (!st.status().ok()) return st.status();
    return out;
  }

  // ---------------------------------------------------------------- assessments

  struct Row {
    std::int64_t id, chain_id, case_id;
    int version;
    std::string status, unit, instrument_id, instrument_version, logic_sha256, lang;
    std::int64_t author_id;
    std::int64_t owner_id;  // who changes the draft: the author unless reassigned
  };

  Result<Row> LoadRow(std::int64_t id) {
    Stmt st(db_,
            "SELECT id, chain_id, case_id, version, status, unit_id, instrument_id, "
            "instrument_version, logic_sha256, lang, author_id, COALESCE(owner_id, author_id) "
            "FROM assessments WHERE id = ?1");
    st.Bind(1, id);
    if (!st.Step()) {
      if (!st.status().ok()) return st.status();
      return Status::NotFound("no such assessment");
    }
    return Row{st.Int(0),  st.Int(1),  st.Int(2),  static_cast<int>(st.Int(3)),
               st.Text(4), st.Text(5), st.Text(6), st.Text(7),
               st.Text(8), st.Text(9), st.Int(10), st.Int(11)};
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
                     bool unless_author = false) {
    Stmt ins(db_,
             "INSERT INTO assessment_contributors (assessment_id, user_id, part, first_utc) "
             "SELECT ?1, ?2, ?3, ?4 WHERE ?5 = 0 OR NOT EXISTS (SELECT 1 FROM assessments "
             "WHERE id = ?1 AND author_id = ?2) ON CONFLICT DO NOTHING");
    ins.Bind(1, id).Bind(2, user).Bind(3, part).Bind(4, NowUtc()).Bind(5, unless_author ? 1 : 0);
    return ins.Run();
  }

  Status ReassignDraft(const Actor& actor, std::int64_t id, std::string_view new_owner,
                       std::string_view reason) override {
    auto a = Resolve(actor, "reassign_draft");
    if (!a.ok()) return a.status();
    auto row = VisibleRow(*a, id, "reassign_draft");
    if (!row.ok()) return row.status();
    if (a->role != "supervisor") {
      return Deny(*a, row->unit, "reassign_draft", fmt::format("assessment:{}", id), row->case_id);
    }
    if (row->status != "draft" && row->status != "returned") {
      return Status::FailedPrecondition("only a draft or a returned assessment is reassigned");
    }
    if (reason.find_first_not_of(" \t\r\n") == std::string_view::npos) {
      return Status::InvalidArgument("reason: a reassignment needs a reason");
    }
    if (Status st = FreeText("reason", reason); !st.ok()) return st;
    return Write([&]() -> Status {
      Actor target;
      {
        Stmt u(db_,
               "SELECT id, name, role FROM users WHERE name = ?1 AND active = 1 AND "
               "awaiting_confirmation = 0");
        u.Bind(1, new_owner);
        if (!u.Step()) {
          return u.status().ok() ? Status::NotFound("new owner: no such active user") : u.status();
        }
        target.user_id = u.Int(0);
        target.name = u.Text(1);
        target.role = u.Text(2);
      }
      Stmt units(db_, "SELECT unit_id FROM user_units WHERE user_id = ?1");
      units.Bind(1, target.user_id);
      while (units.Step()) target.units.push_back(units.Text(0));
      if (!units.status().ok()) return units.status();
      units.Reset();
      if (!MaySeeCase(target, row->unit, row->case_id)) {
        return Status::FailedPrecondition(
            "new owner: a caseworker or supervisor of the unit who may see the case (a "
            "protected case needs a grant first)");
      }
      if (target.user_id == row->owner_id) return Status::Ok();
      Stmt up(db_,
              "UPDATE assessments SET owner_id = ?1 WHERE id = ?2 AND status IN ('draft', "
              "'returned')");
      up.Bind(1, target.user_id).Bind(2, id);
      if (Status s = RunChanging(up, "the assessment was submitted or discarded meanwhile");
          !s.ok())
        return s;
      if (Status s = Contributed(id, a->user_id, "reassigner"); !s.ok()) return s;
      if (Status s = Contributed(id, target.user_id, "owner"); !s.ok()) return s;
      return Audit(*a, row->unit, "reassign_draft", fmt::format("assessment:{}", id), row->case_id,
                   fmt::format("to {}: {}", target.name, reason));
    });
  }

  Status WriteIndexed(std::int64_t id, const v1::Result& r, std::string_view computed) {
    const std::string blob = StoredBytes(r);
    Stmt up(db_,
            "UPDATE assessments SET result = ?1, band = ?2, band_certain = ?3, "
            "computed_level = ?4, final_level = ?5, overridden = ?6, override_direction = ?7, "
            "complete = ?8, updated_utc = ?9 WHERE id = ?10");
    up.BindBlob(1, blob);
    if (r.band().empty()) {
      up.BindNull(2);
    } else {
      up.Bind(2, r.band());
    }
    up.Bind(3, r.band_certain() ? 1 : 0);
    if (computed.empty()) {
      up.BindNull(4);
    } else {
      up.Bind(4, computed);
    }
    if (r.final_level().empty()) {
      up.BindNull(5);
    } else {
      up.Bind(5, r.final_level());
    }
    up.Bind(6, r.overridden() ? 1 : 0);
    if (r.override_direction() == v1::RAISED) {
      up.Bind(7, "raised");
    } else if (r.override_direction() == v1::LOWERED) {
      up.Bind(7, "lowered");
    } else {
      up.BindNull(7);
    }
    up.Bind(8, r.complete() ? 1 : 0).Bind(9, NowUtc()).Bind(10, id);
    if (Status st = up.Run(); !st.ok()) return st;
    for (const char* sql : {"DELETE FROM assessment_flags WHERE assessment_id = ?1",
                            "DELETE FROM assessment_recommendations WHERE assessment_id = ?1"}) {
      Stmt del(db_, sql);
      del.Bind(1, id);
      if (Status st = del.Run(); !st.ok()) return st;
    }
    for (const auto& f : r.flags()) {
      Stmt ins(db_, "INSERT INTO assessment_flags (assessment_id, flag) VALUES (?1, ?2)");
      ins.Bind(1, id).Bind(2, f);
      if (Status st = ins.Run(); !st.ok()) return st;
    }
    for (const auto& rec : r.recommendations()) {
      Stmt ins(
          db_,
          "INSERT INTO assessment_recommendations (assessment_id, recommendation) VALUES (?1, ?2)");
      ins.Bind(1, id).Bind(2, rec);
      if (Status st = ins.Run(); !st.ok()) return st;
    }
    return Status::Ok();
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
      Stmt ins(
          db_,
          "INSERT INTO assessments (chain_id, version, case_id, subject_id, contact_id, "
          "unit_id, author_id, instrument_id, instrument_version, logic_sha256, "
          "text_sha256, engine_version, lang, status, answers, created_utc, updated_utc) "
          "VALUES (0, 1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'draft', ?12, ?13, ?13)");
      ins.Bind(1, *case_id).Bind(2, in.subject_id).Bind(3, in.contact_id).Bind(4, in.unit);
      ins.Bind(5, a->user_id)
          .Bind(6, inst.id())
          .Bind(7, inst.version())
          .Bind(8, inst.logic_sha256());
      ins.Bind(9, inst.TextSha256(in.lang))
          .Bind(10, EngineVersion())
          .Bind(11, std::string(inst.ResolveLanguage(in.lang)));
      ins.BindBlob(12, answers).Bind(13, NowUtc());
      if (Status s = ins.Run(); !s.ok()) return s;
      id = sqlite3_last_insert_rowid(db_);
      Stmt chain(db_, "UPDATE assessments SET chain_id = id WHERE id = ?1");
      chain.Bind(1, id);
      if (Status s = chain.Run(); !s.ok()) return s;
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
      Stmt s(db_, "SELECT 1 FROM subjects WHERE id = ?1 AND case_id = ?2");
      s.Bind(1, *subject).Bind(2, case_id);
      if (!s.Step()) return Status::NotFound("no such subject in this case");
    }
    if (contact) {
      Stmt s(db_, "SELECT 1 FROM contacts WHERE id = ?1 AND case_id = ?2");
      s.Bind(1, *contact).Bind(2, case_id);
      if (!s.Step()) return Status::NotFound("no such contact in this case");
    }
    return Status::Ok();
  }

  Status UpdateDraft(const Actor& actor, std::int64_t id, const Session& session) override {
    auto a = Resolve(actor, "update_draft");
    if (!a.ok()) return a.status();
    auto row = OwnDraftRow(*a, id, "update_draft");
    if (!row.ok()) return row.status();
    if (row->status != "draft" && row->status != "returned") {
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
      Stmt up(db_,
              "UPDATE assessments SET answers = ?1, status = 'draft', updated_utc = ?2 "
              "WHERE id = ?3 AND status IN ('draft', 'returned')");
      up.BindBlob(1, answers).Bind(2, NowUtc()).Bind(3, id);
      if (Status s = RunChanging(up, "the assessment was submitted or discarded meanwhile");
          !s.ok())
        return s;
      return Contributed(id, a->user_id, "editor", /*unless_author=*/true);
    });
  }

  Status DiscardDraft(const Actor& actor, std::int64_t id) override {
    auto a = Resolve(actor, "discard_draft");
    if (!a.ok()) return a.status();
    auto row = OwnDraftRow(*a, id, "discard_draft");
    if (!row.ok()) return row.status();
    if (row->status != "draft") return Status::FailedPrecondition("only a draft can be discarded");
    return Write([&] {
      // Discarded drafts keep their row (the audit refers to it) but lose their answers.
      Stmt up(db_,
              "UPDATE assessments SET status = 'discarded', answers = X'', updated_utc = ?1 WHERE "
              "id = ?2 AND status = 'draft'");
      up.Bind(1, NowUtc()).Bind(2, id);
      if (Status st = RunChanging(up, "the draft was submitted or discarded meanwhile"); !st.ok())
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
    Stmt st(db_, "SELECT answers FROM assessments WHERE id = ?1");
    st.Bind(1, id);
    if (!st.Step()) return st.status().ok() ? Status::NotFound("no such assessment") : st.status();
    const std::string blob = st.Blob(0);
    st.Reset();
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
    if (row->status != "draft" && row->status != "returned") {
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
      Stmt up(db_,
              "UPDATE assessments SET status = 'submitted', submitted_utc = ?1, "
              "submitted_local_date = ?2 WHERE id = ?3 AND status IN ('draft', 'returned') "
              "AND answers = ?4");
      up.Bind(1, NowUtc()).Bind(2, today).Bind(3, id).BindBlob(4, stored);
      if (Status s = RunChanging(up, "the assessment changed meanwhile; open it again"); !s.ok())
        return s;
      if (Status s = WriteIndexed(id, *result, computed); !s.ok()) return s;
      if (Status s = CreateDueItems(id, *row, session->instrument(), *result, today); !s.ok())
        return s;
      if (Status s = Contributed(id, a->user_id, "submitter", /*unless_author=*/true); !s.ok())
        return s;
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
    Stmt del(db_, "DELETE FROM due_items WHERE assessment_id = ?1 AND done_utc IS NULL");
    del.Bind(1, id);
    if (Status s = del.Run(); !s.ok()) return s;
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
          due = internal::AddDays(today, d.days());
          break;
        case v1::WITHIN_MONTHS:
          due = internal::AddMonths(today, d.months());
          break;
        case v1::NEXT_CONTACT:
          next_contact = true;
          break;
        default:
          continue;
      }
      // A step already marked done (before a return and re-submission) stays done.
      Stmt ins(db_,
               "INSERT INTO due_items (assessment_id, case_id, unit_id, kind, due_date, "
               "next_contact, created_utc) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE NOT EXISTS "
               "(SELECT 1 FROM due_items WHERE assessment_id = ?1 AND kind = ?4 AND done_utc IS "
               "NOT NULL)");
      ins.Bind(1, id).Bind(2, row.case_id).Bind(3, row.unit).Bind(4, rec.id()).Bind(5, due);
      ins.Bind(6, next_contact ? 1 : 0).Bind(7, NowUtc());
      if (Status s = ins.Run(); !s.ok()) return s;
    }
    return Status::Ok();
  }

  Result<Row> ReviewableRow(const Actor& a, std::int64_t id, const std::string& action) {
    // An id in a case the actor may not see answers as one that does not exist.
    auto row = VisibleRow(a, id, action);
    if (!row.ok()) return row.status();
    if (a.role != "supervisor") {
      (void)Deny(a, row->unit, action, fmt::format("assessment:{}", id), row->case_id);
      return Status::PermissionDenied(fmt::format("{} is for a supervisor of the unit", action));
    }
    // Four eyes: nobody who took part in a version (wrote, edited, submitted, took over or
    // reassigned it; a supervisor may write or amend one) reviews it.
    bool contributed = row->author_id == a.user_id;
    {
      Stmt c(db_,
             "SELECT 1 FROM assessment_contributors WHERE assessment_id = ?1 AND user_id = ?2 "
             "LIMIT 1");
      c.Bind(1, id).Bind(2, a.user_id);
      contributed = contributed || c.Step();
      if (!c.status().ok()) return c.status();
    }
    if (contributed) {
      (void)Deny(a, row->unit, action, fmt::format("assessment:{}", id), row->case_id);
      return Status::PermissionDenied(fmt::format(
          "{}: another supervisor reviews an assessment one took part in (wrote, edited, "
          "submitted or reassigned)",
          action));
    }
    if (row->status != "submitted") {
      return Status::FailedPrecondition("only a submitted assessment can be reviewed");
    }
    return row;
  }

  Status AddReview(std::int64_t id, const Actor& a, const std::string& decision,
                   std::string_view comment, const std::string& from = "",
                   const std::string& to = "") {
    // The assessment's instrument, unit and submission time go on the review for the
    // indicator counts (schema migration 4).
    Stmt ins(db_,
             "INSERT INTO reviews (assessment_id, reviewer_id, decision, comment, level_from, "
             "level_to, created_utc, instrument_id, unit_id, submitted_utc) "
             "SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, a.instrument_id, a.unit_id, "
             "COALESCE(a.submitted_utc, '') FROM assessments a WHERE a.id = ?1");
    ins.Bind(1, id).Bind(2, a.user_id).Bind(3, decision).Bind(4, comment);
    ins.Bind(5, from.empty() ? std::optional<std::string>() : from);
    ins.Bind(6, to.empty() ? std::optional<std::string>() : to).Bind(7, NowUtc());
    return RunChanging(ins, "the assessment is gone");
  }

  Status Approve(const Actor& actor, std::int64_t id, std::string_view comment) override {
    auto a = Resolve(actor, "approve");
    if (!a.ok()) return a.status();
    auto row = ReviewableRow(*a, id, "approve");
    if (!row.ok()) return row.status();
    if (Status st = FreeText("comment", comment); !st.ok()) return st;
    return Write([&]() -> Status {
      Stmt up(db_,
              "UPDATE assessments SET status = 'approved', approved_utc = ?1, approved_by = ?2, "
              "review_comment = ?3, updated_utc = ?1 WHERE id = ?4 AND status = 'submitted'");
      up.Bind(1, NowUtc()).Bind(2, a->user_id).Bind(3, comment).Bind(4, id);
      if (Status s = RunChanging(up, "the assessment was reviewed meanwhile"); !s.ok()) return s;
      if (Status s = AddReview(id, *a, "approved", comment); !s.ok()) return s;
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
      Stmt up(db_,
              "UPDATE assessments SET status = 'returned', review_comment = ?1, updated_utc = ?2 "
              "WHERE id = ?3 AND status = 'submitted'");
      up.Bind(1, comment).Bind(2, NowUtc()).Bind(3, id);
      if (Status s = RunChanging(up, "the assessment was reviewed meanwhile"); !s.ok()) return s;
      if (Status s = AddReview(id, *a, "returned", comment); !s.ok()) return s;
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
      Stmt up(db_,
              "UPDATE assessments SET answers = ?1 WHERE id = ?2 AND status = 'submitted' AND "
              "answers = ?3");
      up.BindBlob(1, answers).Bind(2, id).BindBlob(3, stored);
      if (Status s = RunChanging(up, "the assessment was reviewed meanwhile"); !s.ok()) return s;
      if (Status s = WriteIndexed(id, *result, computed); !s.ok()) return s;
      if (Status s = AddReview(id, *a, "level_changed", reason, before->final_level(),
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
    if (row->status != "approved")
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
      std::int64_t version = 0;
      {
        // One correction at a time: the newest version must be the approved one amended.
        Stmt latest(db_,
                    "SELECT version, id FROM assessments WHERE chain_id = ?1 AND status <> "
                    "'discarded' ORDER BY version DESC LIMIT 1");
        latest.Bind(1, row->chain_id);
        if (!latest.Step())
          return latest.status().ok() ? Status::NotFound("no such assessment") : latest.status();
        if (latest.Int(1) != id) {
          return Status::FailedPrecondition(
              "a newer version of this assessment exists; amend the newest one");
        }
        Stmt max(db_, "SELECT MAX(version) FROM assessments WHERE chain_id = ?1");
        max.Bind(1, row->chain_id);
        if (!max.Step()) return max.status();
        version = max.Int(0) + 1;
      }
      Stmt ins(
          db_,
          "INSERT INTO assessments (chain_id, version, amends_id, amend_reason, case_id, "
          "subject_id, contact_id, unit_id, author_id, instrument_id, instrument_version, "
          "logic_sha256, text_sha256, engine_version, lang, status, answers, created_utc, "
          "updated_utc) SELECT chain_id, ?1, id, ?2, case_id, subject_id, contact_id, unit_id, "
          "?3, ?4, ?5, ?6, ?7, ?8, lang, 'draft', ?9, ?10, ?10 FROM assessments WHERE id = ?11");
      ins.Bind(1, version)
          .Bind(2, reason)
          .Bind(3, a->user_id)
          .Bind(4, inst.id())
          .Bind(5, inst.version());
      ins.Bind(6, inst.logic_sha256()).Bind(7, inst.TextSha256(row->lang)).Bind(8, EngineVersion());
      ins.BindBlob(9, answers).Bind(10, NowUtc()).Bind(11, id);
      if (Status s = ins.Run(); !s.ok()) return s;
      new_id = sqlite3_last_insert_rowid(db_);
      if (Status s = Contributed(new_id, a->user_id, "author"); !s.ok()) return s;
      return Audit(*a, row->unit, "amend", fmt::format("assessment:{}", new_id), row->case_id,
                   std::string(reason));
    });
    if (!st.ok()) return st;
    return new_id;
  }

  Result<AssessmentRecord> ReadRecord(std::int64_t id) {
    Stmt st(
        db_,
        "SELECT a.id, a.chain_id, a.version, a.amends_id, a.amend_reason, a.status, a.unit_id, "
        "c.case_ref, a.subject_id, a.contact_id, u.name, a.instrument_id, a.instrument_version, "
        "a.logic_sha256, a.text_sha256, a.engine_version, a.lang, a.answers, a.result, "
        "a.created_utc, a.updated_utc, a.submitted_utc, a.approved_utc, a.review_comment, "
        "EXISTS (SELECT 1 FROM instrument_pins p WHERE p.instrument_id = a.instrument_id AND "
        "p.version = a.instrument_version AND p.logic_sha256 = a.logic_sha256), "
        "(SELECT o.name FROM users o WHERE o.id = COALESCE(a.owner_id, a.author_id)) "
        "FROM assessments a JOIN cases c ON c.id = a.case_id JOIN users u ON u.id = a.author_id "
        "WHERE a.id = ?1");
    st.Bind(1, id);
    if (!st.Step()) return st.status().ok() ? Status::NotFound("no such assessment") : st.status();
    AssessmentRecord r;
    r.id = st.Int(0);
    r.chain_id = st.Int(1);
    r.version = static_cast<int>(st.Int(2));
    r.amends_id = st.OptInt(3);
    r.amend_reason = st.Text(4);
    r.status = st.Text(5);
    r.unit = st.Text(6);
    r.case_ref = st.Text(7);
    r.subject_id = st.OptInt(8);
    r.contact_id = st.OptInt(9);
    r.author = st.Text(10);
    r.instrument_id = st.Text(11);
    r.instrument_version = st.Text(12);
    r.logic_sha256 = st.Text(13);
    r.text_sha256 = st.Text(14);
    r.engine_version = st.Text(15);
    r.lang = st.Text(16);
    if (!r.answers.ParseFromString(st.Blob(17)))
      return Status::Corruption("stored answers cannot be read");
    if (!st.IsNull(18)) {
      v1::Result result;
      if (!result.ParseFromString(st.Blob(18)))
        return Status::Corruption("a stored result cannot be read");
      r.result = std::move(result);
    }
    r.created_utc = st.Text(19);
    r.updated_utc = st.Text(20);
    r.logic_pinned = st.Int(24) != 0;
    r.submitted_utc = st.Text(21);
    r.approved_utc = st.Text(22);
    r.review_comment = st.Text(23);
    r.owner = st.Text(25);
    st.Reset();
    Stmt c(db_,
           "SELECT u.name, c.part FROM assessment_contributors c JOIN users u ON u.id = c.user_id "
           "WHERE c.assessment_id = ?1 ORDER BY c.first_utc, CASE c.part WHEN 'author' THEN 0 "
           "WHEN 'reassigner' THEN 1 WHEN 'owner' THEN 2 WHEN 'editor' THEN 3 ELSE 4 END, "
           "u.name");
    c.Bind(1, id);
    while (c.Step()) r.contributors.push_back({c.Text(0), c.Text(1)});
    if (!c.status().ok()) return c.status();
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
    Stmt st(db_,
            "SELECT id FROM assessments WHERE chain_id = ?1 AND status <> 'discarded' ORDER BY "
            "version");
    st.Bind(1, row->chain_id);
    std::vector<std::int64_t> ids;
    while (st.Step()) ids.push_back(st.Int(0));
    if (!st.status().ok()) return st.status();
    for (auto v : ids) {
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
    Stmt st(db_,
            "SELECT u.name, r.decision, r.comment, r.level_from, r.level_to, r.created_utc "
            "FROM reviews r JOIN users u ON u.id = r.reviewer_id JOIN assessments a ON a.id = "
            "r.assessment_id "
            "WHERE a.chain_id = ?1 ORDER BY r.id");
    st.Bind(1, row->chain_id);
    std::vector<ReviewEntry> out;
    while (st.Step())
      out.push_back({st.Text(0), st.Text(1), st.Text(2), st.Text(3), st.Text(4), st.Text(5)});
    if (!st.status().ok()) return st.status();
    return out;
  }

  Result<std::vector<AssessmentSummary>> List(const Actor& actor, const ListFilter& f) override {
    auto a = Resolve(actor, "list");
    if (!a.ok()) return a.status();
    if (!IsCaseRole(a->role)) return Deny(*a, f.unit, "list", "assessments");
    if (!f.unit.empty() && !InUnit(*a, f.unit)) return Deny(*a, f.unit, "list", "assessments");
    // Protected cases appear only to users granted them.
    Stmt st(
        db_,
        "SELECT a.id, a.chain_id, a.version, a.status, a.unit_id, c.case_ref, a.instrument_id, "
        "COALESCE(a.final_level, ''), u.name, a.updated_utc, "
        "EXISTS (SELECT 1 FROM instrument_pins p WHERE p.instrument_id = a.instrument_id AND "
        "p.version = a.instrument_version AND p.logic_sha256 = a.logic_sha256) "
        "FROM assessments a JOIN cases c ON c.id = a.case_id JOIN users u ON u.id = a.author_id "
        "WHERE a.unit_id IN (SELECT unit_id FROM user_units WHERE user_id = ?1) "
        "AND (?2 = '' OR a.unit_id = ?2) AND (?3 = '' OR a.status = ?3) "
        "AND (?3 <> '' OR a.status <> 'discarded') AND (?4 = '' OR c.case_ref = ?4) "
        "AND (?6 = 0 OR (a.author_id <> ?1 AND NOT EXISTS (SELECT 1 FROM "
        "assessment_contributors k WHERE k.assessment_id = a.id AND k.user_id = ?1))) "
        "AND (NOT EXISTS (SELECT 1 FROM subjects s WHERE s.case_id = a.case_id AND "
        "s.protected_identity = 1) "
        "     OR EXISTS (SELECT 1 FROM grants g WHERE g.case_id = a.case_id AND g.user_id = ?1 "
        "                AND (g.until_date IS NULL OR g.until_date >= ?7))) "
        "ORDER BY a.updated_utc DESC, a.id DESC LIMIT ?5");
    st.Bind(1, a->user_id)
        .Bind(2, f.unit)
        .Bind(3, f.status)
        .Bind(4, f.case_ref)
        .Bind(5, std::max(1, f.limit))
        .Bind(6, f.not_mine ? 1 : 0)
        .Bind(7, Today());
    std::vector<AssessmentSummary> out;
    while (st.Step()) {
      out.push_back({st.Int(0), st.Int(1), static_cast<int>(st.Int(2)), st.Text(3), st.Text(4),
                     st.Text(5), st.Text(6), st.Text(7), st.Text(8), st.Text(9), st.Int(10) != 0});
    }
    if (!st.status().ok()) return st.status();
    return out;
  }

  // ---------------------------------------------------------------- follow-up

  Result<std::vector<DueItem>> Due(const Actor& actor, bool overdue_only) override {
    auto a = Resolve(actor, "due");
    if (!a.ok()) return a.status();
    if (!IsCaseRole(a->role)) return Deny(*a, "-", "due", "due_items");
    const std::string today = Today();
    Stmt st(
        db_,
        "SELECT d.id, d.assessment_id, d.unit_id, c.case_ref, d.kind, COALESCE(d.due_date, '') "
        "FROM due_items d JOIN cases c ON c.id = d.case_id "
        "WHERE d.done_utc IS NULL AND d.unit_id IN (SELECT unit_id FROM user_units WHERE user_id = "
        "?1) "
        "AND (NOT EXISTS (SELECT 1 FROM subjects s WHERE s.case_id = d.case_id AND "
        "s.protected_identity = 1) "
        "     OR EXISTS (SELECT 1 FROM grants g WHERE g.case_id = d.case_id AND g.user_id = ?1 "
        "                AND (g.until_date IS NULL OR g.until_date >= ?3))) "
        "AND (?2 = 0 OR (d.due_date IS NOT NULL AND d.due_date < ?3)) "
        "ORDER BY d.due_date IS NULL, d.due_date, d.id");
    st.Bind(1, a->user_id).Bind(2, overdue_only ? 1 : 0).Bind(3, today);
    std::vector<DueItem> out;
    while (st.Step()) {
      DueItem d;
      d.id = st.Int(0);
      d.assessment_id = st.Int(1);
      d.unit = st.Text(2);
      d.case_ref = st.Text(3);
      d.kind = st.Text(4);
      d.due_date = st.Text(5);
      d.overdue = !d.due_date.empty() && d.due_date < today;
      out.push_back(std::move(d));
    }
    if (!st.status().ok()) return st.status();
    return out;
  }

  Status MarkDone(const Actor& actor, std::int64_t due_item) override {
    auto a = Resolve(actor, "mark_done");
    if (!a.ok()) return a.status();
    std::string unit;
    std::int64_t case_id = 0;
    bool done = false;
    {
      Stmt st(db_, "SELECT unit_id, case_id, done_utc FROM due_items WHERE id = ?1");
      st.Bind(1, due_item);
      if (!st.Step()) return st.status().ok() ? Status::NotFound("no such due item") : st.status();
      unit = st.Text(0);
      case_id = st.Int(1);
      done = !st.IsNull(2);
    }
    if (!MaySeeCase(*a, unit, case_id)) {
      (void)Deny(*a, unit, "mark_done", fmt::format("due_item:{}", due_item), case_id);
      return Status::NotFound("no such due item");
    }
    if (done) return Status::FailedPrecondition("the item is already done");
    return Write([&] {
      Stmt up(
          db_,
          "UPDATE due_items SET done_utc = ?1, done_by = ?2 WHERE id = ?3 AND done_utc IS NULL");
      up.Bind(1, NowUtc()).Bind(2, a->user_id).Bind(3, due_item);
      if (Status s = RunChanging(up, "the item is already done"); !s.ok()) return s;
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
        Stmt st(db_, "SELECT id FROM subjects WHERE case_id = ?1 ORDER BY id LIMIT 2");
        st.Bind(1, *case_id);
        std::vector<std::int64_t> people;
        while (st.Step()) people.push_back(st.Int(0));
        if (!st.status().ok()) return st.status();
        if (people.size() > 1) {
          return Status::InvalidArgument(
              "subject: the case has more than one person; name the person the information was "
              "given to");
        }
        if (people.size() == 1) person = people.front();
      }
      if (Status s = CheckLinks(*case_id, person, std::nullopt); !s.ok()) return s;
      for (const auto& r : resources) {
        Stmt ins(db_,
                 "INSERT INTO support_given (case_id, subject_id, resource_id, given_by, "
                 "created_utc, local_date) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
        ins.Bind(1, *case_id)
            .Bind(2, person)
            .Bind(3, r)
            .Bind(4, a->user_id)
            .Bind(5, NowUtc())
            .Bind(6, Today());
        if (Status s = ins.Run(); !s.ok()) return s;
      }
      return Audit(*a, unit, "support_given", "case", *case_id);
    });
  }

  // ---------------------------------------------------------------- case-system numbers

  // Who may record and read a unit's case-system numbers: its supervisors, and coordinators
  // of it (or of every unit when they have none).
  static bool MayCountUnit(const Actor& a, std::string_view unit) {
    if (a.role == "supervisor") return InUnit(a, unit);
    if (a.role == "coordinator") return a.units.empty() || InUnit(a, unit);
    return false;
  }

  Status RecordCaseSystemContacts(const Actor& actor,
                                  const std::vector<CaseSystemCount>& counts) override {
    auto a = Resolve(actor, "case_system_contacts");
    if (!a.ok()) return a.status();
    if (a->role != "supervisor" && a->role != "coordinator") {
      return Deny(*a, "-", "case_system_contacts", "counts");
    }
    if (counts.empty()) return Status::InvalidArgument("counts: give at least one number");
    std::set<std::pair<std::string, std::string>> seen;
    for (std::size_t i = 0; i < counts.size(); ++i) {
      const CaseSystemCount& c = counts[i];
      const std::string where = fmt::format("entry {}", i + 1);
      if (Status s = CheckUnitId(c.unit); !s.ok())
        return Status::InvalidArgument(where + ": " + s.message());
      if (c.month.size() != 7 || c.month[4] != '-' || !internal::ValidDate(c.month + "-01")) {
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
        {
          Stmt unit(db_, "SELECT 1 FROM units WHERE id = ?1");
          unit.Bind(1, c.unit);
          if (!unit.Step()) {
            if (!unit.status().ok()) return unit.status();
            return Status::InvalidArgument(fmt::format("entry {}: unit: no such unit", i + 1));
          }
        }
        std::string before = "-";
        {
          Stmt old(db_,
                   "SELECT contacts FROM case_system_contacts WHERE unit_id = ?1 AND month = ?2");
          old.Bind(1, c.unit).Bind(2, c.month);
          if (old.Step()) before = std::to_string(old.Int(0));
          if (!old.status().ok()) return old.status();
        }
        Stmt up(db_,
                "INSERT INTO case_system_contacts (unit_id, month, contacts, recorded_by, "
                "recorded_utc) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (unit_id, month) DO "
                "UPDATE SET contacts = excluded.contacts, recorded_by = excluded.recorded_by, "
                "recorded_utc = excluded.recorded_utc");
        up.Bind(1, c.unit)
            .Bind(2, c.month)
            .Bind(3, c.contacts)
            .Bind(4, a->user_id)
            .Bind(5, NowUtc());
        if (Status s = up.Run(); !s.ok()) return s;
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
    if (a->role != "supervisor" && a->role != "coordinator") {
      return Deny(*a, "-", "case_system_contacts_read", "counts");
    }
    for (std::string_view m : {from_month, to_month}) {
      if (m.size() != 7 || m[4] != '-' || !internal::ValidDate(std::string(m) + "-01")) {
        return Status::InvalidArgument("month: expected YYYY-MM");
      }
    }
    Stmt st(db_,
            "SELECT c.unit_id, c.month, c.contacts, u.name, c.recorded_utc "
            "FROM case_system_contacts c JOIN users u ON u.id = c.recorded_by "
            "WHERE c.month BETWEEN ?1 AND ?2 ORDER BY c.unit_id, c.month");
    st.Bind(1, from_month).Bind(2, to_month);
    std::vector<CaseSystemCount> out;
    while (st.Step()) {
      CaseSystemCount c{st.Text(0), st.Text(1), st.Int(2), st.Text(3), st.Text(4)};
      if (MayCountUnit(*a, c.unit)) out.push_back(std::move(c));
    }
    if (!st.status().ok()) return st.status();
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
    struct CaseRow {
      std::int64_t id;
      std::string unit, ref;
    };
    std::vector<CaseRow> cases;
    {
      Stmt st(db_,
              "SELECT c.id, c.unit_id, c.case_ref FROM cases c "
              "WHERE c.unit_id IN (SELECT unit_id FROM user_units WHERE user_id = ?1) "
              "AND (?2 = '' OR c.unit_id = ?2) AND (?3 = '' OR c.case_ref = ?3) "
              "AND NOT EXISTS (SELECT 1 FROM subjects s WHERE s.case_id = c.id AND "
              "s.protected_identity = 1) ORDER BY c.unit_id, c.case_ref");
      st.Bind(1, a->user_id).Bind(2, unit).Bind(3, case_ref);
      while (st.Step()) cases.push_back({st.Int(0), st.Text(1), st.Text(2)});
      if (!st.status().ok()) return st.status();
    }
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
        Stmt st(db_,
                "SELECT id, contact_date, outcome, COALESCE(not_asked_reason, '') FROM contacts "
                "WHERE case_id = ?1 ORDER BY contact_date, id");
        st.Bind(1, c.id);
        while (st.Step()) {
          nlohmann::ordered_json j = {{"id", st.Int(0)},
                                      {"date", st.Text(1)},
                                      {"outcome", st.Text(2)},
                                      {"not_asked_reason", st.Text(3)}};
          Stmt vt(db_,
                  "SELECT type FROM contact_violence_types WHERE contact_id = ?1 ORDER BY type");
          vt.Bind(1, st.Int(0));
          auto& types = j["violence_types"] = nlohmann::ordered_json::array();
          while (vt.Step()) types.push_back(vt.Text(0));
          contacts.push_back(std::move(j));
        }
        if (!st.status().ok()) return st.status();
      }
      auto& subjects = jc["subjects"] = nlohmann::ordered_json::array();
      {
        Stmt st(db_,
                "SELECT id, role, COALESCE(age_band, '') FROM subjects WHERE case_id = ?1 "
                "ORDER BY id");
        st.Bind(1, c.id);
        while (st.Step()) {
          subjects.push_back({{"id", st.Int(0)}, {"role", st.Text(1)}, {"age_band", st.Text(2)}});
        }
        if (!st.status().ok()) return st.status();
      }
      std::vector<std::int64_t> ids;
      {
        // The newest submitted or approved version of each assessment.
        Stmt st(db_,
                "SELECT a.id FROM assessments a WHERE a.case_id = ?1 AND a.status IN "
                "('submitted', 'approved') AND a.version = (SELECT MAX(b.version) FROM "
                "assessments b WHERE b.chain_id = a.chain_id AND b.status IN ('submitted', "
                "'approved')) ORDER BY a.chain_id");
        st.Bind(1, c.id);
        while (st.Step()) ids.push_back(st.Int(0));
        if (!st.status().ok()) return st.status();
      }
      auto& assessments = jc["assessments"] = nlohmann::ordered_json::array();
      for (auto id : ids) {
        auto r = ReadRecord(id);
        if (!r.ok()) return r.status();
        StripFreeText(r->answers);
        nlohmann::ordered_json j = {{"id", r->chain_id},
                                    {"version", r->version},
                                    {"status", r->status},
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
    if (a->role != "supervisor" || !InUnit(*a, unit)) return Deny(*a, unit, "case_extract", "case");
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
      Stmt st(db_,
              "SELECT id, contact_date, outcome, COALESCE(not_asked_reason, ''), "
              "COALESCE(not_asked_note, '') FROM contacts WHERE case_id = ?1 ORDER BY id");
      st.Bind(1, *case_id);
      while (st.Step()) {
        nlohmann::ordered_json c = {{"id", st.Int(0)},
                                    {"date", st.Text(1)},
                                    {"outcome", st.Text(2)},
                                    {"not_asked_reason", st.Text(3)},
                                    {"not_asked_note", st.Text(4)}};
        Stmt vt(db_, "SELECT type FROM contact_violence_types WHERE contact_id = ?1 ORDER BY type");
        vt.Bind(1, st.Int(0));
        auto& types = c["violence_types"] = nlohmann::ordered_json::array();
        while (vt.Step()) types.push_back(vt.Text(0));
        contacts.push_back(std::move(c));
      }
      if (!st.status().ok()) return st.status();
    }
    auto& subjects = doc["subjects"] = nlohmann::ordered_json::array();
    {
      Stmt st(db_,
              "SELECT id, role, COALESCE(age_band, ''), protected_identity FROM subjects "
              "WHERE case_id = ?1 ORDER BY id");
      st.Bind(1, *case_id);
      while (st.Step()) {
        nlohmann::ordered_json sj = {{"id", st.Int(0)},
                                     {"role", st.Text(1)},
                                     {"age_band", st.Text(2)},
                                     {"protected_identity", st.Int(3) != 0}};
        Stmt vg(db_, "SELECT vgroup FROM subject_groups WHERE subject_id = ?1 ORDER BY vgroup");
        vg.Bind(1, st.Int(0));
        auto& groups = sj["vulnerable_groups"] = nlohmann::ordered_json::array();
        while (vg.Step()) groups.push_back(vg.Text(0));
        subjects.push_back(std::move(sj));
      }
      if (!st.status().ok()) return st.status();
    }
    auto& assessments = doc["assessments"] = nlohmann::ordered_json::array();
    {
      Stmt st(
          db_,
          "SELECT id FROM assessments WHERE case_id = ?1 AND status <> 'discarded' ORDER BY id");
      st.Bind(1, *case_id);
      std::vector<std::int64_t> ids;
      while (st.Step()) ids.push_back(st.Int(0));
      if (!st.status().ok()) return st.status();
      for (auto id : ids) {
        auto r = ReadRecord(id);
        if (!r.ok()) return r.status();
        nlohmann::ordered_json j = {
            {"id", r->id},         {"version", r->version},
            {"status", r->status}, {"instrument", r->instrument_id + "@" + r->instrument_version},
            {"author", r->author}, {"created_utc", r->created_utc}};
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

  Result<AuditVerification> VerifyChain(const std::optional<internal::AuditAnchor>& anchor) {
    auto report = internal::VerifyAudit(db_, key_, anchor);
    if (!report.ok()) return report.status();
    auto head = internal::AuditHead(db_);
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
    if (a->role != "admin") return Deny(*a, "-", "audit_verify", "audit");
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
    const bool admin = a->role == "admin";
    const bool supervisor = a->role == "supervisor" && !unit.empty() && InUnit(*a, unit);
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
    Stmt st(db_,
            "SELECT seq, at_utc, user_name, role, unit, action, object, reason FROM audit "
            "WHERE (?1 IS NULL OR case_id = ?1) AND (?2 = '' OR unit = ?2) "
            "AND (?3 = 0 OR case_id IS NULL "
            "     OR NOT EXISTS (SELECT 1 FROM subjects s WHERE s.case_id = audit.case_id AND "
            "                    s.protected_identity = 1) "
            "     OR EXISTS (SELECT 1 FROM grants g WHERE g.case_id = audit.case_id AND "
            "                g.user_id = ?3 AND (g.until_date IS NULL OR g.until_date >= ?4))) "
            "ORDER BY seq");
    st.Bind(1, case_id).Bind(2, unit).Bind(3, admin ? 0 : a->user_id).Bind(4, Today());
    std::vector<AuditEntry> out;
    while (st.Step()) {
      out.push_back({st.Int(0), st.Text(1), st.Text(2), st.Text(3), st.Text(4), st.Text(5),
                     st.Text(6), st.Text(7)});
    }
    if (!st.status().ok()) return st.status();
    Status w =
        Write([&] { return Audit(*a, unit, "audit_log", case_id ? "case" : "audit", case_id); });
    if (!w.ok()) return w;
    return out;
  }

  Result<AuditVerification> Check(const Actor& actor) override {
    auto a = Resolve(actor, "check");
    if (!a.ok()) return a.status();
    if (a->role != "admin") return Deny(*a, "-", "check", "database");
    {
      Stmt ic(db_, "PRAGMA integrity_check");
      if (!ic.Step())
        return ic.status().ok() ? Status::Corruption("integrity_check gave no answer")
                                : ic.status();
      if (ic.Text(0) != "ok")
        return Status::Corruption("the database file is damaged (integrity_check)");
      Stmt fk(db_, "PRAGMA foreign_key_check");
      if (fk.Step())
        return Status::Corruption("the database has broken references (foreign_key_check)");
      if (!fk.status().ok()) return fk.status();
    }
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
    if (a->role != "admin") return Deny(*a, "-", "backup", "database");
    // A backup whose chain does not verify would be refused by every restore: say so now,
    // while the database is still there to look into, unless told to back it up anyway.
    auto chain = internal::VerifyAudit(db_, key_, std::nullopt);
    if (!chain.ok()) return chain.status();
    internal::BackupManifest manifest;
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
    auto head = internal::AuditHead(db_);
    if (!head.ok()) return head.status();
    manifest.anchor = *head;
    internal::BackupSecret secret;
    secret.passphrase = std::string(passphrase);
    secret.key_file = key_file;
    return internal::WriteBackup(db_, manifest, secret, out);
  }

 private:
  sqlite3* db_;
  fs::path path_;
  std::shared_ptr<const Registry> registry_;
  StoreOptions options_;
  internal::AuditKey key_;
  std::shared_ptr<const Clock> clock_;
  bool in_bulk_ = false;
  int write_depth_ = 0;
  std::string dummy_hash_;  // DummyHash()  // Write()s under way (0 or 1 outside a bulk)
  std::vector<internal::AuditEvent> pending_denials_;  // AuditDenial: written after the write
};

namespace {

// SQLite's locking and syncing are unreliable on network and FUSE filesystems.
Status CheckLocalFilesystem(const fs::path& path, const StoreOptions& options) {
  if (options.allow_network_filesystem) return Status::Ok();
  const std::string_view network = internal::NetworkFilesystemOf(path);
  if (network.empty()) return Status::Ok();
  return Status::FailedPrecondition(
      fmt::format("the database is on a network filesystem ({}), where SQLite can lose data; "
                  "use a local disk or the server deployment",
                  network));
}

// "file:PATH?mode=ro&immutable=1": SQLite reads the file and nothing else (no -wal, -shm or
// journal is opened or made, no lock taken), so a 0400 evidence copy opens and stays as it is.
std::string ImmutableUri(const fs::path& path) {
  std::string uri = "file:";
  for (const unsigned char c : path.string()) {
    if (std::isalnum(c) || std::strchr("/-._~", c) != nullptr) {
      uri.push_back(static_cast<char>(c));
    } else {
      uri += fmt::format("%{:02X}", c);
    }
  }
  return uri + "?mode=ro&immutable=1";
}

// A read-only open sees the main file only: refuse when changes wait beside it.
Status NothingBeside(const fs::path& path) {
  for (const char* suffix : {"-wal", "-journal"}) {
    const fs::path side = path.string() + suffix;
    std::error_code ec;
    const auto size = fs::file_size(side, ec);
    if (!ec && size > 0) {
      return Status::FailedPrecondition(fmt::format(
          "{} exists: the database was not closed cleanly or is in use, and a read-only open "
          "would not see the changes in it; check a copy made by `screening backup` and "
          "`screening restore`, or open it without read-only",
          side.string()));
    }
  }
  return Status::Ok();
}

Result<sqlite3*> OpenDb(const fs::path& path, bool create, const StoreOptions& options) {
  if (Status st = CheckLocalFilesystem(path, options); !st.ok()) return st;
  sqlite3* db = nullptr;
  int rc = SQLITE_OK;
  if (options.read_only) {
    if (create) return Status::InvalidArgument("a database cannot be created read-only");
    if (Status st = NothingBeside(path); !st.ok()) return st;
    rc = sqlite3_open_v2(ImmutableUri(path).c_str(), &db,
                         SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_FULLMUTEX, nullptr);
  } else {
    // A new database is never made through a symbolic link planted at its name.
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX |
                      (create ? SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW : 0);
    rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  }
  if (rc != SQLITE_OK) {
    Status st = internal::SqlStatus(db, rc, "opening the database");
    sqlite3_close_v2(db);
    return st;
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  return db;
}

Status Configure(sqlite3* db, bool read_only = false) {
  for (const char* pragma :
       {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON",
        "PRAGMA secure_delete = ON", "PRAGMA trusted_schema = OFF"}) {
    // Setting the journal mode may write the file's header: not on a read-only open.
    if (read_only && std::string_view(pragma).find("journal_mode") != std::string_view::npos) {
      continue;
    }
    Stmt st(db, pragma);
    if (!st.ok()) return st.prepare_status();
    while (st.Step()) {
    }
    if (!st.status().ok()) return st.status();
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<Store>> CreateSqliteStore(const fs::path& path,
                                                 std::shared_ptr<const Registry> registry,
                                                 std::string_view admin_name,
                                                 std::string_view admin_password,
                                                 const StoreOptions& options, bool trust_os_login) {
  std::error_code ec;
  if (fs::exists(fs::symlink_status(path, ec)))
    return Status::AlreadyExists(fmt::format("{} exists already", path.string()));
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  if (!fs::exists(dir, ec)) {
    fs::create_directories(dir, ec);
    if (ec) return Status::IoError(fmt::format("cannot create the folder {}", dir.string()));
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  }
  if (!ValidUserName(admin_name)) {
    return Status::InvalidArgument(
        "administrator name: lower-case letters, digits, '.', '_' or '-' (at most 64)");
  }
  auto hash = internal::HashPassword(admin_password, Cost(options.password_cost));
  if (!hash.ok()) return hash.status();
  const fs::path key_path =
      options.audit_key_file.empty() ? DefaultAuditKeyPath() : options.audit_key_file;
  auto key = fs::exists(key_path, ec) ? internal::AuditKey::Load(key_path)
                                      : internal::AuditKey::Create(key_path);
  if (!key.ok()) return key.status();

  // Create the file 0600 before SQLite opens it, so it is never readable by others.
  {
    const mode_t old = umask(077);
    auto db = OpenDb(path, true, options);
    umask(old);
    if (!db.ok()) return db.status();
    sqlite3* raw = *db;
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace,
                    ec);
    Status st =
        Exec(raw, fmt::format("PRAGMA application_id = {}", internal::kApplicationId), "stamping");
    if (st.ok()) st = Configure(raw);
    if (st.ok()) st = internal::Migrate(raw);
    auto store = std::make_unique<SqliteStore>(raw, path, registry, options, *key);
    if (st.ok()) {
      st = store->Write([&]() -> Status {
        const std::string now = store->NowUtc();
        for (auto [k, v] : {std::pair<std::string, std::string>{"created_utc", now},
                            {"auth_mode", trust_os_login ? "os_trust" : "password"},
                            {"audit_key_check", KeyCheck(*key)},
                            {"created_by_engine", EngineVersion()}}) {
          Stmt m(raw, "INSERT INTO meta (key, value) VALUES (?1, ?2)");
          m.Bind(1, k).Bind(2, v);
          if (Status s = m.Run(); !s.ok()) return s;
        }
        Stmt u(raw,
               "INSERT INTO users (name, role, password_hash, created_utc) VALUES (?1, 'admin', "
               "?2, ?3)");
        u.Bind(1, admin_name).Bind(2, *hash).Bind(3, now);
        if (Status s = u.Run(); !s.ok()) return s;
        if (Status s = store->Audit(std::string(admin_name), "admin", "-", "init", "database",
                                    std::nullopt, trust_os_login ? "os_trust" : "password");
            !s.ok()) {
          return s;
        }
        return store->Audit(std::string(admin_name), "admin", "-", "add_user",
                            "user:" + std::string(admin_name), std::nullopt, "admin");
      });
    }
    if (st.ok()) st = store->PinInstalledAtStart(std::string(admin_name), "admin");
    if (!st.ok()) {
      store.reset();
      fs::remove(path, ec);
      fs::remove(fs::path(path.string() + "-wal"), ec);
      fs::remove(fs::path(path.string() + "-shm"), ec);
      return st;
    }
    return std::unique_ptr<Store>(std::move(store));
  }
}

namespace {

// "os:<login name>" of this process's OS user ("os:<uid>" when it has no name).
std::string OsUserName() {
  const uid_t uid = ::getuid();
  std::vector<char> buffer(16384);
  struct passwd pw {};
  struct passwd* found = nullptr;
  if (::getpwuid_r(uid, &pw, buffer.data(), buffer.size(), &found) == 0 && found != nullptr &&
      found->pw_name != nullptr && found->pw_name[0] != '\0') {
    return fmt::format("os:{}", found->pw_name);
  }
  return fmt::format("os:{}", static_cast<unsigned long>(uid));
}

}  // namespace

LoginContext LoginContext::Local() {
  return LoginContext{fmt::format("local:{}", static_cast<unsigned long>(::getuid()))};
}

Result<std::unique_ptr<Store>> OpenSqliteStore(const fs::path& path,
                                               std::shared_ptr<const Registry> registry,
                                               const StoreOptions& options) {
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    return Status::NotFound(
        fmt::format("no database at {} (create one with `screening init`)", path.string()));
  }
  auto db = OpenDb(path, false, options);
  if (!db.ok()) return db.status();
  sqlite3* raw = *db;
  auto fail = [&](Status st) -> Result<std::unique_ptr<Store>> {
    sqlite3_close_v2(raw);
    return st;
  };
  {
    Stmt app(raw, "PRAGMA application_id");
    if (!app.Step()) {
      Status st = app.status();
      return fail(st.code() == StatusCode::kCorruption || st.ok()
                      ? Status::FailedPrecondition(
                            fmt::format("{} is not a screening database", path.string()))
                      : st);
    }
    if (app.Int(0) != internal::kApplicationId) {
      return fail(
          Status::FailedPrecondition(fmt::format("{} is not a screening database", path.string())));
    }
  }
  if (Status st = Configure(raw, options.read_only); !st.ok()) return fail(st);
  if (options.read_only) {
    // No migration: the file stays as it is, so it must be of this program's schema.
    auto version = internal::ReadUserVersion(raw);
    if (!version.ok()) return fail(version.status());
    if (*version != internal::SchemaVersion()) {
      return fail(Status::FailedPrecondition(fmt::format(
          "{} has schema version {} and this program {}; a read-only open does not migrate: "
          "check a copy without read-only",
          path.string(), *version, internal::SchemaVersion())));
    }
  } else if (Status st = internal::Migrate(raw); !st.ok()) {
    return fail(st);
  }
  if (Status st = internal::VerifySchema(raw); !st.ok()) return fail(st);
  const fs::path key_path =
      options.audit_key_file.empty() ? DefaultAuditKeyPath() : options.audit_key_file;
  auto key = internal::AuditKey::Load(key_path);
  if (!key.ok()) {
    return fail(
        Status(key.status().code(), fmt::format("the audit key ({}) cannot be used: {}",
                                                key_path.string(), key.status().message())));
  }
  Stmt check(raw, "SELECT value FROM meta WHERE key = 'audit_key_check'");
  if (!check.Step() || check.Text(0) != KeyCheck(*key)) {
    return fail(Status::Corruption("the audit key does not belong to this database"));
  }
  StoreOptions store_options = options;
  // A second connection would open the file without the read-only mode (and make -wal/-shm).
  if (options.read_only) store_options.indicator_threads = 1;
  check.Reset();
  auto store = std::make_unique<SqliteStore>(raw, path, std::move(registry), store_options, *key);
  // A database made before instruments were pinned accepts the set installed when it is first
  // opened by this version (audited as by "-").
  if (!options.read_only) {
    if (Status st = store->PinInstalledAtStart("-", "-"); !st.ok()) return st;
  }
  return std::unique_ptr<Store>(std::move(store));
}

Status RestoreSqliteBackup(const fs::path& backup, std::string_view passphrase,
                           const fs::path& key_file, const fs::path& target,
                           const StoreOptions& options, const BackupOptions& backup_options) {
  if (Status st = CheckLocalFilesystem(target, options); !st.ok()) return st;
  const fs::path key_path =
      options.audit_key_file.empty() ? DefaultAuditKeyPath() : options.audit_key_file;
  auto key = internal::AuditKey::Load(key_path);
  if (!key.ok()) return key.status();
  internal::BackupSecret secret;
  secret.passphrase = std::string(passphrase);
  secret.key_file = key_file;
  // Runs on the decrypted database in memory, before the file gets its name.
  auto verify = [&](sqlite3* db, const internal::BackupManifest& manifest) -> Status {
    for (const char* pragma : {"PRAGMA foreign_keys = ON", "PRAGMA trusted_schema = OFF"}) {
      if (Status st = Exec(db, pragma, "restoring"); !st.ok()) return st;
    }
    auto report = internal::VerifyAudit(db, *key, manifest.anchor);
    if (!report.ok()) return report.status();
    std::string reason = manifest.anchor.last_mac_hex;
    if (manifest.broken_chain_at != 0 || !report->ok) {
      const std::int64_t at = report->ok ? manifest.broken_chain_at : report->first_bad_seq;
      if (!backup_options.allow_broken_chain) {
        if (manifest.broken_chain_at != 0) {
          return Status::Corruption(fmt::format(
              "backup file {} was made of a database whose audit chain was broken at event {}; "
              "restore it only if you accept that (allow_broken_chain, the CLI's "
              "--allow-broken-chain)",
              backup.string(), manifest.broken_chain_at));
        }
        return Status::Corruption(fmt::format(
            "the restored audit chain does not verify at event {}: {}; restore it only if you "
            "accept that (allow_broken_chain, the CLI's --allow-broken-chain)",
            report->first_bad_seq, report->problem));
      }
      reason += fmt::format(" broken_chain_at={}", at);
    }
    const std::int64_t now = options.clock ? options.clock->NowUnix() : SystemClock().NowUnix();
    // Nobody can log in to a database before it exists: the restore is the OS user's, who
    // holds the backup and its key or passphrase (issue 15: it was attributed to "-").
    const internal::AuditEvent event{internal::FormatUtc(now),
                                     OsUserName(),
                                     "-",
                                     "-",
                                     "restore",
                                     "database",
                                     std::nullopt,
                                     reason + " " + LoginContext::Local().source};
    if (Status st = Exec(db, "BEGIN IMMEDIATE", "restoring"); !st.ok()) return st;
    Status st = internal::AppendAudit(db, *key, event);
    if (st.ok()) st = Exec(db, "COMMIT", "restoring");
    if (!st.ok()) (void)Exec(db, "ROLLBACK", "restoring");
    return st;
  };
  auto restored = internal::RestoreBackup(backup, secret, target, verify);
  return restored.ok() ? Status::Ok() : restored.status();
}

}  // namespace screening
