// The batch path (screening/batch.h) against the reference path it replaces
// (ParseAnswersJson + Evaluate + ResultToJson, or the error object): byte-identical output
// over the golden vectors, the examples, malformed and tricky lines and random mutations
// of good lines; good lines must really take the fast path (else the comparison proves
// nothing); the line loop gives the same bytes with any number of threads and any chunking.
#include <catch2/catch.hpp>

#if defined(__SANITIZE_ADDRESS__)
// From the sanitizer runtime (GCC ships no header for it).
extern "C" std::size_t __sanitizer_get_current_allocated_bytes();
#else
#include <malloc.h>
#endif

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include <screening/batch.h>
#include <screening/directory.h>
#include <screening/json.h>
#include <screening/registry.h>

#include "json/batch_internal.h"
#include "test_paths.h"
#include "test_support.h"

namespace fs = std::filesystem;

namespace screening {
namespace {

std::shared_ptr<const Registry> Instruments() {
  static const auto registry = [] {
    Diagnostics diagnostics;
    auto r = Registry::LoadDirectory(SCREENING_TEST_INSTRUMENTS_DIR, &diagnostics);
    INFO(test::Joined(diagnostics));
    REQUIRE(r.ok());
    return *r;
  }();
  return registry;
}

std::shared_ptr<const Instrument> EveryType() {
  static const auto inst = [] {
    Diagnostics diags;
    auto r = LoadInstrumentFile(test::TestInstrumentsDir() / "every_type.textproto",
                                test::TestVocabulary(), &diags);
    INFO(test::Joined(diags));
    REQUIRE(r.ok());
    return *r;
  }();
  return inst;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Scores `line` both ways and requires the same bytes and verdict. Returns whether the
// fast path took it.
bool Same(const std::shared_ptr<const Instrument>& instrument, const EvaluateOptions& options,
          const std::string& line, std::size_t number = 7) {
  std::string reference, fast;
  const bool ref_ok = ScoreLineReference(instrument, options, line, number, &reference);
  BatchScorer scorer(instrument, options);
  const bool fast_ok = scorer.ScoreLine(line, number, &fast);
  INFO("instrument " << instrument->id() << ", line: " << line.substr(0, 300));
  REQUIRE(fast == reference);
  REQUIRE(fast_ok == ref_ok);
  REQUIRE(!fast.empty());
  REQUIRE(fast.back() == '\n');
  return scorer.slow_lines() == 0;
}

EvaluateOptions Lang(const char* lang) {
  EvaluateOptions options;
  options.lang = lang;
  return options;
}

// The golden inputs as lines: nlohmann's key order, the file's own order, and spaced.
std::vector<std::pair<std::string, std::string>> GoldenLines() {
  std::vector<std::pair<std::string, std::string>> lines;  // instrument, line
  for (const auto& entry : fs::directory_iterator(fs::path(SCREENING_TEST_DATA_DIR) / "golden")) {
    if (entry.path().extension() != ".json") continue;
    const auto doc = nlohmann::ordered_json::parse(ReadFile(entry.path()));
    const std::string id = doc.at("instrument");
    for (const auto& c : doc.at("cases")) {
      const auto& input = c.at("input");
      lines.emplace_back(id, input.dump());
      lines.emplace_back(id, nlohmann::json(input).dump());
      std::string spaced = input.dump(1);
      for (char& ch : spaced) ch = ch == '\n' ? ' ' : ch;
      lines.emplace_back(id, spaced);
    }
  }
  return lines;
}

// Good lines for every_type: every item type, notes, blocks, judgements, estimate, override.
const std::vector<std::string> kEveryTypeGood = {
    R"({"id": "rad-1", "answers": {"q1": "yes", "q1_note": "en anteckning", "q2": "unknown",
        "q3": "yes", "q3a": "no", "place": "elsewhere", "place_note": "ute",
        "kinds": ["physical", "economic"], "count_n": 4, "when": "2024-05-01", "free": "fri text",
        "shield": "unknown", "factor": {"current": "present", "history": "absent"},
        "kids": [{"age": 6, "saw": "yes", "saw_note": "x"}, {"age": 1}]},
        "judgements": {"assessor": {"level": "high", "rationale": "skäl"}},
        "client_estimate": {"level": "low"},
        "override": {"band": "high", "reason": "oro", "by": "assessor"}})",
    R"({"answers": {}})",
    R"({})",
    R"({"id": 42, "answers": {"q1": null, "q1_note": null}, "override": null, "client_estimate": null})",
    R"({"id": -17, "answers": {"shield": 2, "count_n": 0, "kinds": [], "factor": {"history": "partial"}}})",
    R"({"answers": {"q1": "yes", "q2": "yes", "q3": "unknown"}, "judgements": {}})",
    R"({"answers": {"q1": "yes", "q2": "yes", "q3": "yes"}, "override": {"band": "low", "reason": "skäl", "by": "supervisor"}})",
    R"({"id": "tab\there \"q\" back\\slash / ünïcödé \u00e5 \ud83d\ude00 \n\r\b\f", "answers": {"free": "rad\nett\ttvå"}})",
    R"({"answers": {"kids": [], "free": "\u00e5\u00e4\u00f6"}})",
    R"({"answers": {"kids": [{}, {"age": 2, "saw": null, "saw_note": null}]}})",
    "  {\"answers\": {\"q1\": \"no\"}}  ",
    "\t{\"answers\": {\"q1\": \"no\"}}\r",
};

