// Internals of the batch path (screening/batch.h): the fast answers reader and the
// result writer. Both refuse (return false) rather than guess; the caller then takes the
// reference path, which produces the output (or error) the contract defines.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <screening/batch.h>
#include <screening/instrument.h>
#include <screening/v1/assessment.pb.h>
#include <simdjson.h>

namespace screening::internal {

// Reads an answers document already parsed by simdjson into `answers` (cleared first).
// Returns true only when ParseAnswersJson would accept the same text and build the same
// answers: every object is checked for duplicate keys, every key and type as
// ParseAnswersJson checks them. False means "take the reference path", not "invalid".
class FastAnswersReader {
 public:
  explicit FastAnswersReader(const Instrument& instrument);
  bool Read(const simdjson::dom::element& root, v1::Answers* answers);

 private:
  int ItemIndex(std::string_view id) const;
  bool ReadAnswers(const simdjson::dom::element& value, v1::Answers* answers);
  bool ReadValue(int index, const simdjson::dom::element& value, v1::AnswerValue* out);
  bool ReadBlocks(int group, const simdjson::dom::element& value, v1::AnswerValue* out);

  const Instrument& instrument_;
  std::unordered_map<std::string_view, int> index_;  // item id -> index (views into items)
  // Keys seen in the object being read, by item index (item keys, then note keys), with
  // the list of entries to reset afterwards.
  std::vector<std::uint8_t> seen_;
  std::vector<std::size_t> touched_;
};

// Writes `result` as ResultToJson(result) would, byte for byte, appending to `out`.
// Returns false (and leaves `out` as it was) when a string holds a control character
// that the two writers escape differently (\u001f against \u001F); the caller then uses
// ResultToJson.
bool AppendResultJson(const v1::Result& result, std::string* out);

// ScoreJsonLines reading `chunk_bytes` at a time (tests use tiny chunks to cross lines).
BatchCounts ScoreJsonLinesChunked(const std::shared_ptr<const Instrument>& instrument,
                                  std::istream& in, std::ostream& out,
                                  const EvaluateOptions& options, int threads,
                                  std::size_t chunk_bytes);

}  // namespace screening::internal
