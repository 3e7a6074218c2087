// Encrypted backups. File layout (all integers little-endian):
//
//   header   "SCRNBAK1" | version u8 (1) | kdf u8 | header length u16 |
//            [kdf 2 only: opslimit u64 | memlimit u64 | salt 16] |
//            key check 16 | secretstream header 24 | checksum 16
//   chunks   { length u32 | ciphertext } ...
//
// kdf 1 is a 32-byte key file, kdf 2 an Argon2id13 passphrase. The checksum (BLAKE2b-128 of
// the header bytes before it) tells a damaged header (kCorruption) from a wrong secret. The key
// check (BLAKE2b-128 keyed with the derived key over a fixed label) tells a wrong secret
// (kPermissionDenied) from a damaged first chunk; it gives a guesser nothing the first chunk's
// authentication tag would not. The whole header is the additional data of the first chunk,
// so it cannot be changed without detection either.
//
// The first chunk holds the database size and the audit anchor (version 2: and then the seq of
// the first event that did not verify, u64, for a backup made of a broken chain on request);
// the database bytes follow in chunks of at most 64 KiB, the last one tagged FINAL, so
// truncation is detected. Plaintext never touches the disk when writing. When restoring it is
// checked in memory and then written to an unnamed file (O_TMPFILE) that gets its name only
// when complete (linkat): no interruption can leave a named plaintext copy.
#include "store/sqlite/backup.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string_view>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include "store/passwords.h"
#include "store/sqlite/sql.h"

namespace screening::internal {

// Tests only: the Argon2id cost of new passphrase backups (restores read it from the header).
// Not in backup.h so no production caller can lower it; tests declare it themselves.
void SetBackupPassphraseCostForTesting(PasswordCost cost);

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kMagic = "SCRNBAK1";
constexpr std::uint8_t kFormatVersion = 1;
// A backup that carries a broken chain (BackupManifest::broken_chain_at).
constexpr std::uint8_t kFormatVersionBrokenChain = 2;
// Room for the restore check's writes (its audit event) in the in-memory database.
constexpr std::size_t kRestoreHeadroom = std::size_t{1} << 20;
constexpr std::string_view kSqliteHeader{"SQLite format 3\0", 16};
constexpr std::uint8_t kKdfKeyFile = 1;
constexpr std::uint8_t kKdfArgon2id = 2;
constexpr std::size_t kKeyBytes = crypto_secretstream_xchacha20poly1305_KEYBYTES;
constexpr std::size_t kSaltBytes = crypto_pwhash_SALTBYTES;
constexpr std::size_t kCheckBytes = 16;
constexpr std::size_t kStreamHeaderBytes = crypto_secretstream_xchacha20poly1305_HEADERBYTES;
constexpr std::size_t kABytes = crypto_secretstream_xchacha20poly1305_ABYTES;
constexpr std::size_t kFixedPrefix = 12;  // magic, version, kdf, header length
constexpr std::size_t kMaxHeaderBytes = 4096;
constexpr std::size_t kChunkBytes = 64 * 1024;
constexpr std::size_t kMaxMacHexBytes = 1024;
constexpr std::string_view kKeyCheckLabel = "screening backup key check v1";

static_assert(kKeyBytes == 32, "key files hold 32 bytes");

std::atomic<PasswordCost> g_passphrase_cost{PasswordCost::kModerate};

bool SodiumReady() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

// --- small owners that wipe or release on every path -------------------------------------

struct Key {
  std::array<unsigned char, kKeyBytes> bytes{};
  Key() = default;
  Key(const Key&) = delete;
  Key& operator=(const Key&) = delete;
  ~Key() { sodium_memzero(bytes.data(), bytes.size()); }
};

// A byte buffer that may hold plaintext; wiped when it goes.
class SecretBuffer {
 public:
  explicit SecretBuffer(std::size_t n) : bytes_(n) {}
  SecretBuffer(const SecretBuffer&) = delete;
  SecretBuffer& operator=(const SecretBuffer&) = delete;
  ~SecretBuffer() { sodium_memzero(bytes_.data(), bytes_.size()); }
  unsigned char* data() { return bytes_.data(); }
  const unsigned char* data() const { return bytes_.data(); }
  std::size_t size() const { return bytes_.size(); }

