#include "commands/review.h"

#include <algorithm>
#include <ostream>

#include <screening/store.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "commands/cli_support.h"
#include "commands/db_support.h"
#include "commands/followup_support.h"
#include "commands/labels.h"
#include "commands/stdin_arguments.h"

namespace screening::cli {
namespace {

constexpr std::string_view kListName = "screening review list";
constexpr std::string_view kApproveName = "screening review approve";
constexpr std::string_view kReturnName = "screening review return";
constexpr std::string_view kLevelName = "screening review level";

std::string IdHelp(std::string_view lang) {
  return Tr(lang, "Bedömningens id (versionen som skickats in)",
            "The assessment's id (the version submitted)");
}

// "bedömning 12" / "assessment 12".
std::string AssessmentName(std::string_view lang, std::int64_t id) {
  return std::string(Tr(lang, "bedömning ", "assessment ")) + std::to_string(id);
}

// A store failure on assessment `id`.
int ReviewFailure(Io& io, std::string_view name, std::int64_t id, const Status& status) {
  std::string what = Tr(io.lang, "kunde inte granska ", "could not review ");
  what += AssessmentName(io.lang, id);
  if (status.code() == StatusCode::kFailedPrecondition) {
    what += Tr(io.lang, " (bara en inskickad bedömning granskas)",
               " (only a submitted assessment is reviewed)");
  }
  return Failure(io, name, Describe(io, what, status));
}

}  // namespace

// ------------------------------------------------------------------ review list

std::string ReviewListCommand::summary(std::string_view lang) const {
  return Tr(lang, "Inskickade bedömningar som väntar på granskning",
            "Submitted assessments waiting for review");
}

int ReviewListCommand::Run(const std::vector<std::string>& args, Io& io) {
  std::string unit;
  std::string format = "table";
  int limit = 200;
  CommandLine command_line = CommandLineWithDetails(
      *this, std::string(kListName),
      "Visar de inskickade bedömningarna i dina enheter (eller i --unit), senast "
      "ändrade först: id, ärende, enhet, instrument, nivå, handläggare och tid. "
      "Bedömningar i ärenden med skyddade personuppgifter visas bara för den som fått "
      "tillgång. Inga svar eller fritexter visas. Godkänn med 'screening review "
      "approve ID', sänd tillbaka med 'screening review return ID --comment TEXT'. "
      "Handläggare och arbetsledare.",
      "Shows the submitted assessments in your units (or in --unit), most recently "
      "changed first: id, case, unit, instrument, level, caseworker and time. "
      "Assessments in cases with protected personal data are shown only to those "
      "granted access. No answers or free text are shown. Approve with 'screening "
      "review approve ID', return with 'screening review return ID --comment TEXT'. "
      "Caseworkers and supervisors.");
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    app.add_option("--unit", unit, Tr(lang, "Bara den här enheten", "Only this unit"))
        ->type_name(Tr(lang, "ENHET", "UNIT"));
    app.add_option(
           "--limit", limit,
           Tr(lang, "Högst så många rader (standard 200)", "At most this many rows (default 200)"))
        ->check(CLI::Range(1, 100000).description(""))
        ->type_name("N");
    AddFormatOption(app, lang, &format, {"table", "json"});
  };
  DbSession db;
  if (auto code = ParseAndOpen(args, io, command_line, Preamble(), &db)) return *code;
  ListFilter filter;
  filter.status = AssessmentStatus::kSubmitted;
  filter.not_mine = true;  // another supervisor reviews what this one wrote
  filter.unit = unit;
  filter.limit = limit;
  auto list = db.store->List(db.actor, filter);
  if (!list.ok()) {
    return Failure(
        io, kListName,
        Describe(io,
                 Tr(io.lang, "kunde inte lista granskningskön", "could not list the review queue"),
                 list.status()));
  }
  if (format == "json") {
    nlohmann::json out = nlohmann::json::array();
    for (const AssessmentSummary& s : *list) {
      out.push_back({{"id", s.id},
                     {"chain_id", s.chain_id},
                     {"version", s.version},
                     {"status", StatusId(s.status)},
                     {"unit", s.unit},
                     {"case_ref", s.case_ref},
                     {"instrument", s.instrument_id},
                     {"final_level", s.final_level.empty() ? nlohmann::json(nullptr)
                                                           : nlohmann::json(s.final_level)},
                     {"author", s.author},
                     {"updated_utc", s.updated_utc},
                     {"instrument_pinned", s.logic_pinned}});
    }
    io.out << out.dump(2) << "\n";
    return kExitOk;
  }
  if (list->empty()) {
    io.out << Tr(io.lang, "Inga bedömningar väntar på granskning.\n",
                 "No assessments are waiting for review.\n");
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"ID", Tr(io.lang, "ÄRENDE", "CASE"), Tr(io.lang, "ENHET", "UNIT"), "INSTRUMENT",
                  Tr(io.lang, "NIVÅ", "LEVEL"), Tr(io.lang, "VERSION", "VERSION"),
                  Tr(io.lang, "HANDLÄGGARE", "CASEWORKER"),
                  Tr(io.lang, "ÄNDRAD (UTC)", "CHANGED (UTC)")});
  for (const AssessmentSummary& s : *list) {
    // "!" marks an assessment whose instrument logic the database does not accept.
    rows.push_back({std::to_string(s.id) + (s.logic_pinned ? "" : " !"), s.case_ref, s.unit,
                    s.instrument_id,
                    s.final_level.empty()
                        ? "-"
                        : LevelLabelFor(*db.registry, s.instrument_id, s.final_level, io.lang),
                    std::to_string(s.version), s.author, s.updated_utc});
  }
  WriteTable(io.out, rows);
  if (std::any_of(list->begin(), list->end(),
                  [](const AssessmentSummary& s) { return !s.logic_pinned; })) {
    io.out << Tr(io.lang,
                 "! = instrumentlogiken är inte godkänd i databasen (se 'screening instruments "
                 "pin'); kontrollera resultatet innan du godkänner.\n",
                 "! = the instrument logic is not accepted by the database (see 'screening "
                 "instruments pin'); check the result before approving.\n");
  }
  if (static_cast<int>(list->size()) >= limit) {
    io.out << Tr(io.lang, "(de ", "(the ") << limit
           << Tr(io.lang, " senaste; fler finns, se --limit)\n",
                 " most recent; there are more, see --limit)\n");
  }
  return kExitOk;
}

