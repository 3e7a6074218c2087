// Golden vectors (tests/data/golden/<instrument>.json), written by hand from the rules in
// shared/domain/INSTRUMENTS.md, checked against the real instrument files.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include <screening/json.h>
#include <screening/registry.h>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::shared_ptr<const screening::Registry> LoadRegistry() {
  screening::Diagnostics diagnostics;
  auto registry = screening::Registry::LoadDirectory(SCREENING_TEST_INSTRUMENTS_DIR, &diagnostics);
  for (const auto& d : diagnostics) UNSCOPED_INFO(d.ToString());
  REQUIRE(registry.ok());
  return *registry;
}

json ReadJson(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

}  // namespace

TEST_CASE("golden vectors give the results written from the instruments' rules", "[golden]") {
  auto registry = LoadRegistry();
  int files = 0, cases = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(SCREENING_TEST_DATA_DIR) / "golden")) {
    if (entry.path().extension() != ".json") continue;
    ++files;
    json doc = ReadJson(entry.path());
    const std::string id = doc.at("instrument");
    auto instrument = registry->Find(id);
    INFO("instrument " << id);
    REQUIRE(instrument);
    for (const auto& c : doc.at("cases")) {
      ++cases;
      INFO("case: " << c.at("name").get<std::string>());
      auto session = screening::ParseAnswersJson(instrument, c.at("input").dump());
      if (c.contains("expect_error")) {
        const std::string want = c.at("expect_error");
        std::string got;
        if (!session.ok()) {
          got = session.status().message();
        } else {
          auto result = screening::Evaluate(*session);
          REQUIRE_FALSE(result.ok());
          got = result.status().message();
        }
        INFO("error: " << got);
        CHECK(got.find(want) != std::string::npos);
        continue;
      }
      INFO("parse: " << session.status().ToString());
      REQUIRE(session.ok());
      auto result = screening::Evaluate(*session);
      INFO("evaluate: " << result.status().ToString());
      REQUIRE(result.ok());
      json got = json::parse(screening::ResultToJson(*result));
      for (const auto& [key, want] : c.at("expect").items()) {
        INFO("key " << key << ": got " << got[key].dump() << ", want " << want.dump());
        CHECK(got[key] == want);
      }
      if (c.contains("finishable")) {
        CHECK(session->CheckFinishable().ok() == c.at("finishable").get<bool>());
      }
    }
  }
  CHECK(files >= 5);
  CHECK(cases >= 40);
}
