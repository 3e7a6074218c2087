// Evaluation of a session into a Result (CONTRACTS.md). Pure and deterministic.
#include <fmt/format.h>

#include <algorithm>

#include <screening/directory.h>
#include <screening/session.h>
#include <screening/version.h>

#include "engine/fast.h"
#include "engine/messages.h"
#include "engine/session_access.h"
#include "expr/slot.h"
#include "instrument/compiled.h"

namespace screening {

using internal::Slot;
using internal::Val;

namespace {

const char* const kLevels[] = {"low", "medium", "high"};

int LevelIndex(std::string_view level) {
  for (int i = 0; i < 3; ++i) {
    if (level == kLevels[i]) return i;
  }
  return -1;
}

bool Scored(v1::ItemType t) {
  return t == v1::YES_NO || t == v1::SINGLE_CHOICE || t == v1::MULTI_CHOICE || t == v1::INTEGER ||
         t == v1::SPJ_FACTOR || t == v1::PROTECTIVE;
}

int RangeBand(const internal::CompiledLogic& logic, std::int64_t value) {
  for (std::size_t i = 0; i < logic.band_ranges.size(); ++i) {
    if (value >= logic.band_ranges[i].first && value <= logic.band_ranges[i].second) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

void AddItems(const Instrument& inst, const std::vector<int>& indices, v1::ExplanationEntry* e) {
  for (int i : indices) e->add_items(inst.items()[static_cast<std::size_t>(i)].def->id());
}

std::string_view RoleOf(v1::TargetGroup group) {
  switch (group) {
    case v1::CHILD:
      return "child";
    case v1::PERPETRATOR:
      return "perpetrator";
    default:
      return "adult_victim";
  }
}

// The rule text of a range band: the shortest honest form.
std::string RangeRule(const std::string& score, std::int64_t min, std::int64_t max,
                      std::pair<std::int64_t, std::int64_t> range) {
  if (min == max) return fmt::format("{} == {}", score, min);
  if (max >= range.second && min <= range.first) return "true";
  if (max >= range.second) return fmt::format("{} >= {}", score, min);
  if (min <= range.first) return fmt::format("{} <= {}", score, max);
  return fmt::format("{} >= {} and {} <= {}", score, min, score, max);
}

// The parts of an evaluation, in the order they run: each part decides from what the earlier
// ones decided (scores before the band, the band before the final level, the final level
// before the flags) and writes its own fields of the result.

// The result's id and the instrument (version, logic and text hashes, engine) it comes from.
void StartResult(const Instrument& inst, const std::string& lang, const v1::Answers& answers,
                 v1::Result& r) {
  r.Clear();
  r.set_id(answers.id());
  auto* ref = r.mutable_instrument();
  ref->set_id(inst.id());
  ref->set_version(inst.version());
  ref->set_sha256(inst.logic_sha256());
  ref->set_text_sha256(inst.TextSha256(lang));
  ref->set_engine(EngineVersion());
}

struct AnswerCounts {
  int unknown = 0;
  int unanswered = 0;
};

// Counts over enabled top-level items; answers to disabled items are ignored (and listed).
AnswerCounts CountAnswers(const std::vector<ItemInfo>& items, const std::vector<Slot>& slots,
                          v1::Result& r) {
  AnswerCounts counts;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const ItemInfo& info = items[i];
    const Slot& s = slots[i];
    if (info.group >= 0) continue;
    if (!s.enabled) {
      if (s.answered()) r.add_ignored_items(info.def->id());
      continue;
    }
    if (!Scored(info.def->type())) continue;
    if (!s.answered()) {
      ++counts.unanswered;
    } else if (s.unknown || s.unknown2) {
      ++counts.unknown;
    } else if (info.def->type() == v1::SPJ_FACTOR && info.def->current_and_history() &&
               (s.code < 0 || s.code2 < 0)) {
      ++counts.unanswered;
    }
  }
  r.set_unknown_count(counts.unknown);
  r.set_unanswered_count(counts.unanswered);
  return counts;
}

// Scores, in order (each may use the earlier ones). `ctx.scores` points into `scores` after.
void EvaluateScores(const Instrument& inst, internal::EvalContext& ctx, std::vector<Val>& scores,
                    v1::Result& r) {
  const auto& logic = inst.logic();
  scores.reserve(logic.scores.size());
  for (std::size_t i = 0; i < logic.scores.size(); ++i) {
    ctx.scores = scores.data();
    scores.push_back(internal::Evaluate(logic.scores[i], ctx));
    (*r.mutable_scores())[inst.definition().scores(static_cast<int>(i)).id()] = scores.back().pt;
  }
  ctx.scores = scores.data();
}

// The band, whether the answers given could change it, and the rule and items behind it.
struct BandDecision {
  int band = -1;
  bool certain = true;
  std::string rule;
  std::vector<int> items;
  std::vector<int> uncertain_items;
};

// Banding by ranges of one score: certain when the score's whole possible range falls in one
// band.
Status BandFromScore(const Instrument& inst, const internal::EvalContext& ctx,
                     const std::vector<Val>& scores, BandDecision& d) {
  const auto& logic = inst.logic();
  const auto& def = inst.definition();
  const auto si = static_cast<std::size_t>(logic.banding_score);
  const Val& v = scores[si];
  d.band = RangeBand(logic, v.pt);
  if (d.band < 0) return Status::Internal("a score fell outside every band");
  d.certain = RangeBand(logic, v.lo) == RangeBand(logic, v.hi);
  const auto& b = def.banding().bands(d.band);
  d.rule =
      RangeRule(def.scores(logic.banding_score).id(), b.min(), b.max(), logic.score_ranges[si]);
  internal::CollectContributing(logic.scores[si], ctx, &d.items);
  if (!d.certain) internal::CollectUncertain(logic.scores[si], ctx, &d.uncertain_items);
  return Status::Ok();
}

// Banding by rules: the first that holds, else the last (the fallback). Uncertain when the
// chosen rule could fail or an earlier one could hold.
void BandFromRules(const Instrument& inst, const internal::EvalContext& ctx, BandDecision& d) {
  const auto& rules = inst.logic().band_rules;
  const int n = static_cast<int>(rules.size());
  for (int i = 0; i < n; ++i) {
    const auto& rule = rules[static_cast<std::size_t>(i)];
    if (i == n - 1) {  // the fallback
      d.band = i;
      break;
    }
    Val v = internal::Evaluate(rule, ctx);
    if (v.pt) {
      d.band = i;
      if (v.lo == 0) d.certain = false;  // the rule could fail
      break;
    }
    if (v.hi == 1) d.certain = false;  // an earlier rule could hold
  }
  // The items behind the decision: the chosen rule's, or for the fallback those of the
  // rules that did not hold.
  if (d.band < n - 1) {
    d.rule = rules[static_cast<std::size_t>(d.band)].source;
    internal::CollectContributing(rules[static_cast<std::size_t>(d.band)], ctx, &d.items);
  } else {
    for (int i = 0; i < n - 1; ++i) {
      const auto& rule = rules[static_cast<std::size_t>(i)];
      d.rule += fmt::format("{}not ({})", i ? " and " : "", rule.source);
      internal::CollectContributing(rule, ctx, &d.items);
    }
    if (n == 1) d.rule = "true";
  }
  if (!d.certain) {
    for (int i = 0; i < n - 1; ++i) {
      internal::CollectUncertain(rules[static_cast<std::size_t>(i)], ctx, &d.uncertain_items);
    }
  }
}

Status DecideBand(const Instrument& inst, const internal::EvalContext& ctx,
                  const std::vector<Val>& scores, BandDecision& d, v1::Result& r) {
  if (inst.has_banding()) {
    if (inst.logic().banding_score >= 0) {
      if (Status st = BandFromScore(inst, ctx, scores, d); !st.ok()) return st;
    } else {
      BandFromRules(inst, ctx, d);
    }
    r.set_band(inst.definition().banding().bands(d.band).id());
  }
  r.set_band_certain(d.certain);
  return Status::Ok();
}

// The assessor's judgements (a level index per declared judgement, -1 when not given) and the
// client's own estimate (-1 when not given), copied into the result.
struct Judgements {
  std::vector<int> levels;
  int client_estimate = -1;
};

Judgements RecordJudgements(const v1::Instrument& def, const v1::Answers& answers, v1::Result& r) {
  Judgements j;
  j.levels.assign(static_cast<std::size_t>(def.judgements_size()), -1);
  for (int i = 0; i < def.judgements_size(); ++i) {
    auto it = answers.judgements().find(def.judgements(i).id());
    if (it == answers.judgements().end()) continue;
    j.levels[static_cast<std::size_t>(i)] = LevelIndex(it->second.level());
    (*r.mutable_judgements())[it->first] = it->second;
  }
  if (answers.has_client_estimate()) {
    j.client_estimate = LevelIndex(answers.client_estimate().level());
    *r.mutable_client_estimate() = answers.client_estimate();
  }
  return j;
}

struct FinalLevel {
  int computed = -1;  // the band, or the final judgement's level
  int level = -1;     // after any override
};

// The final level: the band, or the final judgement; then any override, which only a
// supervisor may use to lower it.
Result<FinalLevel> DecideFinalLevel(const Instrument& inst, const v1::Answers& answers, int band,
                                    const Judgements& judgements, v1::Result& r) {
  const auto& def = inst.definition();
  const auto& logic = inst.logic();
  FinalLevel f;
  f.computed = band;
  if (!inst.has_banding() && logic.final_judgement >= 0) {
    f.computed = judgements.levels[static_cast<std::size_t>(logic.final_judgement)];
  }
  f.level = f.computed;
  if (answers.has_override()) {
    const auto& o = answers.override();
    int target = inst.has_banding() ? inst.BandIndex(o.band()) : LevelIndex(o.band());
    if (target < 0)
      return Status::FailedPrecondition("override.band: not a level of this instrument");
    if (f.computed < 0) {
      return Status::FailedPrecondition("override: record the judgement before changing its level");
    }
    if (target < f.computed && o.by() != v1::SUPERVISOR) {
      return Status::FailedPrecondition(
          "override: lowering the computed level is a supervisor's decision with a reason");
    }
    *r.mutable_override() = o;
    f.level = target;
    r.set_overridden(target != f.computed);
    r.set_override_direction(target > f.computed   ? v1::RAISED
                             : target < f.computed ? v1::LOWERED
                                                   : v1::NONE);
  }
  if (f.level >= 0) {
    r.set_final_level(inst.has_banding() ? def.banding().bands(f.level).id() : kLevels[f.level]);
  } else {
    r.set_final_level(std::string());
  }
  return f;
}

// Flags (each may use the earlier ones), then recommendations. `ctx.flags` points into
// `flags` after.
void EvaluateFlagsAndRecommendations(const Instrument& inst, internal::EvalContext& ctx,
                                     std::vector<std::uint8_t>& flags, v1::Result& r) {
  const auto& def = inst.definition();
  const auto& logic = inst.logic();
  flags.assign(logic.flags.size(), 0);
  ctx.flags = flags.data();
  for (std::size_t i = 0; i < logic.flags.size(); ++i) {
    flags[i] = internal::Evaluate(logic.flags[i], ctx).pt != 0;
    if (flags[i]) r.add_flags(def.flags(static_cast<int>(i)).id());
  }
  for (std::size_t i = 0; i < logic.recommendations.size(); ++i) {
    if (internal::Evaluate(logic.recommendations[i], ctx).pt) {
      r.add_recommendations(def.recommendations(static_cast<int>(i)).id());
    }
  }
}

// Support resources: for the person's role and language, led by what the recommended steps
// point to; the directory always ends the list with the emergency numbers and the social
// services.
void AddResources(const v1::Instrument& def, const EvaluateOptions& options,
                  const std::string& lang, v1::Result& r) {
  if (!options.directory) return;
  std::vector<std::string> tags;
  for (const auto& rec : def.recommendations()) {
    if (std::find(r.recommendations().begin(), r.recommendations().end(), rec.id()) ==
        r.recommendations().end()) {
      continue;
    }
    for (const auto& tag : rec.resource_tags()) {
      if (std::find(tags.begin(), tags.end(), tag) == tags.end()) tags.push_back(tag);
    }
  }
  std::string_view role = options.subject_role.empty() ? RoleOf(def.target_group())
                                                       : std::string_view(options.subject_role);
  for (const auto* res : options.directory->ResourcesFor(role, lang, tags)) {
    r.add_resources(res->id());
  }
}

// What is missing, and whether nothing is.
void RecordCompleteness(const Instrument& inst, const std::vector<Slot>& slots,
                        const v1::Answers& answers, const AnswerCounts& counts, v1::Result& r) {
  internal::AppendMissingRequired(inst, slots, r.mutable_missing_required());
  internal::AppendMissingJudgements(inst, answers, r.mutable_missing_judgements());
  r.set_complete(counts.unknown == 0 && counts.unanswered == 0 && r.missing_required_size() == 0 &&
                 r.missing_judgements_size() == 0);
}

// The explanation, one entry per rule that decided something: scores, band, certainty,
// override, flags, ignored answers.
void Explain(const Instrument& inst, const std::string& lang, const internal::EvalContext& ctx,
             const v1::Answers& answers, const std::vector<Val>& scores, const BandDecision& band,
             const FinalLevel& level, const std::vector<std::uint8_t>& flags, v1::Result& r) {
  const auto& def = inst.definition();
  const auto& logic = inst.logic();
  const internal::Messages& msg = internal::MessagesFor(lang);
  for (std::size_t i = 0; i < logic.scores.size(); ++i) {
    const auto& score = def.scores(static_cast<int>(i));
    auto* e = r.add_explanation();
    e->set_rule(fmt::format("{} = {}", score.id(), score.expr()));
    std::vector<int> contributing;
    internal::CollectContributing(logic.scores[i], ctx, &contributing);
    AddItems(inst, contributing, e);
    e->set_text(fmt::format("{}: {}", TextIn(score.text(), lang), scores[i].pt));
  }
  if (band.band >= 0) {
    auto* e = r.add_explanation();
    e->set_rule(band.rule);
    AddItems(inst, band.items, e);
    e->set_text(TextIn(def.banding().bands(band.band).text(), lang));
  }
  if (!band.certain) {
    auto* e = r.add_explanation();
    e->set_rule("band_certain == false");
    AddItems(inst, band.uncertain_items, e);
    e->set_text(msg.band_uncertain);
  }
  if (r.overridden()) {
    auto* e = r.add_explanation();
    e->set_rule("override");
    auto label = [&](int l) -> std::string {
      if (inst.has_banding()) return TextIn(def.banding().bands(l).text(), lang);
      return msg.levels[l];
    };
    e->set_text(fmt::format(
        fmt::runtime(answers.override().by() == v1::SUPERVISOR ? msg.override_by_supervisor
                                                               : msg.override_by_assessor),
        label(level.computed), label(level.level)));
  }
  for (std::size_t i = 0; i < logic.flags.size(); ++i) {
    if (!flags[i]) continue;
    const auto& flag = def.flags(static_cast<int>(i));
    auto* e = r.add_explanation();
    e->set_rule(flag.when());
    std::vector<int> contributing;
    internal::CollectContributing(logic.flags[i], ctx, &contributing);
    AddItems(inst, contributing, e);
    e->set_text(TextIn(flag.text(), lang));
  }
  if (r.ignored_items_size()) {
    auto* e = r.add_explanation();
    e->set_rule("enabled_when");
    for (const auto& id : r.ignored_items()) e->add_items(id);
    e->set_text(msg.ignored_answers);
  }
}

}  // namespace

Status internal::EvaluateInto(const Instrument& inst, const std::vector<Slot>& slots,
                              const v1::Answers& answers, const EvaluateOptions& options,
                              v1::Result* result) {
  const std::string lang(inst.ResolveLanguage(options.lang));
  v1::Result& r = *result;
  StartResult(inst, lang, answers, r);
  const AnswerCounts counts = CountAnswers(inst.items(), slots, r);

  internal::EvalContext ctx;
  ctx.items = &inst.items();
  ctx.top = &slots;
  ctx.score_exprs = &inst.logic().scores;
  std::vector<Val> scores;
  EvaluateScores(inst, ctx, scores, r);

  BandDecision band;
  if (Status st = DecideBand(inst, ctx, scores, band, r); !st.ok()) return st;
  const Judgements judgements = RecordJudgements(inst.definition(), answers, r);
  const Result<FinalLevel> level = DecideFinalLevel(inst, answers, band.band, judgements, r);
  if (!level.ok()) return level.status();

  ctx.band = band.band;
  ctx.band_certain = band.certain;
  ctx.final_level = level->level;
  ctx.client_estimate = judgements.client_estimate;
  ctx.judgements = judgements.levels.data();
  std::vector<std::uint8_t> flags;
  EvaluateFlagsAndRecommendations(inst, ctx, flags, r);

  AddResources(inst.definition(), options, lang, r);
  RecordCompleteness(inst, slots, answers, counts, r);
  Explain(inst, lang, ctx, answers, scores, band, *level, flags, r);
  return Status::Ok();
}

Result<v1::Result> Evaluate(const Session& session, const EvaluateOptions& options) {
  v1::Result r;
  if (Status st =
          internal::EvaluateInto(session.instrument(), internal::SessionAccess::Slots(session),
                                 session.answers(), options, &r);
      !st.ok()) {
    return st;
  }
  return r;
}

}  // namespace screening
