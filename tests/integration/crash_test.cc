// Crash atomicity of the case store: a writer process is killed (SIGKILL) at random moments
// while it saves and submits assessments (first test), or while it records intakes (contact
// and routine question in one transaction), review decisions (approve, return, level change),
// amendments and user changes (add user, set password) (second test); after every kill the
// database must open, pass integrity_check, foreign_key_check and the audit chain, hold every
// operation that had returned success before the kill, and hold every operation wholly or not
// at all: no change without its audit event (nor the reverse), no contact without its
// assessment, no decision without its review row.
//
// Each loop runs at most SCREENING_CRASH_SECONDS (default 55) and SCREENING_CRASH_ITERATIONS
// (default 30) kills; SCREENING_CRASH_SEED picks another sequence of kill delays.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <screening/registry.h>
#include <screening/store.h>
#include "test_paths.h"

extern char** environ;

namespace fs = std::filesystem;
using namespace screening;
using SteadyClock = std::chrono::steady_clock;

namespace {

// The same synthetic passwords store_writer uses.
constexpr const char* kPassword = "synthetic test password 1";
constexpr const char* kPassword2 = "synthetic test password 2";

long EnvNumber(const char* name, long fallback) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return fallback;
  return std::strtol(v, nullptr, 10);
}

// The loops' limits: both tests together stay within two minutes by default.
int Iterations() { return static_cast<int>(EnvNumber("SCREENING_CRASH_ITERATIONS", 30)); }
std::chrono::seconds Budget() {
  return std::chrono::seconds(EnvNumber("SCREENING_CRASH_SECONDS", 55));
}
unsigned Seed() { return static_cast<unsigned>(EnvNumber("SCREENING_CRASH_SEED", 20260528)); }

struct TempDir {
  TempDir() {
    static std::atomic<int> n{0};
    path = fs::temp_directory_path() /
           ("screening-crash-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
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

// The writer's stdout through a pipe, its stderr into a file (shown when it fails).
struct Writer {
  pid_t pid = -1;
  int out = -1;
  std::string buffered;
  fs::path err_file;

  Writer(const fs::path& db, const fs::path& key, const fs::path& err, const std::string& mode,
         long n, const std::string& tag)
      : err_file(err) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    posix_spawn_file_actions_addclose(&actions, fds[1]);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    std::vector<std::string> args = {SCREENING_STORE_WRITER, db.string(), key.string(), mode,
                                     std::to_string(n),      tag};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const int rc =
        posix_spawn(&pid, SCREENING_STORE_WRITER, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    out = fds[0];
    REQUIRE(rc == 0);
  }
  ~Writer() {
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
    if (out >= 0) ::close(out);
  }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Reads complete lines until `deadline` (or EOF). Returns false at EOF.
  bool ReadUntil(SteadyClock::time_point deadline, std::vector<std::string>& lines) {
    for (;;) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now())
              .count();
      if (left <= 0) return true;
      pollfd p{out, POLLIN, 0};
      const int ready = ::poll(&p, 1, static_cast<int>(left));
      if (ready < 0 && errno == EINTR) continue;
      REQUIRE(ready >= 0);
      if (ready == 0) return true;
      if (!ReadSome(lines)) return false;
    }
  }

  // Reads until a line `want` arrives; false at EOF or the deadline without it.
  bool WaitFor(const std::string& want, SteadyClock::time_point deadline,
               std::vector<std::string>& lines) {
    for (;;) {
      if (std::find(lines.begin(), lines.end(), want) != lines.end()) return true;
      if (SteadyClock::now() >= deadline) return false;
      pollfd p{out, POLLIN, 0};
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now())
              .count();
      const int ready = ::poll(&p, 1, static_cast<int>(std::max<long long>(left, 0)));
      if (ready < 0 && errno == EINTR) continue;
      REQUIRE(ready >= 0);
      if (ready > 0 && !ReadSome(lines)) return false;
    }
  }

  // Reads whatever is left after the process is gone (everything it wrote before dying).
  void Drain(std::vector<std::string>& lines) {
    while (ReadSome(lines)) {
    }
  }

