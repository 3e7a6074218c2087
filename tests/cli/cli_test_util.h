// Runs the `screening` CLI in-process for the tests, against a private copy of test data.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace screening::cli::test {

struct CliRun {
  int code = -1;
  std::string out;
  std::string err;
};

// Runs `screening ARGS...` with `input` on standard input and `env` as the whole
// environment; `interactive`: as if standard input were a terminal (Io::interactive).
CliRun RunCli(const std::vector<std::string>& args, const std::string& input = {},
              const std::map<std::string, std::string>& env = {}, bool interactive = false);

// A fresh temporary folder holding the repository's vocabulary and the CLI test
// instrument (tests/data/cli/cli_demo.textproto); removed on destruction.
class TempInstruments {
 public:
  TempInstruments();
  ~TempInstruments();
  TempInstruments(const TempInstruments&) = delete;
  TempInstruments& operator=(const TempInstruments&) = delete;

  const std::filesystem::path& dir() const { return dir_; }
  std::string str() const { return dir_.string(); }
  // Copies tests/data/cli/NAME into the folder (or to the relative path `as`, creating its
  // folders) and returns its path.
  std::filesystem::path Copy(const std::string& name, const std::string& as = {}) const;
  // Writes `text` to the folder under `name` and returns its path.
  std::filesystem::path Write(const std::string& name, const std::string& text) const;

 private:
  std::filesystem::path dir_;
};

// tests/data/cli.
std::filesystem::path CliDataDir();
// The repository's instruments/ folder.
std::filesystem::path RepoInstrumentsDir();
// Lines of `text` (without the newlines).
std::vector<std::string> Lines(const std::string& text);

}  // namespace screening::cli::test
