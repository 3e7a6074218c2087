// `screening indicators` in-process: periods and usage errors, every format, --out, access,
// --no-suppression, the threshold, both languages. The database is made through the library
// in a temporary folder (synthetic data, a fixed clock in 2025).
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <screening/registry.h>
#include <screening/store.h>
#include <nlohmann/json.hpp>

#include <catch2/catch.hpp>

#include "cli_test_util.h"
#include "commands/command.h"

namespace screening::cli::test {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPass = "synthetic indicator pass";

class Fixed : public Clock {
 public:
  std::int64_t NowUnix() const override { return now; }
  std::int64_t now = 1748772000;  // 2025-06-01T10:00:00Z
};

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A database with a coordinator (olle), a supervisor of ifo_vuxen (sara), a caseworker (kim)
// and 2025 contacts on 20 May: ifo_vuxen 7 (5 disclosed, 2 not asked), bistand 6 not
// disclosed; in each of the five disclosed cases an adult subjected to violence with a
// disability recorded.
class Workspace {
 public:
  Workspace() {
    std::string pattern = (fs::temp_directory_path() / "screening-indicators-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    auto registry = Registry::LoadDirectory(RepoInstrumentsDir(), nullptr);
    REQUIRE(registry.ok());
    StoreOptions options;
    options.password_cost = 0;
    options.audit_key_file = dir_ / "audit.key";
    options.clock = std::make_shared<Fixed>();
    auto store = CreateSqliteStore(db(), *registry, "ada", kPass, options);
    REQUIRE(store.ok());
    Store& s = **store;
    const Actor ada = *s.Login("ada", kPass);
    for (const char* unit : {"ifo_vuxen", "bistand"}) REQUIRE(s.AddUnit(ada, unit).ok());
    REQUIRE(AddUserReady(s, ada, "olle", Role::kCoordinator, {}, kPass).ok());
    REQUIRE(AddUserReady(s, ada, "sara", Role::kSupervisor, {"ifo_vuxen"}, kPass).ok());
    REQUIRE(AddUserReady(s, ada, "kim", Role::kCaseworker, {"ifo_vuxen", "bistand"}, kPass).ok());
    const Actor kim = *s.Login("kim", kPass);
    auto contact = [&](const std::string& unit, const std::string& ref, const std::string& outcome,
                       const std::string& reason) {
      ContactInput c;
      c.unit = unit;
      c.case_ref = ref;
      c.contact_date = "2025-05-20";
      c.outcome = outcome;
      c.not_asked_reason = reason;
      REQUIRE(s.AddContact(kim, c).ok());
    };
    for (int i = 0; i < 5; ++i) {
      contact("ifo_vuxen", "V" + std::to_string(i), "disclosed", "");
      SubjectInput person;
      person.unit = "ifo_vuxen";
      person.case_ref = "V" + std::to_string(i);
      person.role = "adult_victim";
      person.vulnerable_groups = {"disability"};
      REQUIRE(s.AddSubject(kim, person).ok());
    }
    contact("ifo_vuxen", "V5", "not_asked", "not_alone");
    contact("ifo_vuxen", "V6", "not_asked", "acute_crisis");
    for (int i = 0; i < 6; ++i) contact("bistand", "B" + std::to_string(i), "not_disclosed", "");
  }
  ~Workspace() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;

  fs::path db() const { return dir_ / "data" / "screening.db"; }
  const fs::path& dir() const { return dir_; }

  CliRun As(const std::string& user, std::vector<std::string> args) const {
    args.push_back("--password-stdin");
    return RunCli(args, std::string(kPass) + "\n",
                  {{"SCREENING_PASSWORD_COST", "0"},
                   {"SCREENING_AUDIT_KEY", (dir_ / "audit.key").string()},
                   {"SCREENING_INSTRUMENTS", RepoInstrumentsDir().string()},
                   {"SCREENING_DB", db().string()},
                   {"SCREENING_USER", user}});
  }

 private:
  fs::path dir_;
};

Workspace& Shared() {
  static Workspace w;
  return w;
}

nlohmann::json Cell(const nlohmann::json& report, const std::string& table, const std::string& row,
                    const std::string& column) {
  for (const auto& t : report["tables"]) {
    if (t["id"] != table) continue;
    for (const auto& r : t["rows"]) {
      if (r["id"] == row) return r["cells"][column];
    }
  }
  FAIL("no cell " << table << "/" << row << "/" << column);
  return nullptr;
}

TEST_CASE("indicators: exactly one period, in a form the command knows", "[cli][indicators]") {
  Workspace& w = Shared();
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"indicators"},
           {"indicators", "--year", "2025", "--month", "2025-03"},
           {"indicators", "--from", "2025-01-01"},
           {"indicators", "--quarter", "2025Q5"},
           {"indicators", "--month", "2025-3"},
           {"indicators", "--year", "25"},
           {"indicators", "--from", "2025-02-01", "--to", "2025-01-01"},
           {"indicators", "--year", "2025", "--format", "pdf"},
           {"indicators", "--year", "2025", "--threshold", "1"}}) {
    CliRun run = w.As("olle", args);
    INFO(run.err);
    CHECK(run.code == kExitUsage);
    CHECK(Lines(run.err).size() <= 2);
  }
}

