// A draft started on the version of an instrument that is current today stays on that
// version after the instrument is reworded: once the new version ships (and today's moves
// to instruments/archive/), the store shows, submits, approves and re-scores the draft on
// its own version, with the logic hash it was made with.
#include <screening/json.h>
#include <screening/registry.h>
#include <screening/session.h>
#include <screening/store.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "store_fixture.h"
#include "test_paths.h"

namespace screening::test {
namespace {

// The instruments folder as it was before the rewording: the archived 1.0.0 files as the
// current versions, no archive.
struct YesterdaysInstruments {
  TempFolder folder;
  std::shared_ptr<const Registry> registry;
  YesterdaysInstruments() {
    const fs::path real = SCREENING_TEST_INSTRUMENTS_DIR;
    fs::copy_file(real / "vocabulary.textproto", folder.path / "vocabulary.textproto");
    for (const auto& entry : fs::directory_iterator(real / "archive")) {
      const std::string name = entry.path().filename().string();
      const std::string id = name.substr(0, name.find('-'));
      fs::copy_file(entry.path(), folder.path / (id + ".textproto"));
    }
    registry = RequireOk(Registry::LoadDirectory(folder.path, nullptr));
  }
};

struct Versions {
  TempFolder tmp;
  fs::path db = tmp.path / "data" / "screening.db";
  std::shared_ptr<FixedClock> clock = std::make_shared<FixedClock>(kMarch14);

  StoreOptions Options() const {
    StoreOptions o;
    o.password_cost = 0;
    o.audit_key_file = tmp.path / "keys" / "audit.key";
    o.clock = clock;
    return o;
  }
};

}  // namespace

TEST_CASE(
    "a draft made on today's version is submitted, shown and re-scored on it after the "
    "rewording",
    "[store][versions]") {
  Versions v;
  YesterdaysInstruments yesterday;
  auto old_dash = yesterday.registry->Find("dash");
  auto old_skydd = yesterday.registry->Find("skydd");
  REQUIRE(old_dash->version() == "1.0.0");
  REQUIRE(old_skydd->version() == "1.0.0");

  std::int64_t dash_id = 0, skydd_id = 0;
  {
    // Today: the drafts are started on the current versions.
    auto store =
        RequireOk(CreateSqliteStore(v.db, yesterday.registry, "ada", kPassword, v.Options()));
    const Actor ada = RequireOk(store->Login("ada", kPassword));
    RequireOk(store->AddUnit(ada, "ifo_vuxen"));
    RequireOk(AddUserReady(*store, ada, "kim", Role::kCaseworker, {"ifo_vuxen"}, kPassword));
    RequireOk(AddUserReady(*store, ada, "sara", Role::kSupervisor, {"ifo_vuxen"}, kPassword));
    const Actor kim = RequireOk(store->Login("kim", kPassword));
    AssessmentInput input;
    input.unit = "ifo_vuxen";
    input.case_ref = "VX-1";
    Session dash(old_dash);
    for (int q = 1; q <= 24; ++q)
      RequireOk(dash.SetCode("q" + std::to_string(q), q <= 14 ? "yes" : "no"));
    IntakeOn(*store, kim, "VX-1");
    dash_id = RequireOk(store->CreateDraft(kim, input, dash));
    Session skydd(old_skydd);
    RequireOk(skydd.SetCode("has_children", "no"));
    RequireOk(skydd.SetJudgement("protection", "high", "Syntetisk motivering."));
    skydd_id = RequireOk(store->CreateDraft(kim, input, skydd));
  }

  // The new versions ship: the same database, the real instruments folder with its archive.
  auto registry = RealInstruments();
  REQUIRE(registry->Find("dash")->version() != "1.0.0");
  REQUIRE(registry->Find("dash")->logic_sha256() != old_dash->logic_sha256());
  auto store = RequireOk(OpenSqliteStore(v.db, registry, v.Options()));
  const Actor kim = RequireOk(store->Login("kim", kPassword));
  const Actor sara = RequireOk(store->Login("sara", kPassword));

  for (const auto& [id, old] : {std::pair{dash_id, old_dash}, std::pair{skydd_id, old_skydd}}) {
    INFO(old->id());
    // Shown on its own version...
    AssessmentRecord draft = RequireOk(store->Get(kim, id));
    CHECK(draft.instrument_version == "1.0.0");
    CHECK(draft.logic_sha256 == old->logic_sha256());
    auto archived = registry->Find(draft.instrument_id, draft.instrument_version);
    REQUIRE(archived != nullptr);
    CHECK(registry->IsArchived(archived->id(), archived->version()));
    CHECK(archived->logic_sha256() == old->logic_sha256());
    auto session = RequireOk(Session::FromProto(archived, draft.answers));

    // ...still editable on it...
    RequireOk(store->UpdateDraft(kim, id, session));

    // ...submitted and approved on it...
    RequireOk(store->Submit(kim, id));
    RequireOk(store->Approve(sara, id, ""));
    AssessmentRecord done = RequireOk(store->Get(kim, id));
    CHECK(done.status == AssessmentStatus::kApproved);
    CHECK(done.instrument_version == "1.0.0");
    REQUIRE(done.result.has_value());
    CHECK(done.result->instrument().version() == "1.0.0");
    CHECK(done.result->instrument().sha256() == old->logic_sha256());
    CHECK(done.result->instrument().text_sha256() == old->TextSha256("sv"));

    // ...and re-scored on it, with the same result.
    auto again = RequireOk(Evaluate(RequireOk(Session::FromProto(archived, done.answers))));
    CHECK(ResultToJson(again) == ResultToJson(*done.result));
  }
  AssessmentRecord dash_done = RequireOk(store->Get(kim, dash_id));
  CHECK(dash_done.result->band() == "high");
  AssessmentRecord skydd_done = RequireOk(store->Get(kim, skydd_id));
  CHECK(skydd_done.result->final_level() == "high");
  // The released skydd named its levels with the vocabulary; the record is shown so.
  CHECK(registry->Find("skydd", "1.0.0")->LevelLabel(skydd_done.result->final_level(), "sv") ==
        "Hög");

  // A new assessment is offered on the current version only...
  for (const auto& inst : registry->all())
    CHECK_FALSE(registry->IsArchived(inst->id(), inst->version()));
  // ...and the store refuses to start one on an archived version, storing nothing.
  const auto before = RequireOk(store->List(kim, ListFilter{}));
  AssessmentInput input;
  input.unit = "ifo_vuxen";
  input.case_ref = "VX-3";
  Session on_archived(registry->Find("dash", "1.0.0"));
  const auto refused = store->CreateDraft(kim, input, on_archived);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == StatusCode::kFailedPrecondition);
  CHECK(refused.status().message().find(registry->Find("dash")->version()) != std::string::npos);
  CHECK(RequireOk(store->List(kim, ListFilter{})).size() == before.size());
  Session on_current(registry->Find("dash"));
  IntakeOn(*store, kim, "VX-3");
  CHECK(store->CreateDraft(kim, input, on_current).ok());
}

