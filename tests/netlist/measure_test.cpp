// .meas / .measure cards: every syntax form and its fields, and the located errors.
#include "helpers.hpp"
#include "expr/expression.hpp"

namespace ns {
namespace {

using K = MeasureRequest::Kind;
using Edge = Crossing::Edge;

// Cards start on line 4.
const std::string circuit = "t\n.param vdd=2 k=3\nv1 a 0 1\n";

MeasureRequest measure(const std::string& card) {
  const Netlist n = test::parse(circuit + card + "\n");
  EXPECT_EQ(n.measures.size(), 1u);
  return n.measures.at(0);
}

// An expression quantity evaluated with probe k = values[k] and the deck's .params.
double evaluate(const Quantity& q, const std::vector<double>& values) {
  return q.expression->evaluate([&](const std::string& name, std::size_t) {
    for (std::size_t k = 0; k < values.size(); ++k)
      if (name == quantity_name(k)) return values[k];
    if (name == "vdd") return 2.0;
    throw std::runtime_error("unknown " + name);
  });
}

TEST(MeasureCard, WindowedStatistics) {
  const std::pair<const char*, K> kinds[] = {{"MAX", K::Max}, {"min", K::Min}, {"pp", K::Pp},
                                             {"avg", K::Avg}, {"rms", K::Rms}, {"integ", K::Integ},
                                             {"freq", K::Frequency}, {"max_at", K::MaxAt}, {"min_at", K::MinAt}};
  for (const auto& [word, kind] : kinds) {
    const MeasureRequest m = measure(std::string(".MEAS TRAN Vmax ") + word + " v(out) from=1m TO={k*1m}");
    EXPECT_EQ(m.kind, kind) << word;
    EXPECT_EQ(m.analysis, MeasureRequest::Analysis::Tran);
    EXPECT_EQ(m.name, "vmax");
    EXPECT_EQ(m.where.line, 4);
    EXPECT_EQ(m.where.column, 12);
    ASSERT_EQ(m.quantity.probes.size(), 1u);
    EXPECT_EQ(m.quantity.probes[0].kind, ProbeRequest::Kind::Voltage);
    EXPECT_EQ(m.quantity.probes[0].label, "v(out)");
    EXPECT_EQ(m.quantity.text, "v(out)");
    EXPECT_EQ(m.quantity.expression, nullptr);
    EXPECT_EQ(m.from, 1e-3);
    EXPECT_DOUBLE_EQ(*m.to, 3e-3);
  }
  const MeasureRequest m = measure(".measure dc imax max i(v1)");
  EXPECT_EQ(m.analysis, MeasureRequest::Analysis::Dc);
  EXPECT_EQ(m.quantity.probes.at(0).kind, ProbeRequest::Kind::Current);
  EXPECT_EQ(m.quantity.probes.at(0).a, "v1");
  EXPECT_FALSE(m.from);
  EXPECT_FALSE(m.to);
}

TEST(MeasureCard, Probes) {
  MeasureRequest m = measure(".meas tran d avg v(a, b)");
  EXPECT_EQ(m.quantity.probes.at(0).label, "v(a,b)");
  EXPECT_EQ(m.quantity.probes.at(0).b, "b");
  m = measure(".meas tran t max @n1[t]");
  EXPECT_EQ(m.quantity.probes.at(0).kind, ProbeRequest::Kind::Device);
  EXPECT_EQ(m.quantity.probes.at(0).a, "n1");
  EXPECT_EQ(m.quantity.probes.at(0).b, "t");
  EXPECT_EQ(m.quantity.probes.at(0).where.column, 18);
}

TEST(MeasureCard, ExpressionQuantities) {
  for (const char* q : {"{v(in)*-i(vin)}", "'v(in) * -i(vin)'", "par('v(in)*-i(vin)')"}) {
    const MeasureRequest m = measure(std::string(".meas tran p avg ") + q);
    ASSERT_EQ(m.quantity.probes.size(), 2u) << q;
    EXPECT_EQ(m.quantity.probes[0].label, "v(in)");
    EXPECT_EQ(m.quantity.probes[1].label, "i(vin)");
    ASSERT_NE(m.quantity.expression, nullptr);
    EXPECT_EQ(evaluate(m.quantity, {3, 0.5}), -1.5) << q;
    EXPECT_EQ(m.quantity.where.column, q[0] == 'p' ? 18 : 19);  // par, or the text inside the delimiters
  }
  // A repeated probe is one entry; .params and functions are allowed around probes.
  const MeasureRequest m = measure(".meas tran e max {abs(v(a)-v(b))/vdd + v(a)*0 + @m1[id]*1k}");
  ASSERT_EQ(m.quantity.probes.size(), 3u);
  EXPECT_EQ(m.quantity.probes[2].label, "@m1[id]");
  EXPECT_EQ(m.quantity.probes[1].where.column, 28);
  EXPECT_DOUBLE_EQ(evaluate(m.quantity, {1, 5, 2e-3}), 2 + 2);
  EXPECT_EQ(m.quantity.text, "abs(v(a)-v(b))/vdd + v(a)*0 + @m1[id]*1k");
}

TEST(MeasureCard, FindAndDeriv) {
  MeasureRequest m = measure(".meas tran v1ms find v(out) at=1m");
  EXPECT_EQ(m.kind, K::FindAt);
  EXPECT_EQ(m.at, 1e-3);
  m = measure(".meas tran s deriv v(out) AT=2u");
  EXPECT_EQ(m.kind, K::DerivAt);
  EXPECT_EQ(m.at, 2e-6);
  m = measure(".meas tran f find v(out) when v(in)=0.5 fall=2 td=1u");
  EXPECT_EQ(m.kind, K::FindWhen);
  EXPECT_EQ(m.quantity.text, "v(out)");
  EXPECT_EQ(m.when.signal.text, "v(in)");
  EXPECT_FALSE(m.when.level_signal);
  EXPECT_EQ(m.when.level, 0.5);
  EXPECT_EQ(m.when.edge, Edge::Fall);
  EXPECT_EQ(m.when.count, 2);
  EXPECT_EQ(m.when.delay, 1e-6);
  m = measure(".meas tran g derivative v(out) when v(in)=v(ref) cross=last");
  EXPECT_EQ(m.kind, K::DerivWhen);
  ASSERT_TRUE(m.when.level_signal);
  EXPECT_EQ(m.when.level_signal->text, "v(ref)");
  EXPECT_EQ(m.when.edge, Edge::Cross);
  EXPECT_EQ(m.when.count, -1);
}

TEST(MeasureCard, When) {
  MeasureRequest m = measure(".meas tran t50 when v(out)=0.5");
  EXPECT_EQ(m.kind, K::When);
  EXPECT_EQ(m.when.edge, Edge::Cross);  // the first crossing in either direction
  EXPECT_EQ(m.when.count, 1);
  EXPECT_EQ(m.when.delay, 0);
  m = measure(".meas tran t when v(out) = {vdd/2} rise=3");
  EXPECT_EQ(m.when.level, 1);  // a braced expression without probes is a level
  EXPECT_FALSE(m.when.level_signal);
  EXPECT_EQ(m.when.edge, Edge::Rise);
  EXPECT_EQ(m.when.count, 3);
  m = measure(".meas tran t when v(a)=vdd");
  EXPECT_EQ(m.when.level, 2);
  m = measure(".meas tran t when {v(a)-v(b)}=v(c) rise=last");
  EXPECT_EQ(m.when.signal.probes.size(), 2u);
  EXPECT_EQ(m.when.level_signal->probes.at(0).label, "v(c)");
  EXPECT_EQ(m.when.count, -1);
}

TEST(MeasureCard, TrigTarg) {
  const MeasureRequest m =
      measure(".meas tran tpd trig v(in) val=0.5 rise=1 td=2n targ v(out) val={vdd/2} fall=2");
  EXPECT_EQ(m.kind, K::TrigTarg);
  EXPECT_EQ(m.trig.signal.text, "v(in)");
  EXPECT_EQ(m.trig.level, 0.5);
  EXPECT_EQ(m.trig.edge, Edge::Rise);
  EXPECT_EQ(m.trig.count, 1);
  EXPECT_EQ(m.trig.delay, 2e-9);
  EXPECT_EQ(m.targ.signal.text, "v(out)");
  EXPECT_EQ(m.targ.level, 1);
  EXPECT_EQ(m.targ.edge, Edge::Fall);
  EXPECT_EQ(m.targ.count, 2);
  EXPECT_EQ(m.targ.delay, 0);
}

TEST(MeasureCard, TrigAt) {
  const MeasureRequest m = measure(".meas tran settle trig at=10n targ v(out) val=0.9 rise=1");
  EXPECT_EQ(m.kind, MeasureRequest::Kind::TrigTarg);
  EXPECT_EQ(m.trig.at, 1e-8);
  EXPECT_FALSE(m.targ.at);
  EXPECT_EQ(m.targ.signal.text, "v(out)");
  EXPECT_EQ(m.targ.level, 0.9);
}

TEST(MeasureCard, Param) {
  const Netlist n = test::parse(circuit +
                                ".meas tran a max v(a)\n"
                                ".meas tran b min v(a)\n"
                                ".meas tran swing param='a-b'\n"
                                ".meas tran ratio param={swing/vdd}\n"
                                ".meas tran plain param=a*k\n");
  ASSERT_EQ(n.measures.size(), 5u);
  const auto value = [](const MeasureRequest& m) {
    return m.expression->evaluate([](const std::string& name, std::size_t) {
      return name == "a" ? 5.0 : name == "b" ? 1.0 : name == "swing" ? 4.0 : name == "vdd" ? 2.0 : 3.0;
    });
  };
  EXPECT_EQ(n.measures[2].kind, K::Param);
  EXPECT_EQ(value(n.measures[2]), 4);
  EXPECT_EQ(value(n.measures[3]), 2);
  EXPECT_EQ(value(n.measures[4]), 15);
  EXPECT_EQ(n.params.at("vdd"), 2);
  EXPECT_EQ(n.params.at("k"), 3);
}

TEST(MeasureCard, Spikes) {
  const std::pair<const char*, K> kinds[] = {{"spikes", K::Spikes}, {"rate", K::Rate}, {"isimean", K::IsiMean},
                                             {"isistd", K::IsiStd},  {"ISICV", K::IsiCv}};
  for (const auto& [word, kind] : kinds) {
    const MeasureRequest m = measure(std::string(".meas tran n ") + word + " v(out) val=0.5 hyst=0.1 from=1u to=1m");
    EXPECT_EQ(m.kind, kind) << word;
    EXPECT_EQ(m.quantity.text, "v(out)");
    EXPECT_EQ(m.spike_signal.text, "v(out)");
    EXPECT_EQ(m.spike_signal.probes.size(), 1u);
    EXPECT_EQ(m.threshold, 0.5);
    EXPECT_EQ(m.hysteresis, 0.1);
    EXPECT_EQ(m.from, 1e-6);
    EXPECT_EQ(m.to, 1e-3);
  }
  EXPECT_FALSE(measure(".meas tran n spikes v(out) val=0.5").hysteresis);
  const MeasureRequest e = measure(".meas tran eps eps {v(a)*-i(v1)} spike=v(out) val=0.2");
  EXPECT_EQ(e.kind, K::EnergyPerSpike);
  EXPECT_EQ(e.quantity.probes.size(), 2u);
  EXPECT_EQ(e.spike_signal.text, "v(out)");
  EXPECT_EQ(e.threshold, 0.2);
}

TEST(MeasureCard, Errors) {
  const std::string c = circuit;  // the .meas card is line 4
  EXPECT_ERROR(c + ".meas x max v(a)\n", "t.cir:4:7", "'.meas' needs an analysis type, tran, dc or ac");
  EXPECT_ERROR(c + ".meas tran\n", "t.cir:4:7", "'.meas tran' needs a measure name");
  EXPECT_ERROR(c + ".meas tran x maxx v(a)\n", "t.cir:4:14", "unknown measurement 'maxx' (did you mean 'max'?)");
  EXPECT_ERROR(c + ".meas tran x max v(a) form=1\n", "t.cir:4:23", "unknown keyword 'form' on '.meas' (did you mean 'from'?)");
  EXPECT_ERROR(c + ".meas tran x max v(a) at=1\n", "t.cir:4:23", "'at=' does not apply to 'max'");
  EXPECT_ERROR(c + ".meas tran x max v(a) 5\n", "t.cir:4:23", "unexpected '5' on '.meas'");
  EXPECT_ERROR(c + ".meas tran x max a\n", "t.cir:4:18", "expected a signal (v(node), i(source), @device[quantity] or an "
                                                         "expression in braces), not 'a'");
  EXPECT_ERROR(c + ".meas tran x max\n", "t.cir:4:14", "'max' needs a signal after it");
  EXPECT_ERROR(c + ".meas tran x max v(a,b,c)\n", "t.cir:4:18", "expected v(node) or v(node,node)");
  EXPECT_ERROR(c + ".meas tran x max @m1\n", "t.cir:4:18", "expected @device[quantity], not '@m1'");
  EXPECT_ERROR(c + ".meas tran x max {v(a)*vd}\n", "t.cir:4:24", "'vd' is not a top-level .param (did you mean 'vdd'?)");
  EXPECT_ERROR(c + ".meas tran x max {v(a)*}\n", "t.cir:4:24", "syntax error");
  EXPECT_ERROR(c + ".meas tran x find v(a)\n", "t.cir:4:14", "'find' needs AT= or WHEN");
  EXPECT_ERROR(c + ".meas tran x find v(a) at=\n", "t.cir:4:24", "'at=' needs a value");
  EXPECT_ERROR(c + ".meas tran x when v(a) 0.5\n", "t.cir:4:24", "expected '=' after 'when v(a)'");
  EXPECT_ERROR(c + ".meas tran x when v(a)=0.5 rise=1 fall=2\n", "t.cir:4:35", "give only one of RISE=, FALL= and CROSS=");
  EXPECT_ERROR(c + ".meas tran x when v(a)=0.5 rise=0\n", "t.cir:4:33", "'rise=' must be a whole number >= 1 or 'last', not 0");
  EXPECT_ERROR(c + ".meas tran x when v(a)=0.5 rise=1 rise=2\n", "t.cir:4:35", "'rise=' is given twice");
  EXPECT_ERROR(c + ".meas tran x trig v(a) rise=1 targ v(b) val=1\n", "t.cir:4:14", "'trig' needs VAL=");
  EXPECT_ERROR(c + ".meas tran x trig v(a) val=1\n", "t.cir:4:14", "'trig' needs 'targ' after it");
  EXPECT_ERROR(c + ".meas tran x trig v(a) val=1 targ v(b)\n", "t.cir:4:30", "'targ' needs VAL=");
  EXPECT_ERROR(c + ".meas tran x spikes v(a) hyst=1\n", "t.cir:4:14", "'spikes' needs VAL= (the spike threshold)");
  EXPECT_ERROR(c + ".meas tran x spikes v(a) val=1 hyst=-1\n", "t.cir:4:37", "HYST= must be >= 0, not -1");
  EXPECT_ERROR(c + ".meas tran x eps v(a) val=1\n", "t.cir:4:14", "'eps' needs SPIKE= (the signal that spikes)");
  EXPECT_ERROR(c + ".meas tran x max v(a) from=2 to=1\n", "t.cir:4:30", "TO= (1) is before FROM= (2)");
  EXPECT_ERROR(c + ".meas tran x param\n", "t.cir:4:14", "'param' needs an expression");
  EXPECT_ERROR(c + ".meas tran vdd max v(a)\n", "t.cir:4:12", "measure 'vdd' has the name of a top-level .param");
  EXPECT_ERROR(c + ".meas tran a param='b*2'\n.meas tran b max v(a)\n", "t.cir:4:21",
               "measure 'b' is defined later (at t.cir:5:12); 'param' can use only earlier measures");
  EXPECT_ERROR(c + ".meas tran a max v(a)\n.meas tran b param='aa*2'\n", "t.cir:5:21",
               "unknown measure or parameter 'aa' (did you mean 'a'?)");
  EXPECT_ERROR(c + ".subckt s p\n.meas tran a max v(p)\n.ends\n", "t.cir:5:1", "'.meas' is not allowed inside subcircuit 's'");
}

}  // namespace
}  // namespace ns
