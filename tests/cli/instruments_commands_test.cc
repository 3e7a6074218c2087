// `instruments validate|list|show|doc`.
#include <regex>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "cli_test_util.h"
#include "commands/command.h"

namespace screening::cli::test {
namespace {

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("validate accepts a valid instrument and the vocabulary", "[cli][validate]") {
  TempInstruments temp;
  const std::string demo = (temp.dir() / "cli_demo.textproto").string();
  const std::string vocabulary = (temp.dir() / "vocabulary.textproto").string();
  const CliRun run = RunCli({"instruments", "validate", demo, vocabulary});
  INFO(run.err);
  CHECK(run.code == kExitOk);
  CHECK(run.out == "ok: " + demo + "\nok: " + vocabulary + "\n");
  CHECK(run.err.empty());
}

TEST_CASE("validate reports a syntax error as FILE:LINE:COL", "[cli][validate]") {
  TempInstruments temp;
  const std::string bad = temp.Copy("bad_syntax.textproto").string();
  const CliRun run = RunCli({"instruments", "validate", bad});
  CHECK(run.code == kExitFailed);
  CHECK(run.out.empty());
  // The unknown field `colour` starts line 5, column 1.
  CHECK(Contains(run.err, bad + ":5:1: "));
  CHECK(Contains(run.err, "colour"));
}

TEST_CASE("validate reports every domain error with its place", "[cli][validate]") {
  TempInstruments temp;
  const std::string bad = temp.Copy("bad_domain.textproto").string();
  const CliRun run = RunCli({"--lang", "en", "instruments", "validate", bad});
  CHECK(run.code == kExitFailed);
  const std::regex located("^" +
                           std::regex_replace(bad, std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)") +
                           R"(:\d+:\d+: .+)");
  int located_lines = 0;
  for (const std::string& line : Lines(run.err)) {
    if (std::regex_match(line, located)) ++located_lines;
  }
  // Bad id, bad version, missing provenance and more: several errors, all reported.
  CHECK(located_lines >= 3);
  CHECK(Contains(run.err, ":3:"));  // the id on line 3
  CHECK(Contains(run.err, ":4:"));  // the version on line 4
  CHECK(Contains(run.err, "1 of 1 files have errors"));
}

TEST_CASE("validate checks every file and fails if any fails", "[cli][validate]") {
  TempInstruments temp;
  const std::string good = (temp.dir() / "cli_demo.textproto").string();
  const std::string bad = temp.Copy("bad_syntax.textproto").string();
  const std::string missing = (temp.dir() / "missing.textproto").string();
  const CliRun run = RunCli({"instruments", "validate", bad, good, missing});
  CHECK(run.code == kExitFailed);
  CHECK(run.out == "ok: " + good + "\n");
  CHECK(Contains(run.err, bad + ":5:1:"));
  CHECK(Contains(run.err, missing));
  CHECK(Contains(run.err, "2 av 3 filer har fel"));
}

TEST_CASE("validate finds the vocabulary in the instruments folder", "[cli][validate]") {
  TempInstruments temp;
  TempInstruments other;  // a second folder: its file is validated with --instruments
  std::filesystem::remove(other.dir() / "vocabulary.textproto");
  const std::string demo = (other.dir() / "cli_demo.textproto").string();
  CHECK(RunCli({"--instruments", temp.str(), "instruments", "validate", demo}).code == kExitOk);
  CHECK(RunCli({"--instruments", other.str(), "instruments", "validate", demo}).code ==
        kExitFailed);
}

TEST_CASE("validate checks text overlays against their instrument", "[cli][validate]") {
  TempInstruments temp;
  // Overlays live in a subfolder: every file directly in the folder is an instrument.
  const std::string ok =
      temp.Copy("overlay_ok.textproto", "overlays/overlay_ok.textproto").string();
  const std::string bad =
      temp.Copy("overlay_bad.textproto", "overlays/overlay_bad.textproto").string();
  // The instrument comes from the instruments folder...
  const CliRun from_folder = RunCli({"--instruments", temp.str(), "instruments", "validate", ok});
  INFO(from_folder.err);
  CHECK(from_folder.code == kExitOk);
  CHECK(from_folder.out == "ok: " + ok + "\n");
  // ...or from the same command line, whatever the order.
  const std::string demo = (temp.dir() / "cli_demo.textproto").string();
  const CliRun listed =
      RunCli({"--instruments", "/nonexistent", "instruments", "validate", bad, demo});
  CHECK(listed.code == kExitFailed);
  CHECK(Contains(listed.err, bad));
  CHECK(Contains(listed.err, "q99"));
  CHECK(listed.out == "ok: " + demo + "\n");
}

TEST_CASE("every shipped instrument validates, the archived versions too",
          "[cli][validate][instruments]") {
  std::vector<std::string> args = {"instruments", "validate"};
  int archived = 0;
  for (const auto& folder : {RepoInstrumentsDir(), RepoInstrumentsDir() / "archive"}) {
    for (const auto& entry : std::filesystem::directory_iterator(folder)) {
      if (entry.path().extension() != ".textproto") continue;
      args.push_back(entry.path().string());
      archived += folder.filename() == "archive";
    }
  }
  CHECK(archived == 10);
  // Run from elsewhere: an archived file finds the vocabulary in the folder above archive/.
  const CliRun run = RunCli(args, "", {{"SCREENING_INSTRUMENTS", "/nonexistent"}});
  INFO(run.err);
  CHECK(run.code == kExitOk);
}

TEST_CASE("list offers the current versions, --all marks the archived ones", "[cli][list]") {
  const std::string dir = RepoInstrumentsDir().string();
  const CliRun current = RunCli({"--instruments", dir, "instruments", "list"});
  INFO(current.err);
  REQUIRE(current.code == kExitOk);
  CHECK(Lines(current.out).size() == 11);  // the header and one line per instrument
  CHECK_FALSE(Contains(current.out, "arkiverad"));
  for (const std::string& line : Lines(current.out)) {
    INFO(line);
    if (line.rfind("dash ", 0) == 0) CHECK(Contains(line, "checklista med regel"));
    if (line.rfind("lap ", 0) == 0) CHECK(Contains(line, "screening med regel"));
    if (line.rfind("odara ", 0) == 0) CHECK(Contains(line, "aktuariellt"));
  }
  CHECK_FALSE(Contains(current.out, "1.0.0"));

  const CliRun every = RunCli({"--instruments", dir, "instruments", "list", "--all"});
  REQUIRE(every.code == kExitOk);
  CHECK(Lines(every.out).size() == 21);
  int marked = 0;
  for (const std::string& line : Lines(every.out)) {
    if (!Contains(line, "[arkiverad]")) continue;
    ++marked;
    INFO(line);
    CHECK(Contains(line, " 1.0.0 "));
  }
  CHECK(marked == 10);

  const CliRun json =
      RunCli({"--instruments", dir, "instruments", "list", "--all", "--format", "json"});
  REQUIRE(json.code == kExitOk);
  const auto list = nlohmann::json::parse(json.out);
  REQUIRE(list.size() == 20);
  for (const auto& entry : list) {
    INFO(entry.dump());
    CHECK(entry["archived"].get<bool>() == (entry["version"] == "1.0.0"));
    if (entry["id"] == "dash")
      CHECK(entry["kind"] == (entry["archived"] ? "actuarial" : "rule_based"));
  }
  // Without --all, JSON lists the current versions, each marked as not archived.
  const auto offered = nlohmann::json::parse(
      RunCli({"--instruments", dir, "instruments", "list", "--format", "json"}).out);
  CHECK(offered.size() == 10);
  for (const auto& entry : offered) CHECK_FALSE(entry["archived"].get<bool>());
}

TEST_CASE(
    "show and doc name an archived version, skydd's levels and the provenance in the "
    "chosen language",
    "[cli][show]") {
  const std::string dir = RepoInstrumentsDir().string();
  const CliRun archived = RunCli({"--instruments", dir, "instruments", "show", "skydd@1.0.0"});
  INFO(archived.err);
  REQUIRE(archived.code == kExitOk);
  CHECK(Contains(archived.out, "Arkiverad version"));
  CHECK(Contains(archived.out, "bara på engelska"));
  CHECK(Contains(archived.out, "No single instrument."));

  const CliRun current = RunCli({"--instruments", dir, "instruments", "show", "skydd"});
  REQUIRE(current.code == kExitOk);
  CHECK_FALSE(Contains(current.out, "Arkiverad version"));
  CHECK(Contains(current.out, "low (Svagt skydd), medium (Måttligt skydd), high (Starkt skydd)"));
  CHECK(Contains(current.out, "Inget enskilt instrument."));
  CHECK_FALSE(Contains(current.out, "No single instrument."));

  const CliRun doc = RunCli({"--instruments", dir, "instruments", "doc", "skydd"});
  REQUIRE(doc.code == kExitOk);
  CHECK(Contains(doc.out, "Svagt skydd (`low`), Måttligt skydd (`medium`), Starkt skydd (`high`)"));
  CHECK(Contains(doc.out, "**Förebild:** Inget enskilt instrument."));
  CHECK_FALSE(Contains(doc.out, "står bara på engelska"));
  const CliRun doc_en =
      RunCli({"--instruments", dir, "--lang", "en", "instruments", "doc", "skydd"});
  REQUIRE(doc_en.code == kExitOk);
  CHECK(Contains(doc_en.out, "**Modelled on:** No single instrument."));
  CHECK(Contains(doc_en.out, "Weak protection (`low`)"));

  // The yes/no labels of farlighet q3a are listed with their codes.
  const CliRun farlighet = RunCli({"--instruments", dir, "instruments", "doc", "farlighet"});
  REQUIRE(farlighet.code == kExitOk);
  CHECK(Contains(farlighet.out,
                 "Ja, vi har aldrig bott tillsammans (`yes`); Nej, vi har bott "
                 "tillsammans (`no`)"));
  const CliRun old_doc = RunCli({"--instruments", dir, "instruments", "doc", "farlighet@1.0.0"});
  REQUIRE(old_doc.code == kExitOk);
  CHECK(Contains(old_doc.out, "Arkiverad version"));
  CHECK(Contains(old_doc.out, "står bara på engelska"));
}

TEST_CASE("list shows the instruments as a table and as JSON", "[cli][list]") {
  TempInstruments temp;
  const CliRun table = RunCli({"--instruments", temp.str(), "instruments", "list"});
  INFO(table.err);
  REQUIRE(table.code == kExitOk);
  const auto lines = Lines(table.out);
  REQUIRE(lines.size() == 2);
  CHECK(Contains(lines[0], "ID"));
  CHECK(Contains(lines[0], "TITEL"));
  CHECK(Contains(lines[1], "cli_demo"));
  CHECK(Contains(lines[1], "1.2.0"));
  CHECK(Contains(lines[1], "aktuariellt"));
  CHECK(Contains(lines[1], "Testinstrument för kommandoraden"));

  const CliRun json = RunCli(
      {"--instruments", temp.str(), "--lang", "en", "instruments", "list", "--format", "json"});
  REQUIRE(json.code == kExitOk);
  const auto list = nlohmann::json::parse(json.out);
  REQUIRE(list.size() == 1);
  CHECK(list[0]["id"] == "cli_demo");
  CHECK(list[0]["version"] == "1.2.0");
  CHECK(list[0]["kind"] == "actuarial");
  CHECK(list[0]["target_group"] == "adult_victim");
  CHECK(list[0]["title"] == "Test instrument for the command line");
  CHECK(list[0]["sha256"].get<std::string>().size() == 64);
  // The table shows the start of the same hash.
  CHECK(Contains(lines[1], list[0]["sha256"].get<std::string>().substr(0, 12)));
}

TEST_CASE("list fails with the diagnostics when the folder has a broken file", "[cli][list]") {
  TempInstruments temp;
  const std::string bad = temp.Copy("bad_syntax.textproto").string();
  const CliRun run = RunCli({"--instruments", temp.str(), "instruments", "list"});
  CHECK(run.code == kExitFailed);
  CHECK(Contains(run.err, "bad_syntax.textproto:5:1:"));
}

TEST_CASE("the instruments folder comes from $SCREENING_INSTRUMENTS", "[cli][list]") {
  TempInstruments temp;
  const CliRun run = RunCli({"instruments", "list", "--format", "json"}, "",
                            {{"SCREENING_INSTRUMENTS", temp.str()}});
  REQUIRE(run.code == kExitOk);
  CHECK(nlohmann::json::parse(run.out).size() == 1);
}

TEST_CASE("show renders the definition as text and JSON", "[cli][show]") {
  TempInstruments temp;
  const CliRun sv = RunCli({"--instruments", temp.str(), "instruments", "show", "cli_demo"});
  INFO(sv.err);
  REQUIRE(sv.code == kExitOk);
  for (const char* part :
       {"cli_demo 1.2.0: Testinstrument för kommandoraden", "Avsnitt main", "q1  ja/nej",
        "Hjälptext ett.", "yes (ja)", "blue (Blå)", "heltal 0..9", "yes_count = count(yes, q1..q3)",
        "low  0..1", "high  2..3", "outside_validated_setting", "protection_assessment",
        "samma dag, senast nästa dag", "sol_protection_assessment",
        "Ursprung:", "Egna formuleringar: ja", "Bara för test."}) {
    INFO(part);
    CHECK(Contains(sv.out, part));
  }

  const CliRun en = RunCli(
      {"--instruments", temp.str(), "instruments", "show", "cli_demo@1.2.0", "--lang", "en"});
  REQUIRE(en.code == kExitOk);
  CHECK(Contains(en.out, "Test instrument for the command line"));
  CHECK(Contains(en.out, "Provenance:"));

  const CliRun json =
      RunCli({"--instruments", temp.str(), "instruments", "show", "cli_demo", "--format", "json"});
  REQUIRE(json.code == kExitOk);
  const auto document = nlohmann::json::parse(json.out);
  CHECK(document["id"] == "cli_demo");
  CHECK(document["sha256"].get<std::string>().size() == 64);
  CHECK(document["definition"]["sections"][0]["items"][0]["id"] == "q1");
  CHECK(document["items"][0]["codes"] == nlohmann::json({"yes", "no", "unknown"}));
}

TEST_CASE("show and doc fail for an unknown instrument or version", "[cli][show]") {
  TempInstruments temp;
  for (const std::string ref : {"nosuch", "cli_demo@9.9.9"}) {
    for (const std::string command : {"show", "doc"}) {
      const CliRun run = RunCli({"--instruments", temp.str(), "instruments", command, ref});
      CHECK(run.code == kExitFailed);
      CHECK(Contains(run.err, "okänt instrument: " + ref));
    }
  }
}

TEST_CASE("doc writes a Markdown description in both languages", "[cli][doc]") {
  TempInstruments temp;
  const CliRun sv = RunCli({"--instruments", temp.str(), "instruments", "doc", "cli_demo"});
  INFO(sv.err);
  REQUIRE(sv.code == kExitOk);
  for (const char* part :
       {"# Testinstrument för kommandoraden (`cli_demo` 1.2.0)", "## Syfte", "## Frågor",
        "### Frågor", "- **q1** Testfråga ett?", "Blå (`blue`)", "## Hur resultatet bildas",
        "| `low` | 0–1 |", "## Vad som är verifierat", "## Validerad miljö", "## Källa och licens",
        "## Om formuleringarna", "projektets egna ord"}) {
    INFO(part);
    CHECK(Contains(sv.out, part));
  }
  const CliRun en =
      RunCli({"--instruments", temp.str(), "instruments", "doc", "cli_demo", "--lang", "en"});
  REQUIRE(en.code == kExitOk);
  CHECK(Contains(en.out, "# Test instrument for the command line"));
  CHECK(Contains(en.out, "## How the result is formed"));
  CHECK(Contains(en.out, "## About the wording"));
}

}  // namespace screening::cli::test
