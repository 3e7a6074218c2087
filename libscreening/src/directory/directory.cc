// Loading and validating instruments/directory/*.textproto, and the queries over it.
// The rules are in docs/directory.md; the facts' sources in the data files' comments.

#include <screening/directory.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <system_error>
#include <tuple>
#include <utility>

#include "base/swedish_time.h"
#include "directory/phone_digits.h"
#include "directory/text_parse.h"

namespace screening {

namespace {

using directory_internal::Node;
using directory_internal::PhoneDigits;
using google::protobuf::RepeatedPtrField;

// Larger than any plausible directory file; a bound so a wrong path cannot eat memory.
constexpr std::uintmax_t kMaxFileBytes = 4u << 20;

// The resource tags every directory declares (CONTRACTS.md, shared resource tags).
constexpr const char* kContractTags[] = {"emergency",    "police",        "social_services",
                                         "support_line", "children_line", "perpetrator_support",
                                         "shelter",      "honour_support"};

// The tag each `always_last` entry must carry, in order: 112, 114 14, social services.
constexpr const char* kAlwaysLastTags[] = {"emergency", "police", "social_services"};

bool IsSnakeCase(std::string_view s) {
  if (s.empty() || !(s[0] >= 'a' && s[0] <= 'z')) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return s.back() != '_';
}

bool IsLanguageCode(std::string_view s) {
  if (s.size() < 2 || s.size() > 3) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

// Digits, spaces, hyphens and a leading '+': how Swedish numbers are written.
bool IsPhoneNumber(std::string_view s) {
  if (s.empty()) return false;
  int digits = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (!(c == ' ' || c == '-' || (c == '+' && i == 0))) {
      return false;
    }
  }
  return digits >= 3 && s.back() != ' ' && s.front() != ' ';
}

template <typename Container>
bool ContainsString(const Container& c, std::string_view s) {
  return std::any_of(c.begin(), c.end(), [&](const std::string& x) { return x == s; });
}

// One parsed file with what is needed to locate errors in it.
struct ParsedFile {
  std::string path;
  std::string text;
  v1::DirectoryFile def;
  std::unique_ptr<google::protobuf::TextFormat::ParseInfoTree> tree =
      std::make_unique<google::protobuf::TextFormat::ParseInfoTree>();

  Node Root() const { return Node(text, &path, tree.get(), v1::DirectoryFile::descriptor(), 0, 0); }
};

// Reads a whole file; kIoError when it cannot.
Status ReadFile(const std::filesystem::path& path, std::string* out) {
  std::error_code ec;
  std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) return Status::IoError("cannot read " + path.string() + ": " + ec.message());
  if (size > kMaxFileBytes) {
    return Status::IoError(path.string() + " is larger than the directory limit of 4 MiB");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot open " + path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::IoError("cannot read " + path.string());
  *out = std::move(ss).str();
  return Status::Ok();
}

// Validates every rule of docs/directory.md over the parsed files; appends all errors.
class Validator {
 public:
  Validator(const std::vector<ParsedFile>& files, const Vocabulary& vocabulary, Diagnostics* out)
      : files_(files), vocabulary_(vocabulary), out_(out) {}

  int errors() const { return errors_; }

  void Run() {
    CheckLanguages();
    // Declarations first, so references can be resolved in any file order.
    for (const ParsedFile& f : files_) {
      Node root = f.Root();
      for (int i = 0; i < f.def.tags_size(); ++i) {
        Declare(&tags_, f.def.tags(i).id(), root.Child("tags", i), "resource tag");
      }
      for (int i = 0; i < f.def.resources_size(); ++i) {
        Declare(&resources_, f.def.resources(i).id(), root.Child("resources", i), "resource");
      }
      for (int i = 0; i < f.def.events_size(); ++i) {
        Declare(&events_, f.def.events(i).id(), root.Child("events", i), "routine event");
      }
      for (int i = 0; i < f.def.legal_refs_size(); ++i) {
        Declare(&legal_, f.def.legal_refs(i).id(), root.Child("legal_refs", i), "legal reference");
      }
    }
    for (const ParsedFile& f : files_) {
      Node root = f.Root();
      langs_ = {f.def.languages().begin(), f.def.languages().end()};
      for (int i = 0; i < f.def.tags_size(); ++i) {
        Node n = root.Child("tags", i);
        Texts(f.def.tags(i).label(), n, "label", "tag '" + f.def.tags(i).id() + "'", true);
      }
      for (int i = 0; i < f.def.resources_size(); ++i) {
        CheckResource(f.def.resources(i), root.Child("resources", i));
      }
      for (int i = 0; i < f.def.events_size(); ++i) {
        const v1::RoutineEvent& e = f.def.events(i);
        Texts(e.label(), root.Child("events", i), "label", "routine event '" + e.id() + "'", true);
      }
      for (int i = 0; i < f.def.routines_size(); ++i) {
        CheckRoutine(f.def.routines(i), root.Child("routines", i));
      }
      for (int i = 0; i < f.def.legal_refs_size(); ++i) {
        CheckLegal(f.def.legal_refs(i), root.Child("legal_refs", i));
      }
    }
    CheckContractTags();
    CheckAlwaysLast();
  }

