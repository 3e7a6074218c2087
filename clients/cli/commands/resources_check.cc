#include "commands/resources_check.h"

#include <ostream>

#include <screening/directory.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "commands/cli_support.h"
#include "commands/followup_support.h"

namespace screening::cli {
namespace {

constexpr std::string_view kName = "screening resources check";

std::string FieldLabel(const std::string& field, std::string_view lang) {
  if (field == "phone") return Tr(lang, "telefon", "phone");
  if (field == "hours") return Tr(lang, "öppettider", "opening hours");
  if (field == "languages") return Tr(lang, "språk", "languages");
  if (field == "anonymity") return Tr(lang, "anonymitet", "anonymity");
  return field;
}

std::string GapText(const DirectoryGap& gap, std::string_view lang) {
  if (gap.field == "phone" && gap.missing) return MissingNumberText(lang);
  return gap.missing ? Tr(lang, "saknas", "missing") : Tr(lang, "ej verifierat", "not verified");
}

}  // namespace

std::string ResourcesCheckCommand::summary(std::string_view lang) const {
  return Tr(lang, "Vad resurskatalogen saknar eller inte har verifierat",
            "What the resource directory lacks or has not verified");
}

int ResourcesCheckCommand::Run(const std::vector<std::string>& args, Io& io) {
  std::string format = "text";
  CommandLine command_line = CommandLineWithDetails(
      *this, std::string(kName),
      "Listar varje telefonnummer, öppettid och språklista som saknas eller inte är "
      "verifierad mot en källa. Poster som kommunen måste fylla i före användning "
      "(socialjour, kvinnojour, mansjour, brottsofferjour, stödlinje vid "
      "självmordstankar) listas först. Slutkod 1 när en sådan post saknar "
      "kontrollerat nummer, annars 0. Se docs/directory.md för hur de fylls i.",
      "Lists every phone number, opening time and language list that is missing or not "
      "verified against a source. Entries the municipality must fill in before use "
      "(out-of-hours social services, women's and men's shelters, victim support, a "
      "suicide line) come first. Exit code 1 when such an entry has no verified "
      "number, else 0. See docs/directory.md for how to fill them in.");
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    AddFormatOption(app, lang, &format, {"text", "json"});
  };
  if (auto code = ParseCommandLine(command_line, args, io)) return *code;

  std::shared_ptr<const Registry> registry;
  auto directory = LoadRegistryAndDirectoryOrReport(io, kName, &registry);
  if (directory == nullptr) return kExitFailed;

  const std::vector<DirectoryGap> gaps = directory->Gaps();
  int required = 0;
  for (const DirectoryGap& gap : gaps) required += gap.required ? 1 : 0;
  const int code = required > 0 ? kExitFailed : kExitOk;

  auto name_of = [&](const DirectoryGap& gap) {
    const v1::Resource* r = directory->Resource(gap.resource_id);
    return r != nullptr ? directory->Text(r->name(), io.lang) : gap.resource_id;
  };
  if (format == "json") {
    nlohmann::json list = nlohmann::json::array();
    for (const DirectoryGap& gap : gaps) {
      list.push_back({{"resource", gap.resource_id},
                      {"name", name_of(gap)},
                      {"field", gap.field},
                      {"missing", gap.missing},
                      {"required", gap.required},
                      {"note", gap.note}});
    }
    io.out << nlohmann::json{{"missing_required", required}, {"gaps", list}}.dump(2) << "\n";
    return code;
  }
  std::vector<std::vector<std::string>> rows;
  for (int pass = 0; pass < 2; ++pass) {
    for (const DirectoryGap& gap : gaps) {
      if (gap.required != (pass == 0)) continue;
      rows.push_back({name_of(gap) + " [" + gap.resource_id + "]", FieldLabel(gap.field, io.lang),
                      GapText(gap, io.lang) + (gap.required ? " (!)" : "")});
    }
  }
  if (!rows.empty()) {
    WriteTable(io.out,
               {Tr(io.lang, "Resurs", "Resource"), Tr(io.lang, "Uppgift", "Fact"),
                Tr(io.lang, "Status", "Status")},
               rows);
    io.out << "\n";
  }
  if (required > 0) {
    io.out << required
           << Tr(io.lang,
                 " obligatoriska nummer saknas (!): kommunen fyller i dem innan katalogen används "
                 "(docs/directory.md). De visas som \"saknas – kommunen fyller i\" och kommer "
                 "aldrig med på ett kort.\n",
                 " required numbers are missing (!): the municipality fills them in before the "
                 "directory is used (docs/directory.md). They show as \"missing – to be filled "
                 "in by the municipality\" and are never printed on a card.\n");
  } else {
    io.out << Tr(io.lang, "Inga obligatoriska nummer saknas.\n",
                 "No required number is missing.\n");
  }
  return code;
}

}  // namespace screening::cli
