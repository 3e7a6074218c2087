// The tamper-evident audit log (store/audit_chain.h).
//
// Chain rule. Every row of `audit` carries
//   mac = HMAC-SHA-256(key, prev_mac || canonical(event))
// computed with libsodium's crypto_auth_hmacsha256 and a 32-byte key. prev_mac is the
// previous row's mac (the row with seq - 1), 32 zero bytes for seq 1.
//
// Canonical encoding. canonical(event) is the concatenation, in this order, of nine fields,
// each written as an 8-byte big-endian unsigned length followed by that many bytes:
//   1. seq        decimal ASCII, no sign, no leading zeros ("1", "2", ...)
//   2. at_utc     the text as stored ("YYYY-MM-DDTHH:MM:SSZ")
//   3. user_name  the text as stored
//   4. role       the text as stored
//   5. unit       the text as stored
//   6. action     the text as stored
//   7. object     the text as stored
//   8. case_id    decimal ASCII ("-" for a negative value), or zero bytes when NULL
//   9. reason     the text as stored
// Text is the exact bytes SQLite stores (UTF-8), without a terminator. The length prefixes
// make the encoding injective: no two different events encode to the same bytes, so moving
// bytes from one field to the next changes the mac. The seq inside the mac ties each event
// to its place; prev_mac ties it to everything before it. This encoding is a stored format:
// changing it invalidates every existing chain, so it never changes without a new format.
//
// What the chain proves: whoever can write the database but does not hold the key cannot
// change, insert, delete or reorder events without the verifier noticing (the first broken
// link is reported). Removing events from the end leaves a valid shorter chain; that is
// detected only against an anchor (count, last seq, last mac) taken earlier and kept apart
// from the database (backups, reports).
#include "store/audit_chain.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>
#include <system_error>

#include <fmt/format.h>

namespace screening::internal {
namespace {

static_assert(crypto_auth_hmacsha256_BYTES == 32);
static_assert(crypto_auth_hmacsha256_KEYBYTES == 32);

void AppendField(std::string& out, std::string_view field) {
  const auto n = static_cast<std::uint64_t>(field.size());
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((n >> shift) & 0xFF));
  }
  out.append(field);
}

std::string ErrnoText(int err) { return std::generic_category().message(err); }

// Creates every missing folder of `dir` with mode 0700 (folders that exist are left as they
// are: they may be shared parents such as the home folder).
Status CreatePrivateDirs(const std::filesystem::path& dir) {
  if (dir.empty()) return Status::Ok();
  std::filesystem::path so_far;
  for (const auto& part : dir) {
    so_far /= part;
    if (::mkdir(so_far.c_str(), 0700) == 0) {
      // The umask may have removed owner bits; the mode is meant exactly.
      if (::chmod(so_far.c_str(), 0700) != 0) {
        const int err = errno;
        return Status::IoError(fmt::format("cannot set the mode of the folder {}: {}",
                                           so_far.string(), ErrnoText(err)));
      }
      continue;
    }
    const int err = errno;
    if (err == EEXIST) {
      struct stat st {};
      if (::stat(so_far.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) continue;
      return Status::FailedPrecondition(fmt::format(
          "{} exists and is not a folder; cannot put the audit key there", so_far.string()));
    }
    return Status::IoError(
        fmt::format("cannot create the folder {}: {}", so_far.string(), ErrnoText(err)));
  }
  return Status::Ok();
}

// Closes a file descriptor on scope exit.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int Close() {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

}  // namespace

// libsodium must be initialised once before randombytes and (for speed) the hash functions.
// A function-local static is initialised exactly once, thread-safely; sodium_init() itself
// is also safe to call concurrently.
Status EnsureSodium() {
  static const int rc = sodium_init();
  if (rc < 0) return Status::Internal("libsodium could not be initialised");
  return Status::Ok();
}

std::string CanonicalAuditEvent(std::int64_t seq, const AuditEvent& e) {
  std::string out;
  out.reserve(9 * 8 + 64 + e.at_utc.size() + e.user_name.size() + e.role.size() + e.unit.size() +
              e.action.size() + e.object.size() + e.reason.size());
  AppendField(out, std::to_string(seq));
  AppendField(out, e.at_utc);
  AppendField(out, e.user_name);
  AppendField(out, e.role);
  AppendField(out, e.unit);
  AppendField(out, e.action);
  AppendField(out, e.object);
  AppendField(out, e.case_id ? std::to_string(*e.case_id) : std::string());
  AppendField(out, e.reason);
  return out;
}

AuditMac ComputeAuditMac(const AuditKey& key, const AuditMac& prev, std::int64_t seq,
                         const AuditEvent& e) {
  const std::string canonical = CanonicalAuditEvent(seq, e);
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, key.data(), crypto_auth_hmacsha256_KEYBYTES);
  crypto_auth_hmacsha256_update(&state, prev.data(), prev.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(canonical.data()),
                                canonical.size());
  AuditMac mac{};
  crypto_auth_hmacsha256_final(&state, mac.data());
  // The state holds key-derived pads.
  sodium_memzero(&state, sizeof state);
  return mac;
}