 private:
  void Error(Diagnostic d) {
    if (out_ != nullptr) out_->push_back(std::move(d));
    ++errors_;
  }

  void CheckLanguages() {
    const ParsedFile* first = nullptr;
    for (const ParsedFile& f : files_) {
      Node root = f.Root();
      if (f.def.languages().empty()) {
        Error(root.Here("the file declares no `languages`"));
        continue;
      }
      std::set<std::string> seen;
      for (int i = 0; i < f.def.languages_size(); ++i) {
        const std::string& l = f.def.languages(i);
        if (!IsLanguageCode(l)) {
          Error(root.At("languages", i, "language '" + l + "' is not a language code (\"sv\")"));
        }
        if (!seen.insert(l).second) {
          Error(root.At("languages", i, "language '" + l + "' is declared twice"));
        }
      }
      if (first == nullptr) {
        first = &f;
      } else if (!std::equal(f.def.languages().begin(), f.def.languages().end(),
                             first->def.languages().begin(), first->def.languages().end())) {
        Error(root.At("languages", 0,
                      "`languages` differ from " + first->path +
                          "; every directory file declares the same languages"));
      }
    }
  }

  // Records a declaration; a second one with the same id is an error at the second.
  void Declare(std::map<std::string, bool>* seen, const std::string& id, const Node& n,
               const std::string& what) {
    if (!IsSnakeCase(id)) {
      Error(n.At("id", -1, what + " id '" + id + "' is not snake_case"));
    }
    if (!seen->emplace(id, true).second) {
      Error(n.At("id", -1, "duplicate " + what + " id '" + id + "'"));
    }
  }

  // Every declared language has exactly one non-empty text; no other language appears.
  // `required`: an empty list is an error; otherwise an empty list is allowed.
  void Texts(const RepeatedPtrField<v1::LocalizedText>& texts, const Node& owner,
             std::string_view field, const std::string& what, bool required) {
    if (langs_.empty()) return;  // the missing `languages` is reported once, per file
    if (texts.empty()) {
      if (required) Error(owner.At(field, 0, what + ": `" + std::string(field) + "` is missing"));
      return;
    }
    std::set<std::string> seen;
    for (int i = 0; i < texts.size(); ++i) {
      const v1::LocalizedText& t = texts.Get(i);
      if (!ContainsString(langs_, t.lang())) {
        Error(owner.At(field, i,
                       what + ": `" + std::string(field) + "` has text in undeclared language '" +
                           t.lang() + "'"));
      } else if (!seen.insert(t.lang()).second) {
        Error(owner.At(
            field, i, what + ": `" + std::string(field) + "` has two texts in '" + t.lang() + "'"));
      } else if (t.value().empty()) {
        Error(owner.At(field, i,
                       what + ": `" + std::string(field) + "` is empty in '" + t.lang() + "'"));
      }
    }
    for (const std::string& l : langs_) {
      if (!HasLang(texts, l)) {
        Error(
            owner.At(field, 0, what + ": `" + std::string(field) + "` has no text in '" + l + "'"));
      }
    }
  }

  static bool HasLang(const RepeatedPtrField<v1::LocalizedText>& texts, std::string_view l) {
    return std::any_of(texts.begin(), texts.end(),
                       [&](const v1::LocalizedText& t) { return t.lang() == l; });
  }

