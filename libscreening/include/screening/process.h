// What every client does first: keep answers and notes that pass through the process's
// memory out of core files and away from other users' debuggers, and keep the files it
// creates private to the user.
#pragma once

namespace screening {

// No core files (RLIMIT_CORE 0), not dumpable (no ptrace by other processes of the same
// user, no /proc/PID/mem), umask 077. Call at the start of main, before any secret is read.
void HardenProcess();

}  // namespace screening
