// The registry of an instruments folder: the current version of each instrument from
// `dir/*.textproto`, earlier released versions from `dir/archive/<id>-<version>.textproto`,
// and the rules that keep the two apart.
#include <screening/registry.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "test_paths.h"
#include "test_support.h"

namespace fs = std::filesystem;
using namespace screening;
using namespace screening::test;

namespace {

const fs::path kInstruments = SCREENING_TEST_INSTRUMENTS_DIR;

// A fresh folder with the real vocabulary and the test's files, removed at the end.
struct Folder {
  Folder() {
    static std::atomic<int> n{0};
    path = fs::temp_directory_path() /
           ("screening-versions-test-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    fs::remove_all(path);
    fs::create_directories(path / "archive");
    fs::copy_file(kInstruments / "vocabulary.textproto", path / "vocabulary.textproto");
  }
  ~Folder() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  Folder(const Folder&) = delete;
  Folder& operator=(const Folder&) = delete;
  void Write(const fs::path& name, const std::string& text) const {
    std::ofstream(path / name) << text;
  }
  fs::path path;
};

// The real skydd at another version.
std::string SkyddAt(std::string_view version) {
  const std::string text = ReadFile(kInstruments / "skydd.textproto");
  const std::size_t at = text.find("version: \"") + 10;
  const std::string current = text.substr(at, text.find('"', at) - at);
  return ReplaceOnce(text, "version: \"" + current + "\"",
                     "version: \"" + std::string(version) + "\"");
}

struct FolderLoad {
  Result<std::shared_ptr<const Registry>> registry;
  Diagnostics diagnostics;
  std::string joined() const { return Joined(diagnostics); }
};

FolderLoad LoadFolder(const Folder& folder) {
  FolderLoad out{Status::Internal("not loaded"), {}};
  out.registry = Registry::LoadDirectory(folder.path, &out.diagnostics);
  return out;
}

}  // namespace

TEST_CASE("an archived version loads from archive/ only when older and rightly named",
          "[versions][registry]") {
  SECTION("an older version loads, the newest stays current and alone offered") {
    Folder f;
    f.Write("skydd.textproto", SkyddAt("1.10.0"));
    f.Write("archive/skydd-1.9.0.textproto", SkyddAt("1.9.0"));
    f.Write("archive/skydd-1.2.0.textproto", SkyddAt("1.2.0"));
    auto l = LoadFolder(f);
    INFO(l.joined());
    REQUIRE(l.registry.ok());
    const auto& r = **l.registry;
    REQUIRE(r.all().size() == 1);
    CHECK(r.all()[0]->version() == "1.10.0");
    CHECK(r.Find("skydd")->version() == "1.10.0");  // 1.10.0 is newer than 1.9.0
    REQUIRE(r.versions().size() == 3);
    CHECK(r.versions()[0]->version() == "1.2.0");
    CHECK(r.versions()[1]->version() == "1.9.0");
    CHECK(r.versions()[2]->version() == "1.10.0");
    CHECK(r.IsArchived("skydd", "1.9.0"));
    CHECK_FALSE(r.IsArchived("skydd", "1.10.0"));
  }
  SECTION("a folder without archive/ loads as before") {
    Folder f;
    fs::remove(f.path / "archive");
    f.Write("skydd.textproto", SkyddAt("1.0.0"));
    auto l = LoadFolder(f);
    INFO(l.joined());
    REQUIRE(l.registry.ok());
    CHECK((*l.registry)->versions().size() == 1);
  }
  SECTION("an archived version as new as the current one is refused") {
    Folder f;
    f.Write("skydd.textproto", SkyddAt("1.1.0"));
    f.Write("archive/skydd-1.2.0.textproto", SkyddAt("1.2.0"));
    auto l = LoadFolder(f);
    CHECK(l.registry.status().code() == StatusCode::kInvalidArgument);
    REQUIRE(l.diagnostics.size() == 1);
    CHECK(l.diagnostics[0].file == (f.path / "archive" / "skydd-1.2.0.textproto").string());
    CHECK(l.diagnostics[0].message.find("not older than the current version 1.1.0") !=
          std::string::npos);
  }
  SECTION("the same version current and archived is defined twice") {
    Folder f;
    f.Write("skydd.textproto", SkyddAt("1.1.0"));
    f.Write("archive/skydd-1.1.0.textproto", SkyddAt("1.1.0"));
    auto l = LoadFolder(f);
    CHECK_FALSE(l.registry.ok());
    REQUIRE(l.diagnostics.size() == 1);
    CHECK(l.diagnostics[0].message.find("defined twice") != std::string::npos);
  }
  SECTION("an archived file named for another version is refused") {
    Folder f;
    f.Write("skydd.textproto", SkyddAt("1.1.0"));
    f.Write("archive/skydd.textproto", SkyddAt("1.0.0"));
    auto l = LoadFolder(f);
    CHECK_FALSE(l.registry.ok());
    REQUIRE(l.diagnostics.size() == 1);
    CHECK(l.diagnostics[0].message.find("must be named 'skydd-1.0.0.textproto'") !=
          std::string::npos);
  }
  SECTION("two current versions of one instrument are refused") {
    Folder f;
    f.Write("skydd.textproto", SkyddAt("1.1.0"));
    f.Write("skydd_old.textproto", SkyddAt("1.0.0"));
    auto l = LoadFolder(f);
    CHECK_FALSE(l.registry.ok());
    REQUIRE(l.diagnostics.size() == 1);
    CHECK(l.diagnostics[0].message.find("two current versions") != std::string::npos);
  }
  SECTION("an invalid archived file fails the folder with its location") {
    Folder f;
    f.Write("skydd.textproto", SkyddAt("1.1.0"));
    f.Write("archive/skydd-1.0.0.textproto", SkyddAt("1.0.0") + "\ncolour: 1\n");
    auto l = LoadFolder(f);
    CHECK_FALSE(l.registry.ok());
    REQUIRE_FALSE(l.diagnostics.empty());
    CHECK(l.diagnostics[0].file == (f.path / "archive" / "skydd-1.0.0.textproto").string());
    CHECK(l.diagnostics[0].line > 0);
  }
  SECTION("a retired instrument (archived only) is found for its records but not offered") {
    Folder f;
    f.Write("archive/skydd-1.0.0.textproto", SkyddAt("1.0.0"));
    auto l = LoadFolder(f);
    INFO(l.joined());
    REQUIRE(l.registry.ok());
    CHECK((*l.registry)->all().empty());
    REQUIRE((*l.registry)->Find("skydd", "1.0.0") != nullptr);
    CHECK((*l.registry)->IsArchived("skydd", "1.0.0"));
  }
}
