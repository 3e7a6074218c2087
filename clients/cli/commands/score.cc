#include "commands/score.h"

#include <fstream>
#include <istream>
#include <ostream>

#include <screening/batch.h>
#include <screening/directory.h>
#include <screening/json.h>
#include <screening/registry.h>
#include <screening/session.h>
#include <CLI/CLI.hpp>

#include "commands/cli_support.h"

namespace screening::cli {
namespace {

constexpr std::string_view kName = "screening score";

}  // namespace

BatchStats ScoreBatch(const std::shared_ptr<const Instrument>& instrument, std::istream& in,
                      std::ostream& out, std::string_view lang, int threads) {
  EvaluateOptions options;
  options.lang = std::string(lang);
  const BatchCounts counts = ScoreJsonLines(instrument, in, out, options, threads);
  return BatchStats{counts.lines, counts.failed};
}

std::string ScoreCommand::summary(std::string_view lang) const {
  return Tr(lang, "Beräkna resultatet av svar på ett instrument",
            "Compute the result of answers to an instrument");
}

int ScoreCommand::Run(const std::vector<std::string>& args, Io& io) {
  std::string ref;
  std::string answers_path;
  std::string batch_path;
  std::string format;  // empty: text for --answers, JSON lines for --batch
  bool pretty = false;
  int threads = 1;
  CommandLine command_line = CommandLineWithDetails(
      *this, std::string(kName),
      "Svaren ges som JSON (se docs/cli.md). Med --batch läses en JSON-rad per "
      "bedömning och ett resultat skrivs per rad i samma ordning; en rad som inte går "
      "att beräkna ger {\"line\": N, \"error\": \"...\"} och slutstatus 1.",
      "Answers are given as JSON (see docs/cli.md). With --batch one JSON line per "
      "assessment is read and one result per line written in the same order; a line "
      "that cannot be scored gives {\"line\": N, \"error\": \"...\"} and exit status "
      "1.");
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    app.add_option("--instrument", ref,
                   Tr(lang, "Instrumentets id, ev. med @VERSION",
                      "The instrument's id, optionally with @VERSION"))
        ->required()
        ->type_name("ID[@VERSION]");
    app.add_option("--answers", answers_path,
                   Tr(lang, "Svarsfil (JSON), '-' för standard in",
                      "Answers file (JSON), '-' for standard input"))
        ->type_name(Tr(lang, "FIL|-", "FILE|-"));
    app.add_option("--batch", batch_path,
                   Tr(lang, "En svars-JSON per rad, '-' för standard in",
                      "One answers JSON per line, '-' for standard input"))
        ->type_name(Tr(lang, "FIL.jsonl|-", "FILE.jsonl|-"));
    app.add_option("--format", format,
                   Tr(lang,
                      "Utdataformat för --answers (standard text); --batch skriver "
                      "alltid JSON-rader",
                      "Output format for --answers (default text); --batch always writes "
                      "JSON lines"))
        ->check(OneOf({"text", "json"}))
        ->type_name("text|json");
    app.add_option("--threads", threads,
                   Tr(lang,
                      "Trådar som beräknar --batch samtidigt (standard 1); utdata i samma "
                      "ordning",
                      "Threads scoring --batch in parallel (default 1); output in the same "
                      "order"))
        ->type_name("N");
    app.add_flag(
        "--pretty", pretty,
        Tr(lang, "Indenterad JSON (med --format json)", "Indented JSON (with --format json)"));
  };
  if (auto code = ParseCommandLine(command_line, args, io)) return *code;
  if (answers_path.empty() == batch_path.empty()) {
    return UsageError(
        io, kName,
        Tr(io.lang, "ange antingen --answers eller --batch", "give either --answers or --batch"));
  }
  if (threads < 1 || threads > 64) {
    return UsageError(io, kName,
                      Tr(io.lang, "--threads ska vara 1 till 64", "--threads must be 1 to 64"));
  }
  if (!batch_path.empty() && format == "text") {
    return UsageError(
        io, kName,
        Tr(io.lang, "--batch skriver alltid JSON-rader", "--batch always writes JSON lines"));
  }

  auto registry = LoadRegistryOrReport(io, kName);
  if (registry == nullptr) return kExitFailed;
  auto instrument = FindInstrumentOrReport(*registry, ref, io, kName);
  if (instrument == nullptr) return kExitFailed;

  if (!batch_path.empty()) {
    BatchStats stats;
    if (batch_path == "-") {
      stats = ScoreBatch(instrument, io.in, io.out, io.lang, threads);
    } else {
      std::ifstream file(batch_path, std::ios::binary);
      if (!file) {
        return Failure(io, kName,
                       std::string(Tr(io.lang, "kan inte öppna ", "cannot open ")) + batch_path);
      }
      stats = ScoreBatch(instrument, file, io.out, io.lang, threads);
      if (file.bad()) {
        return Failure(io, kName,
                       std::string(Tr(io.lang, "läsfel i ", "read error in ")) + batch_path);
      }
    }
    if (stats.failed == 0) return kExitOk;
    return Failure(io, kName,
                   std::to_string(stats.failed) + Tr(io.lang, " av ", " of ") +
                       std::to_string(stats.lines) +
                       Tr(io.lang, " rader kunde inte beräknas", " lines could not be scored"));
  }

  auto input = ReadInput(answers_path, io);
  if (!input.ok()) return Failure(io, kName, input.status().message());
  auto session = ParseAnswersJson(instrument, *input);
  if (!session.ok()) return Failure(io, kName, session.status().message());
  // The support resources for the person come from the directory beside the instruments;
  // a folder of instruments without one (a test set) scores without resources.
  Diagnostics diagnostics;
  auto directory =
      Directory::LoadDirectory(InstrumentsDirectory(io), instrument->vocabulary(), &diagnostics);
  if (!directory.ok() && directory.status().code() != StatusCode::kNotFound) {
    for (const auto& d : diagnostics) io.err << d.ToString() << "\n";
    return Failure(io, kName, directory.status().message());
  }
  const Directory* dir = directory.ok() ? directory->get() : nullptr;
  EvaluateOptions options;
  options.lang = io.lang;
  options.directory = dir;
  auto result = Evaluate(*session, options);
  if (!result.ok()) return Failure(io, kName, result.status().message());
  if (format == "json") {
    io.out << ResultToJson(*result, pretty) << "\n";
  } else {
    io.out << ResultToText(*result, *instrument, io.lang, dir);
  }
  return kExitOk;
}

}  // namespace screening::cli
