// Loading an instrument: parse the text format, validate the domain rules (reporting every
// error with its location), compile the expressions, hash the logic and texts.
#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include <screening/instrument.h>

#include "base/hash.h"
#include "base/textformat.h"
#include "instrument/compiled.h"

namespace screening {

using internal::CompileError;
using internal::Expr;
using internal::Locator;
using internal::Scope;
using internal::VType;

namespace {

constexpr int kMaxItems = 2000;

const char* const kYesNoCodes[] = {"yes", "no", "unknown"};
const char* const kSpjCodes[] = {"present", "partial", "absent", "insufficient"};

bool IsSemver(std::string_view v) {
  int parts = 0;
  std::size_t i = 0;
  while (i <= v.size()) {
    std::size_t j = v.find('.', i);
    if (j == std::string_view::npos) j = v.size();
    if (j == i || j - i > 6) return false;
    for (std::size_t k = i; k < j; ++k) {
      if (v[k] < '0' || v[k] > '9') return false;
    }
    ++parts;
    i = j + 1;
  }
  return parts == 3;
}

}  // namespace

class InstrumentBuilder {
 public:
  InstrumentBuilder(const internal::SourceText& source,
                    const google::protobuf::TextFormat::ParseInfoTree& tree, Diagnostics* out)
      : root_(&source, &tree, v1::Instrument::descriptor()), out_(out) {}

  std::shared_ptr<const Instrument> Build(v1::Instrument def,
                                          std::shared_ptr<const Vocabulary> vocabulary) {
    inst_.reset(new Instrument());
    inst_->def_ = std::move(def);
    inst_->vocabulary_ = std::move(vocabulary);
    inst_->logic_ = std::make_shared<internal::CompiledLogic>();
    const std::size_t before = out_->size();
    CheckHeader();
    CollectItems();
    CheckTextsEverywhere();
    CompileLogic();
    if (out_->size() != before) return nullptr;
    inst_->logic_sha256_ =
        internal::Sha256Hex(internal::CanonicalLogic(inst_->def_, inst_->items_));
    inst_->ComputeTextHashes();
    return std::shared_ptr<const Instrument>(std::move(inst_));
  }

 private:
  const v1::Instrument& def() const { return inst_->def_; }
  void Error(Diagnostic d) { out_->push_back(std::move(d)); }

  // ---- header and provenance
  void CheckHeader() {
    const auto& d = def();
    if (!internal::IsSnakeId(d.id())) {
      Error(root_.At("id", -1, fmt::format("instrument id '{}' must be snake_case", d.id())));
    }
    if (!IsSemver(d.version())) {
      Error(root_.At("version", -1,
                     fmt::format("version '{}' must be MAJOR.MINOR.PATCH", d.version())));
    }
    for (int i = 0; i < d.languages_size(); ++i) {
      const auto& l = d.languages(i);
      if (l.size() != 2 || !internal::IsSnakeId(l)) {
        Error(root_.At("languages", i, fmt::format("language '{}' must be a two-letter code", l)));
      } else if (!languages_.insert(l).second) {
        Error(root_.At("languages", i, fmt::format("language '{}' declared twice", l)));
      }
    }
    if (d.languages_size() == 0) Error(root_.At("languages", 0, "no language declared"));
    if (d.kind() == v1::INSTRUMENT_KIND_UNSPECIFIED) Error(root_.At("kind", -1, "kind is not set"));
    if (d.target_group() == v1::TARGET_GROUP_UNSPECIFIED) {
      Error(root_.At("target_group", -1, "target_group is not set"));
    }
    if (!d.has_provenance()) {
      Error(root_.At("provenance", -1, "provenance is missing"));
    } else {
      // Each text as the single-language string (released versions) or localized, not both;
      // the localized texts' languages are checked with every other text.
      Locator p = root_.Nested("provenance", -1);
      for (const ProvenanceField& f : ProvenanceFields(d.provenance())) {
        if (f.value->empty() && f.texts->empty()) {
          Error(p.At(f.name, -1, fmt::format("provenance.{} is empty", f.name)));
        } else if (!f.value->empty() && !f.texts->empty()) {
          Error(p.At(f.localized_name, 0,
                     fmt::format("provenance: give {} or {}, not both", f.name, f.localized_name)));
        }
      }
    }
  }

  struct ProvenanceField {
    const char* name;
    const std::string* value;
    const char* localized_name;
    const google::protobuf::RepeatedPtrField<v1::LocalizedText>* texts;
  };
  static std::vector<ProvenanceField> ProvenanceFields(const v1::Provenance& pv) {
    return {{"modelled_on", &pv.modelled_on(), "modelled_on_text", &pv.modelled_on_text()},
            {"source", &pv.source(), "source_text", &pv.source_text()},
            {"licence_note", &pv.licence_note(), "licence_note_text", &pv.licence_note_text()},
            {"scoring_verified", &pv.scoring_verified(), "scoring_verified_text",
             &pv.scoring_verified_text()},
            {"validated_setting", &pv.validated_setting(), "validated_setting_text",
             &pv.validated_setting_text()}};
  }

