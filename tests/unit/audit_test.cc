// The tamper-evident audit log (store/audit.h) on a real temporary SQLite file. Tampering is
// done the way an attacker with write access to the file would: drop the append-only
// triggers, then change rows directly. All data is synthetic.
#include "store/sqlite/audit.h"

#include <sodium.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "store/sqlite/schema.h"
#include "store/sqlite/sql.h"

namespace screening::internal {
namespace {

namespace fs = std::filesystem;

// A private temporary folder, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "screening-audit-test-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// A migrated database file in a temporary folder.
class TestDb {
 public:
  TestDb() {
    REQUIRE(sqlite3_open((dir_.path() / "case.db").c_str(), &db_) == SQLITE_OK);
    Status st = Migrate(db_);
    INFO(st.ToString());
    REQUIRE(st.ok());
  }
  ~TestDb() { sqlite3_close(db_); }
  TestDb(const TestDb&) = delete;
  TestDb& operator=(const TestDb&) = delete;
  sqlite3* db() const { return db_; }
  const fs::path& dir() const { return dir_.path(); }

 private:
  TempDir dir_;
  sqlite3* db_ = nullptr;
};

AuditKey KeyOf(unsigned char fill) {
  std::array<unsigned char, 32> bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    bytes[i] = static_cast<unsigned char>(fill + i);
  }
  return AuditKey::FromBytes(bytes);
}

const AuditKey& RealKey() {
  static const AuditKey key = KeyOf(0x10);
  return key;
}

// A synthetic event; every other one has no case.
AuditEvent EventNo(int i) {
  AuditEvent e;
  e.at_utc = "2030-01-0" + std::to_string(1 + i % 9) + "T10:00:0" + std::to_string(i % 10) + "Z";
  e.user_name = "test-user-" + std::to_string(i % 3);
  e.role = i % 2 ? "caseworker" : "supervisor";
  e.unit = "test-unit";
  e.action = i % 2 ? "open" : "submit";
  e.object = "assessment:" + std::to_string(100 + i);
  if (i % 2) e.case_id = 7000 + i;
  e.reason = i % 3 == 0 ? "synthetic reason" : "";
  return e;
}

void Run(sqlite3* db, const char* sql) {
  Status st = Exec(db, sql, "test statement");
  INFO(sql << ": " << st.ToString());
  REQUIRE(st.ok());
}

// Appends events first..last (inclusive), each in its own write transaction.
void Append(sqlite3* db, const AuditKey& key, int first, int last) {
  for (int i = first; i <= last; ++i) {
    Run(db, "BEGIN IMMEDIATE");
    Status st = AppendAudit(db, key, EventNo(i));
    INFO(st.ToString());
    REQUIRE(st.ok());
    Run(db, "COMMIT");
  }
}

AuditVerifyReport Verify(sqlite3* db, const AuditKey& key,
                         const std::optional<AuditAnchor>& anchor = std::nullopt) {
  auto r = VerifyAudit(db, key, anchor);
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  return *r;
}

AuditAnchor Head(sqlite3* db) {
  auto h = AuditHead(db);
  INFO(h.status().ToString());
  REQUIRE(h.ok());
  return *h;
}

void DropTriggers(sqlite3* db) {
  Run(db, "DROP TRIGGER audit_no_update");
  Run(db, "DROP TRIGGER audit_no_delete");
}

std::string TextAt(sqlite3* db, const char* sql, std::int64_t seq) {
  Stmt st(db, sql);
  REQUIRE(st.ok());
  st.Bind(1, seq);
  REQUIRE(st.Step());
  return st.Text(0);
}

std::string MacAt(sqlite3* db, std::int64_t seq) {
  Stmt st(db, "SELECT mac FROM audit WHERE seq = ?1");
  REQUIRE(st.ok());
  st.Bind(1, seq);
  REQUIRE(st.Step());
  return st.Blob(0);
}

std::int64_t RowCount(sqlite3* db) {
  Stmt st(db, "SELECT count(*) FROM audit");
  REQUIRE(st.ok());
  REQUIRE(st.Step());
  return st.Int(0);
}

void RunBound(sqlite3* db, const char* sql, const std::string& text, std::int64_t seq) {
  Stmt st(db, sql);
  REQUIRE(st.ok());
  st.Bind(1, text).Bind(2, seq);
  Status s = st.Run();
  INFO(s.ToString());
  REQUIRE(s.ok());
  REQUIRE(sqlite3_changes(db) == 1);
}

void DeleteSeq(sqlite3* db, std::int64_t seq) {
  Stmt st(db, "DELETE FROM audit WHERE seq = ?1");
  REQUIRE(st.ok());
  st.Bind(1, seq);
  REQUIRE(st.Run().ok());
  REQUIRE(sqlite3_changes(db) == 1);
}

std::string FlipFirstByte(std::string s) {
  REQUIRE_FALSE(s.empty());
  s[0] = static_cast<char>(s[0] ^ 0x01);
  return s;
}

mode_t ModeOf(const fs::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

// The canonical encoding as documented at the top of audit.cc, written out independently.
std::string LengthPrefixed(const std::string& field) {
  std::string out;
  const auto n = static_cast<std::uint64_t>(field.size());
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((n >> shift) & 0xFF));
  }
  return out + field;
}

