// The wording of the shipped instruments as a caseworker reads it: Swedish concepts, one
// pronoun convention, no paragraph numbers, no "nothing can be shared without consent",
// answer labels that keep the codes' meaning, and protection levels named as protection.
#include <screening/registry.h>
#include <screening/session.h>

#include <algorithm>
#include <regex>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "instrument/compiled.h"
#include "test_paths.h"
#include "test_support.h"

using namespace screening;
using namespace screening::test;

namespace {

std::shared_ptr<const Registry> Library() {
  static const std::shared_ptr<const Registry> registry = [] {
    Diagnostics diagnostics;
    auto r = Registry::LoadDirectory(SCREENING_TEST_INSTRUMENTS_DIR, &diagnostics);
    INFO(Joined(diagnostics));
    REQUIRE(r.ok());
    return *r;
  }();
  return registry;
}

// Every text of `inst` shown in `lang`, one "path<TAB>text" line each (the text hash's
// canonical form: titles, items, help, options, bands, judgements and their level names,
// flags, recommendations, notes and the localized provenance).
std::vector<std::string> Texts(const Instrument& inst, std::string_view lang) {
  std::vector<std::string> lines;
  std::string all = internal::CanonicalTexts(inst.definition(), lang, "");
  std::size_t start = all.find('\n') + 1;  // the header line names no text
  while (start < all.size()) {
    std::size_t end = all.find('\n', start);
    lines.push_back(all.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::string Lower(std::string text) {
  // ASCII is enough for the phrases checked here ("Å", "Ä", "Ö" do not start them).
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string OptionText(const v1::Item& item, std::string_view code, std::string_view lang) {
  for (const auto& o : item.options()) {
    if (o.code() == code) return TextIn(o.text(), lang);
  }
  return {};
}

}  // namespace

TEST_CASE("the current instruments use Swedish concepts and one pronoun convention",
          "[instruments][wording]") {
  // Phrases the issue found (foreign concepts, double meanings, a UK duty, an anglicism) and
  // the pronoun forms replaced by "hen" (docs/instruments.md, "Wording").
  const std::vector<std::string> refused_sv = {
      "borgen",        "villkor från domstol", "saknar din partner", "inte är hens",
      "hon eller han", "henne eller honom",    "hennes eller hans",  "ska tas upp i samverkan",
      "screenad in",   "har ni aldrig bott",   "utsatta aldrig bott"};
  const std::vector<std::string> refused_en = {"bail", "partner without work",
                                               "have you never lived", "victim never lived"};
  for (const auto& inst : Library()->all()) {
    for (const std::string& line : Texts(*inst, "sv")) {
      INFO(inst->id() << ": " << line);
      for (const std::string& phrase : refused_sv)
        CHECK(Lower(line).find(phrase) == std::string::npos);
    }
    for (const std::string& line : Texts(*inst, "en")) {
      INFO(inst->id() << ": " << line);
      for (const std::string& phrase : refused_en)
        CHECK(Lower(line).find(phrase) == std::string::npos);
    }
  }
}

TEST_CASE("instrument texts cite no paragraphs and no repealed law", "[instruments][wording]") {
  // Legal references live in instruments/directory/legal.textproto: the Social Services Act
  // 2001:453 was replaced by 2025:400 and paragraph numbers moved; SOSFS 2014:4 was replaced
  // by HSLF-FS 2022:39.
  const std::regex refused(R"((\bSoL\b|2001:453|\bkap\.|§|SOSFS 2014:4))");
  for (const auto& inst : Library()->all()) {
    for (const char* lang : {"sv", "en"}) {
      for (const std::string& line : Texts(*inst, lang)) {
        INFO(inst->id() << ": " << line);
        CHECK_FALSE(std::regex_search(line, refused));
      }
    }
  }
}

TEST_CASE("a text about consent also says what applies without it", "[instruments][wording]") {
  // Secrecy does not hinder sharing with consent; without it, secrecy-breaking rules apply
  // (LAW-AND-PRACTICE.md). No text may leave "nothing without consent" standing.
  int seen = 0;
  for (const auto& inst : Library()->all()) {
    for (const std::string& line : Texts(*inst, "sv")) {
      const std::string lower = Lower(line);
      if (lower.find("samtycke") == std::string::npos) continue;
      ++seen;
      INFO(inst->id() << ": " << line);
      CHECK(lower.find("utan samtycke") != std::string::npos);
    }
    for (const std::string& line : Texts(*inst, "en")) {
      const std::string lower = Lower(line);
      if (lower.find("consent") == std::string::npos) continue;
      INFO(inst->id() << ": " << line);
      CHECK((lower.find("without consent") != std::string::npos ||
             lower.find("without it") != std::string::npos));
    }
  }
  CHECK(seen >= 7);
}

TEST_CASE("yes/no answer labels begin with yes and no", "[instruments][wording]") {
  // The clients offer j/n (y/n) shortcuts for yes/no items: a label may explain a code but
  // must not invert it.
  int labelled = 0;
  for (const auto& inst : Library()->versions()) {
    for (const ItemInfo& info : inst->items()) {
      if (info.def->type() != v1::YES_NO || info.def->options().empty()) continue;
      ++labelled;
      INFO(inst->id() << " " << inst->version() << " " << info.def->id());
      CHECK(OptionText(*info.def, "yes", "sv").rfind("Ja", 0) == 0);
      CHECK(OptionText(*info.def, "no", "sv").rfind("Nej", 0) == 0);
      CHECK(OptionText(*info.def, "yes", "en").rfind("Yes", 0) == 0);
      CHECK(OptionText(*info.def, "no", "en").rfind("No", 0) == 0);
    }
  }
  CHECK(labelled == 2);
}

TEST_CASE("skydd names its levels as protection everywhere a level is named",
          "[instruments][wording]") {
  auto skydd = Library()->Find("skydd");
  CHECK(skydd->LevelLabel("low", "sv") == "Svagt skydd");
  CHECK(skydd->LevelLabel("medium", "sv") == "Måttligt skydd");
  CHECK(skydd->LevelLabel("high", "sv") == "Starkt skydd");
  CHECK(skydd->LevelLabel("high", "en") == "Strong protection");
  CHECK(skydd->LevelLabel("high", "sv", "protection") == "Starkt skydd");
  // An undeclared language resolves to the first.
  CHECK(skydd->LevelLabel("low", "de") == "Svagt skydd");
  // Instruments whose levels are risk keep the vocabulary's names; the released skydd too.
  CHECK(Library()->Find("farlighet")->LevelLabel("high", "sv") == "Hög");
  CHECK(Library()->Find("skydd", "1.0.0")->LevelLabel("high", "sv") == "Hög");
  CHECK(skydd->LevelLabel("nonsense", "sv") == "nonsense");
  // The level names are text: in the text hash, not in the logic.
  for (const auto& inst : Library()->all()) {
    INFO(inst->id());
    bool names = false;
    for (const auto& j : inst->definition().judgements()) names = names || !j.level_text().empty();
    CHECK(names == (inst->id() == "skydd"));
  }
}
