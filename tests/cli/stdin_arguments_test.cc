// Case references and free text from standard input (`--case-stdin`, `--comment-stdin`,
// `--reason-stdin`, `--note-stdin`) instead of the command line, where every local user can
// read them (docs/cli.md, "What other users of the machine can see"). In-process against a
// demo database; every reference and text is synthetic.
#include <fstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "commands/stdin_arguments.h"
#include "followup_fixture.h"

namespace screening::cli::test {
namespace {

constexpr DemoAccount kColleague{"test.colleague", Role::kCaseworker, "colleague-pass-1"};

std::vector<ReviewEntry> ReviewsOf(FollowUpWorkspace& ws, std::int64_t id) {
  auto reviews = ws.store().Reviews(ws.Login(kDemoSupervisor), id);
  REQUIRE(reviews.ok());
  return *reviews;
}

AssessmentRecord RecordOf(FollowUpWorkspace& ws, const DemoAccount& account, std::int64_t id) {
  auto record = ws.store().Get(ws.Login(account), id);
  REQUIRE(record.ok());
  return *record;
}

std::size_t SubjectsIn(FollowUpWorkspace& ws, const std::string& case_ref) {
  auto subjects = ws.store().Subjects(ws.Login(kDemoCaseworker), "ifo_vuxen", case_ref);
  return subjects.ok() ? subjects->size() : 0;
}

std::size_t AssessmentCount(FollowUpWorkspace& ws) {
  auto list = ws.store().List(ws.Login(kDemoCaseworker), ListFilter{});
  REQUIRE(list.ok());
  return list->size();
}

}  // namespace

TEST_CASE(
    "review return, approve and level take their text from standard input after the "
    "password line",
    "[cli][stdin]") {
  FollowUpWorkspace ws;
  ws.InitDemo();
  const std::int64_t returned = ws.SubmittedFarlighet("T-IN-1");
  const std::int64_t approved = ws.SubmittedFarlighet("T-IN-2");
  ws.CloseStore();

  // Several lines are kept; the closing line end (here "\r\n") is not.
  CliRun back =
      ws.As(kDemoSupervisor, {"review", "return", std::to_string(returned), "--comment-stdin"},
            "add the calendar\nand the children's ages\r\n");
  INFO(back.err);
  REQUIRE(back.code == kExitOk);
  auto reviews = ReviewsOf(ws, returned);
  REQUIRE(reviews.size() == 1);
  CHECK(reviews[0].decision == "returned");
  CHECK(reviews[0].comment == "add the calendar\nand the children's ages");
  ws.CloseStore();

  CliRun level =
      ws.As(kDemoSupervisor,
            {"review", "level", std::to_string(approved), "--level", "high", "--reason-stdin"},
            "threats grew worse since the last contact\n");
  INFO(level.err);
  REQUIRE(level.code == kExitOk);
  CliRun approve =
      ws.As(kDemoSupervisor, {"review", "approve", std::to_string(approved), "--comment-stdin"},
            "agreed");
  INFO(approve.err);
  REQUIRE(approve.code == kExitOk);
  reviews = ReviewsOf(ws, approved);
  REQUIRE(reviews.size() == 2);
  CHECK(reviews[0].decision == "level_changed");
  CHECK(reviews[0].comment == "threats grew worse since the last contact");
  CHECK(reviews[1].decision == "approved");
  CHECK(reviews[1].comment == "agreed");
}

TEST_CASE("amend takes its reason from standard input, not together with answers from it",
          "[cli][stdin]") {
  FollowUpWorkspace ws;
  ws.InitDemo();
  const std::int64_t id = ws.SubmittedFarlighet("T-IN-3");
  REQUIRE(ws.store().Approve(ws.Login(kDemoSupervisor), id, "").ok());
  ws.CloseStore();
  const std::filesystem::path answers = ws.dir() / "corrected.json";
  std::ofstream(answers) << FarlighetAnswers("high");

  CliRun both =
      ws.As(kDemoCaseworker, {"amend", std::to_string(id), "--reason-stdin", "--answers", "-"},
            "the wrong person was recorded\n" + FarlighetAnswers("high"));
  CHECK(both.code == kExitUsage);
  CHECK(Has(both.err, "--reason-stdin"));
  CHECK(Has(both.err, "--answers -"));

  CliRun amended = ws.As(kDemoCaseworker,
                         {"amend", std::to_string(id), "--reason-stdin", "--answers",
                          answers.string(), "--lang", "en"},
                         "the wrong person was recorded\n");
  INFO(amended.err);
  REQUIRE(amended.code == kExitOk);
  auto history = ws.store().History(ws.Login(kDemoCaseworker), id);
  REQUIRE(history.ok());
  REQUIRE(history->size() == 2);
  CHECK(history->back().amend_reason == "the wrong person was recorded");
}

TEST_CASE(
    "a case reference from standard input comes after the password line and before the "
    "text",
    "[cli][stdin]") {
  FollowUpWorkspace ws;
  ws.InitDemo();
  ws.AddUser(kColleague.name, Role::kCaseworker, "ifo_vuxen", kColleague.password);
  ws.Intake("T-HIDDEN-1");
  ws.CloseStore();

  // A protected person added to a case named only on standard input ("\r\n" ends the line).
  CliRun added = ws.As(kDemoCaseworker,
                       {"subject", "add", "--unit", "ifo_vuxen", "--role", "adult_victim",
                        "--protected", "--case-stdin"},
                       "T-HIDDEN-1\r\n");
  INFO(added.err);
  REQUIRE(added.code == kExitOk);
  CHECK(SubjectsIn(ws, "T-HIDDEN-1") == 1);
  ws.CloseStore();

  // Password, case line, then the reason to the end of input.
  CliRun granted = ws.As(
      kDemoSupervisor,
      {"grant", "--unit", "ifo_vuxen", "--user", kColleague.name, "--case-stdin", "--reason-stdin"},
      "T-HIDDEN-1\ncovers for the caseworker\nduring the holidays\n");
  INFO(granted.err);
  REQUIRE(granted.code == kExitOk);

  // The colleague now sees the case; the assessment is made in the case read from stdin,
  // with the answers following the case line.
  CliRun assessed = ws.As(kColleague,
                          {"assess", "--instrument", "farlighet", "--unit", "ifo_vuxen",
                           "--case-stdin", "--answers", "-", "--format", "json"},
                          "T-HIDDEN-1\n" + FarlighetAnswers("medium") + "\n");
  INFO(assessed.err);
  REQUIRE(assessed.code == kExitOk);
  const std::int64_t id = nlohmann::json::parse(assessed.out).at("id").get<std::int64_t>();
  CHECK(RecordOf(ws, kColleague, id).case_ref == "T-HIDDEN-1");
  ws.CloseStore();

  CliRun listed =
      ws.As(kColleague, {"list", "--unit", "ifo_vuxen", "--case-stdin", "--format", "json"},
            "T-HIDDEN-1\n");
  INFO(listed.err);
  REQUIRE(listed.code == kExitOk);
  const auto list = nlohmann::json::parse(listed.out);
  REQUIRE(list.size() == 1);
  CHECK(list[0]["id"] == id);
  CliRun drafts =
      ws.As(kColleague, {"draft", "list", "--case-stdin", "--format", "json"}, "T-HIDDEN-1\n");
  REQUIRE(drafts.code == kExitOk);
  CHECK(nlohmann::json::parse(drafts.out).size() == 1);
  CliRun other =
      ws.As(kColleague, {"draft", "list", "--case-stdin", "--format", "json"}, "T-OTHER-CASE\n");
  REQUIRE(other.code == kExitOk);
  CHECK(nlohmann::json::parse(other.out).empty());

  // The administrator reads the case's events, the case named on standard input: the
  // grant's reason is what came after the case line, whole.
  CliRun log = ws.AsAdmin(
      {"audit", "log", "--unit", "ifo_vuxen", "--case-stdin", "--format", "json"}, "T-HIDDEN-1\n");
  INFO(log.err);
  REQUIRE(log.code == kExitOk);
  bool grant_seen = false;
  for (const auto& event : nlohmann::json::parse(log.out)) {
    if (event.at("action") == "grant") {
      grant_seen = true;
      CHECK(event.at("reason") == "covers for the caseworker\nduring the holidays");
    }
  }
  CHECK(grant_seen);
  // --case-stdin, like --case, needs --unit here.
  CHECK(ws.Plain({"audit", "log", "--case-stdin"}).code == kExitUsage);
  CHECK(ws.Plain({"export", "--case-stdin"}).code == kExitUsage);
}

TEST_CASE("intake reads the case line and then the note from standard input", "[cli][stdin]") {
  FollowUpWorkspace ws;
  ws.InitDemo();
  CliRun intake = ws.As(kDemoCaseworker,
                        {"intake", "--unit", "ifo_vuxen", "--case-stdin", "--not-asked", "other",
                         "--children", "no", "--note-stdin", "--format", "json"},
                        "T-IN-5\nthe room was shared with a relative\n");
  INFO(intake.err);
  REQUIRE(intake.code == kExitOk);
  const std::int64_t id = nlohmann::json::parse(intake.out).at("assessment_id").get<std::int64_t>();
  CHECK(RecordOf(ws, kDemoCaseworker, id).case_ref == "T-IN-5");
  ws.CloseStore();
  CliRun shown = ws.As(kDemoCaseworker, {"show", std::to_string(id), "--format", "json"});
  REQUIRE(shown.code == kExitOk);
  const auto doc = nlohmann::json::parse(shown.out);
  CHECK(doc.at("answers").at("answers").at("not_asked_reason_note") ==
        "the room was shared with a relative");

  // The note goes with --not-asked other only, from either place.
  CliRun stray = ws.Plain({"intake", "--unit", "ifo_vuxen", "--case", "T-IN-6", "--not-asked",
                           "not_alone", "--children", "no", "--note-stdin"});
  CHECK(stray.code == kExitUsage);
  CliRun missing = ws.Plain({"intake", "--unit", "ifo_vuxen", "--case", "T-IN-6", "--not-asked",
                             "other", "--children", "no"});
  CHECK(missing.code == kExitUsage);
  CHECK(Has(missing.err, "--note-stdin"));
}

TEST_CASE("an option and its -stdin twin exclude each other", "[cli][stdin]") {
  FollowUpWorkspace ws;
  ws.InitDemo();
  const std::vector<std::vector<std::string>> commands = {
      {"review", "return", "1", "--comment", "x", "--comment-stdin"},
      {"review", "approve", "1", "--comment", "x", "--comment-stdin"},
      {"review", "level", "1", "--level", "high", "--reason", "x", "--reason-stdin"},
      {"amend", "1", "--answers", "a.json", "--reason", "x", "--reason-stdin"},
      {"grant", "--unit", "ifo_vuxen", "--user", "u", "--case", "C-1", "--case-stdin", "--reason",
       "x"},
      {"grant", "--unit", "ifo_vuxen", "--user", "u", "--case", "C-1", "--reason", "x",
       "--reason-stdin"},
      {"intake", "--unit", "ifo_vuxen", "--case", "C-1", "--not-asked", "other", "--children", "no",
       "--note", "x", "--note-stdin"},
      {"subject", "add", "--unit", "ifo_vuxen", "--role", "child", "--case", "C-1", "--case-stdin"},
      {"assess", "--instrument", "farlighet", "--unit", "ifo_vuxen", "--case", "C-1",
       "--case-stdin"},
      {"info-given", "--unit", "ifo_vuxen", "--resources", "x", "--case", "C-1", "--case-stdin"},
      {"list", "--case", "C-1", "--case-stdin"},
      {"draft", "list", "--case", "C-1", "--case-stdin"},
      {"export", "--unit", "ifo_vuxen", "--case", "C-1", "--case-stdin"},
      {"audit", "log", "--unit", "ifo_vuxen", "--case", "C-1", "--case-stdin"},
  };
  for (const auto& args : commands) {
    CliRun run = ws.As(kDemoCaseworker, args, "C-2\nsome text\n");
    INFO(args[0] << " " << args[1] << ": " << run.err);
    CHECK(run.code == kExitUsage);
    CHECK(Has(run.err, "-stdin, inte båda"));
  }
  // Nothing was recorded by any of them.
  CHECK(AssessmentCount(ws) == 0);
  CHECK(SubjectsIn(ws, "C-1") == 0);
  CHECK(SubjectsIn(ws, "C-2") == 0);
}

TEST_CASE("a required text or case reference is asked for at a terminal, else a usage error",
          "[cli][stdin]") {
  FollowUpWorkspace ws;
  ws.InitDemo();
  const std::int64_t id = ws.SubmittedFarlighet("T-IN-7");
  ws.CloseStore();

  CliRun script = ws.As(kDemoSupervisor, {"review", "return", std::to_string(id)});
  CHECK(script.code == kExitUsage);
  CHECK(Has(script.err, "--comment TEXT eller --comment-stdin krävs"));
  CliRun no_case = ws.As(kDemoCaseworker, {"subject", "add", "--unit", "ifo_vuxen", "--role",
                                           "child", "--lang", "en"});
  CHECK(no_case.code == kExitUsage);
  CHECK(Has(no_case.err, "--case REF or --case-stdin is required"));

  // At a terminal: an empty answer is asked again, the next one is kept.
  CliRun asked = ws.AsAtTerminal(kDemoSupervisor, {"review", "return", std::to_string(id)},
                                 "\nthe calendar is missing\n");
  INFO(asked.err);
  REQUIRE(asked.code == kExitOk);
  CHECK(asked.err.find("Vad behöver ändras: ") != asked.err.rfind("Vad behöver ändras: "));
  const auto reviews = ReviewsOf(ws, id);
  REQUIRE(reviews.size() == 1);
  CHECK(reviews[0].comment == "the calendar is missing");
  ws.Intake("T-ASKED-1");
  ws.CloseStore();

  CliRun subject = ws.AsAtTerminal(
      kDemoCaseworker, {"subject", "add", "--unit", "ifo_vuxen", "--role", "child"}, "T-ASKED-1\n");
  INFO(subject.err);
  REQUIRE(subject.code == kExitOk);
  CHECK(Has(subject.err, "Ärendets referens: "));
  CHECK(SubjectsIn(ws, "T-ASKED-1") == 1);
  ws.CloseStore();
  // The input ends before an answer: nothing is recorded.
  CliRun ended = ws.AsAtTerminal(kDemoCaseworker,
                                 {"subject", "add", "--unit", "ifo_vuxen", "--role", "child"}, "");
  CHECK(ended.code == kExitFailed);
  CHECK(Has(ended.err, "Ärendets referens: inget angavs"));
}

TEST_CASE("input from standard input past its limit, empty or cut short stores nothing",
          "[cli][stdin]") {
  FollowUpWorkspace ws;
  ws.InitDemo();
  const std::int64_t id = ws.SubmittedFarlighet("T-IN-8");
  ws.CloseStore();
  const std::string sid = std::to_string(id);

  // A text one byte past the limit.
  CliRun long_text = ws.As(kDemoSupervisor, {"review", "return", sid, "--comment-stdin"},
                           std::string(kMaxStdinTextBytes + 1, 'a'));
  CHECK(long_text.code == kExitFailed);
  CHECK(Has(long_text.err, "--comment-stdin: standard in: större än 40002 bytes"));
  // Exactly at the limit the reading succeeds; the store then refuses a text longer than
  // 10000 characters, naming the field.
  CliRun at_limit = ws.As(kDemoSupervisor, {"review", "return", sid, "--comment-stdin"},
                          std::string(kMaxStdinTextBytes, 'a'));
  CHECK(at_limit.code == kExitFailed);
  CHECK(!Has(at_limit.err, "större än"));
  CliRun empty = ws.As(kDemoSupervisor, {"review", "return", sid, "--comment-stdin"}, " \n");
  CHECK(empty.code == kExitFailed);
  CHECK(Has(empty.err, "--comment-stdin: standard in innehöll ingen text"));
  CHECK(ReviewsOf(ws, id).empty());
  ws.CloseStore();

  // A case line past its limit, and input that ends before the case line.
  CliRun long_case = ws.As(kDemoCaseworker,
                           {"intake", "--unit", "ifo_vuxen", "--case-stdin", "--not-asked",
                            "not_alone", "--children", "no", "--lang", "en"},
                           std::string(kMaxStdinCaseBytes + 1, 'A') + "\n");
  CHECK(long_case.code == kExitFailed);
  CHECK(Has(long_case.err, "--case-stdin: the line on standard input is longer than 1024 bytes"));
  CliRun no_line = ws.As(kDemoCaseworker, {"intake", "--unit", "ifo_vuxen", "--case-stdin",
                                           "--not-asked", "not_alone", "--children", "no"});
  CHECK(no_line.code == kExitFailed);
  CHECK(Has(no_line.err, "--case-stdin: standard in tog slut före ärendets referens"));
  // Only the one submitted in the set-up.
  CHECK(AssessmentCount(ws) == 1);
}

}  // namespace screening::cli::test
