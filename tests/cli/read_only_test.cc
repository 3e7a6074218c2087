// `check --read-only` and `audit verify --read-only` leave an evidence copy (0400) byte for
// byte as it was: no -wal, no -shm, no event, not even for a refused login. Synthetic data.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "followup_fixture.h"

namespace screening::cli::test {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::set<std::string> Names(const fs::path& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename().string());
  return out;
}

TEST_CASE("check and audit verify --read-only leave an evidence copy unchanged",
          "[cli][readonly]") {
  FollowUpWorkspace ws;
  ws.InitDemo();
  ws.SubmittedFarlighet("T-EVID-1");
  ws.CloseStore();
  // A closed database (the last connection removed its -wal), copied and made 0400.
  const fs::path folder = ws.dir() / "evidence";
  fs::create_directories(folder);
  const fs::path copy = folder / "screening.db";
  fs::copy_file(ws.db(), copy);
  fs::permissions(copy, fs::perms::owner_read, fs::perm_options::replace);
  const std::string before = ReadAll(copy);
  struct stat st_before {};
  REQUIRE(::stat(copy.c_str(), &st_before) == 0);

  for (const std::vector<std::string>& command :
       {std::vector<std::string>{"check", "--read-only"},
        std::vector<std::string>{"audit", "verify", "--read-only"},
        std::vector<std::string>{"check", "--read-only", "--format", "json"}}) {
    std::vector<std::string> args = {"--db", copy.string()};
    args.insert(args.end(), command.begin(), command.end());
    const CliRun run = ws.AsAdmin(args);
    INFO(command[0] << ": " << run.err);
    CHECK(run.code == kExitOk);
    CHECK((Has(run.out, "ok: ") || Has(run.out, "\"ok\": true")));
    CHECK(ReadAll(copy) == before);
    CHECK(Names(folder) == std::set<std::string>{"screening.db"});
  }
  // A refused login writes nothing either (no failure count, no event).
  const CliRun wrong = RunCli({"--db", copy.string(), "check", "--read-only", "--password-stdin"},
                              "a wrong synthetic password\n", ws.Env(kFollowUpAdmin));
  CHECK(wrong.code == kExitFailed);
  CHECK(ReadAll(copy) == before);
  CHECK(Names(folder) == std::set<std::string>{"screening.db"});
  struct stat st_after {};
  REQUIRE(::stat(copy.c_str(), &st_after) == 0);
  CHECK(st_after.st_mtim.tv_sec == st_before.st_mtim.tv_sec);
  CHECK(st_after.st_mtim.tv_nsec == st_before.st_mtim.tv_nsec);
  CHECK((st_after.st_mode & 0777) == 0400);
}

TEST_CASE("check --read-only refuses a database with a write-ahead log beside it",
          "[cli][readonly]") {
  FollowUpWorkspace ws;
  ws.InitDemo();
  (void)ws.Login(kDemoCaseworker);  // an open connection and a write: the -wal file has it
  const CliRun run = ws.AsAdmin({"check", "--read-only"});
  CHECK(run.code == kExitFailed);
  CHECK(Has(run.err, "-wal"));
}

}  // namespace
}  // namespace screening::cli::test
