// Shared fixtures of the fuzz targets (docs/reliability.md): the installed instruments,
// the engine tests' synthetic instruments, and a way to report a broken invariant.
//
// Every target is a plain `LLVMFuzzerTestOneInput`, linked either with libFuzzer (the
// `*_fuzzer` binaries of the clang preset) or with regression_main.cc (the
// `*_regressions` binaries CTest runs over the seed corpus and the kept crashers).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include <screening/instrument.h>
#include <screening/registry.h>
#include <screening/session.h>

namespace screening::fuzz {

// The instruments folder of the source tree, loaded once (aborts when it does not load:
// the fuzzers are useless without it).
const Registry& Instruments();
// tests/data/instruments/every_type.textproto (one item of every type, a repeated group,
// a score, bands, a judgement, a flag), loaded with its synthetic vocabulary.
std::shared_ptr<const Instrument> EveryType();
// tests/data/cli/cli_demo.textproto, loaded with the installed vocabulary.
std::shared_ptr<const Instrument> CliDemo();
// Every fixture instrument: the installed ones, then every_type and cli_demo.
const std::vector<std::shared_ptr<const Instrument>>& AllInstruments();

// A session over `instrument` answered the same way for any instrument: round 0 leaves it
// empty; round 1 gives every top-level item its first code (or its minimum) and one block
// per group; round 2 its last code (unknown, insufficient) or maximum and two blocks whose
// items are answered too. Answers a condition disables are skipped.
Session SampleSession(const std::shared_ptr<const Instrument>& instrument, int round);

// Reports a broken invariant (never the input itself) and aborts, so that libFuzzer keeps
// the input as a crasher.
[[noreturn]] void Fail(std::string_view what);

inline std::string_view AsText(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace screening::fuzz