// Lines the reference refuses or treats specially; each must read the same on both paths.
std::vector<std::string> TrickyLines() {
  std::vector<std::string> lines = {
      "",
      " ",
      "\t \t",
      "\r",
      "{",
      "}",
      "[]",
      "null",
      "1",
      "\"x\"",
      "{} x",
      "{}{}",
      "{},",
      "\xEF\xBB\xBF{\"answers\": {}}",
      "\f{}",
      "{\"answers\": {}}\x00",
      R"({"answerz": {}})",
      R"({"answers": []})",
      R"({"answers": null})",
      R"([1, 2])",
      R"({"id": [1]})",
      R"({"id": 1.0, "answers": {}})",
      R"({"id": 1e2})",
      R"({"id": -0})",
      R"({"id": 18446744073709551615})",
      R"({"id": 9223372036854775807})",
      R"({"id": 9223372036854775808})",
      R"({"id": -9223372036854775808})",
      R"({"id": 99999999999999999999999})",
      R"({"id": true})",
      R"({"id": null})",
      R"({"id": "a", "id": "b"})",
      R"({"answers": {}, "answers": {}})",
      R"({"answers": {"q1": "yes", "q1": "no"}})",
      R"({"answers": {"q1": "yes", "q\u0031": "no"}})",
      R"({"answers": {"q1_note": "a", "q1_note": "b"}})",
      R"({"answers": {"q1_note": null, "q1_note": null}})",
      R"({"answers": {"q1": null, "q1": null}})",
      R"({"answers": {"factor": {"current": "present", "current": "absent"}}})",
      R"({"answers": {"factor": {"current": "present", "now": "absent"}}})",
      R"({"answers": {"factor": {}}})",
      R"({"answers": {"factor": "present"}})",
      R"({"answers": {"factor": {"current": 1}}})",
      R"({"answers": {"kids": [{"age": 1, "age": 2}]}})",
      R"({"answers": {"kids": [{"saw_note": "a", "saw_note": "b"}]}})",
      R"({"answers": {"kids": [{"q1": "yes"}]}})",
      R"({"answers": {"kids": [1]}})",
      R"({"answers": {"kids": {}}})",
      R"({"answers": {"kids": [{}, {}, {}, {}]}})",
      R"({"answers": {"kids": [{"age": 20}]}})",
      R"({"answers": {"kids": [{"age": 1, "saw": "yes"}]}})",
      R"({"answers": {"kids": [{"zz_note": "a"}]}})",
      R"({"judgements": {"assessor": {"level": "high", "rationale": "a"}, "assessor": {"level": "low", "rationale": "b"}}})",
      R"({"judgements": {"assessor": {"level": "high", "level": "low", "rationale": "a"}}})",
      R"({"judgements": {"assessor": {"level": "high", "why": "x"}}})",
      R"({"judgements": {"assessor": {"rationale": "x"}}})",
      R"({"judgements": {"assessor": {"level": "", "rationale": "x"}}})",
      R"({"judgements": {"assessor": {"level": "huge", "rationale": "x"}}})",
      R"({"judgements": {"assessor": {"level": "high", "rationale": " "}}})",
      R"({"judgements": {"nobody": {"level": "high", "rationale": "x"}}})",
      R"({"judgements": {"assessor": {"level": 3, "rationale": "x"}}})",
      R"({"judgements": []})",
      R"({"judgements": {"assessor": "high"}})",
      R"({"client_estimate": {"level": "low", "level": "high"}})",
      R"({"client_estimate": {"level": "low", "rationale": "x"}})",
      R"({"client_estimate": {"level": "extreme"}})",
      R"({"client_estimate": "low"})",
      R"({"client_estimate": {}})",
      R"({"override": {}})",
      R"({"override": {"band": "high"}})",
      R"({"override": {"band": "high", "band": "low", "reason": "x"}})",
      R"({"override": {"band": "high", "reason": "x", "by": "boss"}})",
      R"({"override": {"band": "high", "reason": "x", "by": 1}})",
      R"({"override": {"band": "high", "reason": "x", "when": "now"}})",
      R"({"override": {"band": "nowhere", "reason": "x"}})",
      R"({"override": {"band": "low", "reason": "x", "by": "assessor"}, "answers": {"q1": "yes", "q2": "yes", "q3": "yes"}})",
      R"({"override": {"band": "high", "reason": "   "}})",
      R"({"override": []})",
      R"({"answers": {"q1": 5}})",
      R"({"answers": {"q1": "maybe"}})",
      R"({"answers": {"q1": ""}})",
      R"({"answers": {"q1": true}})",
      R"({"answers": {"q1": ["yes"]}})",
      R"({"answers": {"place": "home"}})",
      R"({"answers": {"place": "elsewhere"}})",
      R"({"answers": {"kinds": ["physical", "physical"]}})",
      R"({"answers": {"kinds": [1]}})",
      R"({"answers": {"kinds": "physical"}})",
      R"({"answers": {"kinds": [null]}})",
      R"({"answers": {"count_n": 3.0}})",
      R"({"answers": {"count_n": 2.5}})",
      R"({"answers": {"count_n": "3"}})",
      R"({"answers": {"count_n": 21}})",
      R"({"answers": {"count_n": -1}})",
      R"({"answers": {"count_n": -0}})",
      R"({"answers": {"count_n": 1e1}})",
      R"({"answers": {"count_n": 1e400}})",
      R"({"answers": {"count_n": 18446744073709551615}})",
      R"({"answers": {"count_n": 9223372036854775808}})",
      R"({"answers": {"count_n": 99999999999999999999}})",
      R"({"answers": {"count_n": -9223372036854775808}})",
      R"({"answers": {"shield": 3}})",
      R"({"answers": {"shield": -1}})",
      R"({"answers": {"shield": 18446744073709551615}})",
      R"({"answers": {"shield": true}})",
      R"({"answers": {"shield": "maybe"}})",
      R"({"answers": {"shield": 1.0}})",
      R"({"answers": {"when": "2024-02-30"}})",
      R"({"answers": {"when": 20240201}})",
      R"({"answers": {"free": 7}})",
      R"({"answers": {"free": "a\u0000b"}})",
      R"({"answers": {"free": "a\u0007b"}})",
      R"({"answers": {"free": "a\u202eb"}})",
      R"({"answers": {"q2_note": "x"}})",
      R"({"answers": {"q1_note": 3}})",
      R"({"answers": {"zz": 1}})",
      R"({"answers": {"zz_note": 1}})",
      R"({"answers": {"_note": 1}})",
      R"({"answers": {"age": 3}})",
      R"({"answers": {"age_note": "x"}})",
      R"({"answers": {"q3a": "yes"}})",
      R"({"id": "a\u0001b", "answers": {}})",
      R"({"id": "\u001f\u000b\u007f", "answers": {}})",
      R"({"id": "\ud800", "answers": {}})",
      R"({"id": "\udc00", "answers": {}})",
      R"({"id": "\ud800\u0041", "answers": {}})",
      R"({"id": "\ud83d\ude00", "answers": {}})",
      R"({"id": "\x", "answers": {}})",
      R"({"id": "\u12", "answers": {}})",
      "{\"id\": \"a\x01b\", \"answers\": {}}",
      "{\"id\": \"a\tb\", \"answers\": {}}",
      "{\"id\": \"\xff\", \"answers\": {}}",
      "{\"id\": \"\xc0\xaf\", \"answers\": {}}",
      "{\"id\": \"\xed\xa0\x80\", \"answers\": {}}",
      "{\"id\": \"\xf4\x90\x80\x80\"}",
      "{\"id\": \"\xe2\x82\", \"answers\": {}}",
      "{\"\xff\": 1}",
      "{\"answers\": {\"" + std::string(70, 'x') + "\xc3\xa5\": 1}}",
      "{\"answers\": {\"" + std::string(63, 'x') + "\xc3\xa5yy\": 1}}",
      "{\"" + std::string(63, 'k') + "\xe2\x82\xac\": 1}",
      "{\"id\": \"" + std::string(200, 'i') + "\"}",
      "{\"id\": \"" + std::string(201, 'i') + "\"}",
      "{\"id\": \"" + std::string(199, 'i') + "\xc3\xa5\"}",
      R"({"answers": {"q1": "yes"}} )",
      R"({"answers": {"q1": "yes",}})",
      R"({"answers": {"q1": 'yes'}})",
      R"({answers: {}})",
      R"({"answers": {"q1": "yes"})",
      R"({"answers": {"q1": "yes"}}})",
      "{\"answers\": {\"q1\": \"yes\"}}\r\r",
      "{\"answers\": {\"q1\": \"y\r\"}}",
      "{\"answers\": {\"free\": \"x\ny\"}}",
      R"({"answers": {"q1": 01}})",
      R"({"answers": {"count_n": 01}})",
      R"({"answers": {"count_n": +1}})",
      R"({"answers": {"count_n": 1.}})",
      R"({"answers": {"count_n": .5}})",
      R"({"answers": {"count_n": -}})",
      R"({"answers": {"count_n": NaN}})",
      R"({"answers": {"count_n": Infinity}})",
  };
  lines.push_back(std::string(1500, '[') + std::string(1500, ']'));
  lines.push_back("{\"answers\": {\"free\": \"" + std::string((1 << 20) + 10, 'a') + "\"}}");
  lines.push_back("{\"answers\": {\"free\": \"" + std::string(5000, 'a') + "\"}}");
  std::string nul_line = "{\"answers\": {}}";
  nul_line.insert(5, 1, '\0');
  lines.push_back(nul_line);
  // A whole document, then a NUL byte and more: refused on both paths (trailing bytes).
  lines.push_back(std::string("{\"answers\": {}}\0anything", 24));
  lines.push_back(std::string("{\"answers\": {}}\0", 16));
  return lines;
}

