// The SQLite rows and transactions of the case service (store/backend.h).
#include "store/sqlite/sqlite_backend.h"

#include <chrono>
#include <thread>

#include "store/sqlite/audit.h"
#include "store/sqlite/sql.h"

namespace screening::internal {
namespace {

class SqliteBackend : public Backend {
 public:
  SqliteBackend(sqlite3* db, const AuditKey& key, int busy_timeout_ms)
      : db_(db), key_(key), busy_timeout_ms_(busy_timeout_ms) {}

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

  // ---------------------------------------------------------------- accounts

  Result<std::optional<AccountRow>> AccountById(std::int64_t id) override {
    Stmt st(db_,
            "SELECT name, role, active, must_change_password, awaiting_confirmation FROM users "
            "WHERE id = ?1");
    st.Bind(1, id);
    if (!st.Step()) {
      if (!st.status().ok()) return st.status();
      return std::optional<AccountRow>();
    }
    AccountRow row;
    row.id = id;
    row.name = st.Text(0);
    row.role = st.Text(1);
    row.active = st.Int(2) != 0;
    row.must_change_password = st.Int(3) != 0;
    row.awaiting_confirmation = st.Int(4) != 0;
    return std::optional<AccountRow>(std::move(row));
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

 private:
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
