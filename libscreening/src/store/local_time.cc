#include "store/local_time.h"

#include <fmt/format.h>

#include <chrono>

namespace screening::internal {

namespace ch = std::chrono;

namespace {

ch::sys_seconds LastSundayOneUtc(int year, unsigned month) {
  ch::year_month_day last{ch::year{year} / ch::month{month} / ch::last};
  ch::sys_days day{last};
  ch::weekday wd{day};
  day -= (wd - ch::Sunday);
  return ch::sys_seconds{day} + ch::hours{1};
}

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

}  // namespace

std::string FormatUtc(std::int64_t unix_seconds) {
  ch::sys_seconds t{ch::seconds{unix_seconds}};
  auto day = ch::floor<ch::days>(t);
  ch::year_month_day ymd{day};
  ch::hh_mm_ss hms{t - day};
  return fmt::format("{}T{:02}:{:02}:{:02}Z", Format(ymd), hms.hours().count(),
                     hms.minutes().count(), hms.seconds().count());
}

namespace {

ch::sys_seconds SwedishLocal(std::int64_t unix_seconds) {
  ch::sys_seconds t{ch::seconds{unix_seconds}};
  const int year = static_cast<int>(ch::year_month_day{ch::floor<ch::days>(t)}.year());
  const bool summer = t >= LastSundayOneUtc(year, 3) && t < LastSundayOneUtc(year, 10);
  return t + ch::hours{summer ? 2 : 1};
}

}  // namespace

std::string SwedishLocalDate(std::int64_t unix_seconds) {
  return Format(ch::year_month_day{ch::floor<ch::days>(SwedishLocal(unix_seconds))});
}

std::string SwedishLocalDateTime(std::string_view utc) {
  if (utc.size() != 20 || utc[10] != 'T' || utc[13] != ':' || utc[16] != ':' || utc[19] != 'Z' ||
      !ValidDate(utc.substr(0, 10))) {
    return std::string(utc);
  }
  int h = 0, m = 0, sec = 0;
  for (auto [pos, out] : {std::pair{11, &h}, std::pair{14, &m}, std::pair{17, &sec}}) {
    const char a = utc[static_cast<std::size_t>(pos)], b = utc[static_cast<std::size_t>(pos) + 1];
    if (a < '0' || a > '9' || b < '0' || b > '9') return std::string(utc);
    *out = (a - '0') * 10 + (b - '0');
  }
  const ch::sys_seconds t =
      ch::sys_days{Parse(utc.substr(0, 10))} + ch::hours{h} + ch::minutes{m} + ch::seconds{sec};
  const auto local = SwedishLocal(t.time_since_epoch().count());
  const auto day = ch::floor<ch::days>(local);
  ch::hh_mm_ss hms{local - day};
  return fmt::format("{} {:02}:{:02}:{:02}", Format(ch::year_month_day{day}), hms.hours().count(),
                     hms.minutes().count(), hms.seconds().count());
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

}  // namespace screening::internal
