// The case commands (intake, subject add, grant, assess, draft list/resume, show, list), run
// in-process against a database in a temporary folder and the repository's instruments.
// Passwords come from the first line of standard input (--password-stdin); the interactive
// questions read the lines after it. SCREENING_PASSWORD_COST=0 keeps Argon2id cheap. All
// case references and texts are synthetic.
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <stdlib.h>

#include <screening/registry.h>
#include <screening/store.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "cli_test_util.h"
#include "commands/command.h"

namespace screening::cli::test {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

constexpr const char* kAdmin = "test.admin";
constexpr const char* kWorker = "test.worker";
constexpr const char* kSupervisor = "test.super";
constexpr const char* kCoordinator = "test.coord";
constexpr const char* kOtherUnit = "test.barn";
constexpr const char* kColleague = "test.colleague";

// Every synthetic user has the password "<name>-pass-1" (at least 10 characters).
std::string PasswordOf(const std::string& user) { return user + "-pass-1"; }

// A database with the units ifo_vuxen and ifo_barn, a caseworker and a supervisor of
// ifo_vuxen, a second caseworker of ifo_vuxen, a caseworker of ifo_barn and a coordinator.
class CaseWorkspace {
 public:
  CaseWorkspace() {
    std::string pattern = (fs::temp_directory_path() / "screening-case-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    Require({"init"}, "", kAdmin);
    for (const char* unit : {"ifo_vuxen", "ifo_barn"}) Require({"unit", "add", unit}, "", kAdmin);
    AddUser(kWorker, Role::kCaseworker, "ifo_vuxen");
    AddUser(kSupervisor, Role::kSupervisor, "ifo_vuxen");
    AddUser(kColleague, Role::kCaseworker, "ifo_vuxen");
    AddUser(kOtherUnit, Role::kCaseworker, "ifo_barn");
    AddUser(kCoordinator, Role::kCoordinator, "");
  }
  ~CaseWorkspace() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  CaseWorkspace(const CaseWorkspace&) = delete;
  CaseWorkspace& operator=(const CaseWorkspace&) = delete;

  fs::path dir() const { return dir_; }

  std::map<std::string, std::string> Env(const std::string& user) const {
    return {{"SCREENING_PASSWORD_COST", "0"},
            {"SCREENING_AUDIT_KEY", (dir_ / "audit.key").string()},
            {"SCREENING_INSTRUMENTS", RepoInstrumentsDir().string()},
            {"SCREENING_DB", (dir_ / "screening.db").string()},
            {"SCREENING_USER", user}};
  }

  // Runs a command as `user` with --password-stdin (their password is the first line of
  // standard input, `input` follows it).
  CliRun Run(std::vector<std::string> args, const std::string& input = {},
             const std::string& user = kWorker) const {
    if (args.empty() || args[0] != "--help") args.push_back("--password-stdin");
    return RunCli(args, PasswordOf(user) + "\n" + input, Env(user));
  }

  CliRun Require(const std::vector<std::string>& args, const std::string& input = {},
                 const std::string& user = kWorker) const {
    CliRun run = Run(args, input, user);
    INFO(args[0] << ": " << run.err);
    REQUIRE(run.code == kExitOk);
    return run;
  }

  // Writes `text` to a file in the workspace and returns its path.
  std::string Write(const std::string& name, const std::string& text) const {
    std::ofstream(dir_ / name, std::ios::binary) << text;
    return (dir_ / name).string();
  }

  Json ShowJson(std::int64_t id, const std::string& user = kWorker) const {
    CliRun run = Require({"show", std::to_string(id), "--format", "json"}, "", user);
    return Json::parse(run.out);
  }

  // Opens a case the only way cases are opened, by a new contact (Store::AddContact, the
  // step `intake` takes first; the routine question asked, nothing disclosed), as `user`,
  // without the routine question's record, so the lists hold only what a test makes.
  void OpenCase(const std::string& case_ref, const std::string& user = kWorker,
                const std::string& unit = "ifo_vuxen") const {
    auto registry = Registry::LoadDirectory(RepoInstrumentsDir(), nullptr);
    REQUIRE(registry.ok());
    StoreOptions options;
    options.audit_key_file = dir_ / "audit.key";
    options.password_cost = 0;
    auto store = OpenSqliteStore(dir_ / "screening.db", *registry, options);
    REQUIRE(store.ok());
    auto actor = (*store)->Login(user, PasswordOf(user));
    REQUIRE(actor.ok());
    ContactInput contact;
    contact.unit = unit;
    contact.case_ref = case_ref;
    contact.contact_date = "2024-03-01";
    contact.outcome = "not_disclosed";
    auto id = (*store)->AddContact(*actor, contact);
    INFO(id.status().ToString());
    REQUIRE(id.ok());
  }

  // The administrator's audit log as JSON.
  Json AuditJson() const {
    return Json::parse(Require({"audit", "log", "--format", "json"}, "", kAdmin).out);
  }

  Json ListJson(const std::vector<std::string>& extra = {},
                const std::string& user = kWorker) const {
    std::vector<std::string> args = {"list", "--format", "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return Json::parse(Require(args, "", user).out);
  }

 private:
  void AddUser(const std::string& name, Role role, const std::string& unit) {
    std::vector<std::string> args = {
        "user", "add", name, "--role", std::string(RoleId(role)), "--new-password-stdin"};
    if (!unit.empty()) {
      args.push_back("--unit");
      args.push_back(unit);
    }
    // The administrator's password is one-time: the user chooses their own at the first login.
    const std::string one_time = "first-" + PasswordOf(name);
    Require(args, one_time + "\n", kAdmin);
    CliRun first = RunCli({"user", "passwd", "--password-stdin", "--new-password-stdin"},
                          one_time + "\n" + PasswordOf(name) + "\n", Env(name));
    INFO(first.err);
    REQUIRE(first.code == kExitOk);
  }

  fs::path dir_;
};

const char* kDisclosedAnswers = R"({"answers": {"safe_to_ask": "yes", "q1": "yes", "q2": "yes",
  "q3": "no", "q4": "no", "q5": "no", "q6": "no", "q7": "no", "q8": "no",
  "outcome": "disclosed", "violence_types": ["physical", "psychological"],
  "children_in_household": "no"}})";

