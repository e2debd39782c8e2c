#include <cmath>

#include "helpers.hpp"
#include "netlist/deck.hpp"

namespace ns {
namespace {

using test::element;
using test::parse;

TEST(Lines, TitleCommentsContinuations) {
  const Netlist n = parse(
      "My Title Line\n"
      "* a comment\n"
      "\n"
      "R1 A B 1k ; trailing comment\n"
      "C1 a b $ comment after dollar\n"
      "+ 10pF\n"
      "* comment between card and continuation\n"
      "+ ic=0.5\n"
      "L1 a 0 1u $\n"
      "R2 a$b 0 5\n");
  EXPECT_EQ(n.title, "My Title Line");
  ASSERT_EQ(n.elements.size(), 4u);
  const Element& r1 = element(n, "r1");
  EXPECT_EQ(r1.kind, 'r');
  EXPECT_EQ(r1.nodes, (std::vector<std::string>{"a", "b"}));
  EXPECT_DOUBLE_EQ(r1.values.at(0).value, 1e3);
  EXPECT_EQ(r1.where.line, 4);
  EXPECT_EQ(r1.where.column, 1);
  EXPECT_EQ(*r1.where.file, "t.cir");
  const Element& c1 = element(n, "c1");
  EXPECT_DOUBLE_EQ(c1.values.at(0).value, 10e-12);
  EXPECT_EQ(c1.values.at(0).where.line, 6);
  EXPECT_EQ(c1.values.at(0).where.column, 3);
  ASSERT_EQ(c1.params.size(), 1u);
  EXPECT_EQ(c1.params[0].name, "ic");
  EXPECT_DOUBLE_EQ(c1.params[0].value, 0.5);
  EXPECT_EQ(c1.params[0].where.line, 8);
  EXPECT_EQ(c1.params[0].where.column, 3);
  EXPECT_EQ(element(n, "r2").nodes.at(0), "a$b");  // '$' not followed by a blank is no comment
}

TEST(Lines, EndStopsReading) {
  const Netlist n = parse("t\nr1 a 0 1\n.end\nthis is not a card\n");
  EXPECT_EQ(n.elements.size(), 1u);
}

TEST(Elements, PassiveForms) {
  const Netlist n = parse("t\nR1 a b r=1k\nC1 a b 1p ic=0.5\nL1 a b {2*3}\n");
  const Element& r1 = element(n, "r1");
  EXPECT_TRUE(r1.values.empty());
  ASSERT_EQ(r1.params.size(), 1u);
  EXPECT_EQ(r1.params[0].name, "r");
  EXPECT_DOUBLE_EQ(r1.params[0].value, 1e3);
  EXPECT_EQ(r1.params[0].where.column, 8);
  EXPECT_DOUBLE_EQ(element(n, "l1").values.at(0).value, 6);
}

TEST(Elements, SourceGroups) {
  const Netlist n = parse(
      "t\n"
      "V1 a 0 1.5\n"
      "V2 a 0 DC 2 AC 1 90\n"
      "V3 a 0 PULSE(0 1 0 1n 1n 5u 10u)\n"
      "I1 a 0 dc 1m sin 0, 1, 1k\n"
      "V4 a 0 pwl(0 0, 1u 1)\n"
      "V5 a 0 exp (0 1 1n 1n 2n 1n)\n"
      "V6 a 0 SINE(0 1 1k)\n"  // LTspice's spelling of sin
      "V7 a 0 DC pwl(0 0 1 1)\n");  // ngspice: DC without a value is 0
  const auto& v1 = element(n, "v1").groups;
  ASSERT_EQ(v1.size(), 1u);
  EXPECT_EQ(v1[0].keyword, "dc");
  EXPECT_DOUBLE_EQ(v1[0].args.at(0).value, 1.5);
  EXPECT_EQ(v1[0].where.column, 8);
  const auto& v2 = element(n, "v2").groups;
  ASSERT_EQ(v2.size(), 2u);
  EXPECT_EQ(v2[0].keyword, "dc");
  EXPECT_EQ(v2[1].keyword, "ac");
  ASSERT_EQ(v2[1].args.size(), 2u);
  EXPECT_DOUBLE_EQ(v2[1].args[1].value, 90);
  const auto& v3 = element(n, "v3").groups;
  ASSERT_EQ(v3.size(), 1u);
  EXPECT_EQ(v3[0].keyword, "pulse");
  ASSERT_EQ(v3[0].args.size(), 7u);
  EXPECT_DOUBLE_EQ(v3[0].args[3].value, 1e-9);
  EXPECT_DOUBLE_EQ(v3[0].args[6].value, 10e-6);
  const auto& i1 = element(n, "i1").groups;
  ASSERT_EQ(i1.size(), 2u);
  EXPECT_DOUBLE_EQ(i1[0].args.at(0).value, 1e-3);
  EXPECT_EQ(i1[1].keyword, "sin");
  ASSERT_EQ(i1[1].args.size(), 3u);
  EXPECT_DOUBLE_EQ(i1[1].args[2].value, 1e3);
  EXPECT_EQ(element(n, "v4").groups.at(0).args.size(), 4u);
  EXPECT_EQ(element(n, "v5").groups.at(0).keyword, "exp");
  EXPECT_EQ(element(n, "v5").groups.at(0).args.size(), 6u);
  EXPECT_EQ(element(n, "v6").groups.at(0).keyword, "sin");
  EXPECT_EQ(element(n, "v6").groups.at(0).args.size(), 3u);
  const auto& v7 = element(n, "v7").groups;
  ASSERT_EQ(v7.size(), 2u);
  EXPECT_EQ(v7[0].keyword, "dc");
  EXPECT_DOUBLE_EQ(v7[0].args.at(0).value, 0);
  EXPECT_EQ(v7[1].keyword, "pwl");
}

TEST(Elements, ControlledSources) {
  const Netlist n = parse("t\nE1 o 0 a b 10\nG1 o 0 a b 1m\nV1 a 0 0\nF1 o 0 V1 2\nH1 o 0 v1 50\n");
  const Element& e1 = element(n, "e1");
  EXPECT_EQ(e1.nodes, (std::vector<std::string>{"o", "0", "a", "b"}));
  EXPECT_DOUBLE_EQ(e1.values.at(0).value, 10);
  const Element& f1 = element(n, "f1");
  EXPECT_EQ(f1.nodes.size(), 2u);
  EXPECT_EQ(f1.control, "v1");
  EXPECT_EQ(f1.control_where.column, 8);
  EXPECT_DOUBLE_EQ(f1.values.at(0).value, 2);
  EXPECT_EQ(element(n, "h1").control, "v1");
}

TEST(Elements, DevicesWithModels) {
  const Netlist n = parse(
      "t\n"
      ".model dm D(is=1e-14 n=1)\n"
      ".model nch nmos level=1, vto=0.7 kp={2*50u}\n"
      ".model cell nbox (g0=1)\n"
      "D1 a k dm 2 temp=30\n"
      "M1 d g s b nch W=1u L=0.18u\n"
      "M2 d g s nch\n"
      "N1 p q r cell gap=1n\n");
  const Model& dm = n.models.at("dm");
  EXPECT_EQ(dm.type, "d");
  ASSERT_EQ(dm.params.size(), 2u);
  EXPECT_EQ(dm.params[0].name, "is");
  EXPECT_DOUBLE_EQ(dm.params[0].value, 1e-14);
  EXPECT_EQ(dm.type_where.column, 11);
  const Model& nch = n.models.at("nch");
  ASSERT_EQ(nch.params.size(), 3u);
  EXPECT_EQ(nch.params[0].name, "level");
  EXPECT_DOUBLE_EQ(nch.params[2].value, 100e-6);
  const Element& d1 = element(n, "d1");
  EXPECT_EQ(d1.nodes, (std::vector<std::string>{"a", "k"}));
  EXPECT_EQ(d1.model, "dm");
  EXPECT_EQ(d1.model_where.column, 8);
  EXPECT_DOUBLE_EQ(d1.values.at(0).value, 2);
  EXPECT_EQ(d1.params.at(0).name, "temp");
  const Element& m1 = element(n, "m1");
  EXPECT_EQ(m1.nodes.size(), 4u);
  EXPECT_EQ(m1.model, "nch");
  EXPECT_EQ(m1.params.at(0).name, "w");
  EXPECT_DOUBLE_EQ(m1.params.at(1).value, 0.18e-6);
  EXPECT_EQ(element(n, "m2").nodes.size(), 3u);  // the builder reports the terminal count
  const Element& n1 = element(n, "n1");
  EXPECT_EQ(n1.nodes, (std::vector<std::string>{"p", "q", "r"}));
  EXPECT_EQ(n1.model, "cell");
}

TEST(Elements, UnknownModelIsPassedToTheBuilder) {
  const Netlist n = parse("t\nD1 a 0 nomodel\nN1 a b c missing\n");
  EXPECT_EQ(element(n, "d1").model, "nomodel");
  EXPECT_EQ(element(n, "d1").model_where.column, 8);
  EXPECT_EQ(element(n, "n1").model, "missing");
  EXPECT_EQ(element(n, "n1").nodes.size(), 3u);
}

TEST(Control, AnalysisCardsPassOnAsTheyAre) {
  // The analyses read their own cards (tests/analysis); the netlist gives each its
  // tokens, with every value evaluated in the .param scope.
  const Netlist n = parse("t\n.param tstop=10u\n.op\n.tran 1n {tstop} 1u uic\n.dc v1 list 1 2\n.noise v(out)\n");
  ASSERT_EQ(n.analyses.size(), 4u);
  EXPECT_EQ(n.analyses[0].name, ".op");
  EXPECT_TRUE(n.analyses[0].args.empty());
  const ControlCard& tran = n.analyses[1];
  EXPECT_EQ(tran.name, ".tran");
  EXPECT_EQ(tran.where.line, 4);
  ASSERT_EQ(tran.args.size(), 4u);
  EXPECT_DOUBLE_EQ(tran.args[0].number().value, 1e-9);
  EXPECT_DOUBLE_EQ(tran.args[1].number().value, 10e-6);
  EXPECT_EQ(tran.args[1].kind, CardArg::Kind::Expr);
  EXPECT_EQ(tran.args[2].where.column, 18);
  EXPECT_TRUE(tran.args[3].is("uic"));
  try {
    (void)tran.args[3].number();  // a word that is no value says why when asked for one
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("t.cir:4:21: error: undefined parameter 'uic'", 0), 0u) << e.what();
  }
  EXPECT_EQ(n.analyses[3].name, ".noise");  // no analysis reads it yet: the run says so
}

TEST(Control, OptionsAndTemp) {
  const Netlist n = parse(
      "t\n"
      ".options reltol=1e-4 abstol=1p vntol=1u gmin=1e-15 maxstep=1n method=trap\n"
      ".option tnom=25 everystep itl4=100 noacct\n"
      ".opt reltl=1e-3\n"
      ".temp 85\n");
  const Options& o = n.options;
  EXPECT_DOUBLE_EQ(o.reltol, 1e-4);
  EXPECT_DOUBLE_EQ(o.abstol, 1e-12);
  EXPECT_DOUBLE_EQ(o.vntol, 1e-6);
  EXPECT_DOUBLE_EQ(o.gmin, 1e-15);
  EXPECT_DOUBLE_EQ(o.tmax, 1e-9);
  EXPECT_EQ(o.method, "trap");
  EXPECT_DOUBLE_EQ(o.tnom, 25);
  EXPECT_TRUE(o.every_step);
  EXPECT_DOUBLE_EQ(o.temp, 85);
  ASSERT_EQ(n.warnings.size(), 3u);
  EXPECT_EQ(n.warnings[0], "t.cir:3:27: warning: option 'itl4' is ignored");
  EXPECT_EQ(n.warnings[1], "t.cir:3:36: warning: option 'noacct' is ignored");
  EXPECT_EQ(n.warnings[2], "t.cir:4:6: warning: option 'reltl' is ignored (did you mean 'reltol'?)");
  EXPECT_EQ(parse("t\n.options method=trapezoidal\n").options.method, "trap");
  EXPECT_EQ(parse("t\n.options method=gear\n").options.method, "gear");
  EXPECT_DOUBLE_EQ(parse("t\n.options temp=50\n").options.temp, 50);
  EXPECT_ERROR("t\n.options reltol=0\n", "t.cir:2:17", "option 'reltol' must be > 0");
}

// ngspice's .option seed=random seeds the draws from the clock: taken (was "undefined
// parameter 'random'"), the seed said in a note so that --seed repeats the run, and the
// same seed for every reading of the deck in one program run (reset, .step points).
TEST(Control, SeedRandom) {
  const Netlist a = parse("t\n.option seed=random\n");
  const Netlist b = parse("t\n.option seed=random\n");
  ASSERT_TRUE(a.options.deck_seed.has_value());
  EXPECT_EQ(a.options.deck_seed, b.options.deck_seed);
  ASSERT_EQ(a.warnings.size(), 1u);
  EXPECT_NE(a.warnings[0].find("t.cir:2:14: note: option seed=random: this run's draws are seeded with " +
                               std::to_string(*a.options.deck_seed)),
            std::string::npos)
      << a.warnings[0];
  EXPECT_EQ(parse("t\n.option seed=12\n").options.deck_seed, 12u);
}

TEST(Control, InitialConditions) {
  const Netlist n = parse("t\n.ic v(a)=1 v(x1.n) = 2m\n.nodeset v(b)=0.5\n");
  ASSERT_EQ(n.ic.size(), 2u);
  EXPECT_EQ(n.ic[0].node, "a");
  EXPECT_DOUBLE_EQ(n.ic[0].value.value, 1);
  EXPECT_EQ(n.ic[1].node, "x1.n");
  EXPECT_DOUBLE_EQ(n.ic[1].value.value, 2e-3);
  ASSERT_EQ(n.nodeset.size(), 1u);
  EXPECT_EQ(n.nodeset[0].node, "b");
  EXPECT_ERROR("t\n.ic a=1\n", "t.cir:2:5", "expected v(node)=value");
}

TEST(Control, Outputs) {
  const Netlist n = parse(
      "t\n"
      ".print tran V(A) v(a, b) I(V1)\n"
      ".save all @D1[Id] v(x1.n)\n"
      ".probe dc v(a)\n");
  ASSERT_EQ(n.outputs.size(), 5u);
  EXPECT_EQ(n.outputs[0].label, "v(a)");
  EXPECT_EQ(n.outputs[0].kind, ProbeRequest::Kind::Voltage);
  EXPECT_EQ(n.outputs[0].where.column, 13);
  EXPECT_EQ(n.outputs[1].label, "v(a,b)");
  EXPECT_EQ(n.outputs[1].b, "b");
  EXPECT_EQ(n.outputs[2].label, "i(v1)");
  EXPECT_EQ(n.outputs[2].kind, ProbeRequest::Kind::Current);
  EXPECT_EQ(n.outputs[2].a, "v1");
  EXPECT_EQ(n.outputs[3].label, "@d1[id]");
  EXPECT_EQ(n.outputs[3].kind, ProbeRequest::Kind::Device);
  EXPECT_EQ(n.outputs[3].a, "d1");
  EXPECT_EQ(n.outputs[3].b, "id");
  EXPECT_EQ(n.outputs[4].label, "v(x1.n)");
  EXPECT_TRUE(parse("t\n.save all\n").outputs.empty());
}

TEST(Control, IgnoredCardsWarn) {
  const Netlist n = parse(
      "t\n"
      ".four 1k v(a)\n"
      ".control\n"
      "run\n"
      "plot v(a)\n"
      ".endc\n"
      ".plot tran v(a)\n"
      "r1 a 0 1\n");
  EXPECT_EQ(n.elements.size(), 1u);
  ASSERT_EQ(n.warnings.size(), 1u);  // .four is read (its tables print after a .tran)
  EXPECT_EQ(n.warnings[0], "t.cir:7:1: warning: '.plot' is ignored");
  ASSERT_EQ(n.fourier.size(), 1u);
  EXPECT_EQ(n.fourier[0].fundamental, 1e3);
  ASSERT_EQ(n.fourier[0].signals.size(), 1u);
  EXPECT_EQ(n.fourier[0].signals[0].label, "v(a)");
}

// A .control block's lines are kept for src/control, as written, '+' lines joined.
TEST(Control, ScriptCaptured) {
  const auto deck = ns::read_deck_text("t\n.control\n  Echo Hi ; a comment\n+ there\n\n* note\nrun\n.endc\nr1 a 0 1\n", "t.cir");
  ASSERT_EQ(deck->script.size(), 2u);
  EXPECT_EQ(deck->script[0].text, "Echo Hi there");
  EXPECT_EQ(deck->script[0].where.str(), "t.cir:3:3");
  EXPECT_EQ(deck->script[1].text, "run");
  EXPECT_EQ(deck->script[1].where.str(), "t.cir:7:1");
  EXPECT_EQ(deck->cards.size(), 1u);
}

TEST(Errors, CardLevel) {
  EXPECT_ERROR("t\nr1 a 0 1\n_z1 c 0 b zmod\n", "t.cir:3:1", "unknown element type '_'");
  EXPECT_ERROR("t\nr1 a\n", "t.cir:2:1", "'r1' needs 2 nodes");
  EXPECT_ERROR("t\ne1 a 0 b 5\n", "t.cir:2:1", "'e1' needs");
  EXPECT_ERROR("t\nd1 a\n", "t.cir:2:1", "'d1' needs 2 nodes and a model name");
  // An unknown dot card goes on as an analysis card: the analysis registry refuses it
  // (tests/analysis), but one inside a subcircuit is refused here.
  EXPECT_ERROR("t\n.subckt s a\n.foo 1\n.ends\n", "t.cir:3:1", "'.foo' is not allowed inside subcircuit 's'");
  EXPECT_ERROR("t\nr1 a 0 1\n  r1 b 0 2\n", "t.cir:3:3", "duplicate element name 'r1' (first defined at t.cir:2:1)");
  // A different card of the same name: the first is used, as ngspice 39 does (measured: a
  // diode at 0.7 V draws is=1e-14's 5.67035 mA with is=1e-12 given second), with a warning.
  {
    const Netlist n = parse("t\nd1 a 0 m1\nv1 a 0 0.7\n.model m1 d(is=1e-14)\n .model m1 d(is=1e-12)\n");
    ASSERT_EQ(n.models.size(), 1u);
    ASSERT_EQ(n.models.at("m1").params.size(), 1u);
    EXPECT_DOUBLE_EQ(n.models.at("m1").params[0].value, 1e-14);
    ASSERT_EQ(n.warnings.size(), 1u);
    EXPECT_EQ(n.warnings[0], "t.cir:5:9: warning: model 'm1' is defined again; its first definition, at t.cir:4:1, "
                             "is used (as ngspice does)");
  }
  // The same card twice is one model (ngspice's XSPICE examples repeat bridges' cards).
  EXPECT_EQ(ns::read_deck_text("t\n.model m1 d(is=1e-15)\n.model m1 d(is=1e-15)\n", "t.cir")->top.models.size(), 1u);
  EXPECT_ERROR("t\n+ r1 a 0 1\n", "t.cir:2:1", "continuation line");
  EXPECT_ERROR("t\nr1 a 0 {1+2\n", "t.cir:2:8", "'{' has no matching '}'");
  EXPECT_ERROR("t\nv1 a 0 pulse(0 1\n", "t.cir:2:13", "'(' has no matching ')'");
  EXPECT_ERROR("t\nr1 a 0 1k\n+ 2.3.4\n", "t.cir:3:3", "invalid number '2.3.4'");
}

}  // namespace
}  // namespace ns