TEST_CASE("an intact chain verifies and its head names the last event", "[audit]") {
  TestDb t;
  SECTION("empty") {
    auto report = Verify(t.db(), RealKey());
    CHECK(report.ok);
    CHECK(report.events == 0);
    AuditAnchor head = Head(t.db());
    CHECK(head.count == 0);
    CHECK(head.last_seq == 0);
    CHECK(head.last_mac_hex.empty());
  }
  SECTION("five events") {
    Append(t.db(), RealKey(), 1, 5);
    auto report = Verify(t.db(), RealKey());
    CHECK(report.ok);
    CHECK(report.events == 5);
    CHECK(report.first_bad_seq == 0);
    CHECK(report.problem.empty());

    AuditAnchor head = Head(t.db());
    CHECK(head.count == 5);
    CHECK(head.last_seq == 5);
    const std::string mac = MacAt(t.db(), 5);
    REQUIRE(mac.size() == 32);
    std::array<char, 65> hex{};
    sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(mac.data()),
                   mac.size());
    CHECK(head.last_mac_hex == std::string(hex.data()));

    auto anchored = Verify(t.db(), RealKey(), head);
    CHECK(anchored.ok);
    CHECK(anchored.events == 5);
  }
}

TEST_CASE("the first mac follows the documented encoding", "[audit]") {
  TestDb t;
  Append(t.db(), RealKey(), 1, 2);
  // Event 1 has a case id; event 2 has none (an empty case_id field).
  for (int i : {1, 2}) {
    const AuditEvent e = EventNo(i);
    std::string canonical =
        LengthPrefixed(std::to_string(i)) + LengthPrefixed(e.at_utc) + LengthPrefixed(e.user_name) +
        LengthPrefixed(e.role) + LengthPrefixed(e.unit) + LengthPrefixed(e.action) +
        LengthPrefixed(e.object) + LengthPrefixed(e.case_id ? std::to_string(*e.case_id) : "") +
        LengthPrefixed(e.reason);
    std::string prev = i == 1 ? std::string(32, '\0') : MacAt(t.db(), 1);
    std::string message = prev + canonical;
    std::array<unsigned char, 32> expected{};
    crypto_auth_hmacsha256(expected.data(), reinterpret_cast<const unsigned char*>(message.data()),
                           message.size(), RealKey().data());
    CHECK(MacAt(t.db(), i) ==
          std::string(reinterpret_cast<const char*>(expected.data()), expected.size()));
  }
}

