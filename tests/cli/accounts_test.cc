// The account life cycle through the CLI: `user list|deactivate|reactivate|role|unit`,
// `grant --until` and `revoke`. Each change holds from the user's next command.
#include <fstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "followup_fixture.h"

namespace screening::cli::test {
namespace {

constexpr DemoAccount kMover{"flyttar", Role::kCaseworker, "flyttar-losenord-1"};

}  // namespace

TEST_CASE("user deactivate, reactivate, unit and role: the user's next command obeys",
          "[cli][accounts]") {
  FollowUpWorkspace ws;
  ws.InitDemo();
  ws.AddUser(kMover.name, Role::kCaseworker, "ifo_vuxen", kMover.password);
  REQUIRE(ws.As(kMover, {"list"}).code == kExitOk);

  CliRun off = ws.AsAdmin({"user", "deactivate", kMover.name});
  INFO(off.err);
  REQUIRE(off.code == kExitOk);
  CHECK(Has(off.out, "avstängt"));
  CHECK(ws.As(kMover, {"list"}).code == kExitFailed);
  CliRun listed = ws.AsAdmin({"user", "list", "--format", "json"});
  REQUIRE(listed.code == kExitOk);
  bool found = false;
  for (const auto& u : nlohmann::json::parse(listed.out)) {
    if (u["name"] == kMover.name) {
      found = true;
      CHECK(u["active"] == false);
    }
  }
  CHECK(found);
  REQUIRE(ws.AsAdmin({"user", "reactivate", kMover.name}).code == kExitOk);
  CHECK(ws.As(kMover, {"list"}).code == kExitOk);

  // A move: the last unit cannot go first (exit 1, nothing changed); add, then remove.
  CliRun last = ws.AsAdmin({"user", "unit", kMover.name, "--remove", "ifo_vuxen"});
  CHECK(last.code == kExitFailed);
  CHECK(Has(last.err, "enhet"));
  REQUIRE(ws.AsAdmin({"user", "unit", kMover.name, "--add", "ifo_barn"}).code == kExitOk);
  REQUIRE(ws.AsAdmin({"user", "unit", kMover.name, "--remove", "ifo_vuxen"}).code == kExitOk);
  CliRun barn = ws.As(kMover, {"list", "--unit", "ifo_vuxen"});
  CHECK(barn.code == kExitFailed);
  CHECK(ws.AsAdmin({"user", "unit", kMover.name}).code == kExitUsage);
  CHECK(ws.AsAdmin({"user", "unit", kMover.name, "--add", "a", "--remove", "b"}).code ==
        kExitUsage);

  // A role change; only an administrator changes accounts, never their own.
  REQUIRE(ws.AsAdmin({"user", "role", kMover.name, "supervisor"}).code == kExitOk);
  CHECK(ws.AsAdmin({"user", "role", kMover.name, "chief"}).code == kExitUsage);
  CliRun self = ws.AsAdmin({"user", "deactivate", kFollowUpAdmin});
  CHECK(self.code == kExitFailed);
  CliRun by_caseworker = ws.As(kDemoCaseworker, {"user", "deactivate", kMover.name});
  CHECK(by_caseworker.code == kExitFailed);
  CHECK(Has(by_caseworker.err, "nekad"));

  // Every change is in the audit trail.
  CliRun log = ws.AsAdmin({"audit", "log", "--format", "json"});
  REQUIRE(log.code == kExitOk);
  int changes = 0;
  for (const auto& e : nlohmann::json::parse(log.out)) {
    const std::string action = e["action"];
    if (action == "deactivate_user" || action == "reactivate_user" || action == "add_user_unit" ||
        action == "remove_user_unit" || action == "change_role") {
      ++changes;
    }
  }
  CHECK(changes == 5);
}

TEST_CASE("grant --until and revoke", "[cli][accounts][protected]") {
  FollowUpWorkspace ws;
  ws.InitDemo();
  ws.AddUser(kMover.name, Role::kCaseworker, "ifo_vuxen", kMover.password);
  ws.Intake("T-LC-P");
  ws.CloseStore();
  CliRun subject = ws.As(kDemoCaseworker, {"subject", "add", "--case", "T-LC-P", "--unit",
                                           "ifo_vuxen", "--role", "adult_victim", "--protected"});
  INFO(subject.err);
  REQUIRE(subject.code == kExitOk);
  CHECK(ws.As(kDemoSupervisor, {"grant", "--case", "T-LC-P", "--unit", "ifo_vuxen", "--user",
                                kMover.name, "--reason", "Semester.", "--until", "2000-01-01"})
            .code == kExitFailed);
  CliRun granted =
      ws.As(kDemoSupervisor, {"grant", "--case", "T-LC-P", "--unit", "ifo_vuxen", "--user",
                              kMover.name, "--reason", "Semester.", "--until", "2199-12-31"});
  INFO(granted.err);
  REQUIRE(granted.code == kExitOk);
  CHECK(Has(granted.out, "till och med 2199-12-31"));
  CliRun revoked = ws.As(kDemoSupervisor, {"revoke", "--case", "T-LC-P", "--unit", "ifo_vuxen",
                                           "--user", kMover.name, "--reason", "Tillbaka."});
  INFO(revoked.err);
  REQUIRE(revoked.code == kExitOk);
  CliRun again = ws.As(kDemoSupervisor, {"revoke", "--case", "T-LC-P", "--unit", "ifo_vuxen",
                                         "--user", kMover.name, "--reason", "Tillbaka."});
  CHECK(again.code == kExitFailed);
  CHECK(ws.As(kDemoSupervisor, {"revoke", "--case", "T-LC-P", "--unit", "ifo_vuxen", "--user",
                                kMover.name, "--reason", " "})
            .code == kExitUsage);
}

}  // namespace screening::cli::test

