#include <csignal>
#include <iostream>

#include "cli/app.hpp"

namespace {

// The first Ctrl-C (or kill) asks the run to stop cleanly; a second one ends the process at once.
extern "C" void on_interrupt(int signal) {
  ns::interrupt_requested().store(true);
  std::signal(signal, SIG_DFL);
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  return ns::run_app(std::vector<std::string>(argv + 1, argv + argc), std::cout, std::cerr);
}
