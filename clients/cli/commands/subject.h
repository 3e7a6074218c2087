// `screening subject add`: a person in a case (adult subjected to violence, child, person who
// uses violence).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "commands/database_command.h"

namespace screening::cli {

class SubjectAddCommand final : public DatabaseCommand {
 public:
  std::string name() const override { return "subject add"; }
  std::string summary(std::string_view lang) const override;
  int Run(const std::vector<std::string>& args, Io& io) override;
};

}  // namespace screening::cli
