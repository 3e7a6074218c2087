// The JSON forms of CONTRACTS.md: answers in (errors name the key, never the value) and
// results out (shape and key order).
#include <screening/json.h>
#include <screening/version.h>

#include <google/protobuf/util/message_differencer.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "test_support.h"

using namespace screening;
using namespace screening::test;
using Strings = std::vector<std::string>;

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

// A value that must never appear in an error message.
constexpr const char* kMarker = "Zq7SecretMarker";

// Parses `json`, requires failure and returns the message, which must not quote the marker.
std::string ErrorOf(const std::string& json) {
  auto r = ParseAnswersJson(EveryType(), json);
  INFO(json);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kInvalidArgument);
  const std::string m = r.status().message();
  INFO("message: " << m);
  CHECK(m.find(kMarker) == std::string::npos);
  CHECK(m.find("Zq7") == std::string::npos);
  return m;
}

std::string With(const std::string& answers) {
  return std::string("{\"answers\": {") + answers + "}}";
}

std::string M(const std::string& s) {  // "s" with the marker in it, as a JSON string
  return "\"" + s + kMarker + "\"";
}

}  // namespace

TEST_CASE("a complete answers document parses", "[json]") {
  const std::string doc = R"({
    "id": "rad-1",
    "answers": {"q1": "yes", "q1_note": "en anteckning", "q2": "unknown", "q3": "no",
                "place": "elsewhere", "place_note": "ute", "kinds": ["physical", "economic"],
                "count_n": 4, "when": "2024-05-01", "free": "fri text", "shield": "unknown",
                "factor": {"current": "present", "history": "absent"},
                "kids": [{"age": 6, "saw": "yes", "saw_note": "x"}, {"age": 1}]},
    "judgements": {"assessor": {"level": "high", "rationale": "skäl"}},
    "client_estimate": {"level": "low"},
    "override": {"band": "high", "reason": "oro", "by": "assessor"}
  })";
  auto r = ParseAnswersJson(EveryType(), doc);
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  const auto& a = r->answers();
  CHECK(a.id() == "rad-1");
  CHECK(a.answers().at("q1").code() == "yes");
  CHECK(a.notes().at("q1") == "en anteckning");
  CHECK(a.notes().at("place") == "ute");
  CHECK(a.answers().at("count_n").integer() == 4);
  CHECK(a.answers().at("kinds").codes().codes_size() == 2);
  CHECK(a.answers().at("factor").spj().history() == "absent");
  CHECK(a.answers().at("kids").blocks().blocks_size() == 2);
  CHECK(a.answers().at("kids").blocks().blocks(0).notes().at("saw") == "x");
  CHECK(a.judgements().at("assessor").rationale() == "skäl");
  CHECK(a.client_estimate().level() == "low");
  CHECK(a.override().band() == "high");
  CHECK(a.override().by() == v1::ASSESSOR);
  // A numeric id is kept as its text.
  auto n = ParseAnswersJson(EveryType(), R"({"id": 42, "answers": {}})");
  REQUIRE(n.ok());
  CHECK(n->answers().id() == "42");
  // null means "no answer".
  auto nul = ParseAnswersJson(EveryType(), R"({"answers": {"q1": null}, "override": null})");
  REQUIRE(nul.ok());
  CHECK(nul->answers().answers().empty());
}

