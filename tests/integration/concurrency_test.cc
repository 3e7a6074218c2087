// Several processes on one database file at once: two writers saving and submitting into the
// same cases and a reader listing, opening and verifying the audit chain. No process may see
// an error for a busy database (the store waits), nothing printed as saved may be missing,
// the counts must add up and the audit chain must verify afterwards.
//
// The processes provably overlap: they wait at barriers this test controls (store_writer's
// $SCREENING_WRITER_BARRIER), once at the start and then every few saves (reader: rounds),
// and the test releases a barrier only when all three have reached it. So every round of
// saves runs while the other writer and the reader run the same round, whatever the speed
// of the build, and the writers' submits must interleave in the audit chain.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <screening/registry.h>
#include <screening/store.h>
#include "test_paths.h"

extern char** environ;

namespace fs = std::filesystem;
using namespace screening;

namespace {

// The same synthetic password store_writer uses.
constexpr const char* kPassword = "synthetic test password 1";

struct TempDir {
  TempDir() {
    static std::atomic<int> n{0};
    path = fs::temp_directory_path() /
           ("screening-concurrency-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  fs::path path;
};

std::shared_ptr<const Registry> Instruments() {
  static auto registry = [] {
    auto r = Registry::LoadDirectory(SCREENING_TEST_INSTRUMENTS_DIR, nullptr);
    REQUIRE(r.ok());
    return *r;
  }();
  return registry;
}

StoreOptions Options(const fs::path& key) {
  StoreOptions o;
  o.password_cost = 0;
  o.audit_key_file = key;
  return o;
}

Actor MustLogin(Store& store, const char* user) {
  auto a = store.Login(user, kPassword);
  INFO(a.status().ToString());
  REQUIRE(a.ok());
  return *a;
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// One store_writer process; stdout and stderr go to files, read while it runs and after it
// ends. Its standard input is one end of a socket pair whose other end (`go`) the test
// keeps: one byte there releases the process from the barrier it waits at (a socket, not a
// pipe, so that writing to a process that died fails instead of raising SIGPIPE).
struct Process {
  std::string name;
  pid_t pid = -1;
  fs::path out, err;
  int go = -1;
  int status = 0;
  bool ended = false;

  Process(const std::string& label, const fs::path& dir, std::vector<std::string> args,
          std::vector<std::string> env_extra)
      : name(label), out(dir / (label + ".out")), err(dir / (label + ".err")) {
    int fds[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0);
    go = fds[0];
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDIN_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    args.insert(args.begin(), SCREENING_STORE_WRITER);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env = std::move(env_extra);
    for (char** e = environ; *e; ++e) env.emplace_back(*e);  // the first definition wins
    std::vector<char*> envp;
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    const int rc =
        posix_spawn(&pid, SCREENING_STORE_WRITER, &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    REQUIRE(rc == 0);
  }
  ~Process() {
    CloseGo();
    if (!ended && pid > 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
  }
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  bool Poll() {
    if (ended) return true;
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) ended = true;
    return ended;
  }
  // Lets the process past the barrier it waits at. A process that died is not written to:
  // its end is closed, which the test reports through ExitedOk.
  void Release() {
    if (go >= 0 && ::send(go, "g", 1, MSG_NOSIGNAL) != 1) CloseGo();
  }
  // A process waiting at a barrier (or reaching one later) then fails instead of hanging.
  void CloseGo() {
    if (go >= 0) ::close(go);
    go = -1;
  }
  bool ExitedOk() const { return ended && WIFEXITED(status) && WEXITSTATUS(status) == 0; }
  std::string Describe() const {
    std::ostringstream s;
    s << name << ": ";
    if (!ended) {
      s << "still running (killed by the test)";
    } else if (WIFEXITED(status)) {
      s << "exit " << WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
      s << "signal " << WTERMSIG(status);
    }
    s << "; stderr: " << ReadFile(err);
    return s.str();
  }
};

struct Printed {
  std::int64_t id = 0;
  std::string ref;
};

std::vector<Printed> Saved(const std::vector<std::string>& lines) {
  std::vector<Printed> out;
  for (const auto& line : lines) {
    std::istringstream in(line);
    std::string word;
    Printed p;
    if (in >> word && word == "saved" && in >> p.id >> p.ref) out.push_back(p);
  }
  return out;
}

// The barriers a process has reached so far ("barrier <n>" lines).
int Barriers(const Process& p) {
  const auto lines = Lines(ReadFile(p.out));
  return static_cast<int>(std::count_if(lines.begin(), lines.end(), [](const std::string& l) {
    return l.rfind("barrier ", 0) == 0;
  }));
}

}  // namespace

TEST_CASE("two writers and a reader share one database without errors or lost saves",
          "[store][integration][concurrency][slow]") {
  TempDir dir;
  const fs::path db = dir.path / "db" / "screening.db";
  const fs::path key = dir.path / "keys" / "audit.key";
  {
    auto created = CreateSqliteStore(db, Instruments(), "admin", kPassword, Options(key));
    INFO(created.status().ToString());
    REQUIRE(created.ok());
    Store& store = **created;
    const Actor admin = MustLogin(store, "admin");
    REQUIRE(store.AddUnit(admin, "ifo_vuxen").ok());
    REQUIRE(AddUserReady(store, admin, "kim", Role::kCaseworker, {"ifo_vuxen"}, kPassword).ok());
    REQUIRE(AddUserReady(store, admin, "lo", Role::kCaseworker, {"ifo_vuxen"}, kPassword).ok());
    REQUIRE(AddUserReady(store, admin, "sven", Role::kSupervisor, {"ifo_vuxen"}, kPassword).ok());
  }

  // kRounds rounds: each writer saves kEvery assessments a round, the reader lists and opens
  // kReadsEvery times. Barrier 0 is the start (everyone has logged in), barrier r the end of
  // round r - 1 for all three.
  constexpr int kRounds = 8;
  constexpr int kEvery = 5;
  constexpr int kReadsEvery = 8;
  constexpr int kSaves = kRounds * kEvery;
  constexpr int kReads = kRounds * kReadsEvery;
  const std::string dbs = db.string(), keys = key.string();
  // Both writers save into the same case references ("CRASH-C-<i>"), so they also race to
  // create the same cases.
  const std::string writer_barrier = "SCREENING_WRITER_BARRIER=" + std::to_string(kEvery);
  std::vector<std::unique_ptr<Process>> procs;
  procs.push_back(std::make_unique<Process>(
      "writer-kim", dir.path,
      std::vector<std::string>{dbs, keys, "save", std::to_string(kSaves), "C"},
      std::vector<std::string>{"SCREENING_WRITER_USER=kim", writer_barrier}));
  procs.push_back(std::make_unique<Process>(
      "writer-lo", dir.path,
      std::vector<std::string>{dbs, keys, "save", std::to_string(kSaves), "C"},
      std::vector<std::string>{"SCREENING_WRITER_USER=lo", writer_barrier}));
  procs.push_back(std::make_unique<Process>(
      "reader-sven", dir.path, std::vector<std::string>{dbs, keys, "read", std::to_string(kReads)},
      std::vector<std::string>{"SCREENING_WRITER_USER=sven", "SCREENING_WRITER_ADMIN=admin",
                               "SCREENING_WRITER_BARRIER=" + std::to_string(kReadsEvery)}));

  // Release barrier r once all three wait at it. A process that ends before passing every
  // barrier has failed: the others are then let go (their input closed) instead of waiting.
  int released = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(180);
  while (std::chrono::steady_clock::now() < deadline &&
         !std::all_of(procs.begin(), procs.end(), [](auto& p) { return p->Poll(); })) {
    if (released < kRounds) {
      if (std::any_of(procs.begin(), procs.end(), [](auto& p) { return p->ended; })) {
        for (auto& p : procs) p->CloseGo();
        released = kRounds;
      } else if (std::all_of(procs.begin(), procs.end(),
                             [&](auto& p) { return Barriers(*p) > released; })) {
        for (auto& p : procs) p->Release();
        ++released;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  for (auto& p : procs) {
    INFO(p->Describe());
    CHECK(p->ExitedOk());
    CHECK(Barriers(*p) == kRounds);
  }

  // Every save each writer printed is there, submitted; ids are distinct.
  std::map<std::int64_t, std::string> printed;
  std::size_t printed_lines = 0;
  for (int w = 0; w < 2; ++w) {
    const auto saves = Saved(Lines(ReadFile(procs[w]->out)));
    INFO(procs[w]->name);
    CHECK(saves.size() == static_cast<std::size_t>(kSaves));
    printed_lines += saves.size();
    for (const auto& s : saves) printed[s.id] = s.ref;
  }
  CHECK(printed.size() == printed_lines);
  // Each writer saved kEvery assessments between two barriers.
  for (int w = 0; w < 2; ++w) {
    INFO(procs[w]->name);
    std::vector<int> per_round;
    for (const auto& line : Lines(ReadFile(procs[w]->out))) {
      if (line.rfind("barrier ", 0) == 0) per_round.push_back(0);
      if (line.rfind("saved ", 0) == 0 && !per_round.empty()) ++per_round.back();
    }
    CHECK(per_round == std::vector<int>(kRounds, kEvery));
  }
  // The reader read kReadsEvery times a round, and from round r on it sees at least every
  // assessment the writers submitted before barrier r (a List shows up to 20).
  {
    int round = -1, reads_done = 0;
    for (const auto& line : Lines(ReadFile(procs[2]->out))) {
      std::istringstream in(line);
      std::string word;
      std::size_t listed = 0;
      in >> word;
      if (word == "barrier") ++round;
      if (word != "read" || !(in >> listed)) continue;
      ++reads_done;
      INFO("reader round " << round << ": " << line);
      CHECK(round >= 0);
      CHECK(listed >= std::min<std::size_t>(20, 2 * kEvery * static_cast<std::size_t>(round)));
    }
    CHECK(reads_done == kReads);
  }

  auto opened = OpenSqliteStore(db, Instruments(), Options(key));
  INFO(opened.status().ToString());
  REQUIRE(opened.ok());
  Store& store = **opened;
  const Actor admin = MustLogin(store, "admin");
  const Actor sven = MustLogin(store, "sven");

  for (const auto& [id, ref] : printed) {
    auto rec = store.Get(sven, id);
    INFO("assessment " << id << ": " << rec.status().ToString());
    REQUIRE(rec.ok());
    CHECK(rec->case_ref == ref);
    CHECK(rec->status == AssessmentStatus::kSubmitted);
    CHECK((rec->result.has_value() && !rec->result->band().empty()));
  }

  // The counts add up: 2 x kSaves submitted assessments, each case reference holds one of
  // each writer, and nothing else was stored.
  ListFilter all;
  all.unit = "ifo_vuxen";
  all.limit = 100000;
  auto list = store.List(sven, all);
  REQUIRE(list.ok());
  CHECK(list->size() == 2 * static_cast<std::size_t>(kSaves));
  std::map<std::string, std::multiset<std::string>> authors_by_ref;
  for (const auto& a : *list) {
    CHECK(a.status == AssessmentStatus::kSubmitted);
    authors_by_ref[a.case_ref].insert(a.author);
  }
  CHECK(authors_by_ref.size() == static_cast<std::size_t>(kSaves));
  for (const auto& [ref, authors] : authors_by_ref) {
    INFO(ref);
    CHECK(authors == std::multiset<std::string>{"kim", "lo"});
  }

  // The audit chain verifies and holds exactly one create_draft and one submit per save.
  auto check = store.Check(admin);
  INFO(check.status().ToString());
  REQUIRE(check.ok());
  INFO("audit: " << check->problem << " at seq " << check->first_bad_seq);
  CHECK(check->ok);
  CHECK(check->first_bad_seq == 0);
  auto log = store.AuditLog(admin, "", "");
  REQUIRE(log.ok());
  CHECK(static_cast<std::int64_t>(log->size()) >= check->events);
  std::map<std::string, int> actions;
  std::set<std::string> drafted;
  for (const auto& e : *log) {
    ++actions[e.action];
    if (e.action == "create_draft") drafted.insert(e.object);
  }
  CHECK(actions["create_draft"] == 2 * kSaves);
  CHECK(actions["submit"] == 2 * kSaves);
  CHECK(drafted.size() == 2 * static_cast<std::size_t>(kSaves));
  CHECK(actions["audit_verify"] >= kReads / 10);
  CHECK(actions.count("denied:open") == 0);
  // The writers really ran at the same time: in the chain's order, every round holds submits
  // of both, so the author of the next submit changes at least once a round (a writer that
  // ran all its saves before the other would give one change).
  std::vector<std::pair<std::int64_t, std::string>> submits;
  for (const auto& e : *log) {
    if (e.action == "submit") submits.emplace_back(e.seq, e.user_name);
  }
  std::sort(submits.begin(), submits.end());
  int author_changes = 0;
  for (std::size_t i = 1; i < submits.size(); ++i) {
    if (submits[i].second != submits[i - 1].second) ++author_changes;
  }
  INFO("the submits' authors change " << author_changes << " times");
  CHECK(author_changes >= kRounds);
  for (const auto& [id, ref] : printed) {
    INFO(id);
    CHECK(drafted.count("assessment:" + std::to_string(id)) == 1);
  }
}
