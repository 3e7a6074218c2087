// `screening resources check`: what the support directory still lacks before use.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "commands/command.h"

namespace screening::cli {

class ResourcesCheckCommand final : public Command {
 public:
  std::string name() const override { return "resources check"; }
  std::string summary(std::string_view lang) const override;
  int Run(const std::vector<std::string>& args, Io& io) override;
};

}  // namespace screening::cli
