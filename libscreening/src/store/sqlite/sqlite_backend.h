// The SQLite backend of the case service (store/backend.h): one connection, BEGIN IMMEDIATE
// writes retried while the database is busy, savepoints inside a bulk.
#pragma once

#include <sqlite3.h>

#include <memory>

#include "store/backend.h"

namespace screening::internal {

// The backend owns `db` from here on and closes it.
std::unique_ptr<Backend> MakeSqliteBackend(sqlite3* db, const AuditKey& key, int busy_timeout_ms);

}  // namespace screening::internal
