// `resources`: the support-resource directory for a person's role, with no database.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "followup_fixture.h"

namespace screening::cli::test {
namespace {

std::vector<std::string> Ids(const std::string& json) {
  std::vector<std::string> ids;
  for (const auto& r : nlohmann::json::parse(json)) ids.push_back(r["id"]);
  return ids;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Nothing on the card may say what the numbers are for.
void CheckDiscreet(const std::string& card) {
  const std::string lower = Lower(card);
  for (const char* word : {"stöd", "hjälp", "våld", "kvinnofrid", "terrafem", "jour", "support",
                           "help", "violence", "screening", "socialtjänst"}) {
    INFO(word << " in: " << card);
    CHECK_FALSE(Has(lower, word));
  }
}

// A copy of the repository's instruments with the required directory entries filled in.
std::filesystem::path FilledInInstruments(const std::filesystem::path& under) {
  const auto dir = under / "instruments";
  std::filesystem::copy(RepoInstrumentsDir(), dir, std::filesystem::copy_options::recursive);
  const auto file = dir / "directory" / "resources.textproto";
  std::string text = ReadFile(file);
  // Every required entry's marker: give it a (synthetic) verified number.
  const std::regex marker(
      "  phone_verified \\{\n    status: UNVERIFIED\n    note: \"The municipality fills in");
  int n = 0;
  std::string out;
  std::sregex_iterator it(text.begin(), text.end(), marker), end;
  size_t last = 0;
  for (; it != end; ++it) {
    out += text.substr(last, static_cast<size_t>(it->position()) - last);
    out += "  phone: \"0100-00 00 0" + std::to_string(n++) +
           "\"\n  phone_verified {\n    status: VERIFIED\n    source: \"test\"\n    note: "
           "\"The municipality fills in";
    last = static_cast<size_t>(it->position() + it->length());
  }
  out += text.substr(last);
  REQUIRE(n == 5);
  std::filesystem::remove(file);
  std::ofstream(file, std::ios::binary) << out;
  return dir;
}

}  // namespace

TEST_CASE("resources lists the whole directory without a database", "[cli][resources]") {
  FollowUpWorkspace ws;
  CliRun run = ws.Plain({"resources"});
  INFO(run.err);
  REQUIRE(run.code == kExitOk);
  CHECK(Has(run.out, "Kvinnofridslinjen"));
  CHECK(Has(run.out, "020-50 50 50"));
  CHECK(Has(run.out, "Telefon: "));
  CHECK(Has(run.out, "[valj_att_sluta]"));
  // Terrafem's opening hours are not verified and say so.
  CHECK(Has(run.out, "Öppet: okänt"));
  CliRun en = ws.Plain({"resources", "--lang", "en"});
  REQUIRE(en.code == kExitOk);
  CHECK(Has(en.out, "Phone: "));
  CHECK((Has(en.out, "Around the clock") || Has(en.out, "around the clock")));
}

TEST_CASE("resources for a role end with 112, 114 14 and social services", "[cli][resources]") {
  FollowUpWorkspace ws;
  for (const char* role : {"adult_victim", "child", "perpetrator"}) {
    INFO(role);
    CliRun run = ws.Plain({"resources", "--for", role, "--format", "json"});
    REQUIRE(run.code == kExitOk);
    const auto ids = Ids(run.out);
    REQUIRE(ids.size() >= 3);
    CHECK(ids[ids.size() - 3] == "emergency_112");
    CHECK(ids[ids.size() - 2] == "police_114_14");
    CHECK(ids.back() == "harnosand_social_services");
  }
  const auto perpetrator =
      Ids(ws.Plain({"resources", "--for", "perpetrator", "--format", "json"}).out);
  CHECK(perpetrator.front() == "valj_att_sluta");
  CHECK(std::find(perpetrator.begin(), perpetrator.end(), "kvinnofridslinjen") ==
        perpetrator.end());
  const auto child = Ids(ws.Plain({"resources", "--for", "child", "--format", "json"}).out);
  CHECK(child.front() == "bris");
  CliRun text = ws.Plain({"resources", "--for", "child"});
  CHECK(Has(text.out, "Stöd för "));
}

TEST_CASE("resources --tag narrows the list and the JSON carries verification",
          "[cli][resources]") {
  FollowUpWorkspace ws;
  CliRun run = ws.Plain({"resources", "--tag", "children_line", "--format", "json"});
  REQUIRE(run.code == kExitOk);
  const auto list = nlohmann::json::parse(run.out);
  REQUIRE(list.size() == 1);
  CHECK(list[0]["id"] == "bris");
  CHECK(list[0].contains("phone_verified"));
  CHECK(list[0].contains("hours_verified"));
  CHECK(list[0]["target_roles"] == nlohmann::json::array({"child"}));
}

TEST_CASE("resources usage errors and help", "[cli][resources]") {
  FollowUpWorkspace ws;
  CHECK(ws.Plain({"resources", "--for", "neighbour"}).code == kExitUsage);
  CliRun tag = ws.Plain({"resources", "--tag", "no_such_tag"});
  CHECK(tag.code == kExitUsage);
  CHECK(Has(tag.err, "no_such_tag"));
  CHECK(ws.Plain({"resources", "--format", "csv"}).code == kExitUsage);
  CliRun sv = ws.Plain({"resources", "--help"});
  CliRun en = ws.Plain({"resources", "--help", "--lang", "en"});
  CHECK(sv.code == kExitOk);
  CHECK(Has(sv.out, "resurskatalogen"));
  CHECK(Has(en.out, "resource directory"));
}

TEST_CASE(
    "resources --for adult_victim in Swedish puts Kvinnofridslinjen first, and shows "
    "missing numbers as missing",
    "[cli][resources]") {
  FollowUpWorkspace ws;
  const auto adult = Ids(ws.Plain({"resources", "--for", "adult_victim", "--format", "json"}).out);
  CHECK(adult.front() == "kvinnofridslinjen");
  const auto arabic = Ids(
      ws.Plain({"resources", "--for", "adult_victim", "--person-lang", "ar", "--format", "json"})
          .out);
  CHECK(arabic.front() == "terrafem");
  CliRun text = ws.Plain({"resources", "--for", "adult_victim"});
  REQUIRE(text.code == kExitOk);
  CHECK(Has(text.out, "Kvinnojour  [harnosand_kvinnojour]"));
  CHECK(Has(text.out, "Telefon: saknas – kommunen fyller i"));
  // "112 – vid akut fara, 112": the number once per entry.
  CHECK_FALSE(Has(text.out, "112 – vid akut fara"));
  std::istringstream lines(text.out);
  bool phone_line = false;
  for (std::string line; std::getline(lines, line);) {
    INFO(line);
    CHECK(line.find("112") == line.rfind("112"));
    phone_line = phone_line || line == "  Telefon: 112";
  }
  CHECK(Has(text.out, "Nödnumret vid akut fara  [emergency_112]"));
  CHECK(phone_line);
  const auto list = nlohmann::json::parse(
      ws.Plain({"resources", "--for", "adult_victim", "--format", "json"}).out);
  bool missing = false;
  for (const auto& r : list) {
    if (r["id"] == "harnosand_kvinnojour") {
      missing = r["missing"] == true && r["required"] == true && r["phone"].is_null();
    }
  }
  CHECK(missing);
}

TEST_CASE("resources card prints a discreet card and asks first", "[cli][resources][card]") {
  FollowUpWorkspace ws;
  CliRun run = ws.Plain({"resources", "card", "--for", "adult_victim"});
  INFO(run.err);
  REQUIRE(run.code == kExitOk);
  CHECK(Has(run.out, "Frisören"));
  CHECK(Has(run.out, "020-50 50 50"));
  CHECK(Has(run.out, "112\n"));
  CheckDiscreet(run.out);
  // Each number once.
  std::set<std::string> lines;
  std::istringstream in(run.out);
  for (std::string line; std::getline(in, line);) CHECK(lines.insert(line).second);
  // The question and the alternative go to the caseworker, not onto the card.
  CHECK(Has(run.err, "Är det säkert för dig att ta hem det här?"));
  CHECK(Has(run.err, "neutrala namn"));
  CHECK(Has(run.err, "Kvinnojour (saknas – kommunen fyller i)"));
  CHECK_FALSE(Has(run.out, "säkert"));

  CliRun en = ws.Plain({"resources", "card", "--for", "perpetrator", "--lang", "en"});
  REQUIRE(en.code == kExitOk);
  CHECK(Has(en.err, "Is it safe for you to take this home?"));
  CHECK(Has(en.out, "Garage"));
  CHECK(Has(en.out, "020-555 666"));
  CheckDiscreet(en.out);

  CliRun own = ws.Plain({"resources", "card", "--for", "adult_victim", "--label",
                         "kvinnofridslinjen=Moster Anna", "--label", "terrafem=Tandis"});
  REQUIRE(own.code == kExitOk);
  CHECK(Has(own.out, "Moster Anna"));
  CHECK(Has(own.out, "Tandis"));
  CHECK_FALSE(Has(own.out, "Frisören"));
}

TEST_CASE("resources card as JSON names what was left off and why", "[cli][resources][card]") {
  FollowUpWorkspace ws;
  CliRun run = ws.Plain({"resources", "card", "--for", "adult_victim", "--format", "json"});
  REQUIRE(run.code == kExitOk);
  CHECK(run.err.empty());
  const auto doc = nlohmann::json::parse(run.out);
  CHECK(doc["prompt"]["question"] == "Är det säkert för dig att ta hem det här?");
  CHECK(doc["card"]["heading"] == "");
  CHECK(doc["card"]["file_name"] == "kontakter.pdf");
  CHECK(doc["card"]["lines"][0]["resource"] == "kvinnofridslinjen");
  std::set<std::string> omitted;
  for (const auto& o : doc["card"]["omitted"]) {
    CHECK(o["reason"] == "no_verified_number");
    omitted.insert(o["resource"]);
  }
  CHECK(omitted.count("harnosand_kvinnojour") == 1);
  CHECK(omitted.count("suicide_line") == 1);
  CHECK(doc["prompt"]["numbers"].size() == doc["card"]["lines"].size());
}

TEST_CASE("resources card --out writes a new private HTML file and never replaces one",
          "[cli][resources][card]") {
  FollowUpWorkspace ws;
  const auto path = ws.dir() / "kort.html";
  CliRun run =
      ws.Plain({"resources", "card", "--for", "child", "--format", "html", "--out", path.string()});
  INFO(run.err);
  REQUIRE(run.code == kExitOk);
  const std::string html = ReadFile(path);
  CHECK(Has(html, "<title>Kontakter</title>"));
  CHECK(Has(html, "@page { size: 85mm 55mm"));
  CHECK(Has(html, "116 111"));
  CheckDiscreet(html);
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  // A second run does not overwrite it.
  CliRun again = ws.Plain(
      {"resources", "card", "--for", "adult_victim", "--format", "html", "--out", path.string()});
  CHECK(again.code == kExitFailed);
  CHECK(Has(again.err, "filen finns redan"));
  CHECK(ReadFile(path) == html);
  // Nor follows a link planted where the card is to go.
  const auto target = ws.dir() / "target.txt";
  std::ofstream(target) << "keep";
  const auto link = ws.dir() / "link.html";
  std::filesystem::create_symlink(target, link);
  CliRun linked = ws.Plain({"resources", "card", "--for", "child", "--out", link.string()});
  CHECK(linked.code == kExitFailed);
  CHECK(ReadFile(target) == "keep");
}

TEST_CASE("resources card usage errors never repeat the person's names", "[cli][resources][card]") {
  FollowUpWorkspace ws;
  CHECK(ws.Plain({"resources", "card"}).code == kExitUsage);
  CHECK(ws.Plain({"resources", "card", "--for", "child", "--resource", "bris"}).code == kExitUsage);
  CliRun no_eq = ws.Plain({"resources", "card", "--for", "child", "--label", "Hemliga Namnet"});
  CHECK(no_eq.code == kExitUsage);
  CHECK_FALSE(Has(no_eq.err, "Hemliga"));
  CliRun unknown =
      ws.Plain({"resources", "card", "--for", "child", "--label", "no_such_line=Hemliga Namnet"});
  CHECK(unknown.code == kExitFailed);
  CHECK(Has(unknown.err, "no_such_line"));
  CHECK_FALSE(Has(unknown.err, "Hemliga"));
  CHECK(ws.Plain({"resources", "card", "--resource", "no_such_line"}).code == kExitFailed);
  CHECK(ws.Plain({"resources", "card", "--for", "child", "--format", "pdf"}).code == kExitUsage);
  CliRun help = ws.Plain({"resources", "card", "--help"});
  CHECK(help.code == kExitOk);
  CHECK(Has(help.out, "Är det säkert för dig att ta hem det här?"));
}

TEST_CASE("resources check lists what is missing and fails while a required number is",
          "[cli][resources][check]") {
  FollowUpWorkspace ws;
  CliRun run = ws.Plain({"resources", "check"});
  CHECK(run.code == kExitFailed);
  CHECK(Has(run.out, "Socialjouren [harnosand_socialjour]"));
  CHECK(Has(run.out, "saknas – kommunen fyller i (!)"));
  CHECK(Has(run.out, "5 obligatoriska nummer saknas"));
  CHECK(Has(run.out, "Terrafem [terrafem]"));  // hours not known
  CliRun json = ws.Plain({"resources", "check", "--format", "json", "--lang", "en"});
  CHECK(json.code == kExitFailed);
  const auto doc = nlohmann::json::parse(json.out);
  CHECK(doc["missing_required"] == 5);
  std::set<std::string> required;
  for (const auto& gap : doc["gaps"]) {
    if (gap["required"] == true) required.insert(gap["resource"]);
  }
  CHECK(required == std::set<std::string>{"harnosand_socialjour", "harnosand_kvinnojour",
                                          "harnosand_mansjour", "harnosand_brottsofferjour",
                                          "suicide_line"});

  // Once the municipality has filled them in: exit 0, and the card prints them.
  auto env = ws.Env(kFollowUpAdmin);
  env["SCREENING_INSTRUMENTS"] = FilledInInstruments(ws.dir()).string();
  CliRun filled = RunCli({"resources", "check"}, {}, env);
  INFO(filled.err);
  CHECK(filled.code == kExitOk);
  CHECK(Has(filled.out, "Inga obligatoriska nummer saknas."));
  CliRun card = RunCli({"resources", "card", "--for", "adult_victim"}, {}, env);
  CHECK(card.code == kExitOk);
  CHECK(Has(card.out, "0100-00 00 0"));
}

TEST_CASE("legal cites the act in force on the record's date", "[cli][legal]") {
  FollowUpWorkspace ws;
  CliRun old = ws.Plain({"legal", "sol_report_of_concern", "--date", "2025-06-30"});
  INFO(old.err);
  REQUIRE(old.code == kExitOk);
  CHECK(Has(old.out, "Socialtjänstlag (2001:453) 14 kap. 1 § (ej verifierad)"));
  CliRun now = ws.Plain({"legal", "sol_report_of_concern", "--date", "2025-07-01"});
  REQUIRE(now.code == kExitOk);
  CHECK(Has(now.out, "Socialtjänstlag (2025:400), paragraf ej verifierad"));
  CHECK_FALSE(Has(now.out, "14 kap."));
  CliRun json = ws.Plain({"legal", "--format", "json", "--lang", "en", "--date", "2022-10-31"});
  REQUIRE(json.code == kExitOk);
  const auto doc = nlohmann::json::parse(json.out);
  bool hslf = false;
  for (const auto& r : doc["references"]) {
    if (r["id"] == "hslf_fs_2022_39") hslf = r["number"] == "SOSFS 2014:4";
  }
  CHECK(hslf);
  CHECK(ws.Plain({"legal", "--date", "30/06/2025"}).code == kExitUsage);
  CliRun unknown = ws.Plain({"legal", "no_such_ref"});
  CHECK(unknown.code == kExitFailed);
  CHECK(Has(unknown.err, "no_such_ref"));
}

}  // namespace screening::cli::test
