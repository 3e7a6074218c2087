#include "commands/demo_generator.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include <screening/instrument.h>
#include <screening/session.h>

#include "commands/followup_support.h"

namespace screening::cli {

// ------------------------------------------------------------------ dates

// Howard Hinnant's days_from_civil / civil_from_days (public domain).
std::int64_t DaysFromCivil(int year, int month, int day) {
  const std::int64_t y = year - (month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = (month + 9) % 12;
  const std::int64_t doy = (153 * mp + 2) / 5 + day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

namespace {

void CivilFromDays(std::int64_t z, int* year, int* month, int* day) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  *day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *year = static_cast<int>(yoe + era * 400 + (*month <= 2 ? 1 : 0));
}

}  // namespace

std::string DateString(std::int64_t day) {
  int y = 0, m = 0, d = 0;
  CivilFromDays(day, &y, &m, &d);
  return fmt::format("{:04d}-{:02d}-{:02d}", y, m, d);
}

int YearOf(std::int64_t day) {
  int y = 0, m = 0, d = 0;
  CivilFromDays(day, &y, &m, &d);
  return y;
}

bool ParseDate(std::string_view text, std::int64_t* day) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  int parts[3] = {0, 0, 0};
  const size_t starts[3] = {0, 5, 8};
  const size_t lengths[3] = {4, 2, 2};
  for (int p = 0; p < 3; ++p) {
    for (size_t i = 0; i < lengths[p]; ++i) {
      const char c = text[starts[p] + i];
      if (c < '0' || c > '9') return false;
      parts[p] = parts[p] * 10 + (c - '0');
    }
  }
  if (parts[0] < 1900 || parts[1] < 1 || parts[1] > 12 || parts[2] < 1) return false;
  const std::int64_t n = DaysFromCivil(parts[0], parts[1], parts[2]);
  if (DateString(n) != text) return false;  // 2025-02-30 and the like
  *day = n;
  return true;
}

namespace {

constexpr std::int64_t kDay = 86400;
// Working hours in UTC that fall on the same date in Sweden (08:00-16:00 winter time).
constexpr std::int64_t kWorkStart = 7 * 3600;
constexpr std::int64_t kWorkLength = 8 * 3600;

// ------------------------------------------------------------------ randomness

// SplitMix64: small, fast and the same on every platform (the standard distributions are
// not), so a seed gives the same data everywhere.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1).
  double Unit() { return static_cast<double>(Next() >> 11) * (1.0 / 9007199254740992.0); }
  bool Chance(double p) { return Unit() < p; }
  // Uniform in [0, n).
  std::int64_t Below(std::int64_t n) {
    return n <= 1 ? 0 : static_cast<std::int64_t>(Next() % static_cast<std::uint64_t>(n));
  }
  std::int64_t Between(std::int64_t lo, std::int64_t hi) { return lo + Below(hi - lo + 1); }
  // An index drawn with the given weights.
  size_t Weighted(std::initializer_list<double> weights) {
    double total = 0;
    for (double w : weights) total += w;
    double x = Unit() * total;
    size_t i = 0;
    for (double w : weights) {
      if (x < w) return i;
      x -= w;
      ++i;
    }
    return weights.size() - 1;
  }
  template <typename T>
  const T& Pick(const std::vector<T>& values) {
    return values[static_cast<size_t>(Below(static_cast<std::int64_t>(values.size())))];
  }

