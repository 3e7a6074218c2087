// Due items of the case store: the deadlines of a submitted result, computed from the
// Swedish local date of the submission (with a fixed clock, around midnight and the
// summer-time changes), overdue marking, and MarkDone. The expected local dates were
// worked out with the system's tzdata (TZ=Europe/Stockholm date), independently of the
// store's own rule.
#include <map>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "store/sqlite/sql.h"
#include "store_fixture.h"

namespace screening::test {
namespace {

std::map<std::string, std::string> ByKind(const std::vector<DueItem>& items) {
  std::map<std::string, std::string> out;
  for (const auto& d : items) out[d.kind] = d.due_date;
  return out;
}

TEST_CASE("a submitted result creates its deadlines from the Swedish local date", "[store][due]") {
  StoreFixture f(kMarch14);
  const std::int64_t draft = f.Draft(f.kim, "IFO-1", BarnSession(true));
  CHECK(RequireOk(f.s().Due(f.kim, false)).empty());  // a draft has no due items

  RequireOk(f.s().Submit(f.kim, draft));
  const auto items = RequireOk(f.s().Due(f.kim, false));
  const std::map<std::string, std::string> want = {
      {"lvu_emergency", "2025-03-14"},           // the same day
      {"protection_assessment", "2025-03-15"},   // the same or the next day
      {"investigation_decision", "2025-03-28"},  // 14 days
      {"child_investigation", "2025-07-14"},     // 4 months
  };
  CHECK(ByKind(items) == want);
  REQUIRE(items.size() == 4);
  for (std::size_t i = 1; i < items.size(); ++i) CHECK(items[i - 1].due_date <= items[i].due_date);
  for (const auto& d : items) {
    CHECK(d.assessment_id == draft);
    CHECK(d.unit == "ifo_vuxen");
    CHECK(d.case_ref == "IFO-1");
    CHECK_FALSE(d.done);
    CHECK_FALSE(d.overdue);
  }
}

TEST_CASE("without an immediate need there is no same-day item", "[store][due]") {
  StoreFixture f(kMarch14);
  f.Submitted(f.kim, "IFO-1", BarnSession(false));
  const auto kinds = ByKind(RequireOk(f.s().Due(f.kim, false)));
  CHECK(kinds.count("lvu_emergency") == 0);
  CHECK(kinds.count("protection_assessment") == 1);
}

TEST_CASE("deadlines count from the local date around midnight and summer time", "[store][due]") {
  struct Case {
    std::int64_t at;
    const char* local_date;
    const char* next_day;
  };
  const std::vector<Case> cases = {
      {kJan14Late, "2025-01-14", "2025-01-15"},   // 22:30 UTC = 23:30 in winter
      {kJan14Night, "2025-01-15", "2025-01-16"},  // 23:30 UTC = 00:30 the next day
      {kJuly1Late, "2025-07-01", "2025-07-02"},   // 21:30 UTC = 23:30 in summer
      {kJuly1Night, "2025-07-02", "2025-07-03"},  // 22:30 UTC = 00:30 the next day
      {1743289199, "2025-03-29", "2025-03-30"},   // 22:59:59 UTC the night summer time begins
      {1743289200, "2025-03-30", "2025-03-31"},   // 23:00 UTC = midnight that night
      {1761431400, "2025-10-26", "2025-10-27"},   // 22:30 UTC before winter time: 00:30
      {1761517800, "2025-10-26", "2025-10-27"},   // 22:30 UTC after it: 23:30
      {1761519600, "2025-10-27", "2025-10-28"},   // 23:00 UTC after it: midnight
  };
  for (const auto& c : cases) {
    INFO("submitted at " << c.at << ", local date " << c.local_date);
    StoreFixture f(kMarch14);
    const std::int64_t id = f.Draft(f.kim, "IFO-1", BarnSession(true));
    f.clock->Set(c.at);
    RequireOk(f.s().Submit(f.kim, id));
    const auto kinds = ByKind(RequireOk(f.s().Due(f.kim, false)));
    CHECK(kinds.at("lvu_emergency") == c.local_date);
    CHECK(kinds.at("protection_assessment") == c.next_day);
    CHECK(f.Scalar("SELECT COUNT(*) FROM assessments WHERE submitted_local_date = '" +
                   std::string(c.local_date) + "'") == 1);
  }
}

TEST_CASE("months are calendar months, clamped to the month's last day", "[store][due]") {
  StoreFixture f(kOct31);
  f.Submitted(f.kim, "IFO-1", BarnSession(true));
  const auto kinds = ByKind(RequireOk(f.s().Due(f.kim, false)));
  CHECK(kinds.at("child_investigation") == "2026-02-28");
  CHECK(kinds.at("investigation_decision") == "2025-11-14");
}

TEST_CASE("'ask again at the next contact' has no date and is never overdue", "[store][due]") {
  StoreFixture f(kMarch14);
  f.Submitted(f.kim, "IFO-1", RoutineNotAskedSession());
  f.Submitted(f.kim, "IFO-2", BarnSession(false));
  auto items = RequireOk(f.s().Due(f.kim, false));
  REQUIRE_FALSE(items.empty());
  CHECK(items.back().kind == "ask_again_next_contact");  // undated items come last
  CHECK(items.back().due_date.empty());
  CHECK(items.back().case_ref == "IFO-1");
  CHECK(f.Scalar("SELECT COUNT(*) FROM due_items WHERE next_contact = 1") == 1);
  f.clock->Advance(365 * kDay);
  for (const auto& d : RequireOk(f.s().Due(f.kim, true))) CHECK(d.kind != "ask_again_next_contact");
}

TEST_CASE("items become overdue after their date, by the local date", "[store][due]") {
  StoreFixture f(kMarch14);
  f.Submitted(f.kim, "IFO-1", BarnSession(true));
  CHECK(RequireOk(f.s().Due(f.kim, true)).empty());

  // 2025-03-14T23:30Z is already the 15th in Sweden: the same-day item is overdue, the
  // next-day one is not yet.
  f.clock->Set(kMarch14 + 13 * 3600 + 1800);
  auto overdue = RequireOk(f.s().Due(f.kim, true));
  REQUIRE(overdue.size() == 1);
  CHECK(overdue[0].kind == "lvu_emergency");
  CHECK(overdue[0].overdue);
  // One second before local midnight it was not.
  f.clock->Set(kMarch14 + 12 * 3600 + 59 * 60 + 59);
  CHECK(RequireOk(f.s().Due(f.kim, true)).empty());

  f.clock->Set(kMarch14 + 2 * kDay);
  overdue = RequireOk(f.s().Due(f.kim, true));
  CHECK(ByKind(overdue) ==
        std::map<std::string, std::string>{{"lvu_emergency", "2025-03-14"},
                                           {"protection_assessment", "2025-03-15"}});
  for (const auto& d : RequireOk(f.s().Due(f.kim, false))) {
    CHECK(d.overdue == (d.kind == "lvu_emergency" || d.kind == "protection_assessment"));
  }
}

TEST_CASE("MarkDone closes an item once, audited, others cannot", "[store][due]") {
  StoreFixture f(kMarch14);
  f.Submitted(f.kim, "IFO-1", BarnSession(true));
  auto items = RequireOk(f.s().Due(f.kim, false));
  REQUIRE(items.size() == 4);
  const DueItem item = items[0];
  const std::int64_t seq = f.LastSeq();

  // Another unit's caseworker does not find it; the attempt is audited.
  CHECK(f.s().MarkDone(f.bo, item.id).code() == StatusCode::kNotFound);
  CHECK(f.CountAudit(seq, "bo", "denied:mark_done") == 1);
  CHECK(f.s().MarkDone(f.kim, 4242).code() == StatusCode::kNotFound);

  f.clock->Advance(3600);
  RequireOk(f.s().MarkDone(f.kim, item.id));
  CHECK(f.CountAudit(seq, "kim", "done", "due_item:" + std::to_string(item.id)) == 1);
  CHECK(f.Scalar("SELECT COUNT(*) FROM due_items WHERE id = " + std::to_string(item.id) +
                 " AND done_utc = '2025-03-14T11:00:00Z' AND done_by = " +
                 std::to_string(f.kim.user_id)) == 1);
  auto after = RequireOk(f.s().Due(f.kim, false));
  CHECK(after.size() == 3);
  for (const auto& d : after) CHECK(d.id != item.id);
  // Done is done: a second time is refused (also for a colleague) and not audited.
  const std::int64_t before = f.AuditCount();
  CHECK(f.s().MarkDone(f.kim, item.id).code() == StatusCode::kFailedPrecondition);
  CHECK(f.s().MarkDone(f.sara, item.id).code() == StatusCode::kFailedPrecondition);
  CHECK(f.AuditCount() == before);
  // Overdue items stay listed until done.
  f.clock->Set(kMarch14 + 30 * kDay);
  CHECK(RequireOk(f.s().Due(f.kim, true)).size() == 2);
}

TEST_CASE("a resubmission after a return replaces the open items instead of adding more",
          "[store][due]") {
  StoreFixture f(kMarch14);
  const std::int64_t id = f.Submitted(f.kim, "IFO-1", BarnSession(true));
  CHECK(RequireOk(f.s().Due(f.kim, false)).size() == 4);
  RequireOk(f.s().Return(f.sara, id, "Komplettera."));
  f.clock->Advance(2 * kDay);
  RequireOk(f.s().UpdateDraft(f.kim, id, BarnSession(false)));
  RequireOk(f.s().Submit(f.kim, id));
  const auto kinds = ByKind(RequireOk(f.s().Due(f.kim, false)));
  CHECK(kinds.size() == 3);  // no immediate need any more: no same-day item
  CHECK(kinds.at("protection_assessment") == "2025-03-17");
  CHECK(f.Rows("due_items") == 3);
}

TEST_CASE("saving reads no table whole as the file grows", "[store][due]") {
  // A submission replaces the assessment's open due items and looks for done ones; without an
  // index on due_items.assessment_id both read the whole table, and a file of a million
  // contacts saved at a few hundred per second. SQLite counts the rows stepped in full-table
  // scans; one save cycle must step as many with 20 assessments in the file as with 220.
  StoreFixture f(kMarch14);
  int n = 0;
  auto cycle = [&] {
    const std::string ref = "IFO-" + std::to_string(++n);
    ContactInput contact;
    contact.unit = "ifo_vuxen";
    contact.case_ref = ref;
    contact.contact_date = "2025-03-14";
    contact.outcome = "disclosed";
    contact.violence_types = {"physical"};
    RequireOk(f.s().AddContact(f.kim, contact));
    const std::int64_t id = f.Approved(f.kim, f.sara, ref, BarnSession(true));
    for (const auto& d : RequireOk(f.s().Due(f.kim, false))) {
      if (d.assessment_id == id && d.kind == "lvu_emergency")
        RequireOk(f.s().MarkDone(f.kim, d.id));
    }
  };
  auto scan_steps = [&] {
    const std::int64_t before = internal::FullScanSteps();
    cycle();
    return internal::FullScanSteps() - before;
  };
  for (int i = 0; i < 20; ++i) cycle();
  const std::int64_t small = scan_steps();
  for (int i = 0; i < 200; ++i) cycle();
  const std::int64_t large = scan_steps();
  INFO("full-scan steps of one cycle: " << small << " with 20 in the file, " << large
                                        << " with 220");
  CHECK(large <= small);
}

}  // namespace
}  // namespace screening::test
