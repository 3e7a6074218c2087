// The case store beyond the workflow: subjects of a case, support given, the export for
// other agencies (no protected cases, no free text, no special categories), the audit log
// by unit, and state re-checked inside the write when another program changed it between
// an operation's reads and its write.
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "store_fixture.h"
#include "test_support.h"

namespace screening::test {
namespace {

// ---------------------------------------------------------------- subjects

TEST_CASE("Subjects lists a case's people, oldest first, without special categories",
          "[store][cases]") {
  StoreFixture f;
  f.Intake(f.kim, "IFO-S");
  const auto adult = RequireOk(
      f.s().AddSubject(f.kim, {"ifo_vuxen", "IFO-S", "adult_victim", "25-44", false, {"older"}}));
  const auto child =
      RequireOk(f.s().AddSubject(f.kim, {"ifo_vuxen", "IFO-S", "child", "6-12", false, {}}));
  const std::int64_t audit = f.AuditCount();
  const auto subjects = RequireOk(f.s().Subjects(f.sara, "ifo_vuxen", "IFO-S"));
  REQUIRE(subjects.size() == 2);
  CHECK(subjects[0].id == adult);
  CHECK(subjects[0].role == "adult_victim");
  CHECK(subjects[0].age_band == "25-44");
  CHECK_FALSE(subjects[0].protected_identity);
  CHECK(subjects[1].id == child);
  CHECK(subjects[1].role == "child");
  CHECK(f.AuditCount() == audit);  // no case content: not audited

  CHECK(f.s().Subjects(f.kim, "ifo_vuxen", "IFO-NONE").status().code() == StatusCode::kNotFound);
  const std::int64_t seq = f.LastSeq();
  CHECK(f.s().Subjects(f.bo, "ifo_vuxen", "IFO-S").status().code() ==
        StatusCode::kPermissionDenied);
  CHECK(f.s().Subjects(f.olle, "ifo_vuxen", "IFO-S").status().code() ==
        StatusCode::kPermissionDenied);
  CHECK(f.CountAudit(seq, "bo", "denied:subjects") == 1);
  CHECK(f.CountAudit(seq, "olle", "denied:subjects") == 1);
}

TEST_CASE("Subjects of a protected case only for those granted it", "[store][cases]") {
  StoreFixture f;
  f.Intake(f.kim, "IFO-P");
  RequireOk(f.s().AddSubject(f.kim, {"ifo_vuxen", "IFO-P", "adult_victim", "", true, {}}).status());
  auto mine = RequireOk(f.s().Subjects(f.kim, "ifo_vuxen", "IFO-P"));
  REQUIRE(mine.size() == 1);
  CHECK(mine[0].protected_identity);
  auto hidden = f.s().Subjects(f.lena, "ifo_vuxen", "IFO-P");
  CHECK(hidden.status().code() == StatusCode::kNotFound);
  CHECK(hidden.status().message().find("IFO-P") == std::string::npos);
  RequireOk(f.s().Grant(f.sara, "ifo_vuxen", "IFO-P", "lena", "Övertar ärendet.", ""));
  CHECK(RequireOk(f.s().Subjects(f.lena, "ifo_vuxen", "IFO-P")).size() == 1);
}

// ---------------------------------------------------------------- support given

TEST_CASE("RecordSupportGiven stores each resource once, audited, bad input stores nothing",
          "[store][cases]") {
  StoreFixture f;
  f.Intake(f.kim, "IFO-1");
  f.Intake(f.kim, "IFO-2");
  const auto subject =
      RequireOk(f.s().AddSubject(f.kim, {"ifo_vuxen", "IFO-1", "adult_victim", "", false, {}}));
  const auto elsewhere =
      RequireOk(f.s().AddSubject(f.kim, {"ifo_vuxen", "IFO-2", "adult_victim", "", false, {}}));
  const std::int64_t audit = f.AuditCount();
  CHECK(f.s().RecordSupportGiven(f.kim, "ifo_vuxen", "IFO-1", subject, {}).code() ==
        StatusCode::kInvalidArgument);
  CHECK(f.s().RecordSupportGiven(f.kim, "ifo_vuxen", "IFO-1", subject, {"Kvinnojouren"}).code() ==
        StatusCode::kInvalidArgument);
  CHECK(
      f.s().RecordSupportGiven(f.kim, "ifo_vuxen", "IFO-NONE", std::nullopt, {"shelter"}).code() ==
      StatusCode::kNotFound);
  CHECK(f.s().RecordSupportGiven(f.kim, "ifo_vuxen", "IFO-1", elsewhere, {"shelter"}).code() ==
        StatusCode::kNotFound);
  CHECK(f.Rows("support_given") == 0);
  // Only the refusal of the case that does not exist is audited (as one not open would be).
  CHECK(f.AuditCount() == audit + 1);
  CHECK(f.CountAudit(0, "kim", "denied:support_given") == 1);

  const std::int64_t seq = f.LastSeq();
  RequireOk(
      f.s().RecordSupportGiven(f.kim, "ifo_vuxen", "IFO-1", subject, {"shelter", "support_line"}));
  CHECK(f.Rows("support_given") == 2);
  CHECK(f.Scalar(
            "SELECT COUNT(*) FROM support_given WHERE subject_id = " + std::to_string(subject) +
            " AND local_date = '2025-03-14' AND given_by = " + std::to_string(f.kim.user_id)) == 2);
  CHECK(f.CountAudit(seq, "kim", "support_given") == 1);
}

// ---------------------------------------------------------------- export

// A unit with: IFO-1 (contacts with a disclosure and a not-asked note, a subject with a
// special category, a `dash` assessment with a note and a free-text answer whose level a
// supervisor lowered with a reason before approving, and a draft), IFO-2 (a `barn`
// assessment with a judgement rationale) and IFO-P (a protected subject, kim granted).
struct ExportCases {
  std::int64_t dash = 0, draft = 0, barn = 0, protected_assessment = 0;
};

// Free text and special categories that must never leave in an export: the not-asked
// note, an item's note, a free-text answer, the supervisor's override reason, a judgement's
// rationale, the protected case, the special categories, the review comment.
const std::vector<std::string> kSecrets = {
    "Tolk saknades.", "Syntetisk anteckning.", "Syntetisk källa.", "IFO-P", "older",
    "disability",     "Godkänd med kommentar."};
// Free text that the stored result repeats (the override and the judgements).
const std::vector<std::string> kResultSecrets = {"Syntetiskt skäl.", "Syntetisk motivering."};

ExportCases MakeExportCases(StoreFixture& f) {
  ExportCases c;
  RequireOk(f.s()
                .AddContact(f.kim, {"ifo_vuxen",
                                    "IFO-1",
                                    "2025-03-10",
                                    "disclosed",
                                    "",
                                    "",
                                    {"physical", "psychological"}})
                .status());
  RequireOk(
      f.s()
          .AddContact(
              f.kim,
              {"ifo_vuxen", "IFO-1", "2025-03-01", "not_asked", "other", "Tolk saknades.", {}})
          .status());
  const auto subject = RequireOk(
      f.s().AddSubject(f.kim, {"ifo_vuxen", "IFO-1", "adult_victim", "25-44", false, {"older"}}));
  Session dash = DashSession(15);
  RequireOk(dash.SetNote("q3", "Syntetisk anteckning."));
  RequireOk(dash.Set("info_source", Text("Syntetisk källa.")));
  AssessmentInput in = f.Input("IFO-1");
  in.subject_id = subject;
  c.dash = RequireOk(f.s().CreateDraft(f.kim, in, dash));
  RequireOk(f.s().Submit(f.kim, c.dash));
  RequireOk(f.s().ChangeLevel(f.sara, c.dash, "below_threshold", "Syntetiskt skäl."));
  RequireOk(f.s().Approve(f.sara, c.dash, "Godkänd med kommentar."));
  c.draft = f.Draft(f.kim, "IFO-1", DashSession(2));
  c.barn = f.Submitted(f.kim, "IFO-2", BarnSession(true));
  f.Intake(f.kim, "IFO-P");
  RequireOk(f.s()
                .AddSubject(f.kim, {"ifo_vuxen", "IFO-P", "adult_victim", "", true, {"disability"}})
                .status());
  c.protected_assessment = f.Submitted(f.kim, "IFO-P", DashSession(20));
  return c;
}

std::set<std::string> CaseRefs(const nlohmann::json& doc) {
  std::set<std::string> out;
  for (const auto& c : doc.at("cases")) out.insert(c.at("case_ref").get<std::string>());
  return out;
}

TEST_CASE("Export leaves out protected cases, free text and special categories",
          "[store][export]") {
  StoreFixture f;
  const ExportCases c = MakeExportCases(f);
  const std::int64_t seq = f.LastSeq();
  const std::string json = RequireOk(f.s().Export(f.kim, "ifo_vuxen", ""));
  const auto doc = nlohmann::json::parse(json);
  CHECK(doc.at("format") == "screening-export");
  CHECK(CaseRefs(doc) == std::set<std::string>{"IFO-1", "IFO-2"});
  for (const auto& secret : kSecrets) {
    INFO(secret);
    CHECK(json.find(secret) == std::string::npos);
  }
  CHECK(json.find("protected") == std::string::npos);
  CHECK(json.find("vulnerable") == std::string::npos);

  for (const auto& kase : doc.at("cases")) {
    if (kase.at("case_ref") != "IFO-1") continue;
    CHECK(kase.at("contacts").size() == 2);
    REQUIRE(kase.at("subjects").size() == 1);
    CHECK(kase["subjects"][0].at("role") == "adult_victim");
    CHECK(kase["subjects"][0].at("age_band") == "25-44");
    // The newest submitted or approved version only: not the draft.
    REQUIRE(kase.at("assessments").size() == 1);
    const auto& a = kase["assessments"][0];
    CHECK(a.at("id") == c.dash);
    CHECK(a.at("status") == "approved");
    CHECK(a.at("result").dump().find("below_threshold") != std::string::npos);
  }
  // Audited, with the number of cases and no case reference.
  const auto rows = f.AuditSince(seq);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].action == "export");
  CHECK(rows[0].user == "kim");
  CHECK(rows[0].object == "cases:2");
}

