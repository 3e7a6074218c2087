// The support-resource directory, the unit routines for the routine question and the legal
// references, loaded from `instruments/directory/*.textproto` (schema
// screening.v1.DirectoryFile, docs/directory.md).
//
// Loading parses every file of the folder (unknown fields are errors), merges them and
// validates the domain rules: unique ids, known tags, subject roles and units, a text for
// every declared language, a verification marker on every phone number, opening time,
// language list and citation, and the three resources every list ends with.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <screening/diagnostic.h>
#include <screening/status.h>
#include <screening/v1/directory.pb.h>
#include <screening/vocabulary.h>

namespace screening {

// "saknas – kommunen fyller i" / "missing – to be filled in by the municipality": what is
// shown instead of the phone number of an entry that has no verified number yet.
std::string MissingNumberText(std::string_view lang);

// One number on a discreet card: a neutral name and the number, nothing about its purpose.
struct CardLine {
  // The directory resource the number belongs to: for recording what was given, never
  // printed.
  std::string resource_id;
  // The name to print or to save the number under: the person's own choice, else the
  // resource's `neutral_name`, else empty (the number alone).
  std::string label;
  // The number as dialled; always a VERIFIED phone.
  std::string phone;
};

// Why a resource of the list was left off a card.
enum class CardOmission {
  kNoVerifiedNumber,  // no phone, or a phone nobody has verified (e.g. "saknas – kommunen
                      // fyller i")
  kSameNumber,        // its number is already on the card under an earlier entry
  kNoRoom,            // the card holds DiscreetCard::kMaxLines numbers
};

struct CardOmitted {
  std::string resource_id;
  CardOmission reason = CardOmission::kNoVerifiedNumber;
};

// A card small enough to hide (business-card size) that says nothing about violence or
// support if someone finds it: no heading, neutral names, a neutral file name and document
// metadata. Clients render `lines` in order and use the other fields as they are.
struct DiscreetCard {
  // At most this many numbers; the fixed end (112, 114 14, social services) always fits.
  static constexpr int kMaxLines = 7;

  std::string lang;  // the language of the labels and texts below
  // The heading to print; empty (the default) prints none.
  std::string heading;
  // The numbers, in the order of the list they came from, each number once.
  std::vector<CardLine> lines;
  // Page size in millimetres (a business card, landscape).
  double width_mm = 85.0;
  double height_mm = 55.0;
  // A file name to offer when saving, e.g. "kontakter.pdf".
  std::string file_name;
  // Document metadata (PDF title/subject/creator, HTML title): neutral or empty.
  std::string document_title;
  std::string document_subject;
  std::string document_creator;
  // The resources of the list that are not on the card, and why.
  std::vector<CardOmitted> omitted;
};

// The card as plain text: one number a line, its name before it with the names aligned (no
// name: the number alone, in the same column). For a terminal or a text file.
std::string CardToText(const DiscreetCard& card);
// The card as a standalone HTML page (UTF-8) of the card's own size (CSS @page), with the
// card's neutral title and nothing else: no generator tag, no heading unless the card has one.
std::string CardToHtml(const DiscreetCard& card);

// What a caseworker asks before handing anything over, and the alternative of saving the
// numbers in the person's phone under neutral names. The desktop shows it as a dialog
// before it makes a card; the CLI prints it with the card.
struct HandoverPrompt {
  std::string question;           // "Är det säkert för dig att ta hem det här?"
  std::string explanation;        // why it is asked
  std::string alternative;        // save the numbers in the phone under the names in `numbers`
  std::string own_names;          // the person may choose names of their own
  std::vector<CardLine> numbers;  // the card's lines, with the names to save them under
  // The three choices: make the card, save in the phone instead, cancel.
  std::string make_card;
  std::string save_in_phone;
  std::string cancel;
};

// What to put on a discreet card. Either `resource_ids` (e.g. a result's `resources`), or,
// when it is empty, Directory::ResourcesFor(subject_role, person_lang, tags).
struct CardRequest {
  // Language of the labels and texts ("sv", "en"; another falls back to the directory's
  // first language).
  std::string lang = "sv";
  // The resources, in order; empty: chosen by role, language and tags below.
  std::vector<std::string> resource_ids;
  // A vocabulary subject role; required when `resource_ids` is empty.
  std::string subject_role;
  // The language the person speaks, for the order; empty: `lang`.
  std::string person_lang;
  // Resource tags to prefer (as for ResourcesFor).
  std::vector<std::string> tags;
  // Names the person chose, by resource id (at most 40 characters, one line each).
  std::map<std::string, std::string> labels;
};

// One fact of the directory that is missing or not verified (`screening resources check`).
struct DirectoryGap {
  std::string resource_id;
  // "phone", "hours", "languages" or "anonymity".
  std::string field;
  // True when the fact is absent (no phone, no hours, no languages); false when it is
  // given but not verified.
  bool missing = false;
  // True for the phone of a `required` resource: the directory must not be used before
  // the municipality fills it in.
  bool required = false;
  // The data's note on what was (not) verified; may be empty.
  std::string note;
};

// Immutable after loading; safe to share between threads. Pointers it returns live as long
// as the Directory.
class Directory {
 public:
  // Reads every `*.textproto` in `instruments_dir/directory/` (in file-name order) and
  // validates it against `vocabulary` (lists `units` and `subject_roles`).
  // Errors: kNotFound when the folder does not exist or holds no `.textproto`; kIoError when
  // a file cannot be read; kInvalidArgument when a file does not parse (its first syntax
  // error) or any domain rule fails (every error). Each error is appended to `diagnostics`
  // (when not null) as FILE:LINE:COL.
  static Result<std::shared_ptr<const Directory>> LoadDirectory(
      const std::filesystem::path& instruments_dir, const Vocabulary& vocabulary,
      Diagnostics* diagnostics);

