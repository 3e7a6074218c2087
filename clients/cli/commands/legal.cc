#include "commands/legal.h"

#include <ostream>

#include <screening/dates.h>
#include <screening/directory.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "commands/cli_support.h"
#include "commands/followup_support.h"
#include "commands/form_session.h"

namespace screening::cli {
namespace {

constexpr std::string_view kName = "screening legal";

}  // namespace

std::string LegalCommand::summary(std::string_view lang) const {
  return Tr(lang, "Lagrum som instrument och rutiner hänvisar till, enligt lagen på ett datum",
            "Legal references of instruments and routines, as the law stood on a date");
}

int LegalCommand::Run(const std::vector<std::string>& args, Io& io) {
  std::vector<std::string> ids;
  std::string date;
  std::string format = "text";
  CommandLine command_line = CommandLineWithDetails(
      *this, std::string(kName),
      "Hänvisningen beror på uppgiftens datum (--date, standard i dag): "
      "socialtjänstlagen (2001:453) gäller uppgifter före 2025-07-01, den nya "
      "socialtjänstlagen (2025:400) uppgifter från och med den dagen; SOSFS 2014:4 "
      "före 2022-11-01, sedan HSLF-FS 2022:39. Det som inte är verifierat står i "
      "klartext (\"paragraf ej verifierad\"). Utan ID: alla lagrum. Kräver ingen "
      "databas.",
      "The citation depends on the record's date (--date, default today): the Social "
      "Services Act (2001:453) for records before 2025-07-01, the new Social Services "
      "Act (2025:400) from that day; SOSFS 2014:4 before 2022-11-01, then HSLF-FS "
      "2022:39. What is not verified is said in words (\"section not verified\"). "
      "Without ID: every reference. Needs no database.");
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    app.add_option("ID", ids, Tr(lang, "Lagrummets id (kan upprepas)", "Reference id (repeatable)"))
        ->type_name("ID");
    app.add_option("--date", date,
                   Tr(lang, "Uppgiftens datum, ÅÅÅÅ-MM-DD (standard i dag)",
                      "The record's date, YYYY-MM-DD (default today)"))
        ->type_name(Tr(lang, "DATUM", "DATE"));
    AddFormatOption(app, lang, &format, {"text", "json"});
  };
  if (auto code = ParseCommandLine(command_line, args, io)) return *code;
  if (date.empty()) date = SwedishToday();
  if (!LooksLikeDate(date)) {
    return UsageError(io, kName,
                      std::string(Tr(io.lang, "--date är inte ett datum (ÅÅÅÅ-MM-DD): ",
                                     "--date is not a date (YYYY-MM-DD): ")) +
                          date);
  }

  std::shared_ptr<const Registry> registry;
  auto directory = LoadRegistryAndDirectoryOrReport(io, kName, &registry);
  if (directory == nullptr) return kExitFailed;

  std::vector<const v1::LegalReference*> refs;
  if (ids.empty()) {
    for (const auto& l : directory->definition().legal_refs()) refs.push_back(&l);
  } else {
    for (const std::string& id : ids) {
      const v1::LegalReference* l = directory->Legal(id);
      if (l == nullptr) {
        return Failure(
            io, kName,
            std::string(Tr(io.lang, "okänt lagrum: ", "unknown legal reference: ")) + id);
      }
      refs.push_back(l);
    }
  }

  nlohmann::json list = nlohmann::json::array();
  if (format == "text") {
    io.out << Tr(io.lang, "Lagrum för en uppgift från ", "Legal references for a record of ")
           << date << "\n";
  }
  for (const v1::LegalReference* l : refs) {
    auto citation = directory->CitationOn(*l, date);
    if (!citation.ok()) return UsageError(io, kName, citation.status().message());
    const v1::Citation& c = **citation;
    const std::string cited = directory->CitationText(c, io.lang);
    if (format == "json") {
      list.push_back({{"id", l->id()},
                      {"title", directory->Text(l->title(), io.lang)},
                      {"citation", cited},
                      {"law", directory->Text(c.law(), io.lang)},
                      {"number", c.number()},
                      {"chapter", c.chapter()},
                      {"paragraph", c.paragraph()},
                      {"paragraph_unknown", c.paragraph_unknown()},
                      {"verified", c.verified().status() == v1::VERIFIED},
                      {"current", &c == &l->current()},
                      {"text", directory->Text(l->text(), io.lang)},
                      {"note", directory->Text(l->note(), io.lang)}});
      continue;
    }
    io.out << "\n"
           << directory->Text(l->title(), io.lang) << "  [" << l->id() << "]\n"
           << "  " << cited << "\n"
           << "  " << directory->Text(l->text(), io.lang) << "\n";
    if (const std::string& note = directory->Text(l->note(), io.lang); !note.empty()) {
      io.out << "  " << note << "\n";
    }
  }
  if (format == "json") {
    io.out << nlohmann::json{{"date", date}, {"references", list}}.dump(2) << "\n";
  }
  return kExitOk;
}

}  // namespace screening::cli
