// Access control of the case store: the role x operation matrix (with every denial
// audited) and protected identity (hidden from lists and due items without a grant,
// grants audited, never self-granted, CaseExtract as the only way out). The rules are the
// case service's (store/case_service.cc); the tests go through the public Store only and
// look at nothing of the backend under it, so they hold for every backend.
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "store/passwords.h"
#include "store_fixture.h"

namespace screening::internal {
// Defined in backup.cc (tests only): the Argon2id cost of new passphrase backups.
void SetBackupPassphraseCostForTesting(PasswordCost cost);
}  // namespace screening::internal

namespace screening::test {
namespace {

// The matrix makes a passphrase backup: with the cheapest Argon2id cost while it runs.
struct FastBackupKdf {
  FastBackupKdf() { internal::SetBackupPassphraseCostForTesting(internal::PasswordCost::kMinimal); }
  ~FastBackupKdf() {
    internal::SetBackupPassphraseCostForTesting(internal::PasswordCost::kModerate);
  }
};

// One operation of the matrix. `run` prepares what it needs with allowed users (a fresh
// case each time) and then makes the call as `who`.
struct Op {
  std::string action;             // the audited action (denials: "denied:<action>")
  std::set<std::string> allowed;  // fixture users who may
  StatusCode denied_code;         // what the others get
  std::function<Status(StoreFixture&, const Actor& who, int n)> run;
  // Users who get another code than `denied_code` (e.g. refused, where the others, who may
  // not see the case at all, are answered "not found").
  std::map<std::string, StatusCode> codes = {};
};

std::string Ref(int n) { return "M-" + std::to_string(n); }

std::vector<Op> Matrix() {
  const std::set<std::string> unit_people = {"kim", "sara"};
  const std::set<std::string> admin = {"ada"};
  const std::set<std::string> supervisor = {"sara"};
  const std::set<std::string> author = {"kim"};
  using SC = StatusCode;
  const auto denied = SC::kPermissionDenied;
  // Reading or writing one assessment or due item the actor may not see answers "not
  // found", so that a case does not reveal that it exists.
  const auto hidden = SC::kNotFound;
  return {
      {"add_unit", admin, denied,
       [](StoreFixture& f, const Actor& w, int) { return f.s().AddUnit(w, "bistand"); }},
      {"add_user", admin, denied,
       [](StoreFixture& f, const Actor& w, int n) {
         return f.s().AddUser(w, "u" + std::to_string(n), Role::kCaseworker, {"ifo_vuxen"},
                              kPassword);
       }},
      {"set_password", admin, denied,
       [](StoreFixture& f, const Actor& w, int) {
         return f.s().SetPassword(w, "lena", "", kPassword);
       }},
      {"add_contact", unit_people, denied,
       [](StoreFixture& f, const Actor& w, int n) {
         return f.s()
             .AddContact(w, {"ifo_vuxen", Ref(n), "2025-03-14", "not_disclosed", "", "", {}})
             .status();
       }},
      // RecordIntake is made of AddContact, CreateDraft and Submit, and refused as its first
      // step is: by those who may not record a contact, audited as `denied:add_contact`.
      {"add_contact", unit_people, denied,
       [](StoreFixture& f, const Actor& w, int n) {
         IntakeInput intake;
         intake.unit = "ifo_vuxen";
         intake.case_ref = Ref(n);
         intake.contact_date = "2025-03-14";
         return f.s().RecordIntake(w, intake, RoutineNotAskedSession()).status();
       }},
      // A person or an assessment is added to a case an intake has opened.
      {"add_subject", unit_people, denied,
       [](StoreFixture& f, const Actor& w, int n) {
         f.Intake(f.kim, Ref(n));
         return f.s().AddSubject(w, {"ifo_vuxen", Ref(n), "child", "6-12", false, {}}).status();
       }},
      {"create_draft", unit_people, denied,
       [](StoreFixture& f, const Actor& w, int n) {
         f.Intake(f.kim, Ref(n));
         return f.s().CreateDraft(w, f.Input(Ref(n)), DashSession(3)).status();
       }},
      {"open", unit_people, hidden,
       [](StoreFixture& f, const Actor& w, int n) {
         return f.s().Get(w, f.Draft(f.kim, Ref(n), DashSession(3))).status();
       }},
      {"history", unit_people, hidden,
       [](StoreFixture& f, const Actor& w, int n) {
         return f.s().History(w, f.Draft(f.kim, Ref(n), DashSession(3))).status();
       }},
      {"reviews", unit_people, hidden,
       [](StoreFixture& f, const Actor& w, int n) {
         return f.s().Reviews(w, f.Submitted(f.kim, Ref(n), DashSession(3))).status();
       }},
      // Four eyes: only the author of a draft (kim) changes, discards or submits it; the
      // unit's supervisor, who may see the case, is refused; the others do not see it.
      {"update_draft",
       author,
       hidden,
       [](StoreFixture& f, const Actor& w, int n) {
         return f.s().UpdateDraft(w, f.Draft(f.kim, Ref(n), DashSession(3)), DashSession(4));
       },
       {{"sara", denied}}},
      {"discard_draft",
       author,
       hidden,
       [](StoreFixture& f, const Actor& w, int n) {
         return f.s().DiscardDraft(w, f.Draft(f.kim, Ref(n), DashSession(3)));
       },
       {{"sara", denied}}},
      {"submit",
       author,
       hidden,
       [](StoreFixture& f, const Actor& w, int n) {
         return f.s().Submit(w, f.Draft(f.kim, Ref(n), DashSession(3)));
       },
       {{"sara", denied}}},
      // Reviewing: refused to a caseworker of the unit; an assessment the actor may not see
      // answers as one that does not exist.
      {"approve",
       supervisor,
       hidden,
       [](StoreFixture& f, const Actor& w, int n) {
         return f.s().Approve(w, f.Submitted(f.kim, Ref(n), DashSession(3)), "OK");
       },
       {{"kim", denied}}},
      {"return",
       supervisor,
       hidden,
       [](StoreFixture& f, const Actor& w, int n) {
         return f.s().Return(w, f.Submitted(f.kim, Ref(n), DashSession(3)), "Komplettera.");
       },
       {{"kim", denied}}},
      {"change_level",
       supervisor,
       hidden,
       [](StoreFixture& f, const Actor& w, int n) {
         return f.s().ChangeLevel(w, f.Submitted(f.kim, Ref(n), DashSession(15)), "below_threshold",
                                  "Skäl.");
       },
       {{"kim", denied}}},
      {"amend", unit_people, hidden,
       [](StoreFixture& f, const Actor& w, int n) {
         const std::int64_t id = f.Approved(f.kim, f.sara, Ref(n), DashSession(3));
         return f.s().Amend(w, id, "Rättelse.", DashSession(4)).status();
       }},
      {"list", unit_people, denied,
       [](StoreFixture& f, const Actor& w, int) {
         ListFilter filter;
         filter.unit = "ifo_vuxen";
         return f.s().List(w, filter).status();
       }},
      {"due",
       {"kim", "sara", "bo", "per"},
       denied,
       [](StoreFixture& f, const Actor& w, int) { return f.s().Due(w, false).status(); }},
      {"mark_done", unit_people, hidden,
       [](StoreFixture& f, const Actor& w, int n) {
         f.Submitted(f.kim, Ref(n), BarnSession(false));
         const std::int64_t item = f.Scalar("SELECT MAX(id) FROM due_items");
         return f.s().MarkDone(w, item);
       }},
      {"support_given", unit_people, denied,
       [](StoreFixture& f, const Actor& w, int n) {
         f.Draft(f.kim, Ref(n), DashSession(3));
         return f.s().RecordSupportGiven(w, "ifo_vuxen", Ref(n), std::nullopt, {"support_line"});
       }},
      {"grant", supervisor, denied,
       [](StoreFixture& f, const Actor& w, int n) {
         f.Draft(f.kim, Ref(n), DashSession(3));
         return f.s().Grant(w, "ifo_vuxen", Ref(n), "lena", "Ärendet flyttas till Lena.", "");
       }},
      {"case_extract", supervisor, denied,
       [](StoreFixture& f, const Actor& w, int n) {
         f.Draft(f.kim, Ref(n), DashSession(3));
         return f.s().CaseExtract(w, "ifo_vuxen", Ref(n), "Begäran om registerutdrag.").status();
       }},
      {"case_system_contacts",
       {"sara", "olle"},
       denied,
       [](StoreFixture& f, const Actor& w, int n) {
         const int month = n % 12 + 1;
         CaseSystemCount count;
         count.unit = "ifo_vuxen";
         count.month = std::string("2026-") + (month < 10 ? "0" : "") + std::to_string(month);
         count.contacts = n;
         return f.s().RecordCaseSystemContacts(w, {count});
       }},
      {"case_system_contacts_read",
       {"sara", "olle", "per"},
       denied,
       [](StoreFixture& f, const Actor& w, int) {
         return f.s().CaseSystemContacts(w, "2026-01", "2026-12").status();
       }},
      {"audit_verify", admin, denied,
       [](StoreFixture& f, const Actor& w, int) { return f.s().VerifyAudit(w).status(); }},
      {"audit_log", admin, denied,
       [](StoreFixture& f, const Actor& w, int) { return f.s().AuditLog(w, "", "").status(); }},
      {"check", admin, denied,
       [](StoreFixture& f, const Actor& w, int) { return f.s().Check(w).status(); }},
      {"backup", admin, denied,
       [](StoreFixture& f, const Actor& w, int n) {
         return f.s().Backup(w, f.tmp.path / ("backup-" + std::to_string(n) + ".bin"),
                             "a synthetic backup passphrase 1", {}, {});
       }},
      // The account life cycle: the administrator's; a grant's end, the unit's supervisor's.
      {"users", admin, denied,
       [](StoreFixture& f, const Actor& w, int) { return f.s().Users(w).status(); }},
      {"deactivate_user", admin, denied,
       [](StoreFixture& f, const Actor& w, int n) {
         const std::string name = "lc" + std::to_string(n);
         RequireOk(AddUserReady(f.s(), f.ada, name, Role::kCaseworker, {"ifo_vuxen"}, kPassword));
         return f.s().SetUserActive(w, name, false);
       }},
      {"reactivate_user", admin, denied,
       [](StoreFixture& f, const Actor& w, int n) {
         const std::string name = "lc" + std::to_string(n);
         RequireOk(AddUserReady(f.s(), f.ada, name, Role::kCaseworker, {"ifo_vuxen"}, kPassword));
         RequireOk(f.s().SetUserActive(f.ada, name, false));
         return f.s().SetUserActive(w, name, true);
       }},
      {"change_role", admin, denied,
       [](StoreFixture& f, const Actor& w, int n) {
         const std::string name = "lc" + std::to_string(n);
         RequireOk(AddUserReady(f.s(), f.ada, name, Role::kCaseworker, {"ifo_vuxen"}, kPassword));
         return f.s().SetUserRole(w, name, Role::kCoordinator);
       }},
      {"add_user_unit", admin, denied,
       [](StoreFixture& f, const Actor& w, int n) {
         const std::string name = "lc" + std::to_string(n);
         RequireOk(AddUserReady(f.s(), f.ada, name, Role::kCaseworker, {"ifo_vuxen"}, kPassword));
         return f.s().SetUserUnit(w, name, "ifo_barn", true);
       }},
      {"remove_user_unit", admin, denied,
       [](StoreFixture& f, const Actor& w, int n) {
         const std::string name = "lc" + std::to_string(n);
         RequireOk(AddUserReady(f.s(), f.ada, name, Role::kCaseworker, {"ifo_vuxen", "ifo_barn"},
                                kPassword));
         return f.s().SetUserUnit(w, name, "ifo_barn", false);
       }},
      // Separation of duties: a second supervisor of ifo_vuxen, asked for by the administrator,
      // is confirmed by the unit's supervisor; the administrator who asked may not.
      {"confirm_user", supervisor, denied,
       [](StoreFixture& f, const Actor& w, int n) {
         const std::string name = "sup" + std::to_string(n);
         RequireOk(
             f.s().AddUser(f.ada, name, Role::kSupervisor, {"ifo_vuxen"}, "one-time password 1"));
         return f.s().ConfirmUser(w, name);
       }},
      // A draft handed to another caseworker: the unit's supervisor; a caseworker of the unit
      // is refused, those who may not see the case are answered "not found".
      {"reassign_draft",
       supervisor,
       hidden,
       [](StoreFixture& f, const Actor& w, int n) {
         const std::int64_t id = f.Draft(f.kim, Ref(n), DashSession(3));
         return f.s().ReassignDraft(w, id, "lena", "Kim är sjuk.");
       },
       {{"kim", denied}}},
      {"revoke_grant", supervisor, denied,
       [](StoreFixture& f, const Actor& w, int n) {
         f.Draft(f.kim, Ref(n), DashSession(3));
         RequireOk(f.s().Grant(f.sara, "ifo_vuxen", Ref(n), "lena", "Tillfälligt.", ""));
         return f.s().RevokeGrant(w, "ifo_vuxen", Ref(n), "lena", "Klart.");
       }},
  };
}

TEST_CASE("role x operation: allowed users succeed, the others are denied and audited",
          "[store][access]") {
  FastBackupKdf fast;
  StoreFixture f;
  const std::vector<const Actor*> people = {&f.kim, &f.sara, &f.olle, &f.ada, &f.bo, &f.per};
  int n = 0;
  for (const Op& op : Matrix()) {
    for (const Actor* who : people) {
      ++n;
      const bool allowed = op.allowed.count(who->name) > 0;
      INFO(op.action << " by " << who->name << " (" << RoleId(who->role) << ")");
      const std::int64_t seq = f.LastSeq();
      const Status st = op.run(f, *who, n);
      INFO(st.ToString());
      if (allowed) {
        CHECK(st.ok());
        CHECK(f.CountAudit(seq, who->name, "denied:" + op.action) == 0);
      } else {
        const auto special = op.codes.find(who->name);
        CHECK(st.code() == (special != op.codes.end() ? special->second : op.denied_code));
        CHECK(f.CountAudit(seq, who->name, "denied:" + op.action) == 1);
        // The denial names the user's role, never a case reference.
        for (const auto& r : f.AuditSince(seq)) {
          if (r.action == "denied:" + op.action) CHECK(r.role == RoleId(who->role));
        }
        CHECK(st.message().find(Ref(n)) == std::string::npos);
      }
    }
  }
}

TEST_CASE("an unknown user or a deactivated account is denied every operation", "[store][access]") {
  FastBackupKdf fast;
  StoreFixture f;
  const Actor ghost = StoreFixture::Ghost();
  // Before this: the fixture's accounts chose their passwords at a first login, gone too.
  const std::int64_t start = f.LastSeq();
  int n = 0;
  for (const Op& op : Matrix()) {
    for (const Actor* who : std::vector<const Actor*>{&ghost, &f.gone}) {
      ++n;
      INFO(op.action << " by " << who->name);
      const std::int64_t seq = f.LastSeq();
      const Status st = op.run(f, *who, n);
      CHECK(st.code() == StatusCode::kPermissionDenied);
      int denials = 0;
      for (const auto& r : f.AuditSince(seq)) {
        denials += r.user == who->name && r.action.rfind("denied:", 0) == 0;
      }
      CHECK(denials == 1);
      // Nothing was done on their behalf (setups may have made assessments as kim).
      CHECK(f.Scalar("SELECT COUNT(*) FROM audit WHERE user_name = '" + who->name +
                     "' AND action NOT LIKE 'denied:%' AND action NOT LIKE 'login%' AND seq > " +
                     std::to_string(start)) == 0);
    }
  }
  // A deactivated account cannot log in again either.
  CHECK(f.s().Login("gone", kPassword).status().code() == StatusCode::kPermissionDenied);
}

// Known bug (reported to the lead): an unknown or deactivated actor's denial is audited
// under the name given to Resolve(), which differs from the one Deny() uses for the same
// operation for three of them: "get" (else "open"), "record_support_given" (else
// "support_given") and "verify_audit" (else "audit_verify"). An auditor who searches for
// denied:open misses them.
TEST_CASE("an unknown or deactivated actor's denial has the operation's usual action name",
          "[store][access]") {
  FastBackupKdf fast;
  StoreFixture f;
  const Actor ghost = StoreFixture::Ghost();
  int n = 0;
  for (const Op& op : Matrix()) {
    for (const Actor* who : std::vector<const Actor*>{&ghost, &f.gone}) {
      ++n;
      INFO(op.action << " by " << who->name);
      const std::int64_t seq = f.LastSeq();
      CHECK(op.run(f, *who, n).code() == StatusCode::kPermissionDenied);
      CHECK(f.CountAudit(seq, who->name, "denied:" + op.action) == 1);
    }
  }
}

// Store.h: every denied attempt is audited, also one by an account that is unknown or was
// deactivated while its Actor was still held (once a gap: Resolve() refused before auditing).
TEST_CASE("a deactivated account's denied attempts are audited", "[store][access]") {
  StoreFixture f;
  const std::int64_t seq = f.LastSeq();
  CHECK(f.s().CreateDraft(f.gone, f.Input("IFO-1"), DashSession(2)).status().code() ==
        StatusCode::kPermissionDenied);
  CHECK(f.s().List(f.gone, {}).status().code() == StatusCode::kPermissionDenied);
  CHECK(f.CountAudit(seq, "gone", "denied:create_draft") == 1);
  CHECK(f.CountAudit(seq, "gone", "denied:list") == 1);
}

TEST_CASE("a changed role or unit takes effect at once for an actor already logged in",
          "[store][access]") {
  StoreFixture f;
  const std::int64_t id = f.Submitted(f.kim, "IFO-1", DashSession(3));
  // kim moves to ifo_barn: the same Actor no longer reaches ifo_vuxen.
  REQUIRE(f.RawExec("UPDATE user_units SET unit_id = 'ifo_barn' WHERE user_id = " +
                    std::to_string(f.kim.user_id)) == SQLITE_OK);
  CHECK(f.s().Get(f.kim, id).status().code() == StatusCode::kNotFound);
  CHECK(f.s().CreateDraft(f.kim, f.Input("IFO-2"), DashSession(3)).status().code() ==
        StatusCode::kPermissionDenied);
  // lena becomes a supervisor: the Actor she holds approves.
  REQUIRE(f.RawExec("UPDATE users SET role = 'supervisor' WHERE name = 'lena'") == SQLITE_OK);
  RequireOk(f.s().Approve(f.lena, id, "OK"));
  // An Actor whose name does not match its id is not accepted.
  Actor forged = f.kim;
  forged.name = "ada";
  forged.role = Role::kAdmin;
  CHECK(f.s().Check(forged).status().code() == StatusCode::kPermissionDenied);
}

TEST_CASE("a coordinator sees no case content", "[store][access]") {
  StoreFixture f;
  const std::int64_t id = f.Submitted(f.kim, "IFO-1", DashSession(15));
  CHECK(f.s().Get(f.olle, id).status().code() == StatusCode::kNotFound);
  CHECK(f.s().List(f.olle, {}).status().code() == StatusCode::kPermissionDenied);
  CHECK(f.s().Due(f.olle, false).status().code() == StatusCode::kPermissionDenied);
  CHECK(f.s().History(f.olle, id).status().code() == StatusCode::kNotFound);
  CHECK(f.s().AuditLog(f.olle, "ifo_vuxen", "IFO-1").status().code() ==
        StatusCode::kPermissionDenied);
}

TEST_CASE("the other unit's caseworker does not see the unit's cases or due items",
          "[store][access]") {
  StoreFixture f;
  f.Submitted(f.kim, "IFO-1", BarnSession(true));
  f.Submitted(f.bo, "BARN-1", BarnSession(false), "ifo_barn");
  for (const auto& s : RequireOk(f.s().List(f.bo, {}))) CHECK(s.unit == "ifo_barn");
  auto due = RequireOk(f.s().Due(f.bo, false));
  CHECK_FALSE(due.empty());
  for (const auto& d : due) CHECK(d.unit == "ifo_barn");
  for (const auto& s : RequireOk(f.s().List(f.kim, {}))) CHECK(s.unit == "ifo_vuxen");
  ListFilter other;
  other.unit = "ifo_barn";
  CHECK(f.s().List(f.kim, other).status().code() == StatusCode::kPermissionDenied);
}

// ---------------------------------------------------------------- protected identity

struct ProtectedCase {
  std::int64_t subject = 0;
  std::int64_t assessment = 0;
};

// kim registers a protected adult and a submitted `barn` assessment (with due items) in
// IFO-P, and an ordinary case IFO-O with one of its own.
ProtectedCase MakeProtected(StoreFixture& f) {
  ProtectedCase p;
  f.Intake(f.kim, "IFO-P");
  p.subject = RequireOk(f.s().AddSubject(
      f.kim, {"ifo_vuxen", "IFO-P", "adult_victim", "25-44", true, {"disability"}}));
  AssessmentInput in = f.Input("IFO-P");
  in.subject_id = p.subject;
  p.assessment = RequireOk(f.s().CreateDraft(f.kim, in, BarnSession(true)));
  RequireOk(f.s().Submit(f.kim, p.assessment));
  f.Submitted(f.kim, "IFO-O", BarnSession(false));
  return p;
}

bool ListsCase(StoreFixture& f, const Actor& a, const std::string& ref) {
  for (const auto& s : RequireOk(f.s().List(a, {}))) {
    if (s.case_ref == ref) return true;
  }
  return false;
}
bool DueHasCase(StoreFixture& f, const Actor& a, const std::string& ref) {
  for (const auto& d : RequireOk(f.s().Due(a, false))) {
    if (d.case_ref == ref) return true;
  }
  return false;
}

TEST_CASE("a protected case is absent from List and Due without a grant, present with one",
          "[store][protected]") {
  StoreFixture f;
  const ProtectedCase p = MakeProtected(f);
  // The one who registered the protected subject keeps access.
  CHECK(ListsCase(f, f.kim, "IFO-P"));
  CHECK(DueHasCase(f, f.kim, "IFO-P"));
  for (const Actor* other : {&f.lena, &f.sara}) {
    INFO(other->name);
    CHECK_FALSE(ListsCase(f, *other, "IFO-P"));
    CHECK_FALSE(DueHasCase(f, *other, "IFO-P"));
    CHECK(ListsCase(f, *other, "IFO-O"));
    ListFilter byref;
    byref.case_ref = "IFO-P";
    CHECK(RequireOk(f.s().List(*other, byref)).empty());
    auto get = f.s().Get(*other, p.assessment);
    CHECK(get.status().code() == StatusCode::kNotFound);
    CHECK(get.status().message().find("IFO-P") == std::string::npos);
    CHECK(f.s().History(*other, p.assessment).status().code() == StatusCode::kNotFound);
  }
  // A supervisor without a grant cannot review it either, and is answered exactly as for an
  // assessment that does not exist (issue 15: the answer listed every protected case).
  const Status protected_approve = f.s().Approve(f.sara, p.assessment, "OK");
  const Status missing_approve = f.s().Approve(f.sara, 999999, "OK");
  CHECK(protected_approve.code() == StatusCode::kNotFound);
  CHECK(protected_approve.code() == missing_approve.code());
  CHECK(protected_approve.message() == missing_approve.message());
  // Nor can an unprivileged colleague add to the case: it answers as a case that does not
  // exist.
  CHECK(f.s().CreateDraft(f.lena, f.Input("IFO-P"), DashSession(2)).status().code() ==
        StatusCode::kNotFound);
  CHECK(f.s().AddSubject(f.lena, {"ifo_vuxen", "IFO-P", "child", "", false, {}}).status().code() ==
        StatusCode::kNotFound);

  const std::int64_t seq = f.LastSeq();
  RequireOk(f.s().Grant(f.sara, "ifo_vuxen", "IFO-P", "lena", "Lena tar över ärendet.", ""));
  const auto rows = f.AuditSince(seq);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].action == "grant");
  CHECK(rows[0].user == "sara");
  CHECK(rows[0].object == "user:lena");
  CHECK(rows[0].reason == "Lena tar över ärendet.");
  CHECK(rows[0].case_id.has_value());

