// A small helper process for the crash and concurrency tests of the case store.
//
//   store_writer DB KEYFILE MODE N [TAG]
//
// Opens the store (OpenSqliteStore, audit key KEYFILE, minimal password cost) and logs in
// the user named by $SCREENING_WRITER_USER (default "kim"; the tests create it with the
// synthetic password below). Prints "ready" once logged in.
//
//   save: N times: a contact opening the case "CRASH-<TAG>-<i>" (only a contact opens a case),
//         then CreateDraft of a `dash` session there (i yes answers modulo 25), printing
//         "draft <id> <ref>" when it returned, then Submit, printing "saved <id> <ref>" when
//         that returned. Every line is flushed at once, so a parent that kills the process
//         knows which calls had returned success.
//   intake: N times, as the CLI's intake saves (one Store::Bulk): AddContact (a disclosure),
//         CreateDraft of a `rutinfraga` assessment linked to it, Submit; prints
//         "intake <contact id> <assessment id> <ref>" when the transaction returned.
//   review: N times: an intake opening a case (as `intake` prints it), then a `dash`
//         assessment there created and submitted by the user ("saved <id> <ref>",
//         i % 14 yes: below the threshold), then a decision by the supervisor
//         $SCREENING_WRITER_SUPERVISOR (default "sven") by i % 3: approve ("approved <id>"),
//         return ("returned <id>"), or change the level to high ("level <id>") and approve.
//   amend: N times: an intake and a `dash` assessment saved (as for review), approved by the
//         supervisor ("approved <id>"),
//         then amended by the user with i+1 yes answers ("amended <old> <new>") and the new
//         version submitted ("amendsub <new>").
//   user: (the default user is "admin") N times: AddUser "u<TAG>x<i>" (caseworker in
//         ifo_vuxen, the synthetic password; "user <name>"), then SetPassword to the second
//         synthetic password ("passwd <name>").
//   read: N times: List the unit's assessments, Get (open) up to three of them and check
//         what they hold; every tenth round the administrator $SCREENING_WRITER_ADMIN (if
//         set) verifies the audit chain while the others write.
//
// With $SCREENING_WRITER_BARRIER=K, the process also waits at barriers the parent controls:
// once logged in (any mode), and in the save and read modes after every K saves (read:
// rounds) but not after the last. At each it prints "barrier <n>" (n = 0, 1, ...) and
// blocks reading one byte from its standard input; end of input there is a failure. The
// concurrency test releases its processes together only when all of them have reached the
// same barrier, so they provably overlap, however fast or slow each one is.
//
// Exit 0 at the end. Any failure, including kBusy (the store is meant to wait for a busy
// database, never to give up within the tests' load), prints a message on stderr and exits
// 1. Instruments come from $SCREENING_INSTRUMENTS or the default folder.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <screening/json.h>
#include <screening/registry.h>
#include <screening/session.h>
#include <screening/store.h>

namespace {

using namespace screening;

// The synthetic password every test account gets (tests/integration/*_test.cc), and the one
// the `user` mode sets afterwards.
constexpr const char* kPassword = "synthetic test password 1";
constexpr const char* kPassword2 = "synthetic test password 2";

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

// The barrier ($SCREENING_WRITER_BARRIER, see above): every `every` units of work, wait for
// the parent's go.
class Barrier {
 public:
  Barrier() {
    const std::string every = Env("SCREENING_WRITER_BARRIER", "");
    if (every.empty()) return;
    char* end = nullptr;
    every_ = std::strtol(every.c_str(), &end, 10);
    if (*end != '\0' || every_ <= 0) Fail("SCREENING_WRITER_BARRIER is not a positive number");
  }
  // Barrier 0: everyone has logged in.
  void Start() {
    if (every_ > 0) Wait();
  }
  // After `done` of `n` units: a barrier every `every` units, none after the last.
  void After(long done, long n) {
    if (every_ > 0 && done < n && done % every_ == 0) Wait();
  }

 private:
  void Wait() {
    Line("barrier " + std::to_string(next_++));
    char go = 0;
    ssize_t r;
    do {
      r = ::read(STDIN_FILENO, &go, 1);
    } while (r < 0 && errno == EINTR);
    if (r != 1) Fail("barrier: the parent closed standard input before releasing it");
  }
  long every_ = 0;
  long next_ = 0;
};

Actor LoginAs(Store& store, const std::string& user) {
  auto actor = store.Login(user, kPassword);
  if (!actor.ok()) Fail("login " + user, actor.status());
  return *actor;
}

int Save(Store& store, const Registry& registry, const Actor& me, long n, const std::string& tag,
         Barrier& barrier) {
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
    ContactInput contact;
    contact.unit = in.unit;
    contact.case_ref = in.case_ref;
    contact.contact_date = "2024-03-01";
    contact.outcome = "not_disclosed";
    if (auto c = store.AddContact(me, contact); !c.ok()) Fail("AddContact", c.status());
    auto id = store.CreateDraft(me, in, session);
    if (!id.ok()) Fail("CreateDraft", id.status());
    Line("draft " + std::to_string(*id) + " " + in.case_ref);
    Status st = store.Submit(me, *id);
    if (!st.ok()) Fail("Submit", st);
    Line("saved " + std::to_string(*id) + " " + in.case_ref);
    barrier.After(i + 1, n);
  }
  return 0;
}

