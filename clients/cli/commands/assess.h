// `screening assess`: an assessment with an instrument, asked on the terminal or read from
// an answers file, saved as a draft and optionally submitted for review.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "commands/database_command.h"

namespace screening::cli {

class AssessCommand final : public DatabaseCommand {
 public:
  std::string name() const override { return "assess"; }
  std::string summary(std::string_view lang) const override;
  int Run(const std::vector<std::string>& args, Io& io) override;
};

}  // namespace screening::cli
