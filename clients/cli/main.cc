// The `screening` executable: hardens the process, then dispatches (commands/run.h).
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <iostream>

#include "commands/io.h"
#include "commands/run.h"

namespace {

// Answers and notes pass through this process's memory: never let them reach a core
// file, and keep files it creates private to the user.
void HardenProcess() {
  struct rlimit no_core = {0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  umask(077);
}

}  // namespace

int main(int argc, char** argv) {
  HardenProcess();
  std::ios::sync_with_stdio(false);
  screening::cli::Io io{std::cin, std::cout, std::cerr};
  io.env = screening::cli::ProcessEnvironment();
  const int code = screening::cli::Run(argc, argv, io);
  std::cout.flush();
  return code;
}
