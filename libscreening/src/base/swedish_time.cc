// The Swedish local date rule, calendar arithmetic and the periods of reports.
#include "base/swedish_time.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

namespace screening {
namespace internal {

namespace ch = std::chrono;

namespace {

ch::year_month_day LastSunday(int year, unsigned month) {
  ch::sys_days day{ch::year_month_day_last{ch::year{year}, ch::month_day_last{ch::month{month}}}};
  day -= (ch::weekday{day} - ch::Sunday);
  return ch::year_month_day{day};
}

// Summer time runs from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday
// of October.
ch::sys_seconds SummerTimeSwitch(int year, unsigned month) {
  return ch::sys_seconds{ch::sys_days{LastSunday(year, month)}} + ch::hours{1};
}

// Precondition: the shape of a date (ValidDate or a checked timestamp's first ten characters).
ch::year_month_day Parse(std::string_view d) {
  int y = std::stoi(std::string(d.substr(0, 4)));
  unsigned m = static_cast<unsigned>(std::stoi(std::string(d.substr(5, 2))));
  unsigned day = static_cast<unsigned>(std::stoi(std::string(d.substr(8, 2))));
  return ch::year{y} / ch::month{m} / ch::day{day};
}

std::string Format(const ch::year_month_day& ymd) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

// The Swedish wall-clock time at `t`, as if it were a UTC instant.
ch::sys_seconds SwedishLocal(ch::sys_seconds t) {
  const int year = static_cast<int>(ch::year_month_day{ch::floor<ch::days>(t)}.year());
  const bool summer = t >= SummerTimeSwitch(year, 3) && t < SummerTimeSwitch(year, 10);
  return t + ch::hours{summer ? 2 : 1};
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string FormatUtc(std::int64_t unix_seconds) {
  ch::sys_seconds t{ch::seconds{unix_seconds}};
  auto day = ch::floor<ch::days>(t);
  ch::year_month_day ymd{day};
  ch::hh_mm_ss hms{t - day};
  return fmt::format("{}T{:02}:{:02}:{:02}Z", Format(ymd), hms.hours().count(),
                     hms.minutes().count(), hms.seconds().count());
}

std::optional<std::int64_t> ParseUtc(std::string_view utc) {
  if (utc.size() != 20 || utc[10] != 'T' || utc[13] != ':' || utc[16] != ':' || utc[19] != 'Z' ||
      !ValidDate(utc.substr(0, 10)) || !AllDigits(utc.substr(11, 2)) ||
      !AllDigits(utc.substr(14, 2)) || !AllDigits(utc.substr(17, 2))) {
    return std::nullopt;
  }
  const int hour = std::stoi(std::string(utc.substr(11, 2)));
  const int minute = std::stoi(std::string(utc.substr(14, 2)));
  const int second = std::stoi(std::string(utc.substr(17, 2)));
  if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
  const ch::sys_seconds t = ch::sys_days{Parse(utc.substr(0, 10))} + ch::hours{hour} +
                            ch::minutes{minute} + ch::seconds{second};
  return t.time_since_epoch().count();
}

bool ValidDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  auto ymd = Parse(s);
  int y = static_cast<int>(ymd.year());
  return ymd.ok() && y >= 1900 && y <= 2200;
}

std::string AddDays(std::string_view date, int days) {
  ch::sys_days d{Parse(date)};
  return Format(ch::year_month_day{d + ch::days{days}});
}

std::string AddMonths(std::string_view date, int months) {
  auto ymd = Parse(date);
  auto target = ymd.year() / ymd.month() / ch::day{1};
  target += ch::months{months};
  auto last = ch::year_month_day_last{target.year(), ch::month_day_last{target.month()}};
  auto day = std::min(ymd.day(), last.day());
  return Format(target.year() / target.month() / day);
}

SummerTimeDates SwedishSummerTime(int year) {
  return {Format(LastSunday(year, 3)), Format(LastSunday(year, 10))};
}

}  // namespace internal

// ---------------------------------------------------------------- dates of instants

std::string SwedishLocalDate(std::int64_t unix_seconds) {
  namespace ch = std::chrono;
  const auto local = internal::SwedishLocal(ch::sys_seconds{ch::seconds{unix_seconds}});
  return internal::Format(ch::year_month_day{ch::floor<ch::days>(local)});
}

std::string SwedishToday() {
  namespace ch = std::chrono;
  return SwedishLocalDate(
      ch::duration_cast<ch::seconds>(ch::system_clock::now().time_since_epoch()).count());
}

std::string SwedishLocalDateOfUtc(std::string_view utc) {
  const auto t = internal::ParseUtc(utc);
  return t ? SwedishLocalDate(*t) : std::string();
}

std::string SwedishLocalDateTime(std::string_view utc) {
  namespace ch = std::chrono;
  const auto t = internal::ParseUtc(utc);
  if (!t) return std::string(utc);
  const auto local = internal::SwedishLocal(ch::sys_seconds{ch::seconds{*t}});
  const auto day = ch::floor<ch::days>(local);
  ch::hh_mm_ss hms{local - day};
  return fmt::format("{} {:02}:{:02}:{:02}", internal::Format(ch::year_month_day{day}),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count());
}

std::string SwedishMidnightUtc(std::string_view date) {
  namespace ch = std::chrono;
  // The local date begins at 00:00 local time: 22:00 UTC the day before when that instant is
  // in summer time, else 23:00.
  const ch::sys_seconds utc_midnight{ch::sys_days{internal::Parse(date)}};
  const ch::sys_seconds summer = utc_midnight - ch::hours{2};
  const ch::sys_seconds begins = SwedishLocalDate(summer.time_since_epoch().count()) == date
                                     ? summer
                                     : utc_midnight - ch::hours{1};
  return internal::FormatUtc(begins.time_since_epoch().count());
}

// ---------------------------------------------------------------- periods

Result<IndicatorPeriod> YearPeriod(std::string_view year) {
  if (year.size() != 4 || !internal::AllDigits(year) ||
      !internal::ValidDate(std::string(year) + "-01-01"))
    return Status::InvalidArgument("year: expected YYYY (1900..2200)");
  const std::string y(year);
  return IndicatorPeriod{y + "-01-01", y + "-12-31", y};
}

Result<IndicatorPeriod> QuarterPeriod(std::string_view quarter) {
  if (quarter.size() != 6 || !internal::AllDigits(quarter.substr(0, 4)) ||
      (quarter[4] != 'Q' && quarter[4] != 'q') || quarter[5] < '1' || quarter[5] > '4' ||
      !internal::ValidDate(std::string(quarter.substr(0, 4)) + "-01-01")) {
    return Status::InvalidArgument("quarter: expected YYYYQn, e.g. 2026Q1");
  }
  const std::string y(quarter.substr(0, 4));
  const int q = quarter[5] - '0';
  static const char* kFrom[] = {"-01-01", "-04-01", "-07-01", "-10-01"};
  static const char* kTo[] = {"-03-31", "-06-30", "-09-30", "-12-31"};
  return IndicatorPeriod{y + kFrom[q - 1], y + kTo[q - 1], fmt::format("{}Q{}", y, q)};
}

Result<IndicatorPeriod> MonthPeriod(std::string_view month) {
  if (month.size() != 7 || month[4] != '-' || !internal::ValidDate(std::string(month) + "-01")) {
    return Status::InvalidArgument("month: expected YYYY-MM, e.g. 2026-03");
  }
  const std::string first = std::string(month) + "-01";
  const std::string last = internal::AddDays(internal::AddMonths(first, 1), -1);
  return IndicatorPeriod{first, last, std::string(month)};
}

Result<IndicatorPeriod> RangePeriod(std::string_view from, std::string_view to) {
  if (!internal::ValidDate(from)) return Status::InvalidArgument("from: expected YYYY-MM-DD");
  if (!internal::ValidDate(to)) return Status::InvalidArgument("to: expected YYYY-MM-DD");
  if (to < from) return Status::InvalidArgument("to: the period ends before it starts");
  return IndicatorPeriod{std::string(from), std::string(to), fmt::format("{}..{}", from, to)};
}

bool IsCalendarPeriod(const IndicatorPeriod& period) {
  if (!internal::ValidDate(period.from) || !internal::ValidDate(period.to) ||
      period.from.compare(8, 2, "01") != 0) {
    return false;
  }
  const int month = std::stoi(period.from.substr(5, 2));
  const auto lasts_months = [&](int months) {
    return internal::AddDays(internal::AddMonths(period.from, months), -1) == period.to;
  };
  return lasts_months(1) || (month % 3 == 1 && lasts_months(3)) || (month == 1 && lasts_months(12));
}

}  // namespace screening
