// `screening resources`: the support resources of the directory, for a person in a role.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "commands/command.h"

namespace screening::cli {

class ResourcesCommand final : public Command {
 public:
  std::string name() const override { return "resources"; }
  std::string summary(std::string_view lang) const override;
  int Run(const std::vector<std::string>& args, Io& io) override;
};

}  // namespace screening::cli
