// `export`: what other agencies or a successor system may read; no protected case, no free
// text, audited. Synthetic data only.
#include <sys/stat.h>

#include <filesystem>
#include <set>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "followup_fixture.h"

namespace screening::cli::test {
namespace {

constexpr DemoAccount kOtherWorker{"test.export.other", Role::kCaseworker, "other-export-pass-1"};

}  // namespace

TEST_CASE("export writes the cases of the actor's units without protected cases or free text",
          "[cli][export]") {
  FollowUpWorkspace ws;
  ws.InitDemo();
  ws.SubmittedFarlighet("T-EXP-1");
  ws.SubmittedDisclosure("T-EXP-2");
  // A protected case: never exported, whatever the grants.
  Actor chief = ws.Login(kDemoSupervisor);
  SubjectInput hidden;
  hidden.unit = "ifo_vuxen";
  hidden.case_ref = "T-EXP-HIDDEN";
  hidden.role = "adult_victim";
  hidden.protected_identity = true;
  hidden.vulnerable_groups = {"disability"};
  ws.Intake(hidden.case_ref);
  REQUIRE(ws.store().AddSubject(chief, hidden).ok());
  ws.CloseStore();

  CliRun run = ws.As(kDemoCaseworker, {"export", "--format", "json"});
  INFO(run.err);
  REQUIRE(run.code == kExitOk);
  CHECK(!Has(run.out, "T-EXP-HIDDEN"));
  CHECK(!Has(run.out, "disability"));
  const auto doc = nlohmann::json::parse(run.out);
  CHECK(doc["format"] == "screening-export");
  std::set<std::string> refs;
  for (const auto& c : doc["cases"]) refs.insert(c["case_ref"].get<std::string>());
  CHECK(refs == std::set<std::string>{"T-EXP-1", "T-EXP-2"});

  CliRun one = ws.As(kDemoSupervisor,
                     {"export", "--unit", "ifo_vuxen", "--case", "T-EXP-1", "--lang", "en"});
  REQUIRE(one.code == kExitOk);
  const auto single = nlohmann::json::parse(one.out);
  REQUIRE(single["cases"].size() == 1);
  REQUIRE(single["cases"][0]["assessments"].size() == 1);
  CHECK(single["cases"][0]["assessments"][0]["instrument"] == "farlighet");

  CliRun hidden_run =
      ws.As(kDemoSupervisor, {"export", "--unit", "ifo_vuxen", "--case", "T-EXP-HIDDEN"});
  CHECK(hidden_run.code == kExitFailed);
  CHECK(!Has(hidden_run.err, "T-EXP-HIDDEN"));

  // Audited with the number of cases.
  CliRun log = ws.AsAdmin({"audit", "log", "--format", "json"});
  REQUIRE(log.code == kExitOk);
  bool audited = false;
  for (const auto& e : nlohmann::json::parse(log.out)) {
    audited = audited || (e["action"] == "export" && e["object"] == "cases:2");
  }
  CHECK(audited);
}

// Store::Export strips free text from the answers but not from the stored result, whose
// judgements keep their rationale and whose override keeps its reason (reported to the store's
// owner); this test turns green when the store strips them too.
TEST_CASE("export leaves out the rationales and override reasons kept in results",
          "[cli][export][!mayfail]") {
  FollowUpWorkspace ws;
  ws.InitDemo();
  const std::int64_t id = ws.SubmittedFarlighet("T-EXP-5", "high");
  ws.CloseStore();
  REQUIRE(ws.As(kDemoSupervisor, {"review", "level", std::to_string(id), "--level", "medium",
                                  "--reason", "test override reason"})
              .code == kExitOk);
  CliRun run = ws.As(kDemoCaseworker, {"export"});
  REQUIRE(run.code == kExitOk);
  CHECK(!Has(run.out, "test rationale"));
  CHECK(!Has(run.out, "test override reason"));
}

TEST_CASE("export --out writes a new private file and never overwrites", "[cli][export]") {
  FollowUpWorkspace ws;
  ws.InitDemo();
  ws.SubmittedFarlighet("T-EXP-3");
  ws.CloseStore();
  const auto out = ws.dir() / "export.json";
  CliRun run = ws.As(kDemoCaseworker, {"export", "--out", out.string()});
  INFO(run.err);
  REQUIRE(run.code == kExitOk);
  CHECK(Has(run.out, "1 ärende"));
  struct stat st {};
  REQUIRE(::stat(out.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  const auto size = std::filesystem::file_size(out);
  CliRun again = ws.As(kDemoCaseworker, {"export", "--out", out.string()});
  CHECK(again.code == kExitFailed);
  CHECK(Has(again.err, "finns redan"));
  CHECK(std::filesystem::file_size(out) == size);
}

TEST_CASE("export is refused to a coordinator and for another unit", "[cli][export]") {
  FollowUpWorkspace ws;
  ws.InitDemo();
  ws.AddUser(kOtherWorker.name, Role::kCaseworker, "ifo_barn", kOtherWorker.password);
  ws.SubmittedFarlighet("T-EXP-4");
  ws.CloseStore();
  CliRun coordinator = ws.As(kDemoCoordinator, {"export"});
  CHECK(coordinator.code == kExitFailed);
  CHECK(Has(coordinator.err, "nekad"));
  CliRun other = ws.As(kOtherWorker, {"export", "--unit", "ifo_vuxen"});
  CHECK(other.code == kExitFailed);
  CHECK(Has(other.err, "nekad"));
  CliRun own = ws.As(kOtherWorker, {"export", "--format", "json"});
  REQUIRE(own.code == kExitOk);
  CHECK(!Has(own.out, "T-EXP-4"));
}

TEST_CASE("export usage errors and help", "[cli][export]") {
  FollowUpWorkspace ws;
  CHECK(ws.Plain({"export", "--case", "T-1"}).code == kExitUsage);
  CHECK(ws.Plain({"export", "--format", "csv"}).code == kExitUsage);
  CliRun sv = ws.Plain({"export", "--help"});
  CliRun en = ws.Plain({"export", "--help", "--lang", "en"});
  CHECK(sv.code == kExitOk);
  CHECK(Has(sv.out, "skyddade personuppgifter"));
  CHECK(Has(en.out, "protected personal data"));
}

}  // namespace screening::cli::test
