#include "commands/info_given.h"

#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <screening/store.h>
#include <screening/vocabulary.h>
#include <CLI/CLI.hpp>

#include "commands/cli_support.h"
#include "commands/db_support.h"
#include "commands/followup_support.h"
#include "commands/form_session.h"
#include "commands/stdin_arguments.h"

namespace screening::cli {
namespace {

constexpr std::string_view kName = "screening info-given";

// "12 (våldsutövare, 25-44)" for each person, for a prompt or a refusal.
std::vector<std::string> PersonLines(const std::vector<SubjectRecord>& people,
                                     const Vocabulary& vocabulary, std::string_view lang) {
  std::vector<std::string> lines;
  for (const auto& p : people) {
    std::string line =
        std::to_string(p.id) + " (" + vocabulary.Label("subject_roles", p.role, lang);
    if (!p.age_band.empty()) line += ", " + p.age_band;
    lines.push_back(line + ")");
  }
  return lines;
}

// Asks which of `people` was given the information; nullopt when the answer is not one of
// them (or the input ended).
std::optional<std::int64_t> AskPerson(Io& io, const std::vector<SubjectRecord>& people,
                                      const Vocabulary& vocabulary) {
  const auto lines = PersonLines(people, vocabulary, io.lang);
  io.out << Tr(io.lang, "Ärendet har flera personer. Vem fick informationen?\n",
               "The case has several people. Who was given the information?\n");
  for (std::size_t i = 0; i < lines.size(); ++i) {
    io.out << "  " << i + 1 << ") " << Tr(io.lang, "person ", "person ") << lines[i] << "\n";
  }
  io.out << Tr(io.lang, "Välj 1–", "Choose 1–") << people.size() << ": " << std::flush;
  std::string answer;
  if (!std::getline(io.in, answer)) return std::nullopt;
  while (!answer.empty() && (answer.back() == '\r' || answer.back() == ' ')) answer.pop_back();
  for (std::size_t i = 0; i < people.size(); ++i) {
    if (answer == std::to_string(i + 1)) return people[i].id;
  }
  return std::nullopt;
}

}  // namespace

std::string InfoGivenCommand::summary(std::string_view lang) const {
  return Tr(lang, "Registrera att stödinformation getts i ett ärende",
            "Record that support information was given in a case");
}

int InfoGivenCommand::Run(const std::vector<std::string>& args, Io& io) {
  std::string case_ref;
  std::string unit;
  std::int64_t subject = 0;
  std::vector<std::string> resources;
  StdinArguments hidden;
  CommandLine command_line = CommandLineWithDetails(
      *this, std::string(kName),
      "Sparar vilka resurser (id:n från 'screening resources') som personen fått "
      "information om, och när, och till vilken person i ärendet (--subject). Har ärendet "
      "flera personer frågar kommandot vem, eller vägrar utan terminal: indikatorerna "
      "räknar informationen per person. Den som utövar våld ska alltid få veta var "
      "hjälp finns. Handläggare och arbetsledare i enheten.",
      "Records which resources (ids from 'screening resources') the person was told "
      "about, and when, and to which person in the case (--subject). When the case has "
      "several people the command asks who, or refuses without a terminal: the "
      "indicators count the information per person. A person who uses violence must "
      "always be told where help is. Caseworkers and supervisors of the unit.");
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    hidden.AddCase(app, lang, &case_ref, Tr(lang, "Ärendets referens", "The case reference"), true);
    app.add_option("--unit", unit, Tr(lang, "Ärendets enhet", "The case's unit"))
        ->required()
        ->type_name(Tr(lang, "ENHET", "UNIT"));
    CLI::Validator positive = CLI::PositiveNumber;
    positive.description("");
    app.add_option("--subject", subject,
                   Tr(lang, "Personens id i ärendet", "The person's id in the case"))
        ->check(positive)
        ->type_name("ID");
    app.add_option("--resources", resources,
                   Tr(lang, "Resursernas id, åtskilda med komma",
                      "The resources' ids, separated by commas"))
        ->required()
        ->delimiter(',')
        ->allow_extra_args(false)
        ->type_name("ID,...");
  };
  DbSession db;
  std::shared_ptr<const Registry> registry;
  std::shared_ptr<const Directory> directory;
  const auto check = [&](DbFlags&) -> std::optional<int> {
    directory = LoadRegistryAndDirectoryOrReport(io, kName, &registry);
    if (directory == nullptr) return kExitFailed;
    for (const auto& id : resources) {
      const Status givable = directory->CheckGivable(id);
      if (givable.code() == StatusCode::kNotFound) {
        return Failure(
            io, kName,
            std::string(Tr(io.lang, "okänd resurs: ", "unknown resource: ")) + id +
                Tr(io.lang, " (se 'screening resources')", " (see 'screening resources')"));
      }
      if (!givable.ok()) {
        // An entry the municipality has not filled in: no number was handed over.
        return Failure(io, kName,
                       std::string(Tr(io.lang, "resursen ", "the resource ")) + id +
                           Tr(io.lang,
                              " har inget nummer ännu (kommunen fyller i, se 'screening resources "
                              "check'); det fanns inget att ge",
                              " has no number yet (the municipality fills it in, see 'screening "
                              "resources check'); there was nothing to give"));
      }
    }
    return std::nullopt;
  };
  if (auto code = ParseAndOpen(args, io, command_line,
                               Preamble().WithStdinArguments(&hidden).WithCheck(check), &db))
    return *code;
  std::optional<std::int64_t> subject_id =
      subject > 0 ? std::optional<std::int64_t>(subject) : std::nullopt;
  // Several people in the case: whom the information was given to is asked at a terminal;
  // otherwise the store refuses (the rule is the library's) and the people are listed.
  std::vector<SubjectRecord> people;
  auto listed = db.store->Subjects(db.actor, unit, case_ref);
  // No intake yet, or not open to this user: the store answers both alike (and audits it).
  if (listed.status().code() == StatusCode::kNotFound) {
    return Failure(io, kName, NoIntakeMessage(io.lang));
  }
  if (listed.ok()) people = std::move(*listed);
  if (!subject_id) {
    if (people.size() > 1 && io.interactive) {
      subject_id = AskPerson(io, people, *registry->vocabulary());
      if (!subject_id) {
        return Failure(io, kName,
                       Tr(io.lang, "ingen person vald; inget registrerades",
                          "no person chosen; nothing was recorded"));
      }
    }
  }
  if (Status st = db.store->RecordSupportGiven(db.actor, unit, case_ref, subject_id, resources);
      !st.ok()) {
    std::string message = Describe(io,
                                   Tr(io.lang, "kunde inte registrera stödinformationen",
                                      "could not record the support information"),
                                   st);
    if (!subject_id && people.size() > 1) {
      std::string list;
      for (const auto& line : PersonLines(people, *registry->vocabulary(), io.lang))
        list += (list.empty() ? "" : ", ") + line;
      message += Tr(io.lang, " (ange --subject ID; personer i ärendet: ",
                    " (give --subject ID; people in the case: ") +
                 list + ")";
    }
    return Failure(io, kName, message);
  }
  io.out << "ok: " << Tr(io.lang, "stödinformation registrerad (", "support information recorded (")
         << resources.size()
         << (resources.size() == 1 ? Tr(io.lang, " resurs)\n", " resource)\n")
                                   : Tr(io.lang, " resurser)\n", " resources)\n"));
  return kExitOk;
}

}  // namespace screening::cli
