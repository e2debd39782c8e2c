// .step cards: every target and sweep form, the errors, and set_knob on a netlist.
#include "helpers.hpp"
#include "netlist/knob.hpp"

namespace ns {
namespace {

using test::element;
using test::parse;

const std::string circuit =
    "t\n"
    ".param x=1 rload=2k\n"
    ".model nch nmos vto=0.7 kp=1e-4\n"
    "v1 d 0 1\n"
    "vp p 0 pulse(0 1 0 1n 1n 1u 2u)\n"
    "i1 0 d 1m\n"
    "r1 d g 1k\n"
    "r2 g 0 r=2k\n"
    "m1 d g 0 0 nch w=1u\n";

Netlist stepped(const std::string& cards) { return parse(circuit + cards); }  // cards from line 10

TEST(StepCard, ParamListLinAndLog) {
  Netlist n = parse("t\n.param x=1 y=2 z=3\n.step param x list 1 2 5\n.step param y 1k 3k 1k\n"
                    ".step param z dec 1 100 1\n");
  ASSERT_EQ(n.steps.size(), 3u);
  EXPECT_EQ(n.steps[0].knob.kind, Knob::Kind::Param);
  EXPECT_EQ(n.steps[0].knob.name, "x");
  EXPECT_EQ(n.steps[0].knob.label, "x");
  EXPECT_EQ(n.steps[0].points, (std::vector<double>{1, 2, 5}));
  EXPECT_EQ(n.steps[0].knob.where.line, 3);
  EXPECT_EQ(n.steps[0].knob.where.column, 13);
  EXPECT_EQ(n.steps[1].points, (std::vector<double>{1000, 2000, 3000}));
  EXPECT_EQ(n.steps[2].points.size(), 3u);  // one point per decade over two decades
  EXPECT_DOUBLE_EQ(n.steps[2].points[1], 10);
  EXPECT_EQ(n.steps[2].points[2], 100);

  n = parse("t\n.param x=1\n.step param x oct 1 8 1\n");
  EXPECT_EQ(n.steps[0].points, (std::vector<double>{1, 2, 4, 8}));
  n = parse("t\n.param x=1\n.step param x lin 0 1 0.5\n");
  EXPECT_EQ(n.steps[0].points, (std::vector<double>{0, 0.5, 1}));
  n = parse("t\n.param x=1\n.step oct param x 1 4 1\n");  // the type before the target
  EXPECT_EQ(n.steps[0].points, (std::vector<double>{1, 2, 4}));
  n = parse("t\n.param x=1 k=2\n.step param x list {k} {k*3}\n");
  EXPECT_EQ(n.steps[0].points, (std::vector<double>{2, 6}));
}

TEST(StepCard, OtherTargets) {
  const Netlist n = stepped(".step temp list 0 50\n.step V1 0 2 1\n.step NMOS NCH(VTO) 0.5 0.7 0.1\n");
  ASSERT_EQ(n.steps.size(), 3u);
  EXPECT_EQ(n.steps[0].knob.kind, Knob::Kind::Temperature);
  EXPECT_EQ(n.steps[0].knob.label, "temp");
  EXPECT_EQ(n.steps[1].knob.kind, Knob::Kind::Source);
  EXPECT_EQ(n.steps[1].knob.name, "v1");
  EXPECT_EQ(n.steps[1].knob.label, "v1");
  EXPECT_EQ(n.steps[1].points, (std::vector<double>{0, 1, 2}));
  EXPECT_EQ(n.steps[2].knob.kind, Knob::Kind::ModelParam);
  EXPECT_EQ(n.steps[2].knob.name, "nch");
  EXPECT_EQ(n.steps[2].knob.param, "vto");
  EXPECT_EQ(n.steps[2].knob.label, "nch(vto)");
  EXPECT_EQ(n.steps[2].knob.where.column, 12);

  const Netlist m = stepped(".step nch(kp) list 1e-4 2e-4\n.step @R1[R] list 1k 2k\n.step i1 list 1m 2m\n");
  EXPECT_EQ(m.steps[0].knob.kind, Knob::Kind::ModelParam);
  EXPECT_EQ(m.steps[0].knob.label, "nch(kp)");
  EXPECT_EQ(m.steps[1].knob.kind, Knob::Kind::InstanceParam);
  EXPECT_EQ(m.steps[1].knob.name, "r1");
  EXPECT_EQ(m.steps[1].knob.param, "r");
  EXPECT_EQ(m.steps[1].knob.label, "@r1[r]");
  EXPECT_EQ(m.steps[2].knob.kind, Knob::Kind::Source);
  EXPECT_EQ(m.steps[2].knob.name, "i1");
}

TEST(StepCard, Errors) {
  EXPECT_ERROR(circuit + ".step param rlaod list 1 2\n", "t.cir:10:13",
               "'rlaod' is not a top-level .param (did you mean 'rload'?)");
  EXPECT_ERROR(circuit + ".step v2 list 1 2\n", "t.cir:10:7", "'v2' is not an independent source (did you mean 'v1'?)");
  EXPECT_ERROR(circuit + ".step r1 list 1 2\n", "t.cir:10:7", "'r1' is not an independent source");
  EXPECT_ERROR(circuit + ".step x list 1 2\n", "t.cir:10:7",
               "'x' is not an independent source (to step the .param write '.step param x')");
  EXPECT_ERROR(circuit + ".step pch(vto) list 1 2\n", "t.cir:10:7", "no model 'pch' to step (did you mean 'nch'?)");
  EXPECT_ERROR(circuit + ".step pmos nch(vto) list 1 2\n", "t.cir:10:7", "model 'nch' is of type 'nmos', not 'pmos'");
  EXPECT_ERROR(circuit + ".step nch vto list 1 2\n", "t.cir:10:7", "'nch' is not an independent source");
  EXPECT_ERROR(circuit + ".step @r9[r] list 1 2\n", "t.cir:10:7", "no element 'r9' to step (did you mean 'r1'?)");
  EXPECT_ERROR(circuit + ".step @r1 list 1 2\n", "t.cir:10:7", "expected @device[parameter], not '@r1'");
  EXPECT_ERROR(circuit + ".step param x 1 2\n", "t.cir:10:13", "'.step x' needs start, stop and increment");
  EXPECT_ERROR(circuit + ".step param x dec 1 2\n", "t.cir:10:13", "'.step x' needs start, stop and points per decade");
  EXPECT_ERROR(circuit + ".step param x list\n", "t.cir:10:13", "'.step x' needs at least one value after 'list'");
  EXPECT_ERROR(circuit + ".step param x 1 2 1 4\n", "t.cir:10:21", "unexpected '4' on '.step'");
  EXPECT_ERROR(circuit + ".step dec param x lin 1 2 1\n", "t.cir:10:19", "the sweep type is already 'dec'");
  EXPECT_ERROR(circuit + ".step param x 1 2 0\n", "t.cir:10:19", "the step must not be zero");
  EXPECT_ERROR(circuit + ".step\n", "t.cir:10:1", "'.step' needs what to step");
  EXPECT_ERROR(circuit + ".step temp list 1 2\n.step TEMP list 3\n", "t.cir:11:7",
               "'temp' is already stepped at t.cir:10:7");
  EXPECT_ERROR(circuit + ".step temp list 1\n.step v1 list 1\n.step i1 list 1\n.step param x list 1\n", "t.cir:13:1",
               "at most 3 '.step' cards may nest (the first is at t.cir:10:7)");
  EXPECT_ERROR("t\n.subckt s a\n.step temp list 1\n.ends\n", "t.cir:3:1", "'.step' is not allowed inside subcircuit 's'");
}

TEST(SetKnob, TemperatureAndSources) {
  Netlist n = stepped(".step temp list 0\n.step v1 list 0\n.step vp list 0\n");
  set_knob(n, n.steps[0].knob, 75);
  EXPECT_EQ(n.options.temp, 75);
  set_knob(n, n.steps[1].knob, 2.5);
  const Element& v1 = element(n, "v1");
  ASSERT_EQ(v1.groups.size(), 1u);
  EXPECT_EQ(v1.groups[0].keyword, "dc");
  EXPECT_EQ(v1.groups[0].args.at(0).value, 2.5);
  EXPECT_EQ(v1.groups[0].args.at(0).where.line, 11);  // errors about it point at the .step card
  // A source with only a waveform gets a dc value, and keeps its waveform.
  set_knob(n, n.steps[2].knob, 0.25);
  const Element& vp = element(n, "vp");
  ASSERT_EQ(vp.groups.size(), 2u);
  EXPECT_EQ(vp.groups[0].keyword, "dc");
  EXPECT_EQ(vp.groups[0].args.at(0).value, 0.25);
  EXPECT_EQ(vp.groups[1].keyword, "pulse");
  set_knob(n, n.steps[1].knob, 3);  // again: replaces, does not add
  EXPECT_EQ(element(n, "v1").groups.size(), 1u);
  EXPECT_EQ(element(n, "v1").groups[0].args.at(0).value, 3);
}

TEST(SetKnob, ModelParameters) {
  Netlist n = stepped(".step nch(vto) list 0\n.step nch(lambda) list 0\n");
  set_knob(n, n.steps[0].knob, 0.4);
  set_knob(n, n.steps[1].knob, 0.02);
  const auto& p = n.models.at("nch").params;
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].name, "vto");
  EXPECT_EQ(p[0].value, 0.4);
  EXPECT_EQ(p[0].where.line, 10);
  EXPECT_EQ(p[1].value, 1e-4);
  EXPECT_EQ(p[2].name, "lambda");
  EXPECT_EQ(p[2].value, 0.02);
}

