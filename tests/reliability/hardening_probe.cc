// Loaded into a client with LD_PRELOAD by hardening_test.cc. When the process exits (after
// main has hardened it), writes what it finds to the file named by $SCREENING_PROBE_OUT:
//   dumpable=D core_soft=S core_hard=H umask=U
// Kept free of the project's code and of C++ runtime state: only libc, at exit.
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <cstdio>
#include <cstdlib>

__attribute__((destructor)) static void ScreeningHardeningProbe() {
  const char* out = std::getenv("SCREENING_PROBE_OUT");
  if (out == nullptr || *out == '\0') return;
  struct rlimit core;
  if (getrlimit(RLIMIT_CORE, &core) != 0) return;
  const mode_t mask = umask(0);
  umask(mask);
  std::FILE* f = std::fopen(out, "w");
  if (f == nullptr) return;
  std::fprintf(f, "dumpable=%d core_soft=%llu core_hard=%llu umask=%03o\n",
               prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), static_cast<unsigned long long>(core.rlim_cur),
               static_cast<unsigned long long>(core.rlim_max), static_cast<unsigned>(mask));
  std::fclose(f);
}
