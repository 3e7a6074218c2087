// `review list|approve|return|level` and `amend`, in-process against a demo database. All
// case references and texts are synthetic.
#include <fstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "followup_fixture.h"

namespace screening::cli::test {
namespace {

constexpr DemoAccount kOtherSupervisor{"test.other.sup", Role::kSupervisor, "other-sup-pass-1"};

std::vector<ReviewEntry> ReviewsOf(FollowUpWorkspace& ws, std::int64_t id) {
  auto reviews = ws.store().Reviews(ws.Login(kDemoSupervisor), id);
  REQUIRE(reviews.ok());
  return *reviews;
}

std::string StatusOf(FollowUpWorkspace& ws, std::int64_t id) {
  auto history = ws.store().History(ws.Login(kDemoSupervisor), id);
  REQUIRE(history.ok());
  for (const auto& record : *history) {
    if (record.id == id) return std::string(StatusId(record.status));
  }
  return {};
}

}  // namespace

TEST_CASE("review list shows the submitted assessments as a table and as JSON", "[cli][review]") {
  FollowUpWorkspace ws;
  ws.InitDemo();
  const std::int64_t id = ws.SubmittedFarlighet("T-REV-1");
  ws.CloseStore();

  CliRun table = ws.As(kDemoSupervisor, {"review", "list"});
  INFO(table.err);
  REQUIRE(table.code == kExitOk);
  CHECK(Has(table.out, "T-REV-1"));
  CHECK(Has(table.out, "farlighet"));
  CHECK(Has(table.out, "ÄRENDE"));
  // Named by the instrument, as in `show` and the desktop.
  CHECK(Has(table.out, "Medel"));
  CHECK(!Has(table.out, "test rationale"));

  CliRun json = ws.As(kDemoSupervisor, {"review", "list", "--format", "json", "--lang", "en"});
  REQUIRE(json.code == kExitOk);
  const auto list = nlohmann::json::parse(json.out);
  REQUIRE(list.size() == 1);
  CHECK(list[0]["id"] == id);
  CHECK(list[0]["status"] == "submitted");
  CHECK(list[0]["final_level"] == "medium");
  CHECK(list[0]["author"] == kDemoCaseworker.name);

  CliRun other = ws.As(kDemoSupervisor, {"review", "list", "--unit", "ifo_barn"});
  REQUIRE(other.code == kExitOk);
  CHECK(Has(other.out, "Inga bedömningar"));
}

TEST_CASE("a supervisor approves, the assessment leaves the queue and cannot be approved twice",
          "[cli][review]") {
  FollowUpWorkspace ws;
  ws.InitDemo();
  const std::int64_t id = ws.SubmittedFarlighet("T-REV-2");
  ws.CloseStore();

  CliRun approve =
      ws.As(kDemoSupervisor, {"review", "approve", std::to_string(id), "--comment", "looks fine"});
  INFO(approve.err);
  REQUIRE(approve.code == kExitOk);
  CHECK(Has(approve.out, "godkänd"));
  CHECK(StatusOf(ws, id) == "approved");
  ws.CloseStore();

  CHECK(Has(ws.As(kDemoSupervisor, {"review", "list"}).out, "Inga bedömningar"));
  CliRun again = ws.As(kDemoSupervisor, {"review", "approve", std::to_string(id)});
  CHECK(again.code == kExitFailed);
  CHECK(Has(again.err, "bara en inskickad"));
}

TEST_CASE("a caseworker, a coordinator and another unit's supervisor may not review",
          "[cli][review]") {
  FollowUpWorkspace ws;
  ws.InitDemo();
  ws.AddUser(kOtherSupervisor.name, Role::kSupervisor, "ifo_barn", kOtherSupervisor.password);
  const std::int64_t id = ws.SubmittedFarlighet("T-REV-3");
  ws.CloseStore();
  const std::string sid = std::to_string(id);

  CliRun worker = ws.As(kDemoCaseworker, {"review", "approve", sid});
  CHECK(worker.code == kExitFailed);
  CHECK(Has(worker.err, "nekad"));
  CliRun coordinator = ws.As(kDemoCoordinator, {"review", "list"});
  CHECK(coordinator.code == kExitFailed);
  CHECK(Has(coordinator.err, "nekad"));
  // Another unit's assessment reads as one that does not exist (issue 15: the answer must not
  // tell that it exists).
  CliRun other = ws.As(kOtherSupervisor, {"review", "return", sid, "--comment", "x"});
  CliRun missing = ws.As(kOtherSupervisor, {"review", "return", "999999", "--comment", "x"});
  CHECK(other.code == kExitFailed);
  CHECK_FALSE(Has(other.err, "nekad"));
  CHECK(other.code == missing.code);
  std::string other_err = other.err;
  if (auto at = other_err.find(sid); at != std::string::npos)
    other_err.replace(at, sid.size(), "999999");
  CHECK(other_err == missing.err);
  CliRun other_level = ws.As(kOtherSupervisor, {"--lang", "en", "review", "level", sid, "--level",
                                                "low", "--reason", "x"});
  CHECK(other_level.code == kExitFailed);
  CHECK_FALSE(Has(other_level.err, "denied"));
  // Nothing changed, and the denials are in the audit log.
  CHECK(StatusOf(ws, id) == "submitted");
  CHECK(ReviewsOf(ws, id).empty());
  ws.CloseStore();
  CliRun log = ws.AsAdmin({"audit", "log", "--format", "json"});
  REQUIRE(log.code == kExitOk);
  CHECK(Has(log.out, "denied:approve"));
  CHECK(Has(log.out, "denied:return"));
}

TEST_CASE("review return needs a comment and sends the assessment back", "[cli][review]") {
  FollowUpWorkspace ws;
  ws.InitDemo();
  const std::int64_t id = ws.SubmittedFarlighet("T-REV-4");
  ws.CloseStore();
  const std::string sid = std::to_string(id);

  CliRun missing = ws.Plain({"review", "return", sid});
  CHECK(missing.code == kExitUsage);
  CHECK(Has(missing.err, "--comment"));
  CliRun blank = ws.Plain({"review", "return", sid, "--comment", "  "});
  CHECK(blank.code == kExitUsage);

  CliRun returned =
      ws.As(kDemoSupervisor, {"review", "return", sid, "--comment", "add the calendar"});
  INFO(returned.err);
  REQUIRE(returned.code == kExitOk);
  CHECK(Has(returned.out, "återsänd"));
  CHECK(StatusOf(ws, id) == "returned");
  const auto reviews = ReviewsOf(ws, id);
  REQUIRE(reviews.size() == 1);
  CHECK(reviews[0].decision == "returned");
  CHECK(reviews[0].comment == "add the calendar");
}

TEST_CASE("review level lowers a level with a reason before approval", "[cli][review]") {
  FollowUpWorkspace ws;
  ws.InitDemo();
  const std::int64_t id = ws.SubmittedFarlighet("T-REV-5", "high");
  ws.CloseStore();
  const std::string sid = std::to_string(id);

  CHECK(ws.Plain({"review", "level", sid, "--level", "low"}).code == kExitUsage);
  CHECK(ws.Plain({"review", "level", sid, "--reason", "x"}).code == kExitUsage);
  CHECK(ws.Plain({"review", "level", sid, "--level", "low", "--reason", " "}).code == kExitUsage);

  CliRun level = ws.As(kDemoSupervisor,
                       {"review", "level", sid, "--level", "medium", "--reason", "protection set"});
  INFO(level.err);
  REQUIRE(level.code == kExitOk);
  CHECK(Has(level.out, "från Hög till Medel"));
  CliRun bad =
      ws.As(kDemoSupervisor, {"review", "level", sid, "--level", "extreme", "--reason", "x"});
  CHECK(bad.code == kExitFailed);
  CHECK(Has(bad.err, "screening review level: "));

  REQUIRE(ws.As(kDemoSupervisor, {"review", "approve", sid}).code == kExitOk);
  const auto reviews = ReviewsOf(ws, id);
  REQUIRE(reviews.size() == 2);
  CHECK(reviews[0].decision == "level_changed");
  CHECK(reviews[0].level_from == "high");
  CHECK(reviews[0].level_to == "medium");
  CHECK(reviews[1].decision == "approved");
  ws.CloseStore();
  // After approval the level is fixed.
  CliRun late =
      ws.As(kDemoSupervisor, {"review", "level", sid, "--level", "high", "--reason", "x"});
  CHECK(late.code == kExitFailed);
}

TEST_CASE("review commands refuse a missing or malformed id as usage errors", "[cli][review]") {
  FollowUpWorkspace ws;
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"review", "approve"},
                                             {"review", "approve", "abc"},
                                             {"review", "approve", "0"},
                                             {"review", "return", "-5", "--comment", "x"},
                                             {"review", "list", "--format", "xml"},
                                             {"review", "list", "--limit", "0"},
                                             {"amend", "1", "--answers", "a.json"},
                                             {"amend", "1", "--reason", "x"}}) {
    INFO(args[0] + " " + args[1]);
    const CliRun run = ws.Plain(args);
    CHECK(run.code == kExitUsage);
    CHECK(Has(run.err, "--help"));
  }
  CliRun unknown = ws.Plain({"review", "reject"});
  CHECK(unknown.code == kExitUsage);
}