namespace screening::cli::test {

TEST_CASE("instruments pin: the administrator's, and nothing to do on a new database",
          "[cli][pins]") {
  FollowUpWorkspace ws;
  ws.InitDemo();
  CliRun pin = ws.AsAdmin({"instruments", "pin"});
  INFO(pin.err);
  REQUIRE(pin.code == kExitOk);
  CHECK(Has(pin.out, "redan godkända"));
  // No note about versions that are not accepted on a database that accepts them all.
  CHECK_FALSE(Has(pin.err, "inte godkända"));
  CliRun denied = ws.As(kDemoCaseworker, {"instruments", "pin"});
  CHECK(denied.code == kExitFailed);
  CHECK(Has(denied.err, "nekad"));
}

}  // namespace screening::cli::test

namespace screening::cli::test {

TEST_CASE(
    "review approve answers alike for a protected case and a missing id, assess's "
    "refusal is audited and stores nothing",
    "[cli][access][protected]") {
  FollowUpWorkspace ws;
  ws.InitDemo();
  ws.AddUser(kMover.name, Role::kCaseworker, "ifo_vuxen", kMover.password);
  // The demo caseworker registers a protected person and a submitted assessment in T-OR-P.
  const Actor worker = ws.Login(kDemoCaseworker);
  ws.Intake("T-OR-P");
  SubjectInput person;
  person.unit = "ifo_vuxen";
  person.case_ref = "T-OR-P";
  person.role = "adult_victim";
  person.protected_identity = true;
  REQUIRE(ws.store().AddSubject(worker, person).ok());
  const std::int64_t id = ws.SubmittedFarlighet("T-OR-P");
  ws.CloseStore();

  // The supervisor has no grant: the protected assessment reads as one that does not exist.
  CliRun hidden = ws.As(kDemoSupervisor, {"review", "approve", std::to_string(id)});
  CliRun missing = ws.As(kDemoSupervisor, {"review", "approve", "999999"});
  CHECK(hidden.code == kExitFailed);
  CHECK(hidden.code == missing.code);
  CHECK(hidden.out == missing.out);
  // The messages differ only in the id typed.
  auto without = [](std::string text, const std::string& typed) {
    for (auto at = text.find(typed); at != std::string::npos; at = text.find(typed)) {
      text.replace(at, typed.size(), "N");
    }
    return text;
  };
  CHECK(without(hidden.err, std::to_string(id)) == without(missing.err, "999999"));
  CHECK(Has(missing.err, "999999"));

  // A colleague without a grant tries to assess in the protected case: refused as a case
  // without an intake (the case is read first, before anything is written), nothing
  // stored, and the refusal is in the audit trail.
  const std::string file = (ws.dir() / "farlighet.json").string();
  std::ofstream(file) << FarlighetAnswers("high");
  CliRun assess = ws.As(kMover, {"assess", "--instrument", "farlighet", "--case", "T-OR-P",
                                 "--unit", "ifo_vuxen", "--answers", file, "--submit"});
  CHECK(assess.code == kExitFailed);
  CliRun log = ws.AsAdmin({"audit", "log", "--format", "json"});
  REQUIRE(log.code == kExitOk);
  int denied = 0, approve_denied = 0;
  for (const auto& e : nlohmann::json::parse(log.out)) {
    if (e["user"] == kMover.name && e["action"].get<std::string>().rfind("denied:", 0) == 0)
      ++denied;
    if (e["user"] == kDemoSupervisor.name && e["action"] == "denied:approve") ++approve_denied;
  }
  CHECK(denied == 1);
  CHECK(approve_denied == 2);
}

}  // namespace screening::cli::test

