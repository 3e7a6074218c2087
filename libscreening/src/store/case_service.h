// The case service: the one implementation of the public Store interface, holding every
// rule (access, validation, the review state machine, deadlines, redaction, the content of
// every audit event) over a backend that keeps rows (store/backend.h). docs/architecture.md.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <screening/registry.h>
#include <screening/store.h>

#include "store/audit_chain.h"
#include "store/backend.h"
#include "store/passwords.h"

namespace screening::internal {

// What a new database starts with.
struct NewDatabase {
  std::string admin_name;
  std::string admin_password_hash;  // HashPassword
  bool trust_os_login = false;
};

// The store over `rows`. With `init`, the database is new and gets its settings, its first
// administrator and its accepted instruments; without, a database that is opened (and, unless
// read-only, made before instruments were pinned) accepts the installed ones.
Result<std::unique_ptr<Store>> MakeCaseService(std::unique_ptr<Backend> rows,
                                               std::shared_ptr<const Registry> registry,
                                               StoreOptions options, AuditKey key,
                                               const NewDatabase* init);

// An account name: lower-case letters, digits, '.', '_' or '-', at most 64.
bool ValidUserName(std::string_view name);
// StoreOptions::password_cost as a hashing cost.
PasswordCost CostOf(int password_cost);
// The system clock's now, in Unix seconds.
std::int64_t SystemNowUnix();

}  // namespace screening::internal
