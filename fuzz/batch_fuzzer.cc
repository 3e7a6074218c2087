// Fuzz target: a batch of answers documents as `screening score --batch` reads it (one JSON
// document per line; the CLI's own ScoreBatch, clients/cli/commands/score.cc), against
// cli_demo, dash and every_type. Whatever the input, the output must be exactly one JSON
// line per input line: a result, or {"line": N, "error": "..."} with N counting from 1.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "commands/score.h"
#include "fuzz_support.h"

namespace {

using namespace screening;

// Lines as std::getline sees them: a final line without '\n' counts, an empty input has none.
std::size_t CountLines(std::string_view text) {
  std::size_t n = 0;
  for (char c : text) n += c == '\n';
  if (!text.empty() && text.back() != '\n') ++n;
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::AsText(data, size);
  const std::size_t lines = CountLines(text);
  static const auto dash = fuzz::Instruments().Find("dash");
  if (!dash) fuzz::Fail("the dash instrument is not installed");
  for (const auto& instrument : {fuzz::CliDemo(), dash, fuzz::EveryType()}) {
    std::istringstream in{std::string(text)};
    std::ostringstream out;
    const cli::BatchStats stats = cli::ScoreBatch(instrument, in, out, "sv");
    if (stats.lines != lines) fuzz::Fail("a batch that does not count every line");
    std::istringstream results(out.str());
    std::string line;
    std::size_t n = 0, failed = 0;
    while (std::getline(results, line)) {
      ++n;
      nlohmann::json doc;
      try {
        doc = nlohmann::json::parse(line);
      } catch (const nlohmann::json::exception&) {
        fuzz::Fail("a batch output line that is not JSON");
      }
      if (!doc.is_object()) fuzz::Fail("a batch output line that is not an object");
      if (doc.contains("error")) {
        ++failed;
        if (!doc.contains("line") || doc["line"] != n)
          fuzz::Fail("an error line that does not name its input line");
      }
    }
    if (n != lines) fuzz::Fail("not one output line per input line");
    if (failed != stats.failed) fuzz::Fail("a failure count that does not match the output");
  }
  return 0;
}
