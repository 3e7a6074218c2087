// The condition and score language (docs/expressions.md), white-box: expressions are
// compiled against a small instrument's items and evaluated over hand-made slots, checking
// the point value and the three-valued range (what unknown and unanswered answers could
// make of it).
#include <screening/instrument.h>

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "base/textformat.h"
#include "expr/expr.h"
#include "expr/slot.h"
#include "test_support.h"

using namespace screening;
using namespace screening::test;
using internal::Expr;
using internal::Slot;
using internal::Val;
using internal::VType;

namespace {

const std::string& FixtureText() {
  static const std::string text =
      Def(Section("s", YesNo("q1") + YesNo("q2") + YesNo("q3") + YesNo("q3a") +
                           Item("q4", "INTEGER", "max: 5") + Item("n1", "INTEGER", "max: 10") +
                           Item("n2", "INTEGER", "max: 10") + Item("p1", "PROTECTIVE") +
                           Item("p2", "PROTECTIVE") +
                           Item("colour", "SINGLE_CHOICE", Opt("red") + Opt("blue")) +
                           Item("types", "MULTI_CHOICE", "vocabulary: \"kinds\"") +
                           Item("f1", "SPJ_FACTOR", "current_and_history: true") +
                           Item("f2", "SPJ_FACTOR") + Item("note", "TEXT") +
                           Item("kids", "GROUP",
                                Item("age", "INTEGER", "max: 17") +
                                    YesNo("saw", "enabled_when: \"age >= 3\""))) +
          Judgement("acute") + Flag("f", "true"));
  return text;
}

// One instrument, fresh slots per test.
struct Fx {
  std::shared_ptr<const Instrument> inst = MustLoad(FixtureText());
  std::vector<Slot> slots = std::vector<Slot>(inst->items().size());
  // Results context for flags and recommendations.
  int judgements[1] = {-1};
  std::uint8_t flags[1] = {0};
  int client_estimate = -1;

  int Index(std::string_view id) const {
    int i = inst->ItemIndex(id);
    REQUIRE(i >= 0);
    return i;
  }
  Slot& At(std::string_view id) { return slots[static_cast<std::size_t>(Index(id))]; }

  internal::Scope MakeScope(bool results, int group = -1) const {
    internal::Scope scope;
    scope.items = &inst->items();
    scope.item_index = [this](std::string_view id) { return inst->ItemIndex(id); };
    scope.group = group;
    if (results) {
      scope.results = true;
      scope.judgements = {"acute"};
      scope.flags = {"f"};
    }
    return scope;
  }

  // The compile error's message and offset ("" when it compiles).
  std::string Error(std::string_view src, int* offset = nullptr, VType want = VType::kBool,
                    bool results = false) const {
    Expr e;
    std::vector<internal::CompileError> errors;
    bool ok = internal::Compile(src, MakeScope(results), want, &e, &errors);
    if (ok) {
      CHECK(errors.empty());
      return "";
    }
    REQUIRE_FALSE(errors.empty());
    if (offset) *offset = errors[0].offset;
    return errors[0].message;
  }

  Expr Compiled(std::string_view src, VType want = VType::kBool, bool results = false,
                int group = -1) const {
    Expr e;
    std::vector<internal::CompileError> errors;
    bool ok = internal::Compile(src, MakeScope(results, group), want, &e, &errors);
    INFO(src << ": " << (errors.empty() ? std::string() : errors[0].message));
    REQUIRE(ok);
    return e;
  }

  internal::EvalContext Ctx() const {
    internal::EvalContext ctx;
    ctx.items = &inst->items();
    ctx.top = &slots;
    ctx.judgements = judgements;
    ctx.flags = flags;
    ctx.client_estimate = client_estimate;
    return ctx;
  }

  Val Eval(std::string_view src, VType want = VType::kBool, bool results = false) const {
    return internal::Evaluate(Compiled(src, want, results), Ctx());
  }

