// Text overlays: a licensed official wording replaces item texts for one language.
#include <fmt/format.h>

#include <screening/instrument.h>

#include "base/textformat.h"
#include "instrument/compiled.h"

namespace screening {

void Instrument::IndexItems() {
  // Same traversal as the builder: section items in order, a group's items after it.
  std::size_t k = 0;
  for (const auto& section : def_.sections()) {
    for (const auto& item : section.items()) {
      items_[k++].def = &item;
      if (item.type() == v1::GROUP) {
        for (const auto& child : item.items()) items_[k++].def = &child;
      }
    }
  }
}

Result<v1::TextOverlay> LoadOverlayFile(const std::filesystem::path& path,
                                        Diagnostics* diagnostics) {
  auto text = internal::ReadDefinitionFile(path.string());
  if (!text.ok()) {
    if (diagnostics)
      diagnostics->push_back(Diagnostic{path.string(), 0, 0, text.status().message()});
    return text.status();
  }
  internal::SourceText source{path.string(), *text};
  google::protobuf::TextFormat::ParseInfoTree tree;
  v1::TextOverlay overlay;
  if (!internal::ParseTextFormat(source, *text, &overlay, &tree, diagnostics)) {
    return Status::InvalidArgument(fmt::format("{}: syntax error", path.string()));
  }
  return overlay;
}

Result<std::shared_ptr<const Instrument>> Instrument::WithOverlay(const v1::TextOverlay& overlay,
                                                                  std::string_view file,
                                                                  Diagnostics* diagnostics) const {
  Diagnostics local;
  Diagnostics* out = diagnostics ? diagnostics : &local;
  const std::size_t before = out->size();
  auto error = [&](std::string msg) {
    out->push_back(Diagnostic{std::string(file), 0, 0, std::move(msg)});
  };
  if (overlay.instrument_id() != id()) {
    error(fmt::format("the overlay is for '{}', not '{}'", overlay.instrument_id(), id()));
  }
  if (!HasLanguage(overlay.lang())) {
    error(fmt::format("language '{}' is not declared by '{}'", overlay.lang(), id()));
  }
  if (overlay.name().empty()) error("the overlay needs a name (recorded with each assessment)");

  std::shared_ptr<Instrument> copy(new Instrument());
  copy->def_ = def_;
  copy->vocabulary_ = vocabulary_;
  copy->items_ = items_;
  copy->logic_sha256_ = logic_sha256_;
  copy->text_sets_ = text_sets_;
  copy->logic_ = logic_;
  copy->IndexItems();

  auto set_text = [&](google::protobuf::RepeatedPtrField<v1::LocalizedText>* texts,
                      const std::string& value) {
    for (auto& t : *texts) {
      if (t.lang() == overlay.lang()) {
        t.set_value(value);
        return;
      }
    }
  };
  for (const auto& t : overlay.texts()) {
    std::string item_id = t.item_id(), code;
    if (auto slash = item_id.find('/'); slash != std::string::npos) {
      code = item_id.substr(slash + 1);
      item_id.resize(slash);
    }
    int index = copy->ItemIndex(item_id);
    if (index < 0) {
      error(fmt::format("unknown item '{}'", t.item_id()));
      continue;
    }
    if (t.value().empty() || !internal::IsValidUtf8(t.value())) {
      error(fmt::format("item '{}': empty or invalid text", t.item_id()));
      continue;
    }
    // Items are const in items_; find the mutable one through the definition.
    auto* item = const_cast<v1::Item*>(copy->items_[static_cast<std::size_t>(index)].def);
    if (code.empty()) {
      set_text(item->mutable_text(), t.value());
      continue;
    }
    bool found = false;
    for (auto& o : *item->mutable_options()) {
      if (o.code() == code) {
        set_text(o.mutable_text(), t.value());
        found = true;
      }
    }
    if (!found) error(fmt::format("item '{}' has no option '{}'", item_id, code));
  }
  if (out->size() != before) {
    return Status::InvalidArgument(
        fmt::format("{}: {} error(s) in the overlay", file, out->size() - before));
  }
  std::erase_if(copy->text_sets_, [&](const auto& p) { return p.first == overlay.lang(); });
  copy->text_sets_.emplace_back(overlay.lang(), overlay.name());
  copy->ComputeTextHashes();
  return std::shared_ptr<const Instrument>(std::move(copy));
}

}  // namespace screening