  bool ReadSome(std::vector<std::string>& lines) {
    char buf[4096];
    const ssize_t got = ::read(out, buf, sizeof buf);
    if (got < 0 && errno == EINTR) return true;
    REQUIRE(got >= 0);
    if (got == 0) return false;  // a partial last line (killed mid-write) is dropped
    buffered.append(buf, static_cast<std::size_t>(got));
    for (std::size_t nl; (nl = buffered.find('\n')) != std::string::npos;) {
      lines.push_back(buffered.substr(0, nl));
      buffered.erase(0, nl + 1);
    }
    return true;
  }

  // Waits for the process; returns the raw wait status.
  int Wait() {
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    pid = -1;
    return status;
  }

  std::string Stderr() const {
    std::ifstream in(err_file);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
};

struct Printed {
  std::int64_t id = 0;
  std::string ref;
};

// "draft <id> <ref>" / "saved <id> <ref>" lines of one kind.
std::vector<Printed> Parse(const std::vector<std::string>& lines, const std::string& kind) {
  std::vector<Printed> out;
  for (const auto& line : lines) {
    std::istringstream in(line);
    std::string word;
    Printed p;
    if (in >> word && word == kind && in >> p.id >> p.ref) out.push_back(p);
  }
  return out;
}

// The i of "CRASH-<tag>-<i>": the writer answered i % 25 items yes.
long IndexOf(const std::string& ref) { return std::stol(ref.substr(ref.rfind('-') + 1)); }

}  // namespace

