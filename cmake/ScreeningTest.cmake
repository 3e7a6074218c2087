# One helper for every Catch2 test executable: links the test main, registers with CTest.
include(Catch)
function(screening_add_test name)
  cmake_parse_arguments(ARG "" "LABEL" "SOURCES;LIBS" ${ARGN})
  if(NOT ARG_LABEL)
    set(ARG_LABEL unit)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE screening_test_main ${ARG_LIBS} screening_warnings)
  catch_discover_tests(${name} PROPERTIES TIMEOUT 120 LABELS ${ARG_LABEL}
                       ENVIRONMENT "SCREENING_INSTRUMENTS=${SCREENING_INSTRUMENTS_DIR}")
endfunction()