  // A verification marker: status set; VERIFIED names its source.
  void Check(const v1::Verification& v, bool present, const Node& owner, std::string_view field,
             const std::string& what) {
    if (!present || v.status() == v1::VERIFICATION_STATUS_UNSPECIFIED) {
      Error(owner.At(field, -1,
                     what + ": `" + std::string(field) +
                         "` must say VERIFIED or UNVERIFIED (an unchecked fact is UNVERIFIED)"));
      return;
    }
    if (v.status() == v1::VERIFIED && v.source().empty()) {
      Error(owner.At(field, -1, what + ": VERIFIED needs a `source`"));
    }
  }

  void CheckResource(const v1::Resource& r, const Node& n) {
    const std::string what = "resource '" + r.id() + "'";
    Texts(r.name(), n, "name", what, true);
    Texts(r.description(), n, "description", what, true);
    if (r.scope() == v1::RESOURCE_SCOPE_UNSPECIFIED) {
      Error(n.At("scope", -1, what + ": `scope` is not set (NATIONAL, COUNTY or LOCAL)"));
    }
    // Phone.
    Check(r.phone_verified(), r.has_phone_verified(), n, "phone_verified", what);
    if (!r.phone().empty() && !IsPhoneNumber(r.phone())) {
      Error(n.At("phone", -1, what + ": phone '" + r.phone() + "' is not a phone number"));
    }
    if (r.phone().empty() && r.phone_verified().status() == v1::VERIFIED) {
      Error(n.At("phone_verified", -1, what + ": an empty phone cannot be VERIFIED"));
    }
    // Lists print the name and then the number: a name holding the number prints it twice
    // ("112 – vid akut fara, 112").
    const std::string phone_digits = PhoneDigits(r.phone());
    if (!phone_digits.empty()) {
      for (int i = 0; i < r.name_size(); ++i) {
        if (PhoneDigits(r.name(i).value()).find(phone_digits) != std::string::npos) {
          Error(n.At("name", i,
                     what + ": the name repeats the phone number, which lists print beside it; "
                            "leave the number out of the name"));
        }
      }
    }
    // Neutral names: optional, but then in every language, and neither the resource's own
    // name nor its number (they are what a neutral name hides).
    Texts(r.neutral_name(), n, "neutral_name", what, false);
    for (int i = 0; i < r.neutral_name_size(); ++i) {
      const v1::LocalizedText& t = r.neutral_name(i);
      for (const v1::LocalizedText& name : r.name()) {
        if (!t.value().empty() && t.value() == name.value()) {
          Error(n.At("neutral_name", i,
                     what + ": the neutral name is the resource's own name; choose one that "
                            "says nothing about violence or support"));
        }
      }
      if (!phone_digits.empty() && PhoneDigits(t.value()).find(phone_digits) != std::string::npos) {
        Error(n.At("neutral_name", i, what + ": the neutral name repeats the phone number"));
      }
    }
    // Anonymity: absent marker means unverified; a marker present must say which.
    if (r.has_anonymity_verified()) {
      Check(r.anonymity_verified(), true, n, "anonymity_verified", what);
    }
    // Tags.
    if (r.tags().empty()) Error(n.Here(what + ": has no `tags`"));
    std::set<std::string> seen;
    for (int i = 0; i < r.tags_size(); ++i) {
      if (tags_.count(r.tags(i)) == 0) {
        Error(n.At("tags", i, what + ": unknown resource tag '" + r.tags(i) + "'"));
      } else if (!seen.insert(r.tags(i)).second) {
        Error(n.At("tags", i, what + ": tag '" + r.tags(i) + "' listed twice"));
      }
    }
    // Roles.
    if (r.target_roles().empty()) Error(n.Here(what + ": has no `target_roles`"));
    seen.clear();
    for (int i = 0; i < r.target_roles_size(); ++i) {
      const std::string& role = r.target_roles(i);
      if (!vocabulary_.Contains("subject_roles", role)) {
        Error(n.At("target_roles", i, what + ": unknown subject role '" + role + "'"));
      } else if (!seen.insert(role).second) {
        Error(n.At("target_roles", i, what + ": role '" + role + "' listed twice"));
      }
    }
    // Languages served.
    seen.clear();
    for (int i = 0; i < r.languages_size(); ++i) {
      const std::string& l = r.languages(i);
      if (!IsLanguageCode(l)) {
        Error(n.At("languages", i, what + ": '" + l + "' is not a language code"));
      } else if (!seen.insert(l).second) {
        Error(n.At("languages", i, what + ": language '" + l + "' listed twice"));
      }
    }
    Check(r.languages_verified(), r.has_languages_verified(), n, "languages_verified", what);
    if (r.languages().empty() && !r.many_languages() &&
        r.languages_verified().status() == v1::VERIFIED) {
      Error(n.At("languages_verified", -1, what + ": no languages given cannot be VERIFIED"));
    }
    // Hours.
    if (!r.has_hours()) {
      Error(n.Here(what + ": `hours` is missing (write `hours { verified { status: UNVERIFIED } }`"
                          " when they are not known)"));
    } else {
      Node h = n.Child("hours");
      const v1::OpeningHours& hours = r.hours();
      Texts(hours.text(), h, "text", what + " hours", false);
      Check(hours.verified(), hours.has_verified(), h, "verified", what + " hours");
      if (hours.verified().status() == v1::VERIFIED && !hours.around_the_clock() &&
          hours.text().empty()) {
        Error(h.At("verified", -1, what + ": empty opening hours cannot be VERIFIED"));
      }
    }
  }

