#include "commands/instruments_show.h"

#include <ostream>
#include <sstream>

#include <google/protobuf/util/json_util.h>
#include <screening/dates.h>
#include <screening/directory.h>
#include <screening/json.h>
#include <screening/registry.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "commands/cli_support.h"
#include "commands/followup_support.h"
#include "commands/form_session.h"
#include "commands/labels.h"

namespace screening::cli {
namespace {

constexpr std::string_view kName = "screening instruments show";

// Writes `text` with every line indented by `indent` spaces.
void Indented(std::ostream& out, std::string_view text, int indent) {
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    out << std::string(static_cast<size_t>(indent), ' ') << text.substr(start, end - start) << "\n";
    start = end + 1;
  }
}

std::string JoinList(const google::protobuf::RepeatedPtrField<std::string>& list,
                     std::string_view separator) {
  std::string joined;
  for (const std::string& entry : list) {
    if (!joined.empty()) joined += separator;
    joined += entry;
  }
  return joined;
}

class TextRenderer {
 public:
  // `current`: the current version of the instrument when `instrument` is archived, else
  // null.
  // `directory` (may be null) gives the titles and citations of legal references.
  TextRenderer(const Instrument& instrument, const Instrument* current, const Directory* directory,
               std::string_view lang, std::ostream& out)
      : instrument_(instrument),
        current_(current),
        directory_(directory),
        today_(SwedishToday()),
        def_(instrument.definition()),
        lang_(lang),
        out_(out) {}

  void Render() {
    out_ << def_.id() << " " << def_.version() << ": " << TextIn(def_.title(), lang_) << "\n";
    if (current_ != nullptr) {
      out_ << Tr(lang_,
                 "Arkiverad version: finns kvar för bedömningar som gjorts på den. Nya "
                 "bedömningar görs med version ",
                 "Archived version: kept for the assessments made on it. New assessments are "
                 "made with version ")
           << current_->version() << ".\n";
    }
    out_ << Tr(lang_, "Typ: ", "Kind: ") << KindLabel(instrument_, lang_)
         << Tr(lang_, " · Målgrupp: ", " · Target group: ")
         << TargetGroupLabel(def_.target_group(), lang_)
         << Tr(lang_, " · Språk: ", " · Languages: ") << JoinList(def_.languages(), ", ") << "\n";
    out_ << Tr(lang_, "Logikens sha256: ", "Logic sha256: ") << instrument_.logic_sha256() << "\n";
    out_ << Tr(lang_, "Texternas sha256 (", "Text sha256 (") << lang_
         << "): " << instrument_.TextSha256(lang_) << "\n";
    if (const std::string& description = TextIn(def_.description(), lang_); !description.empty()) {
      out_ << "\n";
      Indented(out_, description, 0);
    }
    for (const v1::Section& section : def_.sections()) RenderSection(section);
    RenderScores();
    RenderBanding();
    RenderJudgements();
    RenderFlags();
    RenderRecommendations();
    RenderProvenance();
  }

 private:
  void RenderSection(const v1::Section& section) {
    out_ << "\n"
         << Tr(lang_, "Avsnitt ", "Section ") << section.id() << ": "
         << TextIn(section.title(), lang_) << "\n";
    if (const std::string& intro = TextIn(section.intro(), lang_); !intro.empty()) {
      Indented(out_, intro, 2);
    }
    for (const v1::Item& item : section.items()) RenderItem(item, 2);
  }

  void RenderItem(const v1::Item& item, int indent) {
    std::string line = item.id() + "  " + ItemTypeLabel(item, lang_);
    if (item.required()) line += Tr(lang_, ", obligatorisk", ", required");
    if (item.type() == v1::GROUP) {
      line += std::string(Tr(lang_, ", högst ", ", at most ")) +
              std::to_string(item.max_blocks() == 0 ? 50 : item.max_blocks()) +
              Tr(lang_, " block", " blocks");
    }
    Indented(out_, line, indent);
    const int inner = indent + 4;
    Indented(out_, TextIn(item.text(), lang_), inner);
    if (const std::string& help = TextIn(item.help(), lang_); !help.empty()) {
      Indented(out_, std::string(Tr(lang_, "Hjälp: ", "Help: ")) + help, inner);
    }
    if (!item.enabled_when().empty()) {
      Indented(out_, std::string(Tr(lang_, "Visas när: ", "Shown when: ")) + item.enabled_when(),
               inner);
    }
    const int index = instrument_.ItemIndex(item.id());
    if (index >= 0 && !AcceptedCodes(instrument_.items()[static_cast<size_t>(index)]).empty()) {
      std::string codes;
      for (const std::string& code :
           AcceptedCodes(instrument_.items()[static_cast<size_t>(index)])) {
        if (!codes.empty()) codes += ", ";
        codes += code + " (" + CodeLabel(instrument_, item, code, lang_) + ")";
      }
      Indented(out_, std::string(Tr(lang_, "Koder: ", "Codes: ")) + codes, inner);
    }
    if (!item.vocabulary().empty()) {
      Indented(out_, std::string(Tr(lang_, "Vokabulär: ", "Vocabulary: ")) + item.vocabulary(),
               inner);
    }
    if (item.no_unknown()) {
      Indented(out_, Tr(lang_, "'Vet ej' tillåts inte", "'Unknown' is not allowed"), inner);
    }
    if (item.allows_note()) {
      Indented(
          out_,
          std::string(Tr(lang_, "Anteckning tillåten (", "Note allowed (")) + item.id() + "_note)",
          inner);
    }
    for (const v1::Item& child : item.items()) RenderItem(child, inner);
  }

