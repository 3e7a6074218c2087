// Pinned instrument logic (issue 15 point 10): the database accepts only the instrument
// versions whose logic hash it pinned (at init, at the first opening of an older database, or
// by the administrator). A client that brings its own copy of an instrument (same id and
// version, band bounds moved) cannot submit on it; a record made on logic that is not pinned
// is flagged.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "store_fixture.h"
#include "test_paths.h"

namespace screening::test {
namespace {

// The real instruments folder copied, with `dash.textproto` changed (each `from` -> `to`).
std::shared_ptr<const Registry> EditedInstruments(
    TempFolder& folder, const std::vector<std::pair<std::string, std::string>>& edits) {
  const fs::path real = SCREENING_TEST_INSTRUMENTS_DIR;
  fs::copy(real, folder.path, fs::copy_options::recursive);
  const fs::path dash = folder.path / "dash.textproto";
  std::stringstream text;
  text << std::ifstream(dash).rdbuf();
  std::string s = text.str();
  for (const auto& [from, to] : edits) {
    const auto at = s.find(from);
    REQUIRE(at != std::string::npos);
    s.replace(at, from.size(), to);
  }
  std::ofstream(dash, std::ios::trunc) << s;
  return RequireOk(Registry::LoadDirectory(folder.path, nullptr));
}

// The band bounds moved: 23 yes answers read as below the threshold.
const std::vector<std::pair<std::string, std::string>> kMovedBands = {
    {"min: 0\n    max: 13", "min: 0\n    max: 23"},
    {"min: 14\n    max: 24", "min: 24\n    max: 24"}};

StoreOptions OptionsOf(const StoreFixture& f) { return f.Options(); }

}  // namespace

TEST_CASE("a new database pins every installed instrument version", "[store][pins]") {
  StoreFixture f;
  CHECK(RequireOk(f.s().UnpinnedInstruments(f.kim)).empty());
  CHECK(f.CountAudit(0, "ada", "pin_instruments") == 1);
  CHECK(f.Scalar("SELECT COUNT(*) FROM instrument_pins") ==
        static_cast<std::int64_t>(RealInstruments()->versions().size()));
  const std::int64_t id = f.Submitted(f.kim, "PIN-0", DashSession(15));
  CHECK(RequireOk(f.s().Get(f.kim, id)).logic_pinned);
}

TEST_CASE("a copy of dash with moved band bounds is refused at submit and flagged",
          "[store][pins]") {
  StoreFixture f;
  f.store.reset();
  TempFolder folder;
  auto tampered = EditedInstruments(folder, kMovedBands);
  REQUIRE(tampered->Find("dash")->logic_sha256() !=
          RealInstruments()->Find("dash")->logic_sha256());
  REQUIRE(tampered->Find("dash")->version() == RealInstruments()->Find("dash")->version());
  auto store = RequireOk(OpenSqliteStore(f.db, tampered, OptionsOf(f)));
  const Actor kim = RequireOk(store->Login("kim", kPassword));
  const Actor ada = RequireOk(store->Login("ada", kPassword));
  const auto unpinned = RequireOk(store->UnpinnedInstruments(kim));
  REQUIRE(unpinned.size() == 1);
  CHECK(unpinned[0].instrument_id == "dash");
  CHECK(unpinned[0].conflict());

  Session session(tampered->Find("dash"));
  for (int q = 1; q <= 24; ++q)
    RequireOk(session.SetCode("q" + std::to_string(q), q <= 23 ? "yes" : "no"));
  IntakeOn(*store, kim, "PIN-1");
  const std::int64_t id = RequireOk(store->CreateDraft(kim, f.Input("PIN-1"), session));
  const Status submitted = store->Submit(kim, id);
  CHECK(submitted.code() == StatusCode::kFailedPrecondition);
  CHECK(submitted.message().find("instruments pin") != std::string::npos);
  const AssessmentRecord draft = RequireOk(store->Get(kim, id));
  CHECK(draft.status == AssessmentStatus::kDraft);
  CHECK_FALSE(draft.logic_pinned);
  ListFilter all;
  for (const auto& s : RequireOk(store->List(kim, all))) {
    if (s.id == id) CHECK_FALSE(s.logic_pinned);
  }
  // The administrator cannot accept a changed file under a released version number.
  const std::int64_t pins = f.Scalar("SELECT COUNT(*) FROM instrument_pins");
  const auto pin = store->PinInstruments(ada);
  CHECK(pin.status().code() == StatusCode::kFailedPrecondition);
  CHECK(pin.status().message().find("dash") != std::string::npos);
  CHECK(f.Scalar("SELECT COUNT(*) FROM instrument_pins") == pins);
}

TEST_CASE("a new instrument version is accepted when the administrator pins it", "[store][pins]") {
  StoreFixture f;
  f.store.reset();
  TempFolder folder;
  const std::string version = "version: \"" + RealInstruments()->Find("dash")->version() + "\"";
  auto newer = EditedInstruments(folder, {{version, "version: \"9.0.0\""}});
  auto store = RequireOk(OpenSqliteStore(f.db, newer, OptionsOf(f)));
  const Actor kim = RequireOk(store->Login("kim", kPassword));
  const Actor sara = RequireOk(store->Login("sara", kPassword));
  const Actor ada = RequireOk(store->Login("ada", kPassword));
  const auto unpinned = RequireOk(store->UnpinnedInstruments(kim));
  REQUIRE(unpinned.size() == 1);
  CHECK(unpinned[0].version == "9.0.0");
  CHECK_FALSE(unpinned[0].conflict());
  Session session(newer->Find("dash", "9.0.0"));
  for (int q = 1; q <= 24; ++q) RequireOk(session.SetCode("q" + std::to_string(q), "no"));
  IntakeOn(*store, kim, "PIN-2");
  const std::int64_t id = RequireOk(store->CreateDraft(kim, f.Input("PIN-2"), session));
  CHECK(store->Submit(kim, id).code() == StatusCode::kFailedPrecondition);
  // Only the administrator pins; the others are refused and audited.
  CHECK(store->PinInstruments(sara).status().code() == StatusCode::kPermissionDenied);
  CHECK(f.CountAudit(0, "sara", "denied:pin_instruments") == 1);
  const auto pinned = RequireOk(store->PinInstruments(ada));
  REQUIRE(pinned.size() == 1);
  CHECK(pinned[0].version == "9.0.0");
  CHECK(RequireOk(store->UnpinnedInstruments(kim)).empty());
  RequireOk(store->Submit(kim, id));
  CHECK(RequireOk(store->Get(kim, id)).logic_pinned);
  // Pinning again pins nothing and writes nothing.
  const std::int64_t seq = f.LastSeq();
  CHECK(RequireOk(store->PinInstruments(ada)).empty());
  CHECK(f.LastSeq() == seq);
}

TEST_CASE("a database made before pins accepts the set installed at its first opening",
          "[store][pins]") {
  StoreFixture f;
  f.RawExec("DELETE FROM instrument_pins");
  f.store.reset();
  auto store = RequireOk(OpenSqliteStore(f.db, RealInstruments(), OptionsOf(f)));
  const Actor kim = RequireOk(store->Login("kim", kPassword));
  CHECK(RequireOk(store->UnpinnedInstruments(kim)).empty());
  CHECK(f.CountAudit(0, "-", "pin_instruments") == 1);
}

}  // namespace screening::test
