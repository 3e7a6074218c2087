// The files the CLI creates never follow a symbolic link planted at their name: exports are
// made new (O_EXCL | O_NOFOLLOW), reports replace what is there by a rename from a temporary
// of unpredictable name, and init never makes the database through a link. Synthetic data.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <catch2/catch.hpp>

#include "followup_fixture.h"

namespace screening::cli::test {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A symbolic link planted where the user will write, pointing at a file of someone else's.
struct PlantedLink {
  PlantedLink(const fs::path& dir, const std::string& name) {
    victim = dir / "victim.txt";
    std::ofstream(victim) << "the victim's own content\n";
    link = dir / name;
    fs::create_symlink(victim, link);
  }
  fs::path victim, link;
};

TEST_CASE("export --out never follows a planted symbolic link", "[cli][files]") {
  FollowUpWorkspace ws;
  ws.InitDemo();
  ws.SubmittedFarlighet("T-LINK-1");
  ws.CloseStore();
  PlantedLink planted(ws.dir(), "export.json");
  const CliRun run = ws.As(kDemoCaseworker, {"export", "--out", planted.link.string()});
  CHECK(run.code == kExitFailed);
  CHECK(Has(run.err, "finns redan"));
  CHECK(ReadAll(planted.victim) == "the victim's own content\n");
  CHECK(fs::is_symlink(planted.link));
}

TEST_CASE("indicators --out replaces a planted symbolic link instead of following it",
          "[cli][files]") {
  FollowUpWorkspace ws;
  ws.InitDemo();
  PlantedLink planted(ws.dir(), "report.csv");
  const CliRun run = ws.As(kDemoCoordinator, {"indicators", "--year", "2025", "--format", "csv",
                                              "--out", planted.link.string()});
  INFO(run.err);
  REQUIRE(run.code == kExitOk);
  CHECK(ReadAll(planted.victim) == "the victim's own content\n");
  CHECK_FALSE(fs::is_symlink(planted.link));
  CHECK(Has(ReadAll(planted.link), "\"definitions\""));
  // The temporary had an unpredictable name and is gone (the old one was NAME.tmp-PID).
  CHECK_FALSE(fs::exists(planted.link.string() + ".tmp-" + std::to_string(::getpid())));
  for (const auto& e : fs::directory_iterator(ws.dir())) {
    CHECK(e.path().filename().string().find(".tmp-") == std::string::npos);
  }
  // A link planted at the old predictable temporary name is not written through either.
  PlantedLink old_temp(ws.dir() / "data", "report2.csv.tmp-" + std::to_string(::getpid()));
  const fs::path report2 = ws.dir() / "data" / "report2.csv";
  const CliRun again = ws.As(kDemoCoordinator, {"indicators", "--year", "2025", "--format", "csv",
                                                "--out", report2.string()});
  REQUIRE(again.code == kExitOk);
  CHECK(ReadAll(old_temp.victim) == "the victim's own content\n");
  CHECK(Has(ReadAll(report2), "\"definitions\""));
}

TEST_CASE("init never makes the database through a planted symbolic link", "[cli][files]") {
  FollowUpWorkspace ws;
  fs::create_directories(ws.db().parent_path());
  const fs::path elsewhere = ws.dir() / "elsewhere.db";
  fs::create_symlink(elsewhere, ws.db());  // dangling: "nothing there yet"
  const CliRun run = RunCli({"init", "--password-stdin"},
                            std::string(kFollowUpAdminPassword) + "\n", ws.Env(kFollowUpAdmin));
  CHECK(run.code == kExitFailed);
  CHECK_FALSE(fs::exists(elsewhere));
  CHECK(fs::is_symlink(ws.db()));
}

}  // namespace
}  // namespace screening::cli::test
