#include "commands/followup_support.h"

#include <algorithm>
#include <ostream>

#include <screening/instrument.h>
#include <CLI/CLI.hpp>

#include "commands/cli_support.h"

namespace screening::cli {

void AddIdArgument(CLI::App& app, std::int64_t* id, std::string help) {
  CLI::Validator positive = CLI::PositiveNumber;
  positive.description("");
  app.add_option("ID", *id, std::move(help))->required()->check(positive)->type_name("");
}

std::string LegalBasisText(const Directory* directory, std::string_view id, std::string_view date,
                           std::string_view lang) {
  const v1::LegalReference* legal = directory != nullptr ? directory->Legal(id) : nullptr;
  if (legal == nullptr) return std::string(id);
  std::string text = directory->Text(legal->title(), lang);
  if (auto cited = directory->CitationTextOn(*legal, date, lang); cited.ok() && !cited->empty()) {
    text += " – " + *cited;
  }
  return text;
}

std::string RecommendationLabel(const Registry& registry, std::string_view kind,
                                std::string_view lang) {
  for (const auto& instrument : registry.all()) {
    for (const auto& recommendation : instrument->definition().recommendations()) {
      if (recommendation.id() == kind) {
        const std::string& text = TextIn(recommendation.text(), lang);
        if (!text.empty()) return text;
      }
    }
  }
  return std::string(kind);
}

std::shared_ptr<const Directory> LoadDirectoryOrReport(Io& io, std::string_view name,
                                                       const Registry& registry) {
  Diagnostics diagnostics;
  auto directory =
      Directory::LoadDirectory(registry.directory(), *registry.vocabulary(), &diagnostics);
  if (directory.ok()) return *directory;
  if (!diagnostics.empty()) {
    WriteDiagnostics(io.err, diagnostics);
  }
  io.err << name << ": "
         << Tr(io.lang, "kunde inte läsa resurskatalogen i ",
               "could not read the resource directory in ")
         << (registry.directory() / "directory").string() << " (" << directory.status().message()
         << ")\n";
  return nullptr;
}

std::shared_ptr<const Directory> LoadRegistryAndDirectoryOrReport(
    Io& io, std::string_view name, std::shared_ptr<const Registry>* registry) {
  *registry = LoadRegistryOrReport(io, name);
  if (*registry == nullptr) return nullptr;
  return LoadDirectoryOrReport(io, name, **registry);
}

}  // namespace screening::cli
