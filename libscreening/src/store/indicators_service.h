// Counting the indicators in the case service (Store::Indicators): access, the request's
// checks, the audit event; the facts come from the backend.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include <screening/indicators.h>
#include <screening/registry.h>
#include <screening/store.h>

#include "store/backend.h"

namespace screening::internal {

struct IndicatorStoreContext {
  Backend* rows = nullptr;
  const Registry* registry = nullptr;
  std::int64_t now_unix = 0;
  int threads = 2;  // StoreOptions::indicator_threads
  // Re-reads the actor's account (role, units, active).
  std::function<Result<Actor>(const Actor&)> resolve;
  // Audits a denied attempt (its own transaction) and returns kPermissionDenied.
  std::function<Status(const Actor&, std::string_view unit, const std::string& action,
                       const std::string& object)>
      deny;
  // Writes one "indicators" audit event in its own transaction.
  std::function<Status(const Actor&, std::string_view unit, const std::string& object,
                       const std::string& reason)>
      audit;
};

// Store::Indicators. Coordinators: every unit, or only their units when they have any;
// supervisors: their units; caseworkers and administrators: denied. Suppression off: a
// coordinator only. kInvalidArgument for a bad period, unit, cut-off or threshold.
Result<IndicatorReport> CountIndicators(const IndicatorStoreContext& ctx, const Actor& actor,
                                        const IndicatorRequest& request);

}  // namespace screening::internal