  CHECK(ListsCase(f, f.lena, "IFO-P"));
  CHECK(DueHasCase(f, f.lena, "IFO-P"));
  RequireOk(f.s().Get(f.lena, p.assessment).status());
  CHECK_FALSE(ListsCase(f, f.sara, "IFO-P"));  // the grant was lena's, not the granter's
}

TEST_CASE("a supervisor does not review an assessment she wrote or amended", "[store][access]") {
  StoreFixture f;
  const std::int64_t own = f.Submitted(f.sara, "IFO-1", DashSession(15));
  const std::int64_t seq = f.LastSeq();
  CHECK(f.s().Approve(f.sara, own, "OK").code() == StatusCode::kPermissionDenied);
  CHECK(f.s().Return(f.sara, own, "Komplettera.").code() == StatusCode::kPermissionDenied);
  CHECK(f.s().ChangeLevel(f.sara, own, "below_threshold", "Skäl.").code() ==
        StatusCode::kPermissionDenied);
  CHECK(f.CountAudit(seq, "sara", "denied:approve") == 1);
  CHECK(f.CountAudit(seq, "sara", "denied:return") == 1);
  CHECK(f.CountAudit(seq, "sara", "denied:change_level") == 1);
  CHECK(RequireOk(f.s().Get(f.sara, own)).status == AssessmentStatus::kSubmitted);
  CHECK(f.Rows("reviews") == 0);
  // Her review queue leaves it out; another supervisor's has it.
  const std::int64_t kims_submitted = f.Submitted(f.kim, "IFO-3", DashSession(5));
  ListFilter queue;
  queue.status = AssessmentStatus::kSubmitted;
  queue.not_mine = true;
  const auto ids = [&](const Actor& who) {
    std::vector<std::int64_t> out;
    for (const auto& s : RequireOk(f.s().List(who, queue))) out.push_back(s.id);
    return out;
  };
  CHECK(ids(f.sara) == std::vector<std::int64_t>{kims_submitted});
  CHECK(ids(f.sven).size() == 2);
  queue.not_mine = false;
  CHECK(ids(f.sara).size() == 2);
  // Another supervisor of the unit reviews it.
  RequireOk(f.s().Approve(f.sven, own, "OK"));
  // An amendment is its amender's: sven amends kim's approved assessment, sara approves it.
  const std::int64_t kims = f.Approved(f.kim, f.sara, "IFO-2", DashSession(3));
  const std::int64_t amended = RequireOk(f.s().Amend(f.sven, kims, "Rättelse.", DashSession(4)));
  RequireOk(f.s().Submit(f.sven, amended));
  CHECK(f.s().Approve(f.sven, amended, "OK").code() == StatusCode::kPermissionDenied);
  RequireOk(f.s().Approve(f.sara, amended, "OK"));
}

