// Fuzz target: an instrument definition in text format, loaded and validated
// (LoadInstrumentText) against the installed vocabulary. A rejected file must come with
// located diagnostics that lie inside the file; an accepted one must hash, build sessions
// and evaluate, and its results must serialise.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include <screening/instrument.h>
#include <screening/json.h>
#include <screening/session.h>

#include "fuzz_support.h"

namespace {

using namespace screening;

void CheckDiagnostics(std::string_view text, const Diagnostics& diagnostics) {
  const int lines = 1 + static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  for (const auto& d : diagnostics) {
    if (d.message.empty()) fuzz::Fail("a diagnostic without a message");
    if (d.line < 0 || d.column < 0) fuzz::Fail("a diagnostic at a negative position");
    if (d.line > lines) fuzz::Fail("a diagnostic after the last line");
    if (d.line > 0 && d.column < 1) fuzz::Fail("a diagnostic on a line without a column");
    (void)d.ToString();
  }
}

// Hashes, sessions answered three ways, evaluation in both languages, serialisation.
void Exercise(const std::shared_ptr<const Instrument>& instrument) {
  if (instrument->logic_sha256().size() != 64) fuzz::Fail("a logic hash that is not SHA-256");
  for (const auto& lang : instrument->definition().languages()) {
    if (instrument->TextSha256(lang).size() != 64) fuzz::Fail("a text hash that is not SHA-256");
  }
  for (int round = 0; round < 3; ++round) {
    Session session = fuzz::SampleSession(instrument, round);
    (void)session.VisibleItems();
    (void)session.GetProgress();
    (void)session.CheckFinishable();
    for (const char* lang : {"sv", "en"}) {
      EvaluateOptions options;
      options.lang = lang;
      auto result = Evaluate(session, options);
      if (!result.ok()) continue;
      (void)ResultToJson(*result, round == 2);
      (void)ResultToText(*result, *instrument, lang);
    }
    (void)AnswersToJson(session.answers());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::AsText(data, size);
  Diagnostics diagnostics;
  auto loaded =
      LoadInstrumentText(text, "fuzz.textproto", fuzz::Instruments().vocabulary(), &diagnostics);
  CheckDiagnostics(text, diagnostics);
  if (!loaded.ok()) {
    if (loaded.status().code() != StatusCode::kInvalidArgument)
      fuzz::Fail("a rejected instrument that is not kInvalidArgument");
    if (diagnostics.empty()) fuzz::Fail("a rejected instrument without a diagnostic");
    return 0;
  }
  Exercise(*loaded);
  return 0;
}
