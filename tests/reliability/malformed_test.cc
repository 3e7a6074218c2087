// Malformed input, table by table: every bad instrument definition, answers document and
// store input below is rejected with a message that says what is wrong and where (the
// file position, or the key), never quotes the offending answer, and changes nothing
// stored. Each row is one kind of malformation; its expected message fragment is part of
// the row, so a clearer message is a one-line change and a vaguer one fails here.
#include <sqlite3.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <screening/json.h>
#include <screening/registry.h>
#include <screening/session.h>
#include <screening/store.h>
#include <catch2/catch.hpp>

#include "reliability_support.h"
#include "test_paths.h"
#include "test_support.h"

namespace fs = std::filesystem;
using namespace screening;
using namespace screening::test;
using reliability::TableCounts;
using reliability::TempDir;

namespace {

// ---------------------------------------------------------------------------------------
// Instrument definitions

struct DefinitionCase {
  const char* what;
  std::string text;
  const char* fragment;  // expected in the diagnostic's message
  std::string marker;    // the diagnostic points here (its first character), "" = whole file
  int offset = 0;        // ... moved this many characters right
  int nth = 0;           // ... at this (0-based) occurrence of the marker
};

std::string Nested(int depth) {
  // Items inside items inside items: the parser's depth limit stops it before any
  // domain rule runs.
  std::string open, close;
  for (int i = 0; i < depth; ++i) {
    open += "items { id: \"g" + std::to_string(i) + "\" type: GROUP\n";
    close += "}\n";
  }
  return Def(Section("s", open + "NESTED_END " + close));
}

// A chain of conditions q1 <- q2 <- ... <- qN (each enabled by the one before): long, but
// legal; the loader must neither crash nor take long on it.
std::string ConditionChain(int n) {
  std::string items = YesNo("q0");
  for (int i = 1; i < n; ++i) {
    items +=
        YesNo("q" + std::to_string(i), "enabled_when: \"q" + std::to_string(i - 1) + " == yes\"");
  }
  return Def(Section("s", items));
}

std::vector<DefinitionCase> DefinitionCases() {
  std::vector<DefinitionCase> cases;
  cases.push_back({"a string where a number belongs",
                   Def(Section("s", Item("n", "INTEGER", "max: \"ten\""))), "integer", "\"ten\""});
  cases.push_back({"an unknown field", Def(Section("s", YesNo("q1", "colour: 3"))),
                   "no field named \"colour\"", "colour"});
  cases.push_back(
      {"an unknown enum value", Def(Section("s", Item("q1", "MAYBE_NO"))), "MAYBE_NO", "MAYBE_NO"});
  cases.push_back({"an item id used twice", Def(Section("s", YesNo("q1") + YesNo("q1"))), "'q1'",
                   "id: \"q1\"", 0, 1});
  cases.push_back({"a condition naming an unknown item",
                   Def(Section("s", YesNo("q1") + YesNo("q2", "enabled_when: \"q9 == yes\""))),
                   "unknown name 'q9'", "q9 == yes"});
  cases.push_back({"a condition comparing with a code the item does not offer",
                   Def(Section("s", YesNo("q1") + YesNo("q2", "enabled_when: \"q1 == maybe\""))),
                   "maybe", "maybe"});
  cases.push_back({"a choice code in a condition that is not an option",
                   Def(Section("s", Item("c", "SINGLE_CHOICE", Opt("red") + Opt("blue")) +
                                        YesNo("q2", "enabled_when: \"c == \\\"green\\\"\""))),
                   "green", "\\\"green"});
  cases.push_back({"an integer item whose range is empty",
                   Def(Section("s", Item("n", "INTEGER", "min: 5 max: 1"))),
                   "min is greater than max", "min: 5"});
  cases.push_back({"conditions that form a cycle",
                   Def(Section("s", YesNo("q1", "enabled_when: \"q2 == yes\"") +
                                        YesNo("q2", "enabled_when: \"q1 == yes\""))),
                   "cycle", "enabled_when"});
  cases.push_back({"bands with a gap",
                   Def(Section("s", YesNo("q1") + YesNo("q2") + YesNo("q3")) +
                       Score("total", "count(yes, q1..q3)") +
                       Banding("total", RangeBand("low", 0, 0) + RangeBand("high", 2, 3))),
                   "gap before it (1..1 is in no band)", "min: 2"});
  cases.push_back({"bands that overlap",
                   Def(Section("s", YesNo("q1") + YesNo("q2") + YesNo("q3")) +
                       Score("total", "count(yes, q1..q3)") +
                       Banding("total", RangeBand("low", 0, 2) + RangeBand("high", 2, 3))),
                   "overlaps the band before it", "min: 2"});
  cases.push_back({"bands that do not reach the highest score",
                   Def(Section("s", YesNo("q1") + YesNo("q2") + YesNo("q3")) +
                       Score("total", "count(yes, q1..q3)") +
                       Banding("total", RangeBand("low", 0, 1) + RangeBand("mid", 2, 2))),
                   "scores 3..3 of 'total' are in no band", "max: 2"});
  cases.push_back(
      {"an expression nested too deeply",
       Def(Section("s", YesNo("q1") + YesNo("q2", "enabled_when: \"" + std::string(100, '(') +
                                                      "q1 == yes" + std::string(100, ')') + "\""))),
       "nested too deeply", ""});
  cases.push_back({"text nested deeper than the parser allows", Nested(40), "deep", ""});
  cases.push_back({"a file that is not UTF-8",
                   Def(Section("s", YesNo("q1"))) + "# \xff\xfe not text\n", "not valid UTF-8",
                   ""});
  cases.push_back(
      {"a text that is not UTF-8 once unescaped",
       Def(Section("s",
                   "items { id: \"q1\" type: YES_NO text { lang: \"sv\" value: \"\\377\" } }\n")),
       "UTF-8", ""});
  {
    std::string items;
    for (int i = 0; i < 2001; ++i) items += YesNo("q" + std::to_string(i));
    cases.push_back({"more items than an instrument may have", Def(Section("s", items)),
                     "more than 2000 items", "id: \"q2000\"", 0});
  }
  cases.push_back({"an enormous file",
                   Def(Section("s", YesNo("q1"))) + "# " + std::string(5u << 20, 'x') + "\n",
                   "too large", ""});
  return cases;
}

// ---------------------------------------------------------------------------------------
// Answers documents (CONTRACTS.md, "Answers JSON") against every_type

struct AnswersCase {
  const char* what;
  std::string json;
  const char* fragment;  // expected in the message; names the key
  const char* secret;    // the offending value: must not appear in the message ("" = none)
};

std::shared_ptr<const Instrument> EveryType() {
  static const auto instrument = [] {
    Diagnostics diags;
    auto r =
        LoadInstrumentFile(TestInstrumentsDir() / "every_type.textproto", TestVocabulary(), &diags);
    INFO(Joined(diags));
    REQUIRE(r.ok());
    return *r;
  }();
  return instrument;
}

std::string Deep(int depth) {
  return "{\"answers\": {\"free\": " + std::string(static_cast<std::size_t>(depth), '[') +
         std::string(static_cast<std::size_t>(depth), ']') + "}}";
}

std::vector<AnswersCase> AnswersCases() {
  return {
      {"not an object", "[1, 2]", "expected a JSON object", ""},
      {"not JSON", "{\"answers\": {\"q1\": yes}}", "invalid JSON at byte", ""},
      {"an unknown top-level key", "{\"answerz\": {}}", "unknown key 'answerz'", ""},
      {"answers that are not an object", "{\"answers\": [\"yes\"]}", "answers: expected an object",
       ""},
      {"a yes/no answer that is a number", "{\"answers\": {\"q1\": 1}}", "answers.q1: expected",
       ""},
      {"a yes/no answer that is not a code", "{\"answers\": {\"q1\": \"maybe-secret\"}}",
       "answers.q1:", "maybe-secret"},
      {"a number that is text", "{\"answers\": {\"count_n\": \"3\"}}",
       "answers.count_n: expected a whole number", ""},
      {"a number that is a fraction", "{\"answers\": {\"count_n\": 1.5}}",
       "answers.count_n: expected a whole number", ""},
      {"a number above the item's range", "{\"answers\": {\"count_n\": 21}}",
       "answers.count_n: out of range (0..20)", ""},
      {"a number below the item's range", "{\"answers\": {\"count_n\": -1}}",
       "answers.count_n: out of range (0..20)", ""},
      {"a number beyond 64 bits", "{\"answers\": {\"count_n\": 18446744073709551615}}",
       "answers.count_n: out of range", ""},
      {"an unknown item id", "{\"answers\": {\"q99\": \"yes\"}}", "answers.q99: unknown item", ""},
      {"a note for an unknown item", "{\"answers\": {\"q99_note\": \"x\"}}",
       "answers.q99_note: unknown item", ""},
      {"a group item given at the top level", "{\"answers\": {\"age\": 4}}",
       "answers.age: belongs to group 'kids'", ""},
      {"a choice code that does not exist", "{\"answers\": {\"place\": \"garden-secret\"}}",
       "answers.place:", "garden-secret"},
      {"a multi-choice code that does not exist",
       "{\"answers\": {\"kinds\": [\"physical\", \"nuclear-secret\"]}}",
       "answers.kinds:", "nuclear-secret"},
      {"a multi-choice code given twice",
       "{\"answers\": {\"kinds\": [\"physical\", \"physical\"]}}", "a code is given twice", ""},
      {"a factor code that does not exist",
       "{\"answers\": {\"factor\": {\"current\": \"huge-secret\"}}}",
       "answers.factor:", "huge-secret"},
      {"a split factor given as one code", "{\"answers\": {\"factor\": \"present\"}}",
       "answers.factor: expected {\"current\": code, \"history\": code}", ""},
      {"a protective answer out of range", "{\"answers\": {\"shield\": 3}}", "answers.shield:", ""},
      {"a date that does not exist", "{\"answers\": {\"when\": \"2023-02-29\"}}",
       "answers.when: expected a date YYYY-MM-DD", "2023-02-29"},
      {"a block item out of range", "{\"answers\": {\"kids\": [{\"age\": 4}, {\"age\": 18}]}}",
       "block 2", ""},
      {"a block with an unknown item", "{\"answers\": {\"kids\": [{\"q1\": \"yes\"}]}}",
       "unknown item in this group", ""},
      {"more blocks than the group allows",
       "{\"answers\": {\"kids\": [{\"age\": 1}, {\"age\": 2}, {\"age\": 3}, {\"age\": 4}]}}",
       "at most 3 blocks", ""},
      {"free text that is not UTF-8", "{\"answers\": {\"free\": \"a\xff\xfe secret\"}}",
       "invalid JSON at byte", "secret"},
      {"free text with a right-to-left override",
       "{\"answers\": {\"free\": \"abc \\u202e terces\"}}",
       "answers.free: the text contains bidirectional control characters", "terces"},
      {"a note with a directional isolate", "{\"answers\": {\"q1_note\": \"x \\u2066 secret\"}}",
       "q1_note: the text contains bidirectional control characters", "secret"},
      {"a rationale with a control character",
       "{\"judgements\": {\"assessor\": {\"level\": \"low\", \"rationale\": \"a\\u0007secret\"}}}",
       "the text contains control characters", "secret"},
      {"an override reason with an override character",
       "{\"override\": {\"band\": \"high\", \"reason\": \"\\u202dsecret\"}}",
       "override.reason: the text contains bidirectional control characters", "secret"},
      {"free text that is too long",
       "{\"answers\": {\"free\": \"" + std::string(10001, 'a') + "\"}}",
       "answers.free: the text is longer than 10000 characters", ""},
      {"an unknown judgement",
       "{\"judgements\": {\"gut\": {\"level\": \"low\", \"rationale\": "
       "\"r\"}}}",
       "judgements.gut: unknown judgement", ""},
      {"a judgement level that does not exist",
       "{\"judgements\": {\"assessor\": {\"level\": \"extreme\", \"rationale\": \"r\"}}}",
       "judgements.assessor.level", ""},
      {"an override naming a band that does not exist",
       "{\"override\": {\"band\": \"extreme\", \"reason\": \"r\"}}",
       "override.band: not a band of this instrument", ""},
      {"a duplicate key", "{\"answers\": {\"q1\": \"yes\", \"q1\": \"no\"}}", "duplicate key 'q1'",
       ""},
      {"deeply nested arrays", Deep(100000), "answers.free: expected text", ""},
      {"an enormous document",
       "{\"answers\": {\"free\": \"" + std::string((1u << 20) + 10, 'a') + "\"}}",
       "larger than 1048576 bytes", ""},
  };
}

// ---------------------------------------------------------------------------------------
// The store

constexpr const char* kPassword = "synthetic test password 1";

std::shared_ptr<const Registry> Instruments() {
  static auto registry = [] {
    auto r = Registry::LoadDirectory(SCREENING_TEST_INSTRUMENTS_DIR, nullptr);
    REQUIRE(r.ok());
    return *r;
  }();
  return registry;
}

// A store with a unit, a caseworker and a supervisor, one submitted and one approved
// assessment and a contact, so that every kind of bad input has something to hit.
struct StoreFixture {
  TempDir dir{"malformed"};
  fs::path db = dir.path / "db" / "screening.db";
  std::unique_ptr<Store> store;
  Actor admin, kim, sven;
  std::int64_t submitted = 0, approved = 0;

