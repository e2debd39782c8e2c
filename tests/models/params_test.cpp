// Parameter tables: unknown names, values out of range and misplaced parameters are
// InputErrors naming the file:line:col given; required values; the registered types.
#include "harness.hpp"

namespace ns::test {
namespace {

template <class Build>
std::string error_of(Build build) {
  try {
    build();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

Bench diode_with(std::vector<Assignment> model_params, std::vector<Assignment> instance = {}) {
  return Bench("d", element('d', "d1", {"n0", "n1"}, {}, instance), model("d", model_params), {0, 1}, 2);
}

TEST(Params, UnknownModelParameterIsLocated) {
  const std::string e = error_of([] { diode_with({{"iss", 1e-14, at(3, 14)}}); });
  EXPECT_TRUE(contains(e, "bench.cir:3:14")) << e;
  EXPECT_TRUE(contains(e, "unknown parameter 'iss'")) << e;
  EXPECT_TRUE(contains(e, "did you mean 'is'")) << e;
}

TEST(Params, OutOfRangeValuesAreLocated) {
  std::string e = error_of([] { diode_with({{"m", 0.95, at(4, 22)}}); });
  EXPECT_TRUE(contains(e, "bench.cir:4:22")) << e;
  EXPECT_TRUE(contains(e, "in [0, 0.9]")) << e;
  e = error_of([] { diode_with({{"rs", -1, at(5, 3)}}); });
  EXPECT_TRUE(contains(e, "bench.cir:5:3")) << e;
  e = error_of([] {
    Bench("nmos", element('m', "m1", {"n0", "n1", "n2", "n3"}, {}, {{"w", -2e-6, at(6, 30)}}),
          model("nmos", {}), {0, 1, 2, 3}, 4);
  });
  EXPECT_TRUE(contains(e, "bench.cir:6:30")) << e;
  // A negative inductance or capacitance is taken, as ngspice takes them (op-amp macro
  // models use them; InductorBounds checks the negative L's values against ngspice).
  EXPECT_EQ(error_of([] { Bench("l", element('l', "l1", {"n0", "0"}, {-1e-9}), {}, {0, ground}, 1); }), "(no error)");
  EXPECT_EQ(error_of([] { Bench("c", element('c', "c1", {"n0", "0"}, {-1e-9}), {}, {0, ground}, 1); }), "(no error)");
}

TEST(Params, OpenAndClosedBounds) {
  // is > 0 (open): 0 itself is refused, and the message says so; rs >= 0 (closed) takes 0.
  std::string e = error_of([] { diode_with({{"is", 0, at(4, 9)}}); });
  EXPECT_TRUE(contains(e, "bench.cir:4:9")) << e;
  EXPECT_TRUE(contains(e, "it must be > 0 A")) << e;
  EXPECT_EQ(error_of([] { diode_with({{"is", 1e-300, {}}, {"rs", 0, {}}}); }), "(no error)");
  EXPECT_EQ(error_of([] { diode_with({{"is", 1027, {}}}); }), "(no error)");  // as ngspice, no upper bound
  e = error_of([] { diode_with({{"rs", -1, at(5, 3)}}); });
  EXPECT_TRUE(contains(e, "it must be >= 0 Ohm")) << e;
  e = error_of([] { Bench("nbox", element('n', "n1", {"n0", "n1"}), model("nbox", {{"cth", 0, at(6, 2)}}), {0, 1}, 2); });
  EXPECT_TRUE(contains(e, "it must be > 0 J/K")) << e;
  EXPECT_EQ(detail::range_text(above(0), 1), "(0, 1]");
  EXPECT_EQ(detail::range_text(0, below(1)), "[0, 1)");
  EXPECT_EQ(detail::range_text(-inf, below(2)), "< 2");
  EXPECT_EQ(detail::range_text(-inf, inf), "any");
  const std::string nbox = describe_device_type(*find_device_type("nbox"));
  EXPECT_TRUE(contains(nbox, "> 0")) << nbox;
}

TEST(Registry, DescribeListsDeclaredStatesAndProbes) {
  const std::string nbox = describe_device_type(*find_device_type("nbox"));
  EXPECT_TRUE(contains(nbox, "\n  state      unit")) << nbox;
  EXPECT_TRUE(contains(nbox, "\n  t          K        active-volume temperature")) << nbox;
  EXPECT_TRUE(contains(nbox, "\n  probe      unit")) << nbox;
  EXPECT_TRUE(contains(nbox, "\n  r          Ohm      resistance")) << nbox;
  const std::string hfox = describe_device_type(*find_device_type("hfox"));
  EXPECT_TRUE(contains(hfox, "gap        nm       filament gap")) << hfox;
  EXPECT_TRUE(contains(hfox, "held at its rest value in .op, .dc")) << hfox;
  const std::string stno = describe_device_type(*find_device_type("stno"));
  EXPECT_TRUE(contains(stno, "\n  cr         -        complex amplitude")) << stno;  // dimensionless
  // The cell's probes are its parts': the RRAM's, then the transistor's prefixed.
  const auto cell = find_device_type("hfox1t1r")->probes();
  ASSERT_EQ(cell.size(), find_device_type("hfox")->probes().size() + find_device_type("nmos")->probes().size());
  EXPECT_EQ(cell.front().name, "t");
  EXPECT_EQ(cell.back().name, "m_vdsat");
}

TEST(Params, ParametersInTheWrongPlace) {
  // area belongs on the instance, is on the .model card
  std::string e = error_of([] { diode_with({{"area", 2, at(8, 5)}}); });
  EXPECT_TRUE(contains(e, "bench.cir:8:5")) << e;
  e = error_of([] { diode_with({}, {{"is", 1e-15, at(9, 6)}}); });
  EXPECT_TRUE(contains(e, "bench.cir:9:6")) << e;
  // sources take no name=value parameters
  e = error_of([] {
    Element v = element('v', "v1", {"n0", "0"}, {}, {{"dc", 1, at(10, 11)}});
    Bench("v", v, {}, {0, ground}, 1);
  });
  EXPECT_TRUE(contains(e, "bench.cir:10:11")) << e;
}

TEST(Params, RequiredValues) {
  EXPECT_TRUE(contains(error_of([] { Bench("r", element('r', "r1", {"n0", "0"}), {}, {0, ground}, 1); }),
                       "has no value for 'r'"));
  // r = 0 is no error: ngspice runs it as 1 mOhm (tests/good/zero_resistor.cir).
  EXPECT_TRUE(error_of([] { Bench("r", element('r', "r1", {"n0", "0"}, {0}), {}, {0, ground}, 1); }) == "(no error)");
  EXPECT_TRUE(contains(error_of([] { Bench("e", element('e', "e1", {"n0", "0", "n1", "0"}), {}, {0, ground, 1, ground}, 2); }),
                       "has no value for 'gain'"));
  // Too many positional values, located at the first extra one.
  const std::string e = error_of([] { Bench("r", element('r', "r1", {"n0", "0"}, {1, 2}), {}, {0, ground}, 1); });
  EXPECT_TRUE(contains(e, "too many values")) << e;
}

TEST(Params, ResistorAcceptsRAsParameter) {
  const Bench b("r", element('r', "r1", {"n0", "0"}, {}, {{"r", 50, at(1, 9)}}), {}, {0, ground}, 1);
  EXPECT_DOUBLE_EQ(b.load({2}).f[0], 2.0 / 50);
  EXPECT_DOUBLE_EQ(b.quantity("i", {2}), 2.0 / 50);
  EXPECT_DOUBLE_EQ(b.quantity("p", {2}), 4.0 / 50);
}

TEST(Params, ControlledSourceNamesAMissingControl) {
  Element f = element('f', "f1", {"n0", "0"}, {2});
  f.control = "vx";
  f.control_where = at(12, 10);
  const std::string e = error_of([&] { Bench("f", f, {}, {0, ground}, 1, 300.15, {"vy"}); });
  EXPECT_TRUE(contains(e, "bench.cir:12:10")) << e;
}

TEST(Registry, StandardElementsAreRegistered) {
  for (const char* type : {"r", "c", "l", "v", "i", "e", "f", "g", "h", "d", "nmos", "pmos"}) {
    const DeviceType* t = find_device_type(type);
    ASSERT_NE(t, nullptr) << type;
    EXPECT_FALSE(describe_device_type(*t).empty());
  }
  EXPECT_EQ(find_device_type("d")->positional, (std::vector<std::string_view>{"area"}));
  EXPECT_EQ(find_device_type("nmos")->terminals, (std::vector<std::string_view>{"d", "g", "s", "b"}));
}

TEST(Topology, WhatEachElementDeclares) {
  struct Recorder : Topology {
    std::vector<std::pair<Unknown, Unknown>> conducting, defined;
    void conducts(Unknown a, Unknown b) override { conducting.emplace_back(a, b); }
    void voltage_defined(Unknown a, Unknown b) override { defined.emplace_back(a, b); }
  };
  auto record = [](const Bench& b) {
    Recorder r;
    b.device().topology(r);
    return r;
  };
  Element v = element('v', "v1", {"n0", "n1"});
  v.groups = {group("dc", {1})};
  EXPECT_EQ(record(Bench("r", element('r', "r1", {"n0", "n1"}, {1}), {}, {0, 1}, 2)).conducting.size(), 1u);
  EXPECT_TRUE(record(Bench("c", element('c', "c1", {"n0", "n1"}, {1}), {}, {0, 1}, 2)).conducting.empty());
  EXPECT_EQ(record(Bench("l", element('l', "l1", {"n0", "n1"}, {1}), {}, {0, 1}, 2)).defined.size(), 1u);
  EXPECT_EQ(record(Bench("v", v, {}, {0, 1}, 2)).defined.size(), 1u);
  const Recorder g = record(Bench("g", element('g', "g1", {"n0", "n1", "n2", "n3"}, {1}), {}, {0, 1, 2, 3}, 4));
  EXPECT_TRUE(g.conducting.empty() && g.defined.empty());
  EXPECT_EQ(record(Bench("e", element('e', "e1", {"n0", "n1", "n2", "n3"}, {1}), {}, {0, 1, 2, 3}, 4)).defined,
            (std::vector<std::pair<Unknown, Unknown>>{{0, 1}}));
}

}  // namespace
}  // namespace ns::test
