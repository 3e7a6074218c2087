// The read-only open (StoreOptions::read_only) that lets an evidence copy be checked without
// a single byte of it changing: no event, no login bookkeeping, no -wal or -shm file.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "store_fixture.h"

namespace screening::test {
namespace {

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A closed copy of the store's database, 0400, as an evidence copy would be kept.
fs::path EvidenceCopy(StoreFixture& f) {
  f.store.reset();  // the last connection closes: the WAL is checkpointed and removed
  const fs::path copy = f.tmp.path / "evidence" / "screening.db";
  fs::create_directories(copy.parent_path());
  fs::copy_file(f.db, copy);
  fs::permissions(copy, fs::perms::owner_read, fs::perm_options::replace);
  return copy;
}

std::set<std::string> Names(const fs::path& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename().string());
  return out;
}

TEST_CASE("A read-only store checks an evidence copy and changes none of its bytes",
          "[store][readonly]") {
  StoreFixture f;
  f.Submitted(f.kim, "IFO-1", DashSession(20));
  const fs::path copy = EvidenceCopy(f);
  const std::string before = ReadAll(copy);
  StoreOptions options = f.Options();
  options.read_only = true;
  auto store = RequireOk(OpenSqliteStore(copy, RealInstruments(), options));
  CHECK_FALSE(store->Login("ada", "a wrong synthetic password").ok());
  const Actor ada = RequireOk(store->Login("ada", kPassword));
  const auto check = RequireOk(store->Check(ada));
  CHECK(check.ok);
  const auto verify = RequireOk(store->VerifyAudit(ada));
  CHECK(verify.ok);
  CHECK(verify.head_seq == check.head_seq);  // neither added an event
  // Anything that would write is refused.
  CHECK(store->AddUnit(ada, "bistand").code() == StatusCode::kFailedPrecondition);
  CHECK(store->Bulk([] { return Status::Ok(); }).code() == StatusCode::kFailedPrecondition);
  store.reset();
  CHECK(ReadAll(copy) == before);
  CHECK(Names(copy.parent_path()) == std::set<std::string>{"screening.db"});
}

TEST_CASE("A read-only open refuses a database with a write-ahead log beside it",
          "[store][readonly]") {
  StoreFixture f;
  const fs::path copy = EvidenceCopy(f);
  std::ofstream(copy.string() + "-wal", std::ios::binary) << "synthetic log";
  StoreOptions options = f.Options();
  options.read_only = true;
  auto store = OpenSqliteStore(copy, RealInstruments(), options);
  CHECK(store.status().code() == StatusCode::kFailedPrecondition);
  CHECK_THAT(store.status().message(), Catch::Contains("-wal"));
  CHECK(CreateSqliteStore(f.tmp.path / "new.db", RealInstruments(), "ada", kPassword, options)
            .status()
            .code() == StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace screening::test
