// The account life cycle (issue 15 point 4): deactivation, role and unit changes, grants that
// end or are revoked. Each takes effect at the next call of an actor already logged in (the
// store re-reads the account every time) and is audited; the administrator never changes
// their own account, and the last administrator stays.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "store_fixture.h"

namespace screening::test {
namespace {

bool Sees(StoreFixture& f, const Actor& who, std::int64_t assessment) {
  return f.s().Get(who, assessment).ok();
}

}  // namespace

TEST_CASE("a deactivated account is refused at its next call, and can be reactivated",
          "[store][accounts]") {
  StoreFixture f;
  const std::int64_t id = f.Draft(f.kim, "LC-1", DashSession(3));
  const std::int64_t seq = f.LastSeq();
  RequireOk(f.s().SetUserActive(f.ada, "kim", false));
  // kim is still "logged in" (the Actor is kept) but refused everything, and cannot log in.
  CHECK(f.s().Get(f.kim, id).status().code() == StatusCode::kPermissionDenied);
  CHECK(f.s().Login("kim", kPassword).status().code() == StatusCode::kPermissionDenied);
  CHECK(f.CountAudit(seq, "ada", "deactivate_user") == 1);
  const auto users = RequireOk(f.s().Users(f.ada));
  bool listed = false;
  for (const UserRecord& u : users) {
    if (u.name == "kim") {
      listed = true;
      CHECK_FALSE(u.active);
      CHECK(u.units == std::vector<std::string>{"ifo_vuxen"});
    }
  }
  CHECK(listed);
  RequireOk(f.s().SetUserActive(f.ada, "kim", true));
  CHECK(f.CountAudit(seq, "ada", "reactivate_user") == 1);
  CHECK(Sees(f, f.kim, id));
  // Doing nothing is not audited.
  const std::int64_t again = f.LastSeq();
  RequireOk(f.s().SetUserActive(f.ada, "kim", true));
  CHECK(f.LastSeq() == again);
}

TEST_CASE("a caseworker who moves unit loses the old unit's cases at once", "[store][accounts]") {
  StoreFixture f;
  const std::int64_t vuxen = f.Draft(f.lena, "LC-2", DashSession(3));
  REQUIRE(Sees(f, f.kim, vuxen));
  // The last unit cannot be removed: the new one is added first.
  CHECK(f.s().SetUserUnit(f.ada, "kim", "ifo_vuxen", false).code() ==
        StatusCode::kFailedPrecondition);
  CHECK(Sees(f, f.kim, vuxen));
  RequireOk(f.s().SetUserUnit(f.ada, "kim", "ifo_barn", true));
  RequireOk(f.s().SetUserUnit(f.ada, "kim", "ifo_vuxen", false));
  CHECK_FALSE(Sees(f, f.kim, vuxen));
  f.Intake(f.kim, "LC-3", "ifo_barn");
  RequireOk(f.s().CreateDraft(f.kim, f.Input("LC-3", "ifo_barn"), DashSession(2)).status());
  CHECK(f.s().CreateDraft(f.kim, f.Input("LC-4"), DashSession(2)).status().code() ==
        StatusCode::kPermissionDenied);
  CHECK(f.s().SetUserUnit(f.ada, "kim", "no_such_unit", true).code() == StatusCode::kNotFound);
  CHECK(f.s().SetUserUnit(f.ada, "nobody", "ifo_barn", true).code() == StatusCode::kNotFound);
}

TEST_CASE(
    "a role change holds at the next call, the administrator's own account and the last "
    "administrator are kept",
    "[store][accounts]") {
  StoreFixture f;
  const std::int64_t id = f.Submitted(f.kim, "LC-5", DashSession(3));
  // sven stops being a supervisor: he no longer reviews.
  RequireOk(f.s().SetUserRole(f.ada, "sven", Role::kCaseworker));
  CHECK(f.s().Approve(f.sven, id, "OK").code() == StatusCode::kPermissionDenied);
  const auto rows = f.AuditSince(0);
  bool logged = false;
  for (const auto& r : rows)
    logged = logged || (r.action == "change_role" && r.reason == "supervisor -> caseworker");
  CHECK(logged);
  // A coordinator without units cannot be made a caseworker until given a unit.
  CHECK(f.s().SetUserRole(f.ada, "olle", Role::kCaseworker).code() ==
        StatusCode::kFailedPrecondition);
  // An unknown role id is refused where ids are read (the CLI, the API): ParseRole.
  CHECK(ParseRole("chief").status().code() == StatusCode::kInvalidArgument);
  // The administrator's own account is changed by another administrator; the last one stays.
  CHECK(f.s().SetUserRole(f.ada, "ada", Role::kCoordinator).code() ==
        StatusCode::kFailedPrecondition);
  CHECK(f.s().SetUserActive(f.ada, "ada", false).code() == StatusCode::kFailedPrecondition);
  // A new administrator takes effect when a second person (here the supervisor sara) confirms.
  RequireOk(AddUserReady(f.s(), f.ada, "ida", Role::kAdmin, {}, kPassword, &f.sara));
  const Actor ida = RequireOk(f.s().Login("ida", kPassword));
  RequireOk(f.s().SetUserActive(ida, "ada", false));
  CHECK(f.s().SetUserActive(f.ada, "ida", false).code() == StatusCode::kPermissionDenied);
  // ida is now the last active administrator.
  RequireOk(AddUserReady(f.s(), ida, "ivar", Role::kAdmin, {}, kPassword, &f.sara));
  const Actor ivar = RequireOk(f.s().Login("ivar", kPassword));
  RequireOk(f.s().SetUserActive(ivar, "ida", false));
  CHECK(f.s().SetUserActive(ivar, "ivar", false).code() == StatusCode::kFailedPrecondition);
}

TEST_CASE("a grant ends on its last day or when revoked", "[store][accounts][protected]") {
  StoreFixture f;  // 14 March 2025
  f.Intake(f.kim, "LC-P");
  RequireOk(f.s().AddSubject(f.kim, {"ifo_vuxen", "LC-P", "adult_victim", "", true, {}}));
  const std::int64_t id = f.Submitted(f.kim, "LC-P", DashSession(3));
  REQUIRE_FALSE(Sees(f, f.lena, id));
  CHECK(f.s().Grant(f.sara, "ifo_vuxen", "LC-P", "lena", "Semester.", "2025-03-13").code() ==
        StatusCode::kInvalidArgument);
  CHECK(f.s().Grant(f.sara, "ifo_vuxen", "LC-P", "lena", "Semester.", "2025-13-01").code() ==
        StatusCode::kInvalidArgument);
  RequireOk(f.s().Grant(f.sara, "ifo_vuxen", "LC-P", "lena", "Semester.", "2025-03-20"));
  CHECK(Sees(f, f.lena, id));
  // The last day (Swedish time) still holds; the day after it does not.
  f.clock->Set(kMarch14 + 6 * 86400 + 10 * 3600);  // 20 March, 21:00 Swedish time
  CHECK(Sees(f, f.lena, id));
  // 21 March 00:30 in Sweden, while it is still 20 March in UTC: the grant has ended.
  f.clock->Set(kMarch14 + 6 * 86400 + 13 * 3600 + 1800);
  CHECK_FALSE(Sees(f, f.lena, id));
  ListFilter all;
  bool listed = false;
  for (const auto& s : RequireOk(f.s().List(f.lena, all))) listed = listed || s.case_ref == "LC-P";
  CHECK_FALSE(listed);
  // Granted again, without an end; then revoked (by the unit's supervisor, with a reason).
  RequireOk(f.s().Grant(f.sara, "ifo_vuxen", "LC-P", "lena", "Tar över.", ""));
  CHECK(Sees(f, f.lena, id));
  const std::int64_t seq = f.LastSeq();
  CHECK(f.s().RevokeGrant(f.sara, "ifo_vuxen", "LC-P", "lena", " ").code() ==
        StatusCode::kInvalidArgument);
  CHECK(f.s().RevokeGrant(f.kim, "ifo_vuxen", "LC-P", "lena", "Klart.").code() ==
        StatusCode::kPermissionDenied);
  RequireOk(f.s().RevokeGrant(f.sara, "ifo_vuxen", "LC-P", "lena", "Klart."));
  CHECK_FALSE(Sees(f, f.lena, id));
  CHECK(f.CountAudit(seq, "sara", "revoke_grant") == 1);
  CHECK(f.s().RevokeGrant(f.sara, "ifo_vuxen", "LC-P", "lena", "Klart.").code() ==
        StatusCode::kNotFound);
}

TEST_CASE("failed logins lock out their source, never the account everywhere", "[store][login]") {
  StoreFixture f;
  const LoginContext attacker{"test:attacker"}, desk{"test:desk"};
  for (int i = 0; i < 8; ++i) CHECK_FALSE(f.s().Login("ada", "not the password 1", attacker).ok());
  // The attacker's source is locked out of the name, even with the right password...
  CHECK(f.s().Login("ada", kPassword, attacker).status().code() == StatusCode::kPermissionDenied);
  // ...the administrator at her own desk is not.
  RequireOk(f.s().Login("ada", kPassword, desk).status());
  bool locked = false;
  for (const UserRecord& u : RequireOk(f.s().Users(f.ada)))
    locked = locked || (u.name == "ada" && u.locked);
  CHECK(locked);
  // The lock is capped: at most 15 minutes after the last failure.
  f.clock->Advance(15 * 60 + 1);
  RequireOk(f.s().Login("ada", kPassword, attacker).status());
  // Each attempt is audited with its source.
  bool sourced = false;
  for (const auto& r : f.AuditSince(0))
    sourced = sourced || (r.action == "login_failed" && r.reason == "test:attacker");
  CHECK(sourced);
}

TEST_CASE("an unknown name is throttled like a known one and never stored", "[store][login]") {
  StoreFixture f;
  const LoginContext source{"test:probe"};
  const std::string typo = "MySecretPassword9";  // a password typed into the name field
  for (int i = 0; i < 6; ++i) CHECK_FALSE(f.s().Login(typo, "x", source).ok());
  for (int i = 0; i < 6; ++i) CHECK_FALSE(f.s().Login("kim", "not the password 1", source).ok());
  // Both pairs are locked alike, so a lock does not tell that a name exists.
  const std::int64_t seq = f.LastSeq();
  CHECK_FALSE(f.s().Login(typo, "x", source).ok());
  CHECK_FALSE(f.s().Login("kim", kPassword, source).ok());
  CHECK(f.CountAudit(seq, "-", "login_locked") == 1);
  CHECK(f.CountAudit(seq, "kim", "login_locked") == 1);
  CHECK(f.Scalar("SELECT COUNT(*) FROM login_throttle") == 2);
  CHECK(f.Scalar("SELECT COUNT(*) FROM login_throttle WHERE instr(name_key, 'MySecret') > 0 "
                 "OR instr(name_key, 'kim') > 0") == 0);
  for (const auto& r : f.AuditSince(0)) CHECK(r.object.find("MySecret") == std::string::npos);
  // An administrator's new password unlocks the account from every source.
  RequireOk(f.s().SetPassword(f.ada, "kim", "", "a brand new password 3"));
  RequireOk(f.s().Login("kim", "a brand new password 3", source).status());
}

TEST_CASE("who reads the audit trail: the administrator all, a supervisor their own unit",
          "[store][access][audit]") {
  StoreFixture f;
  f.Intake(f.kim, "AU-P");
  RequireOk(f.s().AddSubject(f.kim, {"ifo_vuxen", "AU-P", "adult_victim", "", true, {}}));
  f.Submitted(f.kim, "AU-O", DashSession(3));
  f.Submitted(f.bo, "AU-B", DashSession(3), "ifo_barn");
  // A supervisor reads her unit's events (sample checks of who looked)...
  const auto mine = RequireOk(f.s().AuditLog(f.sara, "ifo_vuxen", ""));
  CHECK_FALSE(mine.empty());
  for (const AuditEntry& e : mine) CHECK(e.unit == "ifo_vuxen");
  RequireOk(f.s().AuditLog(f.sara, "ifo_vuxen", "AU-O").status());
  // ...never those of a protected case without a grant: it reads as one that does not exist.
  const auto hidden = f.s().AuditLog(f.sara, "ifo_vuxen", "AU-P");
  CHECK(hidden.status().code() == StatusCode::kNotFound);
  CHECK(hidden.status().message() ==
        f.s().AuditLog(f.sara, "ifo_vuxen", "AU-NONE").status().message());
  std::int64_t protected_events = 0;
  for (const AuditEntry& e : RequireOk(f.s().AuditLog(f.ada, "ifo_vuxen", "AU-P"))) {
    ++protected_events;
    for (const AuditEntry& m : mine) CHECK(m.seq != e.seq);
  }
  CHECK(protected_events > 0);
  // Not another unit's, not the whole log, and not a caseworker or coordinator.
  CHECK(f.s().AuditLog(f.sara, "ifo_barn", "").status().code() == StatusCode::kPermissionDenied);
  CHECK(f.s().AuditLog(f.sara, "", "").status().code() == StatusCode::kPermissionDenied);
  CHECK(f.s().AuditLog(f.kim, "ifo_vuxen", "").status().code() == StatusCode::kPermissionDenied);
  CHECK(f.s().AuditLog(f.olle, "ifo_vuxen", "").status().code() == StatusCode::kPermissionDenied);
  RequireOk(f.s().AuditLog(f.per, "ifo_barn", "").status());
}

}  // namespace screening::test