  StoreFixture() {
    StoreOptions o;
    o.password_cost = 0;
    o.audit_key_file = dir.path / "keys" / "audit.key";
    auto created = CreateSqliteStore(db, Instruments(), "admin", kPassword, o);
    INFO(created.status().ToString());
    REQUIRE(created.ok());
    store = std::move(*created);
    admin = Login("admin");
    REQUIRE(store->AddUnit(admin, "ifo_vuxen").ok());
    REQUIRE(AddUserReady(*store, admin, "kim", Role::kCaseworker, {"ifo_vuxen"}, kPassword).ok());
    REQUIRE(AddUserReady(*store, admin, "sven", Role::kSupervisor, {"ifo_vuxen"}, kPassword).ok());
    kim = Login("kim");
    sven = Login("sven");
    submitted = Submitted("A-1");
    approved = Submitted("A-2");
    REQUIRE(store->Approve(sven, approved, "ok").ok());
    Open("C-1");  // the case the malformed calls below name
  }

  // Opens a case the only way cases are opened: a contact.
  void Open(const char* ref) {
    ContactInput c;
    c.unit = "ifo_vuxen";
    c.case_ref = ref;
    c.contact_date = "2024-05-01";
    c.outcome = "not_disclosed";
    auto id = store->AddContact(kim, c);
    INFO(id.status().ToString());
    REQUIRE(id.ok());
  }