  // ---- items
  void CollectItems() {
    std::set<std::string> section_ids;
    for (int s = 0; s < def().sections_size(); ++s) {
      const auto& section = def().sections(s);
      Locator sl = root_.Nested("sections", s);
      if (!internal::IsSnakeId(section.id())) {
        Error(sl.At("id", -1, fmt::format("section id '{}' must be snake_case", section.id())));
      } else if (!section_ids.insert(section.id()).second) {
        Error(sl.At("id", -1, fmt::format("section '{}' defined twice", section.id())));
      }
      if (section.items_size() == 0) {
        Error(sl.At("id", -1, fmt::format("section '{}' has no items", section.id())));
      }
      for (int i = 0; i < section.items_size(); ++i) {
        AddItem(section.items(i), sl.Nested("items", i), s, -1);
      }
    }
    if (inst_->items_.empty()) Error(root_.At("sections", 0, "the instrument has no items"));
  }

  void AddItem(const v1::Item& item, const Locator& loc, int section, int group) {
    if (static_cast<int>(inst_->items_.size()) >= kMaxItems) {
      if (static_cast<int>(inst_->items_.size()) == kMaxItems) {
        Error(loc.At("id", -1, fmt::format("more than {} items", kMaxItems)));
      }
      return;
    }
    const int index = static_cast<int>(inst_->items_.size());
    ItemInfo info;
    info.def = &item;
    info.section = group < 0 ? section : -1;
    info.group = group;
    if (!internal::IsSnakeId(item.id())) {
      Error(loc.At("id", -1, fmt::format("item id '{}' must be snake_case", item.id())));
    } else if (!ids_.emplace(item.id(), "item").second) {
      Error(loc.At("id", -1, fmt::format("id '{}' is used twice", item.id())));
    } else if (item.id().size() > 5 && item.id().ends_with("_note")) {
      Error(loc.At(
          "id", -1,
          fmt::format("item id '{}' must not end in _note (reserved for notes)", item.id())));
    }
    const std::string what = fmt::format("item '{}'", item.id());
    switch (item.type()) {
      case v1::ITEM_TYPE_UNSPECIFIED:
        Error(loc.At("type", -1, fmt::format("{}: type is not set", what)));
        break;
      case v1::YES_NO:
        info.codes.assign(std::begin(kYesNoCodes), std::end(kYesNoCodes));
        CheckAnswerLabels(item, loc, what);
        break;
      case v1::SPJ_FACTOR:
        info.codes.assign(std::begin(kSpjCodes), std::end(kSpjCodes));
        break;
      case v1::SINGLE_CHOICE:
      case v1::MULTI_CHOICE:
        CheckChoice(item, loc, what, &info.codes);
        break;
      case v1::INTEGER:
        if (item.min() > item.max()) {
          Error(loc.At("min", -1, fmt::format("{}: min is greater than max", what)));
        }
        break;
      case v1::GROUP:
        if (group >= 0) Error(loc.At("type", -1, fmt::format("{}: groups cannot be nested", what)));
        if (item.items_size() == 0)
          Error(loc.At("type", -1, fmt::format("{}: a group needs items", what)));
        if (item.max_blocks() < 0 || item.max_blocks() > 500) {
          Error(loc.At("max_blocks", -1, fmt::format("{}: max_blocks must be 0..500", what)));
        }
        break;
      default:
        break;
    }
    if (item.no_unknown() && item.type() != v1::YES_NO && item.type() != v1::SPJ_FACTOR &&
        item.type() != v1::PROTECTIVE) {
      Error(loc.At("no_unknown", -1,
                   fmt::format("{}: no_unknown only applies to yes/no, factor "
                               "and protective items",
                               what)));
    }
    if (item.current_and_history() && item.type() != v1::SPJ_FACTOR) {
      Error(loc.At("current_and_history", -1,
                   fmt::format("{}: current_and_history only applies to factor items", what)));
    }
    const bool labels_yes_no = item.type() == v1::YES_NO && item.vocabulary().empty();
    if ((item.options_size() || !item.vocabulary().empty()) && item.type() != v1::SINGLE_CHOICE &&
        item.type() != v1::MULTI_CHOICE && !labels_yes_no) {
      Error(loc.At(item.options_size() ? "options" : "vocabulary", 0,
                   fmt::format("{}: only choice items have options", what)));
    }
    if ((item.min() || item.max()) && item.type() != v1::INTEGER) {
      Error(loc.At(item.min() ? "min" : "max", -1,
                   fmt::format("{}: only integer items have a range", what)));
    }
    if (item.items_size() && item.type() != v1::GROUP) {
      Error(loc.At("items", 0, fmt::format("{}: only groups have items", what)));
    }
    inst_->items_.push_back(std::move(info));
    item_locs_.push_back(loc);
    if (item.type() == v1::GROUP && group < 0) {
      for (int i = 0; i < item.items_size(); ++i) {
        AddItem(item.items(i), loc.Nested("items", i), section, index);
      }
    }
  }

