// Benchmark (not a test): the yearly indicator report through the library
// (Store::Indicators) against the same counts written by hand in SQL and run by the `sqlite3`
// program on the same file. Prints both times and their ratio, and checks that every count the
// SQL gives equals the report's cell, and that every count the report has is among them (exit 1
// on a difference, or on a report count the SQL does not give: a new indicator needs its SQL).
//
//   indicators_bench --db FILE --audit-key FILE [--year YYYY] [--runs N] [--threads 1|2]
//                    [--sqlite3 PROG]
//                    [--user NAME --password PASSWORD] [--print-sql]
//   indicators_bench --db FILE --audit-key FILE --seed N   (makes a database of N contacts
//                    through the library first, when `screening demo seed` is not at hand)
//
// The database is the one `screening demo seed` makes (bench/indicators.sh builds it once);
// the default account is its demo coordinator.
#include <sys/resource.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <screening/indicators.h>
#include <screening/registry.h>
#include <screening/session.h>
#include <screening/store.h>

namespace {

using screening::Actor;
using screening::IndicatorReport;
using screening::Status;
using Clock = std::chrono::steady_clock;

struct Args {
  std::string db, key, sqlite3 = "sqlite3", user = "demo.samordnare", password = "samordnare-demo";
  int year = 0, runs = 5, threads = 2;
  bool print_sql = false;
  long long seed = 0;
};

[[noreturn]] void Die(const std::string& what) {
  std::cerr << "indicators_bench: " << what << "\n";
  std::exit(1);
}

// The counts by hand: one line "table|row|column|value" per cell, in report ids. Period and
// cut-off are bound with sqlite3's .parameter; the ids come from the definitions file.
std::string HandSql(const screening::IndicatorDefinitions& defs, const std::string& from,
                    const std::string& to, const std::string& cutoff, const std::string& from_utc,
                    const std::string& end_utc, int year) {
  auto quote = [](const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
  };
  auto list = [&](auto begin, auto end) {
    std::string out;
    for (auto it = begin; it != end; ++it) out += (out.empty() ? "" : ", ") + quote(*it);
    return out;
  };
  const auto& d = defs.definition();
  const std::string instruments =
      list(d.assessment_instruments().begin(), d.assessment_instruments().end());
  std::string groups = "CASE";
  std::string child, need, concern, due_kinds, interventions;
  for (const auto& t : d.tables()) {
    for (const auto& g : t.unit_groups()) {
      groups += " WHEN unit_id IN (" + list(g.units().begin(), g.units().end()) + ") THEN " +
                quote(g.id());
    }
    if (t.measure() == screening::v1::CHILDREN) {
      child = list(t.instruments().begin(), t.instruments().end());
      need = quote(t.immediate_need_recommendation());
      concern = quote(t.report_of_concern_recommendation());
    }
    if (t.measure() == screening::v1::INTERVENTIONS) {
      interventions = list(t.recommendations().begin(), t.recommendations().end());
    }
    if (t.measure() == screening::v1::DUE_ITEMS) {
      due_kinds = list(t.recommendations().begin(), t.recommendations().end());
    }
  }
  groups += " ELSE 'other' END";
  // Swedish summer time for the year: from the last Sunday of March to that of October.
  auto last_sunday = [&](int month) {
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = month;  // the next month's first day, minus days back to Sunday
    tm.tm_mday = 1;
    tm.tm_hour = 12;
    std::time_t t = timegm(&tm) - 86400;
    std::tm day{};
    gmtime_r(&t, &day);
    t -= static_cast<std::time_t>(day.tm_wday) * 86400;
    gmtime_r(&t, &day);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &day);
    return std::string(buf);
  };
  // The shell takes the value as an SQL expression after removing one level of quotes, so a
  // bare '2025-01-01' would become the number 2023: the literal goes inside double quotes.
  auto param = [&](const std::string& v) { return "\"" + quote(v) + "\""; };
  std::ostringstream s;
  s << ".parameter init\n"
    << ".parameter set :from " << param(from) << "\n"
    << ".parameter set :to " << param(to) << "\n"
    << ".parameter set :cutoff " << param(cutoff) << "\n"
    << ".parameter set :from_utc " << param(from_utc) << "\n"
    << ".parameter set :end_utc " << param(end_utc) << "\n"
    << ".parameter set :summer_from " << param(last_sunday(3)) << "\n"
    << ".parameter set :summer_to " << param(last_sunday(10)) << "\n"
    << ".mode list\n.headers off\n";
  // Contacts by unit group and outcome: one pass over the covering index.
  s << "SELECT 'contacts|' || g || '|contacts=' || COUNT(*) || '|asked=' || SUM(outcome <> "
       "'not_asked') || '|disclosed=' || SUM(outcome = 'disclosed') || '|not_disclosed=' || "
       "SUM(outcome = 'not_disclosed') || '|declined=' || SUM(outcome = 'declined') || "
       "'|not_asked=' || SUM(outcome = 'not_asked') FROM (SELECT "
    << groups
    << " AS g, outcome FROM contacts WHERE contact_date BETWEEN :from AND :to AND created_utc <= "
       ":cutoff) GROUP BY g;\n";
  s << "SELECT 'not_asked|' || not_asked_reason || '|contacts=' || COUNT(*) FROM contacts "
       "WHERE contact_date BETWEEN :from AND :to AND outcome = 'not_asked' AND created_utc <= "
       ":cutoff GROUP BY not_asked_reason;\n";
  s << "SELECT 'disclosure_cases|cases|cases=' || COUNT(DISTINCT case_id) FROM contacts WHERE "
       "contact_date BETWEEN :from AND :to AND outcome = 'disclosed' AND created_utc <= :cutoff;\n";
  s << "SELECT 'violence_types|' || t.type || '|contacts=' || COUNT(*) FROM contacts c JOIN "
       "contact_violence_types t ON t.contact_id = c.id WHERE c.contact_date BETWEEN :from AND "
       ":to AND c.outcome = 'disclosed' AND c.created_utc <= :cutoff GROUP BY t.type;\n";
  // The counted assessments once, in a temporary table: each chain first submitted in the
  // period, as its latest version submitted and not returned at the cut-off.
  s << "CREATE TEMP TABLE counted AS SELECT x.id, x.chain_id, x.instrument_id, "
       "x.computed_level, x.final_level, x.override_direction, x.band_certain, x.subject_id "
       "FROM assessments x WHERE x.instrument_id IN ("
    << instruments
    << ") AND "
       "x.submitted_local_date BETWEEN :from AND :to AND x.version = 1 AND x.status IN "
       "('submitted', 'approved') AND x.submitted_utc <= :cutoff AND NOT EXISTS (SELECT 1 FROM "
       "assessments y WHERE y.chain_id = x.chain_id AND y.version > 1 AND y.status IN "
       "('submitted', 'approved') AND y.submitted_utc <= :cutoff) UNION ALL SELECT x.id, "
       "x.chain_id, x.instrument_id, x.computed_level, x.final_level, x.override_direction, "
       "x.band_certain, x.subject_id FROM assessments x CROSS JOIN assessments f WHERE "
       "x.version > 1 AND x.status IN ('submitted', 'approved') AND x.submitted_utc <= :cutoff "
       "AND f.chain_id = x.chain_id AND f.version = 1 AND f.status IN ('submitted', 'approved') "
       "AND f.submitted_local_date BETWEEN :from AND :to AND f.submitted_utc <= :cutoff AND "
       "x.instrument_id IN ("
    << instruments
    << ") AND NOT EXISTS (SELECT 1 FROM assessments y "
       "WHERE y.chain_id = x.chain_id AND y.version > x.version AND y.status IN ('submitted', "
       "'approved') AND y.submitted_utc <= :cutoff);\n";
  s << "SELECT 'assessments|' || instrument_id || '|assessments=' || COUNT(*) || '|uncertain=' "
       "|| SUM(band_certain = 0) || '|raised=' || SUM(override_direction IS 'raised') || "
       "'|lowered=' || SUM(override_direction IS 'lowered') FROM counted GROUP BY "
       "instrument_id;\n";
  s << "SELECT 'levels|' || instrument_id || '.' || COALESCE(computed_level, 'none') || "
       "'|computed=' || COUNT(*) FROM counted GROUP BY instrument_id, computed_level;\n";
  s << "SELECT 'levels|' || instrument_id || '.' || COALESCE(final_level, 'none') || '|final=' "
       "|| COUNT(*) FROM counted GROUP BY instrument_id, final_level;\n";
  s << "SELECT 'roles|' || COALESCE(s.role, 'none') || '|assessments=' || COUNT(*) FROM counted "
       "c LEFT JOIN subjects s ON s.id = c.subject_id GROUP BY s.role;\n";
  s << "SELECT 'interventions|' || r.recommendation || '|assessments=' || COUNT(*) FROM counted "
       "c JOIN assessment_recommendations r ON r.assessment_id = c.id WHERE r.recommendation IN ("
    << interventions << ") GROUP BY r.recommendation;\n";
  s << "SELECT 'children|assessments|count=' || COUNT(*) || '\nchildren|children|count=' || "
       "COUNT(DISTINCT COALESCE(subject_id, -chain_id)) FROM counted WHERE instrument_id IN ("
    << child << ");\n";
  s << "SELECT 'children|immediate_need|count=' || COUNT(DISTINCT COALESCE(c.subject_id, "
       "-c.chain_id)) FROM counted c JOIN assessment_recommendations r ON r.assessment_id = c.id "
       "WHERE c.instrument_id IN ("
    << child << ") AND r.recommendation = " << need << ";\n";
  s << "SELECT 'children|report_of_concern|count=' || COUNT(*) FROM counted c JOIN "
       "assessment_recommendations r ON r.assessment_id = c.id WHERE r.recommendation = "
    << concern << ";\n";
  // Due items: the deadline is the end of the due date in Swedish time.
  s << "SELECT 'due_items|' || k || '|due=' || COUNT(*) || '|on_time=' || SUM(st = 0) || "
       "'|late=' || SUM(st = 1) || '|overdue=' || SUM(st = 2) || '|not_yet_due=' || SUM(st = 3) "
       "FROM (SELECT CASE WHEN kind IN ("
    << due_kinds
    << ") THEN kind ELSE 'other' END AS k, "
       "CASE WHEN done_utc IS NOT NULL AND done_utc <= :cutoff THEN (done_utc >= dl) WHEN dl <= "
       ":cutoff THEN 2 ELSE 3 END AS st FROM (SELECT kind, done_utc, due_date || CASE WHEN "
       "due_date >= :summer_from AND due_date < :summer_to THEN 'T22:00:00Z' ELSE 'T23:00:00Z' "
       "END AS dl FROM due_items WHERE due_date BETWEEN :from AND :to AND created_utc <= "
       ":cutoff)) GROUP BY k;\n";
  // People in cases with a new contact in the period.
  s << "SELECT 'roles|' || s.role || '|persons=' || COUNT(*) || '|informed=' || SUM(EXISTS "
       "(SELECT 1 FROM support_given g WHERE g.case_id = s.case_id AND (g.subject_id = s.id OR "
       "g.subject_id IS NULL) AND g.local_date BETWEEN :from AND :to AND g.created_utc <= "
       ":cutoff)) FROM subjects s WHERE s.created_utc <= :cutoff AND EXISTS (SELECT 1 FROM "
       "contacts c WHERE c.case_id = s.case_id AND c.contact_date BETWEEN :from AND :to AND "
       "c.created_utc <= :cutoff) GROUP BY s.role;\n";
  s << "SELECT 'perpetrators|persons|count=' || COUNT(*) || '\nperpetrators|informed|count=' || "
       "SUM(i) || '\nperpetrators|not_informed|count=' || (COUNT(*) - SUM(i)) FROM (SELECT "
       "EXISTS (SELECT 1 FROM support_given g WHERE g.case_id = s.case_id AND (g.subject_id = "
       "s.id OR g.subject_id IS NULL) AND g.local_date BETWEEN :from AND :to AND g.created_utc "
       "<= :cutoff) AS i FROM subjects s WHERE s.role = 'perpetrator' AND s.created_utc <= "
       ":cutoff AND EXISTS (SELECT 1 FROM contacts c WHERE c.case_id = s.case_id AND "
       "c.contact_date BETWEEN :from AND :to AND c.created_utc <= :cutoff));\n";
  s << "SELECT 'vulnerable_groups|' || g.vgroup || '|persons=' || COUNT(*) FROM subject_groups g "
       "JOIN subjects s ON s.id = g.subject_id WHERE s.created_utc <= :cutoff AND EXISTS (SELECT "
       "1 FROM contacts c WHERE c.case_id = s.case_id AND c.contact_date BETWEEN :from AND :to "
       "AND c.created_utc <= :cutoff) GROUP BY g.vgroup;\n";
  // Review.
  s << "SELECT 'review|submitted|value=' || COUNT(*) || '\nreview|awaiting|value=' || "
       "COALESCE(SUM(NOT "
       "EXISTS (SELECT 1 FROM reviews r WHERE r.assessment_id = a.id AND r.decision IN "
       "('approved', 'returned') AND r.created_utc >= a.submitted_utc AND r.created_utc <= "
       ":cutoff)), 0) FROM assessments a WHERE a.instrument_id IN ("
    << instruments
    << ") AND "
       "a.submitted_local_date BETWEEN :from AND :to AND a.submitted_utc <= :cutoff;\n";
  // Decisions: the review row has the assessment's instrument and submission time (schema 4).
  s << "SELECT 'review|' || decision || '|value=' || COUNT(*) FROM reviews WHERE instrument_id "
       "IN ("
    << instruments
    << ") AND created_utc >= :from_utc AND created_utc < :end_utc AND created_utc <= :cutoff "
       "GROUP BY decision;\n";
  s << "CREATE TEMP TABLE waits AS SELECT unixepoch(created_utc) - unixepoch(submitted_utc) AS w "
       "FROM reviews WHERE instrument_id IN ("
    << instruments
    << ") AND created_utc >= :from_utc AND created_utc < :end_utc AND created_utc <= :cutoff "
       "AND decision = 'approved';\n";
  s << "SELECT 'review|median_hours|value=' || printf('%.4f', COALESCE((SELECT AVG(w) FROM "
       "(SELECT w FROM waits ORDER BY w LIMIT 2 - (SELECT COUNT(*) FROM waits) % 2 OFFSET "
       "((SELECT COUNT(*) FROM waits) - 1) / 2)), 0) / 3600.0);\n";
  return s.str();
}

