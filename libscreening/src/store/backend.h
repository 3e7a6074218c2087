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
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <screening/status.h>

#include "store/audit_chain.h"

namespace screening::internal {

// An account as stored.
struct AccountRow {
  std::int64_t id = 0;
  std::string name;
  std::string role;
  bool active = false;
  bool must_change_password = false;
  bool awaiting_confirmation = false;
};

// A case found by its unit and reference, and whether a user may see it: it has no subject
// with a protected identity, or the user holds a grant in force on `today`.
struct CaseLookup {
  std::int64_t id = 0;
  bool visible = false;
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

  // ---- accounts
  virtual Result<std::optional<AccountRow>> AccountById(std::int64_t id) = 0;
  // The units of an account, in id order.
  virtual Result<std::vector<std::string>> UnitsOf(std::int64_t user_id) = 0;

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
};

}  // namespace screening::internal
