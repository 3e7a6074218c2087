#include "commands/resources.h"

#include <algorithm>
#include <ostream>

#include <screening/directory.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "commands/cli_support.h"
#include "commands/followup_support.h"

namespace screening::cli {
namespace {

constexpr std::string_view kName = "screening resources";

const char* ScopeId(v1::ResourceScope scope) {
  switch (scope) {
    case v1::NATIONAL:
      return "national";
    case v1::COUNTY:
      return "county";
    case v1::LOCAL:
      return "local";
    default:
      return "";
  }
}

bool Verified(const v1::Verification& v) { return v.status() == v1::VERIFIED; }

// Whether callers may stay anonymous, said only when verified (never as a general promise).
bool AnonymityVerified(const v1::Resource& r) {
  return r.anonymous() && r.has_anonymity_verified() && Verified(r.anonymity_verified());
}

// The opening hours as shown, or "" when not known.
std::string Hours(const Directory& directory, const v1::Resource& r, std::string_view lang) {
  if (r.hours().around_the_clock()) return Tr(lang, "dygnet runt", "around the clock");
  return directory.Text(r.hours().text(), lang);
}

nlohmann::json ResourceJson(const Directory& directory, const v1::Resource& r,
                            std::string_view lang) {
  const std::string hours = Hours(directory, r, lang);
  return {
      {"id", r.id()},
      {"name", directory.Text(r.name(), lang)},
      {"description", directory.Text(r.description(), lang)},
      {"phone", r.phone().empty() ? nlohmann::json(nullptr) : nlohmann::json(r.phone())},
      {"phone_verified", Verified(r.phone_verified())},
      {"hours", hours.empty() ? nlohmann::json(nullptr) : nlohmann::json(hours)},
      {"around_the_clock", r.hours().around_the_clock()},
      {"hours_verified", Verified(r.hours().verified())},
      {"languages", std::vector<std::string>(r.languages().begin(), r.languages().end())},
      {"many_languages", r.many_languages()},
      {"languages_verified", Verified(r.languages_verified())},
      {"missing", r.phone().empty() || !Verified(r.phone_verified())},
      {"required", r.required()},
      {"neutral_name", directory.Text(r.neutral_name(), lang).empty()
                           ? nlohmann::json(nullptr)
                           : nlohmann::json(directory.Text(r.neutral_name(), lang))},
      {"anonymous_verified", AnonymityVerified(r)},
      {"tags", std::vector<std::string>(r.tags().begin(), r.tags().end())},
      {"target_roles", std::vector<std::string>(r.target_roles().begin(), r.target_roles().end())},
      {"scope", ScopeId(r.scope())}};
}

void WriteResource(std::ostream& out, const Directory& directory, const v1::Resource& r,
                   std::string_view lang) {
  const std::string unverified = Tr(lang, " (ej kontrollerat)", " (not checked)");
  out << directory.Text(r.name(), lang) << "  [" << r.id() << "]\n";
  const std::string& description = directory.Text(r.description(), lang);
  if (!description.empty()) out << "  " << description << "\n";
  out << "  " << Tr(lang, "Telefon: ", "Phone: ");
  if (r.phone().empty()) {
    out << MissingNumberText(lang) << "\n";
  } else {
    out << r.phone() << (Verified(r.phone_verified()) ? "" : unverified) << "\n";
  }
  const std::string hours = Hours(directory, r, lang);
  out << "  " << Tr(lang, "Öppet: ", "Open: ")
      << (hours.empty() ? std::string(Tr(lang, "okänt", "not known"))
                        : hours + (Verified(r.hours().verified()) ? "" : unverified))
      << "\n";
  if (r.languages_size() > 0 || r.many_languages()) {
    std::string languages;
    for (const auto& l : r.languages()) languages += (languages.empty() ? "" : ", ") + l;
    if (r.many_languages()) {
      languages += (languages.empty() ? "" : ", ");
      languages += Tr(lang, "många språk", "many languages");
    }
    out << "  " << Tr(lang, "Språk: ", "Languages: ") << languages
        << (Verified(r.languages_verified()) ? "" : unverified) << "\n";
  }
  if (AnonymityVerified(r)) {
    out << "  " << Tr(lang, "Går att ringa anonymt.", "Callers may stay anonymous.") << "\n";
  }
}

}  // namespace

std::string ResourcesCommand::summary(std::string_view lang) const {
  return Tr(lang, "Stödresurser att ge information om (resurskatalogen)",
            "Support resources to give information about (the resource directory)");
}

int ResourcesCommand::Run(const std::vector<std::string>& args, Io& io) {
  std::string role;
  std::vector<std::string> tags;
  std::string person_lang;
  std::string format = "text";
  CommandLine command_line = CommandLineWithDetails(
      *this, std::string(kName),
      "Utan --for: alla resurser i katalogen (instruments/directory/). Med --for ROLL: "
      "resurserna för en person i den rollen, de som talar personens språk "
      "(--person-lang, standard utdataspråket) först; listan slutar alltid med 112, "
      "114 14 och socialtjänsten. --tag begränsar till resurser med någon av "
      "etiketterna. Uppgifter som inte kontrollerats mot en källa markeras. Registrera "
      "att informationen getts med 'screening info-given'. Resurser utan kontrollerat "
      "nummer visas som \"saknas – kommunen fyller i\". Ett diskret kort att ta med: "
      "'screening resources card'; vad som saknas: 'screening resources check'. Kräver "
      "ingen databas.",
      "Without --for: every resource in the directory (instruments/directory/). With "
      "--for ROLE: the resources for a person in that role, those speaking the "
      "person's language (--person-lang, default the output language) first; the list "
      "always ends with 112, 114 14 and social services. --tag limits to resources "
      "with any of the tags. Facts not checked against a source are marked. Record "
      "that the information was given with 'screening info-given'. Resources without "
      "a verified number show \"missing – to be filled in by the municipality\". A "
      "discreet card to take along: 'screening resources card'; what is missing: "
      "'screening resources check'. Needs no database.");
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    app.add_option("--for", role, Tr(lang, "Personens roll", "The person's role"))
        ->check(OneOf({"adult_victim", "child", "perpetrator"}))
        ->type_name("adult_victim|child|perpetrator");
    app.add_option("--tag", tags,
                   Tr(lang, "Bara resurser med etiketten (kan upprepas)",
                      "Only resources with the tag (may be repeated)"))
        ->allow_extra_args(false)
        ->type_name(Tr(lang, "ETIKETT", "TAG"));
    app.add_option("--person-lang", person_lang,
                   Tr(lang, "Språket personen talar, t.ex. ar (för ordningen)",
                      "The language the person speaks, e.g. ar (for the order)"))
        ->type_name(Tr(lang, "SPRÅK", "LANG"));
    AddFormatOption(app, lang, &format, {"text", "json"});
  };
  if (auto code = ParseCommandLine(command_line, args, io)) return *code;

