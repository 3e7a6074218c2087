// `screening audit verify` and `screening audit log`: the tamper-evident audit log.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <screening/store.h>

#include "commands/database_command.h"

namespace screening::cli {

class AuditVerifyCommand final : public DatabaseCommand {
 public:
  std::string name() const override { return "audit verify"; }
  std::string summary(std::string_view lang) const override;
  int Run(const std::vector<std::string>& args, Io& io) override;
};

class AuditLogCommand final : public DatabaseCommand {
 public:
  std::string name() const override { return "audit log"; }
  std::string summary(std::string_view lang) const override;
  int Run(const std::vector<std::string>& args, Io& io) override;
};

// A verification as pretty-printed JSON (ok, events, head_seq, head_mac, first_bad_seq and
// problem, the last two null when ok), shared with `check`.
std::string VerificationJson(const AuditVerification& verification);
// A verification as text: "ok: ..." or "BROKEN: ..." and the chain head, on io.out.
void WriteVerification(Io& io, const AuditVerification& verification);

}  // namespace screening::cli