TEST_CASE("grants need a supervisor of the unit, a reason, and never go to oneself",
          "[store][protected]") {
  StoreFixture f;
  MakeProtected(f);
  const std::int64_t seq = f.LastSeq();
  CHECK(f.s().Grant(f.sara, "ifo_vuxen", "IFO-P", "sara", "Själv.", "").code() ==
        StatusCode::kPermissionDenied);
  CHECK(f.CountAudit(seq, "sara", "denied:grant") == 1);
  CHECK(f.s().Grant(f.kim, "ifo_vuxen", "IFO-P", "lena", "Skäl.", "").code() ==
        StatusCode::kPermissionDenied);
  CHECK(f.s().Grant(f.per, "ifo_vuxen", "IFO-P", "lena", "Skäl.", "").code() ==
        StatusCode::kPermissionDenied);
  CHECK(f.s().Grant(f.sara, "ifo_vuxen", "IFO-P", "lena", " ", "").code() ==
        StatusCode::kInvalidArgument);
  CHECK(f.s().Grant(f.sara, "ifo_vuxen", "IFO-NONE", "lena", "Skäl.", "").code() ==
        StatusCode::kNotFound);
  CHECK(f.s().Grant(f.sara, "ifo_vuxen", "IFO-P", "nobody", "Skäl.", "").code() ==
        StatusCode::kNotFound);
  CHECK(f.Rows("grants") == 1);  // kim's, from registering the subject
  CHECK(f.CountAudit(seq, "sara", "grant") == 0);
  CHECK_FALSE(ListsCase(f, f.sara, "IFO-P"));
}

