// `screening draft list`, `screening draft resume ID` and `screening draft reassign ID`:
// unfinished assessments.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "commands/database_command.h"

namespace screening::cli {

class DraftListCommand final : public DatabaseCommand {
 public:
  std::string name() const override { return "draft list"; }
  std::string summary(std::string_view lang) const override;
  int Run(const std::vector<std::string>& args, Io& io) override;
};

class DraftResumeCommand final : public DatabaseCommand {
 public:
  std::string name() const override { return "draft resume"; }
  std::string summary(std::string_view lang) const override;
  int Run(const std::vector<std::string>& args, Io& io) override;
};

// A supervisor hands a draft to another caseworker (docs/store.md, "Drafts").
class DraftReassignCommand final : public DatabaseCommand {
 public:
  std::string name() const override { return "draft reassign"; }
  std::string summary(std::string_view lang) const override;
  int Run(const std::vector<std::string>& args, Io& io) override;
};

}  // namespace screening::cli
