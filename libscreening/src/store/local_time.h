// Swedish local dates and UTC timestamps.
//
// Sweden follows the EU summer-time rule (Directive 2000/84/EC): UTC+1, and UTC+2 from
// 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October. The
// rule is computed here instead of read from a time-zone database, so a record's local
// date never depends on what tzdata a workstation happens to have.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace screening::internal {

// "YYYY-MM-DDTHH:MM:SSZ".
std::string FormatUtc(std::int64_t unix_seconds);
// The date in Sweden at that instant, "YYYY-MM-DD".
std::string SwedishLocalDate(std::int64_t unix_seconds);
// The Swedish local date and time "YYYY-MM-DD HH:MM:SS" of a UTC timestamp
// "YYYY-MM-DDTHH:MM:SSZ" (anything else is returned unchanged): times shown to people.
std::string SwedishLocalDateTime(std::string_view utc);
// Whether `date` is a valid calendar date "YYYY-MM-DD" (years 1900..2200).
bool ValidDate(std::string_view date);
// `date` plus `days` calendar days. Precondition: ValidDate(date).
std::string AddDays(std::string_view date, int days);
// `date` plus `months` calendar months, clamped to the month's last day (31 Jan + 1 = 28/29 Feb).
std::string AddMonths(std::string_view date, int months);

}  // namespace screening::internal