TEST_CASE("a writer killed at random moments never leaves a half-written or lost save",
          "[store][integration][crash][slow]") {
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
    REQUIRE(AddUserReady(store, admin, "sven", Role::kSupervisor, {"ifo_vuxen"}, kPassword).ok());
  }

  const unsigned seed = Seed();
  INFO("seed " << seed << " (set SCREENING_CRASH_SEED to repeat another run)");
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> delay_ms(3, 300);

  const int kIterations = Iterations();
  const auto budget_end = SteadyClock::now() + Budget();
  int iterations = 0, killed = 0, killed_mid_run = 0, between_draft_and_submit = 0;
  std::size_t total_saved = 0;
  // Every save that returned success so far, over all iterations.
  std::map<std::int64_t, std::string> saved_all;

  for (int it = 0; it < kIterations && SteadyClock::now() < budget_end; ++it) {
    ++iterations;
    const int delay = delay_ms(rng);
    INFO("iteration " << it << ", kill " << delay << " ms after login");
    std::vector<std::string> lines;
    int status = 0;
    {
      Writer w(db, key, dir.path / ("writer-" + std::to_string(it) + ".err"), "save", 1000000,
               std::to_string(it));
      // Wait for the login (loading the instruments takes a while under the sanitizers), then
      // let it save for `delay` ms.
      const bool became_ready =
          w.WaitFor("ready", SteadyClock::now() + std::chrono::seconds(60), lines);
      if (became_ready) w.ReadUntil(SteadyClock::now() + std::chrono::milliseconds(delay), lines);
      ::kill(w.pid, SIGKILL);
      status = w.Wait();
      w.Drain(lines);
      INFO("writer stderr: " << w.Stderr());
      REQUIRE(became_ready);
      // It must have been running (and not have stopped on an error) when it was killed.
      REQUIRE(WIFSIGNALED(status));
      REQUIRE(WTERMSIG(status) == SIGKILL);
    }
    ++killed;
    const auto drafts = Parse(lines, "draft");
    const auto saves = Parse(lines, "saved");
    if (!saves.empty()) ++killed_mid_run;
    if (drafts.size() > saves.size()) ++between_draft_and_submit;
    total_saved += saves.size();
    for (const auto& s : saves) saved_all[s.id] = s.ref;

    // Recovery: the store opens after the crash and every check passes.
    auto opened = OpenSqliteStore(db, Instruments(), Options(key));
    INFO(opened.status().ToString());
    REQUIRE(opened.ok());
    Store& store = **opened;
    const Actor admin = MustLogin(store, "admin");
    const Actor kim = MustLogin(store, "kim");
    auto check = store.Check(admin);
    INFO(check.status().ToString());
    REQUIRE(check.ok());
    INFO("audit: " << check->problem << " at seq " << check->first_bad_seq);
    REQUIRE(check->ok);
    CHECK(check->events > 0);

    // Every save that had returned success is there, submitted, with the result its answers
    // give (dash: 14 or more yes is "high").
    for (const auto& s : saves) {
      auto rec = store.Get(kim, s.id);
      INFO("assessment " << s.id << " " << s.ref << ": " << rec.status().ToString());
      REQUIRE(rec.ok());
      CHECK(rec->case_ref == s.ref);
      CHECK(rec->status == AssessmentStatus::kSubmitted);
      REQUIRE(rec->result.has_value());
      CHECK(rec->result->band() ==
            (IndexOf(s.ref) % 25 >= 14 ? std::string("high") : std::string("below_threshold")));
      CHECK(rec->answers.answers().size() == 24);
    }
    // A draft that had returned is there too (draft, or submitted when the kill came after
    // the submit committed but before it was printed).
    for (const auto& d : drafts) {
      auto rec = store.Get(kim, d.id);
      INFO("draft " << d.id << ": " << rec.status().ToString());
      REQUIRE(rec.ok());
      CHECK(
          (rec->status == AssessmentStatus::kDraft || rec->status == AssessmentStatus::kSubmitted));
    }

    // All or nothing: every assessment has exactly one create_draft event, and exactly one
    // submit event when (and only when) it is submitted with a result; no event names an
    // assessment that is not there (a change lost while its event was kept).
    ListFilter all;
    all.unit = "ifo_vuxen";
    all.limit = 1000000;
    auto list = store.List(kim, all);
    REQUIRE(list.ok());
    CHECK(list->size() >= saved_all.size());
    auto log = store.AuditLog(admin, "", "");
    REQUIRE(log.ok());
    std::map<std::string, int> created_events, submit_events;
    for (const auto& e : *log) {
      if (e.action == "create_draft") ++created_events[e.object];
      if (e.action == "submit") ++submit_events[e.object];
    }
    std::set<std::string> present;
    std::size_t submitted_count = 0, with_result = 0;
    for (const auto& a : *list) {
      const std::string object = "assessment:" + std::to_string(a.id);
      present.insert(object);
      INFO(object << " " << StatusId(a.status));
      CHECK(created_events[object] == 1);
      CHECK(submit_events[object] == (a.status == AssessmentStatus::kSubmitted ? 1 : 0));
      if (a.status == AssessmentStatus::kSubmitted) {
        ++submitted_count;
        // The indexed level is written in the same transaction as the status.
        if (!a.final_level.empty()) ++with_result;
      }
    }
    CHECK(with_result == submitted_count);
    for (const auto& [object, count] : created_events) {
      INFO(object);
      CHECK(present.count(object) == 1);
    }
    for (const auto& [object, count] : submit_events) {
      INFO(object);
      CHECK(present.count(object) == 1);
    }
    // Nothing saved in an earlier iteration went missing in a later crash.
    for (const auto& saved : saved_all) {
      // clang 14 cannot capture structured bindings in a lambda.
      const auto& id = saved.first;
      const auto& ref = saved.second;
      const bool found = std::any_of(list->begin(), list->end(), [&](const AssessmentSummary& a) {
        return a.id == id && a.case_ref == ref && a.status == AssessmentStatus::kSubmitted;
      });
      INFO("assessment " << id << " " << ref);
      CHECK(found);
    }
  }

  INFO(iterations << " iterations, " << killed << " kills, " << killed_mid_run
                  << " with saves returned, " << between_draft_and_submit
                  << " between a draft and its submit, " << total_saved << " saves in all");
  WARN(iterations << " iterations, " << killed << " kills, " << killed_mid_run
                  << " with saves returned, " << between_draft_and_submit
                  << " between a draft and its submit, " << total_saved << " saves in all");
  CHECK(iterations >= 5);
  // The kills really came while the writer was saving, not before it started.
  CHECK(killed_mid_run * 2 >= iterations);
  CHECK(total_saved >= static_cast<std::size_t>(iterations));
}

