#!/usr/bin/python3
"""One ISCAS85 run, kept for later comparison; or the comparison of kept runs. For the
circuits too slow for run_iscas.py's sweep on a loaded machine (c6288).

    bench/iscas/one_run.py run NAME ns|ng RELTOL OUT.npz [--options "gmin=1e-15"] [--neurospice PATH]
    bench/iscas/one_run.py compare NAME RUN.npz REFERENCE.npz

`run` reads the corpus deck in place through run_iscas.py's wrapper (the same .options for
both simulators), prints CPU s (user + system), accepted steps, Newton iterations, and keeps
the .print outputs in OUT.npz. `compare` prints the edge-time error (ps) and max |dv|/VDD
of RUN against REFERENCE (run_iscas.errors), and how far each output moves in each run.
"""
import argparse
import os
import sys
import tempfile
import types

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_iscas  # noqa: E402


def switching(table, vdd):
    """How many outputs cross VDD/2, of how many, and their crossings in all."""
    sig = run_iscas.signals(table)
    n = [len(run_iscas.crossings(table["time"], y, vdd / 2)) for y in sig.values()]
    return f"{sum(1 for k in n if k)} of {len(n)} outputs cross VDD/2 ({sum(n)} crossings)"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("verb", choices=["run", "compare"])
    ap.add_argument("name")
    ap.add_argument("rest", nargs="+")
    ap.add_argument("--options", default="")
    ap.add_argument("--neurospice", default=os.path.join(run_iscas.ROOT, "build", "neurospice"))
    ap.add_argument("--timeout", type=float, default=7200)
    a = ap.parse_args()
    path = os.path.join(run_iscas.CORPUS, a.name, f"{a.name}.net")
    vdd, nodes = run_iscas.deck_facts(path)
    if a.verb == "run":
        sim, reltol, out = a.rest
        run_iscas.EXTRA_OPTIONS = a.options
        args = types.SimpleNamespace(neurospice=os.path.abspath(a.neurospice), timeout=a.timeout)
        with tempfile.TemporaryDirectory() as work:
            cpu, steps, iters, table = run_iscas.once(args, work, sim, run_iscas.wrapper(path, sim, reltol, nodes))
        print(f"{a.name} {sim} reltol {reltol} options '{a.options}': cpu {cpu:.3g} s, {steps} steps, {iters} "
              f"iterations; {switching(table, vdd)}")
        np.savez(out, cpu=cpu, steps=steps or -1, iters=iters or -1, **table)
    else:
        run, ref = ({k: f[k] for k in f.files if k not in ("cpu", "steps", "iters")}
                    for f in (np.load(p) for p in a.rest))
        edge, dv = run_iscas.errors(run, ref, vdd)
        print(f"{a.name}: edge error {edge * 1e12:.4g} ps, max dv/VDD {dv:.3g}; run: {switching(run, vdd)}; "
              f"reference: {switching(ref, vdd)}")


if __name__ == "__main__":
    main()