// Known bug (reported to the lead): Export strips free text from the answers but writes the
// stored result as it is, and the result repeats the supervisor's override reason
// (result.override.reason) and each judgement's rationale (result.judgements[].rationale).
TEST_CASE("Export leaves out the free text the result repeats", "[store][export]") {
  StoreFixture f;
  MakeExportCases(f);
  const std::string json = RequireOk(f.s().Export(f.kim, "ifo_vuxen", ""));
  for (const auto& secret : kResultSecrets) {
    INFO(secret);
    CHECK(json.find(secret) == std::string::npos);
  }
}

TEST_CASE("Export of one case, and who may export", "[store][export]") {
  StoreFixture f;
  MakeExportCases(f);
  const auto one = nlohmann::json::parse(RequireOk(f.s().Export(f.sara, "ifo_vuxen", "IFO-2")));
  CHECK(CaseRefs(one) == std::set<std::string>{"IFO-2"});
  // A protected case is not exported even to someone granted it, and does not say why.
  auto p = f.s().Export(f.kim, "ifo_vuxen", "IFO-P");
  CHECK(p.status().code() == StatusCode::kNotFound);
  CHECK(p.status().message().find("IFO-P") == std::string::npos);
  CHECK(f.s().Export(f.kim, "", "IFO-2").status().code() == StatusCode::kInvalidArgument);
  // Every unit of the actor when none is named: bo's unit has none of these cases.
  CHECK(CaseRefs(nlohmann::json::parse(RequireOk(f.s().Export(f.bo, "", "")))).empty());

  const std::int64_t seq = f.LastSeq();
  for (const Actor* who : std::vector<const Actor*>{&f.olle, &f.ada, &f.bo}) {
    INFO(who->name);
    CHECK(f.s().Export(*who, "ifo_vuxen", "").status().code() == StatusCode::kPermissionDenied);
    CHECK(f.CountAudit(seq, who->name, "denied:export") == 1);
  }
}

