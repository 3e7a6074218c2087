// An interrupted restore leaves no plaintext behind (docs/reliability.md). The real
// `screening restore` runs in a child process and is stopped with SIGTERM, SIGHUP or SIGKILL
// at random points of its run (from start-up to after it finished); afterwards no file in
// the target's folder may hold SQLite's header or a marker from the data, except the target
// itself, which exists only complete and verified.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <screening/registry.h>
#include <screening/store.h>
#include <sodium.h>
#include <catch2/catch.hpp>

#include "reliability_support.h"
#include "test_paths.h"

extern char** environ;

namespace fs = std::filesystem;

namespace screening::reliability {
namespace {

constexpr const char* kPassword = "synthetic test password 1";

int EnvInt(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoi(v) : fallback;
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A database of some megabytes (so that decrypting, checking and writing take a while),
// whose free text holds `marker`, and a key-file backup of it.
struct Source {
  fs::path backup, backup_key, audit_key;
};

Source MakeSource(const fs::path& dir, const std::string& marker) {
  auto registry = Registry::LoadDirectory(SCREENING_TEST_INSTRUMENTS_DIR, nullptr);
  REQUIRE(registry.ok());
  Source s;
  s.audit_key = dir / "audit.key";
  StoreOptions options;
  options.password_cost = 0;
  options.audit_key_file = s.audit_key;
  auto store =
      CreateSqliteStore(dir / "source" / "screening.db", *registry, "admin", kPassword, options);
  REQUIRE(store.ok());
  Store& st = **store;
  auto admin = st.Login("admin", kPassword);
  REQUIRE(admin.ok());
  REQUIRE(st.AddUnit(*admin, "ifo_vuxen").ok());
  REQUIRE(AddUserReady(st, *admin, "worker", Role::kCaseworker, {"ifo_vuxen"}, kPassword).ok());
  auto worker = st.Login("worker", kPassword);
  REQUIRE(worker.ok());
  const std::string note = marker + " " + std::string(3000, 'n');
  REQUIRE(st.Bulk([&]() -> Status {
              for (int i = 0; i < 2500; ++i) {
                ContactInput c{"ifo_vuxen",
                               "IFO-" + std::to_string(100000 + i),
                               "2025-03-14",
                               "not_asked",
                               "other",
                               note,
                               {}};
                if (auto id = st.AddContact(*worker, c); !id.ok()) return id.status();
              }
              return Status::Ok();
            }).ok());
  REQUIRE(sodium_init() >= 0);
  std::string key(32, '\0');
  randombytes_buf(key.data(), key.size());
  s.backup_key = dir / "backup.key";
  std::ofstream(s.backup_key, std::ios::binary) << key;
  fs::permissions(s.backup_key, fs::perms::owner_read | fs::perms::owner_write,
                  fs::perm_options::replace);
  s.backup = dir / "screening.bak";
  REQUIRE(st.Backup(*admin, s.backup, "", s.backup_key, {}).ok());
  return s;
}

// Starts `screening restore BACKUP --to TARGET` with everything on /dev/null.
pid_t StartRestore(const Source& s, const fs::path& target) {
  std::vector<std::string> args = {
      SCREENING_CLI,       "restore",    s.backup.string(),     "--to",
      target.string(),     "--key-file", s.backup_key.string(), "--audit-key",
      s.audit_key.string()};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  for (int fd : {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO}) {
    posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0);
  }
  // No leak check at exit under the sanitizers: it would stretch the time after the work
  // and blur where the phases are (the leak checks of the CLI run elsewhere).
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::string(*e).rfind("ASAN_OPTIONS=", 0) != 0) env.emplace_back(*e);
  }
  const char* asan = std::getenv("ASAN_OPTIONS");
  env.push_back(std::string("ASAN_OPTIONS=") + (asan && *asan ? std::string(asan) + ":" : "") +
                "detect_leaks=0");
  std::vector<char*> envp;
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, SCREENING_CLI, &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  REQUIRE(rc == 0);
  return pid;
}

// What the folder holds that it must not: files other than the target whose bytes hold
// SQLite's header or the marker. Returns their names.
std::vector<std::string> Plaintext(const fs::path& dir, const fs::path& target,
                                   const std::string& marker) {
  std::vector<std::string> found;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path() == target) continue;
    const std::string bytes = ReadAll(e.path());
    if (bytes.find(std::string("SQLite format 3\0", 16)) != std::string::npos ||
        bytes.find(marker) != std::string::npos) {
      found.push_back(e.path().filename().string());
    }
  }
  return found;
}

