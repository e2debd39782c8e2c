#pragma once
// "(did you mean 'nbox'?)" for misspelt names.
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ns {

std::size_t edit_distance(std::string_view a, std::string_view b);
// " (did you mean 'x'?)" for the closest candidate within a small distance, else "".
std::string did_you_mean(std::string_view name, std::span<const std::string_view> candidates);
std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace ns
