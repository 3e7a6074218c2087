// Batch scoring of answers JSON lines (`screening score --batch`).
//
// The output is byte for byte that of ParseAnswersJson + Evaluate + ResultToJson for every
// line, and {"error": "...", "line": N} (the same message) for a line that cannot be scored.
// The fast path parses each line with simdjson straight into the answers, reuses its
// buffers from line to line and writes the result with RapidJSON; any line it does not
// accept outright (malformed JSON, unknown keys, wrong types, refused answers, a string the
// writer would escape differently) is handed to the reference path, so errors and rare
// forms cost more but read the same. docs/performance.md has the measurements.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>

#include <screening/instrument.h>
#include <screening/session.h>

namespace screening {

// Counts from a batch run.
struct BatchCounts {
  std::size_t lines = 0;   // input lines read
  std::size_t failed = 0;  // lines that gave an error object
  std::size_t slow = 0;    // lines that went through the reference path (errors included)
};

// Scores lines against one instrument. Not thread-safe: one scorer per thread (they may
// share the instrument).
class BatchScorer {
 public:
  // `options.directory`, when set, adds the support resources as Evaluate does.
  BatchScorer(std::shared_ptr<const Instrument> instrument, EvaluateOptions options);
  ~BatchScorer();
  BatchScorer(const BatchScorer&) = delete;
  BatchScorer& operator=(const BatchScorer&) = delete;

  // Appends the output for one input line (without its '\n'; a trailing '\r' is ignored)
  // to `out`, followed by '\n'. `line_number` counts from 1 and is named in the error
  // object. Returns false when the line gave an error object.
  bool ScoreLine(std::string_view line, std::size_t line_number, std::string* out);

  // Lines that went through the reference path so far.
  std::size_t slow_lines() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The reference path for one line: ParseAnswersJson + Evaluate + ResultToJson, or the error
// object. BatchScorer's output equals it for every input; tests compare the two.
bool ScoreLineReference(const std::shared_ptr<const Instrument>& instrument,
                        const EvaluateOptions& options, std::string_view line,
                        std::size_t line_number, std::string* out);

// Reads lines from `in` to its end (as std::getline splits them: a last line without '\n'
// counts, nothing after a final '\n' does) and writes one output line per input line to
// `out`, in input order, in large blocks; `out` is flushed at the end. With `threads` > 1
// blocks of lines are scored in parallel; the output is the same. Memory stays bounded by
// a block and one answers document (1 MiB) whatever the input: a line that grows longer
// than that before its end is not kept but read on to its end, and gives the error object
// it would give whole. Read errors are left to the caller to check (in.bad()).
BatchCounts ScoreJsonLines(const std::shared_ptr<const Instrument>& instrument, std::istream& in,
                           std::ostream& out, const EvaluateOptions& options, int threads = 1);

}  // namespace screening
