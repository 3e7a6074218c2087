// Where SQLite must not keep a database: network and FUSE filesystems, where its locking
// and syncing are unreliable (two hosts, or a userspace server, between the program and the
// disk), so a database there can lose or corrupt data.
#pragma once

#include <filesystem>
#include <string_view>

namespace screening::internal {

// The name of the network or FUSE filesystem whose statfs magic number is `f_type`
// ("NFS", "SMB", "CIFS", "SMB2", "FUSE (sshfs, ...)", "9p", "CephFS", "AFS", ...), or an
// empty view for a local filesystem.
std::string_view NetworkFilesystemName(unsigned long f_type);

// NetworkFilesystemName of the filesystem holding `path` (or its folder when `path` does
// not exist yet); empty when it is local or cannot be told.
std::string_view NetworkFilesystemOf(const std::filesystem::path& path);

}  // namespace screening::internal