  Actor Login(const char* name) {
    auto a = store->Login(name, kPassword);
    INFO(a.status().ToString());
    REQUIRE(a.ok());
    return *a;
  }

  Session DashSession(int yes) const {
    Session s(Instruments()->Find("dash"));
    for (int q = 1; q <= 24; ++q)
      REQUIRE(s.SetCode("q" + std::to_string(q), q <= yes ? "yes" : "no").ok());
    return s;
  }

  std::int64_t Submitted(const char* ref) {
    Open(ref);
    AssessmentInput in;
    in.unit = "ifo_vuxen";
    in.case_ref = ref;
    auto id = store->CreateDraft(kim, in, DashSession(3));
    INFO(id.status().ToString());
    REQUIRE(id.ok());
    Status st = store->Submit(kim, *id);
    INFO(st.ToString());
    REQUIRE(st.ok());
    return *id;
  }
};

struct StoreCase {
  const char* what;
  std::function<Status(StoreFixture&)> call;
  StatusCode code;
  const char* fragment;
};

ContactInput GoodContact() {
  ContactInput c;
  c.unit = "ifo_vuxen";
  c.case_ref = "C-1";
  c.contact_date = "2024-05-02";
  c.outcome = "not_disclosed";
  return c;
}

Status Contact(StoreFixture& f, const std::function<void(ContactInput&)>& change) {
  ContactInput c = GoodContact();
  change(c);
  return f.store->AddContact(f.kim, c).status();
}

SubjectInput GoodSubject() {
  SubjectInput s;
  s.unit = "ifo_vuxen";
  s.case_ref = "C-1";
  s.role = "adult_victim";
  s.age_band = "25-44";
  return s;
}

Status Subject(StoreFixture& f, const std::function<void(SubjectInput&)>& change) {
  SubjectInput s = GoodSubject();
  change(s);
  return f.store->AddSubject(f.kim, s).status();
}

Status Draft(StoreFixture& f, const std::function<void(AssessmentInput&)>& change) {
  AssessmentInput in;
  in.unit = "ifo_vuxen";
  in.case_ref = "C-1";
  change(in);
  return f.store->CreateDraft(f.kim, in, f.DashSession(2)).status();
}

std::vector<StoreCase> StoreCases() {
  using S = StoreFixture;
  const auto kInvalid = StatusCode::kInvalidArgument;
  return {
      {"a unit id that is not an id",
       [](S& f) { return Contact(f, [](ContactInput& c) { c.unit = "IFO vuxen"; }); }, kInvalid,
       "unit: expected a unit id"},
      {"a contact date that does not exist",
       [](S& f) { return Contact(f, [](ContactInput& c) { c.contact_date = "2023-02-29"; }); },
       kInvalid, "contact date: expected YYYY-MM-DD"},
      {"an outcome that is not an outcome",
       [](S& f) { return Contact(f, [](ContactInput& c) { c.outcome = "maybe"; }); }, kInvalid,
       "outcome: expected disclosed"},
      {"not asked without a reason",
       [](S& f) { return Contact(f, [](ContactInput& c) { c.outcome = "not_asked"; }); }, kInvalid,
       "not-asked reason"},
      {"a not-asked reason that does not exist",
       [](S& f) {
         return Contact(f, [](ContactInput& c) {
           c.outcome = "not_asked";
           c.not_asked_reason = "tired";
         });
       },
       kInvalid, "not-asked reason: not one of the reasons"},
      {"reason 'other' without a note",
       [](S& f) {
         return Contact(f, [](ContactInput& c) {
           c.outcome = "not_asked";
           c.not_asked_reason = "other";
         });
       },
       kInvalid, "not-asked note"},
      {"a violence type that does not exist",
       [](S& f) {
         return Contact(f, [](ContactInput& c) {
           c.outcome = "disclosed";
           c.violence_types = {"physical", "cosmic"};
         });
       },
       kInvalid, "violence types: unknown type"},
      {"violence types without a disclosure",
       [](S& f) { return Contact(f, [](ContactInput& c) { c.violence_types = {"physical"}; }); },
       kInvalid, "violence types: recorded only with a disclosure"},
      {"a personal identity number as case reference",
       [](S& f) { return Contact(f, [](ContactInput& c) { c.case_ref = "19121212-1212"; }); },
       kInvalid, "looks like a personal identity number"},
      {"a case reference with a control character",
       [](S& f) { return Contact(f, [](ContactInput& c) { c.case_ref = "C\n1"; }); }, kInvalid,
       "case reference: control characters"},
      {"a case reference that is too long",
       [](S& f) { return Contact(f, [](ContactInput& c) { c.case_ref = std::string(65, 'C'); }); },
       kInvalid, "case reference: 1 to 64 characters"},
      {"a subject role that does not exist",
       [](S& f) { return Subject(f, [](SubjectInput& s) { s.role = "bystander"; }); }, kInvalid,
       "role: expected adult_victim, child or perpetrator"},
      {"an age band that does not exist",
       [](S& f) { return Subject(f, [](SubjectInput& s) { s.age_band = "30-40"; }); }, kInvalid,
       "age band: not one of the bands"},
      {"a vulnerable group that does not exist",
       [](S& f) { return Subject(f, [](SubjectInput& s) { s.vulnerable_groups = {"tall"}; }); },
       kInvalid, "vulnerable group: unknown group"},
      {"a draft with a personal identity number",
       [](S& f) { return Draft(f, [](AssessmentInput& in) { in.case_ref = "121212-1212"; }); },
       kInvalid, "personal identity number"},
      {"a draft for a unit id that is not an id",
       [](S& f) { return Draft(f, [](AssessmentInput& in) { in.unit = "../etc"; }); }, kInvalid,
       "unit: expected a unit id"},
      {"a return without a comment", [](S& f) { return f.store->Return(f.sven, f.submitted, ""); },
       kInvalid, "comment: say what needs to change"},
      {"a level change to a level that does not exist",
       [](S& f) { return f.store->ChangeLevel(f.sven, f.submitted, "extreme", "because"); },
       kInvalid, "not a band of this instrument"},
      {"a level change without a reason",
       [](S& f) { return f.store->ChangeLevel(f.sven, f.submitted, "below_threshold", ""); },
       kInvalid, "reason"},
      {"an amendment without a reason",
       [](S& f) { return f.store->Amend(f.kim, f.approved, "", f.DashSession(4)).status(); },
       kInvalid, "reason: an amendment needs a reason"},
      {"an approved assessment changed",
       [](S& f) { return f.store->UpdateDraft(f.kim, f.approved, f.DashSession(5)); },
       StatusCode::kFailedPrecondition, ""},
      {"support given without resources",
       [](S& f) {
         return f.store->RecordSupportGiven(f.kim, "ifo_vuxen", "A-1", std::nullopt, {});
       },
       kInvalid, "resources: name at least one resource"},
      {"support given with a resource id that is not an id",
       [](S& f) {
         return f.store->RecordSupportGiven(f.kim, "ifo_vuxen", "A-1", std::nullopt,
                                            {"Kvinnojouren; DROP TABLE"});
       },
       kInvalid, "resources: expected resource ids"},
      {"a user name that is not a name",
       [](S& f) {
         return f.store->AddUser(f.admin, "Robert'); DROP TABLE users;--", Role::kCaseworker,
                                 {"ifo_vuxen"}, kPassword);
       },
       kInvalid, "user name"},
      // The API takes a Role; a role's id from outside (the CLI, JSON) is read by ParseRole.
      {"a role that does not exist", [](S&) { return ParseRole("root").status(); }, kInvalid,
       "role: expected caseworker, supervisor, coordinator or admin"},
  };
}

// Free text the store keeps itself (not through a Session, which checks it): the same rule
// as answers (valid UTF-8, no control or bidirectional override characters) applies.
std::vector<StoreCase> StoreFreeTextCases() {
  using S = StoreFixture;
  const auto kInvalid = StatusCode::kInvalidArgument;
  const std::string bidi = "note \xE2\x80\xAE secret";
  const std::string bad_utf8 = "note \xC3\x28 secret";
  return {
      {"a not-asked note with a right-to-left override",
       [bidi](S& f) {
         return Contact(f, [&](ContactInput& c) {
           c.outcome = "not_asked";
           c.not_asked_reason = "other";
           c.not_asked_note = bidi;
         });
       },
       kInvalid, "bidirectional"},
      {"a not-asked note that is not UTF-8",
       [bad_utf8](S& f) {
         return Contact(f, [&](ContactInput& c) {
           c.outcome = "not_asked";
           c.not_asked_reason = "other";
           c.not_asked_note = bad_utf8;
         });
       },
       kInvalid, "UTF-8"},
      {"a case reference that is not UTF-8",
       [](S& f) { return Contact(f, [](ContactInput& c) { c.case_ref = "C-\xff"; }); }, kInvalid,
       "UTF-8"},
      {"a return comment with a right-to-left override",
       [bidi](S& f) { return f.store->Return(f.sven, f.submitted, bidi); }, kInvalid,
       "bidirectional"},
      {"an amendment reason that is not UTF-8",
       [bad_utf8](S& f) {
         return f.store->Amend(f.kim, f.approved, bad_utf8, f.DashSession(4)).status();
       },
       kInvalid, "UTF-8"},
      {"a level-change reason with a right-to-left override",
       [bidi](S& f) { return f.store->ChangeLevel(f.sven, f.submitted, "below_threshold", bidi); },
       kInvalid, "bidirectional"},
  };
}

void RunStoreCases(const std::vector<StoreCase>& cases) {
  StoreFixture f;
  for (const auto& c : cases) {
    SECTION(c.what) {
      const auto before = TableCounts(f.db);
      const Status st = c.call(f);
      INFO(c.what << ": " << st.ToString());
      CHECK_FALSE(st.ok());
      CHECK(st.code() == c.code);
      CHECK(st.message().find(c.fragment) != std::string::npos);
      CHECK(st.message().find("secret") == std::string::npos);
      // Nothing stored changed: not a row in any table, not an audit event.
      CHECK(TableCounts(f.db) == before);
      // And the store still works after the refusal.
      auto check = f.store->Check(f.admin);
      REQUIRE(check.ok());
      CHECK(check->ok);
    }
  }
}

}  // namespace

