// `screening amend`: a correction of an approved assessment, as a new linked version.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "commands/database_command.h"

namespace screening::cli {

class AmendCommand final : public DatabaseCommand {
 public:
  std::string name() const override { return "amend"; }
  std::string summary(std::string_view lang) const override;
  int Run(const std::vector<std::string>& args, Io& io) override;
};

}  // namespace screening::cli
