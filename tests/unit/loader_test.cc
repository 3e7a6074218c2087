// Loading instrument definitions: text-format errors with FILE:LINE:COL (1-based, column in
// characters at the token start) and the domain validation of docs/instruments.md, which
// reports every error, each at its place.
#include <screening/instrument.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "test_support.h"

namespace fs = std::filesystem;
using namespace screening;
using namespace screening::test;

namespace {

const std::string kOneItem = Section("s", YesNo("q1"));

}  // namespace

// ---------------------------------------------------------------------------------------
// Text format

TEST_CASE("a valid inline instrument loads without diagnostics", "[loader]") {
  auto inst = MustLoad(Def(kOneItem));
  CHECK(inst->id() == "t");
  CHECK(inst->version() == "1.0.0");
  REQUIRE(inst->items().size() == 1);
  CHECK(inst->ItemIndex("q1") == 0);
  CHECK(inst->ItemIndex("nope") == -1);
}

TEST_CASE("the test instrument with every item type loads", "[loader]") {
  Diagnostics diags;
  auto r =
      LoadInstrumentFile(TestInstrumentsDir() / "every_type.textproto", TestVocabulary(), &diags);
  INFO(Joined(diags));
  REQUIRE(r.ok());
  const auto& inst = **r;
  // Items in document order, a group's items directly after it.
  std::vector<std::string> ids;
  for (const auto& info : inst.items()) ids.push_back(info.def->id());
  CHECK(ids == std::vector<std::string>{"q1", "q2", "q3", "q3a", "place", "kinds", "count_n",
                                        "when", "free", "factor", "shield", "kids", "age", "saw"});
  const auto& age = inst.items()[static_cast<std::size_t>(inst.ItemIndex("age"))];
  CHECK(age.group == inst.ItemIndex("kids"));
  CHECK(age.section == -1);
  CHECK(inst.items()[static_cast<std::size_t>(inst.ItemIndex("count_n"))].section == 1);
  CHECK(inst.items()[0].codes == std::vector<std::string>{"yes", "no", "unknown"});
  CHECK(inst.items()[static_cast<std::size_t>(inst.ItemIndex("factor"))].codes ==
        std::vector<std::string>{"present", "partial", "absent", "insufficient"});
  CHECK(inst.items()[static_cast<std::size_t>(inst.ItemIndex("place"))].codes ==
        std::vector<std::string>{"home", "elsewhere"});
  CHECK(inst.BandIndex("high") == 1);
  CHECK(inst.BandIndex("nope") == -1);
  CHECK(inst.has_banding());
}

TEST_CASE("a syntax error is located in characters after Swedish letters", "[loader][syntax]") {
  // Line 2: the stray ']' is character 35 (byte 38: å, ä, ö take two bytes each).
  const std::string text =
      "id: \"t\"\n"
      "title { lang: \"sv\" value: \"åäö\" } ]\n";
  Loaded l = Load(text, "syn.textproto");
  REQUIRE_FALSE(l.ok());
  CHECK(l.status.code() == StatusCode::kInvalidArgument);
  REQUIRE(l.diags.size() == 1);
  CHECK(l.diags[0].file == "syn.textproto");
  CHECK(l.diags[0].line == 2);
  CHECK(l.diags[0].column == 35);
  CHECK(l.diags[0].ToString().rfind("syn.textproto:2:35: ", 0) == 0);
}

TEST_CASE("a tab counts as one character in the column", "[loader][syntax]") {
  // Protobuf moves tabs to multiples of 8; the contract counts characters.
  const std::string text = "id: \"t\"\n\tversion: 3\n";
  Loaded l = Load(text);
  REQUIRE(l.diags.size() == 1);
  CHECK(l.diags[0].line == 2);
  CHECK(l.diags[0].column == 11);
  CHECK(l.diags[0].message.find("string") != std::string::npos);
}

TEST_CASE("an unknown field is an error at the field name", "[loader][syntax]") {
  const std::string text = Def(kOneItem) + "title { lang: \"sv\" value: \"Våld\" } colour: 1\n";
  Loaded l = Load(text);
  REQUIRE_FALSE(l.ok());
  REQUIRE(l.diags.size() == 1);
  CHECK(l.diags[0].message.find("colour") != std::string::npos);
  Pos want = Locate(text, "colour:");
  CHECK(l.diags[0].line == want.line);
  CHECK(l.diags[0].column == want.column);
}

TEST_CASE("an unknown field inside an item is an error", "[loader][syntax]") {
  const std::string text = Def(Section("s", YesNo("q1", "weight: 3")));
  Loaded l = Load(text);
  REQUIRE(l.diags.size() == 1);
  CHECK(l.diags[0].message.find("weight") != std::string::npos);
  CHECK(l.diags[0].line == Locate(text, "weight:").line);
}

TEST_CASE("a value of the wrong type is an error at the value", "[loader][syntax]") {
  SECTION("a number for a string") {
    const std::string text = "title { lang: \"sv\" value: \"Hög ålder\" } version: 3\n";
    Loaded l = Load(text);
    REQUIRE(l.diags.size() == 1);
    Pos want = Locate(text, "3\n");
    CHECK(l.diags[0].line == want.line);
    CHECK(l.diags[0].column == want.column);
    CHECK(want.column == 50);  // characters, not bytes (52)
  }
  SECTION("an unknown enum value") {
    const std::string text = "id: \"t\"\nkind: ÄCTUARIAL_X\n";
    Loaded l = Load(text);
    REQUIRE(l.diags.size() == 1);
    CHECK(l.diags[0].line == 2);
  }
  SECTION("a string for a bool") {
    const std::string text = "id: \"t\"\nclient_estimate: \"ja\"\n";
    Loaded l = Load(text);
    REQUIRE(l.diags.size() == 1);
    CHECK(l.diags[0].line == 2);
    CHECK(l.diags[0].column == 18);
  }
}

