# `format` rewrites, `format-check` fails on any difference (CI).
find_program(CLANG_FORMAT NAMES clang-format-14 clang-format)
if(CLANG_FORMAT)
  file(GLOB_RECURSE SCREENING_FORMAT_FILES CONFIGURE_DEPENDS
       ${PROJECT_SOURCE_DIR}/libscreening/*.h ${PROJECT_SOURCE_DIR}/libscreening/*.cc
       ${PROJECT_SOURCE_DIR}/clients/*.h ${PROJECT_SOURCE_DIR}/clients/*.cc
       ${PROJECT_SOURCE_DIR}/tests/*.h ${PROJECT_SOURCE_DIR}/tests/*.cc
       ${PROJECT_SOURCE_DIR}/bench/*.h ${PROJECT_SOURCE_DIR}/bench/*.cc
       ${PROJECT_SOURCE_DIR}/schemas/*.proto)
  add_custom_target(format COMMAND ${CLANG_FORMAT} -i ${SCREENING_FORMAT_FILES}
                    COMMENT "clang-format" VERBATIM)
  add_custom_target(format-check
                    COMMAND ${CLANG_FORMAT} --dry-run -Werror ${SCREENING_FORMAT_FILES}
                    COMMENT "clang-format check" VERBATIM)
endif()
