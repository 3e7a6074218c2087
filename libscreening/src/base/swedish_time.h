// Swedish local dates and UTC timestamps: the one date module of the library. The public part
// (the date of an instant, midnight in Sweden, the periods) is <screening/dates.h>; this adds
// what only the library needs: formatting and reading UTC timestamps, calendar arithmetic,
// and the dates on which summer time begins and ends (for a store that computes deadlines in
// its queries).
//
// Sweden follows the EU summer-time rule (Directive 2000/84/EC): UTC+1, and UTC+2 from
// 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October. The
// rule is computed here instead of read from a time-zone database, so a record's local
// date never depends on what tzdata a workstation happens to have.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <screening/dates.h>

namespace screening::internal {

// "YYYY-MM-DDTHH:MM:SSZ".
std::string FormatUtc(std::int64_t unix_seconds);
// The instant of a UTC timestamp "YYYY-MM-DDTHH:MM:SSZ" (a valid date, hours 00..23, minutes
// 00..59, seconds 00..60), as seconds since the Unix epoch; nullopt for anything else.
std::optional<std::int64_t> ParseUtc(std::string_view utc);
// Whether `date` is a valid calendar date "YYYY-MM-DD" (years 1900..2200).
bool ValidDate(std::string_view date);
// `date` plus `days` calendar days. Precondition: ValidDate(date).
std::string AddDays(std::string_view date, int days);
// `date` plus `months` calendar months, clamped to the month's last day (31 Jan + 1 = 28/29 Feb).
std::string AddMonths(std::string_view date, int months);

// The Swedish local dates of one year on which summer time begins (the last Sunday of March)
// and ends (the last Sunday of October): a local date D ends in summer time, at 22:00 UTC
// rather than 23:00, exactly when begins <= D < ends.
struct SummerTimeDates {
  std::string begins;
  std::string ends;
};
SummerTimeDates SwedishSummerTime(int year);

}  // namespace screening::internal
