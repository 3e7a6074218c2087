// Encrypted backups (store/backup.h): round trips with a passphrase and a key file, wrong
// secrets, tampering and truncation anywhere in the file, no partial files, no overwrites.
#include "store/sqlite/backup.h"

#include <sodium.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "store/passwords.h"
#include "store/sqlite/schema.h"

namespace screening::internal {

// Defined in backup.cc (tests only): the Argon2id cost of new passphrase backups.
void SetBackupPassphraseCostForTesting(PasswordCost cost);

namespace {

namespace fs = std::filesystem;

// Synthetic secrets and data only.
constexpr const char* kPassphrase = "synthetic backup passphrase";

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "screening-backup-test-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  fs::path operator/(const std::string& name) const { return path_ / name; }
  const fs::path& path() const { return path_; }
  // The names of the files in the folder.
  std::set<std::string> Names() const {
    std::set<std::string> out;
    for (const auto& e : fs::directory_iterator(path_)) out.insert(e.path().filename().string());
    return out;
  }

 private:
  fs::path path_;
};

class Db {
 public:
  explicit Db(const fs::path& path, int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) {
    REQUIRE(sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) == SQLITE_OK);
  }
  ~Db() { sqlite3_close(db_); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  sqlite3* get() const { return db_; }
  void Exec(const std::string& sql) {
    char* err = nullptr;
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
    INFO((err ? err : ""));
    sqlite3_free(err);
    REQUIRE(rc == SQLITE_OK);
  }

 private:
  sqlite3* db_ = nullptr;
};

using Rows = std::vector<std::pair<std::string, std::string>>;

Rows Units(sqlite3* db) {
  Rows rows;
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "SELECT id, created_utc FROM units ORDER BY id", -1, &st,
                             nullptr) == SQLITE_OK);
  while (sqlite3_step(st) == SQLITE_ROW) {
    rows.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)),
                      reinterpret_cast<const char*>(sqlite3_column_text(st, 1)));
  }
  sqlite3_finalize(st);
  return rows;
}

int UserVersion(sqlite3* db) {
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(st) == SQLITE_ROW);
  const int v = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  return v;
}

// A migrated database in WAL mode with `units` synthetic units (the writes stay in the WAL,
// so the snapshot must read through the connection, not copy the file).
void Fill(Db& db, int units) {
  db.Exec("PRAGMA journal_mode = WAL");
  REQUIRE(Migrate(db.get()).ok());
  db.Exec("BEGIN");
  for (int i = 0; i < units; ++i) {
    db.Exec("INSERT INTO units (id, created_utc) VALUES ('synthetic-unit-" + std::to_string(i) +
            "-" + std::string(40, 'x') + "', '2024-01-0" + std::to_string(1 + i % 9) +
            "T08:00:00Z')");
  }
  db.Exec("COMMIT");
}

std::string ReadBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void WriteBytes(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(out.good());
}

fs::path MakeKeyFile(const TempDir& dir, const std::string& name) {
  REQUIRE(sodium_init() >= 0);
  std::string key(32, '\0');
  randombytes_buf(key.data(), key.size());
  const fs::path p = dir / name;
  WriteBytes(p, key);
  fs::permissions(p, fs::perms::owner_read | fs::perms::owner_write);
  return p;
}

