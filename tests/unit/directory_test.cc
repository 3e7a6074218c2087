// The support-resource directory, unit routines and legal references
// (instruments/directory/, docs/directory.md).

#include <screening/directory.h>
#include <screening/v1/instrument.pb.h>
#include <screening/vocabulary.h>

#include <google/protobuf/text_format.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include "test_paths.h"

namespace fs = std::filesystem;
using screening::Diagnostics;
using screening::Directory;
namespace v1 = screening::v1;

namespace {

fs::path InstrumentsDir() {
  if (const char* env = std::getenv("SCREENING_INSTRUMENTS"); env != nullptr && *env != '\0') {
    return env;
  }
  return SCREENING_TEST_INSTRUMENTS_DIR;
}

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Joined(const Diagnostics& d) {
  std::string s;
  for (const auto& x : d) s += x.ToString() + "\n";
  return s;
}

const screening::Vocabulary& Vocab() {
  static std::shared_ptr<const screening::Vocabulary> vocab = [] {
    Diagnostics diags;
    auto v = screening::Vocabulary::LoadFile(InstrumentsDir() / "vocabulary.textproto", &diags);
    INFO(Joined(diags));
    REQUIRE(v.ok());
    return *v;
  }();
  return *vocab;
}

std::shared_ptr<const Directory> RealDirectory() {
  static std::shared_ptr<const Directory> dir = [] {
    Diagnostics diags;
    auto d = Directory::LoadDirectory(InstrumentsDir(), Vocab(), &diags);
    INFO(Joined(diags));
    REQUIRE(d.ok());
    REQUIRE(diags.empty());
    return *d;
  }();
  return dir;
}

// A fresh temporary instruments folder with a `directory/` holding `files`.
class TempInstruments {
 public:
  explicit TempInstruments(const std::vector<std::pair<std::string, std::string>>& files) {
    static std::atomic<int> counter{0};
    root_ = fs::temp_directory_path() / ("screening-directory-test-" + std::to_string(::getpid()) +
                                         "-" + std::to_string(counter++));
    fs::remove_all(root_);
    fs::create_directories(root_ / "directory");
    for (const auto& [name, text] : files) {
      std::ofstream(root_ / "directory" / name, std::ios::binary) << text;
    }
  }
  ~TempInstruments() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  const fs::path& root() const { return root_; }
  std::string File(const std::string& name) const { return (root_ / "directory" / name).string(); }

 private:
  fs::path root_;
};

// 1-based line and column (in characters) of the `occurrence`-th (0-based) `needle`.
std::pair<int, int> LineCol(const std::string& text, const std::string& needle,
                            int occurrence = 0) {
  size_t pos = std::string::npos;
  size_t from = 0;
  for (int i = 0; i <= occurrence; ++i) {
    pos = text.find(needle, from);
    REQUIRE(pos != std::string::npos);
    from = pos + 1;
  }
  int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + pos, '\n'));
  size_t line_start = text.rfind('\n', pos);
  line_start = line_start == std::string::npos ? 0 : line_start + 1;
  int column = 1;
  for (size_t i = line_start; i < pos; ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;
  }
  return {line, column};
}

bool HasDiag(const Diagnostics& d, const std::string& file, std::pair<int, int> lc,
             const std::string& fragment) {
  for (const auto& x : d) {
    if (x.file == file && x.line == lc.first && x.column == lc.second &&
        x.message.find(fragment) != std::string::npos) {
      return true;
    }
  }
  return false;
}

// A small, valid directory file (synthetic data only).
const char* kTags = R"(
tags { id: "emergency" label { lang: "sv" value: "Akut" } label { lang: "en" value: "Emergency" } }
tags { id: "police" label { lang: "sv" value: "Polis" } label { lang: "en" value: "Police" } }
tags { id: "social_services" label { lang: "sv" value: "Soc" } label { lang: "en" value: "Social" } }
tags { id: "support_line" label { lang: "sv" value: "Stöd" } label { lang: "en" value: "Support" } }
tags { id: "children_line" label { lang: "sv" value: "Barn" } label { lang: "en" value: "Children" } }
tags { id: "perpetrator_support" label { lang: "sv" value: "Utövare" } label { lang: "en" value: "Users" } }
tags { id: "shelter" label { lang: "sv" value: "Jour" } label { lang: "en" value: "Shelter" } }
tags { id: "honour_support" label { lang: "sv" value: "Heder" } label { lang: "en" value: "Honour" } }
)";

std::string ResourceText(const std::string& id, const std::string& tag, const std::string& roles,
                         const std::string& extra = "") {
  return "resources {\n  id: \"" + id +
         "\"\n  scope: NATIONAL\n"
         "  name { lang: \"sv\" value: \"Namn " +
         id + "\" }\n  name { lang: \"en\" value: \"Name " + id +
         "\" }\n"
         "  description { lang: \"sv\" value: \"Text\" }\n"
         "  description { lang: \"en\" value: \"Text\" }\n"
         "  phone: \"000-00 00 00\"\n"
         "  phone_verified { status: UNVERIFIED }\n"
         "  tags: [\"" +
         tag + "\"]\n  target_roles: [" + roles +
         "]\n"
         "  languages_verified { status: UNVERIFIED }\n"
         "  hours { verified { status: UNVERIFIED } }\n" +
         extra + "}\n";
}

std::string ValidFile(const std::string& more_resources = "") {
  const std::string all = "\"adult_victim\", \"child\", \"perpetrator\"";
  return std::string("languages: [\"sv\", \"en\"]\n") + kTags +
         "always_last: [\"test_emergency\", \"test_police\", \"test_social\"]\n" +
         ResourceText("test_emergency", "emergency", all) +
         ResourceText("test_police", "police", all) +
         ResourceText("test_social", "social_services", all) + more_resources;
}

void CheckListShape(const std::vector<const v1::Resource*>& list, const std::string& role) {
  REQUIRE(list.size() >= 3);
  CHECK(list[list.size() - 3]->id() == "emergency_112");
  CHECK(list[list.size() - 2]->id() == "police_114_14");
  CHECK(list[list.size() - 1]->id() == "harnosand_social_services");
  std::set<std::string> ids;
  for (const auto* r : list) {
    CHECK(ids.insert(r->id()).second);  // no duplicates
  }
  for (size_t i = 0; i + 3 < list.size(); ++i) {
    bool for_role = false;
    for (const auto& x : list[i]->target_roles()) for_role |= x == role;
    CHECK(for_role);
  }
}

}  // namespace

