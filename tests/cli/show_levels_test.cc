// `show` names a recorded level by its instrument: skydd's levels are protection ("Starkt
// skydd"), never a bare "high" that a reader could take for high risk; a band by its text.
#include <catch2/catch.hpp>

#include "followup_fixture.h"

namespace screening::cli::test {

TEST_CASE("show names skydd's levels as protection in the history and the level change",
          "[cli][show][versions]") {
  FollowUpWorkspace ws;
  ws.InitDemo();
  const Actor worker = ws.Login(kDemoCaseworker);
  const Actor supervisor = ws.Login(kDemoSupervisor);
  Session session(ws.registry().Find("skydd"));
  REQUIRE(session.SetCode("has_children", "no").ok());
  REQUIRE(session.SetJudgement("protection", "high", "Syntetisk motivering.").ok());
  AssessmentInput input;
  input.unit = "ifo_vuxen";
  input.case_ref = "T-SKYDD-1";
  ws.Intake(input.case_ref);
  auto id = ws.store().CreateDraft(worker, input, session);
  REQUIRE(id.ok());
  REQUIRE(ws.store().Submit(worker, *id).ok());
  REQUIRE(ws.store().ChangeLevel(supervisor, *id, "medium", "Synthetic reason.").ok());
  ws.CloseStore();

  CliRun sv = ws.As(kDemoSupervisor, {"show", std::to_string(*id)});
  INFO(sv.err);
  REQUIRE(sv.code == kExitOk);
  CHECK(Has(sv.out, "nivå Måttligt skydd"));
  CHECK(Has(sv.out, "Starkt skydd → Måttligt skydd"));
  CHECK_FALSE(Has(sv.out, "high → medium"));

  CliRun en = ws.As(kDemoSupervisor, {"show", std::to_string(*id), "--lang", "en"});
  REQUIRE(en.code == kExitOk);
  CHECK(Has(en.out, "Strong protection → Moderate protection"));

  // The JSON keeps the codes.
  CliRun json = ws.As(kDemoSupervisor, {"show", std::to_string(*id), "--format", "json"});
  REQUIRE(json.code == kExitOk);
  CHECK(Has(json.out, "\"level_to\":\"medium\""));
}

TEST_CASE("the review queue, the level change and the list name skydd's levels as protection",
          "[cli][review][versions]") {
  FollowUpWorkspace ws;
  ws.InitDemo();
  const Actor worker = ws.Login(kDemoCaseworker);
  Session session(ws.registry().Find("skydd"));
  REQUIRE(session.SetCode("has_children", "no").ok());
  REQUIRE(session.SetJudgement("protection", "high", "Syntetisk motivering.").ok());
  AssessmentInput input;
  input.unit = "ifo_vuxen";
  input.case_ref = "T-SKYDD-2";
  ws.Intake(input.case_ref);
  auto id = ws.store().CreateDraft(worker, input, session);
  REQUIRE(id.ok());
  REQUIRE(ws.store().Submit(worker, *id).ok());
  ws.CloseStore();

  // "hög" in a queue of risk assessments reads as high risk; for skydd it is strong protection.
  CliRun queue = ws.As(kDemoSupervisor, {"review", "list"});
  INFO(queue.err);
  REQUIRE(queue.code == kExitOk);
  CHECK(Has(queue.out, "Starkt skydd"));
  CHECK_FALSE(Has(queue.out, "hög"));

  CliRun level = ws.As(kDemoSupervisor, {"review", "level", std::to_string(*id), "--level",
                                         "medium", "--reason", "Syntetisk motivering."});
  INFO(level.err);
  REQUIRE(level.code == kExitOk);
  CHECK(Has(level.out, "ändrad från Starkt skydd till Måttligt skydd"));

  CliRun list = ws.As(kDemoCaseworker, {"list", "--case", "T-SKYDD-2"});
  REQUIRE(list.code == kExitOk);
  CHECK(Has(list.out, "Måttligt skydd"));
  CHECK_FALSE(Has(list.out, "medium"));
}

}  // namespace screening::cli::test
