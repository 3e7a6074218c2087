// Helpers shared by the commands: localised help and messages, argument parsing with
// CLI11, loading instruments, reading input files.
#pragma once

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <screening/diagnostic.h>
#include <screening/instrument.h>
#include <screening/labels.h>
#include <screening/process.h>
#include <screening/registry.h>
#include <screening/status.h>

#include "commands/io.h"

namespace CLI {
class App;
class Validator;
}  // namespace CLI

namespace screening::cli {

class Command;

// `sv` text when `lang` is Swedish (the default), `en` text when it is "en".
inline const char* Tr(std::string_view lang, const char* sv, const char* en) {
  return lang == "en" ? en : sv;
}

// The languages the CLI speaks.
inline bool IsSupportedLanguage(std::string_view lang) { return lang == "sv" || lang == "en"; }

// What a command's parser needs: its full name ("screening instruments list"), a
// description in a language, and a function adding its options to an App in a language.
// `configure` binds options to the caller's variables; it may be called twice (the second
// time only to print help in the language chosen by `--lang`).
struct CommandLine {
  std::string name;
  std::function<std::string(std::string_view lang)> description;
  std::function<void(CLI::App& app, std::string_view lang)> configure;
  // Add a `--lang sv|en` option that changes io.lang (all commands but the top level).
  bool lang_option = true;
  // Stop at the first positional and leave the rest in `remaining` (top level only).
  bool prefix = false;
  // Appended to the usage line of the help, e.g. "KOMMANDO ..." (in the help's language).
  std::function<std::string(std::string_view lang)> usage_suffix;
};

// A command line named `name` (the full name, "screening list") whose help text is
// `command`'s summary, a blank line and the details in the help's language (`details_sv`,
// `details_en`: string literals, kept by pointer). `command` must outlive it.
CommandLine CommandLineWithDetails(const Command& command, std::string name, const char* details_sv,
                                   const char* details_en);

// Parses `args` (without the command name). Returns nullopt when the command should go
// on; otherwise the exit code to return: kExitOk after `--help` (help on io.out),
// kExitUsage after a usage error (one line and a hint on io.err).
std::optional<int> ParseCommandLine(const CommandLine& command_line,
                                    const std::vector<std::string>& args, Io& io,
                                    std::vector<std::string>* remaining = nullptr);

// `message` (a CLI11 parse error) with every value the user typed in `args` replaced by
// "…": an error must never repeat a case reference or free text typed on the command line.
std::string WithoutValues(std::string_view message, const std::vector<std::string>& args);

// Writes "NAME: message" and a hint to `--help` on io.err; returns kExitUsage.
int UsageError(Io& io, std::string_view name, std::string_view message);
// Writes "NAME: message" on io.err; returns kExitFailed.
int Failure(Io& io, std::string_view name, std::string_view message);

// Adds `--format F` bound to `format`: one of `formats`, the first the default ("Utdataformat
// (standard text)", type name "text|json").
void AddFormatOption(CLI::App& app, std::string_view lang, std::string* format,
                     const std::vector<std::string>& formats);

// Applies the CLI's localised help layout (Swedish or English labels) to `app`;
// `usage_suffix` is appended to the usage line.
void LocaliseApp(CLI::App& app, std::string_view lang, std::string usage_suffix = {});

// A CLI11 check that the value is one of `values`, without CLI11's own description (the
// option's type name shows the choices: give it as "a|b").
CLI::Validator OneOf(std::vector<std::string> values);

// The ids of the roles and of the assessment statuses, for OneOf and an option's type name
// ("caseworker|supervisor|coordinator|admin").
std::vector<std::string> RoleIds();
std::vector<std::string> StatusIds();
std::string TypeName(const std::vector<std::string>& ids);

// The instruments folder: io.global.instruments, else $SCREENING_INSTRUMENTS (io.env),
// else screening::DefaultInstrumentsDirectory().
std::filesystem::path InstrumentsDirectory(const Io& io);

// Loads the instruments folder. On failure writes every diagnostic (or the status) on
// io.err and returns nullptr.
std::shared_ptr<const Registry> LoadRegistryOrReport(Io& io, std::string_view name);

// Splits "ID@VERSION" (VERSION optional).
struct InstrumentRefArg {
  std::string id;
  std::string version;
};
InstrumentRefArg ParseInstrumentRef(std::string_view text);

// Finds the instrument named by `ref` ("ID" or "ID@VERSION"); on failure writes a
// message on io.err and returns nullptr.
std::shared_ptr<const Instrument> FindInstrumentOrReport(const Registry& registry,
                                                         std::string_view ref, Io& io,
                                                         std::string_view name);

// The largest answers document ParseAnswersJson accepts (1 MiB).
inline constexpr size_t kMaxAnswersInputBytes = size_t{1} << 20;

// Reads a whole file, or io.in when `path` is "-". Input larger than `max_bytes` fails
// (kInvalidArgument) as soon as it passes the limit: no more than max_bytes + 1 bytes are
// read, whatever the input (a pipe, a growing file).
Result<std::string> ReadInput(const std::string& path, Io& io,
                              size_t max_bytes = kMaxAnswersInputBytes);

// What ReadBoundedLine found.
enum class LineRead {
  kLine,     // a line (perhaps the last one, without '\n')
  kEnd,      // the input ended before any byte
  kTooLong,  // a line longer than the limit, read to its end and dropped
};
// What ReadBoundedLine does with a line longer than its limit.
enum class LongLine {
  kReadPast,  // read on to the line's end (the next read starts at the next line): a terminal
  kStop,      // stop as soon as the line passes the limit: input that is refused as a whole
};
// Reads one line without its '\n' into `line`, keeping at most `max_bytes` bytes: a longer
// line is not kept, and is read on to its end or left where it passed the limit (`long_line`).
LineRead ReadBoundedLine(std::istream& in, std::string* line, size_t max_bytes,
                         LongLine long_line = LongLine::kReadPast);

// The longest line a terminal form reads: four bytes for each character of the longest
// free text (the store's limit is 10000 characters) and a line end.
inline constexpr size_t kMaxAnswerLineBytes = 40002;

// Writes `text` to the file `path` the user named (`--out`) with screening::WriteUserFile:
// never through a planted symbolic link, 0600; `existing` says whether an existing file is
// refused (kAlreadyExists) or replaced by a rename. The message is in io.lang's language.
Status WriteOutputFile(const std::string& path, std::string_view text, ExistingFile existing,
                       std::string_view lang);

// Writes diagnostics one per line ("FILE:LINE:COL: message") on `err`.
void WriteDiagnostics(std::ostream& err, const Diagnostics& diagnostics);

// Number of characters (UTF-8 code points) in `text`, for aligning columns.
size_t DisplayWidth(std::string_view text);
// `text` padded with spaces to `width` characters.
std::string PadRight(std::string_view text, size_t width);

// Writes `rows` as left-aligned columns two spaces apart (the first row is the header);
// trailing spaces are trimmed.
void WriteTable(std::ostream& out, const std::vector<std::vector<std::string>>& rows);
// The same with the header row given apart.
void WriteTable(std::ostream& out, const std::vector<std::string>& head,
                const std::vector<std::vector<std::string>>& rows);

}  // namespace screening::cli
