// Sessions: validated answers, visibility through enabled_when, repeat groups, notes,
// judgements, the client's estimate, overrides and what is missing before finishing.
#include <screening/session.h>

#include <google/protobuf/util/message_differencer.h>

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "test_support.h"

using namespace screening;
using namespace screening::test;
using Strings = std::vector<std::string>;

namespace {

std::shared_ptr<const Instrument> Inst() {
  static const auto inst = MustLoad(Def(
      Section(
          "a",
          YesNo("safe_to_ask", "required: true no_unknown: true") +
              Item("reason", "SINGLE_CHOICE",
                   "required: true enabled_when: \"safe_to_ask == no\" " + Opt("not_alone") +
                       Opt("other", "needs_note: true")) +
              YesNo("q1", "enabled_when: \"safe_to_ask == yes\" allows_note: true required: true") +
              YesNo("q2", "enabled_when: \"safe_to_ask == yes\"") +
              YesNo("q3", "enabled_when: \"q2 == yes\"") + Item("n", "INTEGER", "min: 1 max: 5") +
              Item("types", "MULTI_CHOICE", "vocabulary: \"kinds\"") + Item("when", "DATE") +
              Item("free", "TEXT") +
              Item("kids", "GROUP",
                   "max_blocks: 2 enabled_when: \"safe_to_ask != no\" " +
                       Item("age", "INTEGER", "max: 17 required: true") +
                       YesNo("saw", "enabled_when: \"age >= 3\" required: true"))) +
      Score("yes_count", "count(yes, q1..q3)") + Judgement("assessor", "required: true") +
      "client_estimate: true\n"));
  return inst;
}

std::shared_ptr<const Instrument> Plain() {
  static const auto inst = MustLoad(Def(Section("s", YesNo("q1"))));
  return inst;
}

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

void RequireOk(const Status& st) {
  INFO(st.ToString());
  REQUIRE(st.ok());
}

void RequireFail(const Status& st, StatusCode code, std::string_view message) {
  INFO(st.ToString());
  REQUIRE_FALSE(st.ok());
  CHECK(st.code() == code);
  CHECK(st.message() == message);
}

}  // namespace

TEST_CASE("visibility follows enabled_when, in item order", "[session][visibility]") {
  Session s(Inst());
  CHECK(s.VisibleItems() == Strings{"safe_to_ask", "n", "types", "when", "free", "kids"});
  RequireOk(s.SetCode("safe_to_ask", "yes"));
  CHECK(s.VisibleItems() ==
        Strings{"safe_to_ask", "q1", "q2", "n", "types", "when", "free", "kids"});
  RequireOk(s.SetCode("q2", "yes"));
  CHECK(s.VisibleItems() ==
        Strings{"safe_to_ask", "q1", "q2", "q3", "n", "types", "when", "free", "kids"});
  CHECK(s.IsEnabled(Inst()->ItemIndex("q3")));
  RequireOk(s.SetCode("safe_to_ask", "no"));
  // q3 follows q2 out of view: a chain of conditions.
  CHECK(s.VisibleItems() == Strings{"safe_to_ask", "reason", "n", "types", "when", "free"});
  CHECK_FALSE(s.IsEnabled(Inst()->ItemIndex("q3")));
  CHECK_FALSE(s.IsEnabled(-1));
  CHECK_FALSE(s.IsEnabled(999));
  RequireOk(s.Clear("safe_to_ask"));
  CHECK(s.VisibleItems() == Strings{"safe_to_ask", "n", "types", "when", "free", "kids"});
}

TEST_CASE("answering a disabled item is refused", "[session][visibility]") {
  Session s(Inst());
  RequireFail(s.SetCode("reason", "not_alone"), StatusCode::kFailedPrecondition,
              "reason: the question does not apply now");
  RequireFail(s.SetCode("q1", "yes"), StatusCode::kFailedPrecondition,
              "q1: the question does not apply now");
  CHECK(s.answers().answers().empty());
}