  void Yn(std::string_view id, std::string_view code) {
    Slot& s = At(id);
    s.kind = Slot::Kind::kCode;
    s.code = code == "yes" ? internal::kYes : code == "no" ? internal::kNo : internal::kUnknownCode;
    s.unknown = code == "unknown";
  }
  void Num(std::string_view id, std::int64_t v) {
    Slot& s = At(id);
    s.kind = Slot::Kind::kInt;
    s.integer = v;
  }
  void NumUnknown(std::string_view id) {
    Slot& s = At(id);
    s.kind = Slot::Kind::kInt;
    s.unknown = true;
  }
  std::vector<std::string> Ids(const std::vector<int>& indices) const {
    std::vector<std::string> out;
    for (int i : indices) out.push_back(inst->items()[static_cast<std::size_t>(i)].def->id());
    return out;
  }
};

// Point value and range of a boolean.
void RequireBool(const Val& v, int pt, int lo, int hi) {
  CHECK(v.pt == pt);
  CHECK(v.lo == lo);
  CHECK(v.hi == hi);
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Precedence and associativity

TEST_CASE("and binds tighter than or", "[expr][precedence]") {
  Fx fx;
  fx.Yn("q1", "yes");
  fx.Yn("q2", "no");
  fx.Yn("q3", "no");
  // q1 or (q2 and q3) = true; (q1 or q2) and q3 would be false.
  CHECK(fx.Eval("q1 == yes or q2 == yes and q3 == yes").pt == 1);
  CHECK(fx.Eval("(q1 == yes or q2 == yes) and q3 == yes").pt == 0);
}

TEST_CASE("not binds tighter than and, looser than comparisons", "[expr][precedence]") {
  Fx fx;
  fx.Yn("q1", "yes");
  fx.Yn("q2", "no");
  // (not (q1 == yes)) and (q2 == yes) = false; not (q1 == yes and q2 == yes) would be true.
  CHECK(fx.Eval("not q1 == yes and q2 == yes").pt == 0);
  CHECK(fx.Eval("not (q1 == yes and q2 == yes)").pt == 1);
  CHECK(fx.Eval("not not q1 == yes").pt == 1);
}

TEST_CASE("+ and - bind tighter than comparisons and associate left", "[expr][precedence]") {
  Fx fx;
  fx.Num("n1", 2);
  fx.Num("n2", 3);
  CHECK(fx.Eval("n1 + n2 >= 5").pt == 1);
  CHECK(fx.Eval("5 <= n1 + n2").pt == 1);
  CHECK(fx.Eval("n1 + n2 > 5").pt == 0);
  fx.Num("n1", 5);
  fx.Num("n2", 2);
  CHECK(fx.Eval("n1 - n2 - 1", VType::kInt).pt == 2);  // (5 - 2) - 1, not 5 - (2 - 1)
  CHECK(fx.Eval("-n1 + 3", VType::kInt).pt == -2);     // (-5) + 3, not -(5 + 3)
  CHECK(fx.Eval("n1 - -n2", VType::kInt).pt == 7);
}

TEST_CASE("a literal on the left of an ordering is mirrored", "[expr][precedence]") {
  Fx fx;
  fx.Num("n1", 2);
  CHECK(fx.Eval("3 > n1").pt == 1);
  CHECK(fx.Eval("3 < n1").pt == 0);
  fx.client_estimate = internal::kLow;
  CHECK(fx.Eval("medium > client_estimate", VType::kBool, true).pt == 1);
  CHECK(fx.Eval("medium <= client_estimate", VType::kBool, true).pt == 0);
}

TEST_CASE("comparisons cannot be chained", "[expr][types]") {
  Fx fx;
  int off = -1;
  CHECK(fx.Error("n1 < n2 < 3", &off) == "comparisons cannot be chained; use 'and'");
  CHECK(off == 8);
  CHECK(fx.Error("q1 == yes == true", &off) == "comparisons cannot be chained; use 'and'");
  CHECK(off == 10);
}

// ---------------------------------------------------------------------------------------
// Types

TEST_CASE("a yes/no item compared with a quoted code is a type error", "[expr][types]") {
  Fx fx;
  int off = -1;
  std::string e = fx.Error("q1 == \"yes\"", &off);
  CHECK(e.find("cannot compare a yes/no answer") != std::string::npos);
  CHECK(off == 6);
  CHECK(fx.Error("q1 == present", &off).find("cannot compare a yes/no answer") !=
        std::string::npos);
  CHECK(off == 6);
  CHECK(fx.Error("n1 == q1", &off) == "cannot compare a number with a yes/no answer");
  CHECK(off == 3);
}

TEST_CASE("levels are ordered, codes and yes/no are not", "[expr][types]") {
  Fx fx;
  fx.client_estimate = internal::kLow;
  fx.judgements[0] = internal::kHigh;
  CHECK(fx.Eval("client_estimate < judgement.acute", VType::kBool, true).pt == 1);
  CHECK(fx.Eval("client_estimate >= medium", VType::kBool, true).pt == 0);
  CHECK(fx.Eval("judgement.acute == high", VType::kBool, true).pt == 1);
  int off = -1;
  CHECK(fx.Error("colour < \"red\"", &off) == "'<' orders numbers and levels only");
  CHECK(off == 7);
  CHECK(fx.Error("q1 >= yes", &off) == "'>=' orders numbers and levels only");
  CHECK(off == 3);
  CHECK(fx.Error("f2 > absent", &off) == "'>' orders numbers and levels only");
}

TEST_CASE("a missing level compares false either way", "[expr][types]") {
  Fx fx;  // no judgement, no estimate
  CHECK(fx.Eval("judgement.acute == high", VType::kBool, true).pt == 0);
  CHECK(fx.Eval("judgement.acute != high", VType::kBool, true).pt == 0);
  CHECK(fx.Eval("client_estimate < high", VType::kBool, true).pt == 0);
  CHECK(fx.Eval("client_estimate < judgement.acute", VType::kBool, true).pt == 0);
}

TEST_CASE("unknown functions and names, stray literals", "[expr][types]") {
  Fx fx;
  int off = -1;
  CHECK(fx.Error("q1 == yes and foo(q1)", &off) == "unknown function 'foo'");
  CHECK(off == 14);
  CHECK(fx.Error("zz == yes", &off) == "unknown name 'zz'");
  CHECK(off == 0);
  CHECK(fx.Error("yes", &off) == "'yes' must be compared with an answer");
  CHECK(fx.Error("\"red\" == \"red\"", &off) == "a comparison needs at least one answer or score");
  CHECK(fx.Error("\"red\"", &off).find("a quoted code must be compared") != std::string::npos);
  CHECK(fx.Error("q1", &off) == "expected a condition, found a yes/no answer");
  CHECK(fx.Error("q1 == yes and n1", &off) == "'and' needs conditions, not a number");
  CHECK(off == 14);
  CHECK(fx.Error("not n1", &off) == "'not' needs a condition, not a number");
  CHECK(off == 4);
  CHECK(fx.Error("-q1 == yes", &off).find("'-' needs a number") != std::string::npos);
  CHECK(fx.Error("n1 + q1 > 2", &off) == "'+' needs numbers, not a yes/no answer");
  CHECK(off == 5);
  CHECK(fx.Error("count(yes, q1)", &off, VType::kBool) == "expected a condition, found a number");
  CHECK(fx.Error("q1 == yes", &off, VType::kInt) == "expected a number, found a condition");
  CHECK(fx.Error("note == \"x\"", &off).find("cannot compare a value that cannot be compared") !=
        std::string::npos);
}

TEST_CASE("a quoted code is checked against the item's codes", "[expr][types]") {
  Fx fx;
  int off = -1;
  CHECK(fx.Error("colour == \"green\"", &off) == "'green' is not a code of item 'colour'");
  CHECK(off == 10);
  fx.At("colour").kind = Slot::Kind::kCode;
  fx.At("colour").code = 1;
  CHECK(fx.Eval("colour == \"blue\"").pt == 1);
  CHECK(fx.Eval("\"blue\" != colour").pt == 0);
  CHECK(fx.Error("types == \"physical\"", &off).find("cannot compare a multiple choice") !=
        std::string::npos);
}

TEST_CASE("count, any and all check the value against each item", "[expr][types]") {
  Fx fx;
  int off = -1;
  CHECK(fx.Error("count(\"red\", q1..q3) > 0", &off) ==
        "item 'q1' cannot be compared with that value");
  CHECK(off == 6);
  CHECK(fx.Error("any(low, q1)", &off).find("expected the value to look for first") !=
        std::string::npos);
  CHECK(off == 4);
  CHECK(fx.Error("any(yes, colour)", &off) == "item 'colour' cannot be compared with that value");
  CHECK(fx.Error("any(\"green\", colour)", &off) == "'green' is not a code of item 'colour'");
  CHECK(fx.Error("count(yes) > 0", &off) == "count(VALUE, ITEMS...) needs a value and items");
  CHECK(fx.Error("all(yes, q1, types)", &off) == "item 'types' cannot be compared with that value");
  CHECK(fx.Error("count(yes, kids) > 0", &off) ==
        "'kids' is a group: name one of its items, e.g. kids.<item>");
  fx.At("colour").kind = Slot::Kind::kCode;
  fx.At("colour").code = 0;
  CHECK(fx.Eval("any(\"red\", colour)").pt == 1);
  fx.Num("n1", 4);
  CHECK(fx.Eval("count(4, n1, n2)", VType::kInt).pt == 1);
}

// ---------------------------------------------------------------------------------------
// Ranges and functions

TEST_CASE("ranges expand numbered items of one type, never sub-items", "[expr][ranges]") {
  Fx fx;
  int off = -1;
  CHECK(fx.Error("count(yes, q3..q1) > 0", &off) == "range 'q3..q1' runs backwards or is too long");
  CHECK(off == 15);
  CHECK(fx.Error("count(yes, q1..q6) > 0", &off) ==
        "range 'q1..q6': item 'q5' does not exist here");
  CHECK(off == 11);
  CHECK(fx.Error("count(yes, q1..q4) > 0", &off) == "range 'q1..q4' mixes item types");
  CHECK(off == 11);
  CHECK(fx.Error("count(yes, n1..q3) > 0", &off) == "'n1..q3' is not a range of numbered items");
  fx.Yn("q1", "no");
  fx.Yn("q2", "no");
  fx.Yn("q3", "no");
  fx.Yn("q3a", "yes");
  Val v = fx.Eval("count(yes, q1..q3)", VType::kInt);
  CHECK(v.pt == 0);
  CHECK(v.hi == 0);  // q3a is not in the range, so it cannot count
  CHECK(fx.Eval("count(yes, q1..q3, q3a)", VType::kInt).pt == 1);
  CHECK(fx.Eval("count(yes, q1..q1)", VType::kInt).pt == 0);
}

TEST_CASE("weighted sum adds the weights of matching items", "[expr][functions]") {
  Fx fx;
  fx.Yn("q1", "yes");
  fx.Yn("q2", "no");
  fx.Yn("q3", "yes");
  Val v = fx.Eval("sum(yes, q1: 2, q2: 1, q3: 3)", VType::kInt);
  CHECK(v.pt == 5);
  CHECK(v.lo == 5);
  CHECK(v.hi == 5);
  fx.Yn("q2", "unknown");
  v = fx.Eval("sum(yes, q1: 2, q2: 1, q3: 3)", VType::kInt);
  CHECK(v.pt == 5);
  CHECK(v.lo == 5);
  CHECK(v.hi == 6);
  CHECK(fx.Eval("sum(no, q1: 2, q2: 7)", VType::kInt).pt == 0);
  CHECK(fx.Eval("sum(yes, q1: -2, q3: 1)", VType::kInt).pt == -1);
  int off = -1;
  CHECK(fx.Error("sum(yes, q1: x) > 0", &off) == "expected a whole-number weight");
  CHECK(fx.Error("sum(yes, q1) > 0", &off) == "expected ITEM: WEIGHT");
  CHECK(off == 9);
}

TEST_CASE("sum adds integer and protective answers", "[expr][functions]") {
  Fx fx;
  fx.Num("p1", 2);
  fx.NumUnknown("p2");
  Val v = fx.Eval("sum(p1, p2)", VType::kInt);
  CHECK(v.pt == 2);  // unknown counts as its lowest value
  CHECK(v.lo == 2);
  CHECK(v.hi == 4);
  fx.Num("n1", 3);
  v = fx.Eval("sum(n1, n2)", VType::kInt);  // n2 unanswered: 0..10
  CHECK(v.pt == 3);
  CHECK(v.lo == 3);
  CHECK(v.hi == 13);
  int off = -1;
  CHECK(fx.Error("sum(q1) > 0", &off).find("sum(ITEMS) adds numbers; 'q1' is not a number") == 0);
}

TEST_CASE("contains and answered", "[expr][functions]") {
  Fx fx;
  Val v = fx.Eval("contains(types, \"physical\")");
  RequireBool(v, 0, 0, 1);  // unanswered: could be either
  Slot& t = fx.At("types");
  t.kind = Slot::Kind::kCodes;
  t.codes = {0};  // physical
  RequireBool(fx.Eval("contains(types, \"physical\")"), 1, 1, 1);
  RequireBool(fx.Eval("contains(types, \"economic\")"), 0, 0, 0);
  t.enabled = false;
  RequireBool(fx.Eval("contains(types, \"physical\")"), 0, 0, 0);
  int off = -1;
  CHECK(fx.Error("contains(types, \"nope\")", &off) == "'nope' is not a code of that item");
  CHECK(off == 16);
  CHECK(fx.Error("contains(q1, \"x\")", &off) == "contains() needs a multiple-choice item");
  CHECK(fx.Error("contains(types, physical)", &off).find("contains(ITEM, \"code\")") == 0);

  RequireBool(fx.Eval("answered(q1)"), 0, 0, 0);
  fx.Yn("q1", "unknown");
  RequireBool(fx.Eval("answered(q1)"), 1, 1, 1);  // unknown is an answer
  fx.At("q1").enabled = false;
  RequireBool(fx.Eval("answered(q1)"), 0, 0, 0);
  CHECK(fx.Error("answered(q1, q2)", &off) == "answered() takes one item");
}

TEST_CASE("size and max over a repeated group, count over a group's item", "[expr][groups]") {
  Fx fx;
  const int kids = fx.Index("kids");
  auto block = [&](std::int64_t age, std::string_view saw) {
    std::vector<Slot> b(2);
    if (age >= 0) {
      b[0].kind = Slot::Kind::kInt;
      b[0].integer = age;
    }
    if (!saw.empty()) {
      b[1].kind = Slot::Kind::kCode;
      b[1].code = saw == "yes"  ? internal::kYes
                  : saw == "no" ? internal::kNo
                                : internal::kUnknownCode;
      b[1].unknown = saw == "unknown";
    }
    return b;
  };
  CHECK(fx.Eval("size(kids)", VType::kInt).pt == 0);
  CHECK(fx.Eval("max(kids.age)", VType::kInt).pt == 0);
  Slot& g = fx.slots[static_cast<std::size_t>(kids)];
  g.kind = Slot::Kind::kBlocks;
  g.blocks = {block(4, "yes"), block(9, "unknown")};
  CHECK(fx.Eval("size(kids)", VType::kInt).pt == 2);
  Val m = fx.Eval("max(kids.age)", VType::kInt);
  CHECK(m.pt == 9);
  CHECK(m.hi == 9);
  Val c = fx.Eval("count(yes, kids.saw)", VType::kInt);
  CHECK(c.pt == 1);
  CHECK(c.lo == 1);
  CHECK(c.hi == 2);
  g.blocks.push_back(block(-1, ""));  // a block without answers: age could be up to 17
  m = fx.Eval("max(kids.age)", VType::kInt);
  CHECK(m.pt == 9);
  CHECK(m.hi == 17);
  g.enabled = false;  // a disabled group has no blocks to count
  CHECK(fx.Eval("size(kids)", VType::kInt).pt == 0);
  CHECK(fx.Eval("count(yes, kids.saw)", VType::kInt).hi == 0);

  int off = -1;
  CHECK(fx.Error("max(age) > 1", &off) == "'age' belongs to another group");
  CHECK(fx.Error("age > 1", &off) == "'age' belongs to another group");
  CHECK(fx.Error("size(q1) > 1", &off) == "size() takes a repeated group");
  CHECK(fx.Error("max(n1) > 1", &off) == "max() takes a group item, e.g. max(calendar.severity)");
  CHECK(fx.Error("max(kids.saw) > 1", &off) == "max() needs a number item");
}

TEST_CASE("inside a block, the group's own items refer to that block", "[expr][groups]") {
  Fx fx;
  const int kids = fx.Index("kids");
  Expr e = fx.Compiled("age >= 3 and q1 == yes", VType::kBool, false, kids);
  std::vector<Slot> block(2);
  block[0].kind = Slot::Kind::kInt;
  block[0].integer = 5;
  fx.Yn("q1", "yes");
  auto ctx = fx.Ctx();
  ctx.block = &block;
  ctx.block_group = kids;
  CHECK(internal::Evaluate(e, ctx).pt == 1);
  block[0].integer = 2;
  CHECK(internal::Evaluate(e, ctx).pt == 0);
}

TEST_CASE("split SPJ factors are read through .current and .history", "[expr][spj]") {
  Fx fx;
  int off = -1;
  CHECK(fx.Error("f1 == present", &off) == "'f1' has two codes: write f1.current or f1.history");
  CHECK(fx.Error("q1.current == yes", &off) ==
        "'q1.current': only split factor codes have .current/.history");
  CHECK(fx.Error("f1.later == present", &off) ==
        "'f1.later': only split factor codes have .current/.history");
  CHECK(fx.Error("f2.current == present", &off).find("only split factor codes") !=
        std::string::npos);
  CHECK(fx.Error("count(present, f1) > 0", &off).find("has two codes") != std::string::npos);
  Slot& f1 = fx.At("f1");
  f1.kind = Slot::Kind::kSpj;
  f1.code = internal::kPresent;
  f1.code2 = internal::kAbsent;
  CHECK(fx.Eval("f1.current == present").pt == 1);
  CHECK(fx.Eval("f1.history == absent").pt == 1);
  CHECK(fx.Eval("f1.history == present").pt == 0);
  CHECK(fx.Eval("count(present, f1.current, f1.history, f2)", VType::kInt).pt == 1);
  Slot& f2 = fx.At("f2");
  f2.kind = Slot::Kind::kSpj;
  f2.code = internal::kInsufficient;
  f2.unknown = true;
  RequireBool(fx.Eval("f2 == present"), 0, 0, 1);  // insufficient could be anything
}

TEST_CASE("results are referable only in flags and recommendations", "[expr][scope]") {
  Fx fx;
  int off = -1;
  CHECK(fx.Error("judgement.acute == high", &off) ==
        "judgements are only known in flags and recommendations");
  CHECK(fx.Error("band_certain", &off) ==
        "'band_certain' is only known in flags and recommendations");
  CHECK(fx.Error("client_estimate == low", &off) ==
        "'client_estimate' is only known in flags and recommendations");
  CHECK(fx.Error("flag.f", &off).find("unknown flag 'f'") == 0);
  CHECK(fx.Error("judgement.other == high", &off, VType::kBool, true) ==
        "unknown judgement 'other'");
  CHECK(fx.Error("band == \"x\"", &off, VType::kBool, true) ==
        "'band': the instrument has no banding");
  CHECK(fx.Error("flag.f and judgement.acute == high", &off, VType::kBool, true).empty());
  fx.flags[0] = 1;
  CHECK(fx.Eval("flag.f", VType::kBool, true).pt == 1);
  // Without banding the final level is a level.
  CHECK(fx.Error("final_level == high", &off, VType::kBool, true).empty());
}

TEST_CASE("parse errors name the offending token's offset", "[expr][parse]") {
  Fx fx;
  struct Case {
    const char* src;
    const char* message;
    int offset;
  };
  const Case cases[] = {
      {"q1 == yes and", "unexpected end of expression", 13},
      {"q1 = yes", "unexpected '=' (use == or !=)", 3},
      {"(q1 == yes", "expected ')'", 10},
      {"q1 == yes $", "unexpected character '$'", 10},
      {"q1 == yes )", "unexpected ')'", 10},
      {"count() > 1", "count() needs arguments", 6},
      {"\"abc", "unterminated string", 0},
      {"n1 > 99999999999", "number too large", 5},
      {"and q1 == yes", "unexpected 'and'", 0},
      {"count(yes, q1 q2) > 1", "expected ',' or ')'", 14},
      {"count(yes, q1..) > 1", "expected an item id after '..'", 15},
      {"q1 == yes or", "unexpected end of expression", 12},
  };
  for (const auto& c : cases) {
    INFO(c.src);
    int off = -1;
    CHECK(fx.Error(c.src, &off) == c.message);
    CHECK(off == c.offset);
  }
}

TEST_CASE("offsets are counted in characters", "[expr][parse]") {
  Fx fx;
  int off = -1;
  // "é" is two bytes: the '$' is at character offset 10, byte offset 11.
  CHECK(fx.Error("\"é\" == q1 $", &off) == "unexpected character '$'");
  CHECK(off == 10);
  CHECK(fx.Error("q1 == yes and å", &off).rfind("unexpected character", 0) == 0);
  CHECK(off == 14);
}

// Regression test for a fixed bug: a non-ASCII character in a condition is quoted in the message by
// its first byte only ("unexpected character '\xC3'"), so the diagnostic is not valid UTF-8 (and a
// terminal or JSON encoder shows garbage or fails). It should quote the whole character.
TEST_CASE("messages about non-ASCII characters are valid UTF-8", "[expr][parse]") {
  Fx fx;
  int off = -1;
  std::string e = fx.Error("q1 == yes and å", &off);
  CHECK(internal::IsValidUtf8(e));
}

TEST_CASE("expressions nested too deeply or too long are refused", "[expr][parse]") {
  Fx fx;
  int off = -1;
  std::string deep = std::string(200, '(') + "q1 == yes" + std::string(200, ')');
  CHECK(fx.Error(deep, &off) == "expression nested too deeply");
  std::string nots;
  for (int i = 0; i < 200; ++i) nots += "not ";
  CHECK(fx.Error(nots + "q1 == yes", &off) == "expression nested too deeply");
  std::string longer = "q1 == yes";
  while (longer.size() <= 4000) longer += " or q1 == yes";
  CHECK(fx.Error(longer, &off) == "expression too long");
  // Moderate nesting is fine.
  CHECK(fx.Error(std::string(5, '(') + "q1 == yes" + std::string(5, ')'), &off).empty());
}

// ---------------------------------------------------------------------------------------
// Three-valued evaluation

TEST_CASE("unknown never counts as yes", "[expr][uncertain]") {
  Fx fx;
  fx.Yn("q1", "unknown");
  RequireBool(fx.Eval("q1 == yes"), 0, 0, 1);
  RequireBool(fx.Eval("q1 == no"), 0, 0, 1);
  RequireBool(fx.Eval("q1 != yes"), 1, 0, 1);
  CHECK(fx.Eval("count(yes, q1)", VType::kInt).pt == 0);
  CHECK(fx.Eval("any(yes, q1)").pt == 0);
  CHECK(fx.Eval("sum(yes, q1: 5)", VType::kInt).pt == 0);
}

TEST_CASE("count gives the lowest and highest possible counts", "[expr][uncertain]") {
  Fx fx;
  fx.Yn("q1", "yes");
  fx.Yn("q2", "unknown");
  // q3 unanswered
  Val v = fx.Eval("count(yes, q1..q3)", VType::kInt);
  CHECK(v.pt == 1);
  CHECK(v.lo == 1);
  CHECK(v.hi == 3);
  v = fx.Eval("count(no, q1..q3)", VType::kInt);
  CHECK(v.pt == 0);
  CHECK(v.lo == 0);
  CHECK(v.hi == 2);
  // A disabled item counts for nothing, whatever its answer.
  fx.Yn("q3", "yes");
  fx.At("q3").enabled = false;
  v = fx.Eval("count(yes, q1..q3)", VType::kInt);
  CHECK(v.pt == 1);
  CHECK(v.hi == 2);
}

TEST_CASE("any and all with unknown answers", "[expr][uncertain]") {
  Fx fx;
  fx.Yn("q1", "no");
  fx.Yn("q2", "unknown");
  fx.Yn("q3", "no");
  RequireBool(fx.Eval("any(yes, q1..q3)"), 0, 0, 1);
  fx.Yn("q3", "yes");
  RequireBool(fx.Eval("any(yes, q1..q3)"), 1, 1, 1);
  fx.Yn("q1", "yes");
  RequireBool(fx.Eval("all(yes, q1..q3)"), 0, 0, 1);
  fx.Yn("q2", "no");
  RequireBool(fx.Eval("all(yes, q1..q3)"), 0, 0, 0);
  fx.Yn("q2", "yes");
  RequireBool(fx.Eval("all(yes, q1..q3)"), 1, 1, 1);
}

TEST_CASE("and, or, not carry uncertainty", "[expr][uncertain]") {
  Fx fx;
  fx.Yn("q1", "no");
  fx.Yn("q2", "unknown");
  RequireBool(fx.Eval("q1 == yes and q2 == yes"), 0, 0, 0);  // certainly false
  RequireBool(fx.Eval("q1 == yes or q2 == yes"), 0, 0, 1);
  RequireBool(fx.Eval("q2 == yes and q1 == yes"), 0, 0, 0);
  fx.Yn("q1", "yes");
  RequireBool(fx.Eval("q1 == yes and q2 == yes"), 0, 0, 1);
  RequireBool(fx.Eval("q1 == yes or q2 == yes"), 1, 1, 1);  // certainly true
  RequireBool(fx.Eval("q2 == yes or q1 == yes"), 1, 1, 1);
  RequireBool(fx.Eval("not q2 == yes"), 1, 0, 1);
  RequireBool(fx.Eval("not q1 == yes"), 0, 0, 0);
  RequireBool(fx.Eval("(q2 == yes) == true"), 0, 0, 1);
}

TEST_CASE("comparisons of ranges are certain only when the ranges decide", "[expr][uncertain]") {
  Fx fx;
  fx.Yn("q1", "yes");
  fx.Yn("q2", "unknown");
  fx.Yn("q3", "no");
  RequireBool(fx.Eval("count(yes, q1..q3) >= 2"), 0, 0, 1);
  RequireBool(fx.Eval("count(yes, q1..q3) >= 1"), 1, 1, 1);
  RequireBool(fx.Eval("count(yes, q1..q3) >= 3"), 0, 0, 0);
  RequireBool(fx.Eval("count(yes, q1..q3) == 1"), 1, 0, 1);
  RequireBool(fx.Eval("count(yes, q1..q3) < 3"), 1, 1, 1);
  fx.Yn("q2", "yes");
  RequireBool(fx.Eval("count(yes, q1..q3) >= 2"), 1, 1, 1);
  fx.Num("n1", 3);
  // n2 unanswered: 0..10.
  RequireBool(fx.Eval("n1 == n2"), 0, 0, 1);
  RequireBool(fx.Eval("n2 > 10"), 0, 0, 0);
  // A missing answer never satisfies a comparison as given, though it could.
  Val any = fx.Eval("n2 >= 0");
  CHECK(any.pt == 0);
  CHECK(any.hi == 1);
  fx.Num("n2", 3);
  RequireBool(fx.Eval("n1 == n2"), 1, 1, 1);
  RequireBool(fx.Eval("n1 + n2 > 5"), 1, 1, 1);
}

TEST_CASE("contributing and uncertain items of an expression", "[expr][uncertain]") {
  Fx fx;
  fx.Yn("q1", "yes");
  fx.Yn("q2", "unknown");
  fx.Yn("q3", "no");
  Expr e = fx.Compiled("count(yes, q1..q3)", VType::kInt);
  std::vector<int> contributing, uncertain;
  internal::CollectContributing(e, fx.Ctx(), &contributing);
  internal::CollectUncertain(e, fx.Ctx(), &uncertain);
  CHECK(fx.Ids(contributing) == std::vector<std::string>{"q1"});
  CHECK(fx.Ids(uncertain) == std::vector<std::string>{"q2"});
  // A disabled item is never uncertain.
  fx.At("q2").enabled = false;
  uncertain.clear();
  internal::CollectUncertain(e, fx.Ctx(), &uncertain);
  CHECK(uncertain.empty());
}

TEST_CASE("an empty expression is always true", "[expr]") {
  Fx fx;
  Expr e;
  CHECK(e.empty());
  RequireBool(internal::Evaluate(e, fx.Ctx()), 1, 1, 1);
}
