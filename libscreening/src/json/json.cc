// The JSON forms of CONTRACTS.md. Error messages name keys, never values: an answers
// document is sensitive from its first byte.
#include <screening/directory.h>
#include <screening/json.h>

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "engine/messages.h"
#include "instrument/compiled.h"

namespace screening {

using nlohmann::json;
using ordered = nlohmann::ordered_json;

namespace {

// Largest answers document accepted.
constexpr std::size_t kMaxAnswersBytes = 1 << 20;

// At most 64 bytes of a key, for a message. Keys are valid UTF-8 (the parser checks); the cut
// goes back to a character boundary so that the message stays valid UTF-8 too (`score
// --batch` writes it into JSON, which refuses anything else).
std::string KeyPart(const std::string& key) {
  std::size_t n = std::min<std::size_t>(key.size(), 64);
  while (n > 0 && n < key.size() && (static_cast<unsigned char>(key[n]) & 0xC0) == 0x80) --n;
  return key.substr(0, n);
}

Status Bad(const std::string& key, std::string_view what) {
  return Status::InvalidArgument(fmt::format("{}: {}", key, what));
}

// Parses JSON, refusing duplicate keys. Syntax errors name the character position only.
Result<json> ParseStrict(std::string_view text) {
  if (text.size() > kMaxAnswersBytes) {
    return Status::InvalidArgument(
        fmt::format("the document is larger than {} bytes", kMaxAnswersBytes));
  }
  // nlohmann's reader stops at a NUL byte as at the end of the input, so `{...}\0anything`
  // would pass as `{...}`. A raw NUL is never part of a JSON text (inside a string it must
  // be written \u0000): refuse it wherever it stands, so no trailing bytes go unread.
  if (const std::size_t nul = text.find('\0'); nul != std::string_view::npos) {
    return Status::InvalidArgument(fmt::format("invalid JSON at byte {} (a NUL byte)", nul + 1));
  }
  std::vector<std::set<std::string>> keys;
  std::string duplicate;
  auto callback = [&](int, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
        keys.emplace_back();
        break;
      case json::parse_event_t::object_end:
        if (!keys.empty()) keys.pop_back();
        break;
      case json::parse_event_t::key:
        if (!keys.empty() && !keys.back().insert(parsed.get<std::string>()).second &&
            duplicate.empty()) {
          duplicate = parsed.get<std::string>();
        }
        break;
      default:
        break;
    }
    return true;
  };
  try {
    json doc = json::parse(text.begin(), text.end(), callback);
    if (!duplicate.empty()) {
      return Status::InvalidArgument(fmt::format("duplicate key '{}'", KeyPart(duplicate)));
    }
    return doc;
  } catch (const json::parse_error& e) {
    return Status::InvalidArgument(fmt::format("invalid JSON at byte {}", e.byte));
  } catch (const json::out_of_range&) {
    // A number such as 1e999 that no double holds.
    return Status::InvalidArgument("a number in the JSON is out of range");
  } catch (const json::exception&) {
    return Status::InvalidArgument("invalid JSON");
  }
}

Result<v1::AnswerValue> ToAnswerValue(const Instrument& inst, int index, const json& v,
                                      const std::string& key);

Status ToBlocks(const Instrument& inst, int group, const json& v, const std::string& key,
                v1::AnswerValue* out) {
  if (!v.is_array()) return Bad(key, "expected a list of blocks");
  auto* blocks = out->mutable_blocks();
  for (std::size_t b = 0; b < v.size(); ++b) {
    const json& block = v[b];
    const std::string bkey = fmt::format("{}[{}]", key, b + 1);
    if (!block.is_object()) return Bad(bkey, "expected an object");
    auto* pb = blocks->add_blocks();
    for (const auto& [k, value] : block.items()) {
      std::string child_id = k;
      bool note = false;
      int child = inst.ItemIndex(child_id);
      if (child < 0 && k.size() > 5 && k.ends_with("_note")) {
        child_id = k.substr(0, k.size() - 5);
        child = inst.ItemIndex(child_id);
        note = true;
      }
      if (child < 0 || inst.items()[static_cast<std::size_t>(child)].group != group) {
        return Bad(bkey + "." + KeyPart(k), "unknown item in this group");
      }
      if (value.is_null()) continue;
      if (note) {
        if (!value.is_string()) return Bad(bkey + "." + k, "expected text");
        (*pb->mutable_notes())[child_id] = value.get<std::string>();
        continue;
      }
      auto av = ToAnswerValue(inst, child, value, bkey + "." + k);
      if (!av.ok()) return av.status();
      (*pb->mutable_answers())[k] = std::move(*av);
    }
  }
  return Status::Ok();
}

Result<v1::AnswerValue> ToAnswerValue(const Instrument& inst, int index, const json& v,
                                      const std::string& key) {
  const v1::Item& item = *inst.items()[static_cast<std::size_t>(index)].def;
  v1::AnswerValue out;
  switch (item.type()) {
    case v1::YES_NO:
    case v1::SINGLE_CHOICE:
      if (!v.is_string())
        return Bad(key, item.type() == v1::YES_NO ? "expected \"yes\", \"no\" or \"unknown\""
                                                  : "expected a code (text)");
      out.set_code(v.get<std::string>());
      break;
    case v1::SPJ_FACTOR:
      if (item.current_and_history()) {
        if (!v.is_object()) return Bad(key, "expected {\"current\": code, \"history\": code}");
        for (const auto& [k, code] : v.items()) {
          if ((k != "current" && k != "history") || !code.is_string()) {
            return Bad(key, "expected {\"current\": code, \"history\": code}");
          }
          if (k == "current") out.mutable_spj()->set_current(code.get<std::string>());
          if (k == "history") out.mutable_spj()->set_history(code.get<std::string>());
        }
        if (!out.has_spj()) out.mutable_spj();
        break;
      }
      if (!v.is_string()) return Bad(key, "expected a factor code (text)");
      out.set_code(v.get<std::string>());
      break;
    case v1::MULTI_CHOICE:
      if (!v.is_array()) return Bad(key, "expected a list of codes");
      out.mutable_codes();
      for (const auto& c : v) {
        if (!c.is_string()) return Bad(key, "expected a list of codes (text)");
        out.mutable_codes()->add_codes(c.get<std::string>());
      }
      break;
    case v1::INTEGER:
      if (!v.is_number_integer()) return Bad(key, "expected a whole number");
      if (v.is_number_unsigned() &&
          v.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
        return Bad(key, "out of range");
      }
      out.set_integer(v.get<std::int64_t>());
      break;
    case v1::PROTECTIVE:
      if (v.is_string()) {
        out.set_code(v.get<std::string>());
      } else if (v.is_number_integer()) {
        out.set_integer(v.get<std::int64_t>());
      } else {
        return Bad(key, "expected 0, 1, 2 or \"unknown\"");
      }
      break;
    case v1::DATE:
      if (!v.is_string()) return Bad(key, "expected a date \"YYYY-MM-DD\"");
      out.set_date(v.get<std::string>());
      break;
    case v1::TEXT:
      if (!v.is_string()) return Bad(key, "expected text");
      out.set_text(v.get<std::string>());
      break;
    case v1::GROUP:
      if (Status st = ToBlocks(inst, index, v, key, &out); !st.ok()) return st;
      break;
    default:
      return Bad(key, "cannot be answered");
  }
  return out;
}

Status ParseLevelObject(const json& v, const std::string& key, bool with_rationale,
                        std::string* level, std::string* rationale) {
  if (!v.is_object()) return Bad(key, "expected an object");
  for (const auto& [k, value] : v.items()) {
    if (k == "level") {
      if (!value.is_string()) return Bad(key + ".level", "expected low, medium or high");
      *level = value.get<std::string>();
    } else if (k == "rationale" && with_rationale) {
      if (!value.is_string()) return Bad(key + ".rationale", "expected text");
      *rationale = value.get<std::string>();
    } else {
      return Bad(key, fmt::format("unknown key '{}'", KeyPart(k)));
    }
  }
  if (level->empty()) return Bad(key + ".level", "missing");
  return Status::Ok();
}

}  // namespace

