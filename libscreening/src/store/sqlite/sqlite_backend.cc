// The SQLite rows and transactions of the case service (store/backend.h).
#include "store/sqlite/sqlite_backend.h"

#include <chrono>
#include <thread>
#include <type_traits>

#include <fmt/format.h>

#include "store/sqlite/audit.h"
#include "store/sqlite/backup.h"
#include "store/sqlite/indicators_sqlite.h"
#include "store/sqlite/sql.h"

namespace screening::internal {
namespace {

class SqliteBackend : public Backend {
 public:
  SqliteBackend(sqlite3* db, const AuditKey& key, int busy_timeout_ms)
      : db_(db), key_(key), busy_timeout_ms_(busy_timeout_ms) {}
  ~SqliteBackend() override { sqlite3_close_v2(db_); }
  SqliteBackend(const SqliteBackend&) = delete;
  SqliteBackend& operator=(const SqliteBackend&) = delete;

  // ---------------------------------------------------------------- transactions

  Status Write(const std::function<Status()>& fn) override {
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
    return st;
  }

  Status Bulk(const std::function<Status()>& fn) override {
    if (in_bulk_) return Status::FailedPrecondition("bulk mode does not nest");
    Status begin = BeginImmediate();
    if (!begin.ok()) return begin;
    in_bulk_ = true;
    Status st = fn();
    in_bulk_ = false;
    if (st.ok()) st = Exec(db_, "COMMIT", "committing");
    if (!st.ok()) (void)Exec(db_, "ROLLBACK", "rolling back");
    return st;
  }

  bool InTransaction() const override { return in_bulk_ || write_depth_ > 0; }

  // ---------------------------------------------------------------- audit

  Status AppendAudit(const AuditEvent& event) override {
    return internal::AppendAudit(db_, key_, event);
  }

  Result<AuditVerifyReport> VerifyAuditChain(const std::optional<AuditAnchor>& anchor) override {
    return VerifyAudit(db_, key_, anchor);
  }

  Result<AuditAnchor> AuditHead() override { return internal::AuditHead(db_); }

  Result<std::vector<AuditEntry>> AuditEntries(std::optional<std::int64_t> case_id,
                                               std::string_view unit, std::int64_t visible_to,
                                               std::string_view today) override {
    Stmt st(db_,
            "SELECT seq, at_utc, user_name, role, unit, action, object, reason FROM audit "
            "WHERE (?1 IS NULL OR case_id = ?1) AND (?2 = '' OR unit = ?2) "
            "AND (?3 = 0 OR case_id IS NULL "
            "     OR NOT EXISTS (SELECT 1 FROM subjects s WHERE s.case_id = audit.case_id AND "
            "                    s.protected_identity = 1) "
            "     OR EXISTS (SELECT 1 FROM grants g WHERE g.case_id = audit.case_id AND "
            "                g.user_id = ?3 AND (g.until_date IS NULL OR g.until_date >= ?4))) "
            "ORDER BY seq");
    st.Bind(1, case_id).Bind(2, unit).Bind(3, visible_to).Bind(4, today);
    std::vector<AuditEntry> out;
    while (st.Step()) {
      out.push_back({st.Int(0), st.Text(1), st.Text(2), st.Text(3), st.Text(4), st.Text(5),
                     st.Text(6), st.Text(7)});
    }
    if (!st.status().ok()) return st.status();
    return out;
  }

  // ---------------------------------------------------------------- maintenance

  Status CheckIntegrity() override {
    Stmt ic(db_, "PRAGMA integrity_check");
    if (!ic.Step())
      return ic.status().ok() ? Status::Corruption("integrity_check gave no answer") : ic.status();
    if (ic.Text(0) != "ok")
      return Status::Corruption("the database file is damaged (integrity_check)");
    Stmt fk(db_, "PRAGMA foreign_key_check");
    if (fk.Step())
      return Status::Corruption("the database has broken references (foreign_key_check)");
    return fk.status();
  }

  Status WriteBackup(const BackupManifest& manifest, const BackupSecret& secret,
                     const std::filesystem::path& out) override {
    return internal::WriteBackup(db_, manifest, secret, out);
  }

  // ---------------------------------------------------------------- settings, units

  Result<std::optional<std::string>> Setting(std::string_view key) override {
    Stmt st(db_, "SELECT value FROM meta WHERE key = ?1");
    st.Bind(1, key);
    if (st.Step()) return std::optional<std::string>(st.Text(0));
    if (!st.status().ok()) return st.status();
    return std::optional<std::string>();
  }

  Status PutSetting(std::string_view key, std::string_view value) override {
    Stmt m(db_, "INSERT INTO meta (key, value) VALUES (?1, ?2)");
    m.Bind(1, key).Bind(2, value);
    return m.Run();
  }

  Result<bool> UnitExists(std::string_view unit) override {
    Stmt st(db_, "SELECT 1 FROM units WHERE id = ?1");
    st.Bind(1, unit);
    const bool found = st.Step();
    if (!st.status().ok()) return st.status();
    return found;
  }

  Status InsertUnit(std::string_view unit, std::string_view created_utc) override {
    Stmt ins(db_, "INSERT INTO units (id, created_utc) VALUES (?1, ?2) ON CONFLICT DO NOTHING");
    ins.Bind(1, unit).Bind(2, created_utc);
    return ins.Run();
  }

  // ---------------------------------------------------------------- accounts

  static constexpr std::string_view kAccountColumns =
      "SELECT id, name, role, active, must_change_password, awaiting_confirmation, "
      "password_hash, created_utc, COALESCE(bootstrap_utc, ''), requested_by FROM users ";

  // The schema's CHECK constraints hold role and status to their ids (schema.cc), so a
  // column always names one; the fallbacks are never reached.
  static Role RoleColumn(Stmt& st, int i) {
    return RoleFromId(st.Text(i)).value_or(Role::kCaseworker);
  }
  static AssessmentStatus StatusColumn(Stmt& st, int i) {
    return StatusFromId(st.Text(i)).value_or(AssessmentStatus::kDraft);
  }