  void CheckRoutine(const v1::Routine& r, const Node& n) {
    const std::string what = "routine '" + r.unit() + "'";
    if (!vocabulary_.Contains("units", r.unit())) {
      Error(n.At("unit", -1, "unknown unit '" + r.unit() + "'"));
    } else if (!units_.insert(r.unit()).second) {
      Error(n.At("unit", -1, "a second routine for unit '" + r.unit() + "'"));
    }
    Texts(r.description(), n, "description", what, true);
    if (r.triggers().empty()) Error(n.Here(what + ": has no `triggers`"));
    std::set<std::string> seen;
    for (int i = 0; i < r.triggers_size(); ++i) {
      const v1::RoutineTrigger& t = r.triggers(i);
      Node tn = n.Child("triggers", i);
      if (events_.count(t.event()) == 0) {
        Error(tn.At("event", -1, what + ": unknown routine event '" + t.event() + "'"));
      } else if (!seen.insert(t.event()).second) {
        Error(tn.At("event", -1, what + ": event '" + t.event() + "' listed twice"));
      }
      Texts(t.description(), tn, "description", what + " trigger '" + t.event() + "'", true);
    }
    RefList(r.legal_refs(), n, "legal_refs", legal_, what, "legal reference");
    RefList(r.resource_tags(), n, "resource_tags", tags_, what, "resource tag");
  }

  void RefList(const RepeatedPtrField<std::string>& ids, const Node& n, std::string_view field,
               const std::map<std::string, bool>& known, const std::string& what,
               const std::string& kind) {
    for (int i = 0; i < ids.size(); ++i) {
      if (known.count(ids.Get(i)) == 0) {
        Error(n.At(field, i, what + ": unknown " + kind + " '" + ids.Get(i) + "'"));
      }
    }
  }

  void CheckCitation(const v1::Citation& c, const Node& n, const std::string& what) {
    Texts(c.law(), n, "law", what, true);
    Check(c.verified(), c.has_verified(), n, "verified", what);
    if (c.paragraph_unknown()) {
      if (!c.chapter().empty() || !c.paragraph().empty()) {
        Error(n.At("paragraph_unknown", -1,
                   what + ": `paragraph_unknown` with a chapter or paragraph given"));
      }
      if (c.verified().status() == v1::VERIFIED) {
        Error(n.At("verified", -1, what + ": an unknown paragraph cannot be VERIFIED"));
      }
    }
  }

