// The leak canary (docs/reliability.md): unique marker strings go into every kind of secret
// and sensitive text the CLI handles — passwords and a backup passphrase, a protected
// person's case reference, free-text answers and notes, judgement rationales, review
// comments, a level-change reason, an amendment reason and a grant reason. Then every CLI
// command runs in-process (succeeding, refused, failing and with usage errors), with the
// database, the audit key, HOME, TMPDIR and the XDG folders all inside one temporary folder.
// Afterwards every command's standard output and error and every file in that folder are
// searched for every marker:
//   - passwords and passphrases appear nowhere, not even in the database (hashes only);
//   - free text appears only where a user explicitly opened the assessment (`show`) and was
//     allowed to, in the result `assess` prints to the author who just typed it, and the
//     reasons the audit log keeps by design in `audit log` for the
//     administrator; never on standard error, never in exports, indicator reports, backups
//     (encrypted), keys or temporary files;
//   - the protected case reference appears only in what the people allowed to see the case
//     (its creator and the user granted access) ask for, never in other users' output,
//     exports, indicators or errors;
//   - the database files are the only files holding the free-text markers.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <thread>

#include <nlohmann/json.hpp>

#include "cli_test_util.h"

namespace fs = std::filesystem;
using screening::cli::test::CliRun;
using screening::cli::test::RepoInstrumentsDir;
using screening::cli::test::RunCli;

namespace {

// Marker kinds. Passwords must appear nowhere; free text only in the database and in
// allowed outputs; the protected case reference likewise.
enum class Kind { kPassword, kFreeText, kCaseRef };

struct Marker {
  std::string name;
  std::string value;
  Kind kind;
};

std::string RandomHex() {
  std::random_device rd;
  std::mt19937_64 rng(
      (static_cast<std::uint64_t>(rd()) << 32) ^ rd() ^
      static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()));
  std::ostringstream s;
  s << std::hex << rng();
  return s.str();
}

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// One run of the CLI and which markers its output may contain.
struct Recorded {
  std::string label;
  std::set<std::string> may_show;  // marker names allowed on standard output
  CliRun run;
  std::vector<std::string> args;  // the command line (what `ps` shows other users)
};