TEST_CASE("Export follows amendments: the newest submitted or approved version",
          "[store][export]") {
  StoreFixture f;
  const std::int64_t v1 = f.Approved(f.kim, f.sara, "IFO-1", DashSession(15));
  const std::int64_t v2 = RequireOk(f.s().Amend(f.kim, v1, "Rättelse.", DashSession(3)));
  auto version = [&] {
    const auto doc = nlohmann::json::parse(RequireOk(f.s().Export(f.kim, "ifo_vuxen", "IFO-1")));
    REQUIRE(doc.at("cases").size() == 1);
    REQUIRE(doc["cases"][0].at("assessments").size() == 1);
    return doc["cases"][0]["assessments"][0].at("version").get<int>();
  };
  CHECK(version() == 1);  // the amendment is still a draft
  RequireOk(f.s().Submit(f.kim, v2));
  CHECK(version() == 2);
}

// ---------------------------------------------------------------- audit log by unit

TEST_CASE("AuditLog by unit holds that unit's events only, without a unit, all", "[store][audit]") {
  StoreFixture f;
  f.Submitted(f.kim, "IFO-1", DashSession(3));
  f.Submitted(f.bo, "BARN-1", DashSession(3), "ifo_barn");
  const std::int64_t all_events = f.AuditCount();
  const auto barn = RequireOk(f.s().AuditLog(f.ada, "ifo_barn", ""));
  REQUIRE_FALSE(barn.empty());
  for (const auto& e : barn) CHECK(e.unit == "ifo_barn");
  CHECK(static_cast<std::int64_t>(barn.size()) ==
        f.Scalar("SELECT COUNT(*) FROM audit WHERE unit = 'ifo_barn' AND action <> 'audit_log'"));
  const auto all = RequireOk(f.s().AuditLog(f.ada, "", ""));
  CHECK(static_cast<std::int64_t>(all.size()) == all_events + 1);  // + the first log read
}

