#include <csignal>
#include <iostream>

#include "analysis/distributed.hpp"
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
  const ns::Cluster cluster(argc, argv);  // MPI, when mpirun or srun started this process
  // Only rank 0 speaks: a deck error is reported once, not once per rank.
  std::ostream silent(nullptr);
  const bool speaks = ns::Cluster::rank() == 0;
  return ns::run_app(std::vector<std::string>(argv + 1, argv + argc), speaks ? std::cout : silent,
                     speaks ? std::cerr : silent);
}