TEST_CASE("answers to items that became disabled are kept but ignored", "[session][visibility]") {
  Session s(Inst());
  RequireOk(s.SetCode("safe_to_ask", "yes"));
  RequireOk(s.SetCode("q1", "yes"));
  RequireOk(s.SetCode("q2", "yes"));
  RequireOk(s.SetCode("q3", "yes"));
  auto before = Evaluate(s);
  REQUIRE(before.ok());
  CHECK(before->scores().at("yes_count") == 3);
  CHECK(before->ignored_items().empty());

  RequireOk(s.SetCode("safe_to_ask", "no"));
  CHECK(s.answers().answers().count("q1") == 1);
  CHECK(s.answers().answers().count("q3") == 1);
  auto after = Evaluate(s);
  REQUIRE(after.ok());
  CHECK(after->scores().at("yes_count") == 0);
  CHECK(Strings(after->ignored_items().begin(), after->ignored_items().end()) ==
        Strings{"q1", "q2", "q3"});
  REQUIRE(after->explanation_size() > 0);
  const auto& last = after->explanation(after->explanation_size() - 1);
  CHECK(last.rule() == "enabled_when");
  CHECK(Strings(last.items().begin(), last.items().end()) == Strings{"q1", "q2", "q3"});
  CHECK(last.text().find("räknades inte") != std::string::npos);
  // The newly enabled required item is now missing.
  CHECK(s.MissingRequired() == Strings{"reason"});
  // Enabling them again brings the kept answers back into scoring.
  RequireOk(s.SetCode("safe_to_ask", "yes"));
  auto again = Evaluate(s);
  REQUIRE(again.ok());
  CHECK(again->scores().at("yes_count") == 3);
}

TEST_CASE("required items, progress and finishing", "[session][required]") {
  Session s(Inst());
  Progress p = s.GetProgress();
  CHECK(p.enabled == 6);
  CHECK(p.answered == 0);
  CHECK(p.required_missing == 1);
  CHECK(s.MissingRequired() == Strings{"safe_to_ask"});
  CHECK(s.MissingJudgements() == Strings{"assessor"});
  RequireFail(s.CheckFinishable(), StatusCode::kFailedPrecondition,
              "cannot be finished: required answers missing (safe_to_ask); judgements missing "
              "(assessor)");

  RequireOk(s.SetCode("safe_to_ask", "yes"));
  p = s.GetProgress();
  CHECK(p.enabled == 8);
  CHECK(p.answered == 1);
  CHECK(p.required_missing == 1);
  CHECK(s.MissingRequired() == Strings{"q1"});
  RequireOk(s.SetCode("q1", "unknown"));  // unknown is an answer
  CHECK(s.MissingRequired().empty());
  CHECK(s.GetProgress().answered == 2);
  RequireFail(s.CheckFinishable(), StatusCode::kFailedPrecondition,
              "cannot be finished: judgements missing (assessor)");
  RequireOk(s.SetJudgement("assessor", "medium", "Skäl i testet."));
  RequireOk(s.CheckFinishable());
  // A disabled required item is not missing; an answer to a disabled item is not progress.
  RequireOk(s.SetCode("safe_to_ask", "no"));
  CHECK(s.MissingRequired() == Strings{"reason"});
  p = s.GetProgress();
  CHECK(p.answered == 1);
  CHECK(p.required_missing == 1);
  RequireFail(s.CheckFinishable(), StatusCode::kFailedPrecondition,
              "cannot be finished: required answers missing (reason)");
}