std::string Typed(std::initializer_list<const char*> lines) {
  std::string text;
  for (const char* line : lines) text += std::string(line) + "\n";
  return text;
}

}  // namespace

// ------------------------------------------------------------------ help

TEST_CASE("every case command has help in Swedish and English", "[cli][case]") {
  CaseWorkspace ws;
  const std::vector<std::vector<std::string>> commands = {
      {"intake"},        {"subject", "add"},  {"grant"}, {"assess"},
      {"draft", "list"}, {"draft", "resume"}, {"show"},  {"list"}};
  for (auto args : commands) {
    INFO(args[0]);
    args.push_back("--help");
    CliRun sv = RunCli(args, {}, ws.Env(kWorker));
    CHECK(sv.code == kExitOk);
    CHECK(Contains(sv.out, "Användning"));
    args.push_back("--lang");
    args.push_back("en");
    CliRun en = RunCli(args, {}, ws.Env(kWorker));
    CHECK(en.code == kExitOk);
    CHECK(Contains(en.out, "Usage"));
    CHECK(!Contains(en.out, "Användning"));
  }
  CliRun group = RunCli({"draft"}, {}, ws.Env(kWorker));
  CHECK(group.code == kExitUsage);
  CHECK(Contains(group.err, "resume"));
}

// ------------------------------------------------------------------ intake, non-interactive

TEST_CASE("intake --answers records the contact and the submitted routine question",
          "[cli][case]") {
  CaseWorkspace ws;
  const std::string file = ws.Write("a.json", kDisclosedAnswers);
  CliRun run = ws.Require({"intake", "--unit", "ifo_vuxen", "--case", "T-1", "--answers", file,
                           "--date", "2024-03-01", "--format", "json"});
  const Json out = Json::parse(run.out);
  CHECK(out["outcome"] == "disclosed");
  CHECK(out["violence_types"] == Json::array({"physical", "psychological"}));
  CHECK(out["result"]["band"] == "disclosed");
  CHECK(!out["follow_up"].empty());
  const Json shown = ws.ShowJson(out["assessment_id"].get<std::int64_t>());
  CHECK(shown["status"] == "submitted");
  CHECK(shown["instrument"]["id"] == "rutinfraga");
  CHECK(shown["contact_id"] == out["contact_id"]);
  CHECK(shown["case"] == "T-1");
  CHECK(shown["answers"]["answers"]["q1"] == "yes");
  CHECK(shown["result"]["band"] == "disclosed");

  // Text output names the next steps, deadlines and the saved ids.
  CliRun text = ws.Require({"intake", "--unit", "ifo_vuxen", "--case", "T-2", "--answers", file});
  CHECK(Contains(text.out, "Sparat: kontakt"));
  CHECK(Contains(text.out, "screening assess --instrument farlighet"));
  CHECK(Contains(text.out, "112"));
}

TEST_CASE("intake --not-asked records the reason, its usage errors exit 2", "[cli][case]") {
  CaseWorkspace ws;
  CliRun run = ws.Require({"intake", "--unit", "ifo_vuxen", "--case", "T-3", "--not-asked", "other",
                           "--note", "tolk saknades", "--children", "unknown", "--format", "json"});
  const Json out = Json::parse(run.out);
  CHECK(out["outcome"] == "not_asked");
  CHECK(out["not_asked_reason"] == "other");
  CHECK(out["result"]["band"] == "not_asked");
  const Json shown = ws.ShowJson(out["assessment_id"].get<std::int64_t>());
  CHECK(shown["answers"]["answers"]["not_asked_reason_note"] == "tolk saknades");

  const std::vector<std::vector<std::string>> usage = {
      {"intake", "--unit", "ifo_vuxen", "--case", "T-4", "--not-asked", "not_alone"},
      {"intake", "--unit", "ifo_vuxen", "--case", "T-4", "--not-asked", "other", "--children",
       "no"},
      {"intake", "--unit", "ifo_vuxen", "--case", "T-4", "--not-asked", "busy", "--children", "no"},
      {"intake", "--unit", "ifo_vuxen", "--case", "T-4", "--not-asked", "not_alone", "--children",
       "no", "--answers", "x.json"},
      {"intake", "--unit", "ifo_vuxen", "--case", "T-4", "--children", "no"},
      {"intake", "--unit", "ifo_vuxen", "--case", "T-4", "--date", "1.3.2024", "--not-asked",
       "not_alone", "--children", "no"},
      {"intake", "--case", "T-4", "--not-asked", "not_alone", "--children", "no"},
  };
  for (const auto& args : usage) {
    CliRun bad = ws.Run(args);
    INFO(bad.err);
    CHECK(bad.code == kExitUsage);
    CHECK(Contains(bad.err, "screening intake"));
  }
  CHECK(ws.ListJson().size() == 1);
}