TEST_CASE("nesting deeper than the limit is an error", "[loader][syntax]") {
  // Item.items is recursive in the schema: 40 levels, one per line.
  std::string nested;
  for (int i = 0; i < 40; ++i) nested += "items {\n";
  for (int i = 0; i < 40; ++i) nested += "}\n";
  const std::string text = "sections {\n" + nested + "}\n";
  Loaded l = Load(text);
  REQUIRE_FALSE(l.ok());
  REQUIRE(l.diags.size() == 1);
  INFO(l.joined());
  CHECK((l.diags[0].message.find("deep") != std::string::npos ||
         l.diags[0].message.find("recursion") != std::string::npos));
  // The limit is 24 messages deep: the error is on one of the opening lines past it,
  // never later than the 40th.
  CHECK(l.diags[0].line >= 20);
  CHECK(l.diags[0].line <= 41);
}

TEST_CASE("nesting within the limit is not a syntax error", "[loader][syntax]") {
  // A group inside a group parses (the validator then rejects the nesting).
  const std::string text =
      Def(Section("s", "items { id: \"g\" type: GROUP text { lang: \"sv\" value: \"G\" } " +
                           Item("h", "GROUP", YesNo("x")) + " }"));
  Loaded l = Load(text);
  REQUIRE_FALSE(l.ok());
  CHECK(l.Find("groups cannot be nested") != nullptr);
}

TEST_CASE("a file larger than the limit is refused before parsing", "[loader][syntax]") {
  std::string text = Def(kOneItem);
  text += "# " + std::string(4 * 1024 * 1024, 'x') + "\n";
  SECTION("from text") {
    Loaded l = Load(text, "big.textproto");
    REQUIRE_FALSE(l.ok());
    CHECK(l.status.code() == StatusCode::kInvalidArgument);
    REQUIRE(l.diags.size() == 1);
    CHECK(l.diags[0].line == 0);
    CHECK(l.diags[0].message.find("too large") != std::string::npos);
    CHECK(l.diags[0].ToString() == "big.textproto: the file is too large");
  }
  SECTION("from a file") {
    fs::path p = fs::temp_directory_path() /
                 ("screening-loader-big-" + std::to_string(::getpid()) + ".textproto");
    {
      std::ofstream out(p, std::ios::binary);
      out << text;
    }
    Diagnostics diags;
    auto r = LoadInstrumentFile(p, TestVocabulary(), &diags);
    fs::remove(p);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == StatusCode::kInvalidArgument);
    REQUIRE(diags.size() == 1);
    CHECK(diags[0].message.find("larger than") != std::string::npos);
  }
}

TEST_CASE("a missing file is an I/O error", "[loader]") {
  Diagnostics diags;
  auto r = LoadInstrumentFile(TestInstrumentsDir() / "does_not_exist.textproto", TestVocabulary(),
                              &diags);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kIoError);
  CHECK(diags.size() == 1);
}

TEST_CASE("invalid UTF-8 is refused", "[loader][syntax]") {
  std::string text = Def(kOneItem);
  text = ReplaceOnce(text, "Ett testinstrument.", "Trasig \xC3\x28 text");
  Loaded l = Load(text);
  REQUIRE_FALSE(l.ok());
  REQUIRE(l.diags.size() == 1);
  CHECK(l.diags[0].message.find("UTF-8") != std::string::npos);
  SECTION("an overlong encoding and a lone continuation byte too") {
    CHECK_FALSE(Load(ReplaceOnce(Def(kOneItem), "Test", "\xC0\xAF")).ok());
    CHECK_FALSE(Load(ReplaceOnce(Def(kOneItem), "Test", "\x80")).ok());
    CHECK_FALSE(Load(ReplaceOnce(Def(kOneItem), "Test", "\xED\xA0\x80")).ok());  // surrogate
  }
}

// ---------------------------------------------------------------------------------------
// Domain validation: every error, each at its place.

TEST_CASE("header errors are all reported", "[loader][validate]") {
  std::string text = Def(kOneItem);
  text = ReplaceOnce(text, "id: \"t\"", "id: \"Bad-Id\"");
  text = ReplaceOnce(text, "version: \"1.0.0\"", "version: \"1.0\"");
  text = ReplaceOnce(text, "kind: CHECKLIST\n", "");
  text = ReplaceOnce(text, "target_group: ADULT_VICTIM\n", "");
  Loaded l = Load(text);
  REQUIRE_FALSE(l.ok());
  RequireAt(l, text, "instrument id 'Bad-Id' must be snake_case", "id: \"Bad-Id\"");
  RequireAt(l, text, "version '1.0' must be MAJOR.MINOR.PATCH", "version:");
  CHECK(l.Find("kind is not set") != nullptr);
  CHECK(l.Find("target_group is not set") != nullptr);
  CHECK(l.status.message().find("4 error(s)") != std::string::npos);
}

TEST_CASE("an instrument without languages or items is rejected", "[loader][validate]") {
  Loaded l = Load(
      "id: \"t\" version: \"1.0.0\" kind: CHECKLIST target_group: ADULT_VICTIM\n"
      "provenance { modelled_on: \"m\" source: \"s\" licence_note: \"l\" scoring_verified: "
      "\"v\" validated_setting: \"vs\" }\n");
  REQUIRE_FALSE(l.ok());
  CHECK(l.Find("no language declared") != nullptr);
  CHECK(l.Find("the instrument has no items") != nullptr);
}

TEST_CASE("duplicate ids among items, scores and flags are all reported", "[loader][validate]") {
  const std::string text = Def(Section("s", YesNo("q1") + YesNo("q1") + YesNo("q2")) +
                               Score("q2", "count(yes, q1)") + Score("sc", "count(yes, q1)") +
                               Flag("sc", "true") + Flag("f1", "true") + Flag("f1", "true"));
  Loaded l = Load(text);
  REQUIRE_FALSE(l.ok());
  RequireAt(l, text, "id 'q1' is used twice", "id: \"q1\"", 0, 1);
  RequireAt(l, text, "score id 'q2' is already used by the item 'q2'", "id: \"q2\"", 0, 1);
  RequireAt(l, text, "flag id 'sc' is already used by", "id: \"sc\"", 0, 1);
  RequireAt(l, text, "flag id 'f1' is already used by", "id: \"f1\"", 0, 1);
  CHECK(l.diags.size() == 4);
}

TEST_CASE("group items share the id space with top-level items", "[loader][validate]") {
  const std::string text =
      Def(Section("s", YesNo("age") + Item("kids", "GROUP", Item("age", "INTEGER", "max: 9"))));
  Loaded l = Load(text);
  REQUIRE_FALSE(l.ok());
  RequireAt(l, text, "id 'age' is used twice", "id: \"age\"", 0, 1);
}

