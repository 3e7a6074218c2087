# Project-wide warning and hardening flags, applied through an interface target so that
# generated code (protobuf) can opt out.
add_library(screening_warnings INTERFACE)
target_compile_options(screening_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wold-style-cast -Wnon-virtual-dtor
  $<$<BOOL:${SCREENING_WERROR}>:-Werror>)

add_library(screening_hardening INTERFACE)
target_compile_options(screening_hardening INTERFACE
  -fstack-protector-strong
  $<$<NOT:$<CONFIG:Debug>>:-D_FORTIFY_SOURCE=2>
  $<$<CONFIG:Debug>:-D_GLIBCXX_ASSERTIONS>)
target_link_options(screening_hardening INTERFACE -Wl,-z,relro,-z,now)
