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
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <screening/diagnostic.h>
#include <screening/status.h>
#include <screening/v1/directory.pb.h>
#include <screening/vocabulary.h>

namespace screening {

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
  // carrying at least one of the tags. Order: resources that list `lang` first, then those
  // serving many languages, then the rest; among equals, the earlier tag in `tags` first,
  // then the order in the data. The list always ends with the `always_last` resources
  // (112, 114 14, the municipality's social services), each exactly once, whatever the role
  // or tags — so it is never empty.
  std::vector<const v1::Resource*> ResourcesFor(std::string_view subject_role,
                                                std::string_view lang,
                                                const std::vector<std::string>& tags = {}) const;

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
