#include "cli_test_util.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <stdlib.h>

#include "commands/io.h"
#include "commands/run.h"
#include "test_paths.h"

namespace screening::cli::test {

CliRun RunCli(const std::vector<std::string>& args, const std::string& input,
              const std::map<std::string, std::string>& env, bool interactive) {
  std::istringstream in(input);
  std::ostringstream out;
  std::ostringstream err;
  Io io(in, out, err);
  io.interactive = interactive;
  io.env = [env](std::string_view name) -> std::optional<std::string> {
    auto it = env.find(std::string(name));
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
  CliRun run;
  run.code = Run(args, io);
  run.out = out.str();
  run.err = err.str();
  return run;
}

std::filesystem::path CliDataDir() {
  return std::filesystem::path(SCREENING_TEST_DATA_DIR) / "cli";
}

std::filesystem::path RepoInstrumentsDir() { return SCREENING_TEST_INSTRUMENTS_DIR; }

TempInstruments::TempInstruments() {
  std::string pattern = (std::filesystem::temp_directory_path() / "screening-cli-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
  std::filesystem::copy_file(RepoInstrumentsDir() / "vocabulary.textproto",
                             dir_ / "vocabulary.textproto");
  Copy("cli_demo.textproto");
}

TempInstruments::~TempInstruments() {
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::filesystem::path TempInstruments::Copy(const std::string& name, const std::string& as) const {
  const std::filesystem::path target = dir_ / (as.empty() ? name : as);
  std::filesystem::create_directories(target.parent_path());
  std::filesystem::copy_file(CliDataDir() / name, target,
                             std::filesystem::copy_options::overwrite_existing);
  return target;
}

std::filesystem::path TempInstruments::Write(const std::string& name,
                                             const std::string& text) const {
  const std::filesystem::path target = dir_ / name;
  std::ofstream(target, std::ios::binary) << text;
  return target;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  std::string line;
  while (std::getline(stream, line)) lines.push_back(line);
  return lines;
}

}  // namespace screening::cli::test