 private:
  std::uint64_t state_;
};

std::uint64_t Mix(std::uint64_t a, std::uint64_t b) {
  Random r(a ^ (b * 0xD1B54A32D192ED03ULL + 0x632BE59BD9B4E019ULL));
  return r.Next();
}

// ------------------------------------------------------------------ answers

v1::AnswerValue Code(std::string code) {
  v1::AnswerValue v;
  v.set_code(std::move(code));
  return v;
}

v1::AnswerValue Integer(std::int64_t n) {
  v1::AnswerValue v;
  v.set_integer(n);
  return v;
}

// A level for a severity in [0, 1], with some disagreement between assessors.
std::string LevelFor(double severity, Random& rng) {
  const double s = std::clamp(severity + (rng.Unit() - 0.5) * 0.3, 0.0, 1.0);
  return s < 0.4 ? "low" : s < 0.72 ? "medium" : "high";
}

// The value of one item for a person whose situation has `severity` (0 calm, 1 grave).
std::optional<v1::AnswerValue> ValueFor(const ItemInfo& info, Random& rng, double severity,
                                        std::int64_t day, std::string_view age_band) {
  const v1::Item& item = *info.def;
  const bool unknown_allowed = !item.no_unknown();
  switch (item.type()) {
    case v1::YES_NO: {
      if (unknown_allowed && rng.Chance(0.06)) return Code("unknown");
      const double p = std::clamp(0.04 + 0.8 * severity + (rng.Unit() - 0.5) * 0.25, 0.0, 0.97);
      return Code(rng.Chance(p) ? "yes" : "no");
    }
    case v1::SINGLE_CHOICE: {
      std::vector<std::string> codes;
      for (const auto& c : info.codes) {
        if (c != "unknown" || unknown_allowed) codes.push_back(c);
      }
      if (codes.empty()) return std::nullopt;
      return Code(rng.Pick(codes));
    }
    case v1::MULTI_CHOICE: {
      std::vector<std::string> codes = info.codes;
      codes.erase(std::remove(codes.begin(), codes.end(), "unknown"), codes.end());
      if (codes.empty()) return std::nullopt;
      const std::int64_t k =
          std::min<std::int64_t>(static_cast<std::int64_t>(codes.size()), rng.Between(1, 3));
      v1::AnswerValue v;
      for (std::int64_t i = 0; i < k; ++i) {
        const auto pick = static_cast<size_t>(rng.Below(static_cast<std::int64_t>(codes.size())));
        v.mutable_codes()->add_codes(codes[pick]);
        codes.erase(codes.begin() + static_cast<std::ptrdiff_t>(pick));
      }
      return v;
    }
    case v1::INTEGER: {
      std::int64_t lo = item.min();
      std::int64_t hi = std::max(item.max(), lo);
      if (item.id() == "age" && !age_band.empty()) {
        // "6-12" -> 6..12; "80+" -> 80..
        int a = 0, b = 0;
        if (std::sscanf(std::string(age_band).c_str(), "%d-%d", &a, &b) == 2) {
          lo = std::max<std::int64_t>(lo, a);
          hi = std::min<std::int64_t>(hi, b);
        }
      }
      if (hi - lo > 20) hi = lo + 20;
      if (hi < lo) hi = lo;
      if (item.id() == "severity") {
        // A calendar incident's severity follows the case's.
        return Integer(std::clamp<std::int64_t>(
            lo + static_cast<std::int64_t>(severity * static_cast<double>(hi - lo + 1)) +
                rng.Between(-1, 1),
            lo, hi));
      }
      return Integer(rng.Between(lo, hi));
    }
    case v1::DATE: {
      v1::AnswerValue v;
      v.set_date(DateString(day - rng.Between(1, 330)));
      return v;
    }
    case v1::TEXT:
      if (!item.required()) return std::nullopt;  // free text only where it must be given
      {
        v1::AnswerValue v;
        v.set_text("Demo: påhittad uppgift.");
        return v;
      }
    case v1::SPJ_FACTOR: {
      auto factor = [&]() -> std::string {
        if (unknown_allowed && rng.Chance(0.05)) return "insufficient";
        const double s = std::clamp(severity + (rng.Unit() - 0.5) * 0.5, 0.0, 1.0);
        return s > 0.66 ? "present" : s > 0.4 ? "partial" : "absent";
      };
      if (item.current_and_history()) {
        v1::AnswerValue v;
        v.mutable_spj()->set_current(factor());
        v.mutable_spj()->set_history(factor());
        return v;
      }
      return Code(factor());
    }
    case v1::PROTECTIVE: {
      if (unknown_allowed && rng.Chance(0.05)) return Code("unknown");
      const double s = std::clamp(1.0 - severity + (rng.Unit() - 0.5) * 0.6, 0.0, 1.0);
      return Integer(s > 0.66 ? 2 : s > 0.33 ? 1 : 0);
    }
    default:
      return std::nullopt;  // groups are answered block by block
  }
}

// Answers a repeat group: a few blocks, each item of the block that is enabled.
Status AnswerGroup(Session& session, int group_index, Random& rng, double severity,
                   std::int64_t day) {
  const Instrument& inst = session.instrument();
  const ItemInfo& group = inst.items()[static_cast<size_t>(group_index)];
  const int max_blocks = group.def->max_blocks() > 0 ? group.def->max_blocks() : 50;
  const std::int64_t blocks =
      std::min<std::int64_t>(max_blocks, rng.Below(static_cast<std::int64_t>(1 + 4 * severity)));
  for (std::int64_t b = 0; b < blocks; ++b) {
    auto block = session.AddBlock(group.def->id());
    if (!block.ok()) return block.status();
    for (size_t i = 0; i < inst.items().size(); ++i) {
      const ItemInfo& info = inst.items()[i];
      if (info.group != group_index) continue;
      auto value = ValueFor(info, rng, severity, day, {});
      if (!value) continue;
      Status st = session.SetInBlock(group.def->id(), *block, info.def->id(), *value);
      if (!st.ok() && st.code() != StatusCode::kFailedPrecondition) return st;
    }
  }
  return Status::Ok();
}

// A finishable session of `instrument` with answers drawn for `severity`.
Result<Session> GenerateAnswers(const std::shared_ptr<const Instrument>& instrument, Random& rng,
                                double severity, std::int64_t day, std::string_view age_band) {
  Session session(instrument);
  const auto& items = instrument->items();
  std::vector<bool> answered(items.size(), false);
  // Two passes: an item enabled by a later answer is answered in the second.
  for (int pass = 0; pass < 2; ++pass) {
    for (size_t i = 0; i < items.size(); ++i) {
      const ItemInfo& info = items[i];
      if (info.group >= 0 || answered[i] || !session.IsEnabled(static_cast<int>(i))) continue;
      answered[i] = true;
      // Optional items are sometimes left out, as in real use.
      if (!info.def->required() && rng.Chance(0.03)) continue;
      if (info.def->type() == v1::GROUP) {
        if (Status st = AnswerGroup(session, static_cast<int>(i), rng, severity, day); !st.ok())
          return st;
        continue;
      }
      auto value = ValueFor(info, rng, severity, day, age_band);
      if (!value) continue;
      Status st = session.Set(info.def->id(), *value);
      if (!st.ok() && st.code() != StatusCode::kFailedPrecondition) return st;
    }
  }
  for (const auto& judgement : instrument->definition().judgements()) {
    if (Status st = session.SetJudgement(judgement.id(), LevelFor(severity, rng),
                                         "Demo: påhittad motivering.");
        !st.ok()) {
      return st;
    }
  }
  if (instrument->definition().client_estimate()) {
    // People often judge their danger lower than the assessor does.
    if (Status st = session.SetClientEstimate(LevelFor(severity - 0.15, rng)); !st.ok()) return st;
  }
  if (Status st = session.CheckFinishable(); !st.ok()) return st;
  return session;
}

// ------------------------------------------------------------------ the plan

const std::vector<std::string>& Units() {
  static const std::vector<std::string> units(std::begin(kDemoUnits), std::end(kDemoUnits));
  return units;
}

enum class EventKind : std::uint8_t { kSubmit, kDiscard, kReview, kResubmit, kAmend, kDueScan };

// A step that follows a contact later: submitting, reviewing, correcting, following up.
struct Event {
  std::int64_t time = 0;
  std::uint64_t order = 0;  // ties in time keep the order of scheduling
  EventKind kind = EventKind::kSubmit;
  std::int64_t id = 0;  // the assessment
  std::uint64_t seed = 0;
  float severity = 0;
  std::int16_t instrument = 0;  // index into Seeder::instruments_
  std::uint8_t attempt = 0;     // 0 first review; 1 after a return or an amendment
  std::string age_band;

