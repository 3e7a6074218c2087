#include "commands/instruments_validate.h"

#include <fstream>
#include <map>
#include <memory>
#include <ostream>
#include <set>

#include <screening/instrument.h>
#include <screening/registry.h>
#include <screening/vocabulary.h>
#include <CLI/CLI.hpp>

#include "commands/cli_support.h"

namespace screening::cli {
namespace {

constexpr std::string_view kName = "screening instruments validate";
constexpr std::string_view kVocabularyFile = "vocabulary.textproto";

enum class FileKind { kInstrument, kVocabulary, kOverlay, kOther };

// The message type a file declares in its `# proto-message:` header comment; files named
// vocabulary.textproto are vocabularies, files without the header instruments.
FileKind Sniff(const std::filesystem::path& path, std::string* declared) {
  if (path.filename() == kVocabularyFile) return FileKind::kVocabulary;
  std::ifstream file(path);
  std::string line;
  // Header comments are short: a longer line is no header (and is not read whole).
  for (int n = 0; n < 40; ++n) {
    const LineRead read = ReadBoundedLine(file, &line, 4096);
    if (read == LineRead::kEnd) break;
    if (read == LineRead::kTooLong) break;
    if (line.empty()) continue;
    if (line[0] != '#') break;
    const size_t at = line.find("proto-message:");
    if (at == std::string::npos) continue;
    std::string type = line.substr(at + std::string_view("proto-message:").size());
    type.erase(0, type.find_first_not_of(" \t"));
    type.erase(type.find_last_not_of(" \t\r") + 1);
    *declared = type;
    if (type == "screening.v1.Instrument") return FileKind::kInstrument;
    if (type == "screening.v1.Vocabulary") return FileKind::kVocabulary;
    if (type == "screening.v1.TextOverlay") return FileKind::kOverlay;
    return FileKind::kOther;
  }
  return FileKind::kInstrument;
}

class Validator {
 public:
  explicit Validator(Io& io) : io_(io) {}

  // Validates one file; reports on io_ and returns whether it is valid.
  bool Validate(const std::string& file) {
    std::string declared;
    switch (Sniff(file, &declared)) {
      case FileKind::kVocabulary:
        return Report(file, LoadVocabulary(file).second);
      case FileKind::kInstrument:
        return ValidateInstrument(file);
      case FileKind::kOverlay:
        return ValidateOverlay(file);
      case FileKind::kOther:
        io_.err << file << ":1:1: "
                << Tr(io_.lang, "kan inte validera meddelandetypen ",
                      "cannot validate message type ")
                << declared << "\n";
        return false;
    }
    return false;
  }

 private:
  struct Outcome {
    Status status;
    Diagnostics diagnostics;
  };

  bool Report(const std::string& file, const Outcome& outcome) {
    if (outcome.status.ok()) {
      io_.out << "ok: " << file << "\n";
      return true;
    }
    if (outcome.diagnostics.empty()) {
      io_.err << file << ": " << outcome.status.message() << "\n";
    } else {
      WriteDiagnostics(io_.err, outcome.diagnostics);
    }
    return false;
  }

  // Loads (once) the vocabulary at `path`.
  std::pair<std::shared_ptr<const Vocabulary>, Outcome> LoadVocabulary(
      const std::filesystem::path& path) {
    const std::string key = path.lexically_normal().string();
    if (auto it = vocabularies_.find(key); it != vocabularies_.end()) return it->second;
    Outcome outcome;
    auto loaded = Vocabulary::LoadFile(path, &outcome.diagnostics);
    std::shared_ptr<const Vocabulary> vocabulary;
    if (loaded.ok()) {
      vocabulary = *loaded;
    } else {
      outcome.status = loaded.status();
    }
    return vocabularies_[key] = {vocabulary, outcome};
  }

  // The vocabulary beside the file; for an archived version (a file in a folder named
  // archive/) the one of the instruments folder above it; else the instruments folder's.
  std::filesystem::path VocabularyPathFor(const std::filesystem::path& file) const {
    std::filesystem::path beside = file.parent_path() / kVocabularyFile;
    if (file.parent_path().empty()) beside = kVocabularyFile;
    std::error_code ec;
    if (std::filesystem::exists(beside, ec)) return beside;
    if (file.parent_path().filename() == "archive") {
      std::filesystem::path above = file.parent_path().parent_path() / kVocabularyFile;
      if (file.parent_path().parent_path().empty()) above = kVocabularyFile;
      if (std::filesystem::exists(above, ec)) return above;
    }
    return InstrumentsDirectory(io_) / kVocabularyFile;
  }

  bool ValidateInstrument(const std::string& file) {
    const std::filesystem::path vocabulary_path = VocabularyPathFor(file);
    auto [vocabulary, vocabulary_outcome] = LoadVocabulary(vocabulary_path);
    if (vocabulary == nullptr) {
      if (reported_vocabularies_.insert(vocabulary_path.string()).second) {
        Report(vocabulary_path.string(), vocabulary_outcome);
      }
      io_.err << file << ": "
              << Tr(io_.lang, "vokabulären har fel: ", "the vocabulary has errors: ")
              << vocabulary_path.string() << "\n";
      return false;
    }
    Outcome outcome;
    auto instrument = LoadInstrumentFile(file, vocabulary, &outcome.diagnostics);
    if (instrument.ok()) {
      loaded_[(*instrument)->id()] = *instrument;
    } else {
      outcome.status = instrument.status();
    }
    return Report(file, outcome);
  }

