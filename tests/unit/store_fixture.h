// Helpers for the unit tests of the case store (store_*_test.cc): a store in a temporary
// folder with a fixed clock, a small organisation of users, sessions of the real
// instruments, and a second, read-only SQLite connection to count rows and read the audit
// table without going through (and so without adding to) the store's own audit.
#pragma once

#include <sqlite3.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <screening/registry.h>
#include <screening/session.h>
#include <screening/store.h>

#include <catch2/catch.hpp>
#include "test_paths.h"

namespace screening::test {

namespace fs = std::filesystem;

// The synthetic password every test account gets.
inline constexpr const char* kPassword = "synthetic test password 1";

// Instants used by the tests (seconds since the epoch, UTC), with their Swedish local date.
inline constexpr std::int64_t kMarch14 = 1741946400;     // 2025-03-14T10:00:00Z, 11:00 local
inline constexpr std::int64_t kJan14Late = 1736893800;   // 2025-01-14T22:30:00Z, 23:30 local
inline constexpr std::int64_t kJan14Night = 1736897400;  // 2025-01-14T23:30:00Z, 00:30 on the 15th
inline constexpr std::int64_t kJuly1Late = 1751405400;   // 2025-07-01T21:30:00Z, 23:30 local
inline constexpr std::int64_t kJuly1Night = 1751409000;  // 2025-07-01T22:30:00Z, 00:30 on the 2nd
inline constexpr std::int64_t kOct31 = 1761904800;       // 2025-10-31T10:00:00Z
inline constexpr std::int64_t kDay = 24 * 3600;

// A clock that stands still. ArmOnce runs a function at the next reading of the clock: the
// tests use it to make a second connection write at a chosen point inside an operation
// (between its reads and its write transaction), which a single thread cannot otherwise do.
class FixedClock : public Clock {
 public:
  explicit FixedClock(std::int64_t now) : now_(now) {}
  std::int64_t NowUnix() const override {
    if (hook_) {
      auto fn = std::move(hook_);
      hook_ = nullptr;
      fn();
    }
    return now_.load();
  }
  void Set(std::int64_t now) { now_ = now; }
  void Advance(std::int64_t seconds) { now_ += seconds; }
  void ArmOnce(std::function<void()> fn) { hook_ = std::move(fn); }

