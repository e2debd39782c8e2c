#pragma once
// The command line as a function, so that tests run it in-process.
#include <atomic>
#include <iosfwd>
#include <string>
#include <vector>

namespace ns {

// Exit status: 0 success, 1 the simulation failed, 2 bad input or usage.
// Set by main()'s SIGINT handler: the run stops at its next step, keeps what it computed
// under the .partial name and exits 130.
std::atomic<bool>& interrupt_requested();

int run_app(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace ns