TEST_CASE("malformed instrument definitions are refused with a located message",
          "[reliability][malformed]") {
  for (const auto& c : DefinitionCases()) {
    SECTION(c.what) {
      Loaded l = Load(c.text, "bad.textproto");
      INFO(c.what << "\n" << l.joined());
      REQUIRE_FALSE(l.ok());
      CHECK(l.status.code() == StatusCode::kInvalidArgument);
      const Diagnostic* d = l.Find(c.fragment);
      REQUIRE(d != nullptr);
      CHECK(d->file == "bad.textproto");
      if (c.marker.empty()) continue;
      const Pos want = Locate(c.text, c.marker, c.offset, c.nth);
      CHECK(d->line == want.line);
      CHECK(d->column == want.column);
    }
  }
}

TEST_CASE("a long chain of conditions loads without exhausting the stack",
          "[reliability][malformed]") {
  // Ordering the conditions walks the chain; as deep as an instrument may be (2000 items)
  // must neither crash it nor take long.
  const std::string text = ConditionChain(2000);
  REQUIRE(text.size() < (4u << 20));
  Loaded l = Load(text);
  INFO(l.joined().substr(0, 2000));
  CHECK(l.ok());
}

TEST_CASE("malformed answers are refused naming the key, never the value",
          "[reliability][malformed]") {
  const auto instrument = EveryType();
  for (const auto& c : AnswersCases()) {
    SECTION(c.what) {
      auto session = ParseAnswersJson(instrument, c.json);
      INFO(c.what << ": " << session.status().ToString().substr(0, 300));
      REQUIRE_FALSE(session.ok());
      CHECK(session.status().code() == StatusCode::kInvalidArgument);
      CHECK(session.status().message().find(c.fragment) != std::string::npos);
      if (*c.secret) CHECK(session.status().message().find(c.secret) == std::string::npos);
      CHECK(session.status().message().size() < 300);
    }
  }
}

TEST_CASE("malformed store input is refused and changes nothing stored",
          "[reliability][malformed][store]") {
  RunStoreCases(StoreCases());
}

// The store keeps not-asked notes, case references, review comments and reasons under the
// free-text rule that Session applies to answers.
TEST_CASE("free text the store keeps itself follows the free-text rule",
          "[reliability][malformed][store]") {
  RunStoreCases(StoreFreeTextCases());
}
