// Global options, dispatch, help in both languages and usage errors (exit 2).
#include <sstream>
#include <string>
#include <vector>

#include <screening/version.h>
#include <catch2/catch.hpp>

#include "cli_test_util.h"
#include "commands/cli_support.h"
#include "commands/command.h"

namespace screening::cli::test {
namespace {

std::vector<std::string> Words(const std::string& name) {
  std::vector<std::string> words;
  std::istringstream stream(name);
  std::string word;
  while (stream >> word) words.push_back(word);
  return words;
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("the version option prints the engine version", "[cli]") {
  const CliRun run = RunCli({"--version"});
  CHECK(run.code == kExitOk);
  CHECK(run.out == std::string("screening ") + EngineVersion() + "\n");
  CHECK(run.err.empty());
}

TEST_CASE("top-level help is Swedish by default and English with --lang en", "[cli]") {
  const CliRun sv = RunCli({"--help"});
  CHECK(sv.code == kExitOk);
  CHECK(Contains(sv.out, "Användning: screening"));
  CHECK(Contains(sv.out, "Kommandon:"));
  CHECK(Contains(sv.out, "instruments validate"));
  CHECK(Contains(sv.out, "score"));

  const CliRun en = RunCli({"--lang", "en", "--help"});
  CHECK(en.code == kExitOk);
  CHECK(Contains(en.out, "Usage: screening"));
  CHECK(Contains(en.out, "Commands:"));

  // --lang after --help still chooses the language.
  CHECK(Contains(RunCli({"--help", "--lang", "en"}).out, "Commands:"));
  // $SCREENING_LANG sets the default; --lang wins over it.
  CHECK(Contains(RunCli({"--help"}, "", {{"SCREENING_LANG", "en"}}).out, "Commands:"));
  CHECK(Contains(RunCli({"--lang", "sv", "--help"}, "", {{"SCREENING_LANG", "en"}}).out,
                 "Kommandon:"));
}

TEST_CASE("every command has --help in Swedish and English", "[cli]") {
  const CommandRegistry registry = DefaultRegistry();
  const auto commands = registry.List();
  REQUIRE(commands.size() >= 5);
  for (const Command* command : commands) {
    INFO(command->name());
    std::vector<std::string> args = Words(command->name());
    args.push_back("--help");

    const CliRun sv = RunCli(args);
    CHECK(sv.code == kExitOk);
    CHECK(Contains(sv.out, "Användning: screening " + command->name()));
    CHECK(Contains(sv.out, command->summary("sv")));
    CHECK(Contains(sv.out, "Flaggor:"));

    std::vector<std::string> en_args = {"--lang", "en"};
    en_args.insert(en_args.end(), args.begin(), args.end());
    const CliRun en = RunCli(en_args);
    CHECK(en.code == kExitOk);
    CHECK(Contains(en.out, "Usage: screening " + command->name()));
    CHECK(Contains(en.out, command->summary("en")));
    CHECK(Contains(en.out, "Options:"));

    // The command's own --lang works too.
    args.push_back("--lang");
    args.push_back("en");
    CHECK(Contains(RunCli(args).out, "Usage: screening " + command->name()));
  }
}

TEST_CASE("a group lists its commands", "[cli]") {
  const CliRun help = RunCli({"instruments", "--help"});
  CHECK(help.code == kExitOk);
  CHECK(Contains(help.out, "validate"));
  CHECK(Contains(help.out, "list"));
  CHECK(Contains(help.out, "show"));
  CHECK(Contains(help.out, "doc"));

  const CliRun bare = RunCli({"instruments"});
  CHECK(bare.code == kExitUsage);
  CHECK(Contains(bare.err, "validate"));
}

TEST_CASE("usage errors exit 2 with one message line and a hint", "[cli]") {
  struct Case {
    std::vector<std::string> args;
    std::string expect;  // part of the first error line
  };
  const std::vector<Case> cases = {
      {{}, "ange ett kommando"},
      {{"frobnicate"}, "okänt kommando: frobnicate"},
      {{"--bogus", "score"}, "--bogus"},
      {{"--lang", "fi", "score"}, "--lang"},
      {{"instruments", "frobnicate"}, "okänt kommando: frobnicate"},
      {{"instruments", "validate"}, "FIL"},
      {{"instruments", "list", "--format", "xml"}, "--format: …"},
      {{"instruments", "show"}, "ID"},
      {{"instruments", "show", "a", "b"}, "…"},
      {{"score", "--answers", "-"}, "--instrument"},
      {{"score", "--instrument", "cli_demo"}, "--answers"},
      {{"score", "--instrument", "cli_demo", "--answers", "a", "--batch", "b"}, "--batch"},
      {{"score", "--instrument", "cli_demo", "--batch", "b", "--format", "text"}, "--batch"},
      {{"score", "--instrument", "cli_demo", "--answers", "-", "--format", "xml"}, "--format: …"},
  };
  for (const Case& c : cases) {
    std::string joined;
    for (const auto& arg : c.args) joined += arg + " ";
    INFO(joined);
    const CliRun run = RunCli(c.args);
    CHECK(run.code == kExitUsage);
    CHECK(run.out.empty());
    const auto lines = Lines(run.err);
    REQUIRE(!lines.empty());
    CHECK(Contains(lines.front(), c.expect));
    CHECK(Contains(run.err, "--help"));
  }
}

TEST_CASE("usage errors follow --lang", "[cli]") {
  const CliRun run = RunCli({"--lang", "en", "frobnicate"});
  CHECK(run.code == kExitUsage);
  CHECK(Contains(run.err, "unknown command: frobnicate"));
  CHECK(Contains(run.err, "See 'screening --help'"));
}

TEST_CASE("global --db and --user are accepted", "[cli]") {
  const CliRun run = RunCli({"--db", "/nonexistent/x.db", "--user", "tester", "--version"});
  CHECK(run.code == kExitOk);
}

TEST_CASE("usage errors never repeat a value typed on the command line", "[cli]") {
  // A case reference or free text typed after a mistake must not reach standard error.
  const std::string secret = "VX-2026-HEMLIG";
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"score", "--instrument", "dash", "--no-such-option", secret},
           {"score", "--instrument", "dash", "--format", secret},
           {"score", "--instrument", "dash", "--format=" + secret},
           {"score", "--instrument", "dash", "--threads", secret},
           {"instruments", "list", secret}}) {
    const CliRun run = RunCli(args);
    INFO(run.err);
    CHECK(run.code == kExitUsage);
    CHECK_FALSE(Contains(run.err, secret));
    CHECK_FALSE(Contains(run.err, "HEMLIG"));
    CHECK(Contains(run.err, "--help"));
  }
  // Only whole values are hidden: the words of the message stay readable.
  CHECK(WithoutValues("The following argument was not expected: a", {"a"}) ==
        "The following argument was not expected: …");
  CHECK(WithoutValues("--format: x not in {table,json}", {"--format", "x"}) ==
        "--format: … not in {table,json}");
}

}  // namespace screening::cli::test
