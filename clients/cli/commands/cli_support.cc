#include "commands/cli_support.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <system_error>

#include <CLI/CLI.hpp>

#include "commands/command.h"

namespace screening::cli {
namespace {

// CLI11's help layout with the labels in the user's language.
void SetLabels(CLI::Formatter& formatter, std::string_view lang) {
  const bool sv = lang != "en";
  formatter.label("Usage", sv ? "Användning" : "Usage");
  formatter.label("OPTIONS", sv ? "FLAGGOR" : "OPTIONS");
  formatter.label("Positionals", sv ? "Argument" : "Arguments");
  formatter.label("REQUIRED", sv ? "(krävs)" : "(required)");
  formatter.label("SUBCOMMAND", sv ? "KOMMANDO" : "COMMAND");
  formatter.label("SUBCOMMANDS", sv ? "KOMMANDON" : "COMMANDS");
  formatter.label("Env", sv ? "Miljövariabel" : "Environment");
  formatter.label("Needs", sv ? "Kräver" : "Needs");
  formatter.label("Excludes", sv ? "Utesluter" : "Excludes");
  formatter.label("TEXT", sv ? "TEXT" : "TEXT");
}

// The standard layout; only the usage line can carry a suffix.
class Formatter final : public CLI::Formatter {
 public:
  explicit Formatter(std::string usage_suffix) : usage_suffix_(std::move(usage_suffix)) {}

  std::string make_usage(const CLI::App* app, std::string name) const override {
    std::string usage = CLI::Formatter::make_usage(app, std::move(name));
    if (!usage_suffix_.empty() && !usage.empty() && usage.back() == '\n') {
      usage.insert(usage.size() - 1, " " + usage_suffix_);
    }
    return usage;
  }

