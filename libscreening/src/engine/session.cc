// Sessions: validated answers to one instrument, with visibility kept up to date.
#include <screening/session.h>

#include <fmt/format.h>

#include <algorithm>

#include "base/textformat.h"
#include "engine/fast.h"
#include "engine/text_rules.h"
#include "expr/slot.h"
#include "instrument/compiled.h"

namespace screening {

using internal::Slot;

namespace {

int LevelIndex(std::string_view level) {
  if (level == "low") return internal::kLow;
  if (level == "medium") return internal::kMedium;
  if (level == "high") return internal::kHigh;
  return -1;
}

int CodeIndex(const std::vector<std::string>& codes, std::string_view code) {
  auto it = std::find(codes.begin(), codes.end(), code);
  return it == codes.end() ? -1 : static_cast<int>(it - codes.begin());
}

std::string CodeList(const std::vector<std::string>& codes, bool with_unknown_last = true) {
  std::string out;
  std::size_t n = codes.size();
  if (!with_unknown_last && n > 0) --n;
  for (std::size_t i = 0; i < n && i < 12; ++i) {
    if (i) out += ", ";
    out += codes[i];
  }
  if (n > 12) out += ", ...";
  return out;
}

bool ValidDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[static_cast<std::size_t>(i)] < '0' || s[static_cast<std::size_t>(i)] > '9') return false;
  }
  int y = std::stoi(std::string(s.substr(0, 4)));
  int m = std::stoi(std::string(s.substr(5, 2)));
  int d = std::stoi(std::string(s.substr(8, 2)));
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  int max = kDays[m - 1] + (m == 2 && leap ? 1 : 0);
  return d <= max;
}

}  // namespace

Session::Session(std::shared_ptr<const Instrument> instrument)
    : instrument_(std::move(instrument)),
      slots_(std::make_unique<std::vector<Slot>>(instrument_->items().size())) {
  Recompute();
}
Session::~Session() = default;
Session::Session(const Session& o)
    : instrument_(o.instrument_),
      answers_(o.answers_),
      slots_(std::make_unique<std::vector<Slot>>(*o.slots_)) {}
Session& Session::operator=(const Session& o) {
  if (this != &o) {
    instrument_ = o.instrument_;
    answers_ = o.answers_;
    slots_ = std::make_unique<std::vector<Slot>>(*o.slots_);
  }
  return *this;
}
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;

