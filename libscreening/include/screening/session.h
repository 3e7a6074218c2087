// A Session holds the answers to one instrument while they are being given.
//
// Every change is validated against the compiled instrument (type, range, offered codes,
// whether the item is enabled). A Session is a value: copy it freely. It is not safe to
// modify one Session from two threads; distinct sessions over one shared Instrument are.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <screening/instrument.h>
#include <screening/status.h>
#include <screening/v1/assessment.pb.h>

namespace screening {

namespace internal {
struct Slot;
class SessionAccess;  // the engine's view of the decoded answers (src/engine/)
}  // namespace internal

// How far along a session is. Counts are over enabled top-level items.
struct Progress {
  int enabled = 0;           // items currently enabled
  int answered = 0;          // enabled items with an answer (unknown included)
  int required_missing = 0;  // enabled required items without an answer
};

class Session {
 public:
  explicit Session(std::shared_ptr<const Instrument> instrument);
  ~Session();
  Session(const Session&);
  Session& operator=(const Session&);
  Session(Session&&) noexcept;
  Session& operator=(Session&&) noexcept;

  // Builds a session from stored answers, validating every entry like Set() would
  // (except the enabled check: answers to disabled items are kept and ignored in
  // scoring). kInvalidArgument names the first offending key.
  static Result<Session> FromProto(std::shared_ptr<const Instrument> instrument,
                                   const v1::Answers& answers);

  // Sets a top-level item's answer. kInvalidArgument when the value's type does not fit
  // the item, a number is out of range or a code is not offered; kNotFound for an unknown
  // id; kFailedPrecondition when the item is currently disabled.
  Status Set(std::string_view item_id, const v1::AnswerValue& value);
  // Shorthands for the common cases.
  Status SetCode(std::string_view item_id, std::string_view code);
  Status SetInteger(std::string_view item_id, int64_t value);
  // Removes an answer (and its note). kNotFound for an unknown id.
  Status Clear(std::string_view item_id);
  // Free-text note for an item that allows one (`""` removes it).
  Status SetNote(std::string_view item_id, std::string_view note);

  // Repeat groups: appends an empty block and returns its index.
  Result<int> AddBlock(std::string_view group_id);
  Status RemoveBlock(std::string_view group_id, int block);
  // Sets an item inside block `block` of `group_id`.
  Status SetInBlock(std::string_view group_id, int block, std::string_view item_id,
                    const v1::AnswerValue& value);

  // A judgement declared by the instrument: level is low/medium/high; rationale required.
  Status SetJudgement(std::string_view judgement_id, std::string_view level,
                      std::string_view rationale);
  // The client's own estimate (low/medium/high); the instrument must ask for it.
  Status SetClientEstimate(std::string_view level);
  // An override of the computed band (or of the final judgement's level for SPJ
  // instruments). The reason is required. Whether it raises or lowers is decided at
  // evaluation; lowering by the assessor is refused there.
  Status SetOverride(std::string_view band, std::string_view reason, v1::OverrideBy by);
  void ClearOverride();
  void set_id(std::string id) { answers_.set_id(std::move(id)); }

  // Ids of the enabled top-level items, in order (what a form shows now).
  std::vector<std::string> VisibleItems() const;
  // Whether the item (by index into Instrument::items()) is enabled now.
  bool IsEnabled(int item_index) const;
  Progress GetProgress() const;
  // Ids of enabled required items without an answer, in order.
  std::vector<std::string> MissingRequired() const;
  // Ids of required judgements not yet given.
  std::vector<std::string> MissingJudgements() const;
  // Ok when the assessment may be finished (submitted): nothing required is missing.
  // kFailedPrecondition lists what is missing (ids only).
  Status CheckFinishable() const;

  const Instrument& instrument() const { return *instrument_; }
  const std::shared_ptr<const Instrument>& instrument_ptr() const { return instrument_; }
  // The answers as given (the stored form).
  const v1::Answers& answers() const { return answers_; }

 private:
  friend class internal::SessionAccess;

  Status Decode(int item_index, const v1::AnswerValue& value, internal::Slot* slot) const;
  Status SetImpl(std::string_view item_id, const v1::AnswerValue& value, bool check_enabled);
  // kInvalidArgument when the item belongs to a repeat group (answered per block).
  Status CheckTopLevel(int item_index) const;
  // Re-evaluates every `enabled_when` after a change (derived state kept in the slots).
  void Recompute();

  std::shared_ptr<const Instrument> instrument_;
  v1::Answers answers_;
  std::unique_ptr<std::vector<internal::Slot>> slots_;
};

class Directory;

// Options for evaluation.
struct EvaluateOptions {
  // Language of explanation and texts ("sv" or "en"; falls back to the first declared).
  std::string lang = "sv";
  // When set, the result lists the support resources for the person (Result.resources).
  const Directory* directory = nullptr;
  // The person's role (vocabulary subject role) for choosing resources; empty: the
  // instrument's target group (a new contact counts as an adult subjected to violence).
  std::string subject_role;
};

// Evaluates the session: scores, band and its certainty, judgements, override, flags,
// recommendations and the explanation (CONTRACTS.md, Result JSON). Pure and
// deterministic. kFailedPrecondition when an assessor's override would lower the
// computed level (only a supervisor may), or names a band the instrument lacks.
Result<v1::Result> Evaluate(const Session& session, const EvaluateOptions& options = {});

}  // namespace screening
