// BatchScorer and ScoreJsonLines (screening/batch.h): the fast path per line, the reference
// path for whatever it does not accept, and the chunked, optionally parallel, line loop.
#include <screening/batch.h>
#include <screening/json.h>

#include <google/protobuf/arena.h>

#include <algorithm>
#include <cstring>
#include <exception>
#include <istream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "engine/fast.h"
#include "json/batch_internal.h"

namespace screening {

namespace {

// ParseAnswersJson's bound: a longer line takes the reference path (which refuses it).
constexpr std::size_t kMaxAnswersBytes = std::size_t{1} << 20;
// Input is read in blocks of this size.
constexpr std::size_t kChunkBytes = std::size_t{1} << 22;
// The output of the first part of a block is written out in pieces of about this size.
constexpr std::size_t kFlushBytes = std::size_t{1} << 18;
// The arena block reused for each line's answers (larger answers spill over, freed per line).
constexpr std::size_t kArenaBlock = std::size_t{1} << 16;

std::string_view StripCr(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

bool Blank(std::string_view line) { return line.find_first_not_of(" \t") == std::string::npos; }

// {"error": ..., "line": N}. A message that cut a key inside a UTF-8 character would make
// dump() throw; `replace` writes U+FFFD there instead (valid messages are unchanged).
void AppendError(std::size_t line_number, const std::string& message, std::string* out) {
  *out += nlohmann::json{{"line", line_number}, {"error", message}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
  *out += '\n';
}

}  // namespace

bool ScoreLineReference(const std::shared_ptr<const Instrument>& instrument,
                        const EvaluateOptions& options, std::string_view line,
                        std::size_t line_number, std::string* out) {
  line = StripCr(line);
  if (Blank(line)) {
    AppendError(line_number, "empty line", out);
    return false;
  }
  // ParseAnswersJson lets nlohmann's out_of_range escape for a number beyond a double
  // (1e400); a batch must still give one line per line.
  auto parse = [&]() -> Result<Session> {
    try {
      return ParseAnswersJson(instrument, line);
    } catch (const std::exception&) {
      return Status::InvalidArgument("invalid JSON: a number out of range");
    }
  };
  auto session = parse();
  if (!session.ok()) {
    AppendError(line_number, session.status().message(), out);
    return false;
  }
  auto result = Evaluate(*session, options);
  if (!result.ok()) {
    AppendError(line_number, result.status().message(), out);
    return false;
  }
  *out += ResultToJson(*result);
  *out += '\n';
  return true;
}

struct BatchScorer::Impl {
  Impl(std::shared_ptr<const Instrument> inst, EvaluateOptions opts)
      : instrument(std::move(inst)),
        options(std::move(opts)),
        reader(*instrument),
        arena_block(kArenaBlock),
        arena(ArenaOptions(&arena_block)) {}

  static google::protobuf::ArenaOptions ArenaOptions(std::vector<char>* block) {
    google::protobuf::ArenaOptions o;
    o.initial_block = block->data();
    o.initial_block_size = block->size();
    return o;
  }

  // Copies `line` into the padded buffer simdjson reads from (it reads up to
  // SIMDJSON_PADDING bytes past the end).
  std::string_view Padded(std::string_view line) {
    const std::size_t need = line.size() + simdjson::SIMDJSON_PADDING;
    if (padded.size() < need) padded.resize(std::max(need, 2 * padded.size()));
    std::memcpy(padded.data(), line.data(), line.size());
    std::memset(padded.data() + line.size(), 0, simdjson::SIMDJSON_PADDING);
    return {padded.data(), line.size()};
  }

  bool Fast(std::string_view line, std::string* out) {
    if (line.size() > kMaxAnswersBytes || Blank(line)) return false;
    const std::string_view text = Padded(line);
    simdjson::dom::element root;
    if (parser.parse(text.data(), text.size(), false).get(root) != simdjson::SUCCESS) return false;
    // The answers live in an arena whose first block is reused: no allocation per line.
    arena.Reset();
    auto* answers = google::protobuf::Arena::CreateMessage<v1::Answers>(&arena);
    // Session::FromProto and Evaluate without a Session: the answers are decoded into
    // reused slots, the enabled state computed once, the result written into a reused
    // message (engine/fast.h).
    for (auto& slot : slots) {
      if (slot.answered()) slot = internal::Slot{};
    }
    if (!reader.Read(root, answers, &slots)) return false;
    for (const auto& [id, j] : answers->judgements()) {
      if (!internal::CheckJudgement(*instrument, id, j.level(), j.rationale()).ok()) return false;
    }
    if (answers->has_client_estimate() &&
        !internal::CheckClientEstimate(*instrument, answers->client_estimate().level()).ok()) {
      return false;
    }
    if (answers->has_override() && !internal::CheckOverride(*instrument, answers->override().band(),
                                                            answers->override().reason())
                                        .ok()) {
      return false;
    }
    internal::RecomputeEnabled(*instrument, &slots);
    if (!internal::EvaluateInto(*instrument, slots, *answers, options, &result).ok()) return false;
    if (!internal::AppendResultJson(result, out)) *out += ResultToJson(result);
    *out += '\n';
    return true;
  }

  std::shared_ptr<const Instrument> instrument;
  EvaluateOptions options;
  internal::FastAnswersReader reader;
  std::vector<internal::Slot> slots = std::vector<internal::Slot>(instrument->items().size());
  v1::Result result;
  simdjson::dom::parser parser;
  std::vector<char> padded;
  std::vector<char> arena_block;
  google::protobuf::Arena arena;
  std::size_t slow = 0;
};

BatchScorer::BatchScorer(std::shared_ptr<const Instrument> instrument, EvaluateOptions options)
    : impl_(std::make_unique<Impl>(std::move(instrument), std::move(options))) {}

BatchScorer::~BatchScorer() = default;

bool BatchScorer::ScoreLine(std::string_view line, std::size_t line_number, std::string* out) {
  line = StripCr(line);
  if (impl_->Fast(line, out)) return true;
  ++impl_->slow;
  return ScoreLineReference(impl_->instrument, impl_->options, line, line_number, out);
}

std::size_t BatchScorer::slow_lines() const { return impl_->slow; }

namespace {

// Scores the complete lines of `text` (each ended by '\n'), numbering from `first_line`.
struct Part {
  std::string_view text;
  std::size_t first_line = 0;
  std::string out;
  std::size_t lines = 0;
  std::size_t failed = 0;
};

// Scores the lines of `part`. With a `sink`, the output is written there whenever
// kFlushBytes have gathered (only the first part of a block may, the others follow it),
// so that the buffer stays small and warm in the cache.
void ScorePart(BatchScorer& scorer, Part* part, std::ostream* sink) {
  part->out.clear();
  part->lines = part->failed = 0;
  std::string_view rest = part->text;
  while (!rest.empty()) {
    const std::size_t end = rest.find('\n');
    const std::string_view line = end == std::string_view::npos ? rest : rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    if (!scorer.ScoreLine(line, part->first_line + part->lines, &part->out)) ++part->failed;
    ++part->lines;
    if (sink != nullptr && part->out.size() >= kFlushBytes) {
      sink->write(part->out.data(), static_cast<std::streamsize>(part->out.size()));
      part->out.clear();
    }
  }
}

// A line that grew longer than any answers document before its end was read: its bytes are
// not kept, only whether it is blank (spaces and tabs, perhaps a final '\r'), so that its
// error object is the reference path's ("empty line", or the size limit) and memory stays
// bounded whatever the input.
class LongLine {
 public:
  bool active() const { return active_; }
  // Starts skipping with `head`, the line's first bytes (no '\n' in them).
  void Start(std::string_view head) {
    *this = LongLine();
    active_ = true;
    (void)Feed(head);
  }
  // Reads on through `data`; returns where the line ends (its '\n') or npos.
  std::size_t Feed(std::string_view data) {
    if (!blank_) return data.find('\n');
    for (std::size_t i = 0; i < data.size(); ++i) {
      const char b = data[i];
      if (b == '\n') return i;
      if (cr_ || (b != ' ' && b != '\t' && b != '\r')) {
        blank_ = false;
        return data.find('\n', i + 1);
      }
      cr_ = b == '\r';
    }
    return std::string_view::npos;
  }
  // The line's error object, and back to reading lines.
  void Finish(std::size_t line_number, std::string* out) {
    AppendError(line_number,
                blank_
                    ? std::string("empty line")
                    : "the document is larger than " + std::to_string(kMaxAnswersBytes) + " bytes",
                out);
    *this = LongLine();
  }

 private:
  bool active_ = false;
  bool blank_ = true;
  bool cr_ = false;  // the last byte was '\r' (dropped when it ends the line)
};

}  // namespace

BatchCounts ScoreJsonLines(const std::shared_ptr<const Instrument>& instrument, std::istream& in,
                           std::ostream& out, const EvaluateOptions& options, int threads) {
  return internal::ScoreJsonLinesChunked(instrument, in, out, options, threads, kChunkBytes);
}

BatchCounts internal::ScoreJsonLinesChunked(const std::shared_ptr<const Instrument>& instrument,
                                            std::istream& in, std::ostream& out,
                                            const EvaluateOptions& options, int threads,
                                            std::size_t chunk_bytes) {
  chunk_bytes = std::max<std::size_t>(chunk_bytes, 1);
  const std::size_t workers = static_cast<std::size_t>(std::clamp(threads, 1, 64));
  std::vector<std::unique_ptr<BatchScorer>> scorers;
  for (std::size_t i = 0; i < workers; ++i) {
    scorers.push_back(std::make_unique<BatchScorer>(instrument, options));
  }
  std::vector<Part> parts(workers);
  BatchCounts counts;
  // The input block: `carried` bytes of an unfinished line, then what was read. Its size
  // only grows (resizing a string zero-fills it).
  // `carried` never exceeds one answers document (and a '\r'): a longer line is skipped
  // (LongLine), so the buffer stays below a block and a document however long the input.
  std::string buffer;
  std::size_t carried = 0;
  bool eof = false;
  LongLine long_line;
  while (!eof) {
    if (buffer.size() < carried + chunk_bytes) buffer.resize(carried + chunk_bytes);
    in.read(buffer.data() + carried, static_cast<std::streamsize>(chunk_bytes));
    std::size_t got = static_cast<std::size_t>(in.gcount());
    eof = got < chunk_bytes;
    if (long_line.active()) {  // carried is 0 while a line is skipped
      const std::size_t nl = long_line.Feed({buffer.data(), got});
      if (nl == std::string_view::npos && !eof) continue;
      std::string error;
      long_line.Finish(counts.lines + 1, &error);
      out.write(error.data(), static_cast<std::streamsize>(error.size()));
      ++counts.lines;
      ++counts.failed;
      const std::size_t rest = nl == std::string_view::npos ? got : nl + 1;
      std::memmove(buffer.data(), buffer.data() + rest, got - rest);
      got -= rest;
    }
    const std::string_view filled(buffer.data(), carried + got);
    // Complete lines up to the last '\n'; at the end of input, a last line without one.
    std::size_t complete = filled.rfind('\n');
    complete = complete == std::string_view::npos ? 0 : complete + 1;
    if (eof) complete = filled.size();
    const std::string_view text(buffer.data(), complete);

    // Split at line ends into one part per worker, each numbered from its first line.
    std::size_t used = 0;
    std::size_t next_line = counts.lines + 1;
    std::size_t n = 0;
    for (; n < workers && used < text.size(); ++n) {
      std::size_t end = used + (text.size() - used) / (workers - n);
      if (n + 1 == workers || end >= text.size()) {
        end = text.size();
      } else {
        const std::size_t nl = text.find('\n', end);
        end = nl == std::string_view::npos ? text.size() : nl + 1;
      }
      parts[n].text = text.substr(used, end - used);
      parts[n].first_line = next_line;
      next_line +=
          static_cast<std::size_t>(std::count(parts[n].text.begin(), parts[n].text.end(), '\n'));
      if (!parts[n].text.empty() && parts[n].text.back() != '\n') ++next_line;
      used = end;
    }
    if (n <= 1) {
      if (n == 1) ScorePart(*scorers[0], &parts[0], &out);
    } else {
      std::vector<std::thread> pool;
      for (std::size_t i = 1; i < n; ++i) {
        pool.emplace_back([&, i] { ScorePart(*scorers[i], &parts[i], nullptr); });
      }
      ScorePart(*scorers[0], &parts[0], &out);
      for (auto& t : pool) t.join();
    }
    for (std::size_t i = 0; i < n; ++i) {
      out.write(parts[i].out.data(), static_cast<std::streamsize>(parts[i].out.size()));
      counts.lines += parts[i].lines;
      counts.failed += parts[i].failed;
    }
    carried = filled.size() - complete;
    if (carried > kMaxAnswersBytes + 1) {
      long_line.Start(filled.substr(complete));
      carried = 0;
    } else if (carried) {
      std::memmove(buffer.data(), buffer.data() + complete, carried);
    }
  }
  for (const auto& s : scorers) counts.slow += s->slow_lines();
  out.flush();
  return counts;
}

}  // namespace screening