 private:
  std::atomic<std::int64_t> now_;
  mutable std::function<void()> hook_;
};

// A fresh folder under the system's temporary folder, removed at the end.
struct TempFolder {
  TempFolder() {
    static std::atomic<int> n{0};
    path = fs::temp_directory_path() /
           ("screening-store-test-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempFolder() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
  fs::path path;
};

// The real instruments (instruments/), loaded once.
inline std::shared_ptr<const Registry> RealInstruments() {
  static const std::shared_ptr<const Registry> registry = [] {
    auto r = Registry::LoadDirectory(SCREENING_TEST_INSTRUMENTS_DIR, nullptr);
    INFO(r.status().ToString());
    REQUIRE(r.ok());
    return *r;
  }();
  return registry;
}

inline std::shared_ptr<const Instrument> RealInstrument(std::string_view id) {
  auto inst = RealInstruments()->Find(id);
  INFO(id);
  REQUIRE(inst != nullptr);
  return inst;
}

inline void RequireOk(const Status& st) {
  INFO(st.ToString());
  REQUIRE(st.ok());
}
template <typename T>
inline T RequireOk(Result<T> r) {
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  return std::move(*r);
}

// A `dash` session with `yes` yes answers (q1..q<yes>) and no to the rest: 14 or more is
// the band "high", fewer "below_threshold".
inline Session DashSession(int yes) {
  Session s(RealInstrument("dash"));
  for (int q = 1; q <= 24; ++q)
    RequireOk(s.SetCode("q" + std::to_string(q), q <= yes ? "yes" : "no"));
  return s;
}

// A complete `barn` session. Its deadlines: protection_assessment (same or next day),
// investigation_decision (14 days), child_investigation (4 months, as q1 is yes) and, with
// an immediate protection need, lvu_emergency (the same day).
inline Session BarnSession(bool immediate_need, bool with_age = true) {
  Session s(RealInstrument("barn"));
  if (with_age) RequireOk(s.SetInteger("age", 7));
  RequireOk(s.SetCode("q1", "yes"));
  RequireOk(s.SetCode("immediate_protection_need", immediate_need ? "yes" : "no"));
  RequireOk(s.SetJudgement("protection", "high", "Syntetisk motivering."));
  return s;
}

// A `rutinfraga` session where the question could not be asked: its one deadline is
// "ask again at the next contact".
inline Session RoutineNotAskedSession() {
  Session s(RealInstrument("rutinfraga"));
  RequireOk(s.SetCode("safe_to_ask", "no"));
  RequireOk(s.SetCode("not_asked_reason", "not_alone"));
  RequireOk(s.SetCode("children_in_household", "no"));
  return s;
}

// Opens a case on `store` the only way cases are opened: a new contact at an intake
// (AddContact) by `a`, the routine question asked and nothing disclosed. Returns the
// contact's id.
inline std::int64_t IntakeOn(Store& store, const Actor& a, std::string_view case_ref,
                             std::string_view unit = "ifo_vuxen",
                             std::string_view date = "2025-03-14") {
  ContactInput contact;
  contact.unit = std::string(unit);
  contact.case_ref = std::string(case_ref);
  contact.contact_date = std::string(date);
  contact.outcome = "not_disclosed";
  return RequireOk(store.AddContact(a, contact));
}

// One audit row as stored.
struct AuditRow {
  std::int64_t seq = 0;
  std::string user, role, unit, action, object, reason;
  std::optional<std::int64_t> case_id;
};

// A store at `db` in a temporary folder, with a fixed clock and these accounts:
//   ada   admin
//   kim   caseworker ifo_vuxen        lena  caseworker ifo_vuxen
//   sara  supervisor ifo_vuxen        sven  supervisor ifo_vuxen
//   olle  coordinator (no unit)
//   bo    caseworker ifo_barn         per   supervisor ifo_barn
//   gone  caseworker ifo_vuxen, deactivated after logging in (its Actor is kept)
struct StoreFixture {
  TempFolder tmp;
  fs::path db = tmp.path / "data" / "screening.db";
  fs::path key = tmp.path / "keys" / "audit.key";
  std::shared_ptr<FixedClock> clock;
  std::unique_ptr<Store> store;
  Actor ada, kim, lena, sara, sven, olle, bo, per, gone;

  explicit StoreFixture(std::int64_t now = kMarch14, bool with_people = true)
      : clock(std::make_shared<FixedClock>(now)) {
    store = RequireOk(CreateSqliteStore(db, RealInstruments(), "ada", kPassword, Options()));
    ada = Login("ada");
    if (!with_people) return;
    RequireOk(store->AddUnit(ada, "ifo_vuxen"));
    RequireOk(store->AddUnit(ada, "ifo_barn"));
    struct U {
      const char* name;
      Role role;
      std::vector<std::string> units;
      Actor* actor;
    };
    const std::vector<U> users = {
        {"kim", Role::kCaseworker, {"ifo_vuxen"}, &kim},
        {"lena", Role::kCaseworker, {"ifo_vuxen"}, &lena},
        {"sara", Role::kSupervisor, {"ifo_vuxen"}, &sara},
        {"sven", Role::kSupervisor, {"ifo_vuxen"}, &sven},
        {"olle", Role::kCoordinator, {}, &olle},
        {"bo", Role::kCaseworker, {"ifo_barn"}, &bo},
        {"per", Role::kSupervisor, {"ifo_barn"}, &per},
        {"gone", Role::kCaseworker, {"ifo_vuxen"}, &gone},
    };
    for (const auto& u : users) {
      // sven, a second supervisor of ifo_vuxen, takes effect when sara (its first) confirms.
      RequireOk(AddUserReady(*store, ada, u.name, u.role, u.units, kPassword,
                             std::string_view(u.name) == "sven" ? &sara : nullptr));
      *u.actor = Login(u.name);
    }
    RawExec("UPDATE users SET active = 0 WHERE name = 'gone'");
  }
  ~StoreFixture() { store.reset(); }
  StoreFixture(const StoreFixture&) = delete;
  StoreFixture& operator=(const StoreFixture&) = delete;

  StoreOptions Options() const {
    StoreOptions o;
    o.password_cost = 0;
    o.audit_key_file = key;
    o.clock = clock;
    return o;
  }

  Store& s() { return *store; }

  // A second store on the same file (another connection, as another program would have),
  // with its own clock at this one's time.
  std::unique_ptr<Store> OpenSecond() const {
    StoreOptions o = Options();
    o.clock = std::make_shared<FixedClock>(clock->NowUnix());
    return RequireOk(OpenSqliteStore(db, RealInstruments(), o));
  }

  Actor Login(std::string_view name) { return RequireOk(store->Login(name, kPassword)); }

  // An actor the store never issued.
  static Actor Ghost() {
    Actor a;
    a.user_id = 9999;
    a.name = "ghost";
    a.role = Role::kAdmin;
    a.units = {"ifo_vuxen"};
    return a;
  }

  // ---- raw access (a separate connection, opened and closed per call)

  struct Db {
    sqlite3* h = nullptr;
    explicit Db(const fs::path& p, bool write = false) {
      REQUIRE(sqlite3_open_v2(p.c_str(), &h, write ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY,
                              nullptr) == SQLITE_OK);
      sqlite3_busy_timeout(h, 5000);
    }
    ~Db() { sqlite3_close_v2(h); }
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;
  };

  // The single integer a query returns.
  std::int64_t Scalar(const std::string& sql) const { return ScalarIn(db, sql); }
  static std::int64_t ScalarIn(const fs::path& file, const std::string& sql) {
    Db d(file);
    sqlite3_stmt* st = nullptr;
    INFO(sql << ": " << sqlite3_errmsg(d.h));
    REQUIRE(sqlite3_prepare_v2(d.h, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    const std::int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
  }
  std::int64_t Rows(const std::string& table) const {
    return Scalar("SELECT COUNT(*) FROM " + table);
  }
  std::int64_t AuditCount() const { return Rows("audit"); }

  // Runs a statement on the file directly (what the store's API does not offer: deactivating
  // an account, trying to change an approved row). Returns SQLite's result code.
  int RawExec(const std::string& sql) const {
    Db d(db, true);
    return sqlite3_exec(d.h, sql.c_str(), nullptr, nullptr, nullptr);
  }

  // The audit rows after `after_seq`, in order.
  std::vector<AuditRow> AuditSince(std::int64_t after_seq = 0) const {
    Db d(db);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(d.h,
                               "SELECT seq, user_name, role, unit, action, object, reason, case_id "
                               "FROM audit WHERE seq > ?1 ORDER BY seq",
                               -1, &st, nullptr) == SQLITE_OK);
    sqlite3_bind_int64(st, 1, after_seq);
    std::vector<AuditRow> out;
    auto text = [&](int c) {
      const unsigned char* t = sqlite3_column_text(st, c);
      return t ? std::string(reinterpret_cast<const char*>(t)) : std::string();
    };
    while (sqlite3_step(st) == SQLITE_ROW) {
      AuditRow r;
      r.seq = sqlite3_column_int64(st, 0);
      r.user = text(1);
      r.role = text(2);
      r.unit = text(3);
      r.action = text(4);
      r.object = text(5);
      r.reason = text(6);
      if (sqlite3_column_type(st, 7) != SQLITE_NULL) r.case_id = sqlite3_column_int64(st, 7);
      out.push_back(std::move(r));
    }
    sqlite3_finalize(st);
    return out;
  }
  std::int64_t LastSeq() const { return Scalar("SELECT COALESCE(MAX(seq), 0) FROM audit"); }

  // How many audit rows after `after_seq` have this user and action (and object, if given).
  int CountAudit(std::int64_t after_seq, std::string_view user, std::string_view action,
                 std::string_view object = {}) const {
    int n = 0;
    for (const auto& r : AuditSince(after_seq)) {
      n += r.user == user && r.action == action && (object.empty() || r.object == object);
    }
    return n;
  }

  std::string Status_(std::int64_t id) const {
    Db d(db);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(d.h, "SELECT status FROM assessments WHERE id = ?1", -1, &st,
                               nullptr) == SQLITE_OK);
    sqlite3_bind_int64(st, 1, id);
    std::string out;
    if (sqlite3_step(st) == SQLITE_ROW)
      out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
  }

  // Whether the unit has a case with this reference (a case an intake has opened).
  bool CaseExists(std::string_view case_ref, std::string_view unit = "ifo_vuxen") const {
    Db d(db);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(d.h, "SELECT 1 FROM cases WHERE unit_id = ?1 AND case_ref = ?2", -1,
                               &st, nullptr) == SQLITE_OK);
    sqlite3_bind_text(st, 1, unit.data(), static_cast<int>(unit.size()), SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, case_ref.data(), static_cast<int>(case_ref.size()), SQLITE_TRANSIENT);
    const bool found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return found;
  }

  // ---- common steps

  // The date of the fixed clock (UTC), YYYY-MM-DD.
  std::string ClockDate() const {
    const time_t now = static_cast<time_t>(clock->NowUnix());
    struct tm utc {};
    gmtime_r(&now, &utc);
    char text[16];
    strftime(text, sizeof text, "%Y-%m-%d", &utc);
    return text;
  }

  // Opens a case the only way cases are opened: a new contact at an intake (AddContact), as
  // `a`, on the clock's date, the routine question asked and nothing disclosed. Returns the
  // contact's id.
  std::int64_t Intake(const Actor& a, std::string_view case_ref,
                      std::string_view unit = "ifo_vuxen") {
    return IntakeOn(*store, a, case_ref, unit, ClockDate());
  }
  // Intake when no intake has opened the case yet (as the clients start a case).
  void EnsureIntake(const Actor& a, std::string_view case_ref,
                    std::string_view unit = "ifo_vuxen") {
    if (!CaseExists(case_ref, unit)) Intake(a, case_ref, unit);
  }

  AssessmentInput Input(std::string_view case_ref, std::string_view unit = "ifo_vuxen") const {
    AssessmentInput in;
    in.unit = std::string(unit);
    in.case_ref = std::string(case_ref);
    return in;
  }

  // A draft by `a`, in a case opened by `a`'s intake first when none has opened it yet.
  std::int64_t Draft(const Actor& a, std::string_view case_ref, const Session& session,
                     std::string_view unit = "ifo_vuxen") {
    EnsureIntake(a, case_ref, unit);
    return RequireOk(store->CreateDraft(a, Input(case_ref, unit), session));
  }
  std::int64_t Submitted(const Actor& a, std::string_view case_ref, const Session& session,
                         std::string_view unit = "ifo_vuxen") {
    const std::int64_t id = Draft(a, case_ref, session, unit);
    RequireOk(store->Submit(a, id));
    return id;
  }
  std::int64_t Approved(const Actor& author, const Actor& supervisor, std::string_view case_ref,
                        const Session& session, std::string_view unit = "ifo_vuxen") {
    const std::int64_t id = Submitted(author, case_ref, session, unit);
    RequireOk(store->Approve(supervisor, id, "Godkänd."));
    return id;
  }
};

}  // namespace screening::test