TEST(SetKnob, ModelParameterReachesEveryPerDeviceCopy) {
  const auto deck = read_deck_text("t\n.model dr d is={agauss(1e-14, 1e-15, 1)}\nv1 a 0 1\nd1 a 0 dr\nd2 a 0 dr\n"
                                   ".step dr(n) list 1 2\n", "t.cir");
  Netlist n = elaborate(*deck, {}, 5);
  ASSERT_NE(element(n, "d1").model, element(n, "d2").model);
  set_knob(n, n.steps[0].knob, 1.5);
  for (const char* d : {"d1", "d2"}) {
    const Model& m = n.models.at(element(n, d).model);
    ASSERT_EQ(m.params.size(), 2u) << d;
    EXPECT_EQ(m.params[1].name, "n");
    EXPECT_EQ(m.params[1].value, 1.5);
  }
}

TEST(SetKnob, InstanceParameterIsTheLastOfItsName) {
  // resolve() applies positional values, then name=value in order: the stepped value,
  // added as the last r=, wins over the positional 1k.
  Netlist n = stepped(".step @r1[r] list 0\n.step @r2[r] list 0\n.step @m1[l] list 0\n");
  set_knob(n, n.steps[0].knob, 5e3);
  const Element& r1 = element(n, "r1");
  EXPECT_EQ(r1.values.at(0).value, 1e3);
  ASSERT_EQ(r1.params.size(), 1u);
  EXPECT_EQ(r1.params[0].name, "r");
  EXPECT_EQ(r1.params[0].value, 5e3);
  set_knob(n, n.steps[1].knob, 7e3);  // given by name: replaced in place
  ASSERT_EQ(element(n, "r2").params.size(), 1u);
  EXPECT_EQ(element(n, "r2").params[0].value, 7e3);
  set_knob(n, n.steps[2].knob, 2e-6);
  EXPECT_EQ(element(n, "m1").params.size(), 2u);
  EXPECT_EQ(element(n, "m1").params[1].value, 2e-6);
  n = stepped(".step @v1[dc] list 0\n");
  set_knob(n, n.steps[0].knob, 4);  // a source's dc as an instance parameter is its DC value
  EXPECT_EQ(element(n, "v1").groups.at(0).args.at(0).value, 4);
  EXPECT_TRUE(element(n, "v1").params.empty());
}