  void CheckLegal(const v1::LegalReference& l, const Node& n) {
    const std::string what = "legal reference '" + l.id() + "'";
    Texts(l.title(), n, "title", what, true);
    Texts(l.text(), n, "text", what, true);
    Texts(l.note(), n, "note", what, false);
    if (!l.has_citation()) {
      Error(n.Here(what + ": `citation` is missing"));
    } else {
      CheckCitation(l.citation(), n.Child("citation"), what + " citation");
    }
    if (l.has_current()) {
      CheckCitation(l.current(), n.Child("current"), what + " current");
      if (l.current_from().empty()) {
        Error(n.At("current", -1,
                   what + ": `current` needs `current_from` (the first day it applies, "
                          "YYYY-MM-DD)"));
      } else if (!internal::ValidDate(l.current_from())) {
        Error(
            n.At("current_from", -1,
                 what + ": `current_from` '" + l.current_from() + "' is not a date (YYYY-MM-DD)"));
      }
    } else if (!l.current_from().empty()) {
      Error(n.At("current_from", -1, what + ": `current_from` without a `current` citation"));
    }
    if (l.has_deadline()) {
      const v1::Deadline& d = l.deadline();
      Node dn = n.Child("deadline");
      switch (d.kind()) {
        case v1::WITHIN_DAYS:
          if (d.days() < 0 || d.months() != 0) {
            Error(dn.Here(what + ": WITHIN_DAYS needs `days` >= 0 and no `months`"));
          }
          break;
        case v1::SAME_OR_NEXT_DAY:
          if (d.days() < 0 || d.days() > 1 || d.months() != 0) {
            Error(dn.Here(what + ": SAME_OR_NEXT_DAY takes `days` 0 or 1 and no `months`"));
          }
          break;
        case v1::WITHIN_MONTHS:
          if (d.months() <= 0 || d.days() != 0) {
            Error(dn.Here(what + ": WITHIN_MONTHS needs `months` > 0 and no `days`"));
          }
          break;
        case v1::NEXT_CONTACT:
          if (d.days() != 0 || d.months() != 0) {
            Error(dn.Here(what + ": NEXT_CONTACT takes no `days` or `months`"));
          }
          break;
        default:
          Error(dn.Here(what + ": a `deadline` needs a `kind`"));
      }
    }
  }

  void CheckContractTags() {
    for (const char* t : kContractTags) {
      if (tags_.count(t) == 0)
        Error(
            FirstFileHere("resource tag '" + std::string(t) + "' (a shared tag) is not declared"));
    }
  }

  void CheckAlwaysLast() {
    const ParsedFile* where = nullptr;
    for (const ParsedFile& f : files_) {
      if (f.def.always_last().empty()) continue;
      if (where != nullptr) {
        Error(f.Root().At("always_last", 0,
                          "`always_last` is declared again (first in " + where->path + ")"));
        continue;
      }
      where = &f;
    }
    if (where == nullptr) {
      Error(FirstFileHere(
          "`always_last` is not declared: every list must end with 112, 114 14 and the "
          "municipality's social services"));
      return;
    }
    Node root = where->Root();
    const auto& ids = where->def.always_last();
    if (ids.size() != 3) {
      Error(root.At("always_last", 0,
                    "`always_last` must name exactly three resources (emergency, police, "
                    "social services), not " +
                        std::to_string(ids.size())));
    }
    for (int i = 0; i < ids.size(); ++i) {
      const v1::Resource* r = FindResource(ids.Get(i));
      if (r == nullptr) {
        Error(
            root.At("always_last", i, "`always_last` names unknown resource '" + ids.Get(i) + "'"));
        continue;
      }
      if (i < 3 && !ContainsString(r->tags(), kAlwaysLastTags[i])) {
        Error(root.At("always_last", i,
                      "`always_last` entry " + std::to_string(i + 1) + " ('" + ids.Get(i) +
                          "') must carry tag '" + kAlwaysLastTags[i] + "'"));
      }
      if (r->phone().empty()) {
        Error(root.At("always_last", i,
                      "`always_last` resource '" + ids.Get(i) + "' has no phone number"));
      }
    }
  }

  const v1::Resource* FindResource(const std::string& id) const {
    for (const ParsedFile& f : files_) {
      for (const v1::Resource& r : f.def.resources()) {
        if (r.id() == id) return &r;
      }
    }
    return nullptr;
  }

  Diagnostic FirstFileHere(std::string message) const {
    if (files_.empty()) return Diagnostic{"", 0, 0, std::move(message)};
    Diagnostic d{files_.front().path, 0, 0, std::move(message)};
    return d;
  }