// Bytes of heap in use now (the sanitizer's count under ASan, glibc's otherwise).
std::size_t HeapInUse() {
#if defined(__SANITIZE_ADDRESS__)
  return __sanitizer_get_current_allocated_bytes();
#else
  const struct mallinfo2 m = mallinfo2();
  return m.uordblks + m.hblkhd;
#endif
}

// An input made while it is read, never held whole: `head`, then `size` bytes of `fill`,
// then `tail`. Notes the most heap in use at any read.
class GeneratedInput : public std::streambuf {
 public:
  GeneratedInput(std::string head, std::size_t size, char fill, std::string tail)
      : head_(std::move(head)), size_(size), fill_(fill), tail_(std::move(tail)) {}
  std::size_t peak_heap() const { return peak_; }

 protected:
  int_type underflow() override {
    peak_ = std::max(peak_, HeapInUse());
    const std::size_t total = head_.size() + size_ + tail_.size();
    if (pos_ >= total) return traits_type::eof();
    std::size_t n = 0;
    while (n < block_.size() && pos_ < total) {
      if (pos_ < head_.size()) {
        block_[n] = head_[pos_];
      } else if (pos_ < head_.size() + size_) {
        block_[n] = fill_;
      } else {
        block_[n] = tail_[pos_ - head_.size() - size_];
      }
      ++n;
      ++pos_;
    }
    setg(block_.data(), block_.data(), block_.data() + n);
    return traits_type::to_int_type(block_[0]);
  }