namespace internal {

namespace {

// The index of the code answering a YES_NO or SINGLE_CHOICE item, or -1 when the item
// does not accept it (not offered, or `unknown` where the item allows none).
int ChoiceCode(const ItemInfo& info, std::string_view code) {
  const int k = CodeIndex(info.codes, code);
  const bool is_unknown = info.def->type() == v1::YES_NO && k == kUnknownCode;
  if (k < 0 || (is_unknown && info.def->no_unknown())) return -1;
  return k;
}

}  // namespace

bool DecodeChoice(const Instrument& instrument, int item_index, std::string_view code, Slot* slot) {
  const ItemInfo& info = instrument.items()[static_cast<std::size_t>(item_index)];
  const int k = ChoiceCode(info, code);
  if (k < 0) return false;
  slot->kind = Slot::Kind::kCode;
  slot->code = k;
  slot->unknown = info.def->type() == v1::YES_NO && k == kUnknownCode;
  return true;
}

Status DecodeAnswer(const Instrument& instrument, int item_index, const v1::AnswerValue& value,
                    Slot* slot) {
  const ItemInfo& info = instrument.items()[static_cast<std::size_t>(item_index)];
  const v1::Item& item = *info.def;
  const std::string& id = item.id();
  Slot s;
  s.enabled = slot->enabled;
  auto bad = [&](std::string what) {
    return Status::InvalidArgument(fmt::format("{}: {}", id, what));
  };
  switch (item.type()) {
    case v1::YES_NO:
    case v1::SINGLE_CHOICE: {
      if (value.value_case() != v1::AnswerValue::kCode) {
        return bad(item.type() == v1::YES_NO ? "expected yes, no or unknown" : "expected one code");
      }
      const int code = ChoiceCode(info, value.code());
      const bool is_unknown = item.type() == v1::YES_NO && code == internal::kUnknownCode;
      if (code < 0) {
        return bad(
            fmt::format("not one of the offered codes ({})",
                        CodeList(info.codes, !(item.type() == v1::YES_NO && item.no_unknown()))));
      }
      s.kind = Slot::Kind::kCode;
      s.code = code;
      s.unknown = is_unknown;
      break;
    }
    case v1::MULTI_CHOICE: {
      if (value.value_case() != v1::AnswerValue::kCodes) return bad("expected a list of codes");
      for (const auto& c : value.codes().codes()) {
        int code = CodeIndex(info.codes, c);
        if (code < 0)
          return bad(fmt::format("not one of the offered codes ({})", CodeList(info.codes)));
        if (std::find(s.codes.begin(), s.codes.end(), code) != s.codes.end()) {
          return bad("a code is given twice");
        }
        s.codes.push_back(code);
      }
      s.kind = Slot::Kind::kCodes;
      break;
    }
    case v1::INTEGER:
      if (value.value_case() != v1::AnswerValue::kInteger) return bad("expected a whole number");
      if (value.integer() < item.min() || value.integer() > item.max()) {
        return bad(fmt::format("out of range ({}..{})", item.min(), item.max()));
      }
      s.kind = Slot::Kind::kInt;
      s.integer = value.integer();
      break;
    case v1::PROTECTIVE:
      if (value.value_case() == v1::AnswerValue::kCode && value.code() == "unknown" &&
          !item.no_unknown()) {
        s.kind = Slot::Kind::kInt;
        s.unknown = true;
        break;
      }
      if (value.value_case() != v1::AnswerValue::kInteger || value.integer() < 0 ||
          value.integer() > 2) {
        return bad(item.no_unknown() ? "expected 0, 1 or 2" : "expected 0, 1, 2 or unknown");
      }
      s.kind = Slot::Kind::kInt;
      s.integer = value.integer();
      break;
    case v1::DATE:
      if (value.value_case() != v1::AnswerValue::kDate || !ValidDate(value.date())) {
        return bad("expected a date YYYY-MM-DD");
      }
      s.kind = Slot::Kind::kDate;
      break;
    case v1::TEXT: {
      if (value.value_case() != v1::AnswerValue::kText) return bad("expected text");
      if (Status st = internal::CheckFreeText(value.text()); !st.ok()) return bad(st.message());
      s.kind = Slot::Kind::kText;
      break;
    }
    case v1::SPJ_FACTOR: {
      auto decode = [&](const std::string& c, std::int32_t* code, bool* unknown) -> bool {
        if (c.empty()) return true;  // not given (split factors only)
        int k = CodeIndex(info.codes, c);
        if (k < 0 || (k == internal::kInsufficient && item.no_unknown())) return false;
        *code = k;
        *unknown = k == internal::kInsufficient;
        return true;
      };
      const std::string codes = CodeList(info.codes, !item.no_unknown());
      if (item.current_and_history()) {
        if (value.value_case() != v1::AnswerValue::kSpj ||
            (value.spj().current().empty() && value.spj().history().empty())) {
          return bad("expected {\"current\": code, \"history\": code}");
        }
        if (!decode(value.spj().current(), &s.code, &s.unknown) ||
            !decode(value.spj().history(), &s.code2, &s.unknown2)) {
          return bad(fmt::format("not one of the factor codes ({})", codes));
        }
      } else {
        if (value.value_case() != v1::AnswerValue::kCode || value.code().empty() ||
            !decode(value.code(), &s.code, &s.unknown)) {
          return bad(fmt::format("expected one of the factor codes ({})", codes));
        }
      }
      s.kind = Slot::Kind::kSpj;
      break;
    }
    case v1::GROUP: {
      if (value.value_case() != v1::AnswerValue::kBlocks) return bad("expected a list of blocks");
      int max_blocks = item.max_blocks() > 0 ? item.max_blocks() : 50;
      if (value.blocks().blocks_size() > max_blocks) {
        return bad(fmt::format("at most {} blocks", max_blocks));
      }
      const std::size_t width = static_cast<std::size_t>(item.items_size());
      for (int b = 0; b < value.blocks().blocks_size(); ++b) {
        const auto& block = value.blocks().blocks(b);
        std::vector<Slot> slots(width);
        for (const auto& [child_id, child_value] : block.answers()) {
          int child = instrument.ItemIndex(child_id);
          if (child < 0 ||
              instrument.items()[static_cast<std::size_t>(child)].group != item_index) {
            return bad(fmt::format("block {}: unknown item '{}'", b + 1, child_id));
          }
          auto pos = static_cast<std::size_t>(child - item_index - 1);
          if (Status st = DecodeAnswer(instrument, child, child_value, &slots[pos]); !st.ok()) {
            return bad(fmt::format("block {}: {}", b + 1, st.message()));
          }
        }
        for (const auto& [child_id, note] : block.notes()) {
          int child = instrument.ItemIndex(child_id);
          if (child < 0 ||
              instrument.items()[static_cast<std::size_t>(child)].group != item_index) {
            return bad(fmt::format("block {}: note for unknown item '{}'", b + 1, child_id));
          }
          if (Status st = internal::CheckFreeText(note); !st.ok()) {
            return bad(fmt::format("block {}: note for '{}': {}", b + 1, child_id, st.message()));
          }
        }
        s.blocks.push_back(std::move(slots));
      }
      s.kind = Slot::Kind::kBlocks;
      break;
    }
    default:
      return Status::Internal(fmt::format("{}: item type not handled", id));
  }
  *slot = std::move(s);
  return Status::Ok();
}

void RecomputeEnabled(const Instrument& instrument, std::vector<Slot>* slot_list) {
  const auto& logic = instrument.logic();
  const auto& items = instrument.items();
  auto& slots = *slot_list;
  internal::EvalContext ctx;
  ctx.items = &items;
  ctx.top = &slots;
  for (int i : logic.enable_order) {
    const auto ui = static_cast<std::size_t>(i);
    const ItemInfo& info = items[ui];
    const internal::Expr& cond = logic.enabled_when[ui];
    if (info.group < 0) {
      slots[ui].enabled = cond.empty() || internal::Evaluate(cond, ctx).pt != 0;
      continue;
    }
    // An item inside a group: decided per block, and only when the group is enabled.
    Slot& group = slots[static_cast<std::size_t>(info.group)];
    const auto pos = static_cast<std::size_t>(i - info.group - 1);
    for (auto& block : group.blocks) {
      internal::EvalContext bctx = ctx;
      bctx.block = &block;
      bctx.block_group = info.group;
      block[pos].enabled =
          group.enabled && (cond.empty() || internal::Evaluate(cond, bctx).pt != 0);
    }
  }
}

Status CheckTopLevel(const Instrument& instrument, int index) {
  const ItemInfo& info = instrument.items()[static_cast<std::size_t>(index)];
  if (info.group < 0) return Status::Ok();
  return Status::InvalidArgument(
      fmt::format("{}: belongs to group '{}' and is answered per block", info.def->id(),
                  instrument.items()[static_cast<std::size_t>(info.group)].def->id()));
}

Status CheckNote(const Instrument& instrument, int index, std::string_view note) {
  if (Status st = CheckTopLevel(instrument, index); !st.ok()) return st;
  const v1::Item& item = *instrument.items()[static_cast<std::size_t>(index)].def;
  bool allowed =
      item.allows_note() || std::any_of(item.options().begin(), item.options().end(),
                                        [](const v1::ChoiceOption& o) { return o.needs_note(); });
  if (!allowed)
    return Status::InvalidArgument(fmt::format("{}_note: the item takes no note", item.id()));
  if (note.empty()) return Status::Ok();
  if (Status st = internal::CheckFreeText(note); !st.ok()) {
    return Status::InvalidArgument(fmt::format("{}_note: {}", item.id(), st.message()));
  }
  return Status::Ok();
}

Status CheckJudgement(const Instrument& instrument, std::string_view judgement_id,
                      std::string_view level, std::string_view rationale) {
  const auto& judgements = instrument.definition().judgements();
  bool known = std::any_of(judgements.begin(), judgements.end(),
                           [&](const v1::Judgement& j) { return j.id() == judgement_id; });
  if (!known)
    return Status::NotFound(fmt::format("judgements.{}: unknown judgement", judgement_id));
  if (LevelIndex(level) < 0) {
    return Status::InvalidArgument(
        fmt::format("judgements.{}.level: expected low, medium or high", judgement_id));
  }
  if (rationale.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return Status::InvalidArgument(
        fmt::format("judgements.{}.rationale: a rationale is required", judgement_id));
  }
  if (Status st = internal::CheckFreeText(rationale); !st.ok()) {
    return Status::InvalidArgument(
        fmt::format("judgements.{}.rationale: {}", judgement_id, st.message()));
  }
  return Status::Ok();
}

Status CheckClientEstimate(const Instrument& instrument, std::string_view level) {
  if (!instrument.definition().client_estimate()) {
    return Status::InvalidArgument(
        "client_estimate: this instrument does not record the client's estimate");
  }
  if (LevelIndex(level) < 0)
    return Status::InvalidArgument("client_estimate.level: expected low, medium or high");
  return Status::Ok();
}

Status CheckOverride(const Instrument& instrument, std::string_view band, std::string_view reason) {
  if (instrument.has_banding()) {
    if (instrument.BandIndex(band) < 0) {
      return Status::InvalidArgument("override.band: not a band of this instrument");
    }
  } else if (instrument.logic().final_judgement >= 0) {
    if (LevelIndex(band) < 0)
      return Status::InvalidArgument("override.band: expected low, medium or high");
  } else {
    return Status::InvalidArgument("override: this instrument has no level to override");
  }
  if (reason.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return Status::InvalidArgument("override.reason: a reason is required");
  }
  if (Status st = internal::CheckFreeText(reason); !st.ok()) {
    return Status::InvalidArgument(fmt::format("override.reason: {}", st.message()));
  }
  return Status::Ok();
}

namespace {

template <typename Out>
void MissingRequiredInto(const Instrument& instrument, const std::vector<Slot>& slots, Out* out) {
  const auto& items = instrument.items();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const ItemInfo& info = items[i];
    if (!info.def->required()) continue;
    if (info.group < 0) {
      if (slots[i].enabled && !slots[i].answered()) *out->Add() = info.def->id();
      continue;
    }
    const Slot& group = slots[static_cast<std::size_t>(info.group)];
    const auto pos = i - static_cast<std::size_t>(info.group) - 1;
    for (std::size_t b = 0; b < group.blocks.size(); ++b) {
      const Slot& s = group.blocks[b][pos];
      if (s.enabled && !s.answered()) {
        *out->Add() =
            fmt::format("{}[{}].{}", items[static_cast<std::size_t>(info.group)].def->id(), b + 1,
                        info.def->id());
      }
    }
  }
}

template <typename Out>
void MissingJudgementsInto(const Instrument& instrument, const v1::Answers& answers, Out* out) {
  for (const auto& j : instrument.definition().judgements()) {
    if (j.required() && !answers.judgements().count(j.id())) *out->Add() = j.id();
  }
}

// std::vector<std::string> with RepeatedPtrField's Add.
struct StringList {
  std::vector<std::string> list;
  std::string* Add() { return &list.emplace_back(); }
};

}  // namespace

