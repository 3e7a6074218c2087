#include "commands/private_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "commands/cli_support.h"

namespace screening::cli {

Status WriteNewPrivateFile(const std::string& path, const std::string& text,
                           std::string_view lang) {
  const int fd =
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600);
  if (fd < 0) {
    if (errno == EEXIST) {
      return Status::AlreadyExists(
          std::string(Tr(lang, "filen finns redan: ", "the file exists: ")) + path);
    }
    return Status::IoError(std::string(Tr(lang, "kan inte skapa ", "cannot create ")) + path +
                           ": " + std::strerror(errno));
  }
  size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = errno;
      ::close(fd);
      ::unlink(path.c_str());
      return Status::IoError(std::string(Tr(lang, "skrivfel i ", "write error in ")) + path + ": " +
                             std::strerror(error));
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(path.c_str());
    return Status::IoError(std::string(Tr(lang, "skrivfel i ", "write error in ")) + path);
  }
  return Status::Ok();
}

}  // namespace screening::cli
