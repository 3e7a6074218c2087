// `screening intake` through a real pseudo-terminal: the binary is started on the slave side
// of a pty (its controlling terminal, so the password is asked without echo on /dev/tty),
// the test types answers and reads the screen, then checks the saved record in-process.
// Covers the whole intake, Ctrl-C and a closed input in the middle of it (a new intake keeps
// its answers until the contact is recorded, since only the contact opens a case), and a
// routine-question draft resumed as an intake. Names and case references are synthetic.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "cli_test_util.h"
#include "commands/command.h"

namespace screening::cli::test {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

constexpr const char* kWorker = "test.worker";
constexpr const char* kWorkerPassword = "test.worker-pass-1";
constexpr const char* kAdminPassword = "test.admin-pass-1";

// A database with the unit ifo_vuxen and the caseworker test.worker.
class Workspace {
 public:
  Workspace() {
    std::string pattern = (fs::temp_directory_path() / "screening-e2e-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    Require({"init", "--password-stdin"}, std::string(kAdminPassword) + "\n", "test.admin");
    Require({"unit", "add", "ifo_vuxen", "--password-stdin"}, std::string(kAdminPassword) + "\n",
            "test.admin");
    // The administrator's password is one-time: the worker chooses kWorkerPassword at once.
    const std::string one_time = std::string("once-") + kWorkerPassword;
    Require({"user", "add", kWorker, "--role", "caseworker", "--unit", "ifo_vuxen",
             "--password-stdin", "--new-password-stdin"},
            std::string(kAdminPassword) + "\n" + one_time + "\n", "test.admin");
    Require({"user", "passwd", "--password-stdin", "--new-password-stdin"},
            one_time + "\n" + kWorkerPassword + "\n", kWorker);
  }
  ~Workspace() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;

  std::map<std::string, std::string> Env(const std::string& user) const {
    return {{"SCREENING_PASSWORD_COST", "0"},
            {"SCREENING_AUDIT_KEY", (dir_ / "audit.key").string()},
            {"SCREENING_INSTRUMENTS", RepoInstrumentsDir().string()},
            {"SCREENING_DB", (dir_ / "screening.db").string()},
            {"SCREENING_USER", user}};
  }

  CliRun Require(const std::vector<std::string>& args, const std::string& input,
                 const std::string& user = kWorker) const {
    CliRun run = RunCli(args, input, Env(user));
    INFO(run.err);
    REQUIRE(run.code == kExitOk);
    return run;
  }

  // A command as the caseworker, in-process, JSON output parsed.
  Json Query(std::vector<std::string> args) const {
    args.push_back("--format");
    args.push_back("json");
    args.push_back("--password-stdin");
    return Json::parse(Require(args, std::string(kWorkerPassword) + "\n").out);
  }

 private:
  fs::path dir_;
};

// The screening binary on a pseudo-terminal.
class Terminal {
 public:
  Terminal(const std::vector<std::string>& args, const std::map<std::string, std::string>& env) {
    master_ = posix_openpt(O_RDWR | O_NOCTTY);
    if (master_ < 0 || grantpt(master_) != 0 || unlockpt(master_) != 0) {
      throw std::runtime_error("no pseudo-terminal");
    }
    const std::string slave_name = ptsname(master_);
    std::vector<std::string> argv_strings = {SCREENING_CLI_BINARY};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& arg : argv_strings) argv.push_back(arg.data());
    argv.push_back(nullptr);
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      // The child: a new session whose controlling terminal is the slave.
      setsid();
      const int slave = open(slave_name.c_str(), O_RDWR);
      if (slave < 0) _exit(127);
      ioctl(slave, TIOCSCTTY, 0);
      dup2(slave, 0);
      dup2(slave, 1);
      dup2(slave, 2);
      if (slave > 2) close(slave);
      close(master_);
      clearenv();
      setenv("PATH", "/usr/bin:/bin", 1);
      setenv("TERM", "dumb", 1);
      setenv("LANG", "C.UTF-8", 1);
      for (const auto& [name, value] : env) setenv(name.c_str(), value.c_str(), 1);
      execv(argv[0], argv.data());
      _exit(127);
    }
  }
  ~Terminal() {
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (master_ >= 0) close(master_);
  }
  Terminal(const Terminal&) = delete;
  Terminal& operator=(const Terminal&) = delete;

