// `due`, `done` and `info-given`, in-process against a demo database. Synthetic data only.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "followup_fixture.h"

namespace screening::cli::test {
namespace {

constexpr DemoAccount kOtherWorker{"test.other.worker", Role::kCaseworker, "other-worker-pass-1"};

}  // namespace

TEST_CASE("due lists the follow-up items of a submitted disclosure, and done closes one",
          "[cli][due]") {
  FollowUpWorkspace ws;
  ws.InitDemo();
  const std::int64_t assessment = ws.SubmittedDisclosure("T-DUE-1");
  ws.CloseStore();

  CliRun json = ws.As(kDemoCaseworker, {"due", "--format", "json"});
  INFO(json.err);
  REQUIRE(json.code == kExitOk);
  const auto items = nlohmann::json::parse(json.out);
  REQUIRE(!items.empty());
  std::int64_t protection = 0;
  for (const auto& item : items) {
    CHECK(item["assessment_id"] == assessment);
    CHECK(item["case_ref"] == "T-DUE-1");
    CHECK(item["unit"] == "ifo_vuxen");
    CHECK(item["overdue"] == false);
    if (item["kind"] == "protection_assessment") {
      protection = item["id"];
      CHECK(item["due_date"].is_string());
      CHECK(item["next_contact"] == false);
    }
  }
  REQUIRE(protection > 0);

  CliRun text = ws.As(kDemoSupervisor, {"due"});
  REQUIRE(text.code == kExitOk);
  CHECK(Has(text.out, "T-DUE-1"));
  CHECK(Has(text.out, "skyddsbedömning"));
  CHECK(Has(text.out, "öppna"));
  CliRun english = ws.As(kDemoSupervisor, {"due", "--lang", "en"});
  CHECK(Has(english.out, "protection assessment"));

  CliRun done = ws.As(kDemoCaseworker, {"done", std::to_string(protection)});
  INFO(done.err);
  REQUIRE(done.code == kExitOk);
  CHECK(Has(done.out, "klar"));
  const auto after = nlohmann::json::parse(ws.As(kDemoCaseworker, {"due", "--format", "json"}).out);
  CHECK(after.size() == items.size() - 1);
  for (const auto& item : after) CHECK(item["id"] != protection);

  CliRun again = ws.As(kDemoCaseworker, {"done", std::to_string(protection)});
  CHECK(again.code == kExitFailed);
  CHECK(Has(again.err, "redan klar"));
}

TEST_CASE("due --overdue and --unit filter the list", "[cli][due]") {
  FollowUpWorkspace ws;
  ws.InitDemo();
  ws.SubmittedDisclosure("T-DUE-2");
  ws.CloseStore();
  // Due dates lie in the future (counted from today).
  CliRun overdue = ws.As(kDemoCaseworker, {"due", "--overdue"});
  REQUIRE(overdue.code == kExitOk);
  CHECK(Has(overdue.out, "Inga försenade"));
  CliRun barn = ws.As(kDemoCaseworker, {"due", "--unit", "ifo_barn", "--format", "json"});
  REQUIRE(barn.code == kExitOk);
  CHECK(nlohmann::json::parse(barn.out).empty());
  CliRun foreign = ws.As(kDemoCaseworker, {"due", "--unit", "skola"});
  CHECK(foreign.code == kExitFailed);
}

TEST_CASE("due and done are refused to a coordinator and to another unit", "[cli][due]") {
  FollowUpWorkspace ws;
  ws.InitDemo();
  ws.AddUser(kOtherWorker.name, Role::kCaseworker, "ifo_barn", kOtherWorker.password);
  ws.SubmittedDisclosure("T-DUE-3");
  ws.CloseStore();
  const auto items = nlohmann::json::parse(ws.As(kDemoCaseworker, {"due", "--format", "json"}).out);
  REQUIRE(!items.empty());
  const std::string item = std::to_string(items[0]["id"].get<std::int64_t>());

  CliRun coordinator = ws.As(kDemoCoordinator, {"due"});
  CHECK(coordinator.code == kExitFailed);
  CHECK(Has(coordinator.err, "nekad"));
  CHECK(ws.As(kDemoCoordinator, {"done", item}).code == kExitFailed);

  // Another unit sees no items and cannot close one.
  CliRun other = ws.As(kOtherWorker, {"due", "--format", "json"});
  REQUIRE(other.code == kExitOk);
  CHECK(nlohmann::json::parse(other.out).empty());
  CliRun other_done = ws.As(kOtherWorker, {"done", item});
  CHECK(other_done.code == kExitFailed);
  CHECK(!Has(other_done.err, "T-DUE-3"));
  // Still open.
  CHECK(nlohmann::json::parse(ws.As(kDemoCaseworker, {"due", "--format", "json"}).out).size() ==
        items.size());
}

TEST_CASE("due and done usage errors", "[cli][due]") {
  FollowUpWorkspace ws;
  CHECK(ws.Plain({"done"}).code == kExitUsage);
  CHECK(ws.Plain({"done", "x1"}).code == kExitUsage);
  CHECK(ws.Plain({"due", "--format", "xml"}).code == kExitUsage);
  CHECK(ws.Plain({"due", "extra"}).code == kExitUsage);
  for (const char* command : {"due", "done", "info-given"}) {
    const CliRun sv = ws.Plain({command, "--help"});
    const CliRun en = ws.Plain({command, "--help", "--lang", "en"});
    INFO(command);
    CHECK(sv.code == kExitOk);
    CHECK(en.code == kExitOk);
    CHECK(Has(sv.out, "Användning"));
    CHECK(Has(en.out, "Usage"));
  }
}

TEST_CASE("info-given records support given and checks the resource ids", "[cli][due]") {
  FollowUpWorkspace ws;
  ws.InitDemo();
  ws.AddUser(kOtherWorker.name, Role::kCaseworker, "ifo_barn", kOtherWorker.password);
  ws.SubmittedDisclosure("T-INFO-1");
  Actor worker = ws.Login(kDemoCaseworker);
  SubjectInput subject;
  subject.unit = "ifo_vuxen";
  subject.case_ref = "T-INFO-1";
  subject.role = "perpetrator";
  auto subject_id = ws.store().AddSubject(worker, subject);
  REQUIRE(subject_id.ok());
  ws.CloseStore();

  CliRun ok = ws.As(kDemoCaseworker, {"info-given", "--case", "T-INFO-1", "--unit", "ifo_vuxen",
                                      "--subject", std::to_string(*subject_id), "--resources",
                                      "valj_att_sluta,harnosand_social_services"});
  INFO(ok.err);
  REQUIRE(ok.code == kExitOk);
  CHECK(Has(ok.out, "2 resurser"));

  CliRun unknown = ws.As(kDemoCaseworker, {"info-given", "--case", "T-INFO-1", "--unit",
                                           "ifo_vuxen", "--resources", "no_such_line"});
  CHECK(unknown.code == kExitFailed);
  CHECK(Has(unknown.err, "no_such_line"));
  // An entry the municipality has not filled in (no number) cannot have been handed over.
  CliRun no_number = ws.As(kDemoCaseworker, {"info-given", "--case", "T-INFO-1", "--unit",
                                             "ifo_vuxen", "--subject", std::to_string(*subject_id),
                                             "--resources", "valj_att_sluta,harnosand_mansjour"});
  CHECK(no_number.code == kExitFailed);
  CHECK(Has(no_number.err, "harnosand_mansjour"));
  CHECK(Has(no_number.err, "inget nummer"));
  CliRun no_case = ws.As(kDemoCaseworker, {"info-given", "--case", "T-NONE", "--unit", "ifo_vuxen",
                                           "--resources", "bris"});
  CHECK(no_case.code == kExitFailed);
  CHECK(Has(no_case.err, "ärendet har ingen registrerad kontakt än"));
  CliRun wrong_subject =
      ws.As(kDemoCaseworker, {"info-given", "--case", "T-INFO-1", "--unit", "ifo_vuxen",
                              "--subject", "999", "--resources", "bris"});
  CHECK(wrong_subject.code == kExitFailed);
  CliRun other = ws.As(kOtherWorker, {"info-given", "--case", "T-INFO-1", "--unit", "ifo_vuxen",
                                      "--resources", "bris"});
  CHECK(other.code == kExitFailed);
  CHECK(Has(other.err, "nekad"));
  CliRun coordinator = ws.As(kDemoCoordinator, {"info-given", "--case", "T-INFO-1", "--unit",
                                                "ifo_vuxen", "--resources", "bris"});
  CHECK(coordinator.code == kExitFailed);

  CHECK(ws.Plain({"info-given", "--case", "T-INFO-1", "--unit", "ifo_vuxen"}).code == kExitUsage);
  CHECK(ws.Plain({"info-given", "--unit", "ifo_vuxen", "--resources", "bris"}).code == kExitUsage);
  CHECK(ws.Plain({"info-given", "--case", "T", "--unit", "ifo_vuxen", "--resources", "bris",
                  "--subject", "x"})
            .code == kExitUsage);

  // Recorded once, in the audit log.
  CliRun log = ws.AsAdmin({"audit", "log", "--format", "json"});
  REQUIRE(log.code == kExitOk);
  size_t given = 0;
  for (const auto& e : nlohmann::json::parse(log.out)) {
    if (e["action"] == "support_given") ++given;
  }
  CHECK(given == 1);
}

}  // namespace screening::cli::test