TEST_CASE("the append-only triggers refuse UPDATE and DELETE on an intact database", "[audit]") {
  TestDb t;
  Append(t.db(), RealKey(), 1, 3);
  const std::string before = TextAt(t.db(), "SELECT object FROM audit WHERE seq = ?1", 2);
  {
    Stmt up(t.db(), "UPDATE audit SET object = ?1 WHERE seq = ?2");
    REQUIRE(up.ok());
    up.Bind(1, "assessment:999").Bind(2, std::int64_t{2});
    Status st = up.Run();
    CHECK(st.code() == StatusCode::kFailedPrecondition);
  }
  {
    Stmt del(t.db(), "DELETE FROM audit WHERE seq = ?1");
    REQUIRE(del.ok());
    del.Bind(1, std::int64_t{3});
    Status st = del.Run();
    CHECK(st.code() == StatusCode::kFailedPrecondition);
  }
  CHECK(TextAt(t.db(), "SELECT object FROM audit WHERE seq = ?1", 2) == before);
  CHECK(RowCount(t.db()) == 3);
  CHECK(Verify(t.db(), RealKey()).ok);
}

TEST_CASE("a changed field is detected at its event", "[audit]") {
  TestDb t;
  Append(t.db(), RealKey(), 1, 5);
  DropTriggers(t.db());

  // Each pair: the column read and the column written (constant SQL, values bound).
  struct Column {
    const char* read;
    const char* write;
  };
  const std::vector<Column> columns = {
      {"SELECT at_utc FROM audit WHERE seq = ?1", "UPDATE audit SET at_utc = ?1 WHERE seq = ?2"},
      {"SELECT user_name FROM audit WHERE seq = ?1",
       "UPDATE audit SET user_name = ?1 WHERE seq = ?2"},
      {"SELECT role FROM audit WHERE seq = ?1", "UPDATE audit SET role = ?1 WHERE seq = ?2"},
      {"SELECT unit FROM audit WHERE seq = ?1", "UPDATE audit SET unit = ?1 WHERE seq = ?2"},
      {"SELECT action FROM audit WHERE seq = ?1", "UPDATE audit SET action = ?1 WHERE seq = ?2"},
      {"SELECT object FROM audit WHERE seq = ?1", "UPDATE audit SET object = ?1 WHERE seq = ?2"},
      {"SELECT reason FROM audit WHERE seq = ?1", "UPDATE audit SET reason = ?1 WHERE seq = ?2"},
  };
  for (const Column& c : columns) {
    DYNAMIC_SECTION(c.write) {
      // Event 3 has a non-empty reason (3 % 3 == 0), so every text field has a byte to flip.
      const std::string original = TextAt(t.db(), c.read, 3);
      RunBound(t.db(), c.write, FlipFirstByte(original), 3);
      auto report = Verify(t.db(), RealKey());
      CHECK_FALSE(report.ok);
      CHECK(report.first_bad_seq == 3);
      CHECK(report.problem == "mac does not match");
      CHECK(report.events == 5);
      // The problem text never quotes row contents.
      CHECK(report.problem.find(original) == std::string::npos);
      // Putting the byte back restores the chain: the detection was about that byte.
      RunBound(t.db(), c.write, original, 3);
      CHECK(Verify(t.db(), RealKey()).ok);
    }
  }
  SECTION("case id changed") {
    Stmt up(t.db(), "UPDATE audit SET case_id = case_id + 1 WHERE seq = ?1");
    REQUIRE(up.ok());
    up.Bind(1, std::int64_t{3});
    REQUIRE(up.Run().ok());
    auto report = Verify(t.db(), RealKey());
    CHECK_FALSE(report.ok);
    CHECK(report.first_bad_seq == 3);
  }
  SECTION("case id removed") {
    Stmt up(t.db(), "UPDATE audit SET case_id = NULL WHERE seq = ?1");
    REQUIRE(up.ok());
    up.Bind(1, std::int64_t{3});
    REQUIRE(up.Run().ok());
    auto report = Verify(t.db(), RealKey());
    CHECK_FALSE(report.ok);
    CHECK(report.first_bad_seq == 3);
  }
  SECTION("case id added") {
    // Event 4 has no case; giving it one changes the event.
    Stmt up(t.db(), "UPDATE audit SET case_id = ?1 WHERE seq = ?2");
    REQUIRE(up.ok());
    up.Bind(1, std::int64_t{0}).Bind(2, std::int64_t{4});
    REQUIRE(up.Run().ok());
    auto report = Verify(t.db(), RealKey());
    CHECK_FALSE(report.ok);
    CHECK(report.first_bad_seq == 4);
  }
  SECTION("bytes moved from one field to the next") {
    // "test-unit" + "open" -> "test-unito" + "pen": same concatenation, different fields.
    const std::string unit = TextAt(t.db(), "SELECT unit FROM audit WHERE seq = ?1", 3);
    const std::string action = TextAt(t.db(), "SELECT action FROM audit WHERE seq = ?1", 3);
    RunBound(t.db(), "UPDATE audit SET unit = ?1 WHERE seq = ?2", unit + action.substr(0, 1), 3);
    RunBound(t.db(), "UPDATE audit SET action = ?1 WHERE seq = ?2", action.substr(1), 3);
    auto report = Verify(t.db(), RealKey());
    CHECK_FALSE(report.ok);
    CHECK(report.first_bad_seq == 3);
  }
}

