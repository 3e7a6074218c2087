// The case-reference rule (store/case_ref.h): a normaliser for the few code points that
// matter, and the date-of-birth reading of runs of digits.
#include "store/case_ref.h"

#include <screening/store.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace screening::internal {
namespace {

// A range of code points that are decimal digits; the first one has the value `first_value`
// and the values go on cyclically (the mathematical digits are five sets of 0-9 in a row).
struct DigitRange {
  char32_t first;
  char32_t last;
  int first_value;
};

// The decimal digits NFKC folds to 0-9, and those of the scripts a reference could come
// from by a keyboard layout or a copy (Arabic-Indic, Extended Arabic-Indic, Devanagari).
constexpr std::array<DigitRange, 14> kDigits = {{
    {0x0030, 0x0039, 0},    // 0-9
    {0x00B2, 0x00B3, 2},    // superscript two, three
    {0x00B9, 0x00B9, 1},    // superscript one
    {0x0660, 0x0669, 0},    // Arabic-Indic
    {0x06F0, 0x06F9, 0},    // Extended Arabic-Indic
    {0x0966, 0x096F, 0},    // Devanagari
    {0x2070, 0x2070, 0},    // superscript zero
    {0x2074, 0x2079, 4},    // superscript four to nine
    {0x2080, 0x2089, 0},    // subscript zero to nine
    {0x2460, 0x2468, 1},    // circled one to nine
    {0x24EA, 0x24EA, 0},    // circled zero
    {0xFF10, 0xFF19, 0},    // full-width
    {0x1D7CE, 0x1D7FF, 0},  // mathematical bold, double-struck, sans-serif, ..., monospace
    {0x1FBF0, 0x1FBF9, 0},  // segmented digits
}};

struct Range {
  char32_t first;
  char32_t last;
};

// Separators: what may stand between the digits of one number without breaking it. Spaces
// of every width, every dash and minus sign, punctuation, quotation marks, invisible
// characters and combining marks.
constexpr std::array<Range, 38> kSeparators = {{
    {0x0020, 0x002F},    // space ! " # $ % & ' ( ) * + , - . /
    {0x003A, 0x0040},    // : ; < = > ? @
    {0x005B, 0x0060},    // [ \ ] ^ _ `
    {0x007B, 0x007E},    // { | } ~
    {0x00A0, 0x00BF},    // no-break space, Latin-1 punctuation, soft hyphen (digits first)
    {0x0300, 0x036F},    // combining diacritical marks
    {0x037E, 0x037E},    // Greek question mark
    {0x0387, 0x0387},    // Greek ano teleia
    {0x055A, 0x055F},    // Armenian punctuation
    {0x0589, 0x058A},    // Armenian full stop, hyphen
    {0x05BE, 0x05BE},    // Hebrew maqaf
    {0x060C, 0x060D},    // Arabic comma, date separator
    {0x066A, 0x066D},    // Arabic percent, decimal and thousands separators, star
    {0x1400, 0x1400},    // Canadian syllabics hyphen
    {0x1680, 0x1680},    // Ogham space mark
    {0x1806, 0x1806},    // U+1806 MONGOLIAN TODO SOFT HYPHEN (the Todo script's hyphen)
    {0x180E, 0x180E},    // Mongolian vowel separator
    {0x2000, 0x206F},    // General Punctuation: spaces, zero-width characters, U+2010..2015
                         // dashes, quotation marks, bullets, ellipsis, narrow no-break space,
                         // primes, word joiner
    {0x20D0, 0x20FF},    // combining marks for symbols (an enclosing keycap)
    {0x2212, 0x2213},    // minus sign, minus-or-plus sign
    {0x2E00, 0x2E7F},    // Supplemental Punctuation (two- and three-em dashes)
    {0x3000, 0x3003},    // ideographic space, comma, full stop, ditto
    {0x301C, 0x301C},    // wave dash
    {0x3030, 0x3030},    // wavy dash
    {0x30A0, 0x30A0},    // katakana-hiragana double hyphen
    {0x30FB, 0x30FB},    // katakana middle dot
    {0xFE00, 0xFE0F},    // variation selectors
    {0xFE10, 0xFE1F},    // vertical forms
    {0xFE20, 0xFE2F},    // combining half marks
    {0xFE30, 0xFE4F},    // CJK compatibility forms (vertical dashes)
    {0xFE50, 0xFE6B},    // small form variants: U+FE58 small em dash, U+FE63 small hyphen
    {0xFEFF, 0xFEFF},    // zero-width no-break space
    {0xFF01, 0xFF0F},    // full-width ! " # $ % & ' ( ) * + , U+FF0D - . /
    {0xFF1A, 0xFF20},    // full-width : ; < = > ? @
    {0xFF3B, 0xFF40},    // full-width [ \ ] ^ _ `
    {0xFF5B, 0xFF65},    // full-width { | } ~ and halfwidth CJK punctuation
    {0xE0000, 0xE007F},  // tags
    {0xE0100, 0xE01EF},  // variation selectors supplement
}};

// The next code point of `text` at `*pos` (advanced past it), or -1 for a byte that does not
// start a well-formed UTF-8 sequence (then one byte is consumed).
std::int32_t NextCodePoint(std::string_view text, std::size_t* pos) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char b0 = byte(*pos);
  int length = 0;
  std::int32_t cp = 0;
  std::int32_t min = 0;
  if (b0 < 0x80) {
    ++*pos;
    return b0;
  } else if ((b0 & 0xE0) == 0xC0) {
    length = 2;
    cp = b0 & 0x1F;
    min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    length = 3;
    cp = b0 & 0x0F;
    min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    length = 4;
    cp = b0 & 0x07;
    min = 0x10000;
  } else {
    ++*pos;
    return -1;
  }
  if (*pos + static_cast<std::size_t>(length) > text.size()) {
    ++*pos;
    return -1;
  }
  for (int k = 1; k < length; ++k) {
    const unsigned char b = byte(*pos + static_cast<std::size_t>(k));
    if ((b & 0xC0) != 0x80) {
      ++*pos;
      return -1;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++*pos;
    return -1;
  }
  *pos += static_cast<std::size_t>(length);
  return cp;
}

// The value 0-9 of a digit, or -1.
int DigitValue(std::int32_t cp) {
  if (cp < 0) return -1;
  const auto c = static_cast<char32_t>(cp);
  for (const DigitRange& r : kDigits) {
    if (c >= r.first && c <= r.last) return (r.first_value + static_cast<int>(c - r.first)) % 10;
  }
  return -1;
}

bool IsSeparator(std::int32_t cp) {
  // A byte that is not UTF-8 joins rather than splits: the stricter reading.
  if (cp < 0) return true;
  const auto c = static_cast<char32_t>(cp);
  for (const Range& r : kSeparators) {
    if (c >= r.first && c <= r.last) return true;
  }
  return false;
}

int Number(const std::string& digits, std::size_t at, std::size_t n) {
  int v = 0;
  for (std::size_t i = at; i < at + n; ++i) v = v * 10 + (digits[i] - '0');
  return v;
}

bool Leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

// Whether `day` is a day of `month`; `leap` for February the 29th.
bool RealDay(int month, int day, bool leap) {
  static constexpr std::array<int, 12> kDays = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return false;
  if (month == 2 && day == 29) return leap;
  return day <= kDays[static_cast<std::size_t>(month - 1)];
}

// A day of birth, or a coordination number's day (the day plus 60).
bool BirthDay(int month, int day, bool leap) {
  return RealDay(month, day, leap) || RealDay(month, day - 60, leap);
}

// Whether 10 or 12 digits begin with a date of birth.
bool ReadsAsBirthDate(const std::string& digits) {
  if (digits.size() == 10) {
    const int yy = Number(digits, 0, 2);
    // Without the century, the 29th of February is a date in years divisible by four.
    return BirthDay(Number(digits, 2, 2), Number(digits, 4, 2), yy % 4 == 0);
  }
  if (digits.size() == 12) {
    const int year = Number(digits, 0, 4);
    if (year < 1800 || year > 2099) return false;
    return BirthDay(Number(digits, 4, 2), Number(digits, 6, 2), Leap(year));
  }
  return false;
}

// Whether whole consecutive groups of one run make 10 or 12 digits that read as a number.
bool RunHoldsNumber(const std::vector<std::string>& groups) {
  for (std::size_t first = 0; first < groups.size(); ++first) {
    std::string digits;
    for (std::size_t last = first; last < groups.size() && digits.size() <= 12; ++last) {
      digits += groups[last];
      if (ReadsAsBirthDate(digits)) return true;
    }
  }
  return false;
}

}  // namespace

