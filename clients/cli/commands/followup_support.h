// What the follow-up commands (review, amend, due, done, info-given, resources, export, demo)
// share: the id argument, aligned tables, labels of statuses, levels and due items, the
// resource directory, and the demo accounts `init --demo` creates.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <screening/directory.h>
#include <screening/registry.h>
#include <screening/roles.h>

#include "commands/io.h"

namespace CLI {
class App;
}  // namespace CLI

namespace screening::cli {

// Adds a required positional `ID` (a whole number above 0) with the help `help`.
void AddIdArgument(CLI::App& app, std::int64_t* id, std::string help);

// The text of the recommendation `kind` (a due item's kind) in `lang`, from the first
// instrument that defines it; the id itself when none does.
std::string RecommendationLabel(const Registry& registry, std::string_view kind,
                                std::string_view lang);

// A legal reference as shown to people: its title and the citation that applies to a record
// of `date` (YYYY-MM-DD or a UTC timestamp), e.g. "Stöd till barn som bevittnat våld –
// Socialtjänstlag (2025:400), paragraf ej verifierad"; the id itself when `directory` is null
// or does not know it.
std::string LegalBasisText(const Directory* directory, std::string_view id, std::string_view date,
                           std::string_view lang);

// Loads the resource directory of the instruments folder (`registry.directory()/directory`);
// on failure writes every diagnostic (or the status) on io.err and returns nullptr.
std::shared_ptr<const Directory> LoadDirectoryOrReport(Io& io, std::string_view name,
                                                       const Registry& registry);
// Loads the instruments folder into `*registry` (LoadRegistryOrReport) and then its resource
// directory; nullptr after the report of whichever failed.
std::shared_ptr<const Directory> LoadRegistryAndDirectoryOrReport(
    Io& io, std::string_view name, std::shared_ptr<const Registry>* registry);

// The accounts `init --demo` creates, with their published demo passwords. `demo seed`
// logs in with them, so it runs only on a database made for demonstration.
struct DemoAccount {
  const char* name;
  Role role;
  const char* password;
};
inline constexpr DemoAccount kDemoCaseworker{"demo.handlaggare", Role::kCaseworker,
                                             "handlaggare-demo"};
inline constexpr DemoAccount kDemoSupervisor{"demo.arbetsledare", Role::kSupervisor,
                                             "arbetsledare-demo"};
inline constexpr DemoAccount kDemoCoordinator{"demo.samordnare", Role::kCoordinator,
                                              "samordnare-demo"};
// The units the demo caseworker and supervisor work in: those whose routine asks the
// question at every new contact (instruments/directory/routines.textproto).
inline constexpr std::string_view kDemoUnits[] = {"ifo_vuxen", "ifo_barn", "bistand"};
// Every case reference the demo creates starts with this, so demo data is never taken
// for real data.
inline constexpr std::string_view kDemoCasePrefix = "DEMO-";

}  // namespace screening::cli
