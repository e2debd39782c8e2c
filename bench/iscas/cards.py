#!/usr/bin/python3
"""I-V and C-V of the issue 18 must-show cards, neurospice against ngspice, as CSV and plots.

    bench/iscas/cards.py [--neurospice PATH] [--corpus DIR] [--out DIR]

Cards, read in place from the ngspice corpus (never copied): the PTM 45 nm HP NMOS/PMOS
(examples/klu/Circuits/technology/45nm_HP.pm, the ISCAS85 decks' cards, W/L = 1u/45n,
1 V) and the BSIM3v3.3 cards of ngspice's MOS examples (examples/mos/modelcard.nmos/.pmos,
W/L = 5u/0.5u, 3.3 V). Currents, gm and gds are taken positive for either
polarity (the PMOS's I-V sweeps keep their negative voltages). The same decks as tests/sim/ngspice_pdk_cards.cpp:

  Id-Vgs at |Vds| = 0.05 V and Vdd; Id-Vds at five |Vgs|; every bias set by a source.
  Small signal: one device per bias point in one .op + .ac at 1 MHz; a gate-excited
  device gives gm = Re i(vd), Cgg = |Im i(vg)| / w, a drain-excited one gds = Re i(vd),
  Cgd = |Im i(vg)| / w.

Writes OUT/CARD_{idvg,idvd,gm_cgg,gds_cgd,gds_vds}.csv (neurospice and ngspice columns side
by side, and their relative difference) and a PNG of each through tools/plot; prints the worst relative differences
(currents above 1 nA; gm, gds where Id > 1 nA; capacitances everywhere).
"""
import argparse
import math
import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OPTIONS = ".options reltol=1e-9 abstol=1e-16 vntol=1e-12\n"

CARDS = {
    "ptm45_nmos": (["klu/Circuits/technology/45nm_HP.pm"], "nmos", 1, "w=1u l=45n", 1.0),
    "ptm45_pmos": (["klu/Circuits/technology/45nm_HP.pm"], "pmos", -1, "w=1u l=45n", 1.0),
    "bsim3_nmos": (["mos/modelcard.nmos"], "n1", 1, "w=5u l=0.5u", 3.3),
    "bsim3_pmos": (["mos/modelcard.pmos"], "p1", -1, "w=5u l=0.5u", 3.3),
}


def header(corpus, card, title):
    return f"{title}\n" + "".join(f".include {corpus}/{inc}\n" for inc in card[0])


def iv_decks(corpus, card):
    _, model, s, size, v = card
    dev = f"m1 d g 0 b {model} {size}\nvd d 0 0\nvg g 0 0\nvb b 0 0\n"
    idvg = (header(corpus, card, "Id-Vgs") + dev + f".dc vg 0 {s * v:g} {s * v / 100:g} vd {s * 0.05:g} {s * v:g} "
            f"{s * (v - 0.05):g}\n" + OPTIONS + ".print dc i(vd)\n.end\n")
    idvd = (header(corpus, card, "Id-Vds") + dev + f".dc vd 0 {s * v:g} {s * v / 50:g} vg {s * v / 5:g} {s * v:g} "
            f"{s * v / 5:g}\n" + OPTIONS + ".print dc i(vd)\n.end\n")
    return idvg, idvd


def ac_points(card):
    s, v = card[2], card[4]
    points = []
    for vds in (0.05, v):
        for i in range(21):
            for gate in (True, False):
                points.append((f"p{len(points)}", s * v * i / 20, s * vds, gate))
    for j in range(2, 6):
        for i in range(11):
            points.append((f"p{len(points)}", s * v * j / 5, s * v * i / 10, False))
    return points


def ac_deck(corpus, card, points):
    d = header(corpus, card, "small signal at 1 MHz")
    for name, vgs, vds, gate in points:
        d += f"m{name} d{name} g{name} 0 b{name} {card[1]} {card[3]}\n"
        d += f"vg{name} g{name} 0 dc {vgs:.10g}" + (" ac 1\n" if gate else "\n")
        d += f"vd{name} d{name} 0 dc {vds:.10g}" + ("\n" if gate else " ac 1\n")
        d += f"vb{name} b{name} 0 dc 0\n"
    return d + OPTIONS + ".op\n.ac lin 1 1meg 1meg\n.end\n"


