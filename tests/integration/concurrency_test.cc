// Several processes on one database file at once: two writers saving and submitting into the
// same cases and a reader listing, opening and verifying the audit chain. No process may see
// an error for a busy database (the store waits), nothing printed as saved may be missing,
// the counts must add up and the audit chain must verify afterwards.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
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

// One store_writer process; stdout and stderr go to files read after it ends.
struct Process {
  std::string name;
  pid_t pid = -1;
  fs::path out, err;
  int status = 0;
  bool ended = false;

  Process(const std::string& label, const fs::path& dir, std::vector<std::string> args,
          std::vector<std::string> env_extra)
      : name(label), out(dir / (label + ".out")), err(dir / (label + ".err")) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
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
    REQUIRE(rc == 0);
  }
  ~Process() {
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
    REQUIRE(AddUserReady(store, admin, "kim", "caseworker", {"ifo_vuxen"}, kPassword).ok());
    REQUIRE(AddUserReady(store, admin, "lo", "caseworker", {"ifo_vuxen"}, kPassword).ok());
    REQUIRE(AddUserReady(store, admin, "sven", "supervisor", {"ifo_vuxen"}, kPassword).ok());
  }

  constexpr int kSaves = 40;
  constexpr int kReads = 60;
  const std::string dbs = db.string(), keys = key.string();
  // Both writers save into the same case references ("CRASH-C-<i>"), so they also race to
  // create the same cases.
  const fs::path start_file = dir.path / "start";
  const std::string start_env = "SCREENING_WRITER_START_FILE=" + start_file.string();
  std::vector<std::unique_ptr<Process>> procs;
  procs.push_back(std::make_unique<Process>(
      "writer-kim", dir.path,
      std::vector<std::string>{dbs, keys, "save", std::to_string(kSaves), "C"},
      std::vector<std::string>{"SCREENING_WRITER_USER=kim", start_env}));
  procs.push_back(std::make_unique<Process>(
      "writer-lo", dir.path,
      std::vector<std::string>{dbs, keys, "save", std::to_string(kSaves), "C"},
      std::vector<std::string>{"SCREENING_WRITER_USER=lo", start_env}));
  procs.push_back(std::make_unique<Process>(
      "reader-sven", dir.path, std::vector<std::string>{dbs, keys, "read", std::to_string(kReads)},
      std::vector<std::string>{"SCREENING_WRITER_USER=sven", "SCREENING_WRITER_ADMIN=admin",
                               start_env}));

  // Every process has opened the store and logged in: start them together.
  const auto ready_by = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  auto ready = [](const Process& p) {
    const auto lines = Lines(ReadFile(p.out));
    return std::find(lines.begin(), lines.end(), "ready") != lines.end();
  };
  while (
      std::chrono::steady_clock::now() < ready_by &&
      !std::all_of(procs.begin(), procs.end(), [&](auto& p) { return ready(*p) || p->Poll(); })) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  { std::ofstream(start_file) << "go\n"; }

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(100);
  while (std::chrono::steady_clock::now() < deadline &&
         !std::all_of(procs.begin(), procs.end(), [](auto& p) { return p->Poll(); })) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  for (auto& p : procs) {
    INFO(p->Describe());
    CHECK(p->ExitedOk());
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
  {
    // The writers really ran at the same time: their ids interleave.
    const auto kim = Saved(Lines(ReadFile(procs[0]->out)));
    const auto lo = Saved(Lines(ReadFile(procs[1]->out)));
    if (!kim.empty() && !lo.empty()) {
      const bool interleaved = std::any_of(lo.begin(), lo.end(), [&](const Printed& p) {
        return p.id > kim.front().id && p.id < kim.back().id;
      });
      CHECK(interleaved);
    }
  }
  const auto reads = Lines(ReadFile(procs[2]->out));
  CHECK(std::count_if(reads.begin(), reads.end(),
                      [](const std::string& l) { return l.rfind("read ", 0) == 0; }) == kReads);

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
    CHECK(rec->status == "submitted");
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
    CHECK(a.status == "submitted");
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
  for (const auto& [id, ref] : printed) {
    INFO(id);
    CHECK(drafted.count("assessment:" + std::to_string(id)) == 1);
  }
}
