// Asking an instrument's questions on the terminal: the interactive part shared by `intake`,
// `assess` and `draft resume`.
//
// TerminalInput reads the lines the user types (io.in) and turns Ctrl-C (SIGINT), a closed
// terminal (SIGHUP), SIGTERM and the end of input into a stop the commands handle: every
// accepted answer has been saved already (the commands autosave the draft after each one),
// so stopping never leaves a half-written record, only a draft to resume.
//
// TerminalForm walks a Session: sections and items in order, only the items whose
// conditions hold now (Session::IsEnabled), repeat groups block by block, notes, required
// items, `unknown` where the item allows it, then the instrument's judgements and the
// client's own estimate. It writes questions on io.out and validation messages in the
// user's language, and never writes an answer to io.err.
#pragma once

#include <csignal>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <screening/instrument.h>
#include <screening/session.h>
#include <screening/status.h>

#include "commands/io.h"

namespace screening::cli {

// Why reading stopped.
enum class InputStop {
  kNone,       // still reading
  kEnd,        // the input ended (Ctrl-D, a closed pipe)
  kInterrupt,  // Ctrl-C, SIGTERM or SIGHUP
};

// The lines a user types. While one exists it handles SIGINT, SIGTERM and SIGHUP; the
// previous handlers come back when it is destroyed. Only one may exist at a time.
//
// A signal while a line is awaited (nothing is being written then) ends the process at once:
// the notice set with SetInterruptNotice is written on standard error and the process exits
// with status 1. A signal at any other moment (during a save) is remembered: the save
// finishes and the next ReadLine returns nullopt with stop() == kInterrupt.
class TerminalInput {
 public:
  explicit TerminalInput(Io& io);
  ~TerminalInput();
  TerminalInput(const TerminalInput&) = delete;
  TerminalInput& operator=(const TerminalInput&) = delete;

  // Writes `prompt` on io.out (flushed) and reads one line without its end (a trailing '\r'
  // is dropped). nullopt when the input ended or the user interrupted (see stop()).
  std::optional<std::string> ReadLine(std::string_view prompt);
  InputStop stop() const { return stop_; }
  // What to say if the user interrupts while a line is awaited (at most 1000 bytes kept).
  void SetInterruptNotice(std::string_view text);

 private:
  Io& io_;
  InputStop stop_ = InputStop::kNone;
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
  struct sigaction old_hup_ {};
};

// How a walk ended.
enum class FormEnd {
  kDone,     // every question was offered
  kStopped,  // the input ended or the user interrupted
  kFailed,   // saving failed (the message has been written)
};

struct FormOptions {
  // Continue a saved draft: start at the first unanswered question instead of the first.
  bool resume = false;
  // Called after every accepted change with the session as it is now (the autosave). A
  // failure is written on io.err and ends the walk with kFailed.
  std::function<Status(const Session&)> autosave;
};

// Parses what the user typed for a top-level or block item (not a GROUP) into an answer.
// Accepts for choices the number shown, the code, or the label; for yes/no also j/ja/n/nej/v
// (Swedish) and y/yes/n/no/u (English); for SPJ factors also J, D, N and --; for protective
// factors 0, 1, 2 or v/u. kInvalidArgument with a message in `lang` saying what is accepted
// (never quoting the input).
Result<v1::AnswerValue> ParseTypedAnswer(const Instrument& instrument, const ItemInfo& info,
                                         std::string_view text, std::string_view lang);

// An answer as shown to people ("ja", "Fysiskt våld, Ekonomiskt våld", "3 händelser").
std::string AnswerText(const Instrument& instrument, const ItemInfo& info,
                       const v1::AnswerValue& value, std::string_view lang);

class TerminalForm {
 public:
  TerminalForm(Io& io, TerminalInput& input, Session* session, FormOptions options);

  // The sections' items in order (see the file comment). Typing `<` goes back one question,
  // `?` shows how to answer, an empty line keeps the current answer (or skips an optional
  // question).
  FormEnd AskItems();
  // The instrument's judgements (level and rationale) and the client's own estimate.
  FormEnd AskJudgements();
  // AskItems then AskJudgements.
  FormEnd AskAll();
  // Whether the next AskItems starts at the first unanswered question.
  void set_resume(bool resume) { options_.resume = resume; }

  // A yes/no question; nullopt when the input stopped.
  std::optional<bool> AskYesNo(std::string_view question);
  // One of `options` (code, label) by number or code; "" for an empty line when
  // `allow_empty`; nullopt when the input stopped.
  std::optional<std::string> AskChoice(
      std::string_view question, const std::vector<std::pair<std::string, std::string>>& options,
      bool allow_empty);
  // A line of free text (required: not empty); nullopt when the input stopped.
  std::optional<std::string> AskText(std::string_view question, bool required);

 private:
  enum class Step { kNext, kBack, kStop, kFailed };

  Step AskItem(int index, int position, int count);
  Step AskGroup(int index, int position, int count);
  Step AskNote(const ItemInfo& info, const v1::AnswerValue& value);
  bool Save();
  void ShowSection(int section);
  void ShowHelp(const ItemInfo& info) const;
  std::string CurrentAnswer(const ItemInfo& info) const;

  Io& io_;
  TerminalInput& input_;
  Session* session_;
  FormOptions options_;
  int shown_section_ = -1;
};

}  // namespace screening::cli
