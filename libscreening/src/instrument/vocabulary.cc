#include <screening/vocabulary.h>

#include <fmt/format.h>

#include <set>

#include "base/textformat.h"

namespace screening {
namespace {

using internal::Locator;

void CheckTexts(const google::protobuf::RepeatedPtrField<v1::LocalizedText>& texts,
                const std::set<std::string>& languages, const Locator& loc, std::string_view field,
                std::string_view what, Diagnostics* out) {
  std::set<std::string> seen;
  for (int i = 0; i < texts.size(); ++i) {
    const auto& t = texts[i];
    if (!languages.count(t.lang())) {
      out->push_back(
          loc.At(field, i, fmt::format("{}: language '{}' is not declared", what, t.lang())));
    } else if (!seen.insert(t.lang()).second) {
      out->push_back(loc.At(field, i, fmt::format("{}: two texts for '{}'", what, t.lang())));
    } else if (t.value().empty()) {
      out->push_back(loc.At(field, i, fmt::format("{}: empty text for '{}'", what, t.lang())));
    }
  }
  for (const auto& lang : languages) {
    if (!seen.count(lang)) {
      out->push_back(loc.At(field, 0, fmt::format("{}: no text for language '{}'", what, lang)));
    }
  }
}

}  // namespace

Result<std::shared_ptr<const Vocabulary>> Vocabulary::LoadFile(const std::filesystem::path& path,
                                                               Diagnostics* diagnostics) {
  auto text = internal::ReadDefinitionFile(path.string());
  if (!text.ok()) {
    if (diagnostics)
      diagnostics->push_back(Diagnostic{path.string(), 0, 0, text.status().message()});
    return text.status();
  }
  return LoadText(*text, path.string(), diagnostics);
}

Result<std::shared_ptr<const Vocabulary>> Vocabulary::LoadText(std::string_view text,
                                                               std::string_view file_name,
                                                               Diagnostics* diagnostics) {
  Diagnostics local;
  Diagnostics* out = diagnostics ? diagnostics : &local;
  internal::SourceText source{std::string(file_name), text};
  google::protobuf::TextFormat::ParseInfoTree tree;
  auto vocabulary = std::shared_ptr<Vocabulary>(new Vocabulary());
  if (!internal::ParseTextFormat(source, text, &vocabulary->def_, &tree, out)) {
    return Status::InvalidArgument(fmt::format("{}: syntax error", file_name));
  }
  const std::size_t before = out->size();
  const auto& def = vocabulary->def_;
  Locator root(&source, &tree, v1::Vocabulary::descriptor());
  std::set<std::string> languages;
  for (int i = 0; i < def.languages_size(); ++i) {
    if (!languages.insert(def.languages(i)).second) {
      out->push_back(root.At("languages", i, fmt::format("language '{}' twice", def.languages(i))));
    }
  }
  if (languages.empty()) out->push_back(root.At("languages", 0, "no language declared"));
  std::set<std::string> list_ids;
  for (int i = 0; i < def.lists_size(); ++i) {
    const auto& list = def.lists(i);
    Locator ll = root.Nested("lists", i);
    if (!internal::IsSnakeId(list.id())) {
      out->push_back(ll.At("id", -1, fmt::format("list id '{}' is not snake_case", list.id())));
    }
    if (!list_ids.insert(list.id()).second) {
      out->push_back(ll.At("id", -1, fmt::format("list '{}' defined twice", list.id())));
    }
    CheckTexts(list.title(), languages, ll, "title", fmt::format("list '{}'", list.id()), out);
    std::set<std::string> term_ids;
    for (int j = 0; j < list.terms_size(); ++j) {
      const auto& term = list.terms(j);
      Locator tl = ll.Nested("terms", j);
      if (term.id().empty()) out->push_back(tl.At("id", -1, "term without id"));
      if (!term_ids.insert(term.id()).second) {
        out->push_back(
            tl.At("id", -1, fmt::format("term '{}' twice in list '{}'", term.id(), list.id())));
      }
      CheckTexts(term.label(), languages, tl, "label",
                 fmt::format("term '{}/{}'", list.id(), term.id()), out);
    }
  }
  if (out->size() != before) {
    return Status::InvalidArgument(fmt::format("{}: {} error(s)", file_name, out->size() - before));
  }
  return std::shared_ptr<const Vocabulary>(std::move(vocabulary));
}

const v1::TermList* Vocabulary::List(std::string_view list_id) const {
  for (const auto& list : def_.lists()) {
    if (list.id() == list_id) return &list;
  }
  return nullptr;
}

bool Vocabulary::Contains(std::string_view list_id, std::string_view term_id) const {
  const auto* list = List(list_id);
  if (!list) return false;
  for (const auto& t : list->terms()) {
    if (t.id() == term_id) return true;
  }
  return false;
}

std::string Vocabulary::Label(std::string_view list_id, std::string_view term_id,
                              std::string_view lang) const {
  const auto* list = List(list_id);
  if (!list) return std::string(term_id);
  for (const auto& t : list->terms()) {
    if (t.id() != term_id) continue;
    for (const auto& l : t.label()) {
      if (l.lang() == lang) return l.value();
    }
    return t.label_size() ? t.label(0).value() : std::string(term_id);
  }
  return std::string(term_id);
}

}  // namespace screening