  static AccountRow ReadAccount(Stmt& st) {
    AccountRow row;
    row.id = st.Int(0);
    row.name = st.Text(1);
    row.role = RoleColumn(st, 2);
    row.active = st.Int(3) != 0;
    row.must_change_password = st.Int(4) != 0;
    row.awaiting_confirmation = st.Int(5) != 0;
    row.password_hash = st.OptText(6);
    row.created_utc = st.Text(7);
    row.bootstrap_utc = st.Text(8);
    row.requested_by = st.OptInt(9);
    return row;
  }

  Result<std::optional<AccountRow>> AccountById(std::int64_t id) override {
    Stmt st(db_, std::string(kAccountColumns) + "WHERE id = ?1");
    st.Bind(1, id);
    if (st.Step()) return std::optional<AccountRow>(ReadAccount(st));
    if (!st.status().ok()) return st.status();
    return std::optional<AccountRow>();
  }

  Result<std::optional<AccountRow>> AccountByName(std::string_view name) override {
    Stmt st(db_, std::string(kAccountColumns) + "WHERE name = ?1");
    st.Bind(1, name);
    if (st.Step()) return std::optional<AccountRow>(ReadAccount(st));
    if (!st.status().ok()) return st.status();
    return std::optional<AccountRow>();
  }

  Result<std::vector<AccountRow>> Accounts() override {
    Stmt st(db_, std::string(kAccountColumns) + "ORDER BY name");
    std::vector<AccountRow> out;
    while (st.Step()) out.push_back(ReadAccount(st));
    if (!st.status().ok()) return st.status();
    return out;
  }

  Result<std::int64_t> InsertAccount(std::string_view name, Role role,
                                     std::string_view password_hash, std::string_view created_utc,
                                     bool must_change_password) override {
    Stmt ins(db_,
             "INSERT INTO users (name, role, password_hash, created_utc, must_change_password) "
             "VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id");
    ins.Bind(1, name).Bind(2, RoleId(role)).Bind(3, password_hash).Bind(4, created_utc);
    ins.Bind(5, must_change_password ? 1 : 0);
    if (!ins.Step()) {
      const Status& st = ins.status();
      if (st.ok()) return Status::Internal("no account id");
      return st.code() == StatusCode::kFailedPrecondition ? Status::AlreadyExists("the user exists")
                                                          : st;
    }
    const std::int64_t id = ins.Int(0);
    if (Status st = ins.Run(); !st.ok()) return st;
    return id;
  }

  Status SetAccountActive(std::int64_t id, bool active) override {
    Stmt up(db_, "UPDATE users SET active = ?1 WHERE id = ?2");
    up.Bind(1, active ? 1 : 0).Bind(2, id);
    return up.Run();
  }

  Status SetAccountRole(std::int64_t id, Role role, bool awaiting,
                        std::int64_t requested_by) override {
    Stmt up(db_,
            "UPDATE users SET role = ?1, awaiting_confirmation = ?3, requested_by = "
            "CASE WHEN ?3 = 1 THEN ?4 END WHERE id = ?2");
    up.Bind(1, RoleId(role)).Bind(2, id).Bind(3, awaiting ? 1 : 0).Bind(4, requested_by);
    return up.Run();
  }

  Status SetBootstrap(std::int64_t id, std::string_view utc) override {
    Stmt up(db_, "UPDATE users SET bootstrap_utc = ?1 WHERE id = ?2");
    up.Bind(1, utc).Bind(2, id);
    return up.Run();
  }

  Status ReplacePassword(std::int64_t id, std::string_view hash,
                         bool must_change_password) override {
    Stmt up(db_,
            "UPDATE users SET password_hash = ?1, failed_logins = 0, locked_until_utc = NULL, "
            "must_change_password = ?3 WHERE id = ?2");
    up.Bind(1, hash).Bind(2, id).Bind(3, must_change_password ? 1 : 0);
    return up.Run();
  }

  Status Rehash(std::int64_t id, std::string_view hash) override {
    Stmt up(db_, "UPDATE users SET password_hash = ?1 WHERE id = ?2");
    up.Bind(1, hash).Bind(2, id);
    return up.Run();
  }

  Status CountFailedLogin(std::int64_t id) override {
    Stmt up(db_, "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ?1");
    up.Bind(1, id);
    return up.Run();
  }

  Status ClearFailedLogins(std::int64_t id) override {
    Stmt up(db_, "UPDATE users SET failed_logins = 0, locked_until_utc = NULL WHERE id = ?1");
    up.Bind(1, id);
    return up.Run();
  }

  Result<std::int64_t> CountOtherActiveAdmins(std::int64_t except) override {
    Stmt st(db_,
            "SELECT COUNT(*) FROM users WHERE role = 'admin' AND active = 1 AND "
            "awaiting_confirmation = 0 AND id <> ?1");
    st.Bind(1, except);
    if (!st.Step()) return st.status().ok() ? Status::Internal("no count") : st.status();
    return st.Int(0);
  }

  Result<bool> HasActiveSupervisor(std::string_view unit, std::int64_t except) override {
    Stmt st(db_,
            "SELECT 1 FROM users u JOIN user_units uu ON uu.user_id = u.id WHERE uu.unit_id = ?1 "
            "AND u.role = 'supervisor' AND u.active = 1 AND u.awaiting_confirmation = 0 AND "
            "u.id <> ?2 LIMIT 1");
    st.Bind(1, unit).Bind(2, except);
    const bool found = st.Step();
    if (!st.status().ok()) return st.status();
    return found;
  }

  Status AddAccountUnit(std::int64_t id, std::string_view unit) override {
    Stmt ins(db_,
             "INSERT INTO user_units (user_id, unit_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING");
    ins.Bind(1, id).Bind(2, unit);
    return ins.Run();
  }

  Status RemoveAccountUnit(std::int64_t id, std::string_view unit) override {
    Stmt del(db_, "DELETE FROM user_units WHERE user_id = ?1 AND unit_id = ?2");
    del.Bind(1, id).Bind(2, unit);
    return del.Run();
  }

  // ---------------------------------------------------------------- pending changes

