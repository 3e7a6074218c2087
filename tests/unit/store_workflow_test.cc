// The review workflow of the case store: draft -> submitted -> approved, or returned with a
// comment -> draft again; the supervisor's level change before approval; amendments of an
// approved assessment; discarding drafts; and every illegal transition.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "store_fixture.h"

namespace screening::test {
namespace {

// Every status-changing call on one assessment, by the role allowed to make it; each
// returns its status code, so a test can state which are refused in a given state.
struct Moves {
  StoreFixture& f;
  std::int64_t id;

  StatusCode Update() { return f.s().UpdateDraft(f.kim, id, DashSession(5)).code(); }
  StatusCode Submit() { return f.s().Submit(f.kim, id).code(); }
  StatusCode Discard() { return f.s().DiscardDraft(f.kim, id).code(); }
  StatusCode Approve() { return f.s().Approve(f.sara, id, "OK").code(); }
  StatusCode Return() { return f.s().Return(f.sara, id, "Komplettera fråga 3.").code(); }
  StatusCode ChangeLevel() {
    return f.s().ChangeLevel(f.sara, id, "below_threshold", "Syntetiskt skäl.").code();
  }
  StatusCode Amend() {
    return f.s().Amend(f.kim, id, "Rättelse.", DashSession(16)).status().code();
  }
};

constexpr auto kRefused = StatusCode::kFailedPrecondition;

TEST_CASE("draft -> submitted -> approved, each step stored and audited", "[store][workflow]") {
  StoreFixture f;
  const std::int64_t seq = f.LastSeq();
  const std::int64_t id = f.Draft(f.kim, "IFO-1", DashSession(15));
  auto draft = RequireOk(f.s().Get(f.kim, id));
  CHECK(draft.status == AssessmentStatus::kDraft);
  CHECK(draft.version == 1);
  CHECK(draft.chain_id == id);
  CHECK(draft.author == "kim");
  CHECK(draft.instrument_id == "dash");
  CHECK_FALSE(draft.result.has_value());
  CHECK(draft.answers.answers().size() == 24);

  RequireOk(f.s().Submit(f.kim, id));
  auto submitted = RequireOk(f.s().Get(f.kim, id));
  CHECK(submitted.status == AssessmentStatus::kSubmitted);
  REQUIRE(submitted.result.has_value());
  CHECK(submitted.result->band() == "high");
  CHECK(submitted.result->final_level() == "high");
  CHECK(submitted.submitted_utc == "2025-03-14T10:00:00Z");
  // The indexed columns the indicators count.
  CHECK(f.Scalar("SELECT COUNT(*) FROM assessments WHERE id = " + std::to_string(id) +
                 " AND band = 'high' AND final_level = 'high' AND computed_level = 'high' AND "
                 "submitted_local_date = '2025-03-14'") == 1);
  CHECK(f.Scalar("SELECT COUNT(*) FROM assessment_recommendations WHERE assessment_id = " +
                 std::to_string(id) + " AND recommendation = 'multi_agency_referral'") == 1);

  f.clock->Advance(3600);
  RequireOk(f.s().Approve(f.sara, id, "Godkänd."));
  auto approved = RequireOk(f.s().Get(f.kim, id));
  CHECK(approved.status == AssessmentStatus::kApproved);
  CHECK(approved.approved_utc == "2025-03-14T11:00:00Z");
  CHECK(approved.review_comment == "Godkänd.");

  auto reviews = RequireOk(f.s().Reviews(f.kim, id));
  REQUIRE(reviews.size() == 1);
  CHECK(reviews[0].reviewer == "sara");
  CHECK(reviews[0].decision == "approved");
  CHECK(reviews[0].comment == "Godkänd.");

  const std::string obj = "assessment:" + std::to_string(id);
  CHECK(f.CountAudit(seq, "kim", "create_draft", obj) == 1);
  CHECK(f.CountAudit(seq, "kim", "submit", obj) == 1);
  CHECK(f.CountAudit(seq, "sara", "approve", obj) == 1);
  CHECK(f.CountAudit(seq, "kim", "open", obj) == 3);
}

TEST_CASE("submitted -> returned (comment required) -> draft -> submitted -> approved",
          "[store][workflow]") {
  StoreFixture f;
  const std::int64_t id = f.Submitted(f.kim, "IFO-1", DashSession(10));
  const std::int64_t seq = f.LastSeq();

  for (const char* empty : {"", "   ", "\n\t"}) {
    CHECK(f.s().Return(f.sara, id, empty).code() == StatusCode::kInvalidArgument);
  }
  CHECK(f.Status_(id) == "submitted");
  CHECK(f.AuditCount() == seq);
  CHECK(RequireOk(f.s().Reviews(f.kim, id)).empty());

  RequireOk(f.s().Return(f.sara, id, "Komplettera fråga 3."));
  auto returned = RequireOk(f.s().Get(f.kim, id));
  CHECK(returned.status == AssessmentStatus::kReturned);
  CHECK(returned.review_comment == "Komplettera fråga 3.");
  CHECK(f.CountAudit(seq, "sara", "return") == 1);
  // A returned assessment cannot be approved or returned again until resubmitted.
  CHECK(f.s().Approve(f.sara, id, "OK").code() == kRefused);
  CHECK(f.s().Return(f.sara, id, "Igen.").code() == kRefused);

  // Editing makes it a draft again (an autosave: not audited).
  const std::int64_t before_edit = f.AuditCount();
  RequireOk(f.s().UpdateDraft(f.kim, id, DashSession(16)));
  CHECK(f.AuditCount() == before_edit);
  CHECK(f.Status_(id) == "draft");
  RequireOk(f.s().UpdateDraft(f.kim, id, DashSession(17)));
  CHECK(f.AuditCount() == before_edit);

  RequireOk(f.s().Submit(f.kim, id));
  auto resubmitted = RequireOk(f.s().Get(f.kim, id));
  CHECK(resubmitted.status == AssessmentStatus::kSubmitted);
  REQUIRE(resubmitted.result.has_value());
  CHECK(resubmitted.result->band() == "high");  // the edited answers were evaluated
  RequireOk(f.s().Approve(f.sara, id, ""));

  auto reviews = RequireOk(f.s().Reviews(f.kim, id));
  REQUIRE(reviews.size() == 2);
  CHECK(reviews[0].decision == "returned");
  CHECK(reviews[0].comment == "Komplettera fråga 3.");
  CHECK(reviews[1].decision == "approved");
  CHECK(f.CountAudit(seq, "kim", "submit") == 1);
}

TEST_CASE("a returned assessment may be resubmitted without edits", "[store][workflow]") {
  StoreFixture f;
  const std::int64_t id = f.Submitted(f.kim, "IFO-1", DashSession(10));
  RequireOk(f.s().Return(f.sara, id, "Kontrollera."));
  RequireOk(f.s().Submit(f.kim, id));
  CHECK(f.Status_(id) == "submitted");
}

TEST_CASE("the illegal transitions of each state are refused and change nothing",
          "[store][workflow]") {
  StoreFixture f;
  SECTION("draft: no review, no level change, no amendment") {
    Moves m{f, f.Draft(f.kim, "IFO-1", DashSession(15))};
    const std::int64_t audit = f.AuditCount();
    CHECK(m.Approve() == kRefused);
    CHECK(m.Return() == kRefused);
    CHECK(m.ChangeLevel() == kRefused);
    CHECK(m.Amend() == kRefused);
    CHECK(f.Status_(m.id) == "draft");
    CHECK(f.AuditCount() == audit);
  }
  SECTION("submitted: no edit, no second submission, no discard, no amendment") {
    Moves m{f, f.Submitted(f.kim, "IFO-1", DashSession(15))};
    const std::int64_t audit = f.AuditCount();
    CHECK(m.Update() == kRefused);
    CHECK(m.Submit() == kRefused);
    CHECK(m.Discard() == kRefused);
    CHECK(m.Amend() == kRefused);
    CHECK(f.Status_(m.id) == "submitted");
    CHECK(f.AuditCount() == audit);
  }
  SECTION("approved is immutable") {
    Moves m{f, f.Approved(f.kim, f.sara, "IFO-1", DashSession(15))};
    const std::int64_t audit = f.AuditCount();
    CHECK(m.Update() == kRefused);
    CHECK(m.Submit() == kRefused);
    CHECK(m.Discard() == kRefused);
    CHECK(m.Approve() == kRefused);
    CHECK(m.Return() == kRefused);
    CHECK(m.ChangeLevel() == kRefused);
    CHECK(f.Status_(m.id) == "approved");
    CHECK(f.AuditCount() == audit);
    auto rec = RequireOk(f.s().Get(f.kim, m.id));
    CHECK(rec.result->final_level() == "high");
    CHECK(rec.answers.answers().at("q15").code() == "yes");
    // Not even by writing the file directly: the schema refuses it.
    CHECK(f.RawExec("UPDATE assessments SET final_level = 'below_threshold' WHERE id = " +
                    std::to_string(m.id)) != SQLITE_OK);
    CHECK(f.RawExec("DELETE FROM assessments WHERE id = " + std::to_string(m.id)) != SQLITE_OK);
  }
  SECTION("discarded: nothing more") {
    Moves m{f, f.Draft(f.kim, "IFO-1", DashSession(15))};
    RequireOk(f.s().DiscardDraft(f.kim, m.id));
    const std::int64_t audit = f.AuditCount();
    CHECK(m.Update() == kRefused);
    CHECK(m.Submit() == kRefused);
    CHECK(m.Discard() == kRefused);
    CHECK(m.Approve() == kRefused);
    CHECK(m.Amend() == kRefused);
    CHECK(f.Status_(m.id) == "discarded");
    CHECK(f.AuditCount() == audit);
  }
  SECTION("an unknown assessment is not found") {
    Moves m{f, 4242};
    CHECK(m.Update() == StatusCode::kNotFound);
    CHECK(m.Submit() == StatusCode::kNotFound);
    CHECK(m.Discard() == StatusCode::kNotFound);
    CHECK(m.Approve() == StatusCode::kNotFound);
    CHECK(m.Amend() == StatusCode::kNotFound);
  }
}

TEST_CASE("discarding a draft drops its answers, hides it from lists and is audited",
          "[store][workflow]") {
  StoreFixture f;
  const std::int64_t id = f.Draft(f.kim, "IFO-1", DashSession(15));
  const std::int64_t keep = f.Draft(f.kim, "IFO-2", DashSession(3));
  const std::int64_t seq = f.LastSeq();
  RequireOk(f.s().DiscardDraft(f.kim, id));
  CHECK(f.Status_(id) == "discarded");
  CHECK(f.Scalar("SELECT length(answers) FROM assessments WHERE id = " + std::to_string(id)) == 0);
  CHECK(f.CountAudit(seq, "kim", "discard_draft", "assessment:" + std::to_string(id)) == 1);
  auto list = RequireOk(f.s().List(f.kim, {}));
  REQUIRE(list.size() == 1);
  CHECK(list[0].id == keep);
  ListFilter discarded;
  discarded.status = AssessmentStatus::kDiscarded;
  auto only = RequireOk(f.s().List(f.kim, discarded));
  REQUIRE(only.size() == 1);
  CHECK(only[0].id == id);
}

TEST_CASE("submit refuses missing required answers and judgements", "[store][workflow]") {
  StoreFixture f;
  SECTION("a required item") {
    const std::int64_t id = f.Draft(f.kim, "IFO-1", BarnSession(true, /*with_age=*/false));
    const std::int64_t audit = f.AuditCount();
    Status st = f.s().Submit(f.kim, id);
    CHECK(st.code() == StatusCode::kFailedPrecondition);
    CHECK_THAT(st.message(), Catch::Contains("age"));
    CHECK(f.Status_(id) == "draft");
    CHECK(f.Rows("due_items") == 0);
    CHECK(f.AuditCount() == audit);
    // Completed, it goes through.
    RequireOk(f.s().UpdateDraft(f.kim, id, BarnSession(true)));
    RequireOk(f.s().Submit(f.kim, id));
  }
  SECTION("a required judgement") {
    Session s(RealInstrument("barn"));
    RequireOk(s.SetInteger("age", 7));
    RequireOk(s.SetCode("immediate_protection_need", "no"));
    const std::int64_t id = f.Draft(f.kim, "IFO-1", s);
    Status st = f.s().Submit(f.kim, id);
    CHECK(st.code() == StatusCode::kFailedPrecondition);
    CHECK_THAT(st.message(), Catch::Contains("protection"));
    CHECK(f.Status_(id) == "draft");
  }
}

TEST_CASE("a supervisor changes the level before approval, with a reason, and may lower it",
          "[store][workflow]") {
  StoreFixture f;
  const std::int64_t id = f.Submitted(f.kim, "IFO-1", DashSession(15));
  const std::int64_t seq = f.LastSeq();

  for (const char* empty : {"", "  "}) {
    CHECK_FALSE(f.s().ChangeLevel(f.sara, id, "below_threshold", empty).ok());
  }
  CHECK_FALSE(f.s().ChangeLevel(f.sara, id, "extreme", "Syntetiskt skäl.").ok());
  CHECK(RequireOk(f.s().Reviews(f.kim, id)).empty());
  CHECK(f.AuditCount() == seq);

  // The caseworker may not.
  CHECK(f.s().ChangeLevel(f.kim, id, "below_threshold", "Skäl.").code() ==
        StatusCode::kPermissionDenied);

  RequireOk(f.s().ChangeLevel(f.sara, id, "below_threshold", "Syntetiskt skäl."));
  auto rec = RequireOk(f.s().Get(f.kim, id));
  CHECK(rec.status == AssessmentStatus::kSubmitted);
  REQUIRE(rec.result.has_value());
  CHECK(rec.result->band() == "high");
  CHECK(rec.result->final_level() == "below_threshold");
  CHECK(rec.result->overridden());
  CHECK(rec.result->override_direction() == v1::LOWERED);
  CHECK(f.Scalar("SELECT COUNT(*) FROM assessments WHERE id = " + std::to_string(id) +
                 " AND computed_level = 'high' AND final_level = 'below_threshold' AND overridden "
                 "= 1 AND override_direction = 'lowered'") == 1);

  auto reviews = RequireOk(f.s().Reviews(f.kim, id));
  REQUIRE(reviews.size() == 1);
  CHECK(reviews[0].decision == "level_changed");
  CHECK(reviews[0].reviewer == "sara");
  CHECK(reviews[0].comment == "Syntetiskt skäl.");
  CHECK(reviews[0].level_from == "high");
  CHECK(reviews[0].level_to == "below_threshold");
  const auto rows = f.AuditSince(seq);
  int changes = 0;
  for (const auto& r : rows) {
    if (r.action == "change_level") {
      ++changes;
      CHECK(r.user == "sara");
      CHECK(r.reason == "Syntetiskt skäl.");
    }
  }
  CHECK(changes == 1);

  // Approval ends it.
  RequireOk(f.s().Approve(f.sara, id, "Godkänd."));
  CHECK(f.s().ChangeLevel(f.sara, id, "high", "Sent.").code() == kRefused);
  auto all = RequireOk(f.s().Reviews(f.kim, id));
  REQUIRE(all.size() == 2);
  CHECK(all[1].decision == "approved");
  CHECK(RequireOk(f.s().Get(f.kim, id)).result->final_level() == "below_threshold");
}

TEST_CASE("an amendment is a new version linked to the approved one, with a reason",
          "[store][workflow]") {
  StoreFixture f;
  const std::int64_t v1id = f.Approved(f.kim, f.sara, "IFO-1", DashSession(15));
  const std::int64_t seq = f.LastSeq();

  CHECK(f.s().Amend(f.kim, v1id, "", DashSession(16)).status().code() ==
        StatusCode::kInvalidArgument);
  CHECK(f.s().Amend(f.kim, v1id, "Rättelse.", BarnSession(false)).status().code() ==
        StatusCode::kInvalidArgument);
  CHECK(f.Rows("assessments") == 1);

  f.clock->Advance(kDay);
  const std::int64_t v2id =
      RequireOk(f.s().Amend(f.kim, v1id, "Fel svar på fråga 16.", DashSession(16)));
  CHECK(v2id != v1id);
  auto v2 = RequireOk(f.s().Get(f.kim, v2id));
  CHECK(v2.version == 2);
  CHECK(v2.chain_id == v1id);
  REQUIRE(v2.amends_id.has_value());
  CHECK(*v2.amends_id == v1id);
  CHECK(v2.amend_reason == "Fel svar på fråga 16.");
  CHECK(v2.status == AssessmentStatus::kDraft);
  CHECK(v2.answers.answers().at("q16").code() == "yes");
  CHECK(f.CountAudit(seq, "kim", "amend", "assessment:" + std::to_string(v2id)) == 1);
  // The approved version is untouched.
  auto v1 = RequireOk(f.s().Get(f.kim, v1id));
  CHECK(v1.status == AssessmentStatus::kApproved);
  CHECK(v1.answers.answers().at("q16").code() == "no");

  // One correction at a time: the old version cannot be amended again.
  CHECK(f.s().Amend(f.kim, v1id, "Igen.", DashSession(17)).status().code() == kRefused);

  RequireOk(f.s().Submit(f.kim, v2id));
  RequireOk(f.s().Approve(f.sara, v2id, "Rättelsen godkänd."));
  for (std::int64_t from : {v1id, v2id}) {
    auto history = RequireOk(f.s().History(f.kim, from));
    REQUIRE(history.size() == 2);
    CHECK(history[0].id == v1id);
    CHECK(history[0].version == 1);
    CHECK(history[0].status == AssessmentStatus::kApproved);
    CHECK(history[1].id == v2id);
    CHECK(history[1].version == 2);
    CHECK(history[1].status == AssessmentStatus::kApproved);
    CHECK(history[1].amend_reason == "Fel svar på fråga 16.");
  }
  // The reviews of the whole chain.
  auto reviews = RequireOk(f.s().Reviews(f.kim, v2id));
  REQUIRE(reviews.size() == 2);
  CHECK(reviews[1].comment == "Rättelsen godkänd.");
  // And a third version amends the second.
  const std::int64_t v3id =
      RequireOk(f.s().Amend(f.sara, v2id, "Ännu en rättelse.", DashSession(2)));
  CHECK(RequireOk(f.s().Get(f.kim, v3id)).version == 3);
  CHECK(RequireOk(f.s().History(f.kim, v1id)).size() == 3);
}

TEST_CASE("a discarded amendment leaves the approved version amendable again",
          "[store][workflow]") {
  StoreFixture f;
  const std::int64_t v1id = f.Approved(f.kim, f.sara, "IFO-1", DashSession(15));
  const std::int64_t v2id = RequireOk(f.s().Amend(f.kim, v1id, "Rättelse.", DashSession(16)));
  RequireOk(f.s().DiscardDraft(f.kim, v2id));
  CHECK(RequireOk(f.s().History(f.kim, v1id)).size() == 1);
  const std::int64_t v3id = RequireOk(f.s().Amend(f.kim, v1id, "Ny rättelse.", DashSession(16)));
  CHECK(RequireOk(f.s().Get(f.kim, v3id)).version == 3);
}

TEST_CASE("List shows summaries by status, unit and case, newest first", "[store][workflow]") {
  StoreFixture f;
  const std::int64_t a = f.Submitted(f.kim, "IFO-1", DashSession(15));
  f.clock->Advance(60);
  const std::int64_t b = f.Draft(f.kim, "IFO-2", DashSession(3));
  f.clock->Advance(60);
  f.Draft(f.bo, "BARN-1", BarnSession(false), "ifo_barn");
  auto all = RequireOk(f.s().List(f.kim, {}));
  REQUIRE(all.size() == 2);
  CHECK(all[0].id == b);
  CHECK(all[1].id == a);
  CHECK(all[1].final_level == "high");
  CHECK(all[1].case_ref == "IFO-1");
  CHECK(all[1].author == "kim");
  ListFilter submitted;
  submitted.status = AssessmentStatus::kSubmitted;
  auto s = RequireOk(f.s().List(f.kim, submitted));
  REQUIRE(s.size() == 1);
  CHECK(s[0].id == a);
  ListFilter byref;
  byref.case_ref = "IFO-2";
  auto r = RequireOk(f.s().List(f.kim, byref));
  REQUIRE(r.size() == 1);
  CHECK(r[0].id == b);
  ListFilter one;
  one.limit = 1;
  CHECK(RequireOk(f.s().List(f.kim, one)).size() == 1);
}

}  // namespace
}  // namespace screening::test