  bool operator>(const Event& other) const {
    return time != other.time ? time > other.time : order > other.order;
  }
};

class Seeder {
 public:
  Seeder(Store& store, DemoClock& clock, const Registry& registry, const Directory& directory,
         const Actor& caseworker, const Actor& supervisor, const SeedOptions& options,
         SeedStats* stats)
      : store_(store),
        clock_(clock),
        registry_(registry),
        directory_(directory),
        caseworker_(caseworker),
        supervisor_(supervisor),
        options_(options),
        stats_(*stats) {}

  Status Init() {
    auto routine = RoutineInstrument(registry_);
    if (!routine.ok()) return routine.status();
    instruments_.push_back(*routine);
    for (const char* id : {"farlighet", "dash", "lap", "partnervald", "heder", "skydd", "barn",
                           "utovare", "odara"}) {
      auto instrument = registry_.Find(id);
      if (instrument == nullptr) {
        return Status::NotFound(fmt::format("the instrument '{}' is not installed", id));
      }
      instruments_.push_back(instrument);
    }
    // The clock starts at the period (the logins before seeding happened at the real time).
    now_ = DayStart(options_.first_day);
    clock_.Set(now_);
    // The first scan of follow-up items a week in.
    Schedule(DayStart(options_.first_day + 7) + kWorkStart, EventKind::kDueScan, 0, 0, 0, 0, 0, {});
    return Status::Ok();
  }

  bool done() const { return next_contact_ >= options_.contacts; }
  std::int64_t next_contact() const { return next_contact_; }

  // One transaction's worth: contacts (and the steps due before each) until enough saves.
  Status RunBatch() {
    const std::int64_t saves_before = stats_.saves;
    while (!done() && stats_.saves - saves_before < options_.saves_per_transaction) {
      const std::int64_t i = next_contact_;
      const std::int64_t t = ContactTime(i);
      if (Status st = Drain(t); !st.ok()) return st;
      if (Status st = Contact(i, t); !st.ok()) return st;
      ++next_contact_;
    }
    if (done()) return Drain(options_.end_unix);
    return Status::Ok();
  }

 private:
  static std::int64_t DayStart(std::int64_t day) { return day * kDay; }