TEST_CASE("values are checked against the item's type", "[session][values]") {
  Session s(Inst());
  RequireOk(s.SetCode("safe_to_ask", "yes"));
  RequireFail(s.SetCode("safe_to_ask", "unknown"), StatusCode::kInvalidArgument,
              "safe_to_ask: not one of the offered codes (yes, no)");
  RequireFail(s.SetCode("q1", "ja"), StatusCode::kInvalidArgument,
              "q1: not one of the offered codes (yes, no, unknown)");
  RequireFail(s.SetInteger("q1", 1), StatusCode::kInvalidArgument,
              "q1: expected yes, no or unknown");
  RequireFail(s.SetCode("n", "3"), StatusCode::kInvalidArgument, "n: expected a whole number");
  RequireFail(s.SetInteger("n", 0), StatusCode::kInvalidArgument, "n: out of range (1..5)");
  RequireFail(s.SetInteger("n", 6), StatusCode::kInvalidArgument, "n: out of range (1..5)");
  RequireOk(s.SetInteger("n", 5));
  RequireFail(s.Set("types", Codes({"physical", "physical"})), StatusCode::kInvalidArgument,
              "types: a code is given twice");
  RequireFail(s.Set("types", Codes({"nope"})), StatusCode::kInvalidArgument,
              "types: not one of the offered codes (physical, economic, other)");
  RequireFail(s.SetCode("types", "physical"), StatusCode::kInvalidArgument,
              "types: expected a list of codes");
  RequireOk(s.Set("types", Codes({"economic", "physical"})));
  RequireOk(s.Set("types", Codes({})));  // an empty list is an answer
  RequireOk(s.Set("when", Date("2024-02-29")));
  for (const char* bad : {"2023-02-29", "2024-1-01", "2024-13-01", "1899-12-31", "2024-04-31"}) {
    INFO(bad);
    RequireFail(s.Set("when", Date(bad)), StatusCode::kInvalidArgument,
                "when: expected a date YYYY-MM-DD");
  }
  RequireOk(s.Set("free", Text("Fri text på svenska.")));
  RequireFail(s.Set("free", Text("a\u202Eb")), StatusCode::kInvalidArgument,
              "free: the text contains bidirectional control characters");
  RequireFail(s.Set("free", Text("a\x07"
                                 "b")),
              StatusCode::kInvalidArgument, "free: the text contains control characters");
  RequireFail(s.Set("free", Text("\xC3\x28")), StatusCode::kInvalidArgument,
              "free: the text is not valid UTF-8");
  RequireFail(s.Set("free", Text(std::string(10001, 'x'))), StatusCode::kInvalidArgument,
              "free: the text is longer than 10000 characters");
  RequireOk(s.Set("free", Text(std::string(10000, 'x'))));
  RequireFail(s.SetCode("nope", "yes"), StatusCode::kNotFound, "unknown item 'nope'");
  RequireFail(s.Clear("nope"), StatusCode::kNotFound, "unknown item 'nope'");
  RequireFail(s.SetInteger("age", 3), StatusCode::kInvalidArgument,
              "age: belongs to group 'kids' and is answered per block");
  // A refused value leaves the previous answer in place.
  CHECK(s.answers().answers().at("n").integer() == 5);
}

TEST_CASE("factor and protective codes", "[session][values]") {
  Session s(EveryType());
  RequireOk(s.Set("factor", Spj("present", "absent")));
  RequireOk(s.Set("factor", Spj("insufficient", "")));  // history not given yet
  RequireFail(s.SetCode("factor", "present"), StatusCode::kInvalidArgument,
              "factor: expected {\"current\": code, \"history\": code}");
  RequireFail(s.Set("factor", Spj("", "")), StatusCode::kInvalidArgument,
              "factor: expected {\"current\": code, \"history\": code}");
  RequireFail(s.Set("factor", Spj("yes", "absent")), StatusCode::kInvalidArgument,
              "factor: not one of the factor codes (present, partial, absent, insufficient)");
  RequireOk(s.SetInteger("shield", 2));
  RequireOk(s.SetCode("shield", "unknown"));
  RequireFail(s.SetInteger("shield", 3), StatusCode::kInvalidArgument,
              "shield: expected 0, 1, 2 or unknown");
  RequireFail(s.SetCode("shield", "2"), StatusCode::kInvalidArgument,
              "shield: expected 0, 1, 2 or unknown");
}

