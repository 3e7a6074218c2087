#include "commands/draft.h"

#include <algorithm>
#include <cstdint>
#include <ostream>

#include <screening/dates.h>
#include <screening/registry.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "commands/cli_support.h"
#include "commands/db_support.h"
#include "commands/followup_support.h"
#include "commands/form_session.h"
#include "commands/intake.h"
#include "commands/stdin_arguments.h"
#include "commands/terminal_form.h"

namespace screening::cli {
namespace {

constexpr std::string_view kListName = "screening draft list";
constexpr std::string_view kResumeName = "screening draft resume";

}  // namespace

// ------------------------------------------------------------------ draft list

std::string DraftListCommand::summary(std::string_view lang) const {
  return Tr(lang, "Lista utkast och returnerade bedömningar",
            "List drafts and returned assessments");
}

int DraftListCommand::Run(const std::vector<std::string>& args, Io& io) {
  std::string unit;
  std::string case_ref;
  std::string format = "text";
  StdinArguments hidden;
  CommandLine command_line = CommandLineWithDetails(
      *this, std::string(kListName),
      "Visar de bedömningar i dina enheter som kan fortsättas med 'screening draft "
      "resume ID': utkast och bedömningar som arbetsledaren returnerat. Inga svar visas.",
      "Shows the assessments in your units that can be continued with 'screening draft "
      "resume ID': drafts and assessments the supervisor returned. No answers are shown.");
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    app.add_option("--unit", unit, Tr(lang, "Bara den här enheten", "Only this unit"))
        ->type_name(Tr(lang, "ENHET", "UNIT"));
    hidden.AddCase(app, lang, &case_ref, Tr(lang, "Bara det här ärendet", "Only this case"), false);
    AddFormatOption(app, lang, &format, {"text", "json"});
  };
  DbSession db;
  if (auto code = ParseAndOpen(args, io, command_line, Preamble().WithStdinArguments(&hidden), &db))
    return *code;
  std::vector<AssessmentSummary> drafts;
  for (AssessmentStatus status : {AssessmentStatus::kDraft, AssessmentStatus::kReturned}) {
    ListFilter filter;
    filter.status = status;
    filter.unit = unit;
    filter.case_ref = case_ref;
    auto listed = db.store->List(db.actor, filter);
    if (!listed.ok()) {
      return Failure(
          io, kListName,
          Describe(io, Tr(io.lang, "kunde inte lista utkasten", "could not list the drafts"),
                   listed.status()));
    }
    drafts.insert(drafts.end(), listed->begin(), listed->end());
  }
  std::sort(drafts.begin(), drafts.end(), [](const auto& a, const auto& b) {
    return a.updated_utc != b.updated_utc ? a.updated_utc > b.updated_utc : a.id > b.id;
  });
  if (format == "json") {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& d : drafts) {
      out.push_back({{"id", d.id},
                     {"chain_id", d.chain_id},
                     {"version", d.version},
                     {"status", StatusId(d.status)},
                     {"unit", d.unit},
                     {"case", d.case_ref},
                     {"instrument", d.instrument_id},
                     {"author", d.author},
                     {"updated_utc", d.updated_utc}});
    }
    io.out << out.dump() << "\n";
    return kExitOk;
  }
  if (drafts.empty()) {
    io.out << Tr(io.lang, "Inga utkast.\n", "No drafts.\n");
    return kExitOk;
  }
  const std::vector<std::string> head = {"ID",
                                         "STATUS",
                                         Tr(io.lang, "INSTRUMENT", "INSTRUMENT"),
                                         Tr(io.lang, "ENHET", "UNIT"),
                                         Tr(io.lang, "ÄRENDE", "CASE"),
                                         Tr(io.lang, "ÄNDRAD", "UPDATED"),
                                         Tr(io.lang, "AV", "BY")};
  std::vector<std::vector<std::string>> rows;
  for (const auto& d : drafts) {
    rows.push_back({std::to_string(d.id), StatusLabel(d.status, io.lang), d.instrument_id, d.unit,
                    d.case_ref, d.updated_utc, d.author});
  }
  WriteTable(io.out, head, rows);
  return kExitOk;
}

// ------------------------------------------------------------------ draft resume

std::string DraftResumeCommand::summary(std::string_view lang) const {
  return Tr(lang, "Fortsätt ett utkast på terminalen", "Continue a draft on the terminal");
}