class Canary {
 public:
  Canary() {
    std::string pattern = (fs::temp_directory_path() / "screening-canary-XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    root_ = pattern;
    for (const char* sub : {"home", "tmp", "config", "data", "state", "cache", "out"}) {
      fs::create_directories(root_ / sub);
    }
    // The process's own environment too: anything the library or the CLI asks the OS for
    // (temporary files, home) lands inside the folder.
    for (const auto& [name, value] : Env()) {
      if (name.rfind("SCREENING_", 0) == 0) continue;
      const char* before = std::getenv(name.c_str());
      saved_env_[name] = before ? std::optional<std::string>(before) : std::nullopt;
      ::setenv(name.c_str(), value.c_str(), 1);
    }
    const std::string hex = RandomHex();
    auto add = [&](const std::string& name, Kind kind) {
      markers_.push_back({name, "KANARIE-" + hex + "-" + name, kind});
    };
    for (const char* p : {"pwadmin", "pwworker", "pwworkernew", "pwworker2", "pwsuper", "pwcoord",
                          "pwwrong", "passphrase", "pwsuper2", "pwworker2once", "pwsuperonce",
                          "pwcoordonce", "pwsuperreset"}) {
      add(p, Kind::kPassword);
    }
    add("caseref", Kind::kCaseRef);
    add("stdincase", Kind::kCaseRef);
    for (const char* t :
         {"notaskednote", "infosource", "q3note", "rationale", "returncomment", "approvecomment",
          "levelreason", "amendreason", "grantreason", "amendrationale", "badvalue", "stdinnote",
          "stdinreturn", "stdinapprove", "stdinlevel", "stdinamend", "stdingrant", "stdinoverlimit",
          "stdinexcluded"}) {
      add(t, Kind::kFreeText);
    }
  }
  ~Canary() {
    // The next canary (in the same process) must find the temporary folder it started with.
    for (const auto& [name, value] : saved_env_) {
      if (value) {
        ::setenv(name.c_str(), value->c_str(), 1);
      } else {
        ::unsetenv(name.c_str());
      }
    }
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }
  Canary(const Canary&) = delete;
  Canary& operator=(const Canary&) = delete;

  const fs::path& root() const { return root_; }
  fs::path db() const { return root_ / "data" / "screening" / "screening.db"; }
  const std::string& M(const std::string& name) const {
    for (const auto& m : markers_) {
      if (m.name == name) return m.value;
    }
    FAIL("no marker " << name);
    return markers_.front().value;
  }
  const std::vector<Marker>& markers() const { return markers_; }
  const std::vector<Recorded>& runs() const { return runs_; }

  std::map<std::string, std::string> Env(const std::string& user = {}) const {
    std::map<std::string, std::string> env = {
        {"HOME", (root_ / "home").string()},
        {"TMPDIR", (root_ / "tmp").string()},
        {"XDG_CONFIG_HOME", (root_ / "config").string()},
        {"XDG_DATA_HOME", (root_ / "data").string()},
        {"XDG_STATE_HOME", (root_ / "state").string()},
        {"XDG_CACHE_HOME", (root_ / "cache").string()},
        {"SCREENING_PASSWORD_COST", "0"},
        {"SCREENING_INSTRUMENTS", RepoInstrumentsDir().string()}};
    if (!user.empty()) env["SCREENING_USER"] = user;
    return env;
  }

  // Runs `args` as `user` with `password` (a marker name, or empty for no login) as the
  // first line of standard input, followed by `more`. `may_show`: the markers allowed on
  // its standard output.
  CliRun& Run(const std::string& label, const std::string& user, const std::string& password,
              std::vector<std::string> args, const std::string& more = {},
              std::set<std::string> may_show = {}) {
    std::string input;
    if (!password.empty()) {
      args.push_back("--password-stdin");
      input = M(password) + "\n";
    }
    input += more;
    runs_.push_back({label, std::move(may_show), RunCli(args, input, Env(user)), args});
    return runs_.back().run;
  }

  // Like Run, and REQUIREs the exit code.
  CliRun& Expect(int code, const std::string& label, const std::string& user,
                 const std::string& password, std::vector<std::string> args,
                 const std::string& more = {}, std::set<std::string> may_show = {}) {
    CliRun& run = Run(label, user, password, std::move(args), more, std::move(may_show));
    INFO(label << "\nstdout: " << run.out << "\nstderr: " << run.err);
    REQUIRE(run.code == code);
    return run;
  }

 private:
  fs::path root_;
  std::map<std::string, std::optional<std::string>> saved_env_;
  std::vector<Marker> markers_;
  std::vector<Recorded> runs_;
};

std::string Farlighet(const std::string& rationale, const std::string& level) {
  std::string answers = "{\"answers\": {";
  for (int q = 1; q <= 20; ++q) {
    if (q > 1) answers += ", ";
    answers += "\"q" + std::to_string(q) + "\": \"" + (q <= 12 ? "yes" : "no") + "\"";
  }
  answers += ", \"q3a\": \"no\", \"children_in_household\": \"no\"}, ";
  answers += "\"judgements\": {\"assessor\": {\"level\": \"" + level + "\", \"rationale\": \"" +
             rationale + "\"}}, \"client_estimate\": {\"level\": \"low\"}}";
  return answers;
}

std::string Dash(const std::string& info_source, const std::string& q3note) {
  std::string answers = "{\"answers\": {";
  for (int q = 1; q <= 24; ++q) {
    if (q > 1) answers += ", ";
    answers += "\"q" + std::to_string(q) + "\": \"" + (q <= 15 ? "yes" : "no") + "\"";
  }
  answers += ", \"q3_note\": \"" + q3note + "\", \"info_source\": \"" + info_source + "\"}}";
  return answers;
}

const char* kDisclosure =
    "{\"answers\": {\"safe_to_ask\": \"yes\", \"q1\": \"yes\", \"q2\": \"no\", \"q3\": "
    "\"no\", \"q4\": \"no\", \"q5\": \"no\", \"q6\": \"no\", \"q7\": \"no\", \"q8\": \"yes\", "
    "\"outcome\": \"disclosed\", \"violence_types\": [\"physical\"], "
    "\"children_in_household\": \"yes\", \"children_count\": 1}}";

std::int64_t IdFrom(const CliRun& run, const char* key) {
  INFO(run.out);
  auto doc = nlohmann::json::parse(run.out);
  return doc.at(key).get<std::int64_t>();
}

// The command line of every process on the machine, as any local user reads it (`ps`):
// /proc/PID/cmdline with the NULs between the arguments made spaces.
std::map<int, std::string> CommandLines() {
  std::map<int, std::string> lines;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string line = ReadAll(entry.path() / "cmdline");  // empty when the process is gone
    std::replace(line.begin(), line.end(), '\0', ' ');
    lines[std::stoi(name)] = line;
  }
  return lines;
}

// Kills the process group it was given (the shell and what it started) unless released.
struct GroupGuard {
  pid_t group = -1;
  ~GroupGuard() {
    if (group > 0) {
      ::kill(-group, SIGKILL);
      int status = 0;
      ::waitpid(group, &status, 0);
    }
  }
};

int CurrentYear() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  return tm.tm_year + 1900;
}

}  // namespace