TEST_CASE("CaseExtract is for a granted supervisor with a reason, audited, and holds it all",
          "[store][protected]") {
  StoreFixture f;
  const ProtectedCase p = MakeProtected(f);
  const std::int64_t seq = f.LastSeq();
  // A caseworker may not, even with access to the case.
  CHECK(f.s().CaseExtract(f.kim, "ifo_vuxen", "IFO-P", "Begäran.").status().code() ==
        StatusCode::kPermissionDenied);
  // A supervisor without a grant finds no such case.
  auto hidden = f.s().CaseExtract(f.sara, "ifo_vuxen", "IFO-P", "Begäran.");
  CHECK(hidden.status().code() == StatusCode::kNotFound);
  CHECK(f.CountAudit(seq, "kim", "denied:case_extract") == 1);
  CHECK(f.CountAudit(seq, "sara", "denied:case_extract") == 1);

  RequireOk(f.s().Grant(f.sven, "ifo_vuxen", "IFO-P", "sara", "Registerutdrag.", ""));
  CHECK(f.s().CaseExtract(f.sara, "ifo_vuxen", "IFO-P", "").status().code() ==
        StatusCode::kInvalidArgument);
  const std::int64_t before = f.LastSeq();
  const std::string json =
      RequireOk(f.s().CaseExtract(f.sara, "ifo_vuxen", "IFO-P", "Begäran enligt artikel 15."));
  const auto doc = nlohmann::json::parse(json);
  CHECK(doc.at("case_ref") == "IFO-P");
  REQUIRE(doc.at("subjects").size() == 1);
  CHECK(doc["subjects"][0].at("protected_identity") == true);
  // Special categories leave the store only here.
  CHECK(doc["subjects"][0].at("vulnerable_groups") == nlohmann::json::array({"disability"}));
  REQUIRE(doc.at("assessments").size() == 1);
  CHECK(doc["assessments"][0].at("id") == p.assessment);
  CHECK_THAT(json, Catch::Contains("Syntetisk motivering."));  // free text included
  const auto rows = f.AuditSince(before);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].action == "case_extract");
  CHECK(rows[0].user == "sara");
  CHECK(rows[0].reason == "Begäran enligt artikel 15.");
}

