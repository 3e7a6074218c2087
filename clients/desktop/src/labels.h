// Qt-free presentation helpers: how codes, deadlines and failures are named for people, and
// how the routine question's answers are handed to the store as a contact. Nothing here
// decides anything: the instrument definition and the library's results are rendered.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <screening/instrument.h>
#include <screening/labels.h>
#include <screening/session.h>
#include <screening/status.h>
#include <screening/store.h>

namespace screening::desktop {

// `sv` or `en` by `lang`.
std::string T(std::string_view lang, const char* sv, const char* en);

// The library's label of a code an item accepts (screening::CodeLabel), with a capital
// first letter as a window shows it ("Ja", "Vet ej / vill inte svara"). The codes an item
// accepts are screening::AcceptedCodes. Takes std::string (what the widgets hold) so that it
// is the better match over screening::CodeLabel, which argument-dependent lookup also finds.
std::string CodeLabel(const Instrument& instrument, const v1::Item& item, const std::string& code,
                      const std::string& lang);
// The name of a level (low/medium/high) of the instrument's final judgement: its own
// level_text when it has one (skydd: "Starkt skydd"), else the vocabulary's label
// (Instrument::LevelLabel). The client's own estimate of danger is named by the vocabulary
// ("levels"), not by this.
std::string LevelLabel(const Instrument& instrument, std::string_view level, std::string_view lang);
// The library's label of an assessment status (screening::StatusLabel) with a capital first
// letter: "Utkast", "Inskickad", "Återsänd", "Godkänd", "Borttaget utkast".
std::string StatusTitle(AssessmentStatus status, std::string_view lang);
// The label of a due item's kind: the recommendation's text in `instrument` when found,
// else the id.
std::string RecommendationLabel(const Instrument* instrument, std::string_view id,
                                std::string_view lang);

// One line for a failed library call: `what` (already in `lang`), the kind of failure in
// `lang`, and the library's message (which names no personal data): screening::DescribeFailure.
std::string Describe(std::string_view what, const Status& status, std::string_view lang);
// What a new assessment in a case that is not open says: the store answers a case without an
// intake (a new contact) and a case the user may not see alike, and so does this.
std::string NoIntakeText(std::string_view lang);
// What saving a new contact says when the store refuses it after accepting the contact: the
// case is one the user may not see (nothing was saved).
std::string ContactRefusedText(std::string_view lang);
// The message shown next to an item whose answer the session refused.
std::string ItemMessage(const v1::Item& item, const Status& status, std::string_view lang);

}  // namespace screening::desktop
