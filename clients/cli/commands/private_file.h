// Writing a file a command produces for the user (a card, an export) without ever harming
// another file.
#pragma once

#include <string>
#include <string_view>

#include <screening/status.h>

namespace screening::cli {

// Writes `text` to a new file at `path` readable only by its owner (0600), opened with
// O_EXCL|O_NOFOLLOW: it never replaces an existing file and never writes through a link
// planted at `path`. The data is synced before the call returns. kAlreadyExists when the
// path exists (a link included); kIoError when it cannot be created or written (a partly
// written file is removed). Messages name the path, in `lang`.
Status WriteNewPrivateFile(const std::string& path, const std::string& text, std::string_view lang);

}  // namespace screening::cli
