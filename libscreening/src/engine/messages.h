// The engine's own sentences, in each language it speaks. Instrument texts come from the
// instrument; these are the few the engine adds (uncertainty, overrides, headings).
#pragma once

#include <string_view>

namespace screening::internal {

struct Messages {
  const char* band_uncertain;
  const char* override_by_assessor;    // {0} from, {1} to
  const char* override_by_supervisor;  // {0} from, {1} to
  const char* ignored_answers;
  const char* levels[3];
  // Headings and labels of the text rendering.
  const char* instrument;
  const char* version;
  const char* complete;
  const char* incomplete;
  const char* unknown_count;
  const char* unanswered_count;
  const char* scores;
  const char* band;
  const char* band_not_certain;
  const char* final_level;
  const char* overridden;
  const char* judgements;
  const char* client_estimate;
  const char* flags;
  const char* recommendations;
  const char* deadline;
  const char* explanation;
  const char* missing_required;
  const char* missing_judgements;
  const char* yes;
  const char* no;
  const char* resources;
  const char* around_the_clock;
};

// Swedish for "sv" and anything unknown, English for "en".
const Messages& MessagesFor(std::string_view lang);

}  // namespace screening::internal
