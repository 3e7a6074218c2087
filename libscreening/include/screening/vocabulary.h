// The shared vocabulary of CONTRACTS.md (units, roles, outcomes, violence types, ...),
// loaded from `instruments/vocabulary.textproto`.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <screening/diagnostic.h>
#include <screening/status.h>
#include <screening/v1/vocabulary.pb.h>

namespace screening {

// Immutable after loading; safe to share between threads.
class Vocabulary {
 public:
  // Parses and validates a vocabulary file. On failure returns kInvalidArgument and appends
  // every located error to `diagnostics` (when not null).
  static Result<std::shared_ptr<const Vocabulary>> LoadFile(const std::filesystem::path& path,
                                                            Diagnostics* diagnostics);
  // The same from text; `file_name` is used in diagnostics.
  static Result<std::shared_ptr<const Vocabulary>> LoadText(std::string_view text,
                                                            std::string_view file_name,
                                                            Diagnostics* diagnostics);

  // The list with this id, or nullptr.
  const v1::TermList* List(std::string_view list_id) const;
  // Whether `term_id` is in the list.
  bool Contains(std::string_view list_id, std::string_view term_id) const;
  // The term's label in `lang` (falls back to the first language); the id if unknown.
  std::string Label(std::string_view list_id, std::string_view term_id,
                    std::string_view lang) const;
  const v1::Vocabulary& definition() const { return def_; }

 private:
  v1::Vocabulary def_;
};

}  // namespace screening