TEST_CASE("duplicate section, judgement, band and recommendation ids", "[loader][validate]") {
  const std::string text =
      Def(Section("s", YesNo("q1")) + Section("s", YesNo("q2")) + Score("c", "count(yes, q1..q2)") +
          Banding("c", RangeBand("b", 0, 0) + RangeBand("b", 1, 2)) + Judgement("j") +
          Judgement("j") + Rec("r") + Rec("r"));
  Loaded l = Load(text);
  REQUIRE_FALSE(l.ok());
  RequireAt(l, text, "section 's' defined twice", "id: \"s\"", 0, 1);
  RequireAt(l, text, "band 'b' defined twice", "id: \"b\"", 0, 1);
  RequireAt(l, text, "judgement 'j' defined twice", "id: \"j\"", 0, 1);
  RequireAt(l, text, "recommendation 'r' defined twice", "id: \"r\"", 0, 1);
}

TEST_CASE("every missing text of a declared language is reported", "[loader][validate]") {
  // Two languages; the helpers write Swedish texts only, so every text kind lacks English.
  std::string text = Def(Section("s", YesNo("q1") + Item("c", "SINGLE_CHOICE", Opt("a"))) +
                             Score("sc", "count(yes, q1)") + Banding("sc", RangeBand("lo", 0, 1)) +
                             Judgement("j") + Flag("f", "true") + Rec("r") +
                             "result_note { lang: \"sv\" value: \"Not\" }\n",
                         "ACTUARIAL", {"sv", "en"});
  text = ReplaceOnce(text, "title { lang: \"en\" value: \"Test\" }\n", "");
  text = ReplaceOnce(text, "description { lang: \"en\" value: \"Ett testinstrument.\" }\n", "");
  Loaded l = Load(text);
  REQUIRE_FALSE(l.ok());
  INFO(l.joined());
  for (const char* want : {"instrument: no title in 'en'", "instrument: no description in 'en'",
                           "instrument: no result_note in 'en'", "section 's': no title in 'en'",
                           "item 'q1': no text in 'en'", "item 'c': no text in 'en'",
                           "item 'c' option 'a': no text in 'en'", "score 'sc': no text in 'en'",
                           "band 'lo': no text in 'en'", "judgement 'j': no text in 'en'",
                           "flag 'f': no text in 'en'", "recommendation 'r': no text in 'en'"}) {
    CHECK(l.Find(want) != nullptr);
  }
  CHECK(l.diags.size() == 12);
  // Located at the field's first entry.
  RequireAt(l, text, "item 'q1': no text", "text { lang: \"sv\" value: \"Fråga q1\"");
  RequireAt(l, text, "instrument: no title in", "title {");
}

TEST_CASE("texts in undeclared languages, twice or empty are errors", "[loader][validate]") {
  const std::string text =
      Def(Section("s",
                  "items { id: \"q1\" type: YES_NO text { lang: \"sv\" value: \"Fråga\" } "
                  "text { lang: \"de\" value: \"Frage\" } help { lang: \"sv\" value: \"a\" } "
                  "help { lang: \"sv\" value: \"b\" } }\n"
                  "items { id: \"q2\" type: YES_NO text { lang: \"sv\" value: \"  \" } }\n"));
  Loaded l = Load(text);
  REQUIRE_FALSE(l.ok());
  RequireAt(l, text, "item 'q1': text in undeclared language 'de'", "text { lang: \"de\"");
  RequireAt(l, text, "item 'q1': two texts in 'sv'", "help { lang: \"sv\" value: \"b\"");
  RequireAt(l, text, "item 'q2': empty text in 'sv'", "text { lang: \"sv\" value: \"  \"");
  CHECK(l.diags.size() == 3);
}

TEST_CASE("missing provenance fields are each reported", "[loader][validate]") {
  std::string text = Def(kOneItem);
  text = ReplaceOnce(text, "source: \"s\" ", "");
  text = ReplaceOnce(text, "licence_note: \"l\" ", "");
  text = ReplaceOnce(text, "validated_setting: \"vs\" ", "validated_setting: \"\" ");
  Loaded l = Load(text);
  REQUIRE_FALSE(l.ok());
  // Fields not written are reported at the provenance block.
  RequireAt(l, text, "provenance.source is empty", "provenance {");
  RequireAt(l, text, "provenance.licence_note is empty", "provenance {");
  RequireAt(l, text, "provenance.validated_setting is empty", "validated_setting:");
  CHECK(l.diags.size() == 3);
  SECTION("no provenance at all") {
    std::string none = Def(kOneItem);
    none = none.substr(0, none.find("provenance {")) +
           none.substr(none.find("}\n", none.find("provenance {")) + 2);
    Loaded n = Load(none);
    REQUIRE_FALSE(n.ok());
    CHECK(n.Find("provenance is missing") != nullptr);
  }
}

TEST_CASE("choice items: options, codes and vocabulary lists", "[loader][validate]") {
  const std::string text = Def(
      Section("s", Item("c1", "SINGLE_CHOICE", Opt("a") + Opt("b") + Opt("a")) +
                       Item("c2", "MULTI_CHOICE", "vocabulary: \"no_such_list\"") +
                       Item("c3", "SINGLE_CHOICE", Opt("Bad Code")) + Item("c4", "SINGLE_CHOICE") +
                       Item("c5", "SINGLE_CHOICE", "vocabulary: \"kinds\" " + Opt("x")) +
                       Item("c6", "MULTI_CHOICE", "vocabulary: \"places\"")));
  Loaded l = Load(text);
  REQUIRE_FALSE(l.ok());
  RequireAt(l, text, "item 'c1': option code 'a' is used twice", "code: \"a\"", 0, 1);
  RequireAt(l, text, "item 'c2': unknown vocabulary list 'no_such_list'", "vocabulary: \"no_");
  RequireAt(l, text, "option code 'Bad Code' must be snake_case", "code: \"Bad Code\"");
  CHECK(l.Find("item 'c4': a choice item needs options or a vocabulary") != nullptr);
  CHECK(l.Find("item 'c5': give options or a vocabulary, not both") != nullptr);
  CHECK(l.Find("'c6'") == nullptr);  // a known list is fine
  CHECK(l.diags.size() == 5);
}