TEST(SetKnob, ParamElaboratesAgainKeepingTheOtherKnobsAndTheDraws) {
  const auto deck = read_deck_text("t\n.param k=1\n.model dr d is={agauss(1e-14, 1e-15, 1)}\nv1 a 0 1\n"
                                   "d1 a 0 dr\nr1 a 0 {k}\n.step param k list 2\n.step v1 list 0\n", "t.cir");
  Netlist n = elaborate(*deck, {}, 5);
  const double is = n.models.at(element(n, "d1").model).params.at(0).value;
  set_knob(n, n.steps[1].knob, 2.5);
  const Knob k = n.steps[0].knob;
  set_knob(n, k, 7);  // the deck again, with k = 7
  EXPECT_EQ(element(n, "r1").values.at(0).value, 7);
  EXPECT_EQ(n.params.at("k"), 7);
  EXPECT_EQ(element(n, "v1").groups.at(0).args.at(0).value, 2.5);  // v1 set before: set again
  EXPECT_EQ(n.models.at(element(n, "d1").model).params.at(0).value, is);  // the same random stream
  ASSERT_EQ(n.settings.size(), 1u);
  EXPECT_EQ(n.overrides.at("k"), 7);
}

TEST(SetKnob, MissingTargetIsLocated) {
  Netlist n = stepped(".step @r1[r] list 0\n");
  Netlist other = parse("t\nv1 a 0 1\nr5 a 0 1\n");
  try {
    set_knob(other, n.steps[0].knob, 1);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "t.cir:10:7: error: no element 'r1' to step");
  }
}

}  // namespace
}  // namespace ns