 private:
  std::vector<unsigned char> bytes_;
};

// The serialised snapshot (sqlite3_malloc'd).
class Snapshot {
 public:
  Snapshot() = default;
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;
  ~Snapshot() {
    if (data_ != nullptr) {
      sodium_memzero(data_, size_);
      sqlite3_free(data_);
    }
  }
  unsigned char* data_ = nullptr;
  std::size_t size_ = 0;
};

class StreamState {
 public:
  StreamState() = default;
  StreamState(const StreamState&) = delete;
  StreamState& operator=(const StreamState&) = delete;
  ~StreamState() { sodium_memzero(&state, sizeof state); }
  crypto_secretstream_xchacha20poly1305_state state{};
};

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { Close(); }
  int get() const { return fd_; }
  void Reset(int fd) {
    Close();
    fd_ = fd;
  }
  // Returns close()'s result: a failed close can mean lost writes.
  int Close() {
    int rc = 0;
    if (fd_ >= 0) rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

class Db {
 public:
  Db() = default;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  ~Db() { Close(); }
  int Close() {
    int rc = SQLITE_OK;
    if (db_ != nullptr) rc = sqlite3_close(db_);
    db_ = nullptr;
    return rc;
  }
  sqlite3* db_ = nullptr;
};

// A temporary file, removed (with any SQLite side files) unless Release()d.
class TempFile {
 public:
  TempFile() = default;
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (path_.empty()) return;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      ::unlink((path_ + suffix).c_str());
    }
  }
  void Release() { path_.clear(); }
  std::string path_;
};

std::string ErrnoText(int err) { return std::generic_category().message(err); }

// Creates a 0600 file named ".<name>.<tag>-XXXXXX" in the folder of `next_to`.
Status MakeTemp(const fs::path& next_to, std::string_view tag, TempFile* temp, Fd* fd) {
  fs::path dir = next_to.parent_path();
  if (dir.empty()) dir = ".";
  std::string pattern =
      (dir / fmt::format(".{}.{}-XXXXXX", next_to.filename().string(), tag)).string();
  const int raw = ::mkostemp(pattern.data(), O_CLOEXEC);
  if (raw < 0) {
    const int err = errno;
    return Status::IoError(fmt::format("cannot create a temporary file in folder {}: {}",
                                       dir.string(), ErrnoText(err)));
  }
  temp->path_ = pattern;
  fd->Reset(raw);
  if (::fchmod(raw, S_IRUSR | S_IWUSR) != 0) {
    const int err = errno;
    return Status::IoError(fmt::format("cannot make a temporary file in folder {} private: {}",
                                       dir.string(), ErrnoText(err)));
  }
  return Status::Ok();
}

bool WriteAll(int fd, const unsigned char* p, std::size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

// Reads up to `n` bytes; fewer only at end of file. -1 on a read error.
ssize_t ReadFull(int fd, unsigned char* p, std::size_t n) {
  std::size_t got = 0;
  while (got < n) {
    const ssize_t r = ::read(fd, p + got, n - got);
    if (r < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (r == 0) break;
    got += static_cast<std::size_t>(r);
  }
  return static_cast<ssize_t>(got);
}

// Durably records a rename in the folder; some file systems cannot sync a folder (EINVAL).
Status SyncFolder(const fs::path& file) {
  fs::path dir = file.parent_path();
  if (dir.empty()) dir = ".";
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0 || (::fsync(fd.get()) != 0 && errno != EINVAL)) {
    const int err = errno;
    return Status::IoError(fmt::format("cannot sync folder {}: {}", dir.string(), ErrnoText(err)));
  }
  return Status::Ok();
}

// Moves `temp` to `dest` without ever replacing an existing `dest`.
Status PublishNoReplace(const std::string& temp, const fs::path& dest, std::string_view what) {
  auto exists = [&] {
    return Status::AlreadyExists(fmt::format("{} {} exists already", what, dest.string()));
  };
  auto failed = [&](int err) {
    return Status::IoError(
        fmt::format("cannot create {} {}: {}", what, dest.string(), ErrnoText(err)));
  };
#if defined(__linux__) && defined(RENAME_NOREPLACE)
  if (::renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, dest.c_str(), RENAME_NOREPLACE) == 0) {
    return Status::Ok();
  }
  if (errno == EEXIST) return exists();
  if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) return failed(errno);
#endif
  // A hard link fails atomically when `dest` exists.
  if (::link(temp.c_str(), dest.c_str()) == 0) {
    ::unlink(temp.c_str());
    return Status::Ok();
  }
  if (errno == EEXIST) return exists();
  if (errno != EPERM && errno != ENOTSUP && errno != EOPNOTSUPP) return failed(errno);
  // File systems without either (some removable media): check, then rename. The window is
  // tiny and only another process of this user could use it.
  std::error_code ec;
  if (fs::exists(fs::symlink_status(dest, ec))) return exists();
  if (::rename(temp.c_str(), dest.c_str()) != 0) return failed(errno);
  return Status::Ok();
}

// --- encodings -----------------------------------------------------------------------------