TEST_CASE("protected data does not appear in error messages or the audit log's objects",
          "[store][protected]") {
  StoreFixture f;
  const ProtectedCase p = MakeProtected(f);
  std::vector<Status> errors = {
      f.s().Get(f.lena, p.assessment).status(),
      f.s().Submit(f.lena, p.assessment),
      f.s().Approve(f.sara, p.assessment, "OK"),
      f.s().CreateDraft(f.lena, f.Input("IFO-P"), DashSession(2)).status(),
      f.s().CaseExtract(f.sara, "ifo_vuxen", "IFO-P", "Skäl.").status(),
      f.s().RecordSupportGiven(f.lena, "ifo_vuxen", "IFO-P", std::nullopt, {"support_line"}),
  };
  for (const auto& e : errors) {
    INFO(e.ToString());
    CHECK_FALSE(e.ok());
    CHECK(e.message().find("IFO-P") == std::string::npos);
    CHECK(e.message().find("disability") == std::string::npos);
  }
  for (const auto& r : f.AuditSince(0)) {
    CHECK(r.object.find("IFO-P") == std::string::npos);
    CHECK(r.reason.find("disability") == std::string::npos);
  }
}

TEST_CASE("marking a subject protected hides the case from colleagues who saw it before",
          "[store][protected]") {
  StoreFixture f;
  const std::int64_t id = f.Submitted(f.kim, "IFO-L", DashSession(3));
  CHECK(ListsCase(f, f.lena, "IFO-L"));
  RequireOk(f.s().AddSubject(f.kim, {"ifo_vuxen", "IFO-L", "adult_victim", "", true, {}}).status());
  CHECK_FALSE(ListsCase(f, f.lena, "IFO-L"));
  CHECK(f.s().Get(f.lena, id).status().code() == StatusCode::kNotFound);
  RequireOk(f.s().Get(f.kim, id).status());
}