TEST_CASE("intake with bad or incomplete answers names the field and stores nothing",
          "[cli][case]") {
  CaseWorkspace ws;
  const std::string bad = ws.Write(
      "bad.json",
      R"({"answers": {"safe_to_ask": "yes", "q1": "maybe", "outcome": "not_disclosed", "children_in_household": "no"}})");
  CliRun run = ws.Run({"intake", "--unit", "ifo_vuxen", "--case", "T-5", "--answers", bad});
  CHECK(run.code == kExitFailed);
  CHECK(Contains(run.err, "answers.q1"));
  CHECK(!Contains(run.err, "maybe"));

  const std::string incomplete =
      ws.Write("incomplete.json", R"({"answers": {"safe_to_ask": "yes", "q1": "no"}})");
  CliRun missing =
      ws.Run({"intake", "--unit", "ifo_vuxen", "--case", "T-5", "--answers", incomplete});
  CHECK(missing.code == kExitFailed);
  CHECK(Contains(missing.err, "outcome"));
  CHECK(Contains(missing.err, "inget sparades"));

  CHECK(ws.ListJson().empty());
  CHECK(ws.ListJson({"--status", "discarded"}).empty());
}

TEST_CASE("intake is denied to a coordinator and to a caseworker of another unit", "[cli][case]") {
  CaseWorkspace ws;
  const std::string file = ws.Write("a.json", kDisclosedAnswers);
  for (const char* user : {kCoordinator, kOtherUnit}) {
    INFO(user);
    CliRun run =
        ws.Run({"intake", "--unit", "ifo_vuxen", "--case", "T-6", "--answers", file}, "", user);
    CHECK(run.code == kExitFailed);
    CHECK(Contains(run.err, "nekad"));
    CHECK(!Contains(run.err, "T-6"));
  }
  CHECK(ws.ListJson().empty());
  // A coordinator sees no case lists at all.
  CliRun list = ws.Run({"list"}, "", kCoordinator);
  CHECK(list.code == kExitFailed);
  CHECK(Contains(list.err, "nekad"));
}

// ------------------------------------------------------------------ intake, interactive

TEST_CASE("interactive intake: disclosure, resources, saving and follow-up drafts", "[cli][case]") {
  CaseWorkspace ws;
  const std::string answers = Typed({
      "j",                                       // safe to ask
      "x",                                       // not an answer: asked again
      "j",   "n", "n", "n", "n", "n", "n", "j",  // q1..q8
      "1",                                       // outcome: disclosed
      "1,2",                                     // physical, psychological
      "j",                                       // children in household
      "2",                                       // two children
      "j",                                       // record now
      "3",                                       // farlighet: no
      "2",   "2",                                // child 1: draft, age band 6-12
      "3",                                       // child 2: no
      "n",                                       // not a person who uses violence
  });
  CliRun run = ws.Run({"intake", "--unit", "ifo_vuxen", "--case", "T-7"}, answers);
  INFO(run.out << run.err);
  REQUIRE(run.code == kExitOk);
  CHECK(Contains(run.out, "Kan frågan ställas säkert nu?"));
  CHECK(Contains(run.out, "Svaret passar inte frågan"));
  CHECK(Contains(run.out, "Berättade om våld"));
  CHECK(Contains(run.out, "samma dag, senast nästa dag"));  // the protection deadline
  CHECK(Contains(run.out, "112"));
  CHECK(Contains(run.out, "Sparat: kontakt"));
  CHECK(Contains(run.out, "Starta en bedömning (barn) för barn 2 av 2?"));

  const Json listed = ws.ListJson();
  REQUIRE(listed.size() == 2);
  int submitted = 0, drafts = 0;
  for (const auto& a : listed) {
    if (a["instrument"] == "rutinfraga" && a["status"] == "submitted") ++submitted;
    if (a["instrument"] == "barn" && a["status"] == "draft") ++drafts;
  }
  CHECK(submitted == 1);
  CHECK(drafts == 1);
  // Nothing was saved before the contact: no autosaved draft to discard.
  CHECK(ws.ListJson({"--status", "discarded"}).empty());
  for (const auto& a : listed) {
    const Json shown = ws.ShowJson(a["id"].get<std::int64_t>());
    CHECK(shown["contact_id"].is_number());
    if (a["instrument"] == "rutinfraga") {
      CHECK(shown["answers"]["answers"]["violence_types"] ==
            Json::array({"physical", "psychological"}));
      CHECK(shown["answers"]["answers"]["children_count"] == 2);
    } else {
      CHECK(shown["subject_id"].is_number());
    }
  }
}