void PutU16(std::vector<unsigned char>* out, std::uint16_t v) {
  for (int i = 0; i < 2; ++i) out->push_back(static_cast<unsigned char>(v >> (8 * i)));
}
void PutU32(std::vector<unsigned char>* out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<unsigned char>(v >> (8 * i)));
}
void PutU64(std::vector<unsigned char>* out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<unsigned char>(v >> (8 * i)));
}
std::uint64_t GetLe(const unsigned char* p, int bytes) {
  std::uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

// The first chunk: database size, then the anchor (count, last seq, mac hex with its length),
// then in version 2 the first broken event.
std::vector<unsigned char> EncodeManifest(std::uint64_t db_size, const BackupManifest& manifest) {
  const AuditAnchor& anchor = manifest.anchor;
  std::vector<unsigned char> out;
  PutU64(&out, db_size);
  PutU64(&out, static_cast<std::uint64_t>(anchor.count));
  PutU64(&out, static_cast<std::uint64_t>(anchor.last_seq));
  PutU32(&out, static_cast<std::uint32_t>(anchor.last_mac_hex.size()));
  out.insert(out.end(), anchor.last_mac_hex.begin(), anchor.last_mac_hex.end());
  if (manifest.broken_chain_at != 0) {
    PutU64(&out, static_cast<std::uint64_t>(manifest.broken_chain_at));
  }
  return out;
}

bool DecodeManifest(const unsigned char* p, std::size_t n, std::uint8_t version,
                    std::uint64_t* db_size, BackupManifest* manifest) {
  AuditAnchor* anchor = &manifest->anchor;
  if (n < 28) return false;
  *db_size = GetLe(p, 8);
  anchor->count = static_cast<std::int64_t>(GetLe(p + 8, 8));
  anchor->last_seq = static_cast<std::int64_t>(GetLe(p + 16, 8));
  const std::uint64_t mac_len = GetLe(p + 24, 4);
  const std::uint64_t extra = version == kFormatVersionBrokenChain ? 8 : 0;
  if (mac_len > kMaxMacHexBytes || n != 28 + mac_len + extra) return false;
  anchor->last_mac_hex.assign(reinterpret_cast<const char*>(p + 28), mac_len);
  manifest->broken_chain_at =
      extra != 0 ? static_cast<std::int64_t>(GetLe(p + 28 + mac_len, 8)) : 0;
  return extra == 0 || manifest->broken_chain_at > 0;
}

void KeyCheck(const Key& key, unsigned char out[kCheckBytes]) {
  crypto_generichash(out, kCheckBytes,
                     reinterpret_cast<const unsigned char*>(kKeyCheckLabel.data()),
                     kKeyCheckLabel.size(), key.bytes.data(), key.bytes.size());
}

void Checksum(const unsigned char* p, std::size_t n, unsigned char out[kCheckBytes]) {
  crypto_generichash(out, kCheckBytes, p, n, nullptr, 0);
}

// --- secrets -------------------------------------------------------------------------------

struct KdfParams {
  unsigned long long ops = 0;
  std::size_t mem = 0;
  std::array<unsigned char, kSaltBytes> salt{};
};

Status DeriveFromPassphrase(const std::string& passphrase, const KdfParams& params, Key* key) {
  if (crypto_pwhash(key->bytes.data(), key->bytes.size(), passphrase.data(), passphrase.size(),
                    params.salt.data(), params.ops, params.mem,
                    crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status::Internal("deriving the backup key from the passphrase failed (out of memory)");
  }
  return Status::Ok();
}

Status ReadKeyFile(const fs::path& path, Key* key) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    const int err = errno;
    if (err == ENOENT) return Status::NotFound(fmt::format("key file {} not found", path.string()));
    return Status::IoError(
        fmt::format("cannot open key file {}: {}", path.string(), ErrnoText(err)));
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return Status::InvalidArgument(fmt::format("key file {} is not a regular file", path.string()));
  }
  if (st.st_size != static_cast<off_t>(kKeyBytes)) {
    return Status::InvalidArgument(
        fmt::format("key file {} must hold exactly {} bytes", path.string(), kKeyBytes));
  }
  if (ReadFull(fd.get(), key->bytes.data(), kKeyBytes) != static_cast<ssize_t>(kKeyBytes)) {
    return Status::IoError(fmt::format("cannot read key file {}", path.string()));
  }
  return Status::Ok();
}

unsigned long long OpsFor(PasswordCost cost) {
  switch (cost) {
    case PasswordCost::kMinimal:
      return crypto_pwhash_OPSLIMIT_MIN;
    case PasswordCost::kInteractive:
      return crypto_pwhash_OPSLIMIT_INTERACTIVE;
    case PasswordCost::kModerate:
      break;
  }
  return crypto_pwhash_OPSLIMIT_MODERATE;
}
std::size_t MemFor(PasswordCost cost) {
  switch (cost) {
    case PasswordCost::kMinimal:
      return crypto_pwhash_MEMLIMIT_MIN;
    case PasswordCost::kInteractive:
      return crypto_pwhash_MEMLIMIT_INTERACTIVE;
    case PasswordCost::kModerate:
      break;
  }
  return crypto_pwhash_MEMLIMIT_MODERATE;
}

