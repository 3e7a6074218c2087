// Case references and free text kept off the command line.
//
// A process's arguments can be read by every local user in /proc/PID/cmdline (`ps`) while
// the command runs, and an interactive shell keeps them in its history. So every option that
// takes a case reference or free text (`--case`, `--comment`, `--reason`, `--note`) has a
// twin that takes the value from standard input instead (`--case-stdin`, `--comment-stdin`,
// ...), and a required value that is given neither way is asked for when standard input is
// a terminal. docs/cli.md, "What other users of the machine can see".
//
// Standard input is read in one order: the acting user's password (`--password-stdin`, read
// by OpenDatabase), then the case reference (one line), then the free text (everything to
// the end of input, one trailing line end dropped).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "commands/cli_support.h"
#include "commands/io.h"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace screening::cli {

// The largest free text read from standard input: the store's limit (10000 characters) at
// four bytes each, and a line end.
inline constexpr size_t kMaxStdinTextBytes = kMaxAnswerLineBytes;
// The longest case-reference line read from standard input (the store takes 64 characters
// and names the rule itself; this only bounds the reading).
inline constexpr size_t kMaxStdinCaseBytes = 1024;

// The values of one command that may come from the command line or from standard input.
// Not thread-safe; neither copyable nor movable (the parser's callbacks point into it).
//
// Use: the Add functions in CommandLine::configure (which may run twice, the second time
// only for help in another language: an option added again is bound anew), Check after
// ParseCommandLine, Read after OpenDatabase (which reads the password line) and before
// anything is stored.
class StdinArguments {
 public:
  // A text in Swedish and English.
  struct Words {
    const char* sv;
    const char* en;
  };
  // The two options added, for CLI11 conditions such as `needs`.
  struct Added {
    CLI::Option* value;
    CLI::Option* from_stdin;
  };

  StdinArguments() = default;
  StdinArguments(const StdinArguments&) = delete;
  StdinArguments& operator=(const StdinArguments&) = delete;

  // Adds `--case REF` (described by `help`) and `--case-stdin` (one line), bound to
  // `value`. A `required` reference is asked for on a terminal when neither is given.
  Added AddCase(CLI::App& app, std::string_view lang, std::string* value, std::string help,
                bool required);
  // Adds `OPTION TEXT` (described by `help`) and `OPTION-stdin` (to the end of input) for the
  // free text bound to `value`. `noun` names the text in help ("kommentaren" / "the
  // comment"); `prompt` asks for it on a terminal ("Kommentar till handläggaren"). Add the
  // case first when a command takes both. A command takes at most one free text.
  Added AddText(CLI::App& app, std::string_view lang, const std::string& option, std::string* value,
                std::string help, Words noun, Words prompt, bool required);

  // Makes `option` required or not after parsing (a text only some choices need).
  void SetRequired(std::string_view option, bool required);
  // Whether `option` or its `-stdin` twin was given.
  bool Given(std::string_view option) const;
  // Whether some value will be read from standard input.
  bool ReadsStdin() const;

  // Usage checks after parsing: an option and its `-stdin` twin exclude each other; a
  // required value is given one way or the other, unless standard input is a terminal (it
  // is asked for then); a required text given as an argument is not blank. `stdin_to_end`
  // names another option that reads standard input to its end (`--answers -`), which cannot
  // go with a text from standard input. Returns kExitUsage after one line on io.err (naming
  // options, never values), else nullopt.
  std::optional<int> Check(Io& io, std::string_view name, std::string_view stdin_to_end = {}) const;

  // Reads the values that come from standard input (the case line, then the text), then asks
  // on the terminal for the required ones not given. Input that ends early or passes its
  // limit (kMaxStdinCaseBytes, kMaxStdinTextBytes; reading stops there), or a required text
  // that is blank, gives kExitFailed after one line on io.err naming the option and standard
  // input, never the value; else kExitOk.
  int Read(Io& io, std::string_view name);

 private:
  struct Entry {
    std::string option;  // "--case", "--comment"
    bool is_case = false;
    Words noun{};
    Words prompt{};
    bool required = false;
    std::string* value = nullptr;
    bool given = false;       // `option VALUE` was on the command line
    bool from_stdin = false;  // `option-stdin` was
  };
  Entry* Find(std::string_view option) const;
  Entry& Bind(const std::string& option, std::string* value);
  Added AddOptions(CLI::App& app, Entry& entry, std::string help, std::string stdin_help,
                   const char* type_name);
  int ReadFromStdin(Io& io, std::string_view name, Entry& entry);
  int Ask(Io& io, std::string_view name, Entry& entry);

  std::vector<std::unique_ptr<Entry>> entries_;
};

}  // namespace screening::cli