Result<Session> ParseAnswersJson(std::shared_ptr<const Instrument> instrument,
                                 std::string_view text) {
  auto parsed = ParseStrict(text);
  if (!parsed.ok()) return parsed.status();
  const json& doc = *parsed;
  if (!doc.is_object()) return Status::InvalidArgument("expected a JSON object");
  v1::Answers answers;
  for (const auto& [key, value] : doc.items()) {
    if (key == "id") {
      if (!value.is_string() && !value.is_number_integer())
        return Bad("id", "expected text or a number");
      answers.set_id(value.is_string() ? value.get<std::string>() : value.dump());
      if (answers.id().size() > 200) return Bad("id", "longer than 200 characters");
    } else if (key == "answers") {
      if (!value.is_object()) return Bad("answers", "expected an object");
      for (const auto& [k, v] : value.items()) {
        const std::string akey = "answers." + KeyPart(k);
        int index = instrument->ItemIndex(k);
        if (index < 0 && k.size() > 5 && k.ends_with("_note")) {
          std::string item_id = k.substr(0, k.size() - 5);
          if (instrument->ItemIndex(item_id) < 0) return Bad(akey, "unknown item");
          if (v.is_null()) continue;
          if (!v.is_string()) return Bad(akey, "expected text");
          (*answers.mutable_notes())[item_id] = v.get<std::string>();
          continue;
        }
        if (index < 0) return Bad(akey, "unknown item");
        if (int group = instrument->items()[static_cast<std::size_t>(index)].group; group >= 0) {
          return Bad(akey,
                     fmt::format("belongs to group '{}'",
                                 instrument->items()[static_cast<std::size_t>(group)].def->id()));
        }
        if (v.is_null()) continue;
        auto av = ToAnswerValue(*instrument, index, v, akey);
        if (!av.ok()) return av.status();
        (*answers.mutable_answers())[k] = std::move(*av);
      }
    } else if (key == "judgements") {
      if (!value.is_object()) return Bad("judgements", "expected an object");
      for (const auto& [k, v] : value.items()) {
        std::string level, rationale;
        if (Status st = ParseLevelObject(v, "judgements." + KeyPart(k), true, &level, &rationale);
            !st.ok()) {
          return st;
        }
        auto& j = (*answers.mutable_judgements())[k];
        j.set_level(level);
        j.set_rationale(rationale);
      }
    } else if (key == "client_estimate") {
      if (value.is_null()) continue;
      std::string level, unused;
      if (Status st = ParseLevelObject(value, "client_estimate", false, &level, &unused); !st.ok())
        return st;
      answers.mutable_client_estimate()->set_level(level);
    } else if (key == "override") {
      if (value.is_null()) continue;
      if (!value.is_object()) return Bad("override", "expected an object");
      auto* o = answers.mutable_override();
      for (const auto& [k, v] : value.items()) {
        if (k == "band" && v.is_string()) {
          o->set_band(v.get<std::string>());
        } else if (k == "reason" && v.is_string()) {
          o->set_reason(v.get<std::string>());
        } else if (k == "by" && v.is_string() && (v == "assessor" || v == "supervisor")) {
          o->set_by(v == "supervisor" ? v1::SUPERVISOR : v1::ASSESSOR);
        } else if (k == "band" || k == "reason" || k == "by") {
          return Bad("override." + k,
                     k == "by" ? "expected \"assessor\" or \"supervisor\"" : "expected text");
        } else {
          return Bad("override", fmt::format("unknown key '{}'", KeyPart(k)));
        }
      }
    } else {
      return Status::InvalidArgument(fmt::format("unknown key '{}'", KeyPart(key)));
    }
  }
  return Session::FromProto(std::move(instrument), answers);
}