TEST_CASE("interactive intake: not asked, with the reason's required description", "[cli][case]") {
  CaseWorkspace ws;
  const std::string answers = Typed({
      "n",                 // not safe to ask
      "6",                 // other reason
      "",                  // the description is required...
      "ingen tolk fanns",  // ... given
      "",                  // children in household: required
      "n",
      "j",  // record now
  });
  CliRun run = ws.Run({"--lang", "en", "intake", "--unit", "ifo_vuxen", "--case", "T-8"}, answers);
  INFO(run.out << run.err);
  REQUIRE(run.code == kExitOk);
  CHECK(Contains(run.out, "This choice needs a description."));
  CHECK(Contains(run.out, "The question must be answered"));
  CHECK(Contains(run.out, "The question was not asked"));
  CHECK(!Contains(run.out, "Are you afraid"));  // q1 does not apply
  CHECK(!Contains(run.out, "farlighet"));       // no follow-ups without asking
  const Json listed = ws.ListJson();
  REQUIRE(listed.size() == 1);
  const Json shown = ws.ShowJson(listed[0]["id"].get<std::int64_t>());
  CHECK(shown["answers"]["answers"]["not_asked_reason"] == "other");
  CHECK(shown["answers"]["answers"]["not_asked_reason_note"] == "ingen tolk fanns");
  CHECK(shown["result"]["band"] == "not_asked");
}

TEST_CASE("intake: the end of input before the contact is recorded saves nothing", "[cli][case]") {
  CaseWorkspace ws;
  CliRun stopped =
      ws.Run({"intake", "--unit", "ifo_vuxen", "--case", "T-9"}, Typed({"j", "n", "<", "j", "n"}));
  INFO(stopped.out << stopped.err);
  CHECK(stopped.code == kExitFailed);
  CHECK(Contains(stopped.out, "Svaren sparas när kontakten registreras"));
  CHECK(Contains(stopped.err, "Avbrutet innan kontakten registrerades; inget sparades."));
  CHECK(Contains(stopped.out, "Nu: nej"));  // `<` went back to q1 and showed its answer
  CHECK(ws.ListJson().empty());
  CHECK(Json::parse(ws.Require({"draft", "list", "--format", "json"}).out).empty());
  // Not even the case: an assessment there is refused as in a case without an intake.
  CliRun assess = ws.Run({"assess", "--instrument", "lap", "--case", "T-9", "--unit", "ifo_vuxen"});
  CHECK(assess.code == kExitFailed);
  CHECK(Contains(assess.err, "ärendet har ingen registrerad kontakt än"));
}

TEST_CASE("a routine-question draft in a case with an intake resumes and finishes as an intake",
          "[cli][case]") {
  CaseWorkspace ws;
  ws.OpenCase("T-9");
  CliRun stopped =
      ws.Run({"assess", "--instrument", "rutinfraga", "--unit", "ifo_vuxen", "--case", "T-9"},
             Typed({"j", "n", "<", "j", "n"}));
  INFO(stopped.out << stopped.err);
  CHECK(stopped.code == kExitFailed);
  CHECK(Contains(stopped.err, "är sparat med alla svar hittills"));
  CHECK(Contains(stopped.err, "screening draft resume"));
  CHECK(Contains(stopped.out, "Nu: nej"));  // `<` went back to q1 and showed its answer

  // The draft is listed and holds what was answered (q1 changed to yes).
  CliRun drafts = ws.Require({"draft", "list", "--format", "json"});
  const Json list = Json::parse(drafts.out);
  REQUIRE(list.size() == 1);
  const std::int64_t id = list[0]["id"].get<std::int64_t>();
  CHECK(list[0]["instrument"] == "rutinfraga");
  Json shown = ws.ShowJson(id);
  CHECK(shown["status"] == "draft");
  CHECK(shown["contact_id"].is_null());
  CHECK(shown["answers"]["answers"]["q1"] == "yes");
  CHECK(shown["answers"]["answers"]["q2"] == "no");
  CHECK(shown["result"].is_null());

  // Resuming starts at q3 and finishes as an intake.
  const std::string rest = Typed({"n", "n", "n", "n", "n", "n",  // q3..q8
                                  "2",                           // not disclosed
                                  "n",                           // no children
                                  "j",                           // record now
                                  "n"});                         // not a person using violence
  CliRun resumed = ws.Run({"draft", "resume", std::to_string(id)}, rest);
  INFO(resumed.out << resumed.err);
  REQUIRE(resumed.code == kExitOk);
  CHECK(!Contains(resumed.out, "Är du rädd för någon"));  // q1 was answered
  CHECK(Contains(resumed.out, "Sparat: kontakt"));
  const Json after = ws.ListJson();
  REQUIRE(after.size() == 1);
  shown = ws.ShowJson(after[0]["id"].get<std::int64_t>());
  CHECK(shown["status"] == "submitted");
  CHECK(shown["contact_id"].is_number());
  CHECK(shown["answers"]["answers"]["q1"] == "yes");
  CHECK(shown["result"]["band"] == "not_disclosed");
  CHECK(Json::parse(ws.Require({"draft", "list", "--format", "json"}).out).empty());

  // A submitted assessment cannot be resumed.
  CliRun again = ws.Run({"draft", "resume", std::to_string(after[0]["id"].get<std::int64_t>())});
  CHECK(again.code == kExitFailed);
  CHECK(Contains(again.err, "är inget utkast"));
}