  // A YES_NO item's options only name its codes (text, not logic): both `yes` and `no`, at
  // most `unknown` besides, no note, and `unknown` only when the item accepts it.
  void CheckAnswerLabels(const v1::Item& item, const Locator& loc, const std::string& what) {
    if (item.options_size() == 0) return;
    std::set<std::string> seen;
    for (int i = 0; i < item.options_size(); ++i) {
      const auto& option = item.options(i);
      Locator ol = loc.Nested("options", i);
      const bool known = std::find(std::begin(kYesNoCodes), std::end(kYesNoCodes), option.code()) !=
                         std::end(kYesNoCodes);
      if (!known) {
        Error(ol.At("code", -1,
                    fmt::format("{}: a yes/no item labels only yes, no and unknown, not '{}'", what,
                                option.code())));
      } else if (!seen.insert(option.code()).second) {
        Error(ol.At("code", -1, fmt::format("{}: '{}' is labelled twice", what, option.code())));
      } else if (option.code() == "unknown" && item.no_unknown()) {
        Error(
            ol.At("code", -1,
                  fmt::format("{}: 'unknown' is labelled but the item does not accept it", what)));
      }
      if (option.needs_note()) {
        Error(
            ol.At("needs_note", -1,
                  fmt::format("{}: a yes/no label cannot ask for a note (use allows_note)", what)));
      }
    }
    for (const char* code : {"yes", "no"}) {
      if (!seen.count(code)) {
        Error(loc.At("options", 0,
                     fmt::format("{}: labels for a yes/no item must name both yes and no "
                                 "(the label of '{}' is missing)",
                                 what, code)));
      }
    }
  }

  void CheckChoice(const v1::Item& item, const Locator& loc, const std::string& what,
                   std::vector<std::string>* codes) {
    if (!item.vocabulary().empty() && item.options_size()) {
      Error(loc.At("vocabulary", -1,
                   fmt::format("{}: give options or a vocabulary, not both", what)));
      return;
    }
    if (!item.vocabulary().empty()) {
      const auto* list = inst_->vocabulary_ ? inst_->vocabulary_->List(item.vocabulary()) : nullptr;
      if (!list) {
        Error(loc.At("vocabulary", -1,
                     fmt::format("{}: unknown vocabulary list '{}'", what, item.vocabulary())));
        return;
      }
      for (const auto& t : list->terms()) codes->push_back(t.id());
      return;
    }
    if (item.options_size() == 0) {
      Error(
          loc.At("type", -1, fmt::format("{}: a choice item needs options or a vocabulary", what)));
      return;
    }
    std::set<std::string> seen;
    for (int i = 0; i < item.options_size(); ++i) {
      const auto& code = item.options(i).code();
      Locator ol = loc.Nested("options", i);
      if (!internal::IsSnakeId(code)) {
        Error(
            ol.At("code", -1, fmt::format("{}: option code '{}' must be snake_case", what, code)));
      } else if (!seen.insert(code).second) {
        Error(ol.At("code", -1, fmt::format("{}: option code '{}' is used twice", what, code)));
      }
      codes->push_back(code);
    }
  }

  // ---- texts: every text present for every declared language.
  void CheckText(const google::protobuf::RepeatedPtrField<v1::LocalizedText>& texts, bool required,
                 const Locator& loc, std::string_view field, std::string_view what) {
    if (!required && texts.empty()) return;
    std::set<std::string> seen;
    for (int i = 0; i < texts.size(); ++i) {
      const auto& t = texts[i];
      if (!languages_.count(t.lang())) {
        Error(
            loc.At(field, i, fmt::format("{}: text in undeclared language '{}'", what, t.lang())));
      } else if (!seen.insert(t.lang()).second) {
        Error(loc.At(field, i, fmt::format("{}: two texts in '{}'", what, t.lang())));
      } else if (t.value().find_first_not_of(" \t\n") == std::string::npos) {
        Error(loc.At(field, i, fmt::format("{}: empty text in '{}'", what, t.lang())));
      }
    }
    for (const auto& l : languages_) {
      if (!seen.count(l)) Error(loc.At(field, 0, fmt::format("{}: no {} in '{}'", what, field, l)));
    }
  }