namespace {

json AnswerValueToJson(const v1::AnswerValue& v) {
  switch (v.value_case()) {
    case v1::AnswerValue::kCode:
      return v.code();
    case v1::AnswerValue::kInteger:
      return v.integer();
    case v1::AnswerValue::kDate:
      return v.date();
    case v1::AnswerValue::kText:
      return v.text();
    case v1::AnswerValue::kCodes: {
      json a = json::array();
      for (const auto& c : v.codes().codes()) a.push_back(c);
      return a;
    }
    case v1::AnswerValue::kSpj: {
      json o = json::object();
      if (!v.spj().current().empty()) o["current"] = v.spj().current();
      if (!v.spj().history().empty()) o["history"] = v.spj().history();
      return o;
    }
    case v1::AnswerValue::kBlocks: {
      json a = json::array();
      for (const auto& b : v.blocks().blocks()) {
        json o = json::object();
        for (const auto& [k, x] : b.answers()) o[k] = AnswerValueToJson(x);
        for (const auto& [k, note] : b.notes()) o[k + "_note"] = note;
        a.push_back(std::move(o));
      }
      return a;
    }
    default:
      return nullptr;
  }
}

const char* DirectionName(v1::OverrideDirection d) {
  return d == v1::RAISED ? "raised" : d == v1::LOWERED ? "lowered" : "none";
}

}  // namespace