TEST_CASE("repeat groups: blocks, limits, per-block conditions", "[session][groups]") {
  Session s(Inst());
  auto b0 = s.AddBlock("kids");
  REQUIRE(b0.ok());
  CHECK(*b0 == 0);
  auto b1 = s.AddBlock("kids");
  REQUIRE(b1.ok());
  CHECK(*b1 == 1);
  auto b2 = s.AddBlock("kids");
  REQUIRE_FALSE(b2.ok());
  CHECK(b2.status().code() == StatusCode::kInvalidArgument);
  CHECK(b2.status().message() == "kids: at most 2 blocks");

  RequireOk(s.SetInBlock("kids", 0, "age", Int(5)));
  // Block 2 has no age yet, so its `saw` does not apply.
  RequireFail(s.SetInBlock("kids", 1, "saw", Code("yes")), StatusCode::kFailedPrecondition,
              "saw: the question does not apply now");
  RequireOk(s.SetInBlock("kids", 0, "saw", Code("unknown")));
  RequireFail(s.SetInBlock("kids", 1, "age", Int(18)), StatusCode::kInvalidArgument,
              "kids block 2: age: out of range (0..17)");
  RequireFail(s.SetInBlock("kids", 2, "age", Int(1)), StatusCode::kNotFound, "kids: no block 3");
  RequireFail(s.SetInBlock("kids", 0, "q1", Code("yes")), StatusCode::kNotFound,
              "kids: no item 'q1' in the group");
  RequireFail(s.SetInBlock("nope", 0, "age", Int(1)), StatusCode::kNotFound, "unknown item 'nope'");
  CHECK(s.MissingRequired() == Strings{"safe_to_ask", "kids[2].age"});
  RequireOk(s.SetInBlock("kids", 1, "age", Int(2)));
  CHECK(s.MissingRequired() == Strings{"safe_to_ask"});
  RequireOk(s.SetInBlock("kids", 1, "age", Int(7)));  // now `saw` applies in block 2
  CHECK(s.MissingRequired() == Strings{"safe_to_ask", "kids[2].saw"});

  const auto& blocks = s.answers().answers().at("kids").blocks();
  REQUIRE(blocks.blocks_size() == 2);
  CHECK(blocks.blocks(0).answers().at("age").integer() == 5);
  CHECK(blocks.blocks(0).answers().at("saw").code() == "unknown");
  CHECK(blocks.blocks(1).answers().at("age").integer() == 7);

  RequireOk(s.RemoveBlock("kids", 0));
  REQUIRE(s.answers().answers().at("kids").blocks().blocks_size() == 1);
  CHECK(s.answers().answers().at("kids").blocks().blocks(0).answers().at("age").integer() == 7);
  CHECK(s.MissingRequired() == Strings{"safe_to_ask", "kids[1].saw"});
  RequireFail(s.RemoveBlock("kids", 1), StatusCode::kNotFound, "kids: no block 2");
  RequireFail(s.RemoveBlock("kids", -1), StatusCode::kNotFound, "kids: no block 0");
  auto again = s.AddBlock("kids");  // room again after removing one
  REQUIRE(again.ok());
  CHECK(*again == 1);

  auto not_group = s.AddBlock("q1");
  REQUIRE_FALSE(not_group.ok());
  CHECK(not_group.status().code() == StatusCode::kInvalidArgument);
  CHECK_FALSE(s.AddBlock("nope").ok());
  // A disabled group takes no blocks; its required items are not missing.
  RequireOk(s.SetCode("safe_to_ask", "no"));
  auto disabled = s.AddBlock("kids");
  REQUIRE_FALSE(disabled.ok());
  CHECK(disabled.status().code() == StatusCode::kFailedPrecondition);
  CHECK(s.MissingRequired() == Strings{"reason"});
}

TEST_CASE("notes only where the item allows one", "[session][notes]") {
  Session s(Inst());
  RequireOk(s.SetNote("q1", "En anteckning."));
  CHECK(s.answers().notes().at("q1") == "En anteckning.");
  RequireOk(s.SetNote("reason", "Ett annat skäl."));  // an option needs a note
  RequireFail(s.SetNote("q2", "x"), StatusCode::kInvalidArgument,
              "q2_note: the item takes no note");
  RequireFail(s.SetNote("nope", "x"), StatusCode::kNotFound, "unknown item 'nope'");
  RequireFail(s.SetNote("q1", "a\u2066b"), StatusCode::kInvalidArgument,
              "q1_note: the text contains bidirectional control characters");
  RequireOk(s.SetNote("q1", ""));
  CHECK(s.answers().notes().count("q1") == 0);
  RequireOk(s.SetNote("q1", "Igen."));
  RequireOk(s.SetCode("safe_to_ask", "yes"));
  RequireOk(s.SetCode("q1", "yes"));
  RequireOk(s.Clear("q1"));  // clearing an answer removes its note
  CHECK(s.answers().notes().count("q1") == 0);
  CHECK(s.answers().answers().count("q1") == 0);
}

