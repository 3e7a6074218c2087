#include <screening/registry.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace screening {

namespace fs = std::filesystem;

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

  std::vector<fs::path> files;
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
  int failed = 0;
  for (const auto& p : files) {
    auto inst = LoadInstrumentFile(p, registry->vocabulary_, out);
    if (!inst.ok()) {
      ++failed;
      continue;
    }
    for (const auto& existing : registry->all_) {
      if (existing->id() == (*inst)->id() && existing->version() == (*inst)->version()) {
        out->push_back(Diagnostic{
            p.string(), 0, 0,
            fmt::format("'{}' version {} is defined twice", existing->id(), existing->version())});
        ++failed;
      }
    }
    registry->all_.push_back(*inst);
  }
  if (failed) {
    return Status::InvalidArgument(
        fmt::format("{} instrument file(s) in '{}' are invalid", failed, dir.string()));
  }
  std::sort(registry->all_.begin(), registry->all_.end(), [](const auto& a, const auto& b) {
    return a->id() != b->id() ? a->id() < b->id() : a->version() < b->version();
  });
  return std::shared_ptr<const Registry>(std::move(registry));
}

namespace {

// Semantic-version ordering of "MAJOR.MINOR.PATCH" (validated at load).
bool VersionLess(const std::string& a, const std::string& b) {
  int x[3] = {0, 0, 0}, y[3] = {0, 0, 0};
  std::sscanf(a.c_str(), "%d.%d.%d", &x[0], &x[1], &x[2]);
  std::sscanf(b.c_str(), "%d.%d.%d", &y[0], &y[1], &y[2]);
  return std::lexicographical_compare(x, x + 3, y, y + 3);
}

}  // namespace

std::shared_ptr<const Instrument> Registry::Find(std::string_view id,
                                                 std::string_view version) const {
  std::shared_ptr<const Instrument> best;
  for (const auto& inst : all_) {
    if (inst->id() != id) continue;
    if (!version.empty()) {
      if (inst->version() == version) return inst;
      continue;
    }
    if (!best || VersionLess(best->version(), inst->version())) best = inst;
  }
  return best;
}

fs::path DefaultInstrumentsDirectory() {
  if (const char* env = std::getenv("SCREENING_INSTRUMENTS"); env && *env) return env;
  return SCREENING_SOURCE_INSTRUMENTS_DIR;
}

}  // namespace screening
