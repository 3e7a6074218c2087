// A damaged database file: pages with a broken header, bytes flipped anywhere, a file cut
// short, the write-ahead log of another database. Each must be noticed when the store
// opens or by Check (integrity_check, foreign_key_check, the audit chain), with a clear
// error; nothing may crash (the sanitizers watch every read); and the store must not
// repair it silently: the damage is still reported the second time.
#include <sqlite3.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <screening/registry.h>
#include <screening/session.h>
#include <screening/store.h>
#include <catch2/catch.hpp>

#include "reliability_support.h"
#include "test_paths.h"

namespace fs = std::filesystem;
using namespace screening;
using reliability::TempDir;

namespace {

constexpr const char* kPassword = "synthetic test password 1";

std::shared_ptr<const Registry> Instruments() {
  static auto registry = [] {
    auto r = Registry::LoadDirectory(SCREENING_TEST_INSTRUMENTS_DIR, nullptr);
    REQUIRE(r.ok());
    return *r;
  }();
  return registry;
}

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void WriteAll(const fs::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(out.good());
}

StoreOptions Options(const fs::path& key) {
  StoreOptions o;
  o.password_cost = 0;
  o.audit_key_file = key;
  o.busy_timeout_ms = 2000;
  return o;
}

// Fills a new store with users, cases and assessments in every state, and closes it.
void Populate(const fs::path& db, const fs::path& key, const std::string& tag) {
  auto created = CreateSqliteStore(db, Instruments(), "admin", kPassword, Options(key));
  INFO(created.status().ToString());
  REQUIRE(created.ok());
  Store& s = **created;
  auto admin = s.Login("admin", kPassword);
  REQUIRE(admin.ok());
  REQUIRE(s.AddUnit(*admin, "ifo_vuxen").ok());
  REQUIRE(AddUserReady(s, *admin, "kim", Role::kCaseworker, {"ifo_vuxen"}, kPassword).ok());
  REQUIRE(AddUserReady(s, *admin, "sven", Role::kSupervisor, {"ifo_vuxen"}, kPassword).ok());
  auto kim = s.Login("kim", kPassword);
  auto sven = s.Login("sven", kPassword);
  REQUIRE((kim.ok() && sven.ok()));
  for (int i = 0; i < 12; ++i) {
    Session session(Instruments()->Find("dash"));
    for (int q = 1; q <= 24; ++q) {
      REQUIRE(session.SetCode("q" + std::to_string(q), q <= i * 2 ? "yes" : "no").ok());
    }
    AssessmentInput in;
    in.unit = "ifo_vuxen";
    in.case_ref = tag + "-" + std::to_string(i);
    // Only a contact opens a case.
    ContactInput contact{in.unit, in.case_ref, "2024-05-02", "not_disclosed", "", "", {}};
    REQUIRE(s.AddContact(*kim, contact).ok());
    auto id = s.CreateDraft(*kim, in, session);
    REQUIRE(id.ok());
    if (i % 3 == 0) continue;
    REQUIRE(s.Submit(*kim, *id).ok());
    if (i % 3 == 1) REQUIRE(s.Approve(*sven, *id, "ok").ok());
  }
}

// What the store made of a database file.
struct Probe {
  bool detected = false;
  Status status;  // the first error
  std::string where;
};

// Opens, logs in, checks, and reads every assessment the caseworker can list.
Probe Run(const fs::path& db, const fs::path& key) {
  Probe p;
  auto note = [&](const Status& st, const char* where) {
    if (!p.detected) {
      p.detected = true;
      p.status = st;
      p.where = where;
    }
  };
  auto opened = OpenSqliteStore(db, Instruments(), Options(key));
  if (!opened.ok()) {
    note(opened.status(), "open");
    return p;
  }
  Store& s = **opened;
  auto admin = s.Login("admin", kPassword);
  if (!admin.ok()) {
    note(admin.status(), "login");
    return p;
  }
  auto check = s.Check(*admin);
  if (!check.ok()) {
    note(check.status(), "check");
  } else if (!check->ok) {
    note(Status::Corruption(check->problem), "audit chain");
  }
  // Whatever was found, reading what is left must not crash.
  if (auto kim = s.Login("kim", kPassword); kim.ok()) {
    ListFilter all;
    if (auto list = s.List(*kim, all); list.ok()) {
      for (const auto& item : *list) {
        (void)s.Get(*kim, item.id);
        (void)s.History(*kim, item.id);
      }
    }
    (void)s.Due(*kim, false);
  }
  return p;
}

bool IsClear(const Status& st) {
  return !st.message().empty() && st.message().size() < 300 &&
         (st.code() == StatusCode::kCorruption || st.code() == StatusCode::kFailedPrecondition ||
          st.code() == StatusCode::kIoError || st.code() == StatusCode::kPermissionDenied);
}

// A closed, populated database and copies of it to damage.
struct Fixture {
  TempDir dir{"corrupt"};
  fs::path key = dir.path / "keys" / "audit.key";
  fs::path original = dir.path / "original" / "screening.db";
  fs::path work = dir.path / "work" / "screening.db";
  std::string bytes;
  std::size_t page_size = 0;

  Fixture() {
    Populate(original, key, "K");
    bytes = ReadAll(original);
    REQUIRE(bytes.size() > 100);
    page_size =
        (static_cast<unsigned char>(bytes[16]) << 8) | static_cast<unsigned char>(bytes[17]);
    if (page_size == 1) page_size = 65536;
    REQUIRE(page_size >= 512);
    REQUIRE(bytes.size() % page_size == 0);
    fs::create_directories(work.parent_path());
  }

