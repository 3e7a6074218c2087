// `resources`: the support-resource directory for a person's role, with no database.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "followup_fixture.h"

namespace screening::cli::test {
namespace {

std::vector<std::string> Ids(const std::string& json) {
  std::vector<std::string> ids;
  for (const auto& r : nlohmann::json::parse(json)) ids.push_back(r["id"]);
  return ids;
}

}  // namespace

TEST_CASE("resources lists the whole directory without a database", "[cli][resources]") {
  FollowUpWorkspace ws;
  CliRun run = ws.Plain({"resources"});
  INFO(run.err);
  REQUIRE(run.code == kExitOk);
  CHECK(Has(run.out, "Kvinnofridslinjen"));
  CHECK(Has(run.out, "020-50 50 50"));
  CHECK(Has(run.out, "Telefon: "));
  CHECK(Has(run.out, "[valj_att_sluta]"));
  // Terrafem's opening hours are not verified and say so.
  CHECK(Has(run.out, "Öppet: okänt"));
  CliRun en = ws.Plain({"resources", "--lang", "en"});
  REQUIRE(en.code == kExitOk);
  CHECK(Has(en.out, "Phone: "));
  CHECK((Has(en.out, "Around the clock") || Has(en.out, "around the clock")));
}

TEST_CASE("resources for a role end with 112, 114 14 and social services", "[cli][resources]") {
  FollowUpWorkspace ws;
  for (const char* role : {"adult_victim", "child", "perpetrator"}) {
    INFO(role);
    CliRun run = ws.Plain({"resources", "--for", role, "--format", "json"});
    REQUIRE(run.code == kExitOk);
    const auto ids = Ids(run.out);
    REQUIRE(ids.size() >= 3);
    CHECK(ids[ids.size() - 3] == "emergency_112");
    CHECK(ids[ids.size() - 2] == "police_114_14");
    CHECK(ids.back() == "harnosand_social_services");
  }
  const auto perpetrator =
      Ids(ws.Plain({"resources", "--for", "perpetrator", "--format", "json"}).out);
  CHECK(perpetrator.front() == "valj_att_sluta");
  CHECK(std::find(perpetrator.begin(), perpetrator.end(), "kvinnofridslinjen") ==
        perpetrator.end());
  const auto child = Ids(ws.Plain({"resources", "--for", "child", "--format", "json"}).out);
  CHECK(child.front() == "bris");
  CliRun text = ws.Plain({"resources", "--for", "child"});
  CHECK(Has(text.out, "Stöd för "));
}

TEST_CASE("resources --tag narrows the list and the JSON carries verification",
          "[cli][resources]") {
  FollowUpWorkspace ws;
  CliRun run = ws.Plain({"resources", "--tag", "children_line", "--format", "json"});
  REQUIRE(run.code == kExitOk);
  const auto list = nlohmann::json::parse(run.out);
  REQUIRE(list.size() == 1);
  CHECK(list[0]["id"] == "bris");
  CHECK(list[0].contains("phone_verified"));
  CHECK(list[0].contains("hours_verified"));
  CHECK(list[0]["target_roles"] == nlohmann::json::array({"child"}));
}

TEST_CASE("resources usage errors and help", "[cli][resources]") {
  FollowUpWorkspace ws;
  CHECK(ws.Plain({"resources", "--for", "neighbour"}).code == kExitUsage);
  CliRun tag = ws.Plain({"resources", "--tag", "no_such_tag"});
  CHECK(tag.code == kExitUsage);
  CHECK(Has(tag.err, "no_such_tag"));
  CHECK(ws.Plain({"resources", "--format", "csv"}).code == kExitUsage);
  CliRun sv = ws.Plain({"resources", "--help"});
  CliRun en = ws.Plain({"resources", "--help", "--lang", "en"});
  CHECK(sv.code == kExitOk);
  CHECK(Has(sv.out, "resurskatalogen"));
  CHECK(Has(en.out, "resource directory"));
}

TEST_CASE("legal cites the act in force on the record's date", "[cli][legal]") {
  FollowUpWorkspace ws;
  CliRun old = ws.Plain({"legal", "sol_report_of_concern", "--date", "2025-06-30"});
  INFO(old.err);
  REQUIRE(old.code == kExitOk);
  CHECK(Has(old.out, "Socialtjänstlag (2001:453) 14 kap. 1 § (ej verifierad)"));
  CliRun now = ws.Plain({"legal", "sol_report_of_concern", "--date", "2025-07-01"});
  REQUIRE(now.code == kExitOk);
  CHECK(Has(now.out, "Socialtjänstlag (2025:400), paragraf ej verifierad"));
  CHECK_FALSE(Has(now.out, "14 kap."));
  CliRun json = ws.Plain({"legal", "--format", "json", "--lang", "en", "--date", "2022-10-31"});
  REQUIRE(json.code == kExitOk);
  const auto doc = nlohmann::json::parse(json.out);
  bool hslf = false;
  for (const auto& r : doc["references"]) {
    if (r["id"] == "hslf_fs_2022_39") hslf = r["number"] == "SOSFS 2014:4";
  }
  CHECK(hslf);
  CHECK(ws.Plain({"legal", "--date", "30/06/2025"}).code == kExitUsage);
  CliRun unknown = ws.Plain({"legal", "no_such_ref"});
  CHECK(unknown.code == kExitFailed);
  CHECK(Has(unknown.err, "no_such_ref"));
}

}  // namespace screening::cli::test
