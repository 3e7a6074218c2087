// What the CLI reads: standard input and answers files are refused as soon as they pass
// their limit (never read whole first), and a terminal line longer than any answer is read
// past without being kept. Synthetic data only.
#include <algorithm>
#include <array>
#include <filesystem>
#include <map>
#include <sstream>
#include <streambuf>
#include <string>

#include <catch2/catch.hpp>

#include "commands/cli_support.h"
#include "followup_fixture.h"

namespace screening::cli::test {
namespace {

namespace fs = std::filesystem;

// `size` bytes of `fill`, made while they are read; counts how many were taken.
class EndlessInput : public std::streambuf {
 public:
  EndlessInput(std::size_t size, char fill) : size_(size) { block_.fill(fill); }
  // Bytes handed to the reader (what it consumed, not what sits in the buffer).
  std::size_t taken() const { return made_ - static_cast<std::size_t>(egptr() - gptr()); }

 protected:
  int_type underflow() override {
    if (made_ >= size_) return traits_type::eof();
    const std::size_t n = std::min(block_.size(), size_ - made_);
    made_ += n;
    setg(block_.data(), block_.data(), block_.data() + n);
    return traits_type::to_int_type(block_[0]);
  }

 private:
  std::size_t size_;
  std::size_t made_ = 0;
  std::array<char, 4096> block_{};
};

TEST_CASE("standard input is refused as soon as it passes the limit", "[cli][input]") {
  // 64 MiB offered, 1000 bytes allowed: at most one block beyond the limit is taken.
  EndlessInput source(std::size_t{64} << 20, '{');
  std::istream in(&source);
  std::ostringstream out, err;
  Io io(in, out, err);
  io.lang = "en";
  auto read = ReadInput("-", io, 1000);
  CHECK(read.status().code() == StatusCode::kInvalidArgument);
  CHECK(read.status().message() == "standard input: larger than 1000 bytes");
  CHECK(source.taken() <= 1001);

  // Exactly the limit is fine, and so is less.
  for (const std::size_t size : {std::size_t{1000}, std::size_t{0}, std::size_t{70000}}) {
    EndlessInput exact(size, 'x');
    std::istream exact_in(&exact);
    Io exact_io(exact_in, out, err);
    auto got = ReadInput("-", exact_io, 70000);
    REQUIRE(got.ok());
    CHECK(got->size() == size);
  }
}

TEST_CASE("the answers given to score are bounded at 1 MiB, from a file or a pipe",
          "[cli][input]") {
  TempInstruments instruments;
  const std::string big =
      "{\"answers\": {\"q1\": \"" + std::string(std::size_t{2} << 20, 'a') + "\"}}";
  const fs::path file = instruments.Write("big.json", big);
  const std::map<std::string, std::string> env = {{"SCREENING_INSTRUMENTS", instruments.str()}};
  for (const std::string& from : {file.string(), std::string("-")}) {
    const CliRun run =
        RunCli({"score", "--instrument", "cli_demo", "--answers", from, "--lang", "en"},
               from == "-" ? big : std::string(), env);
    INFO(from << ": " << run.err);
    CHECK(run.code == kExitFailed);
    CHECK(Has(run.err, "larger than 1048576 bytes"));
  }
}

TEST_CASE("a terminal line longer than any answer is read past, not kept", "[cli][input]") {
  std::istringstream in(std::string(100000, 'y') + "\nnext\nlast");
  std::string line;
  CHECK(ReadBoundedLine(in, &line, 10) == LineRead::kTooLong);
  CHECK(line.empty());
  CHECK(ReadBoundedLine(in, &line, 10) == LineRead::kLine);
  CHECK(line == "next");
  CHECK(ReadBoundedLine(in, &line, 10) == LineRead::kLine);  // a last line without '\n'
  CHECK(line == "last");
  CHECK(ReadBoundedLine(in, &line, 10) == LineRead::kEnd);
  std::istringstream exact("0123456789\n");
  CHECK(ReadBoundedLine(exact, &line, 10) == LineRead::kLine);
  CHECK(line == "0123456789");
}

TEST_CASE("a line that is refused as a whole is left where it passed its limit", "[cli][input]") {
  // 64 MiB without a line end, 1000 bytes allowed: reading stops one byte past the limit
  // (what --case-stdin reads), where reading on would take all of it.
  EndlessInput source(std::size_t{64} << 20, 'A');
  std::istream in(&source);
  std::string line;
  CHECK(ReadBoundedLine(in, &line, 1000, LongLine::kStop) == LineRead::kTooLong);
  CHECK(line.empty());
  CHECK(source.taken() == 1001);
  // A line within the limit reads as before, and the next one after it.
  std::istringstream lines("0123456789\nnext\n");
  CHECK(ReadBoundedLine(lines, &line, 10, LongLine::kStop) == LineRead::kLine);
  CHECK(line == "0123456789");
  CHECK(ReadBoundedLine(lines, &line, 10, LongLine::kStop) == LineRead::kLine);
  CHECK(line == "next");
}

}  // namespace
}  // namespace screening::cli::test
