// Separation of duties in the case store (docs/store.md, "Accounts", "Separation of duties"
// and "Drafts"): one-time passwords set by an administrator, a second person confirming a
// supervisor or administrator, and a draft's owner, reassignment and contributors (none of
// whom reviews the version).
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "store_fixture.h"

namespace screening::test {
namespace {

const UserRecord& Account(const std::vector<UserRecord>& users, std::string_view name) {
  for (const auto& u : users) {
    if (u.name == name) return u;
  }
  FAIL("no account " << name);
  return users.front();
}

ContactInput Contact(const std::string& case_ref) {
  ContactInput c;
  c.unit = "ifo_vuxen";
  c.case_ref = case_ref;
  c.contact_date = "2025-03-14";
  c.outcome = "not_disclosed";
  return c;
}

}  // namespace

TEST_CASE("a password an administrator sets is for one login: the user chooses their own",
          "[store][accounts][duties]") {
  StoreFixture f;
  RequireOk(f.s().AddUser(f.ada, "nora", Role::kCaseworker, {"ifo_vuxen"}, "one-time password 1"));
  CHECK(Account(RequireOk(f.s().Users(f.ada)), "nora").must_change_password);
  const Actor first = RequireOk(f.s().Login("nora", "one-time password 1"));
  CHECK(first.must_change_password);
  // Nothing but choosing a new password: refused, and audited.
  const std::int64_t seq = f.LastSeq();
  CHECK(f.s().List(first, {}).status().code() == StatusCode::kFailedPrecondition);
  CHECK(f.s().AddContact(first, Contact("OT-1")).status().code() ==
        StatusCode::kFailedPrecondition);
  CHECK(f.CountAudit(seq, "nora", "denied:list") == 1);
  CHECK(f.Scalar("SELECT COUNT(*) FROM contacts") == 0);
  // Not the same password again, and not without the one-time one.
  CHECK(f.s().SetPassword(first, "nora", "one-time password 1", "one-time password 1").code() ==
        StatusCode::kInvalidArgument);
  CHECK(f.s().SetPassword(first, "nora", "a wrong password 9", "her own password 1").code() ==
        StatusCode::kPermissionDenied);
  RequireOk(f.s().SetPassword(first, "nora", "one-time password 1", "her own password 1"));
  CHECK_FALSE(f.s().Login("nora", "one-time password 1").ok());
  const Actor nora = RequireOk(f.s().Login("nora", "her own password 1"));
  CHECK_FALSE(nora.must_change_password);
  RequireOk(f.s().List(nora, {}).status());
  CHECK_FALSE(Account(RequireOk(f.s().Users(f.ada)), "nora").must_change_password);
  // A reset by the administrator is one-time again: the administrator cannot quietly go on
  // as the user with a password they know.
  RequireOk(f.s().SetPassword(f.ada, "nora", "", "reset by admin 1"));
  const Actor reset = RequireOk(f.s().Login("nora", "reset by admin 1"));
  CHECK(reset.must_change_password);
  CHECK(f.s().List(reset, {}).status().code() == StatusCode::kFailedPrecondition);
  // The session she already had is refused too: the store re-reads the account on every call.
  CHECK(f.s().List(nora, {}).status().code() == StatusCode::kFailedPrecondition);
}

TEST_CASE("a second supervisor of a unit takes effect only when a second person confirms",
          "[store][accounts][duties]") {
  StoreFixture f;  // sara is ifo_vuxen's supervisor, per ifo_barn's
  RequireOk(AddUserReady(f.s(), f.ada, "puppet", Role::kCaseworker, {"ifo_vuxen"}, kPassword));
  // The administrator makes a new supervisor: it waits, and cannot log in.
  RequireOk(f.s().AddUser(f.ada, "sigge", Role::kSupervisor, {"ifo_vuxen"}, "one-time password 1"));
  UserRecord sigge = Account(RequireOk(f.s().Users(f.ada)), "sigge");
  CHECK(sigge.awaiting_confirmation);
  CHECK(sigge.requested_by == "ada");
  CHECK(f.s().Login("sigge", "one-time password 1").status().code() ==
        StatusCode::kPermissionDenied);
  // Neither the one who asked, the account's colleagues, another unit's supervisor nor a
  // coordinator confirms it; each refusal is audited.
  const std::int64_t seq = f.LastSeq();
  CHECK(f.s().ConfirmUser(f.ada, "sigge").code() == StatusCode::kPermissionDenied);
  CHECK(f.s().ConfirmUser(f.kim, "sigge").code() == StatusCode::kPermissionDenied);
  CHECK(f.s().ConfirmUser(f.per, "sigge").code() == StatusCode::kPermissionDenied);
  CHECK(f.s().ConfirmUser(f.olle, "sigge").code() == StatusCode::kPermissionDenied);
  CHECK(f.CountAudit(seq, "ada", "denied:confirm_user") == 1);
  CHECK(f.CountAudit(seq, "per", "denied:confirm_user") == 1);
  CHECK(Account(RequireOk(f.s().Users(f.ada)), "sigge").awaiting_confirmation);
  // The unit's supervisor confirms: from then on the account is a supervisor.
  RequireOk(f.s().ConfirmUser(f.sara, "sigge"));
  CHECK(f.CountAudit(seq, "sara", "confirm_user") == 1);
  CHECK(f.s().ConfirmUser(f.sara, "sigge").code() == StatusCode::kFailedPrecondition);
  const Actor first = RequireOk(f.s().Login("sigge", "one-time password 1"));
  CHECK(first.role == Role::kSupervisor);

  // A role change to supervisor waits the same way: until confirmed the account stays a
  // caseworker and cannot grant itself a protected case.
  RequireOk(f.s().AddContact(f.kim, Contact("SKYDD-1")).status());
  SubjectInput protected_subject{"ifo_vuxen", "SKYDD-1", "adult_victim", "", true, {}};
  RequireOk(f.s().AddSubject(f.kim, protected_subject).status());
  RequireOk(f.s().SetUserRole(f.ada, "puppet", Role::kSupervisor));
  const Actor puppet = f.Login("puppet");
  CHECK(puppet.role == Role::kCaseworker);
  CHECK(Account(RequireOk(f.s().Users(f.ada)), "puppet").pending ==
        std::vector<std::string>{"role:supervisor"});
  CHECK(f.s().Grant(puppet, "ifo_vuxen", "SKYDD-1", "puppet", "Behöver.", "").code() ==
        StatusCode::kPermissionDenied);
  CHECK(f.s().ConfirmUser(puppet, "puppet").code() == StatusCode::kPermissionDenied);
  // Back to its role: what waited is withdrawn, nothing to confirm.
  RequireOk(f.s().SetUserRole(f.ada, "puppet", Role::kCaseworker));
  CHECK(Account(RequireOk(f.s().Users(f.ada)), "puppet").pending.empty());
  CHECK(f.s().ConfirmUser(f.sara, "puppet").code() == StatusCode::kFailedPrecondition);
  RequireOk(f.s().SetUserRole(f.ada, "puppet", Role::kSupervisor));
  RequireOk(f.s().ConfirmUser(f.sven, "puppet"));
  CHECK(f.Login("puppet").role == Role::kSupervisor);
}

TEST_CASE("a unit added to a supervisor waits for that unit's supervisor",
          "[store][accounts][duties]") {
  StoreFixture f;
  RequireOk(f.s().SetUserUnit(f.ada, "sara", "ifo_barn", true));
  // sara cannot reach ifo_barn's cases yet.
  CHECK(f.Login("sara").units == std::vector<std::string>{"ifo_vuxen"});
  CHECK(Account(RequireOk(f.s().Users(f.ada)), "sara").pending ==
        std::vector<std::string>{"unit:ifo_barn"});
  // sven supervises ifo_vuxen, not ifo_barn: he cannot confirm it; per can.
  CHECK(f.s().ConfirmUser(f.sven, "sara").code() == StatusCode::kPermissionDenied);
  RequireOk(f.s().ConfirmUser(f.per, "sara"));
  CHECK(f.Login("sara").units == std::vector<std::string>{"ifo_barn", "ifo_vuxen"});
}

TEST_CASE("the first supervisor of a unit takes effect at once, marked as such",
          "[store][accounts][duties]") {
  StoreFixture f;
  RequireOk(f.s().AddUnit(f.ada, "bistand"));
  RequireOk(AddUserReady(f.s(), f.ada, "berit", Role::kSupervisor, {"bistand"}, kPassword));
  const UserRecord berit = Account(RequireOk(f.s().Users(f.ada)), "berit");
  CHECK_FALSE(berit.awaiting_confirmation);
  CHECK_FALSE(berit.bootstrap_utc.empty());
  CHECK(f.Login("berit").role == Role::kSupervisor);
  // The second one of the unit waits.
  RequireOk(f.s().AddUser(f.ada, "bengt", Role::kSupervisor, {"bistand"}, "one-time password 1"));
  CHECK(Account(RequireOk(f.s().Users(f.ada)), "bengt").awaiting_confirmation);
  CHECK(Account(RequireOk(f.s().Users(f.ada)), "bengt").bootstrap_utc.empty());
  // The fixture's second supervisor of ifo_vuxen waited for sara (no bootstrap mark).
  CHECK(Account(RequireOk(f.s().Users(f.ada)), "sven").bootstrap_utc.empty());
  CHECK_FALSE(Account(RequireOk(f.s().Users(f.ada)), "sara").bootstrap_utc.empty());
}

TEST_CASE("a new administrator waits for another administrator or a supervisor",
          "[store][accounts][duties]") {
  StoreFixture f;
  RequireOk(f.s().AddUser(f.ada, "adam", Role::kAdmin, {}, "one-time password 1"));
  CHECK(f.s().Login("adam", "one-time password 1").status().code() ==
        StatusCode::kPermissionDenied);
  CHECK(f.s().ConfirmUser(f.ada, "adam").code() == StatusCode::kPermissionDenied);
  CHECK(f.s().ConfirmUser(f.kim, "adam").code() == StatusCode::kPermissionDenied);
  // An administrator that waits does not count as one: ada is still the last.
  CHECK(f.s().SetUserActive(f.ada, "ada", false).code() == StatusCode::kFailedPrecondition);
  RequireOk(f.s().ConfirmUser(f.per, "adam"));
  CHECK(RequireOk(f.s().Login("adam", "one-time password 1")).role == Role::kAdmin);
}

TEST_CASE("a supervisor reassigns a draft, and neither she nor the new owner reviews it",
          "[store][duties]") {
  StoreFixture f;
  const std::int64_t id = f.Draft(f.kim, "IFO-RA", DashSession(3));
  // A caseworker does not reassign; another unit's supervisor does not see the draft (it
  // answers as a missing one); a reason is required; the new owner must see the case.
  CHECK(f.s().ReassignDraft(f.kim, id, "lena", "Sjuk.").code() == StatusCode::kPermissionDenied);
  CHECK(f.s().ReassignDraft(f.per, id, "lena", "Sjuk.").code() == StatusCode::kNotFound);
  CHECK(f.s().ReassignDraft(f.per, 999999, "lena", "Sjuk.").code() == StatusCode::kNotFound);
  CHECK(f.s().ReassignDraft(f.per, id, "lena", "Sjuk.").message() ==
        f.s().ReassignDraft(f.per, 999999, "lena", "Sjuk.").message());
  CHECK(f.s().ReassignDraft(f.sara, id, "lena", " ").code() == StatusCode::kInvalidArgument);
  CHECK(f.s().ReassignDraft(f.sara, id, "bo", "Sjuk.").code() == StatusCode::kFailedPrecondition);
  CHECK(f.s().ReassignDraft(f.sara, id, "nobody", "Sjuk.").code() == StatusCode::kNotFound);
  CHECK(RequireOk(f.s().Get(f.kim, id)).owner == "kim");

  const std::int64_t seq = f.LastSeq();
  RequireOk(f.s().ReassignDraft(f.sara, id, "lena", "Kim är sjukskriven."));
  CHECK(f.CountAudit(seq, "sara", "reassign_draft") == 1);
  // The old owner no longer changes it; the new one does, and submits.
  CHECK(f.s().UpdateDraft(f.kim, id, DashSession(20)).code() == StatusCode::kPermissionDenied);
  RequireOk(f.s().UpdateDraft(f.lena, id, DashSession(4)));
  RequireOk(f.s().Submit(f.lena, id));
  const AssessmentRecord record = RequireOk(f.s().Get(f.sven, id));
  CHECK(record.author == "kim");
  CHECK(record.owner == "lena");
  std::vector<std::string> parts;
  for (const auto& c : record.contributors) parts.push_back(c.user + ":" + c.part);
  CHECK(parts == std::vector<std::string>{"kim:author", "sara:reassigner", "lena:owner",
                                          "lena:editor", "lena:submitter"});
  // Four eyes: the supervisor who reassigned it does not review it, and it is not in her
  // review queue; another supervisor does.
  CHECK(f.s().Approve(f.sara, id, "OK").code() == StatusCode::kPermissionDenied);
  ListFilter queue;
  queue.status = AssessmentStatus::kSubmitted;
  queue.not_mine = true;
  for (const auto& s : RequireOk(f.s().List(f.sara, queue))) CHECK(s.id != id);
  bool in_svens = false;
  for (const auto& s : RequireOk(f.s().List(f.sven, queue))) in_svens = in_svens || s.id == id;
  CHECK(in_svens);
  RequireOk(f.s().Approve(f.sven, id, "OK"));
}

TEST_CASE("a protected case's draft goes only to someone granted the case",
          "[store][duties][protected]") {
  StoreFixture f;
  SubjectInput s{"ifo_vuxen", "SKYDD-RA", "adult_victim", "", true, {}};
  RequireOk(f.s().AddContact(f.kim, Contact("SKYDD-RA")).status());
  RequireOk(f.s().AddSubject(f.kim, s).status());
  const std::int64_t id = f.Draft(f.kim, "SKYDD-RA", DashSession(3));
  // sara, the unit's supervisor, has no grant yet: the draft answers as a missing one.
  CHECK(f.s().ReassignDraft(f.sara, id, "lena", "Sjuk.").code() == StatusCode::kNotFound);
  // sven grants her; lena has no grant, so the draft cannot go to her.
  RequireOk(f.s().Grant(f.sven, "ifo_vuxen", "SKYDD-RA", "sara", "Arbetsledning.", ""));
  CHECK(f.s().ReassignDraft(f.sara, id, "lena", "Sjuk.").code() == StatusCode::kFailedPrecondition);
  RequireOk(f.s().Grant(f.sara, "ifo_vuxen", "SKYDD-RA", "lena", "Tar över utkastet.", ""));
  RequireOk(f.s().ReassignDraft(f.sara, id, "lena", "Sjuk."));
  RequireOk(f.s().UpdateDraft(f.lena, id, DashSession(4)));
}

}  // namespace screening::test