  Result<std::vector<PendingRow>> PendingChanges(std::int64_t user_id) override {
    Stmt st(db_,
            "SELECT p.kind, p.value, p.requested_by, COALESCE(r.name, '') FROM pending_changes p "
            "LEFT JOIN users r ON r.id = p.requested_by WHERE p.user_id = ?1 "
            "ORDER BY p.kind, p.value");
    st.Bind(1, user_id);
    std::vector<PendingRow> out;
    while (st.Step()) out.push_back({st.Text(0), st.Text(1), st.Int(2), st.Text(3)});
    if (!st.status().ok()) return st.status();
    return out;
  }

  Status PutPendingChange(std::int64_t user_id, std::string_view kind, std::string_view value,
                          std::int64_t requested_by, std::string_view utc) override {
    Stmt ins(db_,
             "INSERT INTO pending_changes (user_id, kind, value, requested_by, requested_utc) "
             "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (user_id, kind, value) DO UPDATE SET "
             "requested_by = excluded.requested_by, requested_utc = excluded.requested_utc");
    ins.Bind(1, user_id).Bind(2, kind).Bind(3, value).Bind(4, requested_by).Bind(5, utc);
    return ins.Run();
  }

  Result<std::int64_t> DeletePendingChanges(std::int64_t user_id, std::string_view kind,
                                            std::string_view value) override {
    Stmt del(db_,
             "DELETE FROM pending_changes WHERE user_id = ?1 AND (?2 = '' OR kind = ?2) AND "
             "(?3 = '' OR value = ?3)");
    del.Bind(1, user_id).Bind(2, kind).Bind(3, value);
    if (Status st = del.Run(); !st.ok()) return st;
    return static_cast<std::int64_t>(sqlite3_changes(db_));
  }

  // ---------------------------------------------------------------- login throttle

  Result<std::optional<std::string>> LoginLockedUntil(std::string_view source,
                                                      std::string_view name_key) override {
    Stmt th(db_, "SELECT locked_until_utc FROM login_throttle WHERE source = ?1 AND name_key = ?2");
    th.Bind(1, source).Bind(2, name_key);
    std::optional<std::string> until;
    if (th.Step()) until = th.OptText(0);
    if (!th.status().ok()) return th.status();
    return until;
  }

  Result<std::int64_t> CountLoginFailure(std::string_view source,
                                         std::string_view name_key) override {
    Stmt up(db_,
            "INSERT INTO login_throttle (source, name_key, failures) VALUES (?1, ?2, 1) "
            "ON CONFLICT (source, name_key) DO UPDATE SET failures = failures + 1 "
            "RETURNING failures");
    up.Bind(1, source).Bind(2, name_key);
    if (!up.Step()) return up.status().ok() ? Status::Internal("no failure count") : up.status();
    const std::int64_t failed = up.Int(0);
    if (Status s = up.Run(); !s.ok()) return s;
    return failed;
  }

  Status LockLogin(std::string_view source, std::string_view name_key,
                   std::string_view until_utc) override {
    Stmt lk(db_,
            "UPDATE login_throttle SET locked_until_utc = ?1 WHERE source = ?2 AND name_key = ?3");
    lk.Bind(1, until_utc).Bind(2, source).Bind(3, name_key);
    return lk.Run();
  }

  Status ClearLoginThrottle(std::string_view source, std::string_view name_key) override {
    Stmt clear(db_, "DELETE FROM login_throttle WHERE (?1 = '' OR source = ?1) AND name_key = ?2");
    clear.Bind(1, source).Bind(2, name_key);
    return clear.Run();
  }

  Result<bool> LoginLockedAnywhere(std::string_view name_key, std::string_view now_utc) override {
    Stmt lk(db_,
            "SELECT 1 FROM login_throttle WHERE name_key = ?1 AND locked_until_utc > ?2 LIMIT 1");
    lk.Bind(1, name_key).Bind(2, now_utc);
    const bool locked = lk.Step();
    if (!lk.status().ok()) return lk.status();
    return locked;
  }

  Result<std::vector<std::string>> UnitsOf(std::int64_t user_id) override {
    Stmt st(db_, "SELECT unit_id FROM user_units WHERE user_id = ?1 ORDER BY unit_id");
    st.Bind(1, user_id);
    std::vector<std::string> units;
    while (st.Step()) units.push_back(st.Text(0));
    if (!st.status().ok()) return st.status();
    return units;
  }

  // ---------------------------------------------------------------- cases

  Result<std::optional<std::int64_t>> FindCase(std::string_view unit,
                                               std::string_view ref) override {
    Stmt st(db_, "SELECT id FROM cases WHERE unit_id = ?1 AND case_ref = ?2");
    st.Bind(1, unit).Bind(2, ref);
    if (st.Step()) return std::optional<std::int64_t>(st.Int(0));
    if (!st.status().ok()) return st.status();
    return std::optional<std::int64_t>();
  }

  Result<std::optional<CaseLookup>> LookUpCase(std::string_view unit, std::string_view ref,
                                               std::int64_t user_id,
                                               std::string_view today) override {
    Stmt st(db_,
            "SELECT c.id, NOT EXISTS (SELECT 1 FROM subjects s WHERE s.case_id = c.id AND "
            "s.protected_identity = 1) OR EXISTS (SELECT 1 FROM grants g WHERE g.case_id = c.id "
            "AND g.user_id = ?3 AND (g.until_date IS NULL OR g.until_date >= ?4)) "
            "FROM cases c WHERE c.unit_id = ?1 AND c.case_ref = ?2");
    st.Bind(1, unit).Bind(2, ref).Bind(3, user_id).Bind(4, today);
    if (st.Step()) return std::optional<CaseLookup>(CaseLookup{st.Int(0), st.Int(1) != 0});
    if (!st.status().ok()) return st.status();
    return std::optional<CaseLookup>();
  }

  Result<std::int64_t> InsertCase(std::string_view unit, std::string_view ref,
                                  std::string_view created_utc) override {
    Stmt ins(db_,
             "INSERT INTO cases (unit_id, case_ref, created_utc) VALUES (?1, ?2, ?3) RETURNING id");
    ins.Bind(1, unit).Bind(2, ref).Bind(3, created_utc);
    if (!ins.Step()) return ins.status().ok() ? Status::Internal("no case id") : ins.status();
    const std::int64_t id = ins.Int(0);
    if (Status st = ins.Run(); !st.ok()) return st;
    return id;
  }