// A `dash` session with `yes` yes answers (the rest no).
Session Dash(const Registry& registry, long yes) {
  auto dash = registry.Find("dash");
  if (!dash) Fail("the dash instrument is not installed");
  Session session(dash);
  for (int q = 1; q <= 24; ++q) {
    Status st = session.SetCode("q" + std::to_string(q), q <= yes ? "yes" : "no");
    if (!st.ok()) Fail("answering dash", st);
  }
  return session;
}

// One intake, as the CLI's intake saves it (one Store::Bulk): AddContact (a disclosure), which
// opens the case `ref`, CreateDraft of a `rutinfraga` assessment linked to it, Submit; prints
// "intake <contact id> <assessment id> <ref>" when the transaction returned.
void IntakeOne(Store& store, const Registry& registry, const Actor& me, const std::string& ref) {
  auto rutinfraga = registry.Find("rutinfraga");
  if (!rutinfraga) Fail("the rutinfraga instrument is not installed");
  // The answers of a disclosure, as the CLI's intake would have them.
  auto parsed = ParseAnswersJson(
      rutinfraga,
      "{\"answers\": {\"safe_to_ask\": \"yes\", \"q1\": \"no\", \"q2\": \"yes\", \"q3\": "
      "\"no\", \"q4\": \"no\", \"q5\": \"no\", \"q6\": \"no\", \"q7\": \"no\", "
      "\"q8\": \"no\", \"outcome\": \"disclosed\", \"violence_types\": [\"physical\"], "
      "\"children_in_household\": \"no\"}}");
  if (!parsed.ok()) Fail("answering rutinfraga", parsed.status());
  const Session& session = *parsed;
  ContactInput contact;
  contact.unit = "ifo_vuxen";
  contact.case_ref = ref;
  contact.contact_date = "2024-03-01";
  contact.outcome = "disclosed";
  contact.violence_types = {"physical"};
  std::int64_t contact_id = 0, assessment_id = 0;
  Status st = store.Bulk([&]() -> Status {
    auto c = store.AddContact(me, contact);
    if (!c.ok()) return c.status();
    contact_id = *c;
    AssessmentInput in;
    in.unit = "ifo_vuxen";
    in.case_ref = ref;
    in.contact_id = *c;
    auto a = store.CreateDraft(me, in, session);
    if (!a.ok()) return a.status();
    assessment_id = *a;
    return store.Submit(me, *a);
  });
  if (!st.ok()) Fail("intake (Bulk)", st);
  Line("intake " + std::to_string(contact_id) + " " + std::to_string(assessment_id) + " " + ref);
}

// Opens the case `ref` by an intake (IntakeOne), then saves a `dash` assessment there.
std::int64_t SaveDash(Store& store, const Registry& registry, const Actor& me, long yes,
                      const std::string& ref) {
  IntakeOne(store, registry, me, ref);
  Session session = Dash(registry, yes);
  AssessmentInput in;
  in.unit = "ifo_vuxen";
  in.case_ref = ref;
  auto id = store.CreateDraft(me, in, session);
  if (!id.ok()) Fail("CreateDraft", id.status());
  Status st = store.Submit(me, *id);
  if (!st.ok()) Fail("Submit", st);
  Line("saved " + std::to_string(*id) + " " + ref);
  return *id;
}

int Intake(Store& store, const Registry& registry, const Actor& me, long n,
           const std::string& tag) {
  for (long i = 0; i < n; ++i) {
    IntakeOne(store, registry, me, "CRASH-" + tag + "-intake-" + std::to_string(i));
  }
  return 0;
}

