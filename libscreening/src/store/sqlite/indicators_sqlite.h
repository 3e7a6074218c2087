// Counting the indicator facts in SQLite (Backend::CountIndicatorFacts): each fact in one pass
// over a covering index, on one snapshot, with a second connection counting half of them.
#pragma once

#include <sqlite3.h>

#include "store/backend.h"

namespace screening::internal {

// The facts of `count`, read in one snapshot of `db` (its transaction when one is open).
Status CountIndicatorFactsSqlite(sqlite3* db, const IndicatorCount& count, IndicatorFacts* facts);

}  // namespace screening::internal
