// `screening demo seed`: fills a demo database (`init --demo`) with synthetic, clearly marked
// cases through the library's own calls, spread over the current and the previous year.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "commands/database_command.h"

namespace screening::cli {

class DemoSeedCommand final : public DatabaseCommand {
 public:
  std::string name() const override { return "demo seed"; }
  std::string summary(std::string_view lang) const override;
  int Run(const std::vector<std::string>& args, Io& io) override;
};

}  // namespace screening::cli