  void RenderScores() {
    if (def_.scores().empty()) return;
    out_ << "\n" << Tr(lang_, "Poäng:", "Scores:") << "\n";
    for (const v1::Score& score : def_.scores()) {
      out_ << "  " << score.id() << " = " << score.expr() << "\n";
      Indented(out_, TextIn(score.text(), lang_), 6);
    }
  }

  void RenderBanding() {
    out_ << "\n";
    if (!instrument_.has_banding()) {
      out_ << Tr(lang_, "Nivå: beräknas inte (bedömning krävs där instrumentet anger det).",
                 "Level: not computed (a judgement is required where the instrument says so).")
           << "\n";
      return;
    }
    const v1::Banding& banding = def_.banding();
    if (!banding.score().empty()) {
      out_ << Tr(lang_, "Nivåer efter poängen ", "Bands by the score ") << banding.score() << ":\n";
      for (const v1::Band& band : banding.bands()) {
        out_ << "  " << band.id() << "  " << band.min() << ".." << band.max() << "  "
             << TextIn(band.text(), lang_) << "\n";
      }
    } else {
      out_ << Tr(lang_, "Nivåer (första regel som gäller):", "Bands (first rule that holds):")
           << "\n";
      for (const v1::Band& band : banding.bands()) {
        out_ << "  " << band.id() << "  "
             << (band.when().empty() ? std::string(Tr(lang_, "annars", "otherwise"))
                                     : std::string(Tr(lang_, "när ", "when ")) + band.when())
             << "\n";
        Indented(out_, TextIn(band.text(), lang_), 6);
      }
    }
  }

  void RenderJudgements() {
    if (def_.judgements().empty() && !def_.client_estimate()) return;
    out_ << "\n" << Tr(lang_, "Bedömningar:", "Judgements:") << "\n";
    for (const v1::Judgement& judgement : def_.judgements()) {
      std::string line = "  " + judgement.id();
      if (judgement.required()) line += Tr(lang_, ", obligatorisk", ", required");
      if (judgement.is_final()) line += Tr(lang_, ", slutlig nivå", ", final level");
      out_ << line << "\n";
      Indented(out_, TextIn(judgement.text(), lang_), 6);
      if (!judgement.level_text().empty()) {
        std::string names;
        for (const char* level : {"low", "medium", "high"}) {
          if (!names.empty()) names += ", ";
          names += std::string(level) + " (" +
                   instrument_.LevelLabel(level, lang_, judgement.id()) + ")";
        }
        Indented(out_, std::string(Tr(lang_, "Nivåer: ", "Levels: ")) + names, 6);
      }
    }
    if (def_.client_estimate()) {
      out_ << "  "
           << Tr(lang_, "Klientens egen skattning registreras (låg/medel/hög).",
                 "The client's own estimate is recorded (low/medium/high).")
           << "\n";
    }
  }

  void RenderFlags() {
    if (def_.flags().empty()) return;
    out_ << "\n" << Tr(lang_, "Flaggor:", "Flags:") << "\n";
    for (const v1::Flag& flag : def_.flags()) {
      out_ << "  " << flag.id() << Tr(lang_, "  när ", "  when ") << flag.when() << "\n";
      Indented(out_, TextIn(flag.text(), lang_), 6);
    }
  }

  void RenderRecommendations() {
    if (def_.recommendations().empty()) return;
    out_ << "\n" << Tr(lang_, "Rekommendationer:", "Recommendations:") << "\n";
    for (const v1::Recommendation& recommendation : def_.recommendations()) {
      out_ << "  " << recommendation.id() << "  "
           << (recommendation.when().empty()
                   ? std::string(Tr(lang_, "alltid", "always"))
                   : std::string(Tr(lang_, "när ", "when ")) + recommendation.when());
      if (const std::string deadline = DeadlineLabel(recommendation.deadline(), lang_);
          !deadline.empty()) {
        out_ << Tr(lang_, "  (frist: ", "  (deadline: ") << deadline << ")";
      }
      out_ << "\n";
      Indented(out_, TextIn(recommendation.text(), lang_), 6);
      // Cited as the law stands today (`screening legal --date` for a record's own date).
      for (const std::string& id : recommendation.legal_refs()) {
        out_ << "      " << Tr(lang_, "Lagrum: ", "Legal basis: ")
             << LegalBasisText(directory_, id, today_, lang_) << " [" << id << "]\n";
      }
      if (!recommendation.resource_tags().empty()) {
        out_ << "      " << Tr(lang_, "Resurser: ", "Resources: ")
             << JoinList(recommendation.resource_tags(), ", ") << "\n";
      }
    }
  }