TEST_CASE("intake stopped before any answer saves nothing", "[cli][case]") {
  CaseWorkspace ws;
  CliRun run = ws.Run({"intake", "--unit", "ifo_vuxen", "--case", "T-10"}, "");
  CHECK(run.code == kExitFailed);
  CHECK(Contains(run.err, "inget sparades"));
  CHECK(ws.ListJson().empty());
}

TEST_CASE("intake refuses a reference that looks like a personal identity number at once",
          "[cli][case]") {
  CaseWorkspace ws;
  CliRun run = ws.Run({"intake", "--unit", "ifo_vuxen", "--case", "19800101-1234"}, Typed({"j"}));
  CHECK(run.code == kExitFailed);
  CHECK(Contains(run.err, "inget sparades"));
  CHECK(!Contains(run.err, "19800101"));
  CHECK(!Contains(run.out, "Kan frågan ställas säkert nu?"));  // nothing was asked
}

// ------------------------------------------------------------------ assess

TEST_CASE("assess interactively: conditions, a repeat group, judgement and estimate",
          "[cli][case]") {
  CaseWorkspace ws;
  ws.OpenCase("T-11");
  CliRun subject = ws.Require({"subject", "add", "--case", "T-11", "--unit", "ifo_vuxen", "--role",
                               "adult_victim", "--age-band", "25-44", "--format", "json"});
  const std::int64_t subject_id = Json::parse(subject.out)["subject_id"].get<std::int64_t>();
  std::string answers = Typed({"j", "n", "n",  // q1, q2, q3 = no: q3a applies
                               "j",            // q3a
                               "n", "n"});     // q4, q5 = no: q5a does not apply
  for (int q = 6; q <= 20; ++q) answers += "n\n";
  answers += Typed({"n",                 // children in household
                    "j",                 // add an incident
                    "2024-13-01",        // not a date: asked again
                    "2024-01-05", "3",   // date, severity
                    "n",                 // no more
                    "3", "Motivering.",  // judgement: high, rationale
                    "1"});               // the person's own estimate: low
  CliRun run = ws.Run({"assess", "--instrument", "farlighet", "--case", "T-11", "--unit",
                       "ifo_vuxen", "--subject", std::to_string(subject_id), "--submit"},
                      answers);
  INFO(run.out << run.err);
  REQUIRE(run.code == kExitOk);
  CHECK(Contains(run.out, "är skickad för granskning"));
  CHECK(Contains(run.out, "Svaret passar inte frågan"));
  const Json listed = ws.ListJson();
  REQUIRE(listed.size() == 1);
  const Json shown = ws.ShowJson(listed[0]["id"].get<std::int64_t>());
  CHECK(shown["status"] == "submitted");
  CHECK(shown["subject_id"] == subject_id);
  const Json& given = shown["answers"]["answers"];
  CHECK(given["q3a"] == "yes");
  CHECK(!given.contains("q5a"));
  REQUIRE(given["calendar"].size() == 1);
  CHECK(given["calendar"][0]["date"] == "2024-01-05");
  CHECK(given["calendar"][0]["severity"] == 3);
  CHECK(shown["answers"]["judgements"]["assessor"]["level"] == "high");
  CHECK(shown["answers"]["client_estimate"]["level"] == "low");
  CHECK(shown["result"]["final_level"] == "high");
  // q3a's letters are shown with the item's own words, so "j" is never read as "yes, we
  // have lived together".
  CHECK(Contains(run.out,
                 "j = Ja, vi har aldrig bott tillsammans, n = Nej, vi har bott "
                 "tillsammans"));
}

TEST_CASE("assess interactively: skydd's judgement is offered as protection, not as risk",
          "[cli][case]") {
  CaseWorkspace ws;
  ws.OpenCase("T-12");
  std::string answers = Typed({"n"});                // has_children: q7 does not apply
  for (int q = 1; q <= 8; ++q) answers += "\n";      // q1..q9 skipped (not required)
  answers += Typed({"3", "Syntetisk motivering."});  // judgement: the third level
  CliRun run = ws.Run(
      {"assess", "--instrument", "skydd", "--case", "T-12", "--unit", "ifo_vuxen", "--submit"},
      answers);
  INFO(run.out << run.err);
  REQUIRE(run.code == kExitOk);
  CHECK(Contains(run.out, "1) Svagt skydd"));
  CHECK(Contains(run.out, "3) Starkt skydd"));
  CHECK_FALSE(Contains(run.out, "3) hög"));
  const Json listed = ws.ListJson();
  REQUIRE(listed.size() == 1);
  const Json shown = ws.ShowJson(listed[0]["id"].get<std::int64_t>());
  CHECK(shown["answers"]["judgements"]["protection"]["level"] == "high");
}

