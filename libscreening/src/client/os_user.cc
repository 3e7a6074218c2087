#include <screening/os_user.h>

#include <pwd.h>
#include <unistd.h>

#include <vector>

namespace screening {

std::string OsLoginName() {
  std::vector<char> buffer(16384);
  struct passwd entry {};
  struct passwd* found = nullptr;
  if (getpwuid_r(geteuid(), &entry, buffer.data(), buffer.size(), &found) != 0 ||
      found == nullptr || found->pw_name == nullptr) {
    return {};
  }
  return found->pw_name;
}

}  // namespace screening