  std::shared_ptr<const Registry> registry;
  auto directory = LoadRegistryAndDirectoryOrReport(io, kName, &registry);
  if (directory == nullptr) return kExitFailed;
  for (const auto& tag : tags) {
    if (directory->Tag(tag) == nullptr) {
      std::string known;
      for (const auto& t : directory->definition().tags())
        known += (known.empty() ? "" : ", ") + t.id();
      return UsageError(io, kName,
                        std::string(Tr(io.lang, "okänd etikett: ", "unknown tag: ")) + tag + " (" +
                            Tr(io.lang, "finns: ", "known: ") + known + ")");
    }
  }

  std::vector<const v1::Resource*> list;
  if (!role.empty()) {
    list = directory->ResourcesFor(role, person_lang.empty() ? io.lang : person_lang, tags);
  } else {
    for (const auto& r : directory->definition().resources()) {
      const bool tagged =
          tags.empty() || std::any_of(r.tags().begin(), r.tags().end(), [&](const std::string& t) {
            return std::find(tags.begin(), tags.end(), t) != tags.end();
          });
      if (tagged) list.push_back(&r);
    }
  }

  if (format == "json") {
    nlohmann::json out = nlohmann::json::array();
    for (const v1::Resource* r : list) out.push_back(ResourceJson(*directory, *r, io.lang));
    io.out << out.dump(2) << "\n";
    return kExitOk;
  }
  if (!role.empty()) {
    io.out << Tr(io.lang, "Stöd för ", "Support for ")
           << registry->vocabulary()->Label("subject_roles", role, io.lang) << ":\n\n";
  }
  bool first = true;
  for (const v1::Resource* r : list) {
    if (!first) io.out << "\n";
    first = false;
    WriteResource(io.out, *directory, *r, io.lang);
  }
  return kExitOk;
}

}  // namespace screening::cli