TEST_CASE("an unknown assessment is reported without leaking anything", "[cli][review]") {
  FollowUpWorkspace ws;
  ws.InitDemo();
  CliRun run = ws.As(kDemoSupervisor, {"review", "approve", "999"});
  CHECK(run.code == kExitFailed);
  CHECK(Has(run.err, "bedömning 999"));
}

TEST_CASE("amend makes a linked new version of an approved assessment", "[cli][review]") {
  FollowUpWorkspace ws;
  ws.InitDemo();
  const std::int64_t id = ws.SubmittedFarlighet("T-AMD-1", "low");
  ws.CloseStore();
  const std::string sid = std::to_string(id);
  const auto answers = ws.dir() / "amended.json";
  { std::ofstream(answers) << FarlighetAnswers("high"); }

  CliRun early = ws.As(kDemoCaseworker,
                       {"amend", sid, "--reason", "new facts", "--answers", answers.string()});
  CHECK(early.code == kExitFailed);
  CHECK(Has(early.err, "inte godkänd"));

  REQUIRE(ws.As(kDemoSupervisor, {"review", "approve", sid}).code == kExitOk);
  CliRun amend = ws.As(kDemoCaseworker, {"amend", sid, "--reason", "new facts", "--answers",
                                         answers.string(), "--submit"});
  INFO(amend.err);
  REQUIRE(amend.code == kExitOk);
  CHECK(Has(amend.out, "ny version av " + sid));
  CHECK(Has(amend.out, "inskickad"));

  auto history = ws.store().History(ws.Login(kDemoCaseworker), id);
  REQUIRE(history.ok());
  REQUIRE(history->size() == 2);
  CHECK((*history)[0].status == AssessmentStatus::kApproved);
  CHECK((*history)[1].status == AssessmentStatus::kSubmitted);
  CHECK((*history)[1].amends_id == id);
  CHECK((*history)[1].amend_reason == "new facts");
  REQUIRE((*history)[1].result.has_value());
  CHECK((*history)[1].result->final_level() == "high");
  ws.CloseStore();

  // The old version is no longer the newest.
  CliRun twice =
      ws.As(kDemoCaseworker, {"amend", sid, "--reason", "again", "--answers", answers.string()});
  CHECK(twice.code == kExitFailed);
}