int DraftResumeCommand::Run(const std::vector<std::string>& args, Io& io) {
  std::int64_t id = 0;
  bool submit = false;
  CommandLine command_line = CommandLineWithDetails(
      *this, std::string(kResumeName),
      "Fortsätter frågorna från de sparade svaren, vid första obesvarade frågan (< går "
      "tillbaka till tidigare frågor). Ett utkast av rutinfrågan från 'screening intake' "
      "avslutas som ett intag: kontakten registreras och uppföljande bedömningar erbjuds. "
      "En returnerad bedömning visar arbetsledarens kommentar och kan ändras och skickas "
      "igen.",
      "Continues the questions from the saved answers, at the first unanswered question "
      "(< goes back to earlier questions). A routine-question draft from 'screening "
      "intake' finishes as an intake: the contact is recorded and follow-up assessments "
      "are offered. A returned assessment shows the supervisor's comment and can be "
      "changed and submitted again.");
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    app.add_option("ID", id,
                   Tr(lang, "Utkastets id (se 'screening draft list')",
                      "The draft's id (see 'screening draft list')"))
        ->required()
        ->type_name("");
    app.add_flag("--submit", submit,
                 Tr(lang, "Skicka för granskning utan att fråga när svaren är kompletta",
                    "Submit for review without asking when the answers are complete"));
  };
  DbSession db;
  const auto check = [&](DbFlags&) -> std::optional<int> {
    if (id <= 0) return UsageError(io, kResumeName, Tr(io.lang, "ange ett id", "give an id"));
    return std::nullopt;
  };
  if (auto code = ParseAndOpen(args, io, command_line, Preamble().WithCheck(check), &db))
    return *code;
  auto record = db.store->Get(db.actor, id);
  if (!record.ok()) {
    return Failure(io, kResumeName,
                   Describe(io, std::string(Tr(io.lang, "utkast ", "draft ")) + std::to_string(id),
                            record.status()));
  }
  if (!IsEditable(record->status)) {
    return Failure(io, kResumeName,
                   std::string(Tr(io.lang, "bedömning ", "assessment ")) + std::to_string(id) +
                       Tr(io.lang, " är inget utkast (status ", " is not a draft (status ") +
                       std::string(StatusId(record->status)) + ")");
  }
  auto instrument = db.registry->Find(record->instrument_id, record->instrument_version);
  if (instrument == nullptr) {
    return Failure(io, kResumeName,
                   std::string(Tr(io.lang, "instrumentversionen är inte installerad: ",
                                  "the instrument version is not installed: ")) +
                       record->instrument_id + "@" + record->instrument_version);
  }
  auto session = Session::FromProto(instrument, record->answers);
  if (!session.ok()) return Failure(io, kResumeName, session.status().message());
  auto directory = LoadDirectoryFor(io, *db.registry);
  if (!directory.ok()) return Failure(io, kResumeName, directory.status().message());
  if (record->status == AssessmentStatus::kReturned && !record->review_comment.empty()) {
    io.out << Tr(io.lang, "Returnerad av arbetsledaren med kommentaren: ",
                 "Returned by the supervisor with the comment: ")
           << record->review_comment << "\n";
  }

  TerminalInput terminal(io);
  if (IsRoutineInstrument(*instrument) && !record->contact_id) {
    const std::string created_on = SwedishLocalDateOfUtc(record->created_utc);
    IntakeWalk walk{record->unit, record->case_ref, created_on, std::move(*session), id, true};
    return RunIntakeWalk(io, kResumeName, terminal, db, directory->get(), std::move(walk));
  }
  AssessmentInput input;
  input.unit = record->unit;
  input.case_ref = record->case_ref;
  input.subject_id = record->subject_id;
  input.contact_id = record->contact_id;
  input.lang = record->lang;
  AssessmentWalk walk{
      input,        std::move(*session), id, true, submit ? SubmitChoice::kYes : SubmitChoice::kAsk,
      std::string()};
  return RunAssessmentWalk(io, kResumeName, terminal, db, directory->get(), std::move(walk));
}

// ------------------------------------------------------------------ draft reassign

std::string DraftReassignCommand::summary(std::string_view lang) const {
  return Tr(lang, "Lämna över ett utkast till en annan handläggare (arbetsledare)",
            "Hand a draft over to another caseworker (supervisor)");
}

int DraftReassignCommand::Run(const std::vector<std::string>& args, Io& io) {
  constexpr std::string_view kName = "screening draft reassign";
  std::int64_t id = 0;
  std::string to, reason;
  StdinArguments hidden;
  CommandLine command_line = CommandLineWithDetails(
      *this, std::string(kName),
      "Bara utkastets ägare (den som skrev det) ändrar och skickar in det. När ägaren "
      "inte kan fortsätta (sjuk, slutat) lämnar en arbetsledare i enheten över utkastet "
      "till en handläggare eller arbetsledare i enheten som får se ärendet (ett skyddat "
      "ärende kräver tillgång först). Skälet krävs och loggas. Arbetsledaren som lämnade "
      "över och den nya ägaren granskar inte bedömningen.",
      "Only a draft's owner (who wrote it) changes and submits it. When the owner "
      "cannot go on (ill, left), a supervisor of the unit hands the draft to a "
      "caseworker or supervisor of the unit who may see the case (a protected case "
      "needs a grant first). The reason is required and logged. The supervisor who "
      "handed it over and the new owner do not review the assessment.");
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    AddIdArgument(app, &id, Tr(lang, "Utkastets id", "The draft's id"));
    app.add_option("--to", to, Tr(lang, "Den nya ägaren", "The new owner"))
        ->required()
        ->type_name(Tr(lang, "NAMN", "NAME"));
    hidden.AddText(app, lang, "--reason", &reason,
                   Tr(lang, "Varför (krävs, loggas)", "Why (required, logged)"),
                   {"skälet", "the reason"},
                   {"Varför utkastet lämnas över", "Why the draft is handed over"}, true);
  };
  DbSession db;
  if (auto code = ParseAndOpen(args, io, command_line, Preamble().WithStdinArguments(&hidden), &db))
    return *code;
  if (Status st = db.store->ReassignDraft(db.actor, id, to, reason); !st.ok()) {
    return Failure(io, kName,
                   Describe(io,
                            std::string(Tr(io.lang, "kunde inte lämna över utkast ",
                                           "could not hand over draft ")) +
                                std::to_string(id),
                            st));
  }
  io.out << Tr(io.lang, "Utkast ", "Draft ") << id
         << Tr(io.lang, " ägs nu av ", " is now owned by ") << to << ".\n";
  return kExitOk;
}

}  // namespace screening::cli