  Result<bool> CaseProtected(std::int64_t case_id) override {
    Stmt st(db_, "SELECT 1 FROM subjects WHERE case_id = ?1 AND protected_identity = 1 LIMIT 1");
    st.Bind(1, case_id);
    const bool found = st.Step();
    if (!st.status().ok()) return st.status();
    return found;
  }

  Result<bool> Granted(std::int64_t case_id, std::int64_t user_id,
                       std::string_view today) override {
    // A grant with an end date holds up to and including that (Swedish) date.
    Stmt st(db_,
            "SELECT 1 FROM grants WHERE case_id = ?1 AND user_id = ?2 "
            "AND (until_date IS NULL OR until_date >= ?3)");
    st.Bind(1, case_id).Bind(2, user_id).Bind(3, today);
    const bool found = st.Step();
    if (!st.status().ok()) return st.status();
    return found;
  }

  Status PutGrant(std::int64_t case_id, std::int64_t user_id, std::int64_t granted_by,
                  std::string_view reason, std::string_view created_utc,
                  const std::optional<std::string>& until_date) override {
    Stmt ins(db_,
             "INSERT INTO grants (case_id, user_id, granted_by, reason, created_utc, until_date) "
             "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (case_id, user_id) DO UPDATE SET "
             "granted_by = excluded.granted_by, reason = excluded.reason, "
             "created_utc = excluded.created_utc, until_date = excluded.until_date");
    ins.Bind(1, case_id).Bind(2, user_id).Bind(3, granted_by).Bind(4, reason).Bind(5, created_utc);
    ins.Bind(6, until_date);
    return ins.Run();
  }

  Result<bool> DeleteGrant(std::int64_t case_id, std::int64_t user_id) override {
    Stmt del(db_, "DELETE FROM grants WHERE case_id = ?1 AND user_id = ?2");
    del.Bind(1, case_id).Bind(2, user_id);
    if (Status st = del.Run(); !st.ok()) return st;
    return sqlite3_changes(db_) > 0;
  }

