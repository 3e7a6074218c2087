// The canonical forms hashed into `sha256` and `text_sha256` (docs/hashes.md). Changing
// either changes every stored hash: the golden-hash test guards them.
#include <fmt/format.h>

#include "instrument/compiled.h"

namespace screening::internal {
namespace {

// Strings are written escaped so that no value can forge a line or a field boundary.
std::string Esc(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('"');
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

std::string Join(const google::protobuf::RepeatedPtrField<std::string>& xs) {
  std::string out;
  for (const auto& x : xs) {
    if (!out.empty()) out.push_back(',');
    out += Esc(x);
  }
  return out;
}

void AddText(std::string* out, std::string_view path,
             const google::protobuf::RepeatedPtrField<v1::LocalizedText>& texts,
             std::string_view lang) {
  for (const auto& t : texts) {
    if (t.lang() == lang) *out += fmt::format("{}\t{}\n", path, Esc(t.value()));
  }
}

}  // namespace

std::string CanonicalLogic(const v1::Instrument& d, const std::vector<ItemInfo>& items) {
  std::string out = "screening-logic-v1\n";
  out += fmt::format("instrument {} {} {} {} client_estimate={}\n", Esc(d.id()), Esc(d.version()),
                     v1::InstrumentKind_Name(d.kind()), v1::TargetGroup_Name(d.target_group()),
                     d.client_estimate() ? 1 : 0);
  for (const auto& info : items) {
    const v1::Item& it = *info.def;
    out += fmt::format(
        "item {} {} group={} required={} no_unknown={} note={} split={} min={} max={} "
        "max_blocks={} enabled_when={}\n",
        Esc(it.id()), v1::ItemType_Name(it.type()),
        info.group >= 0 ? Esc(items[static_cast<std::size_t>(info.group)].def->id()) : "-",
        it.required() ? 1 : 0, it.no_unknown() ? 1 : 0, it.allows_note() ? 1 : 0,
        it.current_and_history() ? 1 : 0, it.min(), it.max(), it.max_blocks(),
        Esc(it.enabled_when()));
    for (const std::string& code : info.codes) {
      // By code, not position: a yes/no item's option labels may be listed in any order
      // (they never ask for a note). For choice items the codes are the options in order.
      bool needs_note = false;
      for (const auto& o : it.options()) {
        if (o.code() == code) needs_note = o.needs_note();
      }
      out += fmt::format("code {} {} needs_note={}\n", Esc(it.id()), Esc(code), needs_note ? 1 : 0);
    }
  }
  for (const auto& s : d.scores()) out += fmt::format("score {} {}\n", Esc(s.id()), Esc(s.expr()));
  if (d.has_banding()) {
    out += fmt::format("banding {}\n", Esc(d.banding().score()));
    for (const auto& b : d.banding().bands()) {
      out += fmt::format("band {} {} {} {}\n", Esc(b.id()), b.min(), b.max(), Esc(b.when()));
    }
  }
  for (const auto& j : d.judgements()) {
    out += fmt::format("judgement {} required={} final={}\n", Esc(j.id()), j.required() ? 1 : 0,
                       j.is_final() ? 1 : 0);
  }
  for (const auto& f : d.flags()) out += fmt::format("flag {} {}\n", Esc(f.id()), Esc(f.when()));
  for (const auto& r : d.recommendations()) {
    out +=
        fmt::format("recommendation {} {} deadline={}:{}:{} legal={} tags={}\n", Esc(r.id()),
                    Esc(r.when()), v1::DeadlineKind_Name(r.deadline().kind()), r.deadline().days(),
                    r.deadline().months(), Join(r.legal_refs()), Join(r.resource_tags()));
  }
  return out;
}

std::string CanonicalTexts(const v1::Instrument& d, std::string_view lang,
                           std::string_view text_set) {
  std::string out = fmt::format("screening-texts-v1 {} {} {} {}\n", Esc(d.id()), Esc(d.version()),
                                Esc(lang), Esc(text_set));
  AddText(&out, "title", d.title(), lang);
  AddText(&out, "description", d.description(), lang);
  AddText(&out, "result_note", d.result_note(), lang);
  // Texts added after the first release (kind names, level names, localized provenance)
  // write lines only when present, so the text hashes of released versions are unchanged.
  AddText(&out, "kind", d.kind_text(), lang);
  auto add_item = [&](const v1::Item& it, auto&& self) -> void {
    AddText(&out, "item/" + it.id(), it.text(), lang);
    AddText(&out, "help/" + it.id(), it.help(), lang);
    for (const auto& o : it.options())
      AddText(&out, "option/" + it.id() + "/" + o.code(), o.text(), lang);
    for (const auto& child : it.items()) self(child, self);
  };
  for (const auto& s : d.sections()) {
    AddText(&out, "section/" + s.id(), s.title(), lang);
    AddText(&out, "intro/" + s.id(), s.intro(), lang);
    for (const auto& it : s.items()) add_item(it, add_item);
  }
  for (const auto& s : d.scores()) AddText(&out, "score/" + s.id(), s.text(), lang);
  for (const auto& b : d.banding().bands()) AddText(&out, "band/" + b.id(), b.text(), lang);
  for (const auto& j : d.judgements()) {
    AddText(&out, "judgement/" + j.id(), j.text(), lang);
    for (const auto& lt : j.level_text())
      AddText(&out, "level/" + j.id() + "/" + lt.level(), lt.text(), lang);
  }
  for (const auto& f : d.flags()) AddText(&out, "flag/" + f.id(), f.text(), lang);
  for (const auto& r : d.recommendations())
    AddText(&out, "recommendation/" + r.id(), r.text(), lang);
  const auto& p = d.provenance();
  AddText(&out, "provenance/modelled_on", p.modelled_on_text(), lang);
  AddText(&out, "provenance/source", p.source_text(), lang);
  AddText(&out, "provenance/licence_note", p.licence_note_text(), lang);
  AddText(&out, "provenance/scoring_verified", p.scoring_verified_text(), lang);
  AddText(&out, "provenance/validated_setting", p.validated_setting_text(), lang);
  return out;
}

}  // namespace screening::internal
