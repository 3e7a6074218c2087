// `init --demo` and `demo seed`: the demo accounts, synthetic data through the library's own
// calls, determinism for a seed, and refusals outside a demo database.
#include <set>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "followup_fixture.h"

namespace screening::cli::test {
namespace {

// The demo seed over a fixed, past period so that runs compare.
std::vector<std::string> Seed(int contacts, int seed) {
  return {"demo",       "seed",
          "--contacts", std::to_string(contacts),
          "--seed",     std::to_string(seed),
          "--until",    "2024-06-30"};
}

std::int64_t Count(const std::string& out, const std::string& label) {
  for (const auto& line : Lines(out)) {
    const auto at = line.find(label);
    if (at != std::string::npos && line.size() > label.size()) {
      const auto last = line.find_last_of(' ');
      return std::stoll(line.substr(last + 1));
    }
  }
  return -1;
}

}  // namespace

TEST_CASE("init --demo adds the units and prints the demo accounts, which log in", "[cli][demo]") {
  FollowUpWorkspace ws;
  const CliRun init = ws.InitDemo();
  for (const DemoAccount& account : {kDemoCaseworker, kDemoSupervisor, kDemoCoordinator}) {
    CHECK(Has(init.out, account.name));
    CHECK(Has(init.out, account.password));
  }
  CHECK(Has(init.out, "ifo_vuxen, ifo_barn, bistand"));
  CHECK(Has(init.out, "stödresurser"));
  CHECK(!Has(init.out + init.err, kFollowUpAdminPassword));
  CHECK(ws.As(kDemoCaseworker, {"due"}).code == kExitOk);
  CHECK(ws.As(kDemoSupervisor, {"review", "list"}).code == kExitOk);
  // Every unit of the vocabulary exists: a user can be added to any.
  ws.AddUser("test.school", Role::kCaseworker, "elevhalsa", "school-pass-123");
  // The admin and the coordinator have no case access.
  CHECK(ws.As(kDemoCoordinator, {"due"}).code == kExitFailed);
}

TEST_CASE("demo seed makes cases of every kind through the library", "[cli][demo]") {
  FollowUpWorkspace ws;
  ws.InitDemo();
  CliRun seed = ws.AsAdmin(Seed(400, 7));
  INFO(seed.err);
  REQUIRE(seed.code == kExitOk);
  CHECK(Count(seed.out, "kontakter") == 400);
  CHECK(Count(seed.out, "varav frågan ej ställd") > 0);
  CHECK(Count(seed.out, "varav berättade om våld") > 0);
  CHECK(Count(seed.out, "godkända") > 0);
  CHECK(Count(seed.out, "återsända") > 0);
  CHECK(Count(seed.out, "uppföljningar klara") > 0);
  CHECK(Count(seed.out, "stödinformation given") > 0);
  CHECK(Has(seed.out, "kontakter/s"));
  CHECK(Has(seed.out, "2023-01-01"));

  // What the commands see: an audit chain intact, approvals, due items, every unit used.
  CHECK(ws.AsAdmin({"audit", "verify"}).code == kExitOk);
  CHECK(ws.AsAdmin({"check"}).code == kExitOk);
  Actor worker = ws.Login(kDemoCaseworker);
  ListFilter approved;
  approved.status = AssessmentStatus::kApproved;
  approved.limit = 100000;
  auto list = ws.store().List(worker, approved);
  REQUIRE(list.ok());
  std::set<std::string> instruments;
  std::set<std::string> units;
  for (const auto& s : *list) {
    instruments.insert(s.instrument_id);
    units.insert(s.unit);
    CHECK(s.case_ref.rfind("DEMO-", 0) == 0);
  }
  CHECK(instruments.count("rutinfraga") == 1);
  CHECK(instruments.count("farlighet") == 1);
  CHECK(instruments.size() >= 5);
  CHECK(units.size() == 3);
  // Reviews include level changes, and the submission dates spread over the period.
  std::set<std::string> months;
  bool level_changed = false;
  for (const auto& s : *list) {
    if (s.instrument_id == "rutinfraga") continue;
    auto record = ws.store().Get(worker, s.id);
    REQUIRE(record.ok());
    months.insert(record->submitted_utc.substr(0, 7));
    auto reviews = ws.store().Reviews(worker, s.id);
    REQUIRE(reviews.ok());
    for (const auto& r : *reviews) level_changed = level_changed || r.decision == "level_changed";
  }
  CHECK(months.size() >= 12);
  CHECK(*months.begin() >= "2023-01");
  CHECK(*months.rbegin() <= "2024-06");
  CHECK(level_changed);
  ws.CloseStore();
  // The last weeks are not all reviewed: a queue, as in a live database.
  CliRun queue = ws.As(kDemoSupervisor, {"review", "list", "--format", "json"});
  REQUIRE(queue.code == kExitOk);
  CHECK(!nlohmann::json::parse(queue.out).empty());
  CliRun due = ws.As(kDemoCaseworker, {"due", "--overdue", "--format", "json"});
  REQUIRE(due.code == kExitOk);
  CHECK(!nlohmann::json::parse(due.out).empty());
}

TEST_CASE("demo seed gives the same data for the same seed", "[cli][demo]") {
  FollowUpWorkspace a;
  FollowUpWorkspace b;
  FollowUpWorkspace c;
  a.InitDemo();
  b.InitDemo();
  c.InitDemo();
  REQUIRE(a.AsAdmin(Seed(150, 3)).code == kExitOk);
  REQUIRE(b.AsAdmin(Seed(150, 3)).code == kExitOk);
  REQUIRE(c.AsAdmin(Seed(150, 4)).code == kExitOk);
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"due", "--format", "json"},
           {"review", "list", "--format", "json", "--limit", "1000"}}) {
    const CliRun ra = a.As(kDemoSupervisor, args);
    const CliRun rb = b.As(kDemoSupervisor, args);
    const CliRun rc = c.As(kDemoSupervisor, args);
    REQUIRE(ra.code == kExitOk);
    CHECK(ra.out == rb.out);
    CHECK(ra.out != rc.out);
  }
}