  // Contacts spread evenly over the period's working hours.
  std::int64_t ContactTime(std::int64_t i) const {
    const std::int64_t days = options_.last_day - options_.first_day + 1;
    const double position = (static_cast<double>(i) + 0.5) * static_cast<double>(days) /
                            static_cast<double>(options_.contacts);
    const auto day = static_cast<std::int64_t>(position);
    const double fraction = position - static_cast<double>(day);
    const std::int64_t t = DayStart(options_.first_day + day) + kWorkStart +
                           static_cast<std::int64_t>(fraction * static_cast<double>(kWorkLength));
    return std::min(t, options_.end_unix);
  }

  // A working-hours time `min_days`..`max_days` days after `from`.
  static std::int64_t Later(std::int64_t from, Random& rng, int min_days, int max_days) {
    const std::int64_t day = from / kDay + rng.Between(min_days, max_days);
    std::int64_t t = DayStart(day) + kWorkStart + rng.Below(kWorkLength);
    return std::max(t, from + 60);
  }

  // Moves the store's time forward to `t` (never back: the audit log reads in order).
  void Advance(std::int64_t t) {
    now_ = std::max(now_, t);
    clock_.Set(now_);
  }
  // One second on, between two steps of one person's work.
  void Tick() { Advance(now_ + 1); }

  void Schedule(std::int64_t time, EventKind kind, std::int64_t id, std::uint64_t seed,
                double severity, int instrument, int attempt, std::string age_band) {
    if (time > options_.end_unix) return;  // after the end: left undone
    Event e;
    e.time = time;
    e.order = order_++;
    e.kind = kind;
    e.id = id;
    e.seed = seed;
    e.severity = static_cast<float>(severity);
    e.instrument = static_cast<std::int16_t>(instrument);
    e.attempt = static_cast<std::uint8_t>(attempt);
    e.age_band = std::move(age_band);
    queue_.push(std::move(e));
  }

  Status Drain(std::int64_t until) {
    while (!queue_.empty() && queue_.top().time <= until) {
      Event e = queue_.top();
      queue_.pop();
      Advance(e.time);
      if (Status st = Handle(e); !st.ok()) return st;
    }
    return Status::Ok();
  }

  // ---------------------------------------------------------------- a contact

