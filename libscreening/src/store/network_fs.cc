#include "store/network_fs.h"

#include <sys/statfs.h>

#include <array>
#include <utility>

namespace screening::internal {
namespace {

// statfs(2) f_type values (linux/magic.h and the filesystems' own headers).
constexpr std::array<std::pair<unsigned long, std::string_view>, 13> kNetworkFilesystems = {{
    {0x6969UL, "NFS"},
    {0x517BUL, "SMB"},
    {0xFF534D42UL, "CIFS"},
    {0xFE534D42UL, "SMB2"},
    {0x65735546UL, "FUSE (sshfs, rclone, s3fs, ...)"},
    {0x01021997UL, "9p (v9fs)"},
    {0x00C36400UL, "CephFS"},
    {0x5346414FUL, "AFS (OpenAFS)"},
    {0x6B414653UL, "AFS (kAFS)"},
    {0x73757245UL, "Coda"},
    {0x564CUL, "NCP (NetWare)"},
    {0x0BD00BD0UL, "Lustre"},
    {0x47504653UL, "GPFS"},
}};

}  // namespace

std::string_view NetworkFilesystemName(unsigned long f_type) {
  for (const auto& [magic, name] : kNetworkFilesystems) {
    if (magic == f_type) return name;
  }
  return {};
}

std::string_view NetworkFilesystemOf(const std::filesystem::path& path) {
  std::error_code ec;
  std::filesystem::path probe = path;
  if (!std::filesystem::exists(path, ec)) {
    probe = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  }
  struct statfs sfs {};
  if (::statfs(probe.c_str(), &sfs) != 0) return {};
  return NetworkFilesystemName(static_cast<unsigned long>(sfs.f_type));
}

}  // namespace screening::internal
