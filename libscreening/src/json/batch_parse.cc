// The fast answers reader of the batch path: a simdjson document to v1::Answers, mirroring
// ParseAnswersJson (json.cc) rule for rule. Anything that function would refuse, or that
// this reader is not sure it reads the same way (numbers beyond int64, an object with a
// duplicate key, a value of an unexpected type), returns false and the line takes the
// reference path, which words the error.
#include <google/protobuf/arena.h>

#include <string>

#include "engine/fast.h"

#include "instrument/compiled.h"
#include "json/batch_internal.h"

namespace screening::internal {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

// The same bound as ParseAnswersJson (checked before parsing, in BatchScorer).
constexpr std::size_t kMaxIdChars = 200;

bool GetString(const element& e, std::string_view* out) {
  return e.type() == element_type::STRING && e.get_string().get(*out) == simdjson::SUCCESS;
}

bool GetObject(const element& e, simdjson::dom::object* out) {
  return e.type() == element_type::OBJECT && e.get_object().get(*out) == simdjson::SUCCESS;
}

// Keys of a small fixed set (at most 8), refusing duplicates.
class KeySet {
 public:
  bool Insert(int key) {
    const unsigned bit = 1u << key;
    if (seen_ & bit) return false;
    seen_ |= bit;
    return true;
  }

 private:
  unsigned seen_ = 0;
};

// {"level": ..., "rationale": ...} (rationale only when `with_rationale`), level required.
bool ReadLevel(const element& value, bool with_rationale, std::string_view* level,
               std::string_view* rationale) {
  simdjson::dom::object obj;
  if (!GetObject(value, &obj)) return false;
  KeySet keys;
  for (const auto field : obj) {
    if (field.key == "level") {
      if (!keys.Insert(0) || !GetString(field.value, level)) return false;
    } else if (field.key == "rationale" && with_rationale) {
      if (!keys.Insert(1) || !GetString(field.value, rationale)) return false;
    } else {
      return false;
    }
  }
  return !level->empty();
}

}  // namespace

ItemTable::ItemTable(const Instrument& instrument) {
  const auto& items = instrument.items();
  std::size_t size = 16;
  while (size < 4 * items.size()) size *= 2;
  keys_.resize(size);
  values_.assign(size, -1);
  mask_ = static_cast<std::uint32_t>(size - 1);
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string_view id = items[i].def->id();
    if (Find(id) >= 0) continue;  // ItemIndex finds the first of equal ids
    std::uint32_t h = Hash(id) & mask_;
    while (values_[h] >= 0) h = (h + 1) & mask_;
    keys_[h] = id;
    values_[h] = static_cast<int>(i);
  }
}

std::uint32_t ItemTable::Hash(std::string_view s) {
  std::uint32_t h = 2166136261u;  // FNV-1a
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  return h;
}

int ItemTable::Find(std::string_view id) const {
  std::uint32_t h = Hash(id) & mask_;
  while (values_[h] >= 0) {
    if (keys_[h] == id) return values_[h];
    h = (h + 1) & mask_;
  }
  return -1;
}

FastAnswersReader::FastAnswersReader(const Instrument& instrument)
    : instrument_(instrument), table_(instrument), seen_(2 * instrument.items().size(), 0) {}