unsigned Mode(const fs::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

BackupSecret Passphrase(const std::string& p) {
  BackupSecret s;
  s.passphrase = p;
  return s;
}

BackupSecret KeyFile(const fs::path& p) {
  BackupSecret s;
  s.key_file = p;
  return s;
}

AuditAnchor SomeAnchor() {
  AuditAnchor a;
  a.count = 42;
  a.last_seq = 42;
  a.last_mac_hex = std::string(32, 'a') + std::string(32, '7');
  return a;
}

// Runs every test with the cheapest Argon2id cost; production uses kModerate.
struct FastKdf {
  FastKdf() { SetBackupPassphraseCostForTesting(PasswordCost::kMinimal); }
  ~FastKdf() { SetBackupPassphraseCostForTesting(PasswordCost::kModerate); }
};

// The offsets where each chunk (its length prefix) starts, read from a key-file backup.
std::vector<std::size_t> ChunkStarts(const std::string& bytes) {
  std::size_t pos = static_cast<unsigned char>(bytes[10]) |
                    (static_cast<std::size_t>(static_cast<unsigned char>(bytes[11])) << 8);
  std::vector<std::size_t> starts;
  while (pos + 4 <= bytes.size()) {
    starts.push_back(pos);
    std::size_t len = 0;
    for (int i = 3; i >= 0; --i) len = (len << 8) | static_cast<unsigned char>(bytes[pos + i]);
    pos += 4 + len;
  }
  REQUIRE(pos == bytes.size());
  return starts;
}

TEST_CASE("a passphrase backup restores the same rows and anchor", "[backup]") {
  FastKdf fast;
  TempDir dir;
  Db src(dir / "cases.db");
  Fill(src, 5);
  const AuditAnchor anchor = SomeAnchor();
  const fs::path out = dir / "cases.scrnbak";
  const Status st = WriteBackup(src.get(), anchor, Passphrase(kPassphrase), out);
  REQUIRE(st.ok());
  CHECK(Mode(out) == 0600);

  // Nothing readable: no SQLite header, no row, no anchor in the clear.
  const std::string bytes = ReadBytes(out);
  CHECK(bytes.rfind("SCRNBAK1", 0) == 0);
  CHECK(bytes.find("SQLite format 3") == std::string::npos);
  CHECK(bytes.find("synthetic-unit-") == std::string::npos);
  CHECK(bytes.find(anchor.last_mac_hex) == std::string::npos);

  const fs::path target = dir / "restored.db";
  auto restored = RestoreBackup(out, Passphrase(kPassphrase), target);
  REQUIRE(restored.ok());
  CHECK(restored->anchor.count == anchor.count);
  CHECK(restored->anchor.last_seq == anchor.last_seq);
  CHECK(restored->anchor.last_mac_hex == anchor.last_mac_hex);
  CHECK(Mode(target) == 0600);

  Db copy(target, SQLITE_OPEN_READONLY);
  const Rows rows = Units(copy.get());
  CHECK(rows.size() == 5);
  CHECK(rows == Units(src.get()));
  CHECK(UserVersion(copy.get()) == SchemaVersion());
  // Only the source, its WAL files, the backup and the restored database: no temporaries.
  for (const auto& name : dir.Names()) {
    INFO(name);
    CHECK(name[0] != '.');
  }
}

TEST_CASE("a key-file backup of a larger database restores over many chunks", "[backup]") {
  TempDir dir;
  const fs::path key = MakeKeyFile(dir, "backup.key");
  Db src(dir / "cases.db");
  Fill(src, 3000);
  AuditAnchor anchor;  // an empty chain
  const fs::path out = dir / "cases.scrnbak";
  REQUIRE(WriteBackup(src.get(), anchor, KeyFile(key), out).ok());
  CHECK(Mode(out) == 0600);
  const std::string bytes = ReadBytes(out);
  CHECK(ChunkStarts(bytes).size() >= 5);  // the anchor and at least four 64 KiB chunks
  CHECK(bytes.find("synthetic-unit-") == std::string::npos);

  const fs::path target = dir / "restored.db";
  auto restored = RestoreBackup(out, KeyFile(key), target);
  REQUIRE(restored.ok());
  CHECK(restored->anchor.count == 0);
  CHECK(restored->anchor.last_seq == 0);
  CHECK(restored->anchor.last_mac_hex.empty());
  CHECK(Mode(target) == 0600);
  Db copy(target, SQLITE_OPEN_READONLY);
  CHECK(Units(copy.get()).size() == 3000);
  CHECK(Units(copy.get()) == Units(src.get()));
}

TEST_CASE("a backup of a broken chain carries its mark in format version 2", "[backup]") {
  TempDir dir;
  const fs::path key = MakeKeyFile(dir, "backup.key");
  Db src(dir / "cases.db");
  Fill(src, 3);
  BackupManifest manifest;
  manifest.anchor = SomeAnchor();
  manifest.broken_chain_at = 7;
  const fs::path out = dir / "cases.bak";
  REQUIRE(WriteBackup(src.get(), manifest, KeyFile(key), out).ok());
  CHECK(ReadBytes(out)[8] == 2);
  auto restored = RestoreBackup(out, KeyFile(key), dir / "restored.db");
  REQUIRE(restored.ok());
  CHECK(restored->broken_chain_at == 7);
  CHECK(restored->anchor.last_mac_hex == manifest.anchor.last_mac_hex);
  // An intact chain stays version 1, readable by earlier programs.
  REQUIRE(WriteBackup(src.get(), SomeAnchor(), KeyFile(key), dir / "intact.bak").ok());
  CHECK(ReadBytes(dir / "intact.bak")[8] == 1);
  auto intact = RestoreBackup(dir / "intact.bak", KeyFile(key), dir / "intact.db");
  REQUIRE(intact.ok());
  CHECK(intact->broken_chain_at == 0);
  manifest.broken_chain_at = -1;
  CHECK(WriteBackup(src.get(), manifest, KeyFile(key), dir / "bad.bak").code() ==
        StatusCode::kInvalidArgument);
}

TEST_CASE("restore writes nothing with a name before the database is verified", "[backup]") {
  // The check runs on the database in memory; at that moment the folder holds no new name
  // at all (the file being written has none until it is linked).
  TempDir dir;
  const fs::path key = MakeKeyFile(dir, "backup.key");
  Db src(dir / "cases.db");
  Fill(src, 400);
  const fs::path out = dir / "cases.bak";
  REQUIRE(WriteBackup(src.get(), SomeAnchor(), KeyFile(key), out).ok());
  const auto before = dir.Names();
  const fs::path target = dir / "restored.db";
  bool checked = false;
  auto restored = RestoreBackup(out, KeyFile(key), target, [&](sqlite3* db, const BackupManifest&) {
    checked = true;
    CHECK(dir.Names() == before);
    CHECK(Units(db).size() == 400);
    return Status::Ok();
  });
  REQUIRE(restored.ok());
  CHECK(checked);
  CHECK(Mode(target) == 0600);
  Db copy(target, SQLITE_OPEN_READONLY);
  CHECK(Units(copy.get()) == Units(src.get()));
}

TEST_CASE("restore refuses a folder without unnamed files before reading the backup", "[backup]") {
  // procfs has no O_TMPFILE (EOPNOTSUPP), like some network and FUSE filesystems: there is
  // no named fallback, and the refusal comes before the backup is even opened.
  struct statfs fs_info {};
  if (::statfs("/proc", &fs_info) != 0 || fs_info.f_type != 0x9fa0) {
    WARN("no procfs at /proc: nothing to try this on");
    return;
  }
  TempDir dir;
  auto r = RestoreBackup(dir / "missing.bak", Passphrase(kPassphrase),
                         "/proc/screening-restore-test.db");
  CHECK(r.status().code() == StatusCode::kFailedPrecondition);
  CHECK(r.status().message().find("O_TMPFILE") != std::string::npos);
  CHECK(r.status().message().find("/proc") != std::string::npos);
}

TEST_CASE("two backups of the same database differ (fresh salt and nonce)", "[backup]") {
  FastKdf fast;
  TempDir dir;
  Db src(dir / "cases.db");
  Fill(src, 2);
  REQUIRE(WriteBackup(src.get(), SomeAnchor(), Passphrase(kPassphrase), dir / "a.bak").ok());
  REQUIRE(WriteBackup(src.get(), SomeAnchor(), Passphrase(kPassphrase), dir / "b.bak").ok());
  CHECK(ReadBytes(dir / "a.bak") != ReadBytes(dir / "b.bak"));
}

TEST_CASE("a wrong secret is denied and leaves no file", "[backup]") {
  FastKdf fast;
  TempDir dir;
  const fs::path key = MakeKeyFile(dir, "backup.key");
  const fs::path other_key = MakeKeyFile(dir, "other.key");
  Db src(dir / "cases.db");
  Fill(src, 3);
  const fs::path with_pass = dir / "pass.bak";
  const fs::path with_key = dir / "key.bak";
  REQUIRE(WriteBackup(src.get(), SomeAnchor(), Passphrase(kPassphrase), with_pass).ok());
  REQUIRE(WriteBackup(src.get(), SomeAnchor(), KeyFile(key), with_key).ok());
  const auto before = dir.Names();
  const fs::path target = dir / "restored.db";

  auto code = [&](const fs::path& backup, const BackupSecret& secret) {
    return RestoreBackup(backup, secret, target).status().code();
  };
  CHECK(code(with_pass, Passphrase("synthetic backup passphrasE")) ==
        StatusCode::kPermissionDenied);
  CHECK(code(with_pass, KeyFile(key)) == StatusCode::kPermissionDenied);
  CHECK(code(with_key, KeyFile(other_key)) == StatusCode::kPermissionDenied);
  CHECK(code(with_key, Passphrase(kPassphrase)) == StatusCode::kPermissionDenied);
  auto denied = RestoreBackup(with_pass, Passphrase("synthetic wrong passphrase"), target);
  CHECK(denied.status().message().find("pass.bak") != std::string::npos);
  CHECK(denied.status().message().find("synthetic") == std::string::npos);
  CHECK(dir.Names() == before);
  // The right secrets still work.
  CHECK(RestoreBackup(with_key, KeyFile(key), target).ok());
}

TEST_CASE("a flipped byte anywhere in a backup is detected as corruption", "[backup]") {
  TempDir dir;
  const fs::path key = MakeKeyFile(dir, "backup.key");
  Db src(dir / "cases.db");
  Fill(src, 1500);
  const fs::path good = dir / "good.bak";
  REQUIRE(WriteBackup(src.get(), SomeAnchor(), KeyFile(key), good).ok());
  const std::string bytes = ReadBytes(good);
  const std::vector<std::size_t> starts = ChunkStarts(bytes);

  // Every header byte, every byte of the anchor chunk, both sides of every chunk boundary,
  // the last bytes, and a spread through the middle.
  std::set<std::size_t> positions;
  for (std::size_t i = 0; i < starts[1]; ++i) positions.insert(i);
  for (std::size_t s : starts) {
    for (std::size_t d = 0; d < 24 && s + d < bytes.size(); ++d) positions.insert(s + d);
    positions.insert(s - 1);
  }
  for (std::size_t i = 1; i <= 24; ++i) positions.insert(bytes.size() - i);
  for (std::size_t i = 0; i < bytes.size(); i += bytes.size() / 97) positions.insert(i);

  // One copy, each byte flipped in place and restored afterwards.
  const fs::path bad = dir / "bad.bak";
  const fs::path target = dir / "restored.db";
  WriteBytes(bad, bytes);
  std::fstream file(bad, std::ios::binary | std::ios::in | std::ios::out);
  REQUIRE(file.good());
  auto put = [&](std::size_t pos, char c) {
    file.seekp(static_cast<std::streamoff>(pos));
    file.put(c);
    file.flush();
    REQUIRE(file.good());
  };
  for (std::size_t pos : positions) {
    for (unsigned char mask : {0x01, 0x80}) {
      put(pos, static_cast<char>(static_cast<unsigned char>(bytes[pos]) ^ mask));
      auto r = RestoreBackup(bad, KeyFile(key), target);
      put(pos, bytes[pos]);
      INFO("offset " << pos << " mask " << int{mask} << ": " << r.status().ToString());
      CHECK(r.status().code() == StatusCode::kCorruption);
      REQUIRE_FALSE(fs::exists(target));
    }
  }
  // The file is back to its original bytes and restores (so the flips were what failed).
  file.close();
  REQUIRE(ReadBytes(bad) == bytes);
  CHECK(RestoreBackup(bad, KeyFile(key), target).ok());
  fs::remove(target);
  for (const auto& name : dir.Names()) {
    INFO(name);
    CHECK(name[0] != '.');
  }
}

TEST_CASE("a truncated or extended backup is detected as corruption", "[backup]") {
  FastKdf fast;
  TempDir dir;
  Db src(dir / "cases.db");
  Fill(src, 1500);
  const fs::path good = dir / "good.bak";
  REQUIRE(WriteBackup(src.get(), SomeAnchor(), Passphrase(kPassphrase), good).ok());
  const std::string bytes = ReadBytes(good);
  const std::vector<std::size_t> starts = ChunkStarts(bytes);

  // Cut at every chunk boundary (the most dangerous cut: every remaining chunk is whole and
  // authentic, only the FINAL tag is missing), inside the header, and one byte short.
  std::vector<std::size_t> cuts = {0, 4, 8, 11, 12, 50, starts[0] - 1, bytes.size() - 1};
  for (std::size_t s : starts) {
    cuts.push_back(s);
    cuts.push_back(s + 2);
    cuts.push_back(s + 100);
  }
  const fs::path bad = dir / "bad.bak";
  const fs::path target = dir / "restored.db";
  for (std::size_t cut : cuts) {
    if (cut >= bytes.size()) continue;
    WriteBytes(bad, bytes.substr(0, cut));
    auto r = RestoreBackup(bad, Passphrase(kPassphrase), target);
    INFO("cut at " << cut << " of " << bytes.size() << ": " << r.status().ToString());
    CHECK(r.status().code() == StatusCode::kCorruption);
    REQUIRE_FALSE(fs::exists(target));
  }
  // Anything after the final chunk is refused too.
  WriteBytes(bad, bytes + std::string(1, '\0'));
  CHECK(RestoreBackup(bad, Passphrase(kPassphrase), target).status().code() ==
        StatusCode::kCorruption);
  // A whole copy of the last chunk appended (a replayed chunk) as well.
  WriteBytes(bad, bytes + bytes.substr(starts.back()));
  CHECK(RestoreBackup(bad, Passphrase(kPassphrase), target).status().code() ==
        StatusCode::kCorruption);
  // Chunks swapped.
  std::string swapped = bytes.substr(0, starts[1]) +
                        bytes.substr(starts[2], starts[3] - starts[2]) +
                        bytes.substr(starts[1], starts[2] - starts[1]) + bytes.substr(starts[3]);
  REQUIRE(swapped.size() == bytes.size());
  WriteBytes(bad, swapped);
  CHECK(RestoreBackup(bad, Passphrase(kPassphrase), target).status().code() ==
        StatusCode::kCorruption);
  CHECK_FALSE(fs::exists(target));
  for (const auto& name : dir.Names()) {
    INFO(name);
    CHECK(name[0] != '.');
  }
  // The untouched file still restores.
  CHECK(RestoreBackup(good, Passphrase(kPassphrase), target).ok());
}

TEST_CASE("restore never replaces an existing database file", "[backup]") {
  TempDir dir;
  const fs::path key = MakeKeyFile(dir, "backup.key");
  Db src(dir / "cases.db");
  Fill(src, 2);
  const fs::path out = dir / "cases.bak";
  REQUIRE(WriteBackup(src.get(), SomeAnchor(), KeyFile(key), out).ok());
  const fs::path target = dir / "existing.db";
  WriteBytes(target, "synthetic existing content");
  auto r = RestoreBackup(out, KeyFile(key), target);
  CHECK(r.status().code() == StatusCode::kAlreadyExists);
  CHECK(r.status().message().find("existing.db") != std::string::npos);
  CHECK(ReadBytes(target) == "synthetic existing content");
  // Nor into a dangling symbolic link's destination.
  const fs::path link = dir / "link.db";
  fs::create_symlink(dir / "nowhere.db", link);
  CHECK(RestoreBackup(out, KeyFile(key), link).status().code() == StatusCode::kAlreadyExists);
  CHECK_FALSE(fs::exists(dir / "nowhere.db"));
}

TEST_CASE("a backup never replaces an existing file", "[backup]") {
  TempDir dir;
  const fs::path key = MakeKeyFile(dir, "backup.key");
  Db src(dir / "cases.db");
  Fill(src, 2);
  const fs::path out = dir / "cases.bak";
  WriteBytes(out, "synthetic older backup");
  const Status st = WriteBackup(src.get(), SomeAnchor(), KeyFile(key), out);
  CHECK(st.code() == StatusCode::kAlreadyExists);
  CHECK(st.message().find("cases.bak") != std::string::npos);
  CHECK(ReadBytes(out) == "synthetic older backup");
  for (const auto& name : dir.Names()) {
    INFO(name);
    CHECK(name[0] != '.');
  }
}

TEST_CASE("backup refuses missing or unusable secrets", "[backup]") {
  FastKdf fast;
  TempDir dir;
  Db src(dir / "cases.db");
  Fill(src, 1);
  const fs::path out = dir / "cases.bak";
  CHECK(WriteBackup(src.get(), SomeAnchor(), BackupSecret{}, out).code() ==
        StatusCode::kInvalidArgument);
  CHECK(WriteBackup(src.get(), SomeAnchor(), Passphrase("too short"), out).code() ==
        StatusCode::kInvalidArgument);
  CHECK(WriteBackup(src.get(), SomeAnchor(), KeyFile(dir / "missing.key"), out).code() ==
        StatusCode::kNotFound);
  WriteBytes(dir / "short.key", std::string(31, 'k'));
  const Status short_key = WriteBackup(src.get(), SomeAnchor(), KeyFile(dir / "short.key"), out);
  CHECK(short_key.code() == StatusCode::kInvalidArgument);
  CHECK(short_key.message().find("short.key") != std::string::npos);
  CHECK(short_key.message().find("kkkk") == std::string::npos);
  CHECK_FALSE(fs::exists(out));
  CHECK(WriteBackup(nullptr, SomeAnchor(), Passphrase(kPassphrase), out).code() ==
        StatusCode::kInvalidArgument);
  CHECK_FALSE(fs::exists(out));
}

TEST_CASE("restore reports a missing backup and a file that is not a backup", "[backup]") {
  TempDir dir;
  const fs::path target = dir / "restored.db";
  auto missing = RestoreBackup(dir / "missing.bak", Passphrase(kPassphrase), target);
  CHECK(missing.status().code() == StatusCode::kNotFound);
  CHECK(missing.status().message().find("missing.bak") != std::string::npos);
  // A plain SQLite database is not a backup.
  {
    Db plain(dir / "plain.db");
    Fill(plain, 1);
  }
  CHECK(RestoreBackup(dir / "plain.db", Passphrase(kPassphrase), target).status().code() ==
        StatusCode::kCorruption);
  CHECK_FALSE(fs::exists(target));
}

TEST_CASE("a database that fails SQLite's integrity check is not restored", "[backup]") {
  TempDir dir;
  const fs::path key = MakeKeyFile(dir, "backup.key");
  const fs::path db_path = dir / "cases.db";
  {
    Db src(db_path);
    Fill(src, 400);
    src.Exec("PRAGMA wal_checkpoint(TRUNCATE)");
    src.Exec("PRAGMA journal_mode = DELETE");
  }
  // Damage the last page (a leaf of `units`) in the file, then back it up verbatim: the
  // encryption is intact, the database inside is not.
  std::string file = ReadBytes(db_path);
  REQUIRE(file.size() % 4096 == 0);
  const std::size_t page = file.size() - 4096;
  for (std::size_t i = 0; i < 64; ++i) file[page + i] = '\xff';
  WriteBytes(db_path, file);

  const fs::path out = dir / "cases.bak";
  {
    Db src(db_path);
    REQUIRE(WriteBackup(src.get(), SomeAnchor(), KeyFile(key), out).ok());
  }
  const fs::path target = dir / "restored.db";
  auto r = RestoreBackup(out, KeyFile(key), target);
  CHECK(r.status().code() == StatusCode::kCorruption);
  CHECK_FALSE(fs::exists(target));
  for (const auto& name : dir.Names()) {
    INFO(name);
    CHECK(name[0] != '.');
  }
}

}  // namespace
}  // namespace screening::internal
