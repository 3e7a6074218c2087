// Opening, creating and restoring the embedded SQLite database: the file, its schema and its
// key check. The store it gives is the case service (store/case_service.h) over the SQLite
// backend (store/sqlite/sqlite_backend.h).
#include <screening/store.h>

#include <fmt/format.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <cstring>

#include <screening/version.h>

#include "base/swedish_time.h"
#include "store/case_service.h"
#include "store/network_fs.h"
#include "store/passwords.h"
#include "store/sqlite/audit.h"
#include "store/sqlite/backup.h"
#include "store/sqlite/schema.h"
#include "store/sqlite/sql.h"
#include "store/sqlite/sqlite_backend.h"

namespace screening {

namespace fs = std::filesystem;
using internal::Exec;
using internal::Stmt;

fs::path DefaultAuditKeyPath() {
  if (const char* env = std::getenv("SCREENING_AUDIT_KEY"); env && *env) return env;
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  fs::path base = xdg && *xdg
                      ? fs::path(xdg)
                      : fs::path(std::getenv("HOME") ? std::getenv("HOME") : ".") / ".config";
  return base / "screening" / "audit.key";
}

fs::path DefaultDatabasePath() {
  if (const char* env = std::getenv("SCREENING_DB"); env && *env) return env;
  const char* xdg = std::getenv("XDG_DATA_HOME");
  fs::path base =
      xdg && *xdg ? fs::path(xdg)
                  : fs::path(std::getenv("HOME") ? std::getenv("HOME") : ".") / ".local" / "share";
  return base / "screening" / "screening.db";
}

namespace {

// SQLite's locking and syncing are unreliable on network and FUSE filesystems.
Status CheckLocalFilesystem(const fs::path& path, const StoreOptions& options) {
  if (options.allow_network_filesystem) return Status::Ok();
  const std::string_view network = internal::NetworkFilesystemOf(path);
  if (network.empty()) return Status::Ok();
  return Status::FailedPrecondition(
      fmt::format("the database is on a network filesystem ({}), where SQLite can lose data; "
                  "use a local disk or the server deployment",
                  network));
}

// "file:PATH?mode=ro&immutable=1": SQLite reads the file and nothing else (no -wal, -shm or
// journal is opened or made, no lock taken), so a 0400 evidence copy opens and stays as it is.
std::string ImmutableUri(const fs::path& path) {
  std::string uri = "file:";
  for (const unsigned char c : path.string()) {
    if (std::isalnum(c) || std::strchr("/-._~", c) != nullptr) {
      uri.push_back(static_cast<char>(c));
    } else {
      uri += fmt::format("%{:02X}", c);
    }
  }
  return uri + "?mode=ro&immutable=1";
}

// A read-only open sees the main file only: refuse when changes wait beside it.
Status NothingBeside(const fs::path& path) {
  for (const char* suffix : {"-wal", "-journal"}) {
    const fs::path side = path.string() + suffix;
    std::error_code ec;
    const auto size = fs::file_size(side, ec);
    if (!ec && size > 0) {
      return Status::FailedPrecondition(fmt::format(
          "{} exists: the database was not closed cleanly or is in use, and a read-only open "
          "would not see the changes in it; check a copy made by `screening backup` and "
          "`screening restore`, or open it without read-only",
          side.string()));
    }
  }
  return Status::Ok();
}

Result<sqlite3*> OpenDb(const fs::path& path, bool create, const StoreOptions& options) {
  if (Status st = CheckLocalFilesystem(path, options); !st.ok()) return st;
  sqlite3* db = nullptr;
  int rc = SQLITE_OK;
  if (options.read_only) {
    if (create) return Status::InvalidArgument("a database cannot be created read-only");
    if (Status st = NothingBeside(path); !st.ok()) return st;
    rc = sqlite3_open_v2(ImmutableUri(path).c_str(), &db,
                         SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_FULLMUTEX, nullptr);
  } else {
    // A new database is never made through a symbolic link planted at its name.
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX |
                      (create ? SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW : 0);
    rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  }
  if (rc != SQLITE_OK) {
    Status st = internal::SqlStatus(db, rc, "opening the database");
    sqlite3_close_v2(db);
    return st;
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  return db;
}

Status Configure(sqlite3* db, bool read_only = false) {
  for (const char* pragma :
       {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON",
        "PRAGMA secure_delete = ON", "PRAGMA trusted_schema = OFF"}) {
    // Setting the journal mode may write the file's header: not on a read-only open.
    if (read_only && std::string_view(pragma).find("journal_mode") != std::string_view::npos) {
      continue;
    }
    Stmt st(db, pragma);
    if (!st.ok()) return st.prepare_status();
    while (st.Step()) {
    }
    if (!st.status().ok()) return st.status();
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<Store>> CreateSqliteStore(const fs::path& path,
                                                 std::shared_ptr<const Registry> registry,
                                                 std::string_view admin_name,
                                                 std::string_view admin_password,
                                                 const StoreOptions& options, bool trust_os_login) {
  std::error_code ec;
  if (fs::exists(fs::symlink_status(path, ec)))
    return Status::AlreadyExists(fmt::format("{} exists already", path.string()));
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  if (!fs::exists(dir, ec)) {
    fs::create_directories(dir, ec);
    if (ec) return Status::IoError(fmt::format("cannot create the folder {}", dir.string()));
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  }
  if (!internal::ValidUserName(admin_name)) {
    return Status::InvalidArgument(
        "administrator name: lower-case letters, digits, '.', '_' or '-' (at most 64)");
  }
  auto hash = internal::HashPassword(admin_password, internal::CostOf(options.password_cost));
  if (!hash.ok()) return hash.status();
  const fs::path key_path =
      options.audit_key_file.empty() ? DefaultAuditKeyPath() : options.audit_key_file;
  auto key = fs::exists(key_path, ec) ? internal::AuditKey::Load(key_path)
                                      : internal::AuditKey::Create(key_path);
  if (!key.ok()) return key.status();

  // Create the file 0600 before SQLite opens it, so it is never readable by others.
  {
    const mode_t old = umask(077);
    auto db = OpenDb(path, true, options);
    umask(old);
    if (!db.ok()) return db.status();
    sqlite3* raw = *db;
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace,
                    ec);
    Status st =
        Exec(raw, fmt::format("PRAGMA application_id = {}", internal::kApplicationId), "stamping");
    if (st.ok()) st = Configure(raw);
    if (st.ok()) st = internal::Migrate(raw);
    auto rows = internal::MakeSqliteBackend(raw, *key, options.busy_timeout_ms);
    std::unique_ptr<Store> store;
    if (st.ok()) {
      const internal::NewDatabase init{std::string(admin_name), *hash, trust_os_login};
      auto made = internal::MakeCaseService(std::move(rows), registry, options, *key, &init);
      if (made.ok()) {
        store = std::move(*made);
      } else {
        st = made.status();  // the service closed the database
      }
    }
    if (!st.ok()) {
      rows.reset();  // closes the database before its files are removed
      store.reset();
      fs::remove(path, ec);
      fs::remove(fs::path(path.string() + "-wal"), ec);
      fs::remove(fs::path(path.string() + "-shm"), ec);
      return st;
    }
    return store;
  }
}

namespace {

// "os:<login name>" of this process's OS user ("os:<uid>" when it has no name).
std::string OsUserName() {
  const uid_t uid = ::getuid();
  std::vector<char> buffer(16384);
  struct passwd pw {};
  struct passwd* found = nullptr;
  if (::getpwuid_r(uid, &pw, buffer.data(), buffer.size(), &found) == 0 && found != nullptr &&
      found->pw_name != nullptr && found->pw_name[0] != '\0') {
    return fmt::format("os:{}", found->pw_name);
  }
  return fmt::format("os:{}", static_cast<unsigned long>(uid));
}

}  // namespace

LoginContext LoginContext::Local() {
  return LoginContext{fmt::format("local:{}", static_cast<unsigned long>(::getuid()))};
}

Result<std::unique_ptr<Store>> OpenSqliteStore(const fs::path& path,
                                               std::shared_ptr<const Registry> registry,
                                               const StoreOptions& options) {
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    return Status::NotFound(
        fmt::format("no database at {} (create one with `screening init`)", path.string()));
  }
  auto db = OpenDb(path, false, options);
  if (!db.ok()) return db.status();
  sqlite3* raw = *db;
  auto fail = [&](Status st) -> Result<std::unique_ptr<Store>> {
    sqlite3_close_v2(raw);
    return st;
  };
  {
    Stmt app(raw, "PRAGMA application_id");
    if (!app.Step()) {
      Status st = app.status();
      return fail(st.code() == StatusCode::kCorruption || st.ok()
                      ? Status::FailedPrecondition(
                            fmt::format("{} is not a screening database", path.string()))
                      : st);
    }
    if (app.Int(0) != internal::kApplicationId) {
      return fail(
          Status::FailedPrecondition(fmt::format("{} is not a screening database", path.string())));
    }
  }
  if (Status st = Configure(raw, options.read_only); !st.ok()) return fail(st);
  if (options.read_only) {
    // No migration: the file stays as it is, so it must be of this program's schema.
    auto version = internal::ReadUserVersion(raw);
    if (!version.ok()) return fail(version.status());
    if (*version != internal::SchemaVersion()) {
      return fail(Status::FailedPrecondition(fmt::format(
          "{} has schema version {} and this program {}; a read-only open does not migrate: "
          "check a copy without read-only",
          path.string(), *version, internal::SchemaVersion())));
    }
  } else if (Status st = internal::Migrate(raw); !st.ok()) {
    return fail(st);
  }
  if (Status st = internal::VerifySchema(raw); !st.ok()) return fail(st);
  const fs::path key_path =
      options.audit_key_file.empty() ? DefaultAuditKeyPath() : options.audit_key_file;
  auto key = internal::AuditKey::Load(key_path);
  if (!key.ok()) {
    return fail(
        Status(key.status().code(), fmt::format("the audit key ({}) cannot be used: {}",
                                                key_path.string(), key.status().message())));
  }
  Stmt check(raw, "SELECT value FROM meta WHERE key = 'audit_key_check'");
  if (!check.Step() || check.Text(0) != internal::AuditKeyCheck(*key)) {
    return fail(Status::Corruption("the audit key does not belong to this database"));
  }
  StoreOptions store_options = options;
  // A second connection would open the file without the read-only mode (and make -wal/-shm).
  if (options.read_only) store_options.indicator_threads = 1;
  check.Reset();
  return internal::MakeCaseService(
      internal::MakeSqliteBackend(raw, *key, store_options.busy_timeout_ms), std::move(registry),
      store_options, *key, nullptr);
}

Status RestoreSqliteBackup(const fs::path& backup, std::string_view passphrase,
                           const fs::path& key_file, const fs::path& target,
                           const StoreOptions& options, const BackupOptions& backup_options) {
  if (Status st = CheckLocalFilesystem(target, options); !st.ok()) return st;
  const fs::path key_path =
      options.audit_key_file.empty() ? DefaultAuditKeyPath() : options.audit_key_file;
  auto key = internal::AuditKey::Load(key_path);
  if (!key.ok()) return key.status();
  internal::BackupSecret secret;
  secret.passphrase = std::string(passphrase);
  secret.key_file = key_file;
  // Runs on the decrypted database in memory, before the file gets its name.
  auto verify = [&](sqlite3* db, const internal::BackupManifest& manifest) -> Status {
    for (const char* pragma : {"PRAGMA foreign_keys = ON", "PRAGMA trusted_schema = OFF"}) {
      if (Status st = Exec(db, pragma, "restoring"); !st.ok()) return st;
    }
    auto report = internal::VerifyAudit(db, *key, manifest.anchor);
    if (!report.ok()) return report.status();
    std::string reason = manifest.anchor.last_mac_hex;
    if (manifest.broken_chain_at != 0 || !report->ok) {
      const std::int64_t at = report->ok ? manifest.broken_chain_at : report->first_bad_seq;
      if (!backup_options.allow_broken_chain) {
        if (manifest.broken_chain_at != 0) {
          return Status::Corruption(fmt::format(
              "backup file {} was made of a database whose audit chain was broken at event {}; "
              "restore it only if you accept that (allow_broken_chain, the CLI's "
              "--allow-broken-chain)",
              backup.string(), manifest.broken_chain_at));
        }
        return Status::Corruption(fmt::format(
            "the restored audit chain does not verify at event {}: {}; restore it only if you "
            "accept that (allow_broken_chain, the CLI's --allow-broken-chain)",
            report->first_bad_seq, report->problem));
      }
      reason += fmt::format(" broken_chain_at={}", at);
    }
    const std::int64_t now = options.clock ? options.clock->NowUnix() : internal::SystemNowUnix();
    // Nobody can log in to a database before it exists: the restore is the OS user's, who
    // holds the backup and its key or passphrase (issue 15: it was attributed to "-").
    const internal::AuditEvent event{internal::FormatUtc(now),
                                     OsUserName(),
                                     "-",
                                     "-",
                                     "restore",
                                     "database",
                                     std::nullopt,
                                     reason + " " + LoginContext::Local().source};
    if (Status st = Exec(db, "BEGIN IMMEDIATE", "restoring"); !st.ok()) return st;
    Status st = internal::AppendAudit(db, *key, event);
    if (st.ok()) st = Exec(db, "COMMIT", "restoring");
    if (!st.ok()) (void)Exec(db, "ROLLBACK", "restoring");
    return st;
  };
  auto restored = internal::RestoreBackup(backup, secret, target, verify);
  return restored.ok() ? Status::Ok() : restored.status();
}

}  // namespace screening
