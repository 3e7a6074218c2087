// What both clients take from the library instead of holding it themselves: the labels of
// codes, statuses and levels, the words for a failed call, the OS login name and secret
// wiping (screening/labels.h, os_user.h, secrets.h).
#include <screening/labels.h>
#include <screening/os_user.h>
#include <screening/registry.h>
#include <screening/secrets.h>

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "store_fixture.h"
#include "test_support.h"

using namespace screening;
using namespace screening::test;

namespace {

// The first item of `type` among the shipped instruments (with its instrument), with or
// without `no_unknown`.
struct FoundItem {
  std::shared_ptr<const Instrument> instrument;
  const ItemInfo* info = nullptr;
};
FoundItem FirstItem(v1::ItemType type, bool no_unknown) {
  for (const auto& instrument : RealInstruments()->all()) {
    for (const ItemInfo& info : instrument->items()) {
      if (info.def->type() == type && info.def->no_unknown() == no_unknown &&
          info.def->vocabulary().empty() && info.def->options().empty()) {
        return {instrument, &info};
      }
    }
  }
  return {};
}

}  // namespace

TEST_CASE("an item with no_unknown does not accept the unknown code, another does", "[labels]") {
  const FoundItem open = FirstItem(v1::YES_NO, false);
  REQUIRE(open.info != nullptr);
  CHECK(AcceptedCodes(*open.info) == std::vector<std::string>{"yes", "no", "unknown"});
  const FoundItem strict = FirstItem(v1::YES_NO, true);
  if (strict.info != nullptr) {
    CHECK(AcceptedCodes(*strict.info) == std::vector<std::string>{"yes", "no"});
  }
  const FoundItem spj = FirstItem(v1::SPJ_FACTOR, false);
  REQUIRE(spj.info != nullptr);
  const std::vector<std::string> spj_codes = AcceptedCodes(*spj.info);
  CHECK(std::find(spj_codes.begin(), spj_codes.end(), "insufficient") != spj_codes.end());
}

TEST_CASE("the standard codes are named in Swedish and English", "[labels]") {
  const FoundItem yes_no = FirstItem(v1::YES_NO, false);
  REQUIRE(yes_no.info != nullptr);
  CHECK(CodeLabel(*yes_no.instrument, *yes_no.info->def, "yes", "sv") == "ja");
  CHECK(CodeLabel(*yes_no.instrument, *yes_no.info->def, "no", "en") == "no");
  CHECK(CodeLabel(*yes_no.instrument, *yes_no.info->def, "unknown", "sv") ==
        "vet ej / vill inte svara");
  const FoundItem spj = FirstItem(v1::SPJ_FACTOR, false);
  REQUIRE(spj.info != nullptr);
  CHECK(CodeLabel(*spj.instrument, *spj.info->def, "present", "sv") == "J, föreligger");
  CHECK(CodeLabel(*spj.instrument, *spj.info->def, "insufficient", "en") ==
        "insufficient information");
  // A code the item does not know is shown as itself.
  CHECK(CodeLabel(*spj.instrument, *spj.info->def, "other", "sv") == "other");
  CHECK(YesNoLabel(true, "sv") == "ja");
  CHECK(YesNoLabel(false, "en") == "no");
}

TEST_CASE("assessment statuses have one label each", "[labels]") {
  CHECK(StatusLabel(AssessmentStatus::kDraft, "sv") == "utkast");
  CHECK(StatusLabel(AssessmentStatus::kSubmitted, "en") == "submitted");
  CHECK(StatusLabel(AssessmentStatus::kReturned, "sv") == "återsänd");
  CHECK(StatusLabel(AssessmentStatus::kApproved, "sv") == "godkänd");
  CHECK(StatusLabel(AssessmentStatus::kDiscarded, "en") == "discarded draft");
}

