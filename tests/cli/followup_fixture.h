// A demo database for the follow-up command tests (review, due, resources, export, demo):
// `init --demo` in a temporary folder with the repository's instruments, plus direct library
// access to make the submitted assessments the commands work on. All data is synthetic.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <stdlib.h>

#include <screening/json.h>
#include <screening/registry.h>
#include <screening/store.h>
#include <catch2/catch.hpp>

#include "cli_test_util.h"
#include "commands/command.h"
#include "commands/followup_support.h"

namespace screening::cli::test {

inline constexpr const char* kFollowUpAdmin = "test.admin";
inline constexpr const char* kFollowUpAdminPassword = "test-admin-pass-1";

inline bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A complete farlighet answer set (synthetic) with the assessor's level `level`.
inline std::string FarlighetAnswers(const std::string& level, const std::string& yes = "yes") {
  std::string answers = "{\"answers\": {";
  for (int q = 1; q <= 20; ++q) {
    if (q > 1) answers += ", ";
    answers += "\"q" + std::to_string(q) + "\": \"" + (q <= 12 ? yes : std::string("no")) + "\"";
  }
  answers += ", \"q3a\": \"no\", \"children_in_household\": \"no\"}, ";
  answers += "\"judgements\": {\"assessor\": {\"level\": \"" + level +
             "\", \"rationale\": \"test rationale\"}}, \"client_estimate\": {\"level\": \"low\"}}";
  return answers;
}

class FollowUpWorkspace {
 public:
  FollowUpWorkspace() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "screening-followup-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
  }
  ~FollowUpWorkspace() {
    store_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  FollowUpWorkspace(const FollowUpWorkspace&) = delete;
  FollowUpWorkspace& operator=(const FollowUpWorkspace&) = delete;

  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path db() const { return dir_ / "data" / "screening.db"; }
  std::filesystem::path key() const { return dir_ / "audit.key"; }

  std::map<std::string, std::string> Env(const std::string& user) const {
    return {{"SCREENING_PASSWORD_COST", "0"},
            {"SCREENING_AUDIT_KEY", key().string()},
            {"SCREENING_INSTRUMENTS", RepoInstrumentsDir().string()},
            {"SCREENING_DB", db().string()},
            {"SCREENING_USER", user}};
  }

  // Runs a command as `user`, whose password is given on stdin (`--password-stdin` is
  // appended); `more_input` follows the password line.
  // As `As`, with standard input taken for a terminal (the command may ask questions).
  CliRun AsAtTerminal(const DemoAccount& account, std::vector<std::string> args,
                      const std::string& more_input) const {
    args.push_back("--password-stdin");
    return RunCli(args, std::string(account.password) + "\n" + more_input, Env(account.name), true);
  }
  CliRun As(const DemoAccount& account, std::vector<std::string> args,
            const std::string& more_input = {}) const {
    args.push_back("--password-stdin");
    return RunCli(args, std::string(account.password) + "\n" + more_input, Env(account.name));
  }
  // Runs a command as `user` with exactly `input` on standard input (no password added).
  CliRun RunCliAs(const std::string& user, const std::vector<std::string>& args,
                  const std::string& input) const {
    return RunCli(args, input, Env(user));
  }
  CliRun AsAdmin(std::vector<std::string> args, const std::string& more_input = {}) const {
    args.push_back("--password-stdin");
    return RunCli(args, std::string(kFollowUpAdminPassword) + "\n" + more_input,
                  Env(kFollowUpAdmin));
  }
  // Runs without a password (commands that need no database, or usage errors).
  CliRun Plain(const std::vector<std::string>& args) const {
    return RunCli(args, {}, Env(kFollowUpAdmin));
  }

  // `init --demo`; REQUIREs success and returns the run.
  CliRun InitDemo() {
    CliRun run = RunCli({"init", "--demo", "--password-stdin"},
                        std::string(kFollowUpAdminPassword) + "\n", Env(kFollowUpAdmin));
    INFO(run.err);
    REQUIRE(run.code == kExitOk);
    return run;
  }

  // Adds a user through the CLI (as the administrator).
  void AddUser(const std::string& name, Role role, const std::string& unit,
               const std::string& password) {
    std::vector<std::string> args = {"user", "add", name, "--role", std::string(RoleId(role))};
    if (!unit.empty()) {
      args.push_back("--unit");
      args.push_back(unit);
    }
    args.push_back("--new-password-stdin");
    // The administrator's password is one-time; the user chooses `password` at the first
    // login. A second supervisor of a demo unit is confirmed by the demo's supervisor.
    const std::string one_time = "first-" + password;
    CliRun run = AsAdmin(args, one_time + "\n");
    INFO(run.err);
    REQUIRE(run.code == kExitOk);
    if (run.out.find("screening user confirm") != std::string::npos) {
      CliRun confirm = As(kDemoSupervisor, {"user", "confirm", name});
      INFO(confirm.err);
      REQUIRE(confirm.code == kExitOk);
    }
    CliRun first = RunCli({"user", "passwd", "--password-stdin", "--new-password-stdin"},
                          one_time + "\n" + password + "\n", Env(name));
    INFO(first.err);
    REQUIRE(first.code == kExitOk);
  }

  // The store, opened directly (the same key and instruments as the CLI uses).
  Store& store() {
    if (!store_) {
      Diagnostics diagnostics;
      auto registry = Registry::LoadDirectory(RepoInstrumentsDir(), &diagnostics);
      REQUIRE(registry.ok());
      registry_ = *registry;
      StoreOptions options;
      options.audit_key_file = key();
      options.password_cost = 0;
      auto store = OpenSqliteStore(db(), registry_, options);
      REQUIRE(store.ok());
      store_ = std::move(*store);
    }
    return *store_;
  }
  const Registry& registry() {
    (void)store();
    return *registry_;
  }
  // Closes the directly opened store (so the CLI is the only one writing).
  void CloseStore() { store_.reset(); }

  Actor Login(const DemoAccount& account) {
    auto actor = store().Login(account.name, account.password);
    REQUIRE(actor.ok());
    return *actor;
  }

  // Opens the case `unit`/`case_ref` the only way cases are opened: a new contact (the
  // routine question asked, nothing disclosed) by the demo caseworker. Returns its id.
  std::int64_t Intake(const std::string& case_ref, const std::string& unit = "ifo_vuxen") {
    Actor worker = Login(kDemoCaseworker);
    ContactInput contact;
    contact.unit = unit;
    contact.case_ref = case_ref;
    contact.contact_date = "2024-03-01";
    contact.outcome = "not_disclosed";
    auto contact_id = store().AddContact(worker, contact);
    INFO(contact_id.status().ToString());
    REQUIRE(contact_id.ok());
    opened_.insert({unit, case_ref});
    return *contact_id;
  }

  // A farlighet assessment in `unit`/`case_ref` by the demo caseworker, submitted; returns
  // its id. The case is opened by Intake first unless this workspace has opened it.
  std::int64_t SubmittedFarlighet(const std::string& case_ref, const std::string& level = "medium",
                                  const std::string& unit = "ifo_vuxen") {
    if (!opened_.count({unit, case_ref})) Intake(case_ref, unit);
    Actor worker = Login(kDemoCaseworker);
    auto session = ParseAnswersJson(registry().Find("farlighet"), FarlighetAnswers(level));
    REQUIRE(session.ok());
    AssessmentInput input;
    input.unit = unit;
    input.case_ref = case_ref;
    auto id = store().CreateDraft(worker, input, *session);
    REQUIRE(id.ok());
    REQUIRE(store().Submit(worker, *id).ok());
    return *id;
  }

  // A routine question with a disclosure and children (due items: protection assessment),
  // as the intake saves it; returns the assessment id.
  std::int64_t SubmittedDisclosure(const std::string& case_ref,
                                   const std::string& unit = "ifo_vuxen") {
    Actor worker = Login(kDemoCaseworker);
    ContactInput contact;
    contact.unit = unit;
    contact.case_ref = case_ref;
    contact.contact_date = "2024-03-01";
    contact.outcome = "disclosed";
    contact.violence_types = {"physical"};
    auto contact_id = store().AddContact(worker, contact);
    REQUIRE(contact_id.ok());
    opened_.insert({unit, case_ref});
    const std::string answers =
        "{\"answers\": {\"safe_to_ask\": \"yes\", \"q1\": \"yes\", \"q2\": \"no\", \"q3\": "
        "\"no\", \"q4\": \"no\", \"q5\": \"no\", \"q6\": \"no\", \"q7\": \"no\", \"q8\": \"yes\", "
        "\"outcome\": \"disclosed\", \"violence_types\": [\"physical\"], "
        "\"children_in_household\": \"yes\", \"children_count\": 1}}";
    auto session = ParseAnswersJson(registry().Find("rutinfraga"), answers);
    INFO(session.status().message());
    REQUIRE(session.ok());
    AssessmentInput input;
    input.unit = unit;
    input.case_ref = case_ref;
    input.contact_id = *contact_id;
    auto id = store().CreateDraft(worker, input, *session);
    REQUIRE(id.ok());
    REQUIRE(store().Submit(worker, *id).ok());
    return *id;
  }

 private:
  std::filesystem::path dir_;
  std::shared_ptr<const Registry> registry_;
  std::unique_ptr<Store> store_;
  std::set<std::pair<std::string, std::string>> opened_;  // unit, case reference
};

}  // namespace screening::cli::test
