#include <screening/process.h>

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>
#include <system_error>

#include <fmt/format.h>

namespace screening {

void HardenProcess() {
  struct rlimit no_core = {0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  umask(077);
}

namespace {

Status IoFailure(std::string_view what, const std::filesystem::path& path, int err) {
  return Status::IoError(
      fmt::format("cannot {} {}: {}", what, path.string(), std::generic_category().message(err)));
}

bool WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

Status WriteUserFile(const std::filesystem::path& path, std::string_view bytes,
                     ExistingFile existing) {
  if (path.empty() || path.filename().empty()) {
    return Status::InvalidArgument("no file named to write");
  }
  // The file being written: `path` itself (kRefuse) or the temporary beside it (kReplace).
  std::string written;
  int fd = -1;
  if (existing == ExistingFile::kRefuse) {
    written = path.string();
    fd = ::open(written.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC,
                S_IRUSR | S_IWUSR);
    if (fd < 0) {
      const int err = errno;
      if (err == EEXIST) {
        return Status::AlreadyExists(fmt::format("{} exists already", path.string()));
      }
      return IoFailure("create", path, err);
    }
  } else {
    const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : ".";
    written = (dir / fmt::format(".{}.tmp-XXXXXX", path.filename().string())).string();
    // mkostemp opens with O_CREAT | O_EXCL (0600) under a random name; O_NOFOLLOW on top.
    fd = ::mkostemp(written.data(), O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return IoFailure("create a temporary file for", path, errno);
  }
  auto discard = [&](int err) {
    ::close(fd);
    ::unlink(written.c_str());
    return IoFailure("write", path, err);
  };
  if (::fchmod(fd, S_IRUSR | S_IWUSR) != 0) return discard(errno);
  if (!WriteAll(fd, bytes)) return discard(errno == 0 ? EIO : errno);
  if (::fsync(fd) != 0) return discard(errno);
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(written.c_str());
    return IoFailure("write", path, err);
  }
  if (existing == ExistingFile::kReplace && ::rename(written.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(written.c_str());
    return IoFailure("create", path, err);
  }
  return Status::Ok();
}

}  // namespace screening
