// Backups and restores of the case store: a broken audit chain is refused, or written and
// restored on request, marked and audited as such; a restore checks everything in memory,
// names its file only when verified and sweeps what earlier versions left behind.
#include <sodium.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "store/sqlite/backup.h"
#include "store_fixture.h"

namespace screening::test {
namespace {

// A key file of 32 random bytes: no Argon2id, so the tests stay quick.
fs::path MakeKeyFile(const fs::path& dir) {
  REQUIRE(sodium_init() >= 0);
  std::string key(32, '\0');
  randombytes_buf(key.data(), key.size());
  const fs::path path = dir / "backup.key";
  std::ofstream(path, std::ios::binary) << key;
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
  return path;
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Names in `dir` that start with a dot: temporaries left behind.
std::vector<std::string> Hidden(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name[0] == '.') out.push_back(name);
  }
  return out;
}

// Changes audit event `seq` the way someone with the file would (the append-only trigger
// dropped and put back as it was): only the MACs tell. The store is closed and reopened.
void BreakChainAt(StoreFixture& f, int seq) {
  f.store.reset();
  REQUIRE(f.RawExec("DROP TRIGGER audit_no_update; UPDATE audit SET user_name = 'x' WHERE seq = " +
                    std::to_string(seq)) == SQLITE_OK);
  REQUIRE(f.RawExec("CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit\n"
                    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END") == SQLITE_OK);
  f.store = RequireOk(OpenSqliteStore(f.db, RealInstruments(), f.Options()));
}

TEST_CASE("A backup of a broken audit chain is refused, naming the first broken event",
          "[store][backup]") {
  StoreFixture f;
  f.Submitted(f.kim, "IFO-1", DashSession(20));
  BreakChainAt(f, 3);
  const Actor ada = f.Login("ada");
  const std::int64_t events = f.AuditCount();
  const fs::path out = f.tmp.path / "cases.bak";
  const Status st = f.s().Backup(ada, out, "", MakeKeyFile(f.tmp.path), {});
  CHECK(st.code() == StatusCode::kCorruption);
  CHECK_THAT(st.message(), Catch::Contains("broken at event 3"));
  CHECK_THAT(st.message(), Catch::Contains("allow-broken-chain"));
  CHECK_FALSE(fs::exists(out));
  CHECK(Hidden(f.tmp.path).empty());
  CHECK(f.AuditCount() == events);  // nothing written, not even the backup's event
}

TEST_CASE("A backup made of a broken chain on request is marked and restores only on request",
          "[store][backup]") {
  StoreFixture f;
  f.Submitted(f.kim, "IFO-1", DashSession(20));
  BreakChainAt(f, 3);
  const Actor ada = f.Login("ada");
  const fs::path out = f.tmp.path / "cases.bak";
  BackupOptions allow;
  allow.allow_broken_chain = true;
  const fs::path key = MakeKeyFile(f.tmp.path);
  RequireOk(f.s().Backup(ada, out, "", key, allow));
  const auto events = f.AuditSince(f.LastSeq() - 1);
  REQUIRE(events.size() == 1);
  CHECK(events[0].action == "backup");
  CHECK(events[0].reason == "broken_chain_at=3");
  // The mark is format version 2, which earlier programs refuse as too new.
  CHECK(ReadAll(out).substr(0, 9) == std::string("SCRNBAK1\x02", 9));

  const fs::path target = f.tmp.path / "restored" / "screening.db";
  fs::create_directories(target.parent_path());
  const Status refused = RestoreSqliteBackup(out, "", key, target, f.Options());
  CHECK(refused.code() == StatusCode::kCorruption);
  CHECK_THAT(refused.message(), Catch::Contains("broken at event 3"));
  CHECK_THAT(refused.message(), Catch::Contains("allow-broken-chain"));
  CHECK_FALSE(fs::exists(target));
  CHECK(fs::is_empty(target.parent_path()));

  RequireOk(RestoreSqliteBackup(out, "", key, target, f.Options(), allow));
  auto restored = RequireOk(OpenSqliteStore(target, RealInstruments(), f.Options()));
  const Actor admin = RequireOk(restored->Login("ada", kPassword));
  auto log = RequireOk(restored->AuditLog(admin, "", ""));
  bool restore_event = false;
  for (const auto& e : log) {
    if (e.action == "restore") {
      restore_event = true;
      CHECK_THAT(e.reason, Catch::Contains(" broken_chain_at=3"));
      // The OS user who restored it, and from where (never "-").
      CHECK_THAT(e.user_name, Catch::StartsWith("os:"));
      CHECK_THAT(e.reason, Catch::EndsWith(LoginContext::Local().source));
    }
  }
  CHECK(restore_event);
  auto check = RequireOk(restored->Check(admin));
  CHECK_FALSE(check.ok);
  CHECK(check.first_bad_seq == 3);
}

TEST_CASE("A backup of an intact chain restores verified, with its restore event",
          "[store][backup]") {
  StoreFixture f;
  f.Submitted(f.kim, "IFO-1", DashSession(20));
  const fs::path out = f.tmp.path / "cases.bak";
  const fs::path key = MakeKeyFile(f.tmp.path);
  RequireOk(f.s().Backup(f.ada, out, "", key, {}));
  CHECK(ReadAll(out).substr(0, 9) == std::string("SCRNBAK1\x01", 9));
  const fs::path target = f.tmp.path / "restored.db";
  RequireOk(RestoreSqliteBackup(out, "", key, target, f.Options()));
  struct stat st {};
  REQUIRE(::stat(target.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(Hidden(f.tmp.path).empty());
  auto restored = RequireOk(OpenSqliteStore(target, RealInstruments(), f.Options()));
  const Actor admin = RequireOk(restored->Login("ada", kPassword));
  CHECK(RequireOk(restored->Check(admin)).ok);
  CHECK(StoreFixture::ScalarIn(target,
                               "SELECT COUNT(*) FROM audit WHERE action = 'restore' "
                               "AND user_name LIKE 'os:%' AND reason NOT LIKE '%broken%'") == 1);
  // The restored file is in WAL mode as the original was (the header bytes 18 and 19).
  const std::string header = ReadAll(target).substr(0, 20);
  CHECK(header[18] == 2);
  CHECK(header[19] == 2);
}

TEST_CASE("Restore sweeps the plaintext temporaries that earlier versions left behind",
          "[store][backup]") {
  StoreFixture f;
  const fs::path out = f.tmp.path / "cases.bak";
  const fs::path key = MakeKeyFile(f.tmp.path);
  RequireOk(f.s().Backup(f.ada, out, "", key, {}));
  const fs::path dir = f.tmp.path / "restore-here";
  fs::create_directories(dir);
  auto put = [&](const std::string& name, const std::string& bytes) {
    std::ofstream(dir / name, std::ios::binary) << bytes;
  };
  const std::string sqlite(std::string("SQLite format 3\0", 16) + "synthetic pages");
  put(".screening.db.restore-Ab12Cd", sqlite);  // what an interrupted restore left
  put(".screening.db.restore-Ab12Cd-wal", "synthetic wal");
  put(".screening.db.restore-Ab12Cd-shm", "synthetic shm");
  put(".other.db.restore-ZZ99zz", "");                   // an empty one, for another target
  put(".notes.restore-Ab12Cd", "the user's own notes");  // not a database: kept
  put(".screening.db.restore-short", sqlite);            // not mkostemp's six characters: kept
  put("screening.db.restore-Ab12Cd", sqlite);            // not hidden: not ours, kept
  RequireOk(RestoreSqliteBackup(out, "", key, dir / "screening.db", f.Options()));
  std::set<std::string> left;
  for (const auto& e : fs::directory_iterator(dir)) left.insert(e.path().filename().string());
  CHECK(left == std::set<std::string>{"screening.db", ".notes.restore-Ab12Cd",
                                      ".screening.db.restore-short",
                                      "screening.db.restore-Ab12Cd"});
}

TEST_CASE("A restore that its check refuses leaves nothing in the folder", "[store][backup]") {
  StoreFixture f;
  const fs::path out = f.tmp.path / "cases.bak";
  const fs::path key = MakeKeyFile(f.tmp.path);
  RequireOk(f.s().Backup(f.ada, out, "", key, {}));
  const fs::path dir = f.tmp.path / "restore-here";
  fs::create_directories(dir);
  internal::BackupSecret secret;
  secret.key_file = key;
  bool checked = false;
  auto r = internal::RestoreBackup(out, secret, dir / "screening.db",
                                   [&](sqlite3* db, const internal::BackupManifest& m) {
                                     checked = true;
                                     CHECK(db != nullptr);
                                     CHECK(m.anchor.count > 0);
                                     return Status::Corruption("synthetic refusal");
                                   });
  CHECK(checked);
  CHECK(r.status().code() == StatusCode::kCorruption);
  CHECK(fs::is_empty(dir));
}

}  // namespace
}  // namespace screening::test
