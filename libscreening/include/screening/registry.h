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
class Registry {
 public:
  // Loads `dir/vocabulary.textproto` and then every other `dir/*.textproto` as an
  // instrument (subfolders hold other data and are not read). kInvalidArgument with every
  // file's diagnostics when any file fails; kNotFound when the folder does not exist.
  static Result<std::shared_ptr<const Registry>> LoadDirectory(const std::filesystem::path& dir,
                                                               Diagnostics* diagnostics);

  // The instrument with `id` at `version`, or at its highest version when `version` is
  // empty; nullptr when absent.
  std::shared_ptr<const Instrument> Find(std::string_view id, std::string_view version = {}) const;
  // Every instrument, ordered by id then version.
  const std::vector<std::shared_ptr<const Instrument>>& all() const { return all_; }
  const std::shared_ptr<const Vocabulary>& vocabulary() const { return vocabulary_; }
  const std::filesystem::path& directory() const { return dir_; }

 private:
  std::filesystem::path dir_;
  std::shared_ptr<const Vocabulary> vocabulary_;
  std::vector<std::shared_ptr<const Instrument>> all_;
};

// The instruments folder: $SCREENING_INSTRUMENTS if set, else the installed data folder,
// else the source tree's `instruments/` the binary was built from.
std::filesystem::path DefaultInstrumentsDirectory();

}  // namespace screening
