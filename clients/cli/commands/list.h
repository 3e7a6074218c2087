// `screening list`: the assessments the acting user may see, without answers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "commands/command.h"

namespace screening::cli {

class ListCommand final : public Command {
 public:
  std::string name() const override { return "list"; }
  std::string summary(std::string_view lang) const override;
  int Run(const std::vector<std::string>& args, Io& io) override;
};

}  // namespace screening::cli
