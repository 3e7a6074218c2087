#include "commands/instruments_doc.h"

#include <algorithm>
#include <ostream>
#include <sstream>

#include <screening/dates.h>
#include <screening/directory.h>
#include <screening/json.h>
#include <screening/registry.h>
#include <CLI/CLI.hpp>

#include "commands/cli_support.h"
#include "commands/followup_support.h"
#include "commands/form_session.h"
#include "commands/labels.h"

namespace screening::cli {
namespace {

constexpr std::string_view kName = "screening instruments doc";

// Markdown-safe inline text: the definitions hold plain prose; only characters that
// would start markup at a line's start or inside a table need care.
std::string Cell(std::string_view text) {
  std::string cell;
  for (char c : text) {
    if (c == '|') {
      cell += "\\|";
    } else if (c == '\n') {
      cell += " ";
    } else {
      cell += c;
    }
  }
  return cell;
}

std::string Code(std::string_view expression) { return "`" + std::string(expression) + "`"; }

class MarkdownRenderer {
 public:
  // `directory` (may be null) gives the titles of legal references.
  MarkdownRenderer(const Instrument& instrument, bool archived, const Directory* directory,
                   std::string_view lang, std::ostream& out)
      : instrument_(instrument),
        archived_(archived),
        directory_(directory),
        today_(SwedishToday()),
        def_(instrument.definition()),
        lang_(lang),
        out_(out) {}

  void Render() {
    out_ << "# " << TextIn(def_.title(), lang_) << " (`" << def_.id() << "` " << def_.version()
         << ")\n\n";
    out_ << "> "
         << Tr(lang_, "Skapad ur instrumentdefinitionen med `screening instruments doc ",
               "Generated from the instrument definition by `screening instruments doc ")
         << def_.id() << " --lang " << lang_ << "`. "
         << Tr(lang_, "Redigera inte för hand.", "Do not edit by hand.") << "\n\n";

    const Instrument::ProvenanceTexts provenance = instrument_.ProvenanceIn(lang_);
    Heading(Tr(lang_, "Syfte", "Purpose"));
    Paragraph(TextIn(def_.description(), lang_));
    out_ << "- " << Tr(lang_, "**Typ:** ", "**Kind:** ") << KindLabel(instrument_, lang_) << "\n"
         << "- " << Tr(lang_, "**Målgrupp:** ", "**Target group:** ")
         << TargetGroupLabel(def_.target_group(), lang_) << "\n"
         << "- " << Tr(lang_, "**Förebild:** ", "**Modelled on:** ") << provenance.modelled_on
         << "\n"
         << "- " << Tr(lang_, "**Logikens sha256:** ", "**Logic sha256:** ") << "`"
         << instrument_.logic_sha256() << "`\n\n";

    Heading(Tr(lang_, "Frågor", "Items"));
    for (const v1::Section& section : def_.sections()) RenderSection(section);

    if (archived_) {
      Paragraph(Tr(lang_,
                   "*Arkiverad version: finns kvar för bedömningar som gjorts på den. Nya "
                   "bedömningar görs med den gällande versionen.*",
                   "*Archived version: kept for the assessments made on it. New assessments "
                   "are made with the current version.*"));
    }
    Heading(Tr(lang_, "Hur resultatet bildas", "How the result is formed"));
    RenderScores();
    RenderBanding();
    RenderJudgements();
    RenderFlags();
    RenderRecommendations();

    Heading(Tr(lang_, "Vad som är verifierat", "What is verified"));
    if (lang_ != "en" && !provenance.in_language) {
      // Versions released before provenance was localized have it in English only.
      Paragraph(
          "*Uppgifterna om ursprung, verifiering och licens står bara på engelska i den här "
          "versionen av instrumentdefinitionen.*");
    }
    Paragraph(provenance.scoring_verified);

    Heading(Tr(lang_, "Validerad miljö", "Validated setting"));
    Paragraph(provenance.validated_setting);
    if (const std::string& note = TextIn(def_.result_note(), lang_); !note.empty()) {
      out_ << Tr(lang_, "Med varje resultat visas: ", "Shown with every result: ") << "*"
           << Cell(note) << "*\n\n";
    }

    Heading(Tr(lang_, "Källa och licens", "Source and licence"));
    Paragraph(provenance.source);
    Paragraph(provenance.licence_note);

    Heading(Tr(lang_, "Om formuleringarna", "About the wording"));
    if (def_.provenance().wording_is_own()) {
      Paragraph(Tr(lang_,
                   "Frågorna är skrivna med projektets egna ord utifrån ämnet för varje fråga i "
                   "originalet; de är inte originalets formuleringar. En verksamhet som har "
                   "licens för den officiella formuleringen kan läsa in den som ett "
                   "textöverlägg; bedömningen registrerar då vilken textuppsättning som "
                   "visades. Poängsättningen påverkas inte av formuleringen.",
                   "The items are written in the project's own words from the topic of each "
                   "item in the original; they are not the original's wording. An agency "
                   "licensed to use the official wording can load it as a text overlay; the "
                   "assessment then records which text set was shown. Scoring does not depend "
                   "on the wording."));
    } else {
      Paragraph(Tr(lang_, "Definitionen anger inte att formuleringarna är projektets egna.",
                   "The definition does not state that the wording is the project's own."));
    }
  }

