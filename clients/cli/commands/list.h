// `screening list`: the assessments the acting user may see, without answers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "commands/database_command.h"

namespace screening::cli {

class ListCommand final : public DatabaseCommand {
 public:
  std::string name() const override { return "list"; }
  std::string summary(std::string_view lang) const override;
  int Run(const std::vector<std::string>& args, Io& io) override;
};

}  // namespace screening::cli