std::string HexOf(const unsigned char* bytes, std::size_t n) {
  std::string hex(n * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes, n);
  hex.resize(n * 2);
  return hex;
}

AuditKey::AuditKey() = default;

AuditKey::~AuditKey() { sodium_memzero(bytes_.data(), bytes_.size()); }

AuditKey::AuditKey(const AuditKey& other) : bytes_(other.bytes_) {}

AuditKey& AuditKey::operator=(const AuditKey& other) {
  if (this != &other) bytes_ = other.bytes_;
  return *this;
}

AuditKey AuditKey::FromBytes(const std::array<unsigned char, 32>& bytes) {
  AuditKey key;
  key.bytes_ = bytes;
  return key;
}

Result<AuditKey> AuditKey::Load(const std::filesystem::path& path) {
  // O_NOFOLLOW: a symlink planted in place of the key is refused rather than followed.
  const int raw = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
  if (raw < 0) {
    const int err = errno;
    if (err == ENOENT) {
      return Status::NotFound(fmt::format("the audit key file {} does not exist", path.string()));
    }
    if (err == ELOOP) {
      return Status::FailedPrecondition(
          fmt::format("the audit key file {} is a symbolic link; refusing it", path.string()));
    }
    return Status::IoError(
        fmt::format("cannot open the audit key file {}: {}", path.string(), ErrnoText(err)));
  }
  Fd fd(raw);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    const int err = errno;
    return Status::IoError(
        fmt::format("cannot inspect the audit key file {}: {}", path.string(), ErrnoText(err)));
  }
  if (!S_ISREG(st.st_mode)) {
    return Status::FailedPrecondition(
        fmt::format("the audit key file {} is not a regular file", path.string()));
  }
  // The key is the only thing that keeps a database writer from re-hashing the chain: any
  // access for group or others is refused, not only reading.
  if ((st.st_mode & 077) != 0) {
    return Status::FailedPrecondition(
        fmt::format("the audit key file {} is accessible to group or others (mode {:04o}); it "
                    "must be private to its owner (chmod 600)",
                    path.string(), static_cast<unsigned>(st.st_mode & 07777)));
  }
  if (st.st_size != static_cast<off_t>(crypto_auth_hmacsha256_KEYBYTES)) {
    return Status::FailedPrecondition(fmt::format(
        "the audit key file {} has {} bytes; an audit key has exactly {}", path.string(),
        static_cast<long long>(st.st_size), crypto_auth_hmacsha256_KEYBYTES));
  }
  AuditKey key;
  std::size_t got = 0;
  while (got < key.bytes_.size()) {
    const ssize_t n = ::read(fd.get(), key.bytes_.data() + got, key.bytes_.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      return Status::IoError(
          fmt::format("cannot read the audit key file {}: {}", path.string(), ErrnoText(err)));
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  if (got != key.bytes_.size()) {
    return Status::FailedPrecondition(
        fmt::format("the audit key file {} is shorter than an audit key", path.string()));
  }
  return key;
}

Result<AuditKey> AuditKey::Create(const std::filesystem::path& path) {
  if (Status s = EnsureSodium(); !s.ok()) return s;
  if (path.empty() || !path.has_filename()) {
    return Status::InvalidArgument("the audit key file needs a file name");
  }
  if (Status s = CreatePrivateDirs(path.parent_path()); !s.ok()) return s;

  // O_EXCL: never overwrite an existing key (that would orphan the chain it signed).
  const int raw =
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600);
  if (raw < 0) {
    const int err = errno;
    if (err == EEXIST) {
      return Status::AlreadyExists(
          fmt::format("the audit key file {} exists already; not replacing it", path.string()));
    }
    return Status::IoError(
        fmt::format("cannot create the audit key file {}: {}", path.string(), ErrnoText(err)));
  }
  Fd fd(raw);
  auto fail = [&](std::string_view what) {
    const int err = errno;
    (void)::unlink(path.c_str());
    return Status::IoError(
        fmt::format("cannot {} the audit key file {}: {}", what, path.string(), ErrnoText(err)));
  };
  if (::fchmod(fd.get(), 0600) != 0) return fail("set the mode of");

  AuditKey key;
  randombytes_buf(key.bytes_.data(), key.bytes_.size());
  std::size_t put = 0;
  while (put < key.bytes_.size()) {
    const ssize_t n = ::write(fd.get(), key.bytes_.data() + put, key.bytes_.size() - put);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail("write");
    put += static_cast<std::size_t>(n);
  }
  if (::fsync(fd.get()) != 0) return fail("flush");
  if (fd.Close() != 0) return fail("close");
  // Make the new directory entry durable too; a failure here loses nothing already written.
  const std::filesystem::path parent =
      path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
  const int dir = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    (void)::fsync(dir);
    ::close(dir);
  }
  return key;
}

// A key-check value stored in the database, HMAC(key, fixed label): a wrong audit key is
// detected at open instead of as a "tampered" chain.
std::string AuditKeyCheck(const AuditKey& key) {
  static constexpr std::string_view kLabel = "screening audit key check v1";
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256(mac, reinterpret_cast<const unsigned char*>(kLabel.data()), kLabel.size(),
                         key.data());
  char hex[sizeof mac * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  return hex;
}
}  // namespace screening::internal