// "table|row|column=value|..." lines into cells.
struct HandCell {
  std::string table, row, column, value;
};

std::vector<HandCell> ParseLines(const std::string& out) {
  std::vector<HandCell> cells;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;  // a query with nothing to count prints an empty line
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t bar; (bar = line.find('|', start)) != std::string::npos; start = bar + 1)
      parts.push_back(line.substr(start, bar - start));
    parts.push_back(line.substr(start));
    if (parts.size() < 3) Die("unexpected sqlite3 output: " + line);
    for (std::size_t i = 2; i < parts.size(); ++i) {
      const std::size_t eq = parts[i].find('=');
      if (eq == std::string::npos) Die("unexpected sqlite3 output: " + line);
      cells.push_back({parts[0], parts[1], parts[i].substr(0, eq), parts[i].substr(eq + 1)});
    }
  }
  return cells;
}

// Runs `sqlite3 -readonly DB` with `script` on its input; returns its output and the wall time.
std::string RunSqlite(const Args& args, const std::string& script, double* seconds) {
  const std::filesystem::path file = std::filesystem::temp_directory_path() /
                                     ("indicators-bench-" + std::to_string(getpid()) + ".sql");
  std::ofstream(file) << script;
  const std::string command =
      args.sqlite3 + " -readonly -batch '" + args.db + "' < '" + file.string() + "'";
  const auto start = Clock::now();
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) Die("cannot run " + args.sqlite3);
  std::string out;
  char buf[4096];
  for (std::size_t n; (n = fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
  const int rc = pclose(pipe);
  *seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::filesystem::remove(file);
  if (rc != 0) Die("sqlite3 failed (exit " + std::to_string(WEXITSTATUS(rc)) + ")");
  return out;
}

// The peak resident memory since the last ResetPeakRss (Linux: VmHWM, reset through
// clear_refs); where that cannot be reset, the process's whole peak.
void ResetPeakRss() { std::ofstream("/proc/self/clear_refs") << "5"; }

long PeakRssKib() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

// ---------------------------------------------------------------- seeding (fallback)

std::string DateOf(std::int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm d{};
  gmtime_r(&t, &d);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &d);
  return buf;
}

