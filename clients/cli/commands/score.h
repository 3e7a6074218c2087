// `screening score`: answers JSON in, result out; `--batch` for JSON lines.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <screening/instrument.h>

#include "commands/command.h"

namespace screening::cli {

class ScoreCommand final : public Command {
 public:
  std::string name() const override { return "score"; }
  std::string summary(std::string_view lang) const override;
  int Run(const std::vector<std::string>& args, Io& io) override;
};

// Counts from a batch run.
struct BatchStats {
  size_t lines = 0;   // input lines read
  size_t failed = 0;  // lines that gave an error object
};

// Scores JSON lines (CONTRACTS.md, Answers JSON) from `in` against `instrument` and
// writes one line per input line to `out`: the result JSON, or {"line": N, "error": "..."}
// (N from 1) when the line fails. Output is buffered; `out` is flushed at the end. The
// library's batch path (screening/batch.h); `threads` > 1 scores blocks in parallel.
BatchStats ScoreBatch(const std::shared_ptr<const Instrument>& instrument, std::istream& in,
                      std::ostream& out, std::string_view lang, int threads = 1);

}  // namespace screening::cli