TEST_CASE("four eyes: only the author changes or submits a draft, so nobody reviews their own",
          "[store][access]") {
  StoreFixture f;
  const std::int64_t id = f.Draft(f.kim, "IFO-4E", DashSession(3));
  const std::int64_t seq = f.LastSeq();
  // The unit's supervisor sees the case but may not write the caseworker's answers, submit
  // them and then approve what she wrote under the caseworker's name.
  CHECK(f.s().UpdateDraft(f.sara, id, DashSession(20)).code() == StatusCode::kPermissionDenied);
  CHECK(f.s().Submit(f.sara, id).code() == StatusCode::kPermissionDenied);
  CHECK(f.s().DiscardDraft(f.sara, id).code() == StatusCode::kPermissionDenied);
  // Nor may a colleague of the unit.
  CHECK(f.s().UpdateDraft(f.lena, id, DashSession(20)).code() == StatusCode::kPermissionDenied);
  CHECK(f.CountAudit(seq, "sara", "denied:update_draft") == 1);
  CHECK(f.CountAudit(seq, "sara", "denied:submit") == 1);
  CHECK(f.CountAudit(seq, "lena", "denied:update_draft") == 1);
  AssessmentRecord draft = RequireOk(f.s().Get(f.kim, id));
  CHECK(draft.status == AssessmentStatus::kDraft);
  int yes = 0;
  for (const auto& [item, value] : draft.answers.answers()) yes += value.code() == "yes";
  CHECK(yes == 3);
  // The author submits; the supervisor reviews what the author wrote.
  RequireOk(f.s().UpdateDraft(f.kim, id, DashSession(4)));
  RequireOk(f.s().Submit(f.kim, id));
  RequireOk(f.s().Approve(f.sara, id, "OK"));
}