TEST_CASE("assess --answers: draft or submitted, bad answers store nothing", "[cli][case]") {
  CaseWorkspace ws;
  ws.OpenCase("T-12");
  std::string all_no = R"({"answers": {)";
  for (int q = 1; q <= 11; ++q)
    all_no += (q > 1 ? ", " : "") + ("\"q" + std::to_string(q)) + "\": \"no\"";
  all_no += "}}";
  const std::string good = ws.Write("lap.json", all_no);
  CliRun draft = ws.Require({"assess", "--instrument", "lap", "--case", "T-12", "--unit",
                             "ifo_vuxen", "--answers", good, "--format", "json"});
  CHECK(Json::parse(draft.out)["status"] == "draft");
  CliRun submitted = ws.Require({"--lang", "en", "assess", "--instrument", "lap", "--case", "T-12",
                                 "--unit", "ifo_vuxen", "--answers", good, "--submit"});
  CHECK(Contains(submitted.out, "is submitted for review"));
  CHECK(ws.ListJson({"--status", "submitted"}).size() == 1);
  CHECK(ws.ListJson({"--status", "draft"}).size() == 1);

  const std::string bad = ws.Write("bad.json", R"({"answers": {"q99": "yes"}})");
  CliRun refused = ws.Run(
      {"assess", "--instrument", "lap", "--case", "T-12", "--unit", "ifo_vuxen", "--answers", bad});
  CHECK(refused.code == kExitFailed);
  CHECK(Contains(refused.err, "answers.q99"));
  CHECK(Contains(refused.err, "inget sparades"));
  // farlighet needs a judgement before it can be submitted: nothing is stored.
  const std::string partial =
      ws.Write("f.json", R"({"answers": {"q1": "yes", "children_in_household": "no"}})");
  CliRun incomplete = ws.Run({"assess", "--instrument", "farlighet", "--case", "T-12", "--unit",
                              "ifo_vuxen", "--answers", partial, "--submit"});
  CHECK(incomplete.code == kExitFailed);
  CHECK(Contains(incomplete.err, "assessor"));
  CHECK(ws.ListJson().size() == 2);

  CliRun unknown = ws.Run({"assess", "--instrument", "nosuch", "--case", "T-12", "--unit",
                           "ifo_vuxen", "--answers", good});
  CHECK(unknown.code == kExitFailed);
  CHECK(Contains(unknown.err, "okänt instrument"));
  CHECK(ws.Run({"assess", "--case", "T-12", "--unit", "ifo_vuxen"}).code == kExitUsage);
  CHECK(ws.Run({"assess", "--instrument", "lap", "--case", "T-12", "--unit", "ifo_vuxen",
                "--subject", "abc"})
            .code == kExitUsage);
  CliRun denied = ws.Run(
      {"assess", "--instrument", "lap", "--case", "T-12", "--unit", "ifo_vuxen", "--answers", good},
      "", kOtherUnit);
  CHECK(denied.code == kExitFailed);
  CHECK(Contains(denied.err, "nekad"));
}

// ------------------------------------------------------------------ subjects and grants

TEST_CASE("subject add and grant: protected cases are hidden until granted", "[cli][case]") {
  CaseWorkspace ws;
  // The intake opens the case; the protected person is added to it.
  const std::string file = ws.Write("a.json", kDisclosedAnswers);
  ws.Require({"intake", "--unit", "ifo_vuxen", "--case", "S-1", "--answers", file});
  CliRun added = ws.Require({"subject", "add", "--case", "S-1", "--unit", "ifo_vuxen", "--role",
                             "adult_victim", "--protected", "--group", "older"});
  CHECK(Contains(added.out, "registrerad i ärendet"));
  // The colleague in the same unit does not see the protected case...
  CHECK(ws.ListJson({}, kWorker).size() == 1);
  CHECK(ws.ListJson({}, kColleague).empty());
  const std::int64_t id = ws.ListJson({}, kWorker)[0]["id"].get<std::int64_t>();
  CliRun hidden = ws.Run({"show", std::to_string(id)}, "", kColleague);
  CHECK(hidden.code == kExitFailed);
  CHECK(!Contains(hidden.err, "S-1"));
  // ... a caseworker may not grant access ...
  CliRun not_allowed = ws.Run({"grant", "--case", "S-1", "--unit", "ifo_vuxen", "--user",
                               kColleague, "--reason", "vikarie"});
  CHECK(not_allowed.code == kExitFailed);
  CHECK(Contains(not_allowed.err, "nekad"));
  // ... the supervisor may, with a reason.
  CHECK(ws.Run({"grant", "--case", "S-1", "--unit", "ifo_vuxen", "--user", kColleague, "--reason",
                " "},
               "", kSupervisor)
            .code == kExitUsage);
  CHECK(ws.Run({"grant", "--case", "S-1", "--unit", "ifo_vuxen", "--user", kColleague}, "",
               kSupervisor)
            .code == kExitUsage);
  CliRun granted = ws.Require({"grant", "--case", "S-1", "--unit", "ifo_vuxen", "--user",
                               kColleague, "--reason", "vikarie"},
                              "", kSupervisor);
  CHECK(Contains(granted.out, kColleague));
  CHECK(ws.ListJson({}, kColleague).size() == 1);
  CHECK(ws.ShowJson(id, kColleague)["case"] == "S-1");
}

