// The network-filesystem guard (store/network_fs.h): the statfs magic numbers of network and
// FUSE filesystems are known by name, local ones are not, and a local folder passes.
#include "store/network_fs.h"

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

namespace screening::internal {
namespace {

TEST_CASE("Network and FUSE filesystems are known by their statfs magic", "[store][fs]") {
  const std::vector<std::pair<unsigned long, std::string>> network = {
      {0x6969UL, "NFS"},      {0x517BUL, "SMB"},        {0xFF534D42UL, "CIFS"},
      {0xFE534D42UL, "SMB2"}, {0x65735546UL, "FUSE"},  // sshfs is FUSE
      {0x01021997UL, "9p"},   {0x00C36400UL, "CephFS"}, {0x5346414FUL, "AFS"},
      {0x6B414653UL, "AFS"},
  };
  for (const auto& [magic, name] : network) {
    INFO(std::hex << magic);
    CHECK(NetworkFilesystemName(magic).find(name) != std::string_view::npos);
  }
  // ext4, xfs, btrfs, tmpfs, overlayfs: local.
  for (unsigned long local : {0xEF53UL, 0x58465342UL, 0x9123683EUL, 0x01021994UL, 0x794C7630UL}) {
    INFO(std::hex << local);
    CHECK(NetworkFilesystemName(local).empty());
  }
}

TEST_CASE("A local temporary folder is not a network filesystem", "[store][fs]") {
  const std::filesystem::path tmp = std::filesystem::temp_directory_path();
  CHECK(NetworkFilesystemOf(tmp).empty());
  // A file that does not exist yet is judged by its folder.
  CHECK(NetworkFilesystemOf(tmp / "not-there-yet.db").empty());
}

}  // namespace
}  // namespace screening::internal
