// The case-reference rule (store/case_ref.h): personal identity and coordination numbers
// are refused however they are written (dashes, spaces, punctuation, prefixes, full-width
// and other digits), and the references of a case system still pass. Every number here is
// made up: synthetic dates with serial numbers that were never checked against anything.
#include "store/case_ref.h"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "store_fixture.h"

namespace screening::internal {
namespace {

struct Disguised {
  const char* how;
  std::string ref;
};

// The number 850101-1234 (and a coordination number, 850161-1234) written as a word
// processor, a form, a copy from another system or a hurried hand would write it.
const std::vector<Disguised>& DisguisedNumbers() {
  static const std::vector<Disguised> kTable = {
      {"en dash (what word processors insert)", "850101\u20131234"},
      {"em dash", "850101\u20141234"},
      {"hyphen U+2010", "850101\u20101234"},
      {"non-breaking hyphen U+2011", "850101\u20111234"},
      {"figure dash U+2012", "850101\u20121234"},
      {"horizontal bar U+2015", "850101\u20151234"},
      {"minus sign U+2212", "850101\u22121234"},
      {"small em dash U+FE58", "850101\uFE581234"},
      {"small hyphen-minus U+FE63", "850101\uFE631234"},
      {"full-width hyphen-minus U+FF0D", "850101\uFF0D1234"},
      {"full-width digits", "\uFF18\uFF15\uFF10\uFF11\uFF10\uFF11-\uFF11\uFF12\uFF13\uFF14"},
      {"a prefix", "pnr 850101-1234"},
      {"a prefix with a colon and the century", "Pnr: 19850101-1234"},
      {"no-break space", "850101\u00A01234"},
      {"thin spaces inside", "8501\u200901\u20091234"},
      {"narrow no-break space", "19850101\u202F1234"},
      {"dots", "85.01.01-1234"},
      {"brackets", "(850101) 1234"},
      {"a slash after letters", "IFO/850101-1234"},
      {"an underscore", "\u00E4rende 850101_1234"},
      {"the plus of a centenarian", "850101+1234"},
      {"every digit spaced", "8 5 0 1 0 1 1 2 3 4"},
      {"zero-width spaces", "850101\u200B\u200B1234"},
      {"a coordination number (day + 60)", "850161-1234"},
      {"a coordination number with the century and an en dash", "19850161\u20131234"},
      {"mathematical bold digits",
       "\U0001D7D6\U0001D7D3\U0001D7CE\U0001D7CF\U0001D7CE\U0001D7CF"
       "-\U0001D7CF\U0001D7D0\U0001D7D1\U0001D7D2"},
      {"a wrong check digit is still a number", "850101-1235"},
      {"behind another group of digits", "1-850101-1234"},
      {"after a reference", "IFO-2026-0042 850101-1234"},
      {"the 29th of February in a leap year", "20000229-1234"},
      {"the 29th of February, two digits of year divisible by four", "840229-1234"},
  };
  return kTable;
}

TEST_CASE("Personal identity numbers are refused however they are written", "[store][caseref]") {
  REQUIRE(DisguisedNumbers().size() >= 18);
  for (const Disguised& d : DisguisedNumbers()) {
    INFO(d.how);
    CHECK(HoldsPersonalIdentityNumber(d.ref));
    const Status st = CheckCaseReference(d.ref);
    CHECK(st.code() == StatusCode::kInvalidArgument);
    CHECK_THAT(st.message(), Catch::Contains("personal identity number"));
    CHECK(st.message().find(d.ref) == std::string::npos);
  }
}

TEST_CASE("References of a case system pass the personal identity number rule",
          "[store][caseref]") {
  const std::vector<std::string> fine = {
      "2026-123",
      "IFO-2026-0042",
      "DEMO-000123",
      "IFO 2026/0042",
      "BIS-2025-00017",
      "\u00C4R-2026-001234",  // 2026001234: month 26
      "2026-000123-000456",   // no 10 or 12 digits of it start with a date
      "K-1234567890",         // 12-34-56: no month 34
      "Akt 12",
      "8501011234567",        // 13 digits in one group: not a number's shape
      "IFO-850101-X-1234",    // a letter between the date and the serial number
      "18991301-1234",        // month 13
      "850230-1234",          // the 30th of February
      "850192-1234",          // day 92: not even a coordination number
      "830229-1234",          // the 29th of February in a year not divisible by four
      "17850101-1234",        // a year before 1800
      "\u0627 12 \u0628 34",  // letters of another script between short groups
  };
  for (const std::string& ref : fine) {
    INFO(ref);
    CHECK_FALSE(HoldsPersonalIdentityNumber(ref));
    CHECK(CheckCaseReference(ref).ok());
  }
}

TEST_CASE("The case-reference rule keeps its length and control-character limits",
          "[store][caseref]") {
  CHECK(CheckCaseReference("").code() == StatusCode::kInvalidArgument);
  CHECK(CheckCaseReference(std::string(65, 'A')).code() == StatusCode::kInvalidArgument);
  CHECK(CheckCaseReference(std::string(64, 'A')).ok());
  CHECK(CheckCaseReference("IFO\n1").code() == StatusCode::kInvalidArgument);
  CHECK(CheckCaseReference(std::string("IFO\x7f", 4)).code() == StatusCode::kInvalidArgument);
  // Bytes that are not UTF-8 join digits rather than split them.
  CHECK(
      HoldsPersonalIdentityNumber("850101\xff\xfe"
                                  "1234"));
  CHECK_FALSE(HoldsPersonalIdentityNumber("IFO-\xff-12"));
}

TEST_CASE("The store refuses a disguised personal identity number and stores nothing",
          "[store][caseref]") {
  test::StoreFixture f;
  const std::int64_t cases = f.Rows("cases");
  const std::int64_t contacts = f.Rows("contacts");
  for (const Disguised& d : DisguisedNumbers()) {
    INFO(d.how);
    ContactInput c{"ifo_vuxen", d.ref, "2025-03-14", "not_disclosed", "", "", {}};
    auto contact = f.s().AddContact(f.kim, c);
    CHECK(contact.status().code() == StatusCode::kInvalidArgument);
    SubjectInput s{"ifo_vuxen", d.ref, "adult_victim", "", false, {}};
    CHECK(f.s().AddSubject(f.kim, s).status().code() == StatusCode::kInvalidArgument);
    CHECK(f.s().CreateDraft(f.kim, f.Input(d.ref), test::DashSession(1)).status().code() ==
          StatusCode::kInvalidArgument);
    // The clients check a typed reference with the same rule before a walk.
    CHECK(screening::CheckCaseReference(d.ref).code() == StatusCode::kInvalidArgument);
  }
  CHECK(f.Rows("cases") == cases);
  CHECK(f.Rows("contacts") == contacts);
  CHECK(screening::CheckCaseReference("IFO-2026-0042").ok());
  f.Intake(f.kim, "IFO-2026-0042");
  test::RequireOk(
      f.s().CreateDraft(f.kim, f.Input("IFO-2026-0042"), test::DashSession(1)).status());
}

}  // namespace
}  // namespace screening::internal
