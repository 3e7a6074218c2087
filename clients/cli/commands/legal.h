// `screening legal`: the legal references, cited as the law stood on a record's date.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "commands/command.h"

namespace screening::cli {

class LegalCommand final : public Command {
 public:
  std::string name() const override { return "legal"; }
  std::string summary(std::string_view lang) const override;
  int Run(const std::vector<std::string>& args, Io& io) override;
};

}  // namespace screening::cli
