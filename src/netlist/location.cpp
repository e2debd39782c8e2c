#include "netlist/location.hpp"

#include <fmt/format.h>

namespace ns {

std::string Location::str() const {
  const std::string name = file ? *file : std::string("<input>");
  if (line <= 0) return name;
  return fmt::format("{}:{}:{}", name, line, column);
}

InputError::InputError(Location where, const std::string& message)
    : std::runtime_error(fmt::format("{}: error: {}", where.str(), message)),
      where_(std::move(where)),
      message_(message) {}

}  // namespace ns
