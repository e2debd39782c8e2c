#pragma once
// The command line as a function, so that tests run it in-process.
#include <iosfwd>
#include <string>
#include <vector>

namespace ns {

// Exit status: 0 success, 1 the simulation failed, 2 bad input or usage.
int run_app(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace ns
