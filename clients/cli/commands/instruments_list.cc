#include "commands/instruments_list.h"

#include <ostream>

#include <screening/registry.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "commands/cli_support.h"
#include "commands/labels.h"

namespace screening::cli {
namespace {

constexpr std::string_view kName = "screening instruments list";
// Characters of the logic hash shown in the table (the JSON has all of it).
constexpr size_t kShortHash = 12;

}  // namespace

std::string InstrumentsListCommand::summary(std::string_view lang) const {
  return Tr(lang, "Lista instrumenten i instrumentmappen",
            "List the instruments in the instruments folder");
}

int InstrumentsListCommand::Run(const std::vector<std::string>& args, Io& io) {
  std::string format = "table";
  bool every_version = false;
  CommandLine command_line = CommandLineWithDetails(
      *this, std::string(kName),
      "Visar id, version, typ, titel och logikens sha256 för den gällande versionen av "
      "varje instrument, den som nya bedömningar görs med. Med --all visas också "
      "arkiverade versioner (instrumentmappens archive/), markerade som arkiverade: de "
      "finns kvar för bedömningar som gjorts på dem.",
      "Shows id, version, kind, title and the logic sha256 of the current version of "
      "every instrument, the one new assessments are made with. With --all archived "
      "versions (the instruments folder's archive/) are listed too, marked as archived: "
      "they are kept for the assessments made on them.");
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    AddFormatOption(app, lang, &format, {"table", "json"});
    app.add_flag("--all", every_version,
                 Tr(lang, "Visa också arkiverade versioner", "Also list archived versions"));
  };
  if (auto code = ParseCommandLine(command_line, args, io)) return *code;

  auto registry = LoadRegistryOrReport(io, kName);
  if (registry == nullptr) return kExitFailed;

  const auto& instruments = every_version ? registry->versions() : registry->all();
  auto archived = [&](const Instrument& instrument) {
    return registry->IsArchived(instrument.id(), instrument.version());
  };
  if (format == "json") {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& instrument : instruments) {
      const v1::Instrument& def = instrument->definition();
      list.push_back(
          {{"id", instrument->id()},
           {"version", instrument->version()},
           {"kind", KindId(def.kind())},
           {"target_group", TargetGroupId(def.target_group())},
           {"languages", std::vector<std::string>(def.languages().begin(), def.languages().end())},
           {"title", TextIn(def.title(), io.lang)},
           {"sha256", instrument->logic_sha256()},
           {"archived", archived(*instrument)}});
    }
    io.out << list.dump(2) << "\n";
    return kExitOk;
  }

  struct Row {
    std::string id, version, kind, sha, title;
  };
  std::vector<Row> rows;
  rows.push_back(
      {"ID", "VERSION", Tr(io.lang, "TYP", "KIND"), "SHA256", Tr(io.lang, "TITEL", "TITLE")});
  for (const auto& instrument : instruments) {
    const v1::Instrument& def = instrument->definition();
    std::string title = TextIn(def.title(), io.lang);
    if (archived(*instrument)) {
      title = std::string(Tr(io.lang, "[arkiverad] ", "[archived] ")) + title;
    }
    rows.push_back({instrument->id(), instrument->version(), KindLabel(*instrument, io.lang),
                    instrument->logic_sha256().substr(0, kShortHash), title});
  }
  size_t id_width = 0, version_width = 0, kind_width = 0, sha_width = 0;
  for (const Row& row : rows) {
    id_width = std::max(id_width, DisplayWidth(row.id));
    version_width = std::max(version_width, DisplayWidth(row.version));
    kind_width = std::max(kind_width, DisplayWidth(row.kind));
    sha_width = std::max(sha_width, DisplayWidth(row.sha));
  }
  for (const Row& row : rows) {
    io.out << PadRight(row.id, id_width + 2) << PadRight(row.version, version_width + 2)
           << PadRight(row.kind, kind_width + 2) << PadRight(row.sha, sha_width + 2) << row.title
           << "\n";
  }
  return kExitOk;
}

}  // namespace screening::cli
