// AddUserReady: an account set up with a password its user already knows (docs/store.md,
// "Accounts"), through the same public operations a person's first login makes.
#include <sodium.h>

#include <screening/store.h>

namespace screening {

Status AddUserReady(Store& store, const Actor& admin, std::string_view name, Role role,
                    const std::vector<std::string>& units, std::string_view password,
                    const Actor* confirmer) {
  if (sodium_init() < 0) return Status::Internal("libsodium could not be initialised");
  // A one-time password nobody sees: 24 random bytes as hex.
  unsigned char bytes[24];
  randombytes_buf(bytes, sizeof bytes);
  char hex[sizeof bytes * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  const std::string one_time(hex);
  sodium_memzero(bytes, sizeof bytes);
  if (Status st = store.AddUser(admin, name, role, units, one_time); !st.ok()) return st;
  if (confirmer != nullptr) {
    // Nothing to confirm (kFailedPrecondition) when the role needed no second person.
    Status st = store.ConfirmUser(*confirmer, name);
    if (!st.ok() && st.code() != StatusCode::kFailedPrecondition) return st;
  }
  auto first = store.Login(name, one_time);
  if (!first.ok()) return first.status();
  return store.SetPassword(*first, name, one_time, password);
}

}  // namespace screening