TEST_CASE("item type rules", "[loader][validate]") {
  const std::string text = Def(Section(
      "s", Item("n", "INTEGER", "min: 5 max: 1") + Item("d", "DATE", "no_unknown: true") +
               Item("t", "TEXT", "current_and_history: true") + Item("y", "YES_NO", Opt("a")) +
               Item("g", "GROUP") + Item("u", "ITEM_TYPE_UNSPECIFIED") +
               Item("m", "YES_NO", "max: 3") + Item("x_note", "YES_NO")));
  Loaded l = Load(text);
  REQUIRE_FALSE(l.ok());
  INFO(l.joined());
  CHECK(l.Find("item 'n': min is greater than max") != nullptr);
  CHECK(l.Find("item 'd': no_unknown only applies") != nullptr);
  CHECK(l.Find("item 't': current_and_history only applies to factor items") != nullptr);
  // A yes/no item's options only label yes, no and unknown (see the test of answer labels).
  CHECK(l.Find("item 'y': a yes/no item labels only yes, no and unknown, not 'a'") != nullptr);
  CHECK(l.Find("item 'g': a group needs items") != nullptr);
  CHECK(l.Find("item 'u': type is not set") != nullptr);
  CHECK(l.Find("item 'm': only integer items have a range") != nullptr);
  CHECK(l.Find("must not end in _note") != nullptr);
}

TEST_CASE("a condition's type error is located inside the string", "[loader][validate][expr]") {
  // Swedish letters earlier on the same line: the column counts characters.
  const std::string text = Def(Section(
      "s", YesNo("q1") +
               "items { id: \"q2\" type: YES_NO text { lang: \"sv\" value: \"Hände något på "
               "väg?\" } enabled_when: \"q1 == yes and q1 == 3\" }\n"));
  Loaded l = Load(text);
  REQUIRE_FALSE(l.ok());
  REQUIRE(l.diags.size() == 1);
  // The offending token is the second '==' (offset 17 in the condition).
  Pos want = Locate(text, "q1 == yes and q1 == 3", 17);
  CHECK(l.diags[0].line == want.line);
  CHECK(l.diags[0].column == want.column);
  CHECK(l.diags[0].message.find("item 'q2': cannot compare") != std::string::npos);
}

TEST_CASE("a code that is not offered is located at the quoted code", "[loader][validate][expr]") {
  const std::string text = Def(Section("s", Item("c", "SINGLE_CHOICE", Opt("home") + Opt("away")) +
                                                YesNo("q2", "enabled_when: \"c == \\\"hme\\\"\"")));
  Loaded l = Load(text);
  REQUIRE_FALSE(l.ok());
  REQUIRE(l.diags.size() == 1);
  CHECK(l.diags[0].message.find("'hme' is not a code of item 'c'") != std::string::npos);
  // Offset 5 in the condition `c == "hme"`: in the file the token starts at the backslash
  // of the escaped quote, also 5 characters into the value.
  Pos want = Locate(text, "c == \\\"hme", 5);
  CHECK(l.diags[0].line == want.line);
  CHECK(l.diags[0].column == want.column);
}

// Regression test for a fixed bug: the column of a condition error is the string value's start plus
// the character offset in the *unescaped* condition; every `\"` earlier in the value makes the
// reported column one character too far left (it should point at the token in the file).
TEST_CASE("a condition error after escaped quotes points at the token in the file",
          "[loader][validate][expr]") {
  const std::string text =
      Def(Section("s", Item("c", "SINGLE_CHOICE", Opt("home") + Opt("away")) + YesNo("q1") +
                           YesNo("q2", "enabled_when: \"c == \\\"home\\\" and q1 == 3\"")));
  Loaded l = Load(text);
  REQUIRE(l.diags.size() == 1);
  Pos want = Locate(text, "== 3");
  CHECK(l.diags[0].line == want.line);
  CHECK(l.diags[0].column == want.column);
}

TEST_CASE("several condition errors in one file are all reported", "[loader][validate][expr]") {
  const std::string text =
      Def(Section("s", YesNo("q1") + YesNo("q2", "enabled_when: \"q1 == maybe\"") +
                           YesNo("q3", "enabled_when: \"count(yes, q1) > 0 >= 1\"")) +
          Score("sc", "count(yes, q1..q9)") + Score("s2", "q1 == yes") +
          Flag("f", "judgement.nobody == high") + Rec("r", "flag.nothing"));
  Loaded l = Load(text);
  REQUIRE_FALSE(l.ok());
  INFO(l.joined());
  RequireAt(l, text, "item 'q2': unknown name 'maybe'", "q1 == maybe", 6);
  RequireAt(l, text, "item 'q3': comparisons cannot be chained", "count(yes, q1) > 0 >= 1", 19);
  RequireAt(l, text, "score 'sc': range 'q1..q9': item 'q4' does not exist", "q1..q9");
  RequireAt(l, text, "score 's2': expected a number, found a condition", "q1 == yes\"", 3, 0);
  RequireAt(l, text, "flag 'f': unknown judgement 'nobody'", "judgement.nobody");
  RequireAt(l, text, "recommendation 'r': unknown flag 'nothing'", "flag.nothing");
  CHECK(l.diags.size() == 6);
}

TEST_CASE("results are only known in flags and recommendations", "[loader][validate][expr]") {
  const std::string text = Def(
      Section("s", YesNo("q1") + YesNo("q2", "enabled_when: \"band == \\\"lo\\\"\"")) +
          Score("sc", "count(yes, q1)") + Banding("sc", RangeBand("lo", 0, 1)) + Judgement("j") +
          Score("s2", "count(yes, q1)") + Flag("f", "band == \"lo\" and judgement.j == high") +
          Rec("r", "flag.f and final_level == \"lo\" and client_estimate == low"),
      "ACTUARIAL");
  Loaded l = Load(text);
  REQUIRE_FALSE(l.ok());
  CHECK(l.Find("item 'q2': 'band' is only known in flags and recommendations") != nullptr);
  CHECK(l.diags.size() == 1);  // the flag and recommendation compile
}

