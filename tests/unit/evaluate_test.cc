// Evaluation of sessions into results: every scoring kind, band certainty, SPJ final
// levels, overrides, flags and recommendations, the explanation and the instrument
// reference (CONTRACTS.md, Result JSON).
#include <screening/session.h>
#include <screening/version.h>

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "test_support.h"

using namespace screening;
using namespace screening::test;
using Strings = std::vector<std::string>;

namespace {

const std::string kFour = Section("s", YesNo("q1") + YesNo("q2") + YesNo("q3") + YesNo("q4"));

// Count of yes with range bands, flags and recommendations that use the band.
std::shared_ptr<const Instrument> CountInst() {
  static const auto inst = MustLoad(Def(
      kFour + Score("yes_count", "count(yes, q1..q4)") +
          Banding("yes_count",
                  RangeBand("low", 0, 1) + RangeBand("medium", 2, 2) + RangeBand("high", 3, 4)) +
          Flag("uncertain", "not band_certain") + Flag("is_high", "band == \"high\"") +
          Flag("after", "flag.uncertain or flag.is_high") + Rec("first_rec", "flag.is_high") +
          Rec("always") + Rec("if_low", "band == \"low\"") +
          Rec("on_final", "final_level == \"high\""),
      "ACTUARIAL"));
  return inst;
}

Session Answer(std::shared_ptr<const Instrument> inst,
               std::initializer_list<std::pair<const char*, const char*>> codes) {
  Session s(std::move(inst));
  for (const auto& [id, code] : codes) {
    Status st = s.SetCode(id, code);
    INFO(id << ": " << st.ToString());
    REQUIRE(st.ok());
  }
  return s;
}

v1::Result Eval(const Session& s, std::string lang = "sv") {
  EvaluateOptions o;
  o.lang = std::move(lang);
  auto r = Evaluate(s, o);
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  return *r;
}

Strings Of(const google::protobuf::RepeatedPtrField<std::string>& xs) {
  return Strings(xs.begin(), xs.end());
}

// The explanation entry with this rule, or nullptr.
const v1::ExplanationEntry* Entry(const v1::Result& r, std::string_view rule) {
  for (const auto& e : r.explanation()) {
    if (e.rule() == rule) return &e;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("count of yes selects a range band", "[evaluate][count]") {
  auto none = Eval(Answer(CountInst(), {{"q1", "no"}, {"q2", "no"}, {"q3", "no"}, {"q4", "no"}}));
  CHECK(none.scores().at("yes_count") == 0);
  CHECK(none.band() == "low");
  CHECK(none.band_certain());
  CHECK(none.final_level() == "low");
  CHECK_FALSE(none.overridden());
  CHECK(none.complete());
  CHECK(none.unknown_count() == 0);
  CHECK(none.unanswered_count() == 0);

  auto three =
      Eval(Answer(CountInst(), {{"q1", "yes"}, {"q2", "yes"}, {"q3", "no"}, {"q4", "yes"}}));
  CHECK(three.scores().at("yes_count") == 3);
  CHECK(three.band() == "high");
  CHECK(three.band_certain());
  // Explanation: the score with its items, then the band's rule.
  REQUIRE(three.explanation_size() >= 2);
  CHECK(three.explanation(0).rule() == "yes_count = count(yes, q1..q4)");
  CHECK(Of(three.explanation(0).items()) == Strings{"q1", "q2", "q4"});
  CHECK(three.explanation(0).text() == "Poäng: 3");
  CHECK(three.explanation(1).rule() == "yes_count >= 3");
  CHECK(Of(three.explanation(1).items()) == Strings{"q1", "q2", "q4"});
  CHECK(three.explanation(1).text() == "Nivå high");

  auto two = Eval(Answer(CountInst(), {{"q1", "yes"}, {"q2", "yes"}, {"q3", "no"}, {"q4", "no"}}));
  CHECK(two.band() == "medium");
  CHECK(two.explanation(1).rule() == "yes_count == 2");
  CHECK(none.explanation(1).rule() == "yes_count <= 1");
}

TEST_CASE("unknown answers make the band uncertain when they could change it",
          "[evaluate][certainty]") {
  auto r =
      Eval(Answer(CountInst(), {{"q1", "yes"}, {"q2", "unknown"}, {"q3", "no"}, {"q4", "no"}}));
  CHECK(r.scores().at("yes_count") == 1);  // unknown does not count
  CHECK(r.band() == "low");
  CHECK_FALSE(r.band_certain());
  CHECK(r.unknown_count() == 1);
  CHECK(r.unanswered_count() == 0);
  CHECK_FALSE(r.complete());
  const auto* e = Entry(r, "band_certain == false");
  REQUIRE(e != nullptr);
  CHECK(Of(e->items()) == Strings{"q2"});
  CHECK(e->text().rfind("Nivån är osäker", 0) == 0);
  CHECK(Of(r.flags()) == Strings{"uncertain", "after"});
  CHECK(Of(r.recommendations()) == Strings{"always", "if_low"});

  // The instrument speaks Swedish only: asking for English falls back to Swedish.
  auto en = Eval(Answer(CountInst(), {{"q1", "yes"}, {"q2", "unknown"}}), "en");
  const auto* ee = Entry(en, "band_certain == false");
  REQUIRE(ee != nullptr);
  CHECK(ee->text().rfind("Nivån är osäker", 0) == 0);
}

TEST_CASE("unanswered items count as uncertain too", "[evaluate][certainty]") {
  auto r = Eval(Answer(CountInst(), {{"q1", "yes"}}));
  CHECK(r.unanswered_count() == 3);
  CHECK(r.unknown_count() == 0);
  CHECK(r.band() == "low");
  CHECK_FALSE(r.band_certain());
  const auto* e = Entry(r, "band_certain == false");
  REQUIRE(e != nullptr);
  CHECK(Of(e->items()) == Strings{"q2", "q3", "q4"});
}

TEST_CASE("unknowns that cannot change the band leave it certain", "[evaluate][certainty]") {
  auto r =
      Eval(Answer(CountInst(), {{"q1", "yes"}, {"q2", "yes"}, {"q3", "yes"}, {"q4", "unknown"}}));
  CHECK(r.band() == "high");
  CHECK(r.band_certain());
  CHECK_FALSE(r.complete());  // still incomplete
  CHECK(Entry(r, "band_certain == false") == nullptr);
  CHECK(Of(r.flags()) == Strings{"is_high", "after"});
  CHECK(Of(r.recommendations()) == Strings{"first_rec", "always", "on_final"});
}

TEST_CASE("a weighted sum selects a band", "[evaluate][weighted]") {
  auto inst =
      MustLoad(Def(Section("s", YesNo("q1") + YesNo("q2")) + Score("w", "sum(yes, q1: 3, q2: 1)") +
                       Banding("w", RangeBand("low", 0, 2) + RangeBand("high", 3, 4)),
                   "ACTUARIAL"));
  auto a = Eval(Answer(inst, {{"q1", "yes"}, {"q2", "no"}}));
  CHECK(a.scores().at("w") == 3);
  CHECK(a.band() == "high");
  CHECK(a.band_certain());
  auto b = Eval(Answer(inst, {{"q1", "no"}, {"q2", "yes"}}));
  CHECK(b.scores().at("w") == 1);
  CHECK(b.band() == "low");
  CHECK(b.band_certain());
  auto c = Eval(Answer(inst, {{"q1", "unknown"}, {"q2", "yes"}}));
  CHECK(c.scores().at("w") == 1);
  CHECK(c.band() == "low");
  CHECK_FALSE(c.band_certain());
  CHECK(Of(Entry(c, "band_certain == false")->items()) == Strings{"q1"});
}

TEST_CASE("rule bands: the first rule that holds, the last is the fallback", "[evaluate][rules]") {
  const std::string rule = "any(yes, q1..q2) or count(yes, q3..q5) >= 2";
  auto inst = MustLoad(
      Def(Section("s", YesNo("q1") + YesNo("q2") + YesNo("q3") + YesNo("q4") + YesNo("q5")) +
              Banding("", RuleBand("screened_in", rule) + RuleBand("not_screened", "")),
          "ACTUARIAL"));
  auto in =
      Eval(Answer(inst, {{"q1", "yes"}, {"q2", "no"}, {"q3", "no"}, {"q4", "no"}, {"q5", "no"}}));
  CHECK(in.band() == "screened_in");
  CHECK(in.band_certain());
  REQUIRE(in.explanation_size() >= 1);
  CHECK(in.explanation(0).rule() == rule);
  CHECK(Of(in.explanation(0).items()) == Strings{"q1"});
  CHECK(in.explanation(0).text() == "Nivå screened_in");

  auto out =
      Eval(Answer(inst, {{"q1", "no"}, {"q2", "no"}, {"q3", "yes"}, {"q4", "no"}, {"q5", "no"}}));
  CHECK(out.band() == "not_screened");
  CHECK(out.band_certain());
  CHECK(out.explanation(0).rule() == "not (" + rule + ")");
  CHECK(Of(out.explanation(0).items()) == Strings{"q3"});

  auto maybe = Eval(
      Answer(inst, {{"q1", "no"}, {"q2", "no"}, {"q3", "yes"}, {"q4", "unknown"}, {"q5", "no"}}));
  CHECK(maybe.band() == "not_screened");
  CHECK_FALSE(maybe.band_certain());
  CHECK(Of(Entry(maybe, "band_certain == false")->items()) == Strings{"q4"});

  // A rule that certainly holds despite an unknown is certain.
  auto sure = Eval(Answer(inst, {{"q1", "yes"}, {"q2", "unknown"}}));
  CHECK(sure.band() == "screened_in");
  CHECK(sure.band_certain());
}

TEST_CASE("rule bands: a later band is uncertain when an earlier rule could hold",
          "[evaluate][rules]") {
  auto inst = MustLoad(
      Def(Section("s", YesNo("q1") + YesNo("q2") + YesNo("q3") + YesNo("q4") + YesNo("q5")) +
              Banding("", RuleBand("high", "count(yes, q1..q5) >= 4") +
                              RuleBand("medium", "count(yes, q1..q5) >= 2") + RuleBand("low", "")),
          "ACTUARIAL"));
  auto r = Eval(
      Answer(inst, {{"q1", "yes"}, {"q2", "yes"}, {"q3", "yes"}, {"q4", "unknown"}, {"q5", "no"}}));
  CHECK(r.band() == "medium");
  CHECK_FALSE(r.band_certain());
  auto c =
      Eval(Answer(inst, {{"q1", "yes"}, {"q2", "yes"}, {"q3", "no"}, {"q4", "no"}, {"q5", "no"}}));
  CHECK(c.band() == "medium");
  CHECK(c.band_certain());
  // The chosen rule itself could fail: uncertain too.
  auto d = Eval(Answer(
      inst, {{"q1", "yes"}, {"q2", "unknown"}, {"q3", "unknown"}, {"q4", "no"}, {"q5", "no"}}));
  CHECK(d.band() == "low");
  CHECK_FALSE(d.band_certain());
}

TEST_CASE("bins over a total of numbers", "[evaluate][bins]") {
  auto inst = MustLoad(Def(
      Section("s", Item("n1", "INTEGER", "max: 10") + Item("n2", "INTEGER", "max: 10")) +
          Score("total", "sum(n1, n2)") +
          Banding("total",
                  RangeBand("0-5", 0, 5) + RangeBand("6-10", 6, 10) + RangeBand("11-20", 11, 20)),
      "ACTUARIAL"));
  Session s(inst);
  REQUIRE(s.SetInteger("n1", 3).ok());
  REQUIRE(s.SetInteger("n2", 4).ok());
  auto r = Eval(s);
  CHECK(r.scores().at("total") == 7);
  CHECK(r.band() == "6-10");
  CHECK(r.band_certain());
  CHECK(r.explanation(1).rule() == "total >= 6 and total <= 10");
  CHECK(Of(r.explanation(1).items()) == Strings{"n1", "n2"});
  REQUIRE(s.SetInteger("n2", 10).ok());
  REQUIRE(s.SetInteger("n1", 10).ok());
  CHECK(Eval(s).band() == "11-20");
  CHECK(Eval(s).explanation(1).rule() == "total >= 11");
  REQUIRE(s.Clear("n2").ok());
  REQUIRE(s.SetInteger("n1", 3).ok());
  auto open = Eval(s);
  CHECK(open.scores().at("total") == 3);
  CHECK(open.band() == "0-5");
  CHECK(open.explanation(1).rule() == "total <= 5");
  CHECK_FALSE(open.band_certain());
  CHECK(open.unanswered_count() == 1);
  CHECK(Of(Entry(open, "band_certain == false")->items()) == Strings{"n2"});
}

// ---------------------------------------------------------------------------------------
// Structured professional judgement

namespace {

std::shared_ptr<const Instrument> SpjInst() {
  static const auto inst =
      MustLoad(Def(Section("s", Item("f1", "SPJ_FACTOR") +
                                    Item("f2", "SPJ_FACTOR", "current_and_history: true")) +
                       Judgement("risk", "required: true is_final: true") + Judgement("severity") +
                       Flag("hi", "judgement.risk == high") + Rec("act", "final_level == high") +
                       Rec("calm", "final_level == low"),
                   "STRUCTURED_PROFESSIONAL_JUDGEMENT"));
  return inst;
}

}  // namespace

TEST_CASE("SPJ: no band, the final level is the final judgement", "[evaluate][spj]") {
  Session s(SpjInst());
  REQUIRE(s.SetCode("f1", "present").ok());
  REQUIRE(s.Set("f2", Spj("partial", "")).ok());
  auto r = Eval(s);
  CHECK(r.band().empty());
  CHECK(r.final_level().empty());
  CHECK(r.band_certain());
  CHECK(Of(r.missing_judgements()) == Strings{"risk"});
  CHECK(r.unanswered_count() == 1);  // f2 lacks its history code
  CHECK_FALSE(r.complete());
  CHECK(r.recommendations().empty());
  auto fin = s.CheckFinishable();
  CHECK(fin.code() == StatusCode::kFailedPrecondition);
  CHECK(fin.message() == "cannot be finished: judgements missing (risk)");

  REQUIRE(s.Set("f2", Spj("partial", "absent")).ok());
  REQUIRE(s.SetJudgement("risk", "high", "Skäl i testet.").ok());
  r = Eval(s);
  CHECK(r.band().empty());
  CHECK(r.final_level() == "high");
  CHECK_FALSE(r.overridden());
  CHECK(r.complete());
  CHECK(r.judgements().at("risk").level() == "high");
  CHECK(r.judgements().at("risk").rationale() == "Skäl i testet.");
  CHECK(r.judgements().count("severity") == 0);
  CHECK(Of(r.flags()) == Strings{"hi"});
  CHECK(Of(r.recommendations()) == Strings{"act"});
  CHECK(s.CheckFinishable().ok());
}

TEST_CASE("SPJ: an override changes the final judgement's level", "[evaluate][spj][override]") {
  Session s(SpjInst());
  REQUIRE(s.SetOverride("high", "Skäl.", v1::ASSESSOR).ok());
  auto before = Evaluate(s);
  REQUIRE_FALSE(before.ok());
  CHECK(before.status().code() == StatusCode::kFailedPrecondition);
  CHECK(before.status().message() == "override: record the judgement before changing its level");

  REQUIRE(s.SetJudgement("risk", "medium", "Skäl.").ok());
  auto r = Eval(s);
  CHECK(r.final_level() == "high");
  CHECK(r.overridden());
  CHECK(r.override_direction() == v1::RAISED);
  CHECK(Of(r.recommendations()) == Strings{"act"});
  const auto* e = Entry(r, "override");
  REQUIRE(e != nullptr);
  CHECK(e->text() == "Nivån höjdes av bedömaren från medel till hög.");

  REQUIRE(s.SetOverride("low", "Skäl.", v1::ASSESSOR).ok());
  auto lowered = Evaluate(s);
  REQUIRE_FALSE(lowered.ok());
  CHECK(lowered.status().code() == StatusCode::kFailedPrecondition);
  REQUIRE(s.SetOverride("low", "Skäl.", v1::SUPERVISOR).ok());
  r = Eval(s);
  CHECK(r.final_level() == "low");
  CHECK(r.override_direction() == v1::LOWERED);
  CHECK(Of(r.recommendations()) == Strings{"calm"});
  CHECK(Entry(r, "override")->text() == "Nivån ändrades av arbetsledaren från medel till låg.");
}

// ---------------------------------------------------------------------------------------
// Overrides of a computed band

TEST_CASE("raising a band: overridden, direction raised, both levels kept",
          "[evaluate][override]") {
  Session s = Answer(CountInst(), {{"q1", "no"}, {"q2", "no"}, {"q3", "no"}, {"q4", "no"}});
  REQUIRE(s.SetOverride("high", "Oro i testet.", v1::ASSESSOR).ok());
  auto r = Eval(s);
  CHECK(r.band() == "low");
  CHECK(r.final_level() == "high");
  CHECK(r.overridden());
  CHECK(r.override_direction() == v1::RAISED);
  CHECK(r.override().band() == "high");
  CHECK(r.override().reason() == "Oro i testet.");
  // Flags see the band, recommendations on final_level see the override.
  CHECK(Of(r.flags()).empty());
  CHECK(Of(r.recommendations()) == Strings{"always", "if_low", "on_final"});
  const auto* e = Entry(r, "override");
  REQUIRE(e != nullptr);
  CHECK(e->text() == "Nivån höjdes av bedömaren från Nivå low till Nivå high.");
}

TEST_CASE("lowering a band is refused for the assessor, allowed for a supervisor",
          "[evaluate][override]") {
  Session s = Answer(CountInst(), {{"q1", "yes"}, {"q2", "yes"}, {"q3", "yes"}, {"q4", "no"}});
  REQUIRE(s.SetOverride("medium", "Skäl.", v1::ASSESSOR).ok());
  auto refused = Evaluate(s);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == StatusCode::kFailedPrecondition);
  CHECK(refused.status().message() ==
        "override: lowering the computed level is a supervisor's decision with a reason");

  REQUIRE(s.SetOverride("medium", "Skäl.", v1::SUPERVISOR).ok());
  auto r = Eval(s);
  CHECK(r.band() == "high");
  CHECK(r.final_level() == "medium");
  CHECK(r.overridden());
  CHECK(r.override_direction() == v1::LOWERED);
  CHECK(r.override().by() == v1::SUPERVISOR);
  CHECK(Entry(r, "override")->text() ==
        "Nivån ändrades av arbetsledaren från Nivå high till Nivå medium.");
}

TEST_CASE("an override to the computed band changes nothing", "[evaluate][override]") {
  Session s = Answer(CountInst(), {{"q1", "no"}, {"q2", "no"}, {"q3", "no"}, {"q4", "no"}});
  REQUIRE(s.SetOverride("low", "Skäl.", v1::ASSESSOR).ok());
  auto r = Eval(s);
  CHECK(r.final_level() == "low");
  CHECK_FALSE(r.overridden());
  CHECK(r.override_direction() == v1::NONE);
  CHECK(Entry(r, "override") == nullptr);
  CHECK(r.has_override());
}

// ---------------------------------------------------------------------------------------
// The test instrument with every item type: texts, references, estimate flags.

namespace {

std::shared_ptr<const Instrument> EveryType() {
  static const auto inst = [] {
    Diagnostics diags;
    auto r =
        LoadInstrumentFile(TestInstrumentsDir() / "every_type.textproto", TestVocabulary(), &diags);
    INFO(Joined(diags));
    REQUIRE(r.ok());
    return *r;
  }();
  return inst;
}

}  // namespace

TEST_CASE("the result names the instrument, its hashes and the engine", "[evaluate]") {
  Session s(EveryType());
  s.set_id("rad-7");
  auto sv = Eval(s, "sv");
  CHECK(sv.id() == "rad-7");
  CHECK(sv.instrument().id() == "every_type");
  CHECK(sv.instrument().version() == "0.1.0");
  CHECK(sv.instrument().sha256() == EveryType()->logic_sha256());
  CHECK(sv.instrument().sha256().size() == 64);
  CHECK(sv.instrument().text_sha256() == EveryType()->TextSha256("sv"));
  CHECK(sv.instrument().engine() == EngineVersion());
  auto en = Eval(s, "en");
  CHECK(en.instrument().text_sha256() == EveryType()->TextSha256("en"));
  CHECK(en.instrument().text_sha256() != sv.instrument().text_sha256());
  CHECK(en.explanation(0).text() == "Number of yes: 0");
  const auto* uncertain = Entry(en, "band_certain == false");
  REQUIRE(uncertain != nullptr);
  CHECK(uncertain->text().rfind("The band is uncertain", 0) == 0);
  CHECK(Of(uncertain->items()) == Strings{"q1", "q2", "q3"});
  CHECK(sv.explanation(0).text() == "Antal ja: 0");
  // An undeclared language falls back to the first.
  auto de = Eval(s, "de");
  CHECK(de.instrument().text_sha256() == sv.instrument().text_sha256());
  CHECK(de.explanation(0).text() == "Antal ja: 0");
}

TEST_CASE("counts cover enabled scored items, free text, dates and groups never count",
          "[evaluate]") {
  Session s(EveryType());
  auto r = Eval(s);
  // q1, q2, q3, place, kinds, count_n, factor, shield: q3a is disabled, text/date/group
  // are not scored.
  CHECK(r.unanswered_count() == 8);
  CHECK(r.unknown_count() == 0);
  REQUIRE(s.SetCode("q3", "yes").ok());
  REQUIRE(s.SetCode("shield", "unknown").ok());
  REQUIRE(s.Set("factor", Spj("present", "insufficient")).ok());
  r = Eval(s);
  CHECK(r.unanswered_count() == 6);  // q3a now enabled
  CHECK(r.unknown_count() == 2);     // shield unknown, factor history insufficient
}

TEST_CASE("flags and recommendations from judgements, estimate and band", "[evaluate][flags]") {
  Session s(EveryType());
  auto r = Eval(s);
  CHECK(r.flags().empty());
  // No answers: the band is low but could be high.
  CHECK(r.band() == "low");
  CHECK_FALSE(r.band_certain());
  CHECK(Of(r.recommendations()) == Strings{"protection_assessment", "support_information"});
  CHECK_FALSE(r.has_client_estimate());

  REQUIRE(s.SetClientEstimate("low").ok());
  REQUIRE(s.SetJudgement("assessor", "high", "Skäl.").ok());
  for (const char* id : {"q1", "q2", "q3"}) REQUIRE(s.SetCode(id, "no").ok());
  r = Eval(s);
  CHECK(r.band_certain());
  CHECK(Of(r.flags()) == Strings{"estimate_mismatch"});
  CHECK(Of(r.recommendations()) == Strings{"support_information"});
  CHECK(r.client_estimate().level() == "low");
  const auto* e = Entry(r, "client_estimate == low and judgement.assessor == high");
  REQUIRE(e != nullptr);
  CHECK(e->text() == "Skattningarna skiljer sig.");

  REQUIRE(s.SetClientEstimate("high").ok());
  CHECK(Eval(s).flags().empty());
}

// Regression test for a fixed bug: a score's possible range is computed once at load time over
// slots with every item unanswered, where a repeated group has no blocks; so max(GROUP.ITEM),
// size(GROUP) and count(V, GROUP.ITEM) get the range 0..0. A range banding over such a score cannot
// cover the real values: bands above 0 are refused at load ("never exceeds 0"), and with a band of
// 0..0 only, any real answer makes Evaluate fail with kInternal ("a score fell outside every
// band").
TEST_CASE("range bands over a score from a repeated group", "[evaluate][groups]") {
  Loaded l = Load(Def(Section("s", Item("kids", "GROUP", Item("age", "INTEGER", "max: 17"))) +
                          Score("oldest", "max(kids.age)") +
                          Banding("oldest", RangeBand("young", 0, 5) + RangeBand("older", 6, 17)),
                      "ACTUARIAL"));
  INFO(l.joined());
  REQUIRE(l.ok());
  Session s(l.instrument);
  REQUIRE(s.AddBlock("kids").ok());
  REQUIRE(s.SetInBlock("kids", 0, "age", Int(9)).ok());
  auto r = Evaluate(s);
  REQUIRE(r.ok());
  CHECK(r->band() == "older");
}

// A banding must cover every value a group score can take (zero to max_blocks blocks), so
// a real answer can never fall outside every band.
TEST_CASE("a group score's bands must cover every possible number of blocks",
          "[evaluate][groups]") {
  Loaded l = Load(Def(Section("s", Item("kids", "GROUP", Item("age", "INTEGER", "max: 17"))) +
                          Score("n", "size(kids)") + Banding("n", RangeBand("none", 0, 0)),
                      "ACTUARIAL"));
  REQUIRE_FALSE(l.ok());
  CHECK(l.Find("scores 1..50 of 'n' are in no band") != nullptr);
}