 private:
  std::string head_;
  std::size_t size_;
  char fill_;
  std::string tail_;
  std::size_t pos_ = 0;
  std::array<char, 1 << 16> block_{};
  std::size_t peak_ = 0;
};

}  // namespace

TEST_CASE("batch lines: a line longer than a document is refused without being kept", "[batch]") {
  // 64 MiB on one line, then a good line: the long line is an error object of its own, the
  // next one is scored, and the heap never holds the long line (a block of 4 MiB and a
  // document of 1 MiB are the bound, whatever the input).
  auto dash = Instruments()->Find("dash");
  const std::string good = R"({"id": "after", "answers": {"q1": "yes"}})";
  std::string expected_good;
  REQUIRE(ScoreLineReference(dash, Lang("sv"), good, 3, &expected_good));
  const std::size_t kLong = std::size_t{64} << 20;
  for (const char fill : {'x', ' '}) {
    INFO("fill '" << fill << "'");
    GeneratedInput source("{}\n", kLong, fill, "\n" + good);
    std::istream in(&source);
    std::ostringstream out;
    const std::size_t before = HeapInUse();
    const BatchCounts counts = ScoreJsonLines(dash, in, out, Lang("sv"));
    CHECK(source.peak_heap() < before + (std::size_t{16} << 20));
    CHECK(counts.lines == 3);
    CHECK(counts.failed == 1);
    std::istringstream lines(out.str());
    std::string first, second, third;
    REQUIRE(std::getline(lines, first));
    REQUIRE(std::getline(lines, second));
    REQUIRE(std::getline(lines, third));
    CHECK(first.find("\"error\"") == std::string::npos);
    // The error the reference path gives such a line whole.
    CHECK(second == (fill == ' '
                         ? R"({"error":"empty line","line":2})"
                         : R"({"error":"the document is larger than 1048576 bytes","line":2})"));
    CHECK(third + "\n" == expected_good);
  }
  // A long line at the very end, without a final newline, and one with a '\r' before it.
  for (const std::string& tail : {std::string(), std::string("\r")}) {
    GeneratedInput source("", std::size_t{3} << 20, 'x', tail);
    std::istream in(&source);
    std::ostringstream out;
    const BatchCounts counts =
        internal::ScoreJsonLinesChunked(dash, in, out, Lang("sv"), 2, std::size_t{1} << 16);
    CHECK(counts.lines == 1);
    CHECK(counts.failed == 1);
    CHECK(out.str() == "{\"error\":\"the document is larger than 1048576 bytes\",\"line\":1}\n");
  }
  // Spaces and a '\r' in the middle are no blank line; a final '\r' is dropped.
  for (const auto& [tail, error] : std::vector<std::pair<std::string, std::string>>{
           {"\r\n", "empty line"}, {"\r \n", "the document is larger than 1048576 bytes"}}) {
    GeneratedInput source("", std::size_t{3} << 20, ' ', tail);
    std::istream in(&source);
    std::ostringstream out;
    (void)internal::ScoreJsonLinesChunked(dash, in, out, Lang("sv"), 1, std::size_t{1} << 16);
    CHECK(out.str() == "{\"error\":\"" + error + "\",\"line\":1}\n");
  }
}