TEST_CASE("a flag may use an earlier flag only", "[loader][validate][expr]") {
  const std::string text =
      Def(kOneItem + Flag("f1", "flag.f2") + Flag("f2", "q1 == yes") + Flag("f3", "flag.f2"));
  Loaded l = Load(text);
  REQUIRE_FALSE(l.ok());
  REQUIRE(l.diags.size() == 1);
  CHECK(l.diags[0].message.find("flag 'f1': unknown flag 'f2'") != std::string::npos);
}

TEST_CASE("a score may use earlier scores only", "[loader][validate][expr]") {
  const std::string text =
      Def(kOneItem + Score("a", "b + 1") + Score("b", "count(yes, q1)") + Score("c", "b + 1"));
  Loaded l = Load(text);
  REQUIRE(l.diags.size() == 1);
  CHECK(l.diags[0].message.find("score 'a': unknown name 'b'") != std::string::npos);
}

TEST_CASE("cycles among enabled_when conditions are rejected", "[loader][validate]") {
  SECTION("a -> b -> a") {
    const std::string text = Def(Section(
        "s", YesNo("a", "enabled_when: \"b == yes\"") + YesNo("b", "enabled_when: \"a == no\"")));
    Loaded l = Load(text);
    REQUIRE_FALSE(l.ok());
    REQUIRE(l.diags.size() == 1);
    CHECK(l.diags[0].message.find("enabled_when conditions form a cycle: a -> b -> a") !=
          std::string::npos);
    CHECK(l.diags[0].line == Locate(text, "id: \"a\"").line);
  }
  SECTION("a longer cycle") {
    const std::string text = Def(Section("s", YesNo("a", "enabled_when: \"c == yes\"") +
                                                  YesNo("b", "enabled_when: \"a == yes\"") +
                                                  YesNo("c", "enabled_when: \"b == yes\"")));
    Loaded l = Load(text);
    REQUIRE_FALSE(l.ok());
    CHECK(l.Find("cycle: a -> c -> b -> a") != nullptr);
  }
  SECTION("an item naming itself") {
    const std::string text =
        Def(Section("s", YesNo("a") + YesNo("b", "enabled_when: \"a == yes or b == no\"")));
    Loaded l = Load(text);
    REQUIRE_FALSE(l.ok());
    RequireAt(l, text, "item 'b': enabled_when names the item itself", "enabled_when:");
  }
  SECTION("a chain without a cycle is fine, in any order") {
    MustLoad(Def(Section("s", YesNo("a", "enabled_when: \"b == yes\"") +
                                  YesNo("b", "enabled_when: \"c == yes\"") + YesNo("c"))));
  }
}

TEST_CASE("range bands: gap, overlap, first not at the minimum, top not covered",
          "[loader][validate][bands]") {
  // count over five items: 0..5.
  const std::string items =
      Section("s", YesNo("q1") + YesNo("q2") + YesNo("q3") + YesNo("q4") + YesNo("q5"));
  const std::string text =
      Def(items + Score("c", "count(yes, q1..q5)") +
              Banding("c", RangeBand("first", 1, 1) + RangeBand("second", 3, 3) +
                               RangeBand("third", 3, 3)),
          "ACTUARIAL");
  Loaded l = Load(text);
  REQUIRE_FALSE(l.ok());
  INFO(l.joined());
  RequireAt(l, text, "band 'first': the first band must start at 0", "min: 1");
  RequireAt(l, text, "band 'second': gap before it (2..2 is in no band)", "min: 3");
  RequireAt(l, text, "band 'third': overlaps the band before it", "min: 3", 0, 1);
  RequireAt(l, text, "banding: scores 4..5 of 'c' are in no band", "max: 3", 0, 1);
  CHECK(l.diags.size() == 4);
  SECTION("bands beyond the score's range") {
    Loaded b = Load(Def(items + Score("c", "count(yes, q1..q5)") +
                            Banding("c", RangeBand("lo", 0, 2) + RangeBand("hi", 3, 9)),
                        "ACTUARIAL"));
    REQUIRE_FALSE(b.ok());
    CHECK(b.Find("'c' never exceeds 5, but the bands go to 9") != nullptr);
  }
  SECTION("min above max") {
    Loaded b = Load(Def(items + Score("c", "count(yes, q1..q5)") +
                            Banding("c", RangeBand("lo", 0, 2) + RangeBand("hi", 4, 3)),
                        "ACTUARIAL"));
    REQUIRE_FALSE(b.ok());
    CHECK(b.Find("band 'hi': min 4 is greater than max 3") != nullptr);
  }
  SECTION("an unknown score") {
    Loaded b =
        Load(Def(items + Score("c", "count(yes, q1..q5)") + Banding("nope", RangeBand("lo", 0, 5)),
                 "ACTUARIAL"));
    REQUIRE_FALSE(b.ok());
    CHECK(b.Find("banding: unknown score 'nope'") != nullptr);
  }
  SECTION("bands that cover the range exactly load") {
    auto inst = MustLoad(Def(items + Score("c", "count(yes, q1..q5)") +
                                 Banding("c", RangeBand("lo", 0, 2) + RangeBand("hi", 3, 5)),
                             "ACTUARIAL"));
    CHECK(inst->has_banding());
  }
}

TEST_CASE("a negative weight extends the range below zero", "[loader][validate][bands]") {
  const std::string items = Section("s", YesNo("q1") + YesNo("q2"));
  // sum(yes, q1: 2, q2: -1) ranges over -1..2.
  Loaded l = Load(Def(items + Score("w", "sum(yes, q1: 2, q2: -1)") +
                          Banding("w", RangeBand("lo", 0, 1) + RangeBand("hi", 2, 2)),
                      "ACTUARIAL"));
  REQUIRE_FALSE(l.ok());
  CHECK(l.Find("the first band must start at -1") != nullptr);
}