// --- the snapshot --------------------------------------------------------------------------

// Copies `db` into an in-memory database with the online backup API (one step, so one read
// transaction and a consistent snapshot) and serialises it.
Status TakeSnapshot(sqlite3* db, Snapshot* snap) {
  Db mem;
  int rc =
      sqlite3_open_v2(":memory:", &mem.db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) return Status::Internal("cannot open an in-memory database for the backup");
  sqlite3_backup* b = sqlite3_backup_init(mem.db_, "main", db, "main");
  if (b == nullptr) {
    return SqlStatus(mem.db_, sqlite3_errcode(mem.db_), "starting the database snapshot");
  }
  const int step = sqlite3_backup_step(b, -1);
  const int finish = sqlite3_backup_finish(b);
  if (step != SQLITE_DONE) return SqlStatus(db, step, "taking the database snapshot");
  if (finish != SQLITE_OK) return SqlStatus(db, finish, "finishing the database snapshot");
  sqlite3_int64 size = -1;
  unsigned char* bytes = sqlite3_serialize(mem.db_, "main", &size, 0);
  if (bytes == nullptr && size != 0) {
    return Status::Internal("serialising the database snapshot failed (out of memory)");
  }
  snap->data_ = bytes;
  snap->size_ = static_cast<std::size_t>(size);
  return Status::Ok();
}

// --- restoring without a named plaintext file -----------------------------------------------

// A database image in anonymous memory (left out of core dumps), wiped when it goes. SQLite
// reads and writes it in place (sqlite3_deserialize without FREEONCLOSE or RESIZEABLE), so
// no copy of the plaintext is made, and its size is not bound by SQLite's allocator.
class MemoryImage {
 public:
  MemoryImage() = default;
  MemoryImage(const MemoryImage&) = delete;
  MemoryImage& operator=(const MemoryImage&) = delete;
  ~MemoryImage() {
    if (data_ != nullptr) {
      sodium_memzero(data_, capacity_);
      ::munmap(data_, capacity_);
    }
  }
  // Room for `size` bytes and `headroom` more; false when there is not that much memory.
  bool Allocate(std::uint64_t size, std::size_t headroom) {
    if (size > std::numeric_limits<std::size_t>::max() - headroom) return false;
    capacity_ = static_cast<std::size_t>(size) + headroom;
    void* p =
        ::mmap(nullptr, capacity_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
      capacity_ = 0;
      return false;
    }
    (void)::madvise(p, capacity_, MADV_DONTDUMP);
    data_ = static_cast<unsigned char*>(p);
    return true;
  }
  unsigned char* data() { return data_; }
  std::size_t capacity() const { return capacity_; }

 private:
  unsigned char* data_ = nullptr;
  std::size_t capacity_ = 0;
};

// A file without a name in the target's folder (O_TMPFILE): if the process dies before
// Link(), the kernel frees it and nothing of it can be found by name.
class UnnamedFile {
 public:
  Status Open(const fs::path& next_to) {
    dir_ = next_to.parent_path();
    if (dir_.empty()) dir_ = ".";
#ifdef O_TMPFILE
    fd_.Reset(::open(dir_.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, S_IRUSR | S_IWUSR));
    if (fd_.get() >= 0) {
      if (::fchmod(fd_.get(), S_IRUSR | S_IWUSR) != 0) {
        const int err = errno;
        return Status::IoError(fmt::format("cannot make a file in folder {} private: {}",
                                           dir_.string(), ErrnoText(err)));
      }
      return Status::Ok();
    }
    const int err = errno;
    if (err == EOPNOTSUPP || err == EISDIR || err == EINVAL) {
      return NotSupported();
    }
    if (err == ENOENT || err == ENOTDIR) {
      return Status::NotFound(fmt::format("folder {} not found", dir_.string()));
    }
    return Status::IoError(
        fmt::format("cannot create a file in folder {}: {}", dir_.string(), ErrnoText(err)));
#else
    return NotSupported();
#endif
  }
  int fd() const { return fd_.get(); }

  // Gives the file the name `target`; never replaces an existing file (kAlreadyExists).
  Status Link(const fs::path& target) {
    const std::string self = fmt::format("/proc/self/fd/{}", fd_.get());
    int rc = ::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, target.c_str(), AT_SYMLINK_FOLLOW);
    int err = rc == 0 ? 0 : errno;
#ifdef AT_EMPTY_PATH
    if (rc != 0 && err == ENOENT && ::access("/proc/self/fd", F_OK) != 0) {
      // No /proc: the same by the descriptor (needs CAP_DAC_READ_SEARCH).
      rc = ::linkat(fd_.get(), "", AT_FDCWD, target.c_str(), AT_EMPTY_PATH);
      err = rc == 0 ? 0 : errno;
    }
#endif
    if (rc == 0) return Status::Ok();
    if (err == EEXIST) {
      return Status::AlreadyExists(fmt::format("database file {} exists already", target.string()));
    }
    return Status::IoError(
        fmt::format("cannot create database file {}: {}", target.string(), ErrnoText(err)));
  }

 private:
  Status NotSupported() const {
    return Status::FailedPrecondition(fmt::format(
        "the filesystem of folder {} cannot hold unnamed temporary files (O_TMPFILE), which a "
        "restore needs so that an interruption never leaves a readable copy of the database; "
        "restore into a folder on a local disk (ext4, XFS, Btrfs or tmpfs) and move the file "
        "afterwards",
        dir_.string()));
  }

  fs::path dir_;
  Fd fd_;
};