  const std::vector<ParsedFile>& files_;
  const Vocabulary& vocabulary_;
  Diagnostics* out_;
  int errors_ = 0;
  std::vector<std::string> langs_;  // the current file's languages
  std::map<std::string, bool> tags_, resources_, events_, legal_;
  std::set<std::string> units_;
};

}  // namespace

// Builds a Directory from validated files (a friend of Directory).
class DirectoryBuilder {
 public:
  static std::shared_ptr<const Directory> Build(std::vector<ParsedFile>* files) {
    std::shared_ptr<Directory> d(new Directory());
    for (ParsedFile& f : *files) d->def_.MergeFrom(f.def);
    // Languages and always_last are declared once (validated); MergeFrom appended them
    // from every file, so take them from the first file that has them.
    d->def_.clear_languages();
    d->def_.clear_always_last();
    for (const ParsedFile& f : *files) {
      if (d->def_.languages().empty()) *d->def_.mutable_languages() = f.def.languages();
      if (d->def_.always_last().empty()) *d->def_.mutable_always_last() = f.def.always_last();
    }
    d->languages_.assign(d->def_.languages().begin(), d->def_.languages().end());
    for (const std::string& id : d->def_.always_last()) {
      if (const v1::Resource* r = d->Resource(id)) d->always_last_.push_back(r);
    }
    return d;
  }
};

Result<std::shared_ptr<const Directory>> Directory::LoadDirectory(
    const std::filesystem::path& instruments_dir, const Vocabulary& vocabulary,
    Diagnostics* diagnostics) {
  const std::filesystem::path dir = instruments_dir / "directory";
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return Status::NotFound("no directory folder at " + dir.string());
  }
  std::vector<std::filesystem::path> paths;
  for (auto it = std::filesystem::directory_iterator(dir, ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    if (it->path().extension() == ".textproto" && it->is_regular_file(ec)) {
      paths.push_back(it->path());
    }
  }
  if (ec) return Status::IoError("cannot list " + dir.string() + ": " + ec.message());
  if (paths.empty()) return Status::NotFound("no .textproto files in " + dir.string());
  std::sort(paths.begin(), paths.end());

  std::vector<ParsedFile> files(paths.size());
  int syntax_errors = 0;
  for (size_t i = 0; i < paths.size(); ++i) {
    ParsedFile& f = files[i];
    f.path = paths[i].string();
    Status s = ReadFile(paths[i], &f.text);
    if (!s.ok()) return s;
    if (!directory_internal::ParseText(f.text, f.path, &f.def, f.tree.get(), diagnostics)) {
      ++syntax_errors;
    }
  }
  if (syntax_errors > 0) {
    return Status::InvalidArgument(std::to_string(syntax_errors) +
                                   " directory file(s) do not parse");
  }
  Validator v(files, vocabulary, diagnostics);
  v.Run();
  if (v.errors() > 0) {
    return Status::InvalidArgument("the directory has " + std::to_string(v.errors()) + " error(s)");
  }
  return DirectoryBuilder::Build(&files);
}

std::vector<const v1::Resource*> Directory::ResourcesFor(
    std::string_view subject_role, std::string_view lang,
    const std::vector<std::string>& tags) const {
  // The keys in order (directory.h): reachability, language, around the clock, tag, data.
  struct Candidate {
    int reach;      // 0: a verified phone; 1: an unverified one; 2: none
    int lang_rank;  // 0: serves `lang`; 1: many languages; 2: not known to serve it
    int not_24_7;   // 0: open around the clock, verified; 1: otherwise
    int tag_rank;   // index of the first requested tag it carries (0 without tags)
    int order;      // position in the data
    const v1::Resource* resource;
  };
  const bool home_language = !languages_.empty() && lang == languages_.front();
  std::vector<Candidate> candidates;
  for (int i = 0; i < def_.resources_size(); ++i) {
    const v1::Resource& r = def_.resources(i);
    if (std::find(always_last_.begin(), always_last_.end(), &r) != always_last_.end()) continue;
    if (!ContainsString(r.target_roles(), subject_role)) continue;
    int tag_rank = 0;
    if (!tags.empty()) {
      tag_rank = -1;
      for (size_t t = 0; t < tags.size() && tag_rank < 0; ++t) {
        if (ContainsString(r.tags(), tags[t])) tag_rank = static_cast<int>(t);
      }
      if (tag_rank < 0) continue;
    }
    // A resource with no languages recorded is not taken to refuse the directory's own
    // language: unknown is not "no" (Kvinnofridslinjen's languages are unverified, yet it is
    // the Swedish 24-hour line). It is never taken to serve any other language.
    const bool languages_unknown = r.languages().empty() && !r.many_languages();
    const int lang_rank =
        ContainsString(r.languages(), lang) || (home_language && languages_unknown)
            ? 0
            : (r.many_languages() ? 1 : 2);
    const int reach = r.phone().empty() ? 2 : (r.phone_verified().status() == v1::VERIFIED ? 0 : 1);
    const int not_24_7 =
        r.hours().around_the_clock() && r.hours().verified().status() == v1::VERIFIED ? 0 : 1;
    candidates.push_back({reach, lang_rank, not_24_7, tag_rank, i, &r});
  }
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    return std::tie(a.reach, a.lang_rank, a.not_24_7, a.tag_rank, a.order) <
           std::tie(b.reach, b.lang_rank, b.not_24_7, b.tag_rank, b.order);
  });
  std::vector<const v1::Resource*> out;
  out.reserve(candidates.size() + always_last_.size());
  for (const Candidate& c : candidates) out.push_back(c.resource);
  out.insert(out.end(), always_last_.begin(), always_last_.end());
  return out;
}

