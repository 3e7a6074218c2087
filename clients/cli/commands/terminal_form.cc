#include "commands/terminal_form.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>
#include <istream>
#include <ostream>

#include "commands/cli_support.h"
#include "commands/command.h"
#include "commands/labels.h"

namespace screening::cli {
namespace {

// ------------------------------------------------------------------ signals

// Set while a line is awaited: a signal then ends the process at once (nothing is being
// written, every answer is saved already).
volatile std::sig_atomic_t g_waiting = 0;
// A signal arrived while something else was going on (a save): handled at the next read.
volatile std::sig_atomic_t g_signalled = 0;
// The notice written by the handler; only changed while no line is awaited.
char g_notice[1024];
volatile std::sig_atomic_t g_notice_len = 0;

extern "C" void OnStopSignal(int) {
  if (g_waiting != 0) {
    // write(2) and _exit(2) are async-signal-safe.
    if (::write(STDERR_FILENO, g_notice, static_cast<size_t>(g_notice_len)) < 0) {
      // Nothing more can be done inside a signal handler.
    }
    ::_exit(kExitFailed);
  }
  g_signalled = 1;
}

// ------------------------------------------------------------------ text helpers

std::string Trim(std::string_view text) {
  const size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return {};
  const size_t end = text.find_last_not_of(" \t");
  return std::string(text.substr(begin, end - begin + 1));
}

std::string Lower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

std::optional<long long> ParseInteger(std::string_view text) {
  long long value = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  if (begin != end && *begin == '+') ++begin;
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || ptr != end || begin == end) return std::nullopt;
  return value;
}

std::vector<std::string> SplitTokens(std::string_view text, std::string_view separators) {
  std::vector<std::string> tokens;
  std::string current;
  for (char c : text) {
    if (separators.find(c) != std::string_view::npos) {
      if (!current.empty()) tokens.push_back(current);
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  if (!current.empty()) tokens.push_back(current);
  return tokens;
}

bool Contains(const std::vector<std::string>& codes, std::string_view code) {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

// Short forms people type for the standard codes.
std::string AliasCode(v1::ItemType type, const std::string& token) {
  if (type == v1::YES_NO) {
    if (token == "j" || token == "ja" || token == "y" || token == "yes") return "yes";
    if (token == "n" || token == "nej" || token == "no") return "no";
    if (token == "v" || token == "vet ej" || token == "vet inte" || token == "u" ||
        token == "unknown" || token == "okänt") {
      return "unknown";
    }
  }
  if (type == v1::SPJ_FACTOR) {
    if (token == "j" || token == "y") return "present";
    if (token == "d" || token == "p") return "partial";
    if (token == "n") return "absent";
    if (token == "--" || token == "-" || token == "i") return "insufficient";
  }
  if (type == v1::PROTECTIVE) {
    if (token == "v" || token == "u" || token == "okänt") return "unknown";
  }
  return {};
}

// The accepted code `token` names, or "".
std::string MatchCode(const Instrument& instrument, const ItemInfo& info, std::string_view token,
                      std::string_view lang) {
  const std::vector<std::string> codes = AcceptedCodes(info);
  const std::string lower = Lower(Trim(token));
  if (lower.empty()) return {};
  if (info.def->type() != v1::PROTECTIVE) {
    if (auto number = ParseInteger(lower)) {
      if (*number >= 1 && *number <= static_cast<long long>(codes.size())) {
        return codes[static_cast<size_t>(*number - 1)];
      }
      return {};
    }
  }
  for (const std::string& code : codes) {
    if (Lower(code) == lower) return code;
  }
  const std::string alias = AliasCode(info.def->type(), lower);
  if (!alias.empty() && Contains(codes, alias)) return alias;
  for (const std::string& code : codes) {
    if (Lower(CodeLabel(instrument, *info.def, code, lang)) == lower) return code;
  }
  return {};
}

std::string AcceptedHint(const Instrument& instrument, const ItemInfo& info,
                         std::string_view lang) {
  const v1::Item& item = *info.def;
  const std::vector<std::string> codes = AcceptedCodes(info);
  switch (item.type()) {
    case v1::YES_NO: {
      std::string hint = Tr(lang, "svara j (ja) eller n (nej)", "answer y (yes) or n (no)");
      if (Contains(codes, "unknown")) {
        hint += Tr(lang, " eller v (vet ej / vill inte svara)", " or u (don't know / declined)");
      }
      return hint;
    }
    case v1::SINGLE_CHOICE:
      return std::string(Tr(lang, "svara med en siffra 1–", "answer with a number 1–")) +
             std::to_string(codes.size());
    case v1::MULTI_CHOICE:
      return std::string(Tr(lang, "svara med en eller flera siffror 1–",
                            "answer with one or more numbers 1–")) +
             std::to_string(codes.size()) + Tr(lang, ", t.ex. 1,3", ", e.g. 1,3");
    case v1::INTEGER:
      return std::string(Tr(lang, "svara med ett heltal ", "answer with a whole number ")) +
             std::to_string(item.min()) + "–" + std::to_string(item.max());
    case v1::DATE:
      return Tr(lang, "svara med ett datum ÅÅÅÅ-MM-DD", "answer with a date YYYY-MM-DD");
    case v1::TEXT:
      return Tr(lang, "skriv en text på en rad", "type a text on one line");
    case v1::SPJ_FACTOR: {
      std::string hint = item.current_and_history()
                             ? Tr(lang, "svara med två koder, nu och tidigare, t.ex. J N: ",
                                  "answer with two codes, now and before, e.g. Y N: ")
                             : Tr(lang, "svara med ", "answer with ");
      hint += Tr(lang, "J, D, N", "Y, P, N");
      if (Contains(codes, "insufficient")) hint += Tr(lang, " eller --", " or --");
      (void)instrument;
      return hint;
    }
    case v1::PROTECTIVE: {
      std::string hint = Tr(lang, "svara 0, 1 eller 2", "answer 0, 1 or 2");
      if (Contains(codes, "unknown")) hint += Tr(lang, " eller v (okänt)", " or u (unknown)");
      return hint;
    }
    default:
      return {};
  }
}

bool ValidDateText(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  const int month = (text[5] - '0') * 10 + (text[6] - '0');
  const int day = (text[8] - '0') * 10 + (text[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

// Whether choosing `code` for `item` asks for a note (the option's or the vocabulary term's
// needs_note).
bool CodeNeedsNote(const Instrument& instrument, const v1::Item& item, std::string_view code) {
  for (const v1::ChoiceOption& option : item.options()) {
    if (option.code() == code) return option.needs_note();
  }
  if (!item.vocabulary().empty()) {
    if (const v1::TermList* list = instrument.vocabulary().List(item.vocabulary())) {
      for (const v1::Term& term : list->terms()) {
        if (term.id() == code) return term.needs_note();
      }
    }
  }
  return false;
}

// The client's own estimate of the danger, named by the vocabulary's general levels.
std::string EstimateLabel(std::string_view level, std::string_view lang) {
  if (level == "low") return Tr(lang, "låg", "low");
  if (level == "medium") return Tr(lang, "medel", "medium");
  if (level == "high") return Tr(lang, "hög", "high");
  return std::string(level);
}

std::vector<std::pair<std::string, std::string>> EstimateLevels(std::string_view lang) {
  return {{"low", EstimateLabel("low", lang)},
          {"medium", EstimateLabel("medium", lang)},
          {"high", EstimateLabel("high", lang)}};
}

// A judgement's levels by the judgement's own names (skydd: "Svagt skydd" for `low`, never
// "låg", which reads as low risk).
std::vector<std::pair<std::string, std::string>> JudgementLevels(const Instrument& instrument,
                                                                 std::string_view judgement,
                                                                 std::string_view lang) {
  std::vector<std::pair<std::string, std::string>> levels;
  for (const char* level : {"low", "medium", "high"}) {
    levels.emplace_back(level, instrument.LevelLabel(level, lang, judgement));
  }
  return levels;
}

}  // namespace

// ------------------------------------------------------------------ TerminalInput

TerminalInput::TerminalInput(Io& io) : io_(io) {
  g_waiting = 0;
  g_signalled = 0;
  SetInterruptNotice(Tr(io.lang, "\nAvbrutet.\n", "\nInterrupted.\n"));
  struct sigaction action {};
  action.sa_handler = OnStopSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;
  sigaction(SIGINT, &action, &old_int_);
  sigaction(SIGTERM, &action, &old_term_);
  sigaction(SIGHUP, &action, &old_hup_);
}

TerminalInput::~TerminalInput() {
  sigaction(SIGINT, &old_int_, nullptr);
  sigaction(SIGTERM, &old_term_, nullptr);
  sigaction(SIGHUP, &old_hup_, nullptr);
  g_waiting = 0;
  g_signalled = 0;
}

void TerminalInput::SetInterruptNotice(std::string_view text) {
  const size_t n = std::min(text.size(), sizeof g_notice);
  g_notice_len = 0;
  std::memcpy(g_notice, text.data(), n);
  g_notice_len = static_cast<std::sig_atomic_t>(n);
}

std::optional<std::string> TerminalInput::ReadLine(std::string_view prompt) {
  for (;;) {
    if (stop_ != InputStop::kNone) return std::nullopt;
    io_.out << prompt << std::flush;
    std::string line;
    g_waiting = 1;
    // A signal that came during a save is handled here, before blocking on the read.
    LineRead got = LineRead::kEnd;
    if (g_signalled == 0) got = ReadBoundedLine(io_.in, &line, kMaxAnswerLineBytes);
    g_waiting = 0;
    if (g_signalled != 0) {
      stop_ = InputStop::kInterrupt;
      return std::nullopt;
    }
    if (got == LineRead::kEnd) {
      stop_ = InputStop::kEnd;
      return std::nullopt;
    }
    if (got == LineRead::kTooLong) {
      // Read to its end but not kept: no answer is this long. Ask again.
      io_.out << Tr(io_.lang, "  Raden är för lång (mer än ", "  The line is too long (more than ")
              << kMaxAnswerLineBytes
              << Tr(io_.lang, " byte) och lästes inte.\n", " bytes) and was not read.\n");
      continue;
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  }
}

// ------------------------------------------------------------------ parsing

Result<v1::AnswerValue> ParseTypedAnswer(const Instrument& instrument, const ItemInfo& info,
                                         std::string_view text, std::string_view lang) {
  const v1::Item& item = *info.def;
  const std::string trimmed = Trim(text);
  auto refuse = [&]() -> Result<v1::AnswerValue> {
    std::string hint = AcceptedHint(instrument, info, lang);
    if (!hint.empty())
      hint[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(hint[0])));
    return Status::InvalidArgument(
        std::string(Tr(lang, "Svaret passar inte frågan. ", "The answer does not fit. ")) + hint +
        ".");
  };
  v1::AnswerValue value;
  switch (item.type()) {
    case v1::YES_NO:
    case v1::SINGLE_CHOICE: {
      std::string code = MatchCode(instrument, info, trimmed, lang);
      if (code.empty()) return refuse();
      value.set_code(code);
      return value;
    }
    case v1::MULTI_CHOICE: {
      std::vector<std::string> chosen;
      for (const std::string& token : SplitTokens(trimmed, ", ;")) {
        std::string code = MatchCode(instrument, info, token, lang);
        if (code.empty()) return refuse();
        if (!Contains(chosen, code)) chosen.push_back(code);
      }
      if (chosen.empty()) return refuse();
      for (const std::string& code : chosen) value.mutable_codes()->add_codes(code);
      return value;
    }
    case v1::INTEGER: {
      auto number = ParseInteger(trimmed);
      if (!number || *number < item.min() || *number > item.max()) return refuse();
      value.set_integer(*number);
      return value;
    }
    case v1::DATE:
      if (!ValidDateText(trimmed)) return refuse();
      value.set_date(trimmed);
      return value;
    case v1::TEXT:
      if (trimmed.empty()) return refuse();
      value.set_text(trimmed);
      return value;
    case v1::SPJ_FACTOR: {
      if (!item.current_and_history()) {
        std::string code = MatchCode(instrument, info, trimmed, lang);
        if (code.empty()) return refuse();
        value.set_code(code);
        return value;
      }
      const std::vector<std::string> tokens = SplitTokens(trimmed, " /,;");
      if (tokens.size() != 2) return refuse();
      const std::string current = MatchCode(instrument, info, tokens[0], lang);
      const std::string history = MatchCode(instrument, info, tokens[1], lang);
      if (current.empty() || history.empty()) return refuse();
      value.mutable_spj()->set_current(current);
      value.mutable_spj()->set_history(history);
      return value;
    }
    case v1::PROTECTIVE: {
      if (auto number = ParseInteger(trimmed)) {
        if (*number < 0 || *number > 2) return refuse();
        value.set_integer(*number);
        return value;
      }
      std::string code = MatchCode(instrument, info, trimmed, lang);
      if (code != "unknown") return refuse();
      value.set_code(code);
      return value;
    }
    default:
      return refuse();
  }
}

std::string AnswerText(const Instrument& instrument, const ItemInfo& info,
                       const v1::AnswerValue& value, std::string_view lang) {
  const v1::Item& item = *info.def;
  switch (value.value_case()) {
    case v1::AnswerValue::kCode:
      return CodeLabel(instrument, item, value.code(), lang);
    case v1::AnswerValue::kInteger:
      if (item.type() == v1::PROTECTIVE) {
        return CodeLabel(instrument, item, std::to_string(value.integer()), lang);
      }
      return std::to_string(value.integer());
    case v1::AnswerValue::kDate:
      return value.date();
    case v1::AnswerValue::kText:
      return value.text();
    case v1::AnswerValue::kCodes: {
      std::string text;
      for (const std::string& code : value.codes().codes()) {
        if (!text.empty()) text += ", ";
        text += CodeLabel(instrument, item, code, lang);
      }
      return text.empty() ? Tr(lang, "(inga)", "(none)") : text;
    }
    case v1::AnswerValue::kSpj: {
      auto part = [&](const std::string& code) {
        return code.empty() ? std::string("?") : CodeLabel(instrument, item, code, lang);
      };
      return std::string(Tr(lang, "nu: ", "now: ")) + part(value.spj().current()) +
             Tr(lang, "; tidigare: ", "; before: ") + part(value.spj().history());
    }
    case v1::AnswerValue::kBlocks: {
      const int n = value.blocks().blocks_size();
      return std::to_string(n) +
             (n == 1 ? Tr(lang, " post", " entry") : Tr(lang, " poster", " entries"));
    }
    default:
      return {};
  }
}

// ------------------------------------------------------------------ TerminalForm

TerminalForm::TerminalForm(Io& io, TerminalInput& input, Session* session, FormOptions options)
    : io_(io), input_(input), session_(session), options_(std::move(options)) {}

bool TerminalForm::Save() {
  if (!options_.autosave) return true;
  Status st = options_.autosave(*session_);
  if (st.ok()) return true;
  io_.err << Tr(io_.lang, "Kunde inte spara: ", "Could not save: ") << st.message() << "\n";
  return false;
}

void TerminalForm::ShowSection(int section) {
  if (section < 0 || section == shown_section_) return;
  shown_section_ = section;
  const v1::Section& s = session_->instrument().definition().sections(section);
  const std::string title = TextIn(s.title(), io_.lang);
  io_.out << "\n" << title << "\n" << std::string(DisplayWidth(title), '-') << "\n";
  const std::string& intro = TextIn(s.intro(), io_.lang);
  if (!intro.empty()) io_.out << intro << "\n";
}

void TerminalForm::ShowHelp(const ItemInfo& info) const {
  const std::string& help = TextIn(info.def->help(), io_.lang);
  if (!help.empty()) io_.out << "    " << help << "\n";
  std::string hint = AcceptedHint(session_->instrument(), info, io_.lang);
  if (!hint.empty()) hint[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(hint[0])));
  io_.out << "    " << hint << ".\n"
          << Tr(io_.lang,
                "    Enter behåller svaret (eller hoppar över en fråga som inte krävs), < går "
                "tillbaka en fråga, Ctrl-C avbryter (svaren hittills är sparade).\n",
                "    Enter keeps the answer (or skips a question that is not required), < goes "
                "back one question, Ctrl-C stops (the answers so far are saved).\n");
}

std::string TerminalForm::CurrentAnswer(const ItemInfo& info) const {
  const auto& answers = session_->answers();
  auto it = answers.answers().find(info.def->id());
  if (it == answers.answers().end()) return {};
  std::string text = AnswerText(session_->instrument(), info, it->second, io_.lang);
  auto note = answers.notes().find(info.def->id());
  if (note != answers.notes().end()) text += " (" + note->second + ")";
  return text;
}

namespace {

// The choices of an item, one per line (yes/no on one line).
void PrintChoices(std::ostream& out, const Instrument& instrument, const ItemInfo& info,
                  std::string_view lang, std::string_view indent) {
  const v1::Item& item = *info.def;
  const std::vector<std::string> codes = AcceptedCodes(info);
  switch (item.type()) {
    case v1::YES_NO:
      // The item's own option labels where it has them (farlighet q3a: "j = Ja, vi har
      // aldrig bott tillsammans"), so the letter typed is never read against the wrong words.
      out << indent << Tr(lang, "j = ", "y = ") << CodeLabel(instrument, item, "yes", lang)
          << Tr(lang, ", n = ", ", n = ") << CodeLabel(instrument, item, "no", lang);
      if (Contains(codes, "unknown")) {
        out << Tr(lang, ", v = ", ", u = ") << CodeLabel(instrument, item, "unknown", lang);
      }
      out << "\n";
      return;
    case v1::SINGLE_CHOICE:
    case v1::MULTI_CHOICE:
    case v1::SPJ_FACTOR:
      for (size_t i = 0; i < codes.size(); ++i) {
        out << indent << (i + 1) << ") " << CodeLabel(instrument, item, codes[i], lang) << "\n";
      }
      if (item.type() == v1::MULTI_CHOICE) {
        out << indent << Tr(lang, "(flera val: t.ex. 1,3)", "(several: e.g. 1,3)") << "\n";
      }
      if (item.type() == v1::SPJ_FACTOR && item.current_and_history()) {
        out << indent
            << Tr(lang, "(två koder: nu och tidigare, t.ex. J N)",
                  "(two codes: now and before, e.g. Y N)")
            << "\n";
      }
      return;
    case v1::PROTECTIVE:
      for (const std::string& code : codes) {
        out << indent << CodeLabel(instrument, item, code, lang) << "\n";
      }
      return;
    case v1::INTEGER:
      out << indent << Tr(lang, "heltal ", "whole number ") << item.min() << "–" << item.max()
          << "\n";
      return;
    case v1::DATE:
      out << indent << Tr(lang, "datum ÅÅÅÅ-MM-DD", "date YYYY-MM-DD") << "\n";
      return;
    default:
      return;
  }
}

}  // namespace

TerminalForm::Step TerminalForm::AskNote(const ItemInfo& info, const v1::AnswerValue& value) {
  const v1::Item& item = *info.def;
  const bool needs = value.value_case() == v1::AnswerValue::kCode &&
                     CodeNeedsNote(session_->instrument(), item, value.code());
  if (!needs && !item.allows_note()) return Step::kNext;
  const auto& notes = session_->answers().notes();
  const bool has_note = notes.find(item.id()) != notes.end();
  for (;;) {
    auto line =
        input_.ReadLine(needs ? Tr(io_.lang, "  Beskriv kort, utan personuppgifter (krävs): ",
                                   "  Describe briefly, without personal details (required): ")
                              : Tr(io_.lang, "  Anteckning (valfri, Enter hoppar över): ",
                                   "  Note (optional, Enter skips): "));
    if (!line) return Step::kStop;
    const std::string note = Trim(*line);
    if (note.empty()) {
      if (needs && !has_note) {
        io_.out << Tr(io_.lang, "  Beskrivningen krävs för det här valet.\n",
                      "  This choice needs a description.\n");
        continue;
      }
      return Step::kNext;
    }
    Status st = session_->SetNote(item.id(), note);
    if (!st.ok()) {
      io_.out << "  " << Tr(io_.lang, "Anteckningen godtogs inte: ", "The note was not accepted: ")
              << st.message() << "\n";
      continue;
    }
    return Save() ? Step::kNext : Step::kFailed;
  }
}

TerminalForm::Step TerminalForm::AskItem(int index, int position, int count) {
  const Instrument& instrument = session_->instrument();
  const ItemInfo& info = instrument.items()[static_cast<size_t>(index)];
  const v1::Item& item = *info.def;
  ShowSection(info.section);
  io_.out << "\n[" << position << "/" << count << "] " << TextIn(item.text(), io_.lang)
          << (item.required() ? Tr(io_.lang, " (krävs)", " (required)") : "") << "\n";
  const std::string& help = TextIn(item.help(), io_.lang);
  if (!help.empty()) io_.out << "    " << help << "\n";
  PrintChoices(io_.out, instrument, info, io_.lang, "    ");
  const std::string current = CurrentAnswer(info);
  if (!current.empty()) {
    io_.out << Tr(io_.lang, "    Nu: ", "    Now: ") << current
            << Tr(io_.lang, " (Enter behåller)", " (Enter keeps it)") << "\n";
  }
  for (;;) {
    auto line = input_.ReadLine(Tr(io_.lang, "  Svar: ", "  Answer: "));
    if (!line) return Step::kStop;
    const std::string text = Trim(*line);
    if (text == "?") {
      ShowHelp(info);
      continue;
    }
    if (text == "<") return Step::kBack;
    if (text.empty()) {
      if (!current.empty() || !item.required()) return Step::kNext;
      io_.out << Tr(io_.lang,
                    "  Frågan måste besvaras (? visar hur; Ctrl-C avbryter, svaren hittills är "
                    "sparade).\n",
                    "  The question must be answered (? shows how; Ctrl-C stops, the answers so "
                    "far are saved).\n");
      continue;
    }
    auto value = ParseTypedAnswer(instrument, info, text, io_.lang);
    if (!value.ok()) {
      io_.out << "  " << value.status().message() << "\n";
      continue;
    }
    Status st = session_->Set(item.id(), *value);
    if (!st.ok()) {
      io_.out << "  " << Tr(io_.lang, "Svaret godtogs inte: ", "The answer was not accepted: ")
              << st.message() << "\n";
      continue;
    }
    if (!Save()) return Step::kFailed;
    return AskNote(info, *value);
  }
}

TerminalForm::Step TerminalForm::AskGroup(int index, int position, int count) {
  const Instrument& instrument = session_->instrument();
  const ItemInfo& info = instrument.items()[static_cast<size_t>(index)];
  const v1::Item& group = *info.def;
  ShowSection(info.section);
  io_.out << "\n[" << position << "/" << count << "] " << TextIn(group.text(), io_.lang)
          << Tr(io_.lang, " (en post i taget)", " (one entry at a time)") << "\n";
  const std::string& help = TextIn(group.help(), io_.lang);
  if (!help.empty()) io_.out << "    " << help << "\n";
  auto count_blocks = [&]() {
    auto it = session_->answers().answers().find(group.id());
    return it == session_->answers().answers().end() ? 0 : it->second.blocks().blocks_size();
  };
  for (;;) {
    const int blocks = count_blocks();
    io_.out << Tr(io_.lang, "    Registrerade poster: ", "    Entries so far: ") << blocks << "\n";
    auto line =
        input_.ReadLine(blocks == 0 ? Tr(io_.lang, "  Lägg till en post? (j/n, < tillbaka): ",
                                         "  Add an entry? (y/n, < back): ")
                                    : Tr(io_.lang, "  Lägg till en post till? (j/n, < tillbaka): ",
                                         "  Add another entry? (y/n, < back): "));
    if (!line) return Step::kStop;
    const std::string answer = Lower(Trim(*line));
    if (answer == "<") return Step::kBack;
    if (answer == "n" || answer == "nej" || answer == "no" || answer.empty()) return Step::kNext;
    if (answer != "j" && answer != "ja" && answer != "y" && answer != "yes") {
      io_.out << Tr(io_.lang, "  Svara j eller n.\n", "  Answer y or n.\n");
      continue;
    }
    auto block = session_->AddBlock(group.id());
    if (!block.ok()) {
      io_.out << "  " << block.status().message() << "\n";
      return Step::kNext;
    }
    if (!Save()) return Step::kFailed;
    io_.out << Tr(io_.lang, "  Post ", "  Entry ") << (*block + 1) << ":\n";
    const auto& items = instrument.items();
    for (size_t c = static_cast<size_t>(index) + 1; c < items.size() && items[c].group == index;
         ++c) {
      const ItemInfo& child = items[c];
      io_.out << "    " << TextIn(child.def->text(), io_.lang)
              << (child.def->required() ? Tr(io_.lang, " (krävs)", " (required)") : "") << "\n";
      const std::string& child_help = TextIn(child.def->help(), io_.lang);
      if (!child_help.empty()) io_.out << "      " << child_help << "\n";
      PrintChoices(io_.out, instrument, child, io_.lang, "      ");
      for (;;) {
        auto typed = input_.ReadLine(Tr(io_.lang, "    Svar: ", "    Answer: "));
        if (!typed) return Step::kStop;
        const std::string text = Trim(*typed);
        if (text == "?") {
          ShowHelp(child);
          continue;
        }
        if (text.empty()) {
          if (!child.def->required()) break;
          io_.out << Tr(io_.lang, "    Frågan måste besvaras.\n",
                        "    The question must be answered.\n");
          continue;
        }
        auto value = ParseTypedAnswer(instrument, child, text, io_.lang);
        if (!value.ok()) {
          io_.out << "    " << value.status().message() << "\n";
          continue;
        }
        Status st = session_->SetInBlock(group.id(), *block, child.def->id(), *value);
        if (st.code() == StatusCode::kFailedPrecondition) {
          io_.out << Tr(io_.lang, "    (Frågan gäller inte den här posten.)\n",
                        "    (The question does not apply to this entry.)\n");
          break;
        }
        if (!st.ok()) {
          io_.out << "    "
                  << Tr(io_.lang, "Svaret godtogs inte: ", "The answer was not accepted: ")
                  << st.message() << "\n";
          continue;
        }
        if (!Save()) return Step::kFailed;
        break;
      }
    }
  }
}

FormEnd TerminalForm::AskItems() {
  const auto& items = session_->instrument().items();
  const int n = static_cast<int>(items.size());
  bool skip_answered = options_.resume;
  shown_section_ = -1;
  auto answered = [&](int i) {
    return session_->answers().answers().count(items[static_cast<size_t>(i)].def->id()) > 0;
  };
  auto shown = [&](int i) {
    return items[static_cast<size_t>(i)].group < 0 && session_->IsEnabled(i);
  };
  int pos = 0;
  for (;;) {
    int i = pos;
    while (i < n && !shown(i)) ++i;
    if (i >= n) return FormEnd::kDone;
    if (skip_answered && answered(i)) {
      pos = i + 1;
      continue;
    }
    const std::vector<std::string> visible = session_->VisibleItems();
    const auto where =
        std::find(visible.begin(), visible.end(), items[static_cast<size_t>(i)].def->id());
    const int position = static_cast<int>(where - visible.begin()) + 1;
    const int count = static_cast<int>(visible.size());
    const Step step = items[static_cast<size_t>(i)].def->type() == v1::GROUP
                          ? AskGroup(i, position, count)
                          : AskItem(i, position, count);
    switch (step) {
      case Step::kNext:
        pos = i + 1;
        break;
      case Step::kBack: {
        int j = i - 1;
        while (j >= 0 && !shown(j)) --j;
        if (j < 0) {
          io_.out << Tr(io_.lang, "  (Det här är första frågan.)\n",
                        "  (This is the first question.)\n");
          pos = i;
        } else {
          pos = j;
        }
        skip_answered = false;
        break;
      }
      case Step::kStop:
        return FormEnd::kStopped;
      case Step::kFailed:
        return FormEnd::kFailed;
    }
  }
}

FormEnd TerminalForm::AskJudgements() {
  const v1::Instrument& def = session_->instrument().definition();
  bool heading = false;
  for (const v1::Judgement& judgement : def.judgements()) {
    if (!heading) {
      const std::string title = Tr(io_.lang, "Professionell bedömning", "Professional judgement");
      io_.out << "\n" << title << "\n" << std::string(DisplayWidth(title), '-') << "\n";
      heading = true;
    }
    const auto& given = session_->answers().judgements();
    auto it = given.find(judgement.id());
    io_.out << "\n"
            << TextIn(judgement.text(), io_.lang)
            << (judgement.required() ? Tr(io_.lang, " (krävs)", " (required)") : "") << "\n";
    if (it != given.end()) {
      io_.out << Tr(io_.lang, "    Nu: ", "    Now: ")
              << session_->instrument().LevelLabel(it->second.level(), io_.lang, judgement.id())
              << " — " << it->second.rationale()
              << Tr(io_.lang, " (Enter behåller)", " (Enter keeps it)") << "\n";
    }
    for (;;) {
      auto level =
          AskChoice(Tr(io_.lang, "  Nivå: ", "  Level: "),
                    JudgementLevels(session_->instrument(), judgement.id(), io_.lang), true);
      if (!level) return FormEnd::kStopped;
      if (level->empty()) {
        if (it != given.end() || !judgement.required()) break;
        io_.out << Tr(io_.lang, "  Bedömningen krävs.\n", "  The judgement is required.\n");
        continue;
      }
      auto rationale =
          AskText(Tr(io_.lang, "  Motivering (krävs): ", "  Rationale (required): "), true);
      if (!rationale) return FormEnd::kStopped;
      Status st = session_->SetJudgement(judgement.id(), *level, *rationale);
      if (!st.ok()) {
        io_.out << "  "
                << Tr(io_.lang, "Bedömningen godtogs inte: ", "The judgement was not accepted: ")
                << st.message() << "\n";
        continue;
      }
      if (!Save()) return FormEnd::kFailed;
      break;
    }
  }
  if (def.client_estimate()) {
    io_.out << "\n"
            << Tr(io_.lang, "Personens egen bedömning av faran (valfri, Enter hoppar över)",
                  "The person's own estimate of the danger (optional, Enter skips)")
            << "\n";
    if (session_->answers().has_client_estimate()) {
      io_.out << Tr(io_.lang, "    Nu: ", "    Now: ")
              << EstimateLabel(session_->answers().client_estimate().level(), io_.lang) << "\n";
    }
    auto level = AskChoice(Tr(io_.lang, "  Nivå: ", "  Level: "), EstimateLevels(io_.lang), true);
    if (!level) return FormEnd::kStopped;
    if (!level->empty()) {
      Status st = session_->SetClientEstimate(*level);
      if (!st.ok()) {
        io_.out << "  " << st.message() << "\n";
      } else if (!Save()) {
        return FormEnd::kFailed;
      }
    }
  }
  return FormEnd::kDone;
}

FormEnd TerminalForm::AskAll() {
  FormEnd end = AskItems();
  if (end != FormEnd::kDone) return end;
  return AskJudgements();
}

std::optional<bool> TerminalForm::AskYesNo(std::string_view question) {
  for (;;) {
    auto line = input_.ReadLine(std::string(question) + Tr(io_.lang, " (j/n): ", " (y/n): "));
    if (!line) return std::nullopt;
    const std::string answer = Lower(Trim(*line));
    if (answer == "j" || answer == "ja" || answer == "y" || answer == "yes") return true;
    if (answer == "n" || answer == "nej" || answer == "no") return false;
    io_.out << Tr(io_.lang, "  Svara j eller n.\n", "  Answer y or n.\n");
  }
}

std::optional<std::string> TerminalForm::AskChoice(
    std::string_view question, const std::vector<std::pair<std::string, std::string>>& options,
    bool allow_empty) {
  for (size_t i = 0; i < options.size(); ++i) {
    io_.out << "    " << (i + 1) << ") " << options[i].second << "\n";
  }
  for (;;) {
    auto line = input_.ReadLine(question);
    if (!line) return std::nullopt;
    const std::string answer = Lower(Trim(*line));
    if (answer.empty() && allow_empty) return std::string();
    if (auto number = ParseInteger(answer)) {
      if (*number >= 1 && *number <= static_cast<long long>(options.size())) {
        return options[static_cast<size_t>(*number - 1)].first;
      }
    }
    for (const auto& [code, label] : options) {
      if (Lower(code) == answer || Lower(label) == answer) return code;
    }
    io_.out << Tr(io_.lang, "  Svara med en siffra 1–", "  Answer with a number 1–")
            << options.size() << ".\n";
  }
}

std::optional<std::string> TerminalForm::AskText(std::string_view question, bool required) {
  for (;;) {
    auto line = input_.ReadLine(question);
    if (!line) return std::nullopt;
    std::string text = Trim(*line);
    if (!text.empty() || !required) return text;
    io_.out << Tr(io_.lang, "  En text krävs.\n", "  A text is required.\n");
  }
}

}  // namespace screening::cli
