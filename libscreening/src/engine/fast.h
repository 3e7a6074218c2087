// The engine's steps as free functions over an instrument and a vector of slots, for the
// batch path (json/batch_scorer.cc), which scores many answer sets with one reused set of
// buffers instead of building a Session per line. Session and Evaluate are written in
// terms of these functions, so the two paths cannot drift apart.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <screening/instrument.h>
#include <screening/session.h>
#include <screening/status.h>
#include <screening/v1/assessment.pb.h>

#include "expr/slot.h"

namespace screening::internal {

// Validates and decodes an answer to item `item_index` into `slot` (Session::Set without
// the enabled check; `slot->enabled` is kept). `slot` is unchanged on error.
Status DecodeAnswer(const Instrument& instrument, int item_index, const v1::AnswerValue& value,
                    Slot* slot);

// DecodeAnswer for a code answering a YES_NO or SINGLE_CHOICE item (`item_index` must be
// one), into a slot not answered yet: false where DecodeAnswer would refuse the code.
bool DecodeChoice(const Instrument& instrument, int item_index, std::string_view code, Slot* slot);

// kInvalidArgument when the item belongs to a repeat group (answered per block).
Status CheckTopLevel(const Instrument& instrument, int item_index);

// Re-evaluates every `enabled_when` (items in dependency order, so the result depends on
// the answers only, not on the previous enabled state).
void RecomputeEnabled(const Instrument& instrument, std::vector<Slot>* slots);

// The checks of Session::SetNote, SetJudgement, SetClientEstimate and SetOverride, with
// their messages, without storing anything. `item_index` must be a valid index.
Status CheckNote(const Instrument& instrument, int item_index, std::string_view note);
Status CheckJudgement(const Instrument& instrument, std::string_view judgement_id,
                      std::string_view level, std::string_view rationale);
Status CheckClientEstimate(const Instrument& instrument, std::string_view level);
Status CheckOverride(const Instrument& instrument, std::string_view band, std::string_view reason);

// Session::MissingRequired and MissingJudgements over slots and answers.
void AppendMissingRequired(const Instrument& instrument, const std::vector<Slot>& slots,
                           google::protobuf::RepeatedPtrField<std::string>* out);
void AppendMissingJudgements(const Instrument& instrument, const v1::Answers& answers,
                             google::protobuf::RepeatedPtrField<std::string>* out);

// Evaluate over slots (kept up to date by RecomputeEnabled) and the answers' id,
// judgements, client estimate and override (their `answers` and `notes` maps are not
// read). `result` is cleared first; reusing one result from call to call saves its
// allocations. The same result as Evaluate, or the same error.
Status EvaluateInto(const Instrument& instrument, const std::vector<Slot>& slots,
                    const v1::Answers& answers, const EvaluateOptions& options, v1::Result* result);

}  // namespace screening::internal
