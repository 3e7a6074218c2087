#include "commands/resources_card.h"

#include <ostream>

#include <screening/directory.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "commands/cli_support.h"
#include "commands/followup_support.h"
#include "commands/private_file.h"

namespace screening::cli {
namespace {

constexpr std::string_view kName = "screening resources card";

nlohmann::json LinesJson(const std::vector<CardLine>& lines) {
  nlohmann::json out = nlohmann::json::array();
  for (const CardLine& line : lines) {
    out.push_back({{"resource", line.resource_id}, {"label", line.label}, {"phone", line.phone}});
  }
  return out;
}

const char* OmissionId(CardOmission reason) {
  switch (reason) {
    case CardOmission::kNoVerifiedNumber:
      return "no_verified_number";
    case CardOmission::kSameNumber:
      return "same_number";
    case CardOmission::kNoRoom:
      return "no_room";
  }
  return "";
}

std::string OmissionText(CardOmission reason, std::string_view lang) {
  switch (reason) {
    case CardOmission::kNoVerifiedNumber:
      return MissingNumberText(lang);
    case CardOmission::kSameNumber:
      return Tr(lang, "samma nummer finns redan på kortet", "the same number is on the card");
    case CardOmission::kNoRoom:
      return Tr(lang, "får inte plats", "no room");
  }
  return "";
}

nlohmann::json Json(const DiscreetCard& card, const HandoverPrompt& prompt) {
  nlohmann::json omitted = nlohmann::json::array();
  for (const CardOmitted& o : card.omitted) {
    omitted.push_back({{"resource", o.resource_id}, {"reason", OmissionId(o.reason)}});
  }
  return {{"prompt",
           {{"question", prompt.question},
            {"explanation", prompt.explanation},
            {"alternative", prompt.alternative},
            {"own_names", prompt.own_names},
            {"numbers", LinesJson(prompt.numbers)}}},
          {"card",
           {{"lang", card.lang},
            {"heading", card.heading},
            {"lines", LinesJson(card.lines)},
            {"width_mm", card.width_mm},
            {"height_mm", card.height_mm},
            {"file_name", card.file_name},
            {"document_title", card.document_title},
            {"omitted", omitted}}}};
}

// The question to ask, the alternative with its names, and what was left out: for the
// caseworker, on io.err, so that io.out (or --out) holds the card alone.
void WritePrompt(std::ostream& err, const Directory& directory, const DiscreetCard& card,
                 const HandoverPrompt& prompt, std::string_view ui_lang) {
  err << Tr(ui_lang, "Fråga först: ", "Ask first: ") << prompt.question << "\n"
      << prompt.explanation << "\n"
      << prompt.alternative << "\n";
  for (const CardLine& line : prompt.numbers) {
    err << "  " << (line.label.empty() ? line.phone : line.label + ": " + line.phone) << "\n";
  }
  err << prompt.own_names << "\n";
  for (const CardOmitted& o : card.omitted) {
    const v1::Resource* r = directory.Resource(o.resource_id);
    err << Tr(ui_lang, "Inte på kortet: ", "Not on the card: ")
        << (r != nullptr ? directory.Text(r->name(), ui_lang) : o.resource_id) << " ("
        << OmissionText(o.reason, ui_lang) << ")\n";
  }
}

}  // namespace

std::string ResourcesCardCommand::summary(std::string_view lang) const {
  return Tr(lang, "Diskret kort med stödnummer att ta med (fråga först om det är säkert)",
            "Discreet card with support numbers to take along (ask first whether it is safe)");
}

int ResourcesCardCommand::Run(const std::vector<std::string>& args, Io& io) {
  std::string role;
  std::vector<std::string> resource_ids;
  std::vector<std::string> tags;
  std::vector<std::string> labels;
  std::string person_lang;
  std::string card_lang;
  std::string format = "text";
  std::string out_path;
  CommandLine command_line = CommandLineWithDetails(
      *this, std::string(kName),
      "Ett kort i visitkortsformat som inte avslöjar något om någon hittar det: ingen "
      "rubrik, numren under neutrala namn (personens egna med --label, annars "
      "katalogens förslag), bara kontrollerade nummer och varje nummer en gång. "
      "Numren väljs som i 'screening resources --for' och slutar alltid med 112, "
      "114 14 och kommunen. Fråga först: \"Är det säkert för dig att ta hem det här?\" "
      "– frågan, alternativet att spara numren i telefonen under neutrala namn och vad "
      "som inte kom med skrivs på standardfel, kortet på standard ut eller med --out "
      "till en ny fil (skriver aldrig över en befintlig). Kräver ingen databas.",
      "A business-card-sized card that gives nothing away if someone finds it: no "
      "heading, the numbers under neutral names (the person's own with --label, else "
      "the directory's suggestions), only verified numbers and each number once. The "
      "numbers are chosen as by 'screening resources --for' and always end with 112, "
      "114 14 and the municipality. Ask first: \"Is it safe for you to take this "
      "home?\" – the question, the alternative of saving the numbers in the phone under "
      "neutral names and what was left out go to standard error, the card to standard "
      "output or with --out to a new file (never overwrites one). Needs no database.");
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    app.add_option("--for", role, Tr(lang, "Personens roll", "The person's role"))
        ->check(OneOf({"adult_victim", "child", "perpetrator"}))
        ->type_name("adult_victim|child|perpetrator");
    app.add_option("--resource", resource_ids,
                   Tr(lang, "Just dessa resurser, i ordning (kan upprepas; i stället för --for)",
                      "Exactly these resources, in order (may be repeated; instead of --for)"))
        ->allow_extra_args(false)
        ->type_name("ID");
    app.add_option("--tag", tags,
                   Tr(lang, "Föredra resurser med etiketten (kan upprepas)",
                      "Prefer resources with the tag (may be repeated)"))
        ->allow_extra_args(false)
        ->type_name(Tr(lang, "ETIKETT", "TAG"));
    app.add_option("--label", labels,
                   Tr(lang, "Personens eget namn för ett nummer (kan upprepas)",
                      "The person's own name for a number (may be repeated)"))
        ->allow_extra_args(false)
        ->type_name(Tr(lang, "ID=NAMN", "ID=NAME"));
    app.add_option("--person-lang", person_lang,
                   Tr(lang, "Språket personen talar, t.ex. ar (för ordningen)",
                      "The language the person speaks, e.g. ar (for the order)"))
        ->type_name(Tr(lang, "SPRÅK", "LANG"));
    app.add_option("--card-lang", card_lang,
                   Tr(lang, "Kortets och frågans språk (standard utdataspråket)",
                      "The language of the card and the question (default the output language)"))
        ->check(OneOf({"sv", "en"}))
        ->type_name("sv|en");
    AddFormatOption(app, lang, &format, {"text", "html", "json"});
    app.add_option("--out", out_path,
                   Tr(lang, "Skriv kortet till en ny fil (0600) i stället för standard ut",
                      "Write the card to a new file (0600) instead of standard output"))
        ->type_name(Tr(lang, "FIL", "FILE"));
  };
  if (auto code = ParseCommandLine(command_line, args, io)) return *code;
  if (role.empty() == resource_ids.empty()) {
    return UsageError(io, kName,
                      Tr(io.lang, "ange antingen --for ROLL eller --resource ID",
                         "give either --for ROLE or --resource ID"));
  }

