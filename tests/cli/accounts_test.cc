// The account life cycle through the CLI: `user list|deactivate|reactivate|role|unit`,
// `grant --until` and `revoke`. Each change holds from the user's next command.
#include <fstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "followup_fixture.h"

namespace screening::cli::test {
namespace {

constexpr DemoAccount kMover{"flyttar", "caseworker", "flyttar-losenord-1"};

}  // namespace

TEST_CASE("user deactivate, reactivate, unit and role: the user's next command obeys",
          "[cli][accounts]") {
  FollowUpWorkspace ws;
  ws.InitDemo();
  ws.AddUser(kMover.name, "caseworker", "ifo_vuxen", kMover.password);
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
  ws.AddUser(kMover.name, "caseworker", "ifo_vuxen", kMover.password);
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
  ws.AddUser(kMover.name, "caseworker", "ifo_vuxen", kMover.password);
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
