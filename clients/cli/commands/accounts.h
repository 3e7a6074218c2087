// The account life cycle (administrator): `user list`, `user deactivate`, `user reactivate`,
// `user role`, `user unit`, `user confirm`; and `revoke`, which ends a grant to a protected case
// (supervisor). Every rule is the store's (docs/store.md, "Accounts"); these commands only ask and
// report.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "commands/database_command.h"

namespace screening {
struct UserRecord;
}  // namespace screening

namespace screening::cli {

struct DbSession;
struct Io;

// What on the account waits for a second person, as a phrase ("" when nothing does).
std::string Waiting(const Io& io, const UserRecord& u);
// Says on io.out what on `user`'s account waits for a second person's confirmation, if
// anything (docs/store.md, "Separation of duties"); nothing for a non-administrator.
void SayWhatWaits(Io& io, DbSession& db, const std::string& user);

class UserListCommand final : public DatabaseCommand {
 public:
  std::string name() const override { return "user list"; }
  std::string summary(std::string_view lang) const override;
  int Run(const std::vector<std::string>& args, Io& io) override;
};

// `user deactivate NAME` and `user reactivate NAME`.
class UserActiveCommand final : public DatabaseCommand {
 public:
  explicit UserActiveCommand(bool active) : active_(active) {}
  std::string name() const override { return active_ ? "user reactivate" : "user deactivate"; }
  std::string summary(std::string_view lang) const override;
  int Run(const std::vector<std::string>& args, Io& io) override;

 private:
  bool active_;
};

class UserRoleCommand final : public DatabaseCommand {
 public:
  std::string name() const override { return "user role"; }
  std::string summary(std::string_view lang) const override;
  int Run(const std::vector<std::string>& args, Io& io) override;
};

class UserUnitCommand final : public DatabaseCommand {
 public:
  std::string name() const override { return "user unit"; }
  std::string summary(std::string_view lang) const override;
  int Run(const std::vector<std::string>& args, Io& io) override;
};

// `user confirm NAME`: the second person's confirmation (docs/store.md, "Separation of duties").
class UserConfirmCommand final : public DatabaseCommand {
 public:
  std::string name() const override { return "user confirm"; }
  std::string summary(std::string_view lang) const override;
  int Run(const std::vector<std::string>& args, Io& io) override;
};

class RevokeCommand final : public DatabaseCommand {
 public:
  std::string name() const override { return "revoke"; }
  std::string summary(std::string_view lang) const override;
  int Run(const std::vector<std::string>& args, Io& io) override;
};

}  // namespace screening::cli
