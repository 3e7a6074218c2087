// A folder of instruments: loads every definition once and finds them by id and version.
#pragma once

#include <filesystem>
#include <memory>
#include <string_view>
#include <vector>

#include <screening/diagnostic.h>
#include <screening/instrument.h>
#include <screening/status.h>
#include <screening/vocabulary.h>

namespace screening {

// Immutable after loading; safe to share between threads.
//
// Every released version of an instrument stays loadable: a draft or record made on an
// older version is shown, scored and submitted on its own version. The current version of
// each instrument is `dir/<id>.textproto`; earlier released versions are kept byte for byte
// in `dir/archive/<id>-<version>.textproto` (docs/instruments.md, "Versions").
class Registry {
 public:
  // Loads `dir/vocabulary.textproto`, then every other `dir/*.textproto` as the current
  // version of an instrument, then every `dir/archive/*.textproto` as an archived version
  // (other subfolders hold other data and are not read; a missing `archive/` is fine). An
  // archived file must be named `<id>-<version>.textproto` and its version must be lower
  // than the current version of the same id; an id and version is defined once. An archived
  // id without a current version (a retired instrument) loads but is not current.
  // kInvalidArgument with every file's diagnostics when any file fails; kNotFound when the
  // folder does not exist.
  static Result<std::shared_ptr<const Registry>> LoadDirectory(const std::filesystem::path& dir,
                                                               Diagnostics* diagnostics);

  // The instrument with `id` at `version` (current or archived), or at its highest version
  // when `version` is empty; nullptr when absent.
  std::shared_ptr<const Instrument> Find(std::string_view id, std::string_view version = {}) const;
  // The current version of every instrument (one per id), ordered by id: what may be
  // offered for a new assessment. Archived versions are not in it.
  const std::vector<std::shared_ptr<const Instrument>>& all() const { return current_; }
  // Every loaded version, current and archived, ordered by id then version (semantic order).
  const std::vector<std::shared_ptr<const Instrument>>& versions() const { return versions_; }
  // Whether `id` at `version` was loaded from `archive/`: an earlier released version, kept
  // for what was made on it and never offered for a new assessment.
  bool IsArchived(std::string_view id, std::string_view version) const;
  const std::shared_ptr<const Vocabulary>& vocabulary() const { return vocabulary_; }
  const std::filesystem::path& directory() const { return dir_; }

 private:
  std::filesystem::path dir_;
  std::shared_ptr<const Vocabulary> vocabulary_;
  std::vector<std::shared_ptr<const Instrument>> current_;
  std::vector<std::shared_ptr<const Instrument>> versions_;
  std::vector<std::shared_ptr<const Instrument>> archived_;
};

// The instruments folder: $SCREENING_INSTRUMENTS if set, else the installed data folder,
// else the source tree's `instruments/` the binary was built from.
std::filesystem::path DefaultInstrumentsDirectory();

}  // namespace screening
