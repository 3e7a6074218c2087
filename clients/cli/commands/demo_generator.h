// Synthetic demo data for `screening demo seed`: contacts with the routine question's outcome,
// subjects, assessments with realistic answer mixes, submissions, reviews (with returns and
// supervisors' level changes), amendments, follow-up items (some done) and support
// information given, all made through the Store's ordinary calls in Bulk transactions.
//
// The data is deterministic for a seed and a period: every contact draws from its own random
// stream, and the store's time comes from a DemoClock that walks through the period, so
// contact, submission, review and due dates spread over it as they would in real use.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include <screening/directory.h>
#include <screening/registry.h>
#include <screening/status.h>
#include <screening/store.h>

namespace screening::cli {

// A clock the seeder sets; the store reads it for every timestamp and local date.
class DemoClock final : public Clock {
 public:
  explicit DemoClock(std::int64_t now) : now_(now) {}
  std::int64_t NowUnix() const override { return now_.load(std::memory_order_relaxed); }
  void Set(std::int64_t now) { now_.store(now, std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> now_;
};

// Days since 1970-01-01 of a calendar date (proleptic Gregorian).
std::int64_t DaysFromCivil(int year, int month, int day);
// "YYYY-MM-DD" of a day number.
std::string DateString(std::int64_t day);
// Parses "YYYY-MM-DD" (a real date); false when it is not one.
bool ParseDate(std::string_view text, std::int64_t* day);
// The calendar year of a day number.
int YearOf(std::int64_t day);

struct SeedOptions {
  std::int64_t contacts = 0;
  std::uint64_t seed = 1;
  // The period, as day numbers, inclusive: contacts spread evenly over it.
  std::int64_t first_day = 0;
  std::int64_t last_day = 0;
  // Nothing is done after this time (seconds since the epoch): follow-up steps that would
  // fall later stay undone (a review queue, open due items), as in a live database.
  std::int64_t end_unix = 0;
  // Store writes per Bulk transaction (at least this many, finishing the contact at hand).
  int saves_per_transaction = 1000;
};

struct SeedStats {
  std::int64_t contacts = 0;
  std::int64_t not_asked = 0;
  std::int64_t disclosed = 0;
  std::int64_t subjects = 0;
  std::int64_t protected_cases = 0;
  std::int64_t assessments = 0;  // drafts created (routine questions included)
  std::int64_t submitted = 0;    // submissions (re-submissions included)
  std::int64_t approved = 0;
  std::int64_t returned = 0;
  std::int64_t level_changes = 0;
  std::int64_t amendments = 0;
  std::int64_t discarded = 0;
  std::int64_t due_done = 0;
  std::int64_t support_given = 0;
  std::int64_t saves = 0;         // store writes
  std::int64_t transactions = 0;  // Bulk transactions committed
};

// Seeds the data as `caseworker` and `supervisor` (actors of the demo accounts, both in every
// unit used). `progress` is called after each committed transaction with the number of
// contacts made so far. On failure the transaction at hand is rolled back (the earlier ones
// stay) and the failure is returned.
Status SeedDemoData(Store& store, DemoClock& clock, const Registry& registry,
                    const Directory& directory, const Actor& caseworker, const Actor& supervisor,
                    const SeedOptions& options, SeedStats* stats,
                    const std::function<void(std::int64_t)>& progress);

}  // namespace screening::cli