def read_raw(path):
    """Every plot of an ASCII raw file: [(plotname, {name: values})], complex for .ac."""
    lines = open(path).read().splitlines()
    plots, i = [], 0
    while i < len(lines):
        if not lines[i].startswith("Plotname:"):
            i += 1
            continue
        name, cplx, names, nv, npt = lines[i].split(":", 1)[1].strip(), False, [], 0, 0
        while not lines[i].startswith("Values:"):
            line = lines[i]
            if line.startswith("Flags:"):
                cplx = "complex" in line
            elif line.startswith("No. Variables:"):
                nv = int(line.split(":")[1])
            elif line.startswith("No. Points:"):
                npt = int(line.split(":")[1])
            elif line.startswith("Variables:"):
                names = [lines[i + 1 + k].split()[1].lower() for k in range(nv)]
            i += 1
        i += 1
        vals = np.zeros((npt, nv), complex if cplx else float)
        for p in range(npt):
            for k in range(nv):
                f = lines[i].split()
                s = f[1] if k == 0 else f[0]
                vals[p, k] = complex(*map(float, s.split(","))) if cplx else float(s)
                i += 1
        plots.append((name, {n: vals[:, k] for k, n in enumerate(names)}))
    return plots


def read_csv(path):
    with open(path) as f:
        names = [s.strip().lower() for s in f.readline().split(",")]
    data = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
    return {n: data[:, k] for k, n in enumerate(names)}


def run_both(ns, deck, work, tag):
    path = os.path.join(work, tag + ".cir")
    open(path, "w").write(deck)
    r = subprocess.run([ns, "-o", os.path.join(work, tag + ".csv"), path], capture_output=True, text=True)
    if r.returncode:
        sys.exit(f"neurospice failed on {tag}: {r.stderr}")
    env = dict(os.environ, SPICE_ASCIIRAWFILE="1")
    subprocess.run(["ngspice", "-b", "-r", os.path.join(work, tag + ".raw"), path], capture_output=True, env=env,
                   check=True, cwd=work)
    return read_raw(os.path.join(work, tag + ".raw"))


def rel(a, b, floor):
    return np.abs(a - b) / np.maximum(np.abs(b), floor)


def write_csv(path, cols):
    names = list(cols)
    with open(path, "w") as f:
        f.write(",".join(names) + "\n")
        for row in zip(*(cols[n] for n in names)):
            f.write(",".join(f"{x:.12g}" for x in row) + "\n")