TEST_CASE("judgements need a known id, a level and a rationale", "[session][judgements]") {
  Session s(Inst());
  RequireFail(s.SetJudgement("assessor", "high", ""), StatusCode::kInvalidArgument,
              "judgements.assessor.rationale: a rationale is required");
  RequireFail(s.SetJudgement("assessor", "high", " \n\t"), StatusCode::kInvalidArgument,
              "judgements.assessor.rationale: a rationale is required");
  RequireFail(s.SetJudgement("assessor", "extreme", "Skäl."), StatusCode::kInvalidArgument,
              "judgements.assessor.level: expected low, medium or high");
  RequireFail(s.SetJudgement("nobody", "high", "Skäl."), StatusCode::kNotFound,
              "judgements.nobody: unknown judgement");
  CHECK(s.answers().judgements().empty());
  RequireOk(s.SetJudgement("assessor", "high", "Skäl."));
  CHECK(s.answers().judgements().at("assessor").level() == "high");
  CHECK(s.MissingJudgements().empty());
}

TEST_CASE("the client's estimate only when the instrument asks for it", "[session]") {
  Session s(Inst());
  RequireOk(s.SetClientEstimate("low"));
  CHECK(s.answers().client_estimate().level() == "low");
  RequireFail(s.SetClientEstimate("none"), StatusCode::kInvalidArgument,
              "client_estimate.level: expected low, medium or high");
  Session plain(Plain());
  RequireFail(plain.SetClientEstimate("low"), StatusCode::kInvalidArgument,
              "client_estimate: this instrument does not record the client's estimate");
  CHECK_FALSE(plain.answers().has_client_estimate());
}

TEST_CASE("overrides are validated against the instrument", "[session][override]") {
  SECTION("no level to override") {
    Session s(Inst());
    RequireFail(s.SetOverride("high", "Skäl.", v1::ASSESSOR), StatusCode::kInvalidArgument,
                "override: this instrument has no level to override");
  }
  SECTION("banded") {
    Session s(EveryType());
    RequireFail(s.SetOverride("extreme", "Skäl.", v1::ASSESSOR), StatusCode::kInvalidArgument,
                "override.band: not a band of this instrument");
    RequireFail(s.SetOverride("high", "  ", v1::ASSESSOR), StatusCode::kInvalidArgument,
                "override.reason: a reason is required");
    RequireFail(s.SetOverride("high", "a\u202Eb", v1::ASSESSOR), StatusCode::kInvalidArgument,
                "override.reason: the text contains bidirectional control characters");
    CHECK_FALSE(s.answers().has_override());
    RequireOk(s.SetOverride("high", "Skäl.", v1::SUPERVISOR));
    CHECK(s.answers().override().band() == "high");
    CHECK(s.answers().override().by() == v1::SUPERVISOR);
    s.ClearOverride();
    CHECK_FALSE(s.answers().has_override());
  }
  SECTION("SPJ: a level") {
    Session s(MustLoad(Def(
        Section("s", Item("f", "SPJ_FACTOR")) + Judgement("risk", "required: true is_final: true"),
        "STRUCTURED_PROFESSIONAL_JUDGEMENT")));
    RequireFail(s.SetOverride("extreme", "Skäl.", v1::ASSESSOR), StatusCode::kInvalidArgument,
                "override.band: expected low, medium or high");
    RequireOk(s.SetOverride("high", "Skäl.", v1::ASSESSOR));
  }
}