class SetClock : public screening::Clock {
 public:
  std::int64_t NowUnix() const override { return now; }
  std::int64_t now = 0;
};

void Check(const Status& st, const char* what) {
  if (!st.ok()) Die(std::string(what) + ": " + st.ToString());
}
template <typename T>
T Check(screening::Result<T> r, const char* what) {
  if (!r.ok()) Die(std::string(what) + ": " + r.status().ToString());
  return std::move(*r);
}

// N contacts over last year and this year through the library, in bulk transactions: the
// routine question's outcome, people for a disclosure, dash or barn assessments submitted and
// mostly approved, support information for people who use violence.
void Seed(const Args& args, std::shared_ptr<const screening::Registry> registry) {
  auto clock = std::make_shared<SetClock>();
  const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  const int year = args.year;
  std::tm jan1{};
  jan1.tm_year = year - 1900;
  jan1.tm_mday = 1;
  const std::int64_t start = static_cast<std::int64_t>(timegm(&jan1));
  const std::int64_t span = std::min<std::int64_t>(now - 86400, start + 2 * 365 * 86400) - start;
  clock->now = start;
  screening::StoreOptions options;
  options.password_cost = 0;
  options.audit_key_file = args.key;
  options.clock = clock;
  auto store =
      Check(screening::CreateSqliteStore(args.db, registry, "admin", "bench admin pass", options),
            "creating the database");
  const Actor admin = Check(store->Login("admin", "bench admin pass"), "login");
  const std::vector<std::string> units = {"ifo_vuxen", "ifo_barn", "bistand", "hemtjanst"};
  for (const auto& u : units) Check(store->AddUnit(admin, u), "unit");
  Check(AddUserReady(*store, admin, "cw", screening::Role::kCaseworker, units, "bench pass 1"),
        "user");
  Check(AddUserReady(*store, admin, "sup", screening::Role::kSupervisor, units, "bench pass 1"),
        "user");
  Check(AddUserReady(*store, admin, args.user, screening::Role::kCoordinator, {}, args.password),
        "user");
  const Actor cw = Check(store->Login("cw", "bench pass 1"), "login");
  const Actor sup = Check(store->Login("sup", "bench pass 1"), "login");
  std::mt19937_64 rng(1);
  auto chance = [&](double p) { return std::uniform_real_distribution<>(0, 1)(rng) < p; };
  static const char* kReasons[] = {"not_alone", "relative_interpreter", "no_private_room",
                                   "acute_crisis", "child_present"};
  static const char* kTypes[] = {"physical", "psychological", "sexual", "economic", "coercion"};
  const long long batch = 2000;
  for (long long first = 0; first < args.seed; first += batch) {
    Check(store->Bulk([&]() -> Status {
      for (long long i = first; i < std::min(first + batch, args.seed); ++i) {
        clock->now = start + span * i / args.seed + 8 * 3600;
        const std::string unit = units[static_cast<std::size_t>(rng() % 4)];
        const std::string ref = "B-" + std::to_string(i);
        screening::ContactInput c;
        c.unit = unit;
        c.case_ref = ref;
        c.contact_date = DateOf(clock->now);
        const double u = std::uniform_real_distribution<>(0, 1)(rng);
        c.outcome = u < 0.15   ? "disclosed"
                    : u < 0.2  ? "declined"
                    : u < 0.35 ? "not_asked"
                               : "not_disclosed";
        if (c.outcome == "not_asked") c.not_asked_reason = kReasons[rng() % 5];
        if (c.outcome == "disclosed") c.violence_types = {kTypes[rng() % 5]};
        if (auto r = store->AddContact(cw, c); !r.ok()) return r.status();
        if (c.outcome != "disclosed") continue;
        screening::SubjectInput victim;
        victim.unit = unit;
        victim.case_ref = ref;
        victim.role = unit == "ifo_barn" ? "child" : "adult_victim";
        if (chance(0.1)) victim.vulnerable_groups = {"disability"};
        auto subject = store->AddSubject(cw, victim);
        if (!subject.ok()) return subject.status();
        screening::SubjectInput perp = victim;
        perp.role = "perpetrator";
        perp.vulnerable_groups.clear();
        auto perp_id = store->AddSubject(cw, perp);
        if (!perp_id.ok()) return perp_id.status();
        if (chance(0.7)) {
          if (Status st = store->RecordSupportGiven(cw, unit, ref, *perp_id, {"socialtjansten"});
              !st.ok())
            return st;
        }
        screening::Session session(registry->Find(unit == "ifo_barn" ? "barn" : "dash"));
        if (unit == "ifo_barn") {
          (void)session.SetInteger("age", 7);
          (void)session.SetCode("q1", "yes");
          (void)session.SetCode("immediate_protection_need", chance(0.2) ? "yes" : "no");
          (void)session.SetJudgement("protection", "medium", "Syntetisk.");
        } else {
          const int yes = static_cast<int>(rng() % 25);
          for (int q = 1; q <= 24; ++q)
            (void)session.SetCode("q" + std::to_string(q), q <= yes ? "yes" : "no");
        }
        screening::AssessmentInput in;
        in.unit = unit;
        in.case_ref = ref;
        in.subject_id = *subject;
        auto id = store->CreateDraft(cw, in, session);
        if (!id.ok()) return id.status();
        if (Status st = store->Submit(cw, *id); !st.ok()) return st;
        clock->now += 3600 * static_cast<std::int64_t>(1 + rng() % 48);
        if (chance(0.9)) {
          if (Status st = store->Approve(sup, *id, ""); !st.ok()) return st;
        } else if (Status st = store->Return(sup, *id, "Synthetic."); !st.ok()) {
          return st;
        }
      }
      return Status::Ok();
    }),
          "seeding");
    std::cerr << "\rseeded " << std::min(first + batch, args.seed) << " contacts" << std::flush;
  }
  std::cerr << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) Die(a + " needs a value");
      return argv[++i];
    };
    if (a == "--db")
      args.db = value();
    else if (a == "--audit-key")
      args.key = value();
    else if (a == "--year")
      args.year = std::stoi(value());
    else if (a == "--runs")
      args.runs = std::max(1, std::stoi(value()));
    else if (a == "--threads")
      args.threads = std::max(1, std::stoi(value()));
    else if (a == "--sqlite3")
      args.sqlite3 = value();
    else if (a == "--user")
      args.user = value();
    else if (a == "--password")
      args.password = value();
    else if (a == "--print-sql")
      args.print_sql = true;
    else if (a == "--seed")
      args.seed = std::stoll(value());
    else
      Die("unknown argument " + a + " (see the comment at the top of bench/indicators_bench.cc)");
  }
  if (args.db.empty() || args.key.empty()) Die("give --db FILE and --audit-key FILE");
  if (args.year == 0) {
    // Last year: the most recent closed year.
    const std::time_t t = std::time(nullptr);
    std::tm now{};
    gmtime_r(&t, &now);
    args.year = now.tm_year + 1900 - 1;
  }
  auto registry =
      Check(screening::Registry::LoadDirectory(SCREENING_BENCH_INSTRUMENTS_DIR, nullptr),
            "loading the instruments");
  if (args.seed > 0) {
    if (std::filesystem::exists(args.db)) Die(args.db + " exists; --seed makes a new database");
    const auto start = Clock::now();
    Seed(args, registry);
    std::cout << "seeded " << args.seed << " contacts in "
              << std::chrono::duration<double>(Clock::now() - start).count() << " s\n";
  }
  screening::StoreOptions options;
  options.audit_key_file = args.key;
  options.indicator_threads = args.threads;
  auto store =
      Check(screening::OpenSqliteStore(args.db, registry, options), "opening the database");
  const Actor actor = Check(store->Login(args.user, args.password), "login");
  // Logging in hashes the password with Argon2id (256 MiB by default): not the report's memory.
  ResetPeakRss();

  screening::IndicatorRequest request;
  request.period = Check(screening::YearPeriod(std::to_string(args.year)), "year");
  request.suppress = false;
  // One cut-off for every run and for the SQL, so both count the same rows.
  {
    const std::time_t t = std::time(nullptr);
    std::tm now{};
    gmtime_r(&t, &now);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &now);
    request.cutoff_utc = buf;
  }
  // One untimed run first: it brings the indexes into the operating system's cache, which the
  // timed runs (and the SQL's, warmed the same way below) then share.
  IndicatorReport report = Check(store->Indicators(actor, request), "counting the indicators");
  std::vector<double> library_times;
  for (int run = 0; run < args.runs; ++run) {
    const auto start = Clock::now();
    report = Check(store->Indicators(actor, request), "counting the indicators");
    library_times.push_back(std::chrono::duration<double>(Clock::now() - start).count());
  }
  const long peak_rss_kib = PeakRssKib();
  auto sets = Check(
      screening::LoadIndicatorDefinitions(SCREENING_BENCH_INSTRUMENTS_DIR, *registry, nullptr),
      "loading the definitions");
  auto defs = Check(screening::SelectIndicatorDefinitions(sets, request.period), "definitions");
  const std::string script =
      HandSql(*defs, request.period.from, request.period.to, request.cutoff_utc,
              screening::SwedishMidnightUtc(request.period.from),
              screening::SwedishMidnightUtc(std::to_string(args.year + 1) + "-01-01"), args.year);
  if (args.print_sql) {
    std::cout << script;
    return 0;
  }
  std::vector<double> sql_times;
  double warm_up_seconds = 0;
  std::string output = RunSqlite(args, script, &warm_up_seconds);
  for (int run = 0; run < args.runs; ++run) {
    double seconds = 0;
    output = RunSqlite(args, script, &seconds);
    sql_times.push_back(seconds);
  }

  // Every count of the hand-written SQL must be the report's.
  int differences = 0, compared = 0;
  const std::vector<HandCell> hand = ParseLines(output);
  std::set<std::string> hand_keys;
  for (const HandCell& c : hand) hand_keys.insert(c.table + "/" + c.row + "/" + c.column);
  for (const HandCell& c : hand) {
    const screening::IndicatorCell* cell = report.Find(c.table, c.row, c.column);
    if (!cell) {
      if (c.value != "0") {
        std::cerr << "missing in the report: " << c.table << "/" << c.row << "/" << c.column
                  << " = " << c.value << "\n";
        ++differences;
      }
      continue;
    }
    // Special-category data outside a whole, ended calendar period is not counted at all
    // (SpecialCategoryCounted): nothing to compare (a bench of the current year).
    if (cell->suppression == screening::Suppression::kNotCounted) continue;
    ++compared;
    const bool same = cell->kind == screening::IndicatorCellKind::kCount
                          ? std::to_string(cell->count) == c.value
                          : std::fabs(cell->value - std::stod(c.value)) < 0.001;
    if (!same) {
      std::cerr << "different: " << c.table << "/" << c.row << "/" << c.column << ": report "
                << (cell->kind == screening::IndicatorCellKind::kCount
                        ? std::to_string(cell->count)
                        : std::to_string(cell->value))
                << ", SQL " << c.value << "\n";
      ++differences;
    }
  }
  // The report's own counts that the SQL does not give (totals and shares are derived from
  // the counts compared above): named, so a new indicator without hand-written SQL shows.
  int unchecked = 0;
  for (const auto& t : report.tables) {
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
      for (std::size_t c = 0; c < t.columns.size(); ++c) {
        const auto& cell = t.cells[r][c];
        if (cell.kind != screening::IndicatorCellKind::kCount || cell.count == 0 ||
            t.rows[r].total || t.columns[c].total ||
            hand_keys.count(t.id + "/" + t.rows[r].id + "/" + t.columns[c].id))
          continue;
        std::cerr << "not checked by the SQL: " << t.id << "/" << t.rows[r].id << "/"
                  << t.columns[c].id << "\n";
        ++unchecked;
      }
    }
  }
  const auto* total = report.Find("contacts", "total", "contacts");
  const auto* assessed = report.Find("assessments", "total", "assessments");
  const double lib = Median(library_times), sql = Median(sql_times);
  std::printf(
      "year %d: %lld new contacts, %lld assessments counted; %d cells compared, %d "
      "different, %d not checked\n",
      args.year, total ? static_cast<long long>(total->count) : 0LL,
      assessed ? static_cast<long long>(assessed->count) : 0LL, compared, differences, unchecked);
  std::printf("library (Store::Indicators, median of %d): %.3f s (best %.3f s)\n", args.runs, lib,
              *std::min_element(library_times.begin(), library_times.end()));
  std::printf("hand-written SQL (sqlite3, median of %d):  %.3f s (best %.3f s)\n", args.runs, sql,
              *std::min_element(sql_times.begin(), sql_times.end()));
  // Every run, in order: on a shared machine one slow run shows as such.
  const auto each = [](const std::vector<double>& times) {
    std::string out;
    for (double t : times) out += (out.empty() ? "" : " ") + std::to_string(t).substr(0, 5);
    return out;
  };
  std::printf("runs, library: %s; SQL: %s\n", each(library_times).c_str(), each(sql_times).c_str());
  std::printf("ratio library / SQL: %.2f\n", lib / sql);
  std::printf("peak RSS of the library's report: %.1f MiB\n", peak_rss_kib / 1024.0);
  // One line of key=value pairs for bench/run.
  std::printf(
      "summary: library_s=%.4f sql_s=%.4f ratio=%.3f contacts=%lld assessments=%lld "
      "different=%d unchecked=%d peak_rss_kib=%ld\n",
      lib, sql, lib / sql, total ? static_cast<long long>(total->count) : 0LL,
      assessed ? static_cast<long long>(assessed->count) : 0LL, differences, unchecked,
      peak_rss_kib);
  return differences == 0 && unchecked == 0 ? 0 : 1;
}