TEST_CASE("a changed mac is detected at its event", "[audit]") {
  TestDb t;
  Append(t.db(), RealKey(), 1, 5);
  DropTriggers(t.db());
  SECTION("one bit flipped") {
    std::string mac = MacAt(t.db(), 2);
    mac[17] = static_cast<char>(mac[17] ^ 0x80);
    Stmt up(t.db(), "UPDATE audit SET mac = ?1 WHERE seq = ?2");
    REQUIRE(up.ok());
    up.BindBlob(1, mac).Bind(2, std::int64_t{2});
    REQUIRE(up.Run().ok());
    auto report = Verify(t.db(), RealKey());
    CHECK_FALSE(report.ok);
    CHECK(report.first_bad_seq == 2);
    CHECK(report.problem == "mac does not match");
  }
  SECTION("mac cut short") {
    std::string mac = MacAt(t.db(), 4).substr(0, 31);
    Stmt up(t.db(), "UPDATE audit SET mac = ?1 WHERE seq = ?2");
    REQUIRE(up.ok());
    up.BindBlob(1, mac).Bind(2, std::int64_t{4});
    REQUIRE(up.Run().ok());
    auto report = Verify(t.db(), RealKey());
    CHECK_FALSE(report.ok);
    CHECK(report.first_bad_seq == 4);
  }
}

TEST_CASE("a deleted event is detected where the chain breaks", "[audit]") {
  TestDb t;
  Append(t.db(), RealKey(), 1, 5);
  DropTriggers(t.db());
  SECTION("a middle event") {
    DeleteSeq(t.db(), 3);
    auto report = Verify(t.db(), RealKey());
    CHECK_FALSE(report.ok);
    CHECK(report.first_bad_seq == 4);
    CHECK(report.problem == "seq 4 follows 2 (events missing)");
    CHECK(report.events == 4);
  }
  SECTION("the first event") {
    DeleteSeq(t.db(), 1);
    auto report = Verify(t.db(), RealKey());
    CHECK_FALSE(report.ok);
    CHECK(report.first_bad_seq == 2);
    CHECK(report.problem == "the chain starts at seq 2, not 1 (events missing)");
  }
  SECTION("a middle event, with the later seqs renumbered to close the gap") {
    DeleteSeq(t.db(), 3);
    for (std::int64_t seq : {4, 5}) {
      Stmt up(t.db(), "UPDATE audit SET seq = ?1 WHERE seq = ?2");
      REQUIRE(up.ok());
      up.Bind(1, seq - 1).Bind(2, seq);
      REQUIRE(up.Run().ok());
    }
    auto report = Verify(t.db(), RealKey());
    CHECK_FALSE(report.ok);
    CHECK(report.first_bad_seq == 3);
    CHECK(report.problem == "mac does not match");
  }
}

