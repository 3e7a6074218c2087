// `screening indicators`: the action plan's indicator counts for a period, as a terminal
// table, CSV, JSON or a printable HTML page (docs/indicators.md).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "commands/database_command.h"

namespace screening::cli {

class IndicatorsCommand final : public DatabaseCommand {
 public:
  std::string name() const override { return "indicators"; }
  std::string summary(std::string_view lang) const override;
  int Run(const std::vector<std::string>& args, Io& io) override;
};

}  // namespace screening::cli