TEST_CASE("directory: the shipped data loads and validates", "[directory]") {
  auto dir = RealDirectory();
  CHECK(dir->languages() == std::vector<std::string>{"sv", "en"});
  for (const char* tag : {"emergency", "police", "social_services", "support_line", "children_line",
                          "perpetrator_support", "shelter", "honour_support"}) {
    CHECK(dir->Tag(tag) != nullptr);
  }
  for (const char* id : {"hslf_fs_2022_39", "sol_report_of_concern", "sol_protection_assessment",
                         "sol_investigation_decision", "sol_investigation_time",
                         "sol_victim_support", "sol_perpetrator_change", "lvu_immediate_care",
                         "kontaktforbud", "protected_identity", "osl_secrecy"}) {
    INFO(id);
    CHECK(dir->Legal(id) != nullptr);
  }
  CHECK(dir->Legal("no_such_ref") == nullptr);
  // National lines as given in shared/domain/LAW-AND-PRACTICE.md.
  CHECK(dir->Resource("kvinnofridslinjen")->phone() == "020-50 50 50");
  CHECK(dir->Resource("terrafem")->phone() == "020-52 10 10");
  CHECK(dir->Resource("bris")->phone() == "116 111");
  CHECK(dir->Resource("valj_att_sluta")->phone() == "020-555 666");
  CHECK(dir->Resource("emergency_112")->phone() == "112");
  CHECK(dir->Resource("police_114_14")->phone() == "114 14");
  CHECK(dir->Resource("harnosand_social_services")->phone() == "0611-34 80 00");
}

TEST_CASE("directory: only an entry with a number can be recorded as given", "[directory]") {
  auto dir = RealDirectory();
  CHECK(dir->CheckGivable("kvinnofridslinjen").ok());
  // A required entry the municipality has not filled in: nothing could be handed over.
  REQUIRE(dir->Resource("harnosand_socialjour") != nullptr);
  const screening::Status missing = dir->CheckGivable("harnosand_socialjour");
  CHECK(missing.code() == screening::StatusCode::kFailedPrecondition);
  CHECK(missing.message().find("harnosand_socialjour") != std::string::npos);
  CHECK(dir->CheckGivable("no_such_line").code() == screening::StatusCode::kNotFound);
}

TEST_CASE("directory: unit routines follow the action plan", "[directory]") {
  auto dir = RealDirectory();
  // Systematic asking at a new contact in IFO and biståndsenheten (sub-goal 3).
  CHECK(dir->AsksRoutineQuestion("ifo_vuxen", "new_contact"));
  CHECK(dir->AsksRoutineQuestion("ifo_barn", "new_contact"));
  CHECK(dir->AsksRoutineQuestion("bistand", "new_contact"));
  // The early-detection units are present, with events described, but off by default.
  for (const char* unit :
       {"hemtjanst", "anhorigstod", "individstod", "forskola", "skola", "elevhalsa"}) {
    INFO(unit);
    const v1::Routine* r = dir->RoutineFor(unit);
    REQUIRE(r != nullptr);
    REQUIRE(r->triggers_size() > 0);
    for (const auto& t : r->triggers()) {
      CHECK_FALSE(t.enabled());
      CHECK_FALSE(dir->AsksRoutineQuestion(unit, t.event()));
      CHECK(dir->Event(t.event()) != nullptr);
      CHECK_FALSE(dir->Text(t.description(), "sv").empty());
      CHECK_FALSE(dir->Text(t.description(), "en").empty());
    }
  }
  // Every routine's legal references resolve.
  for (const auto& r : dir->definition().routines()) {
    for (const auto& id : r.legal_refs()) CHECK(dir->Legal(id) != nullptr);
  }
  CHECK_FALSE(dir->AsksRoutineQuestion("no_such_unit", "new_contact"));
  CHECK_FALSE(dir->AsksRoutineQuestion("ifo_vuxen", "no_such_event"));
  CHECK(dir->RoutineFor("no_such_unit") == nullptr);
}

TEST_CASE("directory: ResourcesFor every role and language", "[directory]") {
  auto dir = RealDirectory();
  const std::vector<std::vector<std::string>> tag_sets = {
      {}, {"support_line"}, {"shelter"}, {"emergency", "police"}, {"honour_support"}};
  for (const char* role : {"adult_victim", "child", "perpetrator", "unknown_role"}) {
    for (const char* lang : {"sv", "en", "ar"}) {
      for (const auto& tags : tag_sets) {
        INFO(role << " " << lang << " tags=" << tags.size());
        CheckListShape(dir->ResourcesFor(role, lang, tags), role);
      }
    }
  }
  auto ids = [](const std::vector<const v1::Resource*>& list) {
    std::vector<std::string> out;
    for (const auto* r : list) out.push_back(r->id());
    return out;
  };
  auto perpetrator = ids(dir->ResourcesFor("perpetrator", "sv"));
  CHECK(perpetrator.front() == "valj_att_sluta");  // always told where help is
  auto child = ids(dir->ResourcesFor("child", "sv"));
  CHECK(std::find(child.begin(), child.end(), "bris") != child.end());
  CHECK(std::find(child.begin(), child.end(), "kvinnofridslinjen") == child.end());
  auto adult = ids(dir->ResourcesFor("adult_victim", "sv"));
  CHECK(std::find(adult.begin(), adult.end(), "kvinnofridslinjen") != adult.end());
  // Terrafem serves many languages: first for a language nobody lists.
  auto adult_ar = ids(dir->ResourcesFor("adult_victim", "ar", {"support_line"}));
  CHECK(adult_ar.front() == "terrafem");
  // Only the fixed tail when nothing matches.
  CHECK(dir->ResourcesFor("perpetrator", "sv", {"shelter"}).size() == 3);
}

TEST_CASE("directory: unverified markers are kept, never filled in", "[directory]") {
  auto dir = RealDirectory();
  const v1::Resource* kvinno = dir->Resource("kvinnofridslinjen");
  CHECK(kvinno->phone_verified().status() == v1::VERIFIED);
  CHECK(kvinno->hours().around_the_clock());
  CHECK(kvinno->hours().verified().status() == v1::VERIFIED);
  CHECK(kvinno->languages_verified().status() == v1::UNVERIFIED);

  const v1::Resource* terrafem = dir->Resource("terrafem");
  CHECK(terrafem->many_languages());
  CHECK(terrafem->languages().empty());
  CHECK(terrafem->hours().verified().status() == v1::UNVERIFIED);
  CHECK(terrafem->hours().text().empty());

  const v1::Resource* county = dir->Resource("lansstyrelsen_vasternorrland_heder");
  REQUIRE(county != nullptr);
  CHECK(county->phone().empty());
  CHECK(county->phone_verified().status() == v1::UNVERIFIED);
  CHECK(county->hours().verified().status() == v1::UNVERIFIED);

  const v1::Resource* social = dir->Resource("harnosand_social_services");
  CHECK(social->hours().verified().status() == v1::VERIFIED);
  CHECK(dir->Text(social->hours().text(), "sv").find("07.30–16.30") != std::string::npos);

  // Every resource: a hours text only with a marker; an empty phone never VERIFIED.
  for (const auto& r : dir->definition().resources()) {
    INFO(r.id());
    CHECK(r.hours().verified().status() != v1::VERIFICATION_STATUS_UNSPECIFIED);
    if (r.phone().empty()) CHECK(r.phone_verified().status() == v1::UNVERIFIED);
  }

  // The old SoL's paragraphs are unverified; the new act's are empty and unverified.
  for (const auto& l : dir->definition().legal_refs()) {
    if (l.id().rfind("sol_", 0) != 0) continue;
    INFO(l.id());
    CHECK(l.citation().number() == "2001:453");
    CHECK(l.citation().verified().status() == v1::UNVERIFIED);
    REQUIRE(l.has_current());
    CHECK(l.current().number() == "2025:400");
    CHECK(l.current().chapter().empty());
    CHECK(l.current().paragraph().empty());
    CHECK(l.current().verified().status() == v1::UNVERIFIED);
    CHECK(dir->Text(l.note(), "sv").find("2025:400") != std::string::npos);
    CHECK(dir->Text(l.note(), "en").find("1 July 2025") != std::string::npos);
  }
  // Deadlines as data.
  CHECK(dir->Legal("sol_protection_assessment")->deadline().kind() == v1::SAME_OR_NEXT_DAY);
  CHECK(dir->Legal("sol_protection_assessment")->deadline().days() == 1);
  CHECK(dir->Legal("sol_investigation_decision")->deadline().kind() == v1::WITHIN_DAYS);
  CHECK(dir->Legal("sol_investigation_decision")->deadline().days() == 14);
  CHECK(dir->Legal("sol_investigation_time")->deadline().kind() == v1::WITHIN_MONTHS);
  CHECK(dir->Legal("sol_investigation_time")->deadline().months() == 4);
}

