// What a command sees of the world: streams, environment and the global options.
//
// Commands never touch std::cout, std::cin or getenv directly; main.cc wires the real
// process into an Io, the tests wire string streams and a fake environment, so every
// command runs in-process under test.
#pragma once

#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

namespace screening::cli {

// Options given before the command name (`screening [GLOBAL...] COMMAND ...`).
struct GlobalOptions {
  // Instruments folder (`--instruments DIR`); empty: $SCREENING_INSTRUMENTS, else
  // screening::DefaultInstrumentsDirectory().
  std::string instruments;
  // Database path (`--db PATH`); stored for the database commands, unused so far.
  std::string db;
  // Acting user (`--user NAME`); stored for the database commands, unused so far.
  std::string user;
};

// Looks an environment variable up; nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

struct Io {
  Io(std::istream& input, std::ostream& output, std::ostream& error)
      : in(input), out(output), err(error) {}

  std::istream& in;
  std::ostream& out;
  std::ostream& err;
  // Language of help, messages and texts: "sv" (default) or "en".
  std::string lang = "sv";
  // Environment; an empty function means an empty environment.
  EnvLookup env;
  // Whether standard input is a terminal a person types at (main.cc: isatty). A command that
  // would ask a question it can do without (which person in the case) refuses instead when
  // it is false, so a script never waits for an answer.
  bool interactive = false;
  GlobalOptions global;

  std::optional<std::string> GetEnv(std::string_view name) const {
    if (!env) return std::nullopt;
    return env(name);
  }
};

// The process environment (std::getenv).
EnvLookup ProcessEnvironment();

}  // namespace screening::cli
