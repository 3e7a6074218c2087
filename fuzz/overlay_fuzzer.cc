// Fuzz target: a text overlay (screening.v1.TextOverlay in text format), read through the
// public LoadOverlayFile (from an in-memory file) and applied with Instrument::WithOverlay
// to the fixture instrument it names (every_type when it names none). A rejected overlay
// must give kInvalidArgument with diagnostics; an accepted one must leave the logic and
// its hash untouched, record its name, and render results in its language.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include <screening/instrument.h>
#include <screening/json.h>
#include <screening/session.h>

#include "fuzz_support.h"

namespace {

using namespace screening;

// The input as a file that LoadOverlayFile can open by name, without touching the disk.
class MemoryFile {
 public:
  explicit MemoryFile(std::string_view text) : fd_(memfd_create("overlay", MFD_CLOEXEC)) {
    if (fd_ < 0) fuzz::Fail("memfd_create failed");
    for (std::size_t done = 0; done < text.size();) {
      const ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
      if (n <= 0) fuzz::Fail("writing the in-memory file failed");
      done += static_cast<std::size_t>(n);
    }
  }
  ~MemoryFile() { ::close(fd_); }
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;
  std::string path() const { return "/proc/self/fd/" + std::to_string(fd_); }

 private:
  int fd_;
};

std::shared_ptr<const Instrument> Target(const std::string& id) {
  for (const auto& instrument : fuzz::AllInstruments()) {
    if (instrument->id() == id) return instrument;
  }
  return fuzz::EveryType();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Diagnostics diagnostics;
  Result<v1::TextOverlay> overlay = [&] {
    MemoryFile file(fuzz::AsText(data, size));
    return LoadOverlayFile(file.path(), &diagnostics);
  }();
  if (!overlay.ok()) {
    if (diagnostics.empty()) fuzz::Fail("a rejected overlay without a diagnostic");
    return 0;
  }
  if (!diagnostics.empty()) fuzz::Fail("an accepted overlay with diagnostics");

  const auto instrument = Target(overlay->instrument_id());
  auto applied = instrument->WithOverlay(*overlay, "fuzz.textproto", &diagnostics);
  if (!applied.ok()) {
    if (applied.status().code() != StatusCode::kInvalidArgument)
      fuzz::Fail("a rejected overlay that is not kInvalidArgument");
    if (diagnostics.empty()) fuzz::Fail("a rejected overlay without a diagnostic");
    return 0;
  }
  const Instrument& with = **applied;
  if (with.logic_sha256() != instrument->logic_sha256())
    fuzz::Fail("an overlay changed the logic hash");
  if (with.items().size() != instrument->items().size()) fuzz::Fail("an overlay changed the items");
  if (with.TextSetName(overlay->lang()) != overlay->name())
    fuzz::Fail("an applied overlay whose name is not recorded");
  for (const auto& lang : with.definition().languages()) {
    if (with.TextSha256(lang).size() != 64) fuzz::Fail("a text hash that is not SHA-256");
  }
  Session session = fuzz::SampleSession(*applied, 2);
  EvaluateOptions options;
  options.lang = overlay->lang();
  auto result = Evaluate(session, options);
  if (result.ok()) (void)ResultToText(*result, with, overlay->lang());
  return 0;
}
