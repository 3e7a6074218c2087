#include "commands/demo_seed.h"

#include <unistd.h>

#include <chrono>
#include <ctime>
#include <iostream>
#include <memory>
#include <ostream>

#include <fmt/format.h>
#include <screening/dates.h>
#include <screening/store.h>
#include <CLI/CLI.hpp>

#include "commands/cli_support.h"
#include "commands/db_support.h"
#include "commands/demo_generator.h"
#include "commands/followup_support.h"

namespace screening::cli {
namespace {

constexpr std::string_view kName = "screening demo seed";

// Today's date in Sweden, as a day number.
std::int64_t SwedishTodayDay() {
  std::int64_t day = 0;
  (void)ParseDate(SwedishToday(), &day);  // the library's date always parses
  return day;
}

// A progress bar on standard error, drawn only when it is a terminal and the run has taken
// more than a second; redrawn at most ten times a second.
class ProgressBar {
 public:
  ProgressBar(Io& io, std::int64_t total)
      : io_(io),
        total_(total),
        enabled_(&io.err == &std::cerr && isatty(STDERR_FILENO) == 1),
        start_(std::chrono::steady_clock::now()) {}

  void Update(std::int64_t done) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - start_ < std::chrono::seconds(1)) return;
    if (done < total_ && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    constexpr int kWidth = 30;
    const double fraction =
        total_ > 0 ? static_cast<double>(done) / static_cast<double>(total_) : 1;
    const int filled = static_cast<int>(fraction * kWidth);
    const double seconds = std::chrono::duration<double>(now - start_).count();
    const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
    io_.err << "\r[" << std::string(static_cast<size_t>(filled), '#')
            << std::string(static_cast<size_t>(kWidth - filled), '-') << "] "
            << fmt::format("{:3.0f}% {}/{} ", fraction * 100, done, total_)
            << Tr(io_.lang, "kontakter", "contacts") << fmt::format(" ({:.0f}/s)  ", rate)
            << std::flush;
    drawn_ = true;
  }

  // Clears the bar's line.
  void Finish() {
    if (drawn_) io_.err << "\r" << std::string(79, ' ') << "\r" << std::flush;
  }