// The ids are contracts (the database's CHECK constraints, JSON, CLI arguments, the audit
// trail): an enum renamed in code must keep its id.
TEST_CASE("roles and statuses keep their ids and read back from them", "[labels]") {
  const std::vector<std::string> roles = {"caseworker", "supervisor", "coordinator", "admin"};
  REQUIRE(kRoles.size() == roles.size());
  for (std::size_t i = 0; i < roles.size(); ++i) {
    CHECK(RoleId(kRoles[i]) == roles[i]);
    CHECK(RoleFromId(roles[i]) == kRoles[i]);
    CHECK(ParseRole(roles[i]).ok());
  }
  const std::vector<std::string> statuses = {"draft", "submitted", "returned", "approved",
                                             "discarded"};
  REQUIRE(kAssessmentStatuses.size() == statuses.size());
  for (std::size_t i = 0; i < statuses.size(); ++i) {
    CHECK(StatusId(kAssessmentStatuses[i]) == statuses[i]);
    CHECK(StatusFromId(statuses[i]) == kAssessmentStatuses[i]);
  }
  CHECK_FALSE(RoleFromId("Admin").has_value());
  CHECK_FALSE(RoleFromId("").has_value());
  CHECK(ParseRole("root").status().code() == StatusCode::kInvalidArgument);
  CHECK(ParseRole("root").status().message() ==
        "role: expected caseworker, supervisor, coordinator or admin");
  CHECK(ParseStatus("pending").status().code() == StatusCode::kInvalidArgument);
  CHECK_FALSE(StatusFromId("Draft").has_value());
  CHECK(IsEditable(AssessmentStatus::kDraft));
  CHECK(IsEditable(AssessmentStatus::kReturned));
  CHECK_FALSE(IsEditable(AssessmentStatus::kSubmitted));
  CHECK_FALSE(IsEditable(AssessmentStatus::kApproved));
  CHECK_FALSE(IsEditable(AssessmentStatus::kDiscarded));
  CHECK(IsCaseRole(Role::kCaseworker));
  CHECK(IsCaseRole(Role::kSupervisor));
  CHECK_FALSE(IsCaseRole(Role::kCoordinator));
  CHECK_FALSE(IsCaseRole(Role::kAdmin));
}

TEST_CASE("a recorded level is named by the band's text, else by the instrument's level",
          "[labels]") {
  auto instrument = RealInstruments()->Find("rutinfraga");
  REQUIRE(instrument != nullptr);
  REQUIRE(instrument->definition().banding().bands_size() > 0);
  const v1::Band& band = instrument->definition().banding().bands(0);
  CHECK(ResultLevelLabel(*instrument, band.id(), "sv") == TextIn(band.text(), "sv"));
  CHECK(ResultLevelLabel(*instrument, "", "sv").empty());
  auto skydd = RealInstruments()->Find("skydd");
  REQUIRE(skydd != nullptr);
  CHECK(ResultLevelLabel(*skydd, "high", "sv") == skydd->LevelLabel("high", "sv"));
}

TEST_CASE("a failure is described with its kind, or for a terminal only when denied or busy",
          "[labels]") {
  const Status denied = Status::PermissionDenied("only a supervisor");
  const Status missing = Status::NotFound("no such assessment");
  const Status busy = Status::Busy("locked");
  CHECK(DescribeFailure("kunde inte", denied, "sv") == "kunde inte: nekad (only a supervisor)");
  CHECK(DescribeFailure("could not", missing, "en") ==
        "could not: not found or not visible to you (no such assessment)");
  CHECK(DescribeFailure("x", Status::FailedPrecondition(""), "sv") ==
        "x: går inte i det här läget");
  const auto terse = FailureWords::kMessageUnlessDeniedOrBusy;
  CHECK(DescribeFailure("kunde inte", denied, "sv", terse) ==
        "kunde inte: nekad (only a supervisor)");
  CHECK(DescribeFailure("could not", busy, "en", terse) ==
        "could not: the database is busy, try again (locked)");
  CHECK(DescribeFailure("could not", missing, "en", terse) == "could not: no such assessment");
}

TEST_CASE("Capitalized raises the first letter, Swedish letters too", "[labels]") {
  CHECK(Capitalized("utkast") == "Utkast");
  CHECK(Capitalized("återsänd") == "Återsänd");
  CHECK(Capitalized("ökad") == "Ökad");
  CHECK(Capitalized("Ja") == "Ja");
  CHECK(Capitalized("0, saknas") == "0, saknas");
  CHECK(Capitalized("").empty());
}

TEST_CASE("the OS login name is the effective user's name", "[os_user]") {
  const struct passwd* entry = getpwuid(geteuid());
  REQUIRE(entry != nullptr);
  CHECK(OsLoginName() == entry->pw_name);
}

TEST_CASE("WipeSecret zeroes the bytes and empties the string", "[secrets]") {
  std::string password = "correct horse";
  const char* data = password.data();
  const size_t size = password.size();
  WipeSecret(&password);
  CHECK(password.empty());
  // The buffer is kept (clear() does not free it) and holds zeros where the password was.
  REQUIRE(password.data() == data);
  for (size_t i = 0; i < size; ++i) CHECK(data[i] == '\0');
}

TEST_CASE("a Secret holds at most kMaxBytes, compares by content and is copied by Assign",
          "[secrets]") {
  Secret a;
  for (size_t i = 0; i < Secret::kMaxBytes; ++i) REQUIRE(a.Append('x'));
  CHECK_FALSE(a.Append('y'));
  CHECK(a.view().size() == Secret::kMaxBytes);
  Secret b;
  b.Append('p');
  b.Append('w');
  CHECK_FALSE(a == b);
  a.Assign(b);
  CHECK(a.view() == "pw");
  CHECK(a == b);
  a.PopBack();
  CHECK(a.view() == "p");
  a.Clear();
  CHECK(a.empty());
}