  Status Contact(std::int64_t i, std::int64_t t) {
    Random rng(Mix(options_.seed, static_cast<std::uint64_t>(i)));
    Advance(t);
    const std::int64_t day = t / kDay;
    const size_t unit_index = rng.Weighted({0.5, 0.3, 0.2});
    const std::string& unit = Units()[unit_index];
    // Some contacts are new contacts in a case already open.
    auto& recent = recent_cases_[unit_index];
    std::string case_ref;
    if (!recent.empty() && rng.Chance(0.08)) {
      case_ref = rng.Pick(recent);
    } else {
      case_ref = fmt::format("{}{}-{:07d}", kDemoCasePrefix, YearOf(day), i + 1);
      if (recent.size() < 500) {
        recent.push_back(case_ref);
      } else {
        recent[static_cast<size_t>(rng.Below(500))] = case_ref;
      }
    }

    // The routine question's outcome, by unit (IFO adults hear the most disclosures).
    static const double kDisclosed[] = {0.17, 0.12, 0.07};
    static const double kDeclined[] = {0.05, 0.04, 0.05};
    static const double kNotAsked[] = {0.13, 0.18, 0.2};
    const size_t outcome = rng.Weighted(
        {kDisclosed[unit_index], kDeclined[unit_index], kNotAsked[unit_index],
         1.0 - kDisclosed[unit_index] - kDeclined[unit_index] - kNotAsked[unit_index]});
    const bool disclosed = outcome == 0;
    const bool not_asked = outcome == 2;
    const double severity = disclosed ? std::pow(rng.Unit(), 0.8) : rng.Unit() * 0.2;
    const bool children = rng.Chance(unit_index == 1 ? 0.95 : 0.35);
    const std::int64_t child_count = children ? rng.Weighted({0.45, 0.35, 0.2}) + 1 : 0;

    Session intake(instruments_[0]);
    ContactInput contact;
    contact.unit = unit;
    contact.case_ref = case_ref;
    contact.contact_date = DateString(day);
    if (not_asked) {
      static const std::vector<std::string> kReasons = {"not_alone",       "relative_interpreter",
                                                        "no_private_room", "acute_crisis",
                                                        "child_present",   "other"};
      const size_t r = rng.Weighted({0.3, 0.18, 0.15, 0.15, 0.17, 0.05});
      contact.outcome = "not_asked";
      contact.not_asked_reason = kReasons[r];
      if (Status st = intake.SetCode("safe_to_ask", "no"); !st.ok()) return st;
      if (Status st = intake.SetCode("not_asked_reason", kReasons[r]); !st.ok()) return st;
      if (kReasons[r] == "other") {
        contact.not_asked_note = "Demo: påhittat skäl.";
        if (Status st = intake.SetNote("not_asked_reason", contact.not_asked_note); !st.ok())
          return st;
      }
      ++stats_.not_asked;
    } else {
      static const char* kOutcomes[] = {"disclosed", "declined", "", "not_disclosed"};
      contact.outcome = kOutcomes[outcome];
      if (Status st = intake.SetCode("safe_to_ask", "yes"); !st.ok()) return st;
      for (int q = 1; q <= 8; ++q) {
        std::string answer = "no";
        if (disclosed) {
          answer = rng.Chance(0.15 + 0.6 * severity) ? "yes" : "no";
        } else if (outcome == 1) {
          answer = rng.Chance(0.5) ? "unknown" : "no";
        } else if (rng.Chance(0.004)) {
          answer = "yes";  // a yes without a disclosure: the consistency flag
        }
        if (q == 1 && disclosed) answer = "yes";
        if (q == 8 && disclosed && children && rng.Chance(0.5)) answer = "yes";
        if (Status st = intake.SetCode(fmt::format("q{}", q), answer); !st.ok()) return st;
      }
      if (Status st = intake.SetCode("outcome", contact.outcome); !st.ok()) return st;
      if (disclosed) {
        static const std::vector<std::string> kTypes = {
            "psychological", "physical", "economic",        "sexual",        "latent",
            "coercion",      "honour",   "forced_marriage", "child_witness", "neglect"};
        static const double kTypeChance[] = {0.75, 0.55, 0.22, 0.14, 0.1,
                                             0.08, 0.04, 0.01, 0.0,  0.03};
        v1::AnswerValue types;
        for (size_t k = 0; k < kTypes.size(); ++k) {
          double p = kTypeChance[k];
          if (kTypes[k] == "child_witness" && children) p = 0.4;
          if (rng.Chance(p)) {
            types.mutable_codes()->add_codes(kTypes[k]);
            contact.violence_types.push_back(kTypes[k]);
          }
        }
        if (types.codes().codes_size() == 0) {
          types.mutable_codes()->add_codes("psychological");
          contact.violence_types.push_back("psychological");
        }
        if (Status st = intake.Set("violence_types", types); !st.ok()) return st;
        ++stats_.disclosed;
      }
    }
    if (Status st = intake.SetCode("children_in_household", children ? "yes" : "no"); !st.ok())
      return st;
    if (children) {
      if (Status st = intake.SetInteger("children_count", child_count); !st.ok()) return st;
    }

    // Saved as the intake command saves it: the contact, then the routine question's
    // assessment linked to it, submitted.
    auto contact_id = store_.AddContact(caseworker_, contact);
    if (!contact_id.ok()) return contact_id.status();
    ++stats_.contacts;
    ++stats_.saves;
    AssessmentInput input;
    input.unit = unit;
    input.case_ref = case_ref;
    input.contact_id = *contact_id;
    auto intake_id = store_.CreateDraft(caseworker_, input, intake);
    if (!intake_id.ok()) return intake_id.status();
    ++stats_.assessments;
    ++stats_.saves;
    Tick();
    if (Status st = store_.Submit(caseworker_, *intake_id); !st.ok()) return st;
    ++stats_.submitted;
    ++stats_.saves;
    Schedule(Later(now_, rng, 1, 14), EventKind::kReview, *intake_id, rng.Next(), severity, 0, 1,
             {});
    if (!disclosed) return Status::Ok();

    // A disclosure: the people in the case, support information, follow-up assessments.
    const bool protected_case = rng.Chance(0.02);
    const Actor& registrar = protected_case ? supervisor_ : caseworker_;
    static const std::vector<std::string> kAdultBands = {"18-24", "25-44", "45-64", "65-79", "80+"};
    SubjectInput victim;
    victim.unit = unit;
    victim.case_ref = case_ref;
    victim.role = "adult_victim";
    victim.age_band = kAdultBands[rng.Weighted({0.16, 0.5, 0.24, 0.08, 0.02})];
    victim.protected_identity = protected_case;
    if (rng.Chance(0.12)) {
      static const std::vector<std::string> kGroups = {"disability", "lgbtq", "foreign_background"};
      victim.vulnerable_groups.push_back(victim.age_band == "65-79" || victim.age_band == "80+"
                                             ? std::string("older")
                                             : rng.Pick(kGroups));
    }
    Tick();
    auto victim_id = store_.AddSubject(registrar, victim);
    if (!victim_id.ok()) return victim_id.status();
    ++stats_.subjects;
    ++stats_.saves;
    if (protected_case) {
      // The supervisor who registered the protected subject opens the case to its caseworker.
      if (Status st = store_.Grant(supervisor_, unit, case_ref, caseworker_.name,
                                   "Demo: handläggare i ärendet", "");
          !st.ok()) {
        return st;
      }
      ++stats_.protected_cases;
      ++stats_.saves;
    }
    std::vector<std::pair<std::int64_t, std::string>> child_ids;
    static const std::vector<std::string> kChildBands = {"0-5", "6-12", "13-17"};
    for (std::int64_t c = 0; c < child_count; ++c) {
      SubjectInput child;
      child.unit = unit;
      child.case_ref = case_ref;
      child.role = "child";
      child.age_band = kChildBands[rng.Weighted({0.35, 0.4, 0.25})];
      auto child_id = store_.AddSubject(caseworker_, child);
      if (!child_id.ok()) return child_id.status();
      child_ids.emplace_back(*child_id, child.age_band);
      ++stats_.subjects;
      ++stats_.saves;
    }
    std::optional<std::int64_t> perpetrator_id;
    std::string perpetrator_band;
    if (rng.Chance(unit_index == 0 ? 0.3 : 0.12)) {
      SubjectInput perpetrator;
      perpetrator.unit = unit;
      perpetrator.case_ref = case_ref;
      perpetrator.role = "perpetrator";
      perpetrator.age_band = kAdultBands[rng.Weighted({0.15, 0.5, 0.28, 0.07, 0.0})];
      perpetrator_band = perpetrator.age_band;
      auto id = store_.AddSubject(caseworker_, perpetrator);
      if (!id.ok()) return id.status();
      perpetrator_id = *id;
      ++stats_.subjects;
      ++stats_.saves;
    }
    if (rng.Chance(0.8)) {
      if (Status st = GiveSupport(unit, case_ref, *victim_id, "adult_victim", rng); !st.ok())
        return st;
    }
    if (perpetrator_id && rng.Chance(0.9)) {
      if (Status st = GiveSupport(unit, case_ref, *perpetrator_id, "perpetrator", rng); !st.ok())
        return st;
    }

    // Instrument indexes: 1 farlighet, 2 dash, 3 lap, 4 partnervald, 5 heder, 6 skydd,
    // 7 barn, 8 utovare, 9 odara.
    const bool honour = std::find(contact.violence_types.begin(), contact.violence_types.end(),
                                  "honour") != contact.violence_types.end();
    const std::pair<int, double> victim_plan[] = {
        {1, 0.65}, {2, 0.2}, {3, 0.12}, {4, 0.15}, {5, honour ? 0.8 : 0.02}, {6, 0.2}};
    for (const auto& [instrument, chance] : victim_plan) {
      if (!rng.Chance(chance)) continue;
      if (Status st = FollowUp(instrument, unit, case_ref, *victim_id, *contact_id, severity,
                               victim.age_band, rng);
          !st.ok()) {
        return st;
      }
    }
    for (const auto& [child_id, band] : child_ids) {
      if (!rng.Chance(0.8)) continue;
      if (Status st = FollowUp(7, unit, case_ref, child_id, *contact_id, severity, band, rng);
          !st.ok()) {
        return st;
      }
    }
    if (perpetrator_id) {
      for (const auto& [instrument, chance] : {std::pair<int, double>{8, 0.75}, {9, 0.2}}) {
        if (!rng.Chance(chance)) continue;
        if (Status st = FollowUp(instrument, unit, case_ref, *perpetrator_id, *contact_id, severity,
                                 perpetrator_band, rng);
            !st.ok()) {
          return st;
        }
      }
    }
    return Status::Ok();
  }

