// Fuzz target: the condition and score language (docs/expressions.md). The input is one
// expression's source. It is compiled (internal::Compile) in the scopes the loader uses
// against the synthetic every_type instrument: an item condition, a condition inside the
// repeated group, a score, and a result rule (band, judgements, flags); whatever compiles
// is evaluated over sample sessions, with the uncertain-range invariants checked, and the
// explanation helpers run.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <screening/instrument.h>
#include <screening/session.h>

#include "engine/session_access.h"
#include "expr/expr.h"
#include "expr/slot.h"
#include "fuzz_support.h"
#include "instrument/compiled.h"

namespace {

using namespace screening;
using internal::EvalContext;
using internal::Expr;
using internal::Scope;
using internal::Val;
using internal::VType;

// Longest expression compiled: longer sources only slow the fuzzer down (definition files
// are capped at 4 MiB; an expression never needs more than this).
constexpr std::size_t kMaxSource = 4096;

struct Fixture {
  std::shared_ptr<const Instrument> instrument = fuzz::EveryType();
  int group = instrument->ItemIndex("kids");
  std::vector<Session> sessions;
  Fixture() {
    if (group < 0) fuzz::Fail("every_type has no group 'kids'");
    for (int round = 0; round < 3; ++round) {
      sessions.push_back(fuzz::SampleSession(instrument, round));
    }
  }
};

const Fixture& Fix() {
  static const Fixture fixture;
  return fixture;
}

Scope BaseScope(const Instrument& instrument) {
  Scope scope;
  scope.items = &instrument.items();
  scope.item_index = [&instrument](std::string_view id) { return instrument.ItemIndex(id); };
  return scope;
}

void CheckValue(const Expr& expr, const Val& v) {
  if (expr.type == VType::kBool) {
    if (v.lo < 0 || v.hi > 1 || v.pt < 0 || v.pt > 1) fuzz::Fail("a boolean outside 0..1");
  }
  if (expr.type == VType::kBool || expr.type == VType::kInt) {
    if (v.lo > v.hi) fuzz::Fail("an empty range of possible values");
    if (!v.missing && (v.pt < v.lo || v.pt > v.hi))
      fuzz::Fail("a point value outside its possible range");
  }
}

// Evaluates `expr` over every sample session; `block_group` >= 0: once per block.
void EvaluateAll(const Expr& expr, bool results, int block_group) {
  const Fixture& fx = Fix();
  const auto& logic = fx.instrument->logic();
  for (std::size_t round = 0; round < fx.sessions.size(); ++round) {
    const Session& session = fx.sessions[round];
    EvalContext ctx;
    ctx.items = &fx.instrument->items();
    ctx.top = &internal::SessionAccess::Slots(session);
    ctx.score_exprs = &logic.scores;
    std::vector<Val> scores;
    scores.reserve(logic.scores.size());
    for (const auto& s : logic.scores) {
      ctx.scores = scores.data();
      scores.push_back(internal::Evaluate(s, ctx));
    }
    ctx.scores = scores.data();
    const int level = static_cast<int>(round) - 1;  // none, low, medium
    const int judgements[1] = {level};
    const std::uint8_t flags[1] = {static_cast<std::uint8_t>(round == 2)};
    if (results) {
      ctx.band = level < 0 ? -1 : level;
      ctx.band_certain = round != 0;
      ctx.final_level = ctx.band;
      ctx.client_estimate = level;
      ctx.judgements = judgements;
      ctx.flags = flags;
    }
    std::vector<int> out;
    if (block_group < 0) {
      CheckValue(expr, internal::Evaluate(expr, ctx));
      internal::CollectContributing(expr, ctx, &out);
      internal::CollectUncertain(expr, ctx, &out);
      continue;
    }
    for (const auto& block :
         internal::SessionAccess::Slots(session)[static_cast<std::size_t>(block_group)].blocks) {
      EvalContext bctx = ctx;
      bctx.block = &block;
      bctx.block_group = block_group;
      CheckValue(expr, internal::Evaluate(expr, bctx));
      internal::CollectContributing(expr, bctx, &out);
      internal::CollectUncertain(expr, bctx, &out);
    }
  }
  for (int item : expr.items) {
    if (item < 0 || item >= static_cast<int>(fx.instrument->items().size()))
      fuzz::Fail("a dependency on an item that does not exist");
  }
}

// Compiles `source` in `scope`; evaluates it when it compiles.
void Try(std::string_view source, const Scope& scope, VType want) {
  Expr expr;
  std::vector<internal::CompileError> errors;
  const bool ok = internal::Compile(source, scope, want, &expr, &errors);
  if (!ok) {
    if (errors.empty()) fuzz::Fail("a failed compile without an error");
    for (const auto& e : errors) {
      if (e.message.empty()) fuzz::Fail("a compile error without a message");
      if (e.offset < 0 || e.offset > static_cast<int>(source.size()))
        fuzz::Fail("a compile error outside the source");
    }
    return;
  }
  if (!errors.empty()) fuzz::Fail("a successful compile with errors");
  if (expr.empty() || expr.root >= static_cast<int>(expr.nodes.size()))
    fuzz::Fail("a compiled expression without a valid root");
  EvaluateAll(expr, scope.results, scope.group);
  if (scope.group < 0 && !scope.results && want == VType::kInt) {
    // The loader's score-range pass: every group open, nothing answered.
    const Fixture& fx = Fix();
    std::vector<internal::Slot> open(fx.instrument->items().size());
    EvalContext ctx;
    ctx.items = &fx.instrument->items();
    ctx.top = &open;
    ctx.open_groups = true;
    std::vector<Val> scores;
    scores.reserve(fx.instrument->logic().scores.size());
    for (const auto& s : fx.instrument->logic().scores) {
      ctx.scores = scores.data();
      scores.push_back(internal::Evaluate(s, ctx));
    }
    ctx.scores = scores.data();
    CheckValue(expr, internal::Evaluate(expr, ctx));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxSource) return 0;
  const std::string_view source = fuzz::AsText(data, size);
  const Fixture& fx = Fix();
  const Instrument& instrument = *fx.instrument;

  Scope items = BaseScope(instrument);
  Try(source, items, VType::kBool);

  Scope in_group = BaseScope(instrument);
  in_group.group = fx.group;
  Try(source, in_group, VType::kBool);

  Scope score = BaseScope(instrument);
  Try(source, score, VType::kInt);
  score.scores = {"yes_count"};
  Try(source, score, VType::kInt);

  Scope results = score;
  results.results = true;
  results.banded = instrument.has_banding();
  for (const auto& b : instrument.definition().banding().bands()) results.bands.push_back(b.id());
  for (const auto& j : instrument.definition().judgements()) results.judgements.push_back(j.id());
  for (const auto& f : instrument.definition().flags()) results.flags.push_back(f.id());
  Try(source, results, VType::kBool);
  return 0;
}