TEST_CASE("batch path: golden vectors give the reference bytes, through the fast path", "[batch]") {
  std::size_t lines = 0, fast = 0;
  Diagnostics diagnostics;
  auto directory = Directory::LoadDirectory(SCREENING_TEST_INSTRUMENTS_DIR,
                                            *Instruments()->vocabulary(), &diagnostics);
  INFO(test::Joined(diagnostics));
  REQUIRE(directory.ok());
  for (const auto& [id, line] : GoldenLines()) {
    auto instrument = Instruments()->Find(id);
    REQUIRE(instrument);
    for (const char* lang : {"sv", "en"}) {
      std::string reference;
      const bool ok = ScoreLineReference(instrument, Lang(lang), line, 1, &reference);
      const bool took_fast = Same(instrument, Lang(lang), line);
      ++lines;
      fast += took_fast;
      // Every line the reference scores must be scored by the fast path (no control
      // characters in these inputs).
      INFO(line);
      CHECK(took_fast == ok);
    }
    EvaluateOptions with_resources = Lang("sv");
    with_resources.directory = directory->get();
    Same(instrument, with_resources, line);
  }
  CHECK(lines > 100);
  CHECK(fast > lines / 2);
}

TEST_CASE("batch path: the examples and the CLI test batch give the reference bytes", "[batch]") {
  int files = 0;
  for (const auto& entry :
       fs::directory_iterator(fs::path(SCREENING_TEST_DATA_DIR) / ".." / ".." / "examples")) {
    if (entry.path().extension() != ".json") continue;
    const std::string name = entry.path().stem().string();
    auto instrument = Instruments()->Find(name.substr(0, name.find('-')));
    REQUIRE(instrument);
    const std::string line = nlohmann::json::parse(ReadFile(entry.path())).dump();
    CHECK(Same(instrument, Lang("sv"), line));
    CHECK(Same(instrument, Lang("en"), line));
    ++files;
  }
  CHECK(files >= 2);
  std::istringstream batch(ReadFile(fs::path(SCREENING_TEST_DATA_DIR) / "cli" / "batch.jsonl"));
  std::string line;
  auto lap = Instruments()->Find("lap");
  REQUIRE(lap);
  while (std::getline(batch, line)) Same(lap, Lang("sv"), line);
}