TEST_CASE("without the archive a draft on an earlier version cannot be submitted",
          "[store][versions]") {
  // Why the archive exists: a folder that holds only the new versions cannot score what was
  // made on the old ones, and says so instead of scoring it with other rules.
  Versions v;
  YesterdaysInstruments yesterday;
  std::int64_t id = 0;
  {
    auto store =
        RequireOk(CreateSqliteStore(v.db, yesterday.registry, "ada", kPassword, v.Options()));
    const Actor ada = RequireOk(store->Login("ada", kPassword));
    RequireOk(store->AddUnit(ada, "ifo_vuxen"));
    RequireOk(AddUserReady(*store, ada, "kim", Role::kCaseworker, {"ifo_vuxen"}, kPassword));
    const Actor kim = RequireOk(store->Login("kim", kPassword));
    AssessmentInput input;
    input.unit = "ifo_vuxen";
    input.case_ref = "VX-2";
    Session skydd(yesterday.registry->Find("skydd"));
    RequireOk(skydd.SetCode("has_children", "no"));
    RequireOk(skydd.SetJudgement("protection", "low", "Syntetisk motivering."));
    IntakeOn(*store, kim, "VX-2");
    id = RequireOk(store->CreateDraft(kim, input, skydd));
  }
  TempFolder current_only;
  const fs::path real = SCREENING_TEST_INSTRUMENTS_DIR;
  for (const auto& entry : fs::directory_iterator(real)) {
    if (entry.is_regular_file())
      fs::copy_file(entry.path(), current_only.path / entry.path().filename());
  }
  auto registry = RequireOk(Registry::LoadDirectory(current_only.path, nullptr));
  REQUIRE(registry->Find("skydd", "1.0.0") == nullptr);
  auto store = RequireOk(OpenSqliteStore(v.db, registry, v.Options()));
  const Actor kim = RequireOk(store->Login("kim", kPassword));
  const Status st = store->Submit(kim, id);
  CHECK(st.code() == StatusCode::kFailedPrecondition);
  CHECK(st.message().find("not installed") != std::string::npos);
  CHECK(RequireOk(store->Get(kim, id)).status == AssessmentStatus::kDraft);
}

}  // namespace screening::test