TEST_CASE("FromProto rebuilds the same session", "[session][proto]") {
  Session s(Inst());
  s.set_id("fall-1");
  RequireOk(s.SetCode("safe_to_ask", "yes"));
  RequireOk(s.SetCode("q1", "yes"));
  RequireOk(s.SetCode("q2", "unknown"));
  RequireOk(s.SetNote("q1", "Anteckning."));
  RequireOk(s.SetInteger("n", 3));
  RequireOk(s.Set("types", Codes({"other"})));
  auto b = s.AddBlock("kids");
  REQUIRE(b.ok());
  RequireOk(s.SetInBlock("kids", 0, "age", Int(9)));
  RequireOk(s.SetInBlock("kids", 0, "saw", Code("yes")));
  RequireOk(s.SetJudgement("assessor", "medium", "Skäl."));
  RequireOk(s.SetClientEstimate("low"));

  auto copy = Session::FromProto(Inst(), s.answers());
  INFO(copy.status().ToString());
  REQUIRE(copy.ok());
  CHECK(google::protobuf::util::MessageDifferencer::Equals(copy->answers(), s.answers()));
  CHECK(copy->answers().id() == "fall-1");
  CHECK(copy->VisibleItems() == s.VisibleItems());
  CHECK(copy->MissingRequired() == s.MissingRequired());
  auto r1 = Evaluate(s);
  auto r2 = Evaluate(*copy);
  REQUIRE(r1.ok());
  REQUIRE(r2.ok());
  CHECK(google::protobuf::util::MessageDifferencer::Equals(*r1, *r2));
}

TEST_CASE("FromProto keeps answers to disabled items and validates the rest", "[session][proto]") {
  v1::Answers a;
  (*a.mutable_answers())["safe_to_ask"] = Code("no");
  (*a.mutable_answers())["q1"] = Code("yes");
  auto s = Session::FromProto(Inst(), a);
  REQUIRE(s.ok());
  CHECK(s->answers().answers().count("q1") == 1);
  auto r = Evaluate(*s);
  REQUIRE(r.ok());
  CHECK(Strings(r->ignored_items().begin(), r->ignored_items().end()) == Strings{"q1"});

  SECTION("an unknown item") {
    (*a.mutable_answers())["zz"] = Code("yes");
    auto bad = Session::FromProto(Inst(), a);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.status().code() == StatusCode::kInvalidArgument);
    CHECK(bad.status().message() == "answers.zz: unknown item");
  }
  SECTION("a bad value") {
    (*a.mutable_answers())["n"] = Int(9);
    auto bad = Session::FromProto(Inst(), a);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.status().message() == "answers.n: out of range (1..5)");
  }
  SECTION("a note where none is allowed") {
    (*a.mutable_notes())["q2"] = "x";
    auto bad = Session::FromProto(Inst(), a);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.status().message() == "answers.q2_note: the item takes no note");
  }
  SECTION("a block with an unknown item") {
    v1::AnswerValue blocks;
    (*blocks.mutable_blocks()->add_blocks()->mutable_answers())["q1"] = Code("yes");
    (*a.mutable_answers())["kids"] = blocks;
    auto bad = Session::FromProto(Inst(), a);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.status().message() == "answers.kids: block 1: unknown item 'q1'");
  }
  SECTION("too many blocks") {
    v1::AnswerValue blocks;
    for (int i = 0; i < 3; ++i) blocks.mutable_blocks()->add_blocks();
    (*a.mutable_answers())["kids"] = blocks;
    auto bad = Session::FromProto(Inst(), a);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.status().message() == "answers.kids: at most 2 blocks");
  }
  SECTION("a judgement without rationale") {
    (*a.mutable_judgements())["assessor"].set_level("low");
    auto bad = Session::FromProto(Inst(), a);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.status().message() == "judgements.assessor.rationale: a rationale is required");
  }
}

TEST_CASE("a copied session is independent", "[session]") {
  Session s(Inst());
  RequireOk(s.SetCode("safe_to_ask", "yes"));
  Session copy = s;
  RequireOk(copy.SetCode("safe_to_ask", "no"));
  CHECK(s.answers().answers().at("safe_to_ask").code() == "yes");
  CHECK(s.IsEnabled(Inst()->ItemIndex("q1")));
  CHECK_FALSE(copy.IsEnabled(Inst()->ItemIndex("q1")));
  Session moved = std::move(copy);
  CHECK(moved.answers().answers().at("safe_to_ask").code() == "no");
  s = moved;
  CHECK(s.answers().answers().at("safe_to_ask").code() == "no");
}