 private:
  Io& io_;
  std::int64_t total_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace

std::string DemoSeedCommand::summary(std::string_view lang) const {
  return Tr(lang, "Fyll en demodatabas med påhittade ärenden",
            "Fill a demo database with made-up cases");
}

int DemoSeedCommand::Run(const std::vector<std::string>& args, Io& io) {
  std::int64_t contacts = 0;
  std::uint64_t seed = 1;
  std::string until;
  int batch = 1000;
  DbFlags flags;
  CommandLine command_line = CommandLineWithDetails(
      *this, std::string(kName),
      "Bara för demonstration och prov: gör N nya kontakter med rutinfrågans utfall "
      "(även ej ställd, med skäl), personer, bedömningar med flera instrument, "
      "inskickningar, granskningar (också återsända och ändrade nivåer), rättelser, "
      "uppföljningar (en del klara) och given stödinformation, genom bibliotekets "
      "vanliga anrop och med dess kontroller. Alla ärendereferenser börjar med DEMO-. "
      "Datan sprids över förra och innevarande år fram till --until. Samma --seed och "
      "--until ger samma data. Kräver en databas från 'screening init --demo' (de "
      "publicerade demokontona) och en administratör som kör kommandot.",
      "For demonstration and trials only: makes N new contacts with the routine "
      "question's outcome (also not asked, with reasons), people, assessments with "
      "several instruments, submissions, reviews (also returned ones and changed "
      "levels), amendments, follow-up items (some done) and support information given, "
      "through the library's ordinary calls and with its checks. Every case reference "
      "starts with DEMO-. The data spreads over the previous and the current year up "
      "to --until. The same --seed and --until give the same data. Needs a database "
      "from 'screening init --demo' (the published demo accounts) and an "
      "administrator running the command.");
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    app.add_option("--contacts", contacts,
                   Tr(lang, "Antal nya kontakter att göra", "Number of new contacts to make"))
        ->required()
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{100000000}).description(""))
        ->type_name("N");
    app.add_option("--seed", seed, Tr(lang, "Slumpfrö (standard 1)", "Random seed (default 1)"))
        ->type_name("S");
    app.add_option("--until", until,
                   Tr(lang, "Sista dag (standard i dag)", "The last day (default today)"))
        ->type_name("YYYY-MM-DD");
    app.add_option("--batch", batch,
                   Tr(lang, "Sparningar per transaktion (standard 1000)",
                      "Saves per transaction (default 1000)"))
        ->check(CLI::Range(1, 1000000).description(""))
        ->type_name("N");
  };
  if (auto code = Parse(args, io, command_line, Preamble(), &flags)) return *code;

  const std::int64_t today = SwedishTodayDay();
  std::int64_t last_day = today;
  if (!until.empty() && !ParseDate(until, &last_day)) {
    return UsageError(
        io, kName,
        Tr(io.lang, "--until: ange ett datum YYYY-MM-DD", "--until: give a date YYYY-MM-DD"));
  }
  if (last_day > today) {
    return UsageError(
        io, kName,
        Tr(io.lang, "--until får inte ligga i framtiden", "--until must not lie in the future"));
  }

  DbSession db;
  if (auto code = Open(io, kName, Preamble(), flags, &db)) return *code;
  if (db.actor.role != Role::kAdmin) {
    return Failure(io, kName,
                   Tr(io.lang, "nekad: demodata läggs in av en administratör",
                      "denied: demo data is added by an administrator"));
  }
  auto directory = LoadDirectoryOrReport(io, kName, *db.registry);
  if (directory == nullptr) return kExitFailed;

  // The store again, now with the clock the seeding walks through the period with.
  auto options = StoreOptionsFor(io, flags.audit_key);
  if (!options.ok()) return Failure(io, kName, options.status().message());
  const std::int64_t real_now = static_cast<std::int64_t>(std::time(nullptr));
  auto clock = std::make_shared<DemoClock>(real_now);
  options->clock = clock;
  db.store.reset();
  auto store = OpenSqliteStore(DatabasePath(io), db.registry, *options);
  if (!store.ok()) {
    return Failure(
        io, kName,
        Describe(io, Tr(io.lang, "kunde inte öppna databasen", "could not open the database"),
                 store.status()));
  }
  auto caseworker = (*store)->Login(kDemoCaseworker.name, kDemoCaseworker.password);
  auto supervisor = caseworker.ok()
                        ? (*store)->Login(kDemoSupervisor.name, kDemoSupervisor.password)
                        : Result<Actor>(caseworker.status());
  if (!caseworker.ok() || !supervisor.ok()) {
    return Failure(io, kName,
                   Tr(io.lang,
                      "det här är ingen demodatabas: demokontona från 'screening init --demo' "
                      "med sina publicerade lösenord saknas",
                      "this is not a demo database: the demo accounts of 'screening init --demo' "
                      "with their published passwords are missing"));
  }

  SeedOptions seed_options;
  seed_options.contacts = contacts;
  seed_options.seed = seed;
  seed_options.first_day = DaysFromCivil(YearOf(last_day) - 1, 1, 1);
  seed_options.last_day = last_day;
  // Nothing after the end of the last working day, nor after this moment.
  seed_options.end_unix = std::min<std::int64_t>((last_day + 1) * 86400 - 1, real_now);
  seed_options.saves_per_transaction = batch;
  SeedStats stats;
  std::int64_t committed = 0;
  ProgressBar bar(io, contacts);
  const auto start = std::chrono::steady_clock::now();
  Status st = SeedDemoData(**store, *clock, *db.registry, *directory, *caseworker, *supervisor,
                           seed_options, &stats, [&](std::int64_t done) {
                             committed = done;
                             bar.Update(done);
                           });
  bar.Finish();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!st.ok()) {
    return Failure(
        io, kName,
        Describe(io,
                 fmt::format("{} {} {}", Tr(io.lang, "avbröts efter", "stopped after"), committed,
                             Tr(io.lang, "sparade kontakter", "saved contacts")),
                 st));
  }

  const double rate = seconds > 0 ? static_cast<double>(stats.contacts) / seconds : 0;
  io.out << fmt::format("{} ({} {}, {} {} – {}):\n",
                        Tr(io.lang, "Demodata inlagd", "Demo data added"),
                        Tr(io.lang, "frö", "seed"), seed, Tr(io.lang, "period", "period"),
                        DateString(seed_options.first_day), DateString(last_day));
  const std::vector<std::pair<const char*, std::int64_t>> lines = {
      {Tr(io.lang, "kontakter", "contacts"), stats.contacts},
      {Tr(io.lang, "  varav frågan ej ställd", "  of which not asked"), stats.not_asked},
      {Tr(io.lang, "  varav berättade om våld", "  of which disclosed violence"), stats.disclosed},
      {Tr(io.lang, "personer", "people"), stats.subjects},
      {Tr(io.lang, "ärenden med skyddade personuppgifter", "cases with protected identity"),
       stats.protected_cases},
      {Tr(io.lang, "bedömningar (med rutinfrågan)", "assessments (routine question included)"),
       stats.assessments},
      {Tr(io.lang, "inskickningar", "submissions"), stats.submitted},
      {Tr(io.lang, "godkända", "approved"), stats.approved},
      {Tr(io.lang, "återsända", "returned"), stats.returned},
      {Tr(io.lang, "ändrade nivåer", "levels changed"), stats.level_changes},
      {Tr(io.lang, "rättelser", "amendments"), stats.amendments},
      {Tr(io.lang, "borttagna utkast", "discarded drafts"), stats.discarded},
      {Tr(io.lang, "uppföljningar klara", "follow-up items done"), stats.due_done},
      {Tr(io.lang, "stödinformation given", "support information given"), stats.support_given},
  };
  std::vector<std::vector<std::string>> rows;
  for (const auto& [label, value] : lines)
    rows.push_back({std::string("  ") + label, std::to_string(value)});
  WriteTable(io.out, rows);
  io.out << fmt::format("{} {} {} {} {:.1f} s ({:.0f} {}).\n", stats.saves,
                        Tr(io.lang, "sparningar i", "saves in"), stats.transactions,
                        Tr(io.lang, "transaktioner på", "transactions in"), seconds, rate,
                        Tr(io.lang, "kontakter/s", "contacts/s"));
  return kExitOk;
}

}  // namespace screening::cli
