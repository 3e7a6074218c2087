#include "engine/messages.h"

namespace screening::internal {

namespace {

constexpr Messages kSwedish = {
    "Nivån är osäker: okända eller obesvarade frågor kan ändra den. Resultatet får inte läsas "
    "som låg risk.",
    "Nivån höjdes av bedömaren från {0} till {1}.",
    "Nivån ändrades av arbetsledaren från {0} till {1}.",
    "Svar på frågor som inte gäller med övriga svar räknades inte.",
    {"låg", "medel", "hög"},
    "Instrument",
    "version",
    "komplett",
    "ofullständigt",
    "Okända svar",
    "Obesvarade frågor",
    "Poäng",
    "Nivå",
    "inte säker – okända svar kan ändra nivån",
    "Slutlig nivå",
    "ändrad",
    "Bedömningar",
    "Klientens egen bedömning",
    "Flaggor",
    "Rekommenderade steg",
    "frist",
    "Förklaring",
    "Obligatoriska frågor som saknar svar",
    "Bedömningar som saknas",
    "ja",
    "nej",
    "Här finns stöd",
    "dygnet runt",
};

constexpr Messages kEnglish = {
    "The band is uncertain: unknown or unanswered questions could change it. Do not read the "
    "result as low risk.",
    "The level was raised by the assessor from {0} to {1}.",
    "The level was changed by the supervisor from {0} to {1}.",
    "Answers to questions that do not apply given the other answers were not counted.",
    {"low", "medium", "high"},
    "Instrument",
    "version",
    "complete",
    "incomplete",
    "Unknown answers",
    "Unanswered questions",
    "Scores",
    "Band",
    "not certain – unknown answers could change it",
    "Final level",
    "changed",
    "Judgements",
    "Client's own estimate",
    "Flags",
    "Recommended next steps",
    "deadline",
    "Explanation",
    "Required questions without an answer",
    "Missing judgements",
    "yes",
    "no",
    "Where to get support",
    "around the clock",
};

}  // namespace

const Messages& MessagesFor(std::string_view lang) { return lang == "en" ? kEnglish : kSwedish; }

}  // namespace screening::internal
