// `screening review list|approve|return|level`: the supervisor's review of submitted
// assessments.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "commands/database_command.h"

namespace screening::cli {

// The submitted assessments waiting for review in the actor's units.
class ReviewListCommand final : public DatabaseCommand {
 public:
  std::string name() const override { return "review list"; }
  std::string summary(std::string_view lang) const override;
  int Run(const std::vector<std::string>& args, Io& io) override;
};

// Approves a submitted assessment (it cannot change afterwards).
class ReviewApproveCommand final : public DatabaseCommand {
 public:
  std::string name() const override { return "review approve"; }
  std::string summary(std::string_view lang) const override;
  int Run(const std::vector<std::string>& args, Io& io) override;
};

// Returns a submitted assessment to its author with a comment.
class ReviewReturnCommand final : public DatabaseCommand {
 public:
  std::string name() const override { return "review return"; }
  std::string summary(std::string_view lang) const override;
  int Run(const std::vector<std::string>& args, Io& io) override;
};

// Changes the final level of a submitted assessment before approval, with a reason.
class ReviewLevelCommand final : public DatabaseCommand {
 public:
  std::string name() const override { return "review level"; }
  std::string summary(std::string_view lang) const override;
  int Run(const std::vector<std::string>& args, Io& io) override;
};

}  // namespace screening::cli