TEST_CASE("demo seed is refused outside a demo database and to a non-administrator",
          "[cli][demo]") {
  FollowUpWorkspace plain;
  CliRun init = RunCli({"init", "--password-stdin"}, std::string(kFollowUpAdminPassword) + "\n",
                       plain.Env(kFollowUpAdmin));
  REQUIRE(init.code == kExitOk);
  CliRun not_demo = plain.AsAdmin(Seed(10, 1));
  CHECK(not_demo.code == kExitFailed);
  CHECK(Has(not_demo.err, "ingen demodatabas"));

  FollowUpWorkspace ws;
  ws.InitDemo();
  CliRun worker = ws.As(kDemoCaseworker, Seed(10, 1));
  CHECK(worker.code == kExitFailed);
  CHECK(Has(worker.err, "administratör"));
}

TEST_CASE("demo seed usage errors and help", "[cli][demo]") {
  FollowUpWorkspace ws;
  CHECK(ws.Plain({"demo", "seed"}).code == kExitUsage);
  CHECK(ws.Plain({"demo", "seed", "--contacts", "0"}).code == kExitUsage);
  CHECK(ws.Plain({"demo", "seed", "--contacts", "many"}).code == kExitUsage);
  CHECK(ws.Plain({"demo", "seed", "--contacts", "5", "--until", "2024-02-30"}).code == kExitUsage);
  CHECK(ws.Plain({"demo", "seed", "--contacts", "5", "--until", "2999-01-01"}).code == kExitUsage);
  CHECK(ws.Plain({"demo"}).code == kExitUsage);
  CliRun sv = ws.Plain({"demo", "seed", "--help"});
  CliRun en = ws.Plain({"demo", "seed", "--help", "--lang", "en"});
  CHECK(sv.code == kExitOk);
  CHECK(Has(sv.out, "demonstration"));
  CHECK(Has(en.out, "For demonstration"));
  CliRun init_help = ws.Plain({"init", "--help", "--lang", "en"});
  CHECK(Has(init_help.out, "--demo"));
}

}  // namespace screening::cli::test
