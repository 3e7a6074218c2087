#include "commands/show.h"

#include <cstdint>
#include <ostream>

#include <screening/json.h>
#include <screening/registry.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "commands/cli_support.h"
#include "commands/db_support.h"
#include "commands/form_session.h"
#include "commands/labels.h"
#include "commands/terminal_form.h"

namespace screening::cli {
namespace {

constexpr std::string_view kName = "screening show";

using Json = nlohmann::ordered_json;

Json OptionalId(const std::optional<std::int64_t>& id) { return id ? Json(*id) : Json(nullptr); }

Json OptionalText(const std::string& text) { return text.empty() ? Json(nullptr) : Json(text); }

// A recorded level named for people: the instrument's band text or level name (skydd:
// "Starkt skydd"), the code when the instrument version is not installed.
std::string LevelText(const Instrument* instrument, const std::string& level,
                      std::string_view lang) {
  if (instrument == nullptr || level.empty()) return level;
  return ResultLevelLabel(*instrument, level, lang);
}

std::string DecisionLabel(std::string_view decision, std::string_view lang) {
  if (decision == "approved") return Tr(lang, "godkänd", "approved");
  if (decision == "returned") return Tr(lang, "returnerad", "returned");
  if (decision == "level_changed") return Tr(lang, "nivå ändrad", "level changed");
  return std::string(decision);
}

Json RecordJson(const AssessmentRecord& r, const std::vector<AssessmentRecord>& history,
                const std::vector<ReviewEntry>& reviews) {
  Json out;
  out["id"] = r.id;
  out["chain_id"] = r.chain_id;
  out["version"] = r.version;
  out["status"] = StatusId(r.status);
  out["unit"] = r.unit;
  out["case"] = r.case_ref;
  out["subject_id"] = OptionalId(r.subject_id);
  out["contact_id"] = OptionalId(r.contact_id);
  out["author"] = r.author;
  out["owner"] = r.owner;
  Json contributors = Json::array();
  for (const auto& c : r.contributors) contributors.push_back({{"user", c.user}, {"part", c.part}});
  out["contributors"] = contributors;
  out["instrument"] = {{"id", r.instrument_id},      {"version", r.instrument_version},
                       {"sha256", r.logic_sha256},   {"text_sha256", r.text_sha256},
                       {"engine", r.engine_version}, {"pinned", r.logic_pinned}};
  out["lang"] = r.lang;
  out["created_utc"] = r.created_utc;
  out["updated_utc"] = r.updated_utc;
  out["submitted_utc"] = OptionalText(r.submitted_utc);
  out["approved_utc"] = OptionalText(r.approved_utc);
  out["amends_id"] = OptionalId(r.amends_id);
  out["amend_reason"] = OptionalText(r.amend_reason);
  out["review_comment"] = OptionalText(r.review_comment);
  out["answers"] = Json::parse(AnswersToJson(r.answers));
  out["result"] = r.result ? Json::parse(ResultToJson(*r.result)) : Json(nullptr);
  Json versions = Json::array();
  for (const auto& v : history) {
    versions.push_back(
        {{"id", v.id},
         {"version", v.version},
         {"status", StatusId(v.status)},
         {"amends_id", OptionalId(v.amends_id)},
         {"amend_reason", OptionalText(v.amend_reason)},
         {"final_level", v.result ? OptionalText(v.result->final_level()) : Json(nullptr)},
         {"author", v.author},
         {"updated_utc", v.updated_utc}});
  }
  out["history"] = versions;
  Json review_list = Json::array();
  for (const auto& e : reviews) {
    review_list.push_back({{"reviewer", e.reviewer},
                           {"decision", e.decision},
                           {"comment", OptionalText(e.comment)},
                           {"level_from", OptionalText(e.level_from)},
                           {"level_to", OptionalText(e.level_to)},
                           {"at_utc", e.at_utc}});
  }
  out["reviews"] = review_list;
  return out;
}

// The answers in the instrument's order, with the question texts.
void WriteAnswers(std::ostream& out, const Instrument& instrument, const v1::Answers& answers,
                  std::string_view lang) {
  const auto& items = instrument.items();
  for (size_t i = 0; i < items.size(); ++i) {
    const ItemInfo& info = items[i];
    if (info.group >= 0) continue;
    auto it = answers.answers().find(info.def->id());
    if (it == answers.answers().end()) continue;
    out << "  " << info.def->id() << ". " << TextIn(info.def->text(), lang) << "\n      "
        << AnswerText(instrument, info, it->second, lang) << "\n";
    if (auto note = answers.notes().find(info.def->id()); note != answers.notes().end()) {
      out << "      " << Tr(lang, "Anteckning: ", "Note: ") << note->second << "\n";
    }
    if (it->second.value_case() != v1::AnswerValue::kBlocks) continue;
    int number = 0;
    for (const v1::Block& block : it->second.blocks().blocks()) {
      out << "      " << Tr(lang, "Post ", "Entry ") << ++number << ":";
      for (size_t c = i + 1; c < items.size() && items[c].group == static_cast<int>(i); ++c) {
        auto value = block.answers().find(items[c].def->id());
        if (value == block.answers().end()) continue;
        out << " " << TextIn(items[c].def->text(), lang) << ": "
            << AnswerText(instrument, items[c], value->second, lang) << ";";
      }
      out << "\n";
    }
  }
  for (const auto& [id, judgement] : answers.judgements()) {
    out << "  " << Tr(lang, "Bedömning ", "Judgement ") << id << ": "
        << instrument.LevelLabel(judgement.level(), lang, id) << " — " << judgement.rationale()
        << "\n";
  }
  if (answers.has_client_estimate()) {
    out << "  " << Tr(lang, "Personens egen bedömning: ", "The person's own estimate: ")
        << answers.client_estimate().level() << "\n";
  }
}

void WriteText(std::ostream& out, const AssessmentRecord& r, const Instrument* instrument,
               const std::vector<AssessmentRecord>& history,
               const std::vector<ReviewEntry>& reviews, std::string_view lang) {
  out << Tr(lang, "Bedömning ", "Assessment ") << r.id << " (" << Tr(lang, "version ", "version ")
      << r.version << ") — " << r.instrument_id << " " << r.instrument_version << ", "
      << StatusLabel(r.status, lang) << "\n";
  if (!r.logic_pinned) {
    out << Tr(lang,
              "VARNING: instrumentlogiken som bedömningen gjordes med är inte godkänd i "
              "databasen (se 'screening instruments pin'); kontrollera resultatet.\n",
              "WARNING: the instrument logic this assessment was made with is not accepted by "
              "the database (see 'screening instruments pin'); check the result.\n");
  }
  out << Tr(lang, "Ärende: ", "Case: ") << r.case_ref << " · " << Tr(lang, "Enhet: ", "Unit: ")
      << r.unit;
  if (r.subject_id) out << " · " << Tr(lang, "Person: ", "Person: ") << *r.subject_id;
  if (r.contact_id) out << " · " << Tr(lang, "Kontakt: ", "Contact: ") << *r.contact_id;
  out << "\n"
      << Tr(lang, "Av: ", "By: ") << r.author << " · " << Tr(lang, "skapad ", "created ")
      << r.created_utc << " · " << Tr(lang, "ändrad ", "updated ") << r.updated_utc;
  if (!r.submitted_utc.empty())
    out << " · " << Tr(lang, "skickad ", "submitted ") << r.submitted_utc;
  if (!r.approved_utc.empty()) out << " · " << Tr(lang, "godkänd ", "approved ") << r.approved_utc;
  out << "\n";
  if (!r.owner.empty() && r.owner != r.author) {
    out << Tr(lang, "Utkastet ägs nu av ", "The draft is now owned by ") << r.owner << "\n";
  }
  // Everyone who took part besides the author (four eyes: none of them reviews it).
  std::string others;
  for (const auto& c : r.contributors) {
    if (c.part == "author") continue;
    const std::string part = c.part == "editor"       ? Tr(lang, "ändrade", "edited")
                             : c.part == "submitter"  ? Tr(lang, "skickade in", "submitted")
                             : c.part == "owner"      ? Tr(lang, "tog över", "took over")
                             : c.part == "reassigner" ? Tr(lang, "lämnade över", "handed over")
                                                      : c.part;
    others += (others.empty() ? "" : ", ") + c.user + " (" + part + ")";
  }
  if (!others.empty()) out << Tr(lang, "Även: ", "Also: ") << others << "\n";
  if (r.amends_id) {
    out << Tr(lang, "Ändrar bedömning ", "Amends assessment ") << *r.amends_id << ": "
        << r.amend_reason << "\n";
  }
  if (!r.review_comment.empty()) {
    out << Tr(lang, "Arbetsledarens kommentar: ", "Supervisor's comment: ") << r.review_comment
        << "\n";
  }
  if (instrument != nullptr) {
    out << "\n" << Tr(lang, "Svar:\n", "Answers:\n");
    WriteAnswers(out, *instrument, r.answers, lang);
  }
  out << "\n";
  if (r.result && instrument != nullptr) {
    out << ResultToText(*r.result, *instrument, lang);
  } else if (r.result) {
    out << Tr(lang, "Resultat: ", "Result: ") << ResultToJson(*r.result) << "\n";
  } else {
    out << Tr(lang, "Inget resultat ännu: bedömningen är inte skickad.\n",
              "No result yet: the assessment has not been submitted.\n");
  }
  out << "\n" << Tr(lang, "Versioner:\n", "Versions:\n");
  for (const auto& v : history) {
    out << "  " << v.version << "  " << Tr(lang, "id ", "id ") << v.id << "  "
        << StatusLabel(v.status, lang) << "  " << v.updated_utc << "  " << v.author;
    if (v.result && !v.result->final_level().empty()) {
      out << "  " << Tr(lang, "nivå ", "level ")
          << LevelText(instrument, v.result->final_level(), lang);
    }
    if (!v.amend_reason.empty()) out << "  (" << v.amend_reason << ")";
    out << "\n";
  }
  out << Tr(lang, "Granskningar:", "Reviews:");
  if (reviews.empty()) out << Tr(lang, " inga", " none");
  out << "\n";
  for (const auto& e : reviews) {
    out << "  " << e.at_utc << "  " << e.reviewer << "  " << DecisionLabel(e.decision, lang);
    if (!e.level_from.empty() || !e.level_to.empty())
      out << " " << LevelText(instrument, e.level_from, lang) << " → "
          << LevelText(instrument, e.level_to, lang);
    if (!e.comment.empty()) out << "  \"" << e.comment << "\"";
    out << "\n";
  }
}

}  // namespace

std::string ShowCommand::summary(std::string_view lang) const {
  return Tr(lang, "Visa en bedömning med svar, resultat, versioner och granskningar",
            "Show an assessment with answers, result, versions and reviews");
}

int ShowCommand::Run(const std::vector<std::string>& args, Io& io) {
  std::int64_t id = 0;
  std::string format = "text";
  CommandLine command_line = CommandLineWithDetails(
      *this, std::string(kName),
      "Visar svaren, det sparade resultatet med förklaring, alla versioner (ändringar) "
      "och arbetsledarens granskningar. Varje visning loggas. JSON-formen (--format "
      "json) har svaren i samma form som --answers tar och resultatet som 'score "
      "--format json' skriver.",
      "Shows the answers, the stored result with its explanation, every version "
      "(amendments) and the supervisor's reviews. Every showing is logged. The JSON form "
      "(--format json) has the answers in the form --answers takes and the result as "
      "'score --format json' writes it.");
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    app.add_option("ID", id, Tr(lang, "Bedömningens id", "The assessment's id"))
        ->required()
        ->type_name("");
    AddFormatOption(app, lang, &format, {"text", "json"});
  };
  DbSession db;
  const auto check = [&](DbFlags&) -> std::optional<int> {
    if (id <= 0) return UsageError(io, kName, Tr(io.lang, "ange ett id", "give an id"));
    return std::nullopt;
  };
  if (auto code = ParseAndOpen(args, io, command_line, Preamble().WithCheck(check), &db))
    return *code;
  const std::string what =
      std::string(Tr(io.lang, "bedömning ", "assessment ")) + std::to_string(id);
  auto record = db.store->Get(db.actor, id);
  if (!record.ok()) return Failure(io, kName, Describe(io, what, record.status()));
  auto history = db.store->History(db.actor, id);
  if (!history.ok()) return Failure(io, kName, Describe(io, what, history.status()));
  auto reviews = db.store->Reviews(db.actor, id);
  if (!reviews.ok()) return Failure(io, kName, Describe(io, what, reviews.status()));
  if (format == "json") {
    io.out << RecordJson(*record, *history, *reviews).dump() << "\n";
    return kExitOk;
  }
  auto instrument = db.registry->Find(record->instrument_id, record->instrument_version);
  WriteText(io.out, *record, instrument.get(), *history, *reviews, io.lang);
  return kExitOk;
}

}  // namespace screening::cli