// ---------------------------------------------------------------- changed meanwhile

// Another program (a second connection) changes the row after the operation has read it and
// before its write transaction: the write must see the change and refuse, not overwrite it.

TEST_CASE("Submit refuses a draft discarded meanwhile", "[store][race]") {
  StoreFixture f;
  const std::int64_t id = f.Draft(f.kim, "IFO-1", BarnSession(true));
  auto other = f.OpenSecond();
  const Actor kim2 = RequireOk(other->Login("kim", kPassword));
  Status discarded;
  f.clock->ArmOnce([&] { discarded = other->DiscardDraft(kim2, id); });
  const std::int64_t seq = f.LastSeq();
  const Status st = f.s().Submit(f.kim, id);
  RequireOk(discarded);
  CHECK(st.code() == StatusCode::kFailedPrecondition);
  CHECK(f.Status_(id) == "discarded");
  CHECK(f.Rows("due_items") == 0);
  CHECK(f.CountAudit(seq, "kim", "submit") == 0);
  CHECK(RequireOk(f.s().Check(f.ada)).ok);
}

TEST_CASE("Submit refuses answers changed meanwhile (they were not the ones evaluated)",
          "[store][race]") {
  StoreFixture f;
  const std::int64_t id = f.Draft(f.kim, "IFO-1", DashSession(15));
  auto other = f.OpenSecond();
  const Actor kim2 = RequireOk(other->Login("kim", kPassword));
  Status saved;
  f.clock->ArmOnce([&] { saved = other->UpdateDraft(kim2, id, DashSession(2)); });
  const Status st = f.s().Submit(f.kim, id);
  RequireOk(saved);
  CHECK(st.code() == StatusCode::kFailedPrecondition);
  CHECK(f.Status_(id) == "draft");
  CHECK(f.Scalar("SELECT COUNT(*) FROM assessments WHERE band IS NOT NULL") == 0);
  // Submitted again, the newer answers are the ones evaluated.
  RequireOk(f.s().Submit(f.kim, id));
  CHECK(RequireOk(f.s().Get(f.kim, id)).result->band() == "below_threshold");
}

TEST_CASE("two failed logins at once both count", "[store][race]") {
  StoreFixture f;
  for (int i = 0; i < 4; ++i) CHECK_FALSE(f.s().Login("kim", "not the password 1").ok());
  f.clock->Advance(2);  // the 1 s lock is over (but still recorded, so Login reads the clock)
  auto other = f.OpenSecond();
  Status theirs;
  f.clock->ArmOnce([&] { theirs = other->Login("kim", "not the password 1").status(); });
  CHECK_FALSE(f.s().Login("kim", "not the password 1").ok());
  CHECK(theirs.code() == StatusCode::kPermissionDenied);
  CHECK(f.Scalar("SELECT failed_logins FROM users WHERE name = 'kim'") == 6);
}

}  // namespace
}  // namespace screening::test