TEST_CASE("batch path: every item type and form reads the same and takes the fast path",
          "[batch]") {
  for (const auto& line : kEveryTypeGood) {
    INFO(line);
    CHECK(Same(EveryType(), Lang("sv"), line));
    CHECK(Same(EveryType(), Lang("en"), line));
  }
}

TEST_CASE("batch path: malformed and tricky lines give the same errors and results", "[batch]") {
  auto dash = Instruments()->Find("dash");
  REQUIRE(dash);
  for (const auto& line : TrickyLines()) {
    Same(EveryType(), Lang("sv"), line);
    Same(dash, Lang("en"), line);
  }
  // Some of them, checked outright: the error object's form and a fallback for the writer.
  std::string out;
  BatchScorer scorer(EveryType(), Lang("sv"));
  CHECK_FALSE(scorer.ScoreLine("  ", 3, &out));
  CHECK(out == "{\"error\":\"empty line\",\"line\":3}\n");
  out.clear();
  CHECK(scorer.ScoreLine(R"({"id": "a\u0001b", "answers": {}})", 4, &out));
  CHECK(out.find(R"("id":"a\u0001b")") != std::string::npos);
  out.clear();
  CHECK_FALSE(scorer.ScoreLine(R"({"answers": {"q1": "yes", "q1": "no"}})", 5, &out));
  CHECK(out == "{\"error\":\"duplicate key 'q1'\",\"line\":5}\n");
}

