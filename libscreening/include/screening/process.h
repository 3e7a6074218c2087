// What every client does first: keep answers and notes that pass through the process's
// memory out of core files and away from other users' debuggers, and keep the files it
// creates private to the user.
#pragma once

#include <filesystem>
#include <string_view>

#include <screening/status.h>

namespace screening {

// No core files (RLIMIT_CORE 0), not dumpable (no ptrace by other processes of the same
// user, no /proc/PID/mem), umask 077. Call at the start of main, before any secret is read.
void HardenProcess();

// What WriteUserFile does when something exists at the path.
enum class ExistingFile {
  kRefuse,   // kAlreadyExists; nothing is written
  kReplace,  // the new file takes the name (a rename): a reader sees the old or the new one
};

// Writes `bytes` to `path`, a file the user asked for (an export, a report, a PDF), never
// through a symbolic link planted at the path or at a temporary name, and never into a file
// that someone else created. With kRefuse the file is created with O_CREAT | O_EXCL |
// O_NOFOLLOW (a link at `path` counts as existing). With kReplace the bytes go to a new file
// of an unpredictable name in the same folder (".NAME.tmp-XXXXXX", O_EXCL | O_NOFOLLOW),
// are synced, and the file is then renamed to `path`: a link there is replaced, not
// followed. The file is 0600. kAlreadyExists (kRefuse only), kIoError naming the path and
// the system's reason; on any error nothing is left behind.
Status WriteUserFile(const std::filesystem::path& path, std::string_view bytes,
                     ExistingFile existing);

}  // namespace screening
