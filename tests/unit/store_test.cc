// Unit tests of the case store (store.h, store/sqlite_store.cc): files and opening, login,
// bad input, migrations, bulk mode and the audit calls. The review workflow, access
// control and due items are in store_workflow_test.cc, store_access_test.cc and
// store_due_test.cc.
#include <sys/stat.h>

#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "store/sqlite/schema.h"
#include "store_fixture.h"
#include "test_support.h"

namespace screening::test {
namespace {

int Mode(const fs::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return static_cast<int>(st.st_mode & 07777);
}

int UserVersion(const fs::path& file) {
  return static_cast<int>(StoreFixture::ScalarIn(file, "PRAGMA user_version"));
}

// ---------------------------------------------------------------- files and opening

TEST_CASE("Create makes the database file 0600 in a new 0700 folder", "[store]") {
  TempFolder tmp;
  const fs::path dir = tmp.path / "new" / "folder";
  const fs::path db = dir / "screening.db";
  StoreOptions o;
  o.password_cost = 0;
  o.audit_key_file = tmp.path / "keys" / "audit.key";
  auto store = RequireOk(CreateSqliteStore(db, RealInstruments(), "ada", kPassword, o));
  CHECK(Mode(dir) == 0700);
  CHECK(Mode(db) == 0600);
  CHECK(Mode(o.audit_key_file) == 0600);
  // SQLite's side files take the database's permissions.
  for (const char* side : {"-wal", "-shm"}) {
    const fs::path p = db.string() + side;
    if (fs::exists(p)) CHECK((Mode(p) & 077) == 0);
  }
  CHECK(StoreFixture::ScalarIn(db, "PRAGMA application_id") == internal::kApplicationId);
  CHECK(UserVersion(db) == internal::SchemaVersion());
}

TEST_CASE("Create refuses an existing file and leaves it alone", "[store]") {
  TempFolder tmp;
  const fs::path db = tmp.path / "screening.db";
  { std::ofstream(db) << "keep me"; }
  StoreOptions o;
  o.password_cost = 0;
  o.audit_key_file = tmp.path / "audit.key";
  auto store = CreateSqliteStore(db, RealInstruments(), "ada", kPassword, o);
  REQUIRE_FALSE(store.ok());
  CHECK(store.status().code() == StatusCode::kAlreadyExists);
  CHECK(ReadFile(db) == "keep me");
}

TEST_CASE("Open of a missing file is kNotFound and creates nothing", "[store]") {
  TempFolder tmp;
  const fs::path db = tmp.path / "missing" / "screening.db";
  StoreOptions o;
  o.password_cost = 0;
  o.audit_key_file = tmp.path / "audit.key";
  auto store = OpenSqliteStore(db, RealInstruments(), o);
  REQUIRE_FALSE(store.ok());
  CHECK(store.status().code() == StatusCode::kNotFound);
  CHECK_THAT(store.status().message(), Catch::Contains("init"));
  CHECK_FALSE(fs::exists(db));
  CHECK_FALSE(fs::exists(db.parent_path()));
  CHECK_FALSE(fs::exists(o.audit_key_file));
}

// Makes a plain SQLite database at `file` by running `sql` (not through the store).
void MakeSqlite(const fs::path& file, const std::string& sql) {
  sqlite3* h = nullptr;
  REQUIRE(sqlite3_open_v2(file.c_str(), &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) ==
          SQLITE_OK);
  char* err = nullptr;
  const int rc = sqlite3_exec(h, sql.c_str(), nullptr, nullptr, &err);
  INFO((err ? err : ""));
  sqlite3_free(err);
  sqlite3_close_v2(h);
  REQUIRE(rc == SQLITE_OK);
}

TEST_CASE("Open refuses files that are not a screening database and leaves them alone", "[store]") {
  StoreFixture f(kMarch14, false);
  f.store.reset();
  const fs::path text = f.tmp.path / "notes.txt";
  const fs::path other = f.tmp.path / "other.db";
  { std::ofstream(text) << "this is not a database, just some text that is long enough\n"; }
  MakeSqlite(other,
             "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1); PRAGMA user_version = 0;");
  for (const fs::path& p : {text, other}) {
    INFO(p.filename().string());
    const std::string before = ReadFile(p);
    auto store = OpenSqliteStore(p, RealInstruments(), f.Options());
    REQUIRE_FALSE(store.ok());
    CHECK(store.status().code() == StatusCode::kFailedPrecondition);
    CHECK_THAT(store.status().message(), Catch::Contains("not a screening database"));
    CHECK(ReadFile(p) == before);  // not migrated, not stamped
  }
  // The real one still opens.
  RequireOk(OpenSqliteStore(f.db, RealInstruments(), f.Options()));
}

TEST_CASE("Open refuses a database from a newer version with a clear message", "[store]") {
  StoreFixture f(kMarch14, false);
  f.store.reset();
  const int newer = internal::SchemaVersion() + 1;
  REQUIRE(f.RawExec("PRAGMA user_version = " + std::to_string(newer)) == SQLITE_OK);
  auto store = OpenSqliteStore(f.db, RealInstruments(), f.Options());
  REQUIRE_FALSE(store.ok());
  CHECK(store.status().code() == StatusCode::kFailedPrecondition);
  CHECK_THAT(store.status().message(), Catch::Contains("newer version"));
  CHECK(UserVersion(f.db) == newer);
}

TEST_CASE("Open with another audit key is kCorruption, a missing key is reported", "[store]") {
  StoreFixture f(kMarch14, false);
  f.store.reset();
  // Another store's key: a valid key file that does not belong to this database.
  TempFolder other;
  StoreOptions o2 = f.Options();
  o2.audit_key_file = other.path / "other.key";
  RequireOk(CreateSqliteStore(other.path / "other.db", RealInstruments(), "ada", kPassword, o2));
  auto wrong = OpenSqliteStore(f.db, RealInstruments(), o2);
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.status().code() == StatusCode::kCorruption);
  CHECK_THAT(wrong.status().message(), Catch::Contains("audit key"));

