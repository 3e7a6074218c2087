// The compiled logic of an instrument: every expression resolved and type-checked.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <screening/instrument.h>

#include "expr/expr.h"

namespace screening::internal {

struct CompiledLogic {
  // Per global item index; an empty Expr means always enabled.
  std::vector<Expr> enabled_when;
  // Every item index, each after the items its condition names.
  std::vector<int> enable_order;
  std::vector<Expr> scores;
  // Range banding: the score index and each band's inclusive range. Rule banding:
  // banding_score < 0 and one rule per band (the last is empty: otherwise).
  int banding_score = -1;
  std::vector<std::pair<std::int64_t, std::int64_t>> band_ranges;
  std::vector<Expr> band_rules;
  std::vector<Expr> flags;
  std::vector<Expr> recommendations;
  // Index of the `is_final` judgement, or -1.
  int final_judgement = -1;
  // The possible range of every score (from evaluating with every answer open).
  std::vector<std::pair<std::int64_t, std::int64_t>> score_ranges;
};

// The canonical logic serialisation hashed into `sha256` (docs/hashes.md).
std::string CanonicalLogic(const v1::Instrument& def, const std::vector<ItemInfo>& items);
// The texts shown in `lang`, one "path<TAB>text" line each, hashed into `text_sha256`.
std::string CanonicalTexts(const v1::Instrument& def, std::string_view lang,
                           std::string_view text_set);

}  // namespace screening::internal
