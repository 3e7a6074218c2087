#include "commands/stdin_arguments.h"

#include <istream>
#include <ostream>

#include <CLI/CLI.hpp>

#include "commands/command.h"

namespace screening::cli {
namespace {

std::string Text(std::string_view lang, StdinArguments::Words words) {
  return Tr(lang, words.sv, words.en);
}

bool Blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

}  // namespace

StdinArguments::Entry* StdinArguments::Find(std::string_view option) const {
  for (const auto& entry : entries_) {
    if (entry->option == option) return entry.get();
  }
  return nullptr;
}

StdinArguments::Entry& StdinArguments::Bind(const std::string& option, std::string* value) {
  Entry* entry = Find(option);
  if (entry == nullptr) {
    entries_.push_back(std::make_unique<Entry>());
    entry = entries_.back().get();
    entry->option = option;
  }
  entry->value = value;
  return *entry;
}

StdinArguments::Added StdinArguments::AddOptions(CLI::App& app, Entry& entry, std::string help,
                                                 std::string stdin_help, const char* type_name) {
  Entry* bound = &entry;
  Added added{};
  added.value = app.add_option_function<std::string>(
                       entry.option,
                       [bound](const std::string& value) {
                         *bound->value = value;
                         bound->given = true;
                       },
                       std::move(help))
                    ->type_name(type_name);
  added.from_stdin = app.add_flag(entry.option + "-stdin", entry.from_stdin, std::move(stdin_help));
  return added;
}

StdinArguments::Added StdinArguments::AddCase(CLI::App& app, std::string_view lang,
                                              std::string* value, std::string help, bool required) {
  Entry& entry = Bind("--case", value);
  entry.is_case = true;
  entry.noun = {"ärendets referens", "the case's reference"};
  entry.prompt = {"Ärendets referens", "The case's reference"};
  entry.required = required;
  return AddOptions(app, entry, std::move(help),
                    Tr(lang,
                       "Läs ärendets referens från en rad på standard in (efter lösenordsraden "
                       "med --password-stdin) i stället för från kommandoraden, där andra "
                       "användare på datorn kan se den",
                       "Read the case's reference from one line of standard input (after the "
                       "password line with --password-stdin) instead of from the command line, "
                       "where other users of the computer can see it"),
                    "REF");
}

StdinArguments::Added StdinArguments::AddText(CLI::App& app, std::string_view lang,
                                              const std::string& option, std::string* value,
                                              std::string help, Words noun, Words prompt,
                                              bool required) {
  const bool after_case = Find("--case") != nullptr;
  Entry& entry = Bind(option, value);
  entry.noun = noun;
  entry.prompt = prompt;
  entry.required = required;
  std::string stdin_help = Tr(lang, "Läs ", "Read ");
  stdin_help += Text(lang, noun);
  stdin_help += after_case ? Tr(lang,
                                " från standard in till slutet (efter raderna med lösenordet "
                                "och ärendets referens, när de läses därifrån)",
                                " from standard input to its end (after the lines with the "
                                "password and the case's reference, when they are read there)")
                           : Tr(lang,
                                " från standard in till slutet (efter lösenordsraden med "
                                "--password-stdin)",
                                " from standard input to its end (after the password line with "
                                "--password-stdin)");
  stdin_help +=
      Tr(lang, " i stället för från kommandoraden, där andra användare på datorn kan se den",
         " instead of from the command line, where other users of the computer can "
         "see it");
  return AddOptions(app, entry, std::move(help), std::move(stdin_help), "TEXT");
}

void StdinArguments::SetRequired(std::string_view option, bool required) {
  if (Entry* entry = Find(option)) entry->required = required;
}

bool StdinArguments::Given(std::string_view option) const {
  const Entry* entry = Find(option);
  return entry != nullptr && (entry->given || entry->from_stdin);
}

bool StdinArguments::ReadsStdin() const {
  for (const auto& entry : entries_) {
    if (entry->from_stdin) return true;
  }
  return false;
}

std::optional<int> StdinArguments::Check(Io& io, std::string_view name,
                                         std::string_view stdin_to_end) const {
  for (const auto& entry : entries_) {
    const std::string& option = entry->option;
    if (entry->given && entry->from_stdin) {
      return UsageError(io, name,
                        std::string(Tr(io.lang, "ange antingen ", "give either ")) + option +
                            Tr(io.lang, " eller ", " or ") + option + "-stdin" +
                            Tr(io.lang, ", inte båda", ", not both"));
    }
    if (entry->required && !entry->given && !entry->from_stdin && !io.interactive) {
      return UsageError(io, name,
                        option + (entry->is_case ? " REF" : " TEXT") +
                            Tr(io.lang, " eller ", " or ") + option + "-stdin" +
                            Tr(io.lang, " krävs", " is required"));
    }
    if (entry->required && !entry->is_case && entry->given && Blank(*entry->value)) {
      return UsageError(io, name, option + Tr(io.lang, " får inte vara tom", " must not be empty"));
    }
    if (!entry->is_case && entry->from_stdin && !stdin_to_end.empty()) {
      return UsageError(io, name,
                        option + "-stdin" + Tr(io.lang, " och ", " and ") +
                            std::string(stdin_to_end) +
                            Tr(io.lang, " läser båda standard in till slutet: ge det ena i en fil",
                               " both read standard input to its end: give one of them in a "
                               "file"));
    }
  }
  return std::nullopt;
}

int StdinArguments::ReadFromStdin(Io& io, std::string_view name, Entry& entry) {
  const std::string stdin_option = entry.option + "-stdin: ";
  if (entry.is_case) {
    switch (ReadBoundedLine(io.in, entry.value, kMaxStdinCaseBytes, LongLine::kStop)) {
      case LineRead::kEnd:
        return Failure(io, name,
                       stdin_option + Tr(io.lang, "standard in tog slut före ärendets referens",
                                         "standard input ended before the case's reference"));
      case LineRead::kTooLong:
        return Failure(io, name,
                       stdin_option +
                           Tr(io.lang, "raden på standard in är längre än ",
                              "the line on standard input is longer than ") +
                           std::to_string(kMaxStdinCaseBytes) + " bytes");
      case LineRead::kLine:
        break;
    }
    if (!entry.value->empty() && entry.value->back() == '\r') entry.value->pop_back();
    return kExitOk;
  }
  auto text = ReadInput("-", io, kMaxStdinTextBytes);
  if (!text.ok()) return Failure(io, name, stdin_option + text.status().message());
  // One line end closes the text (echo, a file saved by an editor); it is not part of it.
  if (!text->empty() && text->back() == '\n') text->pop_back();
  if (!text->empty() && text->back() == '\r') text->pop_back();
  if (entry.required && Blank(*text)) {
    return Failure(io, name,
                   stdin_option + Tr(io.lang, "standard in innehöll ingen text",
                                     "standard input held no text"));
  }
  *entry.value = std::move(*text);
  return kExitOk;
}

int StdinArguments::Ask(Io& io, std::string_view name, Entry& entry) {
  const std::string label = Text(io.lang, entry.prompt);
  const size_t limit = entry.is_case ? kMaxStdinCaseBytes : kMaxStdinTextBytes;
  for (;;) {
    io.err << label << ": " << std::flush;
    switch (ReadBoundedLine(io.in, entry.value, limit, LongLine::kStop)) {
      case LineRead::kEnd:
        return Failure(io, name,
                       label + Tr(io.lang, ": inget angavs (standard in tog slut)",
                                  ": nothing was given (standard input ended)"));
      case LineRead::kTooLong:
        return Failure(io, name,
                       label + Tr(io.lang, ": raden är längre än ", ": the line is longer than ") +
                           std::to_string(limit) + " bytes");
      case LineRead::kLine:
        break;
    }
    if (!entry.value->empty() && entry.value->back() == '\r') entry.value->pop_back();
    if (!Blank(*entry.value)) return kExitOk;
  }
}

int StdinArguments::Read(Io& io, std::string_view name) {
  // The case line comes before the text, whatever order the options were added in.
  for (const bool cases : {true, false}) {
    for (const auto& entry : entries_) {
      if (entry->is_case != cases || !entry->from_stdin) continue;
      if (int code = ReadFromStdin(io, name, *entry); code != kExitOk) return code;
    }
  }
  for (const bool cases : {true, false}) {
    for (const auto& entry : entries_) {
      if (entry->is_case != cases || !entry->required || entry->given || entry->from_stdin) {
        continue;
      }
      if (int code = Ask(io, name, *entry); code != kExitOk) return code;
    }
  }
  return kExitOk;
}

}  // namespace screening::cli
