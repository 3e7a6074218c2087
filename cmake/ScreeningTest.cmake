# One helper for every Catch2 test executable: links the test main, registers with CTest.
include(Catch)
function(screening_add_test name)
  cmake_parse_arguments(ARG "" "LABEL" "SOURCES;LIBS" ${ARGN})
  if(NOT ARG_LABEL)
    set(ARG_LABEL unit)
  endif()
  # A time-out only catches a hang: a 2-core CI machine running two tests at a time with the
  # sanitizers is several times slower than a quiet one, and the `slow` loops take a minute
  # there on their own.
  set(timeout 300)
  if(ARG_LABEL STREQUAL "slow")
    set(timeout 900)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE screening_test_main ${ARG_LIBS} screening_warnings)
  # --warn NoTests: a test whose name the discovery mangled (a ';' splits it) matches nothing
  # and fails instead of passing without running.
  catch_discover_tests(${name} EXTRA_ARGS --warn NoTests
                       PROPERTIES TIMEOUT ${timeout} LABELS ${ARG_LABEL}
                       ENVIRONMENT "SCREENING_INSTRUMENTS=${SCREENING_INSTRUMENTS_DIR}")
endfunction()