TEST_CASE("subject add: usage errors and refusals", "[cli][case]") {
  CaseWorkspace ws;
  CHECK(
      ws.Run({"subject", "add", "--case", "S-2", "--unit", "ifo_vuxen", "--role", "victim"}).code ==
      kExitUsage);
  CHECK(ws.Run({"subject", "add", "--case", "S-2", "--unit", "ifo_vuxen", "--role", "child",
                "--age-band", "5-9"})
            .code == kExitUsage);
  CHECK(ws.Run({"subject", "add", "--unit", "ifo_vuxen", "--role", "child"}).code == kExitUsage);
  CliRun coordinator =
      ws.Run({"subject", "add", "--case", "S-2", "--unit", "ifo_vuxen", "--role", "child"}, "",
             kCoordinator);
  CHECK(coordinator.code == kExitFailed);
  CHECK(Contains(coordinator.err, "nekad"));
  CliRun pin = ws.Run(
      {"subject", "add", "--case", "19800101-1234", "--unit", "ifo_vuxen", "--role", "child"});
  CHECK(pin.code == kExitFailed);
  CHECK(!Contains(pin.err, "19800101"));
  ws.OpenCase("S-2");
  CliRun json =
      ws.Require({"--lang", "en", "subject", "add", "--case", "S-2", "--unit", "ifo_vuxen",
                  "--role", "child", "--age-band", "0-5", "--format", "json"});
  CHECK(Json::parse(json.out)["subject_id"].is_number());
}

// Issue 15: `assess` and `subject add` opened a case for a reference never seen and were
// refused for a protected one, so walking case numbers listed the protected cases.
TEST_CASE(
    "assess and subject add answer alike for a protected case and a reference never seen, one "
    "audited refusal each",
    "[cli][case][protected]") {
  CaseWorkspace ws;
  ws.Require({"intake", "--unit", "ifo_vuxen", "--case", "S-P", "--not-asked", "acute_crisis",
              "--children", "no"});
  ws.Require({"subject", "add", "--case", "S-P", "--unit", "ifo_vuxen", "--role", "adult_victim",
              "--protected"});
  std::string all_no = R"({"answers": {)";
  for (int q = 1; q <= 11; ++q)
    all_no += (q > 1 ? ", " : "") + ("\"q" + std::to_string(q)) + "\": \"no\"";
  const std::string good = ws.Write("lap.json", all_no + "}}");
  const std::size_t listed = ws.ListJson().size();
  // The events of a run other than its login.
  auto events_of = [&](const std::function<CliRun()>& run, CliRun* out) {
    const std::size_t before = ws.AuditJson().size();
    *out = run();
    std::vector<Json> events;
    const Json after = ws.AuditJson();
    for (std::size_t i = before; i < after.size(); ++i) {
      if (after[i]["action"] != "login" && after[i]["user"] != kAdmin) events.push_back(after[i]);
    }
    return events;
  };
  struct Attempt {
    std::string action;
    std::function<std::vector<std::string>(const std::string& ref)> args;
    std::string input;
  };
  const std::vector<Attempt> attempts = {
      {"denied:subjects",
       [&](const std::string& ref) {
         return std::vector<std::string>{"assess", "--instrument", "lap",       "--case", ref,
                                         "--unit", "ifo_vuxen",    "--answers", good};
       },
       ""},
      // Interactive: refused before the first question.
      {"denied:subjects",
       [&](const std::string& ref) {
         return std::vector<std::string>{"assess", "--instrument", "lap",      "--case",
                                         ref,      "--unit",       "ifo_vuxen"};
       },
       "n\n"},
      {"denied:add_subject",
       [&](const std::string& ref) {
         return std::vector<std::string>{"subject", "add",       "--case", ref,
                                         "--unit",  "ifo_vuxen", "--role", "child"};
       },
       ""},
  };
  for (const Attempt& attempt : attempts) {
    INFO(attempt.args("REF")[0] << " " << attempt.input.size());
    CliRun hidden, missing;
    const auto hidden_events =
        events_of([&] { return ws.Run(attempt.args("S-P"), attempt.input, kColleague); }, &hidden);
    const auto missing_events = events_of(
        [&] { return ws.Run(attempt.args("S-NEVER"), attempt.input, kColleague); }, &missing);
    INFO(hidden.err << missing.err);
    CHECK(hidden.code == kExitFailed);
    CHECK(missing.code == kExitFailed);
    CHECK(hidden.out == missing.out);
    CHECK(hidden.err == missing.err);
    CHECK(Contains(hidden.err, "ärendet har ingen registrerad kontakt än"));
    CHECK(Contains(hidden.err, "screening intake"));
    CHECK(!Contains(hidden.err, "S-P"));
    CHECK(!Contains(hidden.out, "S-P"));  // no walk began (its heading names the case)
    REQUIRE(hidden_events.size() == 1);
    REQUIRE(missing_events.size() == 1);
    CHECK(hidden_events[0]["action"] == attempt.action);
    CHECK(missing_events[0]["action"] == attempt.action);
  }
  // Nothing stored: the worker's cases are as they were, the colleague sees nothing.
  CHECK(ws.ListJson().size() == listed);
  CHECK(ws.ListJson({}, kColleague).empty());
  // The reference never seen is still no case, for anyone.
  CHECK(Contains(ws.Run({"assess", "--instrument", "lap", "--case", "S-NEVER", "--unit",
                         "ifo_vuxen", "--answers", good})
                     .err,
                 "ärendet har ingen registrerad kontakt än"));
  // English.
  CliRun english = ws.Run({"--lang", "en", "assess", "--instrument", "lap", "--case", "S-NEVER",
                           "--unit", "ifo_vuxen", "--answers", good});
  CHECK(english.code == kExitFailed);
  CHECK(Contains(english.err, "the case has no intake yet"));

  // An intake on the protected case is refused as a whole: the contact is not kept either.
  CliRun intake = ws.Run({"intake", "--unit", "ifo_vuxen", "--case", "S-P", "--not-asked",
                          "acute_crisis", "--children", "no"},
                         "", kColleague);
  CHECK(intake.code == kExitFailed);
  CHECK(Contains(intake.err, "inget sparades"));
  CHECK(ws.ListJson().size() == listed);

  // The one who registered the protected person, and a colleague granted the case, may add.
  ws.Require({"subject", "add", "--case", "S-P", "--unit", "ifo_vuxen", "--role", "child"});
  ws.Require(
      {"assess", "--instrument", "lap", "--case", "S-P", "--unit", "ifo_vuxen", "--answers", good});
  ws.Require({"grant", "--case", "S-P", "--unit", "ifo_vuxen", "--user", kColleague, "--reason",
              "vikarie"},
             "", kSupervisor);
  ws.Require({"subject", "add", "--case", "S-P", "--unit", "ifo_vuxen", "--role", "perpetrator"},
             "", kColleague);
  ws.Require(
      {"assess", "--instrument", "lap", "--case", "S-P", "--unit", "ifo_vuxen", "--answers", good},
      "", kColleague);
  CHECK(ws.ListJson({}, kColleague).size() == listed + 2);
}

