#include "test_paths.h"

namespace screening::test_paths {

const char* DataDir() { return SCREENING_TEST_DATA_PATH; }
const char* InstrumentsDir() { return SCREENING_TEST_INSTRUMENTS_PATH; }

}  // namespace screening::test_paths
