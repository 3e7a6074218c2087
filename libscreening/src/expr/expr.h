// The condition and score language (docs/expressions.md): compiled form and evaluation.
//
// Expressions are parsed and type-checked once, when an instrument loads, into a flat
// vector of typed nodes whose item references are resolved to indices. Evaluation walks
// the nodes and computes, in one pass, the point value (answers as given) and the range of
// values the uncertain answers could produce (three-valued logic for booleans, bounds for
// integers). Evaluation cannot fail.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "expr/slot.h"

namespace screening {
struct ItemInfo;
}

namespace screening::internal {

enum class VType : std::uint8_t { kBool, kInt, kYesNo, kSpj, kLevel, kCode, kBand, kCodes, kOther };

enum class Op : std::uint8_t {
  kBoolConst,
  kIntConst,
  kItem,
  kScore,
  kBand,
  kBandCertain,
  kFinalLevel,
  kClientEstimate,
  kJudgement,
  kFlag,
  kNot,
  kAnd,
  kOr,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kAdd,
  kSub,
  kNeg,
  kCount,
  kAny,
  kAll,
  kSum,
  kWSum,
  kContains,
  kAnswered,
  kSize,
  kMax,
};

// One item in a list argument. `group` >= 0: the item `item` in every block of that group.
struct ListEntry {
  int item = -1;       // global item index
  int sub = 0;         // 0 whole, 1 current, 2 history (SPJ)
  bool local = false;  // refers to the current block
  int group = -1;      // iterate over the blocks of this group item
  int code = -1;       // the value compared with (code index), for count/any/all/wsum
  std::int64_t weight = 0;
};

struct Node {
  Op op = Op::kBoolConst;
  VType type = VType::kBool;
  int a = -1, b = -1;  // children
  int ref = -1;        // item / score / judgement / flag index; code for literal compares
  int sub = 0;         // SPJ part
  bool local = false;  // item reference relative to the current block
  std::int64_t value = 0;
  std::vector<ListEntry> list;
};

struct Expr {
  std::string source;
  std::vector<Node> nodes;
  int root = -1;
  VType type = VType::kBool;
  std::vector<int> items;  // every item referenced (global indices), for dependencies
  bool empty() const { return root < 0; }
};

// What an expression may refer to where it is compiled.
struct Scope {
  const std::vector<ItemInfo>* items = nullptr;
  std::function<int(std::string_view)> item_index;
  int group = -1;                   // compiling inside this group's block
  std::vector<std::string> scores;  // visible scores, by index
  bool results = false;             // band, band_certain, final_level, client_estimate, judgement
  bool banded = false;              // final_level is a band (else a level)
  std::vector<std::string> bands;   // band ids
  std::vector<std::string> judgements;
  std::vector<std::string> flags;  // visible flags, by index
};

struct CompileError {
  int offset = 0;  // characters into the source
  std::string message;
};

// Compiles `source` expecting a result of `want` (kBool or kInt). On failure returns false
// and appends errors.
bool Compile(std::string_view source, const Scope& scope, VType want, Expr* out,
             std::vector<CompileError>* errors);

// A value during evaluation: the point value and the possible range.
struct Val {
  std::int64_t pt = 0;     // int, bool (0/1) or code index (-1 none)
  std::int64_t lo = 0;     // ints and bools: lowest possible
  std::int64_t hi = 0;     // ints and bools: highest possible
  bool missing = false;    // ints: no point value
  bool uncertain = false;  // codes: the true value could be any code
};

struct EvalContext {
  const std::vector<ItemInfo>* items = nullptr;
  const std::vector<Slot>* top = nullptr;
  const std::vector<Slot>* block = nullptr;  // the current block, inside a group
  int block_group = -1;                      // global index of that group item
  const Val* scores = nullptr;
  const std::vector<Expr>* score_exprs = nullptr;  // for explanations through scores
  int band = -1;
  bool band_certain = true;
  int final_level = -1;
  int client_estimate = -1;
  const int* judgements = nullptr;
  const std::uint8_t* flags = nullptr;
  // For computing a score's possible range at load: every group may have from zero to
  // its max_blocks blocks, all unanswered.
  bool open_groups = false;
};

Val Evaluate(const Expr& expr, const EvalContext& ctx);

// Items whose answers made the expression's point value what it is (matched codes in
// counts, answered items in comparisons), appended in order, without duplicates.
void CollectContributing(const Expr& expr, const EvalContext& ctx, std::vector<int>* out);
// Enabled items referenced by the expression whose answers are uncertain (unknown,
// insufficient or unanswered).
void CollectUncertain(const Expr& expr, const EvalContext& ctx, std::vector<int>* out);

}  // namespace screening::internal