  void CheckTextsEverywhere() {
    const auto& d = def();
    CheckText(d.title(), true, root_, "title", "instrument");
    CheckText(d.description(), true, root_, "description", "instrument");
    CheckText(d.result_note(), false, root_, "result_note", "instrument");
    CheckText(d.kind_text(), false, root_, "kind_text", "instrument");
    if (d.has_provenance()) {
      Locator p = root_.Nested("provenance", -1);
      for (const ProvenanceField& f : ProvenanceFields(d.provenance())) {
        CheckText(*f.texts, false, p, f.localized_name, "provenance");
      }
    }
    for (int s = 0; s < d.sections_size(); ++s) {
      Locator sl = root_.Nested("sections", s);
      std::string what = fmt::format("section '{}'", d.sections(s).id());
      CheckText(d.sections(s).title(), true, sl, "title", what);
      CheckText(d.sections(s).intro(), false, sl, "intro", what);
    }
    for (std::size_t i = 0; i < inst_->items_.size(); ++i) {
      const auto& item = *inst_->items_[i].def;
      const Locator& loc = item_locs_[i];
      std::string what = fmt::format("item '{}'", item.id());
      CheckText(item.text(), true, loc, "text", what);
      CheckText(item.help(), false, loc, "help", what);
      for (int o = 0; o < item.options_size(); ++o) {
        CheckText(item.options(o).text(), true, loc.Nested("options", o), "text",
                  fmt::format("{} option '{}'", what, item.options(o).code()));
      }
    }
    for (int i = 0; i < d.scores_size(); ++i) {
      CheckText(d.scores(i).text(), true, root_.Nested("scores", i), "text",
                fmt::format("score '{}'", d.scores(i).id()));
    }
    Locator bl = root_.Nested("banding", -1);
    for (int i = 0; i < d.banding().bands_size(); ++i) {
      CheckText(d.banding().bands(i).text(), true, bl.Nested("bands", i), "text",
                fmt::format("band '{}'", d.banding().bands(i).id()));
    }
    for (int i = 0; i < d.judgements_size(); ++i) {
      const auto& j = d.judgements(i);
      Locator jl = root_.Nested("judgements", i);
      CheckText(j.text(), true, jl, "text", fmt::format("judgement '{}'", j.id()));
      std::set<std::string> named;
      for (int k = 0; k < j.level_text_size(); ++k) {
        const auto& lt = j.level_text(k);
        Locator ll = jl.Nested("level_text", k);
        if (lt.level() != "low" && lt.level() != "medium" && lt.level() != "high") {
          Error(ll.At("level", -1,
                      fmt::format("judgement '{}': level '{}' is not low, medium or high", j.id(),
                                  lt.level())));
        } else if (!named.insert(lt.level()).second) {
          Error(
              ll.At("level", -1,
                    fmt::format("judgement '{}': level '{}' is named twice", j.id(), lt.level())));
        }
        CheckText(lt.text(), true, ll, "text",
                  fmt::format("judgement '{}' level '{}'", j.id(), lt.level()));
      }
    }
    for (int i = 0; i < d.flags_size(); ++i) {
      CheckText(d.flags(i).text(), true, root_.Nested("flags", i), "text",
                fmt::format("flag '{}'", d.flags(i).id()));
    }
    for (int i = 0; i < d.recommendations_size(); ++i) {
      CheckText(d.recommendations(i).text(), true, root_.Nested("recommendations", i), "text",
                fmt::format("recommendation '{}'", d.recommendations(i).id()));
    }
  }

  // ---- expressions
  Scope BaseScope() const {
    Scope scope;
    scope.items = &inst_->items_;
    scope.item_index = [this](std::string_view id) { return inst_->ItemIndex(id); };
    return scope;
  }

  bool CompileField(const std::string& source, const Scope& scope, VType want, const Locator& loc,
                    std::string_view field, int index, std::string_view what, Expr* out) {
    std::vector<CompileError> errors;
    if (internal::Compile(source, scope, want, out, &errors)) return true;
    for (const auto& e : errors) {
      Error(loc.InString(field, index, e.offset, fmt::format("{}: {}", what, e.message)));
    }
    return false;
  }

