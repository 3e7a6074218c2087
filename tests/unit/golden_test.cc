// Golden vectors (tests/data/golden/<instrument>.json), written by hand from the rules in
// shared/domain/INSTRUMENTS.md, checked against the real instrument files: the current
// version of each instrument and every archived version (a record made on an older version
// is scored on it, and its rules are the same).
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include <screening/json.h>
#include <screening/registry.h>
#include <screening/session.h>
#include "test_paths.h"

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
    REQUIRE(registry->Find(id));
    for (const auto& instrument : registry->versions()) {
      if (instrument->id() != id) continue;
      INFO("instrument " << id << " " << instrument->version());
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
  }
  CHECK(files >= 5);
  CHECK(cases >= 40);
}

TEST_CASE("the never-lived-together code keeps its meaning under its new wording", "[golden]") {
  // farlighet q3a and odara never_cohabited lost their double negative in 1.1.0: the
  // question asks whether the couple always lived apart, and the options say what `yes` and
  // `no` mean. The codes are unchanged: `yes` is "never lived together", and on odara it
  // still raises the note that the person is outside the development population.
  auto registry = LoadRegistry();
  struct Pin {
    const char* instrument;
    const char* item;
    const char* yes_sv;
    const char* no_sv;
    const char* yes_en;
    const char* no_en;
  };
  const Pin pins[] = {
      {"farlighet", "q3a", "Ja, vi har aldrig bott tillsammans", "Nej, vi har bott tillsammans",
       "Yes, we have never lived together", "No, we have lived together"},
      {"odara", "never_cohabited", "Ja, paret har aldrig bott tillsammans",
       "Nej, paret har bott tillsammans", "Yes, the couple has never lived together",
       "No, the couple has lived together"},
  };
  for (const Pin& pin : pins) {
    auto inst = registry->Find(pin.instrument);
    INFO(pin.instrument << " " << inst->version());
    const int index = inst->ItemIndex(pin.item);
    REQUIRE(index >= 0);
    const auto& item = *inst->items()[static_cast<std::size_t>(index)].def;
    CHECK(item.type() == screening::v1::YES_NO);
    std::map<std::string, std::pair<std::string, std::string>> labels;
    for (const auto& o : item.options()) {
      labels[o.code()] = {screening::TextIn(o.text(), "sv"), screening::TextIn(o.text(), "en")};
    }
    CHECK(labels.size() == 2);
    CHECK(labels["yes"] == std::make_pair(std::string(pin.yes_sv), std::string(pin.yes_en)));
    CHECK(labels["no"] == std::make_pair(std::string(pin.no_sv), std::string(pin.no_en)));
    // The codes the item accepts are the yes/no codes, in their order.
    CHECK(inst->items()[static_cast<std::size_t>(index)].codes ==
          std::vector<std::string>{"yes", "no", "unknown"});
  }

  // odara: `yes` raises outside_development_population, `no` does not, on the current and
  // on the released version alike.
  for (const auto& odara : {registry->Find("odara"), registry->Find("odara", "1.0.0")}) {
    REQUIRE(odara);
    INFO("odara " << odara->version());
    for (const char* code : {"yes", "no"}) {
      screening::Session session(odara);
      REQUIRE(session.SetCode("police_record", "yes").ok());
      REQUIRE(session.SetCode("q1", "yes").ok());  // a known prior assault
      REQUIRE(session.SetCode("never_cohabited", code).ok());
      auto result = screening::Evaluate(session);
      REQUIRE(result.ok());
      const auto& flags = result->flags();
      const bool flagged =
          std::find(flags.begin(), flags.end(), "outside_development_population") != flags.end();
      CHECK(flagged == (std::string(code) == "yes"));
    }
  }
}
