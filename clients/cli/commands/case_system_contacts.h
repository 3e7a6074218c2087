// `screening case-system-contacts set|import|list`: the number of new contacts each unit's
// own case system counted per month, the denominator of the share asked in the indicators
// (definitions version 2, docs/indicators.md).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "commands/database_command.h"

namespace screening::cli {

class CaseSystemContactsSetCommand final : public DatabaseCommand {
 public:
  std::string name() const override { return "case-system-contacts set"; }
  std::string summary(std::string_view lang) const override;
  int Run(const std::vector<std::string>& args, Io& io) override;
};

class CaseSystemContactsImportCommand final : public DatabaseCommand {
 public:
  std::string name() const override { return "case-system-contacts import"; }
  std::string summary(std::string_view lang) const override;
  int Run(const std::vector<std::string>& args, Io& io) override;
};

class CaseSystemContactsListCommand final : public DatabaseCommand {
 public:
  std::string name() const override { return "case-system-contacts list"; }
  std::string summary(std::string_view lang) const override;
  int Run(const std::vector<std::string>& args, Io& io) override;
};

}  // namespace screening::cli
