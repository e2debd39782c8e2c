#!/usr/bin/python3
"""ISCAS85 gate-level circuits (45 nm PTM BSIM4 cards) in neurospice and ngspice (issue 18).
Writes bench/iscas/RESULTS.md.

    bench/iscas/run_iscas.py [--only c432,c880,c6288] [--reps R] [--timeout S]
                             [--neurospice PATH] [--corpus DIR] [--out FILE.md]

The decks are run in place from the ngspice corpus (examples/klu/Circuits/85/NAME/NAME.net,
which includes ../../technology/45nm_HP.pm): each simulator reads a small wrapper deck that
.includes the corpus deck by its absolute path and adds .options (reltol, and ngspice's
acct) and, for ngspice, a .save of the deck's own .print nodes. Nothing is copied.

References: each simulator's own tight run, neurospice at reltol 1e-6 (checked against
1e-7 on c432), ngspice at reltol 1e-5 (it steps at TMAX = tstep = 1 ps on these decks):
the two simulators' BSIM4s differ by more than the target (on c432 16 ps of edge time at
every ngspice reltol), so "equal accuracy" is each one's distance from its own converged
answer; that floor between them is reported beside it. Each simulator runs at reltol 1e-3
(both defaults), then 1e-4, 1e-5 until its error meets the target. Times
are CPU (user + system, /usr/bin/time), medians of R runs; accepted steps and Newton
iterations from neurospice --stats and ngspice's acct.

Error: every .print node of the deck (the circuit's primary outputs), compared with the
reference as (a) the edge-time error, the largest distance from an output's crossing of
VDD/2 to the nearest crossing of the other run in the same direction (both ways), and
(b) the largest |v - v_ref| / VDD over the run's points (reference by cubic spline).
The target is on (a): TARGET_PS picoseconds.
"""
import argparse
import datetime
import math
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile

import numpy as np
from scipy.interpolate import CubicSpline

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))
from run_suite import read_csv, read_raw, signals, machine, tree_state, fmt_err  # noqa: E402

CORPUS = "/work/shared/corpus/ngspice/examples/klu/Circuits/85"
CIRCUITS = ["c432", "c880", "c6288"]
TIME = "/usr/bin/time"
REF_RELTOL = "1e-6"
NG_REF_RELTOL = "1e-5"
TARGET_PS = 1.0


def deck_facts(path):
    """(vdd, the .print tran nodes) of a corpus deck."""
    text = open(path).read()
    vdd = float(re.search(r"(?im)^vdd\s+\S+\s+\S+\s+dc\s+(\S+)", text).group(1))
    nodes = []
    for m in re.finditer(r"(?im)^\.print\s+tran\s+(.*)$", text):
        nodes += re.findall(r"(?i)v\(([^)]+)\)", m.group(1))
    return vdd, [n.lower() for n in nodes]


EXTRA_OPTIONS = ""  # --options: appended to both simulators' .options (e.g. gmin=1e-15)


def wrapper(path, sim, reltol, nodes):
    lines = [f"* {os.path.basename(path)} from the ngspice corpus, read in place",
             f".include {path}",
             f".options reltol={reltol} {EXTRA_OPTIONS}".rstrip() + (" acct" if sim == "ng" else "")]
    if sim == "ng":  # the outputs only: ngspice would otherwise write every node to its raw file
        lines.append(".save " + " ".join(f"v({n})" for n in nodes))
    return "\n".join(lines + [".end", ""])


