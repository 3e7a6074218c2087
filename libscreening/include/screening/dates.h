// Swedish local dates: the one rule the library and both clients use for "today", for the
// date a record was made and for a report's period.
//
// Sweden follows the EU summer-time rule (Directive 2000/84/EC): UTC+1, and UTC+2 from
// 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October. The
// library computes the rule itself instead of asking the operating system, so a date never
// depends on a workstation's TZ setting or tzdata.
//
// Dates are "YYYY-MM-DD" (they order as strings); UTC timestamps "YYYY-MM-DDTHH:MM:SSZ".
// Everything here is pure except SwedishToday, which reads the system clock; all of it is safe
// to call from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <screening/status.h>

namespace screening {

// ---------------------------------------------------------------- dates of instants

// The date in Sweden at `unix_seconds` (seconds since the Unix epoch, UTC).
std::string SwedishLocalDate(std::int64_t unix_seconds);

// The date in Sweden now, by the system clock: a client's "today". (The store takes its
// "now" from the Clock in its StoreOptions instead.)
std::string SwedishToday();

// The date in Sweden at the UTC timestamp `utc`; "" when `utc` is not such a timestamp (a
// valid date, hours 00..23, minutes 00..59, seconds 00..60).
std::string SwedishLocalDateOfUtc(std::string_view utc);

// The Swedish local date and time "YYYY-MM-DD HH:MM:SS" of a UTC timestamp
// "YYYY-MM-DDTHH:MM:SSZ" (anything else is returned unchanged), for times shown to people
// (a report's cut-off).
std::string SwedishLocalDateTime(std::string_view utc);

// The UTC instant "YYYY-MM-DDTHH:MM:SSZ" at which the Swedish local date `date` (YYYY-MM-DD,
// valid) begins: 23:00 UTC the day before, or 22:00 in summer time.
std::string SwedishMidnightUtc(std::string_view date);

// ---------------------------------------------------------------- periods

// A period of Swedish local dates, both ends inclusive (an indicator report's period).
struct IndicatorPeriod {
  std::string from;   // YYYY-MM-DD
  std::string to;     // YYYY-MM-DD, not before `from`
  std::string label;  // "2026", "2026Q1", "2026-03" or "2026-01-05..2026-02-10"
};

// `--year 2026`, `--quarter 2026Q1`, `--month 2026-03`, `--from D --to D`. kInvalidArgument
// naming the expected form for anything else (years 1900..2200, to >= from).
Result<IndicatorPeriod> YearPeriod(std::string_view year);
Result<IndicatorPeriod> QuarterPeriod(std::string_view quarter);
Result<IndicatorPeriod> MonthPeriod(std::string_view month);
Result<IndicatorPeriod> RangePeriod(std::string_view from, std::string_view to);

// Whether `period` is exactly one calendar month, quarter or year, however it was given:
// `--from 2026-04-01 --to 2026-06-30` is the quarter 2026Q2, `--from 2026-01-02 --to
// 2026-03-31` is none of them. Precondition: valid dates (as the functions above make them).
bool IsCalendarPeriod(const IndicatorPeriod& period);

}  // namespace screening