  void CompileLogic() {
    auto& logic = *inst_->logic_;
    const auto& d = def();
    const int n = static_cast<int>(inst_->items_.size());
    logic.enabled_when.resize(static_cast<std::size_t>(n));
    // Conditions on items: items only (no scores or results).
    for (int i = 0; i < n; ++i) {
      const ItemInfo& info = inst_->items_[static_cast<std::size_t>(i)];
      if (info.def->enabled_when().empty()) continue;
      Scope scope = BaseScope();
      scope.group = info.group;
      CompileField(info.def->enabled_when(), scope, VType::kBool,
                   item_locs_[static_cast<std::size_t>(i)], "enabled_when", -1,
                   fmt::format("item '{}'", info.def->id()),
                   &logic.enabled_when[static_cast<std::size_t>(i)]);
    }
    OrderConditions();

    // Scores: each may use the scores before it.
    Scope score_scope = BaseScope();
    for (int i = 0; i < d.scores_size(); ++i) {
      const auto& score = d.scores(i);
      Locator sl = root_.Nested("scores", i);
      CheckNewId(score.id(), "score", sl);
      Expr e;
      CompileField(score.expr(), score_scope, VType::kInt, sl, "expr", -1,
                   fmt::format("score '{}'", score.id()), &e);
      logic.scores.push_back(std::move(e));
      score_scope.scores.push_back(score.id());
    }
    ComputeScoreRanges();
    CompileBanding(score_scope);

    // Judgements.
    std::set<std::string> judgement_ids;
    std::vector<std::string> judgements;
    for (int i = 0; i < d.judgements_size(); ++i) {
      const auto& j = d.judgements(i);
      Locator jl = root_.Nested("judgements", i);
      if (!internal::IsSnakeId(j.id())) {
        Error(jl.At("id", -1, fmt::format("judgement id '{}' must be snake_case", j.id())));
      } else if (!judgement_ids.insert(j.id()).second) {
        Error(jl.At("id", -1, fmt::format("judgement '{}' defined twice", j.id())));
      }
      if (j.is_final()) {
        if (logic.final_judgement >= 0) {
          Error(jl.At("is_final", -1, "only one judgement can be final"));
        }
        logic.final_judgement = i;
        if (inst_->has_banding()) {
          Error(jl.At("is_final", -1,
                      "a banded instrument's final level is its band; overrides "
                      "change it, not a final judgement"));
        }
      }
      judgements.push_back(j.id());
    }
    if (d.kind() == v1::STRUCTURED_PROFESSIONAL_JUDGEMENT) {
      if (inst_->has_banding()) {
        Error(root_.At("banding", -1, "a structured professional judgement has no computed band"));
      }
      if (logic.final_judgement < 0) {
        Error(root_.At("judgements", 0,
                       "a structured professional judgement needs one required "
                       "judgement with is_final: true"));
      } else if (!d.judgements(logic.final_judgement).required()) {
        Error(root_.Nested("judgements", logic.final_judgement)
                  .At("required", -1, "the final judgement must be required"));
      }
    }
    if (KindComputesBand(d.kind()) && !inst_->has_banding()) {
      Error(root_.At("kind", -1,
                     d.kind() == v1::ACTUARIAL ? "an actuarial instrument needs a banding"
                                               : "a rule-based instrument needs a banding"));
    }

    // Flags, then recommendations: both may use results.
    Scope result_scope = score_scope;
    result_scope.results = true;
    result_scope.banded = inst_->has_banding();
    for (const auto& b : d.banding().bands()) result_scope.bands.push_back(b.id());
    result_scope.judgements = judgements;
    for (int i = 0; i < d.flags_size(); ++i) {
      const auto& f = d.flags(i);
      Locator fl = root_.Nested("flags", i);
      CheckNewId(f.id(), "flag", fl);
      Expr e;
      if (f.when().empty()) {
        Error(fl.At("when", -1, fmt::format("flag '{}' needs a condition", f.id())));
      } else {
        CompileField(f.when(), result_scope, VType::kBool, fl, "when", -1,
                     fmt::format("flag '{}'", f.id()), &e);
      }
      logic.flags.push_back(std::move(e));
      result_scope.flags.push_back(f.id());
    }
    std::set<std::string> rec_ids;
    for (int i = 0; i < d.recommendations_size(); ++i) {
      const auto& r = d.recommendations(i);
      Locator rl = root_.Nested("recommendations", i);
      if (!internal::IsSnakeId(r.id())) {
        Error(rl.At("id", -1, fmt::format("recommendation id '{}' must be snake_case", r.id())));
      } else if (!rec_ids.insert(r.id()).second) {
        Error(rl.At("id", -1, fmt::format("recommendation '{}' defined twice", r.id())));
      }
      Expr e;
      if (!r.when().empty()) {
        CompileField(r.when(), result_scope, VType::kBool, rl, "when", -1,
                     fmt::format("recommendation '{}'", r.id()), &e);
      }
      logic.recommendations.push_back(std::move(e));
      CheckDeadline(r, rl);
      for (int k = 0; k < r.legal_refs_size(); ++k) {
        if (!internal::IsSnakeId(r.legal_refs(k))) {
          Error(rl.At("legal_refs", k,
                      fmt::format("recommendation '{}': legal reference id '{}' "
                                  "must be snake_case",
                                  r.id(), r.legal_refs(k))));
        }
      }
      for (int k = 0; k < r.resource_tags_size(); ++k) {
        if (!internal::IsSnakeId(r.resource_tags(k))) {
          Error(rl.At("resource_tags", k,
                      fmt::format("recommendation '{}': resource tag '{}' "
                                  "must be snake_case",
                                  r.id(), r.resource_tags(k))));
        }
      }
    }
  }

