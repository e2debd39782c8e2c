#pragma once
#include <gtest/gtest.h>

#include <string>

#include "netlist/frontend.hpp"

namespace ns::test {

inline Netlist parse(const std::string& text, const std::map<std::string, double>& overrides = {}) {
  return elaborate(*read_deck_text(text, "t.cir"), overrides);
}

// "t.cir:3:7: error: message" of the InputError the deck raises, or "no error".
inline std::string error_of(const std::string& text,
                            const std::map<std::string, double>& overrides = {}) {
  try {
    parse(text, overrides);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

inline const Element& element(const Netlist& n, const std::string& name) {
  for (const auto& e : n.elements)
    if (e.name == name) return e;
  throw std::runtime_error("no element " + name);
}

// The error text must start with the location and contain the message.
#define EXPECT_ERROR(deck, location, message)                                   \
  do {                                                                          \
    const std::string error_text = ::ns::test::error_of(deck);                  \
    EXPECT_EQ(error_text.rfind(std::string(location) + ": error: ", 0), 0u)     \
        << error_text;                                                          \
    EXPECT_NE(error_text.find(message), std::string::npos) << error_text;       \
  } while (0)

}  // namespace ns::test
