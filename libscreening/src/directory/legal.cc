// Which citation of a legal reference a record cites, by the record's date, and how a
// citation is written out (docs/directory.md, "The law in force on the record's date").
//
// The Social Services Act 2001:453 was replaced by 2025:400 on 1 July 2025: a record made
// before that day keeps citing the old act's chapter and paragraph, a later one the new act.
// The switch date is data (`current_from`), so the same rule serves any replaced statute
// (SOSFS 2014:4 -> HSLF-FS 2022:39 on 1 November 2022).

#include <string>

#include <screening/directory.h>

#include "base/swedish_time.h"

namespace screening {

namespace {

bool English(std::string_view lang) { return lang == "en"; }

}  // namespace

Result<const v1::Citation*> Directory::CitationOn(const v1::LegalReference& ref,
                                                  std::string_view date) const {
  std::string day;
  if (internal::ValidDate(date)) {
    day = std::string(date);
  } else {
    day = SwedishLocalDateOfUtc(date);
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
