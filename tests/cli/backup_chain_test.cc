// `backup` refuses a broken audit chain unless --allow-broken-chain is given; the backup is
// then marked, and `restore` refuses it unless told the same. Synthetic data only.
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "followup_fixture.h"

namespace screening::cli::test {
namespace {

namespace fs = std::filesystem;

// Runs SQL on the database file directly, as someone with the file could.
void RawExec(const fs::path& db, const std::string& sql) {
  sqlite3* h = nullptr;
  REQUIRE(sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
  char* error = nullptr;
  const int rc = sqlite3_exec(h, sql.c_str(), nullptr, nullptr, &error);
  INFO((error ? error : ""));
  sqlite3_free(error);
  sqlite3_close(h);
  REQUIRE(rc == SQLITE_OK);
}

// Changes audit event `seq` with the append-only trigger dropped and put back as it was.
void BreakChainAt(const fs::path& db, int seq) {
  RawExec(db, "DROP TRIGGER audit_no_update; UPDATE audit SET user_name = 'x' WHERE seq = " +
                  std::to_string(seq) +
                  "; CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit\n"
                  "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END");
}

TEST_CASE("backup refuses a broken audit chain unless told, and restore needs the same",
          "[cli][backup]") {
  FollowUpWorkspace ws;
  ws.InitDemo();
  BreakChainAt(ws.db(), 3);
  const fs::path key = ws.dir() / "backup.key";
  {
    std::ofstream out(key, std::ios::binary);
    out << std::string(32, 'k');
  }
  fs::permissions(key, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
  const fs::path backup = ws.dir() / "cases.bak";

  CliRun refused = ws.AsAdmin({"backup", backup.string(), "--key-file", key.string()});
  INFO(refused.err);
  CHECK(refused.code == kExitFailed);
  CHECK(Has(refused.err, "event 3"));
  CHECK(Has(refused.err, "--allow-broken-chain"));
  CHECK_FALSE(fs::exists(backup));

  CliRun made =
      ws.AsAdmin({"backup", backup.string(), "--key-file", key.string(), "--allow-broken-chain"});
  INFO(made.err);
  REQUIRE(made.code == kExitOk);
  REQUIRE(fs::exists(backup));

  const fs::path target = ws.dir() / "restored.db";
  CliRun no =
      ws.Plain({"restore", backup.string(), "--to", target.string(), "--key-file", key.string()});
  CHECK(no.code == kExitFailed);
  CHECK(Has(no.err, "broken at event 3"));
  CHECK(Has(no.err, "--allow-broken-chain"));
  CHECK_FALSE(fs::exists(target));

  CliRun yes = ws.Plain({"restore", backup.string(), "--to", target.string(), "--key-file",
                         key.string(), "--allow-broken-chain"});
  INFO(yes.err);
  CHECK(yes.code == kExitOk);
  CHECK(fs::exists(target));
  CHECK_FALSE(Has(yes.out, "verifierad"));
  // The restored database says what it is: check finds the broken event.
  CliRun check = ws.AsAdmin({"--db", target.string(), "check", "--format", "json"});
  CHECK(check.code == kExitFailed);
  const auto json = nlohmann::json::parse(check.out, nullptr, false);
  REQUIRE(json.is_object());
  CHECK(json["first_bad_seq"] == 3);
}

}  // namespace
}  // namespace screening::cli::test
