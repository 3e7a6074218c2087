// The shipped instrument library (instruments/*.textproto): every file loads, and each
// carries what INSTRUMENTS.md requires of it.
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>

#include <screening/directory.h>
#include <screening/json.h>
#include <screening/registry.h>
#include "test_paths.h"

namespace {

std::shared_ptr<const screening::Registry> Library() {
  screening::Diagnostics diagnostics;
  auto registry = screening::Registry::LoadDirectory(SCREENING_TEST_INSTRUMENTS_DIR, &diagnostics);
  for (const auto& d : diagnostics) UNSCOPED_INFO(d.ToString());
  REQUIRE(registry.ok());
  return *registry;
}

void CheckTexts(const google::protobuf::RepeatedPtrField<screening::v1::LocalizedText>& texts,
                const std::string& what) {
  std::set<std::string> langs;
  for (const auto& t : texts) {
    if (!t.value().empty()) langs.insert(t.lang());
  }
  INFO(what);
  CHECK(langs == std::set<std::string>{"sv", "en"});
}

}  // namespace

TEST_CASE("the ten instruments load, each in Swedish and English with honest provenance",
          "[instruments]") {
  auto registry = Library();
  const std::set<std::string> expected = {"rutinfraga",  "farlighet", "dash", "lap",     "odara",
                                          "partnervald", "heder",     "barn", "utovare", "skydd"};
  std::set<std::string> ids;
  for (const auto& inst : registry->all()) ids.insert(inst->id());
  CHECK(ids == expected);

  for (const auto& inst : registry->all()) {
    const auto& d = inst->definition();
    INFO("instrument " << d.id());
    CHECK(std::vector<std::string>(d.languages().begin(), d.languages().end()) ==
          std::vector<std::string>{"sv", "en"});
    CHECK(d.provenance().wording_is_own());
    // Provenance in Swedish and in English (the localized fields), never only in English.
    CheckTexts(d.provenance().modelled_on_text(), "provenance modelled_on");
    CheckTexts(d.provenance().source_text(), "provenance source");
    CheckTexts(d.provenance().licence_note_text(), "provenance licence_note");
    CheckTexts(d.provenance().scoring_verified_text(), "provenance scoring_verified");
    CheckTexts(d.provenance().validated_setting_text(), "provenance validated_setting");
    for (const char* lang : {"sv", "en"}) {
      const auto p = inst->ProvenanceIn(lang);
      CHECK(p.in_language);
      CHECK_FALSE(p.modelled_on.empty());
      CHECK_FALSE(p.source.empty());
      CHECK_FALSE(p.licence_note.empty());
      CHECK_FALSE(p.scoring_verified.empty());
      CHECK_FALSE(p.validated_setting.empty());
    }
    CHECK(inst->ProvenanceIn("sv").validated_setting != inst->ProvenanceIn("en").validated_setting);
    CheckTexts(d.title(), "title");
    CheckTexts(d.description(), "description");
    for (const auto& info : inst->items()) {
      CheckTexts(info.def->text(), "item " + info.def->id());
      for (const auto& o : info.def->options()) CheckTexts(o.text(), "option " + o.code());
    }
    for (const auto& r : d.recommendations()) CheckTexts(r.text(), "recommendation " + r.id());
    for (const auto& f : d.flags()) CheckTexts(f.text(), "flag " + f.id());
    // Structured professional judgement never computes a level.
    if (d.kind() == screening::v1::STRUCTURED_PROFESSIONAL_JUDGEMENT)
      CHECK_FALSE(inst->has_banding());
  }
}

TEST_CASE("item ids follow the original order q1, q2, ... without gaps", "[instruments]") {
  auto registry = Library();
  const std::map<std::string, int> counts = {
      {"dash", 24}, {"lap", 11}, {"odara", 13}, {"farlighet", 20}, {"partnervald", 15}};
  for (const auto& [id, n] : counts) {
    auto inst = registry->Find(id);
    REQUIRE(inst);
    for (int i = 1; i <= n; ++i) {
      INFO(id << " q" << i);
      CHECK(inst->ItemIndex("q" + std::to_string(i)) >= 0);
    }
    CHECK(inst->ItemIndex("q" + std::to_string(n + 1)) < 0);
  }
}

