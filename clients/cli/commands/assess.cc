#include "commands/assess.h"

#include <cstdint>
#include <optional>
#include <ostream>

#include <screening/json.h>
#include <screening/registry.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "commands/cli_support.h"
#include "commands/db_support.h"
#include "commands/form_session.h"
#include "commands/labels.h"
#include "commands/stdin_arguments.h"
#include "commands/terminal_form.h"

namespace screening::cli {
namespace {

constexpr std::string_view kName = "screening assess";

}  // namespace

std::string AssessCommand::summary(std::string_view lang) const {
  return Tr(lang, "Gör en bedömning med ett instrument (interaktivt eller från fil)",
            "Make an assessment with an instrument (interactive or from a file)");
}

int AssessCommand::Run(const std::vector<std::string>& args, Io& io) {
  std::string ref;
  std::string unit;
  std::string case_ref;
  std::int64_t subject_arg = 0;
  std::string answers_path;
  bool submit = false;
  std::string format = "text";
  StdinArguments hidden;
  CommandLine command_line = CommandLineWithDetails(
      *this, std::string(kName),
      "Utan --answers ställs instrumentets frågor på terminalen, avsnitt för avsnitt: bara "
      "de frågor som gäller utifrån tidigare svar, en post i taget i upprepade grupper, "
      "sedan professionella bedömningar och personens egen bedömning där instrumentet har "
      "dem. Svaren sparas som utkast efter varje fråga; Ctrl-C eller slut på indata lämnar "
      "ett utkast att fortsätta med 'screening draft resume ID'. Med --answers läses "
      "svaren "
      "som JSON (som för score); felaktiga svar sparas inte. --submit skickar bedömningen "
      "för granskning (den måste vara komplett; annars sparas ingenting).",
      "Without --answers the instrument's questions are asked on the terminal, section by "
      "section: only the questions that apply given earlier answers, one entry at a time "
      "in repeated groups, then professional judgements and the person's own estimate "
      "where the instrument has them. The answers are saved as a draft after every "
      "question; Ctrl-C or the end of input leaves a draft to continue with 'screening "
      "draft resume ID'. With --answers the answers are read as JSON (as for score); bad "
      "answers are not saved. --submit submits the assessment for review (it must be "
      "complete; otherwise nothing is saved).");
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    app.add_option("--instrument", ref,
                   Tr(lang, "Instrumentets id, ev. med @VERSION",
                      "The instrument's id, optionally with @VERSION"))
        ->required()
        ->type_name("ID[@VERSION]");
    hidden.AddCase(app, lang, &case_ref, Tr(lang, "Ärendets referens", "The case's reference"),
                   true);
    app.add_option("--unit", unit, Tr(lang, "Enheten", "The unit"))
        ->required()
        ->type_name(Tr(lang, "ENHET", "UNIT"));
    app.add_option("--subject", subject_arg,
                   Tr(lang, "Personen i ärendet (id från 'screening subject add')",
                      "The person in the case (id from 'screening subject add')"))
        ->type_name("ID");
    app.add_option("--answers", answers_path,
                   Tr(lang, "Svarsfil (JSON), '-' för standard in",
                      "Answers file (JSON), '-' for standard input"))
        ->type_name(Tr(lang, "FIL|-", "FILE|-"));
    app.add_flag("--submit", submit,
                 Tr(lang, "Skicka för granskning när svaren är kompletta",
                    "Submit for review when the answers are complete"));
    app.add_option(
           "--format", format,
           Tr(lang, "Utdata med --answers (standard text)", "Output with --answers (default text)"))
        ->check(OneOf({"text", "json"}))
        ->type_name("text|json");
  };
  DbSession db;
  const auto check = [&](DbFlags&) -> std::optional<int> {
    if (subject_arg < 0) {
      return UsageError(io, kName, Tr(io.lang, "--subject: ange ett id", "--subject: give an id"));
    }
    return std::nullopt;
  };
  if (auto code = ParseAndOpen(args, io, command_line,
                               Preamble().WithStdinArguments(&hidden).WithCheck(check), &db))
    return *code;
  auto instrument = FindInstrumentOrReport(*db.registry, ref, io, kName);
  if (instrument == nullptr) return kExitFailed;
  auto directory = LoadDirectoryFor(io, *db.registry);
  if (!directory.ok()) return Failure(io, kName, directory.status().message());
  // Before any question or answer file: an assessment goes into a case an intake has opened.
  const std::optional<std::int64_t> subject =
      subject_arg > 0 ? std::optional<std::int64_t>(subject_arg) : std::nullopt;
  if (int code = CheckCaseOpen(io, kName, db, unit, case_ref, subject); code != kExitOk) {
    return code;
  }

  AssessmentInput input;
  input.unit = unit;
  input.case_ref = case_ref;
  input.subject_id = subject;
  input.lang = io.lang;

  if (answers_path.empty()) {
    TerminalInput terminal(io);
    AssessmentWalk walk{input,
                        Session(instrument),
                        std::nullopt,
                        false,
                        submit ? SubmitChoice::kYes : SubmitChoice::kAsk,
                        std::string()};
    return RunAssessmentWalk(io, kName, terminal, db, directory->get(), std::move(walk));
  }

  auto text = ReadInput(answers_path, io);
  if (!text.ok()) return Failure(io, kName, text.status().message());
  auto session = ParseAnswersJson(instrument, *text);
  if (!session.ok()) {
    return Failure(io, kName,
                   std::string(Tr(io.lang, "inget sparades: ", "nothing was saved: ")) +
                       session.status().message());
  }
  if (submit) {
    if (Status st = session->CheckFinishable(); !st.ok()) {
      return Failure(io, kName,
                     std::string(Tr(io.lang, "kan inte skickas, inget sparades: ",
                                    "cannot be submitted, nothing was saved: ")) +
                         st.message());
    }
  }
  EvaluateOptions evaluate;
  evaluate.lang = io.lang;
  evaluate.directory = directory->get();
  auto result = Evaluate(*session, evaluate);
  if (!result.ok()) {
    return Failure(io, kName,
                   std::string(Tr(io.lang, "inget sparades: ", "nothing was saved: ")) +
                       result.status().message());
  }
  std::int64_t id = 0;
  Status st = db.store->Bulk([&]() -> Status {
    auto created = db.store->CreateDraft(db.actor, input, *session);
    if (!created.ok()) return created.status();
    id = *created;
    if (submit) return db.store->Submit(db.actor, id);
    return Status::Ok();
  });
  if (!st.ok()) {
    return Failure(
        io, kName,
        Describe(io,
                 Tr(io.lang, "bedömningen kunde inte sparas", "the assessment could not be saved"),
                 st));
  }
  const AssessmentStatus status = submit ? AssessmentStatus::kSubmitted : AssessmentStatus::kDraft;
  if (format == "json") {
    nlohmann::ordered_json out;
    out["id"] = id;
    out["status"] = StatusId(status);
    out["result"] = nlohmann::ordered_json::parse(ResultToJson(*result));
    io.out << out.dump() << "\n";
    return kExitOk;
  }
  io.out << ResultToText(*result, *instrument, io.lang, directory->get());
  if (submit) {
    io.out << Tr(io.lang, "Bedömning ", "Assessment ") << id
           << Tr(io.lang, " är skickad för granskning.\n", " is submitted for review.\n");
  } else {
    io.out << Tr(io.lang, "Utkast ", "Draft ") << id
           << Tr(io.lang, " är sparat; fortsätt med 'screening draft resume ",
                 " is saved; continue with 'screening draft resume ")
           << id << "'.\n";
  }
  return kExitOk;
}

}  // namespace screening::cli