 private:
  std::string usage_suffix_;
};

}  // namespace

CLI::Validator OneOf(std::vector<std::string> values) {
  CLI::Validator validator = CLI::IsMember(std::move(values));
  validator.description("");
  return validator;
}

std::vector<std::string> RoleIds() {
  std::vector<std::string> ids;
  for (Role role : kRoles) ids.emplace_back(RoleId(role));
  return ids;
}

std::vector<std::string> StatusIds() {
  std::vector<std::string> ids;
  for (AssessmentStatus status : kAssessmentStatuses) ids.emplace_back(StatusId(status));
  return ids;
}

std::string TypeName(const std::vector<std::string>& ids) {
  std::string type_name;
  for (const std::string& id : ids) type_name += (type_name.empty() ? "" : "|") + id;
  return type_name;
}

void AddFormatOption(CLI::App& app, std::string_view lang, std::string* format,
                     const std::vector<std::string>& formats) {
  const std::string type_name = TypeName(formats);
  const std::string& default_format = formats.front();
  app.add_option("--format", *format,
                 std::string(Tr(lang, "Utdataformat (standard ", "Output format (default ")) +
                     default_format + ")")
      ->check(OneOf(formats))
      ->type_name(type_name);
}

std::string WithoutValues(std::string_view message, const std::vector<std::string>& args) {
  // What the user typed as a value: an argument that is not an option name, or the part
  // after '=' of `--option=value`. Option names are ours (or a mistyped one) and stay.
  std::vector<std::string> values;
  for (const std::string& arg : args) {
    if (arg.empty()) continue;
    if (arg.front() != '-') {
      values.push_back(arg);
    } else if (auto eq = arg.find('='); eq != std::string::npos && eq + 1 < arg.size()) {
      values.push_back(arg.substr(eq + 1));
    }
  }
  // Longest first, so that a value containing another is hidden whole.
  std::sort(values.begin(), values.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  auto word_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' ||
           (static_cast<unsigned char>(c) & 0x80) != 0;
  };
  std::string out(message);
  for (const std::string& value : values) {
    for (std::size_t at = out.find(value); at != std::string::npos; at = out.find(value, at + 1)) {
      const std::size_t end = at + value.size();
      // Whole tokens only: "a" must not eat the a of "arguments".
      if ((at > 0 && word_char(out[at - 1]) && word_char(value.front())) ||
          (end < out.size() && word_char(out[end]) && word_char(value.back()))) {
        continue;
      }
      out.replace(at, value.size(), "…");
    }
  }
  return out;
}

EnvLookup ProcessEnvironment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

void LocaliseApp(CLI::App& app, std::string_view lang, std::string usage_suffix) {
  auto formatter = std::make_shared<Formatter>(std::move(usage_suffix));
  formatter->column_width(28);
  SetLabels(*formatter, lang);
  app.formatter(formatter);
  app.option_defaults()->group(Tr(lang, "Flaggor", "Options"));
  app.set_help_flag("-h,--help",
                    Tr(lang, "Visa den här hjälpen och avsluta", "Show this help and exit"));
}

CommandLine CommandLineWithDetails(const Command& command, std::string name, const char* details_sv,
                                   const char* details_en) {
  CommandLine command_line;
  command_line.name = std::move(name);
  command_line.description = [&command, details_sv, details_en](std::string_view lang) {
    return command.summary(lang) + "\n\n" + Tr(lang, details_sv, details_en);
  };
  return command_line;
}

std::optional<int> ParseCommandLine(const CommandLine& command_line,
                                    const std::vector<std::string>& args, Io& io,
                                    std::vector<std::string>* remaining) {
  std::string lang_arg;
  auto build = [&](CLI::App& app, std::string_view lang) {
    LocaliseApp(app, lang,
                command_line.usage_suffix ? command_line.usage_suffix(lang) : std::string());
    if (command_line.prefix) app.prefix_command();
    app.add_option("--lang", lang_arg,
                   Tr(lang,
                      "Språk för hjälp, meddelanden och texter (standard sv, eller "
                      "$SCREENING_LANG)",
                      "Language of help, messages and texts (default sv, or $SCREENING_LANG)"))
        ->check(OneOf({"sv", "en"}))
        ->type_name("sv|en");
    command_line.configure(app, lang);
  };

  CLI::App app{command_line.description(io.lang), command_line.name};
  build(app, io.lang);
  // CLI11 consumes the vector from the back.
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    // Options are stored before the help flag is handled, so `--lang` anywhere on the
    // line chooses the language of the help.
    const std::string lang = IsSupportedLanguage(lang_arg) ? lang_arg : io.lang;
    CLI::App help_app{command_line.description(lang), command_line.name};
    build(help_app, lang);
    io.out << help_app.help();
    return kExitOk;
  } catch (const CLI::CallForAllHelp&) {
    io.out << app.help("", CLI::AppFormatMode::All);
    return kExitOk;
  } catch (const CLI::ParseError& error) {
    if (IsSupportedLanguage(lang_arg)) io.lang = lang_arg;
    return UsageError(io, command_line.name, WithoutValues(error.what(), args));
  }
  if (!lang_arg.empty()) io.lang = lang_arg;
  if (remaining != nullptr) *remaining = app.remaining();
  return std::nullopt;
}

int UsageError(Io& io, std::string_view name, std::string_view message) {
  io.err << name << ": " << message << "\n"
         << Tr(io.lang, "Se '", "See '") << name << " --help'.\n";
  return kExitUsage;
}

int Failure(Io& io, std::string_view name, std::string_view message) {
  io.err << name << ": " << message << "\n";
  return kExitFailed;
}

std::filesystem::path InstrumentsDirectory(const Io& io) {
  if (!io.global.instruments.empty()) return io.global.instruments;
  if (auto dir = io.GetEnv("SCREENING_INSTRUMENTS"); dir && !dir->empty()) return *dir;
  return DefaultInstrumentsDirectory();
}

std::shared_ptr<const Registry> LoadRegistryOrReport(Io& io, std::string_view name) {
  const std::filesystem::path dir = InstrumentsDirectory(io);
  Diagnostics diagnostics;
  auto registry = Registry::LoadDirectory(dir, &diagnostics);
  if (registry.ok()) return *registry;
  WriteDiagnostics(io.err, diagnostics);
  Failure(io, name,
          std::string(Tr(io.lang, "kunde inte läsa instrumentmappen ",
                         "could not load the instruments folder ")) +
              dir.string() + ": " + registry.status().message());
  return nullptr;
}

InstrumentRefArg ParseInstrumentRef(std::string_view text) {
  const size_t at = text.find('@');
  if (at == std::string_view::npos) return {std::string(text), {}};
  return {std::string(text.substr(0, at)), std::string(text.substr(at + 1))};
}