  void CheckNewId(const std::string& id, const char* kind, const Locator& loc) {
    if (!internal::IsSnakeId(id)) {
      Error(loc.At("id", -1, fmt::format("{} id '{}' must be snake_case", kind, id)));
    } else if (auto [it, fresh] = ids_.emplace(id, kind); !fresh) {
      Error(loc.At(
          "id", -1,
          fmt::format("{} id '{}' is already used by the {} '{}'", kind, id, it->second, id)));
    }
  }

  void CheckDeadline(const v1::Recommendation& r, const Locator& rl) {
    if (!r.has_deadline()) return;
    const auto& dl = r.deadline();
    Locator loc = rl.Nested("deadline", -1);
    bool ok = true;
    switch (dl.kind()) {
      case v1::DEADLINE_KIND_UNSPECIFIED:
        ok = false;
        break;
      case v1::WITHIN_DAYS:
        ok = dl.days() >= 0 && dl.days() <= 366 && dl.months() == 0;
        break;
      case v1::SAME_OR_NEXT_DAY:
        ok = dl.days() >= 0 && dl.days() <= 1 && dl.months() == 0;
        break;
      case v1::WITHIN_MONTHS:
        ok = dl.months() > 0 && dl.months() <= 24 && dl.days() == 0;
        break;
      case v1::NEXT_CONTACT:
        ok = dl.days() == 0 && dl.months() == 0;
        break;
      default:
        ok = false;
        break;
    }
    if (!ok) {
      Error(loc.At("kind", -1,
                   fmt::format("recommendation '{}': the deadline's kind, days and "
                               "months do not fit together",
                               r.id())));
    }
  }

  // Orders items so that each comes after the items its condition names; reports cycles.
  void OrderConditions() {
    auto& logic = *inst_->logic_;
    const int n = static_cast<int>(inst_->items_.size());
    std::vector<int> state(static_cast<std::size_t>(n), 0);  // 0 new, 1 visiting, 2 done
    std::vector<int> stack;
    std::function<bool(int)> visit = [&](int i) -> bool {
      auto ui = static_cast<std::size_t>(i);
      if (state[ui] == 2) return true;
      if (state[ui] == 1) {
        auto from = std::find(stack.begin(), stack.end(), i);
        std::string path;
        for (auto it = from; it != stack.end(); ++it) {
          path += inst_->items_[static_cast<std::size_t>(*it)].def->id() + " -> ";
        }
        path += inst_->items_[ui].def->id();
        Error(item_locs_[ui].At("enabled_when", -1,
                                fmt::format("enabled_when conditions form a cycle: {}", path)));
        return false;
      }
      state[ui] = 1;
      stack.push_back(i);
      bool ok = true;
      for (int dep : logic.enabled_when[ui].items) {
        if (dep == i) {
          Error(item_locs_[ui].At("enabled_when", -1,
                                  fmt::format("item '{}': enabled_when names the item itself",
                                              inst_->items_[ui].def->id())));
          ok = false;
          continue;
        }
        if (ok && !visit(dep)) ok = false;
      }
      // A group item's blocks are enabled with it: its children come after it.
      if (inst_->items_[ui].group >= 0 && ok) ok = visit(inst_->items_[ui].group);
      stack.pop_back();
      state[ui] = 2;
      logic.enable_order.push_back(i);
      return ok;
    };
    for (int i = 0; i < n; ++i) {
      if (!visit(i)) return;
    }
  }

  // Every score's possible range: evaluate with every item enabled and unanswered.
  void ComputeScoreRanges() {
    auto& logic = *inst_->logic_;
    std::vector<internal::Slot> open(inst_->items_.size());
    std::vector<internal::Val> values;
    values.reserve(logic.scores.size());
    internal::EvalContext ctx;
    ctx.items = &inst_->items_;
    ctx.top = &open;
    ctx.open_groups = true;
    for (const auto& e : logic.scores) {
      ctx.scores = values.data();
      internal::Val v = e.empty() ? internal::Val{} : internal::Evaluate(e, ctx);
      values.push_back(v);
      logic.score_ranges.emplace_back(v.lo, v.hi);
    }
  }

