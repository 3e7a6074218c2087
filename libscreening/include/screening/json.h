// The JSON forms of CONTRACTS.md: answers in, results out.
#pragma once

#include <string>
#include <string_view>

#include <screening/instrument.h>
#include <screening/session.h>
#include <screening/status.h>
#include <screening/v1/assessment.pb.h>

namespace screening {

// Parses an answers document (CONTRACTS.md, "Answers JSON") for `instrument` and builds a
// validated session. kInvalidArgument names the offending key ("answers.q3: ...") for
// malformed JSON, duplicate keys, unknown keys or item ids, wrong types, out-of-range
// numbers and codes the item does not offer. Messages never quote answer values.
Result<Session> ParseAnswersJson(std::shared_ptr<const Instrument> instrument,
                                 std::string_view json);

// Serialises answers back to the JSON form (round-trips with ParseAnswersJson).
std::string AnswersToJson(const v1::Answers& answers);

// Serialises a result (CONTRACTS.md, "Result JSON"), on one line unless `pretty`.
std::string ResultToJson(const v1::Result& result, bool pretty = false);

class Directory;

// A recommendation's deadline for people, in `lang` (English for "en", else Swedish): "samma dag",
// "inom 14 dagar", "samma dag, senast nästa dag", "within 4 months", "at the next contact";
// "" when it has none. The one wording of every client.
std::string DeadlineLabel(const v1::Deadline& deadline, std::string_view lang);

// A human-readable rendering of a result for the terminal, in `lang`, with texts (band,
// flags, recommendations, explanation) looked up in the instrument, and the support
// resources (name, phone, opening hours) looked up in `directory` when given.
std::string ResultToText(const v1::Result& result, const Instrument& instrument,
                         std::string_view lang, const Directory* directory = nullptr);

}  // namespace screening
