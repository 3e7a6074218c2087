// The discreet card, the question asked before handing it over, and what the directory still
// lacks (docs/directory.md, "Handing numbers over" and "What is missing").
//
// The card's rules are here and not in a client because a card found at home can put the
// person in danger: every client must leave out the same things (headings, labels that say
// what a number is for, numbers nobody has verified) and print the same numbers.

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <string>
#include <utility>

#include <screening/directory.h>

#include "directory/phone_digits.h"
#include "engine/text_rules.h"
#include "indicators/layout.h"

namespace screening {

namespace {

// A label the person chose fits on one line of a business card.
constexpr int kMaxLabelChars = 40;

bool English(std::string_view lang) { return lang == "en"; }

const char* Say(std::string_view lang, const char* sv, const char* en) {
  return English(lang) ? en : sv;
}

int CountChars(std::string_view s) {
  return static_cast<int>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// One line of printable text, short enough for the card. The message never quotes the label:
// it is the person's own choice of name.
Status CheckLabel(const std::string& resource_id, const std::string& label) {
  const std::string where = "label for '" + resource_id + "'";
  if (Status s = internal::CheckFreeText(label); !s.ok()) {
    return Status::InvalidArgument(where + ": " + s.message());
  }
  if (label.find_first_of("\t\r\n") != std::string::npos) {
    return Status::InvalidArgument(where + ": must be one line");
  }
  if (CountChars(label) > kMaxLabelChars) {
    return Status::InvalidArgument(where + ": longer than " + std::to_string(kMaxLabelChars) +
                                   " characters");
  }
  return Status::Ok();
}

}  // namespace

std::string CardToText(const DiscreetCard& card) {
  int width = 0;
  for (const CardLine& line : card.lines) width = std::max(width, CountChars(line.label));
  std::string out;
  if (!card.heading.empty()) out += card.heading + "\n";
  for (const CardLine& line : card.lines) {
    if (width > 0) {
      out += line.label + std::string(static_cast<size_t>(width - CountChars(line.label) + 2), ' ');
    }
    out += line.phone + "\n";
  }
  return out;
}

std::string CardToHtml(const DiscreetCard& card) {
  using internal::MarkupEscaped;
  std::string html = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<title>{}</title>\n<style>\n"
      "@page {{ size: {}mm {}mm; margin: 5mm; }}\n"
      "body {{ font-family: sans-serif; font-size: 10pt; margin: 0; }}\n"
      "table {{ border-collapse: collapse; }}\n"
      "td {{ padding: 0.6mm 3mm 0.6mm 0; }}\n"
      "td.number {{ white-space: nowrap; font-variant-numeric: tabular-nums; }}\n"
      "</style>\n</head>\n<body>\n",
      MarkupEscaped(card.lang), MarkupEscaped(card.document_title), card.width_mm, card.height_mm);
  if (!card.heading.empty()) html += "<p>" + MarkupEscaped(card.heading) + "</p>\n";
  html += "<table>\n";
  for (const CardLine& line : card.lines) {
    html += "<tr><td>" + MarkupEscaped(line.label) + "</td><td class=\"number\">" +
            MarkupEscaped(line.phone) + "</td></tr>\n";
  }
  html += "</table>\n</body>\n</html>\n";
  return html;
}

std::string MissingNumberText(std::string_view lang) {
  return Say(lang, "saknas – kommunen fyller i", "missing – to be filled in by the municipality");
}

Result<DiscreetCard> Directory::Card(const CardRequest& request) const {
  for (const auto& [id, label] : request.labels) {
    if (Resource(id) == nullptr) {
      return Status::InvalidArgument("label for unknown resource '" + id + "'");
    }
    if (Status s = CheckLabel(id, label); !s.ok()) return s;
  }
  std::vector<const v1::Resource*> list;
  if (request.resource_ids.empty()) {
    if (request.subject_role.empty()) {
      return Status::InvalidArgument("a card needs resource ids or the person's role");
    }
    list = ResourcesFor(request.subject_role,
                        request.person_lang.empty() ? request.lang : request.person_lang,
                        request.tags);
  } else {
    for (size_t i = 0; i < request.resource_ids.size(); ++i) {
      const v1::Resource* r = Resource(request.resource_ids[i]);
      if (r == nullptr) {
        return Status::InvalidArgument("resource " + std::to_string(i + 1) + " ('" +
                                       request.resource_ids[i] + "') is not in the directory");
      }
      if (std::find(list.begin(), list.end(), r) == list.end()) list.push_back(r);
    }
    // The fixed end is on every list given to a person (LAW-AND-PRACTICE.md).
    for (const v1::Resource* r : always_last_) {
      list.erase(std::remove(list.begin(), list.end(), r), list.end());
      list.push_back(r);
    }
  }

  DiscreetCard card;
  card.lang = request.lang;
  card.file_name = Say(request.lang, "kontakter.pdf", "contacts.pdf");
  card.document_title = Say(request.lang, "Kontakter", "Contacts");

  // Which entries can be printed: a verified number not already on the card.
  std::vector<const v1::Resource*> printable;
  std::set<std::string> numbers;
  for (const v1::Resource* r : list) {
    if (r->phone().empty() || r->phone_verified().status() != v1::VERIFIED) {
      card.omitted.push_back({r->id(), CardOmission::kNoVerifiedNumber});
      continue;
    }
    if (!numbers.insert(directory_internal::PhoneDigits(r->phone())).second) {
      card.omitted.push_back({r->id(), CardOmission::kSameNumber});
      continue;
    }
    printable.push_back(r);
  }
  // Room: the fixed end always fits; the others in order until the card is full.
  const auto is_tail = [&](const v1::Resource* r) {
    return std::find(always_last_.begin(), always_last_.end(), r) != always_last_.end();
  };
  const int tail = static_cast<int>(std::count_if(printable.begin(), printable.end(), is_tail));
  int room = DiscreetCard::kMaxLines - tail;
  for (const v1::Resource* r : printable) {
    if (!is_tail(r)) {
      if (room <= 0) {
        card.omitted.push_back({r->id(), CardOmission::kNoRoom});
        continue;
      }
      --room;
    }
    CardLine line;
    line.resource_id = r->id();
    line.phone = r->phone();
    if (auto it = request.labels.find(r->id()); it != request.labels.end()) {
      line.label = it->second;
    } else {
      line.label = Text(r->neutral_name(), request.lang);
    }
    card.lines.push_back(std::move(line));
  }
  return card;
}

HandoverPrompt Directory::PromptFor(const DiscreetCard& card) const {
  const std::string& lang = card.lang;
  HandoverPrompt p;
  p.question = Say(lang, "Är det säkert för dig att ta hem det här?",
                   "Is it safe for you to take this home?");
  p.explanation = Say(lang,
                      "Fråga innan du lämnar över något. Om någon hemma hittar ett kort med de "
                      "här numren kan det vara farligt, även om kortet inte har någon rubrik.",
                      "Ask before handing anything over. If someone at home finds a card with "
                      "these numbers, it can be dangerous, even though the card has no heading.");
  p.alternative =
      Say(lang, "I stället kan numren sparas i telefonen under neutrala namn, till exempel:",
          "Instead, the numbers can be saved in the phone under neutral names, for "
          "example:");
  p.own_names = Say(lang,
                    "Personen kan också välja egna namn – sådana som inte säger något om våld "
                    "eller stöd.",
                    "The person may also choose names of their own – ones that say nothing about "
                    "violence or support.");
  p.numbers = card.lines;
  p.make_card = Say(lang, "Skapa kortet", "Make the card");
  p.save_in_phone = Say(lang, "Spara i telefonen i stället", "Save in the phone instead");
  p.cancel = Say(lang, "Avbryt", "Cancel");
  return p;
}

std::vector<DirectoryGap> Directory::Gaps() const {
  std::vector<DirectoryGap> gaps;
  for (const v1::Resource& r : def_.resources()) {
    if (r.phone().empty() || r.phone_verified().status() != v1::VERIFIED) {
      gaps.push_back({r.id(), "phone", r.phone().empty(), r.required(), r.phone_verified().note()});
    }
    const v1::OpeningHours& hours = r.hours();
    if (hours.verified().status() != v1::VERIFIED) {
      gaps.push_back({r.id(), "hours", !hours.around_the_clock() && hours.text().empty(), false,
                      hours.verified().note()});
    }
    if (r.languages_verified().status() != v1::VERIFIED) {
      gaps.push_back({r.id(), "languages", r.languages().empty() && !r.many_languages(), false,
                      r.languages_verified().note()});
    }
    if (r.anonymous() && r.anonymity_verified().status() != v1::VERIFIED) {
      gaps.push_back({r.id(), "anonymity", false, false, r.anonymity_verified().note()});
    }
  }
  return gaps;
}

bool Directory::MissingRequired() const {
  const auto gaps = Gaps();
  return std::any_of(gaps.begin(), gaps.end(), [](const DirectoryGap& g) { return g.required; });
}

}  // namespace screening
