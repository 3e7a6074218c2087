#include <screening/process.h>

#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

namespace screening {

void HardenProcess() {
  struct rlimit no_core = {0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  umask(077);
}

}  // namespace screening