TEST_CASE("no password, protected case reference or free text leaks from any CLI command",
          "[reliability][canary][cli]") {
  Canary c;
  const std::string prot = c.M("caseref");
  const std::string open = "OPEN-1";
  // Markers an authorised `show` may print: the free text of the assessments and the case.
  const std::set<std::string> kShowAll = {
      "caseref",        "infosource",  "q3note",      "rationale",      "returncomment",
      "approvecomment", "levelreason", "amendreason", "amendrationale", "notaskednote"};

  // ---------------------------------------------------------------- set-up
  c.Expect(0, "init", "adm", "pwadmin", {"init", "--admin", "adm"});
  REQUIRE(fs::exists(c.db()));
  c.Expect(1, "init again", "adm", "pwadmin", {"init", "--admin", "adm"});
  for (const char* unit : {"ifo_vuxen", "ifo_barn"}) {
    c.Expect(0, "unit add", "adm", "pwadmin", {"unit", "add", unit});
  }
  c.Expect(0, "user add worker", "adm", "pwadmin",
           {"user", "add", "worker", "--role", "caseworker", "--unit", "ifo_vuxen",
            "--new-password-stdin"},
           c.M("pwworker") + "\n");
  c.Expect(0, "user add worker2", "adm", "pwadmin",
           {"user", "add", "worker2", "--role", "caseworker", "--unit", "ifo_vuxen",
            "--new-password-stdin"},
           c.M("pwworker2once") + "\n");
  c.Expect(0, "user add super", "adm", "pwadmin",
           {"user", "add", "super", "--role", "supervisor", "--unit", "ifo_vuxen",
            "--new-password-stdin"},
           c.M("pwsuperonce") + "\n");
  c.Expect(0, "user add coord", "adm", "pwadmin",
           {"user", "add", "coord", "--role", "coordinator", "--new-password-stdin"},
           c.M("pwcoordonce") + "\n");
  // The administrator's passwords are one-time: each user chooses their own at the first
  // login (worker below, with `user passwd`).
  c.Expect(0, "first login worker2", "worker2", "pwworker2once",
           {"user", "passwd", "--new-password-stdin"}, c.M("pwworker2") + "\n");
  c.Expect(0, "first login super", "super", "pwsuperonce",
           {"user", "passwd", "--new-password-stdin"}, c.M("pwsuper") + "\n");
  c.Expect(0, "first login coord", "coord", "pwcoordonce",
           {"user", "passwd", "--new-password-stdin"}, c.M("pwcoord") + "\n");
  c.Expect(1, "user add existing", "adm", "pwadmin",
           {"user", "add", "coord", "--role", "coordinator", "--new-password-stdin"},
           c.M("pwcoord") + "\n");
  c.Expect(1, "user add by a caseworker", "worker", "pwworker",
           {"user", "add", "evil", "--role", "admin", "--new-password-stdin"},
           c.M("pwcoord") + "\n");
  // Own password change, and an administrator setting someone's password.
  c.Expect(0, "user passwd own", "worker", "pwworker", {"user", "passwd", "--new-password-stdin"},
           c.M("pwworkernew") + "\n");
  c.Expect(0, "user passwd by admin", "adm", "pwadmin",
           {"user", "passwd", "super", "--new-password-stdin"}, c.M("pwsuperreset") + "\n");
  // A one-time password again: without a new one nothing is done; with
  // --new-password-stdin on any command it is replaced.
  c.Expect(1, "one-time password, no new one", "super", "pwsuperreset", {"review", "list"});
  c.Run("one-time password replaced on a command", "super", {},
        {"review", "list", "--new-password-stdin"},
        c.M("pwsuperreset") + "\n" + c.M("pwsuper2") + "\n");
  REQUIRE(c.runs().back().run.code == 0);
  c.Expect(1, "login with the old password", "worker", "pwworker", {"list"});
  c.Expect(1, "login with a wrong password", "adm", "pwwrong", {"check"});
  c.Expect(1, "password too short", "adm", "pwadmin",
           {"user", "passwd", "coord", "--new-password-stdin"}, "short\n");

  // ---------------------------------------------------------------- cases
  // The protected case: a disclosure at intake (which opens the case), a protected person, a
  // DASH with free text.
  const CliRun& intake_prot = c.Expect(
      0, "intake protected", "worker", "pwworkernew",
      {"intake", "--unit", "ifo_vuxen", "--case", prot, "--answers", "-", "--format", "json"},
      std::string(kDisclosure) + "\n", {"caseref"});
  const std::int64_t intake_prot_id = IdFrom(intake_prot, "assessment_id");
  c.Expect(0, "subject add protected", "worker", "pwworkernew",
           {"subject", "add", "--case", prot, "--unit", "ifo_vuxen", "--role", "adult_victim",
            "--protected", "--format", "json"},
           {}, {"caseref"});
  const CliRun& dash = c.Expect(0, "assess dash protected", "worker", "pwworkernew",
                                {"assess", "--instrument", "dash", "--case", prot, "--unit",
                                 "ifo_vuxen", "--answers", "-", "--submit", "--format", "json"},
                                Dash(c.M("infosource"), c.M("q3note")) + "\n", {"caseref"});
  const std::int64_t dash_id = IdFrom(dash, "id");
  // The open case: not asked (with a note), then two danger assessments with rationales.
  c.Expect(0, "intake not asked", "worker", "pwworkernew",
           {"intake", "--unit", "ifo_vuxen", "--case", open, "--not-asked", "other", "--children",
            "no", "--note", c.M("notaskednote"), "--format", "json"});
  const std::int64_t far1 =
      IdFrom(c.Expect(0, "assess farlighet 1", "worker", "pwworkernew",
                      {"assess", "--instrument", "farlighet", "--case", open, "--unit", "ifo_vuxen",
                       "--answers", "-", "--submit", "--format", "json"},
                      Farlighet(c.M("rationale"), "medium") + "\n", {"rationale"}),
             "id");
  const std::int64_t far2 =
      IdFrom(c.Expect(0, "assess farlighet 2", "worker", "pwworkernew",
                      {"assess", "--instrument", "farlighet", "--case", open, "--unit", "ifo_vuxen",
                       "--answers", "-", "--submit", "--format", "json"},
                      Farlighet(c.M("rationale"), "low") + "\n", {"rationale"}),
             "id");
  // Bad answers with a marker as the value: refused without quoting it.
  c.Expect(
      1, "assess bad value", "worker", "pwworkernew",
      {"assess", "--instrument", "dash", "--case", open, "--unit", "ifo_vuxen", "--answers", "-"},
      "{\"answers\": {\"q1\": \"" + c.M("badvalue") + "\"}}\n");
  c.Expect(1, "intake bad value", "worker", "pwworkernew",
           {"intake", "--unit", "ifo_vuxen", "--case", open, "--answers", "-"},
           "{\"answers\": {\"safe_to_ask\": \"" + c.M("badvalue") + "\"}}\n");
  // Someone else in the unit cannot touch the protected case (yet).
  c.Expect(1, "show protected, not granted", "worker2", "pwworker2",
           {"show", std::to_string(dash_id)});
  c.Expect(1, "subject add protected, not granted", "worker2", "pwworker2",
           {"subject", "add", "--case", prot, "--unit", "ifo_vuxen", "--role", "child"});

  // ---------------------------------------------------------------- review
  c.Expect(0, "review list", "super", "pwsuper2", {"review", "list"});
  c.Expect(0, "review list json", "super", "pwsuper2", {"review", "list", "--format", "json"});
  c.Expect(0, "review return", "super", "pwsuper2",
           {"review", "return", std::to_string(far1), "--comment", c.M("returncomment")});
  c.Expect(
      0, "review level", "super", "pwsuper2",
      {"review", "level", std::to_string(far2), "--level", "high", "--reason", c.M("levelreason")});
  c.Expect(0, "review approve", "super", "pwsuper2",
           {"review", "approve", std::to_string(far2), "--comment", c.M("approvecomment")});
  c.Expect(2, "review return without comment", "super", "pwsuper2",
           {"review", "return", std::to_string(far1)});
  c.Expect(1, "review approve by a caseworker", "worker", "pwworkernew",
           {"review", "approve", std::to_string(far2), "--comment", c.M("approvecomment")});
  c.Expect(1, "review approve protected", "super", "pwsuper2",
           {"review", "approve", std::to_string(dash_id), "--comment", c.M("approvecomment")});
  c.Expect(
      0, "amend", "worker", "pwworkernew",
      {"amend", std::to_string(far2), "--reason", c.M("amendreason"), "--answers", "-", "--submit"},
      Farlighet(c.M("amendrationale"), "medium") + "\n");
  c.Expect(1, "amend again (not approved)", "worker", "pwworkernew",
           {"amend", std::to_string(far2), "--reason", c.M("amendreason"), "--answers", "-"},
           Farlighet(c.M("amendrationale"), "medium") + "\n");
  c.Expect(2, "amend without reason", "worker", "pwworkernew",
           {"amend", std::to_string(far2), "--answers", "-"});
  // A returned draft resumed without answers on the terminal: stops, keeps the draft.
  c.Run("draft resume (end of input)", "worker", "pwworkernew",
        {"draft", "resume", std::to_string(far1), "--submit"}, {}, {"rationale", "returncomment"});
  c.Expect(0, "grant", "super", "pwsuper2",
           {"grant", "--case", prot, "--unit", "ifo_vuxen", "--user", "worker2", "--reason",
            c.M("grantreason")});
  c.Expect(2, "grant without reason", "super", "pwsuper2",
           {"grant", "--case", prot, "--unit", "ifo_vuxen", "--user", "worker2", "--reason", ""});
  c.Expect(1, "grant by a caseworker", "worker", "pwworkernew",
           {"grant", "--case", prot, "--unit", "ifo_vuxen", "--user", "worker2", "--reason",
            c.M("grantreason")});

  // ---------------------------------------------------------------- reading
  // The author and the granted user may open the assessments, and see what they hold.
  for (const char* user : {"worker", "worker2"}) {
    const std::string pw = std::string(user) == "worker" ? "pwworkernew" : "pwworker2";
    for (std::int64_t id : {intake_prot_id, dash_id, far1, far2, far2 + 1}) {
      for (const char* format : {"text", "json"}) {
        c.Run(std::string("show ") + user, user, pw,
              {"show", std::to_string(id), "--format", format}, {}, kShowAll);
      }
    }
    c.Expect(0, std::string("list ") + user, user, pw, {"list"}, {}, {"caseref"});
    c.Expect(0, std::string("list json ") + user, user, pw, {"list", "--format", "json"}, {},
             {"caseref"});
    c.Expect(0, std::string("list case ") + user, user, pw,
             {"list", "--unit", "ifo_vuxen", "--case", prot}, {}, {"caseref"});
    c.Expect(0, std::string("draft list ") + user, user, pw, {"draft", "list"}, {}, {"caseref"});
    c.Expect(0, std::string("draft list json ") + user, user, pw,
             {"draft", "list", "--format", "json"}, {}, {"caseref"});
    c.Expect(0, std::string("due ") + user, user, pw, {"due"}, {}, {"caseref"});
  }
  // The supervisor (not granted), the coordinator and the administrator see none of it.
  for (std::int64_t id : {intake_prot_id, dash_id, far1, far2}) {
    for (const auto& [user, pw] : std::vector<std::pair<std::string, std::string>>{
             {"super", "pwsuper2"}, {"coord", "pwcoord"}, {"adm", "pwadmin"}}) {
      // The supervisor may open the open case's assessments: its free text is allowed.
      const bool open_case = id == far1 || id == far2;
      c.Run("show " + user, user, pw, {"show", std::to_string(id), "--format", "json"}, {},
            user == "super" && open_case ? kShowAll : std::set<std::string>{});
    }
  }
  c.Expect(0, "list super", "super", "pwsuper2", {"list"});
  c.Expect(0, "due super", "super", "pwsuper2", {"due", "--format", "json"});
  c.Run("list coord", "coord", "pwcoord", {"list"});
  c.Run("list adm", "adm", "pwadmin", {"list", "--format", "json"});
  c.Expect(1, "show missing", "worker", "pwworkernew", {"show", "999999"});

  // Follow-up: due items, done, support information.
  const CliRun& due = c.Expect(0, "due json", "worker", "pwworkernew", {"due", "--format", "json"},
                               {}, {"caseref"});
  {
    auto items = nlohmann::json::parse(due.out);
    REQUIRE(items.is_array());
    REQUIRE(!items.empty());
    c.Expect(0, "done", "worker", "pwworkernew",
             {"done", std::to_string(items.at(0).at("id").get<std::int64_t>())}, {}, {"caseref"});
  }
  c.Expect(1, "done missing", "worker", "pwworkernew", {"done", "999999"});
  const CliRun& resources = c.Expect(0, "resources", "", "", {"resources", "--format", "json"});
  {
    auto list = nlohmann::json::parse(resources.out);
    REQUIRE(list.is_array());
    REQUIRE(!list.empty());
    const std::string resource = list.at(0).at("id").get<std::string>();
    c.Expect(0, "info-given", "worker", "pwworkernew",
             {"info-given", "--unit", "ifo_vuxen", "--case", prot, "--resources", resource}, {},
             {"caseref"});
    c.Expect(0, "info-given open", "worker", "pwworkernew",
             {"info-given", "--unit", "ifo_vuxen", "--case", open, "--resources", resource});
  }
  c.Expect(0, "resources text", "", "", {"resources", "--for", "adult_victim"});

  // ---------------------------------------------------------------- export, indicators
  const fs::path out = c.root() / "out";
  c.Expect(0, "export stdout", "worker", "pwworkernew", {"export", "--format", "json"});
  c.Expect(0, "export file", "worker", "pwworkernew",
           {"export", "--format", "json", "--out", (out / "export.json").string()});
  c.Expect(0, "export file supervisor", "super", "pwsuper2",
           {"export", "--format", "json", "--unit", "ifo_vuxen", "--out",
            (out / "export-super.json").string()});
  c.Run("export protected case", "worker", "pwworkernew",
        {"export", "--format", "json", "--unit", "ifo_vuxen", "--case", prot});
  c.Expect(1, "export by the administrator", "adm", "pwadmin", {"export", "--format", "json"});
  c.Expect(1, "export over an existing file", "worker", "pwworkernew",
           {"export", "--format", "json", "--out", (out / "export.json").string()});
  REQUIRE(fs::exists(out / "export.json"));
  const std::string year = std::to_string(CurrentYear());
  for (const auto& [user, pw] : std::vector<std::pair<std::string, std::string>>{
           {"coord", "pwcoord"}, {"super", "pwsuper2"}, {"worker", "pwworkernew"}}) {
    for (const char* format : {"table", "csv", "json", "html"}) {
      c.Run("indicators " + user, user, pw,
            {"indicators", "--year", year, "--format", format, "--no-suppression"});
    }
    c.Run("indicators html file " + user, user, pw,
          {"indicators", "--year", year, "--format", "html", "--out",
           (out / ("indicators-" + user + ".html")).string()});
    c.Run("indicators csv file " + user, user, pw,
          {"indicators", "--year", year, "--format", "csv", "--out",
           (out / ("indicators-" + user + ".csv")).string()});
  }
  REQUIRE(fs::exists(out / "indicators-coord.html"));

  // ---------------------------------------------------------------- administration
  // The audit log keeps the reasons of grants, returns and level changes by design; the
  // administrator reading it may see them, never the answers or the case reference.
  const std::set<std::string> kAuditReasons = {"grantreason", "returncomment", "levelreason",
                                               "amendreason", "approvecomment"};
  c.Expect(0, "audit verify", "adm", "pwadmin", {"audit", "verify"});
  c.Expect(0, "audit verify json", "adm", "pwadmin", {"audit", "verify", "--format", "json"});
  c.Expect(0, "audit log", "adm", "pwadmin", {"audit", "log"}, {}, kAuditReasons);
  c.Expect(0, "audit log json", "adm", "pwadmin", {"audit", "log", "--format", "json"}, {},
           kAuditReasons);
  c.Run("audit log case", "adm", "pwadmin", {"audit", "log", "--unit", "ifo_vuxen", "--case", prot},
        {}, kAuditReasons);
  c.Expect(1, "audit log by a caseworker", "worker", "pwworkernew", {"audit", "log"});
  c.Expect(0, "check", "adm", "pwadmin", {"check"});
  c.Expect(0, "check json", "adm", "pwadmin", {"check", "--format", "json"});
  c.Expect(1, "check by a caseworker", "worker", "pwworkernew", {"check"});
  c.Expect(0, "backup passphrase", "adm", "pwadmin",
           {"backup", (out / "backup-pass.enc").string(), "--passphrase-stdin"},
           c.M("passphrase") + "\n");
  {
    std::ofstream key(out / "backup.key", std::ios::binary);
    std::mt19937 rng(7);
    for (int i = 0; i < 32; ++i) key.put(static_cast<char>(rng() & 0xff));
  }
  c.Expect(
      0, "backup key file", "adm", "pwadmin",
      {"backup", (out / "backup-key.enc").string(), "--key-file", (out / "backup.key").string()});
  c.Expect(
      1, "backup over an existing file", "adm", "pwadmin",
      {"backup", (out / "backup-key.enc").string(), "--key-file", (out / "backup.key").string()});
  c.Expect(1, "backup by a caseworker", "worker", "pwworkernew",
           {"backup", (out / "backup-worker.enc").string(), "--passphrase-stdin"},
           c.M("passphrase") + "\n");
  fs::create_directories(c.root() / "restored");
  c.Expect(0, "restore", "", "",
           {"restore", (out / "backup-pass.enc").string(), "--to",
            (c.root() / "restored" / "screening.db").string(), "--passphrase-stdin"},
           c.M("passphrase") + "\n");
  c.Expect(1, "restore with a wrong passphrase", "", "",
           {"restore", (out / "backup-pass.enc").string(), "--to",
            (c.root() / "restored" / "other.db").string(), "--passphrase-stdin"},
           c.M("pwwrong") + "\n");
  c.Expect(0, "restore key file", "", "",
           {"restore", (out / "backup-key.enc").string(), "--to",
            (c.root() / "restored" / "from-key.db").string(), "--key-file",
            (out / "backup.key").string()});
  c.Expect(0, "check restored", "adm", "pwadmin",
           {"--db", (c.root() / "restored" / "screening.db").string(), "check"});

  // ---------------------------------------------------------------- usage errors, help
  c.Expect(2, "unknown command", "", "", {"no-such-command", c.M("badvalue")});
  c.Expect(2, "unknown option", "worker", "pwworkernew",
           {"list", "--no-such-option", c.M("badvalue")});
  c.Run("help", "", "", {"--help"});
  for (const char* command : {"intake", "assess", "show", "review", "amend", "grant", "export",
                              "indicators", "backup", "restore", "user"}) {
    c.Run(std::string("help ") + command, "", "", {command, "--help"});
  }
  c.Run("intake usage", "worker", "pwworkernew",
        {"intake", "--unit", "ifo_vuxen", "--case", prot, "--not-asked", "other", "--children",
         "no"});
  c.Expect(1, "intake bad case", "worker", "pwworkernew",
           {"intake", "--unit", "no_such_unit", "--case", prot, "--not-asked", "not_alone",
            "--children", "no"});

  // ---------------------------------------------------------------- -stdin options
  // The same kinds of text through standard input (--case-stdin, --note-stdin,
  // --comment-stdin, --reason-stdin): the runs labelled "stdin" are checked below for
  // markers in their arguments (what other users see in /proc/PID/cmdline and the shell
  // keeps in its history), and the database must hold what came on standard input.
  const std::string hidden = c.M("stdincase");
  c.Expect(0, "stdin intake", "worker", "pwworkernew",
           {"intake", "--unit", "ifo_vuxen", "--case-stdin", "--not-asked", "other", "--children",
            "no", "--note-stdin", "--format", "json"},
           hidden + "\n" + c.M("stdinnote") + "\n", {"stdincase"});
  c.Expect(0, "stdin subject add", "worker", "pwworkernew",
           {"subject", "add", "--unit", "ifo_vuxen", "--role", "adult_victim", "--protected",
            "--case-stdin"},
           hidden + "\n");
  c.Expect(0, "stdin grant", "super", "pwsuper2",
           {"grant", "--unit", "ifo_vuxen", "--user", "worker2", "--case-stdin", "--reason-stdin"},
           hidden + "\n" + c.M("stdingrant") + "\n");
  for (const auto& [user, pw] : std::vector<std::pair<std::string, std::string>>{
           {"worker", "pwworkernew"}, {"worker2", "pwworker2"}}) {
    c.Expect(0, "stdin list " + user, user, pw,
             {"list", "--unit", "ifo_vuxen", "--case-stdin", "--format", "json"}, hidden + "\n",
             {"stdincase"});
    c.Expect(0, "stdin draft list " + user, user, pw, {"draft", "list", "--case-stdin"},
             hidden + "\n", {"stdincase"});
  }
  c.Run("stdin export", "worker", "pwworkernew",
        {"export", "--format", "json", "--unit", "ifo_vuxen", "--case-stdin"}, hidden + "\n");
  c.Run("stdin audit log", "adm", "pwadmin",
        {"audit", "log", "--unit", "ifo_vuxen", "--case-stdin"}, hidden + "\n", {"stdingrant"});
  // Reviews of the open case, its name on standard input too.
  const std::int64_t far3 =
      IdFrom(c.Expect(0, "stdin assess 1", "worker", "pwworkernew",
                      {"assess", "--instrument", "farlighet", "--unit", "ifo_vuxen", "--case-stdin",
                       "--answers", "-", "--submit", "--format", "json"},
                      open + "\n" + Farlighet("plain rationale", "medium") + "\n"),
             "id");
  const std::int64_t far4 =
      IdFrom(c.Expect(0, "stdin assess 2", "worker", "pwworkernew",
                      {"assess", "--instrument", "farlighet", "--unit", "ifo_vuxen", "--case-stdin",
                       "--answers", "-", "--submit", "--format", "json"},
                      open + "\n" + Farlighet("plain rationale", "medium") + "\n"),
             "id");
  c.Expect(1, "stdin review return over the limit", "super", "pwsuper2",
           {"review", "return", std::to_string(far4), "--comment-stdin"},
           c.M("stdinoverlimit") + std::string(40002, 'x'));
  c.Expect(2, "stdin review return with both", "super", "pwsuper2",
           {"review", "return", std::to_string(far4), "--comment", "plain", "--comment-stdin"},
           c.M("stdinexcluded") + "\n");
  c.Expect(0, "stdin review return", "super", "pwsuper2",
           {"review", "return", std::to_string(far4), "--comment-stdin"},
           c.M("stdinreturn") + "\n");
  c.Expect(0, "stdin review level", "super", "pwsuper2",
           {"review", "level", std::to_string(far3), "--level", "high", "--reason-stdin"},
           c.M("stdinlevel") + "\n");
  c.Expect(0, "stdin review approve", "super", "pwsuper2",
           {"review", "approve", std::to_string(far3), "--comment-stdin"},
           c.M("stdinapprove") + "\n");
  const fs::path plain_answers = out / "amend-plain.json";
  std::ofstream(plain_answers) << Farlighet("plain rationale", "high");
  c.Expect(0, "stdin amend", "worker", "pwworkernew",
           {"amend", std::to_string(far3), "--reason-stdin", "--answers", plain_answers.string()},
           c.M("stdinamend") + "\n");

  // ---------------------------------------------------------------- the search
  std::set<std::string> database_files;
  for (const fs::path& db :
       {c.db(), c.root() / "restored" / "screening.db", c.root() / "restored" / "from-key.db"}) {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      database_files.insert(db.string() + suffix);
    }
  }
  std::size_t files = 0, leaks = 0;
  std::string report;
  for (const auto& entry : fs::recursive_directory_iterator(c.root())) {
    if (!entry.is_regular_file()) continue;
    ++files;
    const std::string path = entry.path().string();
    const std::string content = ReadAll(entry.path());
    const bool is_database = database_files.count(path) != 0;
    for (const auto& m : c.markers()) {
      // The database holds free text and case references, never a password.
      if (is_database && m.kind != Kind::kPassword) continue;
      if (Has(content, m.value)) {
        ++leaks;
        report += "file " + path + " holds " + m.name + "\n";
      }
    }
  }
  std::size_t stdin_runs = 0;
  for (const auto& r : c.runs()) {
    if (r.label.rfind("stdin ", 0) == 0) {
      ++stdin_runs;
      for (const auto& arg : r.args) {
        for (const auto& m : c.markers()) {
          if (Has(arg, m.value)) {
            ++leaks;
            report += "the arguments of '" + r.label + "' hold " + m.name + "\n";
          }
        }
      }
    }
    for (const auto& m : c.markers()) {
      if (Has(r.run.err, m.value)) {
        ++leaks;
        report += "stderr of '" + r.label + "' holds " + m.name + "\n";
      }
      if (Has(r.run.out, m.value) && r.may_show.count(m.name) == 0) {
        ++leaks;
        report += "stdout of '" + r.label + "' holds " + m.name + "\n";
      }
    }
  }
  INFO(report);
  CHECK(leaks == 0);
  // The search really looked: the database and the outputs exist and the allowed places do
  // show the markers (the search would find a leak).
  CHECK(files >= 8);
  const std::string db = ReadAll(c.db()) + ReadAll(c.db().string() + "-wal");
  for (const char* name : {"infosource", "q3note", "rationale", "grantreason", "caseref"}) {
    INFO(name);
    CHECK(Has(db, c.M(name)));
  }
  // What came only on standard input was stored; what was refused (too long, or given
  // both ways) was not.
  CHECK(stdin_runs >= 15);
  for (const char* name : {"stdincase", "stdinnote", "stdingrant", "stdinreturn", "stdinlevel",
                           "stdinapprove", "stdinamend"}) {
    INFO(name);
    CHECK(Has(db, c.M(name)));
  }
  CHECK(!Has(db, c.M("stdinoverlimit")));
  CHECK(!Has(db, c.M("stdinexcluded")));
  bool shown = false;
  for (const auto& r : c.runs()) {
    if (r.label == "show worker2" && Has(r.run.out, c.M("infosource"))) shown = true;
  }
  CHECK(shown);
  CHECK(c.runs().size() > 100);
}

