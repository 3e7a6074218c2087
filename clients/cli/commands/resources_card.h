// `screening resources card`: a discreet card with support numbers to take along, and the
// question to ask first.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "commands/command.h"

namespace screening::cli {

class ResourcesCardCommand final : public Command {
 public:
  std::string name() const override { return "resources card"; }
  std::string summary(std::string_view lang) const override;
  int Run(const std::vector<std::string>& args, Io& io) override;
};

}  // namespace screening::cli