void AppendMissingRequired(const Instrument& instrument, const std::vector<Slot>& slots,
                           google::protobuf::RepeatedPtrField<std::string>* out) {
  MissingRequiredInto(instrument, slots, out);
}

void AppendMissingJudgements(const Instrument& instrument, const v1::Answers& answers,
                             google::protobuf::RepeatedPtrField<std::string>* out) {
  MissingJudgementsInto(instrument, answers, out);
}

}  // namespace internal

Status Session::Decode(int item_index, const v1::AnswerValue& value, Slot* slot) const {
  return internal::DecodeAnswer(*instrument_, item_index, value, slot);
}

void Session::Recompute() { internal::RecomputeEnabled(*instrument_, slots_.get()); }

Status Session::SetImpl(std::string_view item_id, const v1::AnswerValue& value,
                        bool check_enabled) {
  int index = instrument_->ItemIndex(item_id);
  if (index < 0) return Status::NotFound(fmt::format("unknown item '{}'", item_id));
  if (Status st = CheckTopLevel(index); !st.ok()) return st;
  Slot& slot = (*slots_)[static_cast<std::size_t>(index)];
  if (check_enabled && !slot.enabled) {
    return Status::FailedPrecondition(fmt::format("{}: the question does not apply now", item_id));
  }
  Slot decoded;
  decoded.enabled = slot.enabled;
  if (Status st = Decode(index, value, &decoded); !st.ok()) return st;
  slot = std::move(decoded);
  (*answers_.mutable_answers())[std::string(item_id)] = value;
  Recompute();
  return Status::Ok();
}

