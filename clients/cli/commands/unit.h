// `screening unit add`: units of the municipality that use the database.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "commands/database_command.h"

namespace screening::cli {

class UnitAddCommand final : public DatabaseCommand {
 public:
  std::string name() const override { return "unit add"; }
  std::string summary(std::string_view lang) const override;
  int Run(const std::vector<std::string>& args, Io& io) override;
};

}  // namespace screening::cli
