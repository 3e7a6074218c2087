// Counting the indicators (Store::Indicators): who may count which units, the request's
// checks, the definitions and the audit event; the backend counts the facts
// (Backend::CountIndicatorFacts) and the tables are built from them here.
#include "store/indicators_service.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/swedish_time.h"
#include "indicators/layout.h"

namespace screening::internal {
namespace {

bool ValidUtc(std::string_view t) {
  if (t.size() != 20 || t[10] != 'T' || t[13] != ':' || t[16] != ':' || t[19] != 'Z') return false;
  if (!ValidDate(t.substr(0, 10))) return false;
  for (std::size_t i : {11u, 12u, 14u, 15u, 17u, 18u}) {
    if (t[i] < '0' || t[i] > '9') return false;
  }
  return std::stoi(std::string(t.substr(11, 2))) < 24 &&
         std::stoi(std::string(t.substr(14, 2))) < 60 &&
         std::stoi(std::string(t.substr(17, 2))) < 60;
}

bool ValidUnitId(std::string_view unit) {
  return !unit.empty() && unit.size() <= 40 &&
         unit.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string_view::npos;
}

}  // namespace

Result<IndicatorReport> CountIndicators(const IndicatorStoreContext& ctx, const Actor& actor,
                                        const IndicatorRequest& request) {
  auto a = ctx.resolve(actor);
  if (!a.ok()) return a.status();
  const std::string unit_label = request.unit.empty() ? "-" : request.unit;
  if (a->role != Role::kCoordinator && a->role != Role::kSupervisor) {
    return ctx.deny(*a, unit_label, "indicators", "report");
  }
  if (!request.suppress && a->role != Role::kCoordinator) {
    return ctx.deny(*a, unit_label, "indicators_unsuppressed", "report");
  }
  if (!request.unit.empty() && !ValidUnitId(request.unit)) {
    return Status::InvalidArgument("unit: expected a unit id (lower-case letters, digits, _)");
  }
  // A coordinator without units sees every unit; otherwise the actor's units.
  std::vector<std::string> units = a->units;
  if (a->role == Role::kSupervisor && units.empty()) {
    return ctx.deny(*a, unit_label, "indicators", "report");
  }
  if (!request.unit.empty()) {
    if (!units.empty() && std::find(units.begin(), units.end(), request.unit) == units.end()) {
      return ctx.deny(*a, unit_label, "indicators", "report");
    }
    units = {request.unit};
  }
  if (!ValidDate(request.period.from) || !ValidDate(request.period.to) ||
      request.period.to < request.period.from) {
    return Status::InvalidArgument("period: expected two dates YYYY-MM-DD, the first not later");
  }
  if (std::stoi(request.period.to.substr(0, 4)) - std::stoi(request.period.from.substr(0, 4)) >
      50) {
    return Status::InvalidArgument("period: at most 50 years");
  }
  if (request.threshold < 2 || request.threshold > 100) {
    return Status::InvalidArgument("threshold: expected 2..100");
  }
  const std::string now = FormatUtc(ctx.now_unix);
  std::string cutoff = request.cutoff_utc.empty() ? now : request.cutoff_utc;
  if (!ValidUtc(cutoff)) {
    return Status::InvalidArgument("cut-off: expected YYYY-MM-DDTHH:MM:SSZ (UTC)");
  }
  if (cutoff > now) {
    return Status::InvalidArgument("cut-off: lies in the future, so the report would change");
  }
  std::shared_ptr<const IndicatorDefinitions> defs = request.definitions;
  if (!defs) {
    auto sets = LoadIndicatorDefinitions(ctx.registry->directory(), *ctx.registry, nullptr);
    if (!sets.ok()) return sets.status();
    if (request.definitions_version < 0) {
      return Status::InvalidArgument("definitions: expected a major version number");
    }
    auto chosen = SelectIndicatorDefinitions(*sets, request.period, request.definitions_version);
    if (!chosen.ok()) return chosen.status();
    defs = *chosen;
  }
  IndicatorCountInputs inputs;
  for (const auto& inst : ctx.registry->all()) {
    std::string group;
    switch (inst->definition().target_group()) {
      case v1::ADULT_VICTIM:
        group = "adult_victim";
        break;
      case v1::CHILD:
        group = "child";
        break;
      case v1::PERPETRATOR:
        group = "perpetrator";
        break;
      default:
        break;
    }
    if (!group.empty()) inputs.target_group_of[inst->id()] = group;
  }
  for (const auto& t : defs->definition().tables()) {
    if (t.informing_resource_tags_size() == 0) continue;
    auto by_tag = ResourcesByTag(ctx.registry->directory(), *ctx.registry);
    if (!by_tag.ok()) return by_tag.status();
    for (const auto& tag : t.informing_resource_tags()) {
      auto it = by_tag->find(tag);
      if (it != by_tag->end()) {
        inputs.informing_resources.insert(inputs.informing_resources.end(), it->second.begin(),
                                          it->second.end());
      }
    }
  }
  std::sort(inputs.informing_resources.begin(), inputs.informing_resources.end());
  inputs.informing_resources.erase(
      std::unique(inputs.informing_resources.begin(), inputs.informing_resources.end()),
      inputs.informing_resources.end());

  IndicatorFacts facts;
  {
    IndicatorCount count;
    count.request = &request;
    count.units = units;
    count.definitions = defs.get();
    count.inputs = std::move(inputs);
    count.cutoff_utc = cutoff;
    count.threads = ctx.threads;
    if (Status counted = ctx.rows->CountIndicatorFacts(count, &facts); !counted.ok())
      return counted;
  }

  IndicatorReport report;
  report.definitions_id = defs->id();
  report.definitions_version = defs->version();
  report.title = TextOf(defs->definition().title());
  report.source = defs->definition().source();
  report.period = request.period;
  report.unit = request.unit;
  report.units = units;
  report.cutoff_utc = cutoff;
  report.generated_utc = now;
  report.threshold = request.threshold;
  report.suppressed = false;
  BuildIndicatorTables(*defs, *ctx.registry, facts, &report);
  if (request.suppress) SuppressSmallCounts(report, request.threshold);

  const std::string reason =
      fmt::format("definitions {}@{}; cut-off {}; {}", defs->id(), defs->version(), cutoff,
                  request.suppress ? fmt::format("suppression below {}", request.threshold)
                                   : std::string("suppression off"));
  if (Status s =
          ctx.audit(*a, unit_label,
                    fmt::format("period:{}..{}", request.period.from, request.period.to), reason);
      !s.ok()) {
    return s;
  }
  return report;
}

}  // namespace screening::internal