Status Session::CheckTopLevel(int index) const {
  return internal::CheckTopLevel(*instrument_, index);
}

Status Session::Set(std::string_view item_id, const v1::AnswerValue& value) {
  return SetImpl(item_id, value, true);
}

Status Session::SetCode(std::string_view item_id, std::string_view code) {
  v1::AnswerValue v;
  v.set_code(std::string(code));
  return Set(item_id, v);
}

Status Session::SetInteger(std::string_view item_id, int64_t value) {
  v1::AnswerValue v;
  v.set_integer(value);
  return Set(item_id, v);
}

Status Session::Clear(std::string_view item_id) {
  int index = instrument_->ItemIndex(item_id);
  if (index < 0) return Status::NotFound(fmt::format("unknown item '{}'", item_id));
  if (Status st = CheckTopLevel(index); !st.ok()) return st;
  Slot& slot = (*slots_)[static_cast<std::size_t>(index)];
  bool enabled = slot.enabled;
  slot = Slot{};
  slot.enabled = enabled;
  answers_.mutable_answers()->erase(std::string(item_id));
  answers_.mutable_notes()->erase(std::string(item_id));
  Recompute();
  return Status::Ok();
}

Status Session::SetNote(std::string_view item_id, std::string_view note) {
  int index = instrument_->ItemIndex(item_id);
  if (index < 0) return Status::NotFound(fmt::format("unknown item '{}'", item_id));
  if (Status st = internal::CheckNote(*instrument_, index, note); !st.ok()) return st;
  if (note.empty()) {
    answers_.mutable_notes()->erase(std::string(item_id));
  } else {
    (*answers_.mutable_notes())[std::string(item_id)] = std::string(note);
  }
  return Status::Ok();
}

