// Helpers for the engine's unit tests: small instruments written inline as text format,
// a tiny vocabulary of their own, answer values and locations of markers in a text.
//
// Inline definitions stay small: Def() adds the header every instrument needs (one
// language, provenance, title) so a test writes only the sections and rules it is about.
#pragma once

#include <screening/instrument.h>
#include <screening/session.h>
#include <screening/v1/assessment.pb.h>
#include <screening/vocabulary.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>
#include "test_paths.h"

namespace screening::test {

// Escapes `s` for a text-format string value.
inline std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

inline std::string Joined(const Diagnostics& d) {
  std::string s;
  for (const auto& x : d) s += x.ToString() + "\n";
  return s;
}

// A vocabulary of two lists, independent of instruments/vocabulary.textproto.
inline std::shared_ptr<const Vocabulary> TestVocabulary() {
  static const std::shared_ptr<const Vocabulary> vocab = [] {
    constexpr std::string_view kText = R"pb(
      languages: [ "sv" ]
      lists {
        id: "kinds"
        title { lang: "sv" value: "Sorter" }
        terms {
          id: "physical"
          label { lang: "sv" value: "Fysiskt" }
        }
        terms {
          id: "economic"
          label { lang: "sv" value: "Ekonomiskt" }
        }
        terms {
          id: "other"
          needs_note: true
          label { lang: "sv" value: "Annat" }
        }
      }
      lists {
        id: "places"
        title { lang: "sv" value: "Platser" }
        terms {
          id: "home"
          label { lang: "sv" value: "Hemma" }
        }
        terms {
          id: "work"
          label { lang: "sv" value: "Arbetet" }
        }
      }
    )pb";
    Diagnostics diags;
    auto v = Vocabulary::LoadText(kText, "test_vocabulary.textproto", &diags);
    INFO(Joined(diags));
    REQUIRE(v.ok());
    return *v;
  }();
  return vocab;
}

// The header every test instrument needs, then `body`. One language ("sv") unless
// `languages` says otherwise; texts in the header are given in each of them.
inline std::string Def(std::string_view body, std::string_view kind = "CHECKLIST",
                       std::vector<std::string> languages = {"sv"}) {
  std::string langs, title, description;
  for (const auto& l : languages) {
    langs += (langs.empty() ? "" : ", ") + Quote(l);
    title += "title { lang: " + Quote(l) + " value: \"Test\" }\n";
    description += "description { lang: " + Quote(l) + " value: \"Ett testinstrument.\" }\n";
  }
  std::string out = "id: \"t\"\nversion: \"1.0.0\"\nlanguages: [" + langs + "]\n" + title +
                    description + "kind: " + std::string(kind) +
                    "\ntarget_group: ADULT_VICTIM\n"
                    "provenance { modelled_on: \"m\" source: \"s\" licence_note: \"l\" "
                    "scoring_verified: \"v\" validated_setting: \"vs\" wording_is_own: true }\n";
  out += body;
  return out;
}

// Text-format snippets with a Swedish text.
inline std::string Item(std::string_view id, std::string_view type, std::string_view extra = "") {
  return "items { id: " + Quote(id) + " type: " + std::string(type) +
         " text { lang: \"sv\" value: " + Quote(std::string("Fråga ") + std::string(id)) + " } " +
         std::string(extra) + " }\n";
}
inline std::string YesNo(std::string_view id, std::string_view extra = "") {
  return Item(id, "YES_NO", extra);
}
inline std::string Opt(std::string_view code, std::string_view extra = "") {
  return "options { code: " + Quote(code) + " text { lang: \"sv\" value: \"Val\" } " +
         std::string(extra) + " }";
}
inline std::string Section(std::string_view id, std::string_view items) {
  return "sections { id: " + Quote(id) + " title { lang: \"sv\" value: \"Del\" }\n" +
         std::string(items) + "}\n";
}
inline std::string Score(std::string_view id, std::string_view expr) {
  return "scores { id: " + Quote(id) + " expr: " + Quote(expr) +
         " text { lang: \"sv\" value: \"Poäng\" } }\n";
}
inline std::string RangeBand(std::string_view id, std::int64_t min, std::int64_t max) {
  return "bands { id: " + Quote(id) + " min: " + std::to_string(min) +
         " max: " + std::to_string(max) +
         " text { lang: \"sv\" value: " + Quote(std::string("Nivå ") + std::string(id)) + " } }\n";
}
inline std::string RuleBand(std::string_view id, std::string_view when) {
  return "bands { id: " + Quote(id) + (when.empty() ? "" : " when: " + Quote(when)) +
         " text { lang: \"sv\" value: " + Quote(std::string("Nivå ") + std::string(id)) + " } }\n";
}
inline std::string Banding(std::string_view score, std::string_view bands) {
  return "banding { " + (score.empty() ? "" : "score: " + Quote(score)) + "\n" +
         std::string(bands) + "}\n";
}
inline std::string Flag(std::string_view id, std::string_view when) {
  return "flags { id: " + Quote(id) + " when: " + Quote(when) +
         " text { lang: \"sv\" value: \"Flagga\" } }\n";
}
inline std::string Rec(std::string_view id, std::string_view when = "",
                       std::string_view extra = "") {
  return "recommendations { id: " + Quote(id) + (when.empty() ? "" : " when: " + Quote(when)) +
         " text { lang: \"sv\" value: \"Steg\" } " + std::string(extra) + " }\n";
}
inline std::string Judgement(std::string_view id, std::string_view extra = "") {
  return "judgements { id: " + Quote(id) + " text { lang: \"sv\" value: \"Bedömning\" } " +
         std::string(extra) + " }\n";
}