TEST_CASE("an assessment one may not see answers as one that does not exist, both audited",
          "[store][access][protected]") {
  StoreFixture f;
  const ProtectedCase p = MakeProtected(f);
  const std::int64_t missing = 999999;
  const std::int64_t seq = f.LastSeq();
  using Call = std::function<Status(std::int64_t)>;
  const std::vector<std::pair<std::string, Call>> calls = {
      {"open", [&](std::int64_t id) { return f.s().Get(f.lena, id).status(); }},
      {"submit", [&](std::int64_t id) { return f.s().Submit(f.lena, id); }},
      {"approve", [&](std::int64_t id) { return f.s().Approve(f.sara, id, "OK"); }},
      {"return", [&](std::int64_t id) { return f.s().Return(f.sara, id, "Komplettera."); }},
  };
  for (const auto& [action, call] : calls) {
    INFO(action);
    const Status hidden = call(p.assessment);
    const Status absent = call(missing);
    CHECK(hidden.code() == StatusCode::kNotFound);
    CHECK(hidden.code() == absent.code());
    CHECK(hidden.message() == absent.message());
  }
  // Both attempts leave a trace: probing ids one by one is visible in the audit trail.
  CHECK(f.CountAudit(seq, "lena", "denied:open") == 2);
  CHECK(f.CountAudit(seq, "sara", "denied:approve") == 2);
}

TEST_CASE("a denial inside a bulk is audited although the bulk rolls back", "[store][access]") {
  StoreFixture f;
  const std::int64_t seq = f.LastSeq();
  const std::int64_t contacts = f.Rows("contacts");
  // An intake: the contact is written, then a step is refused and the whole intake undone.
  const Status st = f.s().Bulk([&]() -> Status {
    auto contact =
        f.s().AddContact(f.bo, {"ifo_barn", "B-1", "2025-03-14", "not_disclosed", "", "", {}});
    if (!contact.ok()) return contact.status();
    return f.s().CreateDraft(f.bo, f.Input("IFO-X"), DashSession(3)).status();
  });
  CHECK(st.code() == StatusCode::kPermissionDenied);
  CHECK(f.Rows("contacts") == contacts);
  // The refusal is in the audit trail; the undone contact is not.
  CHECK(f.CountAudit(seq, "bo", "denied:create_draft") == 1);
  CHECK(f.CountAudit(seq, "bo", "create") == 0);
  // The chain still verifies.
  CHECK(RequireOk(f.s().VerifyAudit(f.ada)).ok);
}

// ---------------------------------------------------------------- cases by their reference

// What is stored apart from the audit trail: the rows an operation on a case could add.
std::vector<std::int64_t> StoredRows(const StoreFixture& f) {
  std::vector<std::int64_t> out;
  for (const char* table : {"cases", "contacts", "subjects", "subject_groups", "assessments",
                            "grants", "support_given", "due_items", "reviews"}) {
    out.push_back(f.Rows(table));
  }
  return out;
}

// Issue 15: an operation that names a case by its reference answered "denied" for a protected
// case without a grant and opened a new case for a reference never seen, so walking case
// numbers listed the protected cases. Now only an intake opens a case, and the two answer
// alike.
TEST_CASE(
    "a protected case without a grant answers exactly as a reference that does not exist, "
    "each refusal audited once and nothing stored",
    "[store][access][protected]") {
  StoreFixture f;
  MakeProtected(f);
  struct Call {
    std::string action;
    const Actor* who;
    std::function<Status(const std::string& ref)> run;
  };
  const std::vector<Call> calls = {
      {"add_subject", &f.lena,
       [&](const std::string& ref) {
         return f.s().AddSubject(f.lena, {"ifo_vuxen", ref, "child", "6-12", false, {}}).status();
       }},
      {"create_draft", &f.lena,
       [&](const std::string& ref) {
         return f.s().CreateDraft(f.lena, f.Input(ref), DashSession(3)).status();
       }},
      {"support_given", &f.lena,
       [&](const std::string& ref) {
         return f.s().RecordSupportGiven(f.lena, "ifo_vuxen", ref, std::nullopt, {"support_line"});
       }},
      {"subjects", &f.lena,
       [&](const std::string& ref) { return f.s().Subjects(f.lena, "ifo_vuxen", ref).status(); }},
      {"export", &f.lena,
       [&](const std::string& ref) { return f.s().Export(f.lena, "ifo_vuxen", ref).status(); }},
      {"case_extract", &f.sara,
       [&](const std::string& ref) {
         return f.s().CaseExtract(f.sara, "ifo_vuxen", ref, "Begäran om registerutdrag.").status();
       }},
      {"audit_log", &f.sara,
       [&](const std::string& ref) { return f.s().AuditLog(f.sara, "ifo_vuxen", ref).status(); }},
  };
  for (const Call& call : calls) {
    INFO(call.action);
    const auto rows = StoredRows(f);
    std::int64_t seq = f.LastSeq();
    const Status hidden = call.run("IFO-P");
    const auto hidden_events = f.AuditSince(seq);
    seq = f.LastSeq();
    const Status missing = call.run("IFO-NEVER");
    const auto missing_events = f.AuditSince(seq);
    CHECK(hidden.code() == StatusCode::kNotFound);
    CHECK(hidden.code() == missing.code());
    CHECK(hidden.message() == missing.message());
    CHECK(hidden.message() == "no such case");
    // One audit event each, the same but for the case it names (for the administrator).
    REQUIRE(hidden_events.size() == 1);
    REQUIRE(missing_events.size() == 1);
    for (const auto* e : {&hidden_events[0], &missing_events[0]}) {
      CHECK(e->action == "denied:" + call.action);
      CHECK(e->user == call.who->name);
      CHECK(e->unit == "ifo_vuxen");
      CHECK(e->object == "case");
      CHECK(e->reason.empty());
    }
    CHECK(hidden_events[0].case_id.has_value());
    CHECK_FALSE(missing_events[0].case_id.has_value());
    // Nothing else stored in either; the reference never seen is still no case.
    CHECK(StoredRows(f) == rows);
    CHECK_FALSE(f.CaseExists("IFO-NEVER"));
  }
}