  StoreOptions o3 = f.Options();
  o3.audit_key_file = other.path / "missing.key";
  auto missing = OpenSqliteStore(f.db, RealInstruments(), o3);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code() == StatusCode::kNotFound);
  CHECK_FALSE(fs::exists(o3.audit_key_file));  // Open never makes a key

  auto right = OpenSqliteStore(f.db, RealInstruments(), f.Options());
  RequireOk(right.status());
}

TEST_CASE("A reopened store keeps its accounts and audit chain", "[store]") {
  StoreFixture f;
  const std::int64_t id = f.Submitted(f.kim, "IFO-2025-0001", DashSession(3));
  f.store = RequireOk(OpenSqliteStore(f.db, RealInstruments(), f.Options()));
  const Actor kim = f.Login("kim");
  auto rec = RequireOk(f.s().Get(kim, id));
  CHECK(rec.status == AssessmentStatus::kSubmitted);
  CHECK(rec.case_ref == "IFO-2025-0001");
  auto v = RequireOk(f.s().VerifyAudit(f.Login("ada")));
  CHECK(v.ok);
}

// ---------------------------------------------------------------- login

TEST_CASE("Login: right password gives the actor, wrong or unknown the same refusal",
          "[store][login]") {
  StoreFixture f;
  const std::int64_t seq = f.LastSeq();
  auto kim = RequireOk(f.s().Login("kim", kPassword));
  CHECK(kim.name == "kim");
  CHECK(kim.role == Role::kCaseworker);
  CHECK(kim.units == std::vector<std::string>{"ifo_vuxen"});

  auto wrong = f.s().Login("kim", "not the password 1");
  auto unknown = f.s().Login("nobody", kPassword);
  auto inactive = f.s().Login("gone", kPassword);
  for (const auto* r : {&wrong, &unknown, &inactive}) {
    REQUIRE_FALSE(r->ok());
    CHECK(r->status().code() == StatusCode::kPermissionDenied);
    CHECK(r->status().message() == wrong.status().message());
  }
  CHECK_THAT(wrong.status().message(), !Catch::Contains("password for kim"));
  // Every attempt is audited; the unknown name is not written into the log.
  const auto rows = f.AuditSince(seq);
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].action == "login");
  CHECK(rows[0].user == "kim");
  CHECK(rows[1].action == "login_failed");
  CHECK(rows[1].user == "kim");
  CHECK(rows[2].action == "login_failed");
  CHECK(rows[2].user == "-");
  CHECK(rows[2].object.find("nobody") == std::string::npos);
  CHECK(rows[3].action == "login_failed");
}