// The outcome of loading a text: the instrument or the failure, and every diagnostic.
struct Loaded {
  std::shared_ptr<const Instrument> instrument;
  Status status;
  Diagnostics diags;

  bool ok() const { return instrument != nullptr; }
  std::string joined() const { return Joined(diags); }
  // The first diagnostic whose message contains `part`, or nullptr.
  const Diagnostic* Find(std::string_view part) const {
    for (const auto& d : diags) {
      if (d.message.find(part) != std::string::npos) return &d;
    }
    return nullptr;
  }
  int Count(std::string_view part) const {
    int n = 0;
    for (const auto& d : diags) n += d.message.find(part) != std::string::npos;
    return n;
  }
};

inline Loaded Load(std::string_view text, std::string_view file = "t.textproto") {
  Loaded out;
  auto r = LoadInstrumentText(text, file, TestVocabulary(), &out.diags);
  if (r.ok()) {
    out.instrument = *r;
  } else {
    out.status = r.status();
  }
  return out;
}

// Loads `text` and fails the test (showing every diagnostic) when it does not load.
inline std::shared_ptr<const Instrument> MustLoad(std::string_view text) {
  Loaded l = Load(text);
  INFO(l.joined());
  REQUIRE(l.ok());
  REQUIRE(l.diags.empty());
  return l.instrument;
}

// 1-based line and character column of the `nth` (0-based) occurrence of `marker` in
// `text`, moved `char_offset` characters to the right. Computed independently of the
// engine, to check the locations it reports.
struct Pos {
  int line = 0;
  int column = 0;
};
inline Pos Locate(std::string_view text, std::string_view marker, int char_offset = 0,
                  int nth = 0) {
  std::size_t at = text.find(marker);
  for (int i = 0; i < nth && at != std::string_view::npos; ++i) at = text.find(marker, at + 1);
  REQUIRE(at != std::string_view::npos);
  Pos p{1, 1};
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < at; ++i) {
    if (text[i] == '\n') {
      ++p.line;
      line_start = i + 1;
    }
  }
  int chars = 0;
  for (std::size_t i = line_start; i < at; ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++chars;
  }
  p.column = chars + 1 + char_offset;
  return p;
}

// Requires a diagnostic containing `part` at the position of `marker` (+ offset).
inline void RequireAt(const Loaded& l, std::string_view text, std::string_view part,
                      std::string_view marker, int char_offset = 0, int nth = 0) {
  INFO("looking for: " << part << "\nall diagnostics:\n" << l.joined());
  const Diagnostic* d = l.Find(part);
  REQUIRE(d != nullptr);
  Pos want = Locate(text, marker, char_offset, nth);
  CHECK(d->line == want.line);
  CHECK(d->column == want.column);
}

// Answer values.
inline v1::AnswerValue Code(std::string_view c) {
  v1::AnswerValue v;
  v.set_code(std::string(c));
  return v;
}
inline v1::AnswerValue Int(std::int64_t i) {
  v1::AnswerValue v;
  v.set_integer(i);
  return v;
}
inline v1::AnswerValue Codes(std::initializer_list<std::string_view> cs) {
  v1::AnswerValue v;
  auto* list = v.mutable_codes();
  for (auto c : cs) list->add_codes(std::string(c));
  return v;
}
inline v1::AnswerValue Text(std::string_view t) {
  v1::AnswerValue v;
  v.set_text(std::string(t));
  return v;
}
inline v1::AnswerValue Date(std::string_view d) {
  v1::AnswerValue v;
  v.set_date(std::string(d));
  return v;
}
inline v1::AnswerValue Spj(std::string_view current, std::string_view history) {
  v1::AnswerValue v;
  v.mutable_spj()->set_current(std::string(current));
  v.mutable_spj()->set_history(std::string(history));
  return v;
}

inline std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Replaces the first occurrence of `from` (which must exist) by `to`.
inline std::string ReplaceOnce(std::string text, std::string_view from, std::string_view to) {
  auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
  return text;
}

inline std::filesystem::path TestInstrumentsDir() {
  return std::filesystem::path(SCREENING_TEST_DATA_DIR) / "instruments";
}

}  // namespace screening::test