def once(args, work, sim, deck):
    """(cpu s, accepted steps, Newton iterations, table); cpu = inf on timeout."""
    cir = os.path.join(work, f"{sim}.cir")
    out = os.path.join(work, f"{sim}.csv" if sim == "ns" else f"{sim}.raw")
    if os.path.exists(out):
        os.remove(out)
    with open(cir, "w") as f:
        f.write(deck)
    cmd = [args.neurospice, "--stats", "-o", out, cir] if sim == "ns" else ["ngspice", "-b", "-r", out, cir]
    tfile = os.path.join(work, "time.txt")
    p = subprocess.Popen([TIME, "-f", "%U %S", "-o", tfile, *cmd], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        stdout, stderr = p.communicate(timeout=args.timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.communicate()
        return math.inf, None, None, None
    log = stdout + stderr
    if p.returncode != 0 or not os.path.exists(out):
        raise RuntimeError(f"{' '.join(cmd)} failed ({p.returncode}):\n{log[-3000:]}")
    user, system = open(tfile).read().split()[-2:]
    if sim == "ns":
        steps = re.search(r"(\d+) steps,", log)
        iters = re.search(r"(\d+) Newton iterations", log)
        table = read_csv(out)
    else:
        steps = re.search(r"Accepted timepoints\s*=\s*(\d+)", log)
        iters = re.search(r"Transient iterations\s*=\s*(\d+)", log)
        table = read_raw(out)
    return (float(user) + float(system), int(steps.group(1)) if steps else None,
            int(iters.group(1)) if iters else None, table)


def timed(args, work, sim, deck, reps):
    cpus, last = [], None
    for _ in range(reps):
        r = once(args, work, sim, deck)
        cpus.append(r[0])
        if math.isinf(r[0]):
            return r, len(cpus)
        last = r
        if sum(cpus) > args.budget:
            break
    return (statistics.median(cpus), *last[1:]), len(cpus)


def crossings(t, v, level):
    """Times of upward (+1) and downward (-1) crossings of level, linearly interpolated."""
    above = v > level
    k = np.nonzero(above[:-1] != above[1:])[0]
    tc = t[k] + (level - v[k]) * (t[k + 1] - t[k]) / (v[k + 1] - v[k])
    return [(float(x), 1 if above[j + 1] else -1) for x, j in zip(tc, k)]


def errors(run, ref, vdd):
    """(edge-time error s, max |dv| / vdd) over the outputs."""
    rs, edge, dv = signals(run), 0.0, 0.0
    t = run["time"]
    for name, yref in signals(ref).items():
        y = rs[name]
        dv = max(dv, float(np.max(np.abs(y - CubicSpline(ref["time"], yref)(t)))) / vdd)
        a, b = crossings(ref["time"], yref, vdd / 2), crossings(t, y, vdd / 2)
        for one, other in ((a, b), (b, a)):
            for tc, sense in one:
                near = [abs(tc - u) for u, s in other if s == sense]
                edge = max(edge, min(near) if near else math.inf)
    return edge, dv


def run_circuit(args, work, name, log):
    path = os.path.join(args.corpus, name, f"{name}.net")
    vdd, nodes = deck_facts(path)
    row = {"name": name, "nodes": len(nodes), "vdd": vdd, "runs": []}
    ref_r, _ = timed(args, work, "ns", wrapper(path, "ns", REF_RELTOL, nodes), 1)
    ref = ref_r[3]
    row["ref"] = ref_r
    log(f"  reference reltol {REF_RELTOL}: cpu {ref_r[0]:.3g} s, {ref_r[1]} steps, {ref_r[2]} iterations")
    refs = {"ns": ref, "ng": None}
    if args.ng_ref:
        ng_r, _ = timed(args, work, "ng", wrapper(path, "ng", NG_REF_RELTOL, nodes), 1)
        refs["ng"] = ng_r[3]
        row["ng_ref"] = ng_r
        row["floor"] = None if ng_r[3] is None else errors(ng_r[3], ref, vdd)
        log(f"  ngspice reference reltol {NG_REF_RELTOL}: cpu {ng_r[0]:.3g} s, {ng_r[1]} steps; against "
            f"neurospice's: edge {row['floor'][0] * 1e12:.3g} ps, dv/vdd {row['floor'][1]:.2e}")
    if name in args.check_ref.split(","):
        r7, _ = timed(args, work, "ns", wrapper(path, "ns", "1e-7", nodes), 1)
        row["ref_check"] = errors(ref, r7[3], vdd)
        log(f"  reference check (1e-6 vs 1e-7): edge {row['ref_check'][0] * 1e12:.3g} ps, "
            f"dv/vdd {row['ref_check'][1]:.2e}")
    for sim in ("ns", "ng"):
        for reltol in ("1e-3", "1e-4", "1e-5"):
            r, n = timed(args, work, sim, wrapper(path, sim, reltol, nodes), args.reps)
            err = None if r[3] is None or refs[sim] is None else errors(r[3], refs[sim], vdd)
            # Against the one converged answer too: neurospice's reference (for neurospice, err).
            err_ns = None if r[3] is None else errors(r[3], ref, vdd)
            row["runs"].append({"sim": sim, "reltol": reltol, "cpu": r[0], "steps": r[1], "iters": r[2],
                                "err": err, "err_ns": err_ns, "reps": n})
            log(f"  {'neurospice' if sim == 'ns' else 'ngspice':10s} reltol {reltol}: cpu {r[0]:.3g} s "
                f"({n} runs), {r[1]} steps, {r[2]} iterations, edge error "
                f"{'-' if err is None else f'{err[0] * 1e12:.3g} ps'}, dv/vdd {'-' if err is None else fmt_err(err[1])}")
            if err is None or err[0] <= TARGET_PS * 1e-12 or r[0] > args.budget:
                break
    return row


def report(rows, args, loads, started, tree):
    cpu, ngv = machine()
    nsv = subprocess.run([args.neurospice, "--version"], capture_output=True, text=True).stdout.strip()
    built = datetime.datetime.utcfromtimestamp(os.path.getmtime(args.neurospice))
    L = ["# ISCAS85 on 45 nm BSIM4: neurospice vs ngspice (issue 18)", "",
         f"Generated by `bench/iscas/run_iscas.py {' '.join(sys.argv[1:])}` on {started:%Y-%m-%d %H:%M} UTC.", "",
         f"- Machine: {cpu}, {os.cpu_count()} cores; load average (1 min) before / after: {loads[0]} / {loads[1]}. "
         "**CPU times** (user + system), medians; on a loaded machine wall times mean nothing.",
         f"- {nsv or 'neurospice'} (`{args.neurospice}`, built {built:%Y-%m-%d %H:%M} UTC); tree at {tree}; {ngv}.",
         f"- Extra .options: `{args.options}`.\n" if args.options else "",
         f"- Decks: `{args.corpus}/NAME/NAME.net` read in place through a wrapper deck (`.include` by absolute "
         "path; the deck's own .options, .tran and .print stand; the wrapper adds reltol, ngspice's acct and a "
         ".save of the .print nodes).",
         f"- References: neurospice at reltol {REF_RELTOL}, ngspice at reltol {NG_REF_RELTOL}; each simulator's "
         "error is against its own reference (the floor between the two is listed below). Error: edge-time error (largest distance of an output's "
         "VDD/2 crossing to the nearest crossing of the other run, same direction, both ways) and max |dv|/VDD, "
         f"over the deck's .print outputs. Target: edge error <= {TARGET_PS:g} ps.", ""]
    for row in rows:
        if row.get("floor"):
            e, d = row["floor"]
            r = row["ng_ref"]
            L.append(f"- {row['name']}: ngspice reference (reltol {NG_REF_RELTOL}, cpu {r[0]:.3g} s, {r[1]} steps) "
                     f"against neurospice's: edge {e * 1e12:.3g} ps, max dv/VDD {d:.2e} (the models' floor).")
        if "ref_check" in row:
            e, d = row["ref_check"]
            L.append(f"- Reference check on {row['name']}: reltol 1e-6 against 1e-7: edge {e * 1e12:.3g} ps, dv/VDD {d:.2e}.")
    L += ["", "## Summary", "",
          "ratio = ngspice CPU / neurospice CPU (> 1: neurospice faster).", "",
          "| circuit | outputs | ns default: cpu s, steps, edge err | ng default: cpu s, steps, edge err | ratio default | "
          "ns at target: reltol, cpu s | ng at target: reltol, cpu s | ratio at target |", "|---|---|---|---|---|---|---|---|"]

    def best(row, sim):
        runs = [r for r in row["runs"] if r["sim"] == sim]
        ok = [r for r in runs if r["err"] and r["err"][0] <= TARGET_PS * 1e-12]
        return runs[0], (min(ok, key=lambda r: r["cpu"]) if ok else None)

    def edge(r):
        return "-" if not r["err"] else f"{r['err'][0] * 1e12:.3g} ps"

    for row in rows:
        nd, nt = best(row, "ns")
        gd, gt = best(row, "ng")
        at = f"{gt['cpu'] / nt['cpu']:.2f}" if nt and gt else "-"
        L.append(f"| {row['name']} | {row['nodes']} | {nd['cpu']:.3g}, {nd['steps']}, {edge(nd)} | "
                 f"{gd['cpu']:.3g}, {gd['steps']}, {edge(gd)} | {gd['cpu'] / nd['cpu']:.2f} | "
                 f"{nt['reltol'] + ', ' + format(nt['cpu'], '.3g') if nt else 'not met'} | "
                 f"{gt['reltol'] + ', ' + format(gt['cpu'], '.3g') if gt else 'not met'} | {at} |")
    L += ["", "## All runs", "", "Errors against the simulator's own reference, then against neurospice's.", "",
          "| circuit | simulator | reltol | cpu s (runs) | accepted steps | Newton iterations | "
          "edge error | max dv/VDD | edge error, ns reference | max dv/VDD, ns reference |",
          "|---|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        r = row["ref"]
        L.append(f"| {row['name']} | neurospice (reference) | {REF_RELTOL} | {r[0]:.3g} (1) | {r[1]} | {r[2]} | | | | |")
        if "ng_ref" in row:
            r = row["ng_ref"]
            e, d = row["floor"]
            L.append(f"| {row['name']} | ngspice (reference) | {NG_REF_RELTOL} | {r[0]:.3g} (1) | {r[1]} | {r[2]} | | | "
                     f"{e * 1e12:.3g} ps | {fmt_err(d)} |")
        for r in row["runs"]:
            ens = r.get("err_ns")
            L.append(f"| {row['name']} | {'neurospice' if r['sim'] == 'ns' else 'ngspice'} | {r['reltol']} | "
                     f"{r['cpu']:.3g} ({r['reps']}) | {r['steps']} | {r['iters']} | {edge(r)} | "
                     f"{fmt_err(r['err'][1]) if r['err'] else '-'} | "
                     f"{'-' if not ens else f'{ens[0] * 1e12:.3g} ps'} | {fmt_err(ens[1]) if ens else '-'} |")
    with open(args.out, "w") as f:
        f.write("\n".join(L) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", default=",".join(CIRCUITS))
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=900, help="kill a single run after S seconds")
    ap.add_argument("--budget", type=float, default=120,
                    help="fewer repetitions, and no tighter reltol, once a run's CPU time passes S seconds")
    ap.add_argument("--no-ng-ref", dest="ng_ref", action="store_false",
                    help="no ngspice reference: ngspice's runs are compared with neurospice's reference")
    ap.add_argument("--check-ref", default="c432",
                    help="the circuits (comma-separated) whose reference is checked against reltol 1e-7")
    ap.add_argument("--neurospice", default=os.environ.get("NEUROSPICE", os.path.join(ROOT, "build", "neurospice")))
    ap.add_argument("--corpus", default=CORPUS)
    ap.add_argument("--out", default=os.path.join(HERE, "RESULTS.md"))
    ap.add_argument("--options", default="",
                    help="more .options for both simulators, after the deck's own (c6288's GMIN=1e-4 keeps every "
                         "output within 0.15 V; gmin=1e-15 as c432's makes it switch)")
    args = ap.parse_args()
    global EXTRA_OPTIONS
    EXTRA_OPTIONS = args.options
    args.neurospice = os.path.abspath(args.neurospice)
    started, tree = datetime.datetime.utcnow(), tree_state()
    loads = [f"{os.getloadavg()[0]:.2f}"]
    rows = []
    with tempfile.TemporaryDirectory() as work:
        for name in args.only.split(","):
            print(name, flush=True)
            rows.append(run_circuit(args, work, name, lambda s: print(s, flush=True)))
    loads.append(f"{os.getloadavg()[0]:.2f}")
    report(rows, args, loads, started, tree)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
