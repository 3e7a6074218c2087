// Evaluation of compiled expressions: point value and possible range in one pass.
#include <algorithm>

#include <screening/instrument.h>

#include "expr/expr.h"

namespace screening::internal {
namespace {

const Slot& SlotOf(const EvalContext& ctx, int item, bool local) {
  if (local) return (*ctx.block)[static_cast<std::size_t>(item - ctx.block_group - 1)];
  return (*ctx.top)[static_cast<std::size_t>(item)];
}

// Types whose missing answer makes a result uncertain (free text, dates and groups never do).
bool Scored(v1::ItemType t) {
  return t == v1::YES_NO || t == v1::SINGLE_CHOICE || t == v1::MULTI_CHOICE || t == v1::INTEGER ||
         t == v1::SPJ_FACTOR || t == v1::PROTECTIVE;
}

Val CodeVal(const ItemInfo& info, const Slot& s, int sub) {
  Val v;
  v.pt = -1;
  if (!s.enabled) return v;
  if (!s.answered()) {
    v.uncertain = Scored(info.def->type());
    return v;
  }
  if (sub == 2) {
    v.pt = s.code2;
    v.uncertain = s.code2 < 0 || s.unknown2;
  } else {
    v.pt = s.code;
    v.uncertain = s.unknown;
  }
  return v;
}

Val IntVal(const ItemInfo& info, const Slot& s) {
  Val v;
  if (!s.enabled) {
    v.missing = true;
    return v;
  }
  if (s.answered() && !s.unknown) {
    v.pt = v.lo = v.hi = s.integer;
    return v;
  }
  v.missing = true;
  if (info.def->type() == v1::PROTECTIVE) {
    v.lo = 0;
    v.hi = 2;
  } else {
    v.lo = info.def->min();
    v.hi = info.def->max();
  }
  v.pt = v.lo;  // an unknown number counts as its lowest possible value
  return v;
}

Val Bool(bool pt, bool can_true, bool can_false) {
  Val v;
  v.pt = pt;
  v.lo = !can_false;
  v.hi = can_true;
  v.lo = std::min<std::int64_t>(v.lo, v.pt);
  v.hi = std::max<std::int64_t>(v.hi, v.pt);
  return v;
}

Val CompareCode(const Val& v, int code, Op op) {
  bool eq = v.pt == code;
  bool could_eq = eq || v.uncertain;
  bool could_diff = !eq || v.uncertain;
  if (op == Op::kEq) return Bool(eq, could_eq, could_diff);
  return Bool(!eq, could_diff, could_eq);
}

bool Cmp(Op op, std::int64_t a, std::int64_t b) {
  switch (op) {
    case Op::kEq:
      return a == b;
    case Op::kNe:
      return a != b;
    case Op::kLt:
      return a < b;
    case Op::kLe:
      return a <= b;
    case Op::kGt:
      return a > b;
    case Op::kGe:
      return a >= b;
    default:
      return false;
  }
}

Val CompareInts(Op op, const Val& a, const Val& b) {
  bool pt = !a.missing && !b.missing && Cmp(op, a.pt, b.pt);
  bool fixed = a.lo == a.hi && b.lo == b.hi;
  bool can_true = false, can_false = false;
  switch (op) {
    case Op::kLt:
      can_true = a.lo < b.hi;
      can_false = a.hi >= b.lo;
      break;
    case Op::kLe:
      can_true = a.lo <= b.hi;
      can_false = a.hi > b.lo;
      break;
    case Op::kGt:
      can_true = a.hi > b.lo;
      can_false = a.lo <= b.hi;
      break;
    case Op::kGe:
      can_true = a.hi >= b.lo;
      can_false = a.lo < b.hi;
      break;
    case Op::kEq:
      can_true = a.lo <= b.hi && b.lo <= a.hi;
      can_false = !(fixed && a.lo == b.lo);
      break;
    case Op::kNe:
      can_true = !(fixed && a.lo == b.lo);
      can_false = a.lo <= b.hi && b.lo <= a.hi;
      break;
    default:
      break;
  }
  return Bool(pt, can_true, can_false);
}

int MaxBlocks(const v1::Item& group) { return group.max_blocks() > 0 ? group.max_blocks() : 50; }

// Calls fn(info, slot) for an entry: once, or once per block of its group.
template <typename Fn>
void ForEntry(const EvalContext& ctx, const ListEntry& e, Fn&& fn) {
  const ItemInfo& info = (*ctx.items)[static_cast<std::size_t>(e.item)];
  if (e.group < 0) {
    fn(info, SlotOf(ctx, e.item, e.local));
    return;
  }
  const Slot& group = (*ctx.top)[static_cast<std::size_t>(e.group)];
  if (!group.enabled) return;
  if (ctx.open_groups) {
    const Slot open;
    for (int b = 0; b < MaxBlocks(*(*ctx.items)[static_cast<std::size_t>(e.group)].def); ++b) {
      fn(info, open);
    }
    return;
  }
  auto pos = static_cast<std::size_t>(e.item - e.group - 1);
  for (const auto& block : group.blocks) fn(info, block[pos]);
}

Val EntryVal(const ItemInfo& info, const Slot& s, int sub) {
  auto t = info.def->type();
  if (t == v1::INTEGER || t == v1::PROTECTIVE) return IntVal(info, s);
  return CodeVal(info, s, sub);
}

// Whether the entry's value matches `code`, could match, could differ.
struct Match {
  bool eq, could_eq, could_diff;
};
Match MatchEntry(const ItemInfo& info, const Slot& s, int sub, int code) {
  Val v = EntryVal(info, s, sub);
  auto t = info.def->type();
  if (t == v1::INTEGER || t == v1::PROTECTIVE) {
    bool eq = !v.missing && v.pt == code;
    return {eq, v.lo <= code && code <= v.hi, !(v.lo == code && v.hi == code)};
  }
  bool eq = v.pt == code;
  return {eq, eq || v.uncertain, !eq || v.uncertain};
}

Val Eval(const Expr& e, int index, const EvalContext& ctx) {
  const Node& n = e.nodes[static_cast<std::size_t>(index)];
  switch (n.op) {
    case Op::kBoolConst:
      return Bool(n.value != 0, n.value != 0, n.value == 0);
    case Op::kIntConst:
      return Val{n.value, n.value, n.value, false, false};
    case Op::kItem: {
      const ItemInfo& info = (*ctx.items)[static_cast<std::size_t>(n.ref)];
      const Slot& s = SlotOf(ctx, n.ref, n.local);
      if (n.type == VType::kInt) return IntVal(info, s);
      return CodeVal(info, s, n.sub);
    }
    case Op::kScore:
      return ctx.scores[n.ref];
    case Op::kBand: {
      Val v;
      v.pt = ctx.band;
      v.uncertain = !ctx.band_certain;
      return v;
    }
    case Op::kBandCertain:
      return Bool(ctx.band_certain, ctx.band_certain, !ctx.band_certain);
    case Op::kFinalLevel:
      return Val{ctx.final_level, 0, 0, false, false};
    case Op::kClientEstimate:
      return Val{ctx.client_estimate, 0, 0, false, false};
    case Op::kJudgement:
      return Val{ctx.judgements[n.ref], 0, 0, false, false};
    case Op::kFlag: {
      bool f = ctx.flags[n.ref] != 0;
      return Bool(f, f, !f);
    }
    case Op::kNot: {
      Val a = Eval(e, n.a, ctx);
      Val r;
      r.pt = !a.pt;
      r.lo = !a.hi;
      r.hi = !a.lo;
      return r;
    }
    case Op::kAnd: {
      Val a = Eval(e, n.a, ctx);
      if (a.hi == 0) return a;  // certainly false: the rest cannot change it
      Val b = Eval(e, n.b, ctx);
      return Val{a.pt && b.pt, a.lo && b.lo, a.hi && b.hi, false, false};
    }
    case Op::kOr: {
      Val a = Eval(e, n.a, ctx);
      if (a.lo == 1) return a;  // certainly true
      Val b = Eval(e, n.b, ctx);
      return Val{a.pt || b.pt, a.lo || b.lo, a.hi || b.hi, false, false};
    }
    case Op::kEq:
    case Op::kNe:
    case Op::kLt:
    case Op::kLe:
    case Op::kGt:
    case Op::kGe: {
      Val a = Eval(e, n.a, ctx);
      const VType ta = e.nodes[static_cast<std::size_t>(n.a)].type;
      if (n.b < 0) {  // compared with a literal code
        if (ta == VType::kLevel) {
          bool pt = a.pt >= 0 && Cmp(n.op, a.pt, n.ref);
          return Bool(pt, pt, !pt);
        }
        return CompareCode(a, n.ref, n.op);
      }
      Val b = Eval(e, n.b, ctx);
      if (ta == VType::kInt) return CompareInts(n.op, a, b);
      if (ta == VType::kLevel) {
        bool pt = a.pt >= 0 && b.pt >= 0 && Cmp(n.op, a.pt, b.pt);
        return Bool(pt, pt, !pt);
      }
      // Booleans.
      bool pt = Cmp(n.op, a.pt, b.pt);
      bool fixed = a.lo == a.hi && b.lo == b.hi;
      return Bool(pt, pt || !fixed, !pt || !fixed);
    }
    case Op::kAdd:
    case Op::kSub: {
      Val a = Eval(e, n.a, ctx);
      Val b = Eval(e, n.b, ctx);
      if (n.op == Op::kAdd)
        return Val{a.pt + b.pt, a.lo + b.lo, a.hi + b.hi, a.missing || b.missing, false};
      return Val{a.pt - b.pt, a.lo - b.hi, a.hi - b.lo, a.missing || b.missing, false};
    }
    case Op::kNeg: {
      Val a = Eval(e, n.a, ctx);
      return Val{-a.pt, -a.hi, -a.lo, a.missing, false};
    }
    case Op::kCount:
    case Op::kAny:
    case Op::kAll:
    case Op::kWSum: {
      Val c{0, 0, 0, false, false};
      std::int64_t total = 0;
      for (const auto& entry : n.list) {
        ForEntry(ctx, entry, [&](const ItemInfo& info, const Slot& s) {
          ++total;
          Match m = MatchEntry(info, s, entry.sub, entry.code);
          if (n.op == Op::kWSum) {
            std::int64_t w = entry.weight;
            if (m.eq) c.pt += w;
            std::int64_t lo = m.could_diff ? 0 : w, hi = m.could_diff ? 0 : w;
            if (m.could_eq) {
              lo = std::min(lo, w);
              hi = std::max(hi, w);
            }
            if (m.could_diff) {
              lo = std::min<std::int64_t>(lo, 0);
              hi = std::max<std::int64_t>(hi, 0);
            }
            c.lo += lo;
            c.hi += hi;
            return;
          }
          c.pt += m.eq;
          c.lo += !m.could_diff;
          c.hi += m.could_eq;
        });
      }
      if (ctx.open_groups) c.lo = std::min<std::int64_t>(c.lo, 0);  // there may be no blocks
      if (n.op == Op::kCount || n.op == Op::kWSum) return c;
      if (n.op == Op::kAny) return Bool(c.pt > 0, c.hi > 0, c.lo == 0);
      return Bool(c.pt == total, c.hi == total, c.lo < total);
    }
    case Op::kSum: {
      Val c{0, 0, 0, false, false};
      for (const auto& entry : n.list) {
        ForEntry(ctx, entry, [&](const ItemInfo& info, const Slot& s) {
          Val v = IntVal(info, s);
          c.pt += v.pt;
          c.lo += v.lo;
          c.hi += v.hi;
        });
      }
      if (ctx.open_groups) c.lo = std::min<std::int64_t>(c.lo, 0);
      return c;
    }
    case Op::kMax: {
      Val c{0, 0, 0, false, false};
      for (const auto& entry : n.list) {
        ForEntry(ctx, entry, [&](const ItemInfo& info, const Slot& s) {
          Val v = IntVal(info, s);
          c.pt = std::max(c.pt, v.pt);
          c.lo = std::max(c.lo, v.lo);
          c.hi = std::max(c.hi, v.hi);
        });
      }
      if (ctx.open_groups) c.lo = 0;  // there may be no blocks
      return c;
    }
    case Op::kContains: {
      const Node& item = e.nodes[static_cast<std::size_t>(n.a)];
      const Slot& s = SlotOf(ctx, item.ref, item.local);
      if (!s.enabled) return Bool(false, false, true);
      if (!s.answered()) return Bool(false, true, true);
      bool has = std::find(s.codes.begin(), s.codes.end(), n.ref) != s.codes.end();
      return Bool(has, has, !has);
    }
    case Op::kAnswered: {
      const Slot& s = SlotOf(ctx, n.ref, n.local);
      bool a = s.enabled && s.answered();
      return Bool(a, a, !a);
    }
    case Op::kSize: {
      const Slot& s = SlotOf(ctx, n.ref, n.local);
      auto size = s.enabled ? static_cast<std::int64_t>(s.blocks.size()) : 0;
      if (ctx.open_groups) {
        return Val{0, 0, MaxBlocks(*(*ctx.items)[static_cast<std::size_t>(n.ref)].def), false,
                   false};
      }
      return Val{size, size, size, false, false};
    }
  }
  return Val{};
}

void AddUnique(std::vector<int>* out, int item) {
  if (std::find(out->begin(), out->end(), item) == out->end()) out->push_back(item);
}

// Visits the leaves of an expression (and of the scores it uses): for each item, whether
// its answer matched what the expression looks for and whether it is uncertain.
template <typename Fn>
void Visit(const Expr& e, const EvalContext& ctx, Fn&& fn, int depth = 0) {
  if (depth > 8) return;
  for (const Node& n : e.nodes) {
    switch (n.op) {
      case Op::kItem:
      case Op::kAnswered:
      case Op::kContains:
      case Op::kSize: {
        if (n.op == Op::kContains) break;  // its item node is visited itself
        if (n.local) break;
        const ItemInfo& info = (*ctx.items)[static_cast<std::size_t>(n.ref)];
        const Slot& s = SlotOf(ctx, n.ref, false);
        Val v = n.op == Op::kItem ? EntryVal(info, s, n.sub) : Val{};
        bool uncertain =
            s.enabled &&
            (v.uncertain || (n.type == VType::kInt && v.missing && Scored(info.def->type())));
        fn(n.ref, s.enabled && s.answered() && !uncertain, uncertain);
        break;
      }
      case Op::kCount:
      case Op::kAny:
      case Op::kAll:
      case Op::kWSum:
      case Op::kSum:
      case Op::kMax:
        for (const auto& entry : n.list) {
          bool matched = false, uncertain = false;
          ForEntry(ctx, entry, [&](const ItemInfo& info, const Slot& s) {
            if (!s.enabled) return;
            if (n.op == Op::kSum || n.op == Op::kMax) {
              Val v = IntVal(info, s);
              matched = matched || (!v.missing && v.pt != 0);
              uncertain = uncertain || (v.missing && v.lo != v.hi);
              return;
            }
            Match m = MatchEntry(info, s, entry.sub, entry.code);
            matched = matched || m.eq;
            uncertain = uncertain || (m.could_eq && m.could_diff);
          });
          if (entry.local) continue;
          fn(entry.group >= 0 ? entry.group : entry.item, matched, uncertain);
        }
        break;
      case Op::kScore:
        if (ctx.score_exprs)
          Visit((*ctx.score_exprs)[static_cast<std::size_t>(n.ref)], ctx, fn, depth + 1);
        break;
      default:
        break;
    }
  }
}

}  // namespace

Val Evaluate(const Expr& expr, const EvalContext& ctx) {
  if (expr.root < 0) return Val{1, 1, 1, false, false};
  return Eval(expr, expr.root, ctx);
}

void CollectContributing(const Expr& expr, const EvalContext& ctx, std::vector<int>* out) {
  Visit(expr, ctx, [&](int item, bool matched, bool) {
    if (matched) AddUnique(out, item);
  });
}

void CollectUncertain(const Expr& expr, const EvalContext& ctx, std::vector<int>* out) {
  Visit(expr, ctx, [&](int item, bool, bool uncertain) {
    if (uncertain) AddUnique(out, item);
  });
}

}  // namespace screening::internal
