// Hashes recorded with every result: `sha256` over the canonical logic (a golden value
// pins the canonical form), `text_sha256` over the texts shown, and text overlays that
// change the texts but never the logic.
#include <screening/instrument.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "base/hash.h"
#include "test_support.h"

namespace fs = std::filesystem;
using namespace screening;
using namespace screening::test;

namespace {

const fs::path kEveryType = TestInstrumentsDir() / "every_type.textproto";

std::shared_ptr<const Instrument> LoadText(const std::string& text) {
  Loaded l = Load(text, "every_type.textproto");
  INFO(l.joined());
  REQUIRE(l.ok());
  return l.instrument;
}

std::shared_ptr<const Instrument> EveryType() { return LoadText(ReadFile(kEveryType)); }

v1::TextOverlay Overlay(std::string lang = "sv") {
  v1::TextOverlay o;
  o.set_instrument_id("every_type");
  o.set_lang(std::move(lang));
  o.set_name("licensed-test-2024");
  auto* t = o.add_texts();
  t->set_item_id("q1");
  t->set_value("Ersatt text för första frågan.");
  t = o.add_texts();
  t->set_item_id("place/home");
  t->set_value("Ersatt alternativ.");
  t = o.add_texts();
  t->set_item_id("age");  // an item inside a group
  t->set_value("Ersatt ålderstext.");
  return o;
}

const std::string& ItemText(const Instrument& inst, std::string_view id, std::string_view lang) {
  return TextIn(inst.items()[static_cast<std::size_t>(inst.ItemIndex(id))].def->text(), lang);
}

}  // namespace