int Review(Store& store, const Registry& registry, const Actor& me, const Actor& supervisor, long n,
           const std::string& tag) {
  for (long i = 0; i < n; ++i) {
    const std::int64_t id =
        SaveDash(store, registry, me, i % 14, "CRASH-" + tag + "-review-" + std::to_string(i));
    const std::string sid = std::to_string(id);
    switch (i % 3) {
      case 0:
        if (Status st = store.Approve(supervisor, id, "synthetic approval"); !st.ok())
          Fail("Approve", st);
        Line("approved " + sid);
        break;
      case 1:
        if (Status st = store.Return(supervisor, id, "synthetic return"); !st.ok())
          Fail("Return", st);
        Line("returned " + sid);
        break;
      default:
        if (Status st = store.ChangeLevel(supervisor, id, "high", "synthetic reason"); !st.ok())
          Fail("ChangeLevel", st);
        Line("level " + sid);
        if (Status st = store.Approve(supervisor, id, ""); !st.ok()) Fail("Approve", st);
        Line("approved " + sid);
        break;
    }
  }
  return 0;
}

int AmendLoop(Store& store, const Registry& registry, const Actor& me, const Actor& supervisor,
              long n, const std::string& tag) {
  for (long i = 0; i < n; ++i) {
    const long yes = i % 24;
    const std::int64_t id =
        SaveDash(store, registry, me, yes, "CRASH-" + tag + "-amend-" + std::to_string(i));
    if (Status st = store.Approve(supervisor, id, ""); !st.ok()) Fail("Approve", st);
    Line("approved " + std::to_string(id));
    auto amended = store.Amend(me, id, "synthetic correction", Dash(registry, yes + 1));
    if (!amended.ok()) Fail("Amend", amended.status());
    Line("amended " + std::to_string(id) + " " + std::to_string(*amended));
    if (Status st = store.Submit(me, *amended); !st.ok()) Fail("Submit (amendment)", st);
    Line("amendsub " + std::to_string(*amended));
  }
  return 0;
}

int Users(Store& store, const Actor& admin, long n, const std::string& tag) {
  for (long i = 0; i < n; ++i) {
    const std::string name = "u" + tag + "x" + std::to_string(i);
    if (Status st = store.AddUser(admin, name, Role::kCaseworker, {"ifo_vuxen"}, kPassword);
        !st.ok())
      Fail("AddUser", st);
    Line("user " + name);
    if (Status st = store.SetPassword(admin, name, "", kPassword2); !st.ok())
      Fail("SetPassword", st);
    Line("passwd " + name);
  }
  return 0;
}

int Read(Store& store, const Actor& me, const std::optional<Actor>& admin, long n,
         Barrier& barrier) {
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
      if (rec->status == AssessmentStatus::kSubmitted &&
          (!rec->result || rec->result->band().empty())) {
        Fail("Get: a submitted assessment without its result");
      }
      if (rec->status != AssessmentStatus::kDraft && rec->status != AssessmentStatus::kSubmitted)
        Fail("Get: unexpected status");
    }
    if (admin && round % 10 == 0) {
      auto v = store.VerifyAudit(*admin);
      if (!v.ok()) Fail("VerifyAudit", v.status());
      if (!v->ok)
        Fail("VerifyAudit: the chain does not verify under concurrent writes: " + v->problem);
    }
    Line("read " + std::to_string(list->size()));
    barrier.After(round + 1, n);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5 || argc > 6) {
    std::fprintf(stderr, "usage: store_writer DB KEYFILE MODE N [TAG]\n");
    return 2;
  }
  const std::string mode = argv[3];
  const bool known = mode == "save" || mode == "read" || mode == "intake" || mode == "review" ||
                     mode == "amend" || mode == "user";
  char* end = nullptr;
  const long n = std::strtol(argv[4], &end, 10);
  if (*end != '\0' || n < 0 || !known) {
    std::fprintf(stderr,
                 "usage: store_writer DB KEYFILE save|read|intake|review|amend|user N [TAG]\n");
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

  const Actor me = LoginAs(**store, Env("SCREENING_WRITER_USER", mode == "user" ? "admin" : "kim"));
  std::optional<Actor> supervisor;
  if (mode == "review" || mode == "amend") {
    supervisor = LoginAs(**store, Env("SCREENING_WRITER_SUPERVISOR", "sven"));
  }
  std::optional<Actor> admin;
  if (const std::string name = Env("SCREENING_WRITER_ADMIN", ""); !name.empty()) {
    admin = LoginAs(**store, name);
  }
  Line("ready");
  Barrier barrier;
  barrier.Start();
  if (mode == "save") return Save(**store, **registry, me, n, tag, barrier);
  if (mode == "intake") return Intake(**store, **registry, me, n, tag);
  if (mode == "review") return Review(**store, **registry, me, *supervisor, n, tag);
  if (mode == "amend") return AmendLoop(**store, **registry, me, *supervisor, n, tag);
  if (mode == "user") return Users(**store, me, n, tag);
  return Read(**store, me, admin, n, barrier);
}
