// The case-reference rule: a case is named by the main case system's reference
// (ärendenummer), never by a Swedish personal identity number (personnummer) or a
// coordination number (samordningsnummer), however it is written.
//
// A reference is normalised first, by a small table of the code points that matter (there is
// no ICU): every decimal digit NFKC folds to 0-9 (full-width, super- and subscript,
// mathematical, circled) and the decimal digits of the Arabic and Devanagari scripts count
// as digits; spaces of every width (no-break and thin spaces included), every Unicode dash
// and minus sign, ASCII and full-width punctuation, quotation marks, zero-width characters
// and combining marks are separators; anything else (letters, symbols, bytes that are not
// UTF-8) ends a run of digits. Digits separated only by separators form one run, split into
// groups where separators stand. Then any 10 or 12 digits made of whole consecutive groups
// of a run (the run itself, or part of it such as "850101-1234" in "1-850101-1234") that
// begin with a date of birth are refused: YYMMDD (10 digits) or YYYYMMDD (12 digits, a year
// from 1800 to 2099) with a real month and day, the day plus 60 of a coordination number
// included. The check digit is not looked at: a mistyped number is still personal data.
#pragma once

#include <string_view>

#include <screening/status.h>

namespace screening::internal {

// kInvalidArgument "case reference: ..." when `ref` is empty, longer than 64 bytes, holds
// control characters or reads as a personal identity or coordination number (see above);
// Ok otherwise. The message never quotes the reference.
Status CheckCaseReference(std::string_view ref);

// Whether `ref` holds a personal identity or coordination number by the rule above.
bool HoldsPersonalIdentityNumber(std::string_view ref);

}  // namespace screening::internal