TEST_CASE("SHA-256 matches the standard test vectors", "[hash]") {
  CHECK(internal::Sha256Hex("") ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(internal::Sha256Hex("abc") ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// The golden hash: if this fails, the canonical logic form (docs: CONTRACTS.md, Hashes)
// or the test instrument changed. A changed canonical form changes every stored hash and
// needs a new canonical version, not a new literal here.
TEST_CASE("the logic hash of the test instrument is pinned", "[hash][golden]") {
  auto inst = EveryType();
  CHECK(inst->logic_sha256() == "1143f0b3a3f7ebd13c3a0ead27f6090ebb56dbb0060b9d0fb8bb388d2a5625ba");
  // The same file loaded twice hashes the same; the file name plays no part.
  Diagnostics diags;
  auto again = LoadInstrumentFile(kEveryType, TestVocabulary(), &diags);
  REQUIRE(again.ok());
  CHECK((*again)->logic_sha256() == inst->logic_sha256());
}

TEST_CASE("text changes keep the logic hash and change the text hash", "[hash]") {
  const std::string text = ReadFile(kEveryType);
  auto base = LoadText(text);
  auto reworded = LoadText(ReplaceOnce(text, "Första testfrågan?", "Första frågan, omformulerad?"));
  CHECK(reworded->logic_sha256() == base->logic_sha256());
  CHECK(reworded->TextSha256("sv") != base->TextSha256("sv"));
  CHECK(reworded->TextSha256("en") == base->TextSha256("en"));
  // Provenance prose is neither logic nor shown text.
  auto prose = LoadText(ReplaceOnce(text, "Written for the engine's unit tests.", "Other words."));
  CHECK(prose->logic_sha256() == base->logic_sha256());
  CHECK(prose->TextSha256("sv") == base->TextSha256("sv"));
  // Every text kind counts: help, option, band, flag and recommendation texts.
  for (const char* shown : {"Låg testnivå", "Hemma", "Skattningarna skiljer sig.",
                            "Ge information om stöd (test).", "Bara för test.", "Grunder"}) {
    INFO(shown);
    auto changed = LoadText(ReplaceOnce(text, shown, "Ändrad"));
    CHECK(changed->TextSha256("sv") != base->TextSha256("sv"));
    CHECK(changed->logic_sha256() == base->logic_sha256());
  }
  CHECK(base->TextSha256("sv") != base->TextSha256("en"));
  CHECK(base->TextSha256("sv").size() == 64);
  // An undeclared language resolves to the first.
  CHECK(base->TextSha256("de") == base->TextSha256("sv"));
}

TEST_CASE("logic changes change the logic hash", "[hash]") {
  const std::string text = ReadFile(kEveryType);
  auto base = LoadText(text);
  struct Change {
    const char* from;
    const char* to;
  };
  const Change changes[] = {
      {"min: 2\n    max: 3", "min: 2\n    max: 3\n    "},  // whitespace only: no change
      {"max: 1\n", "max: 0\n"},                            // a band boundary...
      {"enabled_when: \"q3 == yes\"", "enabled_when: \"q3 == no\""},
      {"code: \"elsewhere\"", "code: \"away\""},
      {"max_blocks: 3", "max_blocks: 4"},
      {"version: \"0.1.0\"", "version: \"0.1.1\""},
      {"allows_note: true", "allows_note: false"},
      {"days: 1 }", "days: 0 }"},
      {"legal_refs: [\"sol_protection_assessment\"]", "legal_refs: [\"sol_victim_support\"]"},
      {"client_estimate: true", "client_estimate: false"},
  };
  bool first = true;
  for (const auto& c : changes) {
    INFO(c.from << " -> " << c.to);
    std::string changed = ReplaceOnce(text, c.from, c.to);
    if (std::string(c.from) == "max: 1\n") {
      // ...needs the next band to move too, or the banding has a gap.
      changed = ReplaceOnce(changed, "min: 2\n", "min: 1\n");
    }
    auto inst = LoadText(changed);
    if (first) {
      CHECK(inst->logic_sha256() == base->logic_sha256());
      first = false;
      continue;
    }
    CHECK(inst->logic_sha256() != base->logic_sha256());
  }
}

TEST_CASE("an overlay replaces one language's texts and keeps the logic", "[hash][overlay]") {
  auto base = EveryType();
  Diagnostics diags;
  auto r = base->WithOverlay(Overlay(), "overlay.textproto", &diags);
  INFO(Joined(diags));
  REQUIRE(r.ok());
  const auto& over = **r;
  CHECK(diags.empty());
  CHECK(over.logic_sha256() == base->logic_sha256());
  CHECK(over.TextSha256("sv") != base->TextSha256("sv"));
  CHECK(over.TextSha256("en") == base->TextSha256("en"));
  CHECK(over.TextSetName("sv") == "licensed-test-2024");
  CHECK(over.TextSetName("en").empty());
  CHECK(base->TextSetName("sv").empty());
  CHECK(ItemText(over, "q1", "sv") == "Ersatt text för första frågan.");
  CHECK(ItemText(over, "q1", "en") == "First test question?");
  CHECK(ItemText(over, "age", "sv") == "Ersatt ålderstext.");
  CHECK(ItemText(over, "q2", "sv") == "Andra testfrågan?");
  const auto& place = *over.items()[static_cast<std::size_t>(over.ItemIndex("place"))].def;
  CHECK(TextIn(place.options(0).text(), "sv") == "Ersatt alternativ.");
  CHECK(TextIn(place.options(1).text(), "sv") == "Någon annanstans");
  // The definition seen through definition() is the overlaid one too.
  CHECK(TextIn(over.definition().sections(0).items(0).text(), "sv") ==
        "Ersatt text för första frågan.");
  // The original is untouched.
  CHECK(ItemText(*base, "q1", "sv") == "Första testfrågan?");
  // The same overlay gives the same text hash; another name gives another.
  auto same = base->WithOverlay(Overlay(), "o", nullptr);
  REQUIRE(same.ok());
  CHECK((*same)->TextSha256("sv") == over.TextSha256("sv"));
  v1::TextOverlay renamed = Overlay();
  renamed.set_name("another-set");
  auto other = base->WithOverlay(renamed, "o", nullptr);
  REQUIRE(other.ok());
  CHECK((*other)->TextSha256("sv") != over.TextSha256("sv"));
  // Sessions on the overlaid instrument evaluate with its text hash.
  Session s(*r);
  auto result = Evaluate(s);
  REQUIRE(result.ok());
  CHECK(result->instrument().text_sha256() == over.TextSha256("sv"));
  CHECK(result->instrument().sha256() == base->logic_sha256());
}

TEST_CASE("an overlay naming unknown items or options is rejected", "[hash][overlay]") {
  auto base = EveryType();
  v1::TextOverlay o = Overlay();
  o.add_texts()->set_item_id("q99");
  o.mutable_texts(3)->set_value("x");
  auto* t = o.add_texts();
  t->set_item_id("place/nowhere");
  t->set_value("x");
  t = o.add_texts();
  t->set_item_id("q2");  // empty text
  Diagnostics diags;
  auto r = base->WithOverlay(o, "bad_overlay.textproto", &diags);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kInvalidArgument);
  INFO(Joined(diags));
  REQUIRE(diags.size() == 3);
  CHECK(diags[0].message == "unknown item 'q99'");
  CHECK(diags[1].message == "item 'place' has no option 'nowhere'");
  CHECK(diags[2].message == "item 'q2': empty or invalid text");
  CHECK(diags[0].file == "bad_overlay.textproto");
  SECTION("another instrument, an undeclared language, no name") {
    v1::TextOverlay w = Overlay("de");
    w.set_instrument_id("dash");
    w.clear_name();
    Diagnostics d2;
    auto bad = base->WithOverlay(w, "w", &d2);
    REQUIRE_FALSE(bad.ok());
    REQUIRE(d2.size() == 3);
    CHECK(d2[0].message == "the overlay is for 'dash', not 'every_type'");
    CHECK(d2[1].message == "language 'de' is not declared by 'every_type'");
    CHECK(d2[2].message == "the overlay needs a name (recorded with each assessment)");
  }
}

TEST_CASE("overlay files parse with located syntax errors", "[hash][overlay]") {
  const fs::path dir =
      fs::temp_directory_path() / ("screening-overlay-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path good = dir / "good.textproto";
  const fs::path bad = dir / "bad.textproto";
  {
    std::ofstream(good) << "instrument_id: \"every_type\"\nlang: \"sv\"\nname: \"n\"\n"
                           "texts { item_id: \"q1\" value: \"Åter en text\" }\n";
    std::ofstream(bad) << "instrument_id: \"every_type\"\ntexts { item: \"q1\" }\n";
  }
  Diagnostics diags;
  auto ok = LoadOverlayFile(good, &diags);
  REQUIRE(ok.ok());
  CHECK(ok->texts(0).value() == "Åter en text");
  auto r = LoadOverlayFile(bad, &diags);
  fs::remove_all(dir);
  REQUIRE_FALSE(r.ok());
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].line == 2);
  CHECK(diags[0].column == 9);
  CHECK(diags[0].message.find("item") != std::string::npos);
}
