// The library's version, recorded with every result as the engine version.
#pragma once

namespace screening {

// "MAJOR.MINOR.PATCH" of the library (the project version).
const char* EngineVersion();

}  // namespace screening