// ------------------------------------------------------------------ review approve

std::string ReviewApproveCommand::summary(std::string_view lang) const {
  return Tr(lang, "Godkänn en inskickad bedömning (arbetsledare)",
            "Approve a submitted assessment (supervisor)");
}

int ReviewApproveCommand::Run(const std::vector<std::string>& args, Io& io) {
  std::int64_t id = 0;
  std::string comment;
  StdinArguments hidden;
  CommandLine command_line = CommandLineWithDetails(
      *this, std::string(kApproveName),
      "En godkänd bedömning kan aldrig ändras; en rättelse görs som en ny version med "
      "'screening amend'. Arbetsledare i bedömningens enhet. Vill du ändra nivån, gör "
      "det före godkännandet med 'screening review level'.",
      "An approved assessment never changes; a correction is a new version made with "
      "'screening amend'. A supervisor of the assessment's unit. To change the level, "
      "do it before approving with 'screening review level'.");
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    AddIdArgument(app, &id, IdHelp(lang));
    hidden.AddText(app, lang, "--comment", &comment,
                   Tr(lang, "Kommentar till handläggaren", "A comment for the caseworker"),
                   {"kommentaren", "the comment"},
                   {"Kommentar till handläggaren", "A comment for the caseworker"}, false);
  };
  DbSession db;
  if (auto code = ParseAndOpen(args, io, command_line, Preamble().WithStdinArguments(&hidden), &db))
    return *code;
  if (Status st = db.store->Approve(db.actor, id, comment); !st.ok()) {
    return ReviewFailure(io, kApproveName, id, st);
  }
  io.out << "ok: " << AssessmentName(io.lang, id) << Tr(io.lang, " är godkänd\n", " is approved\n");
  return kExitOk;
}

// ------------------------------------------------------------------ review return

std::string ReviewReturnCommand::summary(std::string_view lang) const {
  return Tr(lang, "Sänd tillbaka en inskickad bedömning med en kommentar (arbetsledare)",
            "Return a submitted assessment with a comment (supervisor)");
}

