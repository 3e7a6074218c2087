// `screening user add` and `screening user passwd`: accounts.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "commands/database_command.h"

namespace screening::cli {

class UserAddCommand final : public DatabaseCommand {
 public:
  std::string name() const override { return "user add"; }
  std::string summary(std::string_view lang) const override;
  int Run(const std::vector<std::string>& args, Io& io) override;
};

class UserPasswdCommand final : public DatabaseCommand {
 public:
  std::string name() const override { return "user passwd"; }
  std::string summary(std::string_view lang) const override;
  int Run(const std::vector<std::string>& args, Io& io) override;
};

}  // namespace screening::cli
