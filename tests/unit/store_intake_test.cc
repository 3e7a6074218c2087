// The intake in the library (Store::RecordIntake): the one rule that finds the routine
// question, the one rule that turns its answers into a contact's outcome, and the one
// transaction that records the contact, the persons, the routine question and its due items.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "store_fixture.h"
#include "test_paths.h"

namespace screening::test {
namespace {

// A routine-question session where the question was asked, with `outcome` recorded.
Session RoutineAsked(const std::string& outcome, bool children = false) {
  Session s(RealInstrument("rutinfraga"));
  RequireOk(s.SetCode("safe_to_ask", "yes"));
  RequireOk(s.SetCode("q2", "yes"));
  RequireOk(s.SetCode("outcome", outcome));
  if (outcome == "disclosed") {
    v1::AnswerValue types;
    types.mutable_codes()->add_codes("physical");
    types.mutable_codes()->add_codes("economic");
    RequireOk(s.Set("violence_types", types));
  }
  RequireOk(s.SetCode("children_in_household", children ? "yes" : "no"));
  if (children) RequireOk(s.SetInteger("children_count", 2));
  return s;
}

IntakeInput IntakeFor(std::string_view case_ref, std::string_view date = "2025-03-14") {
  IntakeInput intake;
  intake.unit = "ifo_vuxen";
  intake.case_ref = std::string(case_ref);
  intake.contact_date = std::string(date);
  return intake;
}

// A folder with the real vocabulary and the named instrument files (`as` names the copy).
struct InstrumentFolder {
  TempFolder tmp;
  void Copy(const std::string& file, const std::string& as = {},
            const std::string& new_id = {}) const {
    std::ifstream in(fs::path(SCREENING_TEST_INSTRUMENTS_DIR) / file);
    std::stringstream text;
    text << in.rdbuf();
    std::string content = text.str();
    if (!new_id.empty()) {
      const std::string from = "id: \"rutinfraga\"";
      const auto at = content.find(from);
      REQUIRE(at != std::string::npos);
      content.replace(at, from.size(), "id: \"" + new_id + "\"");
    }
    std::ofstream(tmp.path / (as.empty() ? file : as)) << content;
  }
  std::shared_ptr<const Registry> Load() const {
    Diagnostics diagnostics;
    return RequireOk(Registry::LoadDirectory(tmp.path, &diagnostics));
  }
};

}  // namespace

TEST_CASE("the routine question is found by its kind, in every version", "[store][intake]") {
  auto routine = RequireOk(RoutineInstrument(*RealInstruments()));
  CHECK(routine->id() == "rutinfraga");
  CHECK(routine == RealInstruments()->Find("rutinfraga"));  // the current version
  CHECK(IsRoutineInstrument(*RealInstruments()->Find("rutinfraga", "1.0.0")));
  for (const char* other : {"dash", "farlighet", "barn", "utovare", "odara"}) {
    INFO(other);
    CHECK_FALSE(IsRoutineInstrument(*RealInstrument(other)));
  }

  InstrumentFolder none;
  none.Copy("vocabulary.textproto");
  none.Copy("dash.textproto");
  CHECK(RoutineInstrument(*none.Load()).status().code() == StatusCode::kNotFound);

  // Two instruments that are both the routine question: which to ask would be a guess.
  InstrumentFolder two;
  two.Copy("vocabulary.textproto");
  two.Copy("rutinfraga.textproto");
  two.Copy("rutinfraga.textproto", "rutinfraga2.textproto", "rutinfraga2");
  CHECK(RoutineInstrument(*two.Load()).status().code() == StatusCode::kFailedPrecondition);
}

TEST_CASE("the contact's outcome is the routine question's band, with its reason or types",
          "[store][intake]") {
  const IntakeInput intake = IntakeFor("I-1");
  {
    const ContactInput c = RequireOk(IntakeContact(intake, RoutineAsked("disclosed")));
    CHECK(c.unit == "ifo_vuxen");
    CHECK(c.case_ref == "I-1");
    CHECK(c.contact_date == "2025-03-14");
    CHECK(c.outcome == "disclosed");
    CHECK(c.violence_types == std::vector<std::string>{"physical", "economic"});
    CHECK(c.not_asked_reason.empty());
  }
  for (const char* outcome : {"not_disclosed", "declined"}) {
    const ContactInput c = RequireOk(IntakeContact(intake, RoutineAsked(outcome)));
    CHECK(c.outcome == outcome);
    CHECK(c.violence_types.empty());
    CHECK(c.not_asked_reason.empty());
  }
  {
    Session s(RealInstrument("rutinfraga"));
    RequireOk(s.SetCode("safe_to_ask", "no"));
    RequireOk(s.SetCode("not_asked_reason", "other"));
    RequireOk(s.SetNote("not_asked_reason", "Synthetic reason."));
    RequireOk(s.SetCode("children_in_household", "unknown"));
    const ContactInput c = RequireOk(IntakeContact(intake, s));
    CHECK(c.outcome == "not_asked");
    CHECK(c.not_asked_reason == "other");
    CHECK(c.not_asked_note == "Synthetic reason.");
  }
  // The archived version records the same way.
  {
    Session s(RealInstruments()->Find("rutinfraga", "1.0.0"));
    RequireOk(s.SetCode("safe_to_ask", "no"));
    RequireOk(s.SetCode("not_asked_reason", "not_alone"));
    RequireOk(s.SetCode("children_in_household", "no"));
    CHECK(RequireOk(IntakeContact(intake, s)).outcome == "not_asked");
  }
  CHECK(IntakeContact(intake, DashSession(3)).status().code() == StatusCode::kInvalidArgument);
}

// The rule the CLI had (not asked when safe_to_ask is no, else the outcome answer) agrees with
// the band for every answer set that can be submitted: the band is the one rule, not a change.
TEST_CASE("for submittable answers the band and the outcome answer agree", "[store][intake]") {
  const IntakeInput intake = IntakeFor("I-2");
  std::vector<Session> sessions;
  for (const char* outcome : {"disclosed", "not_disclosed", "declined"}) {
    for (bool children : {false, true}) sessions.push_back(RoutineAsked(outcome, children));
  }
  for (const char* reason :
       {"not_alone", "relative_interpreter", "no_private_room", "acute_crisis", "child_present"}) {
    Session s(RealInstrument("rutinfraga"));
    RequireOk(s.SetCode("safe_to_ask", "no"));
    RequireOk(s.SetCode("not_asked_reason", reason));
    RequireOk(s.SetCode("children_in_household", "yes"));
    sessions.push_back(std::move(s));
  }
  for (const Session& s : sessions) {
    RequireOk(s.CheckFinishable());
    const auto& answers = s.answers().answers();
    const std::string asked = answers.at("safe_to_ask").code();
    const std::string by_answers = asked == "no" ? "not_asked" : answers.at("outcome").code();
    CHECK(RequireOk(IntakeContact(intake, s)).outcome == by_answers);
  }
}

TEST_CASE("RecordIntake records the contact, the persons, the routine question and its due items",
          "[store][intake]") {
  StoreFixture f;
  IntakeInput intake = IntakeFor("I-3");
  intake.lang = "en";
  SubjectInput child;
  child.role = "child";
  child.age_band = "6-12";
  intake.persons = {child};
  const IntakeRecorded recorded =
      RequireOk(f.s().RecordIntake(f.kim, intake, RoutineAsked("disclosed", true)));

  CHECK(recorded.contact.outcome == "disclosed");
  CHECK(f.Scalar("SELECT COUNT(*) FROM contacts WHERE id = " + std::to_string(recorded.contact_id) +
                 " AND outcome = 'disclosed'") == 1);
  CHECK(f.Scalar("SELECT COUNT(*) FROM contact_violence_types WHERE contact_id = " +
                 std::to_string(recorded.contact_id)) == 2);

  const AssessmentRecord record = RequireOk(f.s().Get(f.kim, recorded.assessment_id));
  CHECK(record.instrument_id == "rutinfraga");
  CHECK(record.status == AssessmentStatus::kSubmitted);
  CHECK(record.contact_id == recorded.contact_id);
  CHECK(record.lang == "en");
  CHECK_FALSE(record.subject_id.has_value());

  REQUIRE(recorded.subject_ids.size() == 1);
  const auto people = RequireOk(f.s().Subjects(f.kim, "ifo_vuxen", "I-3"));
  REQUIRE(people.size() == 1);
  CHECK(people[0].id == recorded.subject_ids[0]);
  CHECK(people[0].role == "child");
  CHECK(people[0].age_band == "6-12");

  bool protection = false;
  for (const DueItem& d : RequireOk(f.s().Due(f.kim, false))) {
    CHECK(d.assessment_id == recorded.assessment_id);
    protection = protection || d.kind == "protection_assessment";
  }
  CHECK(protection);
}

TEST_CASE("RecordIntake discards the draft it replaces", "[store][intake]") {
  StoreFixture f;
  f.Intake(f.kim, "I-4");
  const std::int64_t draft = f.Draft(f.kim, "I-4", RoutineNotAskedSession());
  IntakeInput intake = IntakeFor("I-4");
  intake.draft_to_discard = draft;
  const IntakeRecorded recorded =
      RequireOk(f.s().RecordIntake(f.kim, intake, RoutineNotAskedSession()));
  CHECK(recorded.contact.outcome == "not_asked");
  CHECK(recorded.contact.not_asked_reason == "not_alone");
  CHECK(f.Status_(draft) == "discarded");
  CHECK(f.Status_(recorded.assessment_id) == "submitted");
}

TEST_CASE("RecordIntake keeps all of it or nothing", "[store][intake]") {
  StoreFixture f;
  const std::int64_t contacts = f.Rows("contacts");
  const std::int64_t assessments = f.Rows("assessments");

  SECTION("missing answers") {
    Session unfinished(RealInstrument("rutinfraga"));
    RequireOk(unfinished.SetCode("safe_to_ask", "yes"));
    CHECK(f.s().RecordIntake(f.kim, IntakeFor("I-5"), unfinished).status().code() ==
          StatusCode::kFailedPrecondition);
  }
  SECTION("a protected case the user has no grant to: refused after the contact") {
    f.Intake(f.sara, "I-6");
    SubjectInput hidden;
    hidden.unit = "ifo_vuxen";
    hidden.case_ref = "I-6";
    hidden.role = "adult_victim";
    hidden.protected_identity = true;
    RequireOk(f.s().AddSubject(f.sara, hidden));
    const std::int64_t before = f.Rows("contacts");
    CHECK(f.s().RecordIntake(f.kim, IntakeFor("I-6"), RoutineNotAskedSession()).status().code() ==
          StatusCode::kNotFound);
    CHECK(f.Rows("contacts") == before);
    return;
  }
  SECTION("a person of another case") {
    IntakeInput intake = IntakeFor("I-7");
    SubjectInput elsewhere;
    elsewhere.case_ref = "I-8";
    elsewhere.role = "adult_victim";
    intake.persons = {elsewhere};
    CHECK(f.s().RecordIntake(f.kim, intake, RoutineNotAskedSession()).status().code() ==
          StatusCode::kInvalidArgument);
  }
  SECTION("inside Bulk, which does not nest") {
    Status inner;
    RequireOk(f.s().Bulk([&] {
      inner = f.s().RecordIntake(f.kim, IntakeFor("I-9"), RoutineNotAskedSession()).status();
      return Status::Ok();
    }));
    CHECK(inner.code() == StatusCode::kFailedPrecondition);
  }
  CHECK(f.Rows("contacts") == contacts);
  CHECK(f.Rows("assessments") == assessments);
}

}  // namespace screening::test
