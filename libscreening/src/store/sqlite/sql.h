// A thin RAII layer over SQLite: prepared statements with bound parameters only (no SQL is
// ever built from values), errors turned into Status without row contents.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <screening/status.h>

namespace screening::internal {

// Maps a SQLite result code to a Status: BUSY/LOCKED -> kBusy, CORRUPT/NOTADB -> kCorruption,
// IOERR/FULL/CANTOPEN/READONLY -> kIoError, CONSTRAINT -> kFailedPrecondition, else
// kInternal. `what` says which operation failed; the message never holds values.
Status SqlStatus(sqlite3* db, int rc, std::string_view what);

// Rows SQLite has stepped through in full-table scans, summed over every finalised statement
// of this process. Hot paths should add nothing that grows with the file; the store tests
// check that (see store_due_test.cc).
std::int64_t FullScanSteps();

class Stmt {
 public:
  Stmt(sqlite3* db, std::string_view sql);  // prepare; check ok() before use
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  bool ok() const { return rc_ == SQLITE_OK; }
  const Status& prepare_status() const { return prepare_status_; }

  // Binds are 1-based like SQLite's.
  Stmt& Bind(int i, std::int64_t v);
  Stmt& Bind(int i, int v) { return Bind(i, static_cast<std::int64_t>(v)); }
  Stmt& Bind(int i, std::string_view v);
  Stmt& Bind(int i, const char* v) { return Bind(i, std::string_view(v)); }
  Stmt& Bind(int i, const std::string& v) { return Bind(i, std::string_view(v)); }
  Stmt& BindBlob(int i, std::string_view bytes);
  Stmt& BindNull(int i);
  Stmt& Bind(int i, const std::optional<std::string>& v) {
    return v ? Bind(i, std::string_view(*v)) : BindNull(i);
  }
  Stmt& Bind(int i, std::optional<std::int64_t> v) { return v ? Bind(i, *v) : BindNull(i); }

  // Steps once: true with a row, false when done; a failure sets status().
  bool Step();
  // Steps to the end (for statements without rows); returns the status.
  Status Run();
  const Status& status() const { return status_; }
  void Reset();

  std::int64_t Int(int col) const;
  std::string Text(int col) const;
  // The text of a column without a copy ("" for NULL): valid until the next Step or Reset.
  std::string_view View(int col) const;
  std::string Blob(int col) const;
  bool IsNull(int col) const;
  std::optional<std::string> OptText(int col) const;
  std::optional<std::int64_t> OptInt(int col) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  int rc_ = SQLITE_OK;
  Status prepare_status_;
  Status status_;
  std::string sql_;
};

// Runs one statement without parameters (schema, pragmas, transaction control).
Status Exec(sqlite3* db, std::string_view sql, std::string_view what);

// Whether a statement of `db` is still stepping (has returned a row and not been reset).
// Such a statement holds a read snapshot: a write begun while it is open fails with
// SQLITE_BUSY_SNAPSHOT whenever another connection has written since, so writes refuse to
// start while one is open.
bool AnyStatementOpen(sqlite3* db);

}  // namespace screening::internal