  void CompileBanding(const Scope& scope) {
    if (!def().has_banding()) return;
    auto& logic = *inst_->logic_;
    const auto& banding = def().banding();
    Locator bl = root_.Nested("banding", -1);
    if (banding.bands_size() == 0) {
      Error(bl.At("bands", 0, "a banding needs bands"));
      return;
    }
    std::set<std::string> band_ids;
    for (int i = 0; i < banding.bands_size(); ++i) {
      const auto& id = banding.bands(i).id();
      bool ok =
          !id.empty() && id.size() <= 32 &&
          id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-+") == std::string::npos;
      if (!ok) {
        Error(bl.Nested("bands", i)
                  .At("id", -1,
                      fmt::format("band id '{}' must be lower-case "
                                  "letters, digits, '_', '-' or '+'",
                                  id)));
      } else if (!band_ids.insert(id).second) {
        Error(bl.Nested("bands", i).At("id", -1, fmt::format("band '{}' defined twice", id)));
      }
    }
    if (!banding.score().empty()) {
      auto it = std::find_if(def().scores().begin(), def().scores().end(),
                             [&](const v1::Score& s) { return s.id() == banding.score(); });
      if (it == def().scores().end()) {
        Error(bl.At("score", -1, fmt::format("banding: unknown score '{}'", banding.score())));
        return;
      }
      logic.banding_score = static_cast<int>(it - def().scores().begin());
      if (logic.scores[static_cast<std::size_t>(logic.banding_score)].empty()) return;  // reported
      auto [lo, hi] = logic.score_ranges[static_cast<std::size_t>(logic.banding_score)];
      std::int64_t next = lo;
      for (int i = 0; i < banding.bands_size(); ++i) {
        const auto& b = banding.bands(i);
        Locator loc = bl.Nested("bands", i);
        if (!b.when().empty())
          Error(loc.At("when", -1, fmt::format("band '{}': a range band has no rule", b.id())));
        if (i == 0 && b.min() != lo) {
          Error(loc.At("min", -1,
                       fmt::format("band '{}': the first band must start at {}, the "
                                   "lowest value of '{}'",
                                   b.id(), lo, banding.score())));
        } else if (b.min() > b.max()) {
          Error(loc.At(
              "min", -1,
              fmt::format("band '{}': min {} is greater than max {}", b.id(), b.min(), b.max())));
        } else if (b.min() > next) {
          Error(loc.At("min", -1,
                       fmt::format("band '{}': gap before it ({}..{} is in no band)", b.id(), next,
                                   b.min() - 1)));
        } else if (b.min() < next) {
          Error(loc.At(
              "min", -1,
              fmt::format("band '{}': overlaps the band before it (from {})", b.id(), b.min())));
        }
        next = std::max(next, b.max() + 1);
        logic.band_ranges.emplace_back(b.min(), b.max());
      }
      if (next <= hi) {
        Error(bl.Nested("bands", banding.bands_size() - 1)
                  .At("max", -1,
                      fmt::format("banding: scores {}..{} of '{}' are in no band", next, hi,
                                  banding.score())));
      } else if (next - 1 > hi) {
        Error(bl.Nested("bands", banding.bands_size() - 1)
                  .At("max", -1,
                      fmt::format("banding: '{}' never exceeds {}, but the bands go to {}",
                                  banding.score(), hi, next - 1)));
      }
      return;
    }
    for (int i = 0; i < banding.bands_size(); ++i) {
      const auto& b = banding.bands(i);
      Locator loc = bl.Nested("bands", i);
      if (b.min() || b.max())
        Error(
            loc.At(b.min() ? "min" : "max", -1,
                   fmt::format("band '{}': a rule band has no range (set banding.score for ranges)",
                               b.id())));
      bool last = i + 1 == banding.bands_size();
      Expr e;
      if (last) {
        if (!b.when().empty()) {
          Error(loc.At(
              "when", -1,
              fmt::format("band '{}': the last band is the fallback and has no rule", b.id())));
        }
      } else if (b.when().empty()) {
        Error(
            loc.At("id", -1, fmt::format("band '{}': only the last band may lack a rule", b.id())));
      } else {
        CompileField(b.when(), scope, VType::kBool, loc, "when", -1,
                     fmt::format("band '{}'", b.id()), &e);
      }
      logic.band_rules.push_back(std::move(e));
    }
  }

