// `score`: one answers document, and --batch over JSON lines.
#include <fstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "cli_test_util.h"
#include "commands/command.h"

namespace screening::cli::test {
namespace {

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

}  // namespace

TEST_CASE("score writes the result JSON", "[cli][score]") {
  TempInstruments temp;
  const std::string answers = temp.Copy("answers_ok.json").string();
  const CliRun run = RunCli({"--instruments", temp.str(), "score", "--instrument", "cli_demo",
                             "--answers", answers, "--format", "json"});
  INFO(run.err);
  REQUIRE(run.code == kExitOk);
  CHECK(Lines(run.out).size() == 1);
  const auto result = nlohmann::json::parse(run.out);
  CHECK(result["id"] == "case-a");
  CHECK(result["instrument"]["id"] == "cli_demo");
  CHECK(result["instrument"]["version"] == "1.2.0");
  CHECK(result["scores"]["yes_count"] == 2);
  CHECK(result["band"] == "high");
  CHECK(result["band_certain"] == true);
  CHECK(result["flags"] == nlohmann::json({"outside_validated_setting"}));
  CHECK(result["recommendations"] ==
        nlohmann::json({"protection_assessment", "support_information"}));

  const CliRun pretty =
      RunCli({"--instruments", temp.str(), "score", "--instrument", "cli_demo@1.2.0", "--answers",
              answers, "--format", "json", "--pretty"});
  REQUIRE(pretty.code == kExitOk);
  CHECK(Lines(pretty.out).size() > 5);
  CHECK(nlohmann::json::parse(pretty.out) == result);
}

TEST_CASE("score reads answers from standard input and writes text", "[cli][score]") {
  TempInstruments temp;
  const std::string answers = ReadAll(CliDataDir() / "answers_ok.json");
  const CliRun sv =
      RunCli({"--instruments", temp.str(), "score", "--instrument", "cli_demo", "--answers", "-"},
             answers);
  INFO(sv.err);
  REQUIRE(sv.code == kExitOk);
  CHECK(!sv.out.empty());
  CHECK(Contains(sv.out, "Hög testnivå"));

  const CliRun en = RunCli({"--instruments", temp.str(), "score", "--instrument", "cli_demo",
                            "--answers", "-", "--lang", "en"},
                           answers);
  REQUIRE(en.code == kExitOk);
  CHECK(Contains(en.out, "High test band"));
}

TEST_CASE("score fails on bad answers, naming the key", "[cli][score]") {
  TempInstruments temp;
  const std::string answers = temp.Copy("answers_bad.json").string();
  const CliRun run = RunCli(
      {"--instruments", temp.str(), "score", "--instrument", "cli_demo", "--answers", answers});
  CHECK(run.code == kExitFailed);
  CHECK(run.out.empty());
  CHECK(Lines(run.err).size() == 1);
  CHECK(Contains(run.err, "q9"));

  const CliRun malformed =
      RunCli({"--instruments", temp.str(), "score", "--instrument", "cli_demo", "--answers", "-"},
             "{\"answers\": ");
  CHECK(malformed.code == kExitFailed);

  const CliRun missing = RunCli({"--instruments", temp.str(), "score", "--instrument", "cli_demo",
                                 "--answers", temp.str() + "/none.json"});
  CHECK(missing.code == kExitFailed);
  CHECK(Contains(missing.err, "none.json"));
}

TEST_CASE("score never echoes answer values in errors", "[cli][score]") {
  TempInstruments temp;
  const CliRun run =
      RunCli({"--instruments", temp.str(), "score", "--instrument", "cli_demo", "--answers", "-"},
             R"({"answers": {"q1": "secret-marker-value"}})");
  CHECK(run.code == kExitFailed);
  CHECK(Contains(run.err, "q1"));
  CHECK(!Contains(run.err, "secret-marker-value"));
}

TEST_CASE("score fails for an unknown instrument", "[cli][score]") {
  TempInstruments temp;
  const CliRun run = RunCli({"--instruments", temp.str(), "--lang", "en", "score", "--instrument",
                             "nosuch", "--answers", "-"},
                            "{}");
  CHECK(run.code == kExitFailed);
  CHECK(Contains(run.err, "unknown instrument: nosuch"));
}

TEST_CASE("score --batch writes one line per input line, errors in place", "[cli][score]") {
  TempInstruments temp;
  const std::string batch = temp.Copy("batch.jsonl").string();
  const CliRun run =
      RunCli({"--instruments", temp.str(), "score", "--instrument", "cli_demo", "--batch", batch});
  CHECK(run.code == kExitFailed);
  const auto lines = Lines(run.out);
  REQUIRE(lines.size() == 3);
  const auto first = nlohmann::json::parse(lines[0]);
  CHECK(first["id"] == "l1");
  CHECK(first["band"] == "low");
  const auto second = nlohmann::json::parse(lines[1]);
  CHECK(second.size() == 2);
  CHECK(second["line"] == 2);
  CHECK(Contains(second["error"].get<std::string>(), "q2"));
  const auto third = nlohmann::json::parse(lines[2]);
  CHECK(third["id"] == "l3");
  CHECK(third["band"] == "high");
  CHECK(Contains(run.err, "1 av 3"));
}

TEST_CASE("score --batch from standard input succeeds when every line does", "[cli][score]") {
  TempInstruments temp;
  std::string input;
  for (int i = 0; i < 1000; ++i) {
    input += R"({"id": "n)" + std::to_string(i) + R"(", "answers": {"q1": ")" +
             (i % 2 == 0 ? "yes" : "no") + "\"}}\r\n";
  }
  const CliRun run = RunCli(
      {"--instruments", temp.str(), "score", "--instrument", "cli_demo", "--batch", "-"}, input);
  INFO(run.err);
  CHECK(run.code == kExitOk);
  const auto lines = Lines(run.out);
  REQUIRE(lines.size() == 1000);
  CHECK(nlohmann::json::parse(lines[999])["id"] == "n999");
  CHECK(run.err.empty());
}

TEST_CASE("score --batch reports empty lines in place", "[cli][score]") {
  TempInstruments temp;
  const CliRun run =
      RunCli({"--instruments", temp.str(), "score", "--instrument", "cli_demo", "--batch", "-"},
             "{\"answers\": {}}\n\n{\"answers\": {}}\n");
  CHECK(run.code == kExitFailed);
  const auto lines = Lines(run.out);
  REQUIRE(lines.size() == 3);
  CHECK(nlohmann::json::parse(lines[1])["line"] == 2);
}

}  // namespace screening::cli::test
