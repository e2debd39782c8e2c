#include "cli/app.hpp"

#include <ostream>

namespace ns {

int run_app(const std::vector<std::string>& /*args*/, std::ostream& /*out*/, std::ostream& err) {
  err << "neurospice: not built yet\n";
  return 2;
}

}  // namespace ns