TEST_CASE("Login backs off after repeated failures and allows again after the lock time",
          "[store][login]") {
  StoreFixture f;
  const std::int64_t seq = f.LastSeq();
  // Three free failures.
  for (int i = 0; i < 3; ++i) CHECK_FALSE(f.s().Login("kim", "not the password 1").ok());
  RequireOk(f.s().Login("kim", kPassword).status());  // not locked; resets the count

  for (int i = 0; i < 4; ++i) CHECK_FALSE(f.s().Login("kim", "not the password 1").ok());
  // The fourth failure locks for 1 s: the right password is refused at the same instant.
  auto locked = f.s().Login("kim", kPassword);
  REQUIRE_FALSE(locked.ok());
  CHECK(locked.status().code() == StatusCode::kPermissionDenied);
  CHECK(f.CountAudit(seq, "kim", "login_locked") == 1);
  f.clock->Advance(2);
  RequireOk(f.s().Login("kim", kPassword).status());

  // The lock grows: after five failures it lasts 2 s.
  for (int i = 0; i < 5; ++i) {
    CHECK_FALSE(f.s().Login("kim", "not the password 1").ok());
    f.clock->Advance(3);  // outlive each lock so every attempt is a real check
  }
  f.clock->Advance(-3);
  f.clock->Advance(1);
  CHECK_FALSE(f.s().Login("kim", kPassword).ok());
  f.clock->Advance(2);
  RequireOk(f.s().Login("kim", kPassword).status());

  // Every attempt is audited: 3+4+5 failures, 1+1 locked, 3 successes.
  CHECK(f.CountAudit(seq, "kim", "login_failed") == 12);
  CHECK(f.CountAudit(seq, "kim", "login_locked") == 2);
  CHECK(f.CountAudit(seq, "kim", "login") == 3);
}

TEST_CASE("A locked account does not lock others", "[store][login]") {
  StoreFixture f;
  for (int i = 0; i < 6; ++i) CHECK_FALSE(f.s().Login("kim", "not the password 1").ok());
  CHECK_FALSE(f.s().Login("kim", kPassword).ok());
  RequireOk(f.s().Login("lena", kPassword).status());
}

TEST_CASE("SetPassword: own with the old one, anyone's by an admin, denials audited",
          "[store][login]") {
  StoreFixture f;
  const std::string next = "another synthetic password 2";
  const std::int64_t seq = f.LastSeq();
  auto bad_old = f.s().SetPassword(f.kim, "kim", "not the password 1", next);
  CHECK(bad_old.code() == StatusCode::kPermissionDenied);
  CHECK(f.CountAudit(seq, "kim", "denied:set_password") == 1);
  auto other = f.s().SetPassword(f.kim, "lena", kPassword, next);
  CHECK(other.code() == StatusCode::kPermissionDenied);
  CHECK(f.CountAudit(seq, "kim", "denied:set_password") == 2);
  RequireOk(f.s().Login("lena", kPassword).status());

  RequireOk(f.s().SetPassword(f.kim, "kim", kPassword, next));
  CHECK_FALSE(f.s().Login("kim", kPassword).ok());
  RequireOk(f.s().Login("kim", next).status());
  RequireOk(f.s().SetPassword(f.ada, "lena", "", next));
  RequireOk(f.s().Login("lena", next).status());
  CHECK(f.CountAudit(seq, "kim", "set_password", "user:kim") == 1);
  CHECK(f.CountAudit(seq, "ada", "set_password", "user:lena") == 1);
  // Never in clear.
  CHECK(f.Scalar("SELECT COUNT(*) FROM users WHERE password_hash LIKE '%synthetic%'") == 0);
}

TEST_CASE("LoginTrusted only where the database trusts the OS login", "[store][login]") {
  StoreFixture f;
  auto refused = f.s().LoginTrusted("kim");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == StatusCode::kPermissionDenied);

  TempFolder tmp;
  StoreOptions o = f.Options();
  o.audit_key_file = tmp.path / "audit.key";
  auto trusting = RequireOk(
      CreateSqliteStore(tmp.path / "ws.db", RealInstruments(), "ada", kPassword, o, true));
  auto ada = RequireOk(trusting->LoginTrusted("ada"));
  CHECK(ada.role == Role::kAdmin);
  auto nobody = trusting->LoginTrusted("nobody");
  REQUIRE_FALSE(nobody.ok());
  CHECK(nobody.status().code() == StatusCode::kPermissionDenied);
  const auto n = StoreFixture::ScalarIn(
      tmp.path / "ws.db",
      "SELECT COUNT(*) FROM audit WHERE action = 'login_os' AND user_name = 'ada'");
  CHECK(n == 1);
}

// ---------------------------------------------------------------- bad input

// Counts of every table a failed call must leave unchanged.
struct Counts {
  std::int64_t units, users, cases, contacts, subjects, groups, assessments, audit;
  bool operator==(const Counts&) const = default;
};
Counts Snapshot(const StoreFixture& f) {
  return {f.Rows("units"),    f.Rows("users"),          f.Rows("cases"),       f.Rows("contacts"),
          f.Rows("subjects"), f.Rows("subject_groups"), f.Rows("assessments"), f.AuditCount()};
}