  // Reads the screen until `text` appears after the last match; false after 20 s.
  bool Expect(const std::string& text) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
    for (;;) {
      const size_t at = screen_.find(text, cursor_);
      if (at != std::string::npos) {
        cursor_ = at + text.size();
        return true;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !ReadSome(static_cast<int>(left.count()))) return false;
    }
  }
  // Types `line` and Enter.
  void Type(const std::string& line) { Send(line + "\r"); }
  void Send(const std::string& bytes) {
    if (write(master_, bytes.data(), bytes.size()) != static_cast<ssize_t>(bytes.size())) {
      throw std::runtime_error("write to the terminal failed");
    }
  }
  // Waits for the program to end (reading the rest of the screen); its exit status, or -1
  // when it was killed by a signal or did not end within 90 s.
  int Wait() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
    int status = 0;
    while (std::chrono::steady_clock::now() < deadline) {
      ReadSome(50);
      const pid_t done = waitpid(pid_, &status, WNOHANG);
      if (done == pid_) {
        exited_ = true;
        while (ReadSome(50)) {
        }
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
    }
    return -1;
  }
  const std::string& screen() const { return screen_; }

 private:
  bool ReadSome(int timeout_ms) {
    struct pollfd fd = {master_, POLLIN, 0};
    if (poll(&fd, 1, timeout_ms) <= 0) return false;
    char buffer[4096];
    const ssize_t n = read(master_, buffer, sizeof buffer);
    if (n <= 0) return false;  // EIO once the child has closed the slave
    screen_.append(buffer, static_cast<size_t>(n));
    return true;
  }

  int master_ = -1;
  pid_t pid_ = -1;
  bool exited_ = false;
  std::string screen_;
  size_t cursor_ = 0;
};

// Logs in on the terminal and answers the safety check and q1.
void StartIntake(Terminal& term, const char* case_ref) {
  (void)case_ref;
  REQUIRE(term.Expect("Lösenord för test.worker: "));
  term.Type(kWorkerPassword);
  REQUIRE(term.Expect("Kan frågan ställas säkert nu"));
  REQUIRE(term.Expect("Svar: "));
  term.Type("j");
  REQUIRE(term.Expect("Är du rädd för någon som står dig nära?"));
  REQUIRE(term.Expect("Svar: "));
  term.Type("j");
  REQUIRE(term.Expect("Har någon som står dig nära slagit"));
  REQUIRE(term.Expect("Svar: "));
}

}  // namespace

TEST_CASE("intake on a terminal: typed answers, outcome, resources, saved record", "[e2e]") {
  Workspace ws;
  Terminal term({"intake", "--unit", "ifo_vuxen", "--case", "E-1"}, ws.Env(kWorker));
  StartIntake(term, "E-1");
  for (int q = 2; q <= 8; ++q) {
    term.Type("n");
    if (q < 8) REQUIRE(term.Expect("Svar: "));
  }
  REQUIRE(term.Expect("Vad blev utfallet?"));
  REQUIRE(term.Expect("Svar: "));
  term.Type("1");
  REQUIRE(term.Expect("Vilka former av våld"));
  REQUIRE(term.Expect("Svar: "));
  term.Type("1,5");
  REQUIRE(term.Expect("Finns det barn under 18 år i hushållet?"));
  REQUIRE(term.Expect("Svar: "));
  term.Type("n");
  REQUIRE(term.Expect("Berättade om våld"));
  REQUIRE(term.Expect("112"));
  REQUIRE(term.Expect("Registrera kontakten och utfallet nu?"));
  term.Type("j");
  REQUIRE(term.Expect("Sparat: kontakt "));
  REQUIRE(term.Expect("Starta en farlighetsbedömning (farlighet) för personen?"));
  REQUIRE(term.Expect("Val: "));
  term.Type("3");
  REQUIRE(term.Expect("använder våld mot någon närstående? (j/n): "));
  term.Type("n");
  CHECK(term.Wait() == 0);
  INFO(term.screen());
  // The password was asked with echo off.
  CHECK(term.screen().find(kWorkerPassword) == std::string::npos);

  std::smatch match;
  const std::string screen = term.screen();
  REQUIRE(std::regex_search(
      screen, match, std::regex("Sparat: kontakt ([0-9]+), rutinfrågan som bedömning ([0-9]+)")));
  const Json shown = ws.Query({"show", match[2].str()});
  CHECK(shown["status"] == "submitted");
  CHECK(shown["case"] == "E-1");
  CHECK(shown["contact_id"] == std::stoll(match[1].str()));
  CHECK(shown["answers"]["answers"]["q1"] == "yes");
  CHECK(shown["answers"]["answers"]["violence_types"] == Json::array({"physical", "economic"}));
  CHECK(shown["result"]["band"] == "disclosed");
}