TEST_CASE("rule bands: only the last lacks a rule", "[loader][validate][bands]") {
  const std::string items = Section("s", YesNo("q1") + YesNo("q2"));
  SECTION("the last band has a rule") {
    const std::string text =
        Def(items + Banding("", RuleBand("hi", "q1 == yes") + RuleBand("lo", "q2 == yes")),
            "ACTUARIAL");
    Loaded l = Load(text);
    REQUIRE_FALSE(l.ok());
    RequireAt(l, text, "band 'lo': the last band is the fallback and has no rule", "when: \"q2");
  }
  SECTION("a middle band lacks one") {
    const std::string text = Def(
        items + Banding("", RuleBand("hi", "q1 == yes") + RuleBand("mid", "") + RuleBand("lo", "")),
        "ACTUARIAL");
    Loaded l = Load(text);
    REQUIRE_FALSE(l.ok());
    REQUIRE(l.diags.size() == 1);
    RequireAt(l, text, "band 'mid': only the last band may lack a rule", "id: \"mid\"");
  }
  SECTION("a rule band with a range") {
    Loaded l = Load(Def(items + Banding("",
                                        "bands { id: \"a\" when: \"q1 == yes\" max: 2 "
                                        "text { lang: \"sv\" value: \"A\" } }\n" +
                                            RuleBand("b", "")),
                        "ACTUARIAL"));
    REQUIRE_FALSE(l.ok());
    CHECK(l.Find("band 'a': a rule band has no range") != nullptr);
  }
  SECTION("a range band with a rule") {
    Loaded l = Load(Def(items + Score("c", "count(yes, q1..q2)") +
                            Banding("c",
                                    "bands { id: \"a\" when: \"q1 == yes\" max: 2 "
                                    "text { lang: \"sv\" value: \"A\" } }\n"),
                        "ACTUARIAL"));
    REQUIRE_FALSE(l.ok());
    CHECK(l.Find("band 'a': a range band has no rule") != nullptr);
  }
}

TEST_CASE("kinds: SPJ needs one required final judgement, actuarial a banding",
          "[loader][validate]") {
  SECTION("SPJ without a final judgement") {
    Loaded l =
        Load(Def(kOneItem + Judgement("j", "required: true"), "STRUCTURED_PROFESSIONAL_JUDGEMENT"));
    REQUIRE_FALSE(l.ok());
    CHECK(l.Find("needs one required judgement with is_final: true") != nullptr);
  }
  SECTION("SPJ whose final judgement is not required") {
    const std::string text =
        Def(kOneItem + Judgement("j", "is_final: true"), "STRUCTURED_PROFESSIONAL_JUDGEMENT");
    Loaded l = Load(text);
    REQUIRE_FALSE(l.ok());
    CHECK(l.Find("the final judgement must be required") != nullptr);
  }
  SECTION("SPJ with a banding") {
    Loaded l =
        Load(Def(kOneItem + Score("c", "count(yes, q1)") + Banding("c", RangeBand("a", 0, 1)) +
                     Judgement("j", "required: true is_final: true"),
                 "STRUCTURED_PROFESSIONAL_JUDGEMENT"));
    REQUIRE_FALSE(l.ok());
    CHECK(l.Find("a structured professional judgement has no computed band") != nullptr);
  }
  SECTION("two final judgements") {
    Loaded l = Load(Def(kOneItem + Judgement("a", "required: true is_final: true") +
                            Judgement("b", "required: true is_final: true"),
                        "STRUCTURED_PROFESSIONAL_JUDGEMENT"));
    REQUIRE_FALSE(l.ok());
    CHECK(l.Find("only one judgement can be final") != nullptr);
  }
  SECTION("a valid SPJ instrument") {
    MustLoad(Def(kOneItem + Judgement("j", "required: true is_final: true"),
                 "STRUCTURED_PROFESSIONAL_JUDGEMENT"));
  }
  SECTION("actuarial without banding") {
    const std::string text = Def(kOneItem + Score("c", "count(yes, q1)"), "ACTUARIAL");
    Loaded l = Load(text);
    REQUIRE_FALSE(l.ok());
    RequireAt(l, text, "an actuarial instrument needs a banding", "kind:");
  }
  SECTION("rule-based behaves like actuarial: a banding is required and computes the band") {
    const std::string text = Def(kOneItem + Score("c", "count(yes, q1)"), "RULE_BASED");
    Loaded l = Load(text);
    REQUIRE_FALSE(l.ok());
    RequireAt(l, text, "a rule-based instrument needs a banding", "kind:");
    auto inst = MustLoad(Def(kOneItem + Score("c", "count(yes, q1)") +
                                 Banding("c", RangeBand("lo", 0, 0) + RangeBand("hi", 1, 1)),
                             "RULE_BASED"));
    Session session(inst);
    REQUIRE(session.SetCode("q1", "yes").ok());
    auto result = Evaluate(session);
    REQUIRE(result.ok());
    CHECK(result->band() == "hi");
    CHECK(result->final_level() == "hi");
  }
  SECTION("a banded instrument with a final judgement") {
    Loaded l = Load(Def(kOneItem + Score("c", "count(yes, q1)") +
                            Banding("c", RangeBand("a", 0, 1)) + Judgement("j", "is_final: true"),
                        "ACTUARIAL"));
    REQUIRE_FALSE(l.ok());
    CHECK(l.Find("a banded instrument's final level is its band") != nullptr);
  }
}

TEST_CASE("deadline misuse is reported per recommendation", "[loader][validate]") {
  const std::string text =
      Def(kOneItem + Rec("ok1", "", "deadline { kind: SAME_OR_NEXT_DAY days: 1 }") +
          Rec("ok2", "", "deadline { kind: WITHIN_DAYS days: 14 }") +
          Rec("ok3", "", "deadline { kind: WITHIN_MONTHS months: 4 }") +
          Rec("ok4", "", "deadline { kind: NEXT_CONTACT }") +
          Rec("bad1", "", "deadline { kind: WITHIN_MONTHS days: 3 months: 1 }") +
          Rec("bad2", "", "deadline { kind: SAME_OR_NEXT_DAY days: 2 }") +
          Rec("bad3", "", "deadline { days: 3 }") +
          Rec("bad4", "", "deadline { kind: NEXT_CONTACT days: 1 }") +
          Rec("bad5", "", "deadline { kind: WITHIN_DAYS months: 2 }") +
          Rec("bad6", "", "deadline { kind: WITHIN_MONTHS }"));
  Loaded l = Load(text);
  REQUIRE_FALSE(l.ok());
  INFO(l.joined());
  for (const char* id : {"bad1", "bad2", "bad3", "bad4", "bad5", "bad6"}) {
    CHECK(l.Find(std::string("recommendation '") + id + "': the deadline") != nullptr);
  }
  CHECK(l.Count("the deadline") == 6);
  RequireAt(l, text, "recommendation 'bad1'", "kind: WITHIN_MONTHS days: 3");
  // A deadline without a kind is reported at the deadline block.
  RequireAt(l, text, "recommendation 'bad3'", "deadline { days: 3");
}

