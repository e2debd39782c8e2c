#!/usr/bin/python3
"""CPU per step against network size for the NbOx networks of tools/gen_neuron_network
(ring + random chords), with each linear solver (issue 20, item 1), and optionally the
spike-time error against a tight reference.

    bench/network_scaling.py NEUROSPICE 1000,3000,10000 [--tstop 1u] [--solvers auto,klu]
                             [--runs 3] [--reference]

Per N and solver: the median user CPU (/usr/bin/time) of --runs runs, steps, Newton
iterations, linear iterations (from --stats) and CPU per step; then the slope of
log(CPU per step) against log(N) between successive sizes. --reference also runs each N
once at reltol 1e-7 (abstol 1e-16, vntol 1e-10) and prints the largest distance between
the saved neurons' spikes (v(a) falling through 0.7 V, every accepted step) there and in
the first solver's run.
"""
import argparse
import csv
import math
import os
import re
import statistics
import subprocess
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
GEN = os.path.join(HERE, "..", "tools", "gen_neuron_network")
TIGHT = "reltol=1e-7 abstol=1e-16 vntol=1e-10"


def run(binary, n, tstop, options, folder, every_step=False):
    path = os.path.join(folder, f"n{n}_{abs(hash(options))}.cir")
    with open(path, "w") as f:
        f.write(subprocess.run([GEN, str(n), "--tstop", tstop, "--options", options], check=True,
                               capture_output=True, text=True).stdout)
    out = path + ".csv"
    cmd = ["/usr/bin/time", "-f", "CPU %U", binary, path, "-o", out, "--stats"] + (["--every-step"] if every_step else [])
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"N = {n} ({options}) failed:\n{r.stderr}")
    found = lambda pattern: int(m.group(1)) if (m := re.search(pattern, r.stderr)) else 0
    solver = re.search(r"linear solver: (\w+)", r.stderr).group(1)
    return {"cpu": float(re.search(r"CPU ([0-9.]+)", r.stderr).group(1)),
            "steps": found(r"transient: (\d+) steps"), "newton": found(r"(\d+) Newton iterations"),
            "linear": found(r"(\d+) linear iterations"), "solver": solver, "csv": out}


def spikes(csv_path):
    with open(csv_path) as f:
        rows = list(csv.reader(f))
    a = np.array([[float(x) for x in row] for row in rows[1:]])
    out = []
    for c in range(1, a.shape[1]):
        t, v = a[:, 0], a[:, c]
        k = np.nonzero((v[:-1] > 0.7) & (v[1:] <= 0.7))[0]
        out.append(t[k] + (0.7 - v[k]) * (t[k + 1] - t[k]) / (v[k + 1] - v[k]))
    return out


def distance(a, b):
    if len(a) == 0 or len(b) == 0:
        return 0.0 if len(a) == len(b) else math.inf
    return max(np.max(np.min(np.abs(a[:, None] - b[None, :]), axis=1)),
               np.max(np.min(np.abs(b[:, None] - a[None, :]), axis=1)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("binary")
    ap.add_argument("sizes")
    ap.add_argument("--tstop", default="1u")
    ap.add_argument("--solvers", default="auto,klu")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--reference", action="store_true")
    a = ap.parse_args()
    sizes = [int(x) for x in a.sizes.split(",")]
    solvers = a.solvers.split(",")
    with tempfile.TemporaryDirectory() as folder:
        per_step = {s: {} for s in solvers}
        for n in sizes:
            for s in solvers:
                runs = [run(a.binary, n, a.tstop, f"linsolve={s}", folder) for _ in range(a.runs)]
                cpu = statistics.median(r["cpu"] for r in runs)
                r = runs[0]
                per_step[s][n] = cpu / r["steps"]
                print(f"N = {n:6d} linsolve={s:6s} ({r['solver']}): {cpu:8.2f} s CPU (median of {a.runs}), "
                      f"{r['steps']} steps, {r['newton']} Newton, {r['linear']} linear iterations, "
                      f"{per_step[s][n] * 1e3:.3f} ms/step", flush=True)
            if a.reference:
                ref = run(a.binary, n, a.tstop, TIGHT, folder, every_step=True)
                mine = run(a.binary, n, a.tstop, f"linsolve={solvers[0]}", folder, every_step=True)
                error = max(distance(x, y) for x, y in zip(spikes(ref["csv"]), spikes(mine["csv"])))
                count = sum(len(x) for x in spikes(ref["csv"]))
                print(f"N = {n:6d}: {count} spikes of the saved neurons; largest spike-time distance from the "
                      f"reltol 1e-7 reference ({ref['steps']} steps, {ref['cpu']:.1f} s): {error * 1e9:.3f} ns",
                      flush=True)
        for s in solvers:
            ns = sorted(per_step[s])
            for lo, hi in zip(ns, ns[1:]):
                slope = math.log(per_step[s][hi] / per_step[s][lo]) / math.log(hi / lo)
                print(f"linsolve={s}: CPU per step grows as N^{slope:.2f} from {lo} to {hi}")


if __name__ == "__main__":
    main()
