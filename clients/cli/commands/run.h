// The `screening` entry point as a library function, so tests run it in-process.
#pragma once

#include <string>
#include <vector>

#include "commands/command.h"
#include "commands/io.h"

namespace screening::cli {

// Parses the global options (`--lang`, `--db`, `--user`, `--instruments`, `--version`,
// `--help`), then dispatches to the command. `args` excludes the program name. The
// initial language is io.lang, overridden by $SCREENING_LANG and then by `--lang`.
// Returns the exit code; never throws.
int Run(const std::vector<std::string>& args, Io& io, const CommandRegistry& registry);
int Run(const std::vector<std::string>& args, Io& io);
int Run(int argc, const char* const* argv, Io& io);

}  // namespace screening::cli