  std::shared_ptr<const Registry> registry;
  auto directory = LoadRegistryAndDirectoryOrReport(io, kName, &registry);
  if (directory == nullptr) return kExitFailed;

  CardRequest request;
  request.lang = card_lang.empty() ? io.lang : card_lang;
  request.resource_ids = resource_ids;
  request.subject_role = role;
  request.person_lang = person_lang;
  for (const auto& tag : tags) {
    if (directory->Tag(tag) == nullptr) {
      return UsageError(io, kName,
                        std::string(Tr(io.lang, "okänd etikett: ", "unknown tag: ")) + tag);
    }
  }
  request.tags = tags;
  for (size_t i = 0; i < labels.size(); ++i) {
    const size_t eq = labels[i].find('=');
    if (eq == std::string::npos || eq == 0) {
      // The name is the person's own choice: the message names the option, not the value.
      return UsageError(io, kName,
                        std::string(Tr(io.lang, "--label nummer ", "--label number ")) +
                            std::to_string(i + 1) +
                            Tr(io.lang, ": skriv ID=NAMN", ": write ID=NAME"));
    }
    request.labels[labels[i].substr(0, eq)] = labels[i].substr(eq + 1);
  }
  auto card = directory->Card(request);
  if (!card.ok()) return Failure(io, kName, card.status().message());
  const HandoverPrompt prompt = directory->PromptFor(*card);

  std::string text;
  if (format == "json") {
    text = Json(*card, prompt).dump(2) + "\n";
  } else {
    WritePrompt(io.err, *directory, *card, prompt, io.lang);
    text = format == "html" ? CardToHtml(*card) : CardToText(*card);
  }
  if (out_path.empty()) {
    io.out << text;
    return kExitOk;
  }
  if (Status st = WriteNewPrivateFile(out_path, text, io.lang); !st.ok()) {
    return Failure(io, kName, st.message());
  }
  io.out << Tr(io.lang, "Kortet är sparat: ", "The card is saved: ") << out_path << "\n";
  return kExitOk;
}

}  // namespace screening::cli
