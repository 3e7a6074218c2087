// Engine vs hand-written C++: evaluates the real `dash` checklist, a 24-item yes/no count
// instrument and a 20-item weighted one from in-memory answers, next to hand-written
// functions that produce the identical Result (same scores, band, certainty, flags,
// recommendations, explanation).
// Every result of both is compared before anything is timed. Target: engine within 3x.
//
//   engine_bench [--iterations N]     (N rounds over 1024 answer sets; default 200)
#include <google/protobuf/util/message_differencer.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <screening/instrument.h>
#include <screening/session.h>
#include <screening/version.h>
#include <screening/vocabulary.h>

namespace {

using screening::v1::Result;

constexpr const char* kUncertain =
    "Nivån är osäker: okända eller obesvarade frågor kan ändra den. Resultatet får inte läsas "
    "som låg risk.";

// 0 yes, 1 no, 2 unknown, -1 unanswered.
template <std::size_t N>
using Codes = std::array<int, N>;

void FillRef(const screening::Instrument& inst, Result* r) {
  auto* ref = r->mutable_instrument();
  ref->set_id(inst.id());
  ref->set_version(inst.version());
  ref->set_sha256(inst.logic_sha256());
  ref->set_text_sha256(inst.TextSha256("sv"));
  ref->set_engine(screening::EngineVersion());
}

// The 24-item count: yes_count; below_threshold 0..13, high 14..24.
Result HandCount24(const Codes<24>& a, const Result& ref) {
  static const char* kIds[] = {"q1",  "q2",  "q3",  "q4",  "q5",  "q6",  "q7",  "q8",
                               "q9",  "q10", "q11", "q12", "q13", "q14", "q15", "q16",
                               "q17", "q18", "q19", "q20", "q21", "q22", "q23", "q24"};
  Result r;
  *r.mutable_instrument() = ref.instrument();
  int yes = 0, unknown = 0, unanswered = 0;
  for (int c : a) {
    yes += c == 0;
    unknown += c == 2;
    unanswered += c < 0;
  }
  const int hi = yes + unknown + unanswered;
  const bool high = yes >= 14;
  const bool certain = high == (hi >= 14);
  r.set_unknown_count(unknown);
  r.set_unanswered_count(unanswered);
  (*r.mutable_scores())["yes_count"] = yes;
  r.set_band(high ? "high" : "below_threshold");
  r.set_band_certain(certain);
  r.set_final_level(r.band());
  if (!certain) r.add_flags("uncertain");
  if (high) r.add_recommendations("referral");
  r.add_recommendations("support_information");
  r.set_complete(unknown == 0 && unanswered == 0);
  auto* e = r.add_explanation();
  e->set_rule("yes_count = count(yes, q1..q24)");
  for (int i = 0; i < 24; ++i) {
    if (a[static_cast<std::size_t>(i)] == 0) e->add_items(kIds[i]);
  }
  e->set_text("Antal ja: " + std::to_string(yes));
  auto* b = r.add_explanation();
  b->set_rule(high ? "yes_count >= 14" : "yes_count <= 13");
  *b->mutable_items() = e->items();
  b->set_text(high ? "Hög" : "Under tröskeln");
  if (!certain) {
    auto* u = r.add_explanation();
    u->set_rule("band_certain == false");
    for (int i = 0; i < 24; ++i) {
      int c = a[static_cast<std::size_t>(i)];
      if (c == 2 || c < 0) u->add_items(kIds[i]);
    }
    u->set_text(kUncertain);
    auto* f = r.add_explanation();
    f->set_rule("not band_certain");
    f->set_text("Osäker nivå");
  }
  return r;
}

// dash (instruments/dash.textproto): yes_count = count(yes, q1..q24); below_threshold
// 0..13, high 14..24; five recommendations; no flags. Texts as the instrument has them.
Result HandDash(const Codes<24>& a, const Result& ref) {
  static const char* kIds[] = {"q1",  "q2",  "q3",  "q4",  "q5",  "q6",  "q7",  "q8",
                               "q9",  "q10", "q11", "q12", "q13", "q14", "q15", "q16",
                               "q17", "q18", "q19", "q20", "q21", "q22", "q23", "q24"};
  Result r;
  *r.mutable_instrument() = ref.instrument();
  int yes = 0, unknown = 0, unanswered = 0;
  for (int c : a) {
    yes += c == 0;
    unknown += c == 2;
    unanswered += c < 0;
  }
  const bool high = yes >= 14;
  const bool certain = high == (yes + unknown + unanswered >= 14);
  r.set_unknown_count(unknown);
  r.set_unanswered_count(unanswered);
  (*r.mutable_scores())["yes_count"] = yes;
  r.set_band(high ? "high" : "below_threshold");
  r.set_band_certain(certain);
  r.set_final_level(r.band());
  if (high) r.add_recommendations("multi_agency_referral");
  if (high || !certain) {
    r.add_recommendations("safety_plan");
    r.add_recommendations("offer_investigation");
  }
  if (!high) r.add_recommendations("consider_referral_on_judgement");
  r.add_recommendations("support_information");
  r.set_complete(unknown == 0 && unanswered == 0);
  auto* e = r.add_explanation();
  e->set_rule("yes_count = count(yes, q1..q24)");
  for (int i = 0; i < 24; ++i) {
    if (a[static_cast<std::size_t>(i)] == 0) e->add_items(kIds[i]);
  }
  e->set_text("Antal ja-svar av 24 (vet inte räknas inte): " + std::to_string(yes));
  auto* b = r.add_explanation();
  b->set_rule(high ? "yes_count >= 14" : "yes_count <= 13");
  *b->mutable_items() = e->items();
  b->set_text(high ? "Synlig hög risk (14 eller fler ja)"
                   : "Under gränsen för synlig hög risk (0–13 ja). Detta betyder inte låg risk; "
                     "professionell bedömning avgör.");
  if (!certain) {
    auto* u = r.add_explanation();
    u->set_rule("band_certain == false");
    for (int i = 0; i < 24; ++i) {
      int c = a[static_cast<std::size_t>(i)];
      if (c == 2 || c < 0) u->add_items(kIds[i]);
    }
    u->set_text(kUncertain);
  }
  return r;
}

constexpr int kWeights[20] = {3, 1, 2, 4, 1, 2, 3, 1, 1, 2, 4, 3, 2, 1, 1, 2, 3, 1, 2, 1};

int WeightedBand(int v) { return v <= 7 ? 0 : v <= 17 ? 1 : 2; }

// The 20-item weighted sum: low 0..7, medium 8..17, high 18..40.
Result HandWeighted20(const Codes<20>& a, const Result& ref) {
  static const char* kIds[] = {"q1",  "q2",  "q3",  "q4",  "q5",  "q6",  "q7",
                               "q8",  "q9",  "q10", "q11", "q12", "q13", "q14",
                               "q15", "q16", "q17", "q18", "q19", "q20"};
  static const char* kBands[] = {"low", "medium", "high"};
  static const char* kBandTexts[] = {"Låg", "Medel", "Hög"};
  static const char* kRules[] = {"weighted <= 7", "weighted >= 8 and weighted <= 17",
                                 "weighted >= 18"};
  Result r;
  *r.mutable_instrument() = ref.instrument();
  int sum = 0, open = 0, unknown = 0, unanswered = 0;
  for (int i = 0; i < 20; ++i) {
    int c = a[static_cast<std::size_t>(i)];
    if (c == 0) sum += kWeights[i];
    if (c == 2 || c < 0) open += kWeights[i];
    unknown += c == 2;
    unanswered += c < 0;
  }
  const int band = WeightedBand(sum);
  const bool certain = band == WeightedBand(sum + open);
  r.set_unknown_count(unknown);
  r.set_unanswered_count(unanswered);
  (*r.mutable_scores())["weighted"] = sum;
  r.set_band(kBands[band]);
  r.set_band_certain(certain);
  r.set_final_level(r.band());
  if (!certain) r.add_flags("uncertain");
  if (band != 0) r.add_recommendations("safety_plan");
  r.add_recommendations("support_information");
  r.set_complete(unknown == 0 && unanswered == 0);
  auto* e = r.add_explanation();
  e->set_rule(
      "weighted = sum(yes, q1: 3, q2: 1, q3: 2, q4: 4, q5: 1, q6: 2, q7: 3, q8: 1, q9: 1, q10: 2, "
      "q11: 4, q12: 3, q13: 2, q14: 1, q15: 1, q16: 2, q17: 3, q18: 1, q19: 2, q20: 1)");
  for (int i = 0; i < 20; ++i) {
    if (a[static_cast<std::size_t>(i)] == 0) e->add_items(kIds[i]);
  }
  e->set_text("Viktad summa: " + std::to_string(sum));
  auto* b = r.add_explanation();
  b->set_rule(kRules[band]);
  *b->mutable_items() = e->items();
  b->set_text(kBandTexts[band]);
  if (!certain) {
    auto* u = r.add_explanation();
    u->set_rule("band_certain == false");
    for (int i = 0; i < 20; ++i) {
      int c = a[static_cast<std::size_t>(i)];
      if (c == 2 || c < 0) u->add_items(kIds[i]);
    }
    u->set_text(kUncertain);
    auto* f = r.add_explanation();
    f->set_rule("not band_certain");
    f->set_text("Osäker nivå");
  }
  return r;
}

template <std::size_t N>
std::vector<Codes<N>> RandomAnswers(std::size_t count, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<Codes<N>> out(count);
  for (auto& a : out) {
    // Mostly yes/no, some unknown, a few unanswered: every branch is exercised.
    std::discrete_distribution<int> pick({45, 45, 7, 3});
    for (auto& c : a) {
      int k = pick(rng);
      c = k == 3 ? -1 : k;
    }
  }
  return out;
}

template <std::size_t N>
screening::Session ToSession(std::shared_ptr<const screening::Instrument> inst, const Codes<N>& a) {
  static const char* kCodes[] = {"yes", "no", "unknown"};
  screening::Session s(inst);
  for (std::size_t i = 0; i < N; ++i) {
    if (a[i] < 0) continue;
    if (!s.SetCode("q" + std::to_string(i + 1), kCodes[a[i]]).ok()) std::abort();
  }
  return s;
}

// Evaluations per second of CPU time of this (single-threaded) process: on a machine shared
// with other builds, wall time mostly measures waiting for a core.
template <typename Fn>
double PerSecond(std::size_t evaluations, Fn&& fn) {
  const std::clock_t start = std::clock();
  fn();
  const double elapsed = static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
  return static_cast<double>(evaluations) / std::max(elapsed, 1e-9);
}

template <std::size_t N, typename Hand>
bool Run(const char* name, std::shared_ptr<const screening::Instrument> inst, Hand hand,
         int iterations) {
  auto answers = RandomAnswers<N>(1024, 42);
  std::vector<screening::Session> sessions;
  sessions.reserve(answers.size());
  for (const auto& a : answers) sessions.push_back(ToSession<N>(inst, a));
  Result ref;
  FillRef(*inst, &ref);

  // Identical results first: a fast wrong answer is worth nothing.
  for (std::size_t i = 0; i < answers.size(); ++i) {
    auto engine = screening::Evaluate(sessions[i]);
    Result handwritten = hand(answers[i], ref);
    if (!engine.ok() || !google::protobuf::util::MessageDifferencer::Equals(*engine, handwritten)) {
      std::fprintf(stderr, "%s: results differ at answer set %zu\nengine:\n%s\nhand:\n%s\n", name,
                   i, engine.ok() ? engine->DebugString().c_str() : "error",
                   handwritten.DebugString().c_str());
      return false;
    }
  }

  const std::size_t n = answers.size() * static_cast<std::size_t>(iterations);
  std::size_t sink = 0;
  double engine_rate = PerSecond(n, [&] {
    for (int k = 0; k < iterations; ++k) {
      for (const auto& s : sessions) sink += screening::Evaluate(s)->explanation_size();
    }
  });
  double hand_rate = PerSecond(n, [&] {
    for (int k = 0; k < iterations; ++k) {
      for (const auto& a : answers) sink += hand(a, ref).explanation_size();
    }
  });
  double ratio = hand_rate / engine_rate;
  std::printf("%-22s engine %12.0f results/s   hand-written %12.0f results/s   ratio %.2fx %s\n",
              name, engine_rate, hand_rate, ratio, ratio <= 3.0 ? "(within 3x)" : "(OVER 3x)");
  return sink > 0;
}

}  // namespace

