// Encrypted backups (ARCHITECTURE.md, "Storage").
//
// A backup file is: a fixed header (magic "SCRNBAK1", format version, the key-derivation
// salt and parameters when a passphrase is used, the secretstream header) followed by the
// database snapshot taken with SQLite's online backup API, encrypted in chunks with
// libsodium's crypto_secretstream_xchacha20poly1305 (the last chunk tagged FINAL, so a
// truncated file is detected). The audit anchor (count, last seq, last mac), and whether
// the chain was known to be broken, are carried inside the encrypted stream, in its first
// chunk, so they cannot be altered unnoticed.
#pragma once

#include <sqlite3.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include <screening/status.h>

#include "store/backup_manifest.h"
#include "store/sqlite/audit.h"

namespace screening::internal {

// Writes an encrypted snapshot of `db` to `out` (created 0600; refuses to overwrite). The
// snapshot is taken inside a read transaction, so it is consistent. The plaintext never
// touches the disk: the snapshot is made into an in-memory database and serialised.
Status WriteBackup(sqlite3* db, const BackupManifest& manifest, const BackupSecret& secret,
                   const std::filesystem::path& out);
// The same for a backup of a database whose chain verified.
Status WriteBackup(sqlite3* db, const AuditAnchor& anchor, const BackupSecret& secret,
                   const std::filesystem::path& out);

// Looks at a backup's database before it gets a name on disk: `db` is the decrypted database
// in memory (writable, so the check may append an event that the restored file will hold).
// A status that is not ok stops the restore; nothing is written.
using RestoreCheck = std::function<Status(sqlite3* db, const BackupManifest& manifest)>;

// Restores `backup` into a new database file `target` (must not exist; created 0600).
//
// The plaintext never has a name on disk before it is verified, so an interrupted restore
// (SIGTERM, SIGHUP, SIGKILL, a crash, a power cut) leaves no plaintext file behind: the
// backup is decrypted into memory (every chunk authenticated, the final tag required), the
// database there passes SQLite's integrity check and `verify`, and only then is it written
// to an unnamed file in the target's folder (O_TMPFILE, which the kernel frees if the
// process dies) that is synced and linked as `target` (linkat, which never replaces an
// existing file). A folder whose filesystem has no O_TMPFILE is refused
// (kFailedPrecondition) before anything is decrypted: there is no named fallback. The
// temporaries that earlier versions left behind when interrupted (".NAME.restore-XXXXXX"
// and their -wal, -shm and -journal files, owned by this user) are removed from the folder
// first. Memory holds the whole database (and 1 MiB for the check's writes).
//
// Returns the manifest the backup carried. kCorruption for a tampered or truncated file or
// a database that fails the integrity check, kPermissionDenied for a wrong secret,
// kAlreadyExists when `target` exists, and what `verify` returns.
Result<BackupManifest> RestoreBackup(const std::filesystem::path& backup,
                                     const BackupSecret& secret,
                                     const std::filesystem::path& target,
                                     const RestoreCheck& verify = nullptr);

// Removes the plaintext temporaries that restores of earlier versions left in `folder` when
// they were interrupted: regular files of this user named ".NAME.restore-XXXXXX" (X a
// letter or digit) that are empty or hold a SQLite database, and their -wal, -shm and
// -journal files. Returns how many files were removed.
int SweepStaleRestoreTemporaries(const std::filesystem::path& folder);

}  // namespace screening::internal