TEST_CASE("answers errors name the key and never the value", "[json][errors]") {
  CHECK(ErrorOf(With("\"q1\": 5")) == "answers.q1: expected \"yes\", \"no\" or \"unknown\"");
  CHECK(ErrorOf(With("\"q1\": " + M("maybe"))) ==
        "answers.q1: not one of the offered codes (yes, no, unknown)");
  CHECK(ErrorOf(With("\"place\": " + M(""))) ==
        "answers.place: not one of the offered codes (home, elsewhere)");
  CHECK(ErrorOf(With("\"kinds\": [" + M("") + "]")) ==
        "answers.kinds: not one of the offered codes (physical, economic)");
  CHECK(ErrorOf(With("\"kinds\": \"physical\"")) == "answers.kinds: expected a list of codes");
  CHECK(ErrorOf(With("\"kinds\": [1]")) == "answers.kinds: expected a list of codes (text)");
  CHECK(ErrorOf(With("\"count_n\": 3.0")) == "answers.count_n: expected a whole number");
  CHECK(ErrorOf(With("\"count_n\": 2.5")) == "answers.count_n: expected a whole number");
  CHECK(ErrorOf(With("\"count_n\": \"3\"")) == "answers.count_n: expected a whole number");
  CHECK(ErrorOf(With("\"count_n\": 21")) == "answers.count_n: out of range (0..20)");
  CHECK(ErrorOf(With("\"count_n\": 18446744073709551615")) == "answers.count_n: out of range");
  CHECK(ErrorOf(With("\"when\": " + M("2024-"))) == "answers.when: expected a date YYYY-MM-DD");
  CHECK(ErrorOf(With("\"shield\": " + M(""))) == "answers.shield: expected 0, 1, 2 or unknown");
  CHECK(ErrorOf(With("\"shield\": true")) == "answers.shield: expected 0, 1, 2 or \"unknown\"");
  CHECK(ErrorOf(With("\"factor\": \"present\"")) ==
        "answers.factor: expected {\"current\": code, \"history\": code}");
  CHECK(ErrorOf(With("\"factor\": {\"now\": \"present\"}")) ==
        "answers.factor: expected {\"current\": code, \"history\": code}");
  CHECK(ErrorOf(With("\"factor\": {\"current\": " + M("") + "}")) ==
        "answers.factor: not one of the factor codes (present, partial, absent, insufficient)");
  CHECK(ErrorOf(With("\"free\": 7")) == "answers.free: expected text");
  CHECK(ErrorOf(With("\"q2_note\": " + M(""))) == "answers.q2_note: the item takes no note");
  CHECK(ErrorOf(With("\"q1_note\": 3")) == "answers.q1_note: expected text");
}

TEST_CASE("unknown keys and items are errors naming them", "[json][errors]") {
  CHECK(ErrorOf(R"({"answerz": {}})") == "unknown key 'answerz'");
  CHECK(ErrorOf(With("\"zz\": " + M(""))) == "answers.zz: unknown item");
  CHECK(ErrorOf(With("\"zz_note\": " + M(""))) == "answers.zz_note: unknown item");
  CHECK(ErrorOf(With("\"age\": 3")) == "answers.age: belongs to group 'kids'");
  CHECK(ErrorOf(R"({"answers": []})") == "answers: expected an object");
  CHECK(ErrorOf("[1, 2]") == "expected a JSON object");
  CHECK(ErrorOf(R"({"id": [1]})") == "id: expected text or a number");
  CHECK(ErrorOf(R"({"judgements": {"assessor": {"level": "high", "why": "x"}}})") ==
        "judgements.assessor: unknown key 'why'");
  CHECK(ErrorOf(R"({"judgements": {"assessor": {"rationale": "x"}}})") ==
        "judgements.assessor.level: missing");
  CHECK(ErrorOf(std::string(R"({"judgements": {"assessor": {"level": )") + M("") +
                R"(, "rationale": "x"}}})") ==
        "judgements.assessor.level: expected low, medium or high");
  CHECK(ErrorOf(R"({"client_estimate": {"level": "low", "rationale": "x"}})") ==
        "client_estimate: unknown key 'rationale'");
  CHECK(ErrorOf(R"({"client_estimate": "low"})") == "client_estimate: expected an object");
  CHECK(ErrorOf(R"({"override": {"band": "high", "reason": "x", "by": "boss"}})") ==
        "override.by: expected \"assessor\" or \"supervisor\"");
  CHECK(ErrorOf(R"({"override": {"band": "high", "reason": "x", "when": 1}})") ==
        "override: unknown key 'when'");
  CHECK(ErrorOf(std::string(R"({"override": {"band": )") + M("") + R"(, "reason": "x"}})") ==
        "override.band: not a band of this instrument");
  CHECK(ErrorOf(R"({"override": {"band": "high"}})") == "override.reason: a reason is required");
  CHECK(ErrorOf(With("\"kids\": [{\"q1\": \"yes\"}]")) ==
        "answers.kids[1].q1: unknown item in this group");
  CHECK(ErrorOf(With("\"kids\": [{\"age\": 3}, 5]")) == "answers.kids[2]: expected an object");
  CHECK(ErrorOf(With("\"kids\": [{\"age\": " + M("") + "}]")) ==
        "answers.kids[1].age: expected a whole number");
  CHECK(ErrorOf(With("\"kids\": {}")) == "answers.kids: expected a list of blocks");
}