int main(int argc, char** argv) {
  int iterations = 200;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--iterations") == 0) iterations = std::max(1, std::atoi(argv[i + 1]));
  }
  const std::string dir = SCREENING_BENCH_DATA_DIR;
  screening::Diagnostics diagnostics;
  auto vocabulary = screening::Vocabulary::LoadFile(SCREENING_INSTRUMENTS_VOCABULARY, &diagnostics);
  const auto dash_path =
      std::filesystem::path(SCREENING_INSTRUMENTS_VOCABULARY).parent_path() / "dash.textproto";
  auto dash = screening::LoadInstrumentFile(dash_path, vocabulary.ok() ? *vocabulary : nullptr,
                                            &diagnostics);
  auto count24 = screening::LoadInstrumentFile(
      dir + "/bench_count24.textproto", vocabulary.ok() ? *vocabulary : nullptr, &diagnostics);
  auto weighted20 = screening::LoadInstrumentFile(
      dir + "/bench_weighted20.textproto", vocabulary.ok() ? *vocabulary : nullptr, &diagnostics);
  if (!dash.ok() || !count24.ok() || !weighted20.ok()) {
    for (const auto& d : diagnostics) std::fprintf(stderr, "%s\n", d.ToString().c_str());
    return 1;
  }
  std::printf("engine_bench: %d rounds over 1024 answer sets each\n", iterations);
  bool ok = Run<24>("dash", *dash, HandDash, iterations);
  ok = Run<24>("count, 24 yes/no items", *count24, HandCount24, iterations) && ok;
  ok = Run<20>("weighted, 20 items", *weighted20, HandWeighted20, iterations) && ok;
  return ok ? 0 : 1;
}