int ReviewReturnCommand::Run(const std::vector<std::string>& args, Io& io) {
  std::int64_t id = 0;
  std::string comment;
  StdinArguments hidden;
  CommandLine command_line = CommandLineWithDetails(
      *this, std::string(kReturnName),
      "Handläggaren ser kommentaren, ändrar bedömningen (den blir ett utkast igen) och "
      "skickar in den på nytt. Kommentaren krävs och ska säga vad som behöver ändras. "
      "Arbetsledare i bedömningens enhet.",
      "The caseworker sees the comment, edits the assessment (it becomes a draft "
      "again) and submits it anew. The comment is required and says what needs to "
      "change. A supervisor of the assessment's unit.");
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    AddIdArgument(app, &id, IdHelp(lang));
    hidden.AddText(app, lang, "--comment", &comment,
                   Tr(lang, "Vad som behöver ändras (krävs)", "What needs to change (required)"),
                   {"kommentaren", "the comment"}, {"Vad behöver ändras", "What needs to change"},
                   true);
  };
  DbSession db;
  if (auto code = ParseAndOpen(args, io, command_line, Preamble().WithStdinArguments(&hidden), &db))
    return *code;
  if (Status st = db.store->Return(db.actor, id, comment); !st.ok()) {
    return ReviewFailure(io, kReturnName, id, st);
  }
  io.out << "ok: " << AssessmentName(io.lang, id)
         << Tr(io.lang, " är återsänd till handläggaren\n", " is returned to the caseworker\n");
  return kExitOk;
}

// ------------------------------------------------------------------ review level

std::string ReviewLevelCommand::summary(std::string_view lang) const {
  return Tr(lang, "Ändra nivån före godkännande, med motivering (arbetsledare)",
            "Change the level before approval, with a reason (supervisor)");
}

int ReviewLevelCommand::Run(const std::vector<std::string>& args, Io& io) {
  std::int64_t id = 0;
  std::string level;
  std::string reason;
  StdinArguments hidden;
  CommandLine command_line = CommandLineWithDetails(
      *this, std::string(kLevelName),
      "Sätter bedömningens slutliga nivå (low, medium, high, eller för ett instrument "
      "med beräknad nivå en av dess nivåer, se 'screening instruments show'). Både den "
      "beräknade och den ändrade nivån sparas, med motiveringen och vem som ändrade. "
      "Bara en arbetsledare får sänka en nivå. Bedömningen ska vara inskickad och inte "
      "godkänd; godkänn den sedan med 'screening review approve'.",
      "Sets the assessment's final level (low, medium, high, or for an instrument that "
      "computes a level one of its levels, see 'screening instruments show'). Both the "
      "computed and the changed level are kept, with the reason and who changed it. "
      "Only a supervisor may lower a level. The assessment must be submitted and not "
      "approved; approve it afterwards with 'screening review approve'.");
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    AddIdArgument(app, &id, IdHelp(lang));
    app.add_option("--level", level, Tr(lang, "Den nya nivån", "The new level"))
        ->required()
        ->type_name(Tr(lang, "NIVÅ", "LEVEL"));
    hidden.AddText(app, lang, "--reason", &reason,
                   Tr(lang, "Motivering (krävs)", "The reason (required)"),
                   {"motiveringen", "the reason"},
                   {"Motivering till den nya nivån", "The reason for the new level"}, true);
  };
  DbSession db;
  if (auto code = ParseAndOpen(args, io, command_line, Preamble().WithStdinArguments(&hidden), &db))
    return *code;
  if (Status st = db.store->ChangeLevel(db.actor, id, level, reason); !st.ok()) {
    return ReviewFailure(io, kLevelName, id, st);
  }
  // The review entry just written says from what to what, named by the instrument's own
  // level names (skydd: "Svagt skydd", never "låg").
  std::string from, instrument_id;
  if (auto reviews = db.store->Reviews(db.actor, id); reviews.ok() && !reviews->empty()) {
    from = reviews->back().level_from;
  }
  if (auto record = db.store->Get(db.actor, id); record.ok()) instrument_id = record->instrument_id;
  auto label = [&](std::string_view l) {
    return LevelLabelFor(*db.registry, instrument_id, l, io.lang);
  };
  io.out << "ok: " << AssessmentName(io.lang, id) << Tr(io.lang, ": nivån ", ": the level ");
  if (!from.empty()) {
    io.out << Tr(io.lang, "ändrad från ", "changed from ") << label(from)
           << Tr(io.lang, " till ", " to ");
  } else {
    io.out << Tr(io.lang, "satt till ", "set to ");
  }
  io.out << label(level) << Tr(io.lang, " (väntar på godkännande)\n", " (waiting for approval)\n");
  return kExitOk;
}

}  // namespace screening::cli