bool FastAnswersReader::Read(const element& root, v1::Answers* answers, std::vector<Slot>* slots) {
  answers->Clear();
  simdjson::dom::object obj;
  if (!GetObject(root, &obj)) return false;
  KeySet keys;
  for (const auto field : obj) {
    const std::string_view key = field.key;
    const element& value = field.value;
    if (key == "id") {
      if (!keys.Insert(0)) return false;
      std::string_view text;
      std::int64_t number = 0;
      if (GetString(value, &text)) {
        if (text.size() > kMaxIdChars) return false;
        answers->set_id(std::string(text));
      } else if (value.type() == element_type::INT64 &&
                 value.get_int64().get(number) == simdjson::SUCCESS) {
        answers->set_id(std::to_string(number));  // as nlohmann's dump() writes it
      } else {
        return false;
      }
    } else if (key == "answers") {
      if (!keys.Insert(1) || !ReadAnswers(value, answers, slots)) return false;
    } else if (key == "judgements") {
      if (!keys.Insert(2)) return false;
      simdjson::dom::object judgements;
      if (!GetObject(value, &judgements)) return false;
      std::size_t count = 0;
      for (const auto j : judgements) {
        std::string_view level, rationale;
        if (!ReadLevel(j.value, true, &level, &rationale)) return false;
        auto& out = (*answers->mutable_judgements())[std::string(j.key)];
        out.set_level(std::string(level));
        out.set_rationale(std::string(rationale));
        ++count;
      }
      // A repeated key would have overwritten an entry: the reference refuses it.
      if (static_cast<std::size_t>(answers->judgements_size()) != count) return false;
    } else if (key == "client_estimate") {
      if (!keys.Insert(3)) return false;
      if (value.type() == element_type::NULL_VALUE) continue;
      std::string_view level, unused;
      if (!ReadLevel(value, false, &level, &unused)) return false;
      answers->mutable_client_estimate()->set_level(std::string(level));
    } else if (key == "override") {
      if (!keys.Insert(4)) return false;
      if (value.type() == element_type::NULL_VALUE) continue;
      simdjson::dom::object o;
      if (!GetObject(value, &o)) return false;
      auto* out = answers->mutable_override();
      KeySet okeys;
      for (const auto f : o) {
        std::string_view text;
        if (!GetString(f.value, &text)) return false;
        if (f.key == "band" && okeys.Insert(0)) {
          out->set_band(std::string(text));
        } else if (f.key == "reason" && okeys.Insert(1)) {
          out->set_reason(std::string(text));
        } else if (f.key == "by" && okeys.Insert(2) &&
                   (text == "assessor" || text == "supervisor")) {
          out->set_by(text == "supervisor" ? v1::SUPERVISOR : v1::ASSESSOR);
        } else {
          return false;
        }
      }
    } else {
      return false;
    }
  }
  return true;
}

bool FastAnswersReader::ReadAnswers(const element& value, v1::Answers* answers,
                                    std::vector<Slot>* slots) {
  simdjson::dom::object obj;
  if (!GetObject(value, &obj)) return false;
  const std::size_t n = instrument_.items().size();
  google::protobuf::Arena* arena = answers->GetArena();
  if (arena == nullptr) return false;  // the values live in the answers' arena
  bool ok = true;
  for (const auto field : obj) {
    const std::string_view k = field.key;
    int index = ItemIndex(k);
    bool note = false;
    if (index < 0 && k.size() > 5 && k.ends_with("_note")) {
      index = ItemIndex(k.substr(0, k.size() - 5));
      note = true;
    }
    if (index < 0) {
      ok = false;
      break;
    }
    // Duplicate keys: each key names one (item, note?) pair.
    const std::size_t slot = static_cast<std::size_t>(index) + (note ? n : 0);
    if (seen_[slot]) {
      ok = false;
      break;
    }
    seen_[slot] = 1;
    touched_.push_back(slot);
    const element& v = field.value;
    if (note) {
      if (v.type() == element_type::NULL_VALUE) continue;
      std::string_view text;
      // Session::FromProto's SetNote: the item takes notes, the text is allowed.
      if (!GetString(v, &text) || !CheckNote(instrument_, index, text).ok()) {
        ok = false;
        break;
      }
      continue;
    }
    if (instrument_.items()[static_cast<std::size_t>(index)].group >= 0) {
      ok = false;
      break;
    }
    if (v.type() == element_type::NULL_VALUE) continue;
    Slot& decoded = (*slots)[static_cast<std::size_t>(index)];
    const v1::ItemType type = instrument_.items()[static_cast<std::size_t>(index)].def->type();
    if (type == v1::YES_NO || type == v1::SINGLE_CHOICE) {
      // The common case, without building the value: a code, decoded in place.
      std::string_view code;
      if (!GetString(v, &code) || !DecodeChoice(instrument_, index, code, &decoded)) {
        ok = false;
        break;
      }
      continue;
    }
    // The value as ParseAnswersJson builds it (in the arena, freed with the line), decoded
    // as Session::FromProto decodes it.
    auto* answer = google::protobuf::Arena::CreateMessage<v1::AnswerValue>(arena);
    if (!ReadValue(index, v, answer) || !DecodeAnswer(instrument_, index, *answer, &decoded).ok()) {
      ok = false;
      break;
    }
  }
  for (std::size_t slot : touched_) seen_[slot] = 0;
  touched_.clear();
  return ok;
}