TEST_CASE("directory: every instrument's legal_refs and resource_tags resolve", "[directory]") {
  auto dir = RealDirectory();
  int recommendations = 0;
  for (const auto& entry : fs::directory_iterator(InstrumentsDir())) {
    if (entry.path().extension() != ".textproto") continue;
    if (entry.path().filename() == "vocabulary.textproto") continue;
    INFO(entry.path().string());
    v1::Instrument inst;
    // Parsed directly (not through the engine): this test checks only the references.
    REQUIRE(google::protobuf::TextFormat::ParseFromString(ReadAll(entry.path()), &inst));
    for (const auto& rec : inst.recommendations()) {
      ++recommendations;
      INFO("recommendation " << rec.id());
      auto unresolved = dir->UnresolvedReferences(rec);
      std::string all;
      for (const auto& u : unresolved) all += u + "; ";
      INFO(all);
      CHECK(unresolved.empty());
    }
  }
  CHECK(recommendations > 0);
  CHECK(dir->UnresolvedReferences({"sol_victim_support", "nope"}, {"shelter", "nope2"}) ==
        std::vector<std::string>{"unknown legal reference 'nope'", "unknown resource tag 'nope2'"});
}

TEST_CASE("directory: language preference and the fixed tail", "[directory]") {
  std::string extra =
      ResourceText("local_sv", "support_line", "\"adult_victim\"", "  languages: [\"sv\"]\n") +
      ResourceText("local_many", "support_line", "\"adult_victim\"", "  many_languages: true\n") +
      ResourceText("local_ar", "shelter", "\"adult_victim\"", "  languages: [\"ar\"]\n") +
      ResourceText("local_child", "children_line", "\"child\"");
  TempInstruments tmp({{"a.textproto", ValidFile(extra)}});
  Diagnostics diags;
  auto dir = Directory::LoadDirectory(tmp.root(), Vocab(), &diags);
  INFO(Joined(diags));
  REQUIRE(dir.ok());
  auto ids = [&](std::string_view role, std::string_view lang,
                 const std::vector<std::string>& tags = {}) {
    std::vector<std::string> out;
    for (const auto* r : (*dir)->ResourcesFor(role, lang, tags)) out.push_back(r->id());
    return out;
  };
  using V = std::vector<std::string>;
  const V tail = {"test_emergency", "test_police", "test_social"};
  auto with_tail = [&](V v) {
    v.insert(v.end(), tail.begin(), tail.end());
    return v;
  };
  CHECK(ids("adult_victim", "sv") == with_tail({"local_sv", "local_many", "local_ar"}));
  CHECK(ids("adult_victim", "ar") == with_tail({"local_ar", "local_many", "local_sv"}));
  CHECK(ids("adult_victim", "fi") == with_tail({"local_many", "local_sv", "local_ar"}));
  // Tags filter, and their order breaks ties among equals.
  CHECK(ids("adult_victim", "fi", {"shelter", "support_line"}) ==
        with_tail({"local_many", "local_ar", "local_sv"}));
  CHECK(ids("adult_victim", "sv", {"shelter"}) == with_tail({"local_ar"}));
  // Matching a tail entry's tag does not move it or repeat it.
  CHECK(ids("child", "sv", {"police", "children_line"}) == with_tail({"local_child"}));
  CHECK(ids("perpetrator", "sv") == tail);
}

