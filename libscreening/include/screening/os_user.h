// Who runs the process, as the operating system knows them.
#pragma once

#include <string>

namespace screening {

// The login name of the process's effective user (getpwuid_r of geteuid), or "" when the
// user has no name in the password database. Thread-safe.
std::string OsLoginName();

}  // namespace screening
