// The measuring tool behind bench/run. Every figure it prints is measured in the run that
// prints it, next to its reference, so that the ratio holds on a shared, drifting machine.
//
//   perf_tool gen-answers N [SEED]             N dash answer lines (JSON) on standard output
//   perf_tool exec RUNS [--in FILE] -- CMD...  runs CMD RUNS times (stdout to /dev/null):
//                                              median and min wall seconds, median CPU
//                                              seconds (user + system), peak RSS (KiB)
//   perf_tool save N DIR                       durable saves: the store against bare SQLite
//   perf_tool scale CONTACTS SAVES DIR         seeds CONTACTS contacts through the library,
//                                              then times SAVES durable saves; bytes/contact
//
// Output is one line of key=value pairs (bench/run reads them).
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <screening/json.h>
#include <screening/registry.h>
#include <screening/session.h>
#include <screening/store.h>

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "perf_tool: %s\n", what.c_str());
  std::exit(1);
}

void Check(const screening::Status& st, const char* what) {
  if (!st.ok()) Die(std::string(what) + ": " + st.ToString());
}

// ---- gen-answers: the batch row's input. Mostly yes/no, some unknown, a few unanswered
// (every branch of the band and its certainty), a free-text source on some lines.
int GenAnswers(long n, unsigned seed) {
  std::mt19937 rng(seed);
  std::discrete_distribution<int> pick({45, 45, 7, 3});
  static const char* kCodes[] = {"yes", "no", "unknown"};
  std::string block;
  for (long i = 1; i <= n; ++i) {
    block += "{\"id\":\"b-" + std::to_string(i) + "\",\"answers\":{";
    bool first = true;
    for (int q = 1; q <= 24; ++q) {
      const int k = pick(rng);
      if (k == 3) continue;
      block += first ? "\"q" : ",\"q";
      block += std::to_string(q) + "\":\"" + kCodes[k] + "\"";
      first = false;
    }
    if (i % 4 == 0) block += std::string(first ? "" : ",") + "\"info_source\":\"Polisanmälan\"";
    block += "}}\n";
    if (block.size() > (1 << 16)) {
      std::fwrite(block.data(), 1, block.size(), stdout);
      block.clear();
    }
  }
  std::fwrite(block.data(), 1, block.size(), stdout);
  return 0;
}

// ---- exec: wall time and peak RSS of a command, RUNS times.
int Exec(int runs, const char* in_path, char** argv) {
  std::vector<double> times, cpu;
  long max_rss = 0;
  for (int r = 0; r < runs; ++r) {
    auto start = Clock::now();
    pid_t pid = fork();
    if (pid < 0) Die("fork failed");
    if (pid == 0) {
      int in = open(in_path ? in_path : "/dev/null", O_RDONLY);
      int out = open("/dev/null", O_WRONLY);
      if (in < 0 || out < 0) _exit(126);
      dup2(in, 0);
      dup2(out, 1);
      execvp(argv[0], argv);
      _exit(127);
    }
    int status = 0;
    rusage usage{};
    if (wait4(pid, &status, 0, &usage) != pid) Die("wait4 failed");
    times.push_back(Seconds(start));
    if (!WIFEXITED(status) || WEXITSTATUS(status) >= 2) {
      Die(std::string("the command failed: ") + argv[0]);
    }
    max_rss = std::max(max_rss, usage.ru_maxrss);
    cpu.push_back(static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                  static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6);
  }
  std::sort(times.begin(), times.end());
  std::sort(cpu.begin(), cpu.end());
  std::printf("median_s=%.6f min_s=%.6f median_cpu_s=%.6f max_rss_kib=%ld runs=%d\n",
              times[times.size() / 2], times.front(), cpu[cpu.size() / 2], max_rss, runs);
  return 0;
}

// ---- the store, for save and scale.
constexpr const char* kPassword = "bench-password-long-enough-1";
constexpr const char* kUnit = "ifo_vuxen";

struct Bench {
  std::shared_ptr<const screening::Registry> registry;
  std::unique_ptr<screening::Store> store;
  screening::Actor caseworker;
};

Bench OpenBench(const fs::path& dir) {
  Bench b;
  screening::Diagnostics diagnostics;
  auto registry = screening::Registry::LoadDirectory(SCREENING_BENCH_INSTRUMENTS_DIR, &diagnostics);
  if (!registry.ok()) Die("cannot load the instruments: " + registry.status().ToString());
  b.registry = *registry;
  fs::remove_all(dir);
  fs::create_directories(dir);
  screening::StoreOptions options;
  options.password_cost = 0;
  options.audit_key_file = dir / "audit.key";
  auto store =
      screening::CreateSqliteStore(dir / "screening.db", b.registry, "admin", kPassword, options);
  if (!store.ok()) Die("cannot create the store: " + store.status().ToString());
  b.store = std::move(*store);
  auto admin = b.store->Login("admin", kPassword);
  if (!admin.ok()) Die("admin login: " + admin.status().ToString());
  Check(b.store->AddUnit(*admin, kUnit), "adding the unit");
  Check(AddUserReady(*b.store, *admin, "cw", screening::Role::kCaseworker, {kUnit}, kPassword),
        "adding a user");
  auto cw = b.store->Login("cw", kPassword);
  if (!cw.ok()) Die("caseworker login: " + cw.status().ToString());
  b.caseworker = *cw;
  return b;
}