TEST_CASE("reordered events are detected at the first moved one", "[audit]") {
  TestDb t;
  Append(t.db(), RealKey(), 1, 5);
  DropTriggers(t.db());
  // Swap the whole contents of rows 2 and 4 (every column but seq), macs included.
  Run(t.db(), "CREATE TEMP TABLE saved AS SELECT * FROM audit WHERE seq IN (2, 4)");
  Run(t.db(),
      "UPDATE audit SET (at_utc, user_name, role, unit, action, object, case_id, reason, mac) = "
      "(SELECT at_utc, user_name, role, unit, action, object, case_id, reason, mac FROM saved "
      "WHERE saved.seq = 6 - audit.seq) WHERE seq IN (2, 4)");
  REQUIRE(TextAt(t.db(), "SELECT object FROM audit WHERE seq = ?1", 2) == EventNo(4).object);
  REQUIRE(TextAt(t.db(), "SELECT object FROM audit WHERE seq = ?1", 4) == EventNo(2).object);
  auto report = Verify(t.db(), RealKey());
  CHECK_FALSE(report.ok);
  CHECK(report.first_bad_seq == 2);
  CHECK(report.problem == "mac does not match");
}

TEST_CASE("a truncated tail is detected only against an earlier anchor", "[audit]") {
  TestDb t;
  Append(t.db(), RealKey(), 1, 5);
  const AuditAnchor at5 = Head(t.db());
  Append(t.db(), RealKey(), 6, 7);
  const AuditAnchor at7 = Head(t.db());
  REQUIRE(at7.count == 7);
  DropTriggers(t.db());
  DeleteSeq(t.db(), 7);
  DeleteSeq(t.db(), 6);

  SECTION("without an anchor the shorter chain is valid") { CHECK(Verify(t.db(), RealKey()).ok); }
  SECTION("an anchor from before the truncated part still holds") {
    CHECK(Verify(t.db(), RealKey(), at5).ok);
  }
  SECTION("the later anchor reveals it") {
    auto report = Verify(t.db(), RealKey(), at7);
    CHECK_FALSE(report.ok);
    CHECK(report.events == 5);
    CHECK(report.first_bad_seq == 6);
    CHECK(report.problem == "the chain has 5 events but the anchor says 7 (truncated)");
  }
  SECTION("refilled with other events by a key holder, the anchored event has changed") {
    Append(t.db(), RealKey(), 16, 17);
    REQUIRE(Verify(t.db(), RealKey()).ok);
    auto report = Verify(t.db(), RealKey(), at7);
    CHECK_FALSE(report.ok);
    CHECK(report.first_bad_seq == 7);
    CHECK(report.problem == "the anchored event 7 is missing or changed");
  }
}

TEST_CASE("a chain re-hashed with another key is detected by the real key", "[audit]") {
  TestDb t;
  Append(t.db(), RealKey(), 1, 5);
  DropTriggers(t.db());
  // The attacker rewrites event 3, then rebuilds the whole chain with a key of their own.
  RunBound(t.db(), "UPDATE audit SET object = ?1 WHERE seq = ?2", "assessment:1", 3);
  std::vector<AuditEvent> events;
  {
    Stmt st(t.db(),
            "SELECT at_utc, user_name, role, unit, action, object, case_id, reason FROM audit "
            "ORDER BY seq");
    REQUIRE(st.ok());
    while (st.Step()) {
      AuditEvent e;
      e.at_utc = st.Text(0);
      e.user_name = st.Text(1);
      e.role = st.Text(2);
      e.unit = st.Text(3);
      e.action = st.Text(4);
      e.object = st.Text(5);
      e.case_id = st.OptInt(6);
      e.reason = st.Text(7);
      events.push_back(e);
    }
    REQUIRE(st.status().ok());
  }
  REQUIRE(events.size() == 5);
  const AuditKey attacker = KeyOf(0xA0);
  Run(t.db(), "BEGIN IMMEDIATE");
  Run(t.db(), "DELETE FROM audit");
  for (const AuditEvent& e : events) REQUIRE(AppendAudit(t.db(), attacker, e).ok());
  Run(t.db(), "COMMIT");

  // The forged chain is consistent in itself...
  REQUIRE(Verify(t.db(), attacker).ok);
  // ...but not under the real key.
  auto report = Verify(t.db(), RealKey());
  CHECK_FALSE(report.ok);
  CHECK(report.first_bad_seq == 1);
  CHECK(report.problem == "mac does not match");
}

