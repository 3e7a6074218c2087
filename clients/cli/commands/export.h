// `screening export`: what other agencies or a successor system may read.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "commands/database_command.h"

namespace screening::cli {

class ExportCommand final : public DatabaseCommand {
 public:
  std::string name() const override { return "export"; }
  std::string summary(std::string_view lang) const override;
  int Run(const std::vector<std::string>& args, Io& io) override;
};

}  // namespace screening::cli