const v1::Resource* Directory::Resource(std::string_view id) const {
  for (const v1::Resource& r : def_.resources()) {
    if (r.id() == id) return &r;
  }
  return nullptr;
}

Status Directory::CheckGivable(std::string_view id) const {
  const v1::Resource* r = Resource(id);
  if (r == nullptr) return Status::NotFound(fmt::format("unknown resource '{}'", id));
  if (r->phone().empty()) {
    return Status::FailedPrecondition(
        fmt::format("resource '{}' has no number yet (the municipality fills it in); there was "
                    "nothing to give",
                    id));
  }
  return Status::Ok();
}

const v1::ResourceTag* Directory::Tag(std::string_view id) const {
  for (const v1::ResourceTag& t : def_.tags()) {
    if (t.id() == id) return &t;
  }
  return nullptr;
}

const v1::LegalReference* Directory::Legal(std::string_view id) const {
  for (const v1::LegalReference& l : def_.legal_refs()) {
    if (l.id() == id) return &l;
  }
  return nullptr;
}

const v1::Routine* Directory::RoutineFor(std::string_view unit) const {
  for (const v1::Routine& r : def_.routines()) {
    if (r.unit() == unit) return &r;
  }
  return nullptr;
}

const v1::RoutineEvent* Directory::Event(std::string_view id) const {
  for (const v1::RoutineEvent& e : def_.events()) {
    if (e.id() == id) return &e;
  }
  return nullptr;
}

bool Directory::AsksRoutineQuestion(std::string_view unit, std::string_view event) const {
  const v1::Routine* r = RoutineFor(unit);
  if (r == nullptr) return false;
  for (const v1::RoutineTrigger& t : r->triggers()) {
    if (t.event() == event) return t.enabled();
  }
  return false;
}

std::vector<std::string> Directory::UnresolvedReferences(
    const std::vector<std::string>& legal_refs,
    const std::vector<std::string>& resource_tags) const {
  std::vector<std::string> out;
  for (const std::string& id : legal_refs) {
    if (Legal(id) == nullptr) out.push_back("unknown legal reference '" + id + "'");
  }
  for (const std::string& id : resource_tags) {
    if (Tag(id) == nullptr) out.push_back("unknown resource tag '" + id + "'");
  }
  return out;
}

std::vector<std::string> Directory::UnresolvedReferences(
    const v1::Recommendation& recommendation) const {
  return UnresolvedReferences(std::vector<std::string>(recommendation.legal_refs().begin(),
                                                       recommendation.legal_refs().end()),
                              std::vector<std::string>(recommendation.resource_tags().begin(),
                                                       recommendation.resource_tags().end()));
}

const std::string& Directory::Text(const RepeatedPtrField<v1::LocalizedText>& texts,
                                   std::string_view lang) const {
  static const std::string kEmpty;
  for (const v1::LocalizedText& t : texts) {
    if (t.lang() == lang) return t.value();
  }
  if (!languages_.empty()) {
    for (const v1::LocalizedText& t : texts) {
      if (t.lang() == languages_.front()) return t.value();
    }
  }
  return texts.empty() ? kEmpty : texts.Get(0).value();
}

}  // namespace screening
