// Instrument versions: every released version stays loadable from instruments/archive/, the
// current version is the only one offered, and a version bump says what changed (MINOR:
// texts only, the logic identical but for the version line; MAJOR: the logic).
#include <screening/registry.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "test_paths.h"
#include "test_support.h"

namespace fs = std::filesystem;
using namespace screening;
using namespace screening::test;

namespace {

const fs::path kInstruments = SCREENING_TEST_INSTRUMENTS_DIR;

std::shared_ptr<const Registry> Library() {
  static const std::shared_ptr<const Registry> registry = [] {
    Diagnostics diagnostics;
    auto r = Registry::LoadDirectory(kInstruments, &diagnostics);
    INFO(Joined(diagnostics));
    REQUIRE(r.ok());
    return *r;
  }();
  return registry;
}

int Major(const std::string& version) { return std::stoi(version.substr(0, version.find('.'))); }

}  // namespace

TEST_CASE("the archive's released versions load beside the current ones, which alone are offered",
          "[versions][registry]") {
  auto registry = Library();
  std::set<std::string> ids;
  for (const auto& inst : registry->all()) {
    INFO(inst->id() << " " << inst->version());
    CHECK(ids.insert(inst->id()).second);  // one current version per id
    CHECK_FALSE(registry->IsArchived(inst->id(), inst->version()));
    CHECK(registry->Find(inst->id()) == inst);  // the newest is the current one
  }
  CHECK(ids.size() == 10);
  // Every instrument changed in this round keeps its 1.0.0 as archived.
  for (const std::string& id : ids) {
    INFO(id);
    auto archived = registry->Find(id, "1.0.0");
    REQUIRE(archived != nullptr);
    CHECK(registry->IsArchived(id, "1.0.0"));
    CHECK(registry->Find(id) != archived);
  }
  CHECK(registry->versions().size() == 20);
  CHECK(registry->Find("dash")->version() == "2.0.0");
  CHECK(registry->Find("lap")->version() == "2.0.0");
  CHECK(registry->Find("skydd")->version() == "1.1.0");
  CHECK_FALSE(registry->IsArchived("dash", "9.9.9"));
}

TEST_CASE("an archived file is byte for byte the released version", "[versions][registry]") {
  // The archive keeps what was released: the logic and text hashes of every 1.0.0 are the
  // ones stored with the assessments made on it (the golden file records them).
  std::ifstream in(fs::path(SCREENING_TEST_DATA_DIR) / "golden" / "hashes" / "instruments.json");
  std::stringstream text;
  text << in.rdbuf();
  const auto golden = nlohmann::json::parse(text.str());
  auto registry = Library();
  std::set<std::string> loaded;
  for (const auto& inst : registry->versions()) {
    const std::string key = inst->id() + "@" + inst->version();
    loaded.insert(key);
    if (!golden.contains(key)) {
      FAIL_CHECK(key << " is missing from tests/data/golden/hashes/instruments.json: record a "
                        "new version's hashes there");
      continue;
    }
    INFO(key << ": the hashes differ from tests/data/golden/hashes/instruments.json. A released "
                "version never changes; a version not yet released needs its hashes updated");
    const auto& want = golden.at(key);
    CHECK(inst->logic_sha256() == want.at("sha256").get<std::string>());
    CHECK(inst->TextSha256("sv") == want.at("text_sha256").at("sv").get<std::string>());
    CHECK(inst->TextSha256("en") == want.at("text_sha256").at("en").get<std::string>());
    CHECK(registry->IsArchived(inst->id(), inst->version()) == want.at("archived").get<bool>());
  }
  for (const auto& [key, value] : golden.items()) {
    INFO(key << " is recorded but not loaded: a released version was removed");
    CHECK(loaded.count(key) == 1);
  }
}

TEST_CASE("a MINOR bump changes texts only, a MAJOR bump says which logic changed",
          "[versions][hash]") {
  // The version is part of the canonical logic (a hash names one released version), so the
  // test loads the archived file with only the version line replaced: for a text-only change
  // its logic hash is the current one's. dash and lap 2.0.0 changed one thing of their
  // logic, the kind (ACTUARIAL to RULE_BASED, results unchanged).
  auto registry = Library();
  const std::map<std::string, std::vector<std::pair<std::string, std::string>>> logic_changes = {
      {"dash", {{"kind: ACTUARIAL", "kind: RULE_BASED"}}},
      {"lap", {{"kind: ACTUARIAL", "kind: RULE_BASED"}}},
  };
  int minor = 0, major = 0;
  for (const auto& current : registry->all()) {
    for (const auto& old : registry->versions()) {
      if (old->id() != current->id() || !registry->IsArchived(old->id(), old->version())) continue;
      INFO(current->id() << " " << old->version() << " -> " << current->version());
      std::string text =
          ReadFile(kInstruments / "archive" / (old->id() + "-" + old->version() + ".textproto"));
      text = ReplaceOnce(text, "version: \"" + old->version() + "\"",
                         "version: \"" + current->version() + "\"");
      Diagnostics diagnostics;
      auto relabelled =
          LoadInstrumentText(text, "relabelled", registry->vocabulary(), &diagnostics);
      INFO(Joined(diagnostics));
      REQUIRE(relabelled.ok());
      CHECK(old->logic_sha256() != current->logic_sha256());  // the version line differs
      auto change = logic_changes.find(current->id());
      if (change == logic_changes.end()) {
        ++minor;
        CHECK(Major(current->version()) == Major(old->version()));
        CHECK((*relabelled)->logic_sha256() == current->logic_sha256());
      } else {
        ++major;
        CHECK(Major(current->version()) == Major(old->version()) + 1);
        CHECK((*relabelled)->logic_sha256() != current->logic_sha256());
        for (const auto& [from, to] : change->second) text = ReplaceOnce(text, from, to);
        auto changed = LoadInstrumentText(text, "changed", registry->vocabulary(), &diagnostics);
        REQUIRE(changed.ok());
        CHECK((*changed)->logic_sha256() == current->logic_sha256());
      }
      // Every wording change shows in the text hash.
      CHECK(old->TextSha256("sv") != current->TextSha256("sv"));
      CHECK(old->TextSha256("en") != current->TextSha256("en"));
    }
  }
  CHECK(minor == 8);
  CHECK(major == 2);
}