TEST_CASE("legal references and resource tags must be snake_case ids", "[loader][validate]") {
  Loaded l =
      Load(Def(kOneItem + Rec("r", "", "legal_refs: [\"SoL 5:1\"] resource_tags: [\"Bad\"]")));
  REQUIRE_FALSE(l.ok());
  CHECK(l.Find("legal reference id 'SoL 5:1' must be snake_case") != nullptr);
  CHECK(l.Find("resource tag 'Bad' must be snake_case") != nullptr);
}

TEST_CASE("a flag needs a condition, a recommendation may omit one", "[loader][validate]") {
  Loaded l =
      Load(Def(kOneItem + "flags { id: \"f\" text { lang: \"sv\" value: \"F\" } }\n" + Rec("r")));
  REQUIRE_FALSE(l.ok());
  REQUIRE(l.diags.size() == 1);
  CHECK(l.diags[0].message == "flag 'f' needs a condition");
}

TEST_CASE("group rules: no nesting, max_blocks bounded, conditions per block",
          "[loader][validate]") {
  SECTION("max_blocks out of range") {
    Loaded l = Load(Def(Section("s", Item("g", "GROUP", "max_blocks: 501 " + YesNo("x")))));
    REQUIRE_FALSE(l.ok());
    CHECK(l.Find("max_blocks must be 0..500") != nullptr);
  }
  SECTION("a block's condition may name the block's items and top-level items") {
    MustLoad(Def(Section(
        "s", YesNo("top") + Item("g", "GROUP",
                                 Item("n", "INTEGER", "max: 9") + YesNo("x",
                                                                        "enabled_when: \"n > 2 and "
                                                                        "top == yes\"")))));
  }
  SECTION("a top-level condition cannot name a block's item") {
    Loaded l = Load(Def(
        Section("s", Item("g", "GROUP", YesNo("x")) + YesNo("y", "enabled_when: \"x == yes\""))));
    REQUIRE_FALSE(l.ok());
    CHECK(l.Find("item 'y': 'x' belongs to another group") != nullptr);
  }
}

// ---------------------------------------------------------------------------------------
// Texts added with the localized wording: answer labels of yes/no items, level names,
// kind names and provenance per language. All are text: none changes the logic hash.

TEST_CASE("a yes/no item may label its codes without changing them", "[loader][validate][labels]") {
  const std::string labels =
      "options { code: \"yes\" text { lang: \"sv\" value: \"Ja, aldrig\" } } "
      "options { code: \"no\" text { lang: \"sv\" value: \"Nej, någon gång\" } }";
  auto plain = MustLoad(Def(Section("s", YesNo("q1"))));
  auto labelled = MustLoad(Def(Section("s", YesNo("q1", labels))));
  CHECK(labelled->logic_sha256() == plain->logic_sha256());
  CHECK(labelled->TextSha256("sv") != plain->TextSha256("sv"));
  CHECK(labelled->items()[0].codes == std::vector<std::string>{"yes", "no", "unknown"});
  // Listed in another order, the logic is still the same.
  const std::string reversed =
      "options { code: \"no\" text { lang: \"sv\" value: \"Nej\" } } "
      "options { code: \"yes\" text { lang: \"sv\" value: \"Ja\" } }";
  CHECK(MustLoad(Def(Section("s", YesNo("q1", reversed))))->logic_sha256() ==
        plain->logic_sha256());
  Session session(labelled);
  CHECK(session.SetCode("q1", "yes").ok());
  CHECK_FALSE(session.SetCode("q1", "Ja, aldrig").ok());

  SECTION("the labels are refused when they could change what the item means") {
    const std::string text = Def(Section(
        "s", YesNo("a",
                   "options { code: \"yes\" text { lang: \"sv\" value: \"Ja\" } } "
                   "options { code: \"maybe\" text { lang: \"sv\" value: \"Kanske\" } }") +
                 YesNo("b",
                       "options { code: \"yes\" text { lang: \"sv\" value: \"Ja\" } } "
                       "options { code: \"no\" text { lang: \"sv\" value: \"Nej\" } } "
                       "options { code: \"no\" text { lang: \"sv\" value: \"Nej igen\" } }") +
                 YesNo("c", "no_unknown: true " + labels +
                                " options { code: \"unknown\" text { lang: \"sv\" value: \"Vet "
                                "inte\" } }") +
                 YesNo("d",
                       "options { code: \"yes\" needs_note: true text { lang: \"sv\" "
                       "value: \"Ja\" } } options { code: \"no\" text { lang: \"sv\" value: "
                       "\"Nej\" } }") +
                 YesNo("e",
                       "options { code: \"yes\" }  options { code: \"no\" text { lang: "
                       "\"sv\" value: \"Nej\" } }")));
    Loaded l = Load(text);
    REQUIRE_FALSE(l.ok());
    INFO(l.joined());
    RequireAt(l, text, "item 'a': a yes/no item labels only yes, no and unknown, not 'maybe'",
              "code: \"maybe\"");
    CHECK(l.Find("item 'a': labels for a yes/no item must name both yes and no (the label of "
                 "'no' is missing)") != nullptr);
    RequireAt(l, text, "item 'b': 'no' is labelled twice", "code: \"no\"", 0, 1);
    CHECK(l.Find("item 'c': 'unknown' is labelled but the item does not accept it") != nullptr);
    RequireAt(l, text, "item 'd': a yes/no label cannot ask for a note", "needs_note");
    CHECK(l.Find("item 'e' option 'yes': no text in 'sv'") != nullptr);
    CHECK(l.diags.size() == 6);
  }
  SECTION("a yes/no item still takes no vocabulary") {
    Loaded l = Load(Def(Section("s", YesNo("q1", "vocabulary: \"kinds\""))));
    REQUIRE_FALSE(l.ok());
    CHECK(l.Find("item 'q1': only choice items have options") != nullptr);
  }
}