TEST_CASE("directory: validation errors carry file, line and column", "[directory]") {
  SECTION("duplicate id") {
    std::string text = ValidFile(ResourceText("test_police", "police", "\"child\""));
    TempInstruments tmp({{"a.textproto", text}});
    Diagnostics diags;
    auto dir = Directory::LoadDirectory(tmp.root(), Vocab(), &diags);
    REQUIRE_FALSE(dir.ok());
    CHECK(dir.status().code() == screening::StatusCode::kInvalidArgument);
    INFO(Joined(diags));
    // At the second `id: "test_police"`.
    CHECK(HasDiag(diags, tmp.File("a.textproto"), LineCol(text, "id: \"test_police\"", 1),
                  "duplicate resource id 'test_police'"));
    CHECK(diags.front().ToString().rfind(tmp.File("a.textproto") + ":", 0) == 0);
  }
  SECTION("duplicate ids across files") {
    std::string second = "languages: [\"sv\", \"en\"]\n" +
                         ResourceText("test_social", "social_services", "\"child\"");
    TempInstruments tmp({{"a.textproto", ValidFile()}, {"b.textproto", second}});
    Diagnostics diags;
    REQUIRE_FALSE(Directory::LoadDirectory(tmp.root(), Vocab(), &diags).ok());
    INFO(Joined(diags));
    CHECK(HasDiag(diags, tmp.File("b.textproto"), LineCol(second, "id: \"test_social\""),
                  "duplicate resource id"));
  }
  SECTION("unknown tag, unknown role, several errors at once") {
    std::string text =
        ValidFile(ResourceText("local_x", "no_such_tag", "\"adult_victim\", \"grandparent\""));
    TempInstruments tmp({{"a.textproto", text}});
    Diagnostics diags;
    REQUIRE_FALSE(Directory::LoadDirectory(tmp.root(), Vocab(), &diags).ok());
    INFO(Joined(diags));
    CHECK(HasDiag(diags, tmp.File("a.textproto"), LineCol(text, "tags: [\"no_such_tag\"]"),
                  "unknown resource tag 'no_such_tag'"));
    CHECK(HasDiag(diags, tmp.File("a.textproto"),
                  LineCol(text, "target_roles: [\"adult_victim\", \"grandparent\"]"),
                  "unknown subject role 'grandparent'"));
  }
  SECTION("missing language") {
    std::string text = ValidFile();
    const std::string en_name = "  name { lang: \"en\" value: \"Name test_police\" }\n";
    text.erase(text.find(en_name), en_name.size());
    TempInstruments tmp({{"a.textproto", text}});
    Diagnostics diags;
    REQUIRE_FALSE(Directory::LoadDirectory(tmp.root(), Vocab(), &diags).ok());
    INFO(Joined(diags));
    CHECK(HasDiag(diags, tmp.File("a.textproto"),
                  LineCol(text, "name { lang: \"sv\" value: \"Namn test_police\" }"),
                  "resource 'test_police': `name` has no text in 'en'"));
  }
  SECTION("verified without a source, empty phone verified") {
    std::string text = ValidFile(ResourceText("local_y", "shelter", "\"adult_victim\"", ""));
    const std::string needle =
        "  phone: \"000-00 00 00\"\n  phone_verified { status: UNVERIFIED }\n";
    size_t last = text.rfind(needle);
    text.replace(last, needle.size(), "  phone_verified { status: VERIFIED }\n");
    TempInstruments tmp({{"a.textproto", text}});
    Diagnostics diags;
    REQUIRE_FALSE(Directory::LoadDirectory(tmp.root(), Vocab(), &diags).ok());
    INFO(Joined(diags));
    auto at = LineCol(text, "phone_verified { status: VERIFIED }");
    CHECK(HasDiag(diags, tmp.File("a.textproto"), at, "VERIFIED needs a `source`"));
    CHECK(HasDiag(diags, tmp.File("a.textproto"), at, "an empty phone cannot be VERIFIED"));
  }
  SECTION("the fixed tail must exist") {
    std::string text = ValidFile();
    const std::string line =
        "always_last: [\"test_emergency\", \"test_police\", \"test_social\"]\n";
    text.replace(text.find(line), line.size(),
                 "always_last: [\"test_emergency\", \"test_social\", \"gone\"]\n");
    TempInstruments tmp({{"a.textproto", text}});
    Diagnostics diags;
    REQUIRE_FALSE(Directory::LoadDirectory(tmp.root(), Vocab(), &diags).ok());
    INFO(Joined(diags));
    CHECK(HasDiag(diags, tmp.File("a.textproto"), LineCol(text, "always_last"),
                  "must carry tag 'police'"));
    CHECK(HasDiag(diags, tmp.File("a.textproto"), LineCol(text, "always_last"),
                  "unknown resource 'gone'"));
  }
  SECTION("unknown field is a syntax error with its location") {
    std::string text = ValidFile();
    text.insert(text.find("  scope: NATIONAL"), "  colour: \"red\"\n");
    TempInstruments tmp({{"a.textproto", text}});
    Diagnostics diags;
    REQUIRE_FALSE(Directory::LoadDirectory(tmp.root(), Vocab(), &diags).ok());
    INFO(Joined(diags));
    REQUIRE(diags.size() == 1);
    auto lc = LineCol(text, "colour");
    CHECK(diags[0].file == tmp.File("a.textproto"));
    CHECK(diags[0].line == lc.first);
    CHECK(diags[0].column == lc.second);
  }
  SECTION("columns count characters, not bytes") {
    // Non-ASCII text before an unknown tag on the same line.
    std::string text =
        ValidFile() +
        "resources { id: \"local_z\" scope: LOCAL name { lang: \"sv\" value: \"Åäö Öå\" } "
        "name { lang: \"en\" value: \"N\" } description { lang: \"sv\" value: \"D\" } "
        "description { lang: \"en\" value: \"D\" } phone_verified { status: UNVERIFIED } "
        "tags: [\"bad_tag\"] target_roles: [\"child\"] languages_verified { status: UNVERIFIED } "
        "hours { verified { status: UNVERIFIED } } }\n";
    TempInstruments tmp({{"a.textproto", text}});
    Diagnostics diags;
    REQUIRE_FALSE(Directory::LoadDirectory(tmp.root(), Vocab(), &diags).ok());
    INFO(Joined(diags));
    CHECK(HasDiag(diags, tmp.File("a.textproto"), LineCol(text, "tags: [\"bad_tag\"]"),
                  "unknown resource tag 'bad_tag'"));
  }
  SECTION("routine with an unknown unit and event") {
    std::string text = ValidFile() +
                       "events { id: \"new_contact\" label { lang: \"sv\" value: \"Ny\" } label { "
                       "lang: \"en\" value: \"New\" } }\n"
                       "routines {\n  unit: \"kitchen\"\n"
                       "  description { lang: \"sv\" value: \"R\" }\n"
                       "  description { lang: \"en\" value: \"R\" }\n"
                       "  triggers { event: \"lunch\" enabled: true description { lang: \"sv\" "
                       "value: \"L\" } description { lang: \"en\" value: \"L\" } }\n"
                       "  legal_refs: [\"nope\"]\n}\n";
    TempInstruments tmp({{"a.textproto", text}});
    Diagnostics diags;
    REQUIRE_FALSE(Directory::LoadDirectory(tmp.root(), Vocab(), &diags).ok());
    INFO(Joined(diags));
    const std::string f = tmp.File("a.textproto");
    CHECK(HasDiag(diags, f, LineCol(text, "unit: \"kitchen\""), "unknown unit 'kitchen'"));
    CHECK(HasDiag(diags, f, LineCol(text, "event: \"lunch\""), "unknown routine event 'lunch'"));
    CHECK(HasDiag(diags, f, LineCol(text, "legal_refs: [\"nope\"]"),
                  "unknown legal reference 'nope'"));
  }
  SECTION("no directory folder") {
    Diagnostics diags;
    auto dir = Directory::LoadDirectory(fs::temp_directory_path() / "screening-no-such-dir",
                                        Vocab(), &diags);
    CHECK(dir.status().code() == screening::StatusCode::kNotFound);
  }
}

// --- Ordering, the discreet card, required entries (issue 14) ------------------------------

namespace {

std::vector<std::string> Ids(const std::vector<const v1::Resource*>& list) {
  std::vector<std::string> out;
  for (const auto* r : list) out.push_back(r->id());
  return out;
}

size_t IndexOf(const std::vector<std::string>& ids, const std::string& id) {
  return static_cast<size_t>(std::find(ids.begin(), ids.end(), id) - ids.begin());
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Words that would tell someone who finds a card what it is for (lower case; Swedish
// letters as UTF-8).
const std::vector<std::string> kRevealing = {
    "stöd",  "hjälp",   "våld",     "kvinno",  "jour",    "brott",     "självmord",
    "kris",  "bris",    "terrafem", "linje",   "support", "help",      "violence",
    "abuse", "shelter", "victim",   "suicide", "crisis",  "screening", "112 –"};

void CheckNothingRevealing(const std::string& text) {
  const std::string lower = Lower(text);
  for (const auto& word : kRevealing) {
    INFO("'" << word << "' in: " << text);
    CHECK(lower.find(word) == std::string::npos);
  }
}

std::string DigitsOf(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c >= '0' && c <= '9') out += c;
  }
  return out;
}

}  // namespace

