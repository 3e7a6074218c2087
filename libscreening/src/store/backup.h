// Encrypted backups (ARCHITECTURE.md, "Storage").
//
// A backup file is: a fixed header (magic "SCRNBAK1", format version, the key-derivation
// salt and parameters when a passphrase is used, the secretstream header) followed by the
// database snapshot taken with SQLite's online backup API, encrypted in chunks with
// libsodium's crypto_secretstream_xchacha20poly1305 (the last chunk tagged FINAL, so a
// truncated file is detected). The audit anchor (count, last seq, last mac) is carried
// inside the encrypted stream, in its first chunk, so it cannot be altered unnoticed.
#pragma once

#include <sqlite3.h>

#include <array>
#include <filesystem>
#include <string>

#include <screening/status.h>

#include "store/audit.h"

namespace screening::internal {

// What unlocks a backup: a passphrase (Argon2id-derived key) or a 32-byte key file.
struct BackupSecret {
  std::string passphrase;          // used when not empty
  std::filesystem::path key_file;  // else this
  ~BackupSecret();                 // wipes the passphrase
};

// Writes an encrypted snapshot of `db` to `out` (created 0600; refuses to overwrite). The
// snapshot is taken inside a read transaction, so it is consistent. The plaintext never
// touches the disk: the snapshot is made into an in-memory database and serialised.
Status WriteBackup(sqlite3* db, const AuditAnchor& anchor, const BackupSecret& secret,
                   const std::filesystem::path& out);

// Decrypts `backup` into a new database file `target` (must not exist; created 0600),
// checking authenticity of every chunk and the final tag; returns the anchor it carried.
// kCorruption for a tampered or truncated file, kPermissionDenied for a wrong secret.
Result<AuditAnchor> RestoreBackup(const std::filesystem::path& backup, const BackupSecret& secret,
                                  const std::filesystem::path& target);

}  // namespace screening::internal
