// The `screening` executable: hardens the process, then dispatches (commands/run.h).
#include <unistd.h>

#include <iostream>

#include <screening/process.h>

#include "commands/io.h"
#include "commands/run.h"

int main(int argc, char** argv) {
  screening::HardenProcess();
  std::ios::sync_with_stdio(false);
  screening::cli::Io io{std::cin, std::cout, std::cerr};
  io.env = screening::cli::ProcessEnvironment();
  io.interactive = isatty(STDIN_FILENO) == 1;
  const int code = screening::cli::Run(argc, argv, io);
  std::cout.flush();
  return code;
}
