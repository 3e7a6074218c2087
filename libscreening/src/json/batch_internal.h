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
#include <vector>

#include <screening/batch.h>
#include <screening/instrument.h>
#include <screening/v1/assessment.pb.h>
#include <simdjson.h>

#include "expr/slot.h"

namespace screening::internal {

// Item ids to item indexes: a small open-addressing table with a cheap hash (the ids are
// short), built once per instrument.
class ItemTable {
 public:
  explicit ItemTable(const Instrument& instrument);
  // The index of the item with id `id`, or -1.
  int Find(std::string_view id) const;

 private:
  static std::uint32_t Hash(std::string_view s);
  std::vector<std::string_view> keys_;  // views into the instrument's item ids
  std::vector<int> values_;             // -1: an empty entry
  std::uint32_t mask_ = 0;
};

// Reads an answers document already parsed by simdjson: the id, judgements, client
// estimate and override into `answers` (an arena message, cleared first), every answer
// decoded straight into `slots` (one per item, all unanswered on entry) and every note
// checked. Returns true only when ParseAnswersJson + Session::FromProto would accept the
// same text and decode the same answers: every object is checked for duplicate keys,
// every key, type and value as those functions check them. False means "take the
// reference path", not "invalid"; `slots` may then hold some answers.
class FastAnswersReader {
 public:
  explicit FastAnswersReader(const Instrument& instrument);
  bool Read(const simdjson::dom::element& root, v1::Answers* answers, std::vector<Slot>* slots);

 private:
  int ItemIndex(std::string_view id) const { return table_.Find(id); }
  bool ReadAnswers(const simdjson::dom::element& value, v1::Answers* answers,
                   std::vector<Slot>* slots);
  bool ReadValue(int index, const simdjson::dom::element& value, v1::AnswerValue* out);
  bool ReadBlocks(int group, const simdjson::dom::element& value, v1::AnswerValue* out);

  const Instrument& instrument_;
  ItemTable table_;
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
