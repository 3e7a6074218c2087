// Which citation of a legal reference a record cites, by the record's date, and how a
// citation is written out (docs/directory.md, "The law in force on the record's date").
//
// The Social Services Act 2001:453 was replaced by 2025:400 on 1 July 2025: a record made
// before that day keeps citing the old act's chapter and paragraph, a later one the new act.
// The switch date is data (`current_from`), so the same rule serves any replaced statute
// (SOSFS 2014:4 -> HSLF-FS 2022:39 on 1 November 2022).

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>

#include <screening/directory.h>

#include "store/local_time.h"

namespace screening {

namespace {

bool English(std::string_view lang) { return lang == "en"; }

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "YYYY-MM-DDTHH:MM:SSZ" -> Swedish date; "" when `utc` is not such a timestamp.
std::string SwedishDateOfUtc(std::string_view utc) {
  if (utc.size() != 20 || utc[10] != 'T' || utc[13] != ':' || utc[16] != ':' || utc[19] != 'Z') {
    return {};
  }
  const std::string_view date = utc.substr(0, 10);
  if (!internal::ValidDate(date) || !AllDigits(utc.substr(11, 2)) ||
      !AllDigits(utc.substr(14, 2)) || !AllDigits(utc.substr(17, 2))) {
    return {};
  }
  const int hour = std::stoi(std::string(utc.substr(11, 2)));
  const int minute = std::stoi(std::string(utc.substr(14, 2)));
  const int second = std::stoi(std::string(utc.substr(17, 2)));
  if (hour > 23 || minute > 59 || second > 60) return {};
  namespace ch = std::chrono;
  const ch::year_month_day ymd{
      ch::year{std::stoi(std::string(date.substr(0, 4)))},
      ch::month{static_cast<unsigned>(std::stoi(std::string(date.substr(5, 2))))},
      ch::day{static_cast<unsigned>(std::stoi(std::string(date.substr(8, 2))))}};
  const std::int64_t seconds =
      ch::duration_cast<ch::seconds>(ch::sys_days{ymd}.time_since_epoch()).count() + hour * 3600 +
      minute * 60 + second;
  return internal::SwedishLocalDate(seconds);
}

}  // namespace

Result<const v1::Citation*> Directory::CitationOn(const v1::LegalReference& ref,
                                                  std::string_view date) const {
  std::string day;
  if (internal::ValidDate(date)) {
    day = std::string(date);
  } else {
    day = SwedishDateOfUtc(date);
  }
  if (day.empty()) {
    return Status::InvalidArgument("legal reference '" + ref.id() + "': '" + std::string(date) +
                                   "' is not a date (YYYY-MM-DD) or a UTC time "
                                   "(YYYY-MM-DDTHH:MM:SSZ)");
  }
  // Dates "YYYY-MM-DD" order as strings.
  if (ref.has_current() && !ref.current_from().empty() && day >= ref.current_from()) {
    return &ref.current();
  }
  return &ref.citation();
}

std::string Directory::CitationText(const v1::Citation& c, std::string_view lang) const {
  const bool en = English(lang);
  const std::string& law = Text(c.law(), lang);
  std::string out = law;
  if (!c.number().empty() && law.find(c.number()) == std::string::npos) {
    out += " (" + c.number() + ")";
  }
  if (en) {
    if (!c.chapter().empty()) out += ", chapter " + c.chapter();
    if (!c.paragraph().empty()) out += ", section " + c.paragraph();
  } else {
    if (!c.chapter().empty()) out += " " + c.chapter() + " kap.";
    if (!c.paragraph().empty()) out += " " + c.paragraph() + " §";
  }
  if (c.verified().status() == v1::VERIFIED) return out;
  // Say in words what is not known, else that the citation as a whole is not verified.
  const bool no_number = c.number().empty();
  const bool no_paragraph = c.paragraph_unknown();
  if (no_number && no_paragraph) {
    out += en ? ", number and section not verified" : ", nummer och paragraf ej verifierade";
  } else if (no_number) {
    out += en ? ", number not verified" : ", nummer ej verifierat";
  } else if (no_paragraph) {
    out += en ? ", section not verified" : ", paragraf ej verifierad";
  } else {
    out += en ? " (not verified)" : " (ej verifierad)";
  }
  return out;
}

Result<std::string> Directory::CitationTextOn(const v1::LegalReference& ref, std::string_view date,
                                              std::string_view lang) const {
  auto citation = CitationOn(ref, date);
  if (!citation.ok()) return citation.status();
  return CitationText(**citation, lang);
}

}  // namespace screening
