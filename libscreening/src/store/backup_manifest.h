// What a backup carries and what unlocks it, whatever the backend that writes it
// (Backend::WriteBackup; the SQLite format is store/sqlite/backup.h).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "store/audit_chain.h"

namespace screening::internal {

// What unlocks a backup: a passphrase (Argon2id-derived key) or a 32-byte key file.
struct BackupSecret {
  std::string passphrase;          // used when not empty
  std::filesystem::path key_file;  // else this
  ~BackupSecret();                 // wipes the passphrase
};

// What a backup carries beside the database, inside the encrypted stream.
struct BackupManifest {
  AuditAnchor anchor;
  // 0 when the audit chain verified as the backup was made; else the seq of the first event
  // that did not: the administrator chose to back the database up anyway
  // (BackupOptions::allow_broken_chain), and a restore says so and refuses unless told the
  // same. Such a backup is written in format version 2 (earlier programs refuse it as too
  // new); every other backup stays version 1.
  std::int64_t broken_chain_at = 0;
};

}  // namespace screening::internal
