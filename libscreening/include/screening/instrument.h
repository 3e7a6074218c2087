// A loaded, validated and compiled instrument definition.
//
// Instruments are data (`instruments/*.textproto`, schema screening.v1.Instrument). Loading
// parses the text format (unknown fields are errors), validates the domain rules of
// docs/instruments.md and compiles every expression once. A compiled Instrument is
// immutable and safe to share between threads; sessions hold it by shared_ptr.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <screening/diagnostic.h>
#include <screening/status.h>
#include <screening/v1/instrument.pb.h>
#include <screening/vocabulary.h>

namespace screening {

namespace internal {
struct CompiledLogic;
}

// Where an item sits in the compiled instrument.
struct ItemInfo {
  const v1::Item* def = nullptr;  // owned by the Instrument
  int section = -1;               // index into definition().sections(); -1 inside a group
  int group = -1;                 // index of the enclosing GROUP item, -1 at top level
  // The codes of a choice/yes-no/SPJ item, in order; for yes/no and SPJ items the last one
  // (`unknown`, `insufficient`) is refused when the item has `no_unknown`.
  std::vector<std::string> codes;
};

class Instrument {
 public:
  ~Instrument();
  Instrument(const Instrument&) = delete;
  Instrument& operator=(const Instrument&) = delete;

  const std::string& id() const { return def_.id(); }
  const std::string& version() const { return def_.version(); }
  // The whole definition (texts with any overlay applied).
  const v1::Instrument& definition() const { return def_; }
  // Hash of the canonical logic serialisation (docs/hashes.md), hex.
  const std::string& logic_sha256() const { return logic_sha256_; }
  // Hash of the texts shown in `lang` (overlay included), hex.
  std::string TextSha256(std::string_view lang) const;
  // Name of the text set applied by an overlay for `lang`, or "" for the built-in texts.
  std::string TextSetName(std::string_view lang) const;
  // Whether `lang` is one of the declared languages.
  bool HasLanguage(std::string_view lang) const;
  // `lang` when declared, else the first declared language.
  std::string_view ResolveLanguage(std::string_view lang) const;

  // The name of a judgement level (`low`, `medium`, `high`) in `lang`: the judgement's own
  // `level_text` when it names the level (skydd: "Svagt skydd" for `low`), else the
  // vocabulary's `levels` label, else the code. `judgement` names the judgement; empty means
  // the final judgement, whose level is the final level of an instrument without banding
  // (so lists and tables of final levels use it). Not for the client's own estimate of
  // danger, which is named by the vocabulary.
  std::string LevelLabel(std::string_view level, std::string_view lang,
                         std::string_view judgement = {}) const;

  // The five provenance texts in one language.
  struct ProvenanceTexts {
    std::string modelled_on, source, licence_note, scoring_verified, validated_setting;
    // False when a text exists only as the single-language string of a version released
    // before provenance was localized (written in English): it is returned as it is.
    bool in_language = false;
  };
  // Provenance in `lang` (resolved like every text): the localized texts where the
  // definition has them, else the single-language strings.
  ProvenanceTexts ProvenanceIn(std::string_view lang) const;

  // Items in document order: every section's items; a GROUP's items follow it directly.
  const std::vector<ItemInfo>& items() const { return items_; }
  // Index into items() by id (top-level and group items share one id space), or -1.
  int ItemIndex(std::string_view id) const;
  // Whether the instrument computes a band.
  bool has_banding() const { return def_.has_banding() && def_.banding().bands_size() > 0; }
  // Index of the band by id, -1 if none.
  int BandIndex(std::string_view band_id) const;

  const internal::CompiledLogic& logic() const { return *logic_; }
  const Vocabulary& vocabulary() const { return *vocabulary_; }

  // Returns a copy whose texts for `overlay.lang()` are replaced by the overlay's. Logic
  // and logic hash are unchanged. kInvalidArgument when the overlay names another
  // instrument, an undeclared language or an unknown item/option (all listed in
  // `diagnostics` with `file` as the file name).
  Result<std::shared_ptr<const Instrument>> WithOverlay(const v1::TextOverlay& overlay,
                                                        std::string_view file,
                                                        Diagnostics* diagnostics) const;

 private:
  friend class InstrumentBuilder;
  Instrument();
  void IndexItems();         // rebinds items_ to def_ after a copy
  void ComputeTextHashes();  // fills text_hashes_ for every declared language

  v1::Instrument def_;
  std::shared_ptr<const Vocabulary> vocabulary_;
  std::vector<ItemInfo> items_;
  std::string logic_sha256_;
  std::vector<std::pair<std::string, std::string>> text_sets_;    // lang -> overlay name
  std::vector<std::pair<std::string, std::string>> text_hashes_;  // lang -> text_sha256
  std::shared_ptr<internal::CompiledLogic> logic_;  // shared by overlays of this instrument
};

// Whether instruments of `kind` compute their band from a banding (ACTUARIAL, RULE_BASED):
// such an instrument needs a banding, and its band is its computed level.
bool KindComputesBand(v1::InstrumentKind kind);

// Text of `texts` in `lang`, else in the first entry's language, else "".
const std::string& TextIn(const google::protobuf::RepeatedPtrField<v1::LocalizedText>& texts,
                          std::string_view lang);

// Parses, validates and compiles an instrument file. On failure returns kInvalidArgument
// and appends to `diagnostics` the first syntax error, or else every domain error.
Result<std::shared_ptr<const Instrument>> LoadInstrumentFile(
    const std::filesystem::path& path, std::shared_ptr<const Vocabulary> vocabulary,
    Diagnostics* diagnostics);
// The same from text; `file_name` is used in diagnostics.
Result<std::shared_ptr<const Instrument>> LoadInstrumentText(
    std::string_view text, std::string_view file_name, std::shared_ptr<const Vocabulary> vocabulary,
    Diagnostics* diagnostics);
// Parses a text overlay file (screening.v1.TextOverlay); syntax errors only. Apply it
// with Instrument::WithOverlay, which checks it against the instrument.
Result<v1::TextOverlay> LoadOverlayFile(const std::filesystem::path& path,
                                        Diagnostics* diagnostics);

}  // namespace screening