// A complete dash assessment (every item answered) for save number `i`.
screening::Session DashSession(const Bench& b, long i) {
  std::string json = "{\"answers\":{";
  for (int q = 1; q <= 24; ++q) {
    json += (q > 1 ? ",\"q" : "\"q") + std::to_string(q) + "\":\"" +
            (((i + q) % 3) == 0 ? "yes" : "no") + "\"";
  }
  json += "}}";
  auto session = screening::ParseAnswersJson(b.registry->Find("dash"), json);
  if (!session.ok()) Die("bench answers: " + session.status().ToString());
  return *session;
}

// Opens the cases "BENCH-<i>" for i in [from, to) the only way cases are opened, by a contact
// (as an intake does before any assessment), in one untimed transaction.
void OpenCases(Bench& b, long from, long to) {
  Check(b.store->Bulk([&]() -> screening::Status {
    for (long i = from; i < to; ++i) {
      screening::ContactInput c;
      c.unit = kUnit;
      c.case_ref = "BENCH-" + std::to_string(i);
      c.contact_date = "2024-06-01";
      c.outcome = "not_disclosed";
      if (auto id = b.store->AddContact(b.caseworker, c); !id.ok()) return id.status();
    }
    return screening::Status::Ok();
  }),
        "opening the cases");
}

// One durable save as the application does it, in a case an intake has opened (OpenCases):
// the draft and its submission (record, answers, result, flags, recommendations, due items,
// audit events) in one transaction.
void SaveOne(Bench& b, long i) {
  screening::Session session = DashSession(b, i);
  screening::AssessmentInput input;
  input.unit = kUnit;
  input.case_ref = "BENCH-" + std::to_string(i);
  Check(b.store->Bulk([&]() -> screening::Status {
    auto id = b.store->CreateDraft(b.caseworker, input, session);
    if (!id.ok()) return id.status();
    return b.store->Submit(b.caseworker, *id);
  }),
        "saving");
}

// The bytes one save stores: the answers and result blobs and two audit events' worth of
// text and MAC (what the store writes beyond them is indexes and bookkeeping).
std::string SaveBytes(const Bench& b, long i) {
  screening::Session session = DashSession(b, i);
  auto result = screening::Evaluate(session);
  if (!result.ok()) Die("bench result");
  std::string bytes;
  session.answers().SerializeToString(&bytes);
  bytes += result->SerializeAsString();
  for (int e = 0; e < 2; ++e) {
    bytes += "2024-06-01T10:00:00Z cw caseworker ifo_vuxen submit assessment " + std::to_string(i) +
             std::string(32, '\x5a');
  }
  return bytes;
}

void Sql(sqlite3* db, const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::string what = error ? error : "?";
    sqlite3_free(error);
    Die(std::string("sqlite: ") + what);
  }
}

// Bare SQLite under the store's settings (WAL, synchronous=FULL): one prepared INSERT of
// the same bytes per transaction. Returns saves per second.
double BareSaves(const fs::path& dir, const std::vector<std::string>& payloads) {
  const fs::path path = dir / "bare.db";
  fs::remove(path);
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) Die("sqlite open");
  Sql(db, "PRAGMA journal_mode = WAL");
  Sql(db, "PRAGMA synchronous = FULL");
  Sql(db, "CREATE TABLE saves (id INTEGER PRIMARY KEY, data BLOB NOT NULL)");
  sqlite3_stmt* insert = nullptr;
  sqlite3_stmt* begin = nullptr;
  sqlite3_stmt* commit = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO saves (data) VALUES (?1)", -1, &insert, nullptr);
  sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &begin, nullptr);
  sqlite3_prepare_v2(db, "COMMIT", -1, &commit, nullptr);
  auto start = Clock::now();
  for (const auto& p : payloads) {
    if (sqlite3_step(begin) != SQLITE_DONE) Die("sqlite begin");
    sqlite3_reset(begin);
    sqlite3_bind_blob(insert, 1, p.data(), static_cast<int>(p.size()), SQLITE_STATIC);
    if (sqlite3_step(insert) != SQLITE_DONE) Die("sqlite insert");
    sqlite3_reset(insert);
    if (sqlite3_step(commit) != SQLITE_DONE) Die("sqlite commit");
    sqlite3_reset(commit);
  }
  const double rate = static_cast<double>(payloads.size()) / Seconds(start);
  sqlite3_finalize(insert);
  sqlite3_finalize(begin);
  sqlite3_finalize(commit);
  sqlite3_close(db);
  return rate;
}

