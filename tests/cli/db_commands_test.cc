// The database commands (init, user, unit, audit, check, backup, restore), run in-process
// against databases in temporary folders. Passwords come from standard input or a scripted
// terminal; SCREENING_PASSWORD_COST=0 keeps Argon2id cheap. All names are synthetic.
#include <sys/stat.h>

#include <deque>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "cli_test_util.h"
#include "commands/command.h"
#include "commands/db_support.h"

namespace screening::cli::test {
namespace {

namespace fs = std::filesystem;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

unsigned Mode(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 0;
  return st.st_mode & 0777;
}

// Synthetic passwords (at least 10 characters, as the store requires).
constexpr const char* kAdminPassword = "test-admin-pass-1";
constexpr const char* kWorkerPassword = "test-worker-pass-1";
constexpr const char* kOneTimePassword = "one-time-pass-1";

// A temporary workspace: instruments, a database path inside a folder that does not exist
// yet, and the audit key, all removed on destruction.
class DbWorkspace {
 public:
  DbWorkspace() {
    std::string pattern = (fs::temp_directory_path() / "screening-dbcli-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
  }
  ~DbWorkspace() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  DbWorkspace(const DbWorkspace&) = delete;
  DbWorkspace& operator=(const DbWorkspace&) = delete;

  const fs::path& dir() const { return dir_; }
  fs::path db() const { return dir_ / "data" / "screening.db"; }
  fs::path key() const { return dir_ / "config" / "audit.key"; }

  // The whole environment of a run: test cost, the audit key, instruments, database, user.
  std::map<std::string, std::string> Env(const std::string& user = "test.admin") const {
    return {{"SCREENING_PASSWORD_COST", "0"},
            {"SCREENING_AUDIT_KEY", key().string()},
            {"SCREENING_INSTRUMENTS", instruments_.str()},
            {"SCREENING_DB", db().string()},
            {"SCREENING_USER", user}};
  }

  CliRun Run(const std::vector<std::string>& args, const std::string& input = {},
             const std::string& user = "test.admin") const {
    return RunCli(args, input, Env(user));
  }

  // `init` with the admin password on stdin; REQUIREs success.
  void Init() const {
    const CliRun run = Run({"init", "--password-stdin"}, std::string(kAdminPassword) + "\n");
    INFO(run.err);
    REQUIRE(run.code == kExitOk);
  }

  // Init, the unit ifo_vuxen and a caseworker `test.worker` in it.
  void InitWithWorker() const {
    Init();
    CliRun unit =
        Run({"unit", "add", "ifo_vuxen", "--password-stdin"}, std::string(kAdminPassword) + "\n");
    INFO(unit.err);
    REQUIRE(unit.code == kExitOk);
    // The administrator's password is one-time: test.worker chooses kWorkerPassword at once.
    CliRun user = Run({"user", "add", "test.worker", "--role", "caseworker", "--unit", "ifo_vuxen",
                       "--password-stdin", "--new-password-stdin"},
                      std::string(kAdminPassword) + "\n" + kOneTimePassword + "\n");
    INFO(user.err);
    REQUIRE(user.code == kExitOk);
    CliRun first =
        Run({"user", "passwd", "--password-stdin", "--new-password-stdin"},
            std::string(kOneTimePassword) + "\n" + kWorkerPassword + "\n", "test.worker");
    INFO(first.err);
    REQUIRE(first.code == kExitOk);
  }

 private:
  fs::path dir_;
  TempInstruments instruments_;
};

// A scripted terminal for the prompts; restores the real one on destruction.
class ScriptedTerminal {
 public:
  explicit ScriptedTerminal(std::vector<std::string> answers)
      : answers_(answers.begin(), answers.end()) {
    SetTerminalReaderForTesting([this](Io&, std::string_view prompt, Secret* secret) {
      prompts_.emplace_back(prompt);
      if (answers_.empty()) return Status::FailedPrecondition("no terminal (test)");
      secret->Clear();
      for (char c : answers_.front()) (void)secret->Append(c);
      answers_.pop_front();
      return Status::Ok();
    });
  }
  ~ScriptedTerminal() { SetTerminalReaderForTesting({}); }
  ScriptedTerminal(const ScriptedTerminal&) = delete;
  ScriptedTerminal& operator=(const ScriptedTerminal&) = delete;