// Whether `name` is a temporary an earlier restore left: ".NAME.restore-XXXXXX" (mkostemp's
// six letters or digits), with `suffix` the -wal, -shm or -journal after it, or "".
bool StaleRestoreName(const std::string& name, std::string* suffix) {
  static constexpr std::string_view kTag = ".restore-";
  suffix->clear();
  std::string_view base = name;
  for (std::string_view side : {"-wal", "-shm", "-journal"}) {
    if (base.size() > side.size() && base.substr(base.size() - side.size()) == side) {
      *suffix = std::string(side);
      base.remove_suffix(side.size());
      break;
    }
  }
  if (base.size() < 1 + 1 + kTag.size() + 6 || base[0] != '.') return false;
  const std::string_view tail = base.substr(base.size() - 6);
  if (base.substr(base.size() - 6 - kTag.size(), kTag.size()) != kTag) return false;
  return std::all_of(tail.begin(), tail.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  });
}

}  // namespace

int SweepStaleRestoreTemporaries(const fs::path& folder) {
  const fs::path dir = folder.empty() ? fs::path(".") : folder;
  std::error_code ec;
  int removed = 0;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    std::string suffix;
    if (!StaleRestoreName(name, &suffix)) continue;
    struct stat st {};
    if (::lstat(it->path().c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != ::geteuid()) {
      continue;
    }
    if (suffix.empty() && st.st_size > 0) {
      // Only what such a restore wrote: the decrypted database, from its first byte.
      Fd fd(::open(it->path().c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
      unsigned char head[16] = {};
      if (fd.get() < 0 || ReadFull(fd.get(), head, sizeof head) != sizeof head ||
          std::memcmp(head, kSqliteHeader.data(), sizeof head) != 0) {
        continue;
      }
    }
    if (::unlink(it->path().c_str()) == 0) ++removed;
  }
  return removed;
}

void SetBackupPassphraseCostForTesting(PasswordCost cost) { g_passphrase_cost.store(cost); }

BackupSecret::~BackupSecret() { Wipe(&passphrase); }

Status WriteBackup(sqlite3* db, const AuditAnchor& anchor, const BackupSecret& secret,
                   const fs::path& out) {
  BackupManifest manifest;
  manifest.anchor = anchor;
  return WriteBackup(db, manifest, secret, out);
}

Status WriteBackup(sqlite3* db, const BackupManifest& manifest, const BackupSecret& secret,
                   const fs::path& out) {
  const AuditAnchor& anchor = manifest.anchor;
  const std::string name = out.string();
  if (db == nullptr) return Status::InvalidArgument("no database to back up");
  if (out.empty()) return Status::InvalidArgument("no backup file named");
  if (manifest.broken_chain_at < 0) {
    return Status::InvalidArgument("the first broken event of a chain is a positive seq");
  }
  if (anchor.last_mac_hex.size() > kMaxMacHexBytes) {
    return Status::InvalidArgument("the audit anchor's mac is too long");
  }
  if (!SodiumReady()) return Status::Internal("libsodium could not be initialised");
  std::error_code ec;
  if (fs::exists(fs::symlink_status(out, ec))) {
    return Status::AlreadyExists(fmt::format("backup file {} exists already", name));
  }

  // The key and the header's key-derivation part.
  Key key;
  std::vector<unsigned char> header(kMagic.begin(), kMagic.end());
  header.push_back(manifest.broken_chain_at != 0 ? kFormatVersionBrokenChain : kFormatVersion);
  if (!secret.passphrase.empty()) {
    // An offline guesser has all the time in the world: require the account password length.
    std::size_t chars = 0;
    for (char c : secret.passphrase) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    if (chars < static_cast<std::size_t>(kMinPasswordChars)) {
      return Status::InvalidArgument(
          fmt::format("the backup passphrase must have at least {} characters", kMinPasswordChars));
    }
    KdfParams params;
    const PasswordCost cost = g_passphrase_cost.load();
    params.ops = OpsFor(cost);
    params.mem = MemFor(cost);
    randombytes_buf(params.salt.data(), params.salt.size());
    if (Status st = DeriveFromPassphrase(secret.passphrase, params, &key); !st.ok()) return st;
    header.push_back(kKdfArgon2id);
    PutU16(&header, 0);  // length, filled in below
    PutU64(&header, params.ops);
    PutU64(&header, params.mem);
    header.insert(header.end(), params.salt.begin(), params.salt.end());
  } else if (!secret.key_file.empty()) {
    if (Status st = ReadKeyFile(secret.key_file, &key); !st.ok()) return st;
    header.push_back(kKdfKeyFile);
    PutU16(&header, 0);
  } else {
    return Status::InvalidArgument("a backup needs a passphrase or a key file");
  }
  unsigned char check[kCheckBytes];
  KeyCheck(key, check);
  header.insert(header.end(), check, check + kCheckBytes);

  StreamState stream;
  unsigned char stream_header[kStreamHeaderBytes];
  crypto_secretstream_xchacha20poly1305_init_push(&stream.state, stream_header, key.bytes.data());
  header.insert(header.end(), stream_header, stream_header + kStreamHeaderBytes);
  const std::size_t header_len = header.size() + kCheckBytes;
  header[10] = static_cast<unsigned char>(header_len & 0xFF);
  header[11] = static_cast<unsigned char>(header_len >> 8);
  unsigned char sum[kCheckBytes];
  Checksum(header.data(), header.size(), sum);
  header.insert(header.end(), sum, sum + kCheckBytes);

  Snapshot snap;
  if (Status st = TakeSnapshot(db, &snap); !st.ok()) return st;

  TempFile temp;
  Fd fd;
  if (Status st = MakeTemp(out, "partial", &temp, &fd); !st.ok()) return st;
  auto write_failed = [&](int err) {
    return Status::IoError(fmt::format("cannot write backup file {}: {}", name, ErrnoText(err)));
  };
  if (!WriteAll(fd.get(), header.data(), header.size())) return write_failed(errno);

  // Each chunk: its length, then the ciphertext. Only the first has additional data.
  std::vector<unsigned char> cipher(4 + kChunkBytes + kABytes);
  auto push = [&](const unsigned char* m, std::size_t n, const unsigned char* ad,
                  std::size_t ad_len, unsigned char tag) -> Status {
    unsigned long long clen = 0;
    crypto_secretstream_xchacha20poly1305_push(&stream.state, cipher.data() + 4, &clen, m, n, ad,
                                               ad_len, tag);
    for (int i = 0; i < 4; ++i) cipher[i] = static_cast<unsigned char>(clen >> (8 * i));
    if (!WriteAll(fd.get(), cipher.data(), 4 + static_cast<std::size_t>(clen))) {
      return write_failed(errno);
    }
    return Status::Ok();
  };
  const unsigned char tag_message = crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
  const unsigned char tag_final = crypto_secretstream_xchacha20poly1305_TAG_FINAL;
  const std::vector<unsigned char> first = EncodeManifest(snap.size_, manifest);
  if (Status st = push(first.data(), first.size(), header.data(), header.size(),
                       snap.size_ == 0 ? tag_final : tag_message);
      !st.ok()) {
    return st;
  }
  for (std::size_t off = 0; off < snap.size_; off += kChunkBytes) {
    const std::size_t n = std::min(kChunkBytes, snap.size_ - off);
    const bool last = off + n == snap.size_;
    if (Status st = push(snap.data_ + off, n, nullptr, 0, last ? tag_final : tag_message);
        !st.ok()) {
      return st;
    }
  }
  if (::fsync(fd.get()) != 0) return write_failed(errno);
  if (fd.Close() != 0) return write_failed(errno);
  if (Status st = PublishNoReplace(temp.path_, out, "backup file"); !st.ok()) return st;
  temp.Release();
  return SyncFolder(out);
}

Result<BackupManifest> RestoreBackup(const fs::path& backup, const BackupSecret& secret,
                                     const fs::path& target, const RestoreCheck& verify) {
  const std::string name = backup.string();
  if (target.empty()) return Status::InvalidArgument("no database file named to restore into");
  if (!SodiumReady()) return Status::Internal("libsodium could not be initialised");
  std::error_code ec;
  if (fs::exists(fs::symlink_status(target, ec))) {
    return Status::AlreadyExists(fmt::format("database file {} exists already", target.string()));
  }
  // The unnamed file first: a folder that cannot hold one is refused before any work, and
  // there is no fallback to a named temporary.
  UnnamedFile out;
  if (Status st = out.Open(target); !st.ok()) return st;
  (void)SweepStaleRestoreTemporaries(target.parent_path());
  auto corrupt = [&](std::string_view why) {
    return Status::Corruption(fmt::format("backup file {} {}", name, why));
  };

  Fd in(::open(backup.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) {
    const int err = errno;
    if (err == ENOENT) return Status::NotFound(fmt::format("backup file {} not found", name));
    return Status::IoError(fmt::format("cannot open backup file {}: {}", name, ErrnoText(err)));
  }
  auto read_failed = [&](int err) {
    return Status::IoError(fmt::format("cannot read backup file {}: {}", name, ErrnoText(err)));
  };

  // The header: fixed prefix, then the rest by its stated length, checked before use.
  std::vector<unsigned char> header(kFixedPrefix);
  ssize_t got = ReadFull(in.get(), header.data(), header.size());
  if (got < 0) return read_failed(errno);
  if (static_cast<std::size_t>(got) < kMagic.size() ||
      std::memcmp(header.data(), kMagic.data(), kMagic.size()) != 0) {
    return corrupt("is not a screening backup");
  }
  if (static_cast<std::size_t>(got) < header.size()) return corrupt("is truncated");
  const std::size_t header_len = GetLe(header.data() + 10, 2);
  if (header_len < kFixedPrefix + 2 * kCheckBytes + kStreamHeaderBytes ||
      header_len > kMaxHeaderBytes) {
    return corrupt("has a damaged header");
  }
  header.resize(header_len);
  got = ReadFull(in.get(), header.data() + kFixedPrefix, header_len - kFixedPrefix);
  if (got < 0) return read_failed(errno);
  if (static_cast<std::size_t>(got) < header_len - kFixedPrefix) return corrupt("is truncated");
  unsigned char sum[kCheckBytes];
  Checksum(header.data(), header_len - kCheckBytes, sum);
  if (sodium_memcmp(sum, header.data() + header_len - kCheckBytes, kCheckBytes) != 0) {
    return corrupt("has a damaged header");
  }
  const std::uint8_t version = header[8];
  if (version != kFormatVersion && version != kFormatVersionBrokenChain) {
    return Status::FailedPrecondition(fmt::format(
        "backup file {} has format version {}, which this program cannot read; upgrade it", name,
        header[8]));
  }
  const std::uint8_t kdf = header[9];
  std::size_t pos = kFixedPrefix;
  Key key;
  if (kdf == kKdfArgon2id) {
    if (header_len != kFixedPrefix + 16 + kSaltBytes + 2 * kCheckBytes + kStreamHeaderBytes) {
      return corrupt("has a damaged header");
    }
    if (secret.passphrase.empty()) {
      return Status::PermissionDenied(
          fmt::format("backup file {} was made with a passphrase; give the passphrase", name));
    }
    KdfParams params;
    params.ops = GetLe(header.data() + pos, 8);
    const std::uint64_t mem = GetLe(header.data() + pos + 8, 8);
    pos += 16;
    // Bounds, so a crafted header cannot make the derivation take hours or all memory.
    if (params.ops < crypto_pwhash_OPSLIMIT_MIN || params.ops > crypto_pwhash_OPSLIMIT_SENSITIVE ||
        mem < crypto_pwhash_MEMLIMIT_MIN || mem > crypto_pwhash_MEMLIMIT_SENSITIVE) {
      return corrupt("has key-derivation costs out of range");
    }
    params.mem = static_cast<std::size_t>(mem);
    std::memcpy(params.salt.data(), header.data() + pos, kSaltBytes);
    pos += kSaltBytes;
    if (Status st = DeriveFromPassphrase(secret.passphrase, params, &key); !st.ok()) return st;
  } else if (kdf == kKdfKeyFile) {
    if (header_len != kFixedPrefix + 2 * kCheckBytes + kStreamHeaderBytes) {
      return corrupt("has a damaged header");
    }
    if (secret.key_file.empty()) {
      return Status::PermissionDenied(
          fmt::format("backup file {} was made with a key file; give the key file", name));
    }
    if (Status st = ReadKeyFile(secret.key_file, &key); !st.ok()) return st;
  } else {
    return corrupt("names an unknown key derivation");
  }
  unsigned char check[kCheckBytes];
  KeyCheck(key, check);
  if (sodium_memcmp(check, header.data() + pos, kCheckBytes) != 0) {
    return Status::PermissionDenied(
        fmt::format("wrong passphrase or key file for backup file {}", name));
  }
  pos += kCheckBytes;
  StreamState stream;
  if (crypto_secretstream_xchacha20poly1305_init_pull(&stream.state, header.data() + pos,
                                                      key.bytes.data()) != 0) {
    return corrupt("has a damaged header");
  }

  // Reads one chunk: kOk with its plaintext in `plain`, `n` bytes, and the tag.
  std::vector<unsigned char> cipher(kChunkBytes + kABytes);
  SecretBuffer plain(kChunkBytes);
  auto pull = [&](const unsigned char* ad, std::size_t ad_len, std::size_t* n,
                  unsigned char* tag) -> Status {
    unsigned char len_bytes[4];
    ssize_t r = ReadFull(in.get(), len_bytes, 4);
    if (r < 0) return read_failed(errno);
    if (r < 4) return corrupt("is truncated");
    const std::uint64_t clen = GetLe(len_bytes, 4);
    if (clen < kABytes || clen > cipher.size()) return corrupt("is damaged (bad chunk length)");
    r = ReadFull(in.get(), cipher.data(), clen);
    if (r < 0) return read_failed(errno);
    if (static_cast<std::uint64_t>(r) < clen) return corrupt("is truncated");
    unsigned long long mlen = 0;
    if (crypto_secretstream_xchacha20poly1305_pull(&stream.state, plain.data(), &mlen, tag,
                                                   cipher.data(), clen, ad, ad_len) != 0) {
      return corrupt("is damaged or was altered (a chunk does not authenticate)");
    }
    *n = static_cast<std::size_t>(mlen);
    return Status::Ok();
  };

  const unsigned char tag_final = crypto_secretstream_xchacha20poly1305_TAG_FINAL;
  std::size_t n = 0;
  unsigned char tag = 0;
  if (Status st = pull(header.data(), header.size(), &n, &tag); !st.ok()) return st;
  std::uint64_t db_size = 0;
  BackupManifest manifest;
  if (!DecodeManifest(plain.data(), n, version, &db_size, &manifest)) {
    return corrupt("has a damaged anchor");
  }
  if ((tag == tag_final) != (db_size == 0)) return corrupt("is damaged (unexpected end)");

  // The database, into memory only.
  MemoryImage image;
  if (!image.Allocate(db_size, kRestoreHeadroom)) {
    return Status::Internal(fmt::format(
        "not enough memory to restore backup file {} (it holds {} bytes)", name, db_size));
  }
  std::uint64_t written = 0;
  while (tag != tag_final) {
    if (Status st = pull(nullptr, 0, &n, &tag); !st.ok()) return st;
    if (n > db_size - written) return corrupt("is damaged (more data than announced)");
    std::memcpy(image.data() + written, plain.data(), n);
    written += n;
  }
  if (written != db_size) return corrupt("is damaged (less data than announced)");
  unsigned char extra = 0;
  got = ReadFull(in.get(), &extra, 1);
  if (got < 0) return read_failed(errno);
  if (got != 0) return corrupt("has data after its end");
  in.Close();

  // Checked in memory: SQLite reads the image in place. An in-memory database cannot be in
  // WAL mode, so the header's two mode bytes say "rollback journal" while it is open there
  // and get their values back before the image is written.
  unsigned char mode_bytes[2] = {0, 0};
  const bool has_header = db_size >= 100;
  if (has_header) {
    std::memcpy(mode_bytes, image.data() + 18, 2);
    if (image.data()[18] == 2) image.data()[18] = 1;
    if (image.data()[19] == 2) image.data()[19] = 1;
  }
  auto damaged = [&] {
    return Status::Corruption(
        fmt::format("the database in backup file {} fails SQLite's integrity check", name));
  };
  const unsigned char* final_bytes = nullptr;
  sqlite3_int64 final_size = 0;
  Db mem;
  if (sqlite3_open_v2(":memory:", &mem.db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
          SQLITE_OK ||
      sqlite3_deserialize(mem.db_, "main", image.data(), static_cast<sqlite3_int64>(db_size),
                          static_cast<sqlite3_int64>(image.capacity()), 0) != SQLITE_OK) {
    return damaged();
  }
  // Sorting for the checks stays in memory too (no temporary file, even an unlinked one).
  if (Status st = Exec(mem.db_, "PRAGMA temp_store = MEMORY", "restoring"); !st.ok()) return st;
  {
    Stmt st(mem.db_, "PRAGMA integrity_check");
    if (!st.ok() || !st.Step() || st.Text(0) != "ok") return damaged();
  }
  if (verify) {
    if (Status st = verify(mem.db_, manifest); !st.ok()) return st;
  }
  final_bytes = sqlite3_serialize(mem.db_, "main", &final_size, SQLITE_SERIALIZE_NOCOPY);
  if (final_bytes != image.data() || final_size < 0 ||
      static_cast<std::uint64_t>(final_size) > image.capacity()) {
    return Status::Internal("the restored database could not be read back from memory");
  }
  if (has_header) std::memcpy(image.data() + 18, mode_bytes, 2);

  // Verified: written to the unnamed file, synced, and only then given its name.
  auto write_failed = [&](int err) {
    return Status::IoError(
        fmt::format("cannot write database file {}: {}", target.string(), ErrnoText(err)));
  };
  if (!WriteAll(out.fd(), image.data(), static_cast<std::size_t>(final_size))) {
    return write_failed(errno);
  }
  if (::fsync(out.fd()) != 0) return write_failed(errno);
  if (Status st = out.Link(target); !st.ok()) return st;
  if (Status st = SyncFolder(target); !st.ok()) return st;
  return manifest;
}

}  // namespace screening::internal