// Regression test for a fixed bug: an unknown judgement id in an answers document fails with
// kNotFound (straight from Session::SetJudgement through Session::FromProto), while json.h promises
// kInvalidArgument for unknown keys and ids, and unknown item ids do map to kInvalidArgument.
TEST_CASE("an unknown judgement id is an invalid argument", "[json][errors]") {
  CHECK(ErrorOf(R"({"judgements": {"nobody": {"level": "high", "rationale": "x"}}})") ==
        "judgements.nobody: unknown judgement");
}

TEST_CASE("duplicate keys are errors at any depth", "[json][errors]") {
  CHECK(ErrorOf(R"({"answers": {}, "answers": {}})") == "duplicate key 'answers'");
  CHECK(ErrorOf(With("\"q1\": \"yes\", \"q1\": \"no\"")) == "duplicate key 'q1'");
  CHECK(ErrorOf(With("\"kids\": [{\"age\": 3, \"age\": 4}]")) == "duplicate key 'age'");
  CHECK(
      ErrorOf(
          R"({"judgements": {"assessor": {"level": "low", "level": "high", "rationale": "x"}}})") ==
      "duplicate key 'level'");
  // The same key in two different objects is fine.
  auto ok = ParseAnswersJson(EveryType(), R"({"answers": {"kids": [{"age": 3}, {"age": 4}]}})");
  CHECK(ok.ok());
}

TEST_CASE("invalid JSON and invalid UTF-8 are errors without the text", "[json][errors]") {
  std::string m = ErrorOf(std::string("{\"answers\": {\"free\": \"") + kMarker);
  CHECK(m.rfind("invalid JSON at byte ", 0) == 0);
  m = ErrorOf(std::string("{\"answers\": {\"free\": \"") + kMarker + "\xC3\x28\"}}");
  CHECK(m.rfind("invalid JSON at byte ", 0) == 0);
  m = ErrorOf(std::string("{\"answers\": {\"q1\": \"yes\",}}"));
  CHECK(m.rfind("invalid JSON at byte ", 0) == 0);
  CHECK(ErrorOf("").rfind("invalid JSON", 0) == 0);
}

TEST_CASE("bytes after the document are refused, after a NUL byte too", "[json][errors]") {
  // nlohmann's reader takes a NUL byte for the end of the input: without a check of its own
  // `{...}\0anything` would pass as `{...}`.
  const std::string doc = With("\"q1\": \"yes\"");
  REQUIRE(ParseAnswersJson(EveryType(), doc).ok());
  std::string m = ErrorOf(doc + std::string("\0", 1) + kMarker);
  CHECK(m == "invalid JSON at byte " + std::to_string(doc.size() + 1) + " (a NUL byte)");
  ErrorOf(doc + std::string("\0", 1));
  ErrorOf(doc + " x");
  ErrorOf(doc + doc);
  // Whitespace after the document is no trailing content.
  CHECK(ParseAnswersJson(EveryType(), doc + " \n\t").ok());
}