  void RenderProvenance() {
    if (const std::string& note = TextIn(def_.result_note(), lang_); !note.empty()) {
      out_ << "\n"
           << Tr(lang_, "Anteckning vid varje resultat:", "Note shown with every result:") << "\n";
      Indented(out_, note, 2);
    }
    const Instrument::ProvenanceTexts provenance = instrument_.ProvenanceIn(lang_);
    out_ << "\n" << Tr(lang_, "Ursprung:", "Provenance:") << "\n";
    if (!provenance.in_language && lang_ != "en") {
      out_ << "  "
           << "(Den här versionen har uppgifterna om ursprung bara på engelska.)"
           << "\n";
    }
    auto field = [&](const char* sv, const char* en, const std::string& value) {
      out_ << "  " << Tr(lang_, sv, en) << ":\n";
      Indented(out_, value, 6);
    };
    field("Förebild", "Modelled on", provenance.modelled_on);
    field("Källa", "Source", provenance.source);
    field("Licens", "Licence", provenance.licence_note);
    field("Verifierad poängsättning", "Scoring verified", provenance.scoring_verified);
    field("Validerad miljö", "Validated setting", provenance.validated_setting);
    out_ << "  " << Tr(lang_, "Egna formuleringar: ", "Own wording: ")
         << YesNoLabel(def_.provenance().wording_is_own(), lang_) << "\n";
  }

  const Instrument& instrument_;
  const Instrument* current_;
  const Directory* directory_;
  std::string today_;  // the Swedish date the legal references are cited for
  const v1::Instrument& def_;
  std::string_view lang_;
  std::ostream& out_;
};

}  // namespace

std::string InstrumentsShowCommand::summary(std::string_view lang) const {
  return Tr(lang, "Visa ett instruments definition", "Show an instrument's definition");
}

int InstrumentsShowCommand::Run(const std::vector<std::string>& args, Io& io) {
  std::string ref;
  std::string format = "text";
  CommandLine command_line = CommandLineWithDetails(
      *this, std::string(kName),
      "Avsnitt, frågor med typer och koder, poäng, nivåer, bedömningar, flaggor, "
      "rekommendationer och ursprung. Utan @VERSION visas den högsta versionen; en "
      "arkiverad version (ID@VERSION) markeras som arkiverad.",
      "Sections, items with types and codes, scores, bands, judgements, flags, "
      "recommendations and provenance. Without @VERSION the highest version is "
      "shown; an archived version (ID@VERSION) is marked as archived.");
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    app.add_option("ID", ref,
                   Tr(lang, "Instrumentets id, ev. med @VERSION",
                      "The instrument's id, optionally with @VERSION"))
        ->required()
        ->type_name("ID[@VERSION]");
    AddFormatOption(app, lang, &format, {"text", "json"});
  };
  if (auto code = ParseCommandLine(command_line, args, io)) return *code;

  auto registry = LoadRegistryOrReport(io, kName);
  if (registry == nullptr) return kExitFailed;
  auto instrument = FindInstrumentOrReport(*registry, ref, io, kName);
  if (instrument == nullptr) return kExitFailed;

  if (format == "json") {
    google::protobuf::util::JsonPrintOptions options;
    options.preserve_proto_field_names = true;
    std::string definition;
    if (!google::protobuf::util::MessageToJsonString(instrument->definition(), &definition, options)
             .ok()) {
      return Failure(io, kName, Tr(io.lang, "kunde inte skriva JSON", "could not write JSON"));
    }
    nlohmann::json document = {
        {"id", instrument->id()},
        {"version", instrument->version()},
        {"archived", registry->IsArchived(instrument->id(), instrument->version())},
        {"sha256", instrument->logic_sha256()},
        {"text_sha256", instrument->TextSha256(io.lang)},
        {"definition", nlohmann::json::parse(definition)}};
    nlohmann::json items = nlohmann::json::array();
    for (const ItemInfo& info : instrument->items()) {
      items.push_back({{"id", info.def->id()},
                       {"type", ItemTypeId(info.def->type())},
                       {"codes", AcceptedCodes(info)}});
    }
    document["items"] = items;
    io.out << document.dump(2) << "\n";
    return kExitOk;
  }
  std::ostringstream text;
  const auto current = registry->IsArchived(instrument->id(), instrument->version())
                           ? registry->Find(instrument->id())
                           : nullptr;
  // Titles and citations of legal references when the directory is there; ids alone otherwise.
  auto directory =
      Directory::LoadDirectory(InstrumentsDirectory(io), *registry->vocabulary(), nullptr);
  TextRenderer(*instrument, current.get(), directory.ok() ? directory->get() : nullptr,
               instrument->ResolveLanguage(io.lang), text)
      .Render();
  io.out << text.str();
  return kExitOk;
}

}  // namespace screening::cli