TEST_CASE("directory: for a Swedish-speaking woman the 24-hour line comes first", "[directory]") {
  auto dir = RealDirectory();
  const auto sv = Ids(dir->ResourcesFor("adult_victim", "sv"));
  REQUIRE_FALSE(sv.empty());
  // Kvinnofridslinjen's languages are not recorded: unknown is not "no" for Swedish, and it
  // is the line open around the clock.
  CHECK(sv.front() == "kvinnofridslinjen");
  CHECK(IndexOf(sv, "kvinnofridslinjen") < IndexOf(sv, "terrafem"));
  // For a language nobody lists, the line serving many languages comes first.
  const auto ar = Ids(dir->ResourcesFor("adult_victim", "ar"));
  CHECK(ar.front() == "terrafem");
  CHECK(IndexOf(ar, "terrafem") < IndexOf(ar, "kvinnofridslinjen"));
  // Entries without a number come after every entry one can call, before the fixed end.
  for (const auto& list : {sv, ar}) {
    bool seen_missing = false;
    for (size_t i = 0; i + 3 < list.size(); ++i) {
      const bool missing = dir->Resource(list[i])->phone().empty();
      CHECK_FALSE((seen_missing && !missing));
      seen_missing = seen_missing || missing;
    }
  }
}

TEST_CASE("directory: open around the clock ranks first only when verified", "[directory]") {
  const std::string day = ResourceText("day_line", "support_line", "\"adult_victim\"");
  std::string night_unverified =
      ResourceText("night_unverified", "support_line", "\"adult_victim\"",
                   "  hours { around_the_clock: true verified { status: UNVERIFIED } }\n");
  night_unverified.erase(night_unverified.find("  hours { verified { status: UNVERIFIED } }\n"),
                         std::string("  hours { verified { status: UNVERIFIED } }\n").size());
  std::string night = ResourceText(
      "night_line", "support_line", "\"adult_victim\"",
      "  hours { around_the_clock: true verified { status: VERIFIED source: \"test\" } }\n");
  night.erase(night.find("  hours { verified { status: UNVERIFIED } }\n"),
              std::string("  hours { verified { status: UNVERIFIED } }\n").size());
  TempInstruments tmp({{"a.textproto", ValidFile(day + night_unverified + night)}});
  Diagnostics diags;
  auto dir = Directory::LoadDirectory(tmp.root(), Vocab(), &diags);
  INFO(Joined(diags));
  REQUIRE(dir.ok());
  const auto ids = Ids((*dir)->ResourcesFor("adult_victim", "sv"));
  CHECK(ids == std::vector<std::string>{"night_line", "day_line", "night_unverified",
                                        "test_emergency", "test_police", "test_social"});
}

TEST_CASE("directory: no number is printed twice", "[directory]") {
  auto dir = RealDirectory();
  // Lists print the name and then the number ("112 – vid akut fara, 112" was the bug).
  for (const auto& r : dir->definition().resources()) {
    if (r.phone().empty()) continue;
    for (const auto& name : r.name()) {
      INFO(r.id() << " " << name.value());
      CHECK(DigitsOf(name.value()).find(DigitsOf(r.phone())) == std::string::npos);
    }
  }
  CHECK(dir->Text(dir->Resource("emergency_112")->name(), "sv").find("112") == std::string::npos);
  CHECK(dir->Text(dir->Resource("police_114_14")->name(), "sv").find("114") == std::string::npos);
  // The loader refuses a name that repeats the number.
  std::string text = ValidFile();
  const std::string name = "name { lang: \"sv\" value: \"Namn test_emergency\" }";
  text.replace(text.find(name), name.size(),
               "name { lang: \"sv\" value: \"000-00 00 00 – akut\" }");
  TempInstruments tmp({{"a.textproto", text}});
  Diagnostics diags;
  REQUIRE_FALSE(Directory::LoadDirectory(tmp.root(), Vocab(), &diags).ok());
  INFO(Joined(diags));
  CHECK(HasDiag(diags, tmp.File("a.textproto"),
                LineCol(text, "name { lang: \"sv\" value: \"000-00 00 00 – akut\" }"),
                "the name repeats the phone number"));
}

TEST_CASE("directory: a card prints each number once, however it is spelled", "[directory]") {
  auto verified = [](const std::string& id, const std::string& phone) {
    std::string r = ResourceText(id, "support_line", "\"adult_victim\"");
    const std::string old = "  phone: \"000-00 00 00\"\n  phone_verified { status: UNVERIFIED }\n";
    r.replace(r.find(old), old.size(),
              "  phone: \"" + phone + "\"\n  phone_verified { status: VERIFIED source: \"t\" }\n");
    return r;
  };
  std::string text =
      ValidFile(verified("line_a", "020-11 11 11") + verified("line_b", "020 111 111") +
                verified("line_c", "020-22 22 22"));
  // The fixed end with verified numbers of their own.
  for (const auto& [id, phone] : std::vector<std::pair<std::string, std::string>>{
           {"test_emergency", "112"}, {"test_police", "114 14"}, {"test_social", "0100-00 00"}}) {
    const std::string from = "id: \"" + id + "\"";
    const size_t at = text.find(from);
    const std::string old = "  phone: \"000-00 00 00\"\n  phone_verified { status: UNVERIFIED }\n";
    const size_t p = text.find(old, at);
    text.replace(
        p, old.size(),
        "  phone: \"" + phone + "\"\n  phone_verified { status: VERIFIED source: \"t\" }\n");
  }
  TempInstruments tmp({{"a.textproto", text}});
  Diagnostics diags;
  auto dir = Directory::LoadDirectory(tmp.root(), Vocab(), &diags);
  INFO(Joined(diags));
  REQUIRE(dir.ok());
  screening::CardRequest request;
  request.subject_role = "adult_victim";
  auto card = (*dir)->Card(request);
  REQUIRE(card.ok());
  std::vector<std::string> ids;
  std::set<std::string> numbers;
  for (const auto& line : card->lines) {
    ids.push_back(line.resource_id);
    CHECK(numbers.insert(DigitsOf(line.phone)).second);
  }
  CHECK(ids == std::vector<std::string>{"line_a", "line_c", "test_emergency", "test_police",
                                        "test_social"});
  REQUIRE(card->omitted.size() == 1);
  CHECK(card->omitted[0].resource_id == "line_b");
  CHECK(card->omitted[0].reason == screening::CardOmission::kSameNumber);
}