bool HoldsPersonalIdentityNumber(std::string_view ref) {
  std::vector<std::string> groups;  // the run so far, split where separators stood
  std::string group;
  bool found = false;
  auto end_group = [&] {
    if (!group.empty()) groups.push_back(std::move(group));
    group.clear();
  };
  auto end_run = [&] {
    end_group();
    if (RunHoldsNumber(groups)) found = true;
    groups.clear();
  };
  std::size_t pos = 0;
  while (pos < ref.size() && !found) {
    const std::int32_t cp = NextCodePoint(ref, &pos);
    if (const int digit = DigitValue(cp); digit >= 0) {
      group.push_back(static_cast<char>('0' + digit));
    } else if (IsSeparator(cp)) {
      end_group();
    } else {
      end_run();
    }
  }
  end_run();
  return found;
}

Status CheckCaseReference(std::string_view ref) {
  if (ref.empty() || ref.size() > 64) {
    return Status::InvalidArgument("case reference: 1 to 64 characters");
  }
  for (char c : ref) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) return Status::InvalidArgument("case reference: control characters");
  }
  if (HoldsPersonalIdentityNumber(ref)) {
    return Status::InvalidArgument(
        "case reference: looks like a personal identity number; use the case system's "
        "reference (ärendenummer)");
  }
  return Status::Ok();
}

}  // namespace screening::internal

namespace screening {

Status CheckCaseReference(std::string_view ref) { return internal::CheckCaseReference(ref); }

}  // namespace screening
