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
  REQUIRE(st.AddUser(*admin, "worker", "caseworker", {"ifo_vuxen"}, kPassword).ok());
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
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, SCREENING_CLI, &actions, nullptr, argv.data(), environ);
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

  // How long a whole restore takes here: the kills are spread over that time and a bit more.
  auto whole = [&] {
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = StartRestore(source, target);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
    const auto took = std::chrono::steady_clock::now() - start;
    CheckComplete(target, source.audit_key);
    Empty(folder);
    return std::chrono::duration_cast<std::chrono::microseconds>(took).count();
  };
  std::vector<long long> takes = {whole(), whole(), whole()};
  std::sort(takes.begin(), takes.end());
  const long long whole_run = takes[1];
  INFO("a whole restore takes " << whole_run << " µs");

  const int per_signal = EnvInt("SCREENING_RESTORE_KILLS", 10);
  const int env_seed = EnvInt("SCREENING_RESTORE_SEED", 0);
  const unsigned seed = env_seed != 0 ? static_cast<unsigned>(env_seed) : std::random_device{}();
  INFO("seed " << seed << " (SCREENING_RESTORE_SEED)");
  std::mt19937 rng(seed);
  std::map<std::string, int> outcomes;  // "SIGKILL: none", "SIGKILL: complete", ...
  for (const auto& [sig, name] : std::vector<std::pair<int, std::string>>{
           {SIGKILL, "SIGKILL"}, {SIGTERM, "SIGTERM"}, {SIGHUP, "SIGHUP"}}) {
    for (int i = 0; i < per_signal; ++i) {
      // Start-up (most of a sanitized run) gets a third of the kills; decrypting, checking,
      // writing, linking and the time after it the rest.
      const long long delay =
          std::uniform_int_distribution<long long>(whole_run * 3 / 10, whole_run * 14 / 10)(rng);
      const pid_t pid = StartRestore(source, target);
      std::this_thread::sleep_for(std::chrono::microseconds(delay));
      ::kill(pid, sig);
      int status = 0;
      REQUIRE(::waitpid(pid, &status, 0) == pid);
      INFO(name << " after " << delay << " µs");
      CHECK(Plaintext(folder, target, marker).empty());
      // Nothing else may stay, plaintext or not (an unnamed file vanishes with the process).
      for (const auto& e : fs::directory_iterator(folder)) CHECK(e.path() == target);
      const bool complete = fs::exists(target);
      ++outcomes[name + (complete ? ": complete" : ": none")];
      if (complete) CheckComplete(target, source.audit_key);
      Empty(folder);
    }
  }
  // The kills fell both before and after the file got its name: several phases were hit.
  int none = 0, complete = 0;
  for (const auto& [what, n] : outcomes) {
    (what.find("none") != std::string::npos ? none : complete) += n;
  }
  INFO("outcomes: none " << none << ", complete " << complete);
  CHECK(none > 0);
  CHECK(complete > 0);
}

}  // namespace
}  // namespace screening::reliability
