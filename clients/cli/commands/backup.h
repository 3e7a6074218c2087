// `screening backup` and `screening restore`: encrypted backups.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "commands/database_command.h"

namespace screening::cli {

class BackupCommand final : public DatabaseCommand {
 public:
  std::string name() const override { return "backup"; }
  std::string summary(std::string_view lang) const override;
  int Run(const std::vector<std::string>& args, Io& io) override;
};

class RestoreCommand final : public Command {
 public:
  std::string name() const override { return "restore"; }
  std::string summary(std::string_view lang) const override;
  int Run(const std::vector<std::string>& args, Io& io) override;
};

}  // namespace screening::cli