namespace {

// Starts the writer in `mode`, waits for its login, lets it work for `delay` ms, kills it and
// returns every line it printed. REQUIREs that it was still working when killed.
std::vector<std::string> RunAndKill(const fs::path& dir, const fs::path& db, const fs::path& key,
                                    const std::string& mode, int it, int delay) {
  std::vector<std::string> lines;
  Writer w(db, key, dir / ("writer-" + mode + "-" + std::to_string(it) + ".err"), mode, 1000000,
           std::to_string(it));
  const bool became_ready =
      w.WaitFor("ready", SteadyClock::now() + std::chrono::seconds(60), lines);
  if (became_ready) w.ReadUntil(SteadyClock::now() + std::chrono::milliseconds(delay), lines);
  ::kill(w.pid, SIGKILL);
  const int status = w.Wait();
  w.Drain(lines);
  INFO("writer (" << mode << ") stderr: " << w.Stderr());
  REQUIRE(became_ready);
  REQUIRE(WIFSIGNALED(status));
  REQUIRE(WTERMSIG(status) == SIGKILL);
  return lines;
}

// The words of the lines starting with `kind` (the kind itself left out).
std::vector<std::vector<std::string>> Words(const std::vector<std::string>& lines,
                                            const std::string& kind) {
  std::vector<std::vector<std::string>> out;
  for (const auto& line : lines) {
    std::istringstream in(line);
    std::string word;
    if (!(in >> word) || word != kind) continue;
    std::vector<std::string> rest;
    while (in >> word) rest.push_back(word);
    out.push_back(rest);
  }
  return out;
}

// What the writers reported as returned, over all iterations.
struct Reported {
  std::map<std::int64_t, std::int64_t> intakes;  // contact id -> assessment id
  std::set<std::int64_t> saved, approved, returned, leveled, amend_submitted;
  std::map<std::int64_t, std::int64_t> amended;  // new version -> the approved one
  std::set<std::string> users, passwd;
  std::set<std::string> maybe_users;  // names a killed writer may have been adding
};

void Collect(const std::vector<std::string>& lines, const std::string& mode, int it, Reported& r) {
  for (const auto& w : Words(lines, "intake")) {
    REQUIRE(w.size() == 3);
    r.intakes[std::stoll(w[0])] = std::stoll(w[1]);
  }
  for (const auto& w : Words(lines, "saved")) r.saved.insert(std::stoll(w.at(0)));
  for (const auto& w : Words(lines, "approved")) r.approved.insert(std::stoll(w.at(0)));
  for (const auto& w : Words(lines, "returned")) r.returned.insert(std::stoll(w.at(0)));
  for (const auto& w : Words(lines, "level")) r.leveled.insert(std::stoll(w.at(0)));
  for (const auto& w : Words(lines, "amended"))
    r.amended[std::stoll(w.at(1))] = std::stoll(w.at(0));
  for (const auto& w : Words(lines, "amendsub")) r.amend_submitted.insert(std::stoll(w.at(0)));
  const auto users = Words(lines, "user");
  for (const auto& w : users) r.users.insert(w.at(0));
  for (const auto& w : Words(lines, "passwd")) r.passwd.insert(w.at(0));
  if (mode == "user") {
    // The name after the last one reported may or may not have been added.
    r.maybe_users.insert("u" + std::to_string(it) + "x" + std::to_string(users.size()));
  }
}

}  // namespace

