// libFuzzer target for the netlist front end: any text, read and elaborated, and its
// analysis cards read by the registered analyses, must either give a Netlist or an
// InputError. Anything else escaping (another exception, a crash,
// a sanitizer report, a hang, runaway memory) is a bug. No simulation runs.
// Build: clang with -DNS_FUZZ=ON (see DEVELOPERS.md). .include/.lib read files relative
// to the current directory, so run it in an empty scratch directory.
#include <cstddef>
#include <cstdint>
#include <string>

#include "analysis/analysis.hpp"
#include "netlist/frontend.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    (void)ns::read_analyses(ns::elaborate(*ns::read_deck_text(text, "fuzz.cir")));
  } catch (const ns::InputError&) {
  }
  return 0;
}