  Locator root_;
  Diagnostics* out_;
  std::unique_ptr<Instrument> inst_;
  std::set<std::string> languages_;
  std::map<std::string, std::string> ids_;  // id -> kind (item, score, flag)
  std::vector<Locator> item_locs_;
};

Instrument::Instrument() = default;
Instrument::~Instrument() = default;

int Instrument::ItemIndex(std::string_view id) const {
  for (std::size_t i = 0; i < items_.size(); ++i) {
    if (items_[i].def->id() == id) return static_cast<int>(i);
  }
  return -1;
}

int Instrument::BandIndex(std::string_view band_id) const {
  const auto& bands = def_.banding().bands();
  for (int i = 0; i < bands.size(); ++i) {
    if (bands[i].id() == band_id) return i;
  }
  return -1;
}

bool Instrument::HasLanguage(std::string_view lang) const {
  return std::find(def_.languages().begin(), def_.languages().end(), lang) !=
         def_.languages().end();
}

std::string_view Instrument::ResolveLanguage(std::string_view lang) const {
  if (HasLanguage(lang)) return lang;
  return def_.languages_size() ? std::string_view(def_.languages(0)) : std::string_view("sv");
}

std::string Instrument::TextSetName(std::string_view lang) const {
  for (const auto& [l, name] : text_sets_) {
    if (l == lang) return name;
  }
  return {};
}

void Instrument::ComputeTextHashes() {
  text_hashes_.clear();
  for (const auto& lang : def_.languages()) {
    text_hashes_.emplace_back(
        lang, internal::Sha256Hex(internal::CanonicalTexts(def_, lang, TextSetName(lang))));
  }
}

std::string Instrument::TextSha256(std::string_view lang) const {
  std::string_view resolved = ResolveLanguage(lang);
  for (const auto& [l, hash] : text_hashes_) {
    if (l == resolved) return hash;
  }
  return {};
}

const std::string& TextIn(const google::protobuf::RepeatedPtrField<v1::LocalizedText>& texts,
                          std::string_view lang) {
  static const std::string kEmpty;
  for (const auto& t : texts) {
    if (t.lang() == lang) return t.value();
  }
  return texts.empty() ? kEmpty : texts[0].value();
}

bool KindComputesBand(v1::InstrumentKind kind) {
  return kind == v1::ACTUARIAL || kind == v1::RULE_BASED;
}

std::string Instrument::LevelLabel(std::string_view level, std::string_view lang,
                                   std::string_view judgement) const {
  const std::string_view resolved = ResolveLanguage(lang);
  for (int i = 0; i < def_.judgements_size(); ++i) {
    const auto& j = def_.judgements(i);
    const bool wanted = judgement.empty() ? i == logic_->final_judgement : j.id() == judgement;
    if (!wanted) continue;
    for (const auto& lt : j.level_text()) {
      if (lt.level() == level) return TextIn(lt.text(), resolved);
    }
  }
  return vocabulary_ != nullptr ? vocabulary_->Label("levels", level, resolved)
                                : std::string(level);
}

Instrument::ProvenanceTexts Instrument::ProvenanceIn(std::string_view lang) const {
  const std::string_view resolved = ResolveLanguage(lang);
  const auto& pv = def_.provenance();
  ProvenanceTexts out;
  out.in_language = true;
  auto pick = [&](const std::string& value,
                  const google::protobuf::RepeatedPtrField<v1::LocalizedText>& texts) {
    if (texts.empty()) {
      out.in_language = false;
      return value;
    }
    return TextIn(texts, resolved);
  };
  out.modelled_on = pick(pv.modelled_on(), pv.modelled_on_text());
  out.source = pick(pv.source(), pv.source_text());
  out.licence_note = pick(pv.licence_note(), pv.licence_note_text());
  out.scoring_verified = pick(pv.scoring_verified(), pv.scoring_verified_text());
  out.validated_setting = pick(pv.validated_setting(), pv.validated_setting_text());
  return out;
}

Result<std::shared_ptr<const Instrument>> LoadInstrumentText(
    std::string_view text, std::string_view file_name, std::shared_ptr<const Vocabulary> vocabulary,
    Diagnostics* diagnostics) {
  Diagnostics local;
  Diagnostics* out = diagnostics ? diagnostics : &local;
  if (text.size() > internal::kMaxDefinitionBytes) {
    out->push_back(Diagnostic{std::string(file_name), 0, 0, "the file is too large"});
    return Status::InvalidArgument(fmt::format("{}: the file is too large", file_name));
  }
  if (!internal::IsValidUtf8(text)) {
    out->push_back(Diagnostic{std::string(file_name), 0, 0, "the file is not valid UTF-8"});
    return Status::InvalidArgument(fmt::format("{}: not valid UTF-8", file_name));
  }
  internal::SourceText source{std::string(file_name), text};
  google::protobuf::TextFormat::ParseInfoTree tree;
  v1::Instrument def;
  if (!internal::ParseTextFormat(source, text, &def, &tree, out)) {
    return Status::InvalidArgument(fmt::format("{}: syntax error", file_name));
  }
  const std::size_t before = out->size();
  InstrumentBuilder builder(source, tree, out);
  auto inst = builder.Build(std::move(def), std::move(vocabulary));
  if (!inst) {
    return Status::InvalidArgument(
        fmt::format("{}: {} error(s) in the definition", file_name, out->size() - before));
  }
  return inst;
}

Result<std::shared_ptr<const Instrument>> LoadInstrumentFile(
    const std::filesystem::path& path, std::shared_ptr<const Vocabulary> vocabulary,
    Diagnostics* diagnostics) {
  auto text = internal::ReadDefinitionFile(path.string());
  if (!text.ok()) {
    if (diagnostics)
      diagnostics->push_back(Diagnostic{path.string(), 0, 0, text.status().message()});
    return text.status();
  }
  return LoadInstrumentText(*text, path.string(), std::move(vocabulary), diagnostics);
}

}  // namespace screening