std::string AnswersToJson(const v1::Answers& a) {
  json doc = json::object();  // keys sorted: a stable form for storage and diffs
  if (!a.id().empty()) doc["id"] = a.id();
  json answers = json::object();
  for (const auto& [k, v] : a.answers()) answers[k] = AnswerValueToJson(v);
  for (const auto& [k, note] : a.notes()) answers[k + "_note"] = note;
  doc["answers"] = std::move(answers);
  if (!a.judgements().empty()) {
    json j = json::object();
    for (const auto& [k, v] : a.judgements())
      j[k] = {{"level", v.level()}, {"rationale", v.rationale()}};
    doc["judgements"] = std::move(j);
  }
  if (a.has_client_estimate()) doc["client_estimate"] = {{"level", a.client_estimate().level()}};
  if (a.has_override()) {
    doc["override"] = {{"band", a.override().band()},
                       {"reason", a.override().reason()},
                       {"by", a.override().by() == v1::SUPERVISOR ? "supervisor" : "assessor"}};
  }
  return doc.dump();
}

std::string ResultToJson(const v1::Result& r, bool pretty) {
  ordered doc = ordered::object();
  if (!r.id().empty()) doc["id"] = r.id();
  const auto& i = r.instrument();
  doc["instrument"] = {{"id", i.id()},
                       {"version", i.version()},
                       {"sha256", i.sha256()},
                       {"text_sha256", i.text_sha256()},
                       {"engine", i.engine()}};
  doc["complete"] = r.complete();
  doc["unknown_count"] = r.unknown_count();
  doc["unanswered_count"] = r.unanswered_count();
  std::vector<std::pair<std::string, std::int64_t>> scores(r.scores().begin(), r.scores().end());
  std::sort(scores.begin(), scores.end());
  ordered s = ordered::object();
  for (const auto& [k, v] : scores) s[k] = v;
  doc["scores"] = std::move(s);
  doc["band"] = r.band().empty() ? ordered(nullptr) : ordered(r.band());
  doc["band_certain"] = r.band_certain();
  doc["final_level"] = r.final_level().empty() ? ordered(nullptr) : ordered(r.final_level());
  doc["overridden"] = r.overridden();
  if (r.has_override()) {
    doc["override"] = {{"band", r.override().band()},
                       {"reason", r.override().reason()},
                       {"by", r.override().by() == v1::SUPERVISOR ? "supervisor" : "assessor"},
                       {"direction", DirectionName(r.override_direction())}};
  }
  std::vector<std::string> judgement_ids;
  for (const auto& [k, v] : r.judgements()) judgement_ids.push_back(k);
  std::sort(judgement_ids.begin(), judgement_ids.end());
  ordered j = ordered::object();
  for (const auto& k : judgement_ids) {
    const auto& v = r.judgements().at(k);
    j[k] = {{"level", v.level()}, {"rationale", v.rationale()}};
  }
  doc["judgements"] = std::move(j);
  doc["client_estimate"] = r.has_client_estimate()
                               ? ordered({{"level", r.client_estimate().level()}})
                               : ordered(nullptr);
  doc["flags"] = ordered(std::vector<std::string>(r.flags().begin(), r.flags().end()));
  doc["recommendations"] =
      ordered(std::vector<std::string>(r.recommendations().begin(), r.recommendations().end()));
  ordered ex = ordered::array();
  for (const auto& e : r.explanation()) {
    ex.push_back({{"rule", e.rule()},
                  {"items", std::vector<std::string>(e.items().begin(), e.items().end())},
                  {"text", e.text()}});
  }
  doc["explanation"] = std::move(ex);
  if (r.ignored_items_size()) {
    doc["ignored_items"] =
        std::vector<std::string>(r.ignored_items().begin(), r.ignored_items().end());
  }
  if (r.missing_required_size()) {
    doc["missing_required"] =
        std::vector<std::string>(r.missing_required().begin(), r.missing_required().end());
  }
  if (r.missing_judgements_size()) {
    doc["missing_judgements"] =
        std::vector<std::string>(r.missing_judgements().begin(), r.missing_judgements().end());
  }
  if (r.resources_size()) {
    doc["resources"] = std::vector<std::string>(r.resources().begin(), r.resources().end());
  }
  return pretty ? doc.dump(2) : doc.dump();
}

