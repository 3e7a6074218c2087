#include "commands/subject.h"

#include <ostream>

#include <screening/store.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "commands/cli_support.h"
#include "commands/db_support.h"
#include "commands/form_session.h"
#include "commands/stdin_arguments.h"

namespace screening::cli {
namespace {

constexpr std::string_view kName = "screening subject add";

}  // namespace

std::string SubjectAddCommand::summary(std::string_view lang) const {
  return Tr(lang, "Registrera en person i ett ärende", "Add a person to a case");
}

int SubjectAddCommand::Run(const std::vector<std::string>& args, Io& io) {
  SubjectInput subject;
  std::string format = "text";
  StdinArguments hidden;
  CommandLine command_line = CommandLineWithDetails(
      *this, std::string(kName),
      "Personen registreras med roll och åldersgrupp, aldrig med namn eller "
      "personnummer; id:t som skrivs ut används med 'screening assess --subject'. "
      "--protected markerar skyddade personuppgifter: ärendet syns då bara för den som "
      "registrerade det och för dem en arbetsledare ger tillgång ('screening grant'). "
      "--group (frivilligt, kan upprepas) räknas bara i statistiken och visas aldrig.",
      "The person is recorded with a role and an age band, never with a name or a "
      "personal identity number; the id printed is used with 'screening assess "
      "--subject'. --protected marks protected personal details: the case is then seen "
      "only by the one who recorded it and by those a supervisor grants access "
      "('screening grant'). --group (optional, may be repeated) is only counted in "
      "statistics and never shown.");
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    hidden.AddCase(app, lang, &subject.case_ref,
                   Tr(lang, "Ärendets referens", "The case's reference"), true);
    app.add_option("--unit", subject.unit, Tr(lang, "Enheten", "The unit"))
        ->required()
        ->type_name(Tr(lang, "ENHET", "UNIT"));
    app.add_option("--role", subject.role, Tr(lang, "Personens roll", "The person's role"))
        ->required()
        ->check(OneOf({"adult_victim", "child", "perpetrator"}))
        ->type_name("adult_victim|child|perpetrator");
    app.add_option("--age-band", subject.age_band, Tr(lang, "Åldersgrupp", "Age band"))
        ->check(OneOf({"0-5", "6-12", "13-17", "18-24", "25-44", "45-64", "65-79", "80+"}))
        ->type_name("0-5|6-12|13-17|18-24|25-44|45-64|65-79|80+");
    app.add_flag("--protected", subject.protected_identity,
                 Tr(lang, "Personen har skyddade personuppgifter",
                    "The person has protected personal details"));
    app.add_option("--group", subject.vulnerable_groups,
                   Tr(lang, "Särskilt sårbar grupp, endast statistik (kan upprepas)",
                      "Particularly vulnerable group, statistics only (may be repeated)"))
        ->allow_extra_args(false)
        ->check(OneOf({"disability", "older", "lgbtq", "foreign_background"}))
        ->type_name("disability|older|lgbtq|foreign_background");
    AddFormatOption(app, lang, &format, {"text", "json"});
  };
  DbSession db;
  if (auto code = ParseAndOpen(args, io, command_line, Preamble().WithStdinArguments(&hidden), &db))
    return *code;
  auto id = db.store->AddSubject(db.actor, subject);
  // A person is added to a case an intake has opened (kNotFound alike for a case the user
  // may not see).
  if (id.status().code() == StatusCode::kNotFound) {
    return Failure(io, kName, NoIntakeMessage(io.lang));
  }
  if (!id.ok()) {
    return Failure(
        io, kName,
        Describe(io,
                 Tr(io.lang, "personen kunde inte registreras", "the person could not be added"),
                 id.status()));
  }
  if (format == "json") {
    io.out << nlohmann::ordered_json{{"subject_id", *id}}.dump() << "\n";
    return kExitOk;
  }
  io.out << Tr(io.lang, "Person ", "Person ") << *id
         << Tr(io.lang, " registrerad i ärendet.\n", " added to the case.\n");
  return kExitOk;
}

}  // namespace screening::cli