// ------------------------------------------------------------------ show and list

TEST_CASE("show and list: text and JSON, filters, unknown ids and other units", "[cli][case]") {
  CaseWorkspace ws;
  const std::string file = ws.Write("a.json", kDisclosedAnswers);
  ws.Require({"intake", "--unit", "ifo_vuxen", "--case", "L-1", "--answers", file});
  ws.Require({"intake", "--unit", "ifo_vuxen", "--case", "L-2", "--not-asked", "acute_crisis",
              "--children", "no"});
  CHECK(ws.ListJson().size() == 2);
  CHECK(ws.ListJson({"--case", "L-2"}).size() == 1);
  CHECK(ws.ListJson({"--status", "approved"}).empty());
  CHECK(ws.ListJson({"--limit", "1"}).size() == 1);
  CliRun table = ws.Require({"list"});
  CHECK(Contains(table.out, "ÄRENDE"));
  CHECK(Contains(table.out, "L-1"));
  CHECK(Contains(table.out, "skickad"));
  CHECK(ws.Run({"list", "--status", "finished"}).code == kExitUsage);
  CHECK(ws.Run({"list", "--unit", "ifo_barn"}).code == kExitFailed);

  const std::int64_t id = ws.ListJson({"--case", "L-1"})[0]["id"].get<std::int64_t>();
  CliRun text = ws.Require({"show", std::to_string(id)});
  CHECK(Contains(text.out, "Bedömning " + std::to_string(id)));
  CHECK(Contains(text.out, "Är du rädd för någon som står dig nära?"));
  CHECK((Contains(text.out, "Förklaring") || Contains(text.out, "förklaring")));
  CHECK(Contains(text.out, "Versioner:"));
  CHECK(Contains(text.out, "Granskningar: inga"));
  const Json shown = ws.ShowJson(id);
  REQUIRE(shown["history"].size() == 1);
  CHECK(shown["history"][0]["id"] == id);
  CHECK(shown["reviews"].empty());
  CHECK(!shown["result"]["explanation"].empty());

  CHECK(ws.Run({"show"}).code == kExitUsage);
  CHECK(ws.Run({"show", "abc"}).code == kExitUsage);
  CHECK(ws.Run({"show", std::to_string(id), "--format", "xml"}).code == kExitUsage);
  CliRun missing = ws.Run({"show", "999999"});
  CHECK(missing.code == kExitFailed);
  CHECK(Contains(missing.err, "bedömning 999999"));
  CliRun other = ws.Run({"show", std::to_string(id)}, "", kOtherUnit);
  CHECK(other.code == kExitFailed);
  CHECK(!Contains(other.err, "L-1"));
  CHECK(ws.Run({"show", std::to_string(id)}, "", kCoordinator).code == kExitFailed);
}

}  // namespace screening::cli::test
