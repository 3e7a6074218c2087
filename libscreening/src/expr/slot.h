// The decoded form of one answer, indexed by item: what expressions evaluate over. Codes are
// indices into ItemInfo::codes so that evaluation compares integers, never strings. The
// Session (engine/) keeps one Slot per item; it lives here, with the expressions, because
// the engine is built on the expression language and not the other way round.
#pragma once

#include <cstdint>
#include <vector>

namespace screening::internal {

struct Slot {
  enum class Kind : std::uint8_t { kNone, kCode, kInt, kCodes, kSpj, kText, kDate, kBlocks };
  Kind kind = Kind::kNone;
  // kCode: the code; kSpj: the current (or only) code.
  std::int32_t code = -1;
  // kSpj with current_and_history: the history code (-1 when not given).
  std::int32_t code2 = -1;
  // kInt: the value.
  std::int64_t integer = 0;
  // YES_NO `unknown`, SPJ `insufficient` (for the only/current code), PROTECTIVE `unknown`.
  bool unknown = false;
  // SPJ history code is `insufficient`.
  bool unknown2 = false;
  // kCodes: chosen codes.
  std::vector<std::int32_t> codes;
  // kBlocks: one vector per block, indexed by the item's position in the group.
  std::vector<std::vector<Slot>> blocks;
  // Whether the item is enabled now (its `enabled_when` holds). Kept up to date by the
  // Session after every change; disabled answers are ignored in scoring.
  bool enabled = true;

  bool answered() const { return kind != Kind::kNone; }
};

// Fixed code lists; their indices are used directly by compiled expressions.
inline constexpr int kYes = 0, kNo = 1, kUnknownCode = 2;                         // YES_NO
inline constexpr int kPresent = 0, kPartial = 1, kAbsent = 2, kInsufficient = 3;  // SPJ
inline constexpr int kLow = 0, kMedium = 1, kHigh = 2;                            // levels

}  // namespace screening::internal
