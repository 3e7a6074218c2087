// The one Swedish local date rule (base/swedish_time, <screening/dates.h>) at the edges where
// a wrong rule gives a wrong date: the summer-time changes in March and October, the turn of
// the year, and the UTC instant at which a Swedish date begins.
#include <cstdint>
#include <string>

#include <screening/dates.h>

#include <catch2/catch.hpp>

#include "base/swedish_time.h"

namespace screening {
namespace {

// The instant of a UTC timestamp the test writes itself.
std::int64_t At(const std::string& utc) {
  const auto t = internal::ParseUtc(utc);
  INFO(utc);
  REQUIRE(t.has_value());
  return *t;
}

std::string DateAt(const std::string& utc) { return SwedishLocalDate(At(utc)); }

TEST_CASE("the Swedish date of an instant follows the summer-time change in March", "[dates]") {
  // 2025: summer time from 01:00 UTC on Sunday 30 March.
  CHECK(DateAt("2025-03-29T22:59:59Z") == "2025-03-29");
  CHECK(DateAt("2025-03-29T23:00:00Z") == "2025-03-30");  // midnight, still winter time
  CHECK(SwedishLocalDateTime("2025-03-30T00:59:59Z") == "2025-03-30 01:59:59");
  CHECK(SwedishLocalDateTime("2025-03-30T01:00:00Z") == "2025-03-30 03:00:00");
  // The day after the change begins at 22:00 UTC, not 23:00.
  CHECK(DateAt("2025-03-30T21:59:59Z") == "2025-03-30");
  CHECK(DateAt("2025-03-30T22:00:00Z") == "2025-03-31");
  CHECK(DateAt("2025-03-30T22:30:00Z") == "2025-03-31");
}

TEST_CASE("the Swedish date of an instant follows the summer-time change in October", "[dates]") {
  // 2025: winter time from 01:00 UTC on Sunday 26 October.
  CHECK(DateAt("2025-10-25T21:59:59Z") == "2025-10-25");
  CHECK(DateAt("2025-10-25T22:00:00Z") == "2025-10-26");  // midnight, still summer time
  CHECK(SwedishLocalDateTime("2025-10-26T00:59:59Z") == "2025-10-26 02:59:59");
  CHECK(SwedishLocalDateTime("2025-10-26T01:00:00Z") == "2025-10-26 02:00:00");
  // The day after the change begins at 23:00 UTC, not 22:00.
  CHECK(DateAt("2025-10-26T22:30:00Z") == "2025-10-26");
  CHECK(DateAt("2025-10-26T22:59:59Z") == "2025-10-26");
  CHECK(DateAt("2025-10-26T23:00:00Z") == "2025-10-27");
}

TEST_CASE("23:30 UTC on 31 December is already the new year in Sweden", "[dates]") {
  CHECK(DateAt("2025-12-31T23:30:00Z") == "2026-01-01");
  CHECK(SwedishLocalDateOfUtc("2025-12-31T23:30:00Z") == "2026-01-01");
  CHECK(SwedishLocalDateTime("2025-12-31T23:30:00Z") == "2026-01-01 00:30:00");
  CHECK(DateAt("2025-12-31T22:59:59Z") == "2025-12-31");
  // A leap year's last day too.
  CHECK(DateAt("2024-12-31T23:30:00Z") == "2025-01-01");
}

TEST_CASE("midnight in Sweden as UTC is 23:00 the day before in winter, 22:00 in summer",
          "[dates]") {
  CHECK(SwedishMidnightUtc("2026-01-15") == "2026-01-14T23:00:00Z");
  CHECK(SwedishMidnightUtc("2026-07-15") == "2026-07-14T22:00:00Z");
  CHECK(SwedishMidnightUtc("2026-01-01") == "2025-12-31T23:00:00Z");
  // 2026: summer time from Sunday 29 March to Sunday 25 October.
  CHECK(SwedishMidnightUtc("2026-03-29") == "2026-03-28T23:00:00Z");
  CHECK(SwedishMidnightUtc("2026-03-30") == "2026-03-29T22:00:00Z");
  CHECK(SwedishMidnightUtc("2026-10-25") == "2026-10-24T22:00:00Z");
  CHECK(SwedishMidnightUtc("2026-10-26") == "2026-10-25T23:00:00Z");
}

TEST_CASE("every Swedish date begins at its midnight and the second before is the day before",
          "[dates]") {
  for (std::string date = "2024-01-01"; date < "2028-01-01"; date = internal::AddDays(date, 1)) {
    INFO(date);
    const std::int64_t begins = At(SwedishMidnightUtc(date));
    CHECK(SwedishLocalDate(begins) == date);
    CHECK(SwedishLocalDate(begins - 1) == internal::AddDays(date, -1));
  }
}

TEST_CASE("a date ends in summer time exactly between the dates summer time begins and ends",
          "[dates]") {
  // The store counts due items done on time with these dates in SQL; they must agree with
  // the midnight of the next day.
  const internal::SummerTimeDates y2025 = internal::SwedishSummerTime(2025);
  CHECK(y2025.begins == "2025-03-30");
  CHECK(y2025.ends == "2025-10-26");
  const internal::SummerTimeDates y2026 = internal::SwedishSummerTime(2026);
  CHECK(y2026.begins == "2026-03-29");
  CHECK(y2026.ends == "2026-10-25");
  for (int year : {2024, 2025, 2026, 2027}) {
    const internal::SummerTimeDates summer = internal::SwedishSummerTime(year);
    const std::string first = std::to_string(year) + "-01-01";
    for (std::string date = first; date < std::to_string(year + 1) + "-01-01";
         date = internal::AddDays(date, 1)) {
      INFO(date);
      const std::string next_midnight = SwedishMidnightUtc(internal::AddDays(date, 1));
      const bool ends_in_summer = summer.begins <= date && date < summer.ends;
      CHECK((next_midnight.substr(10) == "T22:00:00Z") == ends_in_summer);
    }
  }
}

TEST_CASE("a UTC timestamp that is not one has no Swedish date", "[dates]") {
  for (const char* bad : {"", "2025-01-01", "2025-01-01 12:00:00", "2025-01-01T12:00:00",
                          "2025-13-01T12:00:00Z", "2025-02-30T12:00:00Z", "2025-01-01T24:00:00Z",
                          "2025-01-01T12:60:00Z", "2025-01-01T12:00:61Z", "2025-01-01T1a:00:00Z"}) {
    INFO(bad);
    CHECK(SwedishLocalDateOfUtc(bad).empty());
    CHECK(SwedishLocalDateTime(bad) == bad);  // shown as given
  }
  // A leap second is a time.
  CHECK(SwedishLocalDateOfUtc("2016-12-31T23:59:60Z") == "2017-01-01");
}

TEST_CASE("UTC timestamps are written and read back the same", "[dates]") {
  for (const char* utc : {"1970-01-01T00:00:00Z", "2025-03-30T01:00:00Z", "2199-12-31T23:59:59Z"}) {
    CHECK(internal::FormatUtc(At(utc)) == utc);
  }
}

TEST_CASE("calendar arithmetic clamps to the month's last day", "[dates][periods]") {
  CHECK(internal::AddMonths("2024-01-31", 1) == "2024-02-29");
  CHECK(internal::AddMonths("2025-01-31", 1) == "2025-02-28");
  CHECK(internal::AddMonths("2025-11-30", 3) == "2026-02-28");
  CHECK(internal::AddDays("2025-12-31", 1) == "2026-01-01");
  CHECK(internal::AddDays("2024-03-01", -1) == "2024-02-29");
  CHECK(internal::ValidDate("2024-02-29"));
  CHECK_FALSE(internal::ValidDate("2025-02-29"));
}

TEST_CASE("today in Sweden is a date", "[dates]") { CHECK(internal::ValidDate(SwedishToday())); }

}  // namespace
}  // namespace screening
