// Loading and validating indicator definitions (instruments/indicators/*.textproto), and
// choosing the set for a period.
#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <set>

#include <screening/directory.h>
#include <screening/indicators.h>
#include <screening/registry.h>

#include "base/swedish_time.h"
#include "base/textformat.h"
#include "indicators/layout.h"

namespace screening {
namespace {

using internal::Locator;

const std::set<std::string>& Languages() {
  static const std::set<std::string> kLanguages = {"sv", "en"};
  return kLanguages;
}

void CheckTexts(const google::protobuf::RepeatedPtrField<v1::LocalizedText>& texts,
                const Locator& loc, std::string_view field, std::string_view what,
                Diagnostics* out) {
  std::set<std::string> seen;
  for (int i = 0; i < texts.size(); ++i) {
    const auto& t = texts[i];
    if (!Languages().count(t.lang())) {
      out->push_back(
          loc.At(field, i, fmt::format("{}: language '{}' is not sv or en", what, t.lang())));
    } else if (!seen.insert(t.lang()).second) {
      out->push_back(loc.At(field, i, fmt::format("{}: two texts for '{}'", what, t.lang())));
    } else if (t.value().empty()) {
      out->push_back(loc.At(field, i, fmt::format("{}: empty text for '{}'", what, t.lang())));
    }
  }
  for (const auto& lang : Languages()) {
    if (!seen.count(lang)) {
      out->push_back(loc.At(field, 0, fmt::format("{}: no text for language '{}'", what, lang)));
    }
  }
}

bool IsVersion(std::string_view v) {
  int dots = 0;
  bool digit = false;
  for (char c : v) {
    if (c == '.') {
      if (!digit) return false;
      ++dots;
      digit = false;
    } else if (c >= '0' && c <= '9') {
      digit = true;
    } else {
      return false;
    }
  }
  return dots == 2 && digit;
}

// Every recommendation id some instrument defines.
std::set<std::string> Recommendations(const Registry& registry) {
  std::set<std::string> ids;
  for (const auto& inst : registry.all()) {
    for (const auto& r : inst->definition().recommendations()) ids.insert(r.id());
  }
  return ids;
}

// `directory_tags`: the tags of the support directory's resources (those some resource
// carries), or nullptr when the directory could not be read.
void Validate(const v1::IndicatorDefinitions& def, const Locator& root, const Registry& registry,
              const std::set<std::string>* directory_tags, Diagnostics* out) {
  if (!internal::IsSnakeId(def.id())) {
    out->push_back(root.At("id", -1, fmt::format("set id '{}' is not snake_case", def.id())));
  }
  if (!IsVersion(def.version())) {
    out->push_back(root.At("version", -1, "version: expected MAJOR.MINOR.PATCH"));
  }
  CheckTexts(def.title(), root, "title", "title", out);
  if (def.source().empty()) out->push_back(root.At("source", -1, "source: name the plan"));
  if (!internal::ValidDate(def.valid_from())) {
    out->push_back(root.At("valid_from", -1, "valid_from: expected YYYY-MM-DD"));
  }
  if (!def.valid_to().empty() &&
      (!internal::ValidDate(def.valid_to()) || def.valid_to() < def.valid_from())) {
    out->push_back(root.At("valid_to", -1, "valid_to: expected YYYY-MM-DD, not before valid_from"));
  }
  const std::set<std::string> recommendations = Recommendations(registry);
  std::set<std::string> counted;
  for (int i = 0; i < def.assessment_instruments_size(); ++i) {
    const std::string& id = def.assessment_instruments(i);
    if (!registry.Find(id)) {
      out->push_back(root.At("assessment_instruments", i,
                             fmt::format("assessment_instruments: no instrument '{}'", id)));
    } else if (!counted.insert(id).second) {
      out->push_back(root.At("assessment_instruments", i,
                             fmt::format("assessment_instruments: '{}' twice", id)));
    }
  }
  std::set<std::string> label_ids;
  for (int i = 0; i < def.labels_size(); ++i) {
    const auto& l = def.labels(i);
    Locator ll = root.Nested("labels", i);
    if (!label_ids.insert(l.id()).second) {
      out->push_back(ll.At("id", -1, fmt::format("label '{}' twice", l.id())));
    }
    if (!recommendations.count(l.id())) {
      out->push_back(ll.At("id", -1, fmt::format("label: no instrument recommends '{}'", l.id())));
    }
    CheckTexts(l.label(), ll, "label", fmt::format("label '{}'", l.id()), out);
  }
  std::set<std::string> table_ids;
  for (int i = 0; i < def.tables_size(); ++i) {
    const auto& t = def.tables(i);
    Locator tl = root.Nested("tables", i);
    const std::string what = fmt::format("table '{}'", t.id());
    if (!internal::IsSnakeId(t.id())) {
      out->push_back(tl.At("id", -1, fmt::format("table id '{}' is not snake_case", t.id())));
    }
    if (!table_ids.insert(t.id()).second) {
      out->push_back(tl.At("id", -1, fmt::format("table '{}' twice", t.id())));
    }
    if (t.measure() == v1::INDICATOR_MEASURE_UNSPECIFIED) {
      out->push_back(tl.At("measure", -1, what + ": no measure"));
      continue;
    }
    CheckTexts(t.title(), tl, "title", what + " title", out);
    CheckTexts(t.description(), tl, "description", what + " description", out);
    const bool contacts = t.measure() == v1::CONTACTS;
    if (contacts && t.unit_groups_size() == 0) {
      out->push_back(tl.At("unit_groups", -1, what + ": give the unit groups shown as rows"));
    }
    if (!contacts && t.unit_groups_size() > 0) {
      out->push_back(tl.At("unit_groups", 0, what + ": unit groups belong to CONTACTS"));
    }
    std::set<std::string> grouped;
    for (int g = 0; g < t.unit_groups_size(); ++g) {
      const auto& group = t.unit_groups(g);
      Locator gl = tl.Nested("unit_groups", g);
      if (!internal::IsSnakeId(group.id()) || group.id() == "other" || group.id() == "total") {
        out->push_back(gl.At("id", -1,
                             fmt::format("unit group id '{}' is not snake_case or "
                                         "is reserved (other, total)",
                                         group.id())));
      }
      CheckTexts(group.label(), gl, "label", fmt::format("unit group '{}'", group.id()), out);
      if (group.units_size() == 0) out->push_back(gl.At("units", -1, "unit group without units"));
      for (int u = 0; u < group.units_size(); ++u) {
        if (!registry.vocabulary()->Contains("units", group.units(u))) {
          out->push_back(gl.At("units", u, fmt::format("unknown unit '{}'", group.units(u))));
        } else if (!grouped.insert(group.units(u)).second) {
          out->push_back(gl.At("units", u, fmt::format("unit '{}' in two groups", group.units(u))));
        }
      }
    }
    const bool uses_instruments = t.measure() == v1::ASSESSMENTS || t.measure() == v1::LEVELS ||
                                  t.measure() == v1::INTERVENTIONS ||
                                  t.measure() == v1::SUBJECT_ROLES || t.measure() == v1::CHILDREN;
    if (!uses_instruments && t.instruments_size() > 0) {
      out->push_back(tl.At("instruments", 0, what + ": this measure takes no instruments"));
    }
    if (t.measure() == v1::CHILDREN && t.instruments_size() == 0) {
      out->push_back(tl.At("instruments", -1, what + ": name the children's instruments"));
    }
    for (int k = 0; k < t.instruments_size(); ++k) {
      if (!counted.count(t.instruments(k))) {
        out->push_back(
            tl.At("instruments", k,
                  fmt::format("'{}' is not one of assessment_instruments", t.instruments(k))));
      }
    }
    const bool uses_recommendations =
        t.measure() == v1::INTERVENTIONS || t.measure() == v1::DUE_ITEMS;
    if (t.measure() == v1::INTERVENTIONS && t.recommendations_size() == 0) {
      out->push_back(tl.At("recommendations", -1, what + ": name the interventions"));
    }
    if (!uses_recommendations && t.recommendations_size() > 0) {
      out->push_back(tl.At("recommendations", 0, what + ": this measure takes no recommendations"));
    }
    std::set<std::string> seen_recommendations;
    for (int k = 0; k < t.recommendations_size(); ++k) {
      const std::string& r = t.recommendations(k);
      if (!recommendations.count(r) || !label_ids.count(r)) {
        out->push_back(
            tl.At("recommendations", k,
                  fmt::format("'{}': no instrument recommends it or it has no label", r)));
      } else if (!seen_recommendations.insert(r).second) {
        out->push_back(tl.At("recommendations", k, fmt::format("'{}' twice", r)));
      }
    }
    if (t.measure() == v1::CHILDREN) {
      for (const char* field :
           {"immediate_need_recommendation", "report_of_concern_recommendation"}) {
        const std::string& r = field[0] == 'i' ? t.immediate_need_recommendation()
                                               : t.report_of_concern_recommendation();
        if (!recommendations.count(r)) {
          out->push_back(
              tl.At(field, -1, fmt::format("{}: no instrument recommends '{}'", field, r)));
        }
      }
    } else if (!t.immediate_need_recommendation().empty() ||
               !t.report_of_concern_recommendation().empty()) {
      out->push_back(tl.At("immediate_need_recommendation", -1,
                           what + ": the recommendations of children belong to CHILDREN"));
    }
    const bool informs = t.measure() == v1::PERPETRATORS || t.measure() == v1::SUBJECT_ROLES;
    if (!informs && t.informed_per_person()) {
      out->push_back(
          tl.At("informed_per_person", -1,
                what + ": informed_per_person belongs to PERPETRATORS and SUBJECT_ROLES"));
    }
    if (t.informing_resource_tags_size() > 0 &&
        (t.measure() != v1::PERPETRATORS || !t.informed_per_person())) {
      out->push_back(tl.At("informing_resource_tags", 0,
                           what + ": informing_resource_tags belong to PERPETRATORS with "
                                  "informed_per_person"));
    }
    for (int k = 0; k < t.informing_resource_tags_size(); ++k) {
      const std::string& tag = t.informing_resource_tags(k);
      if (!directory_tags) continue;  // reported once below
      if (!directory_tags->count(tag)) {
        out->push_back(
            tl.At("informing_resource_tags", k,
                  fmt::format("no resource in the support directory has tag '{}'", tag)));
      }
    }
    if (t.measure() != v1::CONTACTS && t.case_system_denominator()) {
      out->push_back(tl.At("case_system_denominator", -1,
                           what + ": case_system_denominator belongs to CONTACTS"));
    }
    // Vulnerable groups are special-category data: a definitions file cannot forget the
    // period rule (SpecialCategoryCounted) for them.
    if (t.measure() == v1::VULNERABLE_GROUPS && !t.special_category()) {
      out->push_back(tl.At("special_category", -1,
                           what + ": vulnerable groups are special-category data: set "
                                  "special_category: true"));
    }
    if (!t.chart_column().empty()) {
      const auto columns = internal::TableColumns(t);
      if (std::find(columns.begin(), columns.end(), t.chart_column()) == columns.end()) {
        out->push_back(tl.At("chart_column", -1,
                             fmt::format("{}: no column '{}' (the measure has: {})", what,
                                         t.chart_column(), fmt::join(columns, ", "))));
      }
    }
  }
  if (def.tables_size() == 0) out->push_back(root.At("tables", -1, "no tables"));
  if (def.assessment_instruments_size() == 0) {
    out->push_back(root.At("assessment_instruments", -1, "name the instruments counted"));
  }
}

}  // namespace

namespace internal {

Result<std::map<std::string, std::vector<std::string>>> ResourcesByTag(
    const std::filesystem::path& instruments_dir, const Registry& registry) {
  auto directory = Directory::LoadDirectory(instruments_dir, *registry.vocabulary(), nullptr);
  if (!directory.ok()) return directory.status();
  std::map<std::string, std::vector<std::string>> by_tag;
  for (const auto& r : (*directory)->definition().resources()) {
    for (const auto& tag : r.tags()) by_tag[tag].push_back(r.id());
  }
  return by_tag;
}

}  // namespace internal

bool IndicatorDefinitions::AppliesTo(std::string_view from) const {
  return def_.valid_from() <= from && (def_.valid_to().empty() || from <= def_.valid_to());
}

Result<std::vector<std::shared_ptr<const IndicatorDefinitions>>> LoadIndicatorDefinitions(
    const std::filesystem::path& instruments_dir, const Registry& registry,
    Diagnostics* diagnostics) {
  Diagnostics local;
  Diagnostics* out = diagnostics ? diagnostics : &local;
  const std::filesystem::path dir = instruments_dir / "indicators";
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return Status::NotFound("no indicator definitions: no folder " + dir.string());
  }
  std::vector<std::filesystem::path> paths;
  for (auto it = std::filesystem::directory_iterator(dir, ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    if (it->path().extension() == ".textproto" && it->is_regular_file(ec)) {
      paths.push_back(it->path());
    }
  }
  if (ec) return Status::IoError("cannot list " + dir.string() + ": " + ec.message());
  if (paths.empty()) return Status::NotFound("no indicator definitions in " + dir.string());
  std::sort(paths.begin(), paths.end());
  const std::size_t before = out->size();
  std::vector<std::shared_ptr<const IndicatorDefinitions>> sets;
  std::set<std::string> ids;
  std::optional<std::set<std::string>> resource_tags;  // read once, when a set needs it
  for (const auto& path : paths) {
    auto text = internal::ReadDefinitionFile(path.string());
    if (!text.ok()) {
      out->push_back(Diagnostic{path.string(), 0, 0, text.status().message()});
      continue;
    }
    internal::SourceText source{path.string(), *text};
    google::protobuf::TextFormat::ParseInfoTree tree;
    v1::IndicatorDefinitions def;
    if (!internal::ParseTextFormat(source, *text, &def, &tree, out)) continue;
    Locator root(&source, &tree, v1::IndicatorDefinitions::descriptor());
    bool needs_tags = false;
    for (const auto& t : def.tables()) needs_tags |= t.informing_resource_tags_size() > 0;
    if (needs_tags && !resource_tags) {
      auto by_tag = internal::ResourcesByTag(instruments_dir, registry);
      if (by_tag.ok()) {
        resource_tags.emplace();
        for (const auto& entry : *by_tag) resource_tags->insert(entry.first);
      } else {
        out->push_back(root.At("tables", -1,
                               "informing_resource_tags: the support directory cannot be read: " +
                                   by_tag.status().message()));
      }
    }
    Validate(def, root, registry, resource_tags ? &*resource_tags : nullptr, out);
    if (!ids.insert(def.id() + "@" + def.version()).second) {
      out->push_back(root.At(
          "id", -1, fmt::format("set '{}' version {} is defined twice", def.id(), def.version())));
    }
    sets.push_back(std::make_shared<const IndicatorDefinitions>(std::move(def)));
  }
  if (out->size() != before) {
    return Status::InvalidArgument(
        fmt::format("indicator definitions: {} error(s)", out->size() - before));
  }
  std::stable_sort(sets.begin(), sets.end(), [](const auto& a, const auto& b) {
    return a->definition().valid_from() < b->definition().valid_from();
  });
  return sets;
}

Result<std::shared_ptr<const IndicatorDefinitions>> SelectIndicatorDefinitions(
    const std::vector<std::shared_ptr<const IndicatorDefinitions>>& sets,
    const IndicatorPeriod& period, int major_version) {
  if (major_version <= 0) return SelectIndicatorDefinitions(sets, period);
  // The newest set of that major version among those that apply, else of that major version
  // at all: an old report is reproduced with the set it was made with.
  std::shared_ptr<const IndicatorDefinitions> any;
  for (auto it = sets.rbegin(); it != sets.rend(); ++it) {
    if (std::atoi((*it)->version().c_str()) != major_version) continue;
    if ((*it)->AppliesTo(period.from)) return *it;
    if (!any) any = *it;
  }
  if (any) return any;
  return Status::NotFound(fmt::format("no indicator definitions of version {}", major_version));
}

Result<std::shared_ptr<const IndicatorDefinitions>> SelectIndicatorDefinitions(
    const std::vector<std::shared_ptr<const IndicatorDefinitions>>& sets,
    const IndicatorPeriod& period) {
  for (auto it = sets.rbegin(); it != sets.rend(); ++it) {
    if ((*it)->AppliesTo(period.from)) return *it;
  }
  return Status::NotFound(
      fmt::format("no indicator definitions apply to a period starting {}", period.from));
}

}  // namespace screening
