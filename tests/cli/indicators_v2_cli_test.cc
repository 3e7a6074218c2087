// Indicator definitions version 2 through the CLI: support information per person
// (`info-given` asks or refuses), the demo case of the issue (a victim's support line given in
// a case with a perpetrator is 0 %, not 100 %), `indicators --definitions 1`, and the case
// systems' numbers of new contacts (`case-system-contacts set|import|list`). Synthetic data.
#include <algorithm>
#include <fstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "followup_fixture.h"

namespace screening::cli::test {
namespace {

// A case in ifo_vuxen with a contact in `year` and two people; returns their ids.
std::pair<std::int64_t, std::int64_t> VictimAndPerpetrator(FollowUpWorkspace& ws,
                                                           const std::string& ref,
                                                           const std::string& date) {
  Actor worker = ws.Login(kDemoCaseworker);
  ContactInput contact;
  contact.unit = "ifo_vuxen";
  contact.case_ref = ref;
  contact.contact_date = date;
  contact.outcome = "disclosed";
  contact.violence_types = {"physical"};
  REQUIRE(ws.store().AddContact(worker, contact).ok());
  SubjectInput person;
  person.unit = "ifo_vuxen";
  person.case_ref = ref;
  person.role = "adult_victim";
  auto victim = ws.store().AddSubject(worker, person);
  person.role = "perpetrator";
  auto perpetrator = ws.store().AddSubject(worker, person);
  REQUIRE(victim.ok());
  REQUIRE(perpetrator.ok());
  return {*victim, *perpetrator};
}

std::size_t SupportRecords(const FollowUpWorkspace& ws) {
  CliRun log = ws.AsAdmin({"audit", "log", "--format", "json"});
  REQUIRE(log.code == kExitOk);
  std::size_t n = 0;
  for (const auto& e : nlohmann::json::parse(log.out)) n += e["action"] == "support_given";
  return n;
}

// The perpetrators table of a report as JSON: persons, informed.
std::pair<int, int> Perpetrators(const nlohmann::json& report) {
  for (const auto& t : report["tables"]) {
    if (t["id"] != "perpetrators") continue;
    int persons = -1, informed = -1;
    for (const auto& row : t["rows"]) {
      if (row["id"] == "persons") persons = row["cells"]["count"];
      if (row["id"] == "informed") informed = row["cells"]["count"];
    }
    return {persons, informed};
  }
  FAIL("no perpetrators table");
  return {};
}

}  // namespace

TEST_CASE("info-given in a case with two people: refused without a terminal, asked at one",
          "[cli][indicators]") {
  FollowUpWorkspace ws;
  ws.InitDemo();
  const auto [victim, perpetrator] = VictimAndPerpetrator(ws, "T-V2-1", "2026-03-02");
  ws.CloseStore();

  const CliRun refused = ws.As(kDemoCaseworker, {"info-given", "--case", "T-V2-1", "--unit",
                                                 "ifo_vuxen", "--resources", "kvinnofridslinjen"});
  CHECK(refused.code == kExitFailed);
  CHECK(Has(refused.err, "--subject"));
  CHECK(Has(refused.err, std::to_string(perpetrator) + " (Våldsutövare)"));
  CHECK(Has(refused.err, std::to_string(victim) + " (Våldsutsatt"));
  CHECK(SupportRecords(ws) == 0);

  // At a terminal the command asks; a wrong answer stores nothing.
  const CliRun wrong = ws.AsAtTerminal(kDemoCaseworker,
                                       {"info-given", "--case", "T-V2-1", "--unit", "ifo_vuxen",
                                        "--resources", "valj_att_sluta", "--lang", "en"},
                                       "7\n");
  CHECK(wrong.code == kExitFailed);
  CHECK(Has(wrong.out, "Who was given the information?"));
  CHECK(SupportRecords(ws) == 0);
  const CliRun asked = ws.AsAtTerminal(
      kDemoCaseworker,
      {"info-given", "--case", "T-V2-1", "--unit", "ifo_vuxen", "--resources", "valj_att_sluta"},
      "2\n");
  INFO(asked.err);
  CHECK(asked.code == kExitOk);
  CHECK(Has(asked.out, "Vem fick informationen?"));
  CHECK(SupportRecords(ws) == 1);
  const auto report =
      nlohmann::json::parse(ws.As(kDemoCoordinator, {"indicators", "--year", "2026", "--format",
                                                     "json", "--no-suppression"})
                                .out);
  CHECK(Perpetrators(report) == std::pair{1, 1});  // the second person is the perpetrator
}

TEST_CASE(
    "the issue's demo case: a victim's support line is not information for the "
    "perpetrator, and --definitions 1 makes the old report",
    "[cli][indicators]") {
  FollowUpWorkspace ws;
  ws.InitDemo();
  const auto [victim, perpetrator] = VictimAndPerpetrator(ws, "T-V2-2", "2026-04-01");
  (void)perpetrator;
  ws.CloseStore();
  const CliRun given =
      ws.As(kDemoCaseworker, {"info-given", "--case", "T-V2-2", "--unit", "ifo_vuxen", "--subject",
                              std::to_string(victim), "--resources", "kvinnofridslinjen"});
  INFO(given.err);
  REQUIRE(given.code == kExitOk);

  const CliRun v2 = ws.As(kDemoCoordinator,
                          {"indicators", "--year", "2026", "--format", "json", "--no-suppression"});
  INFO(v2.err);
  REQUIRE(v2.code == kExitOk);
  const auto report = nlohmann::json::parse(v2.out);
  CHECK(report["definitions"]["version"] == "2.0.0");
  CHECK(Perpetrators(report) == std::pair{1, 0});
  const CliRun table =
      ws.As(kDemoCoordinator, {"indicators", "--year", "2026", "--no-suppression"});
  CHECK(Has(table.out, "Andel som fått information (mål 100 %)"));
  CHECK(Has(table.out, "Data till och med"));
  CHECK(Has(table.out, "Rekommenderat: skyddat boende"));

  const CliRun v1 = ws.As(kDemoCoordinator, {"indicators", "--year", "2026", "--format", "json",
                                             "--no-suppression", "--definitions", "1"});
  REQUIRE(v1.code == kExitOk);
  CHECK(nlohmann::json::parse(v1.out)["definitions"]["version"] == "1.0.0");
  const CliRun none =
      ws.As(kDemoCoordinator, {"indicators", "--year", "2026", "--definitions", "9"});
  CHECK(none.code == kExitFailed);
  CHECK(ws.Plain({"indicators", "--year", "2026", "--definitions", "x"}).code == kExitUsage);
}

TEST_CASE("case-system-contacts: set, import a CSV all or nothing, list", "[cli][indicators]") {
  FollowUpWorkspace ws;
  ws.InitDemo();
  const CliRun set = ws.As(kDemoSupervisor, {"case-system-contacts", "set", "--unit", "ifo_vuxen",
                                             "--month", "2026-01", "--contacts", "120"});
  INFO(set.err);
  REQUIRE(set.code == kExitOk);

  const std::filesystem::path good = ws.dir() / "antal.csv";
  {
    std::ofstream out(good);
    out << "enhet;månad;nya_kontakter\nifo_vuxen;2026-02;130\nifo_vuxen;2026-03;1 140\n";
  }
  const CliRun imported = ws.As(kDemoSupervisor, {"case-system-contacts", "import", good.string()});
  INFO(imported.err);
  REQUIRE(imported.code == kExitOk);
  CHECK(Has(imported.out, "2 antal registrerade"));

  // The third line has a bad month and the second would replace a number: nothing changes.
  const std::filesystem::path bad = ws.dir() / "fel.csv";
  {
    std::ofstream out(bad);
    out << "unit,month,contacts\nifo_vuxen,2026-01,999\nifo_vuxen,2026-13,5\n";
  }
  const CliRun refused = ws.As(kDemoSupervisor, {"case-system-contacts", "import", bad.string()});
  CHECK(refused.code == kExitFailed);
  CHECK(Has(refused.err, "CSV line 3"));
  CHECK(Has(refused.err, "inget sparades"));
  // A unit the supervisor does not lead.
  const std::filesystem::path other = ws.dir() / "annan.csv";
  {
    std::ofstream out(other);
    out << "unit,month,contacts\nhemtjanst,2026-01,5\n";
  }
  CHECK(ws.As(kDemoSupervisor, {"case-system-contacts", "import", other.string()}).code ==
        kExitFailed);
  CHECK(ws.As(kDemoCaseworker, {"case-system-contacts", "set", "--unit", "ifo_vuxen", "--month",
                                "2026-04", "--contacts", "1"})
            .code == kExitFailed);

  const CliRun list = ws.As(kDemoCoordinator,
                            {"case-system-contacts", "list", "--year", "2026", "--format", "json"});
  INFO(list.err);
  REQUIRE(list.code == kExitOk);
  const auto rows = nlohmann::json::parse(list.out);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0]["month"] == "2026-01");
  CHECK(rows[0]["contacts"] == 120);
  CHECK(rows[2]["contacts"] == 1140);
  CHECK(rows[1]["recorded_by"] == "demo.arbetsledare");
  const CliRun text = ws.As(kDemoSupervisor, {"case-system-contacts", "list", "--year", "2026"});
  CHECK(Has(text.out, "Nya kontakter"));
  CHECK(Has(text.out, "1140"));
  CHECK(ws.Plain({"case-system-contacts", "set", "--unit", "ifo_vuxen", "--month", "2026-01",
                  "--contacts", "-1"})
            .code == kExitUsage);
}

}  // namespace screening::cli::test