  const std::vector<std::string>& prompts() const { return prompts_; }

 private:
  std::deque<std::string> answers_;
  std::vector<std::string> prompts_;
};

}  // namespace

TEST_CASE("init creates a 0600 database in a 0700 folder and says where the key is", "[cli][db]") {
  DbWorkspace ws;
  const CliRun run = ws.Run({"init", "--password-stdin"}, std::string(kAdminPassword) + "\n");
  INFO(run.err);
  REQUIRE(run.code == kExitOk);
  CHECK(fs::exists(ws.db()));
  CHECK(Mode(ws.db()) == 0600);
  CHECK(Mode(ws.db().parent_path()) == 0700);
  CHECK(fs::exists(ws.key()));
  CHECK(Contains(run.out, ws.db().string()));
  CHECK(Contains(run.out, ws.key().string()));
  CHECK(Contains(run.out, "test.admin"));
  CHECK(!Contains(run.out + run.err, kAdminPassword));
}

TEST_CASE("init refuses an existing database and leaves it alone", "[cli][db]") {
  DbWorkspace ws;
  ws.Init();
  const auto size = fs::file_size(ws.db());
  const CliRun again = ws.Run({"init", "--password-stdin"}, std::string("another-pass-12") + "\n");
  CHECK(again.code == kExitFailed);
  CHECK(Contains(again.err, "finns redan"));
  CHECK(Contains(again.err, ws.db().string()));
  CHECK(fs::file_size(ws.db()) == size);
  // The first administrator still logs in.
  CHECK(ws.Run({"check", "--password-stdin"}, std::string(kAdminPassword) + "\n").code == kExitOk);
}

TEST_CASE("init with --admin and the password asked twice on the terminal", "[cli][db]") {
  DbWorkspace ws;
  {
    ScriptedTerminal terminal({"chosen-pass-123", "chosen-pass-123"});
    const CliRun run = ws.Run({"init", "--admin", "test.chief"});
    INFO(run.err);
    CHECK(run.code == kExitOk);
    REQUIRE(terminal.prompts().size() == 2);
    CHECK(Contains(terminal.prompts()[0], "test.chief"));
  }
  CHECK(ws.Run({"check", "--password-stdin"}, "chosen-pass-123\n", "test.chief").code == kExitOk);
}

TEST_CASE("init refuses two different passwords and creates nothing", "[cli][db]") {
  DbWorkspace ws;
  ScriptedTerminal terminal({"chosen-pass-123", "chosen-pass-456"});
  const CliRun run = ws.Run({"--lang", "en", "init"});
  CHECK(run.code == kExitFailed);
  CHECK(Contains(run.err, "do not match"));
  CHECK(!fs::exists(ws.db()));
}

TEST_CASE("init refuses a short password and creates nothing", "[cli][db]") {
  DbWorkspace ws;
  const CliRun run = ws.Run({"init", "--password-stdin"}, "short\n");
  CHECK(run.code == kExitFailed);
  CHECK(Contains(run.err, "screening init: "));
  CHECK(!fs::exists(ws.db()));
}

TEST_CASE("commands on a missing database fail clearly and create nothing", "[cli][db]") {
  DbWorkspace ws;
  const std::vector<std::vector<std::string>> commands = {
      {"check", "--password-stdin"},
      {"audit", "verify", "--password-stdin"},
      {"audit", "log", "--password-stdin"},
      {"unit", "add", "ifo_vuxen", "--password-stdin"},
      {"user", "passwd", "--password-stdin", "--new-password-stdin"},
      {"backup", (ws.dir() / "b.bak").string(), "--password-stdin", "--passphrase-stdin"},
  };
  for (const auto& args : commands) {
    INFO(args[0]);
    const CliRun run = ws.Run(args, std::string(kAdminPassword) + "\nsome-passphrase-1\n");
    CHECK(run.code == kExitFailed);
    CHECK(Contains(run.err, "det finns ingen databas på " + ws.db().string()));
    CHECK(Contains(run.err, "screening init"));
  }
  CHECK(!fs::exists(ws.db().parent_path()));
  CHECK(!fs::exists(ws.dir() / "b.bak"));

  const CliRun en = ws.Run({"--lang", "en", "check", "--password-stdin"}, "x\n");
  CHECK(Contains(en.err, "there is no database at"));
}

TEST_CASE("the --db option overrides $SCREENING_DB", "[cli][db]") {
  DbWorkspace ws;
  const fs::path other = ws.dir() / "other" / "x.db";
  const CliRun run = ws.Run({"--db", other.string(), "init", "--password-stdin"},
                            std::string(kAdminPassword) + "\n");
  CHECK(run.code == kExitOk);
  CHECK(fs::exists(other));
  CHECK(!fs::exists(ws.db()));
}

TEST_CASE("an administrator adds units and users, a caseworker is denied", "[cli][db]") {
  DbWorkspace ws;
  ws.InitWithWorker();

  // The new caseworker logs in with the password set by the administrator...
  const CliRun denied = ws.Run({"user", "add", "test.other", "--role", "caseworker", "--unit",
                                "ifo_vuxen", "--password-stdin", "--new-password-stdin"},
                               std::string(kWorkerPassword) + "\nother-pass-1234\n", "test.worker");
  // ... and may not add users.
  CHECK(denied.code == kExitFailed);
  CHECK(Contains(denied.err, "nekad"));
  CHECK(Contains(denied.err, "test.other"));

  const CliRun unit = ws.Run({"unit", "add", "ifo_barn", "--password-stdin"},
                             std::string(kWorkerPassword) + "\n", "test.worker");
  CHECK(unit.code == kExitFailed);

  // The refusals are audited.
  const CliRun log = ws.Run({"audit", "log", "--format", "json", "--password-stdin"},
                            std::string(kAdminPassword) + "\n");
  REQUIRE(log.code == kExitOk);
  const auto events = nlohmann::json::parse(log.out);
  bool add_user_denied = false, add_unit_denied = false, worker_added = false;
  for (const auto& e : events) {
    if (e["action"] == "denied:add_user" && e["user"] == "test.worker") add_user_denied = true;
    if (e["action"] == "denied:add_unit" && e["user"] == "test.worker") add_unit_denied = true;
    if (e["action"] == "add_user" && e["object"] == "user:test.worker") worker_added = true;
  }
  CHECK(add_user_denied);
  CHECK(add_unit_denied);
  CHECK(worker_added);
}

TEST_CASE("user add reports the store's refusals", "[cli][db]") {
  DbWorkspace ws;
  ws.Init();
  const std::string input = std::string(kAdminPassword) + "\nnew-user-pass-1\n";
  // A caseworker needs a unit.
  CHECK(ws.Run({"user", "add", "test.a", "--role", "caseworker", "--password-stdin",
                "--new-password-stdin"},
               input)
            .code == kExitFailed);
  // The unit must exist.
  const CliRun missing_unit = ws.Run({"user", "add", "test.a", "--role", "supervisor", "--unit",
                                      "ifo_barn", "--password-stdin", "--new-password-stdin"},
                                     input);
  CHECK(missing_unit.code == kExitFailed);
  CHECK(Contains(missing_unit.err, "ifo_barn"));
  // A bad name.
  CHECK(ws.Run({"user", "add", "Not A Name", "--role", "coordinator", "--password-stdin",
                "--new-password-stdin"},
               input)
            .code == kExitFailed);
  // A unit outside the vocabulary.
  CHECK(ws.Run({"unit", "add", "no_such_unit", "--password-stdin"},
               std::string(kAdminPassword) + "\n")
            .code == kExitFailed);
  // A coordinator needs no unit; asked on the terminal twice.
  ScriptedTerminal terminal({"coordinator-pass-1", "coordinator-pass-1"});
  const CliRun ok =
      ws.Run({"user", "add", "test.coord", "--role", "coordinator", "--password-stdin"},
             std::string(kAdminPassword) + "\n");
  INFO(ok.err);
  CHECK(ok.code == kExitOk);
  CHECK(terminal.prompts().size() == 2);
}

TEST_CASE("a wrong password fails with exit 1 and says nothing about which part was wrong",
          "[cli][db]") {
  DbWorkspace ws;
  ws.Init();
  const CliRun wrong = ws.Run({"check", "--password-stdin"}, "wrong-password-1\n");
  CHECK(wrong.code == kExitFailed);
  CHECK(Contains(wrong.err, "inloggningen nekades"));
  CHECK(!Contains(wrong.err, "wrong-password-1"));
  const CliRun unknown =
      ws.Run({"check", "--password-stdin"}, std::string(kAdminPassword) + "\n", "test.nobody");
  CHECK(unknown.code == kExitFailed);
  CHECK(Lines(unknown.err) == Lines(wrong.err));

  const CliRun empty = ws.Run({"check", "--password-stdin"}, "");
  CHECK(empty.code == kExitFailed);
  CHECK(Contains(empty.err, "standard in"));
}

TEST_CASE("user passwd: one's own password, and an administrator's reset", "[cli][db]") {
  DbWorkspace ws;
  ws.InitWithWorker();
  const std::string changed = "worker-changed-1";
  const CliRun own = ws.Run({"user", "passwd", "--password-stdin", "--new-password-stdin"},
                            std::string(kWorkerPassword) + "\n" + changed + "\n", "test.worker");
  INFO(own.err);
  CHECK(own.code == kExitOk);
  CHECK(Contains(own.out, "test.worker"));
  // The old password no longer works, the new one does.
  CHECK(ws.Run({"user", "passwd", "--password-stdin", "--new-password-stdin"},
               std::string(kWorkerPassword) + "\nwhatever-pass-1\n", "test.worker")
            .code == kExitFailed);
  // A caseworker may not set someone else's password.
  CHECK(ws.Run({"user", "passwd", "test.admin", "--password-stdin", "--new-password-stdin"},
               changed + "\nwhatever-pass-1\n", "test.worker")
            .code == kExitFailed);
  // The administrator resets it.
  const CliRun reset =
      ws.Run({"user", "passwd", "test.worker", "--password-stdin", "--new-password-stdin"},
             std::string(kAdminPassword) + "\nreset-by-admin-1\n");
  CHECK(reset.code == kExitOk);
  CHECK(ws.Run({"user", "passwd", "--password-stdin", "--new-password-stdin"},
               "reset-by-admin-1\nworker-final-12\n", "test.worker")
            .code == kExitOk);
  // Unknown user.
  CHECK(ws.Run({"user", "passwd", "test.nobody", "--password-stdin", "--new-password-stdin"},
               std::string(kAdminPassword) + "\nwhatever-pass-1\n")
            .code == kExitFailed);
}

TEST_CASE("audit verify and check report an intact chain", "[cli][db]") {
  DbWorkspace ws;
  ws.InitWithWorker();
  const std::string pw = std::string(kAdminPassword) + "\n";

  const CliRun verify = ws.Run({"audit", "verify", "--password-stdin"}, pw);
  INFO(verify.err);
  CHECK(verify.code == kExitOk);
  CHECK(Contains(verify.out, "ok: granskningskedjan är obruten"));
  CHECK(Contains(verify.out, "kedjans huvud: seq "));

  const CliRun json =
      ws.Run({"--lang", "en", "audit", "verify", "--format", "json", "--password-stdin"}, pw);
  REQUIRE(json.code == kExitOk);
  const auto v = nlohmann::json::parse(json.out);
  CHECK(v["ok"] == true);
  CHECK(v["events"].get<int>() > 3);
  CHECK(v["head_mac"].get<std::string>().size() == 64);
  CHECK(v["first_bad_seq"].is_null());

  const CliRun check = ws.Run({"--lang", "en", "check", "--password-stdin"}, pw);
  CHECK(check.code == kExitOk);
  CHECK(Contains(check.out, "ok: integrity and references"));
  CHECK(Contains(check.out, "ok: the audit chain is intact"));

  // Only an administrator.
  const std::string worker = std::string(kWorkerPassword) + "\n";
  CHECK(ws.Run({"audit", "verify", "--password-stdin"}, worker, "test.worker").code == kExitFailed);
  CHECK(ws.Run({"check", "--password-stdin"}, worker, "test.worker").code == kExitFailed);
  CHECK(ws.Run({"audit", "log", "--password-stdin"}, worker, "test.worker").code == kExitFailed);
}

TEST_CASE("audit verify notices a changed event", "[cli][db]") {
  DbWorkspace ws;
  ws.Init();
  // Change one stored event behind the store's back: the object of the first
  // administrator's "add_user" event, rewritten in place with the same length so the file
  // stays a valid database. (The store checkpoints its WAL when it closes.)
  {
    std::fstream file(ws.db(), std::ios::in | std::ios::out | std::ios::binary);
    std::string data((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    const size_t at = data.find("user:test.admin");
    REQUIRE(at != std::string::npos);
    file.clear();
    file.seekp(static_cast<std::streamoff>(at));
    file.write("user:test.admio", 15);
  }
  const CliRun verify =
      ws.Run({"audit", "verify", "--password-stdin"}, std::string(kAdminPassword) + "\n");
  CHECK(verify.code == kExitFailed);
  CHECK(Contains(verify.out, "BRUTEN"));
  CHECK(Contains(verify.err, "granskningskedjan är bruten"));
}

TEST_CASE("audit log: table, JSON, one case, one unit", "[cli][db]") {
  DbWorkspace ws;
  ws.InitWithWorker();
  const std::string pw = std::string(kAdminPassword) + "\n";

  const CliRun table = ws.Run({"audit", "log", "--password-stdin"}, pw);
  REQUIRE(table.code == kExitOk);
  const auto lines = Lines(table.out);
  REQUIRE(lines.size() > 3);
  CHECK(Contains(lines[0], "SEQ"));
  CHECK(Contains(lines[0], "HÄNDELSE"));
  CHECK(Contains(table.out, "init"));
  CHECK(!Contains(table.out, kAdminPassword));

  const CliRun unit =
      ws.Run({"audit", "log", "--unit", "ifo_vuxen", "--format", "json", "--password-stdin"}, pw);
  REQUIRE(unit.code == kExitOk);
  const auto events = nlohmann::json::parse(unit.out);
  REQUIRE(!events.empty());
  for (const auto& e : events) CHECK(e["unit"] == "ifo_vuxen");

  const CliRun no_case = ws.Run({"--lang", "en", "audit", "log", "--unit", "ifo_vuxen", "--case",
                                 "TEST-0001", "--password-stdin"},
                                pw);
  CHECK(no_case.code == kExitFailed);
  CHECK(Contains(no_case.err, "could not read the audit log"));
}

TEST_CASE("backup and restore round trip with a key file", "[cli][db]") {
  DbWorkspace ws;
  ws.InitWithWorker();
  const fs::path key_file = ws.dir() / "backup.key";
  {
    std::ofstream out(key_file, std::ios::binary);
    for (int i = 0; i < 32; ++i) out.put(static_cast<char>(i * 7 + 3));  // a test key
  }
  const fs::path backup = ws.dir() / "out" / "screening.bak";
  fs::create_directories(backup.parent_path());
  const std::string pw = std::string(kAdminPassword) + "\n";

  const CliRun made =
      ws.Run({"backup", backup.string(), "--key-file", key_file.string(), "--password-stdin"}, pw);
  INFO(made.err);
  REQUIRE(made.code == kExitOk);
  CHECK(fs::exists(backup));
  CHECK(Mode(backup) == 0600);

  // Never overwrites.
  CHECK(ws.Run({"backup", backup.string(), "--key-file", key_file.string(), "--password-stdin"}, pw)
            .code == kExitFailed);
  // Caseworkers may not make backups.
  CHECK(ws.Run({"backup", (ws.dir() / "w.bak").string(), "--key-file", key_file.string(),
                "--password-stdin"},
               std::string(kWorkerPassword) + "\n", "test.worker")
            .code == kExitFailed);
  CHECK(!fs::exists(ws.dir() / "w.bak"));

  const fs::path restored = ws.dir() / "restored.db";
  const CliRun restore = ws.Run(
      {"restore", backup.string(), "--to", restored.string(), "--key-file", key_file.string()});
  INFO(restore.err);
  REQUIRE(restore.code == kExitOk);
  CHECK(Contains(restore.out, restored.string()));
  CHECK(Mode(restored) == 0600);

  // The restored database opens, verifies and knows the users.
  const CliRun verify = ws.Run(
      {"--db", restored.string(), "audit", "verify", "--format", "json", "--password-stdin"}, pw);
  INFO(verify.err);
  REQUIRE(verify.code == kExitOk);
  CHECK(nlohmann::json::parse(verify.out)["ok"] == true);
  CHECK(ws.Run({"--db", restored.string(), "check", "--password-stdin"},
               std::string(kWorkerPassword) + "\n", "test.worker")
            .code == kExitFailed);  // denied (not an admin), but logged in
  const CliRun log = ws.Run(
      {"--db", restored.string(), "audit", "log", "--format", "json", "--password-stdin"}, pw);
  REQUIRE(log.code == kExitOk);
  bool restore_event = false;
  for (const auto& e : nlohmann::json::parse(log.out)) restore_event |= e["action"] == "restore";
  CHECK(restore_event);

  // Restore never overwrites, and a wrong key is refused.
  CHECK(ws.Run({"restore", backup.string(), "--to", restored.string(), "--key-file",
                key_file.string()})
            .code == kExitFailed);
  const fs::path wrong_key = ws.dir() / "wrong.key";
  std::ofstream(wrong_key, std::ios::binary) << std::string(32, 'x');
  const CliRun wrong = ws.Run({"restore", backup.string(), "--to", (ws.dir() / "r2.db").string(),
                               "--key-file", wrong_key.string()});
  CHECK(wrong.code == kExitFailed);
  CHECK(!fs::exists(ws.dir() / "r2.db"));
}

TEST_CASE("backup and restore with a passphrase", "[cli][db][slow]") {
  DbWorkspace ws;
  ws.Init();
  const fs::path backup = ws.dir() / "p.bak";
  const std::string passphrase = "test-passphrase-1";
  const CliRun made = ws.Run({"backup", backup.string(), "--password-stdin", "--passphrase-stdin"},
                             std::string(kAdminPassword) + "\n" + passphrase + "\n");
  INFO(made.err);
  REQUIRE(made.code == kExitOk);

  const fs::path restored = ws.dir() / "p.db";
  CHECK(ws.Run({"restore", backup.string(), "--to", restored.string(), "--passphrase-stdin"},
               "not-the-passphrase\n")
            .code == kExitFailed);
  CHECK(!fs::exists(restored));
  ScriptedTerminal terminal({passphrase});
  const CliRun restore = ws.Run({"restore", backup.string(), "--to", restored.string()});
  INFO(restore.err);
  CHECK(restore.code == kExitOk);
  CHECK(terminal.prompts().size() == 1);
  CHECK(ws.Run({"--db", restored.string(), "check", "--password-stdin"},
               std::string(kAdminPassword) + "\n")
            .code == kExitOk);
}

TEST_CASE("without a terminal, a password prompt fails instead of hanging", "[cli][db]") {
  DbWorkspace ws;
  ws.Init();
  ScriptedTerminal terminal({});  // answers nothing: like a missing terminal
  const CliRun run = ws.Run({"check"});
  CHECK(run.code == kExitFailed);
  CHECK(terminal.prompts().size() == 1);
  CHECK(Contains(terminal.prompts()[0], "test.admin"));
}

TEST_CASE("with --trust-os-login the OS user needs no password", "[cli][db]") {
  const std::string os_user = OsLoginName();
  if (os_user.empty() ||
      os_user.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789._-") != std::string::npos) {
    WARN("the OS login name cannot be a user name of the store; skipped");
    return;
  }
  DbWorkspace ws;
  const CliRun init = ws.Run({"init", "--trust-os-login", "--password-stdin"},
                             std::string(kAdminPassword) + "\n", os_user);
  INFO(init.err);
  REQUIRE(init.code == kExitOk);
  CHECK(Contains(init.out, os_user));
  {
    ScriptedTerminal terminal({});  // any prompt would fail
    const CliRun check = ws.Run({"check"}, {}, os_user);
    INFO(check.err);
    CHECK(check.code == kExitOk);
    CHECK(terminal.prompts().empty());
  }
  // Another acting user still needs a password, and --password-stdin asks for one.
  CHECK(ws.Run({"check", "--password-stdin"}, "wrong-password-1\n", os_user).code == kExitFailed);
  const CliRun log = ws.Run({"audit", "log", "--format", "json"}, {}, os_user);
  REQUIRE(log.code == kExitOk);
  bool login_os = false;
  for (const auto& e : nlohmann::json::parse(log.out)) login_os |= e["action"] == "login_os";
  CHECK(login_os);
}

TEST_CASE("a bad SCREENING_PASSWORD_COST is refused", "[cli][db]") {
  DbWorkspace ws;
  auto env = ws.Env();
  env["SCREENING_PASSWORD_COST"] = "9";
  const CliRun run = RunCli({"init", "--password-stdin"}, std::string(kAdminPassword) + "\n", env);
  CHECK(run.code == kExitFailed);
  CHECK(Contains(run.err, "SCREENING_PASSWORD_COST"));
  CHECK(!fs::exists(ws.db()));
}

TEST_CASE("database commands: usage errors exit 2", "[cli][db]") {
  DbWorkspace ws;
  struct Case {
    std::vector<std::string> args;
    std::string expect;
  };
  // What the user typed is never repeated (it may be a case reference): "…" stands for it.
  const std::vector<Case> cases = {
      {{"init", "--bogus"}, "--bogus"},
      {{"init", "extra"}, "…"},
      {{"user", "add", "test.a"}, "--role"},
      {{"user", "add", "--role", "admin"}, "NAMN"},
      {{"user", "add", "test.a", "--role", "boss"}, "--role: …"},
      {{"user", "passwd", "a", "b"}, "…"},
      {{"unit", "add"}, "ENHET"},
      {{"audit", "log", "--case", "X"}, "--unit"},
      {{"audit", "log", "--format", "xml"}, "--format: …"},
      {{"audit", "verify", "--format", "xml"}, "--format: …"},
      {{"check", "extra"}, "…"},
      {{"backup"}, "FIL"},
      {{"backup", "f", "--key-file", "k", "--passphrase-stdin"}, "--"},
      {{"restore", "f"}, "--to"},
      {{"restore", "f", "--to", "t", "--password-stdin"}, "--password-stdin"},
  };
  for (const Case& c : cases) {
    std::string joined;
    for (const auto& arg : c.args) joined += arg + " ";
    INFO(joined);
    const CliRun run = ws.Run(c.args);
    CHECK(run.code == kExitUsage);
    CHECK(run.out.empty());
    const auto lines = Lines(run.err);
    REQUIRE(!lines.empty());
    CHECK(Contains(lines.front(), c.expect));
  }
  CHECK(!fs::exists(ws.db()));
}

TEST_CASE("database commands have help in Swedish and English", "[cli][db]") {
  const std::vector<std::vector<std::string>> commands = {
      {"init"},         {"user", "add"}, {"user", "passwd"}, {"unit", "add"}, {"audit", "verify"},
      {"audit", "log"}, {"check"},       {"backup"},         {"restore"}};
  for (auto args : commands) {
    INFO(args[0]);
    args.push_back("--help");
    const CliRun sv = RunCli(args);
    CHECK(sv.code == kExitOk);
    CHECK(Contains(sv.out, "Användning: screening"));
    args.push_back("--lang");
    args.push_back("en");
    const CliRun en = RunCli(args);
    CHECK(en.code == kExitOk);
    CHECK(Contains(en.out, "Usage: screening"));
  }
  CHECK(Contains(RunCli({"init", "--help"}).out, "--password-stdin"));
  CHECK(Contains(RunCli({"backup", "--help"}).out, "--passphrase-stdin"));
  CHECK(Contains(RunCli({"user", "add", "--help"}).out, "--new-password-stdin"));
}

TEST_CASE("a one-time password is replaced at the first login, asked twice on the terminal",
          "[cli][db][accounts]") {
  DbWorkspace ws;
  ws.InitWithWorker();
  // The administrator resets test.worker's password: one-time.
  CliRun reset =
      ws.Run({"user", "passwd", "test.worker", "--password-stdin", "--new-password-stdin"},
             std::string(kAdminPassword) + "\nreset-by-admin-1\n");
  INFO(reset.err);
  REQUIRE(reset.code == kExitOk);
  CHECK(Contains(reset.out, "en inloggning"));
  // From standard input without the new password: refused, nothing else done.
  CliRun refused = ws.Run({"list", "--password-stdin"}, "reset-by-admin-1\n", "test.worker");
  CHECK(refused.code == kExitFailed);
  CHECK(Contains(refused.err, "--new-password-stdin"));
  {
    // At a terminal: the one-time password, then the new one twice.
    ScriptedTerminal terminal({"reset-by-admin-1", "chosen-by-me-1", "chosen-by-me-1"});
    CliRun run = RunCli({"list"}, "", ws.Env("test.worker"), /*interactive=*/true);
    INFO(run.err);
    CHECK(run.code == kExitOk);
    CHECK(Contains(run.err, "gäller bara den här inloggningen"));
    CHECK(terminal.prompts().size() == 3);
  }
  CHECK(ws.Run({"list", "--password-stdin"}, "chosen-by-me-1\n", "test.worker").code == kExitOk);
  CHECK(ws.Run({"list", "--password-stdin"}, "reset-by-admin-1\n", "test.worker").code ==
        kExitFailed);
  // Two different new passwords: refused, the one-time password still the one.
  CHECK(ws.Run({"user", "passwd", "test.worker", "--password-stdin", "--new-password-stdin"},
               std::string(kAdminPassword) + "\nreset-again-12\n")
            .code == kExitOk);
  {
    ScriptedTerminal terminal({"reset-again-12", "new-pass-one-1", "new-pass-two-2"});
    CHECK(RunCli({"list"}, "", ws.Env("test.worker"), true).code == kExitFailed);
  }
  // --new-password-stdin on any command: the current password, then the new one.
  CliRun changed =
      ws.Run({"list", "--new-password-stdin"}, "reset-again-12\nnew-pass-three-3\n", "test.worker");
  INFO(changed.err);
  CHECK(changed.code == kExitOk);
  CHECK(Contains(changed.err, "Lösenordet är bytt"));
  CHECK(ws.Run({"list", "--password-stdin"}, "new-pass-three-3\n", "test.worker").code == kExitOk);
}

}  // namespace screening::cli::test
