// How the codes of the library are named for people, in Swedish ("sv", the default) or
// English ("en"): the codes an item accepts and their labels, assessment statuses, levels,
// and the words for a failed call. One wording for every client: the CLI writes these
// labels as they are, in running text and table cells; a window shows them with a capital
// first letter (Capitalized). Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <screening/instrument.h>
#include <screening/roles.h>
#include <screening/status.h>

namespace screening {

// The codes an item accepts, in order: ItemInfo::codes without `unknown`/`insufficient`
// when the definition says `no_unknown`.
std::vector<std::string> AcceptedCodes(const ItemInfo& info);

// The label of a code an item accepts: the option's text, the vocabulary's label, or the
// standard meaning of yes/no ("ja"), SPJ ("J, föreligger") and protective ("0, saknas")
// codes; the code itself when none is known.
std::string CodeLabel(const Instrument& instrument, const v1::Item& item, std::string_view code,
                      std::string_view lang);

// "ja"/"nej" ("yes"/"no") for a bool.
std::string YesNoLabel(bool value, std::string_view lang);

// The label of an assessment status ("utkast", "inskickad", "återsänd", "godkänd",
// "borttaget utkast").
std::string StatusLabel(AssessmentStatus status, std::string_view lang);

// The name of a level an assessment records (its band, final level or a review's level
// change): the band's text for a band id of `instrument`, else Instrument::LevelLabel (skydd:
// "Starkt skydd" for `high`); "" for "".
std::string ResultLevelLabel(const Instrument& instrument, std::string_view level,
                             std::string_view lang);

// What kind of failure `code` is, in words: "nekad", "finns inte eller är inte synlig för
// dig", "databasen är upptagen, försök igen", ...; "fel" ("error") for a kind without words
// of its own.
std::string FailureKindLabel(StatusCode code, std::string_view lang);

// How much of a failure DescribeFailure names.
enum class FailureWords {
  // The kind of every failure and the library's message: "what: kind (message)".
  kKindAndMessage,
  // The kind only of a denial or a busy database, else the library's message alone:
  // "what: nekad (message)", "what: message". For readers of a terminal, who see the rest in
  // the message.
  kMessageUnlessDeniedOrBusy,
};
// One line for a failed library call: `what` (already in `lang`), then the failure as
// `words` says. The library's message is English and names no personal data.
std::string DescribeFailure(std::string_view what, const Status& status, std::string_view lang,
                            FailureWords words = FailureWords::kKindAndMessage);

// `text` with its first letter upper case (ASCII and the Latin-1 letters: "återsänd" ->
// "Återsänd"); other text unchanged.
std::string Capitalized(std::string_view text);

}  // namespace screening