bool FastAnswersReader::ReadValue(int index, const element& v, v1::AnswerValue* out) {
  const v1::Item& item = *instrument_.items()[static_cast<std::size_t>(index)].def;
  std::string_view text;
  std::int64_t number = 0;
  switch (item.type()) {
    case v1::YES_NO:
    case v1::SINGLE_CHOICE:
      if (!GetString(v, &text)) return false;
      out->set_code(std::string(text));
      return true;
    case v1::SPJ_FACTOR:
      if (item.current_and_history()) {
        simdjson::dom::object obj;
        if (!GetObject(v, &obj)) return false;
        KeySet keys;
        auto* spj = out->mutable_spj();
        for (const auto f : obj) {
          if (!GetString(f.value, &text)) return false;
          if (f.key == "current" && keys.Insert(0)) {
            spj->set_current(std::string(text));
          } else if (f.key == "history" && keys.Insert(1)) {
            spj->set_history(std::string(text));
          } else {
            return false;
          }
        }
        return true;
      }
      if (!GetString(v, &text)) return false;
      out->set_code(std::string(text));
      return true;
    case v1::MULTI_CHOICE: {
      simdjson::dom::array codes;
      if (v.type() != element_type::ARRAY || v.get_array().get(codes) != simdjson::SUCCESS) {
        return false;
      }
      auto* list = out->mutable_codes();
      for (const auto c : codes) {
        if (!GetString(c, &text)) return false;
        list->add_codes(std::string(text));
      }
      return true;
    }
    case v1::INTEGER:
      // Unsigned beyond int64 and every non-integer: the reference words the error.
      if (v.type() != element_type::INT64 || v.get_int64().get(number) != simdjson::SUCCESS) {
        return false;
      }
      out->set_integer(number);
      return true;
    case v1::PROTECTIVE:
      if (GetString(v, &text)) {
        out->set_code(std::string(text));
        return true;
      }
      if (v.type() != element_type::INT64 || v.get_int64().get(number) != simdjson::SUCCESS) {
        return false;
      }
      out->set_integer(number);
      return true;
    case v1::DATE:
      if (!GetString(v, &text)) return false;
      out->set_date(std::string(text));
      return true;
    case v1::TEXT:
      if (!GetString(v, &text)) return false;
      out->set_text(std::string(text));
      return true;
    case v1::GROUP:
      return ReadBlocks(index, v, out);
    default:
      return false;
  }
}

bool FastAnswersReader::ReadBlocks(int group, const element& v, v1::AnswerValue* out) {
  simdjson::dom::array blocks;
  if (v.type() != element_type::ARRAY || v.get_array().get(blocks) != simdjson::SUCCESS) {
    return false;
  }
  auto* pb_blocks = out->mutable_blocks();
  // Keys of one block: item indices of the group's items (and their notes); a small
  // local set (groups are a handful of items).
  std::vector<int> keys;
  for (const auto block : blocks) {
    simdjson::dom::object obj;
    if (!GetObject(block, &obj)) return false;
    auto* pb = pb_blocks->add_blocks();
    keys.clear();
    for (const auto field : obj) {
      const std::string_view k = field.key;
      int child = ItemIndex(k);
      bool note = false;
      if (child < 0 && k.size() > 5 && k.ends_with("_note")) {
        child = ItemIndex(k.substr(0, k.size() - 5));
        note = true;
      }
      if (child < 0 || instrument_.items()[static_cast<std::size_t>(child)].group != group) {
        return false;
      }
      const int key = note ? -1 - child : child;
      for (int seen : keys) {
        if (seen == key) return false;
      }
      keys.push_back(key);
      const element& value = field.value;
      if (value.type() == element_type::NULL_VALUE) continue;
      if (note) {
        std::string_view text;
        if (!GetString(value, &text)) return false;
        (*pb->mutable_notes())[std::string(k.substr(0, k.size() - 5))] = std::string(text);
        continue;
      }
      if (!ReadValue(child, value, &(*pb->mutable_answers())[std::string(k)])) return false;
    }
  }
  return true;
}

}  // namespace screening::internal