  bool ValidateOverlay(const std::string& file) {
    Outcome outcome;
    auto overlay = LoadOverlayFile(file, &outcome.diagnostics);
    if (!overlay.ok()) {
      outcome.status = overlay.status();
      return Report(file, outcome);
    }
    std::shared_ptr<const Instrument> instrument;
    if (auto it = loaded_.find(overlay->instrument_id()); it != loaded_.end()) {
      instrument = it->second;
    } else if (auto registry = Folder()) {
      instrument = registry->Find(overlay->instrument_id());
    } else {
      io_.err << file << ": "
              << Tr(io_.lang,
                    "instrumentmappen kunde inte läsas för att kontrollera "
                    "överlägget",
                    "the instruments folder could not be loaded to check the overlay")
              << " (" << registry_error_ << ")\n";
      return false;
    }
    if (instrument == nullptr) {
      io_.err << file << ":1:1: "
              << Tr(io_.lang, "överlägget gäller ett okänt instrument: ",
                    "the overlay names an unknown instrument: ")
              << overlay->instrument_id() << "\n";
      return false;
    }
    auto applied = instrument->WithOverlay(*overlay, file, &outcome.diagnostics);
    if (!applied.ok()) outcome.status = applied.status();
    return Report(file, outcome);
  }

  // The instruments folder, loaded on first use (only overlays need it); on failure
  // `registry_error_` says why.
  std::shared_ptr<const Registry> Folder() {
    if (!registry_loaded_) {
      registry_loaded_ = true;
      Diagnostics ignored;
      auto loaded = Registry::LoadDirectory(InstrumentsDirectory(io_), &ignored);
      if (loaded.ok()) {
        registry_ = *loaded;
      } else {
        registry_error_ = loaded.status().message();
      }
    }
    return registry_;
  }

  Io& io_;
  std::map<std::string, std::pair<std::shared_ptr<const Vocabulary>, Outcome>> vocabularies_;
  std::set<std::string> reported_vocabularies_;
  std::map<std::string, std::shared_ptr<const Instrument>> loaded_;
  bool registry_loaded_ = false;
  std::shared_ptr<const Registry> registry_;
  std::string registry_error_;
};

}  // namespace

std::string InstrumentsValidateCommand::summary(std::string_view lang) const {
  return Tr(lang, "Kontrollera instrumentfiler (fel som FIL:RAD:KOLUMN)",
            "Check instrument files (errors as FILE:LINE:COL)");
}

int InstrumentsValidateCommand::Run(const std::vector<std::string>& args, Io& io) {
  std::vector<std::string> files;
  CommandLine command_line = CommandLineWithDetails(
      *this, std::string(kName),
      "Varje fil läses och kontrolleras mot schemat och domänreglerna. Vokabulären "
      "hämtas från filens mapp (vocabulary.textproto), för en fil i archive/ från "
      "mappen ovanför, annars från instrumentmappen. "
      "En fil som heter vocabulary.textproto kontrolleras som vokabulär, en fil med "
      "'# proto-message: screening.v1.TextOverlay' som textöverlägg.\n"
      "Slutstatus 0 när alla filer är giltiga, annars 1; varje fel skrivs som "
      "FIL:RAD:KOLUMN: meddelande på stderr.",
      "Each file is parsed and checked against the schema and the domain rules. The "
      "vocabulary is taken from the file's folder (vocabulary.textproto), for a file in "
      "archive/ from the folder above, else from the instruments folder. A file named "
      "vocabulary.textproto is checked as the "
      "vocabulary, a file with '# proto-message: screening.v1.TextOverlay' as a "
      "text overlay.\n"
      "Exit status 0 when every file is valid, else 1; every error is written as "
      "FILE:LINE:COL: message on stderr.");
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    app.add_option(Tr(lang, "FIL", "FILE"), files,
                   Tr(lang, "Instrument-, vokabulär- eller överläggsfiler",
                      "Instrument, vocabulary or overlay files"))
        ->required();
  };
  if (auto code = ParseCommandLine(command_line, args, io)) return *code;

  Validator validator(io);
  // Overlays last, so that they can be checked against instruments named before them.
  std::vector<std::string> overlays;
  size_t failed = 0;
  for (const std::string& file : files) {
    std::string declared;
    if (Sniff(file, &declared) == FileKind::kOverlay) {
      overlays.push_back(file);
    } else if (!validator.Validate(file)) {
      ++failed;
    }
  }
  for (const std::string& file : overlays) {
    if (!validator.Validate(file)) ++failed;
  }
  if (failed == 0) return kExitOk;
  io.err << failed << Tr(io.lang, " av ", " of ") << files.size()
         << Tr(io.lang, " filer har fel\n", " files have errors\n");
  return kExitFailed;
}

}  // namespace screening::cli
