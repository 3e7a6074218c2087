// `screening instruments pin`: the administrator accepts the installed instrument versions
// in the database (docs/store.md, "Pinned instruments").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "commands/database_command.h"

namespace screening::cli {

class InstrumentsPinCommand final : public DatabaseCommand {
 public:
  std::string name() const override { return "instruments pin"; }
  std::string summary(std::string_view lang) const override;
  int Run(const std::vector<std::string>& args, Io& io) override;
};

}  // namespace screening::cli