Result<int> Session::AddBlock(std::string_view group_id) {
  int index = instrument_->ItemIndex(group_id);
  if (index < 0) return Status::NotFound(fmt::format("unknown item '{}'", group_id));
  const v1::Item& item = *instrument_->items()[static_cast<std::size_t>(index)].def;
  if (item.type() != v1::GROUP)
    return Status::InvalidArgument(fmt::format("{}: not a group", group_id));
  Slot& slot = (*slots_)[static_cast<std::size_t>(index)];
  if (!slot.enabled)
    return Status::FailedPrecondition(fmt::format("{}: the group does not apply now", group_id));
  int max_blocks = item.max_blocks() > 0 ? item.max_blocks() : 50;
  if (static_cast<int>(slot.blocks.size()) >= max_blocks) {
    return Status::InvalidArgument(fmt::format("{}: at most {} blocks", group_id, max_blocks));
  }
  auto& value = (*answers_.mutable_answers())[std::string(group_id)];
  value.mutable_blocks()->add_blocks();
  slot.kind = Slot::Kind::kBlocks;
  slot.blocks.emplace_back(static_cast<std::size_t>(item.items_size()));
  Recompute();
  return static_cast<int>(slot.blocks.size()) - 1;
}

Status Session::RemoveBlock(std::string_view group_id, int block) {
  int index = instrument_->ItemIndex(group_id);
  if (index < 0) return Status::NotFound(fmt::format("unknown item '{}'", group_id));
  Slot& slot = (*slots_)[static_cast<std::size_t>(index)];
  if (slot.kind != Slot::Kind::kBlocks || block < 0 ||
      block >= static_cast<int>(slot.blocks.size())) {
    return Status::NotFound(fmt::format("{}: no block {}", group_id, block + 1));
  }
  slot.blocks.erase(slot.blocks.begin() + block);
  auto* blocks =
      (*answers_.mutable_answers())[std::string(group_id)].mutable_blocks()->mutable_blocks();
  blocks->erase(blocks->begin() + block);
  Recompute();
  return Status::Ok();
}