TEST_CASE("indicators: the coordinator's JSON, suppressed by default", "[cli][indicators]") {
  Workspace& w = Shared();
  CliRun run = w.As("olle", {"indicators", "--year", "2025", "--format", "json"});
  INFO(run.err);
  REQUIRE(run.code == kExitOk);
  const auto json = nlohmann::json::parse(run.out);
  CHECK(json["definitions"]["id"] == "action_plan_2020");
  CHECK(json["period"]["from"] == "2025-01-01");
  CHECK(json["suppression"]["applied"] == true);
  CHECK(Cell(json, "contacts", "ifo", "contacts") == 7);
  CHECK(Cell(json, "contacts", "ifo", "not_asked") == nlohmann::json{{"suppressed", true}});
  // 7 contacts = asked + not asked (2, hidden), so asked is hidden too; asked = disclosed + 0
  // + 0, so disclosed as well, or the 2 could be recovered by subtraction.
  CHECK(Cell(json, "contacts", "ifo", "asked") == nlohmann::json{{"suppressed", true}});
  CHECK(Cell(json, "contacts", "ifo", "disclosed") == nlohmann::json{{"suppressed", true}});
  CHECK(Cell(json, "contacts", "bistand", "not_disclosed") == 6);
  CHECK(Cell(json, "contacts", "total", "contacts") == 13);
  CHECK(Cell(json, "disclosure_cases", "cases", "cases") == 5);

  // A quarter and a month of the same data; a month without contacts.
  run = w.As("olle", {"indicators", "--quarter", "2025Q2", "--format", "json"});
  REQUIRE(run.code == kExitOk);
  CHECK(Cell(nlohmann::json::parse(run.out), "contacts", "total", "contacts") == 13);
  run = w.As("olle", {"indicators", "--month", "2025-04", "--format", "json"});
  REQUIRE(run.code == kExitOk);
  CHECK(Cell(nlohmann::json::parse(run.out), "contacts", "total", "contacts") == 0);
  run = w.As("olle", {"indicators", "--from", "2025-05-20", "--to", "2025-05-20", "--format",
                      "json", "--unit", "bistand"});
  REQUIRE(run.code == kExitOk);
  CHECK(Cell(nlohmann::json::parse(run.out), "contacts", "total", "contacts") == 6);
}

TEST_CASE("indicators: --no-suppression is the coordinator's, --threshold moves the limit",
          "[cli][indicators]") {
  Workspace& w = Shared();
  CliRun run =
      w.As("olle", {"indicators", "--year", "2025", "--format", "json", "--no-suppression"});
  INFO(run.err);
  REQUIRE(run.code == kExitOk);
  auto json = nlohmann::json::parse(run.out);
  CHECK(json["suppression"]["applied"] == false);
  CHECK(Cell(json, "contacts", "ifo", "not_asked") == 2);
  CHECK(Cell(json, "not_asked", "acute_crisis", "contacts") == 1);

  run = w.As("olle", {"indicators", "--year", "2025", "--format", "json", "--threshold", "2"});
  REQUIRE(run.code == kExitOk);
  json = nlohmann::json::parse(run.out);
  CHECK(Cell(json, "contacts", "ifo", "not_asked") == 2);
  CHECK(Cell(json, "not_asked", "acute_crisis", "contacts") ==
        nlohmann::json{{"suppressed", true}});

  run = w.As("sara", {"indicators", "--year", "2025", "--no-suppression"});
  CHECK(run.code == kExitFailed);
  CHECK(Has(run.err, "screening indicators:"));
  CHECK(Lines(run.err).size() == 1);
}

TEST_CASE("indicators: a supervisor sees their unit, a caseworker nothing", "[cli][indicators]") {
  Workspace& w = Shared();
  CliRun run = w.As("sara", {"indicators", "--year", "2025", "--format", "json"});
  INFO(run.err);
  REQUIRE(run.code == kExitOk);
  const auto json = nlohmann::json::parse(run.out);
  CHECK(json["units"] == nlohmann::json::array({"ifo_vuxen"}));
  CHECK(Cell(json, "contacts", "bistand", "contacts") == 0);
  run = w.As("sara", {"indicators", "--year", "2025", "--unit", "bistand"});
  CHECK(run.code == kExitFailed);
  run = w.As("kim", {"indicators", "--year", "2025"});
  CHECK(run.code == kExitFailed);
  CHECK(run.out.empty());
}