// The target, when it exists, is a whole verified database with its restore event.
void CheckComplete(const fs::path& target, const fs::path& audit_key) {
  auto registry = Registry::LoadDirectory(SCREENING_TEST_INSTRUMENTS_DIR, nullptr);
  REQUIRE(registry.ok());
  StoreOptions options;
  options.password_cost = 0;
  options.audit_key_file = audit_key;
  auto store = OpenSqliteStore(target, *registry, options);
  INFO(store.status().ToString());
  REQUIRE(store.ok());
  auto admin = (*store)->Login("admin", kPassword);
  REQUIRE(admin.ok());
  auto check = (*store)->Check(*admin);
  REQUIRE(check.ok());
  CHECK(check->ok);
  auto log = (*store)->AuditLog(*admin, "", "");
  REQUIRE(log.ok());
  CHECK(std::count_if(log->begin(), log->end(),
                      [](const AuditEntry& e) { return e.action == "restore"; }) == 1);
}

void Empty(const fs::path& dir) {
  for (const auto& e : fs::directory_iterator(dir)) fs::remove(e.path());
}

TEST_CASE("an interrupted restore leaves no plaintext file", "[reliability][restore]") {
  TempDir dir("restore-interrupt");
  const std::string marker = "RESTORE-MARKER-" + std::to_string(::getpid()) + "-7f3a";
  const Source source = MakeSource(dir.path, marker);
  const fs::path folder = dir.path / "restored";
  fs::create_directories(folder);
  const fs::path target = folder / "screening.db";

  // The phases' times here: start-up (a restore into a folder that does not exist fails as
  // soon as the program is up) and a whole restore.
  auto micros = [](auto d) {
    return std::chrono::duration_cast<std::chrono::microseconds>(d).count();
  };
  auto median = [](std::vector<long long> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  auto startup = [&] {
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = StartRestore(source, dir.path / "no-such-folder" / "screening.db");
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 1);
    return micros(std::chrono::steady_clock::now() - start);
  };
  auto whole = [&] {
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = StartRestore(source, target);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
    const long long took = micros(std::chrono::steady_clock::now() - start);
    CheckComplete(target, source.audit_key);
    Empty(folder);
    return took;
  };
  const long long up = median({startup(), startup(), startup()});
  const long long all = std::max(median({whole(), whole(), whole()}), up + 1000);
  INFO("start-up takes " << up << " µs, a whole restore " << all << " µs");

  // Per signal: one stop during start-up, `grid` stops spread from the end of start-up to
  // a little after the end (decrypting, checking, writing the unnamed file, naming it,
  // exiting; each signal's grid shifted against the others', with jitter), and one stop the
  // moment the name appears.
  const int grid = EnvInt("SCREENING_RESTORE_KILLS", 5);
  const int env_seed = EnvInt("SCREENING_RESTORE_SEED", 0);
  const unsigned seed = env_seed != 0 ? static_cast<unsigned>(env_seed) : std::random_device{}();
  INFO("seed " << seed << " (SCREENING_RESTORE_SEED)");
  std::mt19937 rng(seed);
  const long long from = up * 9 / 10;
  const long long to = all * 12 / 10;
  const long long step = std::max<long long>((to - from) / (3 * grid), 1);
  std::map<std::string, int> outcomes;  // "none", "complete"
  const std::vector<std::pair<int, std::string>> signals = {
      {SIGKILL, "SIGKILL"}, {SIGTERM, "SIGTERM"}, {SIGHUP, "SIGHUP"}};
  for (std::size_t s = 0; s < signals.size(); ++s) {
    const auto& [sig, name] = signals[s];
    std::vector<long long> delays = {std::uniform_int_distribution<long long>(0, up)(rng)};
    for (int k = 0; k < grid; ++k) {
      const long long at = from + (3 * k + static_cast<long long>(s)) * step;
      delays.push_back(at + std::uniform_int_distribution<long long>(0, step - 1)(rng));
    }
    delays.push_back(-1);  // when the name appears
    for (const long long delay : delays) {
      const pid_t pid = StartRestore(source, target);
      if (delay >= 0) {
        std::this_thread::sleep_for(std::chrono::microseconds(delay));
      } else {
        const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (!fs::exists(target) && std::chrono::steady_clock::now() < give_up) {
          std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
      }
      ::kill(pid, sig);
      int status = 0;
      REQUIRE(::waitpid(pid, &status, 0) == pid);
      INFO(name << (delay >= 0 ? " after " + std::to_string(delay) + " µs"
                               : std::string(" when the name appeared")));
      CHECK(Plaintext(folder, target, marker).empty());
      // Nothing else may stay, plaintext or not (an unnamed file vanishes with the process).
      for (const auto& e : fs::directory_iterator(folder)) CHECK(e.path() == target);
      const bool complete = fs::exists(target);
      ++outcomes[complete ? "complete" : "none"];
      if (delay < 0) CHECK(complete);
      if (complete) CheckComplete(target, source.audit_key);
      Empty(folder);
    }
  }
  INFO("outcomes: none " << outcomes["none"] << ", complete " << outcomes["complete"]);
  CHECK(outcomes["none"] > 0);
  CHECK(outcomes["complete"] > 0);
}

}  // namespace
}  // namespace screening::reliability
