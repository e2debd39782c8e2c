#!/usr/bin/python3
"""tools/plot, end to end: a CSV, a stepped CSV, a nested .dc CSV and raw files (binary,
ascii, several plots; ours and ngspice's) each become a PNG, and what the tool reads
from them are the numbers that were written.

Usage: plot_test.py NEUROSPICE   (exit status 77: skipped, matplotlib is missing)
"""
import importlib.machinery
import importlib.util
import math
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest

try:
    import matplotlib  # noqa: F401
except ImportError:
    print("plot_test: skipped, matplotlib is missing (apt install python3-matplotlib)")
    sys.exit(77)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLOT = os.path.join(ROOT, "tools", "plot")
NEUROSPICE = None  # from the command line


def load_tool():
    loader = importlib.machinery.SourceFileLoader("plot_tool", PLOT)
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader("plot_tool", loader))
    loader.exec_module(module)
    return module


tool = load_tool()


def write_raw(path, binary, names, plots):
    """A raw file in the layout of src/output/raw.cpp: padded point counts, %.17g ascii."""
    with open(path, "wb") as f:
        for plotname, rows in plots:
            kinds = ["time" if n == "time" else "voltage" if n.startswith("v(") else "notype" for n in names]
            head = (f"Title: plot test\nDate: today\nPlotname: {plotname}\nFlags: real\n"
                    f"No. Variables: {len(names)}\nNo. Points: {len(rows):<20}\nVariables:\n")
            head += "".join(f"\t{k}\t{n}\t{t}\n" for k, (n, t) in enumerate(zip(names, kinds)))
            f.write((head + ("Binary:\n" if binary else "Values:\n")).encode())
            for p, row in enumerate(rows):
                if binary:
                    f.write(struct.pack(f"<{len(row)}d", *row))
                else:
                    f.write((f"{p}\t" + "".join(f"\t{v:.17g}\n" for v in row)).encode())


class PlotTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="ns-plot-test-")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def path(self, name):
        return os.path.join(self.dir, name)

    def plot(self, *args, expect_png=None):
        run = subprocess.run([PLOT, *args], capture_output=True, text=True)
        self.assertEqual(run.returncode, 0, run.stderr)
        png = expect_png or args[args.index("-o") + 1]
        with open(png, "rb") as f:
            data = f.read()
        self.assertTrue(data.startswith(b"\x89PNG\r\n\x1a\n"), png)
        self.assertGreater(len(data), 5000, "an image with axes and curves, not an empty one")
        return run

    def test_csv_from_neurospice(self):
        csv = self.path("rc.csv")
        run = subprocess.run([NEUROSPICE, "-o", csv, os.path.join(ROOT, "netlists", "basic", "rc.cir")],
                             capture_output=True, text=True)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.plot(csv, expect_png=self.path("rc.png"))  # default name beside the input
        _, names, steps_columns, steps = tool.load(csv, [])
        self.assertEqual(steps_columns, [])
        self.assertEqual(len(steps), 1)
        time, out = steps[0].columns["time"], steps[0].columns["v(out)"]
        k = min(range(len(time)), key=lambda i: abs(time[i] - 1e-3))
        self.assertAlmostEqual(time[k], 1e-3, delta=1e-12)
        # RC = tau = 1 ms driven by a 1 V ramp of tr = 1 us: after the ramp
        # v(out) = 1 - exp(-t/tau) (tau/tr) (exp(tr/tau) - 1); the tolerance is the
        # integrator's (default reltol 1e-3), the exact value is 0.631937.
        tau, tr = 1e-3, 1e-6
        exact = 1 - math.exp(-1e-3 / tau) * tau / tr * math.expm1(tr / tau)
        self.assertAlmostEqual(out[k], exact, delta=1e-4)

    def test_stepped_csv_overlays_the_columns_before_time(self):
        csv = self.path("stepped.csv")
        rows = [(r, c, t, c * t) for r in (1e3, 2e3) for c in (1, 2) for t in (0, 1e-3, 2e-3)]
        with open(csv, "w") as f:
            f.write("r,c,time,v(a)\n" + "".join(",".join(f"{v!r}" for v in row) + "\n" for row in rows))
        _, _, groups, steps = tool.load(csv, [])
        self.assertEqual(groups, ["r", "c"])
        self.assertEqual([s.label for s in steps], ["r=1000, c=1", "r=1000, c=2", "r=2000, c=1", "r=2000, c=2"])
        self.assertEqual(steps[3].columns["v(a)"], [0, 2e-3, 4e-3])
        self.plot(csv, "v(a)", "-o", self.path("stepped.png"))

    def test_group_for_a_nested_dc_sweep(self):
        csv = self.path("nested.csv")
        with open(csv, "w") as f:
            f.write("vds,vgs,i(vds)\n" + "".join(f"{d},{g},{-g * d * 1e-3}\n" for g in (1, 2, 3) for d in (0, 1, 2)))
        _, _, groups, steps = tool.load(csv, ["vgs"])
        self.assertEqual([s.label for s in steps], ["vgs=1", "vgs=2", "vgs=3"])
        self.assertEqual(steps[1].columns["vds"], [0, 1, 2])
        self.plot(csv, "--group", "vgs", "-y", "i(vds)", "--logy", "-o", self.path("nested.png"))

    def test_raw_binary_and_ascii_with_three_plots(self):
        names = ["time", "v(a)", "@n1[t]"]
        plots = [(f"Transient Analysis: x = {x}", [(t * 1e-4, x * t / 3, 300 + x + 0.1 * t) for t in range(20)])
                 for x in (1, 2, 3)]
        for binary in (True, False):
            raw = self.path("three.raw" if binary else "three-ascii.raw")
            write_raw(raw, binary, names, plots)
            title, read = tool.read_raw(raw)
            self.assertEqual(title, "plot test")
            self.assertEqual([p[0] for p in read], [p[0] for p in plots])
            for (_, rows), (_, read_names, columns) in zip(plots, read):
                self.assertEqual(read_names, names)
                for k, n in enumerate(names):
                    self.assertEqual(columns[n], [row[k] for row in rows])  # exact: 17 digits or bits
            _, _, _, steps = tool.load(raw, [])
            self.assertEqual([s.label for s in steps], ["x = 1", "x = 2", "x = 3"])
            self.plot(raw, "v(a)", "@n1[t]", "--logx", "-o", raw + ".png")

    def test_raw_written_by_ngspice(self):
        if not shutil.which("ngspice"):
            self.skipTest("ngspice is not on PATH")
        deck = self.path("divider.cir")
        with open(deck, "w") as f:
            f.write("divider\nV1 a 0 pulse(0 2 0 1m 1m 1 1)\nR1 a b 1k\nR2 b 0 1k\n.tran 0.1m 1m\n.end\n")
        for ascii in (False, True):
            raw = self.path("ngspice-ascii.raw" if ascii else "ngspice.raw")
            env = dict(os.environ, **({"SPICE_ASCIIRAWFILE": "1"} if ascii else {}))
            subprocess.run(["ngspice", "-b", "-r", raw, deck], capture_output=True, env=env, cwd=self.dir)
            _, plots = tool.read_raw(raw)
            columns = plots[-1][2]
            for t, a, b in zip(columns["time"], columns["v(a)"], columns["v(b)"]):
                self.assertAlmostEqual(a, 2 * t / 1e-3, delta=1e-9)  # the ramp, to ngspice's 16 digits
                self.assertAlmostEqual(b, a / 2, delta=1e-9)
            self.plot(raw, "-x", "v(a)", "v(b)", "-o", raw + ".png")

    def panels(self, *args):
        """(y label, legend entries) of each panel of the figure tools/plot draws, top down."""
        fig = tool.figure(tool.parse_args(list(args)))
        try:
            return [(ax.get_ylabel(), [t.get_text() for t in ax.get_legend().get_texts()] if ax.get_legend() else
                     [line.get_label() for line in ax.get_lines()]) for ax in fig.axes]
        finally:
            tool.plt.close(fig)

    def test_flagship_neuron_one_panel_per_quantity(self):
        # v, i, T and R on one axis left everything but R (1e5 Ohm) flat: one panel each.
        csv = self.path("neuron.csv")
        deck = os.path.join(ROOT, "netlists", "nbox", "neuron_335u.cir")
        run = subprocess.run([NEUROSPICE, "-o", csv, deck], capture_output=True, text=True)
        self.assertEqual(run.returncode, 0, run.stderr)
        panels = self.panels(csv, "--neurospice", NEUROSPICE)
        self.assertEqual([p[1] for p in panels],
                         [["v(a)", "v(b)"], ["i(is)"], ["@n1[t]"], ["@n1[r]"], ["@n1[i]"]])
        self.assertEqual(panels[0][0], "voltage [V]")
        self.assertEqual(panels[1][0], "i(is) [A]")
        # Device probes: the units nbox declares (--describe all lists its states and probes).
        self.assertEqual([p[0] for p in panels[2:]], ["@n1[t] [K]", "@n1[r] [Ohm]", "@n1[i] [A]"])
        self.plot(csv, "--neurospice", NEUROSPICE, "-o", self.path("neuron.png"))

    def test_probe_units_from_the_declared_states(self):
        # A stand-in for `neurospice --describe all` (its layout, src/circuit/registry.cpp's
        # describe_device_type): two types declare [t] in K; [p] is
        # W for nbox but dimensionless for stno, so only --netlist can tell.
        fake = self.path("fake-neurospice")
        with open(fake, "w") as f:
            f.write("#!/bin/sh\ncat <<'EOF'\n"
                    "nbox: NbOx thermal memristor\n  terminals: a b\n"
                    "  parameter       default unit     range   given on  meaning\n"
                    "  r0                  190 ohm      >= 1e-06  both  resistance prefactor\n"
                    "  state      unit     meaning (probe @N[state])\n"
                    "  t          K        active-volume temperature\n"
                    "  probe      unit     meaning (@N[probe])\n  p          W        dissipated power\n"
                    "stno: spin-torque nano-oscillator\n  terminals: a b\n"
                    "  state      unit     meaning (probe @N[state])\n  t          K        temperature\n"
                    "  probe      unit     meaning (@N[probe])\n  p          -        normalised power\n"
                    "EOF\n")
        os.chmod(fake, 0o755)
        self.assertEqual(tool.describe_probes(fake), {"nbox": {"t": "K", "p": "W"}, "stno": {"t": "K", "p": ""}})
        csv = self.path("probes.csv")
        with open(csv, "w") as f:
            f.write("time,v(a),@n1[t],@n2[t],@n1[p]\n0,0,300,300,0\n1e-6,1,400,350,1e-3\n")
        panels = self.panels(csv, "--neurospice", fake)
        self.assertEqual(panels, [("v(a) [V]", ["v(a)"]), ("[t] [K]", ["@n1[t]", "@n2[t]"]), ("@n1[p]", ["@n1[p]"])])
        deck = self.path("deck.cir")
        with open(deck, "w") as f:
            f.write("title\n.model nb nbox\nN1 a b nb\nN2 a 0 nb\n.tran 1n 1u\n")
        self.assertEqual(tool.netlist_types(deck), {"n1": "nbox", "n2": "nbox"})
        with open(self.path("cards.lib"), "w") as f:
            f.write("* a library\n.model so stno\n")
        with open(self.path("included.cir"), "w") as f:
            f.write("title\n.include cards.lib\nN1 a 0 so ; the model is in the library\n+ c0=0.1\n")
        self.assertEqual(tool.netlist_types(self.path("included.cir")), {"n1": "stno"})
        self.assertEqual(self.panels(csv, "--neurospice", fake, "--netlist", deck)[2][0], "@n1[p] [W]")

    def test_raw_vector_types_give_units(self):
        raw = self.path("types.raw")
        write_raw(raw, False, ["time", "v(a)", "@n1[t]"], [("Transient Analysis", [(0, 0, 300), (1e-6, 1, 310)])])
        with open(raw, "rb") as f:
            text = f.read().replace(b"@n1[t]\tnotype", b"@n1[t]\ttemperature")
        with open(raw, "wb") as f:
            f.write(text)
        panels = self.panels(raw, "--neurospice", "/nonexistent")
        self.assertEqual([p[0] for p in panels], ["v(a) [V]", "@n1[t] [K]"])

    def test_unknown_column_is_an_error_naming_the_columns(self):
        csv = self.path("small.csv")
        with open(csv, "w") as f:
            f.write("time,v(a)\n0,1\n1,2\n")
        run = subprocess.run([PLOT, csv, "v(b)"], capture_output=True, text=True)
        self.assertNotEqual(run.returncode, 0)
        self.assertIn("no column v(b); columns are: time, v(a)", run.stderr)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    NEUROSPICE = sys.argv.pop(1)
    unittest.main()