TEST_CASE("indicators: table, CSV and HTML, to the terminal or a file", "[cli][indicators]") {
  Workspace& w = Shared();
  CliRun run = w.As("olle", {"indicators", "--year", "2025"});
  INFO(run.err);
  REQUIRE(run.code == kExitOk);
  CHECK(Has(run.out, "Våld i nära relationer – indikatorer för handlingsplanen"));
  CHECK(Has(run.out, "Nya kontakter och rutinfrågan om våld"));
  CHECK(Has(run.out, "action_plan_2020 1.0.0"));
  CHECK(Has(run.out, "<5"));
  run = w.As("olle", {"indicators", "--year", "2025", "--lang", "en"});
  REQUIRE(run.code == kExitOk);
  CHECK(Has(run.out, "New contacts and the routine question about violence"));
  CHECK(Has(run.out, "Data up to and including"));

  run = w.As("olle", {"indicators", "--year", "2025", "--format", "csv"});
  REQUIRE(run.code == kExitOk);
  CHECK(Lines(run.out).front().rfind("\"definitions\",\"version\",", 0) == 0);
  CHECK(Has(run.out, "\"contacts\",\"Nya kontakter och rutinfrågan om våld\",\"ifo\""));

  const fs::path out = w.dir() / "report.html";
  run = w.As("olle", {"indicators", "--year", "2025", "--format", "html", "--out", out.string()});
  REQUIRE(run.code == kExitOk);
  CHECK(run.out.empty());
  CHECK(Has(run.err, out.string()));
  std::ifstream in(out);
  std::stringstream html;
  html << in.rdbuf();
  CHECK(html.str().rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(Has(html.str(), "<svg"));
  run = w.As("olle", {"indicators", "--year", "2025", "--format", "html", "--out",
                      (w.dir() / "no" / "such" / "folder.html").string()});
  CHECK(run.code == kExitFailed);
}

// The line of `text` that starts with `label`, or "".
std::string LineOf(const std::string& text, const std::string& label) {
  for (const auto& line : Lines(text)) {
    if (line.rfind(label, 0) == 0) return line;
  }
  return "";
}

TEST_CASE(
    "indicators: vulnerable groups only for a whole month, quarter or year that has ended, "
    "in the text output",
    "[cli][indicators]") {
  Workspace& w = Shared();
  const std::string note =
      "  Räknas inte: bara hela månader, kvartal eller år som har tagit slut. Perioden är inte "
      "en hel månad, ett helt kvartal eller ett helt år.";
  // Two periods a day apart: both would count the five people with a disability (above the
  // threshold), so their difference would single out whoever was in contact on 19 May.
  for (const char* from : {"2025-05-19", "2025-05-20"}) {
    CliRun run = w.As("olle", {"indicators", "--from", from, "--to", "2025-05-31"});
    INFO(run.err);
    REQUIRE(run.code == kExitOk);
    const std::string row = LineOf(run.out, "Funktionsvariation");
    CHECK(row.size() > std::string("Funktionsvariation").size());
    CHECK(row.substr(row.size() - std::string("räknas inte").size()) == "räknas inte");
    CHECK(Has(run.out, note));
    // The rest of the report is counted.
    CHECK(Has(LineOf(run.out, "Våldsutsatt vuxen"), "5"));
  }
  // May has ended (the data were recorded on 1 June 2025): counted.
  CliRun run = w.As("olle", {"indicators", "--month", "2025-05"});
  REQUIRE(run.code == kExitOk);
  const std::string row = LineOf(run.out, "Funktionsvariation");
  CHECK(row.back() == '5');
  CHECK_FALSE(Has(run.out, "Räknas inte: bara hela"));
  // The year 2025 seen from a cut-off inside it; in English.
  run = w.As("olle",
             {"indicators", "--year", "2025", "--cutoff", "2025-06-01T10:00:00Z", "--lang", "en"});
  REQUIRE(run.code == kExitOk);
  const std::string en_row = LineOf(run.out, "Disability");
  CHECK(en_row.substr(en_row.size() - std::string("not counted").size()) == "not counted");
  CHECK(Has(run.out,
            "  Not counted: only whole months, quarters or years that have ended. The period had "
            "not ended at the cut-off."));
}

TEST_CASE("indicators: help in Swedish and English", "[cli][indicators]") {
  CliRun run = RunCli({"indicators", "--help"});
  REQUIRE(run.code == kExitOk);
  CHECK(Has(run.out, "--year"));
  CHECK(Has(run.out, "--no-suppression"));
  CHECK(Has(run.out, "Indikatorer för handlingsplanen"));
  run = RunCli({"indicators", "--help", "--lang", "en"});
  REQUIRE(run.code == kExitOk);
  CHECK(Has(run.out, "Indicators of the action plan"));
}

}  // namespace
}  // namespace screening::cli::test
