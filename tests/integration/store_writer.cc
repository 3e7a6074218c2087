// A small helper process for the crash and concurrency tests of the case store.
//
//   store_writer DB KEYFILE MODE N [TAG]
//
// Opens the store (OpenSqliteStore, audit key KEYFILE, minimal password cost) and logs in
// the user named by $SCREENING_WRITER_USER (default "kim"; the tests create it with the
// synthetic password below). Prints "ready" once logged in.
//
//   save: N times: CreateDraft of a `dash` session with case reference "CRASH-<TAG>-<i>"
//         (i yes answers modulo 25), printing "draft <id> <ref>" when it returned, then
//         Submit, printing "saved <id> <ref>" when that returned. Every line is flushed at
//         once, so a parent that kills the process knows which calls had returned success.
//   read: N times: List the unit's assessments, Get (open) up to three of them and check
//         what they hold; every tenth round the administrator $SCREENING_WRITER_ADMIN (if
//         set) verifies the audit chain while the others write.
//
// Exit 0 at the end. Any failure, including kBusy (the store is meant to wait for a busy
// database, never to give up within the tests' load), prints a message on stderr and exits
// 1. Instruments come from $SCREENING_INSTRUMENTS or the default folder.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include <screening/registry.h>
#include <screening/session.h>
#include <screening/store.h>

namespace {

using namespace screening;

// The synthetic password every test account gets (tests/integration/*_test.cc).
constexpr const char* kPassword = "synthetic test password 1";

[[noreturn]] void Fail(std::string_view what, const Status& st) {
  std::fprintf(stderr, "store_writer: %.*s: %s%s\n", static_cast<int>(what.size()), what.data(),
               st.ToString().c_str(),
               st.code() == StatusCode::kBusy ? " (busy: the store gave up waiting)" : "");
  std::exit(1);
}

[[noreturn]] void Fail(std::string_view what) {
  std::fprintf(stderr, "store_writer: %.*s\n", static_cast<int>(what.size()), what.data());
  std::exit(1);
}

void Line(const std::string& line) {
  std::fputs(line.c_str(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

std::string Env(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : std::string(fallback);
}

Actor LoginAs(Store& store, const std::string& user) {
  auto actor = store.Login(user, kPassword);
  if (!actor.ok()) Fail("login " + user, actor.status());
  return *actor;
}

int Save(Store& store, const Registry& registry, const Actor& me, long n, const std::string& tag) {
  auto dash = registry.Find("dash");
  if (!dash) Fail("the dash instrument is not installed");
  for (long i = 0; i < n; ++i) {
    Session session(dash);
    const long yes = i % 25;
    for (int q = 1; q <= 24; ++q) {
      Status st = session.SetCode("q" + std::to_string(q), q <= yes ? "yes" : "no");
      if (!st.ok()) Fail("answering dash", st);
    }
    AssessmentInput in;
    in.unit = "ifo_vuxen";
    in.case_ref = "CRASH-" + tag + "-" + std::to_string(i);
    auto id = store.CreateDraft(me, in, session);
    if (!id.ok()) Fail("CreateDraft", id.status());
    Line("draft " + std::to_string(*id) + " " + in.case_ref);
    Status st = store.Submit(me, *id);
    if (!st.ok()) Fail("Submit", st);
    Line("saved " + std::to_string(*id) + " " + in.case_ref);
  }
  return 0;
}

int Read(Store& store, const Actor& me, const std::optional<Actor>& admin, long n) {
  for (long round = 0; round < n; ++round) {
    ListFilter filter;
    filter.unit = "ifo_vuxen";
    filter.limit = 20;
    auto list = store.List(me, filter);
    if (!list.ok()) Fail("List", list.status());
    int opened = 0;
    for (const auto& item : *list) {
      if (opened++ == 3) break;
      auto rec = store.Get(me, item.id);
      if (!rec.ok()) Fail("Get", rec.status());
      if (rec->id != item.id || rec->case_ref != item.case_ref) Fail("Get: another assessment");
      // Never a half-written assessment: submitted means a stored result with its band.
      if (rec->status == "submitted" && (!rec->result || rec->result->band().empty())) {
        Fail("Get: a submitted assessment without its result");
      }
      if (rec->status != "draft" && rec->status != "submitted") Fail("Get: unexpected status");
    }
    if (admin && round % 10 == 0) {
      auto v = store.VerifyAudit(*admin);
      if (!v.ok()) Fail("VerifyAudit", v.status());
      if (!v->ok)
        Fail("VerifyAudit: the chain does not verify under concurrent writes: " + v->problem);
    }
    Line("read " + std::to_string(list->size()));
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5 || argc > 6) {
    std::fprintf(stderr, "usage: store_writer DB KEYFILE save|read N [TAG]\n");
    return 2;
  }
  const std::string mode = argv[3];
  char* end = nullptr;
  const long n = std::strtol(argv[4], &end, 10);
  if (*end != '\0' || n < 0 || (mode != "save" && mode != "read")) {
    std::fprintf(stderr, "usage: store_writer DB KEYFILE save|read N [TAG]\n");
    return 2;
  }
  const std::string tag = argc == 6 ? argv[5] : "0";

  auto registry = Registry::LoadDirectory(DefaultInstrumentsDirectory(), nullptr);
  if (!registry.ok()) Fail("loading the instruments", registry.status());
  StoreOptions options;
  options.password_cost = 0;
  options.audit_key_file = argv[2];
  auto store = OpenSqliteStore(argv[1], *registry, options);
  if (!store.ok()) Fail("OpenSqliteStore", store.status());

  const Actor me = LoginAs(**store, Env("SCREENING_WRITER_USER", "kim"));
  std::optional<Actor> admin;
  if (const std::string name = Env("SCREENING_WRITER_ADMIN", ""); !name.empty()) {
    admin = LoginAs(**store, name);
  }
  Line("ready");
  // With a start file, wait for it: the test starts every process's work at once, so that
  // the writers really overlap however slowly each one started.
  if (const std::string start = Env("SCREENING_WRITER_START_FILE", ""); !start.empty()) {
    for (int i = 0; i < 6000 && !std::filesystem::exists(start); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  return mode == "save" ? Save(**store, **registry, me, n, tag) : Read(**store, me, admin, n);
}