  Status GiveSupport(const std::string& unit, const std::string& case_ref, std::int64_t subject,
                     const char* role, Random& rng) {
    // Only entries with a number can have been handed over.
    std::vector<const v1::Resource*> list;
    for (const v1::Resource* r : directory_.ResourcesFor(role, "sv")) {
      if (directory_.CheckGivable(r->id()).ok()) list.push_back(r);
    }
    std::vector<std::string> ids;
    // One or two resources for the person, and the municipality's social services (last).
    const size_t specific = list.size() > 3 ? list.size() - 3 : 0;
    const size_t take = std::min<size_t>(specific, static_cast<size_t>(rng.Between(1, 2)));
    for (size_t k = 0; k < take; ++k) ids.push_back(list[k]->id());
    if (!list.empty()) ids.push_back(list.back()->id());
    Tick();
    if (Status st = store_.RecordSupportGiven(caseworker_, unit, case_ref, subject, ids); !st.ok())
      return st;
    ++stats_.support_given;
    ++stats_.saves;
    return Status::Ok();
  }

  // A follow-up assessment begun at the contact: submitted within days, left as a draft, or
  // discarded.
  Status FollowUp(int instrument, const std::string& unit, const std::string& case_ref,
                  std::int64_t subject, std::int64_t contact, double severity,
                  const std::string& age_band, Random& rng) {
    const double s = std::clamp(severity + (rng.Unit() - 0.5) * 0.2, 0.0, 1.0);
    auto session = GenerateAnswers(instruments_[static_cast<size_t>(instrument)], rng, s,
                                   now_ / kDay, age_band);
    if (!session.ok()) return Bug(instrument, session.status());
    AssessmentInput input;
    input.unit = unit;
    input.case_ref = case_ref;
    input.subject_id = subject;
    input.contact_id = contact;
    Tick();
    auto id = store_.CreateDraft(caseworker_, input, *session);
    if (!id.ok()) return id.status();
    ++stats_.assessments;
    ++stats_.saves;
    const size_t fate = rng.Weighted({0.86, 0.09, 0.05});
    if (fate == 0) {
      Schedule(Later(now_, rng, 0, 4), EventKind::kSubmit, *id, rng.Next(), s, instrument, 0,
               age_band);
    } else if (fate == 2) {
      Schedule(Later(now_, rng, 1, 6), EventKind::kDiscard, *id, 0, s, instrument, 0, {});
    }
    return Status::Ok();
  }

