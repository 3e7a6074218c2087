// `screening info-given`: records that support information was given to a person in a case.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "commands/database_command.h"

namespace screening::cli {

class InfoGivenCommand final : public DatabaseCommand {
 public:
  std::string name() const override { return "info-given"; }
  std::string summary(std::string_view lang) const override;
  int Run(const std::vector<std::string>& args, Io& io) override;
};

}  // namespace screening::cli