TEST_CASE("intake on a terminal: Ctrl-C before the contact is recorded saves nothing", "[e2e]") {
  Workspace ws;
  Terminal term({"intake", "--unit", "ifo_vuxen", "--case", "E-2"}, ws.Env(kWorker));
  StartIntake(term, "E-2");
  term.Send("\x03");  // Ctrl-C at the prompt of q2
  REQUIRE(term.Expect("Avbrutet innan kontakten registrerades; inget sparades."));
  CHECK(term.Wait() == 1);
  CHECK(ws.Query({"draft", "list"}).empty());
  CHECK(ws.Query({"list"}).empty());
}

TEST_CASE(
    "intake on a terminal: closing the input saves nothing, and a routine-question draft in a "
    "case with an intake resumes",
    "[e2e]") {
  Workspace ws;
  Terminal term({"intake", "--unit", "ifo_vuxen", "--case", "E-3"}, ws.Env(kWorker));
  StartIntake(term, "E-3");
  term.Type("n");  // q2
  REQUIRE(term.Expect("Svar: "));
  term.Send("\x04");  // Ctrl-D: end of input at q3
  REQUIRE(term.Expect("inget sparades"));
  CHECK(term.Wait() == 1);
  CHECK(ws.Query({"draft", "list"}).empty());

  // A case with an intake, and a routine question begun there with `assess`, stopped at q3.
  ws.Require({"intake", "--unit", "ifo_vuxen", "--case", "E-3", "--not-asked", "acute_crisis",
              "--children", "no", "--password-stdin"},
             std::string(kWorkerPassword) + "\n");
  Terminal assess({"assess", "--instrument", "rutinfraga", "--unit", "ifo_vuxen", "--case", "E-3"},
                  ws.Env(kWorker));
  StartIntake(assess, "E-3");
  assess.Type("n");  // q2
  REQUIRE(assess.Expect("Svar: "));
  assess.Send("\x04");  // Ctrl-D: end of input at q3
  REQUIRE(assess.Expect("är sparat med alla svar hittills"));
  CHECK(assess.Wait() == 1);

  const Json drafts = ws.Query({"draft", "list"});
  REQUIRE(drafts.size() == 1);
  const std::string id = std::to_string(drafts[0]["id"].get<std::int64_t>());
  // Resumed on the terminal: it starts at q3.
  Terminal resumed({"draft", "resume", id}, ws.Env(kWorker));
  REQUIRE(resumed.Expect("Lösenord för test.worker: "));
  resumed.Type(kWorkerPassword);
  REQUIRE(resumed.Expect("Har någon som står dig nära hotat dig"));
  for (int q = 3; q <= 8; ++q) {
    REQUIRE(resumed.Expect("Svar: "));
    resumed.Type("n");
  }
  REQUIRE(resumed.Expect("Vad blev utfallet?"));
  REQUIRE(resumed.Expect("Svar: "));
  resumed.Type("3");  // declined
  REQUIRE(resumed.Expect("Finns det barn under 18 år i hushållet?"));
  REQUIRE(resumed.Expect("Svar: "));
  resumed.Type("n");
  REQUIRE(resumed.Expect("Registrera kontakten och utfallet nu?"));
  resumed.Type("j");
  REQUIRE(resumed.Expect("Sparat: kontakt "));
  REQUIRE(resumed.Expect("(j/n): "));
  resumed.Type("n");
  CHECK(resumed.Wait() == 0);
  INFO(resumed.screen());
  CHECK(resumed.screen().find("Är du rädd för någon") == std::string::npos);

  CHECK(ws.Query({"draft", "list"}).empty());
  // The not-asked intake, and the resumed routine question recorded with its contact.
  const Json listed = ws.Query({"list"});
  REQUIRE(listed.size() == 2);
  const Json shown = ws.Query({"show", std::to_string(listed[0]["id"].get<std::int64_t>())});
  CHECK(shown["status"] == "submitted");
  CHECK(shown["contact_id"].is_number());
  CHECK(shown["answers"]["answers"]["q1"] == "yes");
  CHECK(shown["answers"]["answers"]["q2"] == "no");
  CHECK(shown["result"]["band"] == "declined");
}

}  // namespace screening::cli::test
