// Fuzz target: an answers document (CONTRACTS.md, "Answers JSON"), parsed with
// ParseAnswersJson against every fixture instrument. A rejected document must give
// kInvalidArgument with a message that is valid UTF-8 (it is written into JSON by
// `score --batch`); an accepted one must evaluate, serialise, and round-trip: its
// answers written back with AnswersToJson must parse to the same answers.
#include <cstddef>
#include <cstdint>
#include <string>

#include <google/protobuf/util/message_differencer.h>
#include <nlohmann/json.hpp>

#include <screening/instrument.h>
#include <screening/json.h>
#include <screening/session.h>

#include "fuzz_support.h"

namespace {

using namespace screening;

void CheckError(const Status& status) {
  if (status.code() != StatusCode::kInvalidArgument)
    fuzz::Fail("a rejected answers document that is not kInvalidArgument");
  if (status.message().empty()) fuzz::Fail("a rejection without a message");
  try {
    (void)nlohmann::json(status.message()).dump();
  } catch (const nlohmann::json::exception&) {
    fuzz::Fail("an error message that is not valid UTF-8");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view json = fuzz::AsText(data, size);
  for (const auto& instrument : fuzz::AllInstruments()) {
    auto session = ParseAnswersJson(instrument, json);
    if (!session.ok()) {
      CheckError(session.status());
      continue;
    }
    const std::string again = AnswersToJson(session->answers());
    auto reparsed = ParseAnswersJson(instrument, again);
    if (!reparsed.ok()) fuzz::Fail("accepted answers written back do not parse");
    if (!google::protobuf::util::MessageDifferencer::Equals(session->answers(),
                                                            reparsed->answers()))
      fuzz::Fail("accepted answers change when written back and parsed again");
    (void)session->VisibleItems();
    (void)session->GetProgress();
    (void)session->CheckFinishable();
    for (const char* lang : {"sv", "en"}) {
      EvaluateOptions options;
      options.lang = lang;
      auto result = Evaluate(*session, options);
      if (!result.ok()) {
        if (result.status().code() != StatusCode::kFailedPrecondition)
          fuzz::Fail("an evaluation failure that is not kFailedPrecondition");
        continue;
      }
      (void)ResultToJson(*result);
      (void)ResultToText(*result, *instrument, lang);
    }
  }
  return 0;
}