TEST_CASE("an event appended in a rolled-back transaction leaves no trace", "[audit]") {
  TestDb t;
  Append(t.db(), RealKey(), 1, 2);
  const AuditAnchor before = Head(t.db());

  Run(t.db(), "BEGIN IMMEDIATE");
  REQUIRE(AppendAudit(t.db(), RealKey(), EventNo(3)).ok());
  REQUIRE(RowCount(t.db()) == 3);  // visible inside the transaction
  Run(t.db(), "ROLLBACK");

  const AuditAnchor after = Head(t.db());
  CHECK(after.count == before.count);
  CHECK(after.last_seq == before.last_seq);
  CHECK(after.last_mac_hex == before.last_mac_hex);
  // The next event takes the free seq and the chain stays whole.
  Append(t.db(), RealKey(), 4, 4);
  CHECK(Head(t.db()).last_seq == 3);
  auto report = Verify(t.db(), RealKey(), before);
  CHECK(report.ok);
  CHECK(report.events == 3);
}

TEST_CASE("AppendAudit needs the caller's transaction and a time and action", "[audit]") {
  TestDb t;
  CHECK(AppendAudit(t.db(), RealKey(), EventNo(1)).code() == StatusCode::kFailedPrecondition);
  CHECK(RowCount(t.db()) == 0);
  Run(t.db(), "BEGIN IMMEDIATE");
  AuditEvent no_action = EventNo(1);
  no_action.action.clear();
  CHECK(AppendAudit(t.db(), RealKey(), no_action).code() == StatusCode::kInvalidArgument);
  AuditEvent no_time = EventNo(1);
  no_time.at_utc.clear();
  CHECK(AppendAudit(t.db(), RealKey(), no_time).code() == StatusCode::kInvalidArgument);
  Run(t.db(), "COMMIT");
  CHECK(RowCount(t.db()) == 0);
}

TEST_CASE("VerifyAudit reads inside a caller's transaction and checks the anchor", "[audit]") {
  TestDb t;
  Append(t.db(), RealKey(), 1, 3);
  SECTION("inside a transaction") {
    Run(t.db(), "BEGIN");
    CHECK(Verify(t.db(), RealKey()).ok);
    CHECK(sqlite3_get_autocommit(t.db()) == 0);  // the caller's transaction is still open
    Run(t.db(), "COMMIT");
  }
  SECTION("a malformed anchor is refused") {
    AuditAnchor bad = Head(t.db());
    bad.last_mac_hex = "not hex";
    CHECK(VerifyAudit(t.db(), RealKey(), bad).status().code() == StatusCode::kInvalidArgument);
    AuditAnchor negative = Head(t.db());
    negative.count = -1;
    CHECK(VerifyAudit(t.db(), RealKey(), negative).status().code() == StatusCode::kInvalidArgument);
  }
  SECTION("an anchor naming an event past the end of a chain long enough for its count") {
    // Such an anchor comes from a chain that already had a gap; it is still checked.
    AuditAnchor gap = Head(t.db());
    gap.count = 3;
    gap.last_seq = 4;
    auto report = Verify(t.db(), RealKey(), gap);
    CHECK_FALSE(report.ok);
    CHECK(report.first_bad_seq == 4);
    CHECK(report.problem == "the anchored event 4 is missing or changed");
  }
  SECTION("an anchor with a different mac for the same event") {
    AuditAnchor other = Head(t.db());
    other.last_mac_hex[0] = other.last_mac_hex[0] == '0' ? '1' : '0';
    auto report = Verify(t.db(), RealKey(), other);
    CHECK_FALSE(report.ok);
    CHECK(report.first_bad_seq == 3);
    CHECK(report.problem == "the anchored event 3 is missing or changed");
  }
  CHECK(sqlite3_get_autocommit(t.db()) != 0);  // no transaction left behind
}