int Save(long n, const fs::path& dir) {
  Bench b = OpenBench(dir);
  std::vector<std::string> payloads;
  std::size_t bytes = 0;
  for (long i = 0; i < n; ++i) {
    payloads.push_back(SaveBytes(b, i));
    bytes += payloads.back().size();
  }
  OpenCases(b, -1, n);
  SaveOne(b, -1);  // warm: statements prepared, files created
  // Interleaved rounds, so that drift on the shared machine hits both alike.
  double store_time = 0, bare_rate_sum = 0;
  const long rounds = 4;
  for (long r = 0; r < rounds; ++r) {
    auto start = Clock::now();
    for (long i = r * n / rounds; i < (r + 1) * n / rounds; ++i) SaveOne(b, i);
    store_time += Seconds(start);
    std::vector<std::string> part(payloads.begin() + r * n / rounds,
                                  payloads.begin() + (r + 1) * n / rounds);
    bare_rate_sum += BareSaves(dir, part);
  }
  std::printf("store_saves_per_s=%.1f bare_saves_per_s=%.1f bytes_per_save=%zu saves=%ld\n",
              static_cast<double>(n) / store_time, bare_rate_sum / rounds,
              bytes / static_cast<std::size_t>(n), n);
  return 0;
}

int Scale(long contacts, long saves, const fs::path& dir) {
  Bench b = OpenBench(dir);
  const fs::path db = dir / "screening.db";
  static const char* kOutcomes[] = {"disclosed", "not_disclosed", "declined", "not_asked"};
  auto start = Clock::now();
  const long batch = 10000;
  for (long done = 0; done < contacts;) {
    const long end = std::min(contacts, done + batch);
    Check(b.store->Bulk([&]() -> screening::Status {
      for (long i = done; i < end; ++i) {
        screening::ContactInput c;
        c.unit = kUnit;
        c.case_ref = "K-" + std::to_string(i / 2);
        c.contact_date = "2024-" + std::string(i % 12 < 9 ? "0" : "") + std::to_string(i % 12 + 1) +
                         "-" + std::string(i % 28 < 9 ? "0" : "") + std::to_string(i % 28 + 1);
        c.outcome = kOutcomes[i % 4];
        if (c.outcome == "not_asked") c.not_asked_reason = "not_alone";
        if (c.outcome == "disclosed") c.violence_types = {"physical"};
        auto id = b.store->AddContact(b.caseworker, c);
        if (!id.ok()) return id.status();
      }
      return screening::Status::Ok();
    }),
          "seeding contacts");
    done = end;
  }
  const double seed_s = Seconds(start);
  OpenCases(b, -1, saves);  // the cases the timed saves go into, before the reopening below
  // Reopen, as the application would: the last connection's close checkpoints the WAL
  // the seeding wrote, which would otherwise land on the first timed saves.
  b.store.reset();
  screening::StoreOptions options;
  options.password_cost = 0;
  options.audit_key_file = dir / "audit.key";
  auto reopened = screening::OpenSqliteStore(db, b.registry, options);
  if (!reopened.ok()) Die("cannot reopen the store: " + reopened.status().ToString());
  b.store = std::move(*reopened);
  auto cw = b.store->Login("cw", kPassword);
  if (!cw.ok()) Die("caseworker login: " + cw.status().ToString());
  b.caseworker = *cw;
  SaveOne(b, -1);  // warm
  start = Clock::now();
  for (long i = 0; i < saves; ++i) SaveOne(b, i);
  const double save_s = Seconds(start);
  b.store.reset();  // closes the database (the WAL is checkpointed into it)
  std::uintmax_t size = fs::file_size(db);
  std::printf(
      "contacts=%ld seed_contacts_per_s=%.0f saves_per_s=%.1f db_bytes=%ju "
      "bytes_per_contact=%.0f\n",
      contacts, static_cast<double>(contacts) / seed_s, static_cast<double>(saves) / save_s, size,
      static_cast<double>(size) / static_cast<double>(std::max(contacts, 1L)));
  return 0;
}

int Usage() {
  std::fprintf(stderr,
               "usage: perf_tool gen-answers N [SEED] | exec RUNS [--in FILE] -- CMD... |\n"
               "       save N DIR | scale CONTACTS SAVES DIR\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return Usage();
  const std::string cmd = argv[1];
  if (cmd == "gen-answers" && (argc == 3 || argc == 4)) {
    return GenAnswers(std::atol(argv[2]),
                      argc == 4 ? static_cast<unsigned>(std::atol(argv[3])) : 42u);
  }
  if (cmd == "exec" && argc >= 5) {
    const int runs = std::max(1, std::atoi(argv[2]));
    int i = 3;
    const char* in = nullptr;
    if (std::strcmp(argv[i], "--in") == 0 && i + 1 < argc) {
      in = argv[i + 1];
      i += 2;
    }
    if (i >= argc || std::strcmp(argv[i], "--") != 0 || i + 1 >= argc) return Usage();
    return Exec(runs, in, argv + i + 1);
  }
  if (cmd == "save" && argc == 4) return Save(std::max(4L, std::atol(argv[2])), argv[3]);
  if (cmd == "scale" && argc == 5) {
    return Scale(std::atol(argv[2]), std::max(1L, std::atol(argv[3])), argv[4]);
  }
  return Usage();
}
