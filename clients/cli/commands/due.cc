#include "commands/due.h"

#include <algorithm>
#include <ostream>

#include <screening/store.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "commands/cli_support.h"
#include "commands/db_support.h"
#include "commands/followup_support.h"

namespace screening::cli {
namespace {

constexpr std::string_view kName = "screening due";

}  // namespace

std::string DueCommand::summary(std::string_view lang) const {
  return Tr(lang, "Uppföljningar med tidsfrister (det som ska göras)",
            "Follow-up items with deadlines (what is to be done)");
}

int DueCommand::Run(const std::vector<std::string>& args, Io& io) {
  bool overdue_only = false;
  std::string unit;
  std::string format = "text";
  CommandLine command_line = CommandLineWithDetails(
      *this, std::string(kName),
      "När en bedömning skickas in blir dess nästa steg med tidsfrist (skyddsbedömning "
      "samma dag eller senast nästa dag, beslut inom 14 dagar, utredning inom 4 månader, "
      "fråga "
      "igen vid nästa kontakt) uppföljningar som visas här tills de markeras klara med "
      "'screening done ID'. Tidigast förfallna först; de utan datum (vid nästa "
      "kontakt) sist. Försenade markeras. Bara ärenden i dina enheter som du får se. "
      "Handläggare och arbetsledare.",
      "When an assessment is submitted, its next steps with deadlines (protection "
      "assessment the same or next day, decision within 14 days, investigation within "
      "4 months, ask again at the next contact) become follow-up items shown here "
      "until marked done with 'screening done ID'. Earliest first; those without a "
      "date (at the next contact) last. Overdue items are marked. Only cases in your "
      "units that you may see. Caseworkers and supervisors.");
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    app.add_flag("--overdue", overdue_only,
                 Tr(lang, "Bara de som passerat sin tidsfrist", "Only those past their deadline"));
    app.add_option("--unit", unit, Tr(lang, "Bara den här enheten", "Only this unit"))
        ->type_name(Tr(lang, "ENHET", "UNIT"));
    AddFormatOption(app, lang, &format, {"text", "json"});
  };
  DbSession db;
  if (auto code = ParseAndOpen(args, io, command_line, Preamble(), &db)) return *code;
  if (!unit.empty() &&
      std::find(db.actor.units.begin(), db.actor.units.end(), unit) == db.actor.units.end()) {
    return Failure(
        io, kName,
        std::string(Tr(io.lang, "du hör inte till enheten ", "you do not belong to the unit ")) +
            unit);
  }
  auto due = db.store->Due(db.actor, overdue_only);
  if (!due.ok()) {
    return Failure(io, kName,
                   Describe(io,
                            Tr(io.lang, "kunde inte läsa uppföljningarna",
                               "could not read the follow-up items"),
                            due.status()));
  }
  std::vector<DueItem> items = std::move(*due);
  if (!unit.empty()) {
    items.erase(std::remove_if(items.begin(), items.end(),
                               [&](const DueItem& d) { return d.unit != unit; }),
                items.end());
  }

  if (format == "json") {
    nlohmann::json out = nlohmann::json::array();
    for (const DueItem& d : items) {
      out.push_back(
          {{"id", d.id},
           {"assessment_id", d.assessment_id},
           {"unit", d.unit},
           {"case_ref", d.case_ref},
           {"kind", d.kind},
           {"due_date", d.due_date.empty() ? nlohmann::json(nullptr) : nlohmann::json(d.due_date)},
           {"next_contact", d.due_date.empty()},
           {"overdue", d.overdue}});
    }
    io.out << out.dump(2) << "\n";
    return kExitOk;
  }
  if (items.empty()) {
    io.out << (overdue_only
                   ? Tr(io.lang, "Inga försenade uppföljningar.\n", "No overdue follow-up items.\n")
                   : Tr(io.lang, "Inga öppna uppföljningar.\n", "No open follow-up items.\n"));
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"ID", Tr(io.lang, "SENAST", "DUE"), "", Tr(io.lang, "ENHET", "UNIT"),
                  Tr(io.lang, "ÄRENDE", "CASE"), Tr(io.lang, "BEDÖMNING", "ASSESSMENT"),
                  Tr(io.lang, "ATT GÖRA", "TO DO")});
  size_t overdue = 0;
  for (const DueItem& d : items) {
    if (d.overdue) ++overdue;
    rows.push_back({std::to_string(d.id),
                    d.due_date.empty() ? Tr(io.lang, "nästa kontakt", "next contact") : d.due_date,
                    d.overdue ? Tr(io.lang, "FÖRSENAD", "OVERDUE") : "", d.unit, d.case_ref,
                    std::to_string(d.assessment_id),
                    RecommendationLabel(*db.registry, d.kind, io.lang)});
  }
  WriteTable(io.out, rows);
  io.out << items.size() << Tr(io.lang, " öppna", " open");
  if (overdue > 0) io.out << ", " << overdue << Tr(io.lang, " försenade", " overdue");
  io.out << Tr(io.lang, ". Markera en som klar med 'screening done ID'.\n",
               ". Mark one done with 'screening done ID'.\n");
  return kExitOk;
}

}  // namespace screening::cli
