// `screening done ITEM`: marks a follow-up item done.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "commands/database_command.h"

namespace screening::cli {

class DoneCommand final : public DatabaseCommand {
 public:
  std::string name() const override { return "done"; }
  std::string summary(std::string_view lang) const override;
  int Run(const std::vector<std::string>& args, Io& io) override;
};

}  // namespace screening::cli