TEST_CASE("bidirectional overrides and control characters in free text are refused",
          "[json][errors]") {
  CHECK(ErrorOf(With("\"free\": \"abc\\u202E" + std::string(kMarker) + "\"")) ==
        "answers.free: the text contains bidirectional control characters");
  CHECK(ErrorOf(With("\"free\": \"abc\u202E" + std::string(kMarker) + "\"")) ==
        "answers.free: the text contains bidirectional control characters");
  CHECK(ErrorOf(With("\"q1_note\": \"\\u2067" + std::string(kMarker) + "\"")) ==
        "answers.q1_note: the text contains bidirectional control characters");
  CHECK(ErrorOf(With("\"free\": \"a\\u0007" + std::string(kMarker) + "\"")) ==
        "answers.free: the text contains control characters");
  CHECK(ErrorOf(R"({"judgements": {"assessor": {"level": "high", "rationale": "\u202E)" +
                std::string(kMarker) + "\"}}}") ==
        "judgements.assessor.rationale: the text contains bidirectional control characters");
  CHECK(ErrorOf(R"({"override": {"band": "high", "reason": "\u202D)" + std::string(kMarker) +
                "\"}}") == "override.reason: the text contains bidirectional control characters");
  CHECK(ErrorOf(With("\"kids\": [{\"saw_note\": \"\\u202E" + std::string(kMarker) + "\"}]")) ==
        "answers.kids: block 1: note for 'saw': the text contains bidirectional control "
        "characters");
  // Ordinary Swedish text and line breaks are fine.
  CHECK(ParseAnswersJson(EveryType(), With("\"free\": \"Åsa såg\\növer ängen\"")).ok());
}

TEST_CASE("codes not offered and disabled answers", "[json]") {
  // q3a is disabled (q3 is not yes) but its answer is kept and ignored.
  auto r = ParseAnswersJson(EveryType(), With("\"q3\": \"no\", \"q3a\": \"yes\""));
  REQUIRE(r.ok());
  auto result = Evaluate(*r);
  REQUIRE(result.ok());
  CHECK(Strings(result->ignored_items().begin(), result->ignored_items().end()) == Strings{"q3a"});
}

TEST_CASE("AnswersToJson round-trips with ParseAnswersJson", "[json][roundtrip]") {
  const std::string doc = R"({
    "id": "rad-2",
    "answers": {"q1": "yes", "q1_note": "not", "place": "home", "kinds": ["economic"],
                "count_n": 0, "when": "2024-02-29", "free": "text", "shield": 2,
                "factor": {"current": "insufficient"},
                "kids": [{"age": 4, "saw": "no"}, {}]},
    "judgements": {"assessor": {"level": "medium", "rationale": "skäl"}},
    "client_estimate": {"level": "high"},
    "override": {"band": "high", "reason": "oro", "by": "supervisor"}
  })";
  auto first = ParseAnswersJson(EveryType(), doc);
  INFO(first.status().ToString());
  REQUIRE(first.ok());
  const std::string out = AnswersToJson(first->answers());
  auto second = ParseAnswersJson(EveryType(), out);
  INFO(out);
  INFO(second.status().ToString());
  REQUIRE(second.ok());
  CHECK(google::protobuf::util::MessageDifferencer::Equals(first->answers(), second->answers()));
  CHECK(AnswersToJson(second->answers()) == out);
  auto j = nlohmann::json::parse(out);
  CHECK(j.at("answers").at("q1_note") == "not");
  CHECK(j.at("answers").at("shield") == 2);
  CHECK(j.at("answers").at("kids").size() == 2);
  CHECK(j.at("override").at("by") == "supervisor");
  // No id, no judgements: those keys are left out.
  auto bare = nlohmann::json::parse(AnswersToJson(v1::Answers()));
  CHECK(bare == nlohmann::json::parse(R"({"answers": {}})"));
}