TEST_CASE("Bad units and users are refused with a clear error and nothing stored",
          "[store][input]") {
  StoreFixture f;
  const Counts before = Snapshot(f);
  auto not_vocab = f.s().AddUnit(f.ada, "no_such_unit");
  CHECK(not_vocab.code() == StatusCode::kInvalidArgument);
  CHECK_THAT(not_vocab.message(), Catch::Contains("unit"));
  CHECK(f.s().AddUnit(f.ada, "IFO Vuxen").code() == StatusCode::kInvalidArgument);
  // A unit of the vocabulary that was never added: the user row is not kept either.
  auto unknown_unit = f.s().AddUser(f.ada, "nils", Role::kCaseworker, {"bistand"}, kPassword);
  CHECK(unknown_unit.code() == StatusCode::kNotFound);
  CHECK_THAT(unknown_unit.message(), Catch::Contains("bistand"));
  CHECK(ParseRole("boss").status().code() == StatusCode::kInvalidArgument);
  CHECK(f.s().AddUser(f.ada, "Nils Nilsson", Role::kCaseworker, {"ifo_vuxen"}, kPassword).code() ==
        StatusCode::kInvalidArgument);
  CHECK(f.s().AddUser(f.ada, "nils", Role::kCaseworker, {}, kPassword).code() ==
        StatusCode::kInvalidArgument);
  CHECK(f.s().AddUser(f.ada, "nils", Role::kCaseworker, {"ifo_vuxen"}, "short").code() ==
        StatusCode::kInvalidArgument);
  CHECK(f.s().AddUser(f.ada, "kim", Role::kCaseworker, {"ifo_vuxen"}, kPassword).code() ==
        StatusCode::kAlreadyExists);
  CHECK(Snapshot(f) == before);
  CHECK_FALSE(f.s().Login("nils", kPassword).ok());
}

TEST_CASE("A case reference that looks like a personal identity number is refused",
          "[store][input]") {
  StoreFixture f;
  const std::vector<std::string> pnrs = {"19850101-1234", "850101-1234", "8501011234",
                                         "198501011234",  "850101+1234", "19850101 1234"};
  const Counts before = Snapshot(f);
  for (const auto& ref : pnrs) {
    INFO(ref);
    ContactInput c{"ifo_vuxen", ref, "2025-03-14", "not_disclosed", "", "", {}};
    auto contact = f.s().AddContact(f.kim, c);
    REQUIRE_FALSE(contact.ok());
    CHECK(contact.status().code() == StatusCode::kInvalidArgument);
    CHECK_THAT(contact.status().message(), Catch::Contains("personal identity number"));
    CHECK(contact.status().message().find(ref) == std::string::npos);
    SubjectInput s{"ifo_vuxen", ref, "adult_victim", "", false, {}};
    CHECK(f.s().AddSubject(f.kim, s).status().code() == StatusCode::kInvalidArgument);
    CHECK(f.s().CreateDraft(f.kim, f.Input(ref), DashSession(1)).status().code() ==
          StatusCode::kInvalidArgument);
  }
  CHECK(f.s().CreateDraft(f.kim, f.Input(""), DashSession(1)).status().code() ==
        StatusCode::kInvalidArgument);
  CHECK(f.s().CreateDraft(f.kim, f.Input("IFO\n1"), DashSession(1)).status().code() ==
        StatusCode::kInvalidArgument);
  CHECK(Snapshot(f) == before);
  // References of the case system are fine, digits and all.
  for (const char* ref : {"IFO-2025-0042", "2025-1234"}) {
    f.Intake(f.kim, ref);
    RequireOk(f.s().CreateDraft(f.kim, f.Input(ref), DashSession(1)).status());
  }
}

TEST_CASE("An instrument that is not installed is refused and nothing stored", "[store][input]") {
  StoreFixture f;
  auto t = MustLoad(Def(Section("s", YesNo("q1"))));
  Session session(t);
  RequireOk(session.SetCode("q1", "yes"));
  const Counts before = Snapshot(f);
  auto id = f.s().CreateDraft(f.kim, f.Input("IFO-1"), session);
  REQUIRE_FALSE(id.ok());
  CHECK(id.status().code() == StatusCode::kNotFound);
  CHECK_THAT(id.status().message(), Catch::Contains("instrument"));
  CHECK(Snapshot(f) == before);
  // Answers of another instrument do not replace a draft's.
  const std::int64_t draft = f.Draft(f.kim, "IFO-1", DashSession(1));
  CHECK(f.s().UpdateDraft(f.kim, draft, BarnSession(false)).code() == StatusCode::kInvalidArgument);
}