Status Session::SetInBlock(std::string_view group_id, int block, std::string_view item_id,
                           const v1::AnswerValue& value) {
  int index = instrument_->ItemIndex(group_id);
  int child = instrument_->ItemIndex(item_id);
  if (index < 0) return Status::NotFound(fmt::format("unknown item '{}'", group_id));
  if (child < 0 || instrument_->items()[static_cast<std::size_t>(child)].group != index) {
    return Status::NotFound(fmt::format("{}: no item '{}' in the group", group_id, item_id));
  }
  Slot& slot = (*slots_)[static_cast<std::size_t>(index)];
  if (slot.kind != Slot::Kind::kBlocks || block < 0 ||
      block >= static_cast<int>(slot.blocks.size())) {
    return Status::NotFound(fmt::format("{}: no block {}", group_id, block + 1));
  }
  Slot& target =
      slot.blocks[static_cast<std::size_t>(block)][static_cast<std::size_t>(child - index - 1)];
  if (!target.enabled) {
    return Status::FailedPrecondition(fmt::format("{}: the question does not apply now", item_id));
  }
  Slot decoded;
  decoded.enabled = target.enabled;
  if (Status st = Decode(child, value, &decoded); !st.ok()) {
    return Status::InvalidArgument(
        fmt::format("{} block {}: {}", group_id, block + 1, st.message()));
  }
  target = std::move(decoded);
  auto* blocks = (*answers_.mutable_answers())[std::string(group_id)].mutable_blocks();
  (*blocks->mutable_blocks(block)->mutable_answers())[std::string(item_id)] = value;
  Recompute();
  return Status::Ok();
}

Status Session::SetJudgement(std::string_view judgement_id, std::string_view level,
                             std::string_view rationale) {
  if (Status st = internal::CheckJudgement(*instrument_, judgement_id, level, rationale);
      !st.ok()) {
    return st;
  }
  auto& j = (*answers_.mutable_judgements())[std::string(judgement_id)];
  j.set_level(std::string(level));
  j.set_rationale(std::string(rationale));
  return Status::Ok();
}

Status Session::SetClientEstimate(std::string_view level) {
  if (Status st = internal::CheckClientEstimate(*instrument_, level); !st.ok()) return st;
  answers_.mutable_client_estimate()->set_level(std::string(level));
  return Status::Ok();
}

Status Session::SetOverride(std::string_view band, std::string_view reason, v1::OverrideBy by) {
  if (Status st = internal::CheckOverride(*instrument_, band, reason); !st.ok()) return st;
  auto* o = answers_.mutable_override();
  o->set_band(std::string(band));
  o->set_reason(std::string(reason));
  o->set_by(by);
  return Status::Ok();
}