 private:
  void Heading(std::string_view text, int level = 2) {
    out_ << std::string(static_cast<size_t>(level), '#') << " " << text << "\n\n";
  }
  void Paragraph(std::string_view text) {
    if (text.empty()) return;
    out_ << text << "\n\n";
  }

  void RenderSection(const v1::Section& section) {
    Heading(TextIn(section.title(), lang_), 3);
    Paragraph(TextIn(section.intro(), lang_));
    for (const v1::Item& item : section.items()) RenderItem(item, 0);
    out_ << "\n";
  }

  void RenderItem(const v1::Item& item, int depth) {
    const std::string pad(static_cast<size_t>(depth) * 2, ' ');
    out_ << pad << "- **" << item.id() << "** " << Cell(TextIn(item.text(), lang_)) << " *("
         << ItemTypeLabel(item, lang_);
    if (item.required()) out_ << Tr(lang_, ", obligatorisk", ", required");
    out_ << ")*\n";
    const std::string detail = pad + "  ";
    if (const std::string& help = TextIn(item.help(), lang_); !help.empty()) {
      out_ << detail << "- " << Tr(lang_, "Hjälp: ", "Help: ") << Cell(help) << "\n";
    }
    if (!item.enabled_when().empty()) {
      out_ << detail << "- " << Tr(lang_, "Visas bara när ", "Shown only when ")
           << Code(item.enabled_when()) << "\n";
    }
    // Choice items, and yes/no items whose answers have their own labels.
    if (item.type() == v1::SINGLE_CHOICE || item.type() == v1::MULTI_CHOICE ||
        (item.type() == v1::YES_NO && item.options_size() > 0)) {
      const int index = instrument_.ItemIndex(item.id());
      if (index >= 0) {
        std::string codes;
        for (const std::string& code :
             AcceptedCodes(instrument_.items()[static_cast<size_t>(index)])) {
          if (!codes.empty()) codes += "; ";
          codes += Cell(CodeLabel(instrument_, item, code, lang_)) + " (`" + code + "`)";
        }
        out_ << detail << "- " << Tr(lang_, "Svarsalternativ: ", "Options: ") << codes << "\n";
      }
    }
    if (item.allows_note()) {
      out_ << detail << "- " << Tr(lang_, "En anteckning kan läggas till.", "A note may be added.")
           << "\n";
    }
    for (const v1::Item& child : item.items()) RenderItem(child, depth + 1);
  }

  void RenderScores() {
    if (def_.scores().empty()) return;
    Heading(Tr(lang_, "Poäng", "Scores"), 3);
    out_ << "| " << Tr(lang_, "Poäng", "Score") << " | " << Tr(lang_, "Beräkning", "Computed as")
         << " | " << Tr(lang_, "Betydelse", "Meaning") << " |\n|---|---|---|\n";
    for (const v1::Score& score : def_.scores()) {
      out_ << "| `" << score.id() << "` | " << Code(Cell(score.expr())) << " | "
           << Cell(TextIn(score.text(), lang_)) << " |\n";
    }
    bool counts_yes = false;
    for (const v1::Score& score : def_.scores()) {
      counts_yes = counts_yes || score.expr().find("yes") != std::string::npos;
    }
    out_ << "\n";
    if (!counts_yes) return;
    out_ << Tr(lang_,
               "Bara svaret *ja* räknas. *Vet inte* räknas aldrig som ja; om sådana svar skulle "
               "kunna ändra nivån anges resultatet som osäkert och visas aldrig som låg risk.",
               "Only the answer *yes* counts. *Don't know* never counts as yes; when such "
               "answers could change the band, the result is marked uncertain and is never "
               "shown as low risk.")
         << "\n\n";
  }