TEST_CASE("Contacts and subjects with ids outside the vocabulary are refused, nothing stored",
          "[store][input]") {
  StoreFixture f;
  const Counts before = Snapshot(f);
  const std::string ref = "IFO-2025-7";
  struct Bad {
    const char* what;
    ContactInput c;
  };
  const std::vector<Bad> contacts = {
      {"outcome", {"ifo_vuxen", ref, "2025-03-14", "maybe", "", "", {}}},
      {"not-asked reason", {"ifo_vuxen", ref, "2025-03-14", "not_asked", "bogus", "", {}}},
      {"not-asked reason", {"ifo_vuxen", ref, "2025-03-14", "not_asked", "", "", {}}},
      {"not-asked reason", {"ifo_vuxen", ref, "2025-03-14", "declined", "not_alone", "", {}}},
      {"not-asked note", {"ifo_vuxen", ref, "2025-03-14", "not_asked", "other", "", {}}},
      {"violence types", {"ifo_vuxen", ref, "2025-03-14", "disclosed", "", "", {"bogus"}}},
      {"violence types", {"ifo_vuxen", ref, "2025-03-14", "not_disclosed", "", "", {"physical"}}},
      {"contact date", {"ifo_vuxen", ref, "2025-02-30", "not_disclosed", "", "", {}}},
      {"contact date", {"ifo_vuxen", ref, "14/3/2025", "not_disclosed", "", "", {}}},
      {"unit", {"IFO", ref, "2025-03-14", "not_disclosed", "", "", {}}},
  };
  for (const auto& b : contacts) {
    auto r = f.s().AddContact(f.kim, b.c);
    INFO(b.what << ": " << r.status().ToString());
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == StatusCode::kInvalidArgument);
    CHECK_THAT(r.status().message(), Catch::Contains(b.what));
  }
  struct BadSubject {
    const char* what;
    SubjectInput s;
  };
  const std::vector<BadSubject> subjects = {
      {"role", {"ifo_vuxen", ref, "grandma", "", false, {}}},
      {"age band", {"ifo_vuxen", ref, "adult_victim", "30-40", false, {}}},
      {"vulnerable group", {"ifo_vuxen", ref, "adult_victim", "", false, {"bogus"}}},
  };
  for (const auto& b : subjects) {
    auto r = f.s().AddSubject(f.kim, b.s);
    INFO(b.what << ": " << r.status().ToString());
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == StatusCode::kInvalidArgument);
    CHECK_THAT(r.status().message(), Catch::Contains(b.what));
  }
  CHECK(Snapshot(f) == before);

  // The good ones are kept, with the case made once.
  RequireOk(f.s()
                .AddContact(
                    f.kim,
                    {"ifo_vuxen", ref, "2025-03-14", "disclosed", "", "", {"physical", "economic"}})
                .status());
  RequireOk(
      f.s()
          .AddContact(f.kim,
                      {"ifo_vuxen", ref, "2025-03-14", "not_asked", "other", "Tolk saknades.", {}})
          .status());
  RequireOk(f.s()
                .AddSubject(f.kim, {"ifo_vuxen", ref, "adult_victim", "25-44", false, {"older"}})
                .status());
  CHECK(f.Rows("cases") == before.cases + 1);
  CHECK(f.Rows("contacts") == before.contacts + 2);
  CHECK(f.Rows("contact_violence_types") == 2);
  CHECK(f.Rows("subject_groups") == before.groups + 1);
}

TEST_CASE("A draft linked to a subject or contact of another case is refused", "[store][input]") {
  StoreFixture f;
  f.Intake(f.kim, "IFO-A");
  f.Intake(f.kim, "IFO-B");
  const auto subject =
      RequireOk(f.s().AddSubject(f.kim, {"ifo_vuxen", "IFO-A", "adult_victim", "", false, {}}));
  const Counts before = Snapshot(f);
  AssessmentInput in = f.Input("IFO-B");
  in.subject_id = subject;
  auto r = f.s().CreateDraft(f.kim, in, DashSession(2));
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kNotFound);
  CHECK_THAT(r.status().message(), Catch::Contains("subject"));
  CHECK(Snapshot(f) == before);
  in.case_ref = "IFO-A";
  RequireOk(f.s().CreateDraft(f.kim, in, DashSession(2)).status());
}

// ---------------------------------------------------------------- migrations