TEST_CASE("batch path: random mutations of good lines read the same on both paths", "[batch]") {
  std::mt19937 rng(20240601);
  const std::string alphabet = "{}[]\":,\\ 0123456789-+.eEtrufalsny_qabu\x01\xc3\xa5\xff";
  std::vector<std::string> seeds = kEveryTypeGood;
  for (const auto& [id, line] : GoldenLines()) {
    if (id == "partnervald" || id == "dash") seeds.push_back(line);
  }
  auto dash = Instruments()->Find("dash");
  auto partnervald = Instruments()->Find("partnervald");
  int cases = 0;
  for (int round = 0; round < 1500; ++round) {
    std::string line = seeds[rng() % seeds.size()];
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits && !line.empty(); ++e) {
      const std::size_t at = rng() % line.size();
      const char c = alphabet[rng() % alphabet.size()];
      switch (rng() % 3) {
        case 0:
          line[at] = c;
          break;
        case 1:
          line.insert(at, 1, c);
          break;
        default:
          line.erase(at, 1 + rng() % 4);
          break;
      }
    }
    Same(EveryType(), Lang("sv"), line);
    Same(dash, Lang("sv"), line);
    Same(partnervald, Lang("en"), line);
    ++cases;
  }
  CHECK(cases == 1500);
}

TEST_CASE("batch lines: the same bytes with any number of threads and any chunking", "[batch]") {
  auto dash = Instruments()->Find("dash");
  std::string input;
  std::string expected;
  std::size_t n = 0, failed = 0;
  auto add = [&](const std::string& line, const char* end) {
    input += line + end;
    if (!ScoreLineReference(dash, Lang("sv"), line, ++n, &expected)) ++failed;
  };
  for (const auto& [id, line] : GoldenLines()) {
    if (id == "dash") add(line, n % 5 == 0 ? "\r\n" : "\n");
  }
  for (const auto& line : TrickyLines()) {
    if (line.find('\n') == std::string::npos && line.size() < 10000) add(line, "\n");
  }
  add("", "\n");
  add(R"({"id": "last", "answers": {"q1": "yes"}})", "");  // no final newline
  REQUIRE(failed > 10);
  REQUIRE(failed < n);

  for (int threads : {1, 2, 3, 8}) {
    for (std::size_t chunk :
         {std::size_t{1} << 22, std::size_t{4096}, std::size_t{61}, std::size_t{1}}) {
      if (chunk == 1 && threads > 2) continue;  // slow under the sanitizers, nothing new
      INFO("threads " << threads << ", chunk " << chunk);
      std::istringstream in(input);
      std::ostringstream out;
      const BatchCounts counts =
          internal::ScoreJsonLinesChunked(dash, in, out, Lang("sv"), threads, chunk);
      CHECK(counts.lines == n);
      CHECK(counts.failed == failed);
      CHECK(out.str() == expected);
    }
  }
  // The public entry and the edge inputs: nothing, one newline, a final newline.
  for (const auto& [text, lines] : std::vector<std::pair<std::string, std::size_t>>{
           {"", 0}, {"\n", 1}, {"{}\n", 1}, {"{}", 1}, {"{}\n\n", 2}}) {
    std::istringstream in(text);
    std::ostringstream out;
    const BatchCounts counts = ScoreJsonLines(dash, in, out, Lang("sv"), 2);
    const std::string written = out.str();
    CHECK(counts.lines == lines);
    CHECK(static_cast<std::size_t>(std::count(written.begin(), written.end(), '\n')) == lines);
  }
}

}  // namespace screening