  void RenderBanding() {
    Heading(Tr(lang_, "Nivå", "Band"), 3);
    if (!instrument_.has_banding()) {
      Paragraph(def_.kind() == v1::STRUCTURED_PROFESSIONAL_JUDGEMENT
                    ? Tr(lang_,
                         "Instrumentet beräknar ingen nivå. Nivån är bedömarens strukturerade "
                         "professionella bedömning (se Bedömningar).",
                         "The instrument computes no level. The level is the assessor's "
                         "structured professional judgement (see Judgements).")
                    : Tr(lang_,
                         "Instrumentet beräknar ingen nivå; svaren är underlag för "
                         "professionell bedömning.",
                         "The instrument computes no level; the answers inform a professional "
                         "judgement."));
      return;
    }
    const v1::Banding& banding = def_.banding();
    if (!banding.score().empty()) {
      out_ << Tr(lang_, "Nivån väljs efter poängen ", "The band is chosen by the score ") << "`"
           << banding.score() << "`:\n\n";
      out_ << "| " << Tr(lang_, "Nivå", "Band") << " | " << Tr(lang_, "Poäng", "Score") << " | "
           << Tr(lang_, "Betydelse", "Meaning") << " |\n|---|---|---|\n";
      for (const v1::Band& band : banding.bands()) {
        out_ << "| `" << band.id() << "` | " << band.min() << "–" << band.max() << " | "
             << Cell(TextIn(band.text(), lang_)) << " |\n";
      }
    } else {
      out_ << Tr(lang_, "Reglerna prövas i ordning; den första som gäller ger nivån:\n\n",
                 "The rules are tried in order; the first that holds gives the band:\n\n");
      int n = 1;
      for (const v1::Band& band : banding.bands()) {
        out_ << n++ << ". `" << band.id() << "`: " << Cell(TextIn(band.text(), lang_)) << " — "
             << (band.when().empty() ? std::string(Tr(lang_, "annars", "otherwise"))
                                     : std::string(Tr(lang_, "när ", "when ")) + Code(band.when()))
             << "\n";
      }
    }
    if (!KindComputesBand(def_.kind())) {
      // A screening's band is its recorded outcome: there is nothing to raise or lower.
      out_ << "\n";
      return;
    }
    out_ << "\n"
         << Tr(lang_,
               "Bedömaren kan höja en beräknad nivå med en motivering; att sänka den är "
               "arbetsledarens beslut med en motivering.",
               "The assessor may raise a computed level with a reason; lowering it is the "
               "supervisor's decision with a reason.")
         << "\n\n";
  }

  void RenderJudgements() {
    if (def_.judgements().empty() && !def_.client_estimate()) return;
    Heading(Tr(lang_, "Bedömningar", "Judgements"), 3);
    for (const v1::Judgement& judgement : def_.judgements()) {
      out_ << "- **" << judgement.id() << "**: " << Cell(TextIn(judgement.text(), lang_));
      if (judgement.required()) out_ << Tr(lang_, " *(obligatorisk)*", " *(required)*");
      if (judgement.is_final()) {
        out_ << Tr(lang_, " Denna bedömning är den slutliga nivån.",
                   " This judgement is the final level.");
      }
      if (!judgement.level_text().empty()) {
        out_ << Tr(lang_, " Nivåerna heter: ", " The levels are named: ");
        const char* const levels[] = {"low", "medium", "high"};
        for (std::size_t i = 0; i < 3; ++i) {
          out_ << (i > 0 ? ", " : "")
               << Cell(instrument_.LevelLabel(levels[i], lang_, judgement.id())) << " (`"
               << levels[i] << "`)";
        }
        out_ << ".";
      }
      out_ << "\n";
    }
    if (def_.client_estimate()) {
      out_ << "- "
           << Tr(lang_, "Klientens egen skattning av faran (låg, medel, hög) registreras.",
                 "The client's own estimate of the danger (low, medium, high) is recorded.")
           << "\n";
    }
    const bool named = std::any_of(def_.judgements().begin(), def_.judgements().end(),
                                   [](const v1::Judgement& j) { return !j.level_text().empty(); });
    out_ << "\n"
         << (named ? Tr(lang_, "Varje bedömning har en nivå och en motivering.",
                        "Each judgement has a level and a rationale.")
                   : Tr(lang_, "Varje bedömning har en nivå (låg, medel, hög) och en motivering.",
                        "Each judgement has a level (low, medium, high) and a rationale."))
         << "\n\n";
  }