// The schema as SQLite records it, for comparing databases.
std::vector<std::string> Schema(const fs::path& file) {
  StoreFixture::Db d(file);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(d.h,
                             "SELECT type || ' ' || name || ': ' || COALESCE(sql, '') FROM "
                             "sqlite_schema ORDER BY type, name",
                             -1, &st, nullptr) == SQLITE_OK);
  std::vector<std::string> out;
  while (sqlite3_step(st) == SQLITE_ROW)
    out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
  sqlite3_finalize(st);
  return out;
}

TEST_CASE("A database at every earlier schema version migrates to the current one",
          "[store][migrations]") {
  TempFolder tmp;
  const int current = internal::SchemaVersion();
  REQUIRE(current >= 1);
  const fs::path fresh = tmp.path / "fresh.db";
  {
    sqlite3* h = nullptr;
    REQUIRE(sqlite3_open_v2(fresh.c_str(), &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                            nullptr) == SQLITE_OK);
    RequireOk(internal::Migrate(h));
    sqlite3_close_v2(h);
  }
  REQUIRE(UserVersion(fresh) == current);
  const auto want = Schema(fresh);
  REQUIRE_FALSE(want.empty());

  for (int from = 0; from <= current; ++from) {
    INFO("from schema version " << from);
    const fs::path file = tmp.path / ("v" + std::to_string(from) + ".db");
    sqlite3* h = nullptr;
    REQUIRE(sqlite3_open_v2(file.c_str(), &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                            nullptr) == SQLITE_OK);
    RequireOk(internal::MigrateTo(h, from));
    CHECK(RequireOk(internal::ReadUserVersion(h)) == from);
    // A row written at that version survives the later migrations.
    if (from >= 1) {
      REQUIRE(sqlite3_exec(h, "INSERT INTO units (id, created_utc) VALUES ('ifo_vuxen', 'x')",
                           nullptr, nullptr, nullptr) == SQLITE_OK);
    }
    RequireOk(internal::Migrate(h));
    CHECK(RequireOk(internal::ReadUserVersion(h)) == current);
    RequireOk(internal::Migrate(h));  // idempotent
    sqlite3_close_v2(h);
    CHECK(Schema(file) == want);
    if (from >= 1) CHECK(StoreFixture::ScalarIn(file, "SELECT COUNT(*) FROM units") == 1);
  }
}

