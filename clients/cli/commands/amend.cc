#include "commands/amend.h"

#include <ostream>

#include <screening/json.h>
#include <screening/store.h>
#include <CLI/CLI.hpp>

#include "commands/cli_support.h"
#include "commands/db_support.h"
#include "commands/followup_support.h"
#include "commands/stdin_arguments.h"

namespace screening::cli {
namespace {

constexpr std::string_view kName = "screening amend";

}  // namespace

std::string AmendCommand::summary(std::string_view lang) const {
  return Tr(lang, "Rätta en godkänd bedömning med en ny version och en motivering",
            "Correct an approved assessment with a new version and a reason");
}

int AmendCommand::Run(const std::vector<std::string>& args, Io& io) {
  std::int64_t id = 0;
  std::string reason;
  std::string answers_path;
  bool submit = false;
  StdinArguments hidden;
  CommandLine command_line = CommandLineWithDetails(
      *this, std::string(kName),
      "En godkänd bedömning ändras aldrig. Rättelsen blir en ny version, kopplad till "
      "den gamla och med motiveringen, som ett utkast med de svar som ges i --answers "
      "(hela svaren, i JSON-formatet i docs/contracts.md; '-' läser dem från standard "
      "in, efter lösenordsraden med --password-stdin). Svaren kontrolleras mot samma "
      "instrumentversion som den godkända bedömningen. Med --submit skickas den nya "
      "versionen in för granskning direkt. Historiken visar alla versioner. "
      "Handläggare och arbetsledare i enheten; bara den senaste versionen kan rättas.",
      "An approved assessment never changes. The correction becomes a new version, "
      "linked to the old one and carrying the reason, as a draft with the answers "
      "given in --answers (the whole answers, in the JSON form of docs/contracts.md; "
      "'-' reads them from standard input, after the password line with "
      "--password-stdin). The answers are checked against the instrument version of "
      "the approved assessment. With --submit the new version is submitted for review "
      "at once. The history shows every version. Caseworkers and supervisors of the "
      "unit; only the newest version can be amended.");
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    AddIdArgument(app, &id,
                  Tr(lang, "Den godkända bedömningens id", "The approved assessment's id"));
    hidden.AddText(
        app, lang, "--reason", &reason,
        Tr(lang, "Varför bedömningen rättas (krävs)", "Why the assessment is corrected (required)"),
        {"motiveringen", "the reason"},
        {"Varför bedömningen rättas", "Why the assessment is corrected"}, true);
    app.add_option("--answers", answers_path,
                   Tr(lang, "De rättade svaren (JSON), '-' för standard in",
                      "The corrected answers (JSON), '-' for standard input"))
        ->required()
        ->type_name(Tr(lang, "FIL|-", "FILE|-"));
    app.add_flag("--submit", submit,
                 Tr(lang, "Skicka in den nya versionen för granskning",
                    "Submit the new version for review"));
  };
  DbSession db;
  const auto answers_from_stdin = [&] {
    return std::string(answers_path == "-" ? "--answers -" : "");
  };
  if (auto code = ParseAndOpen(
          args, io, command_line,
          Preamble().WithStdinArguments(&hidden).WithStdinToEnd(answers_from_stdin), &db)) {
    return *code;
  }
  const std::string subject =
      std::string(Tr(io.lang, "bedömning ", "assessment ")) + std::to_string(id);
  auto record = db.store->Get(db.actor, id);
  if (!record.ok()) {
    return Failure(
        io, kName,
        Describe(io, std::string(Tr(io.lang, "kunde inte öppna ", "could not open ")) + subject,
                 record.status()));
  }
  if (record->status != AssessmentStatus::kApproved) {
    return Failure(io, kName,
                   subject +
                       Tr(io.lang, " är inte godkänd (status: ", " is not approved (status: ") +
                       StatusLabel(record->status, io.lang) +
                       Tr(io.lang, "); bara en godkänd bedömning rättas",
                          "); only an approved assessment is amended"));
  }
  auto instrument = db.registry->Find(record->instrument_id, record->instrument_version);
  if (instrument == nullptr) {
    return Failure(io, kName,
                   std::string(Tr(io.lang, "instrumentet ", "the instrument ")) +
                       record->instrument_id + "@" + record->instrument_version +
                       Tr(io.lang, " som bedömningen gjordes med finns inte installerat",
                          " the assessment was made with is not installed"));
  }
  auto input = ReadInput(answers_path, io);
  if (!input.ok()) return Failure(io, kName, input.status().message());
  auto session = ParseAnswersJson(instrument, *input);
  if (!session.ok()) {
    return Failure(io, kName,
                   (answers_path == "-" ? std::string("-") : answers_path) + ": " +
                       session.status().message());
  }
  auto amended = db.store->Amend(db.actor, id, reason, *session);
  if (!amended.ok()) {
    return Failure(
        io, kName,
        Describe(io, std::string(Tr(io.lang, "kunde inte rätta ", "could not amend ")) + subject,
                 amended.status()));
  }
  io.out << "ok: " << Tr(io.lang, "bedömning ", "assessment ") << *amended
         << Tr(io.lang, " är en ny version av ", " is a new version of ") << id
         << Tr(io.lang, " (utkast)\n", " (draft)\n");
  if (submit) {
    if (Status st = db.store->Submit(db.actor, *amended); !st.ok()) {
      return Failure(
          io, kName,
          Describe(io,
                   std::string(Tr(io.lang, "den nya versionen sparades som utkast ",
                                  "the new version was saved as draft ")) +
                       std::to_string(*amended) +
                       Tr(io.lang, " men kunde inte skickas in", " but could not be submitted"),
                   st));
    }
    io.out << "ok: " << Tr(io.lang, "bedömning ", "assessment ") << *amended
           << Tr(io.lang, " är inskickad för granskning\n", " is submitted for review\n");
  }
  return kExitOk;
}

}  // namespace screening::cli