std::shared_ptr<const Instrument> FindInstrumentOrReport(const Registry& registry,
                                                         std::string_view ref, Io& io,
                                                         std::string_view name) {
  const InstrumentRefArg parsed = ParseInstrumentRef(ref);
  auto instrument = registry.Find(parsed.id, parsed.version);
  if (instrument != nullptr) return instrument;
  Failure(
      io, name,
      std::string(Tr(io.lang, "okänt instrument: ", "unknown instrument: ")) + std::string(ref) +
          Tr(io.lang, " (se 'screening instruments list')", " (see 'screening instruments list')"));
  return nullptr;
}

Result<std::string> ReadInput(const std::string& path, Io& io, size_t max_bytes) {
  const std::string name = path == "-" ? Tr(io.lang, "standard in", "standard input") : path;
  auto too_large = [&] {
    return Status::InvalidArgument(name + Tr(io.lang, ": större än ", ": larger than ") +
                                   std::to_string(max_bytes) + " bytes");
  };
  std::ifstream file;
  if (path != "-") {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) return Status::IoError(path + ": " + ec.message());
    if (size > max_bytes) return too_large();
    file.open(path, std::ios::binary);
    if (!file) return Status::IoError(path + Tr(io.lang, ": kan inte öppnas", ": cannot open"));
  }
  std::istream& in = path == "-" ? io.in : file;
  // Read in blocks and stop as soon as the input passes the limit: at most max_bytes + 1
  // bytes are ever taken, however much is offered (a file may grow after its size was read).
  std::string data;
  std::array<char, 1 << 16> block{};
  while (in) {
    const size_t want = std::min(block.size(), max_bytes + 1 - data.size());
    in.read(block.data(), static_cast<std::streamsize>(want));
    data.append(block.data(), static_cast<size_t>(in.gcount()));
    if (data.size() > max_bytes) return too_large();
  }
  if (in.bad()) return Status::IoError(name + Tr(io.lang, ": läsfel", ": read error"));
  return data;
}

Status WriteOutputFile(const std::string& path, std::string_view text, ExistingFile existing,
                       std::string_view lang) {
  Status st = WriteUserFile(path, text, existing);
  if (st.ok()) return st;
  if (st.code() == StatusCode::kAlreadyExists) {
    return Status::AlreadyExists(std::string(Tr(lang, "filen finns redan: ", "the file exists: ")) +
                                 path);
  }
  return Status(st.code(), std::string(Tr(lang, "skrivfel: ", "write error: ")) + st.message());
}

LineRead ReadBoundedLine(std::istream& in, std::string* line, size_t max_bytes,
                         LongLine long_line) {
  line->clear();
  std::streambuf* buffer = in.rdbuf();
  bool any = false;
  bool too_long = false;
  for (;;) {
    const auto c = buffer->sbumpc();
    if (c == std::char_traits<char>::eof()) {
      in.setstate(std::ios::eofbit);
      if (!any) in.setstate(std::ios::failbit);
      break;
    }
    any = true;
    if (c == '\n') break;
    if (too_long) continue;
    if (line->size() == max_bytes) {
      line->clear();
      if (long_line == LongLine::kStop) return LineRead::kTooLong;
      too_long = true;
      continue;
    }
    line->push_back(static_cast<char>(c));
  }
  if (!any) return LineRead::kEnd;
  return too_long ? LineRead::kTooLong : LineRead::kLine;
}

void WriteDiagnostics(std::ostream& err, const Diagnostics& diagnostics) {
  for (const Diagnostic& diagnostic : diagnostics) err << diagnostic.ToString() << "\n";
}

size_t DisplayWidth(std::string_view text) {
  size_t width = 0;
  for (char c : text) {
    // Count every byte that does not continue a UTF-8 sequence.
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++width;
  }
  return width;
}

std::string PadRight(std::string_view text, size_t width) {
  std::string padded(text);
  const size_t have = DisplayWidth(text);
  if (have < width) padded.append(width - have, ' ');
  return padded;
}

void WriteTable(std::ostream& out, const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], DisplayWidth(row[i]));
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += i + 1 < row.size() ? PadRight(row[i], widths[i] + 2) : row[i];
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  }
}

void WriteTable(std::ostream& out, const std::vector<std::string>& head,
                const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::vector<std::string>> all;
  all.reserve(rows.size() + 1);
  all.push_back(head);
  all.insert(all.end(), rows.begin(), rows.end());
  WriteTable(out, all);
}

}  // namespace screening::cli
