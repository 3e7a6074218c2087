// The clients harden their process before anything else (clients/cli/main.cc): no core
// dumps (RLIMIT_CORE 0, not dumpable, so neither a crash nor ptrace by another user can
// copy answers out of memory) and a private umask. Checked from inside the running client:
// a small probe library (hardening_probe.cc) is preloaded into it and reports at exit.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "reliability_support.h"

extern char** environ;

namespace fs = std::filesystem;

namespace {

// Runs `exe args...` with the probe preloaded; returns the probe's report.
std::string ProbeClient(const std::string& exe, const std::vector<std::string>& args,
                        const fs::path& report) {
  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e) {
    const std::string kv = *e;
    if (kv.rfind("LD_PRELOAD=", 0) == 0 || kv.rfind("SCREENING_PROBE_OUT=", 0) == 0 ||
        kv.rfind("ASAN_OPTIONS=", 0) == 0)
      continue;
    env_strings.push_back(kv);
  }
  env_strings.push_back(std::string("LD_PRELOAD=") + SCREENING_HARDENING_PROBE);
  env_strings.push_back("SCREENING_PROBE_OUT=" + report.string());
  // A sanitizer runtime wants to be loaded first; the probe does not interfere with it.
  const char* asan = std::getenv("ASAN_OPTIONS");
  env_strings.push_back(std::string("ASAN_OPTIONS=") +
                        (asan && *asan ? std::string(asan) + ":" : "") +
                        "verify_asan_link_order=0");
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);

  std::vector<std::string> argv_strings = {exe};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, exe.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  REQUIRE(rc == 0);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  INFO("exit status " << status);
  REQUIRE(WIFEXITED(status));
  std::ifstream in(report);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("the command-line client cannot dump core and keeps its files private",
          "[reliability][hardening]") {
  screening::reliability::TempDir dir("hardening");
  const fs::path report = dir.path / "report.txt";
  // Both a command that succeeds and one that fails reach the probe at exit.
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"--version"}, {"no-such-command"}}) {
    fs::remove(report);
    const std::string got = ProbeClient(SCREENING_CLI, args, report);
    INFO("screening " << args[0] << ": " << got);
    REQUIRE_FALSE(got.empty());
    CHECK(got.find("dumpable=0 ") != std::string::npos);
    CHECK(got.find("core_soft=0 core_hard=0 ") != std::string::npos);
    CHECK(got.find("umask=077") != std::string::npos);
  }
}

TEST_CASE("the probe reports an unhardened process as such", "[reliability][hardening]") {
  // The probe itself is trusted only if it can tell the difference: /bin/true does not
  // harden itself, so it must be reported dumpable.
  screening::reliability::TempDir dir("hardening");
  const fs::path report = dir.path / "report.txt";
  const std::string got = ProbeClient("/bin/true", {}, report);
  INFO(got);
  CHECK(got.find("dumpable=1 ") != std::string::npos);
}