  // The resources to show a person in `subject_role` (a vocabulary subject role) who reads
  // `lang`. Candidates are the resources for that role; when `tags` is not empty, only those
  // carrying at least one of the tags. Order, each key breaking ties of the one before:
  //   1. a verified phone, then an unverified one, then none ("saknas – kommunen fyller i");
  //   2. language: resources that list `lang` — or, when `lang` is the directory's first
  //      language (Swedish), whose languages are not recorded at all (a Swedish service is
  //      reachable in Swedish; an unknown list is not a "no") — then those serving many
  //      languages, then the rest;
  //   3. open around the clock (verified) before the others;
  //   4. the earlier tag in `tags`;
  //   5. the order in the data.
  // So for a Swedish-speaking woman the 24-hour national line comes first, and for an
  // Arabic speaker the line that serves many languages. The list always ends with the
  // `always_last` resources (112, 114 14, the municipality's social services), each exactly
  // once, whatever the role or tags — so it is never empty.
  std::vector<const v1::Resource*> ResourcesFor(std::string_view subject_role,
                                                std::string_view lang,
                                                const std::vector<std::string>& tags = {}) const;

  // The discreet card for `request`: the list's resources with a VERIFIED phone, each
  // number once (the first entry with it wins), at most DiscreetCard::kMaxLines numbers
  // with the `always_last` ones always kept, labelled with the person's own names or the
  // resources' neutral names; no heading; neutral file name and metadata. Entries without a
  // verified number are never printed (`omitted` says which). The fixed end (112, 114 14,
  // social services) is added when `resource_ids` lacks it.
  // Errors (kInvalidArgument, naming what and where): an unknown resource id in
  // `resource_ids` or `labels`; a label that is too long or not one line of printable text;
  // no `subject_role` when `resource_ids` is empty.
  Result<DiscreetCard> Card(const CardRequest& request) const;

  // The question to ask before handing `card` over, and the alternative, in `card.lang`.
  HandoverPrompt PromptFor(const DiscreetCard& card) const;

  // Every missing or unverified phone, opening time and language list, and every claim of
  // anonymity that is not verified, resource by resource in data order.
  std::vector<DirectoryGap> Gaps() const;
  // Whether a `required` resource still has no verified phone (Gaps() has a `required` gap).
  bool MissingRequired() const;

  // The citation of `ref` that applies to a record made on `date`: `ref.current()` from
  // `ref.current_from()` on, `ref.citation()` before (and always when there is no
  // `current`). `date` is the record's Swedish date "YYYY-MM-DD", or a UTC timestamp
  // "YYYY-MM-DDTHH:MM:SSZ" whose Swedish date is taken. kInvalidArgument names a `date`
  // that is neither. The pointer lives as long as `ref`.
  Result<const v1::Citation*> CitationOn(const v1::LegalReference& ref,
                                         std::string_view date) const;
  // The citation as shown, in `lang`, with what is not verified said in words:
  // "Socialtjänstlag (2001:453) 14 kap. 1 § (ej verifierad)",
  // "Socialtjänstlag (2025:400), paragraf ej verifierad",
  // "Social Services Act (2025:400), section not verified".
  std::string CitationText(const v1::Citation& citation, std::string_view lang) const;
  // CitationText(CitationOn(ref, date)); the same errors as CitationOn.
  Result<std::string> CitationTextOn(const v1::LegalReference& ref, std::string_view date,
                                     std::string_view lang) const;

  // The resource with this id, or nullptr.
  const v1::Resource* Resource(std::string_view id) const;
  // Whether information about the resource `id` can have been handed over, so that it may be
  // recorded as given: kNotFound for an id the directory does not have, kFailedPrecondition
  // for an entry without a number (one the municipality has not filled in yet).
  Status CheckGivable(std::string_view id) const;
  // The resource tag with this id, or nullptr.
  const v1::ResourceTag* Tag(std::string_view id) const;
  // The legal reference with this id, or nullptr.
  const v1::LegalReference* Legal(std::string_view id) const;
  // The routine of `unit` (a vocabulary unit id), or nullptr when the unit has none.
  const v1::Routine* RoutineFor(std::string_view unit) const;
  // The routine event with this id, or nullptr.
  const v1::RoutineEvent* Event(std::string_view id) const;
  // Whether `unit` asks the routine question at `event` (its trigger exists and is
  // enabled). False for unknown units and events.
  bool AsksRoutineQuestion(std::string_view unit, std::string_view event) const;

  // One message per id that does not resolve ("unknown legal reference 'x'", "unknown
  // resource tag 'y'"), in the order given; empty when all resolve.
  std::vector<std::string> UnresolvedReferences(
      const std::vector<std::string>& legal_refs,
      const std::vector<std::string>& resource_tags) const;
  // The same for a recommendation's `legal_refs` and `resource_tags`.
  std::vector<std::string> UnresolvedReferences(const v1::Recommendation& recommendation) const;

  // The merged data: languages of the first file, every tag, resource, event, routine and
  // legal reference in file order.
  const v1::DirectoryFile& definition() const { return def_; }
  // The languages every text is given in ("sv" first).
  const std::vector<std::string>& languages() const { return languages_; }

  // Text of `texts` in `lang`, else in the directory's first language, else the first
  // entry, else "".
  const std::string& Text(const google::protobuf::RepeatedPtrField<v1::LocalizedText>& texts,
                          std::string_view lang) const;

 private:
  Directory() = default;
  friend class DirectoryBuilder;

  v1::DirectoryFile def_;
  std::vector<std::string> languages_;
  std::vector<const v1::Resource*> always_last_;
};

}  // namespace screening