TEST_CASE("ResultToJson has the contract's shape and key order", "[json][result]") {
  auto s =
      ParseAnswersJson(EveryType(),
                       R"({"id": "rad-3", "answers": {"q1": "yes", "q2": "yes", "q3": "unknown"},
          "judgements": {"assessor": {"level": "high", "rationale": "skäl"}},
          "client_estimate": {"level": "low"}})");
  REQUIRE(s.ok());
  auto r = Evaluate(*s);
  REQUIRE(r.ok());
  const std::string text = ResultToJson(*r);
  CHECK(text.find('\n') == std::string::npos);
  auto j = nlohmann::ordered_json::parse(text);
  Strings keys;
  for (const auto& [k, v] : j.items()) keys.push_back(k);
  const Strings want{"id",
                     "instrument",
                     "complete",
                     "unknown_count",
                     "unanswered_count",
                     "scores",
                     "band",
                     "band_certain",
                     "final_level",
                     "overridden",
                     "judgements",
                     "client_estimate",
                     "flags",
                     "recommendations",
                     "explanation"};
  CHECK(keys == want);
  Strings ikeys;
  for (const auto& [k, v] : j.at("instrument").items()) ikeys.push_back(k);
  CHECK(ikeys == Strings{"id", "version", "sha256", "text_sha256", "engine"});
  CHECK(j.at("id") == "rad-3");
  CHECK(j.at("instrument").at("id") == "every_type");
  CHECK(j.at("instrument").at("sha256") == EveryType()->logic_sha256());
  CHECK(j.at("instrument").at("engine") == EngineVersion());
  CHECK(j.at("complete") == false);
  CHECK(j.at("unknown_count") == 1);
  CHECK(j.at("scores") == nlohmann::ordered_json::parse(R"({"yes_count": 2})"));
  CHECK(j.at("band") == "high");
  CHECK(j.at("band_certain") == true);
  CHECK(j.at("final_level") == "high");
  CHECK(j.at("overridden") == false);
  CHECK(j.at("judgements").at("assessor").at("level") == "high");
  CHECK(j.at("judgements").at("assessor").at("rationale") == "skäl");
  CHECK(j.at("client_estimate") == nlohmann::ordered_json::parse(R"({"level": "low"})"));
  CHECK(j.at("flags") == nlohmann::ordered_json::parse(R"(["estimate_mismatch"])"));
  CHECK(j.at("recommendations") ==
        nlohmann::ordered_json::parse(R"(["protection_assessment", "support_information"])"));
  REQUIRE(j.at("explanation").is_array());
  Strings ekeys;
  for (const auto& [k, v] : j.at("explanation").at(0).items()) ekeys.push_back(k);
  CHECK(ekeys == Strings{"rule", "items", "text"});
  CHECK(j.at("explanation").at(0).at("items") == nlohmann::ordered_json::parse(R"(["q1", "q2"])"));
  // Nothing required is missing, nothing ignored: those keys are left out.
  CHECK_FALSE(j.contains("missing_required"));
  CHECK_FALSE(j.contains("ignored_items"));
  // Pretty output is the same document.
  CHECK(nlohmann::ordered_json::parse(ResultToJson(*r, true)) == j);
}

TEST_CASE("ResultToJson: nulls for no band, no estimate, no id when none was given",
          "[json][result]") {
  auto inst = MustLoad(Def(
      Section("s", Item("f", "SPJ_FACTOR")) + Judgement("risk", "required: true is_final: true"),
      "STRUCTURED_PROFESSIONAL_JUDGEMENT"));
  Session s(inst);
  auto r = Evaluate(s);
  REQUIRE(r.ok());
  auto j = nlohmann::ordered_json::parse(ResultToJson(*r));
  CHECK(j.begin().key() == "instrument");
  CHECK_FALSE(j.contains("id"));
  CHECK(j.at("band").is_null());
  CHECK(j.at("final_level").is_null());
  CHECK(j.at("client_estimate").is_null());
  CHECK(j.at("judgements") == nlohmann::ordered_json::object());
  CHECK(j.at("scores") == nlohmann::ordered_json::object());
  CHECK(j.at("flags") == nlohmann::ordered_json::array());
  CHECK(j.at("missing_judgements") == nlohmann::ordered_json::parse(R"(["risk"])"));
  CHECK_FALSE(j.contains("override"));
  CHECK_FALSE(j.contains("ignored_items"));

  REQUIRE(s.SetJudgement("risk", "low", "skäl").ok());
  REQUIRE(s.SetOverride("high", "oro", v1::ASSESSOR).ok());
  r = Evaluate(s);
  REQUIRE(r.ok());
  j = nlohmann::ordered_json::parse(ResultToJson(*r));
  CHECK(j.at("final_level") == "high");
  CHECK(j.at("overridden") == true);
  CHECK(j.at("override") == nlohmann::ordered_json::parse(
                                R"({"band": "high", "reason": "oro", "by": "assessor",
                                    "direction": "raised"})"));
}
