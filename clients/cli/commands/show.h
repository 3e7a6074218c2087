// `screening show ID`: one assessment with its answers, result, explanation, versions and
// reviews.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "commands/database_command.h"

namespace screening::cli {

class ShowCommand final : public DatabaseCommand {
 public:
  std::string name() const override { return "show"; }
  std::string summary(std::string_view lang) const override;
  int Run(const std::vector<std::string>& args, Io& io) override;
};

}  // namespace screening::cli
