#include "store/sqlite/sql.h"

#include <fmt/format.h>

#include <atomic>

namespace screening::internal {

Status SqlStatus(sqlite3* db, int rc, std::string_view what) {
  if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW) return Status::Ok();
  const int primary = rc & 0xFF;
  // sqlite3_errstr names the error class only; sqlite3_errmsg may quote values in some
  // constraint messages, so it is not used.
  std::string msg = fmt::format("{}: {}", what, sqlite3_errstr(rc));
  (void)db;
  switch (primary) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::Busy(msg);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Status::Corruption(msg);
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return Status::IoError(msg);
    case SQLITE_CONSTRAINT:
      return Status::FailedPrecondition(msg);
    default:
      return Status::Internal(msg);
  }
}

Stmt::Stmt(sqlite3* db, std::string_view sql) : db_(db), sql_(sql) {
  rc_ = sqlite3_prepare_v2(db_, sql_.c_str(), static_cast<int>(sql_.size()), &stmt_, nullptr);
  if (rc_ != SQLITE_OK) prepare_status_ = SqlStatus(db_, rc_, "preparing a statement");
  status_ = prepare_status_;
}

namespace {
std::atomic<std::int64_t> full_scan_steps{0};
}  // namespace

std::int64_t FullScanSteps() { return full_scan_steps.load(std::memory_order_relaxed); }

Stmt::~Stmt() {
  if (stmt_) {
    full_scan_steps.fetch_add(sqlite3_stmt_status(stmt_, SQLITE_STMTSTATUS_FULLSCAN_STEP, 0),
                              std::memory_order_relaxed);
  }
  sqlite3_finalize(stmt_);
}

Stmt& Stmt::Bind(int i, std::int64_t v) {
  if (stmt_) sqlite3_bind_int64(stmt_, i, v);
  return *this;
}
Stmt& Stmt::Bind(int i, std::string_view v) {
  // An empty view may have no data pointer, which SQLite would bind as NULL, not as ''.
  if (stmt_)
    sqlite3_bind_text(stmt_, i, v.data() != nullptr ? v.data() : "", static_cast<int>(v.size()),
                      SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::BindBlob(int i, std::string_view bytes) {
  if (stmt_)
    // An empty view may have no data: bound as a zero-length blob, never as NULL.
    sqlite3_bind_blob(stmt_, i, bytes.empty() ? "" : bytes.data(), static_cast<int>(bytes.size()),
                      SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::BindNull(int i) {
  if (stmt_) sqlite3_bind_null(stmt_, i);
  return *this;
}

bool Stmt::Step() {
  if (!stmt_ || !status_.ok()) return false;
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) status_ = SqlStatus(db_, rc, "running a statement");
  return false;
}

Status Stmt::Run() {
  while (Step()) {
  }
  return status_;
}

void Stmt::Reset() {
  if (stmt_) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  status_ = prepare_status_;
}

std::int64_t Stmt::Int(int col) const { return sqlite3_column_int64(stmt_, col); }
std::string Stmt::Text(int col) const {
  const auto* p = sqlite3_column_text(stmt_, col);
  return p ? std::string(reinterpret_cast<const char*>(p),
                         static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
           : std::string();
}
std::string_view Stmt::View(int col) const {
  const auto* p = sqlite3_column_text(stmt_, col);
  return p ? std::string_view(reinterpret_cast<const char*>(p),
                              static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
           : std::string_view();
}
std::string Stmt::Blob(int col) const {
  const void* p = sqlite3_column_blob(stmt_, col);
  return p ? std::string(static_cast<const char*>(p),
                         static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
           : std::string();
}
bool Stmt::IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
std::optional<std::string> Stmt::OptText(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Text(col);
}
std::optional<std::int64_t> Stmt::OptInt(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Int(col);
}

Status Exec(sqlite3* db, std::string_view sql, std::string_view what) {
  std::string s(sql);
  int rc = sqlite3_exec(db, s.c_str(), nullptr, nullptr, nullptr);
  return SqlStatus(db, rc, what);
}

bool AnyStatementOpen(sqlite3* db) {
  for (sqlite3_stmt* st = sqlite3_next_stmt(db, nullptr); st; st = sqlite3_next_stmt(db, st)) {
    if (sqlite3_stmt_busy(st)) return true;
  }
  return false;
}

}  // namespace screening::internal
