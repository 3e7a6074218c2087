// A SQLite VFS for fault injection (the way SQLite tests itself): it wraps the default VFS
// and, when armed, makes the Nth write, sync or truncate of any database file fail with a
// chosen error (an I/O error, or SQLITE_FULL for a full disk), either once or from then on
// until disarmed. Installed as the default VFS, so the store uses it without knowing.
#pragma once

#include <sqlite3.h>

namespace screening::reliability {

class FaultVfs {
 public:
  // Registers the wrapper as the process's default VFS (once; later calls do nothing).
  static void Install();

  // Fails the `n`th (1-based) counted operation from now with `error`
  // (SQLITE_IOERR_WRITE-like codes are chosen per operation when `error` is SQLITE_IOERR;
  // SQLITE_FULL is returned as is). `persistent`: every later one fails too.
  static void Arm(long n, int error, bool persistent);
  static void Disarm();
  // Whether the armed fault has fired since Arm().
  static bool Fired();
  // Counted operations (writes, syncs, truncates) since the last Arm/Disarm/ResetCount.
  static long Count();
  static void ResetCount();
};

}  // namespace screening::reliability
