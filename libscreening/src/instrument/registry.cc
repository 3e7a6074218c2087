#include <screening/registry.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace screening {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kArchiveFolder = "archive";

// Semantic-version ordering of "MAJOR.MINOR.PATCH" (validated at load).
bool VersionLess(const std::string& a, const std::string& b) {
  int x[3] = {0, 0, 0}, y[3] = {0, 0, 0};
  std::sscanf(a.c_str(), "%d.%d.%d", &x[0], &x[1], &x[2]);
  std::sscanf(b.c_str(), "%d.%d.%d", &y[0], &y[1], &y[2]);
  return std::lexicographical_compare(x, x + 3, y, y + 3);
}

bool ByIdThenVersion(const std::shared_ptr<const Instrument>& a,
                     const std::shared_ptr<const Instrument>& b) {
  return a->id() != b->id() ? a->id() < b->id() : VersionLess(a->version(), b->version());
}

// The `.textproto` files directly in `dir` except the vocabulary, sorted; an empty list when
// `dir` is absent and `optional`.
Result<std::vector<fs::path>> DefinitionFiles(const fs::path& dir, bool optional) {
  std::error_code ec;
  std::vector<fs::path> files;
  if (optional && !fs::is_directory(dir, ec)) return files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const auto& p = entry.path();
    if (entry.is_regular_file() && p.extension() == ".textproto" &&
        p.filename() != "vocabulary.textproto") {
      files.push_back(p);
    }
  }
  if (ec)
    return Status::IoError(fmt::format("instrument folder '{}' cannot be read", dir.string()));
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

Result<std::shared_ptr<const Registry>> Registry::LoadDirectory(const fs::path& dir,
                                                                Diagnostics* diagnostics) {
  Diagnostics local;
  Diagnostics* out = diagnostics ? diagnostics : &local;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Status::NotFound(fmt::format("instrument folder '{}' does not exist", dir.string()));
  }
  auto registry = std::make_shared<Registry>();
  registry->dir_ = dir;
  auto vocabulary = Vocabulary::LoadFile(dir / "vocabulary.textproto", out);
  if (!vocabulary.ok()) return vocabulary.status();
  registry->vocabulary_ = *vocabulary;

  auto current_files = DefinitionFiles(dir, false);
  if (!current_files.ok()) return current_files.status();
  auto archived_files = DefinitionFiles(dir / kArchiveFolder, true);
  if (!archived_files.ok()) return archived_files.status();

  int failed = 0;
  auto load = [&](const fs::path& p, bool archived) {
    auto inst = LoadInstrumentFile(p, registry->vocabulary_, out);
    if (!inst.ok()) {
      ++failed;
      return;
    }
    const auto& loaded = *inst;
    for (const auto& existing : registry->versions_) {
      if (existing->id() == loaded->id() && existing->version() == loaded->version()) {
        out->push_back(Diagnostic{
            p.string(), 0, 0,
            fmt::format("'{}' version {} is defined twice", existing->id(), existing->version())});
        ++failed;
        return;
      }
    }
    if (archived) {
      const std::string expected = fmt::format("{}-{}.textproto", loaded->id(), loaded->version());
      if (p.filename() != expected) {
        out->push_back(Diagnostic{p.string(), 0, 0,
                                  fmt::format("an archived version must be named '{}'", expected)});
        ++failed;
        return;
      }
      for (const auto& current : registry->current_) {
        if (current->id() == loaded->id() && !VersionLess(loaded->version(), current->version())) {
          out->push_back(Diagnostic{
              p.string(), 0, 0,
              fmt::format("archived '{}' version {} is not older than the current version {}",
                          loaded->id(), loaded->version(), current->version())});
          ++failed;
          return;
        }
      }
      registry->archived_.push_back(loaded);
    } else {
      for (const auto& current : registry->current_) {
        if (current->id() == loaded->id()) {
          out->push_back(Diagnostic{
              p.string(), 0, 0,
              fmt::format("'{}' has two current versions ({} and {}); keep earlier versions "
                          "in {}/",
                          loaded->id(), current->version(), loaded->version(), kArchiveFolder)});
          ++failed;
          return;
        }
      }
      registry->current_.push_back(loaded);
    }
    registry->versions_.push_back(loaded);
  };
  for (const auto& p : *current_files) load(p, false);
  for (const auto& p : *archived_files) load(p, true);
  if (failed) {
    return Status::InvalidArgument(
        fmt::format("{} instrument file(s) in '{}' are invalid", failed, dir.string()));
  }
  std::sort(registry->current_.begin(), registry->current_.end(), ByIdThenVersion);
  std::sort(registry->versions_.begin(), registry->versions_.end(), ByIdThenVersion);
  return std::shared_ptr<const Registry>(std::move(registry));
}

std::shared_ptr<const Instrument> Registry::Find(std::string_view id,
                                                 std::string_view version) const {
  std::shared_ptr<const Instrument> best;
  for (const auto& inst : versions_) {
    if (inst->id() != id) continue;
    if (!version.empty()) {
      if (inst->version() == version) return inst;
      continue;
    }
    if (!best || VersionLess(best->version(), inst->version())) best = inst;
  }
  return best;
}

bool Registry::IsArchived(std::string_view id, std::string_view version) const {
  return std::any_of(archived_.begin(), archived_.end(), [&](const auto& inst) {
    return inst->id() == id && inst->version() == version;
  });
}

fs::path DefaultInstrumentsDirectory() {
  if (const char* env = std::getenv("SCREENING_INSTRUMENTS"); env && *env) return env;
  return SCREENING_SOURCE_INSTRUMENTS_DIR;
}

}  // namespace screening