namespace screening::cli::test {

TEST_CASE("user confirm: a second supervisor waits for the unit's supervisor", "[cli][accounts]") {
  FollowUpWorkspace ws;
  ws.InitDemo();
  // The demo supervisor is the first of ifo_vuxen: a new one waits.
  CliRun added = ws.AsAdmin({"user", "add", "ny.arbetsledare", "--role", "supervisor", "--unit",
                             "ifo_vuxen", "--new-password-stdin"},
                            "one-time-pass-12\n");
  INFO(added.err);
  REQUIRE(added.code == kExitOk);
  CHECK(Has(added.out, "Väntar på att en andra person bekräftar"));
  CHECK(Has(added.out, "screening user confirm ny.arbetsledare"));
  // It cannot log in; the administrator who asked cannot confirm it.
  CliRun waiting = ws.RunCliAs("ny.arbetsledare", {"list", "--new-password-stdin"},
                               "one-time-pass-12\nmy-own-pass-12\n");
  CHECK(waiting.code == kExitFailed);
  CliRun own = ws.AsAdmin({"user", "confirm", "ny.arbetsledare"});
  CHECK(own.code == kExitFailed);
  CHECK(Has(own.err, "nekad"));
  CliRun listed = ws.AsAdmin({"user", "list"});
  CHECK(Has(listed.out, "väntar på bekräftelse"));
  CHECK(Has(listed.out, "första arbetsledaren"));  // the demo's, without a second person
  CliRun check = ws.AsAdmin({"check"});
  CHECK(Has(check.out, "demo.arbetsledare blev arbetsledare utan en andra persons bekräftelse"));
  // The unit's supervisor confirms; the new supervisor chooses a password and reviews.
  CliRun confirmed = ws.As(kDemoSupervisor, {"user", "confirm", "ny.arbetsledare"});
  INFO(confirmed.err);
  REQUIRE(confirmed.code == kExitOk);
  CliRun first = ws.RunCliAs("ny.arbetsledare", {"review", "list", "--new-password-stdin"},
                             "one-time-pass-12\nmy-own-pass-12\n");
  INFO(first.err);
  CHECK(first.code == kExitOk);
  CHECK(ws.As(kDemoSupervisor, {"user", "confirm", "ny.arbetsledare"}).code == kExitFailed);
}

TEST_CASE("draft reassign: the new owner writes it, the supervisor who reassigned does not review",
          "[cli][accounts][duties]") {
  FollowUpWorkspace ws;
  ws.InitDemo();
  ws.AddUser(kMover.name, Role::kCaseworker, "ifo_vuxen", kMover.password);
  // A draft by the demo caseworker in a case opened by a contact (through the library).
  const Actor worker = ws.Login(kDemoCaseworker);
  ContactInput contact;
  contact.unit = "ifo_vuxen";
  contact.case_ref = "T-RA-1";
  contact.contact_date = "2026-01-05";
  contact.outcome = "not_disclosed";
  REQUIRE(ws.store().AddContact(worker, contact).ok());
  AssessmentInput input;
  input.unit = "ifo_vuxen";
  input.case_ref = "T-RA-1";
  auto created = ws.store().CreateDraft(worker, input, Session(ws.registry().Find("dash")));
  REQUIRE(created.ok());
  const std::int64_t id = *created;
  const std::string id_text = std::to_string(id);
  CliRun by_worker = ws.As(
      kDemoCaseworker, {"draft", "reassign", id_text, "--to", kMover.name, "--reason", "Sjuk."});
  CHECK(by_worker.code == kExitFailed);
  CliRun no_reason =
      ws.As(kDemoSupervisor, {"draft", "reassign", id_text, "--to", kMover.name, "--reason", " "});
  CHECK(no_reason.code != kExitOk);
  CliRun moved =
      ws.As(kDemoSupervisor, {"draft", "reassign", id_text, "--to", kMover.name, "--reason-stdin"},
            "Handläggaren är sjukskriven.\n");
  INFO(moved.err);
  REQUIRE(moved.code == kExitOk);
  CHECK(Has(moved.out, "ägs nu av flyttar"));
  CliRun shown = ws.As(kMover, {"show", id_text, "--format", "json"});
  REQUIRE(shown.code == kExitOk);
  const auto record = nlohmann::json::parse(shown.out);
  CHECK(record["owner"] == kMover.name);
  CHECK(record["author"] == kDemoCaseworker.name);
  bool reassigner = false;
  for (const auto& c : record["contributors"]) {
    reassigner = reassigner || (c["user"] == kDemoSupervisor.name && c["part"] == "reassigner");
  }
  CHECK(reassigner);
  CliRun text = ws.As(kMover, {"show", id_text});
  CHECK(Has(text.out, "lämnade över"));
}

}  // namespace screening::cli::test