// The same path a person takes at a shell, with the real client: the password and the case
// reference come from variables through the shell's builtin `printf` (no process, so no
// command line), the note from a file. While the client waits for the end of its input,
// every process's command line on the machine is read, as any local user can; afterwards
// the shell's history file. Neither holds a marker, and the database holds both.
TEST_CASE(
    "a case reference and a note given through -stdin stand in no command line and no "
    "shell history",
    "[reliability][canary][cli]") {
  Canary c;
  c.Expect(0, "init", "adm", "pwadmin", {"init", "--admin", "adm"});
  c.Expect(0, "unit add", "adm", "pwadmin", {"unit", "add", "ifo_vuxen"});
  c.Expect(0, "user add worker", "adm", "pwadmin",
           {"user", "add", "worker", "--role", "caseworker", "--unit", "ifo_vuxen",
            "--new-password-stdin"},
           c.M("pwworker2once") + "\n");
  // The administrator's password is one-time: the worker chooses their own first.
  c.Expect(0, "first login worker", "worker", "pwworker2once",
           {"user", "passwd", "--new-password-stdin"}, c.M("pwworker") + "\n");

  const fs::path out = c.root() / "out";
  const fs::path note = out / "note.txt";
  std::ofstream(note) << c.M("stdinnote") << "\n";
  const fs::path gate = out / "gate";
  REQUIRE(::mkfifo(gate.c_str(), 0600) == 0);
  const fs::path history = c.root() / "home" / ".bash_history";
  const fs::path result = out / "intake.json";
  const std::string control = "history-control-" + RandomHex();
  const std::string script =
      "set -o history\n"
      ": " +
      control +
      "\n"
      "{ printf '%s\\n' \"$PW\" \"$CASE\"; cat \"$NOTE\"; read -r _ < \"$GATE\"; } | "
      "\"$SCREENING\" --db \"$DB\" intake --unit ifo_vuxen --case-stdin --not-asked other "
      "--children no --note-stdin --password-stdin --format json > \"$OUT\"\n"
      "code=$?\n"
      "history -w\n"
      "exit $code\n";

  std::map<std::string, std::string> env = c.Env("worker");
  env["PATH"] = "/usr/bin:/bin";
  env["HISTFILE"] = history.string();
  env["PW"] = c.M("pwworker");
  env["CASE"] = c.M("stdincase");
  env["NOTE"] = note.string();
  env["GATE"] = gate.string();
  env["OUT"] = result.string();
  env["DB"] = c.db().string();
  env["SCREENING"] = SCREENING_CLI;
  for (const char* name : {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"}) {
    if (const char* value = std::getenv(name)) env[name] = value;
  }
  std::vector<std::string> env_strings;
  for (const auto& [name, value] : env) env_strings.push_back(name + "=" + value);
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_strings = {"bash", "--norc", "--noprofile", "-c", script};
  std::vector<char*> argv;
  for (auto& a : argv_strings) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, (out / "stderr.txt").c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, "/bin/bash", &actions, &attributes, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  REQUIRE(rc == 0);
  GroupGuard guard{pid};

  // The client, recognised by its program and its option, while it waits for the gate.
  std::map<int, std::string> seen;
  bool client_seen = false;
  for (int i = 0; i < 600 && !client_seen; ++i) {
    seen = CommandLines();
    for (const auto& [process, line] : seen) {
      if (line.rfind(SCREENING_CLI, 0) == 0 && Has(line, "--note-stdin")) client_seen = true;
    }
    if (!client_seen) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  INFO(ReadAll(out / "stderr.txt"));
  REQUIRE(client_seen);
  std::string shown_to_others;
  for (const auto& [process, line] : seen) {
    for (const auto& m : c.markers()) {
      if (Has(line, m.value)) shown_to_others += m.name + " in " + line + "\n";
    }
  }
  CHECK(shown_to_others.empty());
  CHECK(seen.size() > 2);  // the test, the shell, the client at least

  // Open the gate: the shell's `read` ends, the client's input with it.
  int fd = -1;
  for (int i = 0; i < 600 && fd < 0; ++i) {
    fd = ::open(gate.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  REQUIRE(fd >= 0);
  REQUIRE(::write(fd, "\n", 1) == 1);
  ::close(fd);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  guard.group = -1;
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);

  // Stored as given on standard input.
  const std::string printed = ReadAll(result);
  INFO(printed);
  const std::int64_t id = IdFrom(CliRun{0, printed, {}}, "assessment_id");
  const CliRun& shown =
      c.Expect(0, "show", "worker", "pwworker", {"show", std::to_string(id), "--format", "json"},
               {}, {"stdincase", "stdinnote"});
  const auto doc = nlohmann::json::parse(shown.out);
  CHECK(doc.at("case") == c.M("stdincase"));
  CHECK(doc.at("answers").at("answers").at("not_asked_reason_note") == c.M("stdinnote"));

  // The history was written and holds the command, never what it read.
  const std::string kept = ReadAll(history);
  INFO(kept);
  CHECK(Has(kept, control));
  CHECK(Has(kept, "--note-stdin"));
  for (const auto& m : c.markers()) {
    INFO(m.name);
    CHECK(!Has(kept, m.value));
  }
}