std::string DeadlineLabel(const v1::Deadline& deadline, std::string_view lang) {
  const bool sv = lang != "en";
  auto count = [&](int n, const char* one_sv, const char* many_sv, const char* one_en,
                   const char* many_en) {
    return fmt::format("{} {} {}", sv ? "inom" : "within", n,
                       n == 1 ? (sv ? one_sv : one_en) : (sv ? many_sv : many_en));
  };
  switch (deadline.kind()) {
    case v1::SAME_OR_NEXT_DAY:
      return sv ? "samma dag, senast nästa dag" : "the same day, at the latest the next day";
    case v1::WITHIN_DAYS:
      if (deadline.days() == 0) return sv ? "samma dag" : "the same day";
      return count(deadline.days(), "dag", "dagar", "day", "days");
    case v1::WITHIN_MONTHS:
      return count(deadline.months(), "månad", "månader", "month", "months");
    case v1::NEXT_CONTACT:
      return sv ? "vid nästa kontakt" : "at the next contact";
    default:
      return {};
  }
}

std::string ResultToText(const v1::Result& r, const Instrument& inst, std::string_view lang_in,
                         const Directory* directory) {
  const std::string lang(inst.ResolveLanguage(lang_in));
  const auto& m = internal::MessagesFor(lang);
  const auto& d = inst.definition();
  std::string out;
  auto level_label = [&](const std::string& level) -> std::string {
    for (int i = 0; i < 3; ++i) {
      if (level == (i == 0 ? "low" : i == 1 ? "medium" : "high")) return m.levels[i];
    }
    return level;
  };
  // A band by its text; a final level by the instrument's own name for it (skydd: "Starkt
  // skydd", never "hög", which reads as high risk).
  auto band_label = [&](const std::string& id) -> std::string {
    int b = inst.BandIndex(id);
    return b < 0 ? inst.LevelLabel(id, lang)
                 : fmt::format("{} ({})", TextIn(d.banding().bands(b).text(), lang), id);
  };
  out += fmt::format("{}: {} ({} {} {})\n", m.instrument, TextIn(d.title(), lang), inst.id(),
                     m.version, inst.version());
  out += fmt::format("{} · {}: {} · {}: {}\n", r.complete() ? m.complete : m.incomplete,
                     m.unknown_count, r.unknown_count(), m.unanswered_count, r.unanswered_count());
  if (!r.scores().empty()) {
    out += fmt::format("{}:\n", m.scores);
    for (const auto& s : d.scores()) {
      auto it = r.scores().find(s.id());
      if (it != r.scores().end())
        out += fmt::format("  {}: {}\n", TextIn(s.text(), lang), it->second);
    }
  }
  if (!r.band().empty()) {
    out += fmt::format("{}: {}{}\n", m.band, band_label(r.band()),
                       r.band_certain() ? "" : fmt::format(" — {}", m.band_not_certain));
  }
  if (!r.final_level().empty()) {
    out += fmt::format("{}: {}{}\n", m.final_level, band_label(r.final_level()),
                       r.overridden() ? fmt::format(" ({})", m.overridden) : "");
  }
  if (!r.judgements().empty()) {
    out += fmt::format("{}:\n", m.judgements);
    for (const auto& j : d.judgements()) {
      auto it = r.judgements().find(j.id());
      if (it == r.judgements().end()) continue;
      out += fmt::format("  {}: {} — {}\n", TextIn(j.text(), lang),
                         inst.LevelLabel(it->second.level(), lang, j.id()), it->second.rationale());
    }
  }
  if (r.has_client_estimate()) {
    out += fmt::format("{}: {}\n", m.client_estimate, level_label(r.client_estimate().level()));
  }
  if (r.flags_size()) {
    out += fmt::format("{}:\n", m.flags);
    for (const auto& f : d.flags()) {
      if (std::find(r.flags().begin(), r.flags().end(), f.id()) != r.flags().end()) {
        out += fmt::format("  ! {}\n", TextIn(f.text(), lang));
      }
    }
  }
  if (r.recommendations_size()) {
    out += fmt::format("{}:\n", m.recommendations);
    for (const auto& rec : d.recommendations()) {
      if (std::find(r.recommendations().begin(), r.recommendations().end(), rec.id()) ==
          r.recommendations().end()) {
        continue;
      }
      std::string deadline = DeadlineLabel(rec.deadline(), lang);
      out += fmt::format("  - {}{}\n", TextIn(rec.text(), lang),
                         deadline.empty() ? "" : fmt::format(" ({}: {})", m.deadline, deadline));
    }
  }
  if (directory && r.resources_size()) {
    out += fmt::format("{}:\n", m.resources);
    for (const auto& id : r.resources()) {
      const v1::Resource* res = directory->Resource(id);
      if (!res) continue;
      std::string hours = res->hours().around_the_clock()
                              ? m.around_the_clock
                              : directory->Text(res->hours().text(), lang);
      // An entry the municipality has not filled in says so; it never looks like a number.
      out += fmt::format("  - {}, {}{}\n", directory->Text(res->name(), lang),
                         res->phone().empty() ? MissingNumberText(lang) : res->phone(),
                         hours.empty() ? "" : fmt::format(" ({})", hours));
    }
  }
  if (r.missing_required_size()) {
    std::string ids;
    for (const auto& id : r.missing_required()) ids += (ids.empty() ? "" : ", ") + id;
    out += fmt::format("{}: {}\n", m.missing_required, ids);
  }
  if (r.missing_judgements_size()) {
    std::string ids;
    for (const auto& id : r.missing_judgements()) ids += (ids.empty() ? "" : ", ") + id;
    out += fmt::format("{}: {}\n", m.missing_judgements, ids);
  }
  if (r.explanation_size()) {
    out += fmt::format("{}:\n", m.explanation);
    for (const auto& e : r.explanation()) {
      std::string items;
      for (const auto& id : e.items()) items += (items.empty() ? "" : ", ") + id;
      out += fmt::format("  - {}\n    [{}]{}\n", e.text(), e.rule(),
                         items.empty() ? "" : fmt::format(" ({})", items));
    }
  }
  if (!d.result_note().empty()) out += fmt::format("\n{}\n", TextIn(d.result_note(), lang));
  return out;
}

}  // namespace screening