  Result<std::int64_t> InsertContact(const ContactRow& c) override {
    Stmt ins(db_,
             "INSERT INTO contacts (case_id, unit_id, contact_date, outcome, not_asked_reason, "
             "not_asked_note, author_id, created_utc, created_local_date) "
             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id");
    ins.Bind(1, c.case_id).Bind(2, c.unit).Bind(3, c.contact_date).Bind(4, c.outcome);
    ins.Bind(5, c.not_asked_reason).Bind(6, c.not_asked_note);
    ins.Bind(7, c.author_id).Bind(8, c.created_utc).Bind(9, c.created_local_date);
    auto id = InsertReturningId(ins, "contact");
    if (!id.ok()) return id;
    for (const auto& t : c.violence_types) {
      Stmt vt(db_, "INSERT INTO contact_violence_types (contact_id, type) VALUES (?1, ?2)");
      vt.Bind(1, *id).Bind(2, t);
      if (Status s = vt.Run(); !s.ok()) return s;
    }
    return id;
  }

  Result<std::int64_t> InsertSubject(const SubjectRow& s) override {
    Stmt ins(db_,
             "INSERT INTO subjects (case_id, role, age_band, protected_identity, created_utc) "
             "VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id");
    ins.Bind(1, s.case_id).Bind(2, s.role).Bind(3, s.age_band);
    ins.Bind(4, s.protected_identity ? 1 : 0).Bind(5, s.created_utc);
    auto id = InsertReturningId(ins, "subject");
    if (!id.ok()) return id;
    for (const auto& g : s.vulnerable_groups) {
      Stmt vg(db_, "INSERT INTO subject_groups (subject_id, vgroup) VALUES (?1, ?2)");
      vg.Bind(1, *id).Bind(2, g);
      if (Status r = vg.Run(); !r.ok()) return r;
    }
    return id;
  }

  Result<std::vector<SubjectRecord>> SubjectsOf(std::int64_t case_id) override {
    Stmt st(db_,
            "SELECT id, role, COALESCE(age_band, ''), protected_identity FROM subjects "
            "WHERE case_id = ?1 ORDER BY id");
    st.Bind(1, case_id);
    std::vector<SubjectRecord> out;
    while (st.Step()) out.push_back({st.Int(0), st.Text(1), st.Text(2), st.Int(3) != 0});
    if (!st.status().ok()) return st.status();
    return out;
  }

  Result<bool> SubjectInCase(std::int64_t subject_id, std::int64_t case_id) override {
    Stmt st(db_, "SELECT 1 FROM subjects WHERE id = ?1 AND case_id = ?2");
    st.Bind(1, subject_id).Bind(2, case_id);
    const bool found = st.Step();
    if (!st.status().ok()) return st.status();
    return found;
  }

  Result<bool> ContactInCase(std::int64_t contact_id, std::int64_t case_id) override {
    Stmt st(db_, "SELECT 1 FROM contacts WHERE id = ?1 AND case_id = ?2");
    st.Bind(1, contact_id).Bind(2, case_id);
    const bool found = st.Step();
    if (!st.status().ok()) return st.status();
    return found;
  }

  Result<std::vector<std::string>> GroupsOf(std::int64_t subject_id) override {
    return Texts("SELECT vgroup FROM subject_groups WHERE subject_id = ?1 ORDER BY vgroup",
                 subject_id);
  }

  Result<std::vector<ContactRecordRow>> ContactsOf(std::int64_t case_id) override {
    std::vector<ContactRecordRow> out;
    {
      Stmt st(db_,
              "SELECT id, contact_date, outcome, COALESCE(not_asked_reason, ''), "
              "COALESCE(not_asked_note, '') FROM contacts WHERE case_id = ?1 ORDER BY id");
      st.Bind(1, case_id);
      while (st.Step()) {
        out.push_back({st.Int(0), st.Text(1), st.Text(2), st.Text(3), st.Text(4), {}});
      }
      if (!st.status().ok()) return st.status();
    }
    for (auto& c : out) {
      auto types = Texts(
          "SELECT type FROM contact_violence_types WHERE contact_id = ?1 ORDER BY type", c.id);
      if (!types.ok()) return types.status();
      c.violence_types = std::move(*types);
    }
    return out;
  }

  Status InsertSupportGiven(std::int64_t case_id, std::optional<std::int64_t> subject_id,
                            std::string_view resource, std::int64_t given_by,
                            std::string_view created_utc, std::string_view local_date) override {
    Stmt ins(db_,
             "INSERT INTO support_given (case_id, subject_id, resource_id, given_by, "
             "created_utc, local_date) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    ins.Bind(1, case_id).Bind(2, subject_id).Bind(3, resource).Bind(4, given_by);
    ins.Bind(5, created_utc).Bind(6, local_date);
    return ins.Run();
  }

  Result<std::vector<CaseRow>> UnprotectedCases(std::int64_t user_id, std::string_view unit,
                                                std::string_view ref) override {
    Stmt st(db_,
            "SELECT c.id, c.unit_id, c.case_ref FROM cases c "
            "WHERE c.unit_id IN (SELECT unit_id FROM user_units WHERE user_id = ?1) "
            "AND (?2 = '' OR c.unit_id = ?2) AND (?3 = '' OR c.case_ref = ?3) "
            "AND NOT EXISTS (SELECT 1 FROM subjects s WHERE s.case_id = c.id AND "
            "s.protected_identity = 1) ORDER BY c.unit_id, c.case_ref");
    st.Bind(1, user_id).Bind(2, unit).Bind(3, ref);
    std::vector<CaseRow> out;
    while (st.Step()) out.push_back({st.Int(0), st.Text(1), st.Text(2)});
    if (!st.status().ok()) return st.status();
    return out;
  }

  // ---------------------------------------------------------------- assessments

  Result<std::optional<AssessmentRow>> AssessmentById(std::int64_t id) override {
    Stmt st(db_,
            "SELECT id, chain_id, case_id, version, status, unit_id, instrument_id, "
            "instrument_version, logic_sha256, lang, author_id, COALESCE(owner_id, author_id), "
            "subject_id, contact_id, COALESCE(submitted_utc, '') FROM assessments WHERE id = ?1");
    st.Bind(1, id);
    if (!st.Step()) {
      if (!st.status().ok()) return st.status();
      return std::optional<AssessmentRow>();
    }
    AssessmentRow r;
    r.id = st.Int(0);
    r.chain_id = st.Int(1);
    r.case_id = st.Int(2);
    r.version = static_cast<int>(st.Int(3));
    r.status = StatusColumn(st, 4);
    r.unit = st.Text(5);
    r.instrument_id = st.Text(6);
    r.instrument_version = st.Text(7);
    r.logic_sha256 = st.Text(8);
    r.lang = st.Text(9);
    r.author_id = st.Int(10);
    r.owner_id = st.Int(11);
    r.subject_id = st.OptInt(12);
    r.contact_id = st.OptInt(13);
    r.submitted_utc = st.Text(14);
    return std::optional<AssessmentRow>(std::move(r));
  }

  Result<std::int64_t> InsertAssessment(const NewAssessment& a) override {
    Stmt ins(db_,
             "INSERT INTO assessments (chain_id, version, amends_id, amend_reason, case_id, "
             "subject_id, contact_id, unit_id, author_id, instrument_id, instrument_version, "
             "logic_sha256, text_sha256, engine_version, lang, status, answers, created_utc, "
             "updated_utc) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
             "?15, 'draft', ?16, ?17, ?17) RETURNING id");
    ins.Bind(1, a.chain_id.value_or(0)).Bind(2, a.version).Bind(3, a.amends_id);
    ins.Bind(4, a.amend_reason).Bind(5, a.case_id).Bind(6, a.subject_id).Bind(7, a.contact_id);
    ins.Bind(8, a.unit).Bind(9, a.author_id).Bind(10, a.instrument_id);
    ins.Bind(11, a.instrument_version).Bind(12, a.logic_sha256).Bind(13, a.text_sha256);
    ins.Bind(14, a.engine_version).Bind(15, a.lang).BindBlob(16, a.answers);
    ins.Bind(17, a.created_utc);
    auto id = InsertReturningId(ins, "assessment");
    if (!id.ok() || a.chain_id) return id;
    Stmt chain(db_, "UPDATE assessments SET chain_id = id WHERE id = ?1");
    chain.Bind(1, *id);
    if (Status st = chain.Run(); !st.ok()) return st;
    return id;
  }

  Result<bool> ChangeAssessment(std::int64_t id, const AssessmentChange& c) override {
    // The columns are fixed names from this function; every value is bound.
    std::string sql = "UPDATE assessments SET ";
    std::vector<std::function<void(Stmt&, int)>> binds;
    auto set = [&](const char* column, const auto& value, bool blob = false) {
      if (!value) return;
      sql += fmt::format("{}{} = ?{}", binds.empty() ? "" : ", ", column, binds.size() + 1);
      if constexpr (std::is_same_v<std::decay_t<decltype(*value)>, std::string>) {
        binds.push_back([text = *value, blob](Stmt& st, int i) {
          if (blob) {
            st.BindBlob(i, text);
          } else {
            st.Bind(i, text);
          }
        });
      } else {
        binds.push_back([number = std::int64_t{*value}](Stmt& st, int i) { st.Bind(i, number); });
      }
    };
    std::optional<std::string> status;
    if (c.status) status = std::string(StatusId(*c.status));
    set("status", status);
    set("answers", c.answers, true);
    set("updated_utc", c.updated_utc);
    set("submitted_utc", c.submitted_utc);
    set("submitted_local_date", c.submitted_local_date);
    set("approved_utc", c.approved_utc);
    set("approved_by", c.approved_by);
    set("review_comment", c.review_comment);
    set("owner_id", c.owner_id);
    if (binds.empty() || c.from.empty()) return Status::Internal("an empty assessment change");
    const int id_param = static_cast<int>(binds.size()) + 1;
    sql += fmt::format(" WHERE id = ?{} AND status IN (", id_param);
    for (std::size_t i = 0; i < c.from.size(); ++i) {
      sql += fmt::format("{}?{}", i == 0 ? "" : ", ", id_param + 1 + static_cast<int>(i));
    }
    sql += ")";
    const int answers_param = id_param + 1 + static_cast<int>(c.from.size());
    if (c.answers_were) sql += fmt::format(" AND answers = ?{}", answers_param);
    Stmt up(db_, sql);
    for (std::size_t i = 0; i < binds.size(); ++i) binds[i](up, static_cast<int>(i) + 1);
    up.Bind(id_param, id);
    for (std::size_t i = 0; i < c.from.size(); ++i) {
      up.Bind(id_param + 1 + static_cast<int>(i), StatusId(c.from[i]));
    }
    if (c.answers_were) up.BindBlob(answers_param, *c.answers_were);
    if (Status st = up.Run(); !st.ok()) return st;
    return sqlite3_changes(db_) > 0;
  }

  Status WriteResult(std::int64_t id, const IndexedResult& r) override {
    Stmt up(db_,
            "UPDATE assessments SET result = ?1, band = ?2, band_certain = ?3, "
            "computed_level = ?4, final_level = ?5, overridden = ?6, override_direction = ?7, "
            "complete = ?8, updated_utc = ?9 WHERE id = ?10");
    up.BindBlob(1, r.result).Bind(2, r.band).Bind(3, r.band_certain ? 1 : 0);
    up.Bind(4, r.computed_level).Bind(5, r.final_level).Bind(6, r.overridden ? 1 : 0);
    up.Bind(7, r.override_direction).Bind(8, r.complete ? 1 : 0).Bind(9, r.updated_utc);
    up.Bind(10, id);
    if (Status st = up.Run(); !st.ok()) return st;
    for (const char* sql : {"DELETE FROM assessment_flags WHERE assessment_id = ?1",
                            "DELETE FROM assessment_recommendations WHERE assessment_id = ?1"}) {
      Stmt del(db_, sql);
      del.Bind(1, id);
      if (Status st = del.Run(); !st.ok()) return st;
    }
    for (const auto& f : r.flags) {
      Stmt ins(db_, "INSERT INTO assessment_flags (assessment_id, flag) VALUES (?1, ?2)");
      ins.Bind(1, id).Bind(2, f);
      if (Status st = ins.Run(); !st.ok()) return st;
    }
    for (const auto& rec : r.recommendations) {
      Stmt ins(
          db_,
          "INSERT INTO assessment_recommendations (assessment_id, recommendation) VALUES (?1, ?2)");
      ins.Bind(1, id).Bind(2, rec);
      if (Status st = ins.Run(); !st.ok()) return st;
    }
    return Status::Ok();
  }

  Result<std::optional<std::string>> AnswersOf(std::int64_t id) override {
    Stmt st(db_, "SELECT answers FROM assessments WHERE id = ?1");
    st.Bind(1, id);
    if (st.Step()) return std::optional<std::string>(st.Blob(0));
    if (!st.status().ok()) return st.status();
    return std::optional<std::string>();
  }

  Result<std::optional<StoredAssessment>> ReadAssessment(std::int64_t id) override {
    StoredAssessment out;
    AssessmentRecord& r = out.record;
    {
      Stmt st(
          db_,
          "SELECT a.id, a.chain_id, a.version, a.amends_id, a.amend_reason, a.status, a.unit_id, "
          "c.case_ref, a.subject_id, a.contact_id, u.name, a.instrument_id, "
          "a.instrument_version, a.logic_sha256, a.text_sha256, a.engine_version, a.lang, "
          "a.answers, a.result, a.created_utc, a.updated_utc, a.submitted_utc, a.approved_utc, "
          "a.review_comment, EXISTS (SELECT 1 FROM instrument_pins p WHERE p.instrument_id = "
          "a.instrument_id AND p.version = a.instrument_version AND p.logic_sha256 = "
          "a.logic_sha256), (SELECT o.name FROM users o WHERE o.id = COALESCE(a.owner_id, "
          "a.author_id)) FROM assessments a JOIN cases c ON c.id = a.case_id JOIN users u ON "
          "u.id = a.author_id WHERE a.id = ?1");
      st.Bind(1, id);
      if (!st.Step()) {
        if (!st.status().ok()) return st.status();
        return std::optional<StoredAssessment>();
      }
      r.id = st.Int(0);
      r.chain_id = st.Int(1);
      r.version = static_cast<int>(st.Int(2));
      r.amends_id = st.OptInt(3);
      r.amend_reason = st.Text(4);
      r.status = StatusColumn(st, 5);
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
      out.answers = st.Blob(17);
      if (!st.IsNull(18)) out.result = st.Blob(18);
      r.created_utc = st.Text(19);
      r.updated_utc = st.Text(20);
      r.submitted_utc = st.Text(21);
      r.approved_utc = st.Text(22);
      r.review_comment = st.Text(23);
      r.logic_pinned = st.Int(24) != 0;
      r.owner = st.Text(25);
    }
    Stmt c(db_,
           "SELECT u.name, c.part FROM assessment_contributors c JOIN users u ON u.id = c.user_id "
           "WHERE c.assessment_id = ?1 ORDER BY c.first_utc, CASE c.part WHEN 'author' THEN 0 "
           "WHEN 'reassigner' THEN 1 WHEN 'owner' THEN 2 WHEN 'editor' THEN 3 ELSE 4 END, "
           "u.name");
    c.Bind(1, id);
    while (c.Step()) r.contributors.push_back({c.Text(0), c.Text(1)});
    if (!c.status().ok()) return c.status();
    return std::optional<StoredAssessment>(std::move(out));
  }

  Result<ChainState> Chain(std::int64_t chain_id) override {
    ChainState state;
    {
      Stmt latest(db_,
                  "SELECT id FROM assessments WHERE chain_id = ?1 AND status <> 'discarded' "
                  "ORDER BY version DESC LIMIT 1");
      latest.Bind(1, chain_id);
      if (latest.Step()) state.newest_id = latest.Int(0);
      if (!latest.status().ok()) return latest.status();
    }
    Stmt max(db_, "SELECT COALESCE(MAX(version), 0) FROM assessments WHERE chain_id = ?1");
    max.Bind(1, chain_id);
    if (!max.Step()) return max.status().ok() ? Status::Internal("no version") : max.status();
    state.max_version = static_cast<int>(max.Int(0));
    return state;
  }

  Result<std::vector<std::int64_t>> ChainVersions(std::int64_t chain_id) override {
    return Ids(
        "SELECT id FROM assessments WHERE chain_id = ?1 AND status <> 'discarded' ORDER BY "
        "version",
        chain_id);
  }

  Result<std::vector<std::int64_t>> CaseAssessments(std::int64_t case_id) override {
    return Ids(
        "SELECT id FROM assessments WHERE case_id = ?1 AND status <> 'discarded' ORDER BY id",
        case_id);
  }

  Result<std::vector<std::int64_t>> NewestReviewedOfCase(std::int64_t case_id) override {
    return Ids(
        "SELECT a.id FROM assessments a WHERE a.case_id = ?1 AND a.status IN "
        "('submitted', 'approved') AND a.version = (SELECT MAX(b.version) FROM "
        "assessments b WHERE b.chain_id = a.chain_id AND b.status IN ('submitted', "
        "'approved')) ORDER BY a.chain_id",
        case_id);
  }

  Result<std::vector<AssessmentSummary>> ListAssessments(const AssessmentQuery& q) override {
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
    st.Bind(1, q.user_id).Bind(2, q.unit).Bind(3, q.status ? StatusId(*q.status) : "");
    st.Bind(4, q.case_ref);
    st.Bind(5, q.limit).Bind(6, q.not_mine ? 1 : 0).Bind(7, q.today);
    std::vector<AssessmentSummary> out;
    while (st.Step()) {
      out.push_back({st.Int(0), st.Int(1), static_cast<int>(st.Int(2)), StatusColumn(st, 3),
                     st.Text(4), st.Text(5), st.Text(6), st.Text(7), st.Text(8), st.Text(9),
                     st.Int(10) != 0});
    }
    if (!st.status().ok()) return st.status();
    return out;
  }

  Status AddContributor(std::int64_t id, std::int64_t user_id, std::string_view part,
                        std::string_view utc) override {
    Stmt ins(db_,
             "INSERT INTO assessment_contributors (assessment_id, user_id, part, first_utc) "
             "VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING");
    ins.Bind(1, id).Bind(2, user_id).Bind(3, part).Bind(4, utc);
    return ins.Run();
  }

  Result<bool> HasContributed(std::int64_t id, std::int64_t user_id) override {
    Stmt c(db_,
           "SELECT 1 FROM assessment_contributors WHERE assessment_id = ?1 AND user_id = ?2 "
           "LIMIT 1");
    c.Bind(1, id).Bind(2, user_id);
    const bool found = c.Step();
    if (!c.status().ok()) return c.status();
    return found;
  }

  Status InsertReview(const ReviewRow& r) override {
    Stmt ins(db_,
             "INSERT INTO reviews (assessment_id, reviewer_id, decision, comment, level_from, "
             "level_to, created_utc, instrument_id, unit_id, submitted_utc) "
             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    ins.Bind(1, r.assessment_id).Bind(2, r.reviewer_id).Bind(3, r.decision).Bind(4, r.comment);
    ins.Bind(5, r.level_from).Bind(6, r.level_to).Bind(7, r.created_utc);
    ins.Bind(8, r.instrument_id).Bind(9, r.unit).Bind(10, r.submitted_utc);
    return ins.Run();
  }

  Result<std::vector<ReviewEntry>> ReviewsOfChain(std::int64_t chain_id) override {
    Stmt st(db_,
            "SELECT u.name, r.decision, r.comment, r.level_from, r.level_to, r.created_utc "
            "FROM reviews r JOIN users u ON u.id = r.reviewer_id JOIN assessments a ON a.id = "
            "r.assessment_id WHERE a.chain_id = ?1 ORDER BY r.id");
    st.Bind(1, chain_id);
    std::vector<ReviewEntry> out;
    while (st.Step())
      out.push_back({st.Text(0), st.Text(1), st.Text(2), st.Text(3), st.Text(4), st.Text(5)});
    if (!st.status().ok()) return st.status();
    return out;
  }

  // ---------------------------------------------------------------- due items

  Status DeleteOpenDueItems(std::int64_t assessment_id) override {
    Stmt del(db_, "DELETE FROM due_items WHERE assessment_id = ?1 AND done_utc IS NULL");
    del.Bind(1, assessment_id);
    return del.Run();
  }

  Result<bool> DueItemDone(std::int64_t assessment_id, std::string_view kind) override {
    Stmt st(db_,
            "SELECT 1 FROM due_items WHERE assessment_id = ?1 AND kind = ?2 AND done_utc IS NOT "
            "NULL");
    st.Bind(1, assessment_id).Bind(2, kind);
    const bool found = st.Step();
    if (!st.status().ok()) return st.status();
    return found;
  }

  Status InsertDueItem(const DueRow& d) override {
    Stmt ins(db_,
             "INSERT INTO due_items (assessment_id, case_id, unit_id, kind, due_date, "
             "next_contact, created_utc) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    ins.Bind(1, d.assessment_id).Bind(2, d.case_id).Bind(3, d.unit).Bind(4, d.kind);
    ins.Bind(5, d.due_date).Bind(6, d.next_contact ? 1 : 0).Bind(7, d.created_utc);
    return ins.Run();
  }

  Result<std::optional<DueState>> DueItemById(std::int64_t id) override {
    Stmt st(db_, "SELECT unit_id, case_id, done_utc FROM due_items WHERE id = ?1");
    st.Bind(1, id);
    if (st.Step()) return std::optional<DueState>(DueState{st.Text(0), st.Int(1), !st.IsNull(2)});
    if (!st.status().ok()) return st.status();
    return std::optional<DueState>();
  }

  Result<bool> MarkDueItemDone(std::int64_t id, std::string_view utc, std::int64_t by) override {
    Stmt up(db_,
            "UPDATE due_items SET done_utc = ?1, done_by = ?2 WHERE id = ?3 AND done_utc IS NULL");
    up.Bind(1, utc).Bind(2, by).Bind(3, id);
    if (Status st = up.Run(); !st.ok()) return st;
    return sqlite3_changes(db_) > 0;
  }

  Result<std::vector<DueItem>> OpenDueItems(std::int64_t user_id, std::string_view today,
                                            bool overdue_only) override {
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
    st.Bind(1, user_id).Bind(2, overdue_only ? 1 : 0).Bind(3, today);
    std::vector<DueItem> out;
    while (st.Step()) {
      DueItem d;
      d.id = st.Int(0);
      d.assessment_id = st.Int(1);
      d.unit = st.Text(2);
      d.case_ref = st.Text(3);
      d.kind = st.Text(4);
      d.due_date = st.Text(5);
      out.push_back(std::move(d));
    }
    if (!st.status().ok()) return st.status();
    return out;
  }

  // ---------------------------------------------------------------- case-system numbers

  Result<std::optional<std::int64_t>> CaseSystemCountOf(std::string_view unit,
                                                        std::string_view month) override {
    Stmt old(db_, "SELECT contacts FROM case_system_contacts WHERE unit_id = ?1 AND month = ?2");
    old.Bind(1, unit).Bind(2, month);
    if (old.Step()) return std::optional<std::int64_t>(old.Int(0));
    if (!old.status().ok()) return old.status();
    return std::optional<std::int64_t>();
  }

  Status PutCaseSystemCount(std::string_view unit, std::string_view month, std::int64_t contacts,
                            std::int64_t recorded_by, std::string_view utc) override {
    Stmt up(db_,
            "INSERT INTO case_system_contacts (unit_id, month, contacts, recorded_by, "
            "recorded_utc) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (unit_id, month) DO "
            "UPDATE SET contacts = excluded.contacts, recorded_by = excluded.recorded_by, "
            "recorded_utc = excluded.recorded_utc");
    up.Bind(1, unit).Bind(2, month).Bind(3, contacts).Bind(4, recorded_by).Bind(5, utc);
    return up.Run();
  }

  Result<std::vector<CaseSystemCount>> CaseSystemCounts(std::string_view from_month,
                                                        std::string_view to_month) override {
    Stmt st(db_,
            "SELECT c.unit_id, c.month, c.contacts, u.name, c.recorded_utc "
            "FROM case_system_contacts c JOIN users u ON u.id = c.recorded_by "
            "WHERE c.month BETWEEN ?1 AND ?2 ORDER BY c.unit_id, c.month");
    st.Bind(1, from_month).Bind(2, to_month);
    std::vector<CaseSystemCount> out;
    while (st.Step()) out.push_back({st.Text(0), st.Text(1), st.Int(2), st.Text(3), st.Text(4)});
    if (!st.status().ok()) return st.status();
    return out;
  }

  // ---------------------------------------------------------------- indicators

  Status CountIndicatorFacts(const IndicatorCount& count, IndicatorFacts* facts) override {
    return CountIndicatorFactsSqlite(db_, count, facts);
  }

  // ---------------------------------------------------------------- instrument pins

  Result<std::vector<PinRow>> Pins() override {
    Stmt st(db_, "SELECT instrument_id, version, logic_sha256 FROM instrument_pins");
    std::vector<PinRow> out;
    while (st.Step()) out.push_back({st.Text(0), st.Text(1), st.Text(2)});
    if (!st.status().ok()) return st.status();
    return out;
  }

  Result<bool> AnyPin() override {
    Stmt any(db_, "SELECT 1 FROM instrument_pins LIMIT 1");
    const bool found = any.Step();
    if (!any.status().ok()) return any.status();
    return found;
  }

  Result<bool> LogicPinned(const PinRow& pin) override {
    Stmt st(db_,
            "SELECT 1 FROM instrument_pins WHERE instrument_id = ?1 AND version = ?2 AND "
            "logic_sha256 = ?3");
    st.Bind(1, pin.instrument_id).Bind(2, pin.version).Bind(3, pin.logic_sha256);
    const bool found = st.Step();
    if (!st.status().ok()) return st.status();
    return found;
  }

  Status InsertPin(const PinRow& pin, std::string_view pinned_by,
                   std::string_view pinned_utc) override {
    Stmt ins(db_,
             "INSERT INTO instrument_pins (instrument_id, version, logic_sha256, pinned_by, "
             "pinned_utc) VALUES (?1, ?2, ?3, ?4, ?5)");
    ins.Bind(1, pin.instrument_id).Bind(2, pin.version).Bind(3, pin.logic_sha256);
    ins.Bind(4, pinned_by).Bind(5, pinned_utc);
    return ins.Run();
  }

 private:
  // The first column of every row, for one id parameter.
  Result<std::vector<std::int64_t>> Ids(std::string_view sql, std::int64_t param) {
    Stmt st(db_, sql);
    st.Bind(1, param);
    std::vector<std::int64_t> out;
    while (st.Step()) out.push_back(st.Int(0));
    if (!st.status().ok()) return st.status();
    return out;
  }
  Result<std::vector<std::string>> Texts(std::string_view sql, std::int64_t param) {
    Stmt st(db_, sql);
    st.Bind(1, param);
    std::vector<std::string> out;
    while (st.Step()) out.push_back(st.Text(0));
    if (!st.status().ok()) return st.status();
    return out;
  }

  // Steps an INSERT ... RETURNING id to its end and returns the id.
  static Result<std::int64_t> InsertReturningId(Stmt& ins, std::string_view what) {
    if (!ins.Step()) {
      if (!ins.status().ok()) return ins.status();
      return Status::Internal(std::string("no id for the new ") + std::string(what));
    }
    const std::int64_t id = ins.Int(0);
    if (Status st = ins.Run(); !st.ok()) return st;
    return id;
  }

  Status BeginImmediate() {
    // A read still open here would make the write fail with SQLITE_BUSY_SNAPSHOT as soon as
    // another process writes: a programming error, caught in tests.
    if (AnyStatementOpen(db_)) {
      return Status::Internal("a read is still open when a write begins");
    }
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms_);
    for (;;) {
      Status st = Exec(db_, "BEGIN IMMEDIATE", "starting a write");
      if (st.code() != StatusCode::kBusy) return st;
      if (std::chrono::steady_clock::now() > deadline) {
        return Status::Busy("the database is busy (another program is writing); try again");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  sqlite3* db_;
  AuditKey key_;
  int busy_timeout_ms_;
  bool in_bulk_ = false;
  int write_depth_ = 0;
};

}  // namespace

std::unique_ptr<Backend> MakeSqliteBackend(sqlite3* db, const AuditKey& key, int busy_timeout_ms) {
  return std::make_unique<SqliteBackend>(db, key, busy_timeout_ms);
}

}  // namespace screening::internal