TEST_CASE("directory: the discreet card says nothing about violence or support", "[directory]") {
  auto dir = RealDirectory();
  for (const char* role : {"adult_victim", "child", "perpetrator"}) {
    for (const char* lang : {"sv", "en"}) {
      INFO(role << " " << lang);
      screening::CardRequest request;
      request.lang = lang;
      request.subject_role = role;
      auto card = dir->Card(request);
      REQUIRE(card.ok());
      CHECK(card->heading.empty());
      CHECK(card->width_mm <= 90.0);
      CHECK(card->height_mm <= 60.0);
      CHECK(card->document_subject.empty());
      CHECK(card->document_creator.empty());
      CheckNothingRevealing(card->file_name);
      CheckNothingRevealing(card->document_title);
      REQUIRE_FALSE(card->lines.empty());
      CHECK(static_cast<int>(card->lines.size()) <= screening::DiscreetCard::kMaxLines);
      std::set<std::string> numbers;
      for (const auto& line : card->lines) {
        const v1::Resource* r = dir->Resource(line.resource_id);
        REQUIRE(r != nullptr);
        // Only verified numbers, each once, under a neutral label (or none).
        CHECK(r->phone_verified().status() == v1::VERIFIED);
        CHECK(line.phone == r->phone());
        CHECK(numbers.insert(DigitsOf(line.phone)).second);
        CheckNothingRevealing(line.label);
        CHECK(line.label != dir->Text(r->name(), lang));
      }
      // The fixed end is always on the card, last.
      const auto n = card->lines.size();
      REQUIRE(n >= 3);
      CHECK(card->lines[n - 3].phone == "112");
      CHECK(card->lines[n - 2].phone == "114 14");
      CHECK(card->lines[n - 1].resource_id == "harnosand_social_services");
      // Entries the municipality has not filled in are left off, never invented.
      for (const auto& o : card->omitted) {
        INFO(o.resource_id);
        if (o.reason == screening::CardOmission::kNoVerifiedNumber) {
          CHECK(dir->Resource(o.resource_id)->phone().empty());
        }
      }
    }
  }
  screening::CardRequest adult;
  adult.subject_role = "adult_victim";
  auto card = dir->Card(adult);
  REQUIRE(card.ok());
  CHECK(card->lines.front().resource_id == "kvinnofridslinjen");
  CHECK(card->lines.front().label == "Frisören");
  CHECK(card->lines[card->lines.size() - 3].label.empty());  // 112 needs no name
  CHECK(card->file_name == "kontakter.pdf");
  bool kvinnojour_omitted = false;
  for (const auto& o : card->omitted) {
    kvinnojour_omitted =
        kvinnojour_omitted || (o.resource_id == "harnosand_kvinnojour" &&
                               o.reason == screening::CardOmission::kNoVerifiedNumber);
  }
  CHECK(kvinnojour_omitted);
}

TEST_CASE("directory: the person's own names, and what a card refuses", "[directory]") {
  auto dir = RealDirectory();
  screening::CardRequest request;
  request.subject_role = "adult_victim";
  request.labels = {{"kvinnofridslinjen", "Moster Anna"}};
  auto card = dir->Card(request);
  REQUIRE(card.ok());
  CHECK(card->lines.front().label == "Moster Anna");
  // Explicit ids: in the order given, the fixed end added; a missing entry never printed.
  request = {};
  request.resource_ids = {"harnosand_socialjour", "bris"};
  card = dir->Card(request);
  REQUIRE(card.ok());
  REQUIRE(card->lines.size() == 4);
  CHECK(card->lines[0].resource_id == "bris");
  CHECK(card->lines[1].resource_id == "emergency_112");
  // Errors name what and where, never the person's text.
  request = {};
  request.subject_role = "adult_victim";
  request.labels = {{"no_such_line", "x"}};
  auto bad = dir->Card(request);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code() == screening::StatusCode::kInvalidArgument);
  CHECK(bad.status().message().find("no_such_line") != std::string::npos);
  request.labels = {{"terrafem", "Hemlig\nrad"}};
  bad = dir->Card(request);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message().find("terrafem") != std::string::npos);
  CHECK(bad.status().message().find("Hemlig") == std::string::npos);
  request.labels = {{"terrafem", std::string(41, 'a')}};
  CHECK_FALSE(dir->Card(request).ok());
  request.labels = {{"terrafem", std::string(40, 'a')}};
  CHECK(dir->Card(request).ok());
  request = {};
  CHECK_FALSE(dir->Card(request).ok());  // neither ids nor a role
  request.resource_ids = {"no_such_resource"};
  bad = dir->Card(request);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message().find("no_such_resource") != std::string::npos);
}

TEST_CASE("directory: a card as text and as a page of its own size", "[directory]") {
  auto dir = RealDirectory();
  screening::CardRequest request;
  request.subject_role = "adult_victim";
  request.labels = {{"terrafem", "<Ö & co>"}};
  auto card = dir->Card(request);
  REQUIRE(card.ok());
  const std::string text = screening::CardToText(*card);
  // Names aligned, a number without a name in the same column, each number once.
  CHECK(text.rfind("Frisören  020-50 50 50\n", 0) == 0);
  CHECK(text.find("<Ö & co>  020-52 10 10\n") != std::string::npos);
  CHECK(text.find("\n          112\n") != std::string::npos);
  CheckNothingRevealing(text);
  const std::string html = screening::CardToHtml(*card);
  CHECK(html.find("@page { size: 85mm 55mm;") != std::string::npos);
  CHECK(html.find("<title>Kontakter</title>") != std::string::npos);
  CHECK(html.find("&lt;Ö &amp; co&gt;") != std::string::npos);
  CHECK(html.find("<Ö") == std::string::npos);
  CHECK(html.find("generator") == std::string::npos);
  CheckNothingRevealing(html.substr(html.find("<body>")));
}

TEST_CASE("directory: the question before handing over comes from the library", "[directory]") {
  auto dir = RealDirectory();
  screening::CardRequest request;
  request.subject_role = "adult_victim";
  auto card = dir->Card(request);
  REQUIRE(card.ok());
  auto prompt = dir->PromptFor(*card);
  CHECK(prompt.question == "Är det säkert för dig att ta hem det här?");
  CHECK(prompt.alternative.find("neutrala namn") != std::string::npos);
  REQUIRE(prompt.numbers.size() == card->lines.size());
  CHECK(prompt.numbers.front().label == "Frisören");
  CHECK_FALSE(prompt.make_card.empty());
  CHECK_FALSE(prompt.save_in_phone.empty());
  CHECK_FALSE(prompt.cancel.empty());
  request.lang = "en";
  card = dir->Card(request);
  REQUIRE(card.ok());
  prompt = dir->PromptFor(*card);
  CHECK(prompt.question == "Is it safe for you to take this home?");
  // For an English speaker the line serving many languages comes first, under its English
  // neutral name.
  CHECK(prompt.numbers.front().resource_id == "terrafem");
  CHECK(prompt.numbers.front().label == "Dentist");
  CHECK(prompt.numbers[1].label == "Hairdresser");
}

