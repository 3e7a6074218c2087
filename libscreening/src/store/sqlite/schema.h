// The database schema: numbered, append-only migrations (schema.cc).
#pragma once

#include <sqlite3.h>

#include <cstdint>

#include <screening/status.h>

namespace screening::internal {

// PRAGMA application_id of a screening database: "SCRN".
inline constexpr std::int32_t kApplicationId = 0x5343524E;

// The number of migrations this program knows (the newest user_version).
int SchemaVersion();
// PRAGMA user_version.
Result<int> ReadUserVersion(sqlite3* db);
// Applies every migration after the database's user_version, each in its own
// transaction. kFailedPrecondition for a database newer than this program.
Status Migrate(sqlite3* db);
// Applies migrations up to `target` (tests of upgrades from every earlier version).
Status MigrateTo(sqlite3* db, int target);
// kCorruption unless the database's tables, indexes and triggers are exactly the ones the
// migrations make (their SQL text included): a damaged file can hold a schema that parses
// but differs (a flipped byte in a name), which would otherwise surface later as an
// unexplained "SQL logic error". Call after Migrate.
Status VerifySchema(sqlite3* db);

}  // namespace screening::internal