TEST_CASE("a judgement may name its levels", "[loader][validate][labels]") {
  const std::string named =
      "level_text { level: \"low\" text { lang: \"sv\" value: \"Svagt skydd\" } } "
      "level_text { level: \"high\" text { lang: \"sv\" value: \"Starkt skydd\" } }";
  auto plain = MustLoad(Def(kOneItem + Judgement("j", "required: true is_final: true"),
                            "STRUCTURED_PROFESSIONAL_JUDGEMENT"));
  auto inst = MustLoad(Def(
      kOneItem + Judgement("j", "required: true is_final: true " + named) + Judgement("other", ""),
      "STRUCTURED_PROFESSIONAL_JUDGEMENT"));
  CHECK(inst->LevelLabel("low", "sv") == "Svagt skydd");  // the final judgement's
  CHECK(inst->LevelLabel("high", "sv", "j") == "Starkt skydd");
  // Not named: the vocabulary's label, else the code (the test vocabulary has no levels).
  CHECK(inst->LevelLabel("medium", "sv") == "medium");
  CHECK(inst->LevelLabel("high", "sv", "other") == "high");
  CHECK(plain->LevelLabel("high", "sv") == "high");
  auto with_other = MustLoad(
      Def(kOneItem + Judgement("j", "required: true is_final: true") + Judgement("other", ""),
          "STRUCTURED_PROFESSIONAL_JUDGEMENT"));
  CHECK(inst->logic_sha256() == with_other->logic_sha256());
  CHECK(inst->TextSha256("sv") != with_other->TextSha256("sv"));

  const std::string text = Def(
      kOneItem + Judgement("j",
                           "required: true is_final: true "
                           "level_text { level: \"extreme\" text { lang: \"sv\" value: \"X\" } } "
                           "level_text { level: \"low\" text { lang: \"sv\" value: \"A\" } } "
                           "level_text { level: \"low\" text { lang: \"sv\" value: \"B\" } } "
                           "level_text { level: \"high\" }"),
      "STRUCTURED_PROFESSIONAL_JUDGEMENT");
  Loaded l = Load(text);
  REQUIRE_FALSE(l.ok());
  INFO(l.joined());
  RequireAt(l, text, "judgement 'j': level 'extreme' is not low, medium or high",
            "level: \"extreme");
  RequireAt(l, text, "judgement 'j': level 'low' is named twice", "level: \"low", 0, 1);
  CHECK(l.Find("judgement 'j' level 'high': no text in 'sv'") != nullptr);
  CHECK(l.diags.size() == 3);
}

TEST_CASE("the kind's name and the provenance may be given per language",
          "[loader][validate][labels]") {
  const std::vector<std::string> both = {"sv", "en"};
  auto Localized = [](std::string_view field) {
    return std::string(field) + " { lang: \"sv\" value: \"Svensk text\" } " + std::string(field) +
           " { lang: \"en\" value: \"English text\" } ";
  };
  auto Bilingual = [&](std::string body) {
    // Both languages for the inline instrument's own texts.
    std::string text = Def(body, "CHECKLIST", both);
    return ReplaceOnce(text, "text { lang: \"sv\" value: \"Fråga q1\" }",
                       "text { lang: \"sv\" value: \"Fråga q1\" } text { lang: \"en\" value: "
                       "\"Question q1\" }");
  };
  const std::string section =
      "sections { id: \"s\" title { lang: \"sv\" value: \"Del\" } title { "
      "lang: \"en\" value: \"Part\" }\n" +
      YesNo("q1") + "}\n";
  const std::string legacy = Bilingual(section);
  std::string localized = ReplaceOnce(
      legacy,
      "provenance { modelled_on: \"m\" source: \"s\" licence_note: \"l\" scoring_verified: \"v\" "
      "validated_setting: \"vs\" wording_is_own: true }",
      "provenance { " + Localized("modelled_on_text") + Localized("source_text") +
          Localized("licence_note_text") + Localized("scoring_verified_text") +
          Localized("validated_setting_text") + "wording_is_own: true }");
  localized =
      ReplaceOnce(localized, "kind: CHECKLIST", "kind: CHECKLIST " + Localized("kind_text"));
  auto old = MustLoad(legacy);
  auto now = MustLoad(localized);
  CHECK(now->logic_sha256() == old->logic_sha256());
  CHECK(now->TextSha256("sv") != old->TextSha256("sv"));
  CHECK(now->ProvenanceIn("sv").in_language);
  CHECK(now->ProvenanceIn("sv").source == "Svensk text");
  CHECK(now->ProvenanceIn("en").validated_setting == "English text");
  CHECK(now->ProvenanceIn("de").source == "Svensk text");  // resolved to the first language
  CHECK(TextIn(now->definition().kind_text(), "en") == "English text");
  // A version with the single-language strings gives them as they are, and says so.
  CHECK_FALSE(old->ProvenanceIn("sv").in_language);
  CHECK(old->ProvenanceIn("sv").source == "s");
  // Each localized provenance text is in the text hash.
  auto reworded =
      MustLoad(ReplaceOnce(localized, "licence_note_text { lang: \"sv\" value: \"Svensk text\" }",
                           "licence_note_text { lang: \"sv\" value: \"Annan svensk text\" }"));
  CHECK(reworded->TextSha256("sv") != now->TextSha256("sv"));
  CHECK(reworded->TextSha256("en") == now->TextSha256("en"));
  CHECK(reworded->logic_sha256() == now->logic_sha256());

  SECTION("a text given both ways, or missing a language, is an error") {
    std::string text =
        ReplaceOnce(localized, "wording_is_own: true }", "source: \"s\" wording_is_own: true }");
    text =
        ReplaceOnce(text, "validated_setting_text { lang: \"en\" value: \"English text\" } ", "");
    text = ReplaceOnce(text, "kind_text { lang: \"en\" value: \"English text\" } ", "");
    Loaded l = Load(text);
    REQUIRE_FALSE(l.ok());
    INFO(l.joined());
    RequireAt(l, text, "provenance: give source or source_text, not both", "source_text");
    CHECK(l.Find("provenance: no validated_setting_text in 'en'") != nullptr);
    CHECK(l.Find("instrument: no kind_text in 'en'") != nullptr);
    CHECK(l.diags.size() == 3);
  }
}