TEST_CASE("only verified rules compute a band", "[instruments]") {
  auto registry = Library();
  // INSTRUMENTS.md: Dash 14+, LAP's screening rule and ODARA's bins are verified; the
  // Danger Assessment's weights, PATRIARK and SAPROF are not.
  // Only ODARA is an actuarial (statistical) scale; Dash's 14+ and LAP's screening-in rule
  // are published rules (RULE_BASED), which compute a band the same way.
  std::set<std::string> banded, actuarial, rule_based;
  for (const auto& inst : registry->all()) {
    const auto kind = inst->definition().kind();
    if (inst->has_banding() && screening::KindComputesBand(kind)) banded.insert(inst->id());
    if (kind == screening::v1::ACTUARIAL) actuarial.insert(inst->id());
    if (kind == screening::v1::RULE_BASED) rule_based.insert(inst->id());
  }
  CHECK(banded == std::set<std::string>{"dash", "lap", "odara"});
  CHECK(actuarial == std::set<std::string>{"odara"});
  CHECK(rule_based == std::set<std::string>{"dash", "lap"});
  CHECK_FALSE(screening::KindComputesBand(screening::v1::SCREENING));
  CHECK_FALSE(screening::KindComputesBand(screening::v1::CHECKLIST));
  CHECK_FALSE(screening::KindComputesBand(screening::v1::STRUCTURED_PROFESSIONAL_JUDGEMENT));
  auto odara = registry->Find("odara");
  std::vector<std::string> bins;
  for (const auto& b : odara->definition().banding().bands()) bins.push_back(b.id());
  CHECK(bins == std::vector<std::string>{"0", "1", "2", "3", "4", "5-6", "7-13"});
}

TEST_CASE("a result lists support resources ending with 112, 114 14 and social services",
          "[instruments][directory]") {
  auto registry = Library();
  screening::Diagnostics diagnostics;
  auto directory = screening::Directory::LoadDirectory(SCREENING_TEST_INSTRUMENTS_DIR,
                                                       *registry->vocabulary(), &diagnostics);
  REQUIRE(directory.ok());
  for (const auto& inst : registry->all()) {
    INFO("instrument " << inst->id());
    screening::Session session(inst);
    screening::EvaluateOptions options;
    options.lang = "en";
    options.directory = directory->get();
    auto result = screening::Evaluate(session, options);
    REQUIRE(result.ok());
    const auto& res = result->resources();
    REQUIRE(res.size() >= 3);
    const auto n = res.size();
    CHECK(res[n - 3] == "emergency_112");
    CHECK(res[n - 2] == "police_114_14");
    CHECK(res[n - 1] == "harnosand_social_services");
    std::set<std::string> unique(res.begin(), res.end());
    CHECK(unique.size() == static_cast<std::size_t>(n));
    // The text rendering names them.
    std::string text = screening::ResultToText(*result, *inst, "en", directory->get());
    CHECK(text.find("112") != std::string::npos);
  }
  // An entry the municipality has not filled in says so instead of standing without a number.
  {
    auto skydd = registry->Find("skydd");
    screening::Session session(skydd);
    REQUIRE(session.SetCode("has_children", "no").ok());
    REQUIRE(session.SetJudgement("protection", "high", "Synthetic.").ok());
    auto result = screening::Evaluate(session);
    REQUIRE(result.ok());
    result->add_resources("harnosand_kvinnojour");
    REQUIRE((*directory)->Resource("harnosand_kvinnojour")->phone().empty());
    const std::string sv = screening::ResultToText(*result, *skydd, "sv", directory->get());
    CHECK(sv.find(screening::MissingNumberText("sv")) != std::string::npos);
    // skydd's final level and judgement are named as protection, never "Hög" (high risk).
    CHECK(sv.find("Starkt skydd") != std::string::npos);
    CHECK(sv.find("Hög") == std::string::npos);
    const std::string en = screening::ResultToText(*result, *skydd, "en", directory->get());
    CHECK(en.find(screening::MissingNumberText("en")) != std::string::npos);
    CHECK(en.find("Strong protection") != std::string::npos);
  }
  // A person who uses violence is pointed to help for changing.
  auto utovare = registry->Find("utovare");
  screening::Session session(utovare);
  screening::EvaluateOptions options;
  options.directory = directory->get();
  auto result = screening::Evaluate(session, options);
  REQUIRE(result.ok());
  bool perpetrator_line = false;
  for (const auto& id : result->resources()) {
    const auto* r = (*directory)->Resource(id);
    REQUIRE(r);
    for (const auto& tag : r->tags())
      perpetrator_line = perpetrator_line || tag == "perpetrator_support";
  }
  CHECK(perpetrator_line);
}