TEST_CASE("amend reads answers from stdin after the password and names a bad key",
          "[cli][review]") {
  FollowUpWorkspace ws;
  ws.InitDemo();
  const std::int64_t id = ws.SubmittedFarlighet("T-AMD-2");
  ws.CloseStore();
  const std::string sid = std::to_string(id);
  REQUIRE(ws.As(kDemoSupervisor, {"review", "approve", sid}).code == kExitOk);

  CliRun bad = ws.As(kDemoCaseworker, {"amend", sid, "--reason", "r", "--answers", "-"},
                     "{\"answers\": {\"q99\": \"yes\"}}");
  CHECK(bad.code == kExitFailed);
  CHECK(Has(bad.err, "q99"));

  CliRun coordinator = ws.As(kDemoCoordinator, {"amend", sid, "--reason", "r", "--answers", "-"},
                             FarlighetAnswers("high"));
  CHECK(coordinator.code == kExitFailed);

  CliRun good = ws.As(kDemoCaseworker, {"amend", sid, "--reason", "r", "--answers", "-"},
                      FarlighetAnswers("high"));
  INFO(good.err);
  CHECK(good.code == kExitOk);
  CHECK(Has(good.out, "utkast"));
}

TEST_CASE("review and amend help in Swedish and English", "[cli][review]") {
  FollowUpWorkspace ws;
  for (const auto& command : std::vector<std::vector<std::string>>{{"review", "list"},
                                                                   {"review", "approve"},
                                                                   {"review", "return"},
                                                                   {"review", "level"},
                                                                   {"amend"}}) {
    std::vector<std::string> sv = command;
    sv.push_back("--help");
    std::vector<std::string> en = sv;
    en.push_back("--lang");
    en.push_back("en");
    const CliRun sv_run = ws.Plain(sv);
    const CliRun en_run = ws.Plain(en);
    INFO(command[0]);
    CHECK(sv_run.code == kExitOk);
    CHECK(en_run.code == kExitOk);
    CHECK(Has(sv_run.out, "Användning"));
    CHECK(Has(en_run.out, "Usage"));
    CHECK(sv_run.out != en_run.out);
  }
  CliRun group = ws.Plain({"review", "--help"});
  CHECK(group.code == kExitOk);
  CHECK(Has(group.out, "approve"));
}

}  // namespace screening::cli::test
