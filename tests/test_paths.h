// Where the tests find the source tree's test data and instruments. The paths are compiled
// into one small library (test_paths.cc) instead of into every test's object file, so a
// compiler cache shares the tests' objects between clones in different folders.
#pragma once

namespace screening::test_paths {
const char* DataDir();         // tests/data
const char* InstrumentsDir();  // instruments/
}  // namespace screening::test_paths

#define SCREENING_TEST_DATA_DIR (::screening::test_paths::DataDir())
#define SCREENING_TEST_INSTRUMENTS_DIR (::screening::test_paths::InstrumentsDir())