void Session::ClearOverride() { answers_.clear_override(); }

Result<Session> Session::FromProto(std::shared_ptr<const Instrument> instrument,
                                   const v1::Answers& answers) {
  Session s(std::move(instrument));
  s.set_id(answers.id());
  // Deterministic order (map iteration order is unspecified): by item order.
  std::vector<std::pair<int, const std::string*>> keys;
  for (const auto& [id, value] : answers.answers()) {
    int index = s.instrument_->ItemIndex(id);
    if (index < 0) return Status::InvalidArgument(fmt::format("answers.{}: unknown item", id));
    keys.emplace_back(index, &id);
  }
  std::sort(keys.begin(), keys.end());
  auto prefixed = [](const Status& st) {
    return Status(st.code() == StatusCode::kNotFound ? StatusCode::kInvalidArgument : st.code(),
                  "answers." + st.message());
  };
  for (const auto& [index, id] : keys) {
    if (Status st = s.SetImpl(*id, answers.answers().at(*id), false); !st.ok()) return prefixed(st);
  }
  for (const auto& [id, note] : answers.notes()) {
    if (Status st = s.SetNote(id, note); !st.ok()) return prefixed(st);
  }
  for (const auto& [id, j] : answers.judgements()) {
    if (Status st = s.SetJudgement(id, j.level(), j.rationale()); !st.ok()) {
      return Status(StatusCode::kInvalidArgument, st.message());
    }
  }
  if (answers.has_client_estimate()) {
    if (Status st = s.SetClientEstimate(answers.client_estimate().level()); !st.ok()) return st;
  }
  if (answers.has_override()) {
    const auto& o = answers.override();
    if (Status st = s.SetOverride(o.band(), o.reason(), o.by()); !st.ok()) return st;
  }
  return s;
}

bool Session::IsEnabled(int item_index) const {
  if (item_index < 0 || item_index >= static_cast<int>(slots_->size())) return false;
  return (*slots_)[static_cast<std::size_t>(item_index)].enabled;
}

std::vector<std::string> Session::VisibleItems() const {
  std::vector<std::string> out;
  const auto& items = instrument_->items();
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].group < 0 && (*slots_)[i].enabled) out.push_back(items[i].def->id());
  }
  return out;
}

Progress Session::GetProgress() const {
  Progress p;
  const auto& items = instrument_->items();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Slot& s = (*slots_)[i];
    if (items[i].group >= 0 || !s.enabled) continue;
    ++p.enabled;
    if (s.answered()) {
      ++p.answered;
    } else if (items[i].def->required()) {
      ++p.required_missing;
    }
  }
  return p;
}

std::vector<std::string> Session::MissingRequired() const {
  internal::StringList out;
  internal::MissingRequiredInto(*instrument_, *slots_, &out);
  return std::move(out.list);
}

std::vector<std::string> Session::MissingJudgements() const {
  internal::StringList out;
  internal::MissingJudgementsInto(*instrument_, answers_, &out);
  return std::move(out.list);
}

Status Session::CheckFinishable() const {
  auto items = MissingRequired();
  auto judgements = MissingJudgements();
  if (items.empty() && judgements.empty()) return Status::Ok();
  std::string msg = "cannot be finished:";
  if (!items.empty()) {
    msg += " required answers missing (";
    for (std::size_t i = 0; i < items.size(); ++i) msg += (i ? ", " : "") + items[i];
    msg += ")";
  }
  if (!judgements.empty()) {
    msg += items.empty() ? " " : "; ";
    msg += "judgements missing (";
    for (std::size_t i = 0; i < judgements.size(); ++i) msg += (i ? ", " : "") + judgements[i];
    msg += ")";
  }
  return Status::FailedPrecondition(msg);
}

}  // namespace screening