  // A generated answer set the instrument refuses is a bug in this generator, not in the
  // data: say which instrument.
  Status Bug(int instrument, const Status& status) const {
    return Status::Internal(fmt::format("demo answers for '{}': {}",
                                        instruments_[static_cast<size_t>(instrument)]->id(),
                                        status.message()));
  }

  // ---------------------------------------------------------------- later steps

  Status Handle(const Event& e) {
    Random rng(e.seed);
    switch (e.kind) {
      case EventKind::kSubmit: {
        if (Status st = store_.Submit(caseworker_, e.id); !st.ok()) return st;
        ++stats_.submitted;
        ++stats_.saves;
        Schedule(Later(now_, rng, 1, 10), EventKind::kReview, e.id, rng.Next(), e.severity,
                 e.instrument, e.attempt, e.age_band);
        return Status::Ok();
      }
      case EventKind::kDiscard: {
        if (Status st = store_.DiscardDraft(caseworker_, e.id); !st.ok()) return st;
        ++stats_.discarded;
        ++stats_.saves;
        return Status::Ok();
      }
      case EventKind::kReview:
        return Review(e, rng);
      case EventKind::kResubmit: {
        // The caseworker completes what the supervisor asked for and submits again.
        auto session = GenerateAnswers(instruments_[static_cast<size_t>(e.instrument)], rng,
                                       e.severity, now_ / kDay, e.age_band);
        if (!session.ok()) return Bug(e.instrument, session.status());
        if (Status st = store_.UpdateDraft(caseworker_, e.id, *session); !st.ok()) return st;
        ++stats_.saves;
        Tick();
        if (Status st = store_.Submit(caseworker_, e.id); !st.ok()) return st;
        ++stats_.submitted;
        ++stats_.saves;
        Schedule(Later(now_, rng, 1, 5), EventKind::kReview, e.id, rng.Next(), e.severity,
                 e.instrument, 1, e.age_band);
        return Status::Ok();
      }
      case EventKind::kAmend: {
        // New information about the violence: a corrected, graver version.
        const double s = std::min(1.0, static_cast<double>(e.severity) + 0.2);
        auto session = GenerateAnswers(instruments_[static_cast<size_t>(e.instrument)], rng, s,
                                       now_ / kDay, e.age_band);
        if (!session.ok()) return Bug(e.instrument, session.status());
        auto amended = store_.Amend(caseworker_, e.id, "Demo: ny uppgift om våldet", *session);
        if (!amended.ok()) return amended.status();
        ++stats_.amendments;
        ++stats_.assessments;
        ++stats_.saves;
        Tick();
        if (Status st = store_.Submit(caseworker_, *amended); !st.ok()) return st;
        ++stats_.submitted;
        ++stats_.saves;
        Schedule(Later(now_, rng, 1, 5), EventKind::kReview, *amended, rng.Next(), s, e.instrument,
                 1, e.age_band);
        return Status::Ok();
      }
      case EventKind::kDueScan:
        return DueScan(e);
    }
    return Status::Ok();
  }

  Status Review(const Event& e, Random& rng) {
    const bool routine = e.instrument == 0;
    const size_t decision = routine || e.attempt > 0 ? 0 : rng.Weighted({0.84, 0.09, 0.07});
    if (decision == 1) {
      if (Status st = store_.Return(supervisor_, e.id, "Demo: komplettera motiveringen.");
          !st.ok()) {
        return st;
      }
      ++stats_.returned;
      ++stats_.saves;
      Schedule(Later(now_, rng, 1, 5), EventKind::kResubmit, e.id, rng.Next(), e.severity,
               e.instrument, 1, e.age_band);
      return Status::Ok();
    }
    if (decision == 2) {
      if (Status st = ChangeLevel(e, rng); !st.ok()) return st;
    }
    if (Status st = store_.Approve(supervisor_, e.id, rng.Chance(0.3) ? "Demo: godkänd." : "");
        !st.ok()) {
      return st;
    }
    ++stats_.approved;
    ++stats_.saves;
    if (!routine && e.attempt == 0 && rng.Chance(0.03)) {
      Schedule(Later(now_, rng, 7, 60), EventKind::kAmend, e.id, rng.Next(), e.severity,
               e.instrument, 1, e.age_band);
    }
    return Status::Ok();
  }