TEST_CASE(
    "a writer killed during an intake, a review decision, an amendment or a user change "
    "leaves each one wholly done or not at all",
    "[store][integration][crash][slow]") {
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
    REQUIRE(AddUserReady(store, admin, "sven", Role::kSupervisor, {"ifo_vuxen"}, kPassword).ok());
  }
  const unsigned seed = Seed() + 1;
  INFO("seed " << seed << " (set SCREENING_CRASH_SEED to repeat another run)");
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> delay_ms(3, 300);
  const std::vector<std::string> modes = {"intake", "review", "amend", "user"};

  const int max_iterations = Iterations();
  const auto budget_end = SteadyClock::now() + Budget();
  int iterations = 0;
  std::map<std::string, int> kills, mid_run;
  Reported reported;
  // Assessments already checked in full (what the writers do never changes them later).
  std::set<std::int64_t> checked;

  for (int it = 0; it < max_iterations && SteadyClock::now() < budget_end; ++it) {
    ++iterations;
    const std::string& mode = modes[static_cast<std::size_t>(it) % modes.size()];
    const int delay = delay_ms(rng);
    INFO("iteration " << it << " (" << mode << "), kill " << delay << " ms after login");
    const auto lines = RunAndKill(dir.path, db, key, mode, it, delay);
    ++kills[mode];
    if (lines.size() > 1) ++mid_run[mode];
    Collect(lines, mode, it, reported);

    auto opened = OpenSqliteStore(db, Instruments(), Options(key));
    INFO(opened.status().ToString());
    REQUIRE(opened.ok());
    Store& store = **opened;
    const Actor admin = MustLogin(store, "admin");
    const Actor kim = MustLogin(store, "kim");
    const Actor sven = MustLogin(store, "sven");
    auto check = store.Check(admin);
    INFO(check.status().ToString());
    REQUIRE(check.ok());
    INFO("audit: " << check->problem << " at seq " << check->first_bad_seq);
    REQUIRE(check->ok);

    // The audit events per action and object.
    auto log = store.AuditLog(admin, "", "");
    REQUIRE(log.ok());
    std::map<std::string, std::map<std::string, int>> events;  // action -> object -> count
    for (const auto& e : *log) ++events[e.action][e.object];
    auto count = [&](const std::string& action, const std::string& object) {
      auto a = events.find(action);
      if (a == events.end()) return 0;
      auto o = a->second.find(object);
      return o == a->second.end() ? 0 : o->second;
    };

    ListFilter all;
    all.unit = "ifo_vuxen";
    all.limit = 1000000;
    auto list = store.List(kim, all);
    REQUIRE(list.ok());
    std::map<std::int64_t, AssessmentSummary> by_id;
    for (const auto& a : *list) by_id[a.id] = a;

    // Every assessment: created once (a draft or an amendment), submitted events matching its
    // status, review rows matching the decisions' events and its status.
    std::map<std::int64_t, std::int64_t> contact_of;  // contact id -> assessment id
    for (const auto& a : *list) {
      const std::string object = "assessment:" + std::to_string(a.id);
      INFO(object << " " << a.instrument_id << " v" << a.version << " " << StatusId(a.status));
      CHECK(count("create_draft", object) + count("amend", object) == 1);
      CHECK(count("amend", object) == (a.version > 1 ? 1 : 0));
      const bool was_submitted = a.status != AssessmentStatus::kDraft;
      CHECK(count("submit", object) == (was_submitted ? 1 : 0));
      if (a.instrument_id == "dash" && a.status != AssessmentStatus::kDraft)
        CHECK(!a.final_level.empty());
      if (a.instrument_id == "rutinfraga") {
        // Intake: the assessment is linked to its contact and was submitted in the same
        // transaction; a draft here would be a torn intake.
        auto rec = store.Get(kim, a.id);
        REQUIRE(rec.ok());
        REQUIRE(rec->contact_id.has_value());
        contact_of[*rec->contact_id] = a.id;
        CHECK(a.status == AssessmentStatus::kSubmitted);
        CHECK(rec->result.has_value());
        continue;
      }
      if (checked.count(a.id) != 0) continue;
      // Reviews are kept per assessment (all its versions): compare with the events and
      // statuses of every version in the chain.
      auto reviews = store.Reviews(sven, a.id);
      REQUIRE(reviews.ok());
      std::map<std::string, int> decisions, chain_events;
      for (const auto& r : *reviews) ++decisions[r.decision];
      int chain_approved = 0, chain_returned = 0;
      for (const auto& other : *list) {
        if (other.chain_id != a.chain_id) continue;
        const std::string o = "assessment:" + std::to_string(other.id);
        for (const char* action : {"approve", "return", "change_level"}) {
          chain_events[action] += count(action, o);
        }
        if (other.status == AssessmentStatus::kApproved) ++chain_approved;
        if (other.status == AssessmentStatus::kReturned) ++chain_returned;
      }
      CHECK(decisions["approved"] == chain_events["approve"]);
      CHECK(decisions["returned"] == chain_events["return"]);
      CHECK(decisions["level_changed"] == chain_events["change_level"]);
      CHECK(decisions["approved"] == chain_approved);
      CHECK(decisions["returned"] == chain_returned);
      if (count("change_level", object) == 1) CHECK(a.final_level == "high");
      if (a.version > 1) {
        // An amendment: the version it corrects is there, approved, in the same chain.
        auto rec = store.Get(kim, a.id);
        REQUIRE(rec.ok());
        REQUIRE(rec->amends_id.has_value());
        REQUIRE(by_id.count(*rec->amends_id) == 1);
        CHECK(by_id[*rec->amends_id].status == AssessmentStatus::kApproved);
        CHECK(by_id[*rec->amends_id].chain_id == a.chain_id);
        CHECK(rec->amend_reason == "synthetic correction");
      }
      // Once the writer that made it is dead nothing changes it again: check it only once.
      checked.insert(a.id);
    }
    // No event names an assessment that is not there.
    for (const char* action :
         {"create_draft", "submit", "approve", "return", "change_level", "amend"}) {
      for (const auto& entry : events[action]) {
        const std::string& object = entry.first;
        INFO(action << " " << object);
        REQUIRE(object.rfind("assessment:", 0) == 0);
        CHECK(by_id.count(std::stoll(object.substr(11))) == 1);
      }
    }
    // Intake: a contact exactly when its routine-question assessment is there.
    std::set<std::int64_t> contacts;
    for (const auto& entry : events["create"]) {
      const std::string& object = entry.first;
      if (object.rfind("contact:", 0) == 0) contacts.insert(std::stoll(object.substr(8)));
    }
    for (std::int64_t c : contacts) {
      INFO("contact " << c);
      CHECK(contact_of.count(c) == 1);
    }
    CHECK(contact_of.size() == contacts.size());
    // Everything reported as done is there.
    for (const auto& intake : reported.intakes) {
      const std::int64_t c = intake.first;
      const std::int64_t a = intake.second;
      INFO("intake contact " << c << " assessment " << a);
      CHECK(contact_of.count(c) == 1);
      CHECK(contact_of[c] == a);
    }
    for (std::int64_t id : reported.saved) {
      INFO("saved " << id);
      CHECK(by_id.count(id) == 1);
    }
    for (std::int64_t id : reported.approved) {
      INFO("approved " << id);
      CHECK(by_id[id].status == AssessmentStatus::kApproved);
    }
    for (std::int64_t id : reported.returned) {
      INFO("returned " << id);
      CHECK(by_id[id].status == AssessmentStatus::kReturned);
    }
    for (std::int64_t id : reported.leveled) {
      INFO("level changed " << id);
      CHECK(by_id[id].final_level == "high");
      CHECK(count("change_level", "assessment:" + std::to_string(id)) == 1);
    }
    for (const auto& amendment : reported.amended) {
      INFO("amendment " << amendment.first << " of " << amendment.second);
      CHECK(by_id[amendment.first].version == 2);
      CHECK(by_id[amendment.first].chain_id == by_id[amendment.second].chain_id);
    }
    for (std::int64_t id : reported.amend_submitted) {
      INFO("amendment submitted " << id);
      CHECK(by_id[id].status == AssessmentStatus::kSubmitted);
    }
    // Users: each one added is there with the password its events say it has; one whose
    // addition was not reported is there only with its event.
    std::set<std::string> added;
    for (const auto& entry : events["add_user"]) {
      const std::string& object = entry.first;
      REQUIRE(object.rfind("user:", 0) == 0);
      added.insert(object.substr(5));
    }
    for (const auto& name : reported.users) {
      INFO("user " << name);
      CHECK(added.count(name) == 1);
    }
    for (const auto& name : reported.passwd) {
      INFO("passwd " << name);
      CHECK(count("set_password", "user:" + name) == 1);
    }
    std::set<std::string> to_try = added;
    to_try.insert(reported.maybe_users.begin(), reported.maybe_users.end());
    for (const auto& name : to_try) {
      if (name == "admin" || name == "kim" || name == "sven") continue;
      INFO("user " << name << " added " << added.count(name));
      if (added.count(name) == 0) {
        // Not added: no such account (the password changes are for added users only).
        CHECK(count("set_password", "user:" + name) == 0);
        CHECK_FALSE(store.Login(name, kPassword).ok());
        continue;
      }
      const bool changed = count("set_password", "user:" + name) == 1;
      auto login = store.Login(name, changed ? kPassword2 : kPassword);
      INFO(login.status().ToString());
      CHECK(login.ok());
    }
  }

  std::ostringstream summary;
  summary << iterations << " iterations;";
  for (const auto& mode : modes) {
    summary << " " << mode << ": " << kills[mode] << " kills, " << mid_run[mode] << " mid-run;";
  }
  summary << " " << reported.intakes.size() << " intakes, " << reported.approved.size()
          << " approvals, " << reported.returned.size() << " returns, " << reported.leveled.size()
          << " level changes, " << reported.amended.size() << " amendments, "
          << reported.users.size() << " users";
  WARN(summary.str());
  CHECK(iterations >= 8);
  // The kills really came while the writers were working.
  for (const auto& mode : modes) {
    INFO(mode);
    CHECK(mid_run[mode] * 2 >= kills[mode]);
  }
  CHECK(!reported.intakes.empty());
  CHECK(!reported.approved.empty());
  CHECK(!reported.amended.empty());
  CHECK(!reported.users.empty());
}