  std::size_t pages() const { return bytes.size() / page_size; }

  // Writes `damaged` as the work database (no log beside it).
  void Place(const std::string& damaged) const {
    std::error_code ec;
    for (const char* suffix : {"-wal", "-shm", "-journal"}) fs::remove(work.string() + suffix, ec);
    WriteAll(work, damaged);
  }
};

// The damage is reported clearly, and again on a second look (it was not repaired).
void RequireDetected(const Fixture& f, const std::string& what) {
  const Probe first = Run(f.work, f.key);
  INFO(what << ": " << first.where << ": " << first.status.ToString());
  REQUIRE(first.detected);
  CHECK(IsClear(first.status));
  const Probe second = Run(f.work, f.key);
  INFO("second look: " << second.where << ": " << second.status.ToString());
  CHECK(second.detected);
}

}  // namespace

TEST_CASE("a database whose undamaged copy verifies is the baseline", "[reliability][corrupt]") {
  Fixture f;
  f.Place(f.bytes);
  const Probe p = Run(f.work, f.key);
  INFO(p.where << ": " << p.status.ToString());
  CHECK_FALSE(p.detected);
}

TEST_CASE("a broken page header is detected on open or by check", "[reliability][corrupt]") {
  Fixture f;
  int btree_pages = 0;
  for (std::size_t page = 2; page <= f.pages(); ++page) {
    const std::size_t at = (page - 1) * f.page_size;
    const auto type = static_cast<unsigned char>(f.bytes[at]);
    // Only b-tree pages have a type byte (free-list and overflow pages do not).
    if (type != 2 && type != 5 && type != 10 && type != 13) continue;
    ++btree_pages;
    std::string damaged = f.bytes;
    damaged[at] = static_cast<char>(0x07);  // not a page type
    f.Place(damaged);
    RequireDetected(f, "page " + std::to_string(page) + " with a bad type");
  }
  CHECK(btree_pages > 10);
}

TEST_CASE("bytes flipped anywhere never crash the store", "[reliability][corrupt]") {
  Fixture f;
  int iterations = 150;  // SCREENING_CORRUPT_ITERATIONS for long runs
  if (const char* s = std::getenv("SCREENING_CORRUPT_ITERATIONS"); s && *s) {
    iterations = std::atoi(s);
  }
  unsigned seed = 20240502;
  if (const char* s = std::getenv("SCREENING_CORRUPT_SEED"); s && *s) {
    seed = static_cast<unsigned>(std::strtoul(s, nullptr, 10));
  }
  INFO("seed " << seed << " (SCREENING_CORRUPT_SEED repeats a run)");
  std::mt19937 rng(seed);
  std::uniform_int_distribution<std::size_t> offset(0, f.bytes.size() - 1);
  std::uniform_int_distribution<int> count(1, 8);
  int detected = 0;
  for (int i = 0; i < iterations; ++i) {
    std::string damaged = f.bytes;
    const int n = count(rng);
    for (int k = 0; k < n; ++k) damaged[offset(rng)] ^= static_cast<char>(1 + rng() % 255);
    f.Place(damaged);
    const Probe p = Run(f.work, f.key);
    if (p.detected) {
      ++detected;
      INFO("iteration " << i << ": " << p.where << ": " << p.status.ToString());
      CHECK(IsClear(p.status));
    }
  }
  // Not every flip is detectable (SQLite keeps no page checksums: a flipped byte inside a
  // stored value or in free space reads as valid), but the run must have hit many.
  WARN(detected << " of " << iterations << " damaged files were reported");
  CHECK(detected > 0);
}

TEST_CASE("a database file cut short is detected", "[reliability][corrupt]") {
  Fixture f;
  SECTION("to nothing") {
    f.Place("");
    RequireDetected(f, "an empty file");
    // Not silently turned into a database.
    CHECK(fs::file_size(f.work) == 0);
  }
  SECTION("inside the header") {
    f.Place(f.bytes.substr(0, 50));
    RequireDetected(f, "50 bytes");
  }
  SECTION("to half its pages") {
    f.Place(f.bytes.substr(0, (f.pages() / 2) * f.page_size));
    RequireDetected(f, "half the pages");
  }
  SECTION("inside the last page") {
    f.Place(f.bytes.substr(0, f.bytes.size() - f.page_size / 2));
    RequireDetected(f, "a partial last page");
  }
  SECTION("by the last page") {
    f.Place(f.bytes.substr(0, f.bytes.size() - f.page_size));
    RequireDetected(f, "one page less");
  }
}

TEST_CASE("the write-ahead log of another database is detected", "[reliability][corrupt]") {
  Fixture f;
  // A second database with its own key, left open so that its log holds committed pages.
  const fs::path other = f.dir.path / "other" / "screening.db";
  const fs::path other_key = f.dir.path / "keys" / "other.key";
  Populate(other, other_key, "X");
  auto opened = OpenSqliteStore(other, Instruments(), Options(other_key));
  REQUIRE(opened.ok());
  auto admin = (*opened)->Login("admin", kPassword);
  REQUIRE(admin.ok());
  REQUIRE((*opened)->AddUnit(*admin, "ifo_barn").ok());
  REQUIRE(AddUserReady(**opened, *admin, "eva", Role::kCaseworker, {"ifo_barn"}, kPassword).ok());
  const fs::path other_wal = other.string() + "-wal";
  REQUIRE(fs::exists(other_wal));
  REQUIRE(fs::file_size(other_wal) > 0);

  f.Place(f.bytes);
  fs::copy_file(other_wal, f.work.string() + "-wal", fs::copy_options::overwrite_existing);
  RequireDetected(f, "a foreign log");
}