  // The supervisor weighs the case differently: one step up (more often) or down.
  Status ChangeLevel(const Event& e, Random& rng) {
    auto record = store_.Get(supervisor_, e.id);
    if (!record.ok()) return record.status();
    const std::string current = record->result ? record->result->final_level() : "";
    if (current.empty()) return Status::Ok();  // nothing to change (a checklist without level)
    const Instrument& inst = *instruments_[static_cast<size_t>(e.instrument)];
    std::vector<std::string> levels;
    if (inst.has_banding()) {
      for (const auto& band : inst.definition().banding().bands()) levels.push_back(band.id());
    } else {
      levels = {"low", "medium", "high"};
    }
    const auto at = std::find(levels.begin(), levels.end(), current);
    if (at == levels.end() || levels.size() < 2) return Status::Ok();
    auto index = static_cast<std::int64_t>(at - levels.begin());
    const std::int64_t last = static_cast<std::int64_t>(levels.size()) - 1;
    // For SPJ levels up is towards "high"; bands are listed in the instrument's own order.
    const bool up = index == 0 ? true : index == last ? false : rng.Chance(0.65);
    index += up ? 1 : -1;
    const std::string& level = levels[static_cast<size_t>(index)];
    const char* reason = inst.has_banding() ? "Demo: arbetsledarens bedömning av nivån."
                         : up               ? "Demo: allvarligare än bedömt, se samtalet."
                                            : "Demo: skyddet är ordnat, risken bedöms lägre.";
    if (Status st = store_.ChangeLevel(supervisor_, e.id, level, reason); !st.ok()) {
      return st;
    }
    ++stats_.level_changes;
    ++stats_.saves;
    return Status::Ok();
  }

  // Every few days the caseworker works through the open follow-up items: most are done by
  // their deadline, some late, a few never.
  Status DueScan(const Event& e) {
    auto due = store_.Due(caseworker_, false);
    if (!due.ok()) return due.status();
    const std::int64_t today = now_ / kDay;
    for (const DueItem& item : *due) {
      const std::uint64_t h =
          Mix(options_.seed ^ 0x5EEDD0E5ULL, static_cast<std::uint64_t>(item.id));
      const double u = static_cast<double>(h >> 11) * (1.0 / 9007199254740992.0);
      bool do_it = false;
      std::int64_t due_day = 0;
      if (item.due_date.empty() || !ParseDate(item.due_date, &due_day)) {
        // "At the next contact": done once it has waited a scan, for most.
        do_it = u < 0.7 && !seen_.insert(item.id).second;
        if (do_it) seen_.erase(item.id);
      } else if (u < 0.93) {
        const std::int64_t offset =
            u < 0.75 ? static_cast<std::int64_t>(h % 3) - 2 : static_cast<std::int64_t>(h % 21) + 1;
        do_it = today >= due_day + offset;
      }
      if (!do_it) continue;
      Tick();
      if (Status st = store_.MarkDone(caseworker_, item.id); !st.ok()) return st;
      ++stats_.due_done;
      ++stats_.saves;
    }
    Schedule(e.time + 3 * kDay, EventKind::kDueScan, 0, 0, 0, 0, 0, {});
    return Status::Ok();
  }

  Store& store_;
  DemoClock& clock_;
  const Registry& registry_;
  const Directory& directory_;
  const Actor& caseworker_;
  const Actor& supervisor_;
  SeedOptions options_;
  SeedStats& stats_;
  std::vector<std::shared_ptr<const Instrument>> instruments_;
  std::priority_queue<Event, std::vector<Event>, std::greater<>> queue_;
  std::uint64_t order_ = 0;
  std::int64_t now_ = 0;
  std::int64_t next_contact_ = 0;
  std::vector<std::string> recent_cases_[3];
  std::unordered_set<std::int64_t> seen_;
};

}  // namespace

Status SeedDemoData(Store& store, DemoClock& clock, const Registry& registry,
                    const Directory& directory, const Actor& caseworker, const Actor& supervisor,
                    const SeedOptions& options, SeedStats* stats,
                    const std::function<void(std::int64_t)>& progress) {
  Seeder seeder(store, clock, registry, directory, caseworker, supervisor, options, stats);
  if (Status st = seeder.Init(); !st.ok()) return st;
  while (!seeder.done()) {
    if (Status st = store.Bulk([&] { return seeder.RunBatch(); }); !st.ok()) return st;
    ++stats->transactions;
    if (progress) progress(seeder.next_contact());
  }
  return Status::Ok();
}

}  // namespace screening::cli
