// `screening grant`: a supervisor gives a user access to a case with protected personal
// details.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "commands/database_command.h"

namespace screening::cli {

class GrantCommand final : public DatabaseCommand {
 public:
  std::string name() const override { return "grant"; }
  std::string summary(std::string_view lang) const override;
  int Run(const std::vector<std::string>& args, Io& io) override;
};

}  // namespace screening::cli