def plot(csv, out, *args):
    subprocess.run([sys.executable, os.path.join(ROOT, "tools", "plot"), csv, *args, "-o", out], check=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--neurospice", default=os.path.join(ROOT, "build", "neurospice"))
    ap.add_argument("--corpus", default="/work/shared/corpus/ngspice/examples")
    ap.add_argument("--out", default=os.path.join(HERE, "cards"))
    ap.add_argument("--only", default=",".join(CARDS))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    w = 2 * math.pi * 1e6
    with tempfile.TemporaryDirectory() as work:
        for label in args.only.split(","):
            card = CARDS[label]
            s = card[2]
            for kind, deck in zip(("idvg", "idvd"), iv_decks(args.corpus, card)):
                ng = run_both(args.neurospice, deck, work, label + kind)[0][1]
                ours = read_csv(os.path.join(work, label + kind + ".csv"))
                inner, outer = ("vg", "vd") if kind == "idvg" else ("vd", "vg")
                cols = {f"v{inner[1]}s": ours[inner], f"v{outer[1]}s": ours[outer], "id_neurospice": -s * ours["i(vd)"],
                        "id_ngspice": -s * ng["i(vd)"]}
                cols["rel_diff"] = rel(cols["id_neurospice"], cols["id_ngspice"], 1e-9)
                csv = os.path.join(args.out, f"{label}_{kind}.csv")
                write_csv(csv, cols)
                on = np.abs(cols["id_ngspice"]) > 1e-9
                print(f"{label} {kind}: worst rel diff where |Id| > 1 nA {cols['rel_diff'][on].max():.2e}, "
                      f"worst |dId| below {np.abs(cols['id_neurospice'] - cols['id_ngspice'])[~on].max(initial=0):.2e} A")
                x, g = f"v{inner[1]}s", f"v{outer[1]}s"
                plot(csv, csv[:-4] + ".png", "id_neurospice", "id_ngspice", "-x", x, "--group", g)
                if kind == "idvg":
                    plot(csv, csv[:-4] + "_log.png", "id_neurospice", "id_ngspice", "rel_diff", "-x", x, "--group", g,
                         "--logy")
            points = ac_points(card)
            plots = run_both(args.neurospice, ac_deck(args.corpus, card, points), work, label + "ss")
            ng_op = next(p for n, p in plots if n.lower().startswith("operating"))
            ng_ac = next(p for n, p in plots if n.lower().startswith("ac"))
            op = read_csv(os.path.join(work, label + "ss.op.csv"))
            ac = read_csv(os.path.join(work, label + "ss.ac.csv"))

            def ours(v):
                return ac[f"im({v})"][0] * np.exp(1j * ac[f"ip({v})"][0])

            rows = {k: [] for k in ("vgs", "vds", "gate_excited", "id_ngspice", "id_neurospice", "g_neurospice",
                                    "g_ngspice", "c_neurospice", "c_ngspice")}
            for name, vgs, vds, gate in points:
                rows["vgs"].append(s * vgs)
                rows["vds"].append(s * vds)
                rows["gate_excited"].append(int(gate))
                rows["id_ngspice"].append(-s * ng_op[f"i(vd{name})"][0])
                rows["id_neurospice"].append(-s * op[f"i(vd{name})"][0])
                # i(vd) is minus the drain current of either polarity's |Id| growth: gm, gds > 0.
                rows["g_neurospice"].append(-ours(f"vd{name}").real)
                rows["g_ngspice"].append(-ng_ac[f"i(vd{name})"][0].real)
                rows["c_neurospice"].append(abs(ours(f"vg{name}").imag) / w)
                rows["c_ngspice"].append(abs(ng_ac[f"i(vg{name})"][0].imag) / w)
            cols = {k: np.array(v, float) for k, v in rows.items()}
            on = np.abs(cols["id_ngspice"]) > 1e-9
            gate = cols["gate_excited"] == 1
            grel = rel(cols["g_neurospice"], cols["g_ngspice"], 1e-12)
            crel = rel(cols["c_neurospice"], cols["c_ngspice"], 1e-18)
            cols["g_rel_diff"], cols["c_rel_diff"] = grel, crel
            csv = os.path.join(args.out, f"{label}_ss.csv")
            write_csv(csv, cols)
            for what, mask in (("gm (Id > 1 nA)", gate & on), ("gds (Id > 1 nA)", ~gate & on)):
                print(f"{label} {what}: worst rel diff {grel[mask].max():.2e}")
            for what, mask in (("Cgg", gate), ("Cgd", ~gate)):
                k = np.flatnonzero(mask)[np.argmax(crel[mask])]
                print(f"{label} {what}: worst rel diff {crel[k]:.2e} at vgs {cols['vgs'][k]:g} vds {cols['vds'][k]:g}")
            # The plots: gm and Cgg (gate-excited), gds and Cgd (drain-excited) vs Vgs per Vds.
            # gate: gm and Cgg; drain: gds and Cgd; output: gds vs Vds. The relative
            # differences on a log axis below each pair.
            first = np.arange(len(gate)) < 84
            for tag, mask, x, g in (("gm_cgg", gate, "vgs", "vds"), ("gds_cgd", ~gate & first, "vgs", "vds"),
                                    ("gds_vds", ~first, "vds", "vgs")):
                sub = {k: v[mask] for k, v in cols.items()}
                sub_csv = os.path.join(args.out, f"{label}_{tag}.csv")
                write_csv(sub_csv, sub)
                traces = ["g_neurospice", "g_ngspice"] + (["c_neurospice", "c_ngspice"] if tag != "gds_vds" else [])
                plot(sub_csv, sub_csv[:-4] + ".png", *traces, "-x", x, "--group", g)
            os.remove(csv)


if __name__ == "__main__":
    main()
