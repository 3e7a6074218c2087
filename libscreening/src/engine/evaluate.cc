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

}  // namespace

Status internal::EvaluateInto(const Instrument& inst, const std::vector<Slot>& slots,
                              const v1::Answers& answers, const EvaluateOptions& options,
                              v1::Result* result) {
  const auto& def = inst.definition();
  const auto& logic = inst.logic();
  const auto& items = inst.items();
  const std::string lang(inst.ResolveLanguage(options.lang));
  const internal::Messages& msg = internal::MessagesFor(lang);

  v1::Result& r = *result;
  r.Clear();
  r.set_id(answers.id());
  auto* ref = r.mutable_instrument();
  ref->set_id(inst.id());
  ref->set_version(inst.version());
  ref->set_sha256(inst.logic_sha256());
  ref->set_text_sha256(inst.TextSha256(lang));
  ref->set_engine(EngineVersion());

  // Counts over enabled top-level items; answers to disabled items are ignored.
  int unknown = 0, unanswered = 0;
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
      ++unanswered;
    } else if (s.unknown || s.unknown2) {
      ++unknown;
    } else if (info.def->type() == v1::SPJ_FACTOR && info.def->current_and_history() &&
               (s.code < 0 || s.code2 < 0)) {
      ++unanswered;
    }
  }
  r.set_unknown_count(unknown);
  r.set_unanswered_count(unanswered);

  internal::EvalContext ctx;
  ctx.items = &items;
  ctx.top = &slots;
  ctx.score_exprs = &logic.scores;

  // Scores, in order (each may use the earlier ones).
  std::vector<Val> scores;
  scores.reserve(logic.scores.size());
  for (std::size_t i = 0; i < logic.scores.size(); ++i) {
    ctx.scores = scores.data();
    scores.push_back(internal::Evaluate(logic.scores[i], ctx));
    (*r.mutable_scores())[def.scores(static_cast<int>(i)).id()] = scores.back().pt;
  }
  ctx.scores = scores.data();

  // Band and its certainty.
  int band = -1;
  bool certain = true;
  std::vector<int> band_items, uncertain_items;
  std::string band_rule;
  if (inst.has_banding()) {
    if (logic.banding_score >= 0) {
      const auto si = static_cast<std::size_t>(logic.banding_score);
      const Val& v = scores[si];
      band = RangeBand(logic, v.pt);
      if (band < 0) return Status::Internal("a score fell outside every band");
      certain = RangeBand(logic, v.lo) == RangeBand(logic, v.hi);
      const auto& b = def.banding().bands(band);
      band_rule =
          RangeRule(def.scores(logic.banding_score).id(), b.min(), b.max(), logic.score_ranges[si]);
      internal::CollectContributing(logic.scores[si], ctx, &band_items);
      if (!certain) internal::CollectUncertain(logic.scores[si], ctx, &uncertain_items);
    } else {
      const int n = static_cast<int>(logic.band_rules.size());
      for (int i = 0; i < n; ++i) {
        const auto& rule = logic.band_rules[static_cast<std::size_t>(i)];
        if (i == n - 1) {  // the fallback
          band = i;
          break;
        }
        Val v = internal::Evaluate(rule, ctx);
        if (v.pt) {
          band = i;
          if (v.lo == 0) certain = false;  // the rule could fail
          break;
        }
        if (v.hi == 1) certain = false;  // an earlier rule could hold
      }
      // The items behind the decision: the chosen rule's, or for the fallback those of the
      // rules that did not hold.
      if (band < n - 1) {
        band_rule = logic.band_rules[static_cast<std::size_t>(band)].source;
        internal::CollectContributing(logic.band_rules[static_cast<std::size_t>(band)], ctx,
                                      &band_items);
      } else {
        for (int i = 0; i < n - 1; ++i) {
          const auto& rule = logic.band_rules[static_cast<std::size_t>(i)];
          band_rule += fmt::format("{}not ({})", i ? " and " : "", rule.source);
          internal::CollectContributing(rule, ctx, &band_items);
        }
        if (n == 1) band_rule = "true";
      }
      if (!certain) {
        for (int i = 0; i < n - 1; ++i) {
          internal::CollectUncertain(logic.band_rules[static_cast<std::size_t>(i)], ctx,
                                     &uncertain_items);
        }
      }
    }
    r.set_band(def.banding().bands(band).id());
  }
  r.set_band_certain(certain);

  // Judgements and the client's estimate.
  std::vector<int> judgement_levels(static_cast<std::size_t>(def.judgements_size()), -1);
  for (int i = 0; i < def.judgements_size(); ++i) {
    auto it = answers.judgements().find(def.judgements(i).id());
    if (it == answers.judgements().end()) continue;
    judgement_levels[static_cast<std::size_t>(i)] = LevelIndex(it->second.level());
    (*r.mutable_judgements())[it->first] = it->second;
  }
  int client_estimate = -1;
  if (answers.has_client_estimate()) {
    client_estimate = LevelIndex(answers.client_estimate().level());
    *r.mutable_client_estimate() = answers.client_estimate();
  }

  // The final level: the band, or the final judgement; then any override.
  int computed = band;
  if (!inst.has_banding() && logic.final_judgement >= 0) {
    computed = judgement_levels[static_cast<std::size_t>(logic.final_judgement)];
  }
  int final_level = computed;
  auto level_name = [&](int level) -> std::string {
    if (level < 0) return {};
    return inst.has_banding() ? def.banding().bands(level).id() : kLevels[level];
  };
  if (answers.has_override()) {
    const auto& o = answers.override();
    int target = inst.has_banding() ? inst.BandIndex(o.band()) : LevelIndex(o.band());
    if (target < 0)
      return Status::FailedPrecondition("override.band: not a level of this instrument");
    if (computed < 0) {
      return Status::FailedPrecondition("override: record the judgement before changing its level");
    }
    if (target < computed && o.by() != v1::SUPERVISOR) {
      return Status::FailedPrecondition(
          "override: lowering the computed level is a supervisor's decision with a reason");
    }
    *r.mutable_override() = o;
    final_level = target;
    r.set_overridden(target != computed);
    r.set_override_direction(target > computed   ? v1::RAISED
                             : target < computed ? v1::LOWERED
                                                 : v1::NONE);
  }
  r.set_final_level(level_name(final_level));

  ctx.band = band;
  ctx.band_certain = certain;
  ctx.final_level = final_level;
  ctx.client_estimate = client_estimate;
  ctx.judgements = judgement_levels.data();

  // Flags (each may use the earlier ones), then recommendations.
  std::vector<std::uint8_t> flags(logic.flags.size(), 0);
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

  // Support resources: for the person's role and language, led by what the recommended
  // steps point to; the directory always ends the list with the emergency numbers and the
  // social services.
  if (options.directory) {
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

  // Completeness.
  internal::AppendMissingRequired(inst, slots, r.mutable_missing_required());
  internal::AppendMissingJudgements(inst, answers, r.mutable_missing_judgements());
  r.set_complete(unknown == 0 && unanswered == 0 && r.missing_required_size() == 0 &&
                 r.missing_judgements_size() == 0);

  // The explanation: scores, band, certainty, override, flags, ignored answers.
  for (std::size_t i = 0; i < logic.scores.size(); ++i) {
    const auto& score = def.scores(static_cast<int>(i));
    auto* e = r.add_explanation();
    e->set_rule(fmt::format("{} = {}", score.id(), score.expr()));
    std::vector<int> contributing;
    internal::CollectContributing(logic.scores[i], ctx, &contributing);
    AddItems(inst, contributing, e);
    e->set_text(fmt::format("{}: {}", TextIn(score.text(), lang), scores[i].pt));
  }
  if (band >= 0) {
    auto* e = r.add_explanation();
    e->set_rule(band_rule);
    AddItems(inst, band_items, e);
    e->set_text(TextIn(def.banding().bands(band).text(), lang));
  }
  if (!certain) {
    auto* e = r.add_explanation();
    e->set_rule("band_certain == false");
    AddItems(inst, uncertain_items, e);
    e->set_text(msg.band_uncertain);
  }
  if (r.overridden()) {
    auto* e = r.add_explanation();
    e->set_rule("override");
    auto label = [&](int level) -> std::string {
      if (inst.has_banding()) return TextIn(def.banding().bands(level).text(), lang);
      return msg.levels[level];
    };
    e->set_text(fmt::format(
        fmt::runtime(answers.override().by() == v1::SUPERVISOR ? msg.override_by_supervisor
                                                               : msg.override_by_assessor),
        label(computed), label(final_level)));
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