TEST_CASE("directory: required entries are shown as missing until the municipality fills them in",
          "[directory]") {
  auto dir = RealDirectory();
  for (const char* id : {"harnosand_socialjour", "harnosand_kvinnojour", "harnosand_mansjour",
                         "harnosand_brottsofferjour", "suicide_line"}) {
    INFO(id);
    const v1::Resource* r = dir->Resource(id);
    REQUIRE(r != nullptr);
    CHECK(r->required());
    CHECK(r->phone().empty());  // never invented
    CHECK(r->phone_verified().status() == v1::UNVERIFIED);
  }
  CHECK(dir->Tag("after_hours") != nullptr);
  CHECK(dir->Tag("victim_support") != nullptr);
  CHECK(dir->Tag("suicide_support") != nullptr);
  CHECK(screening::MissingNumberText("sv") == "saknas – kommunen fyller i");
  CHECK(screening::MissingNumberText("en") == "missing – to be filled in by the municipality");
  CHECK(dir->MissingRequired());
  std::set<std::string> required;
  for (const auto& gap : dir->Gaps()) {
    if (gap.required) {
      CHECK(gap.field == "phone");
      CHECK(gap.missing);
      required.insert(gap.resource_id);
    }
  }
  CHECK(required == std::set<std::string>{"harnosand_socialjour", "harnosand_kvinnojour",
                                          "harnosand_mansjour", "harnosand_brottsofferjour",
                                          "suicide_line"});
  // The suicide line is offered to every role (the instruments ask about suicidal thoughts).
  for (const char* role : {"adult_victim", "child", "perpetrator"}) {
    const auto ids = Ids(dir->ResourcesFor(role, "sv"));
    CHECK(std::find(ids.begin(), ids.end(), "suicide_line") != ids.end());
  }

  // Filled in with a verified number: no longer missing, and printed on the card.
  std::string filled =
      ResourceText("local_jour", "shelter", "\"adult_victim\"", "  required: true\n");
  const std::string old = "  phone: \"000-00 00 00\"\n  phone_verified { status: UNVERIFIED }\n";
  filled.replace(
      filled.find(old), old.size(),
      "  phone: \"0100-11 11 11\"\n  phone_verified { status: VERIFIED source: \"t\" }\n");
  std::string empty =
      ResourceText("local_empty", "shelter", "\"adult_victim\"", "  required: true\n");
  empty.replace(empty.find("  phone: \"000-00 00 00\"\n"),
                std::string("  phone: \"000-00 00 00\"\n").size(), "");
  {
    TempInstruments tmp({{"a.textproto", ValidFile(filled)}});
    Diagnostics diags;
    auto d = Directory::LoadDirectory(tmp.root(), Vocab(), &diags);
    INFO(Joined(diags));
    REQUIRE(d.ok());
    CHECK_FALSE((*d)->MissingRequired());
    screening::CardRequest request;
    request.subject_role = "adult_victim";
    auto card = (*d)->Card(request);
    REQUIRE(card.ok());
    CHECK(card->lines.front().resource_id == "local_jour");
  }
  {
    TempInstruments tmp({{"a.textproto", ValidFile(empty)}});
    Diagnostics diags;
    auto d = Directory::LoadDirectory(tmp.root(), Vocab(), &diags);
    INFO(Joined(diags));
    REQUIRE(d.ok());
    CHECK((*d)->MissingRequired());
  }
}

TEST_CASE("directory: anonymity is never claimed unless verified", "[directory]") {
  auto dir = RealDirectory();
  for (const auto& r : dir->definition().resources()) {
    INFO(r.id());
    // Nothing in shared/domain verifies anonymity for any line.
    CHECK_FALSE((r.anonymous() && r.anonymity_verified().status() == v1::VERIFIED));
  }
  std::string text =
      ValidFile(ResourceText("anon_line", "support_line", "\"adult_victim\"",
                             "  anonymous: true\n  anonymity_verified { status: VERIFIED }\n"));
  TempInstruments tmp({{"a.textproto", text}});
  Diagnostics diags;
  REQUIRE_FALSE(Directory::LoadDirectory(tmp.root(), Vocab(), &diags).ok());
  INFO(Joined(diags));
  CHECK(HasDiag(diags, tmp.File("a.textproto"), LineCol(text, "anonymity_verified"),
                "VERIFIED needs a `source`"));
  // A claim without a marker is a gap, listed by the check.
  TempInstruments tmp2(
      {{"a.textproto", ValidFile(ResourceText("anon_line", "support_line", "\"adult_victim\"",
                                              "  anonymous: true\n"))}});
  auto d = Directory::LoadDirectory(tmp2.root(), Vocab(), &diags);
  REQUIRE(d.ok());
  bool listed = false;
  for (const auto& gap : (*d)->Gaps()) {
    listed = listed || (gap.resource_id == "anon_line" && gap.field == "anonymity");
  }
  CHECK(listed);
}

// --- The law in force on the record's date -------------------------------------------------

TEST_CASE("directory: the law in force on the record's date", "[directory][legal]") {
  auto dir = RealDirectory();
  int sol = 0;
  for (const auto& l : dir->definition().legal_refs()) {
    INFO(l.id());
    const bool cites_sol = l.citation().number() == "2001:453";
    // No citation of the old Social Services Act without a date rule to the new one.
    if (cites_sol) {
      ++sol;
      REQUIRE(l.has_current());
      CHECK(l.current().number() == "2025:400");
      CHECK(l.current_from() == "2025-07-01");
      auto before = dir->CitationOn(l, "2025-06-30");
      auto on = dir->CitationOn(l, "2025-07-01");
      auto later = dir->CitationOn(l, "2026-03-15");
      REQUIRE(before.ok());
      REQUIRE(on.ok());
      REQUIRE(later.ok());
      CHECK((*before)->number() == "2001:453");
      CHECK((*on)->number() == "2025:400");
      CHECK((*later)->number() == "2025:400");
      // The new act's paragraph is never guessed.
      CHECK(l.current().chapter().empty());
      CHECK(l.current().paragraph().empty());
      CHECK(l.current().paragraph_unknown());
      CHECK(*dir->CitationTextOn(l, "2025-07-01", "sv") ==
            "Socialtjänstlag (2025:400), paragraf ej verifierad");
      CHECK(*dir->CitationTextOn(l, "2025-07-01", "en") ==
            "Social Services Act (2025:400), section not verified");
    }
    // Every name of a law mentioning the Social Services Act is one of these two.
    for (const auto* c : {&l.citation(), &l.current()}) {
      for (const auto& law : c->law()) {
        if (law.value().find("Socialtjänstlag") != std::string::npos ||
            law.value().find("Social Services Act") != std::string::npos) {
          CHECK((c->number() == "2001:453" || c->number() == "2025:400"));
          CHECK(l.has_current());
        }
      }
    }
    // Every citation says whether it is verified, and an unverified one says so in words.
    for (const auto* c : {&l.citation(), &l.current()}) {
      if (c == &l.current() && !l.has_current()) continue;
      CHECK(c->verified().status() != v1::VERIFICATION_STATUS_UNSPECIFIED);
      for (const char* lang : {"sv", "en"}) {
        const std::string text = dir->CitationText(*c, lang);
        INFO(text);
        const bool says = text.find("ej verifierad") != std::string::npos ||
                          text.find("ej verifierat") != std::string::npos ||
                          text.find("not verified") != std::string::npos;
        CHECK(says == (c->verified().status() == v1::UNVERIFIED));
      }
      if (c->verified().status() == v1::VERIFIED) CHECK_FALSE(c->verified().source().empty());
    }
  }
  CHECK(sol >= 7);
  const v1::LegalReference* report = dir->Legal("sol_report_of_concern");
  CHECK(*dir->CitationTextOn(*report, "2024-12-31", "sv") ==
        "Socialtjänstlag (2001:453) 14 kap. 1 § (ej verifierad)");
  CHECK(*dir->CitationTextOn(*report, "2024-12-31", "en") ==
        "Social Services Act (2001:453), chapter 14, section 1 (not verified)");
  // A UTC time counts by its Swedish date: 22:30 UTC on 30 June is 00:30 on 1 July.
  CHECK((*dir->CitationOn(*report, "2025-06-30T22:30:00Z"))->number() == "2025:400");
  CHECK((*dir->CitationOn(*report, "2025-06-30T21:59:59Z"))->number() == "2001:453");
  for (const char* bad : {"", "2025-13-01", "30/06/2025", "2025-06-30T25:00:00Z", "yesterday"}) {
    INFO(bad);
    auto r = dir->CitationOn(*report, bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == screening::StatusCode::kInvalidArgument);
  }
  // HSLF-FS 2022:39 replaced SOSFS 2014:4 on 1 November 2022.
  const v1::LegalReference* hslf = dir->Legal("hslf_fs_2022_39");
  CHECK((*dir->CitationOn(*hslf, "2022-10-31"))->number() == "SOSFS 2014:4");
  CHECK((*dir->CitationOn(*hslf, "2022-11-01"))->number() == "HSLF-FS 2022:39");
  CHECK(dir->Text(hslf->note(), "sv").find("1 november 2022") != std::string::npos);
  // References without a replaced act cite the same whatever the date.
  const v1::LegalReference* lvu = dir->Legal("lvu_immediate_care");
  CHECK(*dir->CitationOn(*lvu, "2020-01-01") == &lvu->citation());
  CHECK(*dir->CitationOn(*lvu, "2030-01-01") == &lvu->citation());
}