  void RenderFlags() {
    if (def_.flags().empty()) return;
    Heading(Tr(lang_, "Flaggor", "Flags"), 3);
    for (const v1::Flag& flag : def_.flags()) {
      out_ << "- **" << flag.id() << "** (" << Tr(lang_, "när ", "when ") << Code(flag.when())
           << "): " << Cell(TextIn(flag.text(), lang_)) << "\n";
    }
    out_ << "\n";
  }

  void RenderRecommendations() {
    if (def_.recommendations().empty()) return;
    Heading(Tr(lang_, "Rekommenderade åtgärder", "Recommended steps"), 3);
    for (const v1::Recommendation& recommendation : def_.recommendations()) {
      out_ << "- **" << recommendation.id() << "** ("
           << (recommendation.when().empty()
                   ? std::string(Tr(lang_, "alltid", "always"))
                   : std::string(Tr(lang_, "när ", "when ")) + Code(recommendation.when()))
           << "): " << Cell(TextIn(recommendation.text(), lang_));
      if (const std::string deadline = DeadlineLabel(recommendation.deadline(), lang_);
          !deadline.empty()) {
        out_ << Tr(lang_, " Frist: ", " Deadline: ") << deadline << ".";
      }
      if (!recommendation.legal_refs().empty()) {
        out_ << Tr(lang_, " Lagrum: ", " Legal basis: ");
        for (int i = 0; i < recommendation.legal_refs_size(); ++i) {
          const std::string& id = recommendation.legal_refs(i);
          out_ << (i > 0 ? "; " : "");
          const v1::LegalReference* legal = directory_ ? directory_->Legal(id) : nullptr;
          if (legal == nullptr) {
            out_ << "`" << id << "`";
          } else {
            // Cited as the law stands today; `screening legal --date` gives earlier dates.
            out_ << Cell(LegalBasisText(directory_, id, today_, lang_)) << " (`" << id << "`)";
          }
        }
        out_ << ".";
      }
      out_ << "\n";
    }
    out_ << "\n";
  }

  const Instrument& instrument_;
  bool archived_;
  const Directory* directory_;
  std::string today_;  // the Swedish date the legal references are cited for
  const v1::Instrument& def_;
  std::string_view lang_;
  std::ostream& out_;
};

}  // namespace

std::string InstrumentsDocCommand::summary(std::string_view lang) const {
  return Tr(lang, "Skriv en läsbar beskrivning av ett instrument (Markdown)",
            "Write a readable description of an instrument (Markdown)");
}

int InstrumentsDocCommand::Run(const std::vector<std::string>& args, Io& io) {
  std::string ref;
  CommandLine command_line = CommandLineWithDetails(
      *this, std::string(kName),
      "För handläggare: syfte, frågorna i ordning, hur resultatet bildas, vad som är "
      "verifierat, validerad miljö, licens och formuleringar. Språk väljs med --lang.",
      "For caseworkers: purpose, the items in order, how the result is formed, what "
      "is verified, validated setting, licence and wording. Choose the language with "
      "--lang.");
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    app.add_option("ID", ref,
                   Tr(lang, "Instrumentets id, ev. med @VERSION",
                      "The instrument's id, optionally with @VERSION"))
        ->required()
        ->type_name("ID[@VERSION]");
  };
  if (auto code = ParseCommandLine(command_line, args, io)) return *code;

  auto registry = LoadRegistryOrReport(io, kName);
  if (registry == nullptr) return kExitFailed;
  auto instrument = FindInstrumentOrReport(*registry, ref, io, kName);
  if (instrument == nullptr) return kExitFailed;
  // Titles of legal references when the directory is there; ids alone otherwise.
  auto directory =
      Directory::LoadDirectory(InstrumentsDirectory(io), *registry->vocabulary(), nullptr);
  std::ostringstream text;
  MarkdownRenderer(*instrument, registry->IsArchived(instrument->id(), instrument->version()),
                   directory.ok() ? directory->get() : nullptr,
                   instrument->ResolveLanguage(io.lang), text)
      .Render();
  io.out << text.str();
  return kExitOk;
}

}  // namespace screening::cli