TEST_CASE("AuditKey::Create makes a private key file in private folders", "[audit]") {
  TempDir dir;
  const fs::path path = dir.path() / "keys" / "inner" / "audit.key";
  auto created = AuditKey::Create(path);
  INFO(created.status().ToString());
  REQUIRE(created.ok());
  CHECK(ModeOf(path) == 0600);
  CHECK(ModeOf(dir.path() / "keys") == 0700);
  CHECK(ModeOf(dir.path() / "keys" / "inner") == 0700);
  CHECK(fs::file_size(path) == 32);

  auto loaded = AuditKey::Load(path);
  INFO(loaded.status().ToString());
  REQUIRE(loaded.ok());
  CHECK(std::equal(loaded->data(), loaded->data() + 32, created->data()));

  // Two keys are not the same (the key is random, not a constant).
  auto second = AuditKey::Create(dir.path() / "keys" / "second.key");
  REQUIRE(second.ok());
  CHECK_FALSE(std::equal(second->data(), second->data() + 32, created->data()));

  // A chain written with the created key verifies with the loaded one.
  TestDb t;
  Append(t.db(), *created, 1, 2);
  CHECK(Verify(t.db(), *loaded).ok);
  CHECK_FALSE(Verify(t.db(), *second).ok);
}

TEST_CASE("AuditKey::Create refuses an existing file", "[audit]") {
  TempDir dir;
  const fs::path path = dir.path() / "audit.key";
  REQUIRE(AuditKey::Create(path).ok());
  auto first = AuditKey::Load(path);
  REQUIRE(first.ok());
  auto again = AuditKey::Create(path);
  CHECK(again.status().code() == StatusCode::kAlreadyExists);
  auto still = AuditKey::Load(path);
  REQUIRE(still.ok());
  CHECK(std::equal(still->data(), still->data() + 32, first->data()));
}

TEST_CASE("AuditKey::Load refuses a key others can read, a wrong size, a missing file", "[audit]") {
  TempDir dir;
  const fs::path path = dir.path() / "audit.key";
  REQUIRE(AuditKey::Create(path).ok());
  SECTION("mode 0644") {
    fs::permissions(path, static_cast<fs::perms>(0644));
    auto r = AuditKey::Load(path);
    CHECK(r.status().code() == StatusCode::kFailedPrecondition);
    CHECK(r.status().message().find(path.string()) != std::string::npos);
  }
  SECTION("mode 0640") {
    fs::permissions(path, static_cast<fs::perms>(0640));
    CHECK(AuditKey::Load(path).status().code() == StatusCode::kFailedPrecondition);
  }
  SECTION("mode 0400 is fine") {
    fs::permissions(path, static_cast<fs::perms>(0400));
    CHECK(AuditKey::Load(path).ok());
  }
  SECTION("wrong size") {
    fs::resize_file(path, 31);
    CHECK(AuditKey::Load(path).status().code() == StatusCode::kFailedPrecondition);
    fs::resize_file(path, 33);
    CHECK(AuditKey::Load(path).status().code() == StatusCode::kFailedPrecondition);
  }
  SECTION("missing") {
    CHECK(AuditKey::Load(dir.path() / "none.key").status().code() == StatusCode::kNotFound);
  }
  SECTION("a symbolic link") {
    fs::create_symlink(path, dir.path() / "link.key");
    CHECK(AuditKey::Load(dir.path() / "link.key").status().code() ==
          StatusCode::kFailedPrecondition);
  }
}

TEST_CASE("AuditKey copies hold the same bytes", "[audit]") {
  const AuditKey a = KeyOf(0x33);
  AuditKey b(a);
  AuditKey c;
  c = a;
  CHECK(std::equal(a.data(), a.data() + 32, b.data()));
  CHECK(std::equal(a.data(), a.data() + 32, c.data()));
  const AuditKey zero;
  CHECK(std::all_of(zero.data(), zero.data() + 32, [](unsigned char x) { return x == 0; }));
}

}  // namespace
}  // namespace screening::internal