TEST_CASE("the protector and a granted colleague still add to a protected case and read it",
          "[store][access][protected]") {
  StoreFixture f;
  MakeProtected(f);
  // kim registered the protected person and keeps access.
  const std::int64_t child =
      RequireOk(f.s().AddSubject(f.kim, {"ifo_vuxen", "IFO-P", "child", "6-12", false, {}}));
  RequireOk(f.s().CreateDraft(f.kim, f.Input("IFO-P"), DashSession(3)).status());
  CHECK(RequireOk(f.s().Subjects(f.kim, "ifo_vuxen", "IFO-P")).size() == 2);
  // The supervisor grants lena, who has no grant of her own: lena may then add and read.
  RequireOk(f.s().Grant(f.sara, "ifo_vuxen", "IFO-P", "lena", "Lena tar över ärendet.", ""));
  const std::int64_t seq = f.LastSeq();
  RequireOk(f.s().AddSubject(f.lena, {"ifo_vuxen", "IFO-P", "perpetrator", "", false, {}}));
  RequireOk(f.s().CreateDraft(f.lena, f.Input("IFO-P"), DashSession(4)).status());
  RequireOk(f.s().RecordSupportGiven(f.lena, "ifo_vuxen", "IFO-P", child, {"support_line"}));
  CHECK(RequireOk(f.s().Subjects(f.lena, "ifo_vuxen", "IFO-P")).size() == 3);
  CHECK(f.CountAudit(seq, "lena", "denied:add_subject") == 0);
  CHECK(f.CountAudit(seq, "lena", "denied:create_draft") == 0);
  // The supervisor, granted by another supervisor, reads the extract.
  RequireOk(f.s().Grant(f.sven, "ifo_vuxen", "IFO-P", "sara", "Registerutdrag.", ""));
  RequireOk(f.s().CaseExtract(f.sara, "ifo_vuxen", "IFO-P", "Begäran.").status());
  RequireOk(f.s().AuditLog(f.sara, "ifo_vuxen", "IFO-P").status());
}

TEST_CASE("only an intake opens a case: a person or an assessment needs a contact first",
          "[store][access]") {
  StoreFixture f;
  const std::int64_t seq = f.LastSeq();
  CHECK(f.s()
            .AddSubject(f.kim, {"ifo_vuxen", "NY-1", "adult_victim", "", false, {}})
            .status()
            .code() == StatusCode::kNotFound);
  CHECK(f.s().CreateDraft(f.kim, f.Input("NY-1"), DashSession(3)).status().code() ==
        StatusCode::kNotFound);
  CHECK_FALSE(f.CaseExists("NY-1"));
  CHECK(f.CountAudit(seq, "kim", "denied:add_subject") == 1);
  CHECK(f.CountAudit(seq, "kim", "denied:create_draft") == 1);
  // The contact opens the case; then both are added.
  f.Intake(f.kim, "NY-1");
  CHECK(f.CaseExists("NY-1"));
  RequireOk(f.s().AddSubject(f.kim, {"ifo_vuxen", "NY-1", "adult_victim", "", false, {}}));
  RequireOk(f.s().CreateDraft(f.kim, f.Input("NY-1"), DashSession(3)).status());
  // A refusal that does not depend on the case stays "denied": another unit, another role.
  CHECK(f.s().AddSubject(f.bo, {"ifo_vuxen", "NY-1", "child", "", false, {}}).status().code() ==
        StatusCode::kPermissionDenied);
  CHECK(f.s().CreateDraft(f.olle, f.Input("NY-1"), DashSession(3)).status().code() ==
        StatusCode::kPermissionDenied);
  CHECK(f.s().AddSubject(f.bo, {"ifo_vuxen", "NY-NONE", "child", "", false, {}}).status().code() ==
        StatusCode::kPermissionDenied);
}

TEST_CASE(
    "a contact into a protected case without a grant is stored, and its writer still cannot "
    "read the case",
    "[store][access][protected]") {
  StoreFixture f;
  MakeProtected(f);
  const std::int64_t contacts = f.Rows("contacts");
  const std::int64_t cases = f.Rows("cases");
  const std::int64_t seq = f.LastSeq();
  // The routine question at a new contact: accepted as for any reference (a blind write).
  const std::int64_t contact = f.Intake(f.lena, "IFO-P");
  CHECK(f.Rows("contacts") == contacts + 1);
  CHECK(f.Rows("cases") == cases);  // into the protected case, not a new one
  CHECK(f.Scalar("SELECT COUNT(*) FROM contacts c JOIN subjects s ON s.case_id = c.case_id "
                 "WHERE s.protected_identity = 1 AND c.id = " +
                 std::to_string(contact)) == 1);
  CHECK(f.CountAudit(seq, "lena", "create") == 1);
  CHECK(f.CountAudit(seq, "lena", "denied:add_contact") == 0);
  // lena still sees nothing of the case.
  CHECK(f.s().Subjects(f.lena, "ifo_vuxen", "IFO-P").status().code() == StatusCode::kNotFound);
  CHECK_FALSE(ListsCase(f, f.lena, "IFO-P"));
  CHECK_FALSE(DueHasCase(f, f.lena, "IFO-P"));
  ListFilter byref;
  byref.case_ref = "IFO-P";
  CHECK(RequireOk(f.s().List(f.lena, byref)).empty());
  // Those who may see the case see the contact (the extract holds every contact).
  RequireOk(f.s().Grant(f.sven, "ifo_vuxen", "IFO-P", "sara", "Registerutdrag.", ""));
  const auto doc =
      nlohmann::json::parse(RequireOk(f.s().CaseExtract(f.sara, "ifo_vuxen", "IFO-P", "Skäl.")));
  bool seen = false;
  for (const auto& c : doc.at("contacts")) seen = seen || c.at("id") == contact;
  CHECK(seen);
}

}  // namespace
}  // namespace screening::test