TEST_CASE("directory: secrecy does not mean that nothing can be shared", "[directory][legal]") {
  auto dir = RealDirectory();
  const v1::LegalReference* osl = dir->Legal("osl_secrecy");
  REQUIRE(osl != nullptr);
  const std::string sv = dir->Text(osl->text(), "sv");
  const std::string en = dir->Text(osl->text(), "en");
  CHECK(sv.find("samtycke") != std::string::npos);
  CHECK(sv.find("under 18 år") != std::string::npos);
  CHECK(sv.find("sedan 2021") != std::string::npos);
  CHECK(sv.find("polisen") != std::string::npos);
  CHECK(sv.find("inte verifierade") != std::string::npos);
  CHECK(en.find("not true that nothing can be shared") != std::string::npos);
  // The secrecy-breaking rules are references of their own, paragraphs marked unknown.
  for (const char* id : {"osl_necessary_disclosure", "osl_crime_against_minor", "osl_serious_crime",
                         "osl_prevent_violence_close_relative"}) {
    INFO(id);
    const v1::LegalReference* l = dir->Legal(id);
    REQUIRE(l != nullptr);
    CHECK(l->citation().number() == "2009:400");
    CHECK(l->citation().paragraph_unknown());
    CHECK(l->citation().verified().status() == v1::UNVERIFIED);
  }
}

TEST_CASE("directory: references used daily, with what is not verified marked",
          "[directory][legal]") {
  auto dir = RealDirectory();
  const v1::LegalReference* sarah = dir->Legal("sol_lex_sarah");
  REQUIRE(sarah != nullptr);
  CHECK(dir->Text(sarah->text(), "sv").find("personal") != std::string::npos);
  CHECK(dir->Text(sarah->text(), "sv").find("inte en närstående") != std::string::npos);
  CHECK(sarah->citation().paragraph_unknown());
  const v1::LegalReference* shelter = dir->Legal("sheltered_housing_child");
  REQUIRE(shelter != nullptr);
  CHECK(shelter->citation().number().empty());
  CHECK(*dir->CitationTextOn(*shelter, "2026-01-01", "sv") ==
        "Lag från 2024 om barns vistelse i skyddat boende, nummer och paragraf ej verifierade");
  const v1::LegalReference* barnfrid = dir->Legal("barnfridsbrott");
  REQUIRE(barnfrid != nullptr);
  CHECK(barnfrid->citation().verified().status() == v1::UNVERIFIED);
  CHECK(*dir->CitationTextOn(*barnfrid, "2026-01-01", "sv") ==
        "Brottsbalk (1962:700), paragraf ej verifierad");
}

TEST_CASE("directory: a replaced act needs its date, and an unknown paragraph stays empty",
          "[directory][legal]") {
  const std::string law =
      "law { lang: \"sv\" value: \"Lag\" } law { lang: \"en\" value: \"Act\" } ";
  auto legal = [&](const std::string& body) {
    return "legal_refs { id: \"x\" title { lang: \"sv\" value: \"T\" } title { lang: \"en\" "
           "value: \"T\" } text { lang: \"sv\" value: \"T\" } text { lang: \"en\" value: \"T\" } "
           "citation { " +
           law + "number: \"1:1\" verified { status: UNVERIFIED } }\n" + body + "}\n";
  };
  SECTION("current without current_from") {
    std::string text = ValidFile() + legal("  current { " + law +
                                           "number: \"2:2\" verified { status: UNVERIFIED } }\n");
    TempInstruments tmp({{"a.textproto", text}});
    Diagnostics diags;
    REQUIRE_FALSE(Directory::LoadDirectory(tmp.root(), Vocab(), &diags).ok());
    INFO(Joined(diags));
    CHECK(HasDiag(diags, tmp.File("a.textproto"), LineCol(text, "current {"),
                  "`current` needs `current_from`"));
  }
  SECTION("a date that is not one") {
    std::string text = ValidFile() + legal("  current { " + law +
                                           "number: \"2:2\" verified { status: UNVERIFIED } }\n"
                                           "  current_from: \"2025-02-30\"\n");
    TempInstruments tmp({{"a.textproto", text}});
    Diagnostics diags;
    REQUIRE_FALSE(Directory::LoadDirectory(tmp.root(), Vocab(), &diags).ok());
    INFO(Joined(diags));
    CHECK(HasDiag(diags, tmp.File("a.textproto"), LineCol(text, "current_from"), "is not a date"));
  }
  SECTION("current_from alone") {
    std::string text = ValidFile() + legal("  current_from: \"2025-07-01\"\n");
    TempInstruments tmp({{"a.textproto", text}});
    Diagnostics diags;
    REQUIRE_FALSE(Directory::LoadDirectory(tmp.root(), Vocab(), &diags).ok());
    INFO(Joined(diags));
    CHECK(HasDiag(diags, tmp.File("a.textproto"), LineCol(text, "current_from"),
                  "without a `current`"));
  }
  SECTION("an unknown paragraph with a number, or verified") {
    std::string text =
        ValidFile() + legal("  current { " + law +
                            "number: \"2:2\" paragraph: \"3\" paragraph_unknown: true verified { "
                            "status: VERIFIED source: \"s\" } }\n  current_from: \"2025-07-01\"\n");
    TempInstruments tmp({{"a.textproto", text}});
    Diagnostics diags;
    REQUIRE_FALSE(Directory::LoadDirectory(tmp.root(), Vocab(), &diags).ok());
    INFO(Joined(diags));
    CHECK(HasDiag(diags, tmp.File("a.textproto"), LineCol(text, "paragraph_unknown"),
                  "with a chapter or paragraph given"));
    CHECK(HasDiag(diags, tmp.File("a.textproto"), LineCol(text, "verified { status: VERIFIED"),
                  "an unknown paragraph cannot be VERIFIED"));
  }
}
