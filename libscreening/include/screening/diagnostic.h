// A located error in a definition file.
#pragma once

#include <string>
#include <vector>

namespace screening {

// One error with its place: 1-based line and column (in characters, at the start of the
// offending token). Line 0 means the error concerns the whole file.
struct Diagnostic {
  std::string file;
  int line = 0;
  int column = 0;
  std::string message;

  // "FILE:LINE:COL: message" (CONTRACTS.md).
  std::string ToString() const;
};

using Diagnostics = std::vector<Diagnostic>;

}  // namespace screening
