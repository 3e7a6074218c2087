// Storing the tamper-evident audit chain (store/audit_chain.h) in SQLite: the `audit` table
// (schema.cc), one row per event with its seq and mac.
#pragma once

#include <sqlite3.h>

#include <optional>

#include <screening/status.h>

#include "store/audit_chain.h"

namespace screening::internal {

// Appends one event inside the caller's open write transaction (BEGIN IMMEDIATE), so the
// event commits or rolls back with the change it records.
Status AppendAudit(sqlite3* db, const AuditKey& key, const AuditEvent& event);

// Walks the whole chain: every mac, seq strictly increasing without gaps from 1, and, when
// `anchor` is given, that the chain still contains the anchored event unchanged and has at
// least `anchor->count` events (truncation). Reads in one read transaction.
Result<AuditVerifyReport> VerifyAudit(sqlite3* db, const AuditKey& key,
                                      const std::optional<AuditAnchor>& anchor);

// The current anchor.
Result<AuditAnchor> AuditHead(sqlite3* db);

}  // namespace screening::internal