// Copies every row of a current database's tables into `target` (at an older schema), the
// columns both have: a database an older program made, with its accounts and audit chain.
void CopyInto(const fs::path& current, const fs::path& target) {
  StoreFixture::Db d(target, true);
  REQUIRE(sqlite3_exec(d.h, ("ATTACH DATABASE '" + current.string() + "' AS cur").c_str(), nullptr,
                       nullptr, nullptr) == SQLITE_OK);
  std::vector<std::string> tables;
  {
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(d.h,
                               "SELECT name FROM main.sqlite_schema WHERE type = 'table' AND name "
                               "NOT LIKE 'sqlite_%'",
                               -1, &st, nullptr) == SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW)
      tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
    sqlite3_finalize(st);
  }
  for (const auto& t : tables) {
    std::string cols;
    sqlite3_stmt* st = nullptr;
    const std::string q = "SELECT a.name FROM pragma_table_info('" + t +
                          "', 'main') a JOIN pragma_table_info('" + t +
                          "', 'cur') b ON a.name = b.name";
    REQUIRE(sqlite3_prepare_v2(d.h, q.c_str(), -1, &st, nullptr) == SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
      cols += (cols.empty() ? "" : ", ") +
              std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
    }
    sqlite3_finalize(st);
    if (cols.empty()) continue;
    const std::string copy =
        "INSERT INTO main." + t + " (" + cols + ") SELECT " + cols + " FROM cur." + t;
    INFO(copy);
    REQUIRE(sqlite3_exec(d.h, copy.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
  }
}

TEST_CASE("A store made at every earlier schema version opens, migrates and verifies",
          "[store][migrations]") {
  StoreFixture f;
  const std::int64_t id = f.Submitted(f.kim, "IFO-2025-0001", DashSession(15));
  RequireOk(f.s().Approve(f.sara, id, ""));
  f.store.reset();
  const int current = internal::SchemaVersion();
  // Schema 0 is no store at all (Create always migrates); every later one but the current.
  for (int from = 1; from < current; ++from) {
    INFO("from schema version " << from);
    const fs::path old = f.tmp.path / ("old" + std::to_string(from) + ".db");
    {
      sqlite3* h = nullptr;
      REQUIRE(sqlite3_open_v2(old.c_str(), &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                              nullptr) == SQLITE_OK);
      REQUIRE(sqlite3_exec(
                  h,
                  ("PRAGMA application_id = " + std::to_string(internal::kApplicationId)).c_str(),
                  nullptr, nullptr, nullptr) == SQLITE_OK);
      RequireOk(internal::MigrateTo(h, from));
      sqlite3_close_v2(h);
    }
    CopyInto(f.db, old);
    auto store = RequireOk(OpenSqliteStore(old, RealInstruments(), f.Options()));
    CHECK(UserVersion(old) == current);
    auto kim = RequireOk(store->Login("kim", kPassword));
    ListFilter all;
    CHECK(RequireOk(store->List(kim, all)).size() == 1);
    CHECK(RequireOk(store->Check(RequireOk(store->Login("ada", kPassword)))).ok);
    // Migration 4 copies the assessment's instrument, unit and submission time to the review.
    CHECK(StoreFixture::ScalarIn(
              old,
              "SELECT COUNT(*) FROM reviews r JOIN assessments a ON a.id = r.assessment_id "
              "WHERE r.instrument_id = 'dash' AND r.unit_id = 'ifo_vuxen' "
              "AND r.submitted_utc = a.submitted_utc AND r.decision = 'approved'") == 1);
  }
  // And the current one opens as it is.
  auto store = RequireOk(OpenSqliteStore(f.db, RealInstruments(), f.Options()));
  CHECK(UserVersion(f.db) == current);
}

// ---------------------------------------------------------------- bulk

TEST_CASE("Bulk keeps many saves made in one transaction", "[store][bulk]") {
  StoreFixture f;
  for (int i = 0; i < 40; ++i) f.Intake(f.kim, "BULK-" + std::to_string(i));
  const std::int64_t audit = f.AuditCount();
  std::vector<std::int64_t> ids;
  RequireOk(f.s().Bulk([&]() -> Status {
    for (int i = 0; i < 40; ++i) {
      auto id = f.s().CreateDraft(f.kim, f.Input("BULK-" + std::to_string(i)), DashSession(i % 25));
      if (!id.ok()) return id.status();
      if (Status st = f.s().Submit(f.kim, *id); !st.ok()) return st;
      ids.push_back(*id);
    }
    return Status::Ok();
  }));
  CHECK(ids.size() == 40);
  CHECK(f.Rows("assessments") == 40);
  CHECK(f.Scalar("SELECT COUNT(*) FROM assessments WHERE status = 'submitted'") == 40);
  CHECK(f.AuditCount() == audit + 80);
  CHECK(RequireOk(f.s().Check(f.ada)).ok);
}

TEST_CASE("A failure inside Bulk rolls every save back", "[store][bulk]") {
  StoreFixture f;
  for (int i = 0; i < 10; ++i) f.Intake(f.kim, "BULK-" + std::to_string(i));
  const Counts before = Snapshot(f);
  const std::int64_t due = f.Rows("due_items");
  Status st = f.s().Bulk([&]() -> Status {
    for (int i = 0; i < 10; ++i) {
      auto id = f.s().CreateDraft(f.kim, f.Input("BULK-" + std::to_string(i)), BarnSession(true));
      if (!id.ok()) return id.status();
      if (Status s = f.s().Submit(f.kim, *id); !s.ok()) return s;
    }
    // The eleventh is refused (a personal identity number): the whole import fails.
    return f.s().CreateDraft(f.kim, f.Input("850101-1234"), DashSession(1)).status();
  });
  CHECK(st.code() == StatusCode::kInvalidArgument);
  CHECK(Snapshot(f) == before);
  CHECK(f.Rows("due_items") == due);
  CHECK(RequireOk(f.s().VerifyAudit(f.ada)).ok);
  // The store works normally afterwards.
  f.Submitted(f.kim, "IFO-1", DashSession(1));
  CHECK(f.Rows("assessments") == 1);
}

TEST_CASE("Bulk does not nest", "[store][bulk]") {
  StoreFixture f;
  f.Intake(f.kim, "IFO-1");
  const Counts before = Snapshot(f);
  Status inner;
  Status st = f.s().Bulk([&]() -> Status {
    RequireOk(f.s().CreateDraft(f.kim, f.Input("IFO-1"), DashSession(1)).status());
    inner = f.s().Bulk([] { return Status::Ok(); });
    return inner;
  });
  CHECK(inner.code() == StatusCode::kFailedPrecondition);
  CHECK(st.code() == StatusCode::kFailedPrecondition);
  CHECK(Snapshot(f) == before);
}

// Each operation inside Bulk has its own savepoint: one that fails after its first INSERT
// leaves nothing of itself behind while the caller carries on (once a gap: the half-done
// operation was committed without its audit event).
TEST_CASE("An operation that fails inside Bulk leaves nothing of itself behind", "[store][bulk]") {
  StoreFixture f;
  RequireOk(f.s().Bulk([&]() -> Status {
    // Fails after inserting the user row: the unit does not exist.
    Status st = f.s().AddUser(f.ada, "nils", Role::kCaseworker, {"bistand"}, kPassword);
    CHECK(st.code() == StatusCode::kNotFound);
    return Status::Ok();
  }));
  CHECK(f.Scalar("SELECT COUNT(*) FROM users WHERE name = 'nils'") == 0);
  CHECK_FALSE(f.s().Login("nils", kPassword).ok());
}

// ---------------------------------------------------------------- audit calls

TEST_CASE("VerifyAudit and Check pass on an intact store and name its head", "[store][audit]") {
  StoreFixture f;
  f.Submitted(f.kim, "IFO-1", DashSession(20));
  const std::int64_t events = f.AuditCount();
  const std::int64_t last = f.LastSeq();
  auto v = RequireOk(f.s().VerifyAudit(f.ada));
  CHECK(v.ok);
  CHECK(v.events == events);
  CHECK(v.first_bad_seq == 0);
  CHECK(v.problem.empty());
  CHECK(v.head_seq == last);
  CHECK(v.head_mac.size() == 64);
  CHECK(f.CountAudit(last, "ada", "audit_verify") == 1);

  auto c = RequireOk(f.s().Check(f.ada));
  CHECK(c.ok);
  CHECK(c.events == events + 1);  // the verification's own event
  CHECK(c.head_seq == last + 1);
  CHECK(c.head_mac != v.head_mac);
  CHECK(f.CountAudit(last, "ada", "check") == 1);
}

TEST_CASE("Check reports a changed audit row", "[store][audit]") {
  StoreFixture f;
  f.Submitted(f.kim, "IFO-1", DashSession(20));
  f.store.reset();
  // Bypass the append-only trigger the way someone with the file would. Left dropped, the
  // changed schema alone refuses the file; put back as it was, only the MACs tell.
  REQUIRE(
      f.RawExec("DROP TRIGGER audit_no_update; UPDATE audit SET user_name = 'x' WHERE seq = 3") ==
      SQLITE_OK);
  CHECK(OpenSqliteStore(f.db, RealInstruments(), f.Options()).status().code() ==
        StatusCode::kCorruption);
  REQUIRE(f.RawExec("CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit\n"
                    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END") == SQLITE_OK);
  f.store = RequireOk(OpenSqliteStore(f.db, RealInstruments(), f.Options()));
  auto c = RequireOk(f.s().Check(f.Login("ada")));
  CHECK_FALSE(c.ok);
  CHECK(c.first_bad_seq == 3);
}

TEST_CASE("AuditLog of one case holds its events and no other case's", "[store][audit]") {
  StoreFixture f;
  const std::int64_t a = f.Submitted(f.kim, "IFO-A", DashSession(20));
  const std::int64_t b = f.Submitted(f.kim, "IFO-B", DashSession(2));
  RequireOk(f.s().Get(f.sara, a).status());
  RequireOk(f.s().Get(f.sara, a).status());  // each opening is audited
  CHECK(f.s().Get(f.bo, a).status().code() == StatusCode::kNotFound);
  RequireOk(f.s().Get(f.kim, b).status());
  const std::string obj = "assessment:" + std::to_string(a);

  auto log = RequireOk(f.s().AuditLog(f.ada, "ifo_vuxen", "IFO-A"));
  auto count = [&](std::string_view user, std::string_view action) {
    int n = 0;
    for (const auto& e : log) n += e.user_name == user && e.action == action;
    return n;
  };
  CHECK(count("kim", "create_draft") == 1);
  CHECK(count("kim", "submit") == 1);
  CHECK(count("sara", "open") == 2);
  CHECK(count("bo", "denied:open") == 1);
  for (const auto& e : log) {
    CHECK(e.object != "assessment:" + std::to_string(b));
    CHECK(e.unit == "ifo_vuxen");
  }
  for (std::size_t i = 1; i < log.size(); ++i) CHECK(log[i - 1].seq < log[i].seq);
  // The case begins with the contact that opened it, then the assessment.
  REQUIRE(log.size() > 1);
  CHECK(log[0].action == "create");
  CHECK(log[0].object.rfind("contact:", 0) == 0);
  CHECK(log[1].object == obj);

  auto missing = f.s().AuditLog(f.ada, "ifo_vuxen", "IFO-NONE");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code() == StatusCode::kNotFound);
}
}  // namespace
}  // namespace screening::test
